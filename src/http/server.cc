#include "http/server.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <condition_variable>
#include <ctime>
#include <exception>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/json_text.h"
#include "common/log.h"
#include "http/forwarded.h"
#include "http/url.h"

namespace anju::http {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

constexpr std::uint32_t kHeaderLimit = 16 * 1024;
// stop() waits this long for requests in flight before it tears the sockets down regardless.
constexpr auto kDrainTimeout = std::chrono::seconds(10);
// After an error answer the client may still be sending the body it was refused; reading and
// discarding it for a while keeps our close from turning into a reset that destroys the answer.
constexpr auto kLingerTimeout = std::chrono::seconds(2);
// accept() fails with EMFILE while the process is out of descriptors; retrying at once would spin.
constexpr auto kAcceptRetryDelay = std::chrono::milliseconds(100);
constexpr std::size_t kFirstReadSize = 4096;
// A stream with nothing to say sends a comment this often, so proxies keep it open and a client
// that vanished is noticed by the failed write.
constexpr auto kStreamHeartbeat = std::chrono::seconds(15);
// A stream client that takes longer than this to accept a write is dropped; it resumes later.
constexpr auto kStreamWriteTimeout = std::chrono::seconds(30);
constexpr std::size_t kMiB = std::size_t{1024} * 1024;

// Which server's threads the current thread belongs to, so that stop() called from a handler
// does not try to join the thread it is running on.
thread_local const void* tls_owner = nullptr;

class OwnerScope {
 public:
  explicit OwnerScope(const void* owner) : previous_(tls_owner) { tls_owner = owner; }
  ~OwnerScope() { tls_owner = previous_; }
  OwnerScope(const OwnerScope&) = delete;
  OwnerScope& operator=(const OwnerScope&) = delete;

 private:
  const void* previous_;
};

void appendJsonString(std::string& out, std::string_view text) {
  out += '"';
  appendJsonEscaped(out, text);
  out += '"';
}

Response errorResponse(int status, std::string_view code, std::string_view message,
                       std::string_view field) {
  Response response;
  response.status = status;
  response.body = "{\"error\":{\"code\":";
  appendJsonString(response.body, code);
  response.body += ",\"message\":";
  appendJsonString(response.body, message);
  if (!field.empty()) {
    response.body += ",\"field\":";
    appendJsonString(response.body, field);
  }
  response.body += "}}";
  return response;
}

std::string httpDate() {
  std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  std::array<char, 64> text{};
  std::size_t n = std::strftime(text.data(), text.size(), "%a, %d %b %Y %H:%M:%S GMT", &utc);
  return std::string(text.data(), n);
}

// Beast 1.74 speaks boost::string_view.
std::string_view view(beast::string_view text) {
  return {text.data(), text.size()};
}

std::string lowerCase(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  });
  return out;
}

// Framing is the server's business: a handler's Content-Length or Connection would contradict
// the one we compute, and a CR or LF in a header would let a value smuggle in further headers.
bool acceptableHandlerHeader(std::string_view name, std::string_view value) {
  if (name.empty()) return false;
  for (std::string_view text : {name, value}) {
    if (text.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos) return false;
  }
  std::string lower = lowerCase(name);
  return lower != "content-length" && lower != "transfer-encoding" && lower != "connection";
}

bool isHttpProtocolError(const beast::error_code& ec) {
  return ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category();
}

std::string remoteAddressOf(const tcp::socket& socket) {
  beast::error_code ec;
  tcp::endpoint endpoint = socket.remote_endpoint(ec);
  if (ec) return {};
  asio::ip::address address = endpoint.address();
  // A listener on "::" sees IPv4 peers as ::ffff:a.b.c.d; audit logs want the plain form.
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6()).to_string();
  }
  return address.to_string();
}

class Connection;

class ServerCore {
 public:
  ServerCore(ServerOptions options, Handler handler)
      : options_(std::move(options)),
        handler_(std::move(handler)),
        acceptor_(asio::make_strand(io_context_)),
        accept_retry_(acceptor_.get_executor()) {}
  ~ServerCore() { stop(); }
  ServerCore(const ServerCore&) = delete;
  ServerCore& operator=(const ServerCore&) = delete;

  Result<uint16_t> start();
  void stop();
  void wait();

  const ServerOptions& options() const { return options_; }
  bool stopping() const { return stopping_.load(); }
  // Returns false once stop() has begun, so that a connection accepted in the race with stop()
  // is refused instead of escaping the shutdown.
  bool registerConnection(const std::shared_ptr<Connection>& connection);
  void unregisterConnection(const Connection* connection);
  void runHandler(std::shared_ptr<Connection> connection, Request request);

 private:
  enum class State { kNew, kRunning, kStopping, kStopped };

  void accept();
  void runIo();
  Response invoke(const Request& request);
  void beginStop();
  void finishStop();
  bool onOwnThread() const { return tls_owner == this; }

  const ServerOptions options_;
  const Handler handler_;

  std::mutex state_mu_;
  std::condition_variable state_cv_;
  State state_ = State::kNew;
  // Serialises the blocking half of stop() between stop(), wait() and the destructor.
  std::mutex teardown_mu_;

  // Declared before io_context_: connections still owned by its queued handlers are destroyed
  // with it, and unregister themselves here as they go.
  std::mutex connections_mu_;
  std::condition_variable connections_cv_;
  std::unordered_map<const Connection*, std::weak_ptr<Connection>> connections_;
  std::atomic<bool> stopping_{false};

  asio::io_context io_context_;
  tcp::acceptor acceptor_;
  asio::steady_timer accept_retry_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  std::vector<std::thread> io_threads_;
  std::unique_ptr<asio::thread_pool> workers_;
};

// One accepted socket. Everything except deliver() and shutdown() runs on the socket's strand,
// and every pending operation holds a shared_ptr to the connection, so the connection lives
// exactly as long as something can still call back into it.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket socket, ServerCore& server)
      : server_(server),
        remote_address_(remoteAddressOf(socket)),
        stream_(std::move(socket)),
        strand_(stream_.get_executor()) {
    beast::error_code ignored;
    stream_.socket().set_option(tcp::no_delay(true), ignored);
  }
  ~Connection() { server_.unregisterConnection(this); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void start();
  // Called from a worker thread with the handler's answer.
  void deliver(Response response);
  // Called from the thread running stop(): idle and reading connections close now; one whose
  // request is being handled answers it first.
  void shutdown();

 private:
  enum class Phase { kReading, kHandling, kWriting, kStreaming, kLingering, kClosed };

  void waitForRequest();
  void readHeader();
  void onHeader(const beast::error_code& ec);
  void readBody();
  void onReadError(const beast::error_code& ec);
  void dispatchRequest();
  void write(Response response, bool close, bool linger);
  void onWrite(const beast::error_code& ec);
  void startStream(Response response);
  void pump();
  void sendChunk(std::string chunk);
  void linger();
  void drain();
  void close();

  ServerCore& server_;
  const std::string remote_address_;
  beast::tcp_stream stream_;
  const asio::any_io_executor strand_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  bhttp::response<bhttp::empty_body> continue_;
  bhttp::response<bhttp::string_body> response_;
  std::array<char, 4096> drain_buffer_{};
  // While streaming: the source, the bytes being written, and the heartbeat timer.
  std::shared_ptr<StreamSource> source_;
  bhttp::response<bhttp::empty_body> stream_header_;
  std::optional<bhttp::response_serializer<bhttp::empty_body>> stream_serializer_;
  std::string stream_chunk_;
  bool stream_writing_ = false;
  std::optional<asio::steady_timer> heartbeat_;

  Phase phase_ = Phase::kReading;
  bool shutting_down_ = false;
  bool first_request_ = true;
  // Of the request being answered.
  bool keep_alive_ = false;
  bool head_ = false;
  unsigned version_ = 11;
  bool close_after_write_ = false;
  bool linger_after_write_ = false;
};

void Connection::start() {
  if (!server_.registerConnection(shared_from_this())) {
    close();
    return;
  }
  asio::dispatch(strand_, [self = shared_from_this()] { self->waitForRequest(); });
}

void Connection::shutdown() {
  asio::post(strand_, [self = shared_from_this()] {
    self->shutting_down_ = true;
    if (self->phase_ == Phase::kReading || self->phase_ == Phase::kLingering ||
        self->phase_ == Phase::kStreaming) {
      self->close();
    }
  });
}

void Connection::deliver(Response response) {
  asio::post(strand_, [self = shared_from_this(), response = std::move(response)]() mutable {
    if (self->phase_ == Phase::kClosed) return;
    if (response.stream && response.status == 200 && !self->head_) {
      return self->startStream(std::move(response));
    }
    self->write(std::move(response), false, false);
  });
}

// The answer's headers, then whatever the source gives for as long as it lasts. The connection
// is not reused afterwards: the stream's end is the connection's end.
void Connection::startStream(Response response) {
  phase_ = Phase::kStreaming;
  source_ = std::move(response.stream);
  stream_header_ = {};
  stream_header_.version(version_);
  stream_header_.result(bhttp::status::ok);
  stream_header_.set(bhttp::field::server, "anju");
  stream_header_.set(bhttp::field::date, httpDate());
  stream_header_.set(bhttp::field::content_type, response.content_type);
  stream_header_.set(bhttp::field::cache_control, "no-cache");
  for (const auto& [name, value] : response.headers) {
    if (acceptableHandlerHeader(name, value)) stream_header_.insert(name, value);
  }
  stream_header_.keep_alive(false);
  stream_serializer_.emplace(stream_header_);
  stream_.expires_after(kStreamWriteTimeout);
  stream_writing_ = true;
  bhttp::async_write_header(
      stream_, *stream_serializer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
        self->stream_writing_ = false;
        if (self->phase_ == Phase::kClosed) return;
        if (ec) return self->close();
        self->stream_.expires_never();
        self->heartbeat_.emplace(self->strand_);
        std::weak_ptr<Connection> weak = self;
        self->source_->start([weak] {
          if (auto connection = weak.lock()) {
            asio::post(connection->strand_, [connection] { connection->pump(); });
          }
        });
        self->pump();
      });
}

void Connection::pump() {
  if (phase_ != Phase::kStreaming || stream_writing_) return;
  std::optional<std::string> next = source_->take();
  if (!next) return close();
  if (next->empty()) {
    heartbeat_->expires_after(kStreamHeartbeat);
    heartbeat_->async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec || self->phase_ != Phase::kStreaming || self->stream_writing_) return;
      self->sendChunk(":\n\n");
    });
    return;
  }
  heartbeat_->cancel();
  sendChunk(std::move(*next));
}

// Writes one piece of the stream, then asks the source for more.
void Connection::sendChunk(std::string chunk) {
  stream_chunk_ = std::move(chunk);
  stream_writing_ = true;
  stream_.expires_after(kStreamWriteTimeout);
  asio::async_write(stream_, asio::buffer(stream_chunk_),
                    [self = shared_from_this()](beast::error_code ec, std::size_t) {
                      self->stream_writing_ = false;
                      if (self->phase_ == Phase::kClosed) return;
                      if (ec) return self->close();
                      self->stream_.expires_never();
                      self->pump();
                    });
}

// Waits for the first byte under the idle timeout, so that the read timeout measures only how
// long the client takes to send a request it has started.
void Connection::waitForRequest() {
  if (phase_ == Phase::kClosed) return;
  if (shutting_down_ || server_.stopping()) return close();
  phase_ = Phase::kReading;
  if (buffer_.size() > 0) return readHeader();
  const ServerOptions& options = server_.options();
  stream_.expires_after(first_request_ ? options.read_timeout : options.idle_timeout);
  stream_.async_read_some(buffer_.prepare(kFirstReadSize),
                          [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                            self->buffer_.commit(n);
                            if (self->phase_ == Phase::kClosed) return;
                            if (ec) return self->close();
                            self->readHeader();
                          });
}

void Connection::readHeader() {
  parser_.emplace();
  parser_->header_limit(kHeaderLimit);
  parser_->body_limit(server_.options().body_limit);
  stream_.expires_after(server_.options().read_timeout);
  bhttp::async_read_header(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->onHeader(ec); });
}

void Connection::onHeader(const beast::error_code& ec) {
  if (phase_ == Phase::kClosed) return;
  if (ec) return onReadError(ec);
  const auto& header = parser_->get();
  // curl and many HTTP libraries send Expect: 100-continue before a large upload and wait for
  // permission; without an answer every import would stall for the client's fallback delay.
  if (!parser_->is_done() && beast::iequals(header[bhttp::field::expect], "100-continue")) {
    continue_ = {};
    continue_.version(header.version());
    continue_.result(bhttp::status::continue_);
    bhttp::async_write(stream_, continue_,
                       [self = shared_from_this()](beast::error_code write_ec, std::size_t) {
                         if (self->phase_ == Phase::kClosed) return;
                         if (write_ec) return self->close();
                         self->readBody();
                       });
    return;
  }
  readBody();
}

void Connection::readBody() {
  if (parser_->is_done()) return dispatchRequest();
  bhttp::async_read(stream_, buffer_, *parser_,
                    [self = shared_from_this()](beast::error_code ec, std::size_t) {
                      if (self->phase_ == Phase::kClosed) return;
                      if (ec) return self->onReadError(ec);
                      self->dispatchRequest();
                    });
}

void Connection::onReadError(const beast::error_code& ec) {
  keep_alive_ = false;
  head_ = false;
  version_ = 11;
  if (ec == bhttp::error::body_limit) {
    return write(errorResponse(413, "body_too_large",
                               "request body exceeds " +
                                   std::to_string(server_.options().body_limit) + " bytes",
                               "body"),
                 true, true);
  }
  if (ec == bhttp::error::header_limit) {
    return write(errorResponse(431, "header_too_large",
                               "request header exceeds " + std::to_string(kHeaderLimit) + " bytes",
                               "header"),
                 true, true);
  }
  // A peer that hung up, timed out or reset has nobody left to read an answer.
  if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message ||
      !isHttpProtocolError(ec)) {
    return close();
  }
  write(errorResponse(400, "bad_request", "malformed HTTP request", ""), true, true);
}

void Connection::dispatchRequest() {
  auto& message = parser_->get();
  keep_alive_ = message.keep_alive();
  version_ = message.version();
  head_ = message.method() == bhttp::verb::head;

  Request request;
  request.method = std::string(view(message.method_string()));
  request.target = std::string(view(message.target()));
  Status parsed = parseTarget(request.target, request.path, request.query);
  if (!parsed.isOk()) {
    parser_.reset();
    return write(errorResponse(400, "invalid", parsed.message(), parsed.field()), false, false);
  }
  for (const auto& field : message) {
    auto [it, inserted] = request.headers.emplace(lowerCase(view(field.name_string())),
                                                  std::string(view(field.value())));
    // RFC 9110 lets repeated fields be joined with commas without changing their meaning.
    if (!inserted) {
      it->second += ", ";
      it->second += view(field.value());
    }
  }
  request.body = std::move(message.body());
  request.remote_address = clientAddress(remote_address_, request.header("x-forwarded-for"),
                                         server_.options().trusted_proxies);
  parser_.reset();
  phase_ = Phase::kHandling;
  server_.runHandler(shared_from_this(), std::move(request));
}

void Connection::write(Response response, bool close, bool linger) {
  phase_ = Phase::kWriting;
  close_after_write_ = close || !keep_alive_ || shutting_down_ || server_.stopping();
  linger_after_write_ = linger;

  int status = response.status;
  if (status < 100 || status > 999) {
    log::error("http_handler_bad_status", {{"status", std::to_string(status)}});
    response = errorResponse(500, "internal", "internal error", "");
    status = response.status;
  }
  response_ = {};
  response_.version(version_);
  response_.result(static_cast<unsigned>(status));
  response_.set(bhttp::field::server, "anju");
  response_.set(bhttp::field::date, httpDate());
  const bool has_body = status >= 200 && status != 204 && status != 304;
  if (has_body && !response.content_type.empty()) {
    response_.set(bhttp::field::content_type, response.content_type);
  }
  for (const auto& [name, value] : response.headers) {
    if (acceptableHandlerHeader(name, value)) {
      response_.insert(name, value);
    } else {
      log::warn("http_header_dropped", {{"name", name}});
    }
  }
  if (has_body) {
    // A HEAD answer announces the length of the body it does not carry.
    response_.content_length(response.body.size());
    if (!head_) response_.body() = std::move(response.body);
  }
  response_.keep_alive(!close_after_write_);

  // An export of a few hundred MiB must not be cut off by the 30 s read timeout; a client slower
  // than 1 MiB/s on top of that is treated as gone.
  const ServerOptions& options = server_.options();
  stream_.expires_after(options.read_timeout +
                        std::chrono::seconds(response_.body().size() / kMiB));
  bhttp::async_write(
      stream_, response_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->onWrite(ec); });
}

void Connection::onWrite(const beast::error_code& ec) {
  if (phase_ == Phase::kClosed) return;
  response_ = {};
  if (ec) return close();
  if (close_after_write_) return linger_after_write_ ? linger() : close();
  first_request_ = false;
  waitForRequest();
}

void Connection::linger() {
  phase_ = Phase::kLingering;
  beast::error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  stream_.expires_after(kLingerTimeout);
  drain();
}

void Connection::drain() {
  stream_.async_read_some(asio::buffer(drain_buffer_),
                          [self = shared_from_this()](beast::error_code ec, std::size_t) {
                            if (self->phase_ == Phase::kClosed) return;
                            if (ec) return self->close();
                            self->drain();
                          });
}

void Connection::close() {
  if (phase_ == Phase::kClosed) return;
  phase_ = Phase::kClosed;
  if (heartbeat_) heartbeat_->cancel();
  // The source belongs to a subscription elsewhere: letting go of it here ends that too.
  source_.reset();
  beast::error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
  stream_.close();
}

Result<uint16_t> ServerCore::start() {
  std::lock_guard lock(state_mu_);
  if (state_ != State::kNew) return Status::internal("http server started twice");

  const std::string where = options_.address + ":" + std::to_string(options_.port);
  auto failure = [&](const beast::error_code& ec) {
    beast::error_code ignored;
    acceptor_.close(ignored);
    return Status(Code::kUnavailable, "cannot listen on " + where + ": " + ec.message());
  };
  beast::error_code ec;
  tcp::resolver resolver(io_context_);
  auto endpoints = resolver.resolve(options_.address, std::to_string(options_.port),
                                    tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec) return failure(ec);
  if (endpoints.empty()) return failure(asio::error::host_not_found);
  const tcp::endpoint endpoint = endpoints.begin()->endpoint();
  acceptor_.open(endpoint.protocol(), ec);
  if (ec) return failure(ec);
  acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (ec) return failure(ec);
  acceptor_.bind(endpoint, ec);
  if (ec) return failure(ec);
  acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return failure(ec);
  const uint16_t port = acceptor_.local_endpoint(ec).port();
  if (ec) return failure(ec);

  workers_ = std::make_unique<asio::thread_pool>(std::max(1, options_.worker_threads));
  // Keeps run() from returning in the gap between the acceptor closing and the last connection
  // finishing; stop() releases it.
  work_.emplace(io_context_.get_executor());
  accept();
  for (int i = 0; i < std::max(1, options_.io_threads); ++i) {
    io_threads_.emplace_back([this] { runIo(); });
  }
  state_ = State::kRunning;
  return port;
}

void ServerCore::stop() {
  beginStop();
  // From one of our own threads the teardown would join itself; wait() or the destructor,
  // running elsewhere, completes it.
  if (!onOwnThread()) finishStop();
}

void ServerCore::wait() {
  {
    std::unique_lock lock(state_mu_);
    state_cv_.wait(lock,
                   [this] { return state_ == State::kStopping || state_ == State::kStopped; });
  }
  if (!onOwnThread()) finishStop();
}

void ServerCore::accept() {
  acceptor_.async_accept(asio::make_strand(io_context_),
                         [this](beast::error_code ec, tcp::socket socket) {
                           if (!acceptor_.is_open()) return;
                           if (ec) {
                             log::warn("http_accept_failed", {{"error", ec.message()}});
                             accept_retry_.expires_after(kAcceptRetryDelay);
                             accept_retry_.async_wait([this](beast::error_code wait_ec) {
                               if (!wait_ec && acceptor_.is_open()) accept();
                             });
                             return;
                           }
                           std::make_shared<Connection>(std::move(socket), *this)->start();
                           accept();
                         });
}

void ServerCore::runIo() {
  OwnerScope owner(this);
  for (;;) {
    try {
      io_context_.run();
      return;
    } catch (const std::exception& e) {
      // Only allocation failure can get here; the connection involved is dropped with the
      // handler that threw, and the others deserve to keep being served.
      log::error("http_io_thread_exception", {{"what", e.what()}});
    }
  }
}

bool ServerCore::registerConnection(const std::shared_ptr<Connection>& connection) {
  std::lock_guard lock(connections_mu_);
  if (stopping_.load()) return false;
  connections_.emplace(connection.get(), connection);
  return true;
}

void ServerCore::unregisterConnection(const Connection* connection) {
  std::lock_guard lock(connections_mu_);
  if (connections_.erase(connection) > 0 && connections_.empty()) connections_cv_.notify_all();
}

void ServerCore::runHandler(std::shared_ptr<Connection> connection, Request request) {
  asio::post(*workers_,
             [this, connection = std::move(connection), request = std::move(request)]() mutable {
               OwnerScope owner(this);
               connection->deliver(invoke(request));
             });
}

Response ServerCore::invoke(const Request& request) {
  try {
    return handler_(request);
  } catch (const std::exception& e) {
    log::error("http_handler_exception",
               {{"method", request.method}, {"path", request.path}, {"what", e.what()}});
  } catch (...) {
    log::error("http_handler_exception",
               {{"method", request.method}, {"path", request.path}, {"what", "unknown"}});
  }
  return errorResponse(500, "internal", "internal error", "");
}

void ServerCore::beginStop() {
  {
    std::lock_guard lock(state_mu_);
    if (state_ == State::kNew) {
      state_ = State::kStopped;
      state_cv_.notify_all();
      return;
    }
    if (state_ != State::kRunning) return;
    state_ = State::kStopping;
    state_cv_.notify_all();
  }
  asio::post(acceptor_.get_executor(), [this] {
    beast::error_code ignored;
    acceptor_.close(ignored);
    accept_retry_.cancel();
  });
  std::vector<std::shared_ptr<Connection>> live;
  {
    std::lock_guard lock(connections_mu_);
    stopping_.store(true);
    for (const auto& [key, weak] : connections_) {
      if (auto connection = weak.lock()) live.push_back(std::move(connection));
    }
  }
  for (const auto& connection : live) connection->shutdown();
}

void ServerCore::finishStop() {
  std::lock_guard teardown(teardown_mu_);
  {
    std::lock_guard lock(state_mu_);
    if (state_ != State::kStopping) return;
  }
  {
    std::unique_lock lock(connections_mu_);
    if (!connections_cv_.wait_for(lock, kDrainTimeout, [this] { return connections_.empty(); })) {
      log::warn("http_stop_drain_timeout", {{"connections", std::to_string(connections_.size())}});
    }
  }
  work_.reset();
  io_context_.stop();
  for (auto& thread : io_threads_) thread.join();
  io_threads_.clear();
  // The io threads are gone, so touching the acceptor from here races with nothing; the close
  // posted by beginStop() may never have run.
  beast::error_code ignored;
  acceptor_.close(ignored);
  // A handler still running past the drain timeout is waited for: it holds a connection that
  // points back into this object. Requests queued behind it are dropped.
  workers_->stop();
  workers_->join();
  std::lock_guard lock(state_mu_);
  state_ = State::kStopped;
  state_cv_.notify_all();
}

}  // namespace

class Server::Impl {
 public:
  Impl(ServerOptions options, Handler handler) : core(std::move(options), std::move(handler)) {}
  ServerCore core;
};

Server::Server(ServerOptions options, Handler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

Server::~Server() {
  stop();
}

Result<uint16_t> Server::start() {
  return impl_->core.start();
}

void Server::stop() {
  impl_->core.stop();
}

void Server::wait() {
  impl_->core.wait();
}

}  // namespace anju::http
