// Citizens' cases for the demo: each case's path through the loop is drawn first as a script of
// timed steps by named logins, then every script's steps run through CaseService and
// MediationRecords in the order of their times, on a fake clock moved to each step. Running in
// time order is what lets a duplicate be merged into a case that is still open, and leaves the
// cases whose next step falls after the demo's day open where they are.
#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "cases/case_flow.h"
#include "cases/case_service.h"
#include "demo/case_texts.h"
#include "demo/governance_seeds.h"
#include "demo/names.h"
#include "mediation/mediation_records.h"

namespace anju::demo {
namespace {

using cases::kDayMs;
using cases::kHourMs;
using nlohmann::json;

constexpr int kCasesPerEstate = 36;
constexpr int kMaxCases = 600;
constexpr std::string_view kCourt = "秦皇岛市海港区人民法院";

enum class Kind { kCreate, kAct, kMediate, kSession, kConclude, kConfirm };

struct Step {
  int64_t at = 0;
  Kind kind = Kind::kAct;
  const store::User* actor = nullptr;
  json body;            // kAct: the action; kConclude and kConfirm: their fields
  int merge_into = -1;  // kAct merge: the script whose case this one joins
};

struct Script {
  cases::NewCase request;
  std::vector<Step> steps;  // steps[0] creates the case; times strictly increase
  std::vector<mediation::Party> parties;
  // Filled in as the steps run.
  int64_t case_id = 0;
  int64_t mediation_id = 0;
};

constexpr std::array kCategories = {"land",     "neighbour", "family",      "labour",
                                    "property", "safety",    "environment", "traffic",
                                    "consumer", "service",   "other"};
constexpr std::array kCategoryWeights = {3, 16, 6, 6, 20, 8, 14, 5, 6, 10, 6};
constexpr std::array kChannels = {"hotline", "portal",  "mini_program",   "grid_worker",
                                  "station", "walk_in", "suggestion_box", "police"};
constexpr std::array kChannelWeights = {26, 10, 8, 22, 12, 10, 3, 9};

int64_t hours(Rng& rng, int lo, int hi) {
  return rng.uniform(int64_t{lo} * 60, int64_t{hi} * 60) * kMinuteMs;
}

std::string routeFor(Rng& rng, std::string_view category) {
  auto pick = [&](std::initializer_list<int> weights) {
    static constexpr std::array kRoutes = {"people_mediation", "administrative_mediation",
                                           "court_mediation", "department"};
    return std::string(kRoutes[rng.weighted(weights)]);
  };
  if (category == "neighbour") return pick({80, 0, 0, 20});
  if (category == "family") return pick({85, 0, 15, 0});
  if (category == "land") return pick({60, 0, 20, 20});
  if (category == "labour") return pick({0, 50, 0, 50});
  if (category == "consumer") return pick({0, 40, 0, 60});
  if (category == "traffic") return pick({40, 40, 20, 0});
  if (category == "property") return pick({20, 0, 0, 80});
  return "department";
}

// The unit that leads a case of `category` on `route` in `street`: the street's own stations
// for what they handle, the district's bureaus for housing, sanitation, wages and traffic.
const WorldDepartment* leadFor(Rng& rng, const GovernanceWorld& w, std::string_view category,
                               std::string_view route, int64_t street) {
  auto district = [&](std::size_t i) { return w.districtDepartment(districtDepartments()[i]); };
  auto local = [&](std::size_t i) {
    return w.streetDepartment(street, streetDepartmentSuffixes()[i]);
  };
  // Indices into names.cc's tables.
  enum { kHousing, kSanitation, kLabourInspection, kTrafficPolice };
  enum { kCityManagement, kMarket, kPoliceStation, kJustice, kMediationCommittee };
  if (route == "people_mediation") return local(kMediationCommittee);
  if (route == "court_mediation") return local(kJustice);
  if (category == "labour") return district(kLabourInspection);
  if (category == "consumer") return local(kMarket);
  if (category == "traffic") return district(kTrafficPolice);
  if (category == "property") return district(kHousing);
  if (route == "administrative_mediation") return local(kJustice);
  if (category == "environment")
    return rng.permille(500) ? district(kSanitation) : local(kCityManagement);
  if (category == "safety")
    return rng.permille(600) ? local(kCityManagement) : local(kPoliceStation);
  if (category == "neighbour" || category == "family" || category == "land") return local(kJustice);
  return local(kCityManagement);
}

int scoreOf(Rng& rng) {
  static constexpr std::array kScores = {5, 4, 3, 2, 1};
  return kScores[rng.weighted({60, 27, 7, 3, 3})];
}

class CaseScripter {
 public:
  CaseScripter(const GovernanceWorld& w, const GovernanceOptions& options, Rng& rng)
      : w_(w), options_(options), rng_(rng) {}

  Status centres(const WorldEstate& e) {
    street_centre_ = w_.userAt("mediator", e.street);
    county_centre_ = w_.userAt("admin", w_.district);
    if (!street_centre_ || !county_centre_)
      return Status::invalid("users",
                             "the demo district lacks a street mediator or the "
                             "district's admin login for " +
                                 e.name);
    return {};
  }

  Result<Script> draw(int64_t created_at) {
    const WorldEstate& e = w_.estates[static_cast<std::size_t>(
        rng_.uniform(0, static_cast<int64_t>(w_.estates.size()) - 1))];
    ANJU_RETURN_IF_ERROR(centres(e));
    Script s;
    const std::string category = kCategories[rng_.weighted(kCategoryWeights)];
    const CasePlace place{e.name,
                          e.building_names.empty() ? std::string() : rng_.pick(e.building_names)};
    s.request.category = category;
    s.request.description = caseDescription(rng_, category, place);
    s.request.estate_id = e.id;

    const store::User* resident = w_.resident();
    const bool resident_here = resident && resident->region_id == e.community;
    std::string channel = kChannels[rng_.weighted(kChannelWeights)];
    while (cases::residentChannel(channel) && !resident_here)
      channel = kChannels[rng_.weighted(kChannelWeights)];
    s.request.channel = channel;
    const store::User* creator = street_centre_;
    if (cases::residentChannel(channel)) {
      creator = resident;
    } else if (channel == "grid_worker") {
      creator = w_.userAt("grid_worker", e.community);
    } else if (channel == "police") {
      creator = w_.userAt("police", e.street);
    }
    if (!creator) creator = street_centre_;
    if (!cases::residentChannel(channel) && !e.persons.empty()) {
      const WorldPerson& reporter = rng_.pick(e.persons);
      s.request.reporter = cases::Reporter{reporter.name, reporter.phone};
      s.request.anonymous = channel == "suggestion_box" || rng_.permille(30);
      s.parties.push_back({reporter.name, "applicant", reporter.phone});
    } else if (cases::residentChannel(channel)) {
      s.parties.push_back({resident->display_name, "applicant", ""});
    } else {
      s.request.anonymous = true;
      s.parties.push_back({"匿名反映人", "applicant", ""});
    }
    if (!e.persons.empty()) s.parties.push_back({rng_.pick(e.persons).name, "respondent", ""});
    rater_ = cases::residentChannel(channel) ? resident : street_centre_;

    t_ = created_at;
    s.steps.push_back({.at = t_, .kind = Kind::kCreate, .actor = creator});
    steps_ = &s.steps;
    work(e, category);
    return s;
  }

  // A second report of the same matter a few hours later, merged into the first at intake.
  std::optional<Script> duplicateOf(const Script& original, int original_index) {
    const Step& created = original.steps.front();
    const int64_t at = created.at + hours(rng_, 1, 10);
    const int64_t merge_at = at + hours(rng_, 1, 3);
    // Only while the first is surely still open.
    if (original.steps.size() < 4 || original.steps.back().at <= merge_at + kDayMs)
      return std::nullopt;
    const WorldEstate* e = nullptr;
    for (const WorldEstate& candidate : w_.estates) {
      if (candidate.id == original.request.estate_id) e = &candidate;
    }
    if (!e || e->persons.empty() || !centres(*e)) return std::nullopt;
    Script s;
    s.request = original.request;
    s.request.channel = "hotline";
    s.request.anonymous = false;
    const WorldPerson& reporter = rng_.pick(e->persons);
    s.request.reporter = cases::Reporter{reporter.name, reporter.phone};
    s.request.description = "再次反映：" + original.request.description;
    s.steps.push_back({.at = at, .kind = Kind::kCreate, .actor = street_centre_});
    s.steps.push_back({.at = merge_at,
                       .actor = street_centre_,
                       .body = {{"action", "merge"}, {"note", "与前案为同一事项，合并办理。"}},
                       .merge_into = original_index});
    return s;
  }

 private:
  void add(Kind kind, const store::User* actor, json body = json::object()) {
    steps_->push_back({.at = t_, .kind = kind, .actor = actor, .body = std::move(body)});
  }
  void act(const store::User* actor, json body) { add(Kind::kAct, actor, std::move(body)); }
  void wait(int lo_hours, int hi_hours) { t_ += hours(rng_, lo_hours, hi_hours); }

  const store::User* centreFor(const std::string& level) const {
    return level == "county" ? county_centre_ : street_centre_;
  }

  // Triage and assignment at `level`; returns who works the case from there.
  const store::User* triageAndAssign(const WorldEstate& e, const std::string& category,
                                     const std::string& level, const std::string& route,
                                     const WorldDepartment* avoid) {
    const store::User* centre = centreFor(level);
    rng_.permille(60) ? wait(25, 30) : wait(1, 10);
    act(centre, {{"action", "triage"}, {"level", level}, {"route", route}});
    const WorldDepartment* lead = leadFor(rng_, w_, category, route, e.street);
    if (!lead || lead == avoid) lead = w_.streetDepartment(e.street, streetDepartmentSuffixes()[0]);
    json joint = json::array();
    const WorldDepartment* partner = nullptr;
    if (rng_.permille(150)) {
      partner = rng_.permille(500) ? w_.streetDepartment(e.street, streetDepartmentSuffixes()[0])
                                   : w_.districtDepartment(districtDepartments()[0]);
      if (partner && partner != lead) joint.push_back(partner->id);
    }
    wait(1, 8);
    act(centre, {{"action", "assign"}, {"lead", lead->id}, {"joint", joint}});
    if (!joint.empty()) {
      if (const store::User* reporter = w_.departmentUser(partner->id)) {
        wait(1, 20);
        act(reporter, {{"action", "report"}, {"note", "已派员到场，配合牵头单位处置。"}});
      }
    }
    last_lead_ = lead;
    const store::User* staff = w_.departmentUser(lead->id);
    return staff ? staff : centre;
  }

  void work(const WorldEstate& e, const std::string& category) {
    mediation_failed_ = false;
    rng_.permille(50) ? wait(25, 40) : wait(0, 12);
    act(street_centre_, {{"action", "accept"}});
    static constexpr std::array kLevels = {"village", "township", "county"};
    std::string level = kLevels[rng_.weighted({55, 35, 10})];
    const std::string route = routeFor(rng_, category);
    const store::User* handler = triageAndAssign(e, category, level, route, nullptr);
    if (route == "department" && rng_.permille(30)) {
      wait(3, 30);
      act(handler, {{"action", "return"}, {"reason", std::string(returnReason(rng_))}});
      handler = triageAndAssign(e, category, level, route, last_lead_);
    }
    rng_.permille(60) ? wait(50, 80) : wait(1, 40);
    act(handler, {{"action", "start"}});
    if (level != "county" && rng_.permille(70)) {
      wait(24, 120);
      act(centreFor(level),
          {{"action", "escalate"}, {"reason", std::string(escalationReason(rng_))}});
      level = *cases::levelAbove(level);
      handler = triageAndAssign(e, category, level, route, nullptr);
      wait(2, 30);
      act(handler, {{"action", "start"}});
    }
    const int64_t assigned = t_;
    if (cases::isMediationRoute(route)) mediate(category);
    const int days = cases::resolveDays(options_.policy, level, std::nullopt);
    const int64_t resolve_at = rng_.permille(110)
                                   ? assigned + days * kDayMs + hours(rng_, 6, 5 * 24)
                                   : assigned + hours(rng_, 4, std::max(8, days * 24 * 6 / 10));
    t_ = std::max(t_ + hours(rng_, 2, 24), resolve_at);
    act(handler, {{"action", "resolve"},
                  {"summary", mediation_failed_ ? "调解未能达成协议，已告知当事人依法通过诉讼解决。"
                                                : std::string(resolutionSummary(rng_, category))}});
    close(handler, category);
  }

  void mediate(const std::string& category) {
    wait(2, 24);
    add(Kind::kMediate, street_centre_);
    for (int i = rng_.uniformInt(1, 3); i > 0; --i) {
      wait(24, 96);
      add(Kind::kSession, street_centre_);
    }
    wait(2, 30);
    static constexpr std::array kOutcomes = {"agreed", "failed", "withdrawn"};
    const std::string outcome = kOutcomes[rng_.weighted({80, 15, 5})];
    mediation_failed_ = outcome != "agreed";
    add(Kind::kConclude, street_centre_,
        {{"outcome", outcome},
         {"agreement",
          outcome == "agreed" ? std::string(mediationAgreement(rng_, category)) : ""}});
    if (outcome == "agreed" && rng_.permille(200)) {
      wait(24, 72);
      add(Kind::kConfirm, street_centre_, {{"action", "request"}, {"court", kCourt}});
      wait(72, 240);
      add(Kind::kConfirm, street_centre_,
          {{"action", "grant"},
           {"reference", "(2026)冀0302民特" + std::to_string(rng_.uniformInt(100, 999)) + "号"}});
    }
  }

  void close(const store::User* handler, const std::string& category) {
    const bool feedback = rng_.permille(880);
    if (feedback) {
      wait(2, 48);
      act(street_centre_,
          {{"action", "feedback"}, {"message", std::string(feedbackMessage(rng_))}});
    }
    if (feedback && rng_.permille(100)) {
      wait(72, 120);
      act(street_centre_, {{"action", "close"}, {"note", "多次联系反映人未接听，按规定结案。"}});
      return;
    }
    wait(4, 72);
    int score = scoreOf(rng_);
    if (score <= 2 && rng_.permille(600)) {
      rate(score);
      wait(24, 96);
      act(rater_, {{"action", "reopen"}, {"reason", std::string(reopenReason(rng_))}});
      wait(24, 120);
      act(handler,
          {{"action", "resolve"}, {"summary", std::string(resolutionSummary(rng_, category))}});
      wait(2, 48);
      act(street_centre_,
          {{"action", "feedback"}, {"message", std::string(feedbackMessage(rng_))}});
      wait(4, 48);
      score = rng_.permille(700) ? 4 : 5;
    }
    rate(score);
    wait(1, 72);
    act(street_centre_, {{"action", "close"}});
  }

  void rate(int score) {
    json body = {{"action", "rate"}, {"score", score}};
    const std::string_view comment = ratingComment(rng_, score);
    if (!comment.empty()) body["comment"] = std::string(comment);
    act(rater_, std::move(body));
  }

  const GovernanceWorld& w_;
  const GovernanceOptions& options_;
  Rng& rng_;
  const store::User* street_centre_ = nullptr;
  const store::User* county_centre_ = nullptr;
  const store::User* rater_ = nullptr;
  const WorldDepartment* last_lead_ = nullptr;
  bool mediation_failed_ = false;
  std::vector<Step>* steps_ = nullptr;
  int64_t t_ = 0;
};

// A day's cases come in mostly during office hours, some in the evening, few at night.
int64_t createdAt(Rng& rng, int64_t window_start) {
  static constexpr std::array kHourWeights = {1, 1,  1,  1,  1,  2,  4, 8, 14, 16, 15, 12,
                                              9, 12, 14, 14, 12, 10, 9, 8, 6,  4,  2,  1};
  const int64_t day = rng.uniform(0, kWindowDays - 1);
  const auto hour = static_cast<int64_t>(rng.weighted(kHourWeights));
  return window_start + day * kDayMs + hour * kHourMs + rng.uniform(0, 59) * kMinuteMs;
}

Status stepFailed(const Script& s, const Step& step, const Status& status) {
  std::string what = "creating it";
  if (step.kind == Kind::kAct) what = step.body.value("action", "an action");
  if (step.kind == Kind::kMediate) what = "its mediation record";
  if (step.kind == Kind::kSession) what = "a mediation session";
  if (step.kind == Kind::kConclude) what = "the mediation's outcome";
  if (step.kind == Kind::kConfirm) what = "judicial confirmation";
  return Status{status.code(),
                "demo case " + std::to_string(s.case_id) + " (" + s.request.category + "), " +
                    what + " as " + (step.actor ? step.actor->username : "?") + ": " +
                    status.message(),
                status.field()};
}

// Every estate's street must have the stations cases are handed to, and the district its bureaus.
Status checkDepartments(const GovernanceWorld& w) {
  for (std::string_view name : districtDepartments()) {
    if (!w.districtDepartment(name))
      return Status::invalid("departments", "the demo district has no " + std::string(name));
  }
  for (const WorldEstate& e : w.estates) {
    for (std::string_view suffix : streetDepartmentSuffixes()) {
      if (!w.streetDepartment(e.street, suffix))
        return Status::invalid("departments",
                               "the street of " + e.name + " has no " + std::string(suffix));
    }
  }
  return {};
}

}  // namespace

Status seedCases(store::Database& db, const GovernanceWorld& world,
                 const GovernanceOptions& options, GovernanceSummary& summary,
                 const SeedProgress& progress) {
  if (world.estates.empty()) return {};
  ANJU_RETURN_IF_ERROR(checkDepartments(world));
  Rng rng(options.seed ^ 0x6361736573ULL);  // "cases"
  const int64_t window_start = dayStartMs(options, kWindowDays);
  const int64_t end = dayStartMs(options, 0) + 18 * kHourMs;

  const int count = std::min(kMaxCases, kCasesPerEstate * static_cast<int>(world.estates.size()));
  std::vector<int64_t> created(static_cast<std::size_t>(count));
  for (auto& at : created) at = createdAt(rng, window_start);
  std::sort(created.begin(), created.end());
  CaseScripter scripter(world, options, rng);
  std::vector<Script> scripts;
  for (int64_t at : created) {
    auto script = scripter.draw(at);
    if (!script) return script.status();
    scripts.push_back(std::move(*script));
    if (rng.permille(50)) {
      const int original = static_cast<int>(scripts.size()) - 1;
      if (auto dup = scripter.duplicateOf(scripts.back(), original)) scripts.push_back(*dup);
    }
  }

  struct Due {
    int64_t at;
    std::size_t script, step;
  };
  std::vector<Due> due;
  for (std::size_t i = 0; i < scripts.size(); ++i) {
    for (std::size_t j = 0; j < scripts[i].steps.size(); ++j) {
      if (scripts[i].steps[j].at < end) due.push_back({scripts[i].steps[j].at, i, j});
    }
  }
  std::sort(due.begin(), due.end(), [](const Due& a, const Due& b) {
    return std::tie(a.at, a.script, a.step) < std::tie(b.at, b.script, b.step);
  });

  FakeClock clock{TimePoint(std::chrono::milliseconds(window_start))};
  cases::CaseService service(db, nullptr, clock, options.policy, options.utc_offset_minutes);
  mediation::MediationRecords mediations(db, clock, options.utc_offset_minutes);
  int done = 0;
  for (const Due& d : due) {
    Script& s = scripts[d.script];
    const Step& step = s.steps[d.step];
    clock.advance(std::chrono::milliseconds(d.at - clock.nowMillis()));
    const store::Scope scope{step.actor->region_path};
    Status status;
    switch (step.kind) {
      case Kind::kCreate: {
        auto made = service.create(*step.actor, s.request);
        if (made) s.case_id = made->body["id"].get<int64_t>();
        status = made.status();
        break;
      }
      case Kind::kAct: {
        json body = step.body;
        if (step.merge_into >= 0)
          body["into"] = scripts[static_cast<std::size_t>(step.merge_into)].case_id;
        status = service.act(*step.actor, s.case_id, body).status();
        summary.merged_cases += status && step.merge_into >= 0;
        break;
      }
      case Kind::kMediate: {
        auto made = mediations.create(s.case_id,
                                      {.mediator = step.actor->display_name, .parties = s.parties},
                                      scope, step.actor->username);
        if (made) s.mediation_id = (*made)["id"].get<int64_t>();
        summary.mediations += made.isOk();
        status = made.status();
        break;
      }
      case Kind::kSession:
        status = mediations
                     .addSession(s.mediation_id,
                                 {.held_at = d.at,
                                  .place = "社区人民调解室",
                                  .notes = std::string(mediationSessionNote(rng))},
                                 scope, step.actor->username)
                     .status();
        break;
      case Kind::kConclude:
        status = mediations
                     .conclude(s.mediation_id,
                               {step.body["outcome"].get<std::string>(),
                                step.body["agreement"].get<std::string>()},
                               scope, step.actor->username)
                     .status();
        break;
      case Kind::kConfirm: {
        const std::string action = step.body["action"].get<std::string>();
        status = mediations
                     .confirm(s.mediation_id,
                              {.action = action,
                               .court = step.body.value("court", ""),
                               .reference = step.body.value("reference", "")},
                              scope, step.actor->username)
                     .status();
        summary.judicial_confirmations += status && action == "grant";
        break;
      }
    }
    if (!status) return stepFailed(s, step, status);
    if (progress && (++done % 200 == 0)) progress(done, static_cast<int>(due.size()));
  }
  if (progress) progress(static_cast<int>(due.size()), static_cast<int>(due.size()));

  return db.read([&](store::Connection& c) -> Status {
    auto rows = c.query("SELECT status, COUNT(*) FROM cases GROUP BY status ORDER BY status");
    if (!rows) return rows.status();
    for (const auto& row : rows->rows) {
      const int n = static_cast<int>(store::asInt(row[1]));
      summary.cases_by_status[store::asText(row[0])] = n;
      summary.cases += n;
    }
    return {};
  });
}

}  // namespace anju::demo
