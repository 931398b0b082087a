// Load driver for alerting against a running server (bench/alerts.sh starts one):
//   1. imports a person watchlist of --import entries from CSV and times it;
//   2. enrols --faces watched faces (512 floats) and --plates watched plates;
//   3. ingests --rate events/s for --seconds in the mix `anju simulate` sends (a quarter of them
//      face captures, each matched against every watched face), every batch carrying a hit: a noisy
//      copy of a watched face, or a watched plate read with one character wrong;
//   4. reads the live stream and reports, per hit, the time from sending its batch to its alert
//      arriving on the stream, beside the acknowledgement time of the same batches (the baseline:
//      what ingestion alone costs).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "common/crypto.h"
#include "domain/id_number.h"
#include "http/client.h"

using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
  uint16_t port = 0;
  std::string password;
  int import_entries = 300000;
  int faces = 100000;
  int plates = 1000;
  int rate = 10000;
  int seconds = 20;
};

double ms(Clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

std::vector<float> unitVector(std::mt19937& rng, int dim) {
  std::normal_distribution<float> normal;
  std::vector<float> v(dim);
  double norm = 0;
  for (auto& x : v) {
    x = normal(rng);
    norm += double{x} * x;
  }
  for (auto& x : v) x = static_cast<float>(x / std::sqrt(norm));
  return v;
}

// A capture of the same face: the watched vector plus noise, so similarity is about 0.9.
std::vector<float> noisyCopy(std::mt19937& rng, const std::vector<float>& face) {
  std::vector<float> noise = unitVector(rng, static_cast<int>(face.size()));
  std::vector<float> v(face.size());
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = face[i] + 0.45f * noise[i];
  return v;
}

std::string base64Floats(const std::vector<float>& v) {
  std::string bytes(v.size() * sizeof(float), '\0');
  std::memcpy(bytes.data(), v.data(), bytes.size());
  return anju::crypto::base64Encode(bytes);
}

// Watched plates: four digits and a check digit, so two of them are never one character apart and
// a read with one character wrong stands for exactly one of them.
std::string plateOf(int i) {
  const int serial = i % 10000;
  const int check = (serial / 1000 + serial / 100 % 10 + serial / 10 % 10 + serial % 10) % 10;
  char buf[32];
  std::snprintf(buf, sizeof buf, "冀C%04d%d", serial, check);
  return buf;
}

class Api {
 public:
  Api(uint16_t port, std::string token) : client_("127.0.0.1", port), token_(std::move(token)) {}
  json call(const std::string& method, const std::string& target, const std::string& body,
            const std::string& type = "application/json") {
    auto r = client_.request(method, target, body, {{"Authorization", "Bearer " + token_}}, type);
    if (!r || r->status >= 300) {
      std::fprintf(stderr, "%s %s failed: %s\n", method.c_str(), target.c_str(),
                   r ? r->body.substr(0, 300).c_str() : r.status().message().c_str());
      std::exit(1);
    }
    return json::parse(r->body, nullptr, false);
  }

 private:
  anju::http::Client client_;
  std::string token_;
};

std::string login(uint16_t port, const std::string& password) {
  anju::http::Client client("127.0.0.1", port);
  auto r = client.request("POST", "/api/v1/auth/login",
                          json{{"username", "admin"}, {"password", password}}.dump());
  if (!r || r->status != 200) {
    std::fprintf(stderr, "login failed\n");
    std::exit(1);
  }
  return json::parse(r->body)["token"];
}

// Reads alert frames off the stream and hands each alert's title to `seen`.
void readStream(uint16_t port, const std::string& token, std::atomic<bool>& stop,
                const std::function<void(const json&)>& seen) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  timeval timeout{.tv_sec = 1, .tv_usec = 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return;
  const std::string request =
      "GET /api/v1/alerts/stream?types=alert HTTP/1.1\r\nHost: x\r\n"
      "Authorization: Bearer " +
      token + "\r\n\r\n";
  send(fd, request.data(), request.size(), 0);
  std::string buffer;
  char chunk[65536];
  while (!stop) {
    ssize_t n = recv(fd, chunk, sizeof chunk, 0);
    if (n == 0) break;
    if (n < 0) continue;
    buffer.append(chunk, static_cast<std::size_t>(n));
    std::size_t end;
    while ((end = buffer.find("\n\n")) != std::string::npos) {
      std::string frame = buffer.substr(0, end);
      buffer.erase(0, end + 2);
      std::size_t data = frame.find("data: ");
      if (data != std::string::npos) seen(json::parse(frame.substr(data + 6), nullptr, false));
    }
  }
  close(fd);
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--port") o.port = static_cast<uint16_t>(std::stoi(value));
    if (flag == "--password") o.password = value;
    if (flag == "--import") o.import_entries = std::stoi(value);
    if (flag == "--faces") o.faces = std::stoi(value);
    if (flag == "--plates") o.plates = std::stoi(value);
    if (flag == "--rate") o.rate = std::stoi(value);
    if (flag == "--seconds") o.seconds = std::stoi(value);
  }
  const std::string token = login(o.port, o.password);
  Api api(o.port, token);
  const int64_t region = api.call("POST", "/api/v1/regions",
                                  json{{"name", "海港区"}, {"level", "district"}}.dump())["id"];
  const int64_t estate = api.call("POST", "/api/v1/estates",
                                  json{{"name", "金色家园"}, {"region_id", region}}.dump())["id"];
  for (auto [id, kind] : {std::pair{"door-1", "door"}, std::pair{"barrier-1", "barrier"},
                          std::pair{"cam-1", "face_camera"}}) {
    api.call("POST", "/api/v1/devices",
             json{{"id", id}, {"name", id}, {"kind", kind}, {"estate_id", estate}}.dump());
  }
  auto list = [&](const std::string& name, const std::string& kind) -> int64_t {
    return api.call("POST", "/api/v1/watchlists",
                    json{{"name", name},
                         {"kind", kind},
                         {"reason", "基准测试"},
                         {"requested_by", "bench"},
                         {"threshold", 0.75}}
                        .dump())["id"];
  };

  // 1. A large identity list from CSV, in files of 100,000 rows (a request body is at most 8 MiB
  // unless body_limit_bytes says otherwise).
  if (o.import_entries > 0) {
    const int64_t imported_list = list("大名单", "person");
    long long imported = 0, duplicates = 0;
    Clock::duration spent{};
    for (int first = 0; first < o.import_entries; first += 100000) {
      std::string csv = "姓名,身份证号\n";
      for (int i = first; i < std::min(o.import_entries, first + 100000); ++i) {
        char first17[32];
        std::snprintf(first17, sizeof first17, "13030219%02d%02d%02d%03d", 60 + i % 40, 1 + i % 12,
                      1 + i / 40 % 28, i / 1120 % 1000);
        std::string id = std::string(first17) + anju::domain::idNumberCheckChar(first17);
        csv += "人员" + std::to_string(i) + "," + id + "\n";
      }
      const auto start = Clock::now();
      json report = api.call(
          "POST", "/api/v1/watchlists/" + std::to_string(imported_list) + "/import?partial=true",
          csv, "text/csv");
      spent += Clock::now() - start;
      imported += report["imported"].get<long long>();
      duplicates += report["duplicates"].get<long long>();
    }
    std::printf("watchlist import: %d rows, %lld imported, %lld duplicates in %.1f s\n",
                o.import_entries, imported, duplicates, ms(spent) / 1000);
  }

  // 2. Watched faces and plates.
  std::mt19937 rng(7);
  std::vector<std::vector<float>> faces;
  const int64_t face_list = list("人脸布控", "person");
  const auto enrol_start = Clock::now();
  for (int i = 0; i < o.faces; i += 500) {
    json entries = json::array();
    for (int j = i; j < std::min(o.faces, i + 500); ++j) {
      faces.push_back(unitVector(rng, 512));
      entries.push_back({{"name", "F" + std::to_string(j)}, {"faces", {faces.back()}}});
    }
    api.call("POST", "/api/v1/watchlists/" + std::to_string(face_list) + "/entries",
             json{{"entries", entries}}.dump());
  }
  if (o.faces > 0) {
    std::printf("faces enrolled: %d in %.1f s\n", o.faces, ms(Clock::now() - enrol_start) / 1000);
  }
  const int64_t plate_list = list("车辆布控", "vehicle");
  for (int i = 0; i < o.plates; i += 500) {
    json entries = json::array();
    for (int j = i; j < std::min(o.plates, i + 500); ++j)
      entries.push_back({{"plate", plateOf(j)}});
    api.call("POST", "/api/v1/watchlists/" + std::to_string(plate_list) + "/entries",
             json{{"entries", entries}}.dump());
  }

  // The engine reads changed watchlists within a second or two (more for 100,000 faces); the
  // figures are for the steady state after that.
  std::this_thread::sleep_for(std::chrono::seconds(10));

  // 3 and 4. Load with hits, and the stream.
  std::mutex mutex;
  std::map<std::string, Clock::time_point> sent;  // alert title key -> batch send time
  std::vector<double> alert_ms, ack_ms;
  std::atomic<bool> stop{false};
  std::thread reader(readStream, o.port, token, std::ref(stop), [&](const json& alert) {
    if (!alert.is_object() || alert.value("count", 0) != 1) return;
    const json& subject = alert["subject"];
    std::string key = subject.value("name", "");
    if (key.empty()) key = subject.value("plate", "");
    std::lock_guard lock(mutex);
    auto it = sent.find(key);
    if (it != sent.end()) {
      alert_ms.push_back(ms(Clock::now() - it->second));
      if (std::getenv("ANJU_BENCH_TRACE"))
        std::fprintf(stderr, "%s %.0f\n", key.c_str(), alert_ms.back());
      sent.erase(it);
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));

  const int batches_per_second = 20;
  const int batch = o.rate / batches_per_second;
  int hits = 0, event_no = 0;
  auto next = Clock::now();
  const auto end = next + std::chrono::seconds(o.seconds);
  char ts[64];
  while (Clock::now() < end) {
    const auto wall = std::chrono::system_clock::now();
    const std::time_t secs = std::chrono::system_clock::to_time_t(wall);
    std::tm utc{};
    gmtime_r(&secs, &utc);
    std::strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &utc);
    json events = json::array();
    for (int i = 0; i < batch; ++i, ++event_no) {
      const std::string id = "b" + std::to_string(event_no);
      // The mix `anju simulate` sends: 55% passages, 25% face captures, 10% plates, 10%
      // heartbeats.
      const int slot = event_no % 20;
      if (slot < 11) {
        events.push_back({{"device_id", "door-1"},
                          {"event_id", id},
                          {"ts", ts},
                          {"kind", "access"},
                          {"method", "card"},
                          {"result", "granted"},
                          {"direction", "in"}});
      } else if (slot < 16) {
        events.push_back({{"device_id", "cam-1"},
                          {"event_id", id},
                          {"ts", ts},
                          {"kind", "face_capture"},
                          {"embedding", base64Floats(unitVector(rng, 512))}});
      } else if (slot < 18) {
        events.push_back({{"device_id", "barrier-1"},
                          {"event_id", id},
                          {"ts", ts},
                          {"kind", "vehicle"},
                          {"plate", "鲁B" + std::to_string(10000 + event_no % 89999)},
                          {"direction", "in"}});
      } else {
        events.push_back(
            {{"device_id", "door-1"}, {"event_id", id}, {"ts", ts}, {"kind", "heartbeat"}});
      }
    }
    std::string key;
    const bool face_hit = !faces.empty() && hits % 2 == 0;
    if (face_hit) {
      const int i = hits / 2 % o.faces;
      key = "F" + std::to_string(i);
      events.push_back({{"device_id", "cam-1"},
                        {"event_id", "hit" + std::to_string(hits)},
                        {"ts", ts},
                        {"kind", "face_capture"},
                        {"embedding", base64Floats(noisyCopy(rng, faces[i]))}});
    } else if (o.plates > 0) {
      const int i = hits % o.plates;
      key = plateOf(i);
      std::string misread = key;
      // A letter where the camera should have read a digit: one character off, and on no list.
      misread.replace(misread.size() - 1, 1, "Z");
      events.push_back({{"device_id", "barrier-1"},
                        {"event_id", "hit" + std::to_string(hits)},
                        {"ts", ts},
                        {"kind", "vehicle"},
                        {"plate", misread},
                        {"direction", "in"}});
    }
    ++hits;
    const std::string body = events.dump();
    const auto start = Clock::now();
    {
      std::lock_guard lock(mutex);
      sent[key] = start;
    }
    api.call("POST", "/api/v1/events", body);
    ack_ms.push_back(ms(Clock::now() - start));
    next += std::chrono::milliseconds(1000 / batches_per_second);
    std::this_thread::sleep_until(next);
  }
  std::this_thread::sleep_for(std::chrono::seconds(2));
  stop = true;
  reader.join();
  std::lock_guard lock(mutex);
  std::printf("load: %d events/s for %d s in batches of %d, %d hits (%s)\n", o.rate, o.seconds,
              batch + 1, hits, faces.empty() ? "plates" : "faces and plates");
  std::printf(
      "alert on the stream after sending: p50 %.1f ms  p99 %.1f ms  max %.1f ms  (%zu of %d "
      "hits alerted)\n",
      percentile(alert_ms, 0.5), percentile(alert_ms, 0.99), percentile(alert_ms, 1.0),
      alert_ms.size(), hits);
  std::printf("baseline, batch acknowledged:  p50 %.1f ms  p99 %.1f ms  max %.1f ms\n",
              percentile(ack_ms, 0.5), percentile(ack_ms, 0.99), percentile(ack_ms, 1.0));
  return alert_ms.size() == static_cast<std::size_t>(hits) ? 0 : 2;
}
