// Each group of endpoints registers itself on the router.
#pragma once

#include <unordered_map>

#include "api/api.h"
#include "api/router.h"

namespace anju::api {

void addSystemRoutes(Router& router, Services& services);
void addRegistryRoutes(Router& router, Services& services);
void addUserRoutes(Router& router, Services& services);
void addAuditRoutes(Router& router, Services& services);
void addImportRoutes(Router& router, Services& services);
void addEventRoutes(Router& router, Services& services);
void addAccessRoutes(Router& router, Services& services);
void addVehicleRoutes(Router& router, Services& services);
void addStatsRoutes(Router& router, Services& services);
void addPlanRoutes(Router& router, Services& services);
void addCaseRoutes(Router& router, Services& services);
void addOpen311Routes(Router& router, Services& services);
void addGridRoutes(Router& router, Services& services);
void addMediationRoutes(Router& router, Services& services);
void addCaseStatsRoutes(Router& router, Services& services);
void addDailyStatsRoutes(Router& router, Services& services);
void addAlertRoutes(Router& router, Services& services);
void addWatchlistRoutes(Router& router, Services& services);
void addScreeningRoutes(Router& router, Services& services);
void addIncidentRoutes(Router& router, Services& services);
void addFaceRoutes(Router& router, Services& services);
void addRetentionRoutes(Router& router, Services& services);
// `metrics` is set once every route is registered, before the first request.
void addMetricsRoutes(Router& router, Services& services, const std::unique_ptr<Metrics>& metrics);

// The OpenAPI 3 document for every route on the router.
nlohmann::json openApiDocument(const Router& router);
// The component schemas of the screening routes, by name.
nlohmann::json screeningSchemas();

// Helpers the route groups share.
nlohmann::json publicUserJson(const store::User& user);
store::AuditEntry auditEntry(const Call& call, std::string action, std::string object,
                             std::string object_id);
// Lists take ?cursor=&limit=; every other parameter not in `reserved` becomes a filter.
Result<store::ListQuery> listQuery(const Call& call, const std::vector<std::string>& reserved);
// The estates inside the caller's scope; nullopt when the scope is everywhere.
Result<std::optional<std::vector<int64_t>>> scopeEstates(Services& services, const Call& call);
// Text that is a whole positive number, as ids in paths and parameters are.
std::optional<int64_t> positiveId(std::string_view text);
// A query parameter holding a positive id; nullopt when absent.
Result<std::optional<int64_t>> idParam(const Call& call, const std::string& name);
// Not found when there is no such estate, forbidden when it lies outside the caller's scope.
Status checkEstateInScope(Services& services, const Call& call, int64_t estate_id);
// The caller's scope, narrowed to ?region_id= when given: not found for an unknown region,
// forbidden for one that does not overlap the caller's.
Result<store::Scope> regionScope(Services& services, const Call& call);
// The region a new rule or watchlist covers: the body's `region_id`, which must lie inside the
// caller's region, or the caller's whole region when it is not given.
Result<std::string> bodyRegion(Services& services, const Call& call, const nlohmann::json& body);
// Device health's view of the devices it has heard from, by id: fresher than the registry's
// `online` flag, which catches up every few seconds. Empty when the server runs without it.
std::unordered_map<std::string, ingest::DeviceState> liveDevices(const Services& services);
// ?limit= between 1 and `max` (default `fallback`).
Result<int> limitParam(const Call& call, int fallback, int max);
// ?from= and ?to= as ms since the epoch; missing: `from` 0, `to` the far future.
Status timeRange(const Call& call, int utc_offset_minutes, int64_t& from, int64_t& to);

}  // namespace anju::api
