// How fast events go into the store as it grows, beside the two baselines the design is measured
// against, with the same rows in the same run:
//   anju      per-day tables with their own dedup / person / plate indexes, group commits, synced
//   naive     one table with a unique key and three secondary indexes (person, plate, estate)
//   append    one table with no index at all
// Rows are what a district sends: 20,000 persons, 2,600 plates, 550 devices, 30 days of history.
//
// With ANJU_BENCH_DB=postgresql://… the anju store runs once more on that (empty) PostgreSQL
// database, in the same run, for the figures of both stores side by side.
//
//   anju_event_store_bench DIR [EVENTS] [COMMIT]
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "store/event_store.h"

using namespace anju;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int64_t kStart = 1761926400000;  // 2025-11-01T00:00:00+08:00 minus 8 h
constexpr int64_t kDays = 30;

std::vector<domain::Event> makeEvents(int64_t n) {
  std::mt19937_64 rng(7);
  std::vector<domain::Event> out;
  out.reserve(n);
  const int64_t span = kDays * 86'400'000;
  for (int64_t i = 0; i < n; ++i) {
    domain::Event e;
    const int device = static_cast<int>(rng() % 550);
    e.device_id = "dev-" + std::to_string(device);
    e.event_id = e.device_id + "-" + std::to_string(i);
    e.ts = kStart + i * span / n;  // the store fills day after day, as it does live
    e.received = e.ts + 50;
    e.estate_id = 1 + device % 12;
    const int roll = static_cast<int>(rng() % 100);
    if (roll < 60) {
      e.kind = domain::EventKind::kAccess;
      e.person_id = 1 + static_cast<int64_t>(rng() % 20000);
      e.result = "granted";
      e.direction = roll % 2 ? "in" : "out";
      e.attrs = R"({"method":"face"})";
    } else if (roll < 75) {
      e.kind = domain::EventKind::kVehicle;
      e.plate = "冀C" + std::to_string(10000 + rng() % 2600);
      e.result = "granted";
      e.direction = roll % 2 ? "in" : "out";
      e.attrs = R"({"plate_color":"blue","confidence":0.97})";
    } else {
      e.kind = domain::EventKind::kHeartbeat;
      e.attrs = R"({"status":"ok"})";
    }
    out.push_back(std::move(e));
  }
  return out;
}

struct Percentiles {
  double p50_ms = 0, p99_ms = 0;
};

Percentiles percentiles(std::vector<double> ms) {
  std::sort(ms.begin(), ms.end());
  return {ms[ms.size() / 2], ms[ms.size() * 99 / 100]};
}

// A person's whole history, first page of 100, for random persons: what an officer's search does.
Percentiles anjuTrajectories(store::EventStore& es, int queries) {
  std::mt19937_64 rng(11);
  std::vector<double> ms;
  for (int i = 0; i < queries; ++i) {
    store::TrajectoryQuery q{.person_id = 1 + static_cast<int64_t>(rng() % 20000),
                             .plates = {"冀C" + std::to_string(10000 + rng() % 2600)},
                             .from = 0,
                             .to = kStart + 60 * 86'400'000LL};
    const auto t0 = Clock::now();
    auto page = es.trajectory(q);
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    if (!page) std::exit(1);
  }
  return percentiles(std::move(ms));
}

// On SQLite in DIR/events.db, or on PostgreSQL at `url`, as the server opens each.
double anjuStore(const std::string& dir, const std::string& url,
                 const std::vector<domain::Event>& events, std::size_t commit,
                 Percentiles& trajectory) {
  const char* label = url.empty() ? "anju   " : "anju pg";
  auto db =
      url.empty()
          ? store::openSqlite({.path = dir + "/events.db",
                               .read_connections = 2,
                               .synchronous_full = true,
                               .cache_mib = 64,
                               .checkpoint_frames = 4096})
          : store::openPostgres({.url = url, .read_connections = 2, .synchronous_full = true});
  if (!db) {
    std::fprintf(stderr, "%s\n", db.status().message().c_str());
    std::exit(1);
  }
  store::EventStore es(**db);
  if (!es.initialize()) std::exit(1);
  const auto t0 = Clock::now();
  auto step = t0;
  std::size_t step_rows = 0;
  for (std::size_t i = 0; i < events.size(); i += commit) {
    std::vector<domain::Event> batch(events.begin() + i,
                                     events.begin() + std::min(events.size(), i + commit));
    if (!es.preparePartitions(batch)) std::exit(1);
    Status st = (*db)->write([&](store::Connection& c) -> Status {
      auto r = es.insert(c, batch);
      return r ? Status{} : r.status();
    });
    if (!st) {
      std::fprintf(stderr, "%s\n", st.message().c_str());
      std::exit(1);
    }
    step_rows += batch.size();
    if (step_rows >= 1'000'000 || i + commit >= events.size()) {
      const auto now = Clock::now();
      std::printf("  %s %9zu rows  %8.0f rows/s over the last %zu\n", label, i + batch.size(),
                  step_rows / std::chrono::duration<double>(now - step).count(), step_rows);
      std::fflush(stdout);
      step = now;
      step_rows = 0;
    }
  }
  const double rate = events.size() / std::chrono::duration<double>(Clock::now() - t0).count();
  trajectory = anjuTrajectories(es, 20000);
  return rate;
}

void check(int rc, sqlite3* db) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    std::fprintf(stderr, "sqlite: %s\n", sqlite3_errmsg(db));
    std::exit(1);
  }
}

// The same rows through a plain prepared INSERT, committed in the same group sizes.
// The bare indexed SQL behind a trajectory on the single naive table: one person's first 100.
Percentiles bareQueries(sqlite3* db, int queries) {
  sqlite3_stmt* q = nullptr;
  check(
      sqlite3_prepare_v2(db,
                         "SELECT seq, ts, device_id, event_id, kind, estate_id, result, direction "
                         "FROM events WHERE person_id = ? ORDER BY ts LIMIT 100",
                         -1, &q, nullptr),
      db);
  std::mt19937_64 rng(11);
  std::vector<double> ms;
  for (int i = 0; i < queries; ++i) {
    const auto t0 = Clock::now();
    sqlite3_reset(q);
    sqlite3_bind_int64(q, 1, 1 + static_cast<int64_t>(rng() % 20000));
    while (sqlite3_step(q) == SQLITE_ROW) sqlite3_column_int64(q, 0);
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  sqlite3_finalize(q);
  return percentiles(std::move(ms));
}

double plainTable(const std::string& path, bool indexed, const std::vector<domain::Event>& events,
                  std::size_t commit, Percentiles* bare = nullptr) {
  sqlite3* db = nullptr;
  check(sqlite3_open(path.c_str(), &db), db);
  check(sqlite3_exec(db,
                     "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=-65536;"
                     "CREATE TABLE events (seq INTEGER PRIMARY KEY, ts INTEGER, received INTEGER, "
                     "device_id TEXT, event_id TEXT, kind TEXT, estate_id INTEGER, person_id "
                     "INTEGER, plate TEXT, result TEXT, direction TEXT, attrs TEXT)",
                     nullptr, nullptr, nullptr),
        db);
  if (indexed) {
    check(sqlite3_exec(db,
                       "CREATE UNIQUE INDEX events_key ON events(device_id, event_id);"
                       "CREATE INDEX events_person ON events(person_id, ts);"
                       "CREATE INDEX events_plate ON events(plate, ts);"
                       "CREATE INDEX events_estate ON events(estate_id, ts);",
                       nullptr, nullptr, nullptr),
          db);
  }
  sqlite3_stmt* insert = nullptr;
  check(sqlite3_prepare_v2(db,
                           "INSERT OR IGNORE INTO events (ts, received, device_id, event_id, "
                           "kind, estate_id, person_id, plate, result, direction, attrs) VALUES "
                           "(?,?,?,?,?,?,?,?,?,?,?)",
                           -1, &insert, nullptr),
        db);
  const char* label = indexed ? "naive " : "append";
  const auto t0 = Clock::now();
  auto step = t0;
  std::size_t step_rows = 0;
  for (std::size_t i = 0; i < events.size(); i += commit) {
    check(sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr), db);
    const std::size_t end = std::min(events.size(), i + commit);
    for (std::size_t j = i; j < end; ++j) {
      const auto& e = events[j];
      sqlite3_reset(insert);
      sqlite3_bind_int64(insert, 1, e.ts);
      sqlite3_bind_int64(insert, 2, e.received);
      sqlite3_bind_text(insert, 3, e.device_id.data(), static_cast<int>(e.device_id.size()),
                        SQLITE_STATIC);
      sqlite3_bind_text(insert, 4, e.event_id.data(), static_cast<int>(e.event_id.size()),
                        SQLITE_STATIC);
      const auto kind = domain::kindName(e.kind);
      sqlite3_bind_text(insert, 5, kind.data(), static_cast<int>(kind.size()), SQLITE_STATIC);
      sqlite3_bind_int64(insert, 6, e.estate_id);
      if (e.person_id) {
        sqlite3_bind_int64(insert, 7, *e.person_id);
      } else {
        sqlite3_bind_null(insert, 7);
      }
      if (e.plate.empty()) {
        sqlite3_bind_null(insert, 8);
      } else {
        sqlite3_bind_text(insert, 8, e.plate.data(), static_cast<int>(e.plate.size()),
                          SQLITE_STATIC);
      }
      sqlite3_bind_text(insert, 9, e.result.data(), static_cast<int>(e.result.size()),
                        SQLITE_STATIC);
      sqlite3_bind_text(insert, 10, e.direction.data(), static_cast<int>(e.direction.size()),
                        SQLITE_STATIC);
      sqlite3_bind_text(insert, 11, e.attrs.data(), static_cast<int>(e.attrs.size()),
                        SQLITE_STATIC);
      check(sqlite3_step(insert), db);
    }
    check(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), db);
    // Without checkpoints the WAL would hold the whole table; the server checkpoints too.
    if ((i / commit) % 20 == 19)
      sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    step_rows += end - i;
    if (step_rows >= 1'000'000 || end == events.size()) {
      const auto now = Clock::now();
      std::printf("  %s  %9zu rows  %8.0f rows/s over the last %zu\n", label, end,
                  step_rows / std::chrono::duration<double>(now - step).count(), step_rows);
      std::fflush(stdout);
      step = now;
      step_rows = 0;
    }
  }
  sqlite3_finalize(insert);
  const double rate = events.size() / std::chrono::duration<double>(Clock::now() - t0).count();
  if (indexed && bare) *bare = bareQueries(db, 20000);
  sqlite3_close(db);
  return rate;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s DIR [EVENTS] [COMMIT]\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  const int64_t n = argc > 2 ? std::stoll(argv[2]) : 10'000'000;
  const std::size_t commit = argc > 3 ? std::stoul(argv[3]) : 20'000;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::printf("%lld events over %lld days, %zu per commit, synchronous=FULL\n",
              static_cast<long long>(n), static_cast<long long>(kDays), commit);
  const auto events = makeEvents(n);
  Percentiles ours, bare;
  const double anju = anjuStore(dir, {}, events, commit, ours);
  const char* pg_url = std::getenv("ANJU_BENCH_DB");
  Percentiles on_pg;
  const double anju_pg = pg_url ? anjuStore(dir, pg_url, events, commit, on_pg) : 0;
  const double append = plainTable(dir + "/append.db", false, events, commit);
  const double naive = plainTable(dir + "/naive.db", true, events, commit, &bare);
  std::printf("average rows/s: anju %.0f   naive indexed table %.0f   unindexed append %.0f\n",
              anju, naive, append);
  std::printf(
      "trajectory, first 100 of a person's whole history (in process, 20000 queries): anju p50 "
      "%.3f ms p99 %.3f ms   bare indexed SQL on the naive table p50 %.3f ms p99 %.3f ms\n",
      ours.p50_ms, ours.p99_ms, bare.p50_ms, bare.p99_ms);
  if (pg_url) {
    std::printf(
        "PostgreSQL (synchronous_commit on): anju %.0f rows/s; trajectory p50 %.3f ms p99 %.3f "
        "ms\n",
        anju_pg, on_pg.p50_ms, on_pg.p99_ms);
  }
  return 0;
}
