// The Prometheus exposition of request counters and histograms, counted from many threads at once.
#include "api/metrics.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "api/router.h"

namespace anju::api {
namespace {

TEST(Histogram, BucketsAreCumulativeAndInfinityIsTheCount) {
  Histogram h({0.1, 1});
  h.observe(0.05);
  h.observe(0.5);
  h.observe(0.5);
  h.observe(7);
  std::string out;
  h.render(out, "x", "");
  EXPECT_NE(out.find("x_bucket{le=\"0.1\"} 1\n"), std::string::npos) << out;
  EXPECT_NE(out.find("x_bucket{le=\"1\"} 3\n"), std::string::npos) << out;
  EXPECT_NE(out.find("x_bucket{le=\"+Inf\"} 4\n"), std::string::npos) << out;
  EXPECT_NE(out.find("x_sum 8.05\n"), std::string::npos) << out;
  EXPECT_NE(out.find("x_count 4\n"), std::string::npos) << out;
}

TEST(Metrics, CountsByRoutePatternAndStatusClassFromManyThreads) {
  Router router;
  router.add({.method = "GET", .pattern = "/api/v1/persons/{id}", .handler = {}});
  Metrics metrics(router);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) {
        metrics.request(0, i % 10 == 0 ? 404 : 200, std::chrono::milliseconds(2));
        metrics.request(metrics.unmatched(), 404, std::chrono::microseconds(50));
      }
    });
  }
  for (auto& t : threads) t.join();
  std::string out;
  metrics.render(out);
  EXPECT_NE(out.find("anju_http_requests_total{route=\"GET /api/v1/persons/{id}\",status=\"2xx\"} "
                     "3600\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("anju_http_requests_total{route=\"GET /api/v1/persons/{id}\",status=\"4xx\"} "
                     "400\n"),
            std::string::npos);
  EXPECT_NE(out.find("anju_http_requests_total{route=\"unmatched\",status=\"4xx\"} 4000\n"),
            std::string::npos);
  EXPECT_NE(out.find("anju_http_request_duration_seconds_bucket{route=\"GET "
                     "/api/v1/persons/{id}\",le=\"0.0025\"} 4000\n"),
            std::string::npos)
      << out;
  EXPECT_EQ(out.find("status=\"5xx\""), std::string::npos);
}

}  // namespace
}  // namespace anju::api
