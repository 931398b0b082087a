// The two halves of seedGovernance, each drawing from its own Rng so that a change to one does
// not reshuffle the other. Both report progress as (done, total) of their own work.
#pragma once

#include <cstdint>
#include <functional>

#include "demo/governance.h"
#include "demo/governance_world.h"

namespace anju::demo {

using SeedProgress = std::function<void(int done, int total)>;

constexpr int64_t kMinuteMs = 60 * 1000;
constexpr int kWindowDays = 90;  // cases and rounds are drawn over these days before as_of

// Local midnight of the day `days` before options.as_of, in epoch milliseconds.
int64_t dayStartMs(const GovernanceOptions& options, int days_before);

Status seedCases(store::Database& db, const GovernanceWorld& world,
                 const GovernanceOptions& options, GovernanceSummary& summary,
                 const SeedProgress& progress);

Status seedGridWork(store::Database& db, const GovernanceWorld& world,
                    const GovernanceOptions& options, GovernanceSummary& summary,
                    const SeedProgress& progress);

// Quick beside the other two: it reports no progress of its own.
Status seedIncidents(store::Database& db, const GovernanceWorld& world,
                     const GovernanceOptions& options, GovernanceSummary& summary);

}  // namespace anju::demo
