// Users, their passwords (argon2id) and their sessions (bearer tokens with expiry).
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/clock.h"
#include "domain/roles.h"
#include "store/database.h"

namespace anju::store {

struct User {
  int64_t id = 0;
  std::string username;
  domain::RoleSet roles;
  std::optional<int64_t> region_id;
  std::string region_path = "/";  // the user's scope
  std::string display_name;
  bool active = true;
  std::optional<int64_t> person_id;      // a resident's own person record
  std::optional<int64_t> department_id;  // the department whose cases a department user works

  bool hasRole(std::string_view role) const { return roles.count(role) > 0; }
};

struct NewUser {
  std::string username;
  std::string password;
  std::vector<std::string> roles;
  std::optional<int64_t> region_id;
  std::string display_name;
  std::optional<int64_t> person_id;
  std::optional<int64_t> department_id;
};

// A key for a system rather than a person; the key itself is shown once, at creation.
struct ApiKey {
  int64_t id = 0;
  int64_t user_id = 0;
  std::string name;
  int64_t created_at_ms = 0;
  std::optional<int64_t> revoked_at_ms;
  std::string key;  // only in the answer to createApiKey
};

struct Session {
  std::string token;  // shown to the user once; only its hash is stored
  int64_t expires_at_ms = 0;
  User user;
};

class UserStore {
 public:
  UserStore(Database& db, const Clock& clock);

  // Checks username, password strength and roles; the region must exist.
  Result<User> create(const NewUser& user);
  // Changes a password and ends every session of that user.
  Status setPassword(const std::string& username, const std::string& password);
  // Lets a user sign in again, or stops them: deactivating ends every session and API key use at
  // once (authentication checks `active`), but keeps the user for the audit log's names.
  Status setActive(int64_t user_id, bool active);
  Result<User> findByName(const std::string& username);
  Result<User> findById(int64_t id);
  // Users whose region lies inside `scope_path`.
  Result<std::vector<User>> list(const std::string& scope_path);
  Result<int64_t> count();

  Result<Session> login(const std::string& username, const std::string& password,
                        std::chrono::seconds ttl);
  // The user a live token belongs to; kUnauthenticated for unknown or expired tokens.
  Result<User> authenticate(const std::string& token);
  Status logout(const std::string& token);

  // API keys act as their user wherever a token is accepted, until revoked.
  Result<ApiKey> createApiKey(int64_t user_id, const std::string& name);
  Result<std::vector<ApiKey>> apiKeys(int64_t user_id);
  // kNotFound unless the key belongs to `user_id`.
  Status revokeApiKey(int64_t user_id, int64_t key_id);
  static constexpr std::string_view kApiKeyPrefix = "anjukey_";

  static Status checkPassword(const std::string& password);

 private:
  Result<User> loadWhere(Connection& c, const std::string& where, const Value& key);
  void forgetSessions(std::optional<int64_t> user_id, const std::string& token_hash);

  Database& db_;
  const Clock& clock_;

  // Every API call presents its token; checking it against the store each time costs a read
  // transaction per request. A checked token is trusted for a few seconds; logout and password
  // changes here drop it at once, and another node's revocation reaches this one within the TTL.
  struct CachedSession {
    User user;
    int64_t expires_at_ms;
    int64_t checked_at_ms;
  };
  static constexpr int64_t kSessionRecheckMs = 5000;
  std::mutex cache_mutex_;
  std::unordered_map<std::string, CachedSession> session_cache_;  // GUARDED_BY(cache_mutex_)
};

}  // namespace anju::store
