// A real Mosquitto broker for tests (/usr/sbin/mosquitto as a child process on a free loopback
// port) and a libmosquitto publisher that waits for the broker's PUBACK.
#pragma once

#include <gtest/gtest.h>
#include <mosquitto.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <thread>

namespace anju::test_support {

namespace mqtt_detail {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
}  // namespace mqtt_detail

using namespace std::chrono_literals;

constexpr auto kPatience = 15s;  // generous: a condition, never a speed, is what is tested

inline bool eventually(const std::function<bool()>& condition,
                       std::chrono::seconds within = kPatience) {
  auto deadline = std::chrono::steady_clock::now() + within;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(20ms);
  }
  return condition();
}

inline uint16_t freePort() {
  mqtt_detail::asio::io_context io;
  mqtt_detail::tcp::acceptor acceptor(
      io, mqtt_detail::tcp::endpoint(mqtt_detail::asio::ip::make_address("127.0.0.1"), 0));
  return acceptor.local_endpoint().port();
}

inline bool listening(uint16_t port) {
  mqtt_detail::asio::io_context io;
  mqtt_detail::tcp::socket socket(io);
  boost::system::error_code ec;
  socket.connect(mqtt_detail::tcp::endpoint(mqtt_detail::asio::ip::make_address("127.0.0.1"), port),
                 ec);
  return !ec;
}

// /usr/sbin/mosquitto as a child process with its own config and persistence folder.
class Broker {
 public:
  explicit Broker(bool persistence) : port_(freePort()) {
    char pattern[] = "/tmp/anju-mqtt-test-XXXXXX";
    dir_ = mkdtemp(pattern);
    std::ofstream config(dir_ / "mosquitto.conf");
    config << "listener " << port_ << " 127.0.0.1\n"
           << "allow_anonymous true\n"
           << "user root\n"  // stay the user we are, whoever that is, so the folder is writable
           << "max_queued_messages 10000\n";
    if (persistence) {
      config << "persistence true\npersistence_location " << dir_.string() << "/\n";
    } else {
      config << "persistence false\n";
    }
  }
  ~Broker() {
    stop();
    std::filesystem::remove_all(dir_);
  }

  void start() {
    pid_ = fork();
    if (pid_ == 0) {
      std::string log = (dir_ / "mosquitto.log").string();
      if (!freopen(log.c_str(), "a", stdout) || !freopen(log.c_str(), "a", stderr)) _exit(126);
      std::string config = (dir_ / "mosquitto.conf").string();
      execl(MOSQUITTO_BROKER, MOSQUITTO_BROKER, "-c", config.c_str(), "-v",
            static_cast<char*>(nullptr));
      _exit(127);
    }
    ASSERT_GT(pid_, 0);
    ASSERT_TRUE(eventually([&] { return listening(port_); })) << "mosquitto did not start";
  }

  // SIGTERM: Mosquitto saves its persistence file on the way out.
  void stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
  }

  uint16_t port() const { return port_; }

 private:
  uint16_t port_;
  std::filesystem::path dir_;
  pid_t pid_ = -1;
};

// Publishes at QoS 1 with libmosquitto and waits for the broker's PUBACK (on_publish).
class Publisher {
 public:
  explicit Publisher(uint16_t port) {
    static std::once_flag init;
    std::call_once(init, [] { mosquitto_lib_init(); });
    mosq_ = mosquitto_new(nullptr, true, this);
    mosquitto_publish_callback_set(mosq_, [](mosquitto*, void* self, int mid) {
      auto* p = static_cast<Publisher*>(self);
      std::lock_guard lock(p->mutex_);
      p->done_.insert(mid);
      p->cv_.notify_all();
    });
    connected_ = mosquitto_connect(mosq_, "127.0.0.1", port, 30) == MOSQ_ERR_SUCCESS &&
                 mosquitto_loop_start(mosq_) == MOSQ_ERR_SUCCESS;
  }
  ~Publisher() {
    mosquitto_disconnect(mosq_);
    mosquitto_loop_stop(mosq_, true);
    mosquitto_destroy(mosq_);
  }

  bool publish(const std::string& topic, const std::string& payload) {
    if (!connected_) return false;
    int mid = 0;
    if (mosquitto_publish(mosq_, &mid, topic.c_str(), static_cast<int>(payload.size()),
                          payload.data(), 1, false) != MOSQ_ERR_SUCCESS) {
      return false;
    }
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, kPatience, [&] { return done_.count(mid) > 0; });
  }

 private:
  mosquitto* mosq_ = nullptr;
  bool connected_ = false;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::set<int> done_;
};

}  // namespace anju::test_support
