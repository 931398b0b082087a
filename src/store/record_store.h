// Create, read, update, delete and list of registry objects, driven by their EntitySpec. Every
// call takes the caller's region scope: objects outside it are refused, lists never show them.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "domain/entity.h"
#include "store/database.h"

namespace anju::store {

// A region path such as "/1/4/"; "/" is everywhere.
struct Scope {
  std::string path = "/";
  bool contains(const std::string& region_path) const {
    return region_path.compare(0, path.size(), path) == 0;
  }
  // The smallest path greater than every path inside the scope ("/1/4/" -> "/1/40", as '0'
  // follows '/'), so that `region_path >= path AND region_path < upperBound()` uses an index.
  std::string upperBound() const { return path.substr(0, path.size() - 1) + "0"; }
};

struct ListQuery {
  std::vector<std::pair<std::string, std::string>> filters;  // validated against the spec
  std::string cursor;                                        // the `next` of the previous page
  int limit = 50;
};

// The cursor of a list ordered by id: the last id shown, "" for the first page. Anything else is
// invalid naming the field "cursor".
Result<int64_t> parseIdCursor(const std::string& cursor);

struct ListPage {
  std::vector<nlohmann::json> items;
  std::optional<std::string> next;
};

class RecordStore {
 public:
  RecordStore(Database& db, const Clock& clock, int utc_offset_minutes);

  // `fields` come from domain::validateFields. Returns the stored object (with a generated secret,
  // if the entity has one: the only time it is shown).
  Result<nlohmann::json> create(const domain::EntitySpec& spec, const nlohmann::json& fields,
                                const Scope& scope);
  // The same inside a caller's transaction (imports, demo generation).
  Result<nlohmann::json> createIn(Connection& c, const domain::EntitySpec& spec,
                                  const nlohmann::json& fields, const Scope& scope);
  Result<nlohmann::json> get(const domain::EntitySpec& spec, const std::string& id,
                             const Scope& scope);
  Result<nlohmann::json> update(const domain::EntitySpec& spec, const std::string& id,
                                const nlohmann::json& changes, const Scope& scope);
  Status remove(const domain::EntitySpec& spec, const std::string& id, const Scope& scope);
  Result<ListPage> list(const domain::EntitySpec& spec, const ListQuery& query, const Scope& scope);

  // The path of a region ("/1/4/"), for turning a user's region into a scope.
  Result<std::string> regionPath(int64_t region_id);

  Database& database() { return db_; }

 private:
  Result<nlohmann::json> load(Connection& c, const domain::EntitySpec& spec, const std::string& id,
                              std::string* region_path);
  Result<std::string> resolveScope(Connection& c, const domain::EntitySpec& spec,
                                   const nlohmann::json& record, const Scope& scope);
  Status checkReferences(Connection& c, const domain::EntitySpec& spec,
                         const nlohmann::json& fields, const Scope& scope);
  Status writeLists(Connection& c, const domain::EntitySpec& spec, int64_t id,
                    const nlohmann::json& fields);
  Status attachLists(Connection& c, const domain::EntitySpec& spec,
                     std::vector<nlohmann::json>& items);
  nlohmann::json rowToJson(const domain::EntitySpec& spec, const Rows& rows,
                           std::size_t index) const;

  Database& db_;
  const Clock& clock_;
  int utc_offset_minutes_;
};

}  // namespace anju::store
