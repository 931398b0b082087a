// Percent-encoding and request-target parsing. The query string is untrusted input, so a
// malformed escape is an expected failure reported as a value, never an exception.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace anju::http {

// Decodes %XX escapes; with plus_as_space (query strings) '+' also becomes ' '. Returns nullopt
// when a '%' is not followed by two hex digits.
std::optional<std::string> percentDecode(std::string_view text, bool plus_as_space);

// Escapes every byte except the RFC 3986 unreserved characters, so the result is safe as a
// query-string key or value and as a path segment.
std::string percentEncode(std::string_view text);

// Splits an origin-form (or absolute-form) request target into its decoded path and query
// parameters. Repeated parameters keep their order; "a" and "a=" both give an empty value.
// A bad escape answers Status::invalid with field "path" or "query"; the outputs are then
// cleared.
Status parseTarget(std::string_view target, std::string& path,
                   std::multimap<std::string, std::string>& query);

}  // namespace anju::http
