// Installation-wide settings kept in the registry (the `settings` table): a value an admin set
// from the console, which the component that owns the name prefers to its configuration file's.
// The owner gives the value its meaning and checks it; this file only keeps it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "store/database.h"

namespace anju::store {

struct Setting {
  std::string name;  // "<section>.<key>", as in the configuration file: "retention.events"
  std::string value;
  std::string updated_by;
  int64_t updated_at = 0;
};

// The settings whose names start with `prefix` ("retention."), by name.
Result<std::vector<Setting>> readSettings(Connection& c, std::string_view prefix);
// Sets or replaces one.
Status writeSetting(Connection& c, const Setting& setting);
// Removes one, so that the configuration file's value holds again.
Status removeSetting(Connection& c, std::string_view name);

}  // namespace anju::store
