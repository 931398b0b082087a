#include "mediation/recurring_cases.h"

namespace anju::mediation {

using store::asInt;
using store::asText;
using store::Connection;
using store::isNull;
using store::Value;

namespace {

// Cases of both periods grouped by `columns` (after the category and its name), counted per
// period in one scan. `extra` narrows the cases further.
Result<std::vector<Recurrence>> grouped(Connection& c, const RecurringQuery& q,
                                        const std::string& columns, const std::string& extra) {
  const int64_t previous_from = q.from - (q.to - q.from);
  const std::string in_period = "sum(CASE WHEN c.created_at >= ? THEN 1 ELSE 0 END)";
  const std::string group = "c.category, k.name" + columns;
  auto rows = c.query("SELECT " + group + ", " + in_period + " AS now_count, " +
                          "sum(CASE WHEN c.created_at < ? THEN 1 ELSE 0 END) " +
                          "FROM cases c JOIN case_categories k ON k.id = c.category "
                          "LEFT JOIN estates e ON e.id = c.estate_id "
                          "WHERE c.region_path >= ? AND c.region_path < ? AND c.created_at >= ? "
                          "AND c.created_at < ? AND c.status <> 'merged'" +
                          extra + " GROUP BY " + group + " HAVING " + in_period +
                          " >= 2 ORDER BY now_count DESC, " + group + " LIMIT ?",
                      {q.from, q.from, q.scope.path, q.scope.upperBound(), previous_from, q.to,
                       q.from, int64_t{q.limit}});
  if (!rows) return rows.status();
  std::vector<Recurrence> out;
  const bool by_estate = !columns.empty();
  for (const auto& r : rows->rows) {
    const std::size_t n = r.size();
    Recurrence item{.category = asText(r[0]),
                    .category_name = asText(r[1]),
                    .count = asInt(r[n - 2]),
                    .previous = asInt(r[n - 1])};
    if (by_estate) {
      item.estate_id = asInt(r[2]);
      item.estate_name = isNull(r[3]) ? "" : asText(r[3]);
    }
    out.push_back(std::move(item));
  }
  return out;
}

}  // namespace

Result<RecurringCases> recurringCases(store::Database& db, const RecurringQuery& query) {
  if (query.to <= query.from)
    return Status::invalid("from", "from 须早于 to (from must be before to)");
  RecurringCases out;
  Status s = db.read([&](Connection& c) -> Status {
    auto places = grouped(c, query, ", c.estate_id, e.name", " AND c.estate_id IS NOT NULL");
    if (!places) return places.status();
    auto categories = grouped(c, query, "", "");
    if (!categories) return categories.status();
    out.places = std::move(*places);
    out.categories = std::move(*categories);
    return {};
  });
  if (!s) return s;
  return out;
}

}  // namespace anju::mediation
