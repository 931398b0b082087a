// Request bodies are untrusted: checked for UTF-8 and nesting depth before the JSON parser sees
// them, so that a hostile body costs little and never crashes the server.
#pragma once

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "http/message.h"

namespace anju::api {

// Parses a JSON object body. Errors name the field "body".
Result<nlohmann::json> parseJsonObject(const http::Request& request, int max_depth);

// Nesting depth of the JSON text (arrays and objects), ignoring brackets inside strings.
int jsonDepth(std::string_view text);

}  // namespace anju::api
