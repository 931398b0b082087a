#include "faces/face_index.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <queue>

#include "common/log.h"
#include "faces/embedding.h"
#include "faces/kernels.h"
#include "faces/kmeans.h"

namespace anju::faces {

namespace {

constexpr char kMagic[8] = {'A', 'N', 'J', 'U', 'I', 'V', 'F', '1'};
// Codes scored at once: the int32 scores of a block stay in L1.
constexpr std::size_t kScanBlock = 256;

struct Candidate {
  float score = 0;
  const int8_t* code = nullptr;
  float scale = 0;
  int64_t key = 0, ts = 0, estate = 0;
};

struct WorseFirst {
  bool operator()(const Candidate& a, const Candidate& b) const { return a.score > b.score; }
};

// The best `capacity` candidates seen so far, worst on top.
class TopCandidates {
 public:
  explicit TopCandidates(std::size_t capacity) : capacity_(capacity) {}
  bool wants(float score) const { return heap_.size() < capacity_ || score > heap_.top().score; }
  void push(const Candidate& c) {
    if (heap_.size() < capacity_) {
      heap_.push(c);
    } else if (c.score > heap_.top().score) {
      heap_.pop();
      heap_.push(c);
    }
  }
  std::vector<Candidate> take() {
    std::vector<Candidate> out;
    while (!heap_.empty()) {
      out.push_back(heap_.top());
      heap_.pop();
    }
    return out;
  }

 private:
  std::size_t capacity_;
  std::priority_queue<Candidate, std::vector<Candidate>, WorseFirst> heap_;
};

template <typename T>
std::size_t bytesOf(const std::vector<T>& v) {
  return v.capacity() * sizeof(T);
}

}  // namespace

FaceIndex::FaceIndex(IndexOptions options) : options_(std::move(options)) {
  loadQuantizer();
  if (options_.background) thread_ = std::thread([this] { run(); });
}

FaceIndex::~FaceIndex() {
  {
    std::lock_guard lock(wake_mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

int64_t FaceIndex::partitionOf(int64_t ts) const {
  if (options_.partition_ms <= 0) return 0;
  const int64_t p = options_.partition_ms;
  // Written so that the open ends of a window (the int64 limits) do not overflow.
  const int64_t q = ts / p;
  return ts % p < 0 ? q - 1 : q;
}

Status FaceIndex::add(FaceEntry entry) {
  std::vector<FaceEntry> one;
  one.push_back(std::move(entry));
  return add(std::move(one));
}

Status FaceIndex::add(std::vector<FaceEntry> entries) {
  for (auto& e : entries) {
    ANJU_RETURN_IF_ERROR(normalize(e.embedding));
    if (static_cast<int>(e.embedding.size()) != options_.dim) {
      return Status::invalid("embedding", "人脸特征长度与索引不符 (embedding must have " +
                                              std::to_string(options_.dim) + " numbers)");
    }
  }
  bool wake = false;
  {
    std::unique_lock lock(mutex_);
    for (auto& e : entries) {
      if (!places_.emplace(e.key, Place{partitionOf(e.ts), -1, 0}).second) continue;
      buffer_.push_back({e.key, e.ts, e.estate_id, next_serial_++, std::move(e.embedding)});
    }
    wake = buffer_.size() >= options_.batch;
  }
  if (wake) wake_.notify_one();
  return {};
}

bool FaceIndex::remove(int64_t key) {
  std::unique_lock lock(mutex_);
  auto found = places_.find(key);
  if (found == places_.end()) return false;
  const Place place = found->second;
  places_.erase(found);
  if (place.list < 0) {
    std::erase_if(buffer_, [key](const Buffered& b) { return b.key == key; });
    return true;
  }
  // The list's last row takes the removed one's place, so lists stay contiguous.
  auto part = partitions_.find(place.partition);
  List& list = part->second.lists[place.list];
  const std::size_t last = list.keys.size() - 1;
  const std::size_t row = place.row;
  const auto d = static_cast<std::size_t>(options_.dim);
  if (row != last) {
    std::memcpy(list.codes.data() + row * d, list.codes.data() + last * d, d);
    const std::size_t w = d / 64;
    std::copy_n(list.bits.data() + last * w, w, list.bits.data() + row * w);
    list.scales[row] = list.scales[last];
    list.keys[row] = list.keys[last];
    list.ts[row] = list.ts[last];
    list.estates[row] = list.estates[last];
    places_[list.keys[row]].row = static_cast<uint32_t>(row);
  }
  list.codes.resize(last * d);
  list.bits.resize(last * (d / 64));
  list.scales.pop_back();
  list.keys.pop_back();
  list.ts.pop_back();
  list.estates.pop_back();
  --held_;
  if (--part->second.count == 0) partitions_.erase(part);
  return true;
}

void FaceIndex::appendTo(int64_t partition, int32_t list_no, const int8_t* code, float scale,
                         int64_t key, int64_t ts, int64_t estate) {
  Partition& part = partitions_[partition];
  if (part.lists.empty()) part.lists.resize(centroids_.empty() ? 1 : options_.lists);
  List& list = part.lists[list_no];
  list.codes.insert(list.codes.end(), code, code + options_.dim);
  const std::size_t words = static_cast<std::size_t>(options_.dim) / 64;
  list.bits.resize(list.bits.size() + words);
  signBits(code, options_.dim, list.bits.data() + list.bits.size() - words);
  list.scales.push_back(scale);
  list.keys.push_back(key);
  list.ts.push_back(ts);
  list.estates.push_back(estate);
  places_[key] = Place{partition, list_no, static_cast<uint32_t>(list.keys.size() - 1)};
  ++part.count;
  ++held_;
}

Result<std::vector<FaceHit>> FaceIndex::search(const FaceQuery& query) const {
  std::vector<float> q = query.embedding;
  ANJU_RETURN_IF_ERROR(normalize(q));
  if (static_cast<int>(q.size()) != options_.dim) {
    return Status::invalid("embedding", "人脸特征长度与索引不符 (embedding must have " +
                                            std::to_string(options_.dim) + " numbers)");
  }
  if (query.k < 1) return Status::invalid("k", "k 至少为 1 (k must be at least 1)");
  const int dim = options_.dim;
  const auto d = static_cast<std::size_t>(dim);
  std::vector<int8_t> q8(d);
  quantize(q.data(), dim, q8.data());
  std::vector<int64_t> estates;
  if (query.estates) {
    estates = *query.estates;
    std::sort(estates.begin(), estates.end());
  }
  auto wanted = [&](int64_t ts, int64_t estate) {
    return ts >= query.from && ts <= query.to &&
           (!query.estates || std::binary_search(estates.begin(), estates.end(), estate));
  };
  const auto k = static_cast<std::size_t>(query.k);
  std::vector<FaceHit> hits;

  std::shared_lock lock(mutex_);
  auto first = partitions_.begin();
  auto end = partitions_.end();
  if (options_.partition_ms > 0) {
    first = partitions_.lower_bound(partitionOf(query.from));
    end = partitions_.upper_bound(partitionOf(query.to));
  }
  std::size_t in_window = 0;
  for (auto it = first; it != end; ++it) in_window += it->second.count;

  // Lists to scan: the nearest `probes` centroids, or every list of a small window.
  std::vector<int32_t> probe;
  if (!centroids_.empty() && in_window > options_.scan_whole_below) {
    // One query against the centroids: a plain loop on this thread, not OpenBLAS, whose worker
    // threads would add their wake-up time to every search.
    std::vector<float> scores(options_.lists);
    for (int j = 0; j < options_.lists; ++j)
      scores[j] = dotFloat(q.data(), centroids_.data() + static_cast<std::size_t>(j) * d, dim);
    probe.resize(options_.lists);
    for (int j = 0; j < options_.lists; ++j) probe[j] = j;
    const auto n = static_cast<std::size_t>(
        std::min(query.probes > 0 ? query.probes : options_.probes, options_.lists));
    std::partial_sort(probe.begin(), probe.begin() + static_cast<std::ptrdiff_t>(n), probe.end(),
                      [&](int32_t a, int32_t b) { return scores[a] > scores[b]; });
    probe.resize(n);
  }

  // A small window is scanned whole with the int8 query, near-exactly; probed lists are scanned
  // by the Hamming distance of signs, which keeps several hundred candidates. Either way the
  // candidates are re-scored with the float query against their int8 codes.
  const std::size_t words = d / 64;
  std::vector<uint64_t> q_bits(words);
  signBits(q8.data(), dim, q_bits.data());
  TopCandidates top(probe.empty()          ? k + std::max<std::size_t>(k, 32)
                    : query.candidates > 0 ? std::max<std::size_t>(k, query.candidates)
                                           : std::max<std::size_t>(16 * k, 512));
  int32_t scores[kScanBlock];
  auto scan = [&](const List& list, bool by_signs) {
    const std::size_t rows = list.keys.size();
    for (std::size_t b = 0; b < rows; b += kScanBlock) {
      const std::size_t n = std::min(kScanBlock, rows - b);
      if (by_signs) {
        hammingCodes(q_bits.data(), list.bits.data() + b * words, n, static_cast<int>(words),
                     scores);
      } else {
        dotCodes(q8.data(), list.codes.data() + b * d, n, dim, scores);
      }
      for (std::size_t i = 0; i < n; ++i) {
        const std::size_t r = b + i;
        const float score = by_signs ? -static_cast<float>(scores[i])
                                     : static_cast<float>(scores[i]) * list.scales[r];
        if (!top.wants(score) || !wanted(list.ts[r], list.estates[r])) continue;
        top.push({score, list.codes.data() + r * d, list.scales[r], list.keys[r], list.ts[r],
                  list.estates[r]});
      }
    }
  };
  for (auto it = first; it != end; ++it) {
    const auto& lists = it->second.lists;
    if (probe.empty() || lists.size() == 1) {
      for (const auto& list : lists) scan(list, false);
    } else {
      for (int32_t j : probe) scan(lists[j], true);
    }
  }
  // The candidates' codes lie anywhere in memory: asking for all of them before scoring any
  // overlaps their cache misses instead of waiting for each in turn.
  const auto candidates = top.take();
  for (const auto& c : candidates) {
    for (std::size_t line = 0; line < d; line += 64) __builtin_prefetch(c.code + line);
  }
  for (const auto& c : candidates) {
    hits.push_back({c.key, c.ts, c.estate, dotFloatCode(q.data(), c.code, dim) * c.scale});
  }
  for (const auto& b : buffer_) {
    if (!wanted(b.ts, b.estate)) continue;
    hits.push_back({b.key, b.ts, b.estate, dotFloat(q.data(), b.vector.data(), dim)});
  }
  lock.unlock();

  std::erase_if(hits, [&](const FaceHit& h) { return h.similarity < query.min_similarity; });
  std::sort(hits.begin(), hits.end(), [](const FaceHit& a, const FaceHit& b) {
    return a.similarity != b.similarity ? a.similarity > b.similarity : a.key < b.key;
  });
  if (hits.size() > k) hits.resize(k);
  return hits;
}

std::size_t FaceIndex::dropBefore(int64_t ts) {
  if (options_.partition_ms <= 0) return 0;
  std::unique_lock lock(mutex_);
  std::size_t dropped = 0;
  // Partition p covers [p * ms, (p + 1) * ms): it ends at or before `ts` when p < partitionOf(ts).
  const int64_t keep_from = partitionOf(ts);
  auto ended = [&](int64_t p) { return p < keep_from; };
  for (auto it = partitions_.begin(); it != partitions_.end() && ended(it->first);) {
    for (const auto& list : it->second.lists) {
      for (int64_t key : list.keys) places_.erase(key);
    }
    held_ -= it->second.count;
    dropped += it->second.count;
    it = partitions_.erase(it);
  }
  dropped += std::erase_if(buffer_, [&](const Buffered& b) {
    if (!ended(partitionOf(b.ts))) return false;
    places_.erase(b.key);
    return true;
  });
  return dropped;
}

void FaceIndex::trainIfDue() {
  const std::size_t lists = static_cast<std::size_t>(options_.lists);
  const std::size_t due = options_.train_after ? options_.train_after : lists * 32;
  const std::size_t want =
      std::max(lists, options_.train_sample ? options_.train_sample : lists * 32);
  const auto d = static_cast<std::size_t>(options_.dim);
  std::vector<float> sample;
  {
    std::shared_lock lock(mutex_);
    if (!centroids_.empty()) return;
    const std::size_t total = held_ + buffer_.size();
    if (total < std::max(due, lists)) return;
    // Every step-th vector, lists and buffer alike: spread over time and estates.
    const std::size_t step = std::max<std::size_t>(1, total / want);
    std::size_t seen = 0;
    for (const auto& [id, part] : partitions_) {
      for (const auto& list : part.lists) {
        for (std::size_t r = 0; r < list.keys.size(); ++r, ++seen) {
          if (seen % step != 0) continue;
          for (std::size_t i = 0; i < d; ++i)
            sample.push_back(static_cast<float>(list.codes[r * d + i]) * list.scales[r]);
        }
      }
    }
    for (const auto& b : buffer_) {
      if (seen++ % step == 0) sample.insert(sample.end(), b.vector.begin(), b.vector.end());
    }
  }
  const std::size_t count = sample.size() / d;
  if (count < lists) return;
  std::vector<float> centroids = trainCentroids(sample.data(), count, options_.dim, options_.lists,
                                                options_.train_iterations, 20261201);
  std::unique_lock lock(mutex_);
  centroids_ = std::move(centroids);
  // What went in before training sits in each partition's single list: spread it over the lists.
  for (auto& [id, part] : partitions_) {
    List old = std::move(part.lists[0]);
    part.lists.clear();
    part.lists.resize(options_.lists);
    part.count = 0;
    const std::size_t rows = old.keys.size();
    held_ -= rows;
    std::vector<float> vectors(rows * d);
    for (std::size_t i = 0; i < rows * d; ++i)
      vectors[i] = static_cast<float>(old.codes[i]) * old.scales[i / d];
    std::vector<int32_t> assigned(rows);
    assignLists(vectors.data(), rows, centroids_.data(), options_.lists, options_.dim,
                assigned.data());
    for (std::size_t r = 0; r < rows; ++r) {
      appendTo(id, assigned[r], old.codes.data() + r * d, old.scales[r], old.keys[r], old.ts[r],
               old.estates[r]);
    }
  }
  lock.unlock();
  saveQuantizer();
}

void FaceIndex::drain(std::size_t limit) {
  std::lock_guard drain(drain_mutex_);
  trainIfDue();
  const auto d = static_cast<std::size_t>(options_.dim);
  std::vector<float> vectors;
  std::vector<int64_t> keys, ts, estates, serials;
  bool trained = false;
  {
    std::shared_lock lock(mutex_);
    const std::size_t n = std::min(limit, buffer_.size());
    if (n == 0) return;
    vectors.reserve(n * d);
    for (std::size_t i = 0; i < n; ++i) {
      const Buffered& b = buffer_[i];
      vectors.insert(vectors.end(), b.vector.begin(), b.vector.end());
      keys.push_back(b.key);
      ts.push_back(b.ts);
      estates.push_back(b.estate);
      serials.push_back(b.serial);
    }
    trained = !centroids_.empty();
  }
  // Assignment and quantisation happen outside the lock: searches go on meanwhile. The centroids
  // change only in trainIfDue, which runs under drain_mutex_ like this.
  const std::size_t n = keys.size();
  std::vector<int32_t> assigned(n, 0);
  if (trained) {
    assignLists(vectors.data(), n, centroids_.data(), options_.lists, options_.dim,
                assigned.data());
  }
  std::vector<int8_t> codes(n * d);
  std::vector<float> scales(n);
  for (std::size_t i = 0; i < n; ++i)
    scales[i] = quantize(vectors.data() + i * d, options_.dim, codes.data() + i * d);

  std::unique_lock lock(mutex_);
  // Rows removed from the buffer meanwhile (or dropped) are not moved: the buffer's front holds
  // what is left of the batch, in serial order.
  std::size_t i = 0;
  while (!buffer_.empty() && buffer_.front().serial <= serials.back()) {
    const int64_t serial = buffer_.front().serial;
    while (serials[i] < serial) ++i;
    appendTo(partitionOf(ts[i]), assigned[i], codes.data() + i * d, scales[i], keys[i], ts[i],
             estates[i]);
    buffer_.pop_front();
  }
}

void FaceIndex::flush() {
  for (;;) {
    drain(options_.batch);
    std::shared_lock lock(mutex_);
    if (buffer_.empty()) return;
  }
}

void FaceIndex::run() {
  std::unique_lock lock(wake_mutex_);
  while (!stopping_) {
    lock.unlock();
    drain(options_.batch);
    bool more = false;
    {
      std::shared_lock index(mutex_);
      more = buffer_.size() >= options_.batch;
    }
    lock.lock();
    // A short wait keeps the buffer small (its scan is exact, so slower per vector) without
    // spinning when captures trickle in.
    if (!more) wake_.wait_for(lock, std::chrono::milliseconds(100));
  }
}

IndexStats FaceIndex::stats() const {
  std::shared_lock lock(mutex_);
  IndexStats s;
  s.buffered = buffer_.size();
  s.vectors = held_ + s.buffered;
  s.partitions = partitions_.size();
  s.trained = !centroids_.empty();
  std::size_t bytes =
      bytesOf(centroids_) + buffer_.size() * (sizeof(Buffered) + options_.dim * sizeof(float));
  for (const auto& [id, part] : partitions_) {
    for (const auto& l : part.lists) {
      bytes += sizeof(List) + bytesOf(l.codes) + bytesOf(l.bits) + bytesOf(l.scales) +
               bytesOf(l.keys) + bytesOf(l.ts) + bytesOf(l.estates);
    }
  }
  // A hash node holds the pair and a next pointer; the bucket array one pointer a bucket.
  bytes += places_.size() * (sizeof(std::pair<const int64_t, Place>) + sizeof(void*)) +
           places_.bucket_count() * sizeof(void*);
  s.memory_bytes = bytes;
  return s;
}

bool FaceIndex::loadQuantizer() {
  if (options_.quantizer_path.empty()) return false;
  std::ifstream in(options_.quantizer_path, std::ios::binary);
  if (!in) return false;
  char magic[8];
  int32_t dim = 0, lists = 0;
  in.read(magic, sizeof magic);
  in.read(reinterpret_cast<char*>(&dim), sizeof dim);
  in.read(reinterpret_cast<char*>(&lists), sizeof lists);
  if (!in || std::memcmp(magic, kMagic, sizeof magic) != 0 || dim != options_.dim ||
      lists != options_.lists)
    return false;
  std::vector<float> centroids(static_cast<std::size_t>(dim) * lists);
  in.read(reinterpret_cast<char*>(centroids.data()),
          static_cast<std::streamsize>(centroids.size() * sizeof(float)));
  if (!in) return false;
  centroids_ = std::move(centroids);
  return true;
}

void FaceIndex::saveQuantizer() const {
  if (options_.quantizer_path.empty()) return;
  // Written beside and renamed over, so a crash leaves the old file or the new one, never half.
  const std::string tmp = options_.quantizer_path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    const int32_t dim = options_.dim, lists = options_.lists;
    out.write(kMagic, sizeof kMagic);
    out.write(reinterpret_cast<const char*>(&dim), sizeof dim);
    out.write(reinterpret_cast<const char*>(&lists), sizeof lists);
    std::shared_lock lock(mutex_);
    out.write(reinterpret_cast<const char*>(centroids_.data()),
              static_cast<std::streamsize>(centroids_.size() * sizeof(float)));
    if (!out) {
      log::warn("faces.quantizer_not_saved", {{"path", tmp}});
      return;
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, options_.quantizer_path, ec);
  if (ec) log::warn("faces.quantizer_not_saved", {{"path", tmp}, {"error", ec.message()}});
}

}  // namespace anju::faces
