#include "http/url.h"

#include <utility>

namespace anju::http {

namespace {

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool isUnreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

// Absolute-form targets ("http://host/path?q") are what proxies send; RFC 9112 obliges a server
// to accept them, and only the path and query matter here.
std::string_view stripSchemeAndAuthority(std::string_view target) {
  for (std::string_view scheme : {"http://", "https://"}) {
    if (target.size() >= scheme.size()) {
      bool matches = true;
      for (std::size_t i = 0; i < scheme.size() && matches; ++i) {
        char c = target[i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        matches = c == scheme[i];
      }
      if (matches) {
        std::string_view rest = target.substr(scheme.size());
        std::size_t end = rest.find_first_of("/?#");
        return end == std::string_view::npos ? std::string_view() : rest.substr(end);
      }
    }
  }
  return target;
}

}  // namespace

std::optional<std::string> percentDecode(std::string_view text, bool plus_as_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      int high = hexValue(text[i + 1]);
      int low = hexValue(text[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      out += static_cast<char>(high * 16 + low);
      i += 2;
    } else if (c == '+' && plus_as_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::string percentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (isUnreserved(c)) {
      out += c;
    } else {
      auto byte = static_cast<unsigned char>(c);
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0F];
    }
  }
  return out;
}

Status parseTarget(std::string_view target, std::string& path,
                   std::multimap<std::string, std::string>& query) {
  path.clear();
  query.clear();
  target = stripSchemeAndAuthority(target);
  // A fragment never reaches a server from a browser, but a hand-written client may send one.
  target = target.substr(0, target.find('#'));

  std::size_t question = target.find('?');
  std::optional<std::string> decoded_path = percentDecode(target.substr(0, question), false);
  if (!decoded_path) return Status::invalid("path", "invalid percent escape in path");
  // A decoded NUL would truncate the path wherever it meets a C API (files, SQLite, logs).
  if (decoded_path->find('\0') != std::string::npos) {
    return Status::invalid("path", "path contains a NUL byte");
  }
  // "http://host?q" has an empty path, which RFC 9112 equates with "/".
  if (decoded_path->empty()) decoded_path->push_back('/');
  if (question == std::string_view::npos) {
    path = std::move(*decoded_path);
    return Status::ok();
  }

  std::multimap<std::string, std::string> parameters;
  std::string_view rest = target.substr(question + 1);
  while (!rest.empty()) {
    std::size_t amp = rest.find('&');
    std::string_view piece = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (piece.empty()) continue;
    std::size_t equals = piece.find('=');
    std::optional<std::string> key = percentDecode(piece.substr(0, equals), true);
    std::optional<std::string> value = equals == std::string_view::npos
                                           ? std::optional<std::string>(std::string())
                                           : percentDecode(piece.substr(equals + 1), true);
    if (!key || !value) return Status::invalid("query", "invalid percent escape in query string");
    parameters.emplace(std::move(*key), std::move(*value));
  }
  path = std::move(*decoded_path);
  query = std::move(parameters);
  return Status::ok();
}

}  // namespace anju::http
