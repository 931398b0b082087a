#include "store/settings.h"

namespace anju::store {

Result<std::vector<Setting>> readSettings(Connection& c, std::string_view prefix) {
  // A range rather than LIKE: names may hold '_' and '%', which LIKE would read as wildcards.
  const std::string from(prefix);
  const std::string to = from + "\x7f";
  auto rows = c.query(
      "SELECT name, value, updated_by, updated_at FROM settings WHERE name >= ? AND name < ? "
      "ORDER BY name",
      {from, to});
  if (!rows) return rows.status();
  std::vector<Setting> out;
  for (const auto& r : rows->rows)
    out.push_back({asText(r[0]), asText(r[1]), asText(r[2]), asInt(r[3])});
  return out;
}

Status writeSetting(Connection& c, const Setting& s) {
  auto done = c.execute(
      "INSERT INTO settings (name, value, updated_by, updated_at) VALUES (?, ?, ?, ?) "
      "ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_by = excluded.updated_by, "
      "updated_at = excluded.updated_at",
      {s.name, s.value, s.updated_by, s.updated_at});
  return done ? Status{} : done.status();
}

Status removeSetting(Connection& c, std::string_view name) {
  auto done = c.execute("DELETE FROM settings WHERE name = ?", {std::string(name)});
  return done ? Status{} : done.status();
}

}  // namespace anju::store
