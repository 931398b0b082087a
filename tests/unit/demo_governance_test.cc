// The demo's governance seed on a small generated district in a real store: the same seed gives
// the same cases and records, the cases reach every part of the loop (closed and rated, late,
// escalated, merged, mediated, still open), the statistics a county reviews have something to
// show, and police incidents leave some estates without crime in a month (零发案).
#include <gtest/gtest.h>

#include <memory>

#include "demo/generator.h"
#include "demo/governance.h"
#include "demo/store_sink.h"
#include "grid/policing_stats.h"
#include "mediation/case_stats.h"
#include "store/record_store.h"
#include "store/user_store.h"
#include "temp_store.h"

namespace anju::demo {
namespace {

using namespace std::chrono_literals;

constexpr int kUtcOffset = 480;

struct SeededDistrict {
  test_support::TempStore store;
  GovernanceSummary summary;
};

std::unique_ptr<SeededDistrict> seed(uint64_t seed) {
  auto d = std::make_unique<SeededDistrict>();
  SystemClock clock;
  store::RecordStore records(d->store.db(), clock, kUtcOffset);
  store::UserStore users(d->store.db(), clock);
  DemoOptions options;
  options.seed = seed;
  options.estates = 4;
  options.persons = 600;
  std::unique_ptr<StoreSink> sink;
  Status s = d->store.db().write([&](store::Connection& c) -> Status {
    sink = std::make_unique<StoreSink>(records, c, kUtcOffset);
    return generateDistrict(options, *sink).status();
  });
  EXPECT_TRUE(s) << s.message();
  s = sink->createUsers(users);
  EXPECT_TRUE(s) << s.message();
  auto summary = seedGovernance(d->store.db(), users, {.seed = seed, .as_of = options.as_of});
  EXPECT_TRUE(summary) << summary.status().message();
  if (summary) d->summary = *summary;
  return d;
}

int64_t asOfEvening() {
  return parseTimestamp("2026-11-23T18:00:00+08:00", kUtcOffset).value();
}

class DemoGovernanceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { district_ = seed(11).release(); }
  static void TearDownTestSuite() {
    delete district_;
    district_ = nullptr;
  }

  int64_t scalar(const std::string& sql) {
    return district_->store.query(sql).scalarInt().value_or(-1);
  }

  static SeededDistrict* district_;
};

SeededDistrict* DemoGovernanceTest::district_ = nullptr;

TEST_F(DemoGovernanceTest, SameSeedGivesTheSameCasesAndRecords) {
  auto again = seed(11);
  const GovernanceSummary& a = district_->summary;
  const GovernanceSummary& b = again->summary;
  EXPECT_EQ(a.cases, b.cases);
  EXPECT_EQ(a.cases_by_status, b.cases_by_status);
  EXPECT_EQ(a.mediations, b.mediations);
  EXPECT_EQ(a.hazards, b.hazards);
  EXPECT_EQ(a.police_incidents, b.police_incidents);
  EXPECT_EQ(a.incidents, b.incidents);
  EXPECT_EQ(a.incident_escalations, b.incident_escalations);
  const std::string ratings = "SELECT COALESCE(SUM(rating), 0) * 1000 + COUNT(*) FROM cases";
  EXPECT_EQ(district_->store.query(ratings).scalarInt(), again->store.query(ratings).scalarInt());
}

TEST_F(DemoGovernanceTest, CasesReachEveryPartOfTheLoop) {
  const GovernanceSummary& s = district_->summary;
  EXPECT_GE(s.cases, 100);
  EXPECT_GT(s.cases_by_status.count("closed") ? s.cases_by_status.at("closed") : 0, s.cases / 2);
  EXPECT_GT(s.merged_cases, 0);
  int open = 0;
  for (const char* status : {"submitted", "accepted", "triaged", "assigned", "in_progress"})
    open += s.cases_by_status.count(status) ? s.cases_by_status.at(status) : 0;
  EXPECT_GT(open, 0);
  EXPECT_GT(scalar("SELECT COUNT(*) FROM cases WHERE status = 'closed' AND rating >= 4"),
            5 * scalar("SELECT COUNT(*) FROM cases WHERE status = 'closed' AND rating <= 2"));
  EXPECT_GT(scalar("SELECT COUNT(*) FROM cases WHERE resolved_on_time = 0"), 0);
  EXPECT_GT(scalar("SELECT COUNT(*) FROM cases WHERE escalations > 0"), 0);
  EXPECT_GT(scalar("SELECT COUNT(*) FROM case_joint_departments"), 0);
  EXPECT_GT(scalar("SELECT COUNT(*) FROM cases c JOIN users u ON u.department_id = "
                   "c.lead_department_id"),
            0);
  EXPECT_GT(s.mediations, 0);
  EXPECT_EQ(
      scalar("SELECT COUNT(*) FROM cases WHERE created_at >= " + std::to_string(asOfEvening())), 0);
}

TEST_F(DemoGovernanceTest, CaseStatisticsHaveSomethingToShow) {
  auto stats = mediation::caseStats(district_->store.db(),
                                    {.scope = store::Scope{"/"},
                                     .from = asOfEvening() - 91 * 24 * 3600 * 1000LL,
                                     .to = asOfEvening()},
                                    kUtcOffset);
  ASSERT_TRUE(stats) << stats.status().message();
  const mediation::CaseFigures& f = stats->total;
  EXPECT_GT(f.resolved, f.total / 2);
  EXPECT_GT(f.on_time, f.resolved / 2);
  EXPECT_LT(f.on_time, f.resolved);
  EXPECT_GT(f.satisfied, f.rated * 3 / 4);
  EXPECT_GT(f.mediations_agreed, 0);
  EXPECT_GT(f.mediation_routed_resolved, 0);
  EXPECT_GE(stats->by_category.size(), 6u);
  EXPECT_GE(stats->by_month.size(), 3u);
}

TEST_F(DemoGovernanceTest, PoliceIncidentsLeaveSomeEstatesWithoutCrimeInAMonth) {
  auto stats =
      grid::policingStats(district_->store.db(), store::Scope{"/"},
                          asOfEvening() - 365 * 24 * 3600 * 1000LL, asOfEvening(), kUtcOffset);
  ASSERT_TRUE(stats) << stats.status().message();
  int64_t criminal = 0, burglary = 0, public_order = 0;
  bool some_zero = false, some_crime = false;
  for (const grid::PolicingMonth& m : stats->months) {
    criminal += m.criminal;
    burglary += m.burglary;
    public_order += m.public_order;
    some_zero = some_zero || m.zero_incident_estates > 0;
    some_crime = some_crime || m.zero_incident_estates < m.estates;
  }
  EXPECT_TRUE(some_zero);
  EXPECT_TRUE(some_crime);
  EXPECT_GT(public_order, criminal);
  EXPECT_GT(burglary, 0);
  EXPECT_FALSE(stats->officers.empty());
}

TEST_F(DemoGovernanceTest, GridWorkIsRecordedOnTheRightThings) {
  const GovernanceSummary& s = district_->summary;
  EXPECT_GT(s.patrols, 0);
  EXPECT_GT(s.patrol_checkins, s.patrols);
  EXPECT_GT(scalar("SELECT COUNT(*) FROM hazards WHERE status = 'verified'"), 0);
  EXPECT_EQ(s.police_assignments, scalar("SELECT COUNT(*) FROM regions WHERE level = 'community'"));
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM home_visits v WHERE NOT EXISTS (SELECT 1 FROM links l "
                   "WHERE l.entity = 'persons' AND l.field = 'tags' AND l.object_id = v.person_id "
                   "AND l.value = 'elderly_alone')"),
            0);
  EXPECT_GT(s.duty_rosters, s.volunteer_teams);
}

// Every seeded alarm is worked to its end, most within their targets, and the stages that ran late
// were escalated by the timers' pass as the server would have.
TEST_F(DemoGovernanceTest, AlarmsAreWorkedThroughThe135ResponseWithSomeStagesEscalated) {
  const GovernanceSummary& s = district_->summary;
  EXPECT_EQ(s.incidents, 48);
  EXPECT_GT(s.incident_false_alarms, 0);
  EXPECT_LT(s.incident_false_alarms, s.incidents / 2);
  EXPECT_GT(s.incident_escalations, 0);
  auto count = [&](const std::string& where) {
    return district_->store.query("SELECT COUNT(*) FROM incidents WHERE " + where).scalarInt();
  };
  EXPECT_EQ(count("status NOT IN ('resolved', 'false_alarm')"), 0);
  EXPECT_GT(count("acknowledged_at <= ack_due_at"), s.incidents * 7 / 10);
  EXPECT_GT(count("escalations > 0"), 0);
  EXPECT_EQ(
      district_->store.query("SELECT COUNT(*) FROM incident_history WHERE action = 'escalate'")
          .scalarInt(),
      s.incident_escalations);
}

}  // namespace
}  // namespace anju::demo
