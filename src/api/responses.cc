#include "api/responses.h"

namespace anju::api {

namespace {

const char* errorCode(Code code) {
  switch (code) {
    case Code::kInvalid:
      return "invalid";
    case Code::kUnauthenticated:
      return "unauthenticated";
    case Code::kForbidden:
      return "forbidden";
    case Code::kNotFound:
      return "not_found";
    case Code::kConflict:
      return "conflict";
    case Code::kTooLarge:
      return "too_large";
    case Code::kRateLimited:
      return "rate_limited";
    case Code::kUnavailable:
      return "unavailable";
    case Code::kStorageFull:
      return "storage_full";
    default:
      return "internal";
  }
}

}  // namespace

int httpStatus(Code code) {
  switch (code) {
    case Code::kOk:
      return 200;
    case Code::kInvalid:
      return 400;
    case Code::kUnauthenticated:
      return 401;
    case Code::kForbidden:
      return 403;
    case Code::kNotFound:
      return 404;
    case Code::kConflict:
      return 409;
    case Code::kTooLarge:
      return 413;
    case Code::kRateLimited:
      return 429;
    case Code::kUnavailable:
      return 503;
    case Code::kStorageFull:
      return 507;  // Insufficient Storage
    case Code::kInternal:
      return 500;
  }
  return 500;
}

http::Response jsonResponse(int status, const nlohmann::json& body) {
  http::Response r;
  r.status = status;
  // Replacing rather than throwing: stored text is validated UTF-8, but a response must never fail.
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

http::Response errorResponse(int status, const std::string& code, const std::string& message,
                             const std::string& field) {
  nlohmann::json error = {{"code", code}, {"message", message}};
  if (!field.empty()) error["field"] = field;
  return jsonResponse(status, {{"error", error}});
}

http::Response errorResponse(const Status& status) {
  return errorResponse(status, nlohmann::json::object());
}

http::Response errorResponse(const Status& status, const nlohmann::json& extra) {
  std::string message = status.message();
  if (status.code() == Code::kInternal) message = "服务器内部错误 (internal error)";
  nlohmann::json error = {{"code", errorCode(status.code())}, {"message", message}};
  if (!status.field().empty()) error["field"] = status.field();
  // A full disk passes once space is freed: clients (and devices) tell it from other refusals by
  // this reason and send again later.
  if (status.code() == Code::kStorageFull) error["reason"] = "disk_full";
  error.update(extra);
  auto r = jsonResponse(httpStatus(status.code()), {{"error", error}});
  if (status.code() == Code::kUnauthenticated) r.headers.emplace_back("WWW-Authenticate", "Bearer");
  if (status.code() == Code::kStorageFull) r.headers.emplace_back("Retry-After", "30");
  return r;
}

}  // namespace anju::api
