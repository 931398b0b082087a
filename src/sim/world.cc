#include "sim/world.h"

#include <charconv>
#include <fstream>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "http/client.h"
#include "http/url.h"

namespace anju::sim {

namespace {

using nlohmann::json;

constexpr int kPageLimit = 1000;  // the most a list answers at once (store::RecordStore::list)

Status httpError(const std::string& what, const http::ClientResponse& response) {
  std::string message = what + ": HTTP " + std::to_string(response.status);
  auto body = json::parse(response.body, nullptr, false);
  if (body.is_object() && body.contains("error") && body["error"].is_object()) {
    message += " " + body["error"].value("message", "");
  }
  Code code = response.status == 401   ? Code::kUnauthenticated
              : response.status == 403 ? Code::kForbidden
                                       : Code::kInternal;
  return {code, message};
}

std::string text(const json& item, const char* key) {
  auto it = item.find(key);
  return it != item.end() && it->is_string() ? it->get<std::string>() : std::string();
}

int64_t number(const json& item, const char* key) {
  auto it = item.find(key);
  return it != item.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

// Every item of a list, following `next` until it is null. `stop_after` ends early (0: never).
Status listAll(http::Client& client, const std::string& token, const std::string& path,
               const std::string& filter, std::size_t stop_after,
               const std::function<void(const json&)>& each) {
  std::string cursor;
  std::size_t seen = 0;
  while (true) {
    std::string target = path + "?limit=" + std::to_string(kPageLimit) + "&purpose=simulate";
    if (!filter.empty()) target += "&" + filter;
    if (!cursor.empty()) target += "&cursor=" + http::percentEncode(cursor);
    auto response = client.request("GET", target, {}, {{"Authorization", "Bearer " + token}});
    if (!response) return response.status();
    if (response->status != 200) return httpError("GET " + path, *response);
    auto body = json::parse(response->body, nullptr, false);
    if (!body.is_object() || !body.contains("items") || !body["items"].is_array()) {
      return Status::internal("GET " + path + ": not a list");
    }
    for (const auto& item : body["items"]) {
      each(item);
      if (stop_after > 0 && ++seen >= stop_after) return {};
    }
    const json& next = body["next"];
    if (next.is_string()) {
      cursor = next.get<std::string>();
    } else if (next.is_number_integer()) {
      cursor = std::to_string(next.get<int64_t>());
    } else {
      return {};
    }
  }
}

}  // namespace

Result<Target> parseTarget(const std::string& url) {
  std::string rest = url;
  if (rest.rfind("https://", 0) == 0) {
    return Status::invalid("target", "https is not supported; use http:// or a local proxy");
  }
  if (rest.rfind("http://", 0) == 0) rest = rest.substr(7);
  rest = rest.substr(0, rest.find('/'));
  if (rest.empty()) return Status::invalid("target", "target must look like http://host:port");
  Target target;
  auto colon = rest.rfind(':');
  if (colon == std::string::npos) {
    target.host = rest;
    return target;
  }
  target.host = rest.substr(0, colon);
  std::string port = rest.substr(colon + 1);
  unsigned value = 0;
  auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (ec != std::errc() || ptr != port.data() + port.size() || value == 0 || value > 65535) {
    return Status::invalid("target", "bad port in " + url);
  }
  target.port = static_cast<uint16_t>(value);
  return target;
}

Result<std::string> login(const std::string& target_url, const std::string& username,
                          const std::string& password) {
  auto target = parseTarget(target_url);
  if (!target) return target.status();
  http::Client client(target->host, target->port);
  json body = {{"username", username}, {"password", password}};
  auto response = client.request("POST", "/api/v1/auth/login", body.dump());
  if (!response) return response.status();
  if (response->status != 200) return httpError("login", *response);
  auto answer = json::parse(response->body, nullptr, false);
  if (!answer.is_object() || !answer.contains("token") || !answer["token"].is_string()) {
    return Status::internal("login: no token in the answer");
  }
  return answer["token"].get<std::string>();
}

Result<World> loadWorld(const std::string& target_url, const std::string& token, int estates) {
  auto target = parseTarget(target_url);
  if (!target) return target.status();
  http::Client client(target->host, target->port);
  World world;
  ANJU_RETURN_IF_ERROR(
      listAll(client, token, "/api/v1/estates", "", static_cast<std::size_t>(std::max(estates, 1)),
              [&](const json& e) { world.estate_ids.push_back(number(e, "id")); }));
  if (world.estate_ids.empty()) return Status::notFound("the server has no estates");
  for (int64_t estate : world.estate_ids) {
    std::string filter = "estate_id=" + std::to_string(estate);
    ANJU_RETURN_IF_ERROR(listAll(client, token, "/api/v1/devices", filter, 0, [&](const json& d) {
      world.devices.push_back({.id = text(d, "id"),
                               .kind = text(d, "kind"),
                               .direction = text(d, "direction"),
                               .estate_id = estate});
    }));
    ANJU_RETURN_IF_ERROR(listAll(client, token, "/api/v1/persons", filter, 0, [&](const json& p) {
      world.persons.push_back({.id = number(p, "id"), .estate_id = estate});
    }));
    ANJU_RETURN_IF_ERROR(listAll(client, token, "/api/v1/vehicles", filter, 0, [&](const json& v) {
      world.vehicles.push_back(
          {.plate = text(v, "plate"), .plate_color = text(v, "plate_color"), .estate_id = estate});
    }));
  }
  if (world.devices.empty()) return Status::notFound("the chosen estates have no devices");
  return world;
}

Status loadSecrets(const std::string& path, World& world) {
  std::ifstream in(path);
  if (!in) return Status::notFound("cannot read " + path, "secrets");
  std::unordered_map<std::string, std::string> secrets;
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line == "device_id,secret") continue;
    auto comma = line.find(',');
    if (comma == std::string::npos || comma == 0 || comma + 1 == line.size()) {
      return Status::invalid("secrets",
                             path + ":" + std::to_string(line_no) + ": expected device_id,secret");
    }
    secrets[line.substr(0, comma)] = line.substr(comma + 1);
  }
  for (auto& device : world.devices) {
    if (auto it = secrets.find(device.id); it != secrets.end()) device.secret = it->second;
  }
  return {};
}

}  // namespace anju::sim
