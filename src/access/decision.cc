#include "access/decision.h"

#include <algorithm>
#include <array>
#include <charconv>

#include "common/crypto.h"

namespace anju::access {

namespace {

constexpr std::array<std::pair<Method, std::string_view>, 8> kMethods = {{
    {Method::kFace, "face"},
    {Method::kCard, "card"},
    {Method::kPin, "pin"},
    {Method::kQr, "qr"},
    {Method::kCode, "code"},
    {Method::kPhone, "phone"},
    {Method::kRemote, "remote"},
    {Method::kPlate, "plate"},
}};

}  // namespace

std::string_view methodName(Method method) {
  for (const auto& [m, name] : kMethods) {
    if (m == method) return name;
  }
  return "unknown";
}

std::optional<Method> parseMethod(std::string_view name) {
  for (const auto& [m, n] : kMethods) {
    if (n == name) return m;
  }
  return std::nullopt;
}

std::optional<std::string_view> checkPass(const PassFacts& pass, const std::string& door_id,
                                          int64_t door_estate_id, int64_t now_ms) {
  if (pass.revoked) return reason::kPassRevoked;
  if (now_ms < pass.valid_from) return reason::kPassNotYetValid;
  if (now_ms > pass.valid_to) return reason::kPassExpired;
  if (pass.uses_left <= 0) return reason::kPassUsedUp;
  if (pass.estate_id != door_estate_id) return reason::kWrongDoor;
  if (!pass.device_ids.empty() &&
      std::find(pass.device_ids.begin(), pass.device_ids.end(), door_id) == pass.device_ids.end())
    return reason::kWrongDoor;
  return std::nullopt;
}

bool passIsLive(const PassFacts& pass, int64_t now_ms) {
  return !pass.revoked && pass.uses_left > 0 && now_ms <= pass.valid_to;
}

std::optional<std::string_view> checkWindow(std::optional<int64_t> valid_from,
                                            std::optional<int64_t> valid_to, int64_t now_ms) {
  if (valid_from && now_ms < *valid_from) return reason::kCredentialNotYetValid;
  if (valid_to && now_ms > *valid_to) return reason::kCredentialExpired;
  return std::nullopt;
}

std::string passQr(int64_t pass_id, const std::string& code) {
  return "ANJU1:" + std::to_string(pass_id) + ":" + code;
}

std::optional<QrPayload> parsePassQr(std::string_view text) {
  constexpr std::string_view kPrefix = "ANJU1:";
  if (text.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  text.remove_prefix(kPrefix.size());
  auto colon = text.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  QrPayload out;
  auto id = text.substr(0, colon);
  auto [ptr, ec] = std::from_chars(id.data(), id.data() + id.size(), out.pass_id);
  if (ec != std::errc() || ptr != id.data() + id.size() || out.pass_id <= 0) return std::nullopt;
  out.code = std::string(text.substr(colon + 1));
  if (!isPassCode(out.code)) return std::nullopt;
  return out;
}

std::string passCodeHash(int64_t estate_id, std::string_view code) {
  return crypto::sha256Hex(std::to_string(estate_id) + ":" + std::string(code));
}

bool isPassCode(std::string_view code) {
  return code.size() == 6 &&
         std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace anju::access
