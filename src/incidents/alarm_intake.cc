#include "incidents/alarm_intake.h"

#include <algorithm>

#include "common/log.h"

namespace anju::incidents {

void AlarmQueue::offer(const std::vector<store::StoredEvent>& stored) {
  uint64_t dropped = 0;
  bool added = false;
  {
    std::lock_guard lock(mutex_);
    for (const auto& s : stored) {
      if (s.seq > 0) through_ = std::max(through_, store::EventStore::eventKey(s.event.ts, s.seq));
      if (s.event.kind != domain::EventKind::kAlarm) continue;
      if (closed_ || alarms_.size() >= capacity_) {
        ++dropped;
        continue;
      }
      alarms_.push_back(s);
      added = true;
    }
  }
  if (added) wake_.notify_one();
  if (dropped == 0) return;
  dropped_ += dropped;
  log::error("incidents.alarms_dropped",
             {{"count", std::to_string(dropped)}, {"capacity", std::to_string(capacity_)}});
}

AlarmQueue::Taken AlarmQueue::take(std::chrono::milliseconds wait) {
  std::unique_lock lock(mutex_);
  wake_.wait_for(lock, wait, [this] { return closed_ || !alarms_.empty(); });
  Taken out{{std::make_move_iterator(alarms_.begin()), std::make_move_iterator(alarms_.end())},
            through_};
  alarms_.clear();
  return out;
}

void AlarmQueue::close() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  wake_.notify_all();
}

AlarmIntake::AlarmIntake(IncidentService& service, std::shared_ptr<AlarmQueue> queue,
                         store::EventStore* events)
    : service_(service), queue_(std::move(queue)) {
  if (events) catchUp(*events);
  thread_ = std::thread([this] { run(); });
}

void AlarmIntake::catchUp(store::EventStore& events) {
  constexpr int kPage = 1000;
  auto position = service_.intakePosition();
  auto last = events.lastKey();
  if (!position || !last) {
    log::error("incidents.catch_up_failed",
               {{"error", (!position ? position.status() : last.status()).message()}});
    failed_ = true;
    return;
  }
  // A store that never had an intake: its past alarms are history, not incidents to raise now.
  int64_t after = position->value_or(*last);
  std::size_t raised = 0;
  for (;;) {
    auto alarms = events.eventsAfter(after, "alarm", kPage);
    if (!alarms) {
      log::error("incidents.catch_up_failed", {{"error", alarms.status().message()}});
      failed_ = true;
      return;
    }
    if (alarms->empty()) break;
    after = store::EventStore::eventKey(alarms->back().event.ts, alarms->back().seq);
    auto done = service_.raiseFromAlarms(*alarms, after);
    if (!done) {
      log::error("incidents.catch_up_failed", {{"error", done.status().message()}});
      failed_ = true;
      return;
    }
    raised += alarms->size();
  }
  if (raised > 0) log::warn("incidents.caught_up", {{"alarms", std::to_string(raised)}});
  if (Status s = service_.setIntakePosition(*last); !s)
    log::error("incidents.position_not_kept", {{"error", s.message()}});
}

AlarmIntake::~AlarmIntake() {
  stopping_ = true;
  queue_->close();
  thread_.join();
}

void AlarmIntake::run() {
  int64_t recorded = 0;
  for (;;) {
    auto taken = queue_->take(std::chrono::seconds(1));
    const std::optional<int64_t> through =
        failed_ ? std::nullopt : std::optional<int64_t>(taken.through);
    if (!taken.alarms.empty()) {
      auto raised = service_.raiseFromAlarms(taken.alarms, through);
      if (!raised) {
        failed_ = true;
        log::error("incidents.not_raised", {{"alarms", std::to_string(taken.alarms.size())},
                                            {"error", raised.status().message()}});
      } else if (through) {
        recorded = *through;
      }
    } else if (stopping_) {
      return;
    } else if (through && *through > recorded) {
      // Without alarms the position still moves on, so a restart reads only the last second.
      if (service_.setIntakePosition(*through)) recorded = *through;
    }
  }
}

}  // namespace anju::incidents
