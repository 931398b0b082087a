// Group commit for events: every caller's batch waits in one queue, and a single writer thread
// stores everything waiting in one transaction, then answers each caller. A batch is answered only
// after its transaction committed, so an acknowledged event survives a crash. The queue is bounded:
// when the store falls behind, append() answers kRateLimited at once instead of growing memory.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>

#include "domain/event.h"
#include "store/event_store.h"

namespace anju::ingest {

struct WriterOptions {
  std::size_t max_queued_events = 200000;  // waiting or being written; beyond: kRateLimited
  std::size_t max_commit_events = 50000;   // per transaction
};

// Told of the events each commit stored (not the duplicates), once the commit is durable, on the
// writer's thread and in commit order: the face index and the alert rules follow ingestion this
// way. It must only hand the events on (ingestion waits while it runs).
using CommitObserver = std::function<void(const std::vector<store::StoredEvent>& stored)>;

// Runs inside each commit's transaction with the keys (EventStore::eventKey) of the events of one
// kind it stores: how other nodes on the same database are told of them, in the same commit.
using CommitAnnouncer =
    std::function<Status(store::Connection& c, const std::vector<int64_t>& keys)>;

struct WriterStats {
  uint64_t commits = 0;
  uint64_t events = 0;  // offered to the store (stored or found duplicate)
  std::size_t queued = 0;
};

class EventWriter final : public domain::EventSink {
 public:
  EventWriter(store::EventStore& store, WriterOptions options);
  // Writes what is queued, then stops.
  ~EventWriter() override;
  EventWriter(const EventWriter&) = delete;
  EventWriter& operator=(const EventWriter&) = delete;

  Result<std::vector<bool>> append(std::vector<domain::Event> events) override;
  Status enqueue(std::vector<domain::Event> events) override;
  WriterStats stats() const;
  // Adds an observer; call before the first append.
  void observe(CommitObserver observer);
  // Sets the announcer of the stored events of `kind`; call before the first append.
  void announce(domain::EventKind kind, CommitAnnouncer announcer);

 private:
  struct Pending {
    std::vector<domain::Event> events;
    std::promise<Result<std::vector<bool>>> done;
  };
  void run();
  // Queues the events; the future answers once they are committed.
  Result<std::future<Result<std::vector<bool>>>> push(std::vector<domain::Event> events);

  store::EventStore& store_;
  WriterOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Pending> queue_;  // GUARDED_BY(mutex_)
  std::size_t queued_ = 0;     // GUARDED_BY(mutex_): events queued or in the open transaction
  WriterStats stats_;          // GUARDED_BY(mutex_)
  bool stopping_ = false;      // GUARDED_BY(mutex_)
  Status last_commit_;         // GUARDED_BY(mutex_): the failure of the last commit, if it failed
  std::vector<CommitObserver> observers_;                             // set before ingestion starts
  domain::EventKind announced_kind_ = domain::EventKind::kHeartbeat;  // likewise
  CommitAnnouncer announcer_;                                         // likewise
  std::thread thread_;
};

}  // namespace anju::ingest
