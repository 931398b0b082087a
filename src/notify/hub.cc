#include "notify/hub.h"

#include <algorithm>
#include <limits>

#include "common/log.h"

namespace anju::notify {

std::string sseFrame(int64_t id, const std::string& type, const std::string& data) {
  // JSON text never holds a raw newline, so the data fits on one `data:` line.
  return "id: " + std::to_string(id) + "\nevent: " + type + "\ndata: " + data + "\n\n";
}

class Hub::Stream final : public http::StreamSource {
 public:
  Stream(Hub& hub, Subscriber who, std::size_t max_queued)
      : hub_(hub), who_(std::move(who)), max_queued_(max_queued) {}
  // Waits for a publish in progress (the hub's lock), which may still be pushing to this stream.
  ~Stream() override { hub_.forget(this); }

  void start(std::function<void()> wake) override {
    std::lock_guard lock(mutex_);
    wake_ = std::move(wake);
  }

  std::optional<std::string> take() override {
    std::lock_guard lock(mutex_);
    if (ended_ && queue_.empty()) return std::nullopt;
    std::string out;
    if (!greeted_) {
      out = "retry: 3000\n\n";  // how long a browser waits before reconnecting
      greeted_ = true;
    }
    for (auto& frame : queue_) out += frame;
    queue_.clear();
    return out;
  }

  bool covers(const std::string& region_path, const std::string& type) const {
    return who_.types.count(type) > 0 &&
           region_path.compare(0, who_.region_path.size(), who_.region_path) == 0;
  }

  // Called with the hub's lock held.
  void push(std::string frame, int64_t id) {
    std::function<void()> wake;
    {
      std::lock_guard lock(mutex_);
      if (ended_ || id <= last_sent_) return;
      last_sent_ = id;
      if (queue_.size() >= max_queued_) {
        ended_ = true;
        queue_.clear();
        log::warn("stream.subscriber_dropped", {{"reason", "queue full"}});
      } else {
        queue_.push_back(std::move(frame));
      }
      wake = wake_;
    }
    if (wake) wake();
  }

 private:
  Hub& hub_;
  const Subscriber who_;
  const std::size_t max_queued_;
  std::mutex mutex_;
  std::deque<std::string> queue_;  // GUARDED_BY(mutex_)
  std::function<void()> wake_;     // GUARDED_BY(mutex_)
  int64_t last_sent_ = 0;          // GUARDED_BY(mutex_)
  bool ended_ = false;             // GUARDED_BY(mutex_)
  bool greeted_ = false;           // GUARDED_BY(mutex_)
};

namespace {

constexpr const char* kChannel = "anju_notices";
// Held by the transaction that stores a notice, on every node: ids then commit in order.
constexpr int64_t kNoticeLock = 0x616e6a75'6e6f74;

}  // namespace

Hub::Hub(store::Database& db, const Clock& clock, HubOptions options)
    : db_(db), clock_(clock), options_(options) {
  Status st = db_.read([&](store::Connection& c) -> Status {
    auto last = c.query("SELECT COALESCE(MAX(id), 0) FROM notices");
    if (!last) return last.status();
    delivered_ = last->scalarInt().value_or(0);
    return {};
  });
  if (!st) log::warn("stream.start_unread", {{"error", st.message()}});
  auto others = [this] {
    std::lock_guard lock(mutex_);
    Status s = deliverStored(0);
    if (!s) log::warn("stream.others_unread", {{"error", s.message()}});
  };
  others_ = db_.listen(
      kChannel, [others](const std::string&) { others(); }, others);
}

void Hub::publish(Notice notice) {
  const std::string data =
      notice.data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::lock_guard lock(mutex_);
  int64_t id = 0;
  Status st = db_.write([&](store::Connection& c) -> Status {
    ANJU_RETURN_IF_ERROR(c.lockUntilCommit(kNoticeLock));
    auto row = c.query(
        "INSERT INTO notices (type, region_path, data, created_at) VALUES (?,?,?,?) RETURNING id",
        {notice.type, notice.region_path, data, clock_.nowMillis()});
    if (!row) return row.status();
    id = row->scalarInt().value_or(0);
    return c.notify(kChannel, std::to_string(id));
  });
  if (!st) {
    // The change itself is committed; only its push is lost, and the client's next page load
    // shows it.
    log::warn("stream.notice_not_stored", {{"type", notice.type}, {"error", st.message()}});
    return;
  }
  // Another node's notices committed before this one and not handed on yet go first.
  if (id > delivered_ + 1) {
    Status earlier = deliverStored(id);
    if (!earlier) log::warn("stream.others_unread", {{"error", earlier.message()}});
  }
  fanOut(id, notice.type, notice.region_path, data);
}

Status Hub::deliverStored(int64_t before) {
  for (;;) {
    store::Rows rows;
    Status st = db_.read([&](store::Connection& c) -> Status {
      auto r = c.query(
          "SELECT id, type, region_path, data FROM notices WHERE id > ? AND id < ? ORDER BY id "
          "LIMIT 500",
          {delivered_, before > 0 ? before : std::numeric_limits<int64_t>::max()});
      if (!r) return r.status();
      rows = std::move(*r);
      return {};
    });
    if (!st) return st;
    for (const auto& r : rows.rows) {
      fanOut(store::asInt(r[0]), store::asText(r[1]), store::asText(r[2]), store::asText(r[3]));
    }
    if (rows.size() < 500) return {};
  }
}

void Hub::fanOut(int64_t id, const std::string& type, const std::string& region_path,
                 const std::string& data) {
  delivered_ = std::max(delivered_, id);
  const std::string frame = sseFrame(id, type, data);
  for (Stream* s : streams_) {
    if (s->covers(region_path, type)) s->push(frame, id);
  }
}

Result<std::shared_ptr<http::StreamSource>> Hub::subscribe(Subscriber who,
                                                           std::optional<int64_t> last_id) {
  auto stream = std::make_shared<Stream>(*this, who, options_.max_queued);
  std::lock_guard lock(mutex_);
  if (last_id) {
    // Read under the hub's lock: nothing is published between this read and joining the list.
    store::Rows rows;
    Status st = db_.read([&](store::Connection& c) -> Status {
      auto r = c.query(
          "SELECT id, type, region_path, data FROM notices WHERE id > ? ORDER BY id LIMIT ?",
          {*last_id, int64_t{options_.max_backlog}});
      if (!r) return r.status();
      rows = std::move(*r);
      return {};
    });
    if (!st) return st;
    for (const auto& r : rows.rows) {
      const std::string type = store::asText(r[1]);
      if (stream->covers(store::asText(r[2]), type)) {
        stream->push(sseFrame(store::asInt(r[0]), type, store::asText(r[3])), store::asInt(r[0]));
      }
    }
  }
  streams_.push_back(stream.get());
  return std::shared_ptr<http::StreamSource>(std::move(stream));
}

std::size_t Hub::subscribers() const {
  std::lock_guard lock(mutex_);
  return streams_.size();
}

void Hub::forget(Stream* stream) {
  std::lock_guard lock(mutex_);
  streams_.erase(std::remove(streams_.begin(), streams_.end(), stream), streams_.end());
}

}  // namespace anju::notify
