// Several nodes on one PostgreSQL database, each with connections of its own, as two servers would
// have them: a node hears of another's write only once it commits; notices published on either
// node reach the subscribers of both, in one order; and the days of events one node adds or drops
// are the other's too.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "common/crypto.h"
#include "notify/hub.h"
#include "store/event_store.h"
#include "store/migrations.h"
#include "support/postgres_server.h"

namespace anju {
namespace {

using test_support::PostgresServer;

// What another node does arrives on a thread of the listener's; a guard against a hung test.
template <typename Done>
bool eventually(Done done) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < give_up) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

class PostgresNodes : public ::testing::Test {
 protected:
  void SetUp() override {
    crypto::initialize();
    url_ = PostgresServer::shared().createDatabase();
    a_ = open();
    b_ = open();
    Status migrated = store::migrate(*a_, store::migrationsFor(*a_));
    ASSERT_TRUE(migrated) << migrated.message();
  }
  std::unique_ptr<store::Database> open() {
    auto db = store::openPostgres({.url = url_, .read_connections = 2});
    if (!db) throw std::runtime_error(db.status().message());
    return std::move(*db);
  }

  std::string url_;
  std::unique_ptr<store::Database> a_, b_;
  FakeClock clock_{TimePoint(std::chrono::sys_days(std::chrono::year{2026} / 12 / 2))};
};

TEST_F(PostgresNodes, AWriteIsHeardOfOnceItCommitsAndNeverWhenItRollsBack) {
  std::mutex mutex;
  std::vector<std::string> heard;
  bool listening = false;
  auto subscription = b_->listen(
      "anju_test",
      [&](const std::string& payload) {
        std::lock_guard lock(mutex);
        heard.push_back(payload);
      },
      [&] {
        std::lock_guard lock(mutex);
        listening = true;
      });
  ASSERT_NE(subscription, nullptr);
  ASSERT_TRUE(eventually([&] {
    std::lock_guard lock(mutex);
    return listening;
  }));
  Status failed = a_->write([](store::Connection& c) -> Status {
    ANJU_RETURN_IF_ERROR(c.notify("anju_test", "rolled back"));
    return Status::invalid("name", "refused after notifying");
  });
  EXPECT_FALSE(failed);
  ASSERT_TRUE(a_->write([](store::Connection& c) { return c.notify("anju_test", "committed"); }));
  ASSERT_TRUE(eventually([&] {
    std::lock_guard lock(mutex);
    return !heard.empty();
  }));
  std::lock_guard lock(mutex);
  EXPECT_EQ(heard, std::vector<std::string>{"committed"});
}

TEST_F(PostgresNodes, NoticesFromEitherNodeReachBothNodesSubscribersInOneOrder) {
  notify::Hub hub_a(*a_, clock_), hub_b(*b_, clock_);
  auto on_a = hub_a.subscribe({"/", {"alert"}}, std::nullopt);
  auto on_b = hub_b.subscribe({"/", {"alert"}}, std::nullopt);
  ASSERT_TRUE(on_a && on_b);
  (*on_a)->start([] {});
  (*on_b)->start([] {});
  auto alert = [](int n) { return notify::Notice{"alert", "/1/", {{"n", n}}}; };
  hub_a.publish(alert(1));
  hub_b.publish(alert(2));
  hub_a.publish(alert(3));
  for (auto* stream : {&*on_a, &*on_b}) {
    std::string got;
    ASSERT_TRUE(eventually([&] {
      auto more = (*stream)->take();
      if (more) got += *more;
      return got.find("id: 3\n") != std::string::npos;
    })) << got;
    EXPECT_LT(got.find("id: 1\n"), got.find("id: 2\n")) << got;
    EXPECT_LT(got.find("id: 2\n"), got.find("id: 3\n")) << got;
    EXPECT_EQ(got.find("id: 2\n"), got.rfind("id: 2\n")) << got;
    EXPECT_NE(got.find("\"n\":2"), std::string::npos) << got;
  }
}

TEST_F(PostgresNodes, ADayOfEventsAddedOrDroppedByOneNodeIsTheOthersToo) {
  store::EventStore events_a(*a_), events_b(*b_);
  ASSERT_TRUE(events_a.initialize());
  ASSERT_TRUE(events_b.initialize());
  domain::Event e{.device_id = "face-1",
                  .event_id = "c-1",
                  .kind = domain::EventKind::kFaceCapture,
                  .ts = clock_.nowMillis(),
                  .received = clock_.nowMillis(),
                  .estate_id = 1};
  ASSERT_TRUE(events_a.preparePartitions({e}));
  std::vector<int64_t> seqs;
  ASSERT_TRUE(a_->write([&](store::Connection& c) -> Status {
    auto stored = events_a.insert(c, {e}, &seqs);
    return stored ? Status() : stored.status();
  }));
  const int64_t key = store::EventStore::eventKey(e.ts, seqs.at(0));
  ASSERT_TRUE(eventually([&] {
    auto found = events_b.byKey(key);
    return found && found->has_value();
  }));

  store::CaptureBatch batch;
  do {
    auto next = events_a.removeDayBatch(store::EventStore::dayOf(e.ts), 100);
    ASSERT_TRUE(next) << next.status().message();
    batch = *next;
  } while (!batch.done);
  // Node B stops reading the dropped table rather than failing on it.
  EXPECT_TRUE(eventually([&] {
    auto found = events_b.byKey(key);
    return found && !found->has_value();
  }));
  EXPECT_TRUE(events_b.partitions().empty());
}

// Door terminals read credential changes from the last seq they were given: a change that
// committed after one with a larger seq would never reach them. So while one node's change is
// uncommitted, another node's waits for it.
TEST_F(PostgresNodes, CredentialChangesCommitInTheOrderOfTheirSequence) {
  auto addCard = [](store::Connection& c, const std::string& card) -> Status {
    auto person = c.query(
        "INSERT INTO persons (region_path, name, category, created_at, updated_at) VALUES ('/1/', "
        "?, 'registered', 0, 0) RETURNING id",
        {card});
    if (!person) return person.status();
    auto added = c.execute(
        "INSERT INTO credentials (region_path, person_id, type, value, created_at, updated_at) "
        "VALUES ('/1/', ?, 'card', ?, 0, 0)",
        {person->scalarInt().value_or(0), card});
    return added ? Status() : added.status();
  };
  auto observer = open();
  auto bWaitsForALock = [&] {
    int64_t waiting = 0;
    Status s = observer->read([&](store::Connection& c) -> Status {
      auto rows = c.query(
          "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND "
          "database = (SELECT oid FROM pg_database WHERE datname = current_database())");
      if (!rows) return rows.status();
      waiting = rows->scalarInt().value_or(0);
      return {};
    });
    return s && waiting > 0;
  };

  std::atomic<bool> b_committed = false;
  bool b_committed_first = false;
  std::thread b;
  Status a = a_->write([&](store::Connection& c) -> Status {
    ANJU_RETURN_IF_ERROR(addCard(c, "card-a"));
    b = std::thread([&] {
      Status added = b_->write([&](store::Connection& cb) { return addCard(cb, "card-b"); });
      EXPECT_TRUE(added) << added.message();
      b_committed = true;
    });
    // Node A's change stays open until node B's has either committed or is waiting for it.
    EXPECT_TRUE(eventually([&] { return b_committed.load() || bWaitsForALock(); }));
    b_committed_first = b_committed;
    return {};
  });
  b.join();
  ASSERT_TRUE(a) << a.message();
  EXPECT_FALSE(b_committed_first) << "node B's change committed while node A's was open";

  std::vector<std::string> order;
  ASSERT_TRUE(observer->read([&](store::Connection& c) -> Status {
    auto rows = c.query("SELECT value FROM credential_changes ORDER BY seq");
    if (!rows) return rows.status();
    for (const auto& r : rows->rows) order.push_back(store::asText(r[0]));
    return {};
  }));
  EXPECT_EQ(order, (std::vector<std::string>{"card-a", "card-b"}));
}

// Nodes started at once on a new database: one applies each migration, the others find it done.
TEST(PostgresMigrations, NodesStartingTogetherMigrateANewDatabaseOnce) {
  crypto::initialize();
  const std::string url = PostgresServer::shared().createDatabase();
  std::vector<std::unique_ptr<store::Database>> nodes;
  for (int i = 0; i < 3; ++i) {
    auto db = store::openPostgres({.url = url, .read_connections = 1});
    ASSERT_TRUE(db) << db.status().message();
    nodes.push_back(std::move(*db));
  }
  std::vector<Status> results(nodes.size());
  std::vector<std::thread> starts;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    starts.emplace_back(
        [&, i] { results[i] = store::migrate(*nodes[i], store::migrationsFor(*nodes[i])); });
  }
  for (auto& t : starts) t.join();
  for (const auto& r : results) EXPECT_TRUE(r) << r.message();

  const auto& migrations = store::migrationsFor(*nodes[0]);
  auto version = store::schemaVersion(*nodes[0]);
  ASSERT_TRUE(version) << version.status().message();
  EXPECT_EQ(*version, migrations.back().version);
  int64_t applied = 0;
  ASSERT_TRUE(nodes[0]->read([&](store::Connection& c) -> Status {
    auto rows = c.query("SELECT COUNT(*) FROM schema_migrations");
    if (!rows) return rows.status();
    applied = rows->scalarInt().value_or(0);
    return {};
  }));
  EXPECT_EQ(applied, static_cast<int64_t>(migrations.size()));
}

}  // namespace
}  // namespace anju
