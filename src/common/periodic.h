// A background job that runs at a fixed interval until it is stopped: device health sweeps, case
// supervision, retention. Stopping wakes the thread at once instead of waiting out the interval.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace anju {

class Periodic {
 public:
  Periodic(std::chrono::milliseconds interval, std::function<void()> tick);
  // The first tick after `first`, then every `interval`.
  Periodic(std::chrono::milliseconds first, std::chrono::milliseconds interval,
           std::function<void()> tick);
  ~Periodic();
  Periodic(const Periodic&) = delete;
  Periodic& operator=(const Periodic&) = delete;

  // Waits for a running tick to finish; no tick starts afterwards. Safe to call twice.
  void stop();

 private:
  void run();

  std::chrono::milliseconds first_;
  std::chrono::milliseconds interval_;
  std::function<void()> tick_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // GUARDED_BY(mutex_)
  std::thread thread_;
};

}  // namespace anju
