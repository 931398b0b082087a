// The exact baseline beside the face index: every embedding kept as floats and compared with the
// query in one matrix-vector product. The index is tested and benchmarked against it.
#pragma once

#include <vector>

#include "faces/face_index.h"

namespace anju::faces {

class ExactIndex {
 public:
  explicit ExactIndex(int dim) : dim_(dim) {}
  Status add(std::vector<FaceEntry> entries);
  Result<std::vector<FaceHit>> search(const FaceQuery& query) const;
  std::size_t size() const { return keys_.size(); }

 private:
  int dim_;
  std::vector<float> vectors_;
  std::vector<int64_t> keys_, ts_, estates_;
};

}  // namespace anju::faces
