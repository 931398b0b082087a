// The face index of the event store's captures, as the server keeps it: one index per embedding
// length, rebuilt from the store in the background at start-up (with progress) and then fed by
// ingestion. Ingestion only queues the captures it stored (offer); a thread of its own decodes
// them and adds them, so indexing never slows a commit.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "faces/face_index.h"
#include "store/event_store.h"

namespace anju::faces {

struct CatalogOptions {
  std::string folder;  // where the trained quantisers are kept; empty: retrained after a restart
  int lists = 1024;
  int probes = 256;
  std::size_t queue_limit = 500000;  // captures waiting to be indexed; beyond: dropped, logged
};

struct CatalogStatus {
  std::size_t indexed = 0;     // searchable captures, both lengths
  std::size_t buffered = 0;    // of which still in the exact buffer
  std::size_t partitions = 0;  // time partitions, both lengths
  bool trained = false;        // every index that holds captures has its quantiser
  std::size_t memory_bytes = 0;
  bool rebuilding = false;
  std::size_t rebuilt = 0;  // captures read back from the store so far
  std::size_t rebuild_days_done = 0;
  std::size_t rebuild_days = 0;
  std::size_t queued = 0;   // stored captures waiting to be indexed
  std::size_t dropped = 0;  // captures not indexed because the queue was full
};

class FaceCatalog {
 public:
  // `events` may be null: nothing is rebuilt.
  FaceCatalog(store::EventStore* events, CatalogOptions options);
  ~FaceCatalog();
  FaceCatalog(const FaceCatalog&) = delete;
  FaceCatalog& operator=(const FaceCatalog&) = delete;

  // Starts the rebuild from the store and the indexing thread.
  void start();
  // An EventWriter observer: queues the face captures among `stored` and returns at once.
  void offer(const std::vector<store::StoredEvent>& stored);
  // The index of the query's length (128 or 512) answers.
  Result<std::vector<FaceHit>> search(const FaceQuery& query) const;
  CatalogStatus status() const;
  // Retention: forgets the captures of the whole days before `ts` (UTC day partitions), in both
  // indexes. Returns how many were forgotten.
  std::size_t dropBefore(int64_t ts);

 private:
  struct Pending {
    int64_t key = 0, ts = 0, estate_id = 0;
    std::string embedding;  // base64, decoded on the indexing thread
  };
  void feed();
  void rebuild();
  void index(std::vector<Pending> batch);
  FaceIndex& indexFor(std::size_t dim) const;

  store::EventStore* events_;
  CatalogOptions options_;
  std::unique_ptr<FaceIndex> small_;  // 128 floats
  std::unique_ptr<FaceIndex> large_;  // 512 floats

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Pending> queue_;  // GUARDED_BY(mutex_)
  std::size_t dropped_ = 0;    // GUARDED_BY(mutex_)
  bool stopping_ = false;      // GUARDED_BY(mutex_)

  std::atomic<bool> rebuilding_{false};
  std::atomic<std::size_t> rebuilt_{0};
  std::atomic<std::size_t> rebuild_days_done_{0};
  std::atomic<std::size_t> rebuild_days_{0};
  std::thread feeder_;
  std::thread rebuilder_;
};

}  // namespace anju::faces
