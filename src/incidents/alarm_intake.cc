#include "incidents/alarm_intake.h"

#include "common/log.h"

namespace anju::incidents {

void AlarmQueue::offer(const std::vector<store::StoredEvent>& stored) {
  uint64_t dropped = 0;
  bool added = false;
  {
    std::lock_guard lock(mutex_);
    for (const auto& s : stored) {
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

std::vector<store::StoredEvent> AlarmQueue::take(std::chrono::milliseconds wait) {
  std::unique_lock lock(mutex_);
  wake_.wait_for(lock, wait, [this] { return closed_ || !alarms_.empty(); });
  std::vector<store::StoredEvent> out(std::make_move_iterator(alarms_.begin()),
                                      std::make_move_iterator(alarms_.end()));
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

AlarmIntake::AlarmIntake(IncidentService& service, std::shared_ptr<AlarmQueue> queue)
    : service_(service), queue_(std::move(queue)), thread_([this] { run(); }) {}

AlarmIntake::~AlarmIntake() {
  stopping_ = true;
  queue_->close();
  thread_.join();
}

void AlarmIntake::run() {
  for (;;) {
    auto alarms = queue_->take(std::chrono::seconds(1));
    if (!alarms.empty()) {
      auto raised = service_.raiseFromAlarms(alarms);
      if (!raised)
        log::error("incidents.not_raised", {{"alarms", std::to_string(alarms.size())},
                                            {"error", raised.status().message()}});
    } else if (stopping_) {
      return;
    }
  }
}

}  // namespace anju::incidents
