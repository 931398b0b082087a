// Retention periods set from the console. A period an admin stored (the `settings` table,
// "retention.events" = "90") holds instead of the configuration file's until it is removed again;
// the server's daily run, the dry run and `anju retention --dry-run` all read the same effective
// periods.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "retention/retention_policy.h"
#include "store/database.h"
#include "store/settings.h"

namespace anju::retention {

// The kinds in the order pages show them, with the policy member each sets.
struct KindField {
  std::string_view name;  // also the key in [retention] and in the API's JSON
  int RetentionPolicy::*days;
};
inline constexpr std::array<KindField, 4> kKinds = {{
    {"captures", &RetentionPolicy::captures_days},
    {"events", &RetentionPolicy::events_days},
    {"snapshots", &RetentionPolicy::snapshots_days},
    {"audit", &RetentionPolicy::audit_days},
}};

// Bounds on a period set from the console. Ten years is longer than any period the offices ask
// for, and keeps a mistyped extra digit from passing. Audit records are the installation's
// network log, which the Cybersecurity Law (网络安全法 art. 21) requires be kept for no less than
// six months: 0 (kept forever) or at least 180 days.
inline constexpr int64_t kMaxDays = 3650;
inline constexpr int64_t kMinAuditDays = 180;

// Whether `days` may be the period of `kind`; kInvalid naming `kind` when not.
Status checkDays(std::string_view kind, int64_t days);

struct EffectivePolicy {
  RetentionPolicy policy;                                     // what a run uses
  RetentionPolicy config;                                     // the configuration file's
  std::map<std::string, store::Setting, std::less<>> stored;  // by kind, those set from the console

  // "settings" when the console's value holds for `kind`, else "config".
  std::string_view source(std::string_view kind) const;
};

Result<EffectivePolicy> effectivePolicy(store::Connection& c, const RetentionPolicy& config);

// One period to change: a number of days to store, or nullopt to hand it back to the file.
struct DaysChange {
  std::string kind;
  std::optional<int64_t> days;
};

// The periods in force with `changes` applied (checked first), without storing them.
Result<RetentionPolicy> withChanges(const EffectivePolicy& current,
                                    const std::vector<DaysChange>& changes);

// Stores the changes (checked first; nothing is written when one fails) in the caller's
// transaction and returns what they say for the audit record: "events 180 (config) -> 90".
Result<std::string> applyChanges(store::Connection& c, const EffectivePolicy& before,
                                 const std::vector<DaysChange>& changes, const std::string& by,
                                 int64_t now_ms);

}  // namespace anju::retention
