// Counters for GET /metrics (Prometheus text format 0.0.4): requests by route pattern and status
// class with a latency histogram, and events stored per commit. Every counter is a relaxed atomic
// sized once when the routes are known, so counting takes no lock on the request or commit path;
// the gauges (queues, index size, devices online) are read only when scraped.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace anju::api {

class Router;

// A cumulative histogram with fixed upper bounds.
class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds);
  void observe(double value);
  // The series `name`_bucket, _sum and _count, each with `labels` ("" or `route="..."`).
  void render(std::string& out, const std::string& name, const std::string& labels) const;
  uint64_t count() const { return count_.load(std::memory_order_relaxed); }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // one a bound, then +Inf
  std::atomic<uint64_t> count_{0};
  std::atomic<uint64_t> sum_micros_{0};  // the sum, in millionths, to stay an integer atomic
};

class Metrics {
 public:
  // One set of counters a route of `router` (registered by now), and one for paths no route has.
  explicit Metrics(const Router& router);
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // `route` is the index in router.routes(), or routes().size() for an unknown path.
  void request(std::size_t route, int status, std::chrono::steady_clock::duration took);
  std::size_t unmatched() const { return routes_.size() - 1; }

  // The request series, in the exposition format.
  void render(std::string& out) const;

 private:
  struct RouteCounters {
    std::string label;                                // `route="GET /api/v1/persons/{id}"`
    std::array<std::atomic<uint64_t>, 5> by_class{};  // 1xx .. 5xx
    Histogram seconds;
    explicit RouteCounters(std::string l);
  };
  std::vector<std::unique_ptr<RouteCounters>> routes_;
};

// The event writer's commits: events stored in each, counted by an observer of the writer.
class CommitMetrics {
 public:
  CommitMetrics();
  // `alertable`: how many of them the alert engine is handed (all but heartbeats).
  void commit(std::size_t stored, std::size_t alertable);
  // Events handed to the alert engine so far; less what it has checked and skipped, its queue.
  uint64_t alertable() const { return alertable_.load(std::memory_order_relaxed); }
  void render(std::string& out) const;

 private:
  Histogram sizes_;
  std::atomic<uint64_t> stored_{0};
  std::atomic<uint64_t> alertable_{0};
};

// Appends one sample line: `name{labels} value`.
void sample(std::string& out, const std::string& name, const std::string& labels, double value);
// Appends the # HELP and # TYPE lines of a family.
void family(std::string& out, const std::string& name, const std::string& type,
            const std::string& help);

}  // namespace anju::api
