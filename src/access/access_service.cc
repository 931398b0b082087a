#include "access/access_service.h"

#include "common/crypto.h"
#include "domain/plate.h"

namespace anju::access {

using nlohmann::json;
using store::asInt;
using store::asText;
using store::Connection;
using store::isNull;
using store::Value;

namespace {

std::optional<int64_t> optInt(const Value& v) {
  if (isNull(v)) return std::nullopt;
  return asInt(v);
}

Decision refused(std::string_view why) {
  Decision d;
  d.reason = std::string(why);
  return d;
}

Decision grantedBy(std::string_view why) {
  Decision d;
  d.granted = true;
  d.reason = std::string(why);
  return d;
}

}  // namespace

json Decision::toJson() const {
  json out = {{"granted", granted}, {"reason", reason}, {"method", methodName(method)}};
  if (person_id) out["person_id"] = *person_id;
  if (pass_id) out["pass_id"] = *pass_id;
  if (phone_request_id) out["phone_request_id"] = *phone_request_id;
  if (!plate.empty()) out["plate"] = plate;
  if (!event_id.empty()) out["event_id"] = event_id;
  return out;
}

AccessService::AccessService(store::Database& db, const Clock& clock, domain::EventSink* events,
                             int utc_offset_minutes)
    : db_(db), clock_(clock), events_(events), utc_offset_minutes_(utc_offset_minutes) {}

namespace {

// Who may open which door, in one place: the doors (d.value) of every access group that names the
// person (p.value, the first parameter). Remote opening, face decisions, terminal sync and the
// portal's list of doors all ask through it.
constexpr std::string_view kDoorsOfPerson =
    "SELECT d.value FROM links p JOIN links d ON d.entity = 'access_groups' AND d.object_id = "
    "p.object_id AND d.field = 'device_ids' "
    "WHERE p.entity = 'access_groups' AND p.field = 'person_ids' AND p.value = ?";

}  // namespace

Result<bool> personMayOpen(Connection& c, int64_t person_id, const std::string& device_id) {
  auto rows = c.query(std::string(kDoorsOfPerson) + " AND d.value = ? LIMIT 1",
                      {std::to_string(person_id), device_id});
  if (!rows) return rows.status();
  return !rows->empty();
}

Result<std::vector<PersonDoor>> doorsOf(Connection& c, int64_t person_id) {
  auto rows = c.query(
      "SELECT v.id, v.name, v.kind, v.estate_id, e.name, v.building_id, b.name, v.online "
      "FROM devices v JOIN estates e ON e.id = v.estate_id "
      "LEFT JOIN buildings b ON b.id = v.building_id WHERE v.id IN (" +
          std::string(kDoorsOfPerson) +
          ") ORDER BY e.name, e.id, v.building_id IS NOT NULL, b.name, v.name, v.id",
      {std::to_string(person_id)});
  if (!rows) return rows.status();
  std::vector<PersonDoor> out;
  for (const auto& r : rows->rows) {
    out.push_back({.id = asText(r[0]),
                   .name = asText(r[1]),
                   .kind = asText(r[2]),
                   .estate_id = asInt(r[3]),
                   .estate_name = asText(r[4]),
                   .building_id = optInt(r[5]),
                   .building_name = isNull(r[6]) ? std::string() : asText(r[6]),
                   .online = asInt(r[7]) != 0});
  }
  return out;
}

Result<Decision> AccessService::verify(const store::DeviceInfo& door,
                                       const VerifyRequest& request) {
  const int64_t now = clock_.nowMillis();
  Decision decision;
  auto work = [&](Connection& c) -> Status {
    auto decided = decide(c, door, request, now);
    if (!decided) return decided.status();
    decision = std::move(*decided);
    return {};
  };
  // Codes, QR passes and phone approvals use something up: decided in the write transaction, so
  // that two doors presenting the last use of a pass at once cannot both be let in.
  const bool consumes = request.method == Method::kCode || request.method == Method::kQr ||
                        request.method == Method::kPhone;
  Status s = consumes ? db_.write(work) : db_.read(work);
  if (!s) return s;
  decision.method = request.method;
  if (decision.direction.empty()) decision.direction = request.direction;
  if (!decision.already_recorded) ANJU_RETURN_IF_ERROR(record(door, {&decision}));
  return decision;
}

Result<Decision> AccessService::decide(Connection& c, const store::DeviceInfo& door,
                                       const VerifyRequest& request, int64_t now) {
  switch (request.method) {
    case Method::kCard:
    case Method::kPin: {
      if (request.credential.empty())
        return Status::invalid("credential", "缺少凭证 (credential is required)");
      return decideByCredential(c, door, std::string(methodName(request.method)),
                                request.credential, std::nullopt, now);
    }
    case Method::kFace: {
      if (!request.person_id)
        return Status::invalid("person_id", "人脸识别须给出 person_id (person_id is required)");
      return decideByCredential(c, door, "face", {}, request.person_id, now);
    }
    case Method::kRemote: {
      if (!request.person_id)
        return Status::invalid("person_id", "远程开门须给出 person_id (person_id is required)");
      auto may = personMayOpen(c, *request.person_id, door.id);
      if (!may) return may.status();
      Decision d = *may ? grantedBy(reason::kResident) : refused(reason::kNoAccessGroup);
      d.person_id = request.person_id;
      return d;
    }
    case Method::kQr: {
      const std::string& text = request.credential.empty() ? request.code : request.credential;
      if (text.empty()) return Status::invalid("credential", "缺少凭证 (credential is required)");
      auto qr = parsePassQr(text);
      if (!qr) return decideByCredential(c, door, "qr", text, std::nullopt, now);
      // The QR names its pass; the code in it must still be that pass's code.
      auto rows = c.query("SELECT id FROM visitor_passes WHERE id = ? AND code_hash = ?",
                          {qr->pass_id, passCodeHash(door.estate_id, qr->code)});
      if (!rows) return rows.status();
      if (rows->empty()) return refused(reason::kUnknownCode);
      return decideByPass(c, door, {rows->rows[0][0]}, now);
    }
    case Method::kCode: {
      if (!isPassCode(request.code))
        return Status::invalid("code", "访客码应为 6 位数字 (code must be 6 digits)");
      auto rows = c.query(
          "SELECT id FROM visitor_passes WHERE estate_id = ? AND code_hash = ? ORDER BY id DESC",
          {door.estate_id, passCodeHash(door.estate_id, request.code)});
      if (!rows) return rows.status();
      if (rows->empty()) return refused(reason::kUnknownCode);
      std::vector<Value> ids;
      for (const auto& r : rows->rows) ids.push_back(r[0]);
      return decideByPass(c, door, ids, now);
    }
    case Method::kPhone: {
      int64_t id = 0;
      try {
        id = std::stoll(request.code);
      } catch (...) {
        return Status::invalid("code", "code 应为呼叫请求编号 (code must be the request id)");
      }
      auto view = loadPhone(c, id);
      if (!view) return view.status();
      if (view->device_id != door.id) return refused(reason::kWrongDoor);
      auto lapsed = expireIfDue(c, *view, now);
      if (!lapsed) return lapsed.status();
      if (*lapsed) return std::move(**lapsed);
      const std::string status = view->body["status"];
      Decision d;
      if (status == "approved") {
        auto used = c.execute(
            "UPDATE phone_authorisations SET status = 'used', opened_at = ?, updated_at = ? "
            "WHERE id = ? AND status = 'approved'",
            {now, now, id});
        if (!used) return used.status();
        d = *used == 1 ? grantedBy(reason::kPhoneApproved) : refused(reason::kPhoneUsed);
      } else if (status == "pending") {
        d = refused(reason::kPhonePending);
      } else if (status == "refused") {
        d = refused(reason::kPhoneRefused);
      } else {
        d = refused(reason::kPhoneUsed);
      }
      d.already_recorded = !d.granted;
      d.phone_request_id = id;
      d.host_person_id = view->host_person_id;
      return d;
    }
    case Method::kPlate: {
      if (request.credential.empty())
        return Status::invalid("credential", "缺少车牌 (credential must hold the plate)");
      auto plate = domain::parsePlate(request.credential);
      if (!plate) return Status::invalid("credential", plate.status().message());
      return decideByPlate(c, door, plate->normalized, now);
    }
  }
  return Status::internal("unknown access method");
}

// A resident's card, PIN, QR or face: the credential must be in its window and one of the
// person's access groups must include this door. When a value is shared by several credentials
// (a reissued card), any one that admits is enough; otherwise the most telling refusal wins.
Result<Decision> AccessService::decideByCredential(Connection& c, const store::DeviceInfo& door,
                                                   const std::string& type,
                                                   const std::string& value,
                                                   std::optional<int64_t> person_id, int64_t now) {
  auto rows = person_id ? c.query(
                              "SELECT person_id, valid_from, valid_to FROM credentials WHERE "
                              "person_id = ? AND type = ? ORDER BY id",
                              {*person_id, type})
                        : c.query(
                              "SELECT person_id, valid_from, valid_to FROM credentials WHERE "
                              "type = ? AND value = ? ORDER BY id",
                              {type, value});
  if (!rows) return rows.status();
  if (rows->empty()) {
    Decision d = refused(reason::kUnknownCredential);
    d.person_id = person_id;
    return d;
  }
  std::optional<Decision> best;
  for (const auto& r : rows->rows) {
    const int64_t who = asInt(r[0]);
    auto may = personMayOpen(c, who, door.id);
    if (!may) return may.status();
    auto outside = checkWindow(optInt(r[1]), optInt(r[2]), now);
    Decision d = !*may     ? refused(reason::kNoAccessGroup)
                 : outside ? refused(*outside)
                           : grantedBy(reason::kResident);
    d.person_id = who;
    if (d.granted) return d;
    // A window refusal says more than "no group": the person does belong here.
    if (!best || (best->reason == reason::kNoAccessGroup && *may)) best = d;
  }
  return *best;
}

// Among the passes a code matches (it is unique among live passes of the estate, but an old,
// used-up pass may share it), the live one decides; without one, the newest explains why not.
Result<Decision> AccessService::decideByPass(Connection& c, const store::DeviceInfo& door,
                                             const std::vector<Value>& pass_ids, int64_t now) {
  std::optional<PassView> chosen;
  std::optional<PassFacts> chosen_facts;
  for (const auto& id : pass_ids) {
    auto pass = loadPass(c, asInt(id));
    if (!pass) return pass.status();
    const PassFacts& facts = pass->facts;
    if (!chosen || (passIsLive(facts, now) && !passIsLive(*chosen_facts, now))) {
      chosen_facts = facts;
      chosen = std::move(*pass);
    }
  }
  auto why = checkPass(*chosen_facts, door.id, door.estate_id, now);
  Decision d = why ? refused(*why) : grantedBy(reason::kVisitor);
  d.pass_id = chosen->body["id"].get<int64_t>();
  d.host_person_id = chosen->host_person_id;
  if (d.granted) {
    // The guard on uses_left keeps the count from going below zero even if this ever ran outside
    // the single writer.
    auto used = c.execute(
        "UPDATE visitor_passes SET uses_left = uses_left - 1, updated_at = ? WHERE id = ? AND "
        "uses_left > 0",
        {now, *d.pass_id});
    if (!used) return used.status();
    if (*used == 0) {
      d.granted = false;
      d.reason = std::string(reason::kPassUsedUp);
    }
  }
  return d;
}

// At a barrier: a resident car of this estate comes and goes freely; a car named on a visitor
// pass of this estate is let through within the pass's window (without using up the pass's
// uses, which count the visitor's own passages); any other car is let through as `temporary`.
// Closed estates in China admit visitors' and delivery cars and charge them by the hour, so
// refusing an unknown plate would only block the lane: the decision is recorded and the estate
// bills it from the access events.
Result<Decision> AccessService::decideByPlate(Connection& c, const store::DeviceInfo& door,
                                              const std::string& plate, int64_t now) {
  auto vehicles = c.query(
      "SELECT person_id FROM vehicles WHERE plate = ? AND estate_id = ? AND "
      "(kind IS NULL OR kind = 'resident')",
      {plate, door.estate_id});
  if (!vehicles) return vehicles.status();
  Decision d;
  if (!vehicles->empty()) {
    d = grantedBy(reason::kResident);
    d.person_id = optInt(vehicles->rows[0][0]);
  } else {
    auto passes = c.query(
        "SELECT id FROM visitor_passes WHERE estate_id = ? AND plate = ? AND revoked = 0 AND "
        "valid_from <= ? AND valid_to >= ? ORDER BY id DESC",
        {door.estate_id, plate, now, now});
    if (!passes) return passes.status();
    d = grantedBy(reason::kTemporary);
    for (const auto& row : passes->rows) {
      auto pass = loadPass(c, asInt(row[0]));
      if (!pass) return pass.status();
      const auto& doors = pass->facts.device_ids;
      if (!doors.empty() && std::find(doors.begin(), doors.end(), door.id) == doors.end()) continue;
      d = grantedBy(reason::kVisitor);
      d.pass_id = asInt(row[0]);
      d.host_person_id = pass->host_person_id;
      break;
    }
  }
  d.plate = plate;
  return d;
}

Status AccessService::record(const store::DeviceInfo& door, std::vector<Decision*> decisions) {
  const int64_t now = clock_.nowMillis();
  std::vector<domain::Event> events;
  for (Decision* d : decisions) {
    d->event_id = "anju-" + crypto::randomHex(8);
    if (d->direction.empty() && (door.direction == "in" || door.direction == "out"))
      d->direction = door.direction;
    domain::Event e;
    e.device_id = door.id;
    e.event_id = d->event_id;
    e.kind = domain::EventKind::kAccess;
    e.ts = now;
    e.received = now;
    e.estate_id = door.estate_id;
    e.person_id = d->person_id;
    e.plate = d->plate;
    e.result = d->granted ? "granted" : "denied";
    e.direction = d->direction;
    json attrs = {{"method", methodName(d->method)}, {"reason", d->reason}};
    if (d->pass_id) attrs["pass_id"] = *d->pass_id;
    if (d->phone_request_id) attrs["phone_request_id"] = *d->phone_request_id;
    if (d->host_person_id) attrs["host_person_id"] = *d->host_person_id;
    e.attrs = attrs.dump();
    events.push_back(std::move(e));
  }
  // Every decision is kept as an access event. It is queued for the next group commit rather than
  // waited for: a door answers within a couple of milliseconds, far less than a disk sync. When
  // the store cannot take it (queue full, or the last commit failed) the door stays shut rather
  // than let someone through unrecorded.
  if (!events_ || events.empty()) return {};
  Status queued = events_->enqueue(std::move(events));
  if (!queued) {
    return Status{
        Code::kUnavailable,
        "通行记录无法保存 (the access decision could not be recorded): " + queued.message()};
  }
  return {};
}

}  // namespace anju::access
