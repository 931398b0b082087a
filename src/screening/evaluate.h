// Answers a screening's question from the registry and the device events, for one window. Reads
// only: a run that fails part-way has nothing to undo.
#pragma once

#include <cstdint>
#include <vector>

#include "screening/screening.h"
#include "store/database.h"
#include "store/event_store.h"

namespace anju::screening {

// The findings of `screening` between `from` and `to` (ms since the epoch, inclusive), only at
// estates inside its region path, in the order they are shown: out_not_returned longest away
// first, the others most recently seen first.
Result<std::vector<Finding>> evaluate(store::Database& registry, store::EventStore& events,
                                      const Definition& screening, int64_t from, int64_t to);

}  // namespace anju::screening
