// A small governance world for tests of mediation records and case statistics: a district (2)
// with two streets (3 and 4), an estate in each (10 in street 3, 11 in street 4), users holding
// the roles that meet cases, and the API answering in-process. Cases are inserted as rows, as the
// case loop would have left them.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "api/api.h"
#include "common/clock.h"
#include "temp_events.h"
#include "temp_store.h"

namespace anju::test_support {

struct CaseRow {
  int64_t id = 0;
  std::string region_path = "/1/2/3/";
  std::optional<int64_t> estate_id;
  std::string category = "neighbour";
  std::string status = "submitted";
  std::optional<std::string> level;
  std::optional<std::string> route;
  int64_t created_at = 0;
  std::optional<int64_t> accepted_at;
  std::optional<int64_t> resolved_at;
  std::optional<int64_t> resolved_on_time;
  std::optional<int64_t> rating;
  std::optional<int64_t> merged_into;
};

struct Answer {
  int status = 0;
  nlohmann::json body;
};

class CaseWorld {
 public:
  CaseWorld() {
    for (const char* sql :
         {"INSERT INTO regions (id, region_path, path, name, level, parent_id, created_at, "
          "updated_at) VALUES (1, '/', '/1/', '秦皇岛市', 'city', NULL, 0, 0), "
          "(2, '/1/', '/1/2/', '海港区', 'district', 1, 0, 0), "
          "(3, '/1/2/', '/1/2/3/', '白塔岭街道', 'street', 2, 0, 0), "
          "(4, '/1/2/', '/1/2/4/', '东港路街道', 'street', 2, 0, 0)",
          "INSERT INTO estates (id, region_path, name, region_id, created_at, updated_at) "
          "VALUES (10, '/1/2/3/', '海景小区', 3, 0, 0), (11, '/1/2/4/', '港城小区', 4, 0, 0)"}) {
      Status s = store.execute(sql);
      if (!s) throw std::runtime_error(s.message());
    }
  }

  // A signed-in user's token, valid for a month so that tests may move the clock by days.
  std::string token(const std::string& username, const std::string& role,
                    std::optional<int64_t> region_id) {
    auto created = users.create({.username = username,
                                 .password = "correct-horse",
                                 .roles = {role},
                                 .region_id = region_id});
    EXPECT_TRUE(created) << created.status().message();
    auto session = users.login(username, "correct-horse", std::chrono::days(30));
    EXPECT_TRUE(session) << session.status().message();
    return session ? session->token : std::string();
  }

  void addCase(const CaseRow& c) {
    auto opt = [](const auto& v) { return v ? store::Value(*v) : store::Value{}; };
    Status s = store.execute(
        "INSERT INTO cases (id, region_path, estate_id, channel, category, description, status, "
        "level, route, merged_into, accepted_at, resolved_at, resolved_on_time, rating, "
        "created_at, updated_at) VALUES (?, ?, ?, 'hotline', ?, '说事', ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?)",
        {c.id, c.region_path, opt(c.estate_id), c.category, c.status, opt(c.level), opt(c.route),
         opt(c.merged_into), opt(c.accepted_at), opt(c.resolved_at), opt(c.resolved_on_time),
         opt(c.rating), c.created_at, c.created_at});
    ASSERT_TRUE(s) << s.message();
  }

  // `target` may carry a query string of plain (unencoded) parameters.
  Answer call(const std::string& method, const std::string& target, const std::string& token,
              const nlohmann::json& body = nullptr) {
    http::Request r;
    r.method = method;
    r.target = target;
    r.remote_address = "127.0.0.1";
    const std::size_t q = target.find('?');
    r.path = target.substr(0, q);
    if (q != std::string::npos) {
      std::string rest = target.substr(q + 1);
      while (!rest.empty()) {
        const std::size_t amp = rest.find('&');
        const std::string pair = rest.substr(0, amp);
        const std::size_t eq = pair.find('=');
        r.query.emplace(pair.substr(0, eq), eq == std::string::npos ? "" : pair.substr(eq + 1));
        rest = amp == std::string::npos ? "" : rest.substr(amp + 1);
      }
    }
    r.headers["authorization"] = "Bearer " + token;
    if (!body.is_null()) r.body = body.dump();
    http::Response response = api.handle(r);
    return {response.status, nlohmann::json::parse(response.body, nullptr, false)};
  }

  // Milliseconds since the epoch of a China time such as "2026-11-02T10:00:00".
  static int64_t at(const std::string& local) {
    return parseTimestamp(local + "+08:00", 480).value();
  }

  TempStore store;
  FakeClock clock{TimePoint(std::chrono::sys_days(std::chrono::year{2026} / 12 / 20))};
  store::RecordStore records{store.db(), clock, 480};
  store::UserStore users{store.db(), clock};
  store::AuditLog audit{store.db(), clock, 480};
  TempEvents events{store, clock};
  api::Api api{api::Services{.db = store.db(),
                             .records = records,
                             .users = users,
                             .audit = audit,
                             .clock = clock,
                             .options = {},
                             .devices = &events.devices,
                             .events = events.writer.get(),
                             .ingestor = events.ingestor.get(),
                             .event_store = events.store.get(),
                             .blobs = &events.blobs,
                             .health = &events.health}};
};

}  // namespace anju::test_support
