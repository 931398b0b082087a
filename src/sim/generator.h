// Device events (SPEC §3) as a simulated district would send them, written straight to JSON text
// so that one core makes well over 100,000 a second. The same world, seed and start time give the
// same events in the same order.
//
// The mix: access 55%, face_capture 25%, vehicle 10%, heartbeat 9.5%, alarm 0.5%; a kind whose
// devices the world lacks gives its share to the others. About 1% of events re-send an earlier
// event verbatim (a duplicate) and 0.5% are malformed (no kind, an impossible timestamp, or an
// embedding of the wrong length). The rate is flat; the simulated hour shapes direction: mornings
// (7-9) mostly out, evenings (17-20) mostly in.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sim/world.h"

namespace anju::sim {

// xoshiro256**, seeded through splitmix64: fast and specified bit for bit, so a seed means the
// same events on every platform.
class FastRng {
 public:
  explicit FastRng(uint64_t seed);
  uint64_t next();
  uint64_t below(uint64_t n) { return n == 0 ? 0 : next() % n; }  // bias < n / 2^64: negligible
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  bool chance(double p) { return unit() < p; }

 private:
  uint64_t s_[4];
};

constexpr int kEmbeddingSize = 128;

// A person's face as the simulated cameras see it: a unit vector that depends only on the person
// id, so every run and seed agrees on who looks like whom.
std::vector<float> personFace(int64_t person_id);
// Little-endian float32, base64 (standard alphabet, padded).
std::string encodeEmbedding(const std::vector<float>& values);
// The inverse; empty when the text is not base64 of whole floats.
std::vector<float> decodeEmbedding(std::string_view base64);

enum class SimKind { kAccess, kFaceCapture, kVehicle, kHeartbeat, kAlarm };

struct GeneratedEvent {
  std::size_t device = 0;  // index into World::devices
  SimKind kind = SimKind::kHeartbeat;
  std::string json;        // one line, no newline
  bool duplicate = false;  // json is a copy of an earlier event's
  bool malformed = false;  // the server should reject it
  int64_t person_id = 0;   // who really passed or was seen (0: nobody known); not in the JSON
};

struct GeneratorOptions {
  uint64_t seed = 1;
  int utc_offset_minutes = 480;
  // Event ids are "<device>-<seq>" with seq = the run's start second followed by a six-digit
  // counter per device, so a later run does not collide with an earlier one on the same server.
  int64_t run_start_ms = 0;
  double duplicate_share = 0.01;
  double malformed_share = 0.005;
};

class EventGenerator {
 public:
  // `world` must outlive the generator.
  EventGenerator(const World& world, GeneratorOptions options);

  // The next event, stamped `sim_ms` (ms since the epoch, simulated).
  GeneratedEvent next(int64_t sim_ms);

 private:
  void header(std::string& out, std::size_t device, int64_t sim_ms, bool bad_ts);
  void access(std::string& out, std::size_t device, int hour, GeneratedEvent& event);
  void face(std::string& out, std::size_t device, bool wrong_length, GeneratedEvent& event);
  void vehicle(std::string& out, std::size_t device, int hour);
  void alarm(std::string& out, std::size_t device);
  std::string direction(const SimDevice& device, int hour);
  const std::vector<float>& face(int64_t person_id);

  const World& world_;
  GeneratorOptions options_;
  FastRng rng_;
  std::vector<std::size_t> by_kind_[5];  // device indices per SimKind
  double weights_[5] = {};
  std::unordered_map<int64_t, std::vector<std::size_t>> persons_by_estate_;
  std::unordered_map<int64_t, std::vector<std::size_t>> vehicles_by_estate_;
  std::unordered_map<int64_t, std::vector<float>> faces_;
  std::vector<uint64_t> seq_;  // per device
  std::size_t heartbeat_cursor_ = 0;
  std::vector<GeneratedEvent> recent_;  // a ring of sent events to duplicate
  std::size_t recent_next_ = 0;
  std::string seq_prefix_;
};

// The signature of a signed batch: hex HMAC-SHA256 of the exact body with the device secret.
std::string signBody(std::string_view secret, std::string_view body);

}  // namespace anju::sim
