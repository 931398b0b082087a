#include "api/api.h"

#include <cctype>
#include <exception>

#include "api/import_progress.h"
#include "api/responses.h"
#include "api/routes.h"
#include "common/crypto.h"
#include "common/log.h"

namespace anju::api {

namespace {

std::string bearerToken(const http::Request& request) {
  std::string header = request.header("authorization");
  constexpr std::string_view kPrefix = "Bearer ";
  if (header.size() <= kPrefix.size() || header.compare(0, kPrefix.size(), kPrefix) != 0) return {};
  return header.substr(kPrefix.size());
}

}  // namespace

Result<store::DeviceInfo> Api::authenticateDevice(const http::Request& request) {
  const std::string id = request.header("x-anju-device");
  std::string signature = request.header("x-anju-signature");
  for (char& ch : signature) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  const Status refused{Code::kUnauthenticated, "设备签名无效 (unknown device or bad signature)",
                       "X-Anju-Signature"};
  if (!services_.devices || signature.empty()) return refused;
  const std::string& signed_text = request.body.empty() ? request.target : request.body;
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto device = services_.devices->find(id);
    if (!device) return device.status().code() == Code::kNotFound ? refused : device.status();
    if (crypto::constantTimeEquals(crypto::hmacSha256Hex(device->secret, signed_text), signature))
      return device;
    // The secret may have been changed since it was cached: look once more before refusing.
    services_.devices->forget(id);
  }
  return refused;
}

Api::Api(Services services)
    : services_(services),
      router_(std::make_unique<Router>()),
      imports_(std::make_unique<ImportProgress>(services.clock)) {
  services_.imports = imports_.get();
  addSystemRoutes(*router_, services_);
  addRegistryRoutes(*router_, services_);
  addUserRoutes(*router_, services_);
  addAuditRoutes(*router_, services_);
  addImportRoutes(*router_, services_);
  addEventRoutes(*router_, services_);
  addAccessRoutes(*router_, services_);
  addVehicleRoutes(*router_, services_);
  addStatsRoutes(*router_, services_);
  addPlanRoutes(*router_, services_);
  addCaseRoutes(*router_, services_);
  addOpen311Routes(*router_, services_);
  addGridRoutes(*router_, services_);
  addMediationRoutes(*router_, services_);
  addCaseStatsRoutes(*router_, services_);
  addDailyStatsRoutes(*router_, services_);
  addAlertRoutes(*router_, services_);
  addWatchlistRoutes(*router_, services_);
  addScreeningRoutes(*router_, services_);
  addIncidentRoutes(*router_, services_);
  addFaceRoutes(*router_, services_);
  addRetentionRoutes(*router_, services_);
  addMetricsRoutes(*router_, services_, metrics_);
  metrics_ = std::make_unique<Metrics>(*router_);
}

Api::~Api() = default;

http::Response Api::handle(const http::Request& request) {
  const auto started = std::chrono::steady_clock::now();
  auto match = router_->match(request.method, request.path);
  const std::size_t route = match.route
                                ? static_cast<std::size_t>(match.route - router_->routes().data())
                                : metrics_->unmatched();
  http::Response response = dispatch(request, match);
  metrics_->request(route, response.status, std::chrono::steady_clock::now() - started);
  return response;
}

http::Response Api::dispatch(const http::Request& request, Router::Match& match) {
  if (!match.route) {
    if (match.method_mismatch) {
      return errorResponse(405, "method_not_allowed",
                           "不支持的请求方法 (method " + request.method + " not allowed here)");
    }
    return errorResponse(404, "not_found", "没有这个接口 (no such endpoint " + request.path + ")");
  }
  const Route& route = *match.route;
  Call call{request, std::move(match.params), std::nullopt};
  if (route.device_signed && !request.header("x-anju-device").empty()) {
    auto device = authenticateDevice(request);
    if (!device) return errorResponse(device.status());
    call.device = std::move(*device);
  } else if (route.authenticated) {
    auto user = services_.users.authenticate(bearerToken(request));
    if (!user) return errorResponse(user.status());
    call.user = std::move(*user);
    if (!route.roles.empty() && !call.user->hasRole("admin")) {
      bool allowed = false;
      for (const auto& role : route.roles) allowed = allowed || call.user->hasRole(role);
      if (!allowed)
        return errorResponse(
            Status::forbidden("您的角色无权执行此操作 (your role may not do this)"));
    }
  }
  try {
    return route.handler(call);
  } catch (const std::exception& e) {
    log::error("api.handler_failed", {{"route", route.pattern}, {"error", e.what()}});
    return errorResponse(Status::internal(e.what()));
  }
}

}  // namespace anju::api
