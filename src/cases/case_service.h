// The citizens' case loop (群众说事、干部解纷, SPEC §5): intake by any channel with possible
// duplicates shown, every action of the loop checked against the status and the caller's role,
// each step kept in the case's history, and supervision (督办) of stages that run late. No HTTP
// here: the API checks the request's shape and maps JSON; who may see and do what is decided here.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cases/case_flow.h"
#include "cases/case_policy.h"
#include "common/clock.h"
#include "store/blob_store.h"
#include "store/database.h"
#include "store/record_store.h"
#include "store/user_store.h"

namespace anju::cases {

// Ways a matter comes in (SPEC §10).
const std::vector<std::string>& channels();
// Channels a resident reports through themselves.
bool residentChannel(std::string_view channel);
// Roles that work cases, as opposed to residents who raise them.
bool worksCases(const store::User& user);

struct Reporter {
  std::string name;
  std::string phone;  // normalised by the API
};

struct Attachment {
  std::string name;
  std::string content_type;
  std::string bytes;
};

struct NewCase {
  std::string channel;
  std::string category;
  std::string description;
  std::optional<int64_t> estate_id;
  std::optional<int64_t> region_id;
  std::string address;
  std::optional<double> lat, lon;
  bool anonymous = false;
  std::optional<Reporter> reporter;  // residents report as themselves
  std::vector<Attachment> attachments;
  // What the case grew out of, e.g. a grid worker's hazard ("hazards", 12).
  std::string source_kind;
  std::optional<int64_t> source_id;
};

struct CaseFilter {
  std::optional<std::string> status, category, level, channel, route;
  std::optional<int64_t> estate_id, region_id, department_id;
  std::optional<bool> overdue;
  std::optional<bool> finished;           // resolved or later (or merged), as Open311's "closed"
  bool mine = false;                      // only cases the caller reported
  std::string text;                       // words in the description
  std::optional<int64_t> from_ms, to_ms;  // created in [from, to)
  std::string cursor;
  int limit = 50;
};

struct CreatedCase {
  nlohmann::json body;                              // the case as `get` shows it
  std::vector<nlohmann::json> possible_duplicates;  // shown at intake, most alike first
};

class CaseService {
 public:
  static constexpr std::size_t kMaxDescription = 4000;  // characters
  static constexpr std::size_t kMaxAttachments = 5;
  static constexpr std::size_t kMaxAttachmentBytes = 5 * 1024 * 1024;

  CaseService(store::Database& db, store::BlobStore* blobs, const Clock& clock, CasePolicy policy,
              int utc_offset_minutes);

  Result<CreatedCase> create(const store::User& caller, const NewCase& request);
  // A grid worker's finding becomes a case in one step: the hazard's place and description, the
  // grid_worker channel, and the hazard marked with the case's id. kConflict when it already is
  // a case.
  Result<CreatedCase> createFromHazard(const store::User& caller, int64_t hazard_id,
                                       const std::string& category);
  // The whole case: place, reporter (masked for roles without need), assignment, deadlines,
  // attachments, history and the actions the caller may take now.
  Result<nlohmann::json> get(const store::User& caller, int64_t id);
  Result<store::ListPage> list(const store::User& caller, const CaseFilter& filter);
  // One step of the loop. `body` holds "action", "note" and the action's own fields. kConflict
  // when the status does not allow it, kForbidden when the caller may not; nothing changes then.
  Result<nlohmann::json> act(const store::User& caller, int64_t id, const nlohmann::json& body);
  // What the caller may do with the case now (for the answer to a refused action).
  Result<std::vector<std::string>> allowedFor(const store::User& caller, int64_t id);
  // Open cases like this one: same category and place, similar text, within the policy's days.
  Result<std::vector<nlohmann::json>> duplicatesOf(const store::User& caller, int64_t id);
  // An attachment's bytes and content type, for whoever may see the case.
  Result<std::pair<std::string, std::string>> attachment(const store::User& caller, int64_t id,
                                                         const std::string& sha256);

  // Supervision: reminds the handler of every stage past its deadline (once per stage) and
  // escalates cases late past the policy's second threshold to the next level.
  struct SupervisionReport {
    int reminded = 0;
    int escalated = 0;
  };
  Result<SupervisionReport> supervise();

  const CasePolicy& policy() const { return policy_; }

 private:
  struct Loaded;
  Result<int64_t> insertCase(store::Connection& c, const store::User& caller,
                             const NewCase& request,
                             const std::vector<std::string>& attachment_hashes,
                             std::vector<nlohmann::json>& duplicates);
  // kForbidden when the caller may not see the case, unless `check_visible` is false (the answer
  // to an action that has just handed the case on to someone else).
  Result<Loaded> load(store::Connection& c, const store::User& caller, int64_t id,
                      bool check_visible = true);
  Result<nlohmann::json> view(store::Connection& c, const store::User& caller, const Loaded& row);
  Result<std::vector<nlohmann::json>> similarOpenCases(store::Connection& c,
                                                       const std::string& category,
                                                       std::optional<int64_t> estate_id,
                                                       const std::string& region_path,
                                                       const std::string& description,
                                                       std::optional<int64_t> except_id);
  std::string formatTime(int64_t ms) const;

  store::Database& db_;
  store::BlobStore* blobs_;
  const Clock& clock_;
  CasePolicy policy_;
  int utc_offset_minutes_;
};

}  // namespace anju::cases
