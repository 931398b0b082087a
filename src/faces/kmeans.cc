#include "faces/kmeans.h"

#include <cblas.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

namespace anju::faces {

namespace {

// Rows per matrix product: a block of scores stays a few MiB whatever the number of vectors.
constexpr std::size_t kBlock = 2048;

void normalizeRow(float* v, int dim) {
  double sum = 0;
  for (int i = 0; i < dim; ++i) sum += double{v[i]} * v[i];
  if (sum <= 0) return;
  const float scale = static_cast<float>(1.0 / std::sqrt(sum));
  for (int i = 0; i < dim; ++i) v[i] *= scale;
}

}  // namespace

void assignLists(const float* vectors, std::size_t count, const float* centroids, int lists,
                 int dim, int32_t* out) {
  std::vector<float> scores(std::min(count, kBlock) * static_cast<std::size_t>(lists));
  for (std::size_t first = 0; first < count; first += kBlock) {
    const std::size_t rows = std::min(kBlock, count - first);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(rows), lists, dim, 1.0f,
                vectors + first * dim, dim, centroids, dim, 0.0f, scores.data(), lists);
    for (std::size_t r = 0; r < rows; ++r) {
      const float* row = scores.data() + r * lists;
      out[first + r] = static_cast<int32_t>(std::max_element(row, row + lists) - row);
    }
  }
}

std::vector<float> trainCentroids(const float* vectors, std::size_t count, int dim, int lists,
                                  int iterations, uint64_t seed) {
  std::mt19937_64 rng(seed);
  const auto d = static_cast<std::size_t>(dim);
  std::vector<std::size_t> order(count);
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), rng);
  std::vector<float> centroids(static_cast<std::size_t>(lists) * d);
  for (int j = 0; j < lists; ++j) {
    std::copy_n(vectors + order[j % count] * d, d, centroids.begin() + j * d);
  }
  std::vector<int32_t> assigned(count);
  std::vector<std::size_t> sizes(lists);
  std::uniform_int_distribution<std::size_t> pick(0, count - 1);
  for (int it = 0; it < iterations; ++it) {
    assignLists(vectors, count, centroids.data(), lists, dim, assigned.data());
    std::fill(centroids.begin(), centroids.end(), 0.0f);
    std::fill(sizes.begin(), sizes.end(), 0);
    for (std::size_t i = 0; i < count; ++i) {
      float* c = centroids.data() + assigned[i] * d;
      const float* v = vectors + i * d;
      for (std::size_t k = 0; k < d; ++k) c[k] += v[k];
      ++sizes[assigned[i]];
    }
    // An empty list takes a random vector as its centre, so that every list ends up used.
    for (int j = 0; j < lists; ++j) {
      float* c = centroids.data() + j * d;
      if (sizes[j] == 0) std::copy_n(vectors + pick(rng) * d, d, c);
      normalizeRow(c, dim);
    }
  }
  return centroids;
}

}  // namespace anju::faces
