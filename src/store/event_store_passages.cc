// The event store's questions about who passed: a person's last passage, and each person's or
// plate's passages per estate in a window (screening). Like trajectories they go through the
// per-day person and plate indexes and never scan a day's events.
#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "store/event_store.h"

namespace anju::store {

namespace {

// Persons per statement: far below SQLite's limit on parameters, with room for the estates.
constexpr std::size_t kPersonsPerStatement = 500;

std::string placeholders(std::size_t n) {
  std::string out = "(";
  for (std::size_t i = 0; i < n; ++i) out += i ? ",?" : "?";
  return out + ")";
}

// The smallest text after every text that starts with `prefix`, under SQLite's byte-wise order:
// the prefix with its last byte raised by one. UTF-8 never holds the byte 0xFF, so this never
// overflows.
std::string prefixEnd(std::string prefix) {
  prefix.back() = static_cast<char>(static_cast<unsigned char>(prefix.back()) + 1);
  return prefix;
}

// "AND estate_id IN (...)" and its parameters, or nothing for every estate.
void estateCondition(const std::optional<std::vector<int64_t>>& estates, std::string& sql,
                     std::vector<Value>& params) {
  if (!estates) return;
  sql += " AND estate_id IN " + placeholders(estates->size());
  params.insert(params.end(), estates->begin(), estates->end());
}

}  // namespace

Result<std::vector<LastPassage>> EventStore::lastPassages(
    const std::vector<int64_t>& persons, int64_t from, int64_t to,
    const std::optional<std::vector<int64_t>>& estates) {
  std::vector<LastPassage> out;
  if (persons.empty() || (estates && estates->empty())) return out;
  std::vector<int64_t> days = daysBetween(from, to);
  std::set<int64_t> wanted(persons.begin(), persons.end());
  Status st = db_.read([&](Connection& c) -> Status {
    for (auto day = days.rbegin(); day != days.rend() && !wanted.empty(); ++day) {
      const std::vector<int64_t> left(wanted.begin(), wanted.end());
      for (std::size_t first = 0; first < left.size(); first += kPersonsPerStatement) {
        const std::size_t n = std::min(kPersonsPerStatement, left.size() - first);
        // SQLite takes the other columns of a max() aggregate from the row holding the maximum;
        // PostgreSQL keeps the first row of each person in time order, newest first.
        std::string sql = std::string(postgres() ? "SELECT DISTINCT ON (person_id) person_id, ts"
                                                 : "SELECT person_id, max(ts)") +
                          ", estate_id, direction FROM " + tableOf(*day) + " WHERE person_id IN " +
                          placeholders(n) +
                          " AND kind = 'access' AND result = 'granted' AND direction IN "
                          "('in', 'out') AND ts >= ? AND ts <= ?";
        std::vector<Value> params(left.begin() + first, left.begin() + first + n);
        params.insert(params.end(), {from, to});
        estateCondition(estates, sql, params);
        auto rows = c.query(
            sql + (postgres() ? " ORDER BY person_id, ts DESC" : " GROUP BY person_id"), params);
        if (!rows) return rows.status();
        for (const auto& r : rows->rows) {
          out.push_back({asInt(r[0]), asInt(r[1]), asInt(r[2]), asText(r[3])});
          wanted.erase(asInt(r[0]));
        }
      }
    }
    return {};
  });
  if (!st) return st;
  std::sort(out.begin(), out.end(),
            [](const LastPassage& a, const LastPassage& b) { return a.person_id < b.person_id; });
  return out;
}

Result<std::vector<PassageTotal>> EventStore::passageTotals(const PassageQuery& q) {
  std::vector<PassageTotal> out;
  if (q.estates && q.estates->empty()) return out;
  if (q.persons.empty() && q.plate_prefixes.empty()) return out;
  // (person id or 0, plate, estate) -> totals, merged across the days.
  std::map<std::tuple<int64_t, std::string, int64_t>, PassageTotal> totals;
  auto add = [&](std::optional<int64_t> person, std::string plate, const std::vector<Value>& r) {
    const int64_t estate = asInt(r[1]);
    PassageTotal& t = totals[{person.value_or(0), plate, estate}];
    const int64_t first = asInt(r[2]);
    const int64_t last = asInt(r[3]);
    if (t.count == 0) {
      t = {person, std::move(plate), estate, first, last, 0};
    } else {
      t.first = std::min(t.first, first);
      t.last = std::max(t.last, last);
    }
    t.count += asInt(r[4]);
  };
  Status st = db_.read([&](Connection& c) -> Status {
    for (int64_t day : daysBetween(q.from, q.to)) {
      const std::string table = tableOf(day);
      for (std::size_t first = 0; first < q.persons.size(); first += kPersonsPerStatement) {
        const std::size_t n = std::min(kPersonsPerStatement, q.persons.size() - first);
        std::string sql = "SELECT person_id, estate_id, min(ts), max(ts), count(*) FROM " + table +
                          " WHERE person_id IN " + placeholders(n) + " AND ts >= ? AND ts <= ?";
        std::vector<Value> params(q.persons.begin() + first, q.persons.begin() + first + n);
        params.insert(params.end(), {q.from, q.to});
        estateCondition(q.estates, sql, params);
        auto rows = c.query(sql + " GROUP BY person_id, estate_id", params);
        if (!rows) return rows.status();
        for (const auto& r : rows->rows) add(asInt(r[0]), {}, r);
      }
      if (q.plate_prefixes.empty()) continue;
      // Each prefix is a range of the plate index.
      std::string sql = "SELECT plate, estate_id, min(ts), max(ts), count(*) FROM " + table +
                        " WHERE kind = 'vehicle' AND (";
      std::vector<Value> params;
      for (std::size_t i = 0; i < q.plate_prefixes.size(); ++i) {
        if (i) sql += " OR ";
        sql += "(plate >= ? AND plate < ?)";
        params.push_back(q.plate_prefixes[i]);
        params.push_back(prefixEnd(q.plate_prefixes[i]));
      }
      sql += ") AND ts >= ? AND ts <= ?";
      params.insert(params.end(), {q.from, q.to});
      estateCondition(q.estates, sql, params);
      auto rows = c.query(sql + " GROUP BY plate, estate_id", params);
      if (!rows) return rows.status();
      for (const auto& r : rows->rows) add(std::nullopt, asText(r[0]), r);
    }
    return {};
  });
  if (!st) return st;
  for (auto& [key, t] : totals) out.push_back(std::move(t));
  return out;
}

}  // namespace anju::store
