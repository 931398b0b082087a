// How far each consumer of the device events (the incident intake, the alert engine) has got, by
// event key, in the registry store. A consumer writes it in the same transaction as what it made
// of those events where it can, so that after a crash it reads again only what it had not
// finished.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "store/database.h"

namespace anju::store {

// nullopt: the consumer never ran on this store.
Result<std::optional<int64_t>> eventPosition(Connection& c, std::string_view consumer);
// Only moves on: alarms of an earlier day can still arrive late, with smaller keys.
Status setEventPosition(Connection& c, std::string_view consumer, int64_t key);

}  // namespace anju::store
