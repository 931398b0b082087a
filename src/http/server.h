// An HTTP/1.1 server with keep-alive on Boost.Beast. Handlers run on a worker pool so that a
// slow store call never stalls the sockets; the answer is written back on the connection's strand.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "http/message.h"

namespace anju::http {

struct ServerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 8080;  // 0 picks a free port
  int io_threads = 2;
  int worker_threads = 8;
  std::size_t body_limit = 8 * 1024 * 1024;  // larger bodies answer 413
  std::chrono::seconds read_timeout{30};     // per request, headers and body
  std::chrono::seconds idle_timeout{60};     // a keep-alive connection with no request
  // Reverse proxies whose X-Forwarded-For names the client (http/forwarded.h); none by default.
  std::vector<std::string> trusted_proxies;
};

using Handler = std::function<Response(const Request&)>;

class Server {
 public:
  Server(ServerOptions options, Handler handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and starts accepting; returns the bound port.
  Result<uint16_t> start();
  // Stops accepting, lets requests in flight finish, closes connections. Safe to call twice.
  void stop();
  // Blocks until stop() has completed.
  void wait();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace anju::http
