// A device that publishes a steady stream of events at QoS 1 the way a careful device firmware
// does: each event is published again until the broker acknowledges it (PUBACK), across broker
// restarts, so every event the device counts as delivered is one the broker has taken over.
#pragma once

#include <mosquitto.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <thread>

namespace anju::test_support {

class MqttDevice {
 public:
  // `payload(n)` is the n-th event's message and `event_id(n)` its id; `pause` between events
  // paces the device like a real one (a broker's queue for an absent subscriber is bounded).
  MqttDevice(uint16_t port, std::string topic, std::function<std::string(int)> event_id,
             std::function<std::string(int)> payload,
             std::chrono::milliseconds pause = std::chrono::milliseconds(2))
      : topic_(std::move(topic)),
        event_id_(std::move(event_id)),
        payload_(std::move(payload)),
        pause_(pause) {
    static std::once_flag init;
    std::call_once(init, [] { mosquitto_lib_init(); });
    mosq_ = mosquitto_new(nullptr, true, this);
    mosquitto_publish_callback_set(mosq_, [](mosquitto*, void* self, int mid) {
      auto* d = static_cast<MqttDevice*>(self);
      std::lock_guard lock(d->mutex_);
      d->pubacked_.insert(mid);
      d->cv_.notify_all();
    });
    // libmosquitto's network thread reconnects by itself after the broker comes back.
    mosquitto_reconnect_delay_set(mosq_, 1, 2, false);
    connected_ = mosquitto_connect(mosq_, "127.0.0.1", port, 10) == MOSQ_ERR_SUCCESS &&
                 mosquitto_loop_start(mosq_) == MOSQ_ERR_SUCCESS;
  }
  ~MqttDevice() {
    stop();
    mosquitto_disconnect(mosq_);
    mosquitto_loop_stop(mosq_, true);
    mosquitto_destroy(mosq_);
  }
  MqttDevice(const MqttDevice&) = delete;
  MqttDevice& operator=(const MqttDevice&) = delete;

  bool connected() const { return connected_; }

  // Sends events 0, 1, 2, … one after another until stop().
  void start() {
    thread_ = std::thread([this] {
      for (int n = 0; !stopping_; ++n) {
        while (!stopping_ && !publishOnce(n)) ++attempts_;
        if (stopping_) return;
        {
          std::lock_guard lock(mutex_);
          acknowledged_.insert(event_id_(n));
        }
        std::this_thread::sleep_for(pause_);
      }
    });
  }
  // Ends after the event in flight is acknowledged or given up; one given up is not counted.
  void stop() {
    stopping_ = true;
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

  // Event ids the broker acknowledged.
  std::set<std::string> acknowledged() const {
    std::lock_guard lock(mutex_);
    return acknowledged_;
  }
  std::size_t acknowledgedCount() const {
    std::lock_guard lock(mutex_);
    return acknowledged_.size();
  }
  // Publishes that went unacknowledged and were sent again.
  int retries() const { return attempts_; }

 private:
  // One PUBLISH of event n; true once the broker has acknowledged it.
  bool publishOnce(int n) {
    const std::string message = payload_(n);
    int mid = 0;
    if (mosquitto_publish(mosq_, &mid, topic_.c_str(), static_cast<int>(message.size()),
                          message.data(), 1, false) != MOSQ_ERR_SUCCESS &&
        mid == 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      return false;
    }
    // While the broker is away the answer does not come; the message is then published again
    // (a duplicate the store must keep once).
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, std::chrono::seconds(2), [&] {
      return stopping_ || pubacked_.count(mid) > 0;
    }) && pubacked_.count(mid) > 0;
  }

  std::string topic_;
  std::function<std::string(int)> event_id_;
  std::function<std::string(int)> payload_;
  std::chrono::milliseconds pause_;
  mosquitto* mosq_ = nullptr;
  bool connected_ = false;
  std::atomic<bool> stopping_{false};
  std::atomic<int> attempts_{0};
  std::thread thread_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::set<int> pubacked_;
  std::set<std::string> acknowledged_;
};

}  // namespace anju::test_support
