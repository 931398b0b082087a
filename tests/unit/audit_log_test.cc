#include "store/audit_log.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "temp_store.h"

namespace anju::store {
namespace {

using nlohmann::json;
using test_support::TempStore;

constexpr const char* kGenesis = "0000000000000000000000000000000000000000000000000000000000000000";

class AuditLogTest : public ::testing::Test {
 protected:
  // Writes `n` records by one user about persons, one minute apart.
  void recordMany(int n) {
    for (int i = 1; i <= n; ++i) {
      Status s = audit_.record({.user = "police01",
                                .action = "read",
                                .object = "persons",
                                .object_id = std::to_string(i),
                                .purpose = "走访核查",
                                .address = "10.0.0.8",
                                .detail = ""});
      ASSERT_TRUE(s) << s.message();
      clock_.advance(std::chrono::minutes(1));
    }
  }

  AuditVerification verify() {
    auto report = audit_.verify();
    EXPECT_TRUE(report) << report.status().message();
    return report ? *report : AuditVerification{};
  }

  std::vector<std::string> ids(const AuditPage& page) {
    std::vector<std::string> out;
    for (const auto& item : page.items) out.push_back(std::to_string(item["id"].get<int64_t>()));
    return out;
  }

  TempStore store_;
  FakeClock clock_{TimePoint(std::chrono::sys_days(std::chrono::year{2025} / 6 / 1))};
  AuditLog audit_{store_.db(), clock_, 480};
};

TEST_F(AuditLogTest, EachRecordCarriesTheHashOfTheOneBeforeIt) {
  recordMany(3);

  Rows rows = store_.query(
      "SELECT id, ts, user_name, action, object, object_id, purpose, address, detail, prev_hash, "
      "hash FROM audit ORDER BY id");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(asText(rows.rows[0][9]), kGenesis);
  std::string prev = kGenesis;
  std::set<std::string> hashes;
  for (const auto& row : rows.rows) {
    EXPECT_EQ(asText(row[9]), prev);
    EXPECT_EQ(asText(row[10]), AuditLog::chainHash(prev, row));
    prev = asText(row[10]);
    hashes.insert(prev);
  }
  EXPECT_EQ(hashes.size(), 3u);
}

TEST_F(AuditLogTest, VerifyPassesOnAnEmptyLog) {
  AuditVerification report = verify();

  EXPECT_EQ(report.checked, 0);
  EXPECT_FALSE(report.broken_at);
}

TEST_F(AuditLogTest, VerifyPassesOnAnUntouchedLog) {
  recordMany(5);

  AuditVerification report = verify();

  EXPECT_EQ(report.checked, 5);
  EXPECT_FALSE(report.broken_at) << report.problem;
}

TEST_F(AuditLogTest, VerifyFindsAnyColumnChangedInAMiddleRecord) {
  const std::vector<std::pair<std::string, Value>> edits = {
      {"ts", int64_t{0}},         {"user_name", "someone_else"}, {"action", "list"},
      {"object", "vehicles"},     {"object_id", "99"},           {"purpose", "私人用途"},
      {"address", "203.0.113.9"}, {"detail", "rows=1"}};
  for (const auto& [column, value] : edits) {
    SCOPED_TRACE(column);
    TempStore store;
    AuditLog audit(store.db(), clock_, 480);
    for (int i = 0; i < 5; ++i) {
      ASSERT_TRUE(audit.record({.user = "police01",
                                .action = "read",
                                .object = "persons",
                                .object_id = std::to_string(i),
                                .purpose = "走访核查"}));
    }
    ASSERT_TRUE(store.execute("UPDATE audit SET " + column + " = ? WHERE id = 3", {value}));

    auto report = audit.verify();

    ASSERT_TRUE(report) << report.status().message();
    EXPECT_EQ(report->broken_at, 3) << report->problem;
    EXPECT_EQ(report->checked, 2);
  }
}

TEST_F(AuditLogTest, VerifyFindsADeletedMiddleRecord) {
  recordMany(5);
  ASSERT_TRUE(store_.execute("DELETE FROM audit WHERE id = 3"));

  AuditVerification report = verify();

  EXPECT_EQ(report.broken_at, 3) << report.problem;
  EXPECT_NE(report.problem.find("missing"), std::string::npos) << report.problem;
}

// Someone who knows the hash function can rewrite a record and its own hash, but not the next
// record's link to it without rewriting the whole rest of the chain.
TEST_F(AuditLogTest, VerifyFindsARecordRewrittenWithARecomputedHash) {
  recordMany(5);
  Rows rows = store_.query(
      "SELECT id, ts, user_name, action, object, object_id, purpose, address, detail, prev_hash "
      "FROM audit WHERE id = 3");
  ASSERT_EQ(rows.size(), 1u);
  std::vector<Value> forged = rows.rows[0];
  forged[6] = std::string("私人用途");
  std::string forged_hash = AuditLog::chainHash(asText(forged[9]), forged);
  ASSERT_TRUE(store_.execute("UPDATE audit SET purpose = ?, hash = ? WHERE id = 3",
                             {forged[6], forged_hash}));

  AuditVerification report = verify();

  EXPECT_EQ(report.broken_at, 4) << report.problem;
}

TEST_F(AuditLogTest, ARecordInAFailedTransactionLeavesNoTraceAndTheChainContinues) {
  recordMany(2);

  Status s = store_.db().write([&](Connection& c) -> Status {
    ANJU_RETURN_IF_ERROR(
        audit_.recordIn(c, {.user = "police01", .action = "export", .object = "persons"}));
    return Status::conflict("the export it describes failed");
  });
  ASSERT_FALSE(s);
  recordMany(1);

  EXPECT_EQ(store_.count("audit"), 3);
  AuditVerification report = verify();
  EXPECT_EQ(report.checked, 3);
  EXPECT_FALSE(report.broken_at) << report.problem;
}

class AuditQueryTest : public AuditLogTest {
 protected:
  // 08:00 alice reads a person, 08:01 bob reads a vehicle, 08:02 alice searches faces, 08:03 bob
  // exports persons (China Standard Time, 2025-06-01).
  void SetUp() override {
    const std::vector<AuditEntry> entries = {
        {.user = "alice", .action = "read", .object = "persons", .object_id = "7"},
        {.user = "bob", .action = "read", .object = "vehicles", .object_id = "3"},
        {.user = "alice", .action = "search", .object = "faces", .purpose = "寻找走失老人"},
        {.user = "bob",
         .action = "export",
         .object = "persons",
         .purpose = "年度核查",
         .detail = "rows=120"}};
    for (const auto& entry : entries) {
      ASSERT_TRUE(audit_.record(entry));
      clock_.advance(std::chrono::minutes(1));
    }
  }

  int64_t at(int hour, int minute) {
    return *parseTimestamp("2025-06-01T" + two(hour) + ":" + two(minute) + ":00+08:00", 480);
  }
  static std::string two(int n) { return (n < 10 ? "0" : "") + std::to_string(n); }

  AuditPage query(AuditQuery q) {
    auto page = audit_.query(q);
    EXPECT_TRUE(page) << page.status().message();
    return page ? *page : AuditPage{};
  }
};

TEST_F(AuditQueryTest, ListsNewestFirstWithWhoWhatAndWhy) {
  AuditPage page = query({});

  EXPECT_EQ(ids(page), (std::vector<std::string>{"4", "3", "2", "1"}));
  EXPECT_FALSE(page.next);
  const json& newest = page.items[0];
  EXPECT_EQ(newest["ts"], "2025-06-01T08:03:00.000+08:00");
  EXPECT_EQ(newest["user"], "bob");
  EXPECT_EQ(newest["action"], "export");
  EXPECT_EQ(newest["object"], "persons");
  EXPECT_EQ(newest["purpose"], "年度核查");
  EXPECT_EQ(newest["detail"], "rows=120");
  EXPECT_FALSE(page.items[3].contains("purpose")) << "an empty purpose is left out";
}

TEST_F(AuditQueryTest, FiltersByUser) {
  EXPECT_EQ(ids(query({.user = "alice"})), (std::vector<std::string>{"3", "1"}));
  EXPECT_TRUE(query({.user = "carol"}).items.empty());
}

TEST_F(AuditQueryTest, FiltersByObject) {
  EXPECT_EQ(ids(query({.object = "persons"})), (std::vector<std::string>{"4", "1"}));
  EXPECT_EQ(ids(query({.user = "bob", .object = "persons"})), (std::vector<std::string>{"4"}));
}

TEST_F(AuditQueryTest, FiltersByATimeWindowThatIncludesFromAndExcludesTo) {
  AuditPage window = query({.from_ms = at(8, 1), .to_ms = at(8, 3)});

  EXPECT_EQ(ids(window), (std::vector<std::string>{"3", "2"}));
  EXPECT_EQ(ids(query({.from_ms = at(8, 2)})), (std::vector<std::string>{"4", "3"}));
  EXPECT_EQ(ids(query({.to_ms = at(8, 1)})), (std::vector<std::string>{"1"}));
}

TEST_F(AuditQueryTest, PagesNewestFirstVisitingEachRecordOnce) {
  AuditQuery q{.limit = 3};
  AuditPage first = query(q);
  ASSERT_TRUE(first.next);
  q.cursor = *first.next;
  AuditPage second = query(q);

  EXPECT_EQ(ids(first), (std::vector<std::string>{"4", "3", "2"}));
  EXPECT_EQ(ids(second), (std::vector<std::string>{"1"}));
  EXPECT_FALSE(second.next);
}

TEST_F(AuditQueryTest, PagingKeepsTheFilters) {
  AuditQuery q{.user = "alice", .limit = 1};
  AuditPage first = query(q);
  ASSERT_TRUE(first.next);
  q.cursor = *first.next;
  AuditPage second = query(q);

  EXPECT_EQ(ids(first), (std::vector<std::string>{"3"}));
  EXPECT_EQ(ids(second), (std::vector<std::string>{"1"}));
  EXPECT_FALSE(second.next);
}

TEST_F(AuditQueryTest, ALimitOutsideOneToAThousandOrAForeignCursorIsInvalid) {
  EXPECT_EQ(audit_.query({.limit = 0}).status().field(), "limit");
  EXPECT_EQ(audit_.query({.limit = 1001}).status().field(), "limit");
  EXPECT_EQ(audit_.query({.cursor = "latest"}).status().field(), "cursor");
}

}  // namespace
}  // namespace anju::store

namespace anju::store {
namespace {

// Readers on many worker threads audit at once and share commits; none may be lost or break
// the chain.
TEST(AuditLogConcurrency, RecordsFromManyThreadsAllLandInOneUnbrokenChain) {
  test_support::TempStore store;
  SystemClock clock;
  AuditLog audit(store.db(), clock, 480);
  constexpr int kThreads = 8;
  constexpr int kEach = 50;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        Status s = audit.record({.user = "worker" + std::to_string(t),
                                 .action = "read",
                                 .object = "persons",
                                 .object_id = std::to_string(i)});
        if (!s) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  auto report = audit.verify();
  ASSERT_TRUE(report) << report.status().message();
  EXPECT_FALSE(report->broken_at.has_value()) << report->problem;
  EXPECT_EQ(report->checked, kThreads * kEach);
  for (int t = 0; t < kThreads; ++t) {
    auto page = audit.query({.user = "worker" + std::to_string(t), .limit = 1000});
    ASSERT_TRUE(page);
    EXPECT_EQ(page->items.size(), static_cast<std::size_t>(kEach));
  }
}

TEST(AuditLogConcurrency, TwoNodesRecordingAtOnceKeepOneUnbrokenChain) {
  test_support::TempStore store;
  auto other = store.openAnother();
  SystemClock clock;
  AuditLog node_a(store.db(), clock, 480), node_b(*other, clock, 480);
  constexpr int kEach = 100;
  std::atomic<int> failures{0};
  auto read = [&](AuditLog& audit, const std::string& user) {
    for (int i = 0; i < kEach; ++i) {
      if (!audit.record({.user = user, .action = "read", .object = "persons"})) ++failures;
    }
  };
  std::thread a([&] { read(node_a, "officer_a"); }), b([&] { read(node_b, "officer_b"); });
  a.join();
  b.join();
  EXPECT_EQ(failures.load(), 0);
  auto report = node_a.verify();
  ASSERT_TRUE(report) << report.status().message();
  EXPECT_FALSE(report->broken_at.has_value()) << report->problem;
  EXPECT_EQ(report->checked, 2 * kEach);
}

}  // namespace
}  // namespace anju::store
