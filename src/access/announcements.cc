#include "access/announcements.h"

#include "common/clock.h"

namespace anju::access {

using nlohmann::json;
using store::asInt;
using store::asText;
using store::isNull;
using store::Value;

Result<std::vector<json>> currentAnnouncements(store::Connection& c, int64_t estate_id,
                                               const std::vector<int64_t>& building_ids,
                                               int64_t now_ms, int utc_offset_minutes) {
  std::string buildings;
  std::vector<Value> params{estate_id, now_ms, now_ms};
  for (int64_t b : building_ids) {
    buildings += buildings.empty() ? "?" : ", ?";
    params.emplace_back(std::to_string(b));
  }
  // links holds list values as text, so the building ids are compared as text.
  std::string addressed =
      "NOT EXISTS (SELECT 1 FROM links l WHERE l.entity = 'announcements' AND l.field = "
      "'building_ids' AND l.object_id = a.id)";
  if (!buildings.empty()) {
    addressed = "(" + addressed +
                " OR EXISTS (SELECT 1 FROM links l WHERE l.entity = 'announcements' AND l.field "
                "= 'building_ids' AND l.object_id = a.id AND l.value IN (" +
                buildings + ")))";
  }
  auto rows = c.query(
      "SELECT a.id, a.title, a.body, a.category, a.valid_from, a.valid_to, a.created_at FROM "
      "announcements a WHERE a.estate_id = ? AND (a.valid_from IS NULL OR a.valid_from <= ?) AND "
      "(a.valid_to IS NULL OR a.valid_to >= ?) AND " +
          addressed + " ORDER BY a.id DESC LIMIT 100",
      params);
  if (!rows) return rows.status();
  std::vector<json> out;
  auto time = [&](const Value& v) {
    return isNull(v) ? json(nullptr) : json(formatTimestamp(asInt(v), utc_offset_minutes));
  };
  for (const auto& r : rows->rows) {
    out.push_back({{"id", asInt(r[0])},
                   {"title", asText(r[1])},
                   {"body", asText(r[2])},
                   {"category", asText(r[3])},
                   {"estate_id", estate_id},
                   {"valid_from", time(r[4])},
                   {"valid_to", time(r[5])},
                   {"created_at", time(r[6])}});
  }
  return out;
}

}  // namespace anju::access
