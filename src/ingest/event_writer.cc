#include "ingest/event_writer.h"

#include <vector>

namespace anju::ingest {

EventWriter::EventWriter(store::EventStore& store, WriterOptions options)
    : store_(store), options_(options) {
  thread_ = std::thread([this] { run(); });
}

EventWriter::~EventWriter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

Result<std::future<Result<std::vector<bool>>>> EventWriter::push(
    std::vector<domain::Event> events) {
  Pending p;
  auto result = p.done.get_future();
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return Status{Code::kUnavailable, "服务正在停止 (the server is stopping)"};
    // A batch larger than the whole queue is still taken when the queue is empty.
    if (queued_ > 0 && queued_ + events.size() > options_.max_queued_events) {
      return Status{Code::kRateLimited,
                    "事件写入繁忙，请稍后重发 (the event store is behind: resend this batch "
                    "shortly)"};
    }
    queued_ += events.size();
    p.events = std::move(events);
    queue_.push_back(std::move(p));
  }
  wake_.notify_one();
  return result;
}

Result<std::vector<bool>> EventWriter::append(std::vector<domain::Event> events) {
  if (events.empty()) return std::vector<bool>{};
  auto pushed = push(std::move(events));
  if (!pushed) return pushed.status();
  return pushed->get();
}

Status EventWriter::enqueue(std::vector<domain::Event> events) {
  if (events.empty()) return {};
  {
    std::lock_guard lock(mutex_);
    if (!last_commit_) return last_commit_;
  }
  auto pushed = push(std::move(events));
  return pushed ? Status{} : pushed.status();
}

WriterStats EventWriter::stats() const {
  std::lock_guard lock(mutex_);
  WriterStats s = stats_;
  s.queued = queued_;
  return s;
}

void EventWriter::observe(CommitObserver observer) {
  observers_.push_back(std::move(observer));
}

void EventWriter::announce(domain::EventKind kind, CommitAnnouncer announcer) {
  announced_kind_ = kind;
  announcer_ = std::move(announcer);
}

void EventWriter::run() {
  for (;;) {
    std::vector<Pending> batch;
    std::size_t count = 0;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left to write
      while (!queue_.empty() && (batch.empty() || count + queue_.front().events.size() <=
                                                      options_.max_commit_events)) {
        count += queue_.front().events.size();
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    std::vector<domain::Event> all;
    all.reserve(count);
    for (const auto& p : batch) all.insert(all.end(), p.events.begin(), p.events.end());
    std::vector<std::vector<bool>> flags(batch.size());
    std::vector<std::vector<int64_t>> seqs(batch.size());
    Status st = store_.preparePartitions(all);
    if (st) {
      st = store_.database().write([&](store::Connection& c) -> Status {
        const bool keyed = !observers_.empty() || announcer_;
        std::vector<int64_t> announced;
        for (std::size_t i = 0; i < batch.size(); ++i) {
          auto stored = store_.insert(c, batch[i].events, keyed ? &seqs[i] : nullptr);
          if (!stored) return stored.status();
          flags[i] = std::move(*stored);
          for (std::size_t j = 0; announcer_ && j < flags[i].size(); ++j) {
            const auto& e = batch[i].events[j];
            if (flags[i][j] && e.kind == announced_kind_)
              announced.push_back(store::EventStore::eventKey(e.ts, seqs[i][j]));
          }
        }
        return announced.empty() ? Status() : announcer_(c, announced);
      });
    }
    {
      std::lock_guard lock(mutex_);
      queued_ -= count;
      last_commit_ = st;
      if (st) {
        stats_.commits += 1;
        stats_.events += count;
      }
    }
    if (st && !observers_.empty()) {
      std::vector<store::StoredEvent> stored;
      for (std::size_t i = 0; i < batch.size(); ++i) {
        for (std::size_t j = 0; j < flags[i].size(); ++j) {
          if (flags[i][j]) stored.push_back({seqs[i][j], std::move(batch[i].events[j])});
        }
      }
      for (const auto& observer : observers_) observer(stored);
    }
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (st) {
        batch[i].done.set_value(std::move(flags[i]));
      } else {
        batch[i].done.set_value(st);
      }
    }
  }
}

}  // namespace anju::ingest
