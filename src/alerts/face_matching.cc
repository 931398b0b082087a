#include "alerts/face_matching.h"

#include <algorithm>

#include "common/log.h"

namespace anju::alerts {

namespace {

// Candidates re-scored per match. A near copy of a watched face is among the first few by sign
// distance, and each candidate's code is a cache miss: more cost time and find nothing more.
constexpr int kCandidates = 16;

}  // namespace

void IndexedFaces::load(const std::vector<WatchedFace>& faces) {
  by_length_.clear();
  entry_of_.clear();
  std::map<std::size_t, std::vector<faces::FaceEntry>> grouped;
  for (const auto& face : faces) {
    grouped[face.embedding.size()].push_back({.key = static_cast<int64_t>(entry_of_.size()),
                                              .ts = 0,
                                              .estate_id = 0,
                                              .embedding = face.embedding});
    entry_of_.push_back(face.entry_id);
  }
  for (auto& [length, entries] : grouped) {
    auto index = std::make_unique<faces::FaceIndex>(
        faces::IndexOptions{.dim = static_cast<int>(length),
                            .lists = std::clamp(static_cast<int>(entries.size() / 400), 16, 256),
                            .probes = probes_,
                            .partition_ms = 0,
                            .background = false});
    Status added = index->add(std::move(entries));
    if (!added) {
      // Faces are checked when enrolled; one that is not (an older row) leaves its length
      // unmatched.
      log::warn("alerts.faces_not_loaded", {{"error", added.message()}});
      continue;
    }
    index->flush();
    by_length_[length] = std::move(index);
  }
}

std::vector<FaceMatcher::Match> IndexedFaces::match(const std::vector<float>& embedding,
                                                    float min_similarity) {
  std::vector<Match> out;
  auto index = by_length_.find(embedding.size());
  if (index == by_length_.end()) return out;
  auto hits = index->second->search({.embedding = embedding,
                                     .k = 10,
                                     .min_similarity = min_similarity,
                                     .probes = probes_,
                                     .candidates = kCandidates});
  if (!hits) return out;
  for (const auto& hit : *hits) {
    if (hit.key >= 0 && static_cast<std::size_t>(hit.key) < entry_of_.size()) {
      out.push_back({entry_of_[hit.key], hit.similarity});
    }
  }
  return out;
}

std::vector<CaptureIndex::Similar> CatalogCaptures::similar(const std::vector<float>& embedding,
                                                            int64_t estate_id, int64_t from,
                                                            int64_t to, int k,
                                                            float min_similarity) {
  std::vector<Similar> out;
  auto hits = catalog_.search({.embedding = embedding,
                               .from = from,
                               .to = to,
                               .estates = std::vector<int64_t>{estate_id},
                               .k = k,
                               .min_similarity = min_similarity});
  if (!hits) return out;
  for (const auto& hit : *hits) out.push_back({hit.key, hit.ts, hit.similarity});
  return out;
}

}  // namespace anju::alerts
