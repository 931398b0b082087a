#include "faces/face_catalog.h"

#include <chrono>
#include <filesystem>

#include "common/log.h"
#include "faces/embedding.h"

namespace anju::faces {

namespace {

constexpr int kRebuildPage = 2000;

IndexOptions indexOptions(const CatalogOptions& c, int dim) {
  IndexOptions o;
  o.dim = dim;
  o.lists = c.lists;
  o.probes = c.probes;
  if (!c.folder.empty()) {
    o.quantizer_path =
        (std::filesystem::path(c.folder) / ("faces-" + std::to_string(dim) + ".ivf")).string();
  }
  return o;
}

}  // namespace

FaceCatalog::FaceCatalog(store::EventStore* events, CatalogOptions options)
    : events_(events),
      options_(std::move(options)),
      small_(std::make_unique<FaceIndex>(indexOptions(options_, kSmallDim))),
      large_(std::make_unique<FaceIndex>(indexOptions(options_, kLargeDim))) {}

FaceCatalog::~FaceCatalog() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (rebuilder_.joinable()) rebuilder_.join();
  if (feeder_.joinable()) feeder_.join();
}

void FaceCatalog::start() {
  feeder_ = std::thread([this] { feed(); });
  if (events_) {
    rebuilding_ = true;
    rebuilder_ = std::thread([this] { rebuild(); });
  }
}

void FaceCatalog::offer(const std::vector<store::StoredEvent>& stored) {
  std::size_t added = 0;
  std::size_t dropped_now = 0, dropped_total = 0;
  {
    std::lock_guard lock(mutex_);
    for (const auto& s : stored) {
      if (s.event.kind != domain::EventKind::kFaceCapture || s.event.embedding.empty()) continue;
      if (queue_.size() >= options_.queue_limit) {
        ++dropped_now;
        dropped_total = ++dropped_;
        continue;
      }
      queue_.push_back({store::EventStore::eventKey(s.event.ts, s.seq), s.event.ts,
                        s.event.estate_id, s.event.embedding});
      ++added;
    }
  }
  if (added) wake_.notify_one();
  // Captures not indexed stay in the store: the next start's rebuild indexes them.
  if (dropped_now) {
    log::warn("faces.captures_not_indexed", {{"dropped", std::to_string(dropped_now)},
                                             {"dropped_total", std::to_string(dropped_total)}});
  }
}

std::size_t FaceCatalog::dropBefore(int64_t ts) {
  return small_->dropBefore(ts) + large_->dropBefore(ts);
}

FaceIndex& FaceCatalog::indexFor(std::size_t dim) const {
  return dim == kSmallDim ? *small_ : *large_;
}

Result<std::vector<FaceHit>> FaceCatalog::search(const FaceQuery& query) const {
  // normalize() in the index names a wrong length; anything not 128 goes to the 512 index.
  return indexFor(query.embedding.size()).search(query);
}

void FaceCatalog::index(std::vector<Pending> batch) {
  std::vector<FaceEntry> small, large;
  for (auto& p : batch) {
    auto v = decodeEmbedding(p.embedding);
    if (!v) {
      log::warn("faces.capture_skipped",
                {{"key", std::to_string(p.key)}, {"error", v.status().message()}});
      continue;
    }
    auto& to = v->size() == kSmallDim ? small : large;
    to.push_back({p.key, p.ts, p.estate_id, std::move(*v)});
  }
  for (auto* part : {&small, &large}) {
    if (part->empty()) continue;
    Status st = indexFor(part->front().embedding.size()).add(std::move(*part));
    if (!st) log::warn("faces.batch_skipped", {{"error", st.message()}});
  }
}

void FaceCatalog::feed() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;
    std::vector<Pending> batch;
    while (!queue_.empty() && batch.size() < 4096) {
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    lock.unlock();
    index(std::move(batch));
    lock.lock();
  }
}

void FaceCatalog::rebuild() {
  const auto started = std::chrono::steady_clock::now();
  auto last_log = started;
  const auto days = events_->partitions();
  rebuild_days_ = days.size();
  log::info("faces.rebuild_started", {{"days", std::to_string(days.size())}});
  int64_t after = 0;
  int64_t day = -1;
  std::size_t days_done = 0;
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) break;
    }
    auto page = events_->eventsAfter(after, "face_capture", kRebuildPage);
    if (!page) {
      log::error("faces.rebuild_failed", {{"error", page.status().message()}});
      break;
    }
    if (page->empty()) break;
    std::vector<Pending> batch;
    for (auto& s : *page) {
      after = store::EventStore::eventKey(s.event.ts, s.seq);
      // Captures come day after day: a new day means the one before is done.
      if ((after >> 32) != day) {
        if (day >= 0) ++days_done;
        day = after >> 32;
      }
      batch.push_back({after, s.event.ts, s.event.estate_id, std::move(s.event.embedding)});
    }
    rebuilt_ += batch.size();
    index(std::move(batch));
    rebuild_days_done_ = std::min(days_done, days.size());
    const auto now = std::chrono::steady_clock::now();
    if (now - last_log > std::chrono::seconds(5)) {
      last_log = now;
      log::info("faces.rebuilding", {{"captures", std::to_string(rebuilt_.load())},
                                     {"days_done", std::to_string(rebuild_days_done_.load())},
                                     {"days", std::to_string(days.size())}});
    }
  }
  rebuild_days_done_ = days.size();
  rebuilding_ = false;
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - started)
                      .count();
  log::info("faces.rebuilt",
            {{"captures", std::to_string(rebuilt_.load())}, {"ms", std::to_string(ms)}});
}

CatalogStatus FaceCatalog::status() const {
  CatalogStatus s;
  s.trained = true;
  for (const auto* index : {small_.get(), large_.get()}) {
    const IndexStats st = index->stats();
    s.indexed += st.vectors;
    s.buffered += st.buffered;
    s.partitions += st.partitions;
    s.memory_bytes += st.memory_bytes;
    if (st.vectors > 0 && !st.trained) s.trained = false;
  }
  s.rebuilding = rebuilding_;
  s.rebuilt = rebuilt_;
  s.rebuild_days_done = rebuild_days_done_;
  s.rebuild_days = rebuild_days_;
  std::lock_guard lock(mutex_);
  s.queued = queue_.size();
  s.dropped = dropped_;
  return s;
}

}  // namespace anju::faces
