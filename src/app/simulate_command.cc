// `anju simulate`: device traffic against any Anju server, loaded from its own API.
#include <csignal>
#include <iostream>

#include "app/commands.h"
#include "common/clock.h"
#include "sim/simulator.h"
#include "sim/world.h"

namespace anju::app {

namespace {

std::atomic<bool> g_stop{false};

extern "C" void onStopSignal(int) {
  g_stop.store(true);
}

int fail(const std::string& message) {
  std::cerr << "anju simulate: " << message << "\n";
  return 1;
}

}  // namespace

int runSimulate(const SimulateFlags& flags) {
  std::string password = flags.password;
  if (password.empty()) {
    if (const char* p = std::getenv("ANJU_PASSWORD"); p && *p) password = p;
  }
  if (password.empty()) return fail("give --password or set ANJU_PASSWORD");
  int64_t start_ms = SystemClock().nowMillis();
  if (!flags.start.empty()) {
    auto parsed = parseTimestamp(flags.start, flags.utc_offset_minutes);
    if (!parsed) return fail("--start must look like 2026-11-22T08:00:00+08:00 or 2026-11-22");
    start_ms = *parsed;
  }

  auto token = sim::login(flags.target, flags.user, password);
  if (!token) return fail("login failed: " + token.status().message());
  auto world = sim::loadWorld(flags.target, *token, flags.estates);
  if (!world) return fail("loading the district failed: " + world.status().message());
  if (!flags.secrets.empty()) {
    if (auto s = sim::loadSecrets(flags.secrets, *world); !s) return fail(s.message());
  }
  std::cerr << "simulating " << world->estate_ids.size() << " estates, " << world->devices.size()
            << " devices, " << world->persons.size() << " persons, " << world->vehicles.size()
            << " vehicles" << std::endl;

  sim::SimulateOptions options{.target = flags.target,
                               .token = *token,
                               .rate = flags.rate,
                               .duration_s = flags.duration_s,
                               .seed = flags.seed,
                               .start_ms = start_ms,
                               .speed = flags.speed,
                               .batch = flags.batch,
                               .connections = flags.connections,
                               .utc_offset_minutes = flags.utc_offset_minutes};
  std::signal(SIGINT, onStopSignal);
  std::signal(SIGTERM, onStopSignal);
  sim::Simulator simulator(std::move(*world), options);
  auto report = simulator.run(
      g_stop, [](const sim::SimulateReport& r) { std::cerr << r.toText() << std::endl; });
  if (!report) return fail(report.status().message());
  std::cerr << "done: " << report->toText() << std::endl;
  std::cout << report->toJson() << std::endl;
  return 0;
}

}  // namespace anju::app
