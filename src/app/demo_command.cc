// `anju demo`: a generated district on SQLite, served at once. The first run on an empty data
// folder generates it; later runs serve what is there.
#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "app/commands.h"
#include "app/runtime.h"
#include "common/clock.h"
#include "common/crypto.h"
#include "common/log.h"
#include "common/progress.h"
#include "demo/generator.h"
#include "demo/governance.h"
#include "demo/store_sink.h"
#include "sim/simulator.h"

namespace anju::app {

namespace {

constexpr const char* kCredentialsFile = "demo-logins.txt";
// Enough to keep the dashboards moving without filling the demo's disk: ~1.7 million a day.
constexpr double kDemoEventsPerSecond = 20;

// The simulator's view of the demo district, read from the store so that the demo's devices sign
// their events with their own secrets and no admin password is needed.
Result<sim::World> demoWorld(store::Database& db) {
  sim::World world;
  Status s = db.read([&](store::Connection& c) -> Status {
    auto estates = c.query("SELECT id FROM estates ORDER BY id");
    if (!estates) return estates.status();
    for (const auto& row : estates->rows) world.estate_ids.push_back(store::asInt(row[0]));
    auto devices =
        c.query("SELECT id, kind, direction, estate_id, secret FROM devices ORDER BY id");
    if (!devices) return devices.status();
    for (const auto& row : devices->rows) {
      world.devices.push_back({.id = store::asText(row[0]),
                               .kind = store::asText(row[1]),
                               .direction = store::asText(row[2]),
                               .estate_id = store::asInt(row[3]),
                               .secret = store::asText(row[4])});
    }
    auto persons =
        c.query("SELECT id, estate_id FROM persons WHERE estate_id IS NOT NULL ORDER BY id");
    if (!persons) return persons.status();
    for (const auto& row : persons->rows) {
      world.persons.push_back({.id = store::asInt(row[0]), .estate_id = store::asInt(row[1])});
    }
    auto vehicles = c.query(
        "SELECT plate, plate_color, estate_id FROM vehicles WHERE estate_id IS NOT NULL ORDER BY "
        "id");
    if (!vehicles) return vehicles.status();
    for (const auto& row : vehicles->rows) {
      world.vehicles.push_back({.plate = store::asText(row[0]),
                                .plate_color = store::asText(row[1]),
                                .estate_id = store::asInt(row[2])});
    }
    return {};
  });
  if (!s) return s;
  return world;
}

// Live device traffic for the demo, from when the server listens until it stops.
class DemoTraffic {
 public:
  ~DemoTraffic() { stop(); }

  void start(sim::World world, const std::string& url) {
    sim::SimulateOptions options{.target = url,
                                 .rate = kDemoEventsPerSecond,
                                 .duration_s = 0,
                                 .seed = std::stoull(crypto::randomHex(8), nullptr, 16),
                                 .start_ms = SystemClock().nowMillis(),
                                 .speed = 1,
                                 .batch = 20,
                                 .connections = 1};
    thread_ = std::thread([this, world = std::move(world), options]() mutable {
      sim::Simulator simulator(std::move(world), options);
      auto report = simulator.run(stop_);
      if (!report) {
        log::warn("demo.traffic_failed", {{"error", report.status().message()}});
      } else {
        log::info("demo.traffic_stopped", {{"report", report->toJson()}});
      }
    });
  }

  void stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }

 private:
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

Status generate(Runtime& runtime, const DemoFlags& flags, const std::string& admin_password) {
  demo::DemoOptions options;
  options.seed = flags.seed;
  options.persons = flags.persons;
  options.estates = flags.estates;
  options.admin_password = admin_password;
  // The seed is public; the logins of a demo shown on a shared network must not follow from it.
  options.password_seed = std::stoull(crypto::randomHex(8), nullptr, 16);
  Result<demo::DemoSummary> summary = Status::internal("demo not generated");
  ProgressBar bar("生成演示数据", 100);
  std::unique_ptr<demo::StoreSink> sink;
  Status s = runtime.db->write([&](store::Connection& c) -> Status {
    sink = std::make_unique<demo::StoreSink>(*runtime.records, c, runtime.utc_offset_minutes);
    summary = demo::generateDistrict(options, *sink, [&](int done, int total) {
      bar.update(total > 0 ? static_cast<uint64_t>(done) * 100 / total : 0);
    });
    return summary.status();
  });
  bar.finish();
  if (!s) return s;
  ANJU_RETURN_IF_ERROR(sink->createUsers(*runtime.users));

  ProgressBar governance_bar("生成治理数据", 100);
  auto governance = demo::seedGovernance(
      *runtime.db, *runtime.users,
      {.seed = options.seed,
       .as_of = options.as_of,
       .utc_offset_minutes = runtime.utc_offset_minutes,
       .policy = runtime.config.cases,
       .incidents = runtime.config.incidents},
      [&](int done, int total) {
        governance_bar.update(total > 0 ? static_cast<uint64_t>(done) * 100 / total : 0);
      });
  governance_bar.finish();
  if (!governance) return governance.status();

  // A demo is for showing around: its logins are kept beside the data, readable by the owner only.
  auto path = std::filesystem::path(runtime.config.data_dir) / kCredentialsFile;
  std::ofstream out(path);
  out << "admin\t" << admin_password << "\n";
  for (const auto& [user, password] : summary->users_and_passwords) {
    if (user != "admin") out << user << "\t" << password << "\n";
  }
  out.close();
  chmod(path.c_str(), S_IRUSR | S_IWUSR);
  std::cout << "Generated: " << summary->regions << " regions, " << summary->estates << " estates, "
            << summary->buildings << " buildings, " << summary->rooms << " rooms, "
            << summary->persons << " persons, " << summary->vehicles << " vehicles, "
            << summary->devices << " devices, " << summary->departments << " departments, "
            << summary->users << " users" << std::endl;
  const demo::GovernanceSummary& g = *governance;
  std::cout << "Governance: " << g.cases << " cases (";
  const char* separator = "";
  for (const auto& [status, n] : g.cases_by_status) {
    std::cout << separator << n << " " << status;
    separator = ", ";
  }
  std::cout << "), " << g.mediations << " mediations, " << g.judicial_confirmations
            << " judicial confirmations, " << g.patrols << " patrols with " << g.patrol_checkins
            << " check-ins, " << g.hazards << " hazards, " << g.home_visits << " home visits, "
            << g.police_assignments << " police assignments, " << g.service_records
            << " service records, " << g.volunteer_teams << " volunteer teams with "
            << g.duty_rosters << " duty rosters, " << g.police_incidents << " police incidents, "
            << g.incidents << " alarm incidents (" << g.incident_false_alarms << " false alarms, "
            << g.incident_escalations << " escalations)" << std::endl;
  return {};
}

}  // namespace

int runDemo(const Config& config, const DemoFlags& flags) {
  bool fresh = config.db_url.empty() &&
               !std::filesystem::exists(std::filesystem::path(config.data_dir) / "anju.db");
  auto runtime = openRuntime(config);
  if (!runtime) {
    std::cerr << "anju: " << runtime.status().message() << "\n";
    return 1;
  }
  auto count = (*runtime)->users->count();
  if (count && *count == 0) fresh = true;
  if (fresh) {
    const char* given = std::getenv("ANJU_ADMIN_PASSWORD");
    std::string admin_password = given && *given ? given : crypto::randomPassword(12);
    auto created = (*runtime)->users->create({.username = "admin",
                                              .password = admin_password,
                                              .roles = {"admin"},
                                              .display_name = "系统管理员"});
    if (!created) {
      std::cerr << "anju: " << created.status().message() << "\n";
      return 1;
    }
    if (auto s = generate(**runtime, flags, admin_password); !s) {
      std::cerr << "anju: demo generation failed: " << s.message() << "\n";
      return 1;
    }
  }
  auto logins = std::filesystem::path(config.data_dir) / kCredentialsFile;
  if (flags.generate_only) {
    std::cout << "Logins are in " << logins.string() << std::endl;
    return 0;
  }
  DemoTraffic traffic;
  Status s = serve(**runtime, [&](const std::string& url) {
    if (auto world = demoWorld(*(*runtime)->db); !world) {
      log::warn("demo.traffic_not_started", {{"error", world.status().message()}});
    } else if (!world->devices.empty()) {
      traffic.start(std::move(*world), url);
    }
    std::ifstream in(logins);
    std::string line;
    std::getline(in, line);
    std::cout << "\n安居 Anju demo is running: " << url << "\n"
              << "  API described at " << url << "api/v1/openapi.json\n";
    if (line.rfind("admin\t", 0) == 0) std::cout << "  admin password: " << line.substr(6) << "\n";
    std::cout << "  other logins (one per role): " << logins.string() << "\n"
              << "  stop with Ctrl-C\n"
              << std::endl;
  });
  traffic.stop();
  if (!s) {
    std::cerr << "anju: " << s.message() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace anju::app
