// What the simulator needs to know about a district: its estates, devices, residents and
// vehicles. Loaded from any running server through its API, or built directly by a caller that
// already has the registry at hand (the demo reads its own store).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace anju::sim {

struct SimDevice {
  std::string id;
  std::string kind;       // camera, face_camera, door, barrier, fence, ...
  std::string direction;  // in, out, both or empty
  int64_t estate_id = 0;
  std::string secret;  // empty unless known: then its batches are signed
};

struct SimPerson {
  int64_t id = 0;
  int64_t estate_id = 0;
};

struct SimVehicle {
  std::string plate;
  std::string plate_color;  // may be empty
  int64_t estate_id = 0;
};

struct World {
  std::vector<int64_t> estate_ids;
  std::vector<SimDevice> devices;
  std::vector<SimPerson> persons;
  std::vector<SimVehicle> vehicles;
};

// POST /api/v1/auth/login; the token.
Result<std::string> login(const std::string& target_url, const std::string& username,
                          const std::string& password);

// The first `estates` estates (by the server's list order) and their devices, persons and
// vehicles, paged through with the largest page the API allows.
Result<World> loadWorld(const std::string& target_url, const std::string& token, int estates);

// Reads "device_id,secret" lines (a header line "device_id,secret" is allowed) and sets the
// secrets of the world's devices. Devices without a secret in the file keep theirs.
Status loadSecrets(const std::string& path, World& world);

// "http://host:port" -> host and port (an absent port is 80). Only plain HTTP is supported.
struct Target {
  std::string host;
  uint16_t port = 80;
};
Result<Target> parseTarget(const std::string& url);

}  // namespace anju::sim
