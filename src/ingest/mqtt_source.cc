#include "ingest/mqtt_source.h"

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <thread>

#include "common/log.h"

namespace anju::ingest {

class MqttSource::Impl {
 public:
  Impl(mqtt::SubscriberOptions options, Ingestor& ingestor, store::DeviceDirectory& devices,
       int workers)
      : ingestor_(ingestor),
        devices_(devices),
        pool_(static_cast<std::size_t>(workers)),
        subscriber_(std::move(options), [this](std::string topic, std::string payload,
                                               mqtt::Ack ack) {
          // The subscriber's thread must not wait for a commit: hand over.
          boost::asio::post(pool_, [this, topic = std::move(topic), payload = std::move(payload),
                                    ack = std::move(ack)] { ack(handle(topic, payload)); });
        }) {}

  ~Impl() { stop(); }

  void start() { subscriber_.start(); }
  void stop() {
    if (stopped_.exchange(true)) return;
    subscriber_.stop();
    pool_.join();
  }
  bool connected() const { return subscriber_.connected(); }

 private:
  // true: acknowledge (stored, or never storable); false: leave it with the broker.
  bool handle(const std::string& topic, const std::string& payload) {
    const std::string id = topic.substr(topic.rfind('/') + 1);
    auto device = devices_.find(id);
    if (!device) {
      if (device.status().code() != Code::kNotFound) return false;
      log::warn("mqtt.unknown_device", {{"topic", topic}});
      return true;
    }
    auto delay = std::chrono::milliseconds(50);
    for (;;) {
      auto result = ingestor_.ingest(payload, *device);
      if (result) {
        if (!result->rejected.empty()) {
          log::warn("mqtt.events_rejected", {{"device", id},
                                             {"rejected", std::to_string(result->rejected.size())},
                                             {"first", result->rejected.front().error}});
        }
        return true;
      }
      const Code code = result.status().code();
      if (code == Code::kInvalid || code == Code::kTooLarge) {
        log::warn("mqtt.message_rejected", {{"device", id}, {"error", result.status().message()}});
        return true;
      }
      // The store is behind, the disk is full or the store is away: wait here and try again,
      // which holds the ack back and, once enough messages wait, stops the subscriber reading, so
      // the broker keeps the rest and slows the devices down. Leaving the message unacknowledged
      // instead would not bring it back: the broker redelivers only after a reconnect, and its
      // in-flight window, once full of such messages, would stop the subscription for good.
      const bool passing =
          code == Code::kRateLimited || code == Code::kStorageFull || code == Code::kUnavailable;
      if (!passing || stopped_) return false;
      std::this_thread::sleep_for(delay);
      delay = std::min(delay * 2, std::chrono::milliseconds(1000));
    }
  }

  Ingestor& ingestor_;
  store::DeviceDirectory& devices_;
  std::atomic<bool> stopped_{false};
  boost::asio::thread_pool pool_;
  mqtt::Subscriber subscriber_;
};

MqttSource::MqttSource(mqtt::SubscriberOptions options, Ingestor& ingestor,
                       store::DeviceDirectory& devices, int workers)
    : impl_(std::make_unique<Impl>(std::move(options), ingestor, devices, workers)) {}

MqttSource::~MqttSource() = default;
void MqttSource::start() {
  impl_->start();
}
void MqttSource::stop() {
  impl_->stop();
}
bool MqttSource::connected() const {
  return impl_->connected();
}

}  // namespace anju::ingest
