// Mediation records (调解记录, SPEC §5): the mediator and parties of a case's mediation, the
// sessions held, the outcome, and the court's judicial confirmation (司法确认) of an agreement.
// Every call takes the caller's scope, which is checked against the record's case, and each
// change is noted in the case's history. Phones come back in full: whoever shows them decides
// what to mask. No HTTP here.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "store/database.h"
#include "store/record_store.h"

namespace anju::mediation {

struct Party {
  std::string name;
  std::string role;   // applicant, respondent or other
  std::string phone;  // optional; normalised before it is kept
};

struct NewMediation {
  std::string mediator;
  std::vector<Party> parties;
  std::string kind;  // people, administrative or court; empty: from the case's route
};

struct NewSession {
  int64_t held_at = 0;
  std::string place;
  std::string notes;
};

struct Outcome {
  std::string outcome;  // agreed, failed or withdrawn
  std::string agreement;
};

// One step of judicial confirmation: request (with the court), then grant (with the court's
// reference number) or refuse (with the reason).
struct ConfirmationStep {
  std::string action;
  std::string court;
  std::string reference;
  std::string reason;
};

struct ListFilter {
  std::optional<int64_t> case_id;
  std::string status;  // open, agreed, failed or withdrawn; empty: all
  std::string cursor;
  int limit = 50;
};

class MediationRecords {
 public:
  MediationRecords(store::Database& db, const Clock& clock, int utc_offset_minutes);

  // kNotFound for an unknown case, kForbidden outside `scope`, kConflict for a merged case.
  Result<nlohmann::json> create(int64_t case_id, const NewMediation& record,
                                const store::Scope& scope, const std::string& actor);
  Result<nlohmann::json> get(int64_t id, const store::Scope& scope);
  // Records whose case lies in `scope`, oldest first, without their sessions.
  Result<store::ListPage> list(const ListFilter& filter, const store::Scope& scope);

  // kConflict once the record is concluded.
  Result<nlohmann::json> addSession(int64_t id, const NewSession& session,
                                    const store::Scope& scope, const std::string& actor);
  // kConflict for a second outcome.
  Result<nlohmann::json> conclude(int64_t id, const Outcome& outcome, const store::Scope& scope,
                                  const std::string& actor);
  // kConflict, naming the steps allowed now, when the step does not follow.
  Result<nlohmann::json> confirm(int64_t id, const ConfirmationStep& step,
                                 const store::Scope& scope, const std::string& actor);

 private:
  // Loads the record and checks that its case lies in `scope`.
  Result<nlohmann::json> load(store::Connection& c, int64_t id, const store::Scope& scope,
                              bool with_sessions);
  // Runs `work` in a transaction on a record in scope, then answers the record as it is now.
  Result<nlohmann::json> change(
      int64_t id, const store::Scope& scope,
      const std::function<Status(store::Connection&, const nlohmann::json& record)>& work);

  store::Database& db_;
  const Clock& clock_;
  int utc_offset_minutes_;
};

}  // namespace anju::mediation
