#include "api/router.h"

namespace anju::api {

namespace {

std::vector<std::string> split(const std::string& path) {
  std::vector<std::string> parts;
  std::size_t start = 1;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    parts.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

bool matches(const std::vector<std::string>& want, const std::vector<std::string>& got,
             std::map<std::string, std::string>& params) {
  if (want.size() != got.size()) return false;
  std::map<std::string, std::string> found;
  for (std::size_t i = 0; i < want.size(); ++i) {
    const auto& w = want[i];
    if (w.size() > 2 && w.front() == '{' && w.back() == '}') {
      if (got[i].empty()) return false;
      found[w.substr(1, w.size() - 2)] = got[i];
    } else if (w != got[i]) {
      return false;
    }
  }
  params = std::move(found);
  return true;
}

}  // namespace

std::string Call::purpose() const {
  std::string p = request.queryParam("purpose");
  return p.empty() ? request.header("x-anju-purpose") : p;
}

void Router::add(Route route) {
  route.segments = split(route.pattern);
  routes_.push_back(std::move(route));
}

Router::Match Router::match(const std::string& method, const std::string& path) const {
  Match result;
  // Literal segments win over parameters ("/persons/export" before "/persons/{id}").
  const Route* best = nullptr;
  int best_literals = -1;
  std::map<std::string, std::string> best_params;
  const std::vector<std::string> got = split(path);
  for (const auto& route : routes_) {
    std::map<std::string, std::string> params;
    if (!matches(route.segments, got, params)) continue;
    if (route.method != method) {
      result.method_mismatch = true;
      continue;
    }
    int literals = static_cast<int>(route.segments.size() - params.size());
    if (literals > best_literals) {
      best = &route;
      best_literals = literals;
      best_params = std::move(params);
    }
  }
  if (best) {
    result.route = best;
    result.params = std::move(best_params);
    result.method_mismatch = false;
  }
  return result;
}

}  // namespace anju::api
