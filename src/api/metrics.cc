#include "api/metrics.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "api/router.h"

namespace anju::api {

namespace {

// The shortest text that reads back as the same double ("0.1", not "0.10000000000000001").
std::string number(double v) {
  if (std::isinf(v)) return "+Inf";
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, end);
}

// Label values escape backslash, quote and newline.
std::string escaped(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\' || c == '"') out += '\\';
    out += c == '\n' ? 'n' : c;
  }
  return out;
}

std::string withLabel(const std::string& labels, const std::string& extra) {
  return labels.empty() ? extra : labels + "," + extra;
}

const std::vector<double> kLatencyBounds = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                            0.25,  0.5,    1,     2.5,  5,     10};
const std::vector<double> kCommitBounds = {1,   2,   5,    10,   20,   50,    100,
                                           200, 500, 1000, 2000, 5000, 10000, 50000};

}  // namespace

void sample(std::string& out, const std::string& name, const std::string& labels, double value) {
  out += name;
  if (!labels.empty()) out += "{" + labels + "}";
  out += " " + number(value) + "\n";
}

void family(std::string& out, const std::string& name, const std::string& type,
            const std::string& help) {
  out += "# HELP " + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
}

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)),
      buckets_(std::make_unique<std::atomic<uint64_t>[]>(bounds_.size() + 1)) {}

void Histogram::observe(double value) {
  std::size_t i = 0;
  while (i < bounds_.size() && value > bounds_[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  sum_micros_.fetch_add(static_cast<uint64_t>(std::llround(std::max(0.0, value) * 1e6)),
                        std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
}

void Histogram::render(std::string& out, const std::string& name, const std::string& labels) const {
  uint64_t cumulative = 0;
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    cumulative += buckets_[i].load(std::memory_order_relaxed);
    const double le = i < bounds_.size() ? bounds_[i] : INFINITY;
    sample(out, name + "_bucket", withLabel(labels, "le=\"" + number(le) + "\""),
           static_cast<double>(cumulative));
  }
  sample(out, name + "_sum", labels,
         static_cast<double>(sum_micros_.load(std::memory_order_relaxed)) / 1e6);
  // The buckets were read one by one while requests went on: the count is their total, so the
  // +Inf bucket and _count always agree.
  sample(out, name + "_count", labels, static_cast<double>(cumulative));
}

Metrics::RouteCounters::RouteCounters(std::string l)
    : label(std::move(l)), seconds(kLatencyBounds) {}

Metrics::Metrics(const Router& router) {
  for (const auto& r : router.routes())
    routes_.push_back(
        std::make_unique<RouteCounters>("route=\"" + escaped(r.method + " " + r.pattern) + "\""));
  routes_.push_back(std::make_unique<RouteCounters>("route=\"unmatched\""));
}

void Metrics::request(std::size_t route, int status, std::chrono::steady_clock::duration took) {
  auto& r = *routes_[std::min(route, routes_.size() - 1)];
  const int cls = std::clamp(status / 100, 1, 5);
  r.by_class[cls - 1].fetch_add(1, std::memory_order_relaxed);
  r.seconds.observe(std::chrono::duration<double>(took).count());
}

void Metrics::render(std::string& out) const {
  family(out, "anju_http_requests_total", "counter",
         "HTTP requests answered, by route pattern and status class");
  for (const auto& r : routes_) {
    for (int cls = 1; cls <= 5; ++cls) {
      uint64_t n = r->by_class[cls - 1].load(std::memory_order_relaxed);
      if (n == 0) continue;
      sample(out, "anju_http_requests_total",
             r->label + ",status=\"" + std::to_string(cls) + "xx\"", static_cast<double>(n));
    }
  }
  family(out, "anju_http_request_duration_seconds", "histogram",
         "Time from routing a request to its answer, by route pattern");
  for (const auto& r : routes_) {
    if (r->seconds.count() == 0) continue;
    r->seconds.render(out, "anju_http_request_duration_seconds", r->label);
  }
}

CommitMetrics::CommitMetrics() : sizes_(kCommitBounds) {}

void CommitMetrics::commit(std::size_t stored, std::size_t alertable) {
  stored_.fetch_add(stored, std::memory_order_relaxed);
  alertable_.fetch_add(alertable, std::memory_order_relaxed);
  sizes_.observe(static_cast<double>(stored));
}

void CommitMetrics::render(std::string& out) const {
  family(out, "anju_events_stored_total", "counter",
         "Device events stored (accepted, not duplicates), all sources");
  sample(out, "anju_events_stored_total", "",
         static_cast<double>(stored_.load(std::memory_order_relaxed)));
  family(out, "anju_event_commit_events", "histogram", "Events stored per group commit");
  sizes_.render(out, "anju_event_commit_events", "");
}

}  // namespace anju::api
