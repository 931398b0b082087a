#include "faces/exact_index.h"

#include <cblas.h>

#include <algorithm>

#include "faces/embedding.h"

namespace anju::faces {

Status ExactIndex::add(std::vector<FaceEntry> entries) {
  for (auto& e : entries) {
    ANJU_RETURN_IF_ERROR(normalize(e.embedding));
    if (static_cast<int>(e.embedding.size()) != dim_)
      return Status::invalid("embedding", "人脸特征长度与索引不符 (embedding length differs)");
  }
  for (auto& e : entries) {
    vectors_.insert(vectors_.end(), e.embedding.begin(), e.embedding.end());
    keys_.push_back(e.key);
    ts_.push_back(e.ts);
    estates_.push_back(e.estate_id);
  }
  return {};
}

Result<std::vector<FaceHit>> ExactIndex::search(const FaceQuery& query) const {
  std::vector<float> q = query.embedding;
  ANJU_RETURN_IF_ERROR(normalize(q));
  if (static_cast<int>(q.size()) != dim_)
    return Status::invalid("embedding", "人脸特征长度与索引不符 (embedding length differs)");
  const std::size_t n = keys_.size();
  std::vector<float> scores(n);
  if (n > 0) {
    cblas_sgemv(CblasRowMajor, CblasNoTrans, static_cast<int>(n), dim_, 1.0f, vectors_.data(), dim_,
                q.data(), 1, 0.0f, scores.data(), 1);
  }
  std::vector<FaceHit> hits;
  for (std::size_t i = 0; i < n; ++i) {
    if (ts_[i] < query.from || ts_[i] > query.to || scores[i] < query.min_similarity) continue;
    if (query.estates && std::find(query.estates->begin(), query.estates->end(), estates_[i]) ==
                             query.estates->end())
      continue;
    hits.push_back({keys_[i], ts_[i], estates_[i], scores[i]});
  }
  const auto k = std::min<std::size_t>(static_cast<std::size_t>(std::max(query.k, 1)), hits.size());
  std::partial_sort(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(k), hits.end(),
                    [](const FaceHit& a, const FaceHit& b) {
                      return a.similarity != b.similarity ? a.similarity > b.similarity
                                                          : a.key < b.key;
                    });
  hits.resize(k);
  return hits;
}

}  // namespace anju::faces
