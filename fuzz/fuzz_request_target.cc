// libFuzzer target: the request target (path and query string) of any HTTP request, untrusted.
// Parsing answers a path and parameters or a Status naming "path" or "query", never a crash; and
// whatever is encoded decodes back to itself.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "http/url.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string path;
  std::multimap<std::string, std::string> query;
  anju::Status parsed = anju::http::parseTarget(text, path, query);
  if (!parsed && (!path.empty() || !query.empty())) __builtin_trap();  // cleared on failure

  auto decoded = anju::http::percentDecode(anju::http::percentEncode(text), false);
  if (!decoded || *decoded != text) __builtin_trap();
  (void)anju::http::percentDecode(text, true);
  return 0;
}
