// What the live stream (GET /api/v1/alerts/stream) carries: each alert, incident and case change,
// told once by the part of Anju that made it. The stream keeps them so a client that reconnects
// resumes where it stopped, and sends each one only to users whose scope covers where it happened.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace anju::notify {

struct Notice {
  std::string type;         // "alert", "incident" or "case"
  std::string region_path;  // where it happened ("/1/4/"); "/" for everywhere
  nlohmann::json data;      // the object as the API shows it, after the change
};

class Publisher {
 public:
  virtual ~Publisher() = default;
  // Called after the change is committed. Never blocks on a client: a slow one is dropped and
  // resumes from the store when it reconnects.
  virtual void publish(Notice notice) = 0;
};

}  // namespace anju::notify
