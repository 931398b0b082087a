#include "screening/evaluate.h"

#include <algorithm>
#include <tuple>

#include "store/record_store.h"

namespace anju::screening {

namespace {

using store::Value;

constexpr int64_t kHourMs = 3'600'000;

// A person carries one of `tags` (a family tag such as "key_person" covers "key_person:drug"): a
// condition on links.value and its parameters.
std::string tagCondition(const std::vector<std::string>& tags, std::vector<Value>& params) {
  std::string sql = "(";
  for (std::size_t i = 0; i < tags.size(); ++i) {
    if (i) sql += " OR ";
    // ';' follows ':' in byte order, so the range holds exactly the tags "family:...".
    sql += "value = ? OR (value >= ? AND value < ?)";
    params.insert(params.end(), {tags[i], tags[i] + ":", tags[i] + ";"});
  }
  return sql + ")";
}

Result<std::vector<int64_t>> ids(store::Database& db, const std::string& sql,
                                 const std::vector<Value>& params) {
  std::vector<int64_t> out;
  Status st = db.read([&](store::Connection& c) -> Status {
    auto rows = c.query(sql, params);
    if (!rows) return rows.status();
    for (const auto& r : rows->rows) out.push_back(store::asInt(r[0]));
    return {};
  });
  if (!st) return st;
  return out;
}

// The estates the screening looks at; nullopt when its region is everywhere.
Result<std::optional<std::vector<int64_t>>> estatesOf(store::Database& db, const Definition& d) {
  if (d.region_path == "/") return std::optional<std::vector<int64_t>>();
  const store::Scope scope{d.region_path};
  auto found = ids(db, "SELECT id FROM estates WHERE region_path >= ? AND region_path < ?",
                   {scope.path, scope.upperBound()});
  if (!found) return found.status();
  return std::optional(std::move(*found));
}

// Persons who live in an estate of the region (their estate, or a room they have not moved out
// of), visitors aside, optionally only those with one of `tags`.
Result<std::vector<int64_t>> residents(store::Database& db, const Definition& d) {
  const store::Scope scope{d.region_path};
  const std::string in_region =
      "(SELECT id FROM estates WHERE region_path >= ? AND region_path < ?)";
  std::string sql =
      "SELECT p.id FROM persons p WHERE p.category != 'visitor' AND (p.estate_id IN " + in_region +
      " OR p.id IN (SELECT r.person_id FROM residences r JOIN rooms m ON m.id = r.room_id JOIN "
      "buildings b ON b.id = m.building_id WHERE r.moved_out IS NULL AND b.estate_id IN " +
      in_region + "))";
  std::vector<Value> params{scope.path, scope.upperBound(), scope.path, scope.upperBound()};
  if (!d.params.tags.empty()) {
    sql +=
        " AND p.id IN (SELECT object_id FROM links WHERE entity = 'persons' AND field = "
        "'tags' AND " +
        tagCondition(d.params.tags, params) + ")";
  }
  return ids(db, sql, params);
}

Result<std::vector<Finding>> outNotReturned(store::Database& db, store::EventStore& events,
                                            const Definition& d, int64_t from, int64_t to) {
  auto estates = estatesOf(db, d);
  if (!estates) return estates.status();
  auto people = residents(db, d);
  if (!people) return people.status();
  auto last = events.lastPassages(*people, from, to, *estates);
  if (!last) return last.status();
  std::vector<Finding> out;
  const int64_t away_at_least = int64_t{d.params.hours} * kHourMs;
  for (const auto& p : *last) {
    if (p.direction != "out" || to - p.ts < away_at_least) continue;
    out.push_back({.person_id = p.person_id,
                   .estate_id = p.estate_id,
                   .first_seen = p.ts,
                   .last_seen = p.ts,
                   .passages = 1,
                   .away_ms = to - p.ts});
  }
  std::sort(out.begin(), out.end(), [](const Finding& a, const Finding& b) {
    return a.away_ms != b.away_ms ? a.away_ms > b.away_ms : a.person_id < b.person_id;
  });
  return out;
}

Result<std::vector<Finding>> totals(store::Database& db, store::EventStore& events,
                                    const Definition& d, store::PassageQuery q) {
  auto estates = estatesOf(db, d);
  if (!estates) return estates.status();
  q.estates = std::move(*estates);
  auto found = events.passageTotals(q);
  if (!found) return found.status();
  std::vector<Finding> out;
  for (auto& t : *found) {
    out.push_back({.person_id = t.person_id,
                   .plate = std::move(t.plate),
                   .estate_id = t.estate_id,
                   .first_seen = t.first,
                   .last_seen = t.last,
                   .passages = t.count});
  }
  std::sort(out.begin(), out.end(), [](const Finding& a, const Finding& b) {
    return std::tie(b.last_seen, a.person_id, a.plate, a.estate_id) <
           std::tie(a.last_seen, b.person_id, b.plate, b.estate_id);
  });
  return out;
}

}  // namespace

Result<std::vector<Finding>> evaluate(store::Database& registry, store::EventStore& events,
                                      const Definition& d, int64_t from, int64_t to) {
  switch (d.kind) {
    case Kind::kOutNotReturned:
      return outNotReturned(registry, events, d, from, to);
    case Kind::kFromRegions: {
      store::PassageQuery q{.from = from, .to = to, .plate_prefixes = d.params.plate_prefixes};
      for (const auto& code : d.params.region_codes) {
        // The ID number's first digits are the region of issue: a range of the unique index.
        std::string end = code;
        end.back() = static_cast<char>(end.back() + 1);
        auto found = ids(registry, "SELECT id FROM persons WHERE id_number >= ? AND id_number < ?",
                         {code, end});
        if (!found) return found.status();
        q.persons.insert(q.persons.end(), found->begin(), found->end());
      }
      return totals(registry, events, d, std::move(q));
    }
    case Kind::kTagSeen: {
      std::vector<Value> params;
      const std::string sql =
          "SELECT DISTINCT object_id FROM links WHERE entity = 'persons' AND field = 'tags' AND " +
          tagCondition(d.params.tags, params);
      auto found = ids(registry, sql, params);
      if (!found) return found.status();
      return totals(registry, events, d,
                    store::PassageQuery{.from = from, .to = to, .persons = *found});
    }
  }
  return Status::invalid("kind", "未知的排查类型 (unknown kind)");
}

}  // namespace anju::screening
