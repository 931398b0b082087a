#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "http/client.h"
#include "http/server.h"

namespace anju::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

// "GET /path\nkey=value\n...body:<body>", enough to see exactly what the handler received.
Response echo(const Request& request) {
  std::string text = request.method;
  text += ' ';
  text += request.path;
  text += '\n';
  for (const auto& [key, value] : request.query) {
    text += key;
    text += '=';
    text += value;
    text += '\n';
  }
  text += "body:" + request.body;
  return Response{200, "text/plain; charset=utf-8", text, {}};
}

ServerOptions testOptions() {
  ServerOptions options;
  options.address = "127.0.0.1";
  options.port = 0;
  options.io_threads = 2;
  options.worker_threads = 4;
  return options;
}

// A started server and the port it listens on.
struct Running {
  std::unique_ptr<Server> server;
  uint16_t port = 0;
};

Running startServer(Handler handler, ServerOptions options = testOptions()) {
  Running running;
  running.server = std::make_unique<Server>(std::move(options), std::move(handler));
  Result<uint16_t> port = running.server->start();
  EXPECT_TRUE(port.isOk()) << port.status().message();
  if (port.isOk()) running.port = *port;
  return running;
}

// A plain socket for the tests that must send what Client never would.
class RawConnection {
 public:
  explicit RawConnection(uint16_t port) : socket_(io_context_) {
    socket_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  }

  void send(const std::string& bytes) { asio::write(socket_, asio::buffer(bytes)); }

  bhttp::response<bhttp::string_body> receive() {
    bhttp::response<bhttp::string_body> response;
    bhttp::read(socket_, buffer_, response);
    return response;
  }

  // True when the server has closed its end: the next read finds end of stream.
  bool closedByServer() {
    beast::error_code ec;
    std::array<char, 64> scratch{};
    while (!ec) socket_.read_some(asio::buffer(scratch), ec);
    return ec == asio::error::eof || ec == asio::error::connection_reset;
  }

 private:
  asio::io_context io_context_;
  tcp::socket socket_;
  beast::flat_buffer buffer_;
};

TEST(HttpServer, AnswersManyRequestsOnOneKeepAliveConnection) {
  Running running = startServer(echo);
  RawConnection connection(running.port);
  for (int i = 0; i < 50; ++i) {
    connection.send("GET /n/" + std::to_string(i) + " HTTP/1.1\r\nHost: test\r\n\r\n");
    auto response = connection.receive();
    EXPECT_EQ(response.result_int(), 200u);
    EXPECT_TRUE(response.keep_alive());
    EXPECT_EQ(response.body(), "GET /n/" + std::to_string(i) + "\nbody:");
  }
}

TEST(HttpServer, AnswersPipelinedRequestsInOrder) {
  Running running = startServer(echo);
  RawConnection connection(running.port);
  connection.send(
      "GET /first HTTP/1.1\r\nHost: test\r\n\r\n"
      "POST /second HTTP/1.1\r\nHost: test\r\nContent-Length: 2\r\n\r\nhi");
  EXPECT_EQ(connection.receive().body(), "GET /first\nbody:");
  EXPECT_EQ(connection.receive().body(), "POST /second\nbody:hi");
}

TEST(HttpServer, AnswersManyRequestsFromOneClient) {
  Running running = startServer(echo);
  Client client("127.0.0.1", running.port);
  for (int i = 0; i < 200; ++i) {
    auto response = client.request("POST", "/items", "item " + std::to_string(i));
    ASSERT_TRUE(response.isOk()) << response.status().message();
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->body, "POST /items\nbody:item " + std::to_string(i));
    EXPECT_NE(response->header("connection"), "close");
  }
}

TEST(HttpServer, DecodesPercentEscapesAndPlusInTheQuery) {
  Running running = startServer(echo);
  Client client("127.0.0.1", running.port);
  auto response = client.request("GET", "/search?q=%E5%BC%A0&x=1+2");
  ASSERT_TRUE(response.isOk());
  EXPECT_EQ(response->body, "GET /search\nq=张\nx=1 2\nbody:");
}

TEST(HttpServer, PassesMethodLowerCasedHeadersAndRemoteAddressToTheHandler) {
  std::promise<Request> seen;
  Running running = startServer([&seen](const Request& request) {
    seen.set_value(request);
    return Response{};
  });
  Client client("127.0.0.1", running.port);
  auto response = client.request("PUT", "/cases/7?x=1", R"({"a":1})",
                                 {{"X-Request-ID", "abc"}, {"Accept", "a"}, {"Accept", "b"}});
  ASSERT_TRUE(response.isOk());
  Request request = seen.get_future().get();
  EXPECT_EQ(request.method, "PUT");
  EXPECT_EQ(request.target, "/cases/7?x=1");
  EXPECT_EQ(request.path, "/cases/7");
  EXPECT_EQ(request.queryParam("x"), "1");
  EXPECT_EQ(request.header("x-request-id"), "abc");
  EXPECT_EQ(request.header("accept"), "a, b");
  EXPECT_EQ(request.header("content-type"), "application/json");
  EXPECT_EQ(request.header("user-agent"), "anju-client");
  EXPECT_EQ(request.header("host"), "127.0.0.1:" + std::to_string(running.port));
  EXPECT_EQ(request.body, R"({"a":1})");
  EXPECT_EQ(request.remote_address, "127.0.0.1");
}

TEST(HttpServer, SendsTheHandlersStatusContentTypeAndHeaders) {
  Running running = startServer([](const Request&) {
    return Response{201, "text/csv", "a,b\n", {{"X-Total", "1"}, {"Set-Cookie", "s=1"}}};
  });
  Client client("127.0.0.1", running.port);
  auto response = client.request("POST", "/export");
  ASSERT_TRUE(response.isOk());
  EXPECT_EQ(response->status, 201);
  EXPECT_EQ(response->body, "a,b\n");
  EXPECT_EQ(response->header("content-type"), "text/csv");
  EXPECT_EQ(response->header("content-length"), "4");
  EXPECT_EQ(response->header("x-total"), "1");
  EXPECT_EQ(response->header("set-cookie"), "s=1");
  EXPECT_EQ(response->header("server"), "anju");
}

TEST(HttpServer, DropsHandlerHeadersThatWouldBreakFraming) {
  Running running = startServer([](const Request&) {
    return Response{
        200, "text/plain", "ok", {{"Content-Length", "99"}, {"X-Bad", "a\r\nX-Evil: 1"}}};
  });
  Client client("127.0.0.1", running.port);
  auto response = client.request("GET", "/");
  ASSERT_TRUE(response.isOk());
  EXPECT_EQ(response->body, "ok");
  EXPECT_EQ(response->header("content-length"), "2");
  EXPECT_EQ(response->header("x-evil"), "");
  EXPECT_EQ(client.request("GET", "/")->body, "ok");
}

TEST(HttpServer, AnswersHeadWithTheLengthButNoBody) {
  Running running = startServer(echo);
  Client client("127.0.0.1", running.port);
  auto response = client.request("HEAD", "/page");
  ASSERT_TRUE(response.isOk());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->header("content-length"),
            std::to_string(std::string("HEAD /page\nbody:").size()));
  EXPECT_EQ(response->body, "");
  EXPECT_EQ(client.request("GET", "/after")->body, "GET /after\nbody:");
}

TEST(HttpServer, AnswersPayloadTooLargeForAnOversizedBody) {
  ServerOptions options = testOptions();
  options.body_limit = 1024;
  std::atomic<int> calls{0};
  Running running = startServer(
      [&calls](const Request& request) {
        ++calls;
        return echo(request);
      },
      options);
  Client client("127.0.0.1", running.port);
  auto response = client.request("POST", "/import", std::string(4096, 'x'));
  ASSERT_TRUE(response.isOk()) << response.status().message();
  EXPECT_EQ(response->status, 413);
  EXPECT_EQ(response->body,
            R"({"error":{"code":"body_too_large","message":"request body exceeds 1024 bytes",)"
            R"("field":"body"}})");
  EXPECT_EQ(response->header("connection"), "close");
  EXPECT_EQ(calls.load(), 0);

  auto within_limit = client.request("POST", "/import", std::string(1024, 'x'));
  ASSERT_TRUE(within_limit.isOk());
  EXPECT_EQ(within_limit->status, 200);
}

TEST(HttpServer, AnswersPayloadTooLargeForAnOversizedChunkedBody) {
  ServerOptions options = testOptions();
  options.body_limit = 1024;
  Running running = startServer(echo, options);
  RawConnection connection(running.port);
  connection.send(
      "POST /import HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n"
      "800\r\n" +
      std::string(0x800, 'x') + "\r\n0\r\n\r\n");
  auto response = connection.receive();
  EXPECT_EQ(response.result_int(), 413u);
  EXPECT_NE(response.body().find("body_too_large"), std::string::npos);
  EXPECT_TRUE(connection.closedByServer());
}

TEST(HttpServer, AnswersContinueBeforeReadingAnExpectedBody) {
  Running running = startServer(echo);
  RawConnection connection(running.port);
  connection.send(
      "POST /upload HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
  EXPECT_EQ(connection.receive().result_int(), 100u);
  connection.send("hello");
  auto response = connection.receive();
  EXPECT_EQ(response.result_int(), 200u);
  EXPECT_EQ(response.body(), "POST /upload\nbody:hello");
}

TEST(HttpServer, AnswersBadRequestForAnInvalidPercentEscapeWithoutCallingTheHandler) {
  std::atomic<int> calls{0};
  Running running = startServer([&calls](const Request& request) {
    ++calls;
    return echo(request);
  });
  Client client("127.0.0.1", running.port);
  auto response = client.request("GET", "/search?q=%zz");
  ASSERT_TRUE(response.isOk());
  EXPECT_EQ(response->status, 400);
  EXPECT_NE(response->body.find(R"("field":"query")"), std::string::npos);
  EXPECT_EQ(calls.load(), 0);

  auto next = client.request("GET", "/search?q=ok");
  ASSERT_TRUE(next.isOk());
  EXPECT_EQ(next->status, 200);
}

TEST(HttpServer, AnswersBadRequestForAnInvalidPercentEscapeInThePath) {
  Running running = startServer(echo);
  Client client("127.0.0.1", running.port);
  auto response = client.request("GET", "/files/%G0");
  ASSERT_TRUE(response.isOk());
  EXPECT_EQ(response->status, 400);
  EXPECT_NE(response->body.find(R"("field":"path")"), std::string::npos);
}

TEST(HttpServer, AnswersBadRequestForMalformedHttpAndCloses) {
  Running running = startServer(echo);
  RawConnection connection(running.port);
  connection.send("THIS IS NOT HTTP\r\n\r\n");
  auto response = connection.receive();
  EXPECT_EQ(response.result_int(), 400u);
  EXPECT_NE(response.body().find(R"("code":"bad_request")"), std::string::npos);
  EXPECT_EQ(response[bhttp::field::content_type], "application/json; charset=utf-8");
  EXPECT_TRUE(connection.closedByServer());
}

TEST(HttpServer, AnswersHeaderFieldsTooLargeForAnOversizedHeader) {
  Running running = startServer(echo);
  RawConnection connection(running.port);
  connection.send("GET / HTTP/1.1\r\nHost: test\r\nX-Big: " +
                  std::string(std::size_t{20} * 1024, 'a') + "\r\n\r\n");
  auto response = connection.receive();
  EXPECT_EQ(response.result_int(), 431u);
  EXPECT_NE(response.body().find("header_too_large"), std::string::npos);
  EXPECT_TRUE(connection.closedByServer());
}

TEST(HttpServer, TurnsAHandlerExceptionIntoInternalErrorAndKeepsServing) {
  Running running = startServer([](const Request& request) {
    if (request.path == "/boom") throw std::runtime_error("store exploded");
    return echo(request);
  });
  Client client("127.0.0.1", running.port);
  auto failed = client.request("GET", "/boom");
  ASSERT_TRUE(failed.isOk());
  EXPECT_EQ(failed->status, 500);
  EXPECT_EQ(failed->body, R"({"error":{"code":"internal","message":"internal error"}})");

  auto next = client.request("GET", "/fine");
  ASSERT_TRUE(next.isOk());
  EXPECT_EQ(next->status, 200);
  EXPECT_EQ(next->body, "GET /fine\nbody:");
}

TEST(HttpServer, ClosesTheConnectionWhenTheClientAsksTo) {
  Running running = startServer(echo);
  RawConnection connection(running.port);
  connection.send("GET /bye HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n");
  auto response = connection.receive();
  EXPECT_EQ(response.result_int(), 200u);
  EXPECT_FALSE(response.keep_alive());
  EXPECT_TRUE(connection.closedByServer());
}

TEST(HttpServer, ClosesAKeepAliveConnectionLeftIdle) {
  ServerOptions options = testOptions();
  options.idle_timeout = std::chrono::seconds(1);
  Running running = startServer(echo, options);
  RawConnection connection(running.port);
  connection.send("GET / HTTP/1.1\r\nHost: test\r\n\r\n");
  EXPECT_EQ(connection.receive().result_int(), 200u);
  EXPECT_TRUE(connection.closedByServer());
}

TEST(HttpServer, ClosesAConnectionThatStopsSendingHalfwayThroughARequest) {
  ServerOptions options = testOptions();
  options.read_timeout = std::chrono::seconds(1);
  std::atomic<int> calls{0};
  Running running = startServer(
      [&calls](const Request& request) {
        ++calls;
        return echo(request);
      },
      options);
  RawConnection connection(running.port);
  connection.send("POST / HTTP/1.1\r\nHost: test\r\nContent-Length: 10\r\n\r\nabc");
  EXPECT_TRUE(connection.closedByServer());
  EXPECT_EQ(calls.load(), 0);
}

TEST(HttpServer, ServesConcurrentClientsFromSeveralThreads) {
  Running running = startServer(echo);
  constexpr int kThreads = 8;
  constexpr int kRequests = 50;
  std::atomic<int> answered{0};
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&answered, t, port = running.port] {
      Client client("127.0.0.1", port);
      for (int i = 0; i < kRequests; ++i) {
        std::string body = std::to_string(t) + "/" + std::to_string(i);
        auto response = client.request("POST", "/t", body);
        if (response.isOk() && response->body == "POST /t\nbody:" + body) ++answered;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(answered.load(), kThreads * kRequests);
}

TEST(HttpServer, StopReturnsWhileIdleKeepAliveConnectionsAreOpen) {
  Running running = startServer(echo);
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < 4; ++i) {
    clients.push_back(std::make_unique<Client>("127.0.0.1", running.port));
    auto response = clients.back()->request("GET", "/");
    ASSERT_TRUE(response.isOk());
    EXPECT_EQ(response->status, 200);
  }
  RawConnection half_sent(running.port);
  half_sent.send("GET / HTTP/1.1\r\nHost: te");
  running.server->stop();
  running.server->stop();
  EXPECT_TRUE(half_sent.closedByServer());

  auto after = clients.front()->request("GET", "/");
  EXPECT_FALSE(after.isOk());
  EXPECT_EQ(after.status().code(), Code::kUnavailable);
}

TEST(HttpServer, LetsARequestInFlightFinishWhenStopping) {
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  Running running = startServer([&entered, released](const Request& request) {
    entered.set_value();
    released.wait();
    return echo(request);
  });
  auto answer = std::async(std::launch::async, [port = running.port] {
    Client client("127.0.0.1", port);
    return client.request("POST", "/slow", "payload");
  });
  entered.get_future().wait();
  std::thread stopper([&running] { running.server->stop(); });
  // The handler is held until stop() is under way, or at least has been called.
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  release.set_value();
  stopper.join();

  auto response = answer.get();
  ASSERT_TRUE(response.isOk()) << response.status().message();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "POST /slow\nbody:payload");
}

TEST(HttpServer, WaitReturnsOnceAnotherThreadHasStoppedTheServer) {
  Running running = startServer(echo);
  std::thread stopper([&running] { running.server->stop(); });
  running.server->wait();
  stopper.join();
  EXPECT_EQ(Client("127.0.0.1", running.port).request("GET", "/").status().code(),
            Code::kUnavailable);
}

TEST(HttpServer, StopCalledFromAHandlerIsCompletedByWait) {
  std::atomic<Server*> self{nullptr};
  Running running = startServer([&self](const Request& request) {
    self.load()->stop();
    return echo(request);
  });
  self = running.server.get();
  Client client("127.0.0.1", running.port);
  auto response = client.request("POST", "/admin/shutdown");
  ASSERT_TRUE(response.isOk());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->header("connection"), "close");
  running.server->wait();
}

TEST(HttpServer, StartReportsUnavailableWhenThePortIsTaken) {
  Running first = startServer(echo);
  ServerOptions options = testOptions();
  options.port = first.port;
  Server second(options, echo);
  Result<uint16_t> port = second.start();
  ASSERT_FALSE(port.isOk());
  EXPECT_EQ(port.status().code(), Code::kUnavailable);
  EXPECT_EQ(port.status().message().rfind(
                "cannot listen on 127.0.0.1:" + std::to_string(first.port) + ": ", 0),
            0u);
}

TEST(HttpServer, StopsCleanlyWithoutHavingStarted) {
  Server server(testOptions(), echo);
  server.stop();
  server.wait();
}

// A one-connection-at-a-time HTTP server that counts the connections it accepts and closes each
// after `per_connection` answers, as a server whose idle timeout fired would.
class FakeServer {
 public:
  FakeServer(int connections, int per_connection)
      : acceptor_(io_context_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    thread_ = std::thread([this, connections, per_connection] {
      for (int c = 0; c < connections; ++c) {
        tcp::socket socket(io_context_);
        acceptor_.accept(socket);
        ++accepted_;
        beast::flat_buffer buffer;
        for (int i = 0; i < per_connection; ++i) {
          bhttp::request<bhttp::string_body> request;
          beast::error_code ec;
          bhttp::read(socket, buffer, request, ec);
          if (ec) break;
          bhttp::response<bhttp::string_body> response{bhttp::status::ok, 11};
          response.body() = "connection " + std::to_string(c) + " answer " + std::to_string(i);
          response.prepare_payload();
          bhttp::write(socket, response, ec);
          if (ec) break;
        }
      }
      // Closing the listener turns any connection the client should not have opened into a
      // refused one, so a mistake fails the test instead of hanging it.
      acceptor_.close();
    });
  }
  ~FakeServer() { thread_.join(); }

  uint16_t port() const { return acceptor_.local_endpoint().port(); }
  int accepted() const { return accepted_.load(); }

 private:
  asio::io_context io_context_;
  tcp::acceptor acceptor_;
  std::atomic<int> accepted_{0};
  std::thread thread_;
};

TEST(HttpClient, ReusesOneConnectionForManyRequests) {
  FakeServer fake(1, 20);
  {
    Client client("127.0.0.1", fake.port());
    for (int i = 0; i < 20; ++i) {
      auto response = client.request("GET", "/");
      ASSERT_TRUE(response.isOk()) << response.status().message();
      EXPECT_EQ(response->body, "connection 0 answer " + std::to_string(i));
    }
  }
  EXPECT_EQ(fake.accepted(), 1);
}

TEST(HttpClient, ReconnectsWhenTheServerClosedAnIdleConnection) {
  FakeServer fake(2, 1);
  Client client("127.0.0.1", fake.port());
  auto first = client.request("GET", "/");
  ASSERT_TRUE(first.isOk());
  EXPECT_EQ(first->body, "connection 0 answer 0");
  auto second = client.request("POST", "/again", "x");
  ASSERT_TRUE(second.isOk()) << second.status().message();
  EXPECT_EQ(second->body, "connection 1 answer 0");
}

TEST(HttpClient, ReportsUnavailableWhenNothingListens) {
  uint16_t port = 0;
  {
    Running running = startServer(echo);
    port = running.port;
  }
  auto response = Client("127.0.0.1", port).request("GET", "/");
  ASSERT_FALSE(response.isOk());
  EXPECT_EQ(response.status().code(), Code::kUnavailable);
  EXPECT_EQ(response.status().message().rfind("cannot connect to 127.0.0.1:", 0), 0u);
}

}  // namespace
}  // namespace anju::http
