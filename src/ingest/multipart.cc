#include "ingest/multipart.h"

#include <algorithm>
#include <cctype>

namespace anju::ingest {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// name="..." in a Content-Disposition header.
std::string dispositionName(std::string_view headers) {
  const std::string l = lower(headers);
  auto at = l.find("content-disposition:");
  if (at == std::string::npos) return {};
  auto name = l.find("name=\"", at);
  // "filename=" also contains name=": skip it when it comes first.
  while (name != std::string::npos && name > 0 &&
         std::isalpha(static_cast<unsigned char>(l[name - 1]))) {
    name = l.find("name=\"", name + 1);
  }
  if (name == std::string::npos) return {};
  auto end = headers.find('"', name + 6);
  if (end == std::string_view::npos) return {};
  return std::string(headers.substr(name + 6, end - name - 6));
}

Status malformed(const std::string& why) {
  return Status::invalid("body", "multipart 格式错误 (malformed multipart body: " + why + ")");
}

}  // namespace

std::string multipartBoundary(std::string_view content_type) {
  const std::string l = lower(content_type);
  if (l.rfind("multipart/form-data", 0) != 0) return {};
  auto at = l.find("boundary=");
  if (at == std::string::npos) return {};
  std::string_view b = content_type.substr(at + 9);
  b = b.substr(0, b.find(';'));
  if (b.size() >= 2 && b.front() == '"' && b.back() == '"') b = b.substr(1, b.size() - 2);
  return std::string(b);
}

Result<std::map<std::string, std::string_view>> parseMultipart(std::string_view body,
                                                               std::string_view boundary) {
  if (boundary.empty() || boundary.size() > 70) return malformed("bad boundary");
  const std::string delimiter = "--" + std::string(boundary);
  std::map<std::string, std::string_view> parts;
  std::size_t pos = body.find(delimiter);
  if (pos == std::string_view::npos) return malformed("no boundary");
  for (;;) {
    pos += delimiter.size();
    if (body.substr(pos, 2) == "--") return parts;  // the closing delimiter
    if (body.substr(pos, 2) != "\r\n") return malformed("no line break after a boundary");
    pos += 2;
    const std::size_t headers_end = body.find("\r\n\r\n", pos);
    if (headers_end == std::string_view::npos) return malformed("part without headers");
    const std::string name = dispositionName(body.substr(pos, headers_end - pos));
    if (name.empty()) return malformed("part without a name");
    const std::size_t content = headers_end + 4;
    const std::size_t next = body.find("\r\n" + delimiter, content);
    if (next == std::string_view::npos) return malformed("part without an end");
    if (!parts.emplace(name, body.substr(content, next - content)).second) {
      return malformed("part \"" + name + "\" given twice");
    }
    pos = next + 2;
  }
}

}  // namespace anju::ingest
