// Expected failures travel as values: a Status (or a Result<T> carrying a value or a Status).
// The API maps each Code to one HTTP status in one place (api/errors.cc).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace anju {

enum class Code {
  kOk,
  kInvalid,          // the caller sent something wrong (400)
  kUnauthenticated,  // no or bad credentials (401)
  kForbidden,        // outside the caller's role or region scope (403)
  kNotFound,         // unknown id (404)
  kConflict,         // duplicate unique key or a transition not allowed now (409)
  kTooLarge,         // body over the configured limit (413)
  kRateLimited,      // too many attempts; try again later (429)
  kUnavailable,      // the store refuses writes or is gone (503)
  kStorageFull,      // the disk is full: writes refused until space is freed, reads served (507)
  kInternal,         // a bug or an unexpected driver failure (500)
};

class Status {
 public:
  Status() = default;
  Status(Code code, std::string message, std::string field = {})
      : code_(code), message_(std::move(message)), field_(std::move(field)) {}

  static Status ok() { return {}; }
  static Status invalid(std::string field, std::string message) {
    return {Code::kInvalid, std::move(message), std::move(field)};
  }
  static Status notFound(std::string message, std::string field = {}) {
    return {Code::kNotFound, std::move(message), std::move(field)};
  }
  static Status conflict(std::string message, std::string field = {}) {
    return {Code::kConflict, std::move(message), std::move(field)};
  }
  static Status forbidden(std::string message) { return {Code::kForbidden, std::move(message)}; }
  static Status internal(std::string message) { return {Code::kInternal, std::move(message)}; }

  bool isOk() const { return code_ == Code::kOk; }
  explicit operator bool() const { return isOk(); }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::string& field() const { return field_; }

 private:
  Code code_ = Code::kOk;
  std::string message_;
  std::string field_;
};

template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}         // NOLINT(google-explicit-constructor)
  Result(Status status) : value_(std::move(status)) {}  // NOLINT(google-explicit-constructor)

  bool isOk() const { return std::holds_alternative<T>(value_); }
  explicit operator bool() const { return isOk(); }
  const Status& status() const {
    static const Status kOkStatus;
    return isOk() ? kOkStatus : std::get<Status>(value_);
  }
  T& value() & { return std::get<T>(value_); }
  const T& value() const& { return std::get<T>(value_); }
  T&& value() && { return std::get<T>(std::move(value_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> value_;
};

}  // namespace anju

// Returns early from the enclosing function when a Status-returning call fails.
#define ANJU_RETURN_IF_ERROR(expr)                 \
  do {                                             \
    ::anju::Status anju_status_ = (expr);          \
    if (!anju_status_.isOk()) return anju_status_; \
  } while (0)
