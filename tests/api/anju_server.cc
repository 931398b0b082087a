#include "anju_server.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "support/postgres_server.h"

namespace anju::testing {

namespace {

std::string makeTempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "anju-test-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

// With ANJU_TEST_STORE=postgresql every data folder gets a database of its own on the tests'
// PostgreSQL server, remembered in the folder so that a restarted server finds it again.
std::string testDatabaseFor(const std::string& data_dir) {
  const char* store = std::getenv("ANJU_TEST_STORE");
  if (!store || std::string(store) != "postgresql") return {};
  const auto file = std::filesystem::path(data_dir) / "test-db-url";
  std::string url;
  if (std::ifstream in(file); in && std::getline(in, url) && !url.empty()) return url;
  url = test_support::PostgresServer::shared().createDatabase();
  std::ofstream(file) << url << "\n";
  return url;
}

}  // namespace

std::string ApiResponse::header(const std::string& lower_name) const {
  for (const auto& [k, v] : headers) {
    if (k == lower_name) return v;
  }
  return {};
}

AnjuServer::AnjuServer() : data_dir_(makeTempDir()), owns_dir_(true) {
  start();
}

AnjuServer::AnjuServer(std::string data_dir, std::vector<std::string> extra_args)
    : data_dir_(std::move(data_dir)), extra_args_(std::move(extra_args)) {
  start();
}

std::string AnjuServer::dbUrl() const {
  for (std::size_t i = 0; i + 1 < extra_args_.size(); ++i) {
    if (extra_args_[i] == "--db") return extra_args_[i + 1];
  }
  return testDatabaseFor(data_dir_);
}

AnjuServer::~AnjuServer() {
  if (pid_ > 0) stop();
  if (owns_dir_) {
    std::error_code ec;
    std::filesystem::remove_all(data_dir_, ec);
  }
}

void AnjuServer::start() {
  std::vector<std::string> args = {ANJU_BINARY, "serve",    "--data",
                                   data_dir_,   "--listen", "127.0.0.1:0"};
  args.insert(args.end(), extra_args_.begin(), extra_args_.end());
  if (const std::string url = dbUrl();
      !url.empty() && std::find(args.begin(), args.end(), "--db") == args.end()) {
    args.insert(args.end(), {"--db", url});
  }
  int out[2];
  if (pipe(out) != 0) throw std::runtime_error("pipe failed");
  pid_ = fork();
  if (pid_ == 0) {
    dup2(out[1], STDOUT_FILENO);
    close(out[0]);
    close(out[1]);
    int devnull = open("/dev/null", O_WRONLY);
    if (!std::getenv("ANJU_TEST_SERVER_LOGS")) dup2(devnull, STDERR_FILENO);
    setenv("ANJU_ADMIN_PASSWORD", kAdminPassword, 1);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(out[1]);
  // The server prints "... listening on http://127.0.0.1:PORT/" once it accepts connections.
  std::string seen;
  char buf[256];
  while (seen.find("listening on ") == std::string::npos ||
         seen.find('\n', seen.find("listening on ")) == std::string::npos) {
    ssize_t n = read(out[0], buf, sizeof buf);
    if (n <= 0) {
      close(out[0]);
      throw std::runtime_error("anju serve exited before listening: " + seen);
    }
    seen.append(buf, static_cast<std::size_t>(n));
  }
  close(out[0]);
  auto at = seen.find("127.0.0.1:", seen.find("listening on "));
  port_ = static_cast<uint16_t>(std::stoi(seen.substr(at + 10)));
  client_ = std::make_unique<http::Client>("127.0.0.1", port_);
}

int AnjuServer::stop() {
  client_.reset();
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return status;
}

void AnjuServer::kill() {
  client_.reset();
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

ApiResponse AnjuServer::call(const std::string& method, const std::string& target,
                             const std::string& token, const std::string& body,
                             const std::string& content_type) {
  std::vector<std::pair<std::string, std::string>> headers;
  if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
  return request(method, target, headers, body, content_type);
}

ApiResponse AnjuServer::request(const std::string& method, const std::string& target,
                                const std::vector<std::pair<std::string, std::string>>& headers,
                                const std::string& body, const std::string& content_type) {
  auto r = client_->request(method, target, body, headers, content_type);
  if (!r) throw std::runtime_error("request failed: " + r.status().message());
  ApiResponse out;
  out.status = r->status;
  out.raw = r->body;
  out.headers = r->headers;
  out.body = nlohmann::json::parse(r->body, nullptr, false);
  if (out.body.is_discarded()) out.body = nullptr;
  return out;
}

ApiResponse AnjuServer::call(const std::string& method, const std::string& target,
                             const std::string& token, const nlohmann::json& body) {
  return call(method, target, token, body.dump());
}

std::string AnjuServer::login(const std::string& username, const std::string& password) {
  auto r = call("POST", "/api/v1/auth/login", "",
                nlohmann::json{{"username", username}, {"password", password}});
  EXPECT_EQ(r.status, 200) << r.raw;
  return r.body.is_object() && r.body.contains("token") ? r.body["token"].get<std::string>()
                                                        : std::string();
}

std::pair<int, std::string> AnjuServer::runCli(const std::vector<std::string>& args,
                                               const std::string& stdin_text) {
  int in[2], out[2];
  if (pipe(in) != 0 || pipe(out) != 0) throw std::runtime_error("pipe failed");
  pid_t pid = fork();
  if (pid == 0) {
    dup2(in[0], STDIN_FILENO);
    dup2(out[1], STDOUT_FILENO);
    dup2(out[1], STDERR_FILENO);
    close(in[0]);
    close(in[1]);
    close(out[0]);
    close(out[1]);
    std::vector<std::string> all = {ANJU_BINARY};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  if (!stdin_text.empty()) {
    ssize_t written = write(in[1], stdin_text.data(), stdin_text.size());
    (void)written;
  }
  close(in[1]);
  std::string output;
  std::array<char, 4096> buf{};
  ssize_t n = 0;
  while ((n = read(out[0], buf.data(), buf.size())) > 0)
    output.append(buf.data(), static_cast<std::size_t>(n));
  close(out[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

}  // namespace anju::testing
