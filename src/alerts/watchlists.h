// Watchlists (布控): lists of persons (by identity number, registry person, or face) or vehicles
// (by plate), each valid for a window, for a region, with the reason and the officer who asked.
// Entries are added one at a time or imported from CSV by the hundred thousand.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "store/database.h"
#include "store/record_store.h"

namespace anju::alerts {

// A watched face, decoded for matching.
struct WatchedFace {
  int64_t entry_id = 0;
  std::vector<float> embedding;
};

struct WatchedList {
  int64_t id = 0;
  std::string name;
  std::string kind;  // person or vehicle
  std::string reason;
  std::string level;
  std::string region_path;
  double threshold = 0.6;
  int64_t valid_from = 0, valid_to = 0;
};

struct WatchedEntry {
  int64_t id = 0;
  int64_t list_id = 0;
  std::string name;
  std::string id_number;
  std::optional<int64_t> person_id;  // given, or found in the registry by id_number
  std::string plate;
};

// What matching needs, read in one go: the lists not yet expired at `now` (those that start later
// included: matching checks each event's time against the window) and their entries.
struct WatchSnapshot {
  std::vector<WatchedList> lists;
  std::vector<WatchedEntry> entries;
  std::vector<WatchedFace> faces;
};

struct ImportReport {
  std::size_t rows = 0;
  std::size_t imported = 0;
  std::size_t duplicates = 0;          // already on the list
  std::vector<nlohmann::json> errors;  // {line, field, message}
  bool committed = false;
};

class WatchlistStore {
 public:
  WatchlistStore(store::Database& db, const Clock& clock, int utc_offset_minutes);

  Result<nlohmann::json> create(const nlohmann::json& body, const std::string& region_path,
                                const std::string& by);
  Result<nlohmann::json> update(int64_t id, const nlohmann::json& body);
  Status remove(int64_t id);
  Result<nlohmann::json> get(int64_t id);
  Result<std::vector<nlohmann::json>> list(const store::Scope& scope);
  // The list's region, for scope checks.
  Result<std::string> regionOf(int64_t id);

  Result<nlohmann::json> addEntry(int64_t list_id, const nlohmann::json& body);
  // Up to kMaxBatchEntries entries in one transaction, all or none; errors name
  // "entries[i].field". Entries already on the list are counted, not refused.
  Result<nlohmann::json> addEntries(int64_t list_id, const nlohmann::json& entries);
  static constexpr std::size_t kMaxBatchEntries = 1000;
  Status removeEntry(int64_t list_id, int64_t entry_id);
  Result<std::pair<std::vector<nlohmann::json>, std::optional<std::string>>> entries(
      int64_t list_id, const std::string& cursor, int limit);
  // Columns name/姓名, id_number/身份证号 (person lists), plate/车牌号 (vehicle lists), note/备注.
  // Every row is checked; nothing is stored if any row is bad unless `partial`. `progress` hears
  // the share done (reading the rows is the first half, storing them the second).
  Result<ImportReport> importCsv(int64_t list_id, std::string_view text, bool partial,
                                 std::size_t max_errors,
                                 const std::function<void(double)>& progress = {});

  Result<WatchSnapshot> snapshot(int64_t now_ms);
  // Bumped by every change, so matching knows when to read the lists again.
  uint64_t version() const { return version_.load(); }
  // Another node on the same database changed the lists.
  void markChanged() { version_ += 1; }

 private:
  store::Database& db_;
  const Clock& clock_;
  int utc_offset_minutes_;
  std::atomic<uint64_t> version_{1};
};

// Embeddings as the API takes them: arrays of 128 or 512 finite numbers, not all zero.
Result<std::vector<float>> parseEmbedding(const nlohmann::json& value, const std::string& field);

}  // namespace anju::alerts
