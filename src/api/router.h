// Routes: method + path pattern ("/api/v1/persons/{id}") -> handler, with what the OpenAPI
// document says about each. The router is the single list of endpoints; openapi.json is made from
// it.
#pragma once

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "http/message.h"
#include "store/device_directory.h"
#include "store/record_store.h"
#include "store/user_store.h"

namespace anju::api {

// One request on its way through a handler.
struct Call {
  const http::Request& request;
  std::map<std::string, std::string> params;  // from the path pattern
  std::optional<store::User> user;            // set on authenticated routes
  std::optional<store::DeviceInfo> device;    // set when a device signed the request

  store::Scope scope() const { return store::Scope{user ? user->region_path : "/"}; }
  // The stated purpose of a search or export: `purpose` in the query or the X-Anju-Purpose header.
  std::string purpose() const;
};

using RouteHandler = std::function<http::Response(Call&)>;

struct Route {
  std::string method;
  std::string pattern;
  std::string summary;
  std::string tag;
  bool authenticated = true;
  // Devices may call it too, signing with their secret (X-Anju-Device, X-Anju-Signature: hex
  // HMAC-SHA256 of the body, or of the request target when there is no body) instead of a token.
  bool device_signed = false;
  std::vector<std::string> roles;  // empty: any signed-in user
  std::string request_schema;      // OpenAPI component name of the body, if any
  std::string response_schema;     // OpenAPI component name of a 2xx body, if any
  bool list = false;               // answers {"items", "next"} and takes cursor/limit
  std::vector<std::string> query;  // further query parameters
  RouteHandler handler;
  std::vector<std::string> segments;  // the pattern split at '/', filled in by Router::add
};

class Router {
 public:
  void add(Route route);
  const std::vector<Route>& routes() const { return routes_; }

  struct Match {
    const Route* route = nullptr;
    std::map<std::string, std::string> params;
    bool method_mismatch = false;  // the path exists with other methods (405)
  };
  Match match(const std::string& method, const std::string& path) const;

 private:
  std::vector<Route> routes_;
};

}  // namespace anju::api
