// Alarms on their way from ingestion to incidents. The event writer tells the queue what each
// commit stored, on its own thread while ingestion waits, so the queue only keeps the alarms and
// returns; the intake's thread turns them into incidents. The queue is bounded: alarms are rare
// beside access events, and a flood (a sensor gone mad) must not grow memory without end.
//
// An alarm is acknowledged to its device once stored, before it becomes an incident. So that a
// crash in between loses no fire or SOS alarm, the intake records how far it has got (the greatest
// event key offered, in the transaction that raised the incidents, or once a second when no alarm
// came), and at start-up raises the alarms stored after that point.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "incidents/incident_service.h"
#include "store/event_store.h"

namespace anju::incidents {

class AlarmQueue {
 public:
  explicit AlarmQueue(std::size_t capacity = 10000) : capacity_(capacity) {}

  // Keeps the alarm events among `stored`; never blocks. Beyond the capacity alarms are dropped
  // and counted (and logged), as is everything offered after close().
  void offer(const std::vector<store::StoredEvent>& stored);
  struct Taken {
    std::vector<store::StoredEvent> alarms;
    int64_t through = 0;  // the greatest event key offered so far: every alarm up to it is taken
  };
  // Waits up to `wait` for alarms and takes them all; none when none came or the queue is closed.
  Taken take(std::chrono::milliseconds wait);
  // Wakes a waiting take() and refuses further alarms.
  void close();
  uint64_t dropped() const { return dropped_.load(); }

 private:
  const std::size_t capacity_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<store::StoredEvent> alarms_;  // GUARDED_BY(mutex_)
  int64_t through_ = 0;                    // GUARDED_BY(mutex_)
  bool closed_ = false;                    // GUARDED_BY(mutex_)
  std::atomic<uint64_t> dropped_{0};
};

// Takes alarms from the queue and raises incidents from them until destroyed. The queue is
// shared: the event writer's observer holds it too and may outlive the intake.
class AlarmIntake {
 public:
  // With `events`, first raises the alarms stored after the recorded position (constructed
  // before ingestion starts, so that none of them is also on its way through the queue).
  AlarmIntake(IncidentService& service, std::shared_ptr<AlarmQueue> queue,
              store::EventStore* events = nullptr);
  // Raises what is already queued, then stops.
  ~AlarmIntake();
  AlarmIntake(const AlarmIntake&) = delete;
  AlarmIntake& operator=(const AlarmIntake&) = delete;

 private:
  void catchUp(store::EventStore& events);
  void run();

  IncidentService& service_;
  std::shared_ptr<AlarmQueue> queue_;
  std::atomic<bool> stopping_{false};
  // Set when raising failed: the position then stays where it was, so a restart tries again.
  bool failed_ = false;
  std::thread thread_;
};

}  // namespace anju::incidents
