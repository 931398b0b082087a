// UTF-8 checks for text that arrives from outside (request bodies, CSV files, query strings).
#pragma once

#include <cstddef>
#include <string_view>

namespace anju {

// True when `text` is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool isValidUtf8(std::string_view text);

// The number of code points in well-formed UTF-8 text.
std::size_t utf8Length(std::string_view text);

}  // namespace anju
