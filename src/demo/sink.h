// Where the demo generator puts what it makes. The generator knows the registry's field names
// (the same JSON the REST API takes); the sink knows how to store them.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/user_store.h"

namespace anju::demo {

class Sink {
 public:
  virtual ~Sink() = default;
  // Creates one registry object of `entity` ("regions", "estates", "persons", ...) from the
  // same fields POST /api/v1/{entity} takes; returns its id (devices: the text id as given).
  virtual Result<nlohmann::json> create(const std::string& entity,
                                        const nlohmann::json& fields) = 0;
  // A login; its region, department and person are ids the sink has returned.
  virtual Status createUser(const store::NewUser& user) = 0;
};

}  // namespace anju::demo
