#include "store/event_positions.h"

#include <string>

namespace anju::store {

Result<std::optional<int64_t>> eventPosition(Connection& c, std::string_view consumer) {
  auto row =
      c.query("SELECT event_key FROM event_positions WHERE consumer = ?", {std::string(consumer)});
  if (!row) return row.status();
  if (row->empty()) return std::optional<int64_t>();
  return std::optional<int64_t>(asInt(row->rows[0][0]));
}

Status setEventPosition(Connection& c, std::string_view consumer, int64_t key) {
  auto r = c.execute(
      "INSERT INTO event_positions (consumer, event_key) VALUES (?, ?) "
      "ON CONFLICT(consumer) DO UPDATE SET event_key = CASE WHEN excluded.event_key > "
      "event_positions.event_key THEN excluded.event_key ELSE event_positions.event_key END",
      {std::string(consumer), key});
  return r ? Status{} : r.status();
}

}  // namespace anju::store
