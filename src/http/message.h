// The plain request and response that the API layer sees; the Beast types stay inside http/.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace anju::http {

struct Request {
  std::string method;                             // "GET", "POST", ...
  std::string target;                             // as sent: path plus query string
  std::string path;                               // percent-decoded path, without the query string
  std::multimap<std::string, std::string> query;  // percent-decoded query parameters
  std::map<std::string, std::string> headers;     // names lower-cased
  std::string body;
  std::string remote_address;  // "127.0.0.1"

  // The first value of a query parameter, or empty.
  std::string queryParam(const std::string& name) const {
    auto it = query.find(name);
    return it == query.end() ? std::string() : it->second;
  }
  bool hasQueryParam(const std::string& name) const { return query.count(name) > 0; }
  std::string header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

// A body that goes on after the headers (Server-Sent Events). The server writes whatever take()
// gives, waits for the source to wake it, and drops the source when the stream ends or the client
// leaves; a client that stops reading is disconnected rather than waited for.
class StreamSource {
 public:
  virtual ~StreamSource() = default;
  // Called once by the server before the first take(). `wake` may be called from any thread,
  // any number of times, to have take() called again soon; it never blocks.
  virtual void start(std::function<void()> wake) = 0;
  // The bytes to send now, possibly none; nullopt once the stream has ended.
  virtual std::optional<std::string> take() = 0;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::shared_ptr<StreamSource> stream;  // when set, `body` is ignored and the stream follows
};

}  // namespace anju::http
