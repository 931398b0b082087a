// Vehicles beyond the registry's own endpoints: finding the registered vehicle a camera's read
// stands for when one character may be misread, and an estate's vehicle visits with their dwell.
#include <algorithm>
#include <cmath>
#include <map>

#include "api/responses.h"
#include "api/routes.h"
#include "domain/plate_match.h"

namespace anju::api {

using nlohmann::json;

namespace {

// Statement parameters per lookup query: the ~240 keys of a read take two.
constexpr std::size_t kLookupChunk = 200;

std::string placeholders(std::size_t n) {
  std::string out = "(";
  for (std::size_t i = 0; i < n; ++i) out += i ? ",?" : "?";
  return out + ")";
}

http::Response lookup(Services& services, Call& call) {
  const std::string read = call.request.queryParam("plate");
  if (read.empty()) {
    return errorResponse(Status::invalid("plate", "请给出车牌 (give the plate as read)"));
  }
  auto generated = domain::plateCandidates(read);
  if (!generated) return errorResponse(generated.status());
  std::vector<domain::PlateCandidate> candidates = std::move(*generated);

  // Probe the unique plate index with the candidates, a chunk at a time; never scan vehicles.
  const store::Scope scope = call.scope();
  std::map<std::string, json> vehicles;
  Status st = services.db.read([&](store::Connection& c) -> Status {
    for (std::size_t start = 0; start < candidates.size(); start += kLookupChunk) {
      const std::size_t n = std::min(kLookupChunk, candidates.size() - start);
      std::vector<store::Value> params;
      for (std::size_t i = start; i < start + n; ++i) params.push_back(candidates[i].plate);
      std::string sql =
          "SELECT id, plate, person_id, estate_id, kind FROM vehicles WHERE plate IN " +
          placeholders(n);
      if (scope.path != "/") {
        sql += " AND region_path >= ? AND region_path < ?";
        params.push_back(scope.path);
        params.push_back(scope.upperBound());
      }
      auto rows = c.query(sql, params);
      if (!rows) return rows.status();
      for (const auto& r : rows->rows) {
        auto nullable = [](const store::Value& v) {
          return store::isNull(v) ? json(nullptr) : json(store::asInt(v));
        };
        vehicles[store::asText(r[1])] =
            json{{"id", store::asInt(r[0])},
                 {"plate", store::asText(r[1])},
                 {"person_id", nullable(r[2])},
                 {"estate_id", nullable(r[3])},
                 {"kind", store::isNull(r[4]) ? json(nullptr) : json(store::asText(r[4]))}};
      }
    }
    return {};
  });
  if (!st) return errorResponse(st);

  std::erase_if(candidates, [&](const auto& c) { return !vehicles.contains(c.plate); });
  domain::rankPlateCandidates(candidates);
  auto entry = auditEntry(call, "lookup", "vehicles", read);
  ANJU_RETURN_IF_ERROR_RESPONSE(services.audit.record(entry));
  json items = json::array();
  for (const auto& c : candidates) {
    json item{{"plate", c.plate}, {"score", c.score}, {"vehicle", vehicles[c.plate]}};
    if (c.differs_at) item["differs_at"] = *c.differs_at;
    items.push_back(std::move(item));
  }
  return jsonResponse(200, json{{"items", std::move(items)}});
}

Result<std::optional<bool>> boolParam(const Call& call, const std::string& name) {
  const std::string text = call.request.queryParam(name);
  if (text.empty()) return std::optional<bool>();
  if (text == "true") return std::optional(true);
  if (text == "false") return std::optional(false);
  return Status::invalid(name, name + " 应为 true 或 false (" + name + " must be true or false)");
}

http::Response visits(Services& services, Call& call, int offset) {
  if (!services.event_store) return errorResponse(Status::notFound("no events"));
  auto estate = idParam(call, "estate_id");
  if (!estate) return errorResponse(estate.status());
  if (!*estate) {
    return errorResponse(Status::invalid("estate_id", "请给出小区 (give estate_id)"));
  }
  auto temporary = boolParam(call, "temporary");
  if (!temporary) return errorResponse(temporary.status());
  store::VisitQuery q{.estate_id = **estate};
  ANJU_RETURN_IF_ERROR_RESPONSE(timeRange(call, offset, q.from, q.to));
  auto limit = limitParam(call, 100, 1000);
  if (!limit) return errorResponse(limit.status());
  q.limit = *limit;
  ANJU_RETURN_IF_ERROR_RESPONSE(checkEstateInScope(services, call, q.estate_id));

  // Resident: the plate is registered in the vehicles table as a resident vehicle of this estate.
  std::vector<std::string> resident;
  Status st = services.db.read([&](store::Connection& c) -> Status {
    auto rows = c.query("SELECT plate FROM vehicles WHERE estate_id = ? AND kind = 'resident'",
                        {q.estate_id});
    if (!rows) return rows.status();
    for (const auto& r : rows->rows) resident.push_back(store::asText(r[0]));
    return {};
  });
  if (!st) return errorResponse(st);
  if (*temporary && **temporary) q.except_plates = resident;
  if (*temporary && !**temporary) q.plates = resident;

  auto found = services.event_store->visits(q);
  if (!found) return errorResponse(found.status());
  json items = json::array();
  for (const auto& v : *found) {
    json item{{"id", v.id},
              {"estate_id", v.estate_id},
              {"plate", v.plate},
              {"resident", std::find(resident.begin(), resident.end(), v.plate) != resident.end()}};
    if (v.in_ts) item["in"] = formatTimestamp(*v.in_ts, offset);
    if (v.out_ts) item["out"] = formatTimestamp(*v.out_ts, offset);
    if (v.in_ts && v.out_ts) {
      item["dwell_minutes"] = std::round(static_cast<double>(*v.out_ts - *v.in_ts) / 6000.0) / 10;
    }
    items.push_back(std::move(item));
  }
  return jsonResponse(200, json{{"items", std::move(items)}});
}

}  // namespace

void addVehicleRoutes(Router& router, Services& services) {
  const int offset = services.options.utc_offset_minutes;

  // A literal segment, so the router prefers it to the registry's /api/v1/vehicles/{id}.
  router.add({.method = "GET",
              .pattern = "/api/v1/vehicles/lookup",
              .summary = "Registered vehicles a plate as read by a camera may be, allowing one "
                         "misread character: exact first, then look-alike characters (8/B, 5/S, "
                         "0/D...), then any other; within the caller's scope (audited)",
              .tag = "vehicles",
              .roles = {"police", "security", "admin"},
              .query = {"plate"},
              .handler = [&services](Call& call) { return lookup(services, call); }});

  router.add(
      {.method = "GET",
       .pattern = "/api/v1/vehicle-visits",
       .summary = "An estate's vehicle visits, newest first: entry, exit and dwell; "
                  "temporary=true keeps plates that are not resident vehicles of the estate",
       .tag = "vehicles",
       .roles = {"police", "security", "admin"},
       .query = {"estate_id", "from", "to", "temporary", "limit"},
       .handler = [&services, offset](Call& call) { return visits(services, call, offset); }});
}

}  // namespace anju::api
