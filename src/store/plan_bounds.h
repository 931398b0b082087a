// Points on an estate's site plan stay on it. plan_x and plan_y are metres from the plan's
// top-left corner, so a point is on a plan of width W and height H when 0 <= x <= W and
// 0 <= y <= H. An estate without a size takes any point: plans are optional.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "common/status.h"
#include "domain/entity.h"
#include "store/database.h"

namespace anju::store {

// For an object of an entity with `plan_estate` set, in its full new state: both coordinates or
// neither, and inside its estate's plan. Errors name plan_x or plan_y.
Status checkPlanPoint(Connection& c, const domain::EntitySpec& spec, const nlohmann::json& record);

// For an estate being changed to `record`: its plan may not shrink past a building or device
// already placed on it. Errors name plan_width or plan_height and say what stands outside.
Status checkPlanHoldsItsObjects(Connection& c, const domain::EntitySpec& spec,
                                const std::string& id, const nlohmann::json& record);

}  // namespace anju::store
