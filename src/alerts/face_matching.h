// The engine's face lookups over the face index: watched faces (and residents' enrolled faces) in
// a single-partition index per embedding length, and the stranger rule's search of recent
// captures through the server's capture catalog.
#pragma once

#include <map>
#include <memory>
#include <vector>

#include "alerts/engine.h"
#include "faces/face_catalog.h"
#include "faces/face_index.h"

namespace anju::alerts {

class IndexedFaces final : public FaceMatcher {
 public:
  // `probes`: lists scanned per match. A watched face is matched by a near copy, which lies in
  // the query's nearest lists, so far fewer lists are needed than for a search by image: on
  // 100,000 faces spread over the sphere, 32 of 256 lists find 99.8% of copies at similarity 0.9
  // (16 found 98.2%; see docs/benchmarks.md).
  explicit IndexedFaces(int probes = 32) : probes_(probes) {}
  void load(const std::vector<WatchedFace>& faces) override;
  std::vector<Match> match(const std::vector<float>& embedding, float min_similarity) override;

 private:
  int probes_;
  std::map<std::size_t, std::unique_ptr<faces::FaceIndex>> by_length_;
  std::vector<int64_t> entry_of_;  // index key -> watchlist entry (or person)
};

class CatalogCaptures final : public CaptureIndex {
 public:
  explicit CatalogCaptures(const faces::FaceCatalog& catalog) : catalog_(catalog) {}
  std::vector<Similar> similar(const std::vector<float>& embedding, int64_t estate_id, int64_t from,
                               int64_t to, int k, float min_similarity) override;

 private:
  const faces::FaceCatalog& catalog_;
};

}  // namespace anju::alerts
