// A lease kept in the database that several nodes share: of all the nodes, only the one holding
// it runs what it guards. The holder renews it every third of its term; a node that stops (killed,
// cut off from the database) loses it when the term ends, and the next node to ask takes it.
//
// A node counts itself the holder only for half a term after its last renewal, so a node whose
// renewal stalls stops before another can take over, even with the nodes' clocks a few seconds
// apart.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include "common/clock.h"
#include "common/periodic.h"
#include "store/database.h"

namespace anju::store {

class Lease {
 public:
  Lease(Database& db, const Clock& clock, std::string name, std::string holder,
        std::chrono::milliseconds term);

  // Takes the lease if it is free or expired, or renews it if this node holds it. True when this
  // node holds it now.
  Result<bool> renew();
  // Whether this node may act as the holder now.
  bool held() const;
  // Gives the lease up if this node holds it, so that another node takes it without waiting.
  Status release();

  const std::string& name() const { return name_; }
  const std::string& holder() const { return holder_; }
  std::chrono::milliseconds term() const { return term_; }

 private:
  Database& db_;
  const Clock& clock_;
  const std::string name_;
  const std::string holder_;
  const std::chrono::milliseconds term_;
  std::atomic<int64_t> renewed_at_{0};  // clock ms of the last successful renewal; 0: not held
};

// Keeps a lease for as long as it lives: takes or renews it at once and then every third of its
// term on a thread of its own, logs when it is taken and lost, and releases it when destroyed.
class LeaseKeeper {
 public:
  LeaseKeeper(Database& db, const Clock& clock, std::string name, std::string holder,
              std::chrono::milliseconds term);
  ~LeaseKeeper();
  LeaseKeeper(const LeaseKeeper&) = delete;
  LeaseKeeper& operator=(const LeaseKeeper&) = delete;

  bool held() const { return lease_.held(); }
  const std::string& holder() const { return lease_.holder(); }

 private:
  void renew();

  Lease lease_;
  bool was_held_ = false;  // touched by the renewing thread only (and before it starts)
  Periodic timer_;         // last: it calls renew() on the members above
};

// A name for this process among the nodes: host name and process id, with a random suffix so that
// a restarted process never inherits its predecessor's lease.
std::string nodeName();

}  // namespace anju::store
