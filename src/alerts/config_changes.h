// Every node's alert engine reads the rules and watchlists. Each change to them tells the other
// nodes on the same database in its own commit, on this channel, and their engines read them again
// before their next event.
#pragma once

namespace anju::alerts {

inline constexpr const char* kConfigChannel = "anju_alert_config";

}  // namespace anju::alerts
