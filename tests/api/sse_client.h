// A Server-Sent Events client for the live stream (/api/v1/alerts/stream) on a plain socket: reads
// frames as the server sends them.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

namespace anju::testing {

class SseClient {
 public:
  SseClient(uint16_t port, const std::string& token, const std::string& last_id = {},
            const std::string& query = {}) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    // A guard against a hung test, not a measure of speed.
    timeval timeout{.tv_sec = 20, .tv_usec = 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    std::string request = "GET /api/v1/alerts/stream" + query +
                          " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                          "Authorization: Bearer " +
                          token + "\r\nAccept: text/event-stream\r\n";
    if (!last_id.empty()) request += "Last-Event-ID: " + last_id + "\r\n";
    request += "\r\n";
    if (connected_) connected_ = send(fd_, request.data(), request.size(), 0) > 0;
  }
  ~SseClient() { close(fd_); }

  // Returns once the answer's headers are in: the server subscribed this client before answering,
  // so whatever is published from now on reaches it.
  bool ready() {
    while (!headers_done_) {
      if (!receive()) return false;
    }
    return true;
  }

  // Reads until a frame of `type` arrives; its id and data. Empty when the stream ended first, or
  // after a minute without one (heartbeat comments keep a quiet stream open indefinitely).
  std::pair<std::string, nlohmann::json> next(const std::string& type) {
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::minutes(1);
    while (std::chrono::steady_clock::now() < give_up) {
      if (!ready()) return {};
      std::size_t end;
      while ((end = buffer_.find("\n\n")) != std::string::npos) {
        std::string frame = buffer_.substr(0, end);
        buffer_.erase(0, end + 2);
        std::string id, event, data;
        std::size_t start = 0;
        while (start < frame.size()) {
          std::size_t nl = frame.find('\n', start);
          std::string line = frame.substr(start, nl == std::string::npos ? nl : nl - start);
          if (line.rfind("id: ", 0) == 0) id = line.substr(4);
          if (line.rfind("event: ", 0) == 0) event = line.substr(7);
          if (line.rfind("data: ", 0) == 0) data = line.substr(6);
          if (nl == std::string::npos) break;
          start = nl + 1;
        }
        if (event == type) return {id, nlohmann::json::parse(data)};
      }
      if (!receive()) return {};
    }
    return {};
  }
  const std::string& statusLine() const { return status_line_; }

 private:
  bool receive() {
    char chunk[4096];
    ssize_t n = connected_ ? recv(fd_, chunk, sizeof chunk, 0) : -1;
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<std::size_t>(n));
    if (!headers_done_) {
      std::size_t h = buffer_.find("\r\n\r\n");
      if (h == std::string::npos) return true;
      status_line_ = buffer_.substr(0, buffer_.find("\r\n"));
      buffer_.erase(0, h + 4);
      headers_done_ = true;
    }
    return true;
  }

  int fd_ = -1;
  bool connected_ = false;
  bool headers_done_ = false;
  std::string buffer_;
  std::string status_line_;
};

}  // namespace anju::testing
