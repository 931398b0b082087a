// JSON answers and the one place where a Status becomes an HTTP status.
#pragma once

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "http/message.h"

namespace anju::api {

int httpStatus(Code code);
http::Response jsonResponse(int status, const nlohmann::json& body);
// {"error": {"code", "message", "field"?}}
http::Response errorResponse(const Status& status);
// The same with further members of "error", such as the actions a conflict would have allowed.
http::Response errorResponse(const Status& status, const nlohmann::json& extra);
http::Response errorResponse(int status, const std::string& code, const std::string& message,
                             const std::string& field = {});

}  // namespace anju::api

// In a route handler: answer with the error when `expr` (a Status) failed.
#define ANJU_RETURN_IF_ERROR_RESPONSE(expr)                                    \
  do {                                                                         \
    ::anju::Status anju_status_ = (expr);                                      \
    if (!anju_status_.isOk()) return ::anju::api::errorResponse(anju_status_); \
  } while (0)
