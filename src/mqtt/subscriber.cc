#include "mqtt/subscriber.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>

#include "common/log.h"
#include "mqtt/packet.h"

namespace anju::mqtt {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;

namespace {
// How long the TCP connect, CONNACK and SUBACK may take before the attempt is given up.
constexpr std::chrono::seconds kHandshakeTimeout{10};
constexpr std::chrono::milliseconds kTick{250};
// How long stop() waits for queued acks and the DISCONNECT to be written.
constexpr std::chrono::seconds kDrainTimeout{2};
constexpr std::chrono::seconds kMaxReconnectDelay{5};
}  // namespace

// Everything below `io_` is touched only on the network thread, except the atomics. Each
// connection attempt has an epoch; a completion handler or an ack from an older epoch finds the
// epoch changed and does nothing, so nothing from a dead connection can act on the next one.
class Subscriber::Impl : public std::enable_shared_from_this<Impl> {
 public:
  Impl(SubscriberOptions options, MessageHandler handler)
      : options_(std::move(options)), handler_(std::move(handler)) {
    if (options_.client_id.empty()) options_.client_id = "anju-ingest";
    if (options_.max_unacked == 0) options_.max_unacked = 1;
  }

  void start() {
    std::lock_guard lock(lifecycle_mutex_);
    if (running_) return;
    running_ = true;
    io_.restart();
    asio::post(io_, [weak = weak_from_this()] {
      if (auto self = weak.lock()) {
        self->stopping_ = false;
        self->connect();
      }
    });
    thread_ = std::thread([this] { io_.run(); });
  }

  void stop() {
    std::lock_guard lock(lifecycle_mutex_);
    if (!running_) return;
    // Acks already given are queued before this on the network thread, so the PUBACKs go out
    // ahead of the DISCONNECT and the broker does not deliver those messages again.
    asio::post(io_, [this] {
      stopping_ = true;
      reconnect_timer_.cancel();
      if (phase_ == Phase::kUp) {
        send(encodeDisconnect());
        reconnect_timer_.expires_after(kDrainTimeout);
        reconnect_timer_.async_wait([this, epoch = epoch_](boost::system::error_code ec) {
          if (!ec && epoch == epoch_) finishStop();
        });
      } else {
        finishStop();
      }
    });
    thread_.join();
    running_ = false;
  }

  bool connected() const { return connected_.load(); }

  SubscriberStats stats() const {
    return {.received = received_.load(),
            .acked = acked_.load(),
            .nacked = nacked_.load(),
            .stale_acks = stale_acks_.load(),
            .connects = connects_.load()};
  }

 private:
  enum class Phase { kIdle, kConnecting, kAwaitConnack, kAwaitSuback, kUp };

  void finishStop() {
    ++epoch_;
    closeSocket();
    reconnect_timer_.cancel();
    io_.stop();
  }

  void connect() {
    if (stopping_) return;
    uint64_t epoch = ++epoch_;
    phase_ = Phase::kConnecting;
    phase_since_ = SteadyClock::now();
    tick(epoch);
    resolver_.async_resolve(
        options_.host, std::to_string(options_.port),
        [weak = weak_from_this(), epoch](boost::system::error_code ec,
                                         tcp::resolver::results_type results) {
          auto self = weak.lock();
          if (!self || self->epoch_ != epoch) return;
          if (ec) return self->fail("resolve: " + ec.message());
          asio::async_connect(self->socket_, results,
                              [weak, epoch](boost::system::error_code ec, const tcp::endpoint&) {
                                auto self = weak.lock();
                                if (!self || self->epoch_ != epoch) return;
                                if (ec) return self->fail("connect: " + ec.message());
                                self->onTcpConnected(epoch);
                              });
        });
  }

  void onTcpConnected(uint64_t epoch) {
    boost::system::error_code ignored;
    socket_.set_option(tcp::no_delay(true), ignored);
    phase_ = Phase::kAwaitConnack;
    phase_since_ = SteadyClock::now();
    last_received_ = phase_since_;
    send(encodeConnect({.client_id = options_.client_id,
                        .username = options_.username,
                        .password = options_.password,
                        .clean_session = false,
                        .keepalive_seconds = static_cast<uint16_t>(options_.keepalive_seconds)}));
    startRead(epoch);
  }

  // Gives up the connection and tries again after the reconnect delay.
  void fail(const std::string& reason) {
    if (stopping_) return finishStop();
    // Said once per outage; the retries that follow are debug noise.
    log::write(
        failures_ == 0 ? log::Level::kWarn : log::Level::kDebug, "mqtt_connection_lost",
        {{"host", options_.host}, {"port", std::to_string(options_.port)}, {"reason", reason}});
    // The delay doubles while the broker stays away, up to kMaxReconnectDelay.
    auto delay = options_.reconnect_delay * (1 << std::min(failures_, 6));
    delay = std::min<std::chrono::milliseconds>(
        delay, std::max<std::chrono::milliseconds>(options_.reconnect_delay, kMaxReconnectDelay));
    ++failures_;
    uint64_t epoch = ++epoch_;
    closeSocket();
    reconnect_timer_.expires_after(delay);
    reconnect_timer_.async_wait([weak = weak_from_this(), epoch](boost::system::error_code ec) {
      auto self = weak.lock();
      if (ec || !self || self->epoch_ != epoch) return;
      self->connect();
    });
  }

  void closeSocket() {
    boost::system::error_code ignored;
    resolver_.cancel();
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
    tick_timer_.cancel();
    connected_ = false;
    phase_ = Phase::kIdle;
    outq_.clear();
    writing_ = false;
    reading_ = false;
    paused_ = false;
    inbuf_.clear();
    unacked_ = 0;
  }

  void send(std::string bytes) {
    outq_.push_back(std::make_shared<std::string>(std::move(bytes)));
    if (!writing_) writeNext(epoch_);
  }

  void writeNext(uint64_t epoch) {
    writing_ = true;
    // The handler keeps the bytes alive until the write has finished or been cancelled.
    auto bytes = outq_.front();
    asio::async_write(
        socket_, asio::buffer(*bytes),
        [weak = weak_from_this(), epoch, bytes](boost::system::error_code ec, std::size_t) {
          auto self = weak.lock();
          if (!self || self->epoch_ != epoch) return;
          if (ec) return self->fail("write: " + ec.message());
          self->last_sent_ = SteadyClock::now();
          self->outq_.pop_front();
          if (self->outq_.empty()) {
            self->writing_ = false;
            if (self->stopping_) self->finishStop();
          } else {
            self->writeNext(epoch);
          }
        });
  }

  void startRead(uint64_t epoch) {
    if (reading_ || paused_ || stopping_) return;
    reading_ = true;
    socket_.async_read_some(
        asio::buffer(readbuf_),
        [weak = weak_from_this(), epoch](boost::system::error_code ec, std::size_t n) {
          auto self = weak.lock();
          if (!self || self->epoch_ != epoch) return;
          self->reading_ = false;
          if (ec) return self->fail("read: " + ec.message());
          self->last_received_ = SteadyClock::now();
          self->inbuf_.append(self->readbuf_.data(), n);
          self->processInput(epoch);
        });
  }

  // Handles every complete packet in the buffer, then reads more, unless max_unacked messages
  // wait for their ack: then the socket is left unread, TCP's window fills and the broker stops
  // sending until acks make room.
  void processInput(uint64_t epoch) {
    if (stopping_) return;  // what is unread stays with the broker
    std::size_t consumed = 0;
    while (true) {
      if (unacked_ >= options_.max_unacked) {
        paused_ = true;
        break;
      }
      auto frame = takeFrame(std::string_view(inbuf_).substr(consumed), options_.max_packet_bytes);
      if (!frame) return fail("protocol error: " + frame.status().message());
      if (!frame->has_value()) break;
      handleFrame(**frame, epoch);
      if (epoch_ != epoch) return;  // the packet ended the connection
      consumed += (*frame)->size;
    }
    inbuf_.erase(0, consumed);
    startRead(epoch);
  }

  void handleFrame(const Frame& frame, uint64_t epoch) {
    PacketType type = frame.type();
    if (phase_ == Phase::kAwaitConnack && type != PacketType::kConnack) {
      return fail("protocol error: packet before CONNACK");
    }
    switch (type) {
      case PacketType::kConnack: {
        if (phase_ != Phase::kAwaitConnack || frame.body.size() != 2) {
          return fail("protocol error: unexpected CONNACK");
        }
        auto code = static_cast<uint8_t>(frame.body[1]);
        if (code != 0) {
          // 4: bad user name or password, 5: not authorised; both need an operator.
          log::error("mqtt_connect_refused", {{"code", std::to_string(code)}});
          return fail("broker refused the connection, code " + std::to_string(code));
        }
        phase_ = Phase::kAwaitSuback;
        phase_since_ = SteadyClock::now();
        subscribe_id_ = nextPacketId();
        send(encodeSubscribe(subscribe_id_, options_.topic, 1));
        return;
      }
      case PacketType::kSuback: {
        auto id = packetId(frame);
        if (phase_ != Phase::kAwaitSuback || !id || *id != subscribe_id_ || frame.body.size() < 3) {
          return fail("protocol error: unexpected SUBACK");
        }
        if (static_cast<uint8_t>(frame.body[2]) == 0x80) {
          log::error("mqtt_subscribe_refused", {{"topic", options_.topic}});
          return fail("broker refused the subscription to " + options_.topic);
        }
        phase_ = Phase::kUp;
        failures_ = 0;
        connected_ = true;
        ++connects_;
        log::info("mqtt_subscribed", {{"host", options_.host},
                                      {"port", std::to_string(options_.port)},
                                      {"topic", options_.topic}});
        return;
      }
      case PacketType::kPublish: {
        auto publish = decodePublish(frame);
        if (!publish) return fail("protocol error: " + publish.status().message());
        ++received_;
        ++unacked_;
        Ack ack = makeAck(epoch, publish->qos, publish->packet_id);
        try {
          handler_(std::move(publish->topic), std::move(publish->payload), ack);
        } catch (const std::exception& e) {
          log::error("mqtt_handler_failed", {{"error", e.what()}});
          ack(false);  // ignored if the handler acknowledged before throwing
        }
        return;
      }
      case PacketType::kPubrel: {
        // QoS 2, second half: our PUBREC went out after the handler's ack(true), so the event is
        // stored; completing is stateless and safe to repeat after a reconnect.
        auto id = packetId(frame);
        if (!id) return fail("protocol error: PUBREL without a packet id");
        send(encodeAck(PacketType::kPubcomp, *id));
        return;
      }
      case PacketType::kPingresp:
        return;
      default:
        // PUBACK/PUBREC/PUBCOMP would answer publishes we never send; tolerate and ignore them.
        log::debug("mqtt_unexpected_packet", {{"type", std::to_string(static_cast<int>(type))}});
        return;
    }
  }

  Ack makeAck(uint64_t epoch, uint8_t qos, uint16_t packet_id) {
    auto done = std::make_shared<std::atomic<bool>>(false);
    return [weak = weak_from_this(), done, epoch, qos, packet_id](bool stored) {
      if (done->exchange(true)) return;
      auto self = weak.lock();
      if (!self) return;
      asio::post(self->io_, [weak, epoch, qos, packet_id, stored] {
        if (auto self = weak.lock()) self->onAck(epoch, qos, packet_id, stored);
      });
    };
  }

  void onAck(uint64_t epoch, uint8_t qos, uint16_t packet_id, bool stored) {
    if (epoch != epoch_) {
      ++stale_acks_;  // the broker will deliver this one again on the new connection
      return;
    }
    --unacked_;
    if (stored) {
      ++acked_;
      if (qos == 1) send(encodeAck(PacketType::kPuback, packet_id));
      if (qos == 2) send(encodeAck(PacketType::kPubrec, packet_id));
    } else {
      ++nacked_;
    }
    if (paused_ && unacked_ < options_.max_unacked) {
      paused_ = false;
      last_received_ = SteadyClock::now();  // the silence was ours
      processInput(epoch);
    }
  }

  // Keepalive and timeouts, every kTick while a connection is being made or is up.
  void tick(uint64_t epoch) {
    tick_timer_.expires_after(kTick);
    tick_timer_.async_wait([weak = weak_from_this(), epoch](boost::system::error_code ec) {
      auto self = weak.lock();
      if (ec || !self || self->epoch_ != epoch) return;
      self->onTick(epoch);
    });
  }

  void onTick(uint64_t epoch) {
    auto now = SteadyClock::now();
    if (phase_ != Phase::kUp) {
      if (now - phase_since_ > kHandshakeTimeout) return fail("handshake timed out");
    } else if (options_.keepalive_seconds > 0) {
      auto keepalive = std::chrono::seconds(options_.keepalive_seconds);
      if (!writing_ && now - last_sent_ >= keepalive / 2) send(encodePingreq());
      // With a ping every half keepalive, two keepalives of silence mean the broker is gone.
      if (!paused_ && now - last_received_ > keepalive * 2) return fail("broker silent");
    }
    tick(epoch);
  }

  uint16_t nextPacketId() {
    if (++packet_id_ == 0) packet_id_ = 1;
    return packet_id_;
  }

  SubscriberOptions options_;
  MessageHandler handler_;

  std::mutex lifecycle_mutex_;
  bool running_ = false;  // guarded by lifecycle_mutex_
  std::thread thread_;

  asio::io_context io_;
  tcp::resolver resolver_{io_};
  tcp::socket socket_{io_};
  asio::steady_timer reconnect_timer_{io_};
  asio::steady_timer tick_timer_{io_};

  bool stopping_ = false;
  uint64_t epoch_ = 0;
  Phase phase_ = Phase::kIdle;
  SteadyClock::time_point phase_since_, last_sent_, last_received_;
  int failures_ = 0;  // connection attempts failed since the last subscription
  uint16_t packet_id_ = 0;
  uint16_t subscribe_id_ = 0;
  std::deque<std::shared_ptr<std::string>> outq_;
  bool writing_ = false;
  bool reading_ = false;
  bool paused_ = false;
  std::array<char, 64 * 1024> readbuf_{};
  std::string inbuf_;
  std::size_t unacked_ = 0;

  std::atomic<bool> connected_{false};
  std::atomic<uint64_t> received_{0}, acked_{0}, nacked_{0}, stale_acks_{0}, connects_{0};
};

Subscriber::Subscriber(SubscriberOptions options, MessageHandler handler)
    : impl_(std::make_shared<Impl>(std::move(options), std::move(handler))) {}

Subscriber::~Subscriber() {
  stop();
}

void Subscriber::start() {
  impl_->start();
}
void Subscriber::stop() {
  impl_->stop();
}
bool Subscriber::connected() const {
  return impl_->connected();
}
SubscriberStats Subscriber::stats() const {
  return impl_->stats();
}

}  // namespace anju::mqtt
