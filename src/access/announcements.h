// The announcements (公告) a door display or a resident's portal shows: those of one estate that
// are in their window now, addressed to the whole estate or to the given building.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "common/status.h"
#include "store/database.h"

namespace anju::access {

// Estate-wide announcements, plus those addressed to one of `building_ids`. A display at the
// estate's gate (no building) shows only the estate-wide ones. Newest first.
Result<std::vector<nlohmann::json>> currentAnnouncements(store::Connection& c, int64_t estate_id,
                                                         const std::vector<int64_t>& building_ids,
                                                         int64_t now_ms, int utc_offset_minutes);

}  // namespace anju::access
