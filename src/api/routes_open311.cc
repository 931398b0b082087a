// Open311 GeoReport v2 over the case store, so that existing citizen-reporting apps and city
// systems can file and follow cases: services are the case categories, a service request is a
// case, "open" is any stage before resolution and "closed" resolution or later. Callers present
// an API key (api_key, as the standard says) or a bearer token; they see what that user sees.
// Answers and errors take GeoReport's shapes, not the rest of the API's.
#include <cmath>
#include <memory>

#include "api/json_body.h"
#include "api/responses.h"
#include "api/routes.h"
#include "cases/case_service.h"
#include "common/utf8.h"
#include "domain/phone.h"
#include "http/url.h"

namespace anju::api {

using nlohmann::json;

namespace {

constexpr int kMaxRequests = 1000;          // per list, as GeoReport suggests
constexpr int64_t kDefaultWindowDays = 90;  // a list without dates covers this many days

http::Response georeportError(int status, const std::string& description) {
  return jsonResponse(status, json::array({{{"code", status}, {"description", description}}}));
}

http::Response georeportError(const Status& status) {
  return georeportError(httpStatus(status.code()), status.field().empty()
                                                       ? status.message()
                                                       : status.field() + ": " + status.message());
}

// Form fields (application/x-www-form-urlencoded, as GeoReport posts them) or a JSON object.
Result<std::map<std::string, std::string>> formFields(const http::Request& request,
                                                      int max_json_depth) {
  std::map<std::string, std::string> out;
  if (request.header("content-type").starts_with("application/json")) {
    auto body = parseJsonObject(request, max_json_depth);
    if (!body) return body.status();
    for (const auto& [key, value] : body->items()) {
      if (value.is_string())
        out[key] = value.get<std::string>();
      else if (value.is_number())
        out[key] = value.dump();
      else if (!value.is_null())
        return Status::invalid(key, key + " must be a string or a number");
    }
    return out;
  }
  std::string_view body = request.body;
  while (!body.empty()) {
    auto amp = body.find('&');
    std::string_view pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    auto key = http::percentDecode(pair.substr(0, eq), true);
    auto value = http::percentDecode(eq == std::string_view::npos ? "" : pair.substr(eq + 1), true);
    if (!key || !value) return Status::invalid("body", "表单编码有误 (malformed form encoding)");
    out.emplace(*key, *value);
  }
  return out;
}

// The user an Open311 call acts as.
Result<store::User> caller(Services& services, const http::Request& request,
                           const std::map<std::string, std::string>& form) {
  std::string key = request.queryParam("api_key");
  if (auto it = form.find("api_key"); key.empty() && it != form.end()) key = it->second;
  if (key.empty()) {
    std::string auth = request.header("authorization");
    if (auth.starts_with("Bearer ")) key = auth.substr(7);
  }
  if (key.empty()) return Status{Code::kUnauthenticated, "api_key is required"};
  return services.users.authenticate(key);
}

json serviceRequest(const json& c) {
  const std::string status = c["status"];
  const bool closed = cases::isResolvedOrLater(status) || status == "merged";
  json notes = c.value("summary", json());
  if (status == "merged")
    notes = "已并入第 " + std::to_string(c["merged_into"].get<int64_t>()) +
            " 号案件 (merged into " + "request " + std::to_string(c["merged_into"].get<int64_t>()) +
            ")";
  return {{"service_request_id", c["id"]},
          {"status", closed ? "closed" : "open"},
          {"status_notes", notes},
          {"service_name", c["category_name"]},
          {"service_code", c["category"]},
          {"description", c["description"]},
          {"agency_responsible", c["lead"].is_null() ? json() : c["lead"]["name"]},
          {"service_notice", nullptr},
          {"requested_datetime", c["created_at"]},
          {"updated_datetime", c["updated_at"]},
          {"expected_datetime", c["resolve_due_at"]},
          {"address", c["address"]},
          {"address_id", nullptr},
          {"zipcode", nullptr},
          {"lat", c["lat"]},
          {"long", c["lon"]},
          {"media_url", nullptr}};
}

Result<cases::NewCase> newRequest(const std::map<std::string, std::string>& form) {
  auto field = [&](const char* name) {
    auto it = form.find(name);
    return it == form.end() ? std::string() : it->second;
  };
  cases::NewCase c{.channel = "portal",
                   .category = field("service_code"),
                   .description = field("description"),
                   .address = field("address_string")};
  if (c.category.empty()) return Status::invalid("service_code", "service_code is required");
  if (c.description.find_first_not_of(" \t\r\n") == std::string::npos)
    return Status::invalid("description", "请描述问题 (description is required)");
  if (utf8Length(c.description) > cases::CaseService::kMaxDescription || c.address.size() > 600)
    return Status::invalid("description", "description or address_string is too long");
  const std::string lat = field("lat"), lon = field("long");
  if (lat.empty() != lon.empty())
    return Status::invalid(lat.empty() ? "lat" : "long", "lat and long go together");
  if (!lat.empty()) {
    try {
      std::size_t used_lat = 0, used_lon = 0;
      double y = std::stod(lat, &used_lat), x = std::stod(lon, &used_lon);
      if (used_lat != lat.size() || used_lon != lon.size() || std::abs(y) > 90 || std::abs(x) > 180)
        throw std::invalid_argument("range");
      c.lat = y;
      c.lon = x;
    } catch (const std::exception&) {
      return Status::invalid("lat", "lat and long must be WGS84 degrees");
    }
  }
  if (!c.lat && c.address.empty())
    return Status::invalid("address_string",
                           "请给出位置 (a location is required: lat and long, or address_string)");
  // Chinese order: family name first.
  std::string name = field("last_name") + field("first_name");
  std::string phone = field("phone");
  if (!name.empty() || !phone.empty()) {
    cases::Reporter reporter{name, ""};
    if (!phone.empty()) {
      auto normal = domain::normalizePhone(phone);
      if (!normal) return Status::invalid("phone", normal.status().message());
      reporter.phone = *normal;
    }
    if (utf8Length(reporter.name) > 64) return Status::invalid("last_name", "name is too long");
    c.reporter = reporter;
  }
  return c;
}

// "123.json" → 123; GeoReport names formats by extension and Anju speaks only JSON.
Result<std::string> jsonResource(const std::string& segment) {
  if (!segment.ends_with(".json"))
    return Status::invalid("format", "只支持 JSON (only the .json format is served)");
  return segment.substr(0, segment.size() - 5);
}

}  // namespace

void addOpen311Routes(Router& router, Services& services) {
  auto service = std::make_shared<cases::CaseService>(services.db, services.blobs, services.clock,
                                                      services.options.cases,
                                                      services.options.utc_offset_minutes);

  router.add({.method = "GET",
              .pattern = "/open311/v2/services.json",
              .summary = "Open311 GeoReport v2: the case categories as services",
              .tag = "open311",
              .authenticated = false,
              .handler = [&services](Call& call) {
                auto user = caller(services, call.request, {});
                if (!user) return georeportError(user.status());
                json out = json::array();
                Status s = services.db.read([&](store::Connection& c) -> Status {
                  auto rows = c.query("SELECT id, name FROM case_categories ORDER BY rowid");
                  if (!rows) return rows.status();
                  for (const auto& r : rows->rows)
                    out.push_back({{"service_code", store::asText(r[0])},
                                   {"service_name", store::asText(r[1])},
                                   {"description", store::asText(r[1])},
                                   {"metadata", false},
                                   {"type", "realtime"},
                                   {"keywords", ""},
                                   {"group", ""}});
                  return {};
                });
                if (!s) return georeportError(s);
                return jsonResponse(200, out);
              }});

  router.add({.method = "POST",
              .pattern = "/open311/v2/requests.json",
              .summary = "Open311 GeoReport v2: file a service request (a case)",
              .tag = "open311",
              .authenticated = false,
              .handler = [&services, service](Call& call) {
                auto form = formFields(call.request, services.options.max_json_depth);
                if (!form) return georeportError(form.status());
                auto user = caller(services, call.request, *form);
                if (!user) return georeportError(user.status());
                auto request = newRequest(*form);
                if (!request) return georeportError(request.status());
                auto created = service->create(*user, *request);
                if (!created) return georeportError(created.status());
                return jsonResponse(
                    201,
                    json::array({{{"service_request_id", created->body["id"]},
                                  {"service_notice",
                                   "已登记，处理进展可按编号查询 (filed; follow it by its id)"},
                                  {"account_id", nullptr}}}));
              }});

  router.add({.method = "GET",
              .pattern = "/open311/v2/requests.json",
              .summary = "Open311 GeoReport v2: service requests by id, service, dates and status",
              .tag = "open311",
              .authenticated = false,
              .query = {"api_key", "service_request_id", "service_code", "start_date", "end_date",
                        "status"},
              .handler = [&services, service](Call& call) {
                auto user = caller(services, call.request, {});
                if (!user) return georeportError(user.status());
                const auto& q = call.request;
                json out = json::array();
                if (q.hasQueryParam("service_request_id")) {
                  const std::string asked = q.queryParam("service_request_id");
                  std::string_view ids = asked;
                  while (!ids.empty()) {
                    auto comma = ids.find(',');
                    auto id = positiveId(ids.substr(0, comma));
                    ids = comma == std::string_view::npos ? "" : ids.substr(comma + 1);
                    if (!id) return georeportError(400, "service_request_id: not an id");
                    auto found = service->get(*user, *id);
                    if (found) out.push_back(serviceRequest(*found));
                  }
                  return jsonResponse(200, out);
                }
                const int offset = services.options.utc_offset_minutes;
                cases::CaseFilter f{.limit = 500};
                if (q.hasQueryParam("service_code")) f.category = q.queryParam("service_code");
                const std::string status = q.queryParam("status");
                if (status == "open" || status == "closed")
                  f.finished = status == "closed";
                else if (!status.empty())
                  return georeportError(400, "status: must be open or closed");
                for (auto [name, target] :
                     {std::pair{"start_date", &f.from_ms}, std::pair{"end_date", &f.to_ms}}) {
                  if (!q.hasQueryParam(name)) continue;
                  auto ms = parseTimestamp(q.queryParam(name), offset);
                  if (!ms) return georeportError(400, std::string(name) + ": not an ISO 8601 time");
                  *target = *ms;
                }
                if (!f.from_ms)
                  f.from_ms = f.to_ms.value_or(services.clock.nowMillis()) -
                              kDefaultWindowDays * cases::kDayMs;
                while (static_cast<int>(out.size()) < kMaxRequests) {
                  auto page = service->list(*user, f);
                  if (!page) return georeportError(page.status());
                  for (const auto& item : page->items) out.push_back(serviceRequest(item));
                  if (!page->next) break;
                  f.cursor = *page->next;
                }
                if (out.size() > kMaxRequests) out.erase(out.begin() + kMaxRequests, out.end());
                return jsonResponse(200, out);
              }});

  router.add({.method = "GET",
              .pattern = "/open311/v2/requests/{resource}",
              .summary = "Open311 GeoReport v2: one service request ({id}.json)",
              .tag = "open311",
              .authenticated = false,
              .handler = [&services, service](Call& call) {
                auto user = caller(services, call.request, {});
                if (!user) return georeportError(user.status());
                auto id_text = jsonResource(call.params["resource"]);
                if (!id_text) return georeportError(id_text.status());
                auto id = positiveId(*id_text);
                if (!id) return georeportError(404, "no service request " + *id_text);
                auto found = service->get(*user, *id);
                if (!found) return georeportError(found.status());
                return jsonResponse(200, json::array({serviceRequest(*found)}));
              }});
}

}  // namespace anju::api
