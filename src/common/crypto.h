// Password hashing, tokens and digests, all on libsodium.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace anju::crypto {

// Must be called once before any other function here (libsodium's sodium_init).
bool initialize();

// argon2id with libsodium's interactive limits; the result embeds its own salt and parameters.
std::string hashPassword(std::string_view password);
bool verifyPassword(std::string_view password, const std::string& hash);

// `bytes` random bytes, hex-encoded.
std::string randomHex(std::size_t bytes);
// A password a person can type: letters and digits without look-alikes (0/O, 1/l/I).
std::string randomPassword(std::size_t length);

std::string sha256Hex(std::string_view data);
// The digest of a file's contents, read in pieces (backups hash files of many GiB); nullopt when
// it cannot be read.
std::optional<std::string> sha256FileHex(const std::string& path);
std::string hmacSha256Hex(std::string_view key, std::string_view data);
// Standard base64 with padding (RFC 4648 §4); decoding ignores no characters and fails on any
// that do not belong.
std::string base64Encode(std::string_view bytes);
std::optional<std::string> base64Decode(std::string_view text);
// Compares in time independent of where the strings differ.
bool constantTimeEquals(std::string_view a, std::string_view b);

}  // namespace anju::crypto
