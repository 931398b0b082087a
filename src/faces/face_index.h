// An approximate nearest-neighbour index of face embeddings (cosine similarity), built for a
// camera feed: captures become searchable the moment they are added, and a search can be limited
// to a time window and a set of estates.
//
// Why it is written here rather than wrapped: on this hardware (2 cores) an HNSW graph (hnswlib,
// M=16, efConstruction=200) is built at about 1,000 vectors/s, and Debian's Faiss 1.7.3 is built
// without SIMD (its HNSW build runs at about 240 vectors/s, its exact scan at 4.8 GB/s), while a
// camera feed brings tens of thousands of captures a second. What is fast here is comparing many
// vectors at once with OpenBLAS and scanning compact codes with AVX2. So:
//
//   - an inverted file: a coarse quantiser (k-means, trained once on a sample and persisted so a
//     restart reuses it) splits vectors into lists, and a search scans only the `nprobe` lists
//     nearest the query;
//   - codes are int8 scalar-quantised (one scale per vector), 4x smaller than floats, in each
//     list's contiguous array, with their sign bits beside them (64 bytes for 512 floats): the
//     probed lists are scanned by the Hamming distance of the signs, and the best few hundred
//     candidates are re-scored with the float query against their int8 codes. On faces spread
//     evenly over the sphere (no clusters for k-means to find) two captures of one person often
//     fall into different lists, so many lists must be probed; the sign scan makes a quarter of
//     the lists cost what a twentieth did with int8 codes;
//   - lists are kept per time partition (one per UTC day by default), so a search touches only its
//     window's partitions and retention drops whole partitions;
//   - the newest captures wait in a small exact buffer, searchable at once, until a background
//     thread moves them into the lists in batches (one sgemm assigns a whole batch);
//   - a window with few captures, or an index not yet trained, is scanned whole.
//
// With `partition_ms = 0` there is a single partition (a watchlist's faces), and `remove` works
// either way.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "common/status.h"

namespace anju::faces {

inline constexpr int64_t kDayMs = 86'400'000;

struct IndexOptions {
  int dim = 512;
  int lists = 1024;               // k-means centroids (nlist)
  int probes = 256;               // lists scanned per search (nprobe)
  int64_t partition_ms = kDayMs;  // 0: one partition
  std::string quantizer_path;     // where the trained quantiser is kept; empty: not kept
  std::size_t train_after = 0;    // train once this many vectors are held; 0: lists * 32
  std::size_t train_sample = 0;   // vectors the k-means sees; 0: lists * 32
  int train_iterations = 10;
  std::size_t scan_whole_below = 20000;  // a window holding fewer vectors is scanned whole
  std::size_t batch = 4096;              // vectors moved from the buffer into the lists at once
  bool background = true;  // false: the buffer moves only in flush() (tests decide when)
};

struct FaceEntry {
  int64_t key = 0;
  int64_t ts = 0;  // ms since the epoch
  int64_t estate_id = 0;
  std::vector<float> embedding;
};

struct FaceQuery {
  std::vector<float> embedding;
  int64_t from = std::numeric_limits<int64_t>::min();  // inclusive
  int64_t to = std::numeric_limits<int64_t>::max();    // inclusive
  std::optional<std::vector<int64_t>> estates;         // nullopt: every estate
  int k = 10;
  float min_similarity = -1;
  int probes = 0;  // lists scanned; 0: the index's own setting
  // Candidates kept from probed lists (by sign distance) and re-scored; 0: max(16 k, 512). A
  // near copy of a held face (a watchlist match) ranks near the top, so a few dozen do.
  int candidates = 0;
};

struct FaceHit {
  int64_t key = 0;
  int64_t ts = 0;
  int64_t estate_id = 0;
  float similarity = 0;
};

struct IndexStats {
  std::size_t vectors = 0;   // searchable, buffered ones included
  std::size_t buffered = 0;  // waiting in the exact buffer
  std::size_t partitions = 0;
  bool trained = false;
  std::size_t memory_bytes = 0;  // what the index holds (codes, ids, buffer, quantiser)
};

class FaceIndex {
 public:
  // Reads the quantiser from `quantizer_path` when one of the same shape is there.
  explicit FaceIndex(IndexOptions options);
  ~FaceIndex();
  FaceIndex(const FaceIndex&) = delete;
  FaceIndex& operator=(const FaceIndex&) = delete;

  // Embeddings are normalised here; wrong length, NaN or zero: kInvalid naming `embedding`, and
  // nothing of the batch is added. A key already held is left as it is.
  Status add(FaceEntry entry);
  Status add(std::vector<FaceEntry> entries);
  // False when the key is not held.
  bool remove(int64_t key);
  // Best first; at most k hits at or above min_similarity.
  Result<std::vector<FaceHit>> search(const FaceQuery& query) const;
  // Drops the partitions that end at or before `ts` (not with a single partition); returns how
  // many vectors went.
  std::size_t dropBefore(int64_t ts);
  // Trains the quantiser if it is due and moves the whole buffer into the lists now.
  void flush();
  IndexStats stats() const;
  int dim() const { return options_.dim; }

 private:
  struct List {
    std::vector<int8_t> codes;   // dim bytes a vector
    std::vector<uint64_t> bits;  // dim / 64 words a vector: the codes' signs
    std::vector<float> scales;
    std::vector<int64_t> keys;
    std::vector<int64_t> ts;
    std::vector<int64_t> estates;
  };
  struct Partition {
    std::vector<List> lists;  // one list until the quantiser is trained
    std::size_t count = 0;
  };
  // Where a key is: its partition, list and row; list -1: in the buffer.
  struct Place {
    int64_t partition = 0;
    int32_t list = -1;
    uint32_t row = 0;
  };
  // A buffered capture; the buffer is in serial order, oldest first.
  struct Buffered {
    int64_t key = 0, ts = 0, estate = 0, serial = 0;
    std::vector<float> vector;
  };

  void run();
  // Moves up to `limit` buffered vectors into the lists, training first when due.
  void drain(std::size_t limit);
  void trainIfDue();
  int64_t partitionOf(int64_t ts) const;
  void appendTo(int64_t partition, int32_t list, const int8_t* code, float scale, int64_t key,
                int64_t ts, int64_t estate);
  bool loadQuantizer();
  void saveQuantizer() const;

  const IndexOptions options_;
  mutable std::shared_mutex mutex_;
  std::map<int64_t, Partition> partitions_;    // GUARDED_BY(mutex_)
  std::unordered_map<int64_t, Place> places_;  // GUARDED_BY(mutex_)
  std::deque<Buffered> buffer_;                // GUARDED_BY(mutex_)
  int64_t next_serial_ = 0;                    // GUARDED_BY(mutex_)
  std::vector<float> centroids_;               // GUARDED_BY(mutex_): empty until trained
  std::size_t held_ = 0;                       // GUARDED_BY(mutex_): vectors in the lists

  std::mutex wake_mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;   // GUARDED_BY(wake_mutex_)
  std::mutex drain_mutex_;  // one drain at a time (the thread or flush)
  std::thread thread_;
};

}  // namespace anju::faces
