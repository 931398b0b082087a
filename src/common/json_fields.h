// Reading text fields of untrusted JSON objects (request bodies) the same way everywhere: absent
// or null is "not given", anything else must be a string of bounded length, and every error
// names the field.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>

#include "common/status.h"

namespace anju {

// The text at `name` in `object`, or "" when not given. A `required` field must be given and not
// blank. `field` names it in errors when that differs from `name` ("parties[1].name").
Result<std::string> textField(const nlohmann::json& object, const std::string& name, bool required,
                              std::size_t max_chars = 2000, const std::string& field = {});

}  // namespace anju
