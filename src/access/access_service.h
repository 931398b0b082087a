// Access decisions (SPEC §4): may this credential, code, car or person open this door now? And
// the two ways a visitor gets in — a visitor pass with a one-time code, or a host's approval of
// a door's phone request. Every decision is recorded as an access event through the EventSink.
// No HTTP here: the API maps requests onto these calls and checks who the caller is.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "access/decision.h"
#include "common/clock.h"
#include "domain/event.h"
#include "store/database.h"
#include "store/device_directory.h"
#include "store/record_store.h"

namespace anju::access {

struct VerifyRequest {
  Method method = Method::kCard;
  std::string credential;            // card number, PIN, QR text or plate as the door read it
  std::optional<int64_t> person_id;  // face (the camera recognised them) and remote opening
  std::string code;                  // a visitor pass code; for phone, the request id
  std::string direction;             // "in"/"out" for a door that faces both ways
};

struct Decision {
  bool granted = false;
  std::string reason;  // one of access::reason
  Method method = Method::kCard;
  std::optional<int64_t> person_id;
  std::optional<int64_t> pass_id;
  std::optional<int64_t> phone_request_id;
  std::optional<int64_t> host_person_id;
  std::string plate;
  std::string direction;
  std::string event_id;  // of the access event that records it
  // A door's poll of a phone request that changed nothing (still pending, already refused and
  // recorded then) is an answer, not a new decision: it is not recorded again.
  bool already_recorded = false;

  nlohmann::json toJson() const;
};

struct NewPass {
  int64_t host_person_id = 0;
  std::string visitor_name;
  std::string visitor_phone;
  std::string plate;
  std::optional<int64_t> valid_from;  // default: now
  int64_t valid_to = 0;
  int uses = 1;
  std::vector<std::string> device_ids;  // default: every door of the host's estate
  std::string created_by;
};

// A pass as the API shows it, with what the API needs to decide who may see it.
struct PassView {
  nlohmann::json body;
  std::string region_path;
  int64_t host_person_id = 0;
  PassFacts facts;
};

struct PhoneRequestView {
  nlohmann::json body;
  std::string region_path;
  std::string device_id;
  int64_t host_person_id = 0;
};

struct NewPhoneRequest {
  std::optional<int64_t> host_person_id;
  std::string room;  // a room id, or a room number in the door's estate (and building)
  std::string visitor_name;
};

class AccessService {
 public:
  // `events` may be null (unit tests, or before the event pipeline is wired): decisions are then
  // made but not kept.
  AccessService(store::Database& db, const Clock& clock, domain::EventSink* events,
                int utc_offset_minutes);

  // kInvalid for a malformed request (missing credential, bad plate); a refusal is a Decision.
  Result<Decision> verify(const store::DeviceInfo& door, const VerifyRequest& request);

  // Visitor passes. `scope` is the creator's: the host must lie inside it.
  Result<PassView> createPass(const NewPass& pass, const store::Scope& scope,
                              std::string* code_out);
  Result<PassView> getPass(int64_t id);
  // Passes in `scope`, only those of `host_person_id` when given, oldest first.
  Result<store::ListPage> listPasses(const store::Scope& scope,
                                     std::optional<int64_t> host_person_id,
                                     const std::string& cursor, int limit);
  Result<PassView> revokePass(int64_t id);

  // Phone authorisation: the door asks, the host decides, the door polls.
  Result<PhoneRequestView> requestPhone(const store::DeviceInfo& door,
                                        const NewPhoneRequest& request);
  // Reading without side effects (the host, staff).
  Result<PhoneRequestView> getPhoneRequest(int64_t id);
  // The asking door's poll. An approved request answers "open" once and becomes "used"; the
  // opening (and a lapse into "expired") is recorded as an access event.
  Result<PhoneRequestView> pollPhoneRequest(const store::DeviceInfo& door, int64_t id);
  // The host's answer; kForbidden for anyone but the host, kConflict once decided or expired.
  Result<PhoneRequestView> decidePhoneRequest(int64_t id, int64_t person_id, bool approve,
                                              const std::string& decided_by);

  static constexpr int64_t kPhoneRequestTtlMs = 3 * 60 * 1000;
  static constexpr int64_t kApprovedOpenWindowMs = 60 * 1000;
  static constexpr int64_t kMaxPassWindowMs = 31LL * 24 * 3600 * 1000;
  static constexpr int kMaxPassUses = 100;

 private:
  Result<Decision> decide(store::Connection& c, const store::DeviceInfo& door,
                          const VerifyRequest& request, int64_t now);
  Result<Decision> decideByCredential(store::Connection& c, const store::DeviceInfo& door,
                                      const std::string& type, const std::string& value,
                                      std::optional<int64_t> person_id, int64_t now);
  Result<Decision> decideByPass(store::Connection& c, const store::DeviceInfo& door,
                                const std::vector<store::Value>& pass_ids, int64_t now);
  Result<Decision> decideByPlate(store::Connection& c, const store::DeviceInfo& door,
                                 const std::string& plate, int64_t now);
  Result<PhoneRequestView> loadPhone(store::Connection& c, int64_t id);
  // Moves a request whose time ran out to "expired"; returns the refusal to record, if any.
  Result<std::optional<Decision>> expireIfDue(store::Connection& c, PhoneRequestView& view,
                                              int64_t now);
  Result<PassView> loadPass(store::Connection& c, int64_t id);
  // Records decisions as access events at the door; kUnavailable when they cannot be kept.
  Status record(const store::DeviceInfo& door, std::vector<Decision*> decisions);

  store::Database& db_;
  const Clock& clock_;
  domain::EventSink* events_;
  int utc_offset_minutes_;
};

// Whether one of the access groups that name `person_id` includes `device_id`.
Result<bool> personMayOpen(store::Connection& c, int64_t person_id, const std::string& device_id);

// A door as the portal lists it.
struct PersonDoor {
  std::string id;
  std::string name;
  std::string kind;
  int64_t estate_id = 0;
  std::string estate_name;
  std::optional<int64_t> building_id;
  std::string building_name;
  bool online = false;  // as last persisted in the registry
};

// Every device `person_id` may open, by the same rule as personMayOpen: those of the access groups
// that name them. By estate; in each, the estate's own doors (gates) first, as a resident walks in,
// then by building and name.
Result<std::vector<PersonDoor>> doorsOf(store::Connection& c, int64_t person_id);

}  // namespace anju::access
