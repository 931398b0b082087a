// Retention on a schedule, on its own thread: a first run a few minutes after start-up (once the
// face index has had time to rebuild and the server to settle), then one a day. Stopping does not
// wait out the day, and a run in progress ends at its next batch.
//
// Of several nodes on one database only the one that `leads` runs it; the others' face indexes
// forget the same days.
#pragma once

#include <chrono>
#include <functional>

#include "common/periodic.h"
#include "retention/retention.h"

namespace anju::retention {

class RetentionJob {
 public:
  RetentionJob(Retention& retention, std::function<bool()> leads,
               std::chrono::milliseconds first = std::chrono::minutes(5),
               std::chrono::milliseconds interval = std::chrono::hours(24));
  ~RetentionJob();
  RetentionJob(const RetentionJob&) = delete;
  RetentionJob& operator=(const RetentionJob&) = delete;

 private:
  void tick();

  Retention& retention_;
  std::function<bool()> leads_;
  Periodic timer_;  // last: it calls tick() on the members above
};

}  // namespace anju::retention
