#include "store/lease.h"

#include <unistd.h>

#include "common/crypto.h"
#include "common/log.h"

namespace anju::store {

Lease::Lease(Database& db, const Clock& clock, std::string name, std::string holder,
             std::chrono::milliseconds term)
    : db_(db), clock_(clock), name_(std::move(name)), holder_(std::move(holder)), term_(term) {}

Result<bool> Lease::renew() {
  const int64_t now = clock_.nowMillis();
  int64_t changed = 0;
  // One statement, so two nodes asking at once cannot both win: the row's lock decides.
  Status st = db_.write([&](Connection& c) -> Status {
    auto r = c.execute(
        "INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?) "
        "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = "
        "excluded.expires_at WHERE leases.holder = excluded.holder OR leases.expires_at < ?",
        {name_, holder_, now + term_.count(), now});
    if (!r) return r.status();
    changed = *r;
    return {};
  });
  if (!st) return st;
  renewed_at_ = changed > 0 ? now : 0;
  return changed > 0;
}

bool Lease::held() const {
  const int64_t at = renewed_at_.load();
  return at > 0 && clock_.nowMillis() - at < term_.count() / 2;
}

Status Lease::release() {
  if (renewed_at_.exchange(0) == 0) return {};
  return db_.write([&](Connection& c) -> Status {
    auto r = c.execute("DELETE FROM leases WHERE name = ? AND holder = ?", {name_, holder_});
    return r ? Status() : r.status();
  });
}

LeaseKeeper::LeaseKeeper(Database& db, const Clock& clock, std::string name, std::string holder,
                         std::chrono::milliseconds term)
    : lease_(db, clock, std::move(name), std::move(holder), term),
      timer_(std::chrono::milliseconds(0), term / 3, [this] { renew(); }) {}

LeaseKeeper::~LeaseKeeper() {
  timer_.stop();
  Status st = lease_.release();
  if (!st)
    log::warn("cluster.lease_not_released", {{"lease", lease_.name()}, {"error", st.message()}});
}

void LeaseKeeper::renew() {
  auto held = lease_.renew();
  if (!held)
    log::warn("cluster.lease_not_renewed",
              {{"lease", lease_.name()}, {"error", held.status().message()}});
  const bool now_held = held && *held;
  if (now_held != was_held_)
    log::info(now_held ? "cluster.lease_taken" : "cluster.lease_lost",
              {{"lease", lease_.name()}, {"node", lease_.holder()}});
  was_held_ = now_held;
}

std::string nodeName() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return std::string(host) + ":" + std::to_string(getpid()) + ":" + crypto::randomHex(3);
}

}  // namespace anju::store
