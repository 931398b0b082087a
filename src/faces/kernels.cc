#include "faces/kernels.h"

#include <algorithm>
#include <cmath>

#if defined(__x86_64__) && defined(__GNUC__)
#define ANJU_FACES_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define ANJU_FACES_CLONES
#endif

namespace anju::faces {

float quantize(const float* v, int dim, int8_t* code) {
  float peak = 0;
  for (int i = 0; i < dim; ++i) peak = std::max(peak, std::fabs(v[i]));
  if (peak == 0) {
    std::fill(code, code + dim, int8_t{0});
    return 0;
  }
  const float scale = peak / 127.0f;
  const float inverse = 1.0f / scale;
  for (int i = 0; i < dim; ++i) {
    code[i] = static_cast<int8_t>(std::clamp(std::lround(v[i] * inverse), -127L, 127L));
  }
  return scale;
}

// Float sums are reordered only where `omp simd` allows it (-fopenmp-simd, no OpenMP runtime).
// Products of two int8 fit in int16 and a sum of 512 of them in int32: GCC turns the widening
// multiply-add into vpmaddwd, sixteen products an instruction with AVX2.
ANJU_FACES_CLONES
void dotCodes(const int8_t* query, const int8_t* codes, std::size_t count, int dim, int32_t* out) {
  for (std::size_t n = 0; n < count; ++n) {
    const int8_t* c = codes + n * static_cast<std::size_t>(dim);
    int32_t sum = 0;
    for (int i = 0; i < dim; ++i) sum += int16_t{query[i]} * int16_t{c[i]};
    out[n] = sum;
  }
}

void signBits(const int8_t* code, int dim, uint64_t* bits) {
  for (int w = 0; w < dim / 64; ++w) {
    uint64_t word = 0;
    for (int i = 0; i < 64; ++i) word |= uint64_t{code[w * 64 + i] > 0} << i;
    bits[w] = word;
  }
}

// popcnt is not in baseline x86-64: without it GCC counts bits with shifts and masks.
#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target_clones("popcnt", "default")))
#endif
void hammingCodes(const uint64_t* query, const uint64_t* codes, std::size_t count, int words,
                  int32_t* out) {
  for (std::size_t n = 0; n < count; ++n) {
    const uint64_t* c = codes + n * static_cast<std::size_t>(words);
    int32_t sum = 0;
    for (int w = 0; w < words; ++w) sum += __builtin_popcountll(query[w] ^ c[w]);
    out[n] = sum;
  }
}

ANJU_FACES_CLONES
float dotFloatCode(const float* query, const int8_t* code, int dim) {
  float sum = 0;
#pragma omp simd reduction(+ : sum)
  for (int i = 0; i < dim; ++i) sum += query[i] * static_cast<float>(code[i]);
  return sum;
}

ANJU_FACES_CLONES
float dotFloat(const float* a, const float* b, int dim) {
  float sum = 0;
#pragma omp simd reduction(+ : sum)
  for (int i = 0; i < dim; ++i) sum += a[i] * b[i];
  return sum;
}

}  // namespace anju::faces
