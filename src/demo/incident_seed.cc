// Past incidents for the demo: alarms from the district's own alarm devices (fences, smoke and
// electrical-fire detectors, high-altitude-throwing cameras, SOS columns) over the 90 days before
// the demo's day, each raised and worked through the 1-3-5 steps by the estate's security guard and
// the street's police officer through IncidentService on a fake clock. The timers' pass runs just
// after each target that falls before the next step, so late stages escalate as they would have,
// and the statistics come out of real histories.
#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "demo/governance_seeds.h"
#include "demo/rng.h"
#include "incidents/incident_service.h"

namespace anju::demo {
namespace {

constexpr int kIncidents = 48;
constexpr int64_t kSecondMs = 1000;

struct AlarmDevice {
  std::string id;
  std::string kind;
  int64_t estate_id = 0;
};

// The alarm type each device kind sends, as the simulator sends it.
std::string alarmType(const std::string& kind) {
  if (kind == "fence") return "fence";
  if (kind == "smoke") return "smoke";
  if (kind == "electrical") return "electrical";
  if (kind == "throwing_camera") return "throwing";
  return "emergency_call";
}

std::string sentTo(Rng& rng, const std::string& type) {
  static constexpr std::array kPatrols = {"保安巡逻一组", "保安巡逻二组", "物业值班保安"};
  if (type == "smoke" || type == "electrical") return "小区微型消防站";
  if (type == "emergency_call") return "物业管家与社区网格员";
  return kPatrols[static_cast<std::size_t>(rng.uniform(0, std::ssize(kPatrols) - 1))];
}

Result<std::vector<AlarmDevice>> alarmDevices(store::Database& db) {
  std::vector<AlarmDevice> devices;
  Status s = db.read([&](store::Connection& c) -> Status {
    auto rows = c.query(
        "SELECT id, kind, estate_id FROM devices WHERE kind IN ('fence', 'smoke', 'electrical', "
        "'throwing_camera', 'sos_button') ORDER BY id");
    if (!rows) return rows.status();
    for (const auto& r : rows->rows)
      devices.push_back({store::asText(r[0]), store::asText(r[1]), store::asInt(r[2])});
    return {};
  });
  if (!s) return s;
  return devices;
}

// One incident's steps, in seconds after it was raised.
struct Plan {
  int64_t raised_at = 0;
  AlarmDevice device;
  std::vector<std::pair<int64_t, std::string>> steps;
};

Plan draw(Rng& rng, int64_t raised_at, const AlarmDevice& device) {
  Plan p{raised_at, device, {}};
  // Most guards answer within the minute; some are on another call.
  const int64_t ack = rng.permille(150) ? rng.uniform(65, 150) : rng.uniform(12, 55);
  p.steps.push_back({ack, "acknowledge"});
  // A fifth turn out to be nothing: a cat on the fence, a kitchen's smoke.
  if (rng.permille(200)) {
    p.steps.push_back({ack + rng.uniform(20, 120), "false_alarm"});
    return p;
  }
  const int64_t dispatch = ack + rng.uniform(25, 140);
  const int64_t arrive = dispatch + rng.uniform(50, 160);
  p.steps.push_back({dispatch, "dispatch"});
  p.steps.push_back({arrive, "arrive"});
  p.steps.push_back({arrive + rng.uniform(5, 45) * 60, "resolve"});
  return p;
}

}  // namespace

Status seedIncidents(store::Database& db, const GovernanceWorld& world,
                     const GovernanceOptions& options, GovernanceSummary& summary) {
  auto devices = alarmDevices(db);
  if (!devices) return devices.status();
  if (devices->empty() || world.estates.empty()) return {};
  Rng rng(options.seed ^ 0x696e636964ULL);  // "incid"
  const int64_t window_start = dayStartMs(options, kWindowDays);
  std::vector<int64_t> times(kIncidents);
  for (auto& t : times)
    t = window_start + rng.uniform(0, int64_t{kWindowDays} * 24 * 60) * kMinuteMs;
  std::sort(times.begin(), times.end());

  FakeClock clock{TimePoint(std::chrono::milliseconds(window_start))};
  incidents::IncidentService service(db, clock, options.incidents, options.utc_offset_minutes,
                                     nullptr);
  const int64_t targets[] = {options.incidents.ack_seconds, options.incidents.dispatch_seconds,
                             options.incidents.arrive_seconds};
  // Moves the clock to `at`, running the timers' pass just after each target passed on the way.
  auto moveTo = [&](int64_t raised, int64_t at) -> Status {
    for (int64_t target : targets) {
      const int64_t check = raised + target * kSecondMs + kSecondMs;
      if (check <= clock.nowMillis() || check > at) continue;
      clock.advance(std::chrono::milliseconds(check - clock.nowMillis()));
      auto escalated = service.escalateLate();
      if (!escalated) return escalated.status();
      summary.incident_escalations += *escalated;
    }
    clock.advance(std::chrono::milliseconds(at - clock.nowMillis()));
    return {};
  };

  int64_t free_at = window_start;  // each incident is worked to its end before the next is raised
  for (int i = 0; i < kIncidents; ++i) {
    Plan plan =
        draw(rng, std::max(times[static_cast<std::size_t>(i)], free_at), rng.pick(*devices));
    const auto estate =
        std::find_if(world.estates.begin(), world.estates.end(),
                     [&](const WorldEstate& e) { return e.id == plan.device.estate_id; });
    if (estate == world.estates.end()) continue;
    const store::User* guard = world.userAt("security", estate->community);
    const store::User* officer = world.userAt("police", estate->street);
    if (!guard || !officer)
      return Status::internal(
          "演示数据缺少保安或民警账号 (the demo district has no security or police "
          "login for estate " +
          estate->name + ")");

    ANJU_RETURN_IF_ERROR(moveTo(plan.raised_at, plan.raised_at));
    const std::string type = alarmType(plan.device.kind);
    domain::Event alarm{.device_id = plan.device.id,
                        .event_id = plan.device.id + "-history-" + std::to_string(i + 1),
                        .kind = domain::EventKind::kAlarm,
                        .ts = plan.raised_at,
                        .received = plan.raised_at,
                        .estate_id = plan.device.estate_id,
                        .attrs = nlohmann::json{{"type", type}, {"level", "high"}}.dump()};
    auto raised = service.raiseFromAlarms({{.seq = 0, .event = alarm}});
    if (!raised) return raised.status();
    if (raised->empty()) continue;
    const int64_t id = raised->front();
    ++summary.incidents;
    for (const auto& [second, action] : plan.steps) {
      ANJU_RETURN_IF_ERROR(moveTo(plan.raised_at, plan.raised_at + second * kSecondMs));
      const store::User& actor =
          action == "resolve" && type != "smoke" && type != "electrical" ? *officer : *guard;
      auto acted = service.act(
          actor, id,
          {.action = action, .dispatched_to = action == "dispatch" ? sentTo(rng, type) : ""});
      if (!acted) return acted.status();
      if (action == "false_alarm") ++summary.incident_false_alarms;
    }
    free_at = clock.nowMillis() + kMinuteMs;
  }
  return {};
}

}  // namespace anju::demo
