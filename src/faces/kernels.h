// The inner loops of a face search. Written as plain loops that GCC vectorises; each is compiled
// twice (AVX2 and the baseline) and the loader picks one for the CPU it runs on, because the
// build does not pass -march (the binary must start on any x86-64).
#pragma once

#include <cstddef>
#include <cstdint>

namespace anju::faces {

// Scalar quantisation of a unit vector: code[i] = round(v[i] / scale), scale = max|v| / 127.
// Returns the scale; v[i] is about code[i] * scale.
float quantize(const float* v, int dim, int8_t* code);

// out[i] = <query, codes[i]> for `count` codes of `dim` bytes laid out one after another.
void dotCodes(const int8_t* query, const int8_t* codes, std::size_t count, int dim, int32_t* out);

// Sign bits of a code (bit i set when code[i] > 0), `dim` / 64 words.
void signBits(const int8_t* code, int dim, uint64_t* bits);

// Hamming distances between `query` and `count` bit codes of `words` words each: how many signs
// differ, a coarse stand-in for the angle that costs 64 bytes a 512-float vector to compute.
void hammingCodes(const uint64_t* query, const uint64_t* codes, std::size_t count, int words,
                  int32_t* out);

// <query, code> with a float query: the re-ranking of the best candidates (times the code's scale).
float dotFloatCode(const float* query, const int8_t* code, int dim);

// <a, b> for float vectors (the newest captures, kept exact until moved into the lists).
float dotFloat(const float* a, const float* b, int dim);

}  // namespace anju::faces
