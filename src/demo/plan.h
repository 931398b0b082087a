// The demo district as plain data, drawn before anything is written. Planning first keeps all the
// randomness in one place (so the Sink's answers cannot change what is drawn) and lets the writer
// know the total for progress. References are indices into the District's own vectors; -1 means
// none. Text fields hold the registry's own values ("closed", "owner", ...).
#pragma once

#include <string>
#include <vector>

#include "demo/generator.h"

namespace anju::demo {

struct RegionPlan {
  std::string name, level, code;
  int parent = -1;
};

struct EstatePlan {
  std::string name, code, address, closure, age, tier;
  int region = -1;
  int plan_width = 0, plan_height = 0;
};

struct BuildingPlan {
  int estate = -1;
  std::string name, code;
  int floors = 0, plan_x = 0, plan_y = 0;
};

struct UnitPlan {
  int building = -1;
  std::string name;
};

struct RoomPlan {
  int building = -1, unit = -1;
  std::string number, use;
  int floor = 0;
  double area = 0;
};

struct PersonPlan {
  std::string name, id_number, phone, gender, category;
  std::vector<std::string> tags;
  int estate = -1;
  std::string household_address, note;
};

struct ResidencePlan {
  int person = -1, room = -1;
  std::string relation, moved_in, moved_out;
};

struct RentalPlan {
  int room = -1, landlord = -1, tenant_count = 0;
  std::string purpose, status, registered_on, contract_until;
};

struct PremisesPlan {
  std::string name, kind, three_smalls, address, licence_no, contact_name, contact_phone;
  int estate = -1;
};

struct InspectionPlan {
  int rental = -1, premises = -1;
  std::string inspector, inspected_on, result, findings, rectify_by, rectified_on;
};

struct VehiclePlan {
  std::string plate, plate_color, kind, brand, colour;
  int person = -1, estate = -1;
};

struct DevicePlan {
  std::string id, name, kind, position, direction, vendor;
  int estate = -1, building = -1;
  int plan_x = 0, plan_y = 0;
};

struct CredentialPlan {
  int person = -1;
  std::string type, value;
  std::vector<double> embedding;
};

struct AccessGroupPlan {
  std::string name;
  int estate = -1;
  std::vector<int> devices, persons;
};

struct GridPlan {
  std::string name;
  int estate = -1;
  std::vector<int> buildings;
};

struct DepartmentPlan {
  std::string name;
  int region = -1;
};

struct UserPlan {
  std::string username, password, display_name;
  std::vector<std::string> roles;
  int region = -1;
  int department = -1;  // a department user's own unit, whose cases they work
  int person = -1;      // a resident's own person record, so their reports carry their name
};

struct District {
  std::vector<RegionPlan> regions;
  std::vector<EstatePlan> estates;
  std::vector<BuildingPlan> buildings;
  std::vector<UnitPlan> units;
  std::vector<RoomPlan> rooms;
  std::vector<PersonPlan> persons;
  std::vector<ResidencePlan> residences;
  std::vector<RentalPlan> rentals;
  std::vector<PremisesPlan> premises;
  std::vector<InspectionPlan> inspections;
  std::vector<VehiclePlan> vehicles;
  std::vector<DevicePlan> devices;
  std::vector<CredentialPlan> credentials;
  std::vector<AccessGroupPlan> access_groups;
  std::vector<GridPlan> grids;
  std::vector<DepartmentPlan> departments;
  std::vector<UserPlan> users;
};

// Draws the whole district. Deterministic in `options`; expects estates >= 1 and persons >= 1.
District planDistrict(const DemoOptions& options);

}  // namespace anju::demo
