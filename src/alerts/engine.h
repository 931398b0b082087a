// Matching: every stored event is checked against the watchlists and the rules, and what matches
// raises (or updates) an alert that is pushed on the live stream. Events come from the event
// writer after their commit, through a bounded queue and one matching thread, so ingestion never
// waits for matching; timed rules (no passage for N hours) and device status run on ticks.
//
// Events are acknowledged to devices once stored, before they are matched. So that a crash in
// between loses no watchlist hit, the engine records how far it has got after each batch (at most
// once a second) and, at start-up, matches again the events stored after that point; an event an
// alert already lists is not counted twice.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "alerts/alert_store.h"
#include "alerts/rules.h"
#include "alerts/watchlists.h"
#include "common/clock.h"
#include "notify/publisher.h"
#include "store/database.h"
#include "store/event_store.h"

namespace anju::alerts {

// Faces matched against the watchlists' faces: implemented over the face index.
class FaceMatcher {
 public:
  virtual ~FaceMatcher() = default;
  struct Match {
    int64_t entry_id = 0;
    float similarity = 0;
  };
  // Replaces every watched face.
  virtual void load(const std::vector<WatchedFace>& faces) = 0;
  // The watched faces at or above `min_similarity` to this capture's embedding, best first.
  virtual std::vector<Match> match(const std::vector<float>& embedding, float min_similarity) = 0;
};

// Recent captures, for the stranger rule: the face index of captures.
class CaptureIndex {
 public:
  virtual ~CaptureIndex() = default;
  struct Similar {
    int64_t key = 0;  // the capture's event key
    int64_t ts = 0;
    float similarity = 0;
  };
  // Captures at `estate_id` in [from, to] at or above `min_similarity`, best first, at most k.
  virtual std::vector<Similar> similar(const std::vector<float>& embedding, int64_t estate_id,
                                       int64_t from, int64_t to, int k, float min_similarity) = 0;
};

struct EngineOptions {
  int utc_offset_minutes = 480;
  std::size_t max_queued_events = 200000;  // beyond this, events are counted as skipped
};

struct EngineStats {
  uint64_t events = 0;   // events checked
  uint64_t skipped = 0;  // events dropped because matching fell that far behind
  uint64_t raised = 0;   // alerts raised or updated
};

class AlertEngine {
 public:
  AlertEngine(store::Database& registry, store::EventStore* events, AlertStore& alerts,
              RuleStore& rules, WatchlistStore& watchlists, notify::Publisher* publisher,
              const Clock& clock, EngineOptions options);
  ~AlertEngine();
  AlertEngine(const AlertEngine&) = delete;
  AlertEngine& operator=(const AlertEngine&) = delete;

  void setFaceMatcher(FaceMatcher* matcher) { faces_ = matcher; }
  // For stranger_frequent: the captures, and the residents' enrolled faces (loaded here with
  // the person's id as entry id), which are not strangers.
  void setStrangerSearch(CaptureIndex* captures, FaceMatcher* enrolled) {
    captures_ = captures;
    enrolled_ = enrolled;
  }
  // Matches the events stored after the recorded position (before ingestion starts, so that none
  // of them is also on its way through the queue). A store that never had an engine starts from
  // its end: an upgrade does not alert on history.
  void catchUp();
  // Starts the matching thread; without it, process() is called directly (tests).
  void start();
  // From the event writer: queues the events for the matching thread. Never blocks.
  void offer(const std::vector<store::StoredEvent>& events);
  // Checks events now, on the caller's thread.
  void process(const std::vector<store::StoredEvent>& events);
  // Device status transitions (the health sweep): offline raises, online again closes.
  void deviceChanges(const std::vector<store::DeviceStatusChange>& changes);
  // The timed rules, at the clock's now.
  void tick();
  // Rules, watchlists or the registry changed: read them again before the next event.
  void invalidate();
  EngineStats stats() const;

 private:
  struct Person {
    std::string name;
    std::optional<int64_t> estate_id;
    std::set<std::string> tags;
  };
  struct KeyPassage {
    int64_t ts;
    int64_t person_id;
  };

  void run();
  // After a batch: records the greatest key matched, at most once a second.
  void advance(const std::vector<store::StoredEvent>& batch);
  void refresh();
  std::string regionOf(int64_t estate_id);
  void fire(Firing firing);
  void checkEvent(const store::StoredEvent& stored);
  void checkPassage(const domain::Event& e, int64_t key, const std::string& region);
  void checkVehicle(const domain::Event& e, int64_t key, const std::string& region);
  void checkFace(const domain::Event& e, int64_t key, const std::string& region);
  void checkStranger(const domain::Event& e, int64_t key, const std::string& region,
                     const std::vector<float>& embedding);
  void checkAlarm(const domain::Event& e, int64_t key, const std::string& region);

  store::Database& registry_;
  store::EventStore* events_;
  AlertStore& alerts_;
  RuleStore& rules_;
  WatchlistStore& watchlists_;
  notify::Publisher* publisher_;
  const Clock& clock_;
  const EngineOptions options_;
  FaceMatcher* faces_ = nullptr;
  CaptureIndex* captures_ = nullptr;
  FaceMatcher* enrolled_ = nullptr;

  // The queue between the writer and the matching thread.
  mutable std::mutex queue_mutex_;
  std::condition_variable wake_;
  std::deque<std::vector<store::StoredEvent>> queue_;  // GUARDED_BY(queue_mutex_)
  std::size_t queued_ = 0;                             // GUARDED_BY(queue_mutex_)
  bool stopping_ = false;                              // GUARDED_BY(queue_mutex_)
  EngineStats stats_;                                  // GUARDED_BY(queue_mutex_)
  std::thread thread_;
  uint64_t quiet_version_ = 0;   // the matching thread's: watchlists as of its last idle wake
  int64_t matched_through_ = 0;  // the matching thread's: the greatest key matched...
  int64_t recorded_ = 0;         // ...and the one last written to event_positions
  int64_t recorded_at_ = 0;      // (steady ms)
  bool replaying_ = false;       // under match_mutex_: catchUp() is matching events again

  // What matching reads, refreshed when stale; only touched under match_mutex_.
  std::mutex match_mutex_;
  bool stale_ = true;
  int64_t refreshed_at_ = 0;
  uint64_t watch_version_ = 0;
  std::vector<Rule> rules_list_;
  std::unordered_map<int64_t, std::string> estate_regions_;
  std::unordered_map<int64_t, Person> tagged_;  // persons with any tag
  std::map<int64_t, WatchedList> lists_;
  std::vector<WatchedEntry> entries_;
  std::unordered_map<int64_t, std::vector<std::size_t>> by_person_;
  std::unordered_map<std::string, std::vector<std::size_t>> by_plate_;
  std::unordered_map<int64_t, std::size_t> entry_index_;
  std::vector<int64_t> face_owners_;  // the entry of each watched face, as last loaded
  std::unordered_map<int64_t, int64_t> last_passage_;  // tagged persons' latest passage
  std::map<std::pair<int64_t, int64_t>, std::deque<KeyPassage>> together_;  // (rule, estate)
  // Rules and watchlists changed on other nodes (config_changes.h); last: it calls invalidate().
  std::unique_ptr<store::Subscription> config_changed_;
};

}  // namespace anju::alerts
