// `anju simulate`: generated device events POSTed to a server's /api/v1/events as NDJSON, paced
// to a rate, over several keep-alive connections.
//
// Authorisation: a device whose secret is known signs its own batches (X-Anju-Device,
// X-Anju-Signature), so such a batch holds one device's events; otherwise the admin token
// (Authorization: Bearer) carries batches that mix devices. A 429 (or 503, or 507 for a full
// disk) is honoured: the sender waits Retry-After seconds and sends the same batch again.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/status.h"
#include "sim/generator.h"
#include "sim/world.h"

namespace anju::sim {

struct SimulateOptions {
  std::string target;      // http://host:port
  std::string token;       // for devices without a secret; may be empty if all have secrets
  double rate = 100;       // events per real second, overall
  double duration_s = 10;  // real seconds; 0 runs until `stop` is set
  uint64_t seed = 1;
  int64_t start_ms = 0;  // simulated time of the first event, ms since the epoch
  double speed = 1;      // simulated seconds per real second
  int batch = 100;       // events per request at most
  int connections = 2;   // parallel senders
  int utc_offset_minutes = 480;
  // A device's partial batch goes out once its first event has waited this long.
  std::chrono::milliseconds max_batch_delay{1000};
};

struct SimulateReport {
  uint64_t sent = 0;  // events in batches that got an answer
  uint64_t accepted = 0, duplicates = 0, rejected = 0;
  uint64_t http_errors = 0;  // answers other than 200 and 429/503/507, and connection failures
  uint64_t retries = 0;      // batches sent again after 429/503/507
  double elapsed_s = 0;
  double events_per_s = 0;  // sent / elapsed
  double p50_ms = 0, p99_ms = 0;
  // One line of JSON: {"sent":..,"accepted":..,...}.
  std::string toJson() const;
  // One line for people.
  std::string toText() const;
};

class Simulator {
 public:
  Simulator(World world, SimulateOptions options);
  ~Simulator();
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  // Runs until the duration has passed or `stop` turns true; `progress` is called every
  // `progress_every` from the calling thread with the counts so far. Fails at once when some
  // device has no secret and there is no token, or the target is not a URL.
  Result<SimulateReport> run(const std::atomic<bool>& stop,
                             const std::function<void(const SimulateReport&)>& progress = {},
                             std::chrono::milliseconds progress_every = std::chrono::seconds(5));

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace anju::sim
