// The live stream's switchboard. Every notice is kept in the `notices` table first, which gives it
// its id (the SSE event id), then handed to each connected subscriber whose scope and types cover
// it. A subscriber that reconnects with Last-Event-ID is first given what it missed from the
// table, then the live notices, with none twice and none lost between the two.
//
// Publishing never waits for a client: each subscriber has a bounded queue, and one that falls
// that far behind is ended; its client reconnects and catches up from the table.
//
// Several nodes on one PostgreSQL database share the table. Notices are stored one at a time
// across all of them (an advisory lock held to commit), so ids commit in order; each node is told
// of the others' by NOTIFY and hands on everything in the table after the last id it handed on.
// A notice therefore reaches the users connected to any node, in the same order everywhere.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/clock.h"
#include "http/message.h"
#include "notify/publisher.h"
#include "store/database.h"

namespace anju::notify {

struct HubOptions {
  std::size_t max_queued = 1000;  // per subscriber; beyond this the subscriber is ended
  int max_backlog = 1000;         // notices replayed after a reconnect
};

struct Subscriber {
  std::string region_path;      // only notices in this part of the region tree
  std::set<std::string> types;  // only these types
};

class Hub final : public Publisher {
 public:
  // The hub must outlive the streams it gave out (the HTTP server's connections).
  Hub(store::Database& db, const Clock& clock, HubOptions options = {});
  Hub(const Hub&) = delete;
  Hub& operator=(const Hub&) = delete;

  void publish(Notice notice) override;
  // A stream for one client, starting after `last_id` (nullopt: only what comes from now on).
  Result<std::shared_ptr<http::StreamSource>> subscribe(Subscriber who,
                                                        std::optional<int64_t> last_id);
  std::size_t subscribers() const;

 private:
  class Stream;
  void forget(Stream* stream);
  // Hands on the stored notices after delivered_ and before `before` (0: all). Under mutex_.
  Status deliverStored(int64_t before);
  void fanOut(int64_t id, const std::string& type, const std::string& region_path,
              const std::string& data);

  store::Database& db_;
  const Clock& clock_;
  HubOptions options_;
  mutable std::mutex mutex_;  // held while a notice is stored and fanned out, so ids stay in order
  std::vector<Stream*> streams_;  // GUARDED_BY(mutex_)
  int64_t delivered_ = 0;         // GUARDED_BY(mutex_): the last id handed to the streams
  std::unique_ptr<store::Subscription> others_;  // last: it calls into the members above
};

// The SSE text of one notice.
std::string sseFrame(int64_t id, const std::string& type, const std::string& data);

}  // namespace anju::notify
