#include "store/user_store.h"

#include <algorithm>
#include <sstream>

#include "common/crypto.h"
#include "common/utf8.h"

namespace anju::store {

namespace {

// rowToUser reads these columns by position; the session query selects one more after them.
constexpr std::string_view kUserFields =
    "SELECT u.id, u.username, u.roles, u.region_id, COALESCE(r.path, '/'), u.display_name, "
    "u.active, u.person_id, u.department_id";
constexpr std::string_view kUserFrom = " FROM users u LEFT JOIN regions r ON r.id = u.region_id ";
const std::string kUserColumns = std::string(kUserFields) + std::string(kUserFrom);
const std::string kSessionUserColumns =
    std::string(kUserFields) + ", s.expires_at" + std::string(kUserFrom);

User rowToUser(const std::vector<Value>& row) {
  User u;
  u.id = asInt(row[0]);
  u.username = asText(row[1]);
  std::stringstream roles(asText(row[2]));
  for (std::string role; std::getline(roles, role, ',');) {
    if (!role.empty()) u.roles.insert(role);
  }
  if (!isNull(row[3])) u.region_id = asInt(row[3]);
  u.region_path = asText(row[4]);
  u.display_name = asText(row[5]);
  u.active = asInt(row[6]) != 0;
  if (!isNull(row[7])) u.person_id = asInt(row[7]);
  if (!isNull(row[8])) u.department_id = asInt(row[8]);
  return u;
}

Status unauthenticated() {
  return {Code::kUnauthenticated, "登录已失效，请重新登录 (missing, unknown or expired token)"};
}

}  // namespace

UserStore::UserStore(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

Status UserStore::checkPassword(const std::string& password) {
  if (utf8Length(password) < 8) {
    return Status::invalid("password", "密码至少 8 位 (password must have at least 8 characters)");
  }
  if (password.size() > 256) return Status::invalid("password", "password is too long");
  return {};
}

Result<User> UserStore::loadWhere(Connection& c, const std::string& where, const Value& key) {
  auto rows = c.query(kUserColumns + where, {key});
  if (!rows) return rows.status();
  if (rows->empty()) return Status::notFound("未找到用户 (no such user)");
  return rowToUser(rows->rows[0]);
}

Result<User> UserStore::create(const NewUser& user) {
  const auto& name = user.username;
  bool name_ok =
      !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char ch) {
        return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '-' || ch == '.';
      });
  if (!name_ok) {
    return Status::invalid(
        "username", "用户名只能含字母、数字、_ - . (username may hold letters, digits, _ - .)");
  }
  ANJU_RETURN_IF_ERROR(checkPassword(user.password));
  if (user.roles.empty())
    return Status::invalid("roles", "至少需要一个角色 (at least one role is required)");
  std::string roles;
  for (const auto& role : user.roles) {
    if (!domain::isKnownRole(role))
      return Status::invalid("roles", "未知角色 " + role + " (unknown role " + role + ")");
    if (!roles.empty()) roles += ',';
    roles += role;
  }
  std::string hash = crypto::hashPassword(user.password);
  User created;
  Status s = db_.write([&](Connection& c) -> Status {
    if (user.region_id) {
      auto region = c.query("SELECT id FROM regions WHERE id = ?", {*user.region_id});
      if (!region) return region.status();
      if (region->empty()) return Status::invalid("region_id", "未知区域 (unknown region_id)");
    }
    if (user.person_id) {
      auto person = c.query("SELECT id FROM persons WHERE id = ?", {*user.person_id});
      if (!person) return person.status();
      if (person->empty()) return Status::invalid("person_id", "未知人员 (unknown person_id)");
    }
    if (user.department_id) {
      auto department = c.query("SELECT id FROM departments WHERE id = ?", {*user.department_id});
      if (!department) return department.status();
      if (department->empty())
        return Status::invalid("department_id", "未知部门 (unknown department_id)");
    }
    int64_t now = clock_.nowMillis();
    auto inserted = c.query(
        "INSERT INTO users (username, password_hash, roles, region_id, display_name, person_id, "
        "department_id, active, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id",
        {name, hash, roles, user.region_id ? Value(*user.region_id) : Value{}, user.display_name,
         user.person_id ? Value(*user.person_id) : Value{},
         user.department_id ? Value(*user.department_id) : Value{}, now, now});
    if (!inserted) {
      if (inserted.status().code() == Code::kConflict) {
        return Status::conflict("用户名已存在 (username already exists)", "username");
      }
      return inserted.status();
    }
    auto loaded = loadWhere(c, "WHERE u.id = ?", inserted->rows[0][0]);
    if (!loaded) return loaded.status();
    created = std::move(*loaded);
    return {};
  });
  if (!s) return s;
  return created;
}

Status UserStore::setPassword(const std::string& username, const std::string& password) {
  ANJU_RETURN_IF_ERROR(checkPassword(password));
  std::string hash = crypto::hashPassword(password);
  std::optional<int64_t> user_id;
  Status s = db_.write([&](Connection& c) -> Status {
    auto user = loadWhere(c, "WHERE u.username = ?", username);
    if (!user) return user.status();
    auto updated = c.execute("UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?",
                             {hash, clock_.nowMillis(), user->id});
    if (!updated) return updated.status();
    user_id = user->id;
    auto ended = c.execute("DELETE FROM sessions WHERE user_id = ?", {user->id});
    return ended ? Status() : ended.status();
  });
  if (s) forgetSessions(user_id, {});
  return s;
}

Status UserStore::setActive(int64_t user_id, bool active) {
  Status s = db_.write([&](Connection& c) -> Status {
    auto user = loadWhere(c, "WHERE u.id = ?", user_id);
    if (!user) return user.status();
    auto updated = c.execute("UPDATE users SET active = ?, updated_at = ? WHERE id = ?",
                             {int64_t{active ? 1 : 0}, clock_.nowMillis(), user_id});
    if (!updated) return updated.status();
    if (active) return Status();
    auto ended = c.execute("DELETE FROM sessions WHERE user_id = ?", {user_id});
    return ended ? Status() : ended.status();
  });
  if (s && !active) forgetSessions(user_id, {});
  return s;
}

Result<User> UserStore::findByName(const std::string& username) {
  User out;
  Status s = db_.read([&](Connection& c) -> Status {
    auto user = loadWhere(c, "WHERE u.username = ?", username);
    if (!user) return user.status();
    out = std::move(*user);
    return {};
  });
  if (!s) return s;
  return out;
}

Result<User> UserStore::findById(int64_t id) {
  User out;
  Status s = db_.read([&](Connection& c) -> Status {
    auto user = loadWhere(c, "WHERE u.id = ?", id);
    if (!user) return user.status();
    out = std::move(*user);
    return {};
  });
  if (!s) return s;
  return out;
}

Result<std::vector<User>> UserStore::list(const std::string& scope_path) {
  std::vector<User> out;
  Status s = db_.read([&](Connection& c) -> Status {
    auto rows = c.query(kUserColumns + "ORDER BY u.id");
    if (!rows) return rows.status();
    for (const auto& row : rows->rows) {
      User u = rowToUser(row);
      if (u.region_path.compare(0, scope_path.size(), scope_path) == 0) out.push_back(std::move(u));
    }
    return {};
  });
  if (!s) return s;
  return out;
}

Result<int64_t> UserStore::count() {
  int64_t n = 0;
  Status s = db_.read([&](Connection& c) -> Status {
    auto rows = c.query("SELECT COUNT(*) FROM users");
    if (!rows) return rows.status();
    n = rows->scalarInt().value_or(0);
    return {};
  });
  if (!s) return s;
  return n;
}

Result<Session> UserStore::login(const std::string& username, const std::string& password,
                                 std::chrono::seconds ttl) {
  Status bad{Code::kUnauthenticated, "用户名或密码错误 (wrong username or password)"};
  std::string hash;
  User user;
  Status s = db_.read([&](Connection& c) -> Status {
    auto rows =
        c.query("SELECT password_hash FROM users WHERE username = ? AND active = 1", {username});
    if (!rows) return rows.status();
    if (rows->empty()) return bad;
    hash = asText(rows->rows[0][0]);
    auto loaded = loadWhere(c, "WHERE u.username = ?", username);
    if (!loaded) return loaded.status();
    user = std::move(*loaded);
    return {};
  });
  if (s.code() == Code::kUnauthenticated) {
    // Spend the same effort as a real check, so response time does not reveal which names exist.
    static const std::string kDummy = crypto::hashPassword("anju-timing-equaliser");
    crypto::verifyPassword(password, kDummy);
    return bad;
  }
  if (!s) return s;
  if (!crypto::verifyPassword(password, hash)) return bad;

  Session session;
  session.token = crypto::randomHex(32);
  int64_t now = clock_.nowMillis();
  session.expires_at_ms = now + std::chrono::duration_cast<std::chrono::milliseconds>(ttl).count();
  session.user = user;
  s = db_.write([&](Connection& c) -> Status {
    auto purged = c.execute("DELETE FROM sessions WHERE expires_at < ?", {now});
    if (!purged) return purged.status();
    auto inserted = c.execute(
        "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
        {crypto::sha256Hex(session.token), user.id, now, session.expires_at_ms});
    return inserted ? Status() : inserted.status();
  });
  if (!s) return s;
  return session;
}

void UserStore::forgetSessions(std::optional<int64_t> user_id, const std::string& token_hash) {
  std::lock_guard lock(cache_mutex_);
  if (!token_hash.empty()) session_cache_.erase(token_hash);
  if (user_id) {
    std::erase_if(session_cache_,
                  [&](const auto& entry) { return entry.second.user.id == *user_id; });
  }
}

Result<User> UserStore::authenticate(const std::string& token) {
  if (token.empty() || token.size() > 128) return unauthenticated();
  std::string token_hash = crypto::sha256Hex(token);
  int64_t now = clock_.nowMillis();
  {
    std::lock_guard lock(cache_mutex_);
    auto it = session_cache_.find(token_hash);
    if (it != session_cache_.end()) {
      if (it->second.expires_at_ms > now && now - it->second.checked_at_ms < kSessionRecheckMs) {
        return it->second.user;
      }
      session_cache_.erase(it);
    }
  }
  User out;
  int64_t expires_at = 0;
  const bool api_key = token.starts_with(kApiKeyPrefix);
  Status s = db_.read([&](Connection& c) -> Status {
    // An API key never expires by itself; it is revoked.
    auto rows = api_key ? c.query(std::string(kUserFields) + ", 9223372036854775807 AS expires_at" +
                                      std::string(kUserFrom) +
                                      "JOIN api_keys k ON k.user_id = u.id WHERE k.key_hash = ? "
                                      "AND k.revoked_at IS NULL AND u.active = 1",
                                  {token_hash})
                        : c.query(kSessionUserColumns +
                                      "JOIN sessions s ON s.user_id = u.id WHERE s.token_hash = "
                                      "? AND s.expires_at > ? AND u.active = 1",
                                  {token_hash, now});
    if (!rows) return rows.status();
    if (rows->empty()) return unauthenticated();
    out = rowToUser(rows->rows[0]);
    expires_at = asInt(rows->rows[0][9]);
    return {};
  });
  if (!s) return s;
  std::lock_guard lock(cache_mutex_);
  // Tokens of users who stopped calling would otherwise stay here for good.
  if (session_cache_.size() > 10000) session_cache_.clear();
  session_cache_[token_hash] = {out, expires_at, now};
  return out;
}

Result<ApiKey> UserStore::createApiKey(int64_t user_id, const std::string& name) {
  if (name.empty() || name.size() > 100)
    return Status::invalid("name", "请为密钥命名，最多 100 字节 (name the key, at most 100 bytes)");
  ApiKey key{.user_id = user_id, .name = name, .created_at_ms = clock_.nowMillis()};
  key.key = std::string(kApiKeyPrefix) + crypto::randomHex(32);
  Status s = db_.write([&](Connection& c) -> Status {
    auto user = c.query("SELECT id FROM users WHERE id = ?", {user_id});
    if (!user) return user.status();
    if (user->empty()) return Status::notFound("未找到用户 (no such user)");
    auto inserted = c.query(
        "INSERT INTO api_keys (key_hash, user_id, name, created_at) VALUES (?, ?, ?, ?) "
        "RETURNING id",
        {crypto::sha256Hex(key.key), user_id, name, key.created_at_ms});
    if (!inserted) return inserted.status();
    key.id = asInt(inserted->rows[0][0]);
    return {};
  });
  if (!s) return s;
  return key;
}

Result<std::vector<ApiKey>> UserStore::apiKeys(int64_t user_id) {
  std::vector<ApiKey> out;
  Status s = db_.read([&](Connection& c) -> Status {
    auto rows = c.query(
        "SELECT id, name, created_at, revoked_at FROM api_keys WHERE user_id = ? ORDER BY id",
        {user_id});
    if (!rows) return rows.status();
    for (const auto& r : rows->rows) {
      ApiKey k{.id = asInt(r[0]),
               .user_id = user_id,
               .name = asText(r[1]),
               .created_at_ms = asInt(r[2])};
      if (!isNull(r[3])) k.revoked_at_ms = asInt(r[3]);
      out.push_back(std::move(k));
    }
    return {};
  });
  if (!s) return s;
  return out;
}

Status UserStore::revokeApiKey(int64_t user_id, int64_t key_id) {
  std::string key_hash;
  Status s = db_.write([&](Connection& c) -> Status {
    auto rows = c.query(
        "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ? AND user_id = ? "
        "RETURNING key_hash",
        {clock_.nowMillis(), key_id, user_id});
    if (!rows) return rows.status();
    if (rows->empty()) return Status::notFound("未找到密钥 (no such API key for this user)");
    key_hash = asText(rows->rows[0][0]);
    return {};
  });
  if (!s) return s;
  forgetSessions(std::nullopt, key_hash);
  return {};
}

Status UserStore::logout(const std::string& token) {
  std::string token_hash = crypto::sha256Hex(token);
  forgetSessions(std::nullopt, token_hash);
  return db_.write([&](Connection& c) -> Status {
    auto deleted = c.execute("DELETE FROM sessions WHERE token_hash = ?", {token_hash});
    return deleted ? Status() : deleted.status();
  });
}

}  // namespace anju::store
