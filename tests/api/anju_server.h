// Starts the real `anju serve` on a free loopback port with its own data folder, and talks to it.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "http/client.h"

namespace anju::testing {

struct ApiResponse {
  int status = 0;
  nlohmann::json body;  // null when the body is not JSON
  std::string raw;
  std::string header(const std::string& lower_name) const;
  std::vector<std::pair<std::string, std::string>> headers;
};

inline constexpr const char* kAdminPassword = "admin-test-password";

class AnjuServer {
 public:
  // A fresh data folder under the system's temporary directory, removed at the end.
  AnjuServer();
  // Reuses `data_dir` (for restart tests); it is not removed. `--db URL` among `extra_args` runs
  // it on PostgreSQL; so does ANJU_TEST_STORE=postgresql, on a database of the folder's own.
  explicit AnjuServer(std::string data_dir, std::vector<std::string> extra_args = {});
  ~AnjuServer();
  AnjuServer(const AnjuServer&) = delete;
  AnjuServer& operator=(const AnjuServer&) = delete;

  void start();
  // Sends SIGTERM and waits; returns the exit status.
  int stop();
  // SIGKILL, as a crash or power cut would end it: no shutdown code runs.
  void kill();

  uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }
  const std::string& dataDir() const { return data_dir_; }
  // The PostgreSQL database it runs on; empty on SQLite.
  std::string dbUrl() const;

  ApiResponse call(const std::string& method, const std::string& target,
                   const std::string& token = {}, const std::string& body = {},
                   const std::string& content_type = "application/json");
  ApiResponse call(const std::string& method, const std::string& target, const std::string& token,
                   const nlohmann::json& body);
  // With headers of the caller's choosing (device signatures, Content-Encoding).
  ApiResponse request(const std::string& method, const std::string& target,
                      const std::vector<std::pair<std::string, std::string>>& headers,
                      const std::string& body,
                      const std::string& content_type = "application/json");
  // Signs in and returns the token (fails the test when it cannot).
  std::string login(const std::string& username, const std::string& password);
  std::string adminToken() { return login("admin", kAdminPassword); }

  // Runs `anju ARGS...` against this server's data folder and returns its exit code and output.
  static std::pair<int, std::string> runCli(const std::vector<std::string>& args,
                                            const std::string& stdin_text = {});

 private:
  std::string data_dir_;
  bool owns_dir_ = false;
  std::vector<std::string> extra_args_;
  pid_t pid_ = -1;
  uint16_t port_ = 0;
  std::unique_ptr<http::Client> client_;
};

}  // namespace anju::testing
