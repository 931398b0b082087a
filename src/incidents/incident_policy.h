// The 1-3-5 minute response (1、3、5分钟快速响应): how long each stage may take, counted from the
// moment the incident was raised. The config file's [incidents] section overrides the defaults.
#pragma once

namespace anju::incidents {

struct IncidentPolicy {
  int ack_seconds = 60;        // raised → acknowledged (1 minute)
  int dispatch_seconds = 180;  // raised → dispatched (3 minutes)
  int arrive_seconds = 300;    // raised → on scene (5 minutes)
};

}  // namespace anju::incidents
