#include "sim/simulator.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <thread>
#include <unordered_map>
#include <vector>

#include "http/client.h"

namespace anju::sim {

namespace {

using SteadyClock = std::chrono::steady_clock;
using nlohmann::json;

constexpr int kConnectionAttempts = 3;
constexpr auto kMaxRetryAfter = std::chrono::seconds(30);

struct Batch {
  std::size_t device = SIZE_MAX;  // index into World::devices when signed
  std::string body;               // NDJSON, one event a line
  uint64_t events = 0;
};

// Batches from the producer to the senders. Bounded, so that a slow server slows the producer
// instead of filling memory.
class BatchQueue {
 public:
  explicit BatchQueue(std::size_t capacity) : capacity_(capacity) {}

  void push(Batch batch) {
    std::unique_lock lock(mutex_);
    not_full_.wait(lock, [&] { return queue_.size() < capacity_ || dropped_; });
    if (dropped_) return;
    queue_.push_back(std::move(batch));
    not_empty_.notify_one();
  }
  std::optional<Batch> pop() {
    std::unique_lock lock(mutex_);
    not_empty_.wait(lock, [&] { return !queue_.empty() || closed_; });
    if (queue_.empty()) return std::nullopt;
    Batch b = std::move(queue_.front());
    queue_.pop_front();
    not_full_.notify_one();
    return b;
  }
  // No more batches will come; senders finish what is queued.
  void close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    not_empty_.notify_all();
  }
  // Stop now: what is queued is dropped and a blocked producer returns.
  void drop() {
    std::lock_guard lock(mutex_);
    dropped_ = closed_ = true;
    queue_.clear();
    not_full_.notify_all();
    not_empty_.notify_all();
  }

 private:
  std::size_t capacity_;
  std::mutex mutex_;
  std::condition_variable not_full_, not_empty_;
  std::deque<Batch> queue_;
  bool closed_ = false;
  bool dropped_ = false;
};

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  auto k = static_cast<std::size_t>(std::floor(p * static_cast<double>(values.size() - 1)));
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(k), values.end());
  return values[k];
}

std::chrono::milliseconds retryAfter(const http::ClientResponse& response) {
  std::string value = response.header("retry-after");
  int seconds = 1;
  auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec != std::errc() || seconds < 0) seconds = 1;
  return std::min<std::chrono::milliseconds>(std::chrono::seconds(seconds), kMaxRetryAfter);
}

// Sleeps in short steps so that a stop request is noticed.
void sleepUnlessStopped(std::chrono::milliseconds duration, const std::atomic<bool>& stop) {
  auto until = SteadyClock::now() + duration;
  while (!stop.load() && SteadyClock::now() < until) {
    std::this_thread::sleep_for(
        std::min<SteadyClock::duration>(std::chrono::milliseconds(50), until - SteadyClock::now()));
  }
}

}  // namespace

std::string SimulateReport::toJson() const {
  json j = {{"sent", sent},
            {"accepted", accepted},
            {"duplicates", duplicates},
            {"rejected", rejected},
            {"http_errors", http_errors},
            {"retries", retries},
            {"elapsed_s", std::round(elapsed_s * 1000) / 1000},
            {"events_per_s", std::round(events_per_s * 10) / 10},
            {"p50_ms", std::round(p50_ms * 100) / 100},
            {"p99_ms", std::round(p99_ms * 100) / 100}};
  return j.dump();
}

std::string SimulateReport::toText() const {
  std::ostringstream out;
  out.setf(std::ios::fixed);
  out.precision(1);
  out << "sent " << sent << ", accepted " << accepted << ", duplicates " << duplicates
      << ", rejected " << rejected << ", HTTP errors " << http_errors << ", retries " << retries
      << ", " << events_per_s << " events/s, latency p50 " << p50_ms << " ms, p99 " << p99_ms
      << " ms";
  return out.str();
}

class Simulator::Impl {
 public:
  Impl(World world, SimulateOptions options)
      : world_(std::move(world)), options_(std::move(options)) {
    options_.batch = std::max(options_.batch, 1);
    options_.connections = std::max(options_.connections, 1);
  }

  Result<SimulateReport> run(const std::atomic<bool>& stop,
                             const std::function<void(const SimulateReport&)>& progress,
                             std::chrono::milliseconds progress_every) {
    auto target = parseTarget(options_.target);
    if (!target) return target.status();
    if (options_.rate <= 0) return Status::invalid("rate", "rate must be positive");
    if (world_.devices.empty()) return Status::invalid("world", "no devices to simulate");
    bool all_signed = std::all_of(world_.devices.begin(), world_.devices.end(),
                                  [](const SimDevice& d) { return !d.secret.empty(); });
    if (!all_signed && options_.token.empty()) {
      return Status::invalid("token", "devices without a secret need an admin token");
    }

    started_ = SteadyClock::now();
    BatchQueue queue(static_cast<std::size_t>(options_.connections) * 4);
    std::vector<std::thread> senders;
    for (int i = 0; i < options_.connections; ++i) {
      senders.emplace_back([&, host = target->host, port = target->port] {
        http::Client client(host, port);
        while (auto batch = queue.pop()) send(client, *batch, stop);
      });
    }
    std::atomic<bool> produced{false};
    std::thread producer([&] {
      produce(queue, stop);
      if (stop.load()) {
        queue.drop();
      } else {
        queue.close();
      }
      produced = true;
    });

    auto next_progress = SteadyClock::now() + progress_every;
    while (!produced.load()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      if (stop.load()) queue.drop();
      if (progress && SteadyClock::now() >= next_progress) {
        progress(report());
        next_progress += progress_every;
      }
    }
    producer.join();
    for (auto& t : senders) t.join();
    return report();
  }

 private:
  void produce(BatchQueue& queue, const std::atomic<bool>& stop) {
    EventGenerator generator(world_, {.seed = options_.seed,
                                      .utc_offset_minutes = options_.utc_offset_minutes,
                                      .run_start_ms = options_.start_ms});
    struct Pending {
      Batch batch;
      SteadyClock::time_point first;
    };
    // Signed: one pending batch per device. Token: one for all, under the key SIZE_MAX.
    std::unordered_map<std::size_t, Pending> pending;
    auto flush = [&](std::unordered_map<std::size_t, Pending>::iterator it) {
      queue.push(std::move(it->second.batch));
      pending.erase(it);
    };
    const double ms_per_event = 1000.0 / options_.rate;
    const auto duration = std::chrono::duration<double>(options_.duration_s);
    uint64_t made = 0;
    auto last_sweep = SteadyClock::now();
    while (!stop.load()) {
      auto now = SteadyClock::now();
      std::chrono::duration<double> elapsed = now - started_;
      if (options_.duration_s > 0 && elapsed >= duration) break;
      auto due = static_cast<uint64_t>(elapsed.count() * options_.rate) + 1;
      while (made < due && !stop.load()) {
        // Simulated time follows the schedule, not the wall clock, so a seed gives the same
        // timestamps however fast the server answers.
        auto sim_ms = options_.start_ms +
                      static_cast<int64_t>(
                          std::llround(static_cast<double>(made) * ms_per_event * options_.speed));
        GeneratedEvent event = generator.next(sim_ms);
        ++made;
        const SimDevice& device = world_.devices[event.device];
        std::size_t key = device.secret.empty() ? SIZE_MAX : event.device;
        auto [it, fresh] = pending.try_emplace(key);
        if (fresh) {
          it->second.first = now;
          it->second.batch.device = key;
        }
        it->second.batch.body += event.json;
        it->second.batch.body += '\n';
        if (++it->second.batch.events >= static_cast<uint64_t>(options_.batch)) flush(it);
      }
      if (now - last_sweep >= std::chrono::milliseconds(50)) {
        last_sweep = now;
        for (auto it = pending.begin(); it != pending.end();) {
          auto current = it++;
          if (now - current->second.first >= options_.max_batch_delay) flush(current);
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    if (stop.load()) return;
    while (!pending.empty()) flush(pending.begin());
  }

  void send(http::Client& client, Batch& batch, const std::atomic<bool>& stop) {
    std::vector<std::pair<std::string, std::string>> headers;
    if (batch.device == SIZE_MAX) {
      headers.emplace_back("Authorization", "Bearer " + options_.token);
    } else {
      const SimDevice& device = world_.devices[batch.device];
      headers.emplace_back("X-Anju-Device", device.id);
      headers.emplace_back("X-Anju-Signature", signBody(device.secret, batch.body));
    }
    int failures = 0;
    while (!stop.load()) {
      auto begin = SteadyClock::now();
      auto response =
          client.request("POST", "/api/v1/events", batch.body, headers, "application/x-ndjson");
      double ms = std::chrono::duration<double, std::milli>(SteadyClock::now() - begin).count();
      if (!response) {
        ++http_errors_;
        if (++failures >= kConnectionAttempts) return;
        sleepUnlessStopped(std::chrono::milliseconds(200 * failures), stop);
        continue;
      }
      if (response->status == 429 || response->status == 503 || response->status == 507) {
        ++retries_;
        sleepUnlessStopped(retryAfter(*response), stop);
        continue;
      }
      {
        std::lock_guard lock(latency_mutex_);
        latencies_.push_back(ms);
      }
      sent_ += batch.events;
      if (response->status != 200) {
        ++http_errors_;
        return;
      }
      auto answer = json::parse(response->body, nullptr, false);
      if (!answer.is_object()) {
        ++http_errors_;
        return;
      }
      accepted_ += answer.value("accepted", uint64_t{0});
      duplicates_ += answer.value("duplicates", uint64_t{0});
      if (answer.contains("rejected") && answer["rejected"].is_array()) {
        rejected_ += answer["rejected"].size();
      }
      return;
    }
  }

  SimulateReport report() {
    SimulateReport r;
    r.sent = sent_;
    r.accepted = accepted_;
    r.duplicates = duplicates_;
    r.rejected = rejected_;
    r.http_errors = http_errors_;
    r.retries = retries_;
    r.elapsed_s = std::chrono::duration<double>(SteadyClock::now() - started_).count();
    r.events_per_s = r.elapsed_s > 0 ? static_cast<double>(r.sent) / r.elapsed_s : 0;
    std::vector<double> latencies;
    {
      std::lock_guard lock(latency_mutex_);
      latencies = latencies_;
    }
    r.p50_ms = percentile(latencies, 0.50);
    r.p99_ms = percentile(latencies, 0.99);
    return r;
  }

  World world_;
  SimulateOptions options_;
  SteadyClock::time_point started_;
  std::atomic<uint64_t> sent_{0}, accepted_{0}, duplicates_{0}, rejected_{0}, http_errors_{0},
      retries_{0};
  std::mutex latency_mutex_;
  std::vector<double> latencies_;
};

Simulator::Simulator(World world, SimulateOptions options)
    : impl_(std::make_unique<Impl>(std::move(world), std::move(options))) {}
Simulator::~Simulator() = default;

Result<SimulateReport> Simulator::run(const std::atomic<bool>& stop,
                                      const std::function<void(const SimulateReport&)>& progress,
                                      std::chrono::milliseconds progress_every) {
  return impl_->run(stop, progress, progress_every);
}

}  // namespace anju::sim
