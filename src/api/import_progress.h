// How far a CSV import has got, for a progress bar. The client names its import
// (`?progress=ID`, an id of its own choosing) and asks `GET /api/v1/imports/{id}` while the import
// request runs. Each import stays one request and one transaction; this only reports on it.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "common/clock.h"
#include "common/status.h"

namespace anju::api {

struct ImportState {
  bool running = true;
  double fraction = 0;     // 0 to 1
  bool committed = false;  // once ended: whether anything was stored
};

class ImportProgress {
 public:
  explicit ImportProgress(const Clock& clock) : clock_(clock) {}

  // Reports on one import for as long as it lives; ends it as failed unless finish() was called.
  class Report {
   public:
    Report() = default;
    Report(ImportProgress* board, std::string id) : board_(board), id_(std::move(id)) {}
    Report(Report&& other) noexcept;
    Report& operator=(Report&&) = delete;
    ~Report();
    void update(double fraction) const;
    void finish(bool committed);
    // What the importers call, or nothing when the client asked for no progress.
    std::function<void(double)> callback() const;

   private:
    ImportProgress* board_ = nullptr;
    std::string id_;
  };

  // ?progress=ID of the request: none, or an id (letters, digits, '-' and '_', 1-64) not in use
  // by a running import; kInvalid or kConflict naming `progress` otherwise.
  Result<Report> begin(const std::string& id, int64_t user_id);
  // Only the user who started it sees an import; others get nullopt (not found).
  std::optional<ImportState> get(const std::string& id, int64_t user_id) const;

 private:
  struct Entry {
    int64_t user_id = 0;
    ImportState state;
    int64_t ended_at = 0;
  };
  void set(const std::string& id, double fraction);
  void end(const std::string& id, bool committed);
  void prune(int64_t now);

  const Clock& clock_;
  mutable std::mutex mutex_;
  std::map<std::string, Entry> entries_;  // GUARDED_BY(mutex_)
};

}  // namespace anju::api
