// The face index against the exact search, on synthetic captures: identities with several noisy
// captures each (as cameras produce), spread over days and estates.
//   anju_faces_bench [identities] [captures_per_identity] [queries] [lists] [probes,...]
//   [watchlist]
// Prints: the quantiser's training time, the indexing rate (captures moved into the lists per
// second, sustained), recall@10 of
// noisy-copy and of random queries against the exact float search, both searches' p50/p99, the
// index's resident memory, and a single-partition (watchlist) search rate.
#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "faces/exact_index.h"
#include "faces/face_index.h"

using namespace anju::faces;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kDim = 512;
constexpr int kDays = 10;
constexpr int kEstates = 60;
constexpr int64_t kStart = 20000 * kDayMs;
// Two captures of one person have a cosine similarity of about 1 / (1 + kNoise^2) = 0.7, about
// what face models give for the same person in street-camera images; different people about 0.
constexpr float kNoise = 0.65f;

double ms(Clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

// Resident anonymous memory of this process (what the index allocates), in MiB.
double rssAnonMib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("RssAnon:", 0) == 0) return std::stod(line.substr(8)) / 1024.0;
  }
  return 0;
}

void unit(float* v) {
  double s = 0;
  for (int i = 0; i < kDim; ++i) s += double{v[i]} * v[i];
  const auto k = static_cast<float>(1.0 / std::sqrt(s));
  for (int i = 0; i < kDim; ++i) v[i] *= k;
}

std::vector<float> randomUnit(std::mt19937_64& rng) {
  std::normal_distribution<float> g;
  std::vector<float> v(kDim);
  for (auto& x : v) x = g(rng);
  unit(v.data());
  return v;
}

std::vector<float> noisy(const float* face, std::mt19937_64& rng) {
  std::normal_distribution<float> g(0, kNoise / std::sqrt(static_cast<float>(kDim)));
  std::vector<float> v(face, face + kDim);
  for (auto& x : v) x += g(rng);
  unit(v.data());
  return v;
}

struct Percentiles {
  double p50 = 0, p99 = 0;
};
Percentiles percentiles(std::vector<double> t) {
  std::sort(t.begin(), t.end());
  return {t[t.size() / 2], t[std::min(t.size() - 1, t.size() * 99 / 100)]};
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t identities = argc > 1 ? std::stoul(argv[1]) : 10000;
  const std::size_t per = argc > 2 ? std::stoul(argv[2]) : 10;
  const std::size_t queries = argc > 3 ? std::stoul(argv[3]) : 200;
  const int lists = argc > 4 ? std::stoi(argv[4]) : 1024;
  // Lists probed: the index's setting, then each value of a comma-separated list is measured.
  std::vector<int> probe_list;
  for (std::string rest = argc > 5 ? argv[5] : "256"; !rest.empty();) {
    const auto comma = rest.find(',');
    probe_list.push_back(std::stoi(rest.substr(0, comma)));
    rest = comma == std::string::npos ? "" : rest.substr(comma + 1);
  }
  const int probes = probe_list.front();
  const std::size_t watch = argc > 6 ? std::stoul(argv[6]) : 100000;
  const std::size_t total = identities * per;
  std::printf("captures: %zu (%zu identities x %zu), %d floats, %d days, %d estates\n", total,
              identities, per, kDim, kDays, kEstates);
  std::printf("index: %d lists, int8 codes and sign bits, one partition a day\n", lists);

  std::mt19937_64 rng(1);
  std::vector<float> centres(identities * kDim);
  for (std::size_t i = 0; i < identities; ++i) {
    auto v = randomUnit(rng);
    std::copy(v.begin(), v.end(), centres.begin() + i * kDim);
  }
  // Captures in arrival order: each identity's captures fall at random times over the days.
  std::vector<FaceEntry> captures(total);
  std::uniform_int_distribution<int64_t> when(0, kDays * kDayMs - 1);
  std::uniform_int_distribution<int64_t> where(1, kEstates);
  for (std::size_t i = 0; i < total; ++i) {
    const std::size_t who = i / per;
    captures[i] = {static_cast<int64_t>(i + 1), kStart + when(rng), where(rng),
                   noisy(centres.data() + who * kDim, rng)};
  }
  std::sort(captures.begin(), captures.end(),
            [](const FaceEntry& a, const FaceEntry& b) { return a.ts < b.ts; });

  // 1. Indexing, as the server feeds it: batches of 4096, a background thread moving the buffer
  // into the lists. The quantiser is trained once on the first captures (a server keeps it, so
  // this happens once in its life); then the rest is added as fast as add() takes it, and the
  // rate counts until the last capture has left the buffer for the lists.
  malloc_trim(0);
  const double rss_before = rssAnonMib();
  FaceIndex index({.dim = kDim, .lists = lists, .probes = probes});
  const std::size_t first_part = std::min(total, static_cast<std::size_t>(lists) * 32);
  const auto t_train = Clock::now();
  if (!index.add(std::vector<FaceEntry>(captures.begin(), captures.begin() + first_part))) return 1;
  index.flush();
  const auto t0 = Clock::now();
  std::size_t newest_found = 0, newest_checks = 0;
  for (std::size_t first = first_part; first < total; first += 4096) {
    const std::size_t last = std::min(total, first + 4096);
    std::vector<FaceEntry> batch(captures.begin() + first, captures.begin() + last);
    if (!index.add(std::move(batch))) return 1;
    if (((first - first_part) / 4096) % 25 == 0) {
      // The capture just added is found at once, before the background thread moves it.
      ++newest_checks;
      auto hit = index.search({.embedding = captures[last - 1].embedding, .k = 1});
      newest_found += hit && !hit->empty() && (*hit)[0].key == captures[last - 1].key;
    }
  }
  const auto added = Clock::now();
  while (index.stats().buffered > 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  const auto t1 = Clock::now();
  const IndexStats st = index.stats();
  const double rest = static_cast<double>(total - first_part);
  std::printf("training: k-means on the first %zu captures, %.1f s (once; then persisted)\n",
              first_part, ms(t0 - t_train) / 1000);
  std::printf(
      "indexing: %.0f captures added in %.1f s (%.0f/s, searchable at once), all in the "
      "lists after %.1f s: %.0f captures/s sustained\n",
      rest, ms(added - t0) / 1000, rest / (ms(added - t0) / 1000), ms(t1 - t0) / 1000,
      rest / (ms(t1 - t0) / 1000));
  std::printf("newest capture found by the search right after add(): %zu of %zu checks\n",
              newest_found, newest_checks);
  malloc_trim(0);
  std::printf("memory: the index counts %.0f MiB; resident memory grew by %.0f MiB\n",
              st.memory_bytes / 1048576.0, rssAnonMib() - rss_before);

  // 2. Search against the exact float search, over the whole window.
  ExactIndex exact(kDim);
  if (!exact.add(captures)) return 1;
  captures.clear();
  captures.shrink_to_fit();
  // Each set of queries runs through the index, then through the exact search: OpenBLAS's
  // threads spin for a while after a product, and must not take the index's core meanwhile.
  for (int p : probe_list) {
    for (int kind = 0; kind < 2; ++kind) {
      std::mt19937_64 qrng(100 + kind);
      std::uniform_int_distribution<std::size_t> who(0, identities - 1);
      std::vector<FaceQuery> batch;
      for (std::size_t q = 0; q < queries; ++q) {
        batch.push_back({.embedding = kind == 0 ? noisy(centres.data() + who(qrng) * kDim, qrng)
                                                : randomUnit(qrng),
                         .k = 10,
                         .probes = p});
      }
      std::vector<double> index_ms, exact_ms;
      std::vector<std::vector<FaceHit>> approx, truth;
      for (const auto& query : batch) {
        const auto a0 = Clock::now();
        auto hits = index.search(query);
        index_ms.push_back(ms(Clock::now() - a0));
        if (!hits) return 1;
        approx.push_back(std::move(*hits));
      }
      for (const auto& query : batch) {
        const auto a0 = Clock::now();
        auto hits = exact.search(query);
        exact_ms.push_back(ms(Clock::now() - a0));
        if (!hits) return 1;
        truth.push_back(std::move(*hits));
      }
      double recall = 0;
      for (std::size_t q = 0; q < queries; ++q) {
        std::set<int64_t> want;
        for (const auto& h : truth[q]) want.insert(h.key);
        std::size_t got = 0;
        for (const auto& h : approx[q]) got += want.count(h.key);
        recall += static_cast<double>(got) / static_cast<double>(want.size());
      }
      const auto pi = percentiles(index_ms), pe = percentiles(exact_ms);
      std::printf(
          "nprobe %d, %s queries (%zu): recall@10 %.3f; index p50 %.2f ms p99 %.2f ms; "
          "exact p50 %.1f ms p99 %.1f ms\n",
          p, kind == 0 ? "noisy-copy" : "random", queries, recall / queries, pi.p50, pi.p99, pe.p50,
          pe.p99);
    }
  }

  // 3. A watchlist: one partition of faces, every incoming capture matched against it.
  if (watch > 0) {
    FaceIndex list({.dim = kDim, .lists = lists, .probes = probes, .partition_ms = 0});
    std::mt19937_64 wrng(7);
    std::vector<FaceEntry> faces;
    for (std::size_t i = 0; i < watch; ++i)
      faces.push_back({static_cast<int64_t>(i + 1), 0, 1,
                       noisy(centres.data() + (i % identities) * kDim, wrng)});
    const auto w0 = Clock::now();
    if (!list.add(std::move(faces))) return 1;
    list.flush();
    const auto w1 = Clock::now();
    std::vector<double> t;
    const auto s0 = Clock::now();
    for (std::size_t q = 0; q < 2000; ++q) {
      auto c0 = Clock::now();
      auto hit = list.search({.embedding = noisy(centres.data() + (q % identities) * kDim, wrng),
                              .k = 1,
                              .min_similarity = 0.5f});
      t.push_back(ms(Clock::now() - c0));
      if (!hit) return 1;
    }
    const auto s1 = Clock::now();
    const auto p = percentiles(t);
    std::printf(
        "watchlist of %zu faces (one partition): built in %.1f s; %.0f captures/s matched "
        "on one thread, p50 %.2f ms p99 %.2f ms\n",
        watch, ms(w1 - w0) / 1000, 2000 / (ms(s1 - s0) / 1000), p.p50, p.p99);
  }
  return 0;
}
