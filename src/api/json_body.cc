#include "api/json_body.h"

#include "common/utf8.h"

namespace anju::api {

int jsonDepth(std::string_view text) {
  int depth = 0, deepest = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      deepest = std::max(deepest, ++depth);
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return deepest;
}

Result<nlohmann::json> parseJsonObject(const http::Request& request, int max_depth) {
  if (request.body.empty()) {
    return Status::invalid("body",
                           "请求体为空，应为 JSON 对象 (body is empty; a JSON object is expected)");
  }
  if (!isValidUtf8(request.body)) {
    return Status::invalid("body", "请求体不是有效的 UTF-8 (body is not valid UTF-8)");
  }
  if (jsonDepth(request.body) > max_depth) {
    return Status::invalid(
        "body", "JSON 嵌套过深 (JSON nested deeper than " + std::to_string(max_depth) + " levels)");
  }
  auto parsed = nlohmann::json::parse(request.body, nullptr, false);
  if (parsed.is_discarded()) {
    return Status::invalid("body", "请求体不是有效的 JSON (body is not valid JSON)");
  }
  if (!parsed.is_object()) {
    return Status::invalid("body", "请求体应为 JSON 对象 (body must be a JSON object)");
  }
  return parsed;
}

}  // namespace anju::api
