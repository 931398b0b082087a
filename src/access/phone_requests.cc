// Phone authorisation (电话/手机授权): a visitor at the door names a host; the host approves or
// refuses on their phone; the door polls and opens once on approval. Requests lapse after
// kPhoneRequestTtlMs, and an approval must be used within kApprovedOpenWindowMs.
#include "access/access_service.h"

namespace anju::access {

using nlohmann::json;
using store::asInt;
using store::asText;
using store::Connection;
using store::isNull;
using store::Value;

Result<PhoneRequestView> AccessService::loadPhone(Connection& c, int64_t id) {
  auto rows = c.query(
      "SELECT id, region_path, device_id, estate_id, host_person_id, visitor_name, status, "
      "decided_by, decided_at, opened_at, expires_at, created_at FROM phone_authorisations "
      "WHERE id = ?",
      {id});
  if (!rows) return rows.status();
  if (rows->empty())
    return Status::notFound("未找到呼叫请求 (no phone request " + std::to_string(id) + ")");
  const auto& r = rows->rows[0];
  auto time = [&](const Value& v) {
    return isNull(v) ? json(nullptr) : json(formatTimestamp(asInt(v), utc_offset_minutes_));
  };
  PhoneRequestView v;
  v.region_path = asText(r[1]);
  v.device_id = asText(r[2]);
  v.host_person_id = asInt(r[4]);
  v.body = {{"id", asInt(r[0])},
            {"device_id", asText(r[2])},
            {"estate_id", asInt(r[3])},
            {"host_person_id", asInt(r[4])},
            {"visitor_name", asText(r[5])},
            {"status", asText(r[6])},
            {"decided_by", isNull(r[7]) ? json(nullptr) : json(asText(r[7]))},
            {"decided_at", time(r[8])},
            {"opened_at", time(r[9])},
            {"expires_at", time(r[10])},
            {"created_at", time(r[11])}};
  v.body["expires_at_ms"] = asInt(r[10]);
  return v;
}

Result<std::optional<Decision>> AccessService::expireIfDue(Connection& c, PhoneRequestView& view,
                                                           int64_t now) {
  const std::string status = view.body["status"];
  if ((status != "pending" && status != "approved") ||
      now <= view.body["expires_at_ms"].get<int64_t>())
    return std::optional<Decision>();
  auto changed =
      c.execute("UPDATE phone_authorisations SET status = 'expired', updated_at = ? WHERE id = ?",
                {now, view.body["id"].get<int64_t>()});
  if (!changed) return changed.status();
  view.body["status"] = "expired";
  Decision d;
  d.reason = std::string(reason::kPhoneExpired);
  d.method = Method::kPhone;
  d.phone_request_id = view.body["id"].get<int64_t>();
  d.host_person_id = view.host_person_id;
  return std::optional<Decision>(std::move(d));
}

Result<PhoneRequestView> AccessService::requestPhone(const store::DeviceInfo& door,
                                                     const NewPhoneRequest& request) {
  if (request.visitor_name.empty() || request.visitor_name.size() > 64)
    return Status::invalid("visitor_name", "请填写访客姓名 (visitor_name is required, at most 64)");
  if (!request.host_person_id && request.room.empty())
    return Status::invalid("host_person_id", "请指定主人或房间 (give host_person_id or room)");
  const int64_t now = clock_.nowMillis();
  int64_t id = 0;
  Status s = db_.write([&](Connection& c) -> Status {
    std::optional<int64_t> host = request.host_person_id;
    if (!host) {
      // A room by id, or by its number in the door's estate (and the door's building when the
      // door stands at one). The host is a current resident, owners first.
      auto rooms = c.query(
          "SELECT r.person_id FROM residences r JOIN rooms m ON m.id = r.room_id JOIN buildings "
          "b ON b.id = m.building_id WHERE r.moved_out IS NULL AND b.estate_id = ? AND "
          "(CAST(m.id AS TEXT) = ? OR (m.number = ? AND (CAST(? AS BIGINT) IS NULL OR "
          "m.building_id = ?))) "
          "ORDER BY CASE r.relation WHEN 'owner' THEN 0 WHEN 'family' THEN 1 ELSE 2 END, r.id "
          "LIMIT 1",
          {door.estate_id, request.room, request.room,
           door.building_id ? Value(*door.building_id) : Value{},
           door.building_id ? Value(*door.building_id) : Value{}});
      if (!rooms) return rooms.status();
      if (rooms->empty())
        return Status::invalid("room",
                               "该房间无住户 (no current resident in room " + request.room + ")");
      host = asInt(rooms->rows[0][0]);
    }
    // The host must live in the door's estate: registered there, or living in one of its rooms.
    auto lives = c.query(
        "SELECT 1 FROM persons WHERE id = ? AND (estate_id = ? OR id IN (SELECT r.person_id FROM "
        "residences r JOIN rooms m ON m.id = r.room_id JOIN buildings b ON b.id = m.building_id "
        "WHERE b.estate_id = ? AND r.moved_out IS NULL))",
        {*host, door.estate_id, door.estate_id});
    if (!lives) return lives.status();
    if (lives->empty())
      return Status::invalid("host_person_id",
                             "主人不住在本小区 (the host does not live in this door's estate)");
    auto inserted = c.query(
        "INSERT INTO phone_authorisations (region_path, device_id, estate_id, host_person_id, "
        "visitor_name, status, expires_at, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?) RETURNING id",
        {door.region_path, door.id, door.estate_id, *host, request.visitor_name,
         now + kPhoneRequestTtlMs, now, now});
    if (!inserted) return inserted.status();
    id = asInt(inserted->rows[0][0]);
    return {};
  });
  if (!s) return s;
  return getPhoneRequest(id);
}

Result<PhoneRequestView> AccessService::getPhoneRequest(int64_t id) {
  PhoneRequestView out;
  Status s = db_.read([&](Connection& c) -> Status {
    auto view = loadPhone(c, id);
    if (!view) return view.status();
    out = std::move(*view);
    return {};
  });
  if (!s) return s;
  // Shown as it is now, even before anyone has written the lapse down.
  const std::string status = out.body["status"];
  if ((status == "pending" || status == "approved") &&
      clock_.nowMillis() > out.body["expires_at_ms"].get<int64_t>())
    out.body["status"] = "expired";
  out.body.erase("expires_at_ms");
  return out;
}

Result<PhoneRequestView> AccessService::pollPhoneRequest(const store::DeviceInfo& door,
                                                         int64_t id) {
  auto decision = verify(door, VerifyRequest{.method = Method::kPhone, .code = std::to_string(id)});
  if (!decision) return decision.status();
  if (decision->reason == reason::kWrongDoor)
    return Status::forbidden("只有发起请求的门禁可以查询 (only the asking door may poll)");
  auto view = getPhoneRequest(id);
  if (!view) return view.status();
  view->body["open"] = decision->granted;
  if (decision->granted) view->body["event_id"] = decision->event_id;
  return view;
}

Result<PhoneRequestView> AccessService::decidePhoneRequest(int64_t id, int64_t person_id,
                                                           bool approve,
                                                           const std::string& decided_by) {
  const int64_t now = clock_.nowMillis();
  std::optional<Decision> to_record;
  store::DeviceInfo door;
  Status s = db_.write([&](Connection& c) -> Status {
    auto view = loadPhone(c, id);
    if (!view) return view.status();
    if (view->host_person_id != person_id)
      return Status::forbidden("只有被访住户可以答复 (only the host may answer this request)");
    auto loaded = store::loadDevice(c, view->device_id);
    if (!loaded) return loaded.status();
    door = std::move(*loaded);
    auto lapsed = expireIfDue(c, *view, now);
    if (!lapsed) return lapsed.status();
    if (*lapsed) {
      // The lapse is written and recorded even though the answer is a refusal of the request.
      to_record = std::move(**lapsed);
      return {};
    }
    if (view->body["status"] != "pending") {
      return Status::conflict("该请求已答复 (the request is already " +
                              view->body["status"].get<std::string>() + ")");
    }
    auto changed = c.execute(
        "UPDATE phone_authorisations SET status = ?, decided_by = ?, decided_at = ?, "
        "expires_at = ?, updated_at = ? WHERE id = ?",
        {std::string(approve ? "approved" : "refused"), decided_by, now,
         approve ? now + kApprovedOpenWindowMs : view->body["expires_at_ms"].get<int64_t>(), now,
         id});
    if (!changed) return changed.status();
    if (!approve) {
      // A refusal is the decision; the door's later polls only report it.
      Decision d;
      d.reason = std::string(reason::kPhoneRefused);
      d.method = Method::kPhone;
      d.phone_request_id = id;
      d.host_person_id = person_id;
      to_record = std::move(d);
    }
    return {};
  });
  if (!s) return s;
  if (to_record) ANJU_RETURN_IF_ERROR(record(door, {&*to_record}));
  if (to_record && to_record->reason == reason::kPhoneExpired)
    return Status::conflict("该请求已过期 (the request has expired)");
  return getPhoneRequest(id);
}

}  // namespace anju::access
