// The rules of an access decision (SPEC §4) that need no storage: which method a door used, the
// stable reason codes a door and the console show, and how a visitor pass or a credential's
// validity window answers at a given moment. access_service.cc looks the facts up and asks these.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace anju::access {

enum class Method { kFace, kCard, kPin, kQr, kCode, kPhone, kRemote, kPlate };

std::string_view methodName(Method method);
std::optional<Method> parseMethod(std::string_view name);

// Reasons are part of the API: doors and dashboards key on them. Never rename one.
namespace reason {
inline constexpr std::string_view kResident = "resident";             // granted by access group
inline constexpr std::string_view kVisitor = "visitor";               // granted by a visitor pass
inline constexpr std::string_view kPhoneApproved = "phone_approved";  // granted by the host
inline constexpr std::string_view kTemporary = "temporary";           // unknown car, billed
inline constexpr std::string_view kNoAccessGroup = "no_access_group";
inline constexpr std::string_view kCredentialExpired = "credential_expired";
inline constexpr std::string_view kCredentialNotYetValid = "credential_not_yet_valid";
inline constexpr std::string_view kUnknownCredential = "unknown_credential";
inline constexpr std::string_view kUnknownCode = "unknown_code";
inline constexpr std::string_view kPassUsedUp = "pass_used_up";
inline constexpr std::string_view kPassExpired = "pass_expired";
inline constexpr std::string_view kPassNotYetValid = "pass_not_yet_valid";
inline constexpr std::string_view kPassRevoked = "pass_revoked";
inline constexpr std::string_view kWrongDoor = "wrong_door";
inline constexpr std::string_view kPhoneRefused = "phone_refused";
inline constexpr std::string_view kPhoneExpired = "phone_expired";
inline constexpr std::string_view kPhonePending = "phone_pending";
inline constexpr std::string_view kPhoneUsed = "phone_used";
}  // namespace reason

// A visitor pass as the decision sees it.
struct PassFacts {
  int64_t valid_from = 0;
  int64_t valid_to = 0;
  int64_t uses_left = 0;
  bool revoked = false;
  std::vector<std::string> device_ids;  // empty: every door of the pass's estate
  int64_t estate_id = 0;
};

// Whether `pass` admits at `door_id` of `door_estate_id` at `now_ms`: empty when it does,
// otherwise the reason it does not. Checked in the order a visitor would want explained: a
// revoked pass first, then its window, its uses, and last the door.
std::optional<std::string_view> checkPass(const PassFacts& pass, const std::string& door_id,
                                          int64_t door_estate_id, int64_t now_ms);

// Whether a pass could still admit someone some time: not revoked, uses left, window not over.
bool passIsLive(const PassFacts& pass, int64_t now_ms);

// A credential's validity window; either end may be open.
std::optional<std::string_view> checkWindow(std::optional<int64_t> valid_from,
                                            std::optional<int64_t> valid_to, int64_t now_ms);

// "ANJU1:<pass id>:<code>", what a pass's QR code holds.
std::string passQr(int64_t pass_id, const std::string& code);
struct QrPayload {
  int64_t pass_id = 0;
  std::string code;
};
std::optional<QrPayload> parsePassQr(std::string_view text);

// Six decimal digits.
bool isPassCode(std::string_view code);

// How a pass's code is stored: SHA-256 of "estate:code", so that the file does not show codes at a
// glance. A million codes are quickly tried, so the protection that counts is the pass's short
// window, its few uses and codes being looked up within the door's estate only.
std::string passCodeHash(int64_t estate_id, std::string_view code);

}  // namespace anju::access
