// The coarse quantiser of the face index: spherical k-means over unit vectors, with the
// vector-to-centroid comparisons done as OpenBLAS matrix products (a batch of vectors against
// every centroid in one sgemm), which is how many vectors are compared quickly on this hardware.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace anju::faces {

// `count` unit vectors of `dim` floats -> `lists` unit centroids (lists * dim floats).
// Needs count >= lists.
std::vector<float> trainCentroids(const float* vectors, std::size_t count, int dim, int lists,
                                  int iterations, uint64_t seed);

// For each vector, the centroid with the largest dot product.
void assignLists(const float* vectors, std::size_t count, const float* centroids, int lists,
                 int dim, int32_t* out);

}  // namespace anju::faces
