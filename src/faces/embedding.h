// Face embeddings as the index keeps them: unit length, so that a dot product is the cosine
// similarity. Every way an embedding enters (device events, credentials, search requests) goes
// through these checks, and a bad one is a Status naming the field `embedding`.
#pragma once

#include <string_view>
#include <vector>

#include "common/status.h"

namespace anju::faces {

// The lengths face models produce; one index per length.
inline constexpr int kSmallDim = 128;
inline constexpr int kLargeDim = 512;

// Scales `v` to unit length. Wrong length (not 128 or 512), NaN, infinity or a zero vector:
// kInvalid naming `field`.
Status normalize(std::vector<float>& v, std::string_view field = "embedding");
// Base64 of little-endian float32, as events keep it, decoded and normalised.
Result<std::vector<float>> decodeEmbedding(std::string_view base64,
                                           std::string_view field = "embedding");

}  // namespace anju::faces
