#include "demo/governance.h"

#include "demo/governance_seeds.h"

namespace anju::demo {

int64_t dayStartMs(const GovernanceOptions& options, int days_before) {
  const auto day = std::chrono::sys_days(options.as_of) - std::chrono::days(days_before);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(day.time_since_epoch());
  return ms.count() - int64_t{options.utc_offset_minutes} * 60 * 1000;
}

Result<GovernanceSummary> seedGovernance(store::Database& db, store::UserStore& users,
                                         const GovernanceOptions& options,
                                         std::function<void(int done, int total)> progress) {
  if (!options.as_of.ok()) return Status::invalid("as_of", "as_of must be a real day");
  auto world = loadWorld(db, users);
  if (!world) return world.status();
  // Cases take most of the time; they fill the first 90 parts of the bar.
  constexpr int kTotal = 100, kCasesShare = 90;
  GovernanceSummary summary;
  ANJU_RETURN_IF_ERROR(seedCases(db, *world, options, summary, [&](int done, int total) {
    if (progress && total > 0) progress(done * kCasesShare / total, kTotal);
  }));
  ANJU_RETURN_IF_ERROR(seedGridWork(db, *world, options, summary, [&](int done, int total) {
    if (progress && total > 0 && done < total)
      progress(kCasesShare + done * (kTotal - kCasesShare) / total, kTotal);
  }));
  ANJU_RETURN_IF_ERROR(seedIncidents(db, *world, options, summary));
  if (progress) progress(kTotal, kTotal);
  return summary;
}

}  // namespace anju::demo
