#include "api/import_progress.h"

#include <algorithm>

namespace anju::api {

namespace {

// An ended import is shown this long, for a client that asks once more after the answer.
constexpr int64_t kKeepEndedMs = 10 * 60'000;
// Imports reported on at once; more means a client that never ends its own.
constexpr std::size_t kMaxEntries = 1000;

bool validId(const std::string& id) {
  return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
  });
}

}  // namespace

ImportProgress::Report::Report(Report&& other) noexcept
    : board_(std::exchange(other.board_, nullptr)), id_(std::move(other.id_)) {}

ImportProgress::Report::~Report() {
  if (board_) board_->end(id_, false);
}

void ImportProgress::Report::update(double fraction) const {
  if (board_) board_->set(id_, fraction);
}

void ImportProgress::Report::finish(bool committed) {
  if (board_) board_->end(id_, committed);
  board_ = nullptr;
}

std::function<void(double)> ImportProgress::Report::callback() const {
  if (!board_) return {};
  return [board = board_, id = id_](double fraction) { board->set(id, fraction); };
}

Result<ImportProgress::Report> ImportProgress::begin(const std::string& id, int64_t user_id) {
  if (id.empty()) return Report();
  if (!validId(id)) {
    return Status::invalid("progress",
                           "progress 应为 1 到 64 个字母、数字、- 或 _ (progress must be 1-64 "
                           "letters, digits, '-' or '_')");
  }
  std::lock_guard lock(mutex_);
  prune(clock_.nowMillis());
  auto it = entries_.find(id);
  if (it != entries_.end() && it->second.state.running) {
    return Status(Code::kConflict,
                  "该进度编号正被另一次导入使用 (this progress id is in use by a running import)",
                  "progress");
  }
  if (it == entries_.end() && entries_.size() >= kMaxEntries) {
    return Status(Code::kRateLimited,
                  "同时进行的导入过多，请稍后再试 (too many imports are running; try again later)",
                  "progress");
  }
  entries_[id] = Entry{.user_id = user_id, .state = {}, .ended_at = 0};
  return Report(this, id);
}

std::optional<ImportState> ImportProgress::get(const std::string& id, int64_t user_id) const {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(id);
  if (it == entries_.end() || it->second.user_id != user_id) return std::nullopt;
  return it->second.state;
}

void ImportProgress::set(const std::string& id, double fraction) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(id);
  if (it != entries_.end()) it->second.state.fraction = std::clamp(fraction, 0.0, 1.0);
}

void ImportProgress::end(const std::string& id, bool committed) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(id);
  if (it == entries_.end()) return;
  it->second.state = {.running = false, .fraction = 1, .committed = committed};
  it->second.ended_at = clock_.nowMillis();
}

void ImportProgress::prune(int64_t now) {
  std::erase_if(entries_, [&](const auto& e) {
    return !e.second.state.running && now - e.second.ended_at > kKeepEndedMs;
  });
}

}  // namespace anju::api
