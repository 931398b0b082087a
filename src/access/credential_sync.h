// What a door terminal holds: the credentials of the persons whose access groups include it.
// Terminals fetch it once in full and then only what changed since their cursor, a position in
// the credential_changes log that SQLite triggers fill on every credential and group change.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "common/status.h"
#include "store/database.h"

namespace anju::access {

struct SyncPage {
  // {credential_id, person_id, type, value?, embedding?, valid_from?, valid_to?} to hold
  // (replacing what the terminal holds under that credential_id), {credential_id, person_id,
  // type, value?, deleted: true} to drop one credential, {person_id, deleted: true} to drop all
  // of a person's.
  nlohmann::json items = nlohmann::json::array();
  std::string next;   // the cursor to send next time
  bool more = false;  // the log had more changes than one answer carries: call again with next
};

// `since` empty: the full list. kInvalid for a cursor that is not a number.
Result<SyncPage> syncCredentials(store::Database& db, const std::string& device_id,
                                 const std::string& since, int utc_offset_minutes,
                                 int max_changes = 2000);

}  // namespace anju::access
