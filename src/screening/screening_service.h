// Saved screenings: create, read, change, delete and list them within the caller's region, run
// them, and page through the findings of the latest run. A run's findings are kept (ids and facts
// only) so that the pages and the export a user reads are exactly what the audited run found.
// No HTTP here.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "screening/screening.h"
#include "store/database.h"
#include "store/event_store.h"
#include "store/record_store.h"
#include "store/user_store.h"

namespace anju::screening {

inline constexpr int64_t kMaxRunWindowMs = int64_t{kMaxWindowHours} * 3'600'000;

struct ListFilter {
  std::optional<Kind> kind;
  std::string cursor;
  int limit = 50;
};

struct DefinitionPage {
  std::vector<Definition> items;
  std::optional<std::string> next;
};

struct Run {
  int64_t id = 0;
  int64_t screening_id = 0;
  std::string run_by;
  std::string purpose;
  int64_t from = 0;
  int64_t to = 0;
  int64_t ran_at = 0;
  int64_t total = 0;
};

// A finding with what the registry says about its subject now.
struct ShownFinding {
  Finding finding;
  std::string estate_name;
  std::string person_name;  // persons: as registered, empty once deleted
  std::string id_number;
  std::string phone;
};

struct FindingsPage {
  Run run;
  std::vector<ShownFinding> items;
  std::optional<std::string> next;
};

struct RunRequest {
  std::optional<int64_t> from;  // default: the screening's window back from `to`
  std::optional<int64_t> to;    // default: now
  std::string purpose;
  std::string actor;
};

class ScreeningService {
 public:
  ScreeningService(store::Database& db, store::EventStore& events, const Clock& clock);

  // Reads {"name", "kind", "params"?, "region_id"?}; the region defaults to the creator's and
  // may not lie outside it. Errors name the field ("kind", "params.hours", "region_id").
  Result<Definition> create(const nlohmann::json& body, const store::User& creator);
  // kNotFound when there is none, kForbidden when it looks at a region outside `scope`.
  Result<Definition> get(int64_t id, const store::Scope& scope);
  // Screenings looking at regions inside `scope`, oldest first.
  Result<DefinitionPage> list(const ListFilter& filter, const store::Scope& scope);
  // Changes "name", "params" (checked against the screening's kind) or "region_id"; the kind
  // stays what it was.
  Result<Definition> update(int64_t id, const nlohmann::json& changes, const store::User& editor);
  // Deletes the screening with its runs and findings.
  Status remove(int64_t id, const store::Scope& scope);

  // Runs the screening now and keeps its findings in place of the previous run's, all in one
  // transaction: a run that fails keeps nothing. Answers the first `limit` findings.
  Result<FindingsPage> run(int64_t id, const RunRequest& request, const store::Scope& scope,
                           int limit);
  // The latest run's findings after `cursor`; `limit` 0 gives all of them (exports). kNotFound
  // when the screening has not been run.
  Result<FindingsPage> findings(int64_t id, const store::Scope& scope, const std::string& cursor,
                                int limit);
  // The latest run, if any.
  Result<std::optional<Run>> lastRun(int64_t id, const store::Scope& scope);

 private:
  Result<Definition> load(store::Connection& c, int64_t id, const store::Scope& scope);
  Result<FindingsPage> page(store::Connection& c, const Run& run, const std::string& cursor,
                            int limit);

  store::Database& db_;
  store::EventStore& events_;
  const Clock& clock_;
};

}  // namespace anju::screening
