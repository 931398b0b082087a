// Visitor passes: issued by a host (or security staff for a host), used at the doors by code or
// QR, revoked by either.
#include <cstring>

#include "access/access_service.h"
#include "common/crypto.h"
#include "domain/phone.h"
#include "domain/plate.h"

namespace anju::access {

using nlohmann::json;
using store::asInt;
using store::asText;
using store::Connection;
using store::isNull;
using store::Value;

namespace {

constexpr const char* kPassColumns =
    "SELECT id, region_path, estate_id, host_person_id, visitor_name, visitor_phone, plate, "
    "valid_from, valid_to, max_uses, uses_left, device_ids, created_by, revoked, created_at "
    "FROM visitor_passes ";

// Six digits from the system's random source. The modulo bias of 2^32 mod 10^6 is below 0.03%.
std::string randomCode() {
  std::string hex = crypto::randomHex(4);
  uint32_t n = static_cast<uint32_t>(std::stoul(hex, nullptr, 16));
  std::string code = std::to_string(n % 1000000);
  return std::string(6 - code.size(), '0') + code;
}

std::string passStatus(const PassFacts& f, int64_t now) {
  if (f.revoked) return "revoked";
  if (f.uses_left <= 0) return "used_up";
  if (now > f.valid_to) return "expired";
  if (now < f.valid_from) return "not_yet_valid";
  return "active";
}

}  // namespace

Result<PassView> AccessService::loadPass(Connection& c, int64_t id) {
  auto rows = c.query(std::string(kPassColumns) + "WHERE id = ?", {id});
  if (!rows) return rows.status();
  if (rows->empty())
    return Status::notFound("未找到访客通行证 (no visitor pass " + std::to_string(id) + ")");
  const auto& r = rows->rows[0];
  PassView v;
  v.region_path = asText(r[1]);
  v.host_person_id = asInt(r[3]);
  v.facts = PassFacts{.valid_from = asInt(r[7]),
                      .valid_to = asInt(r[8]),
                      .uses_left = asInt(r[10]),
                      .revoked = asInt(r[13]) != 0,
                      .estate_id = asInt(r[2])};
  json doors = json::array();
  if (!isNull(r[11])) {
    doors = json::parse(asText(r[11]), nullptr, false);
    if (!doors.is_array()) doors = json::array();
    for (const auto& d : doors) v.facts.device_ids.push_back(d);
  }
  const int64_t now = clock_.nowMillis();
  v.body = {{"id", asInt(r[0])},
            {"estate_id", asInt(r[2])},
            {"host_person_id", asInt(r[3])},
            {"visitor_name", asText(r[4])},
            {"visitor_phone", isNull(r[5]) ? json(nullptr) : json(asText(r[5]))},
            {"plate", isNull(r[6]) ? json(nullptr) : json(asText(r[6]))},
            {"valid_from", formatTimestamp(asInt(r[7]), utc_offset_minutes_)},
            {"valid_to", formatTimestamp(asInt(r[8]), utc_offset_minutes_)},
            {"max_uses", asInt(r[9])},
            {"uses_left", asInt(r[10])},
            {"device_ids", doors},
            {"created_by", asText(r[12])},
            {"revoked", asInt(r[13]) != 0},
            {"status", passStatus(v.facts, now)},
            {"created_at", formatTimestamp(asInt(r[14]), utc_offset_minutes_)}};
  return v;
}

Result<PassView> AccessService::createPass(const NewPass& pass, const store::Scope& scope,
                                           std::string* code_out) {
  const int64_t now = clock_.nowMillis();
  if (pass.visitor_name.empty() || pass.visitor_name.size() > 64)
    return Status::invalid("visitor_name", "请填写访客姓名 (visitor_name is required, at most 64)");
  std::string phone, plate;
  if (!pass.visitor_phone.empty()) {
    auto normalized = domain::normalizePhone(pass.visitor_phone);
    if (!normalized) return Status::invalid("visitor_phone", normalized.status().message());
    phone = *normalized;
  }
  if (!pass.plate.empty()) {
    auto parsed = domain::parsePlate(pass.plate);
    if (!parsed) return Status::invalid("plate", parsed.status().message());
    plate = parsed->normalized;
  }
  const int64_t from = pass.valid_from.value_or(now);
  if (pass.valid_to <= from)
    return Status::invalid("valid_to",
                           "结束时间须晚于开始时间 (valid_to must be after valid_from)");
  if (pass.valid_to <= now)
    return Status::invalid("valid_to", "结束时间已过 (valid_to is in the past)");
  if (pass.valid_to - from > kMaxPassWindowMs)
    return Status::invalid("valid_to", "通行证有效期最长 31 天 (a pass lasts at most 31 days)");
  if (pass.uses < 1 || pass.uses > kMaxPassUses)
    return Status::invalid("uses", "使用次数应在 1 到 100 之间 (uses must be 1 to 100)");

  int64_t id = 0;
  std::string code;
  Status s = db_.write([&](Connection& c) -> Status {
    auto host = c.query(
        "SELECT p.estate_id, p.region_path, e.region_path FROM persons p LEFT JOIN estates e ON "
        "e.id = p.estate_id WHERE p.id = ?",
        {pass.host_person_id});
    if (!host) return host.status();
    if (host->empty()) return Status::invalid("host_person_id", "未知人员 (unknown host person)");
    const auto& h = host->rows[0];
    if (!scope.contains(asText(h[1])))
      return Status::forbidden("超出您的管辖范围 (the host is outside your region scope)");
    if (isNull(h[0]))
      return Status::invalid("host_person_id",
                             "主人未登记所在小区 (the host has no estate to admit visitors to)");
    const int64_t estate_id = asInt(h[0]);
    json doors = json::array();
    for (const auto& device_id : pass.device_ids) {
      auto door = store::loadDevice(c, device_id);
      if (!door) {
        if (door.status().code() == Code::kNotFound)
          return Status::invalid("device_ids", "未知设备 (unknown device " + device_id + ")");
        return door.status();
      }
      if (door->estate_id != estate_id)
        return Status::invalid("device_ids", "设备不在主人所在小区 (door " + device_id +
                                                 " is not in the host's estate)");
      doors.push_back(device_id);
    }
    // A code must name one live pass of its estate, so that the door never has to guess.
    for (int attempt = 0; attempt < 20 && code.empty(); ++attempt) {
      std::string candidate = randomCode();
      auto taken = c.query(
          "SELECT 1 FROM visitor_passes WHERE estate_id = ? AND code_hash = ? AND revoked = 0 "
          "AND uses_left > 0 AND valid_to >= ? LIMIT 1",
          {estate_id, passCodeHash(estate_id, candidate), now});
      if (!taken) return taken.status();
      if (taken->empty()) code = candidate;
    }
    if (code.empty())
      return Status::conflict("访客码已用尽，请稍后再试 (no free visitor code; try again later)");
    auto inserted = c.query(
        "INSERT INTO visitor_passes (region_path, estate_id, host_person_id, visitor_name, "
        "visitor_phone, plate, valid_from, valid_to, max_uses, uses_left, device_ids, code_hash, "
        "created_by, revoked, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?) RETURNING id",
        {asText(h[2]), estate_id, pass.host_person_id, pass.visitor_name,
         phone.empty() ? Value{} : Value(phone), plate.empty() ? Value{} : Value(plate), from,
         pass.valid_to, int64_t{pass.uses}, int64_t{pass.uses},
         doors.empty() ? Value{} : Value(doors.dump()), passCodeHash(estate_id, code),
         pass.created_by, now, now});
    if (!inserted) return inserted.status();
    id = asInt(inserted->rows[0][0]);
    return {};
  });
  if (!s) return s;
  if (code_out) *code_out = code;
  return getPass(id);
}

Result<PassView> AccessService::getPass(int64_t id) {
  PassView out;
  Status s = db_.read([&](Connection& c) -> Status {
    auto pass = loadPass(c, id);
    if (!pass) return pass.status();
    out = std::move(*pass);
    return {};
  });
  if (!s) return s;
  return out;
}

Result<store::ListPage> AccessService::listPasses(const store::Scope& scope,
                                                  std::optional<int64_t> host_person_id,
                                                  const std::string& cursor, int limit) {
  if (limit < 1 || limit > 1000)
    return Status::invalid("limit", "limit 应在 1 到 1000 之间 (limit must be between 1 and 1000)");
  std::string where = "WHERE region_path >= ? AND region_path < ?";
  std::vector<Value> params{scope.path, scope.upperBound()};
  if (host_person_id) {
    where += " AND host_person_id = ?";
    params.emplace_back(*host_person_id);
  }
  if (!cursor.empty()) {
    int64_t after = 0;
    try {
      after = std::stoll(cursor);
    } catch (...) {
      return Status::invalid("cursor", "无效的游标 (cursor is not one this server gave out)");
    }
    where += " AND id > ?";
    params.emplace_back(after);
  }
  params.emplace_back(int64_t{limit + 1});
  store::ListPage page;
  Status s = db_.read([&](Connection& c) -> Status {
    auto rows = c.query("SELECT id FROM visitor_passes " + where + " ORDER BY id LIMIT ?", params);
    if (!rows) return rows.status();
    for (std::size_t i = 0; i < rows->size(); ++i) {
      if (static_cast<int>(i) == limit) {
        page.next = std::to_string(page.items.back()["id"].get<int64_t>());
        break;
      }
      auto pass = loadPass(c, asInt(rows->rows[i][0]));
      if (!pass) return pass.status();
      page.items.push_back(std::move(pass->body));
    }
    return {};
  });
  if (!s) return s;
  return page;
}

Result<PassView> AccessService::revokePass(int64_t id) {
  const int64_t now = clock_.nowMillis();
  Status s = db_.write([&](Connection& c) -> Status {
    auto changed =
        c.execute("UPDATE visitor_passes SET revoked = 1, updated_at = ? WHERE id = ?", {now, id});
    if (!changed) return changed.status();
    if (*changed == 0)
      return Status::notFound("未找到访客通行证 (no visitor pass " + std::to_string(id) + ")");
    return {};
  });
  if (!s) return s;
  return getPass(id);
}

}  // namespace anju::access
