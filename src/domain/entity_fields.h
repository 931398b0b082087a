// Short builders for registry field descriptions, shared by the files that declare entities.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "domain/entity.h"

namespace anju::domain::fields {

using FT = FieldType;

// Every role that works in the office, as opposed to residents: who may read most lists.
inline const std::vector<std::string> kStaff = {"police",   "security",   "grid_worker",
                                                "mediator", "department", "admin"};

// Whether a record being completed holds a value at `key`.
inline bool present(const nlohmann::json& record, const char* key) {
  return record.contains(key) && !record[key].is_null();
}

inline FieldSpec text(std::string name, std::string label, bool required = false,
                      std::size_t max_length = 200) {
  FieldSpec f{
      .name = std::move(name), .type = FT::kText, .label = std::move(label), .required = required};
  f.max_length = max_length;
  return f;
}

inline FieldSpec ofType(std::string name, FT type, std::string label, bool required = false) {
  return FieldSpec{
      .name = std::move(name), .type = type, .label = std::move(label), .required = required};
}

inline FieldSpec enumOf(std::string name, std::string label, std::vector<Choice> choices,
                        bool required = false) {
  FieldSpec f{
      .name = std::move(name), .type = FT::kEnum, .label = std::move(label), .required = required};
  f.choices = std::move(choices);
  return f;
}

inline FieldSpec ref(std::string name, std::string target, std::string label,
                     bool required = false) {
  FieldSpec f{
      .name = std::move(name), .type = FT::kRef, .label = std::move(label), .required = required};
  f.ref = std::move(target);
  return f;
}

inline FieldSpec refList(std::string name, std::string target, std::string label) {
  FieldSpec f{.name = std::move(name), .type = FT::kList, .label = std::move(label)};
  f.ref = std::move(target);
  return f;
}

inline FieldSpec number(std::string name, FT type, std::string label, double lo, double hi) {
  FieldSpec f{.name = std::move(name), .type = type, .label = std::move(label)};
  f.min = lo;
  f.max = hi;
  return f;
}

// A point on a site plan, in metres from the plan's top-left corner, so never negative.
inline FieldSpec planX() {
  return number("plan_x", FT::kReal, "平面图X", 0, 100000);
}
inline FieldSpec planY() {
  return number("plan_y", FT::kReal, "平面图Y", 0, 100000);
}

}  // namespace anju::domain::fields

namespace anju::domain {

// Grid work and community policing (registry_grid.cc), appended to the registry by build().
void addGridAndPolicingEntities(std::vector<EntitySpec>& r);

}  // namespace anju::domain
