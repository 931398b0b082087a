// Retention on a fake clock: old data goes, new data stays, a dry run removes nothing, the face
// index forgets what the store removed, and the audit chain still verifies afterwards.
#include "retention/retention.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstring>
#include <thread>

#include "faces/face_catalog.h"
#include "retention/retention_job.h"
#include "store/blob_store.h"
#include "temp_store.h"

namespace anju::retention {
namespace {

namespace fs = std::filesystem;
using test_support::TempStore;
using namespace std::chrono_literals;

constexpr int64_t kDay = 86'400'000;
// 2026-11-20T12:00:00Z: noon, so "N days ago" never falls on a day boundary.
constexpr int64_t kNow = 1'795'176'000'000;

std::string embeddingOf(float lead) {
  std::vector<float> v(128, 0.01f);
  v[0] = lead;
  v[1] = 1.0f - lead;
  std::string bytes(v.size() * sizeof(float), '\0');
  std::memcpy(bytes.data(), v.data(), bytes.size());
  return crypto::base64Encode(bytes);
}

class RetentionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::openSqlite(
        {.path = (registry_.dir() / "events.db").string(), .read_connections = 2});
    ASSERT_TRUE(opened);
    events_db_ = std::move(*opened);
    events_ = std::make_unique<store::EventStore>(*events_db_);
    ASSERT_TRUE(events_->initialize());
  }

  void add(std::vector<domain::Event> batch) {
    ASSERT_TRUE(events_->preparePartitions(batch));
    ASSERT_TRUE(events_db_->write([&](store::Connection& c) -> Status {
      auto stored = events_->insert(c, batch);
      return stored ? Status{} : stored.status();
    }));
  }

  domain::Event access(int64_t ts, const std::string& id) {
    return {.device_id = "door-1",
            .event_id = id,
            .kind = domain::EventKind::kAccess,
            .ts = ts,
            .received = ts,
            .estate_id = 1,
            .person_id = 7,
            .result = "granted",
            .direction = "in"};
  }
  domain::Event capture(int64_t ts, const std::string& id, float lead) {
    return {.device_id = "cam-1",
            .event_id = id,
            .kind = domain::EventKind::kFaceCapture,
            .ts = ts,
            .received = ts,
            .estate_id = 1,
            .embedding = embeddingOf(lead)};
  }

  Retention retention(RetentionPolicy policy, faces::FaceCatalog* faces = nullptr) {
    return Retention({.registry = registry_.db(),
                      .audit = audit_,
                      .events = events_.get(),
                      .blobs = &blobs_,
                      .faces = faces},
                     clock_, policy, {.batch = 3, .pause = 0ms});
  }

  // What is still kept, read through the store itself: the face captures, and person 7's access
  // events.
  int64_t capturesKept() {
    auto all = events_->eventsAfter(0, "face_capture", 1000);
    EXPECT_TRUE(all);
    return all ? static_cast<int64_t>(all->size()) : -1;
  }
  int64_t accessKept() {
    auto page = events_->trajectory({.person_id = 7, .from = 0, .to = kNow + kDay, .limit = 1000});
    EXPECT_TRUE(page);
    return page ? static_cast<int64_t>(page->items.size()) : -1;
  }

  void setModified(const std::string& hash, int64_t ms) {
    const fs::path path = registry_.dir() / "blobs" / hash.substr(0, 2) / hash;
    timespec at{.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1'000'000};
    const timespec times[2] = {at, at};
    ASSERT_EQ(::utimensat(AT_FDCWD, path.c_str(), times, 0), 0);
  }

  TempStore registry_;
  FakeClock clock_{TimePoint(std::chrono::milliseconds(kNow))};
  store::AuditLog audit_{registry_.db(), clock_, 480};
  store::BlobStore blobs_{(registry_.dir() / "blobs").string()};
  std::unique_ptr<store::Database> events_db_;
  std::unique_ptr<store::EventStore> events_;
};

TEST_F(RetentionTest, ADryRunReportsWhatWouldGoAndRemovesNothing) {
  add({access(kNow - 40 * kDay, "a1"), access(kNow - 35 * kDay, "a2"), access(kNow - kDay, "a3"),
       capture(kNow - 20 * kDay, "c1", 0.9f), capture(kNow - 2 * kDay, "c2", 0.8f)});
  auto r = retention({.captures_days = 7, .events_days = 30});
  auto plan = r.plan();
  ASSERT_TRUE(plan) << plan.status().message();
  EXPECT_EQ(plan->events.count, 2);
  EXPECT_EQ(plan->events.first_ms, kNow - 40 * kDay);
  EXPECT_EQ(plan->events.last_ms, kNow - 35 * kDay);
  EXPECT_EQ(plan->captures.count, 1);
  EXPECT_EQ(plan->captures.first_ms, kNow - 20 * kDay);
  EXPECT_EQ(plan->audit.days, 0);
  EXPECT_EQ(plan->audit.count, 0);

  EXPECT_EQ(accessKept(), 3);
  EXPECT_EQ(capturesKept(), 2);
  EXPECT_EQ(registry_.count("audit"), 0);
  auto json = planJson(*plan, 480);
  EXPECT_EQ(json["events"]["count"], 2);
  EXPECT_EQ(json["settings"]["captures"], 7);
  EXPECT_EQ(json["audit"]["days"], 0);
}

TEST_F(RetentionTest, OldEventsGoWholeDaysAndNewOnesStay) {
  add({access(kNow - 40 * kDay, "a1"), access(kNow - 31 * kDay, "a2"),
       access(kNow - 30 * kDay, "a3"), access(kNow - kDay, "a4"), access(kNow, "a5")});
  // More than a batch (3 here) on one old day: it is emptied over several transactions.
  for (int i = 0; i < 7; ++i)
    add({access(kNow - 40 * kDay + (i + 1) * 1000, "b" + std::to_string(i))});
  ASSERT_TRUE(events_->recordStatusChanges(
      {{.device_id = "door-1", .estate_id = 1, .ts = kNow - 40 * kDay, .online = false},
       {.device_id = "door-1", .estate_id = 1, .ts = kNow - kDay, .online = true}}));
  auto r = retention({.events_days = 30});
  auto report = r.run();
  ASSERT_TRUE(report) << report.status().message();
  EXPECT_EQ(report->events, 9);
  EXPECT_EQ(report->event_days, 2);
  EXPECT_EQ(report->derived, 1);
  // "Keep 30 days" keeps the whole day 30 days back.
  EXPECT_EQ(accessKept(), 3);
  EXPECT_EQ(events_->partitions().size(), 3u);
  auto changes = events_->statusChanges(0, std::nullopt, 10);
  ASSERT_TRUE(changes);
  ASSERT_EQ(changes->size(), 1u);
  EXPECT_TRUE((*changes)[0].online);
}

TEST_F(RetentionTest, ARunUsesThePeriodSetFromTheConsoleInsteadOfTheConfigurations) {
  add({access(kNow - 40 * kDay, "a1"), access(kNow - 20 * kDay, "a2"), access(kNow - kDay, "a3")});
  auto r = retention({.events_days = 30, .audit_days = 365});
  auto changed = r.change({{.kind = "events", .days = 10}},
                          {.user = "admin", .action = "update", .object = "retention"});
  ASSERT_TRUE(changed) << changed.status().message();
  EXPECT_EQ(changed->policy.events_days, 10);
  EXPECT_EQ(changed->source("events"), "settings");
  EXPECT_EQ(changed->source("audit"), "config");

  auto plan = r.plan();
  ASSERT_TRUE(plan) << plan.status().message();
  EXPECT_EQ(plan->events.days, 10);
  EXPECT_EQ(plan->events.count, 2);
  auto report = r.run();
  ASSERT_TRUE(report) << report.status().message();
  EXPECT_EQ(report->events, 2);
  EXPECT_EQ(accessKept(), 1);

  // Handed back, the configuration's 30 days hold again.
  auto back = r.change({{.kind = "events"}}, {.user = "admin", .action = "update"});
  ASSERT_TRUE(back) << back.status().message();
  EXPECT_EQ(back->policy.events_days, 30);
  EXPECT_EQ(back->source("events"), "config");
}

TEST_F(RetentionTest, APeriodOutOfBoundsIsRefusedAndNothingIsStored) {
  auto r = retention({.events_days = 30});
  auto refused = r.change({{.kind = "events", .days = 7}, {.kind = "audit", .days = 30}},
                          {.user = "admin", .action = "update"});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.status().field(), "audit");
  auto kept = r.effective();
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->policy.events_days, 30);
  EXPECT_TRUE(kept->stored.empty());
  EXPECT_EQ(registry_.count("audit"), 0);
}

TEST_F(RetentionTest, CapturesGoFromTheDaysKeptAndTheFaceIndexForgetsThem) {
  add({access(kNow - 20 * kDay, "a1"), capture(kNow - 20 * kDay, "c-old", 0.95f),
       capture(kNow - 19 * kDay, "c-old2", 0.9f), capture(kNow - 2 * kDay, "c-new", 0.85f)});
  faces::FaceCatalog catalog(events_.get(), {.lists = 2, .probes = 2});
  catalog.start();
  for (int i = 0; i < 500 && (catalog.status().rebuilding || catalog.status().indexed < 3); ++i)
    std::this_thread::sleep_for(10ms);
  ASSERT_EQ(catalog.status().indexed, 3u);

  auto r = retention({.captures_days = 7, .events_days = 30}, &catalog);
  auto report = r.run();
  ASSERT_TRUE(report) << report.status().message();
  EXPECT_EQ(report->captures, 2);
  EXPECT_EQ(report->events, 0);
  EXPECT_EQ(report->faces_forgotten, 2u);
  EXPECT_EQ(capturesKept(), 1);
  EXPECT_EQ(accessKept(), 1);

  faces::FaceQuery query;
  query.embedding = std::vector<float>(128, 0.01f);
  query.embedding[0] = 0.95f;
  query.embedding[1] = 0.05f;
  auto hits = catalog.search(query);
  ASSERT_TRUE(hits);
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ((*hits)[0].ts, kNow - 2 * kDay);

  // A second run finds nothing more and does not search the days already done.
  auto again = r.run();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->captures, 0);
  auto plan = r.plan();
  ASSERT_TRUE(plan);
  EXPECT_EQ(plan->captures.count, 0);
}

TEST_F(RetentionTest, TheAuditChainVerifiesAfterOldRecordsGo) {
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(audit_.record({.user = "u", .action = "read", .object = "persons"}));
    if (i == 6) clock_.advance(std::chrono::days(60));
  }
  auto r = retention({.audit_days = 30});
  auto plan = r.plan();
  ASSERT_TRUE(plan);
  EXPECT_EQ(plan->audit.count, 7);
  auto report = r.run();
  ASSERT_TRUE(report) << report.status().message();
  EXPECT_EQ(report->audit, 7);

  // Three kept, and the run's own record.
  EXPECT_EQ(registry_.count("audit"), 4);
  auto verified = audit_.verify();
  ASSERT_TRUE(verified);
  EXPECT_FALSE(verified->broken_at) << verified->problem;
  EXPECT_EQ(verified->checked, 4);
  EXPECT_EQ(verified->anchor_id, 7);
  auto last = registry_.query("SELECT detail FROM audit ORDER BY id DESC LIMIT 1");
  EXPECT_NE(store::asText(last.rows[0][0]).find("audit=7"), std::string::npos);

  // The chain still catches a changed record after the anchor.
  ASSERT_TRUE(registry_.execute("UPDATE audit SET user_name = 'x' WHERE id = 9"));
  verified = audit_.verify();
  ASSERT_TRUE(verified);
  EXPECT_EQ(verified->broken_at, 9);
}

TEST_F(RetentionTest, AnEmptiedAuditLogGoesOnFromItsAnchor) {
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(audit_.record({.user = "u", .action = "read"}));
  clock_.advance(std::chrono::days(40));
  ASSERT_TRUE(audit_.removeOlderThan(clock_.nowMillis(), 100));
  EXPECT_EQ(registry_.count("audit"), 0);
  ASSERT_TRUE(audit_.record({.user = "u", .action = "read"}));
  auto first = registry_.query("SELECT id FROM audit");
  EXPECT_EQ(store::asInt(first.rows[0][0]), 6);
  auto verified = audit_.verify();
  ASSERT_TRUE(verified);
  EXPECT_FALSE(verified->broken_at) << verified->problem;
  EXPECT_EQ(verified->checked, 1);
}

TEST_F(RetentionTest, OldSnapshotsGoButCaseAttachmentsAndNewOnesStay) {
  const std::string old_snapshot = *blobs_.put("old snapshot");
  const std::string attachment = *blobs_.put("a case's photo");
  const std::string fresh = *blobs_.put("new snapshot");
  setModified(old_snapshot, kNow - 40 * kDay);
  setModified(attachment, kNow - 40 * kDay);
  ASSERT_TRUE(registry_.execute(
      "INSERT INTO cases (id, region_path, channel, category, description, status, created_at, "
      "updated_at) VALUES (1, '/', 'portal', 'other', 'x', 'submitted', 0, 0)"));
  ASSERT_TRUE(registry_.execute(
      "INSERT INTO case_attachments (case_id, sha256, content_type, size, added_by, added_at) "
      "VALUES (1, ?, 'image/jpeg', 14, 'u', 0)",
      {attachment}));

  auto r = retention({.snapshots_days = 30});
  auto plan = r.plan();
  ASSERT_TRUE(plan);
  EXPECT_EQ(plan->snapshots.count, 1);
  EXPECT_EQ(plan->snapshots.bytes, 12u);
  EXPECT_TRUE(blobs_.get(old_snapshot));

  auto report = r.run();
  ASSERT_TRUE(report) << report.status().message();
  EXPECT_EQ(report->snapshots, 1);
  EXPECT_FALSE(blobs_.get(old_snapshot));
  EXPECT_TRUE(blobs_.get(attachment));
  EXPECT_TRUE(blobs_.get(fresh));
}

TEST_F(RetentionTest, StoringASnapshotAgainMakesItNew) {
  const std::string hash = *blobs_.put("seen again");
  setModified(hash, kNow - 40 * kDay);
  ASSERT_TRUE(blobs_.put("seen again"));
  auto r = retention({.snapshots_days = 30});
  auto report = r.run();
  ASSERT_TRUE(report);
  EXPECT_EQ(report->snapshots, 0);
  EXPECT_TRUE(blobs_.get(hash));
}

TEST_F(RetentionTest, ACancelledRunStopsBeforeRemovingAndSaysSoInTheAudit) {
  add({access(kNow - 40 * kDay, "a1"), access(kNow - kDay, "a2")});
  auto r = retention({.events_days = 30});
  r.cancel();
  auto report = r.run();
  ASSERT_FALSE(report);
  EXPECT_EQ(report.status().code(), Code::kUnavailable);
  EXPECT_EQ(accessKept(), 2);
  auto entry = registry_.query("SELECT detail FROM audit");
  ASSERT_EQ(entry.size(), 1u);
  EXPECT_NE(store::asText(entry.rows[0][0]).find("interrupted"), std::string::npos);
}

TEST_F(RetentionTest, TheJobRunsAfterItsFirstDelayAndStopsAtOnce) {
  auto r = retention({.audit_days = 30});
  const auto started = std::chrono::steady_clock::now();
  {
    RetentionJob job(
        r, [] { return true; }, 20ms, std::chrono::hours(24));
    for (int i = 0; i < 300 && registry_.count("audit") == 0; ++i)
      std::this_thread::sleep_for(10ms);
    EXPECT_EQ(registry_.count("audit"), 1);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
  auto entry = registry_.query("SELECT user_name, action FROM audit");
  EXPECT_EQ(store::asText(entry.rows[0][0]), "system:retention");
  EXPECT_EQ(store::asText(entry.rows[0][1]), "retention");
}

}  // namespace
}  // namespace anju::retention
