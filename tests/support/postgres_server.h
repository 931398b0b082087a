// A throwaway PostgreSQL 15 server for tests: initdb into a temporary folder, pg_ctl start on a
// free loopback port with its socket in that folder and fsync off, removed when done. PostgreSQL
// refuses to run as root, so as root (CI) its binaries run as the `postgres` system user that
// Debian's package creates, in a folder handed to that user.
#pragma once

#include <pwd.h>
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <filesystem>
#include <pqxx/pqxx>
#include <stdexcept>
#include <string>

namespace anju::test_support {

class PostgresServer {
 public:
  static constexpr const char* kBin = "/usr/lib/postgresql/15/bin";

  PostgresServer() {
    if (!std::filesystem::exists(std::string(kBin) + "/pg_ctl")) {
      throw std::runtime_error(std::string("PostgreSQL 15 is not installed (no ") + kBin +
                               "/pg_ctl): install Debian's `postgresql` package "
                               "(ANJU_TESTS=1 scripts/install-deps.sh) to run the PostgreSQL "
                               "store tests");
    }
    port_ = freePort();
    char pattern[] = "/tmp/anju-pg-test-XXXXXX";
    if (!mkdtemp(pattern)) throw std::runtime_error("mkdtemp failed");
    dir_ = pattern;
    if (geteuid() == 0) {
      const passwd* pg = getpwnam("postgres");
      if (!pg) throw std::runtime_error("no `postgres` user: install Debian's `postgresql`");
      if (chown(dir_.c_str(), pg->pw_uid, pg->pw_gid) != 0)
        throw std::runtime_error("cannot hand " + dir_.string() + " to the postgres user");
    }
    run("initdb -D " + data() + " -U postgres --auth=trust --locale=C --encoding=UTF8 -N");
    start();
  }
  ~PostgresServer() {
    std::system(
        (asUser() + kBin + "/pg_ctl -D " + data() + " -m immediate stop >/dev/null 2>&1").c_str());
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  // One server for the whole test program, started when first asked for.
  static PostgresServer& shared() {
    static PostgresServer server;
    return server;
  }

  uint16_t port() const { return port_; }
  std::string url(const std::string& database = "postgres") const {
    return "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/" + database;
  }

  // A new empty database, so that no test sees another's rows; returns its url.
  std::string createDatabase() {
    static std::atomic<int> next{0};
    const std::string name = "t_" + std::to_string(getpid()) + "_" + std::to_string(next++);
    pqxx::connection admin(url());
    pqxx::nontransaction tx(admin);
    tx.exec("CREATE DATABASE " + name);
    return url(name);
  }

  // `fast` stop: clients are disconnected and the server shuts down cleanly, as an operator's
  // restart would do it.
  void stop() { run("pg_ctl -D " + data() + " -m fast -w stop"); }
  void start() {
    run("pg_ctl -D " + data() + " -l " + (dir_ / "log").string() + " -w -o \"-p " +
        std::to_string(port_) + " -k " + dir_.string() +
        " -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
        " -c max_connections=300\" start");
  }

 private:
  static uint16_t freePort() {
    namespace asio = boost::asio;
    asio::io_context io;
    asio::ip::tcp::acceptor acceptor(
        io, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    return acceptor.local_endpoint().port();
  }
  std::string data() const { return (dir_ / "data").string(); }
  static std::string asUser() { return geteuid() == 0 ? "runuser -u postgres -- " : ""; }
  void run(const std::string& command) const {
    const std::string line =
        asUser() + kBin + "/" + command + " >>" + (dir_ / "ctl.log").string() + " 2>&1";
    if (std::system(line.c_str()) != 0) {
      throw std::runtime_error("`" + command + "` failed; see " + (dir_ / "ctl.log").string() +
                               " and " + (dir_ / "log").string());
    }
  }

  uint16_t port_ = 0;
  std::filesystem::path dir_;
};

}  // namespace anju::test_support
