// multipart/form-data bodies (RFC 7578), for event batches sent with their snapshot images as
// binary parts instead of base64: one part named "events" holds the batch, and an event names its
// image part with "image_part".
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "common/status.h"

namespace anju::ingest {

// The boundary parameter of a Content-Type header, or empty when it is not multipart/form-data.
std::string multipartBoundary(std::string_view content_type);

// Part name -> content; the views point into `body`. Errors name the field "body".
Result<std::map<std::string, std::string_view>> parseMultipart(std::string_view body,
                                                               std::string_view boundary);

}  // namespace anju::ingest
