#include "http/client.h"

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <optional>
#include <string_view>

namespace anju::http {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

// Exports of a whole district's events come back in one body.
constexpr std::uint64_t kResponseBodyLimit = 256ULL * 1024 * 1024;
constexpr std::uint32_t kResponseHeaderLimit = 64 * 1024;
constexpr auto kConnectTimeout = std::chrono::seconds(10);
// Generous, because an export is built before its first byte is sent; the bound exists so that a
// wedged server fails a test or a tool instead of hanging it.
constexpr auto kRequestTimeout = std::chrono::seconds(300);

std::string lowerCase(beast::string_view text) {
  std::string out(text.data(), text.size());
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  });
  return out;
}

}  // namespace

std::string ClientResponse::header(const std::string& lower_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_name) return value;
  }
  return {};
}

class Client::Impl {
 public:
  Impl(std::string host, uint16_t port) : host_(std::move(host)), port_(port) {}

  Result<ClientResponse> request(const std::string& method, const std::string& target,
                                 const std::string& body,
                                 const std::vector<std::pair<std::string, std::string>>& headers,
                                 const std::string& content_type);

 private:
  struct Exchange {
    beast::error_code error;
    // Nothing of an answer arrived, so the server cannot have acted on a request it never read
    // to the end; sending it again on a fresh connection is safe.
    bool retryable = false;
    bool keep_alive = false;
    ClientResponse response;
  };

  Status connect();
  void disconnect();
  Exchange exchange(bhttp::request<bhttp::string_body>& request, bool head);
  // Runs the private io_context until the one operation started on it has completed.
  void runPending();
  std::string where() const { return host_ + ":" + std::to_string(port_); }
  std::string hostHeader() const;

  const std::string host_;
  const uint16_t port_;
  asio::io_context io_context_;
  std::optional<beast::tcp_stream> stream_;
  beast::flat_buffer buffer_;
};

void Client::Impl::runPending() {
  io_context_.restart();
  io_context_.run();
}

std::string Client::Impl::hostHeader() const {
  std::string host = host_.find(':') == std::string::npos ? host_ : "[" + host_ + "]";
  return port_ == 80 ? host : host + ":" + std::to_string(port_);
}

Status Client::Impl::connect() {
  disconnect();
  beast::error_code ec;
  tcp::resolver resolver(io_context_);
  auto endpoints =
      resolver.resolve(host_, std::to_string(port_), tcp::resolver::numeric_service, ec);
  if (!ec) {
    stream_.emplace(io_context_);
    stream_->expires_after(kConnectTimeout);
    stream_->async_connect(
        endpoints, [&ec](beast::error_code connect_ec, const tcp::endpoint&) { ec = connect_ec; });
    runPending();
  }
  if (ec) {
    disconnect();
    return Status(Code::kUnavailable, "cannot connect to " + where() + ": " + ec.message());
  }
  beast::error_code ignored;
  stream_->socket().set_option(tcp::no_delay(true), ignored);
  return Status::ok();
}

void Client::Impl::disconnect() {
  if (stream_) {
    beast::error_code ignored;
    stream_->socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_->close();
    stream_.reset();
  }
  buffer_.clear();
}

Client::Impl::Exchange Client::Impl::exchange(bhttp::request<bhttp::string_body>& request,
                                              bool head) {
  Exchange result;
  stream_->expires_after(kRequestTimeout);
  bhttp::async_write(*stream_, request,
                     [&result](beast::error_code ec, std::size_t) { result.error = ec; });
  runPending();
  if (result.error) {
    result.retryable = result.error != beast::error::timeout;
    return result;
  }

  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(kResponseBodyLimit);
  parser.header_limit(kResponseHeaderLimit);
  // The answer to HEAD announces a Content-Length but carries no body.
  parser.skip(head);
  bhttp::async_read(*stream_, buffer_, parser,
                    [&result](beast::error_code ec, std::size_t) { result.error = ec; });
  runPending();
  if (result.error) {
    result.retryable = !parser.got_some() && result.error != beast::error::timeout;
    return result;
  }

  auto message = parser.release();
  result.keep_alive = message.keep_alive();
  result.response.status = static_cast<int>(message.result_int());
  for (const auto& field : message) {
    result.response.headers.emplace_back(lowerCase(field.name_string()),
                                         std::string(field.value().data(), field.value().size()));
  }
  result.response.body = std::move(message.body());
  return result;
}

Result<ClientResponse> Client::Impl::request(
    const std::string& method, const std::string& target, const std::string& body,
    const std::vector<std::pair<std::string, std::string>>& headers,
    const std::string& content_type) {
  auto caller_sets = [&headers](std::string_view name) {
    return std::any_of(headers.begin(), headers.end(), [name](const auto& header) {
      return beast::iequals(header.first, beast::string_view(name.data(), name.size()));
    });
  };
  bhttp::request<bhttp::string_body> request;
  request.version(11);
  request.method_string(method);
  request.target(target);
  if (!caller_sets("host")) request.set(bhttp::field::host, hostHeader());
  if (!caller_sets("user-agent")) request.set(bhttp::field::user_agent, "anju-client");
  if (!body.empty() && !content_type.empty() && !caller_sets("content-type")) {
    request.set(bhttp::field::content_type, content_type);
  }
  for (const auto& [name, value] : headers) request.insert(name, value);
  request.body() = body;
  request.prepare_payload();
  const bool head = request.method() == bhttp::verb::head;

  for (int attempt = 0;; ++attempt) {
    const bool reused = stream_.has_value();
    if (!reused) ANJU_RETURN_IF_ERROR(connect());
    Exchange result = exchange(request, head);
    if (!result.error) {
      if (!result.keep_alive) disconnect();
      return std::move(result.response);
    }
    disconnect();
    // A kept-alive connection may have been closed by the server (idle timeout, restart) while
    // we were not looking; that shows up only when it is used again.
    if (reused && result.retryable && attempt == 0) continue;
    const Code code =
        result.error == bhttp::error::body_limit ? Code::kTooLarge : Code::kUnavailable;
    std::string message = method;
    message += ' ';
    message += target;
    message += " on " + where();
    message += " failed: " + result.error.message();
    return Status(code, std::move(message));
  }
}

Client::Client(std::string host, uint16_t port)
    : impl_(std::make_unique<Impl>(std::move(host), port)) {}

Client::~Client() = default;

Result<ClientResponse> Client::request(
    const std::string& method, const std::string& target, const std::string& body,
    const std::vector<std::pair<std::string, std::string>>& headers,
    const std::string& content_type) {
  return impl_->request(method, target, body, headers, content_type);
}

}  // namespace anju::http
