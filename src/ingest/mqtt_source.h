// Events over MQTT: devices publish to anju/events/{device_id} at QoS 1 and the broker holds each
// message until Anju acknowledges it, which happens only once the events are stored. The topic
// names the device; the broker's own authentication decides who may publish on it.
#pragma once

#include <atomic>
#include <memory>

#include "ingest/ingestor.h"
#include "mqtt/subscriber.h"
#include "store/device_directory.h"

namespace anju::ingest {

class MqttSource {
 public:
  MqttSource(mqtt::SubscriberOptions options, Ingestor& ingestor, store::DeviceDirectory& devices,
             int workers = 4);
  ~MqttSource();
  MqttSource(const MqttSource&) = delete;
  MqttSource& operator=(const MqttSource&) = delete;

  void start();
  void stop();
  bool connected() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace anju::ingest
