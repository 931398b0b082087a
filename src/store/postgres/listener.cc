#include "store/postgres/listener.h"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <pqxx/pqxx>
#include <thread>

#include "common/log.h"

namespace anju::store {

namespace {

class Receiver final : public pqxx::notification_receiver {
 public:
  Receiver(pqxx::connection_base& conn, const std::string& channel,
           const std::function<void(const std::string&)>& on_message)
      : pqxx::notification_receiver(conn, channel), on_message_(on_message) {}
  void operator()(const std::string& payload, int) override { on_message_(payload); }

 private:
  const std::function<void(const std::string&)>& on_message_;
};

class PgSubscription final : public Subscription {
 public:
  PgSubscription(std::string url, std::string channel,
                 std::function<void(const std::string&)> on_message, std::function<void()> on_gap)
      : url_(std::move(url)),
        channel_(std::move(channel)),
        on_message_(std::move(on_message)),
        on_gap_(std::move(on_gap)),
        thread_([this] { run(); }) {}

  ~PgSubscription() override {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

 private:
  void run() {
    bool lost = false;
    while (!stopping()) {
      try {
        pqxx::connection conn(url_);
        Receiver receiver(conn, channel_, on_message_);
        if (lost) log::info("cluster.listening_again", {{"channel", channel_}});
        lost = false;
        // Listening only from now on: whatever was sent before is the caller's to read again.
        on_gap_();
        // The wait is short so that stopping never waits long; a lost connection throws here.
        while (!stopping()) conn.await_notification(0, 250'000);
      } catch (const std::exception& e) {
        if (!lost) log::warn("cluster.listen_lost", {{"channel", channel_}, {"error", e.what()}});
        lost = true;
        std::unique_lock lock(mutex_);
        wake_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; });
      }
    }
  }

  bool stopping() {
    std::lock_guard lock(mutex_);
    return stopping_;
  }

  const std::string url_;
  const std::string channel_;
  const std::function<void(const std::string&)> on_message_;
  const std::function<void()> on_gap_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // GUARDED_BY(mutex_)
  std::thread thread_;     // last: it runs on the members above
};

}  // namespace

std::unique_ptr<Subscription> listenPostgres(const std::string& url, const std::string& channel,
                                             std::function<void(const std::string&)> on_message,
                                             std::function<void()> on_gap) {
  return std::make_unique<PgSubscription>(url, channel, std::move(on_message), std::move(on_gap));
}

}  // namespace anju::store
