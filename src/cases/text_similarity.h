// How alike two descriptions of a matter are, for spotting the same complaint raised twice.
// Chinese has no spaces between words, so texts are compared by their pairs of adjacent
// characters (bigrams), which works for Chinese and for mixed text without a dictionary.
#pragma once

#include <string_view>

namespace anju::cases {

// Jaccard similarity of the two texts' character bigrams, 0 (nothing shared) to 1 (the same
// pairs). Spaces and punctuation are ignored; Latin letters are compared without case.
double textSimilarity(std::string_view a, std::string_view b);

}  // namespace anju::cases
