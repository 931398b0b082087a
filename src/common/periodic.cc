#include "common/periodic.h"

namespace anju {

Periodic::Periodic(std::chrono::milliseconds interval, std::function<void()> tick)
    : Periodic(interval, interval, std::move(tick)) {}

Periodic::Periodic(std::chrono::milliseconds first, std::chrono::milliseconds interval,
                   std::function<void()> tick)
    : first_(first), interval_(interval), tick_(std::move(tick)) {
  thread_ = std::thread([this] { run(); });
}

Periodic::~Periodic() {
  stop();
}

void Periodic::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Periodic::run() {
  std::unique_lock lock(mutex_);
  for (auto wait = first_;; wait = interval_) {
    if (wake_.wait_for(lock, wait, [this] { return stopping_; })) return;
    lock.unlock();
    tick_();
    lock.lock();
  }
}

}  // namespace anju
