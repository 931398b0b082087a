#include "web/static_site.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <system_error>

namespace anju::web {

namespace fs = std::filesystem;

namespace {

// Vite names every built asset by its content's hash, so a browser may keep it for good; the
// pages that name them must be asked for again each time, or a new build would go unseen.
constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";
constexpr std::string_view kRevalidate = "no-cache";
// Everything comes from this server: no CDN, no web fonts, no map tiles from elsewhere. ECharts
// and React set inline styles, hence 'unsafe-inline' for styles only.
constexpr std::string_view kContentSecurity =
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

std::string_view contentType(const fs::path& path) {
  static const std::map<std::string, std::string_view, std::less<>> kTypes = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json; charset=utf-8"},
      {".map", "application/json; charset=utf-8"},
      {".webmanifest", "application/manifest+json; charset=utf-8"},
      {".txt", "text/plain; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".woff", "font/woff"},
      {".ttf", "font/ttf"},
      {".wasm", "application/wasm"},
  };
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  auto it = kTypes.find(extension);
  return it == kTypes.end() ? std::string_view("application/octet-stream") : it->second;
}

// The http layer has already decoded the path once. What could still climb out of the root —
// a `..` or `.` segment, a backslash, a NUL — or smuggle a second decoding (`%2e%2e` sent as
// `%252e%252e`) is refused outright: no built file has such a name.
bool safePath(std::string_view path) {
  if (path.empty() || path.front() != '/') return false;
  if (path.find_first_of(std::string_view("\\%\0", 3)) != std::string_view::npos) return false;
  std::size_t start = 1;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view segment = path.substr(start, end - start);
    if (segment == "." || segment == "..") return false;
    start = end + 1;
  }
  return true;
}

bool startsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// The regular file at `candidate`, followed through any symlinks, when it lies inside `root`.
std::optional<fs::path> fileInside(const fs::path& root, const fs::path& candidate) {
  std::error_code ec;
  fs::path real = fs::canonical(candidate, ec);
  if (ec || !fs::is_regular_file(real, ec)) return std::nullopt;
  auto [r, c] = std::mismatch(root.begin(), root.end(), real.begin(), real.end());
  if (r != root.end()) return std::nullopt;
  return real;
}

http::Response plain(int status, std::string text) {
  http::Response response;
  response.status = status;
  response.content_type = "text/plain; charset=utf-8";
  response.body = std::move(text);
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return response;
}

http::Response file(const fs::path& path, std::string_view cache_control) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream body;
  body << in.rdbuf();
  if (!in && !in.eof()) return plain(500, "读取文件失败 (could not read the file)\n");
  http::Response response;
  response.content_type = std::string(contentType(path));
  response.body = std::move(body).str();
  response.headers.emplace_back("Cache-Control", std::string(cache_control));
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  if (path.extension() == ".html") {
    response.headers.emplace_back("Content-Security-Policy", std::string(kContentSecurity));
  }
  return response;
}

http::Response notBuilt() {
  http::Response response;
  response.content_type = "text/html; charset=utf-8";
  response.headers.emplace_back("Cache-Control", std::string(kRevalidate));
  response.body = R"(<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>安居 Anju</title></head>
<body style="font-family:sans-serif;max-width:40em;margin:3em auto;line-height:1.6">
<h1>安居管理台尚未构建</h1>
<p>服务器正在运行，接口位于 <code>/api/v1</code>，但网页管理台和居民端尚未构建。
请在源码目录运行 <code>scripts/build-web.sh</code>，或在配置中用 <code>[web] root</code>
（环境变量 <code>ANJU_WEB_ROOT</code>）指向已构建的 <code>web/dist</code> 目录。</p>
<h1 lang="en">The Anju console has not been built</h1>
<p lang="en">The server is running and its API answers under <code>/api/v1</code>, but the web
console and the resident portal have not been built. Run <code>scripts/build-web.sh</code> in
the source tree, or point <code>[web] root</code> in the configuration (or
<code>ANJU_WEB_ROOT</code>) at a built <code>web/dist</code> folder.</p>
</body></html>
)";
  return response;
}

}  // namespace

StaticSite::StaticSite(fs::path root) : root_(std::move(root)) {}

bool StaticSite::wants(const http::Request& request) {
  if (request.method != "GET" && request.method != "HEAD") return false;
  return request.path != "/api" && !startsWith(request.path, "/api/");
}

http::Response StaticSite::handle(const http::Request& request) const {
  const std::string& path = request.path;
  if (!safePath(path)) return plain(400, "路径无效 (invalid path)\n");

  std::error_code ec;
  // Looked up on every request, so a console built after the server started is served at once.
  const fs::path root = fs::canonical(root_, ec);
  if (ec) return notBuilt();

  if (path.size() > 1 && path.back() != '/') {
    if (auto found = fileInside(root, root / fs::path(path.substr(1)))) {
      return file(*found, startsWith(path, "/assets/") ? kImmutable : kRevalidate);
    }
  }
  // A missing script or stylesheet answered with a page would only confuse the browser.
  if (startsWith(path, "/assets/")) return plain(404, "没有这个文件 (no such file)\n");

  const bool portal = path == "/m" || startsWith(path, "/m/");
  auto page = fileInside(root, root / (portal ? "m/index.html" : "index.html"));
  if (!page) return notBuilt();
  return file(*page, kRevalidate);
}

}  // namespace anju::web
