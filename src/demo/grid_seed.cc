// Grid and policing records for the demo. Most are plain registry records written in one
// transaction, validated as the API validates them. Hazards go through HazardService on a fake
// clock, in the order of their steps, so that each carries its real rectification history.
#include <algorithm>
#include <array>
#include <string>
#include <tuple>
#include <vector>

#include "cases/case_policy.h"
#include "demo/governance_seeds.h"
#include "demo/grid_texts.h"
#include "demo/store_sink.h"
#include "domain/entity.h"
#include "grid/hazard_service.h"

namespace anju::demo {
namespace {

using cases::kDayMs;
using cases::kHourMs;
using nlohmann::json;

constexpr int kIncidentDays = 365;
constexpr int kRosterDays = 14;

struct HazardStep {
  int64_t at = 0;
  std::size_t hazard = 0;
  std::string actor;
  grid::HazardAction action;  // empty action: the hazard is reported
};

struct PlannedHazard {
  json fields;
  int64_t id = 0;
};

class GridSeeder {
 public:
  GridSeeder(const GovernanceWorld& w, const GovernanceOptions& options, StoreSink& sink,
             GovernanceSummary& summary)
      : w_(w), options_(options), sink_(sink), summary_(summary), rng_(options.seed ^ 0x67726964) {}

  Status writeRecords() {
    ANJU_RETURN_IF_ERROR(teams());
    ANJU_RETURN_IF_ERROR(policing());
    ANJU_RETURN_IF_ERROR(patrols());
    ANJU_RETURN_IF_ERROR(visits());
    return incidents();
  }

  std::vector<PlannedHazard>& hazards() { return hazards_; }
  std::vector<HazardStep>& hazardSteps() { return hazard_steps_; }

 private:
  Result<int64_t> create(const std::string& entity, const json& fields, int& counter) {
    auto id = sink_.create(entity, fields);
    if (!id) return id.status();
    ++counter;
    return id->get<int64_t>();
  }

  std::string time(int64_t ms) const { return formatTimestamp(ms, options_.utc_offset_minutes); }
  std::string date(int64_t ms) const { return time(ms).substr(0, 10); }
  std::string dayBefore(int days) const { return date(dayStartMs(options_, days)); }

  json namesFrom(const WorldEstate& e, int n) {
    json names = json::array();
    for (int i = 0; i < n && !e.persons.empty(); ++i) names.push_back(rng_.pick(e.persons).name);
    return names;
  }

  Status teams() {
    for (const WorldEstate& e : w_.estates) {
      if (e.persons.empty()) continue;
      json members = namesFrom(e, rng_.uniformInt(6, 10));
      auto team = create("volunteer_teams",
                         {{"name", e.name + "义警巡逻队"},
                          {"kind", "patrol_team"},
                          {"estate_id", e.id},
                          {"region_id", e.community},
                          {"leader", members[0]},
                          {"member_names", members}},
                         summary_.volunteer_teams);
      if (!team) return team.status();
      for (int d = kRosterDays; d >= 1; --d) {
        json on_duty = json::array();
        for (int i = rng_.uniformInt(2, 3); i > 0; --i)
          on_duty.push_back(members[static_cast<std::size_t>(
              rng_.uniform(0, static_cast<int64_t>(members.size()) - 1))]);
        auto roster = create("duty_rosters",
                             {{"team_id", *team},
                              {"duty_date", dayBefore(d)},
                              {"shift", "19:00-21:00"},
                              {"member_names", on_duty},
                              {"area", "小区主干道及周边"}},
                             summary_.duty_rosters);
        if (!roster) return roster.status();
      }
    }
    for (const WorldCommunity& community : w_.communities) {
      const auto estates = w_.estatesIn(community.id);
      if (estates.empty() || w_.estates[estates[0]].persons.empty()) continue;
      json members = namesFrom(w_.estates[estates[0]], rng_.uniformInt(4, 6));
      auto team = create("volunteer_teams",
                         {{"name", w_.estates[estates[0]].name + "等小区信息员"},
                          {"kind", "information_officers"},
                          {"region_id", community.id},
                          {"leader", members[0]},
                          {"member_names", members}},
                         summary_.volunteer_teams);
      if (!team) return team.status();
    }
    return {};
  }

  Status policing() {
    static constexpr std::array kKinds = {"documents", "rescue", "help",
                                          "dispute",   "patrol", "other"};
    // 一村一警: every community has its officer, estates or not; service is done where people live.
    for (const WorldCommunity& community : w_.communities) {
      const store::User* officer = w_.userAt("police", community.street);
      if (!officer) continue;
      auto assigned = create("police_assignments",
                             {{"officer", officer->username},
                              {"officer_name", officer->display_name},
                              {"region_id", community.id},
                              {"since", dayBefore(rng_.uniformInt(300, 1000))}},
                             summary_.police_assignments);
      if (!assigned) return assigned.status();
      const auto estates = w_.estatesIn(community.id);
      if (estates.empty()) continue;
      for (int d = kWindowDays; d >= 1; --d) {
        if (!rng_.permille(220)) continue;
        const std::string kind = kKinds[rng_.weighted({30, 5, 25, 15, 20, 5})];
        const WorldEstate& e = w_.estates[estates[static_cast<std::size_t>(
            rng_.uniform(0, static_cast<int64_t>(estates.size()) - 1))]];
        auto record = create("service_records",
                             {{"officer", officer->username},
                              {"region_id", community.id},
                              {"estate_id", e.id},
                              {"kind", kind},
                              {"occurred_on", dayBefore(d)},
                              {"count", kind == "documents" ? rng_.uniformInt(1, 4) : 1},
                              {"description", std::string(serviceText(rng_, kind))}},
                             summary_.service_records);
        if (!record) return record.status();
      }
    }
    return {};
  }

  Status patrols() {
    for (const WorldGrid& g : w_.grids) {
      const WorldEstate& e = w_.estates[g.estate];
      const store::User* worker = w_.userAt("grid_worker", e.community);
      const std::string worker_name = worker ? worker->username : e.name + "网格员";
      std::string route;
      for (const std::string& name : g.building_names) route += (route.empty() ? "" : "→") + name;
      for (int d = kWindowDays; d >= 1; --d) {
        if (!rng_.permille(420)) continue;
        const int64_t start = dayStartMs(options_, d) + rng_.uniform(8 * 60, 16 * 60) * kMinuteMs;
        const int stops =
            std::min<int>(static_cast<int>(g.buildings.size()), rng_.uniformInt(3, 6));
        int64_t t = start;
        const bool hazard = rng_.permille(90);
        json fields = {{"grid_id", g.id},
                       {"worker", worker_name},
                       {"started_at", time(start)},
                       {"route", route.empty() ? e.name : route}};
        std::vector<json> checkins;
        for (int i = 0; i < stops; ++i) {
          t += rng_.uniform(5, 15) * kMinuteMs;
          checkins.push_back({{"ts", time(t)},
                              {"building_id", g.buildings[static_cast<std::size_t>(i)]},
                              {"place", g.building_names[static_cast<std::size_t>(i)]}});
        }
        fields["ended_at"] = time(t + rng_.uniform(5, 20) * kMinuteMs);
        const HazardText found = hazardText(rng_);
        fields["findings"] =
            hazard ? std::string(found.description) : std::string(patrolFinding(rng_));
        auto patrol = create("patrols", fields, summary_.patrols);
        if (!patrol) return patrol.status();
        for (json& checkin : checkins) {
          checkin["patrol_id"] = *patrol;
          auto made = create("patrol_checkins", checkin, summary_.patrol_checkins);
          if (!made) return made.status();
        }
        if (hazard) planHazard(g, *patrol, found, t, worker_name);
      }
    }
    return {};
  }

  // Reported at the end of the patrol, assigned within a day or two, mostly rectified before
  // the deadline and verified, a few failing verification once; later steps are not yet due.
  void planHazard(const WorldGrid& g, int64_t patrol, const HazardText& text, int64_t at,
                  const std::string& worker) {
    const WorldEstate& e = w_.estates[g.estate];
    const std::size_t index = hazards_.size();
    json fields = {{"estate_id", e.id},
                   {"grid_id", g.id},
                   {"patrol_id", patrol},
                   {"kind", text.kind},
                   {"description", std::string(text.description)},
                   {"reported_by", worker}};
    if (!g.buildings.empty()) fields["building_id"] = rng_.pick(g.buildings);
    hazards_.push_back({std::move(fields)});
    hazard_steps_.push_back({at, index, worker, {}});
    if (rng_.permille(60)) return;
    at += rng_.uniform(2 * 60, 30 * 60) * kMinuteMs;
    const int days = rng_.uniformInt(3, 15);
    const std::string assignee = e.name + "物业服务中心";
    hazard_steps_.push_back(
        {at,
         index,
         worker,
         {.action = "assign", .assignee = assignee, .rectify_by = date(at + days * kDayMs)}});
    const bool late = rng_.permille(120);
    at += late ? (days + rng_.uniformInt(1, 6)) * kDayMs
               : rng_.uniform(12, std::max(13, days * 24 - 12)) * kHourMs;
    hazard_steps_.push_back(
        {at, index, assignee, {.action = "rectify", .note = std::string(rectificationNote(rng_))}});
    at += rng_.uniform(4, 72) * kHourMs;
    if (rng_.permille(100)) {
      hazard_steps_.push_back({at,
                               index,
                               worker,
                               {.action = "verify",
                                .note = "复查时隐患仍未完全消除，要求继续整改。",
                                .rectify_by = date(at + 7 * kDayMs),
                                .passed = false}});
      at += rng_.uniform(24, 120) * kHourMs;
      hazard_steps_.push_back(
          {at,
           index,
           assignee,
           {.action = "rectify", .note = std::string(rectificationNote(rng_))}});
      at += rng_.uniform(4, 48) * kHourMs;
    }
    hazard_steps_.push_back(
        {at, index, worker, {.action = "verify", .note = "复查合格", .passed = true}});
  }

  Status visits() {
    for (const WorldEstate& e : w_.estates) {
      const store::User* worker = w_.userAt("grid_worker", e.community);
      for (const WorldPerson& person : e.elderly_alone) {
        for (int month = 2; month >= 0; --month) {
          auto visit = create("home_visits",
                              {{"person_id", person.id},
                               {"visitor", worker ? worker->username : e.name + "网格员"},
                               {"visited_on", dayBefore(month * 30 + rng_.uniformInt(1, 28))},
                               {"purpose", "elderly_care"},
                               {"notes", std::string(elderlyVisitNote(rng_))}},
                              summary_.home_visits);
          if (!visit) return visit.status();
        }
      }
    }
    return {};
  }

  // Public-order calls are common everywhere; criminal ones rare and uneven between estates,
  // so that in most months many estates have none (零发案).
  Status incidents() {
    static constexpr std::array kCriminal = {"burglary", "theft", "fraud", "robbery", "assault"};
    static constexpr std::array kPublicOrder = {"fight", "disturbance", "theft", "fraud", "other"};
    int serial = 0;
    for (const WorldEstate& e : w_.estates) {
      const int criminal_permille = rng_.uniformInt(3, 15);
      for (int d = kIncidentDays; d >= 1; --d) {
        for (bool criminal : {false, true}) {
          if (!rng_.permille(criminal ? criminal_permille : 45)) continue;
          const std::string category = criminal ? kCriminal[rng_.weighted({30, 35, 25, 3, 7})]
                                                : kPublicOrder[rng_.weighted({25, 35, 20, 5, 15})];
          const int64_t at = dayStartMs(options_, d) + rng_.uniform(0, 24 * 60 - 1) * kMinuteMs;
          std::string day = date(at);
          std::erase(day, '-');
          auto made = create("police_incidents",
                             {{"kind", criminal ? "criminal" : "public_order"},
                              {"category", category},
                              {"estate_id", e.id},
                              {"region_id", e.community},
                              {"occurred_at", time(at)},
                              {"summary", std::string(incidentSummary(rng_, category))},
                              {"external_ref", "J130302" + day + std::to_string(1000 + ++serial)}},
                             summary_.police_incidents);
          if (!made) return made.status();
        }
      }
    }
    return {};
  }

  const GovernanceWorld& w_;
  const GovernanceOptions& options_;
  StoreSink& sink_;
  GovernanceSummary& summary_;
  Rng rng_;
  std::vector<PlannedHazard> hazards_;
  std::vector<HazardStep> hazard_steps_;
};

Status runHazards(store::Database& db, const GovernanceOptions& options,
                  std::vector<PlannedHazard>& hazards, std::vector<HazardStep>& steps,
                  GovernanceSummary& summary) {
  const int64_t end = dayStartMs(options, 0) + 18 * kHourMs;
  std::stable_sort(steps.begin(), steps.end(), [](const HazardStep& a, const HazardStep& b) {
    return std::tie(a.at, a.hazard) < std::tie(b.at, b.hazard);
  });
  FakeClock clock{TimePoint(std::chrono::milliseconds(dayStartMs(options, kWindowDays + 1)))};
  store::RecordStore records(db, clock, options.utc_offset_minutes);
  grid::HazardService service(db, clock, options.utc_offset_minutes);
  const domain::EntitySpec* spec = domain::findEntity("hazards");
  if (!spec) return Status::internal("the registry has no hazards");
  for (const HazardStep& step : steps) {
    if (step.at >= end) continue;
    clock.advance(std::chrono::milliseconds(step.at - clock.nowMillis()));
    PlannedHazard& h = hazards[step.hazard];
    if (step.action.action.empty()) {
      auto fields = domain::validateFields(*spec, h.fields, true, options.utc_offset_minutes);
      if (!fields) return fields.status();
      auto made = records.create(*spec, *fields, store::Scope{});
      if (!made) return made.status();
      h.id = (*made)["id"].get<int64_t>();
      ++summary.hazards;
      continue;
    }
    std::vector<std::string> allowed;
    Status s = service.apply(h.id, step.action, store::Scope{}, step.actor, allowed);
    if (!s)
      return Status{
          s.code(),
          "demo hazard " + std::to_string(h.id) + ", " + step.action.action + ": " + s.message(),
          s.field()};
  }
  return {};
}

}  // namespace

Status seedGridWork(store::Database& db, const GovernanceWorld& world,
                    const GovernanceOptions& options, GovernanceSummary& summary,
                    const SeedProgress& progress) {
  FakeClock at_end{TimePoint(std::chrono::milliseconds(dayStartMs(options, 0) + 18 * kHourMs))};
  store::RecordStore records(db, at_end, options.utc_offset_minutes);
  std::vector<PlannedHazard> hazards;
  std::vector<HazardStep> steps;
  Status s = db.write([&](store::Connection& c) -> Status {
    StoreSink sink(records, c, options.utc_offset_minutes);
    GridSeeder seeder(world, options, sink, summary);
    ANJU_RETURN_IF_ERROR(seeder.writeRecords());
    hazards = std::move(seeder.hazards());
    steps = std::move(seeder.hazardSteps());
    return {};
  });
  if (!s) return s;
  if (progress) progress(1, 2);
  ANJU_RETURN_IF_ERROR(runHazards(db, options, hazards, steps, summary));
  if (progress) progress(2, 2);
  return {};
}

}  // namespace anju::demo
