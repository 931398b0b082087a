// Event batches may come gzip-compressed (Content-Encoding: gzip); inflating is bounded so that a
// small hostile body cannot expand into gigabytes.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/status.h"

namespace anju::ingest {

// kTooLarge past `max_bytes` of output; kInvalid (field "body") for data that is not gzip.
Result<std::string> gunzip(std::string_view compressed, std::size_t max_bytes);

}  // namespace anju::ingest
