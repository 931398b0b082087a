#include "demo/generator.h"

#include <chrono>
#include <cstddef>
#include <optional>
#include <utility>

#include "demo/plan.h"

namespace anju::demo {
namespace {

using nlohmann::json;

constexpr int kProgressEvery = 250;
constexpr int kMaxEstates = 500;
constexpr int kMaxPersons = 5'000'000;

// Sends the planned objects to the sink, remembering the id each one got so that later objects
// can refer to it.
class Writer {
 public:
  Writer(Sink& sink, int total, std::function<void(int, int)> progress)
      : sink_(sink), total_(total), progress_(std::move(progress)) {}

  Result<int64_t> create(const std::string& entity, const json& fields) {
    Result<json> id = sink_.create(entity, fields);
    if (!id) return id.status();
    tick();
    if (!id->is_number_integer()) {
      return Status::internal("the sink returned a non-integer id for " + entity);
    }
    return id->get<int64_t>();
  }

  Status createDevice(const json& fields) {
    Result<json> id = sink_.create("devices", fields);
    if (!id) return id.status();
    tick();
    return {};
  }

  Status createUser(const store::NewUser& user) {
    ANJU_RETURN_IF_ERROR(sink_.createUser(user));
    tick();
    return {};
  }

  void finish() {
    if (progress_) progress_(done_, total_);
  }

 private:
  void tick() {
    ++done_;
    if (progress_ && done_ % kProgressEvery == 0 && done_ < total_) progress_(done_, total_);
  }

  Sink& sink_;
  int total_;
  int done_ = 0;
  std::function<void(int, int)> progress_;
};

// Optional fields are left out rather than sent empty, as a clerk leaves a form field blank.
void putText(json& fields, const char* key, const std::string& value) {
  if (!value.empty()) fields[key] = value;
}

void putRef(json& fields, const char* key, int index, const std::vector<int64_t>& ids) {
  if (index >= 0) fields[key] = ids[static_cast<std::size_t>(index)];
}

json refList(const std::vector<int>& indices, const std::vector<int64_t>& ids) {
  json list = json::array();
  for (int i : indices) list.push_back(ids[static_cast<std::size_t>(i)]);
  return list;
}

template <typename Plan, typename ToJson>
Status createAll(Writer& writer, const std::string& entity, const std::vector<Plan>& plans,
                 std::vector<int64_t>& ids, ToJson toJson) {
  ids.reserve(plans.size());
  for (const Plan& plan : plans) {
    Result<int64_t> id = writer.create(entity, toJson(plan));
    if (!id) return id.status();
    ids.push_back(*id);
  }
  return {};
}

int totalObjects(const District& d) {
  const std::size_t total =
      d.regions.size() + d.estates.size() + d.buildings.size() + d.units.size() + d.rooms.size() +
      d.persons.size() + d.residences.size() + d.rentals.size() + d.premises.size() +
      d.inspections.size() + d.vehicles.size() + d.devices.size() + d.credentials.size() +
      d.access_groups.size() + d.grids.size() + d.departments.size() + d.users.size();
  return static_cast<int>(total);
}

Status writeDistrict(const District& d, Writer& w) {
  std::vector<int64_t> regions, estates, buildings, units, rooms, persons, residences, rentals,
      premises, inspections, vehicles, credentials, access_groups, grids, departments;

  ANJU_RETURN_IF_ERROR(createAll(w, "regions", d.regions, regions, [&](const RegionPlan& r) {
    json f = {{"name", r.name}, {"level", r.level}, {"code", r.code}};
    putRef(f, "parent_id", r.parent, regions);
    return f;
  }));
  ANJU_RETURN_IF_ERROR(createAll(w, "estates", d.estates, estates, [&](const EstatePlan& e) {
    json f = {{"name", e.name},
              {"address", e.address},
              {"closure", e.closure},
              {"age", e.age},
              {"tier", e.tier},
              {"plan_width", e.plan_width},
              {"plan_height", e.plan_height},
              {"code", e.code}};
    putRef(f, "region_id", e.region, regions);
    return f;
  }));
  ANJU_RETURN_IF_ERROR(
      createAll(w, "buildings", d.buildings, buildings, [&](const BuildingPlan& b) {
        json f = {{"name", b.name},
                  {"floors", b.floors},
                  {"plan_x", b.plan_x},
                  {"plan_y", b.plan_y},
                  {"code", b.code}};
        putRef(f, "estate_id", b.estate, estates);
        return f;
      }));
  ANJU_RETURN_IF_ERROR(createAll(w, "units", d.units, units, [&](const UnitPlan& u) {
    json f = {{"name", u.name}};
    putRef(f, "building_id", u.building, buildings);
    return f;
  }));
  ANJU_RETURN_IF_ERROR(createAll(w, "rooms", d.rooms, rooms, [&](const RoomPlan& r) {
    json f = {{"number", r.number}, {"floor", r.floor}, {"area", r.area}, {"use", r.use}};
    putRef(f, "building_id", r.building, buildings);
    putRef(f, "unit_id", r.unit, units);
    return f;
  }));
  ANJU_RETURN_IF_ERROR(createAll(w, "persons", d.persons, persons, [&](const PersonPlan& p) {
    json f = {{"name", p.name},
              {"id_number", p.id_number},
              {"gender", p.gender},
              {"category", p.category}};
    putText(f, "phone", p.phone);
    if (!p.tags.empty()) f["tags"] = p.tags;
    putRef(f, "estate_id", p.estate, estates);
    putRef(f, "region_id", d.estates[static_cast<std::size_t>(p.estate)].region, regions);
    putText(f, "household_address", p.household_address);
    putText(f, "note", p.note);
    return f;
  }));
  ANJU_RETURN_IF_ERROR(
      createAll(w, "residences", d.residences, residences, [&](const ResidencePlan& r) {
        json f = {{"relation", r.relation}, {"moved_in", r.moved_in}};
        putRef(f, "person_id", r.person, persons);
        putRef(f, "room_id", r.room, rooms);
        putText(f, "moved_out", r.moved_out);
        return f;
      }));
  ANJU_RETURN_IF_ERROR(createAll(w, "rentals", d.rentals, rentals, [&](const RentalPlan& r) {
    json f = {{"tenant_count", r.tenant_count},
              {"purpose", r.purpose},
              {"status", r.status},
              {"registered_on", r.registered_on},
              {"contract_until", r.contract_until}};
    putRef(f, "room_id", r.room, rooms);
    putRef(f, "landlord_id", r.landlord, persons);
    return f;
  }));
  ANJU_RETURN_IF_ERROR(createAll(w, "premises", d.premises, premises, [&](const PremisesPlan& p) {
    const EstatePlan& estate = d.estates[static_cast<std::size_t>(p.estate)];
    json f = {{"name", p.name},
              {"kind", p.kind},
              {"three_smalls", p.three_smalls},
              {"address", p.address}};
    putRef(f, "estate_id", p.estate, estates);
    putRef(f, "region_id", estate.region, regions);
    putText(f, "licence_no", p.licence_no);
    putText(f, "contact_name", p.contact_name);
    putText(f, "contact_phone", p.contact_phone);
    return f;
  }));
  ANJU_RETURN_IF_ERROR(
      createAll(w, "inspections", d.inspections, inspections, [&](const InspectionPlan& i) {
        json f = {{"inspector", i.inspector},
                  {"inspected_on", i.inspected_on},
                  {"result", i.result},
                  {"findings", i.findings}};
        putRef(f, "rental_id", i.rental, rentals);
        putRef(f, "premises_id", i.premises, premises);
        putText(f, "rectify_by", i.rectify_by);
        putText(f, "rectified_on", i.rectified_on);
        return f;
      }));
  ANJU_RETURN_IF_ERROR(createAll(w, "vehicles", d.vehicles, vehicles, [&](const VehiclePlan& v) {
    json f = {{"plate", v.plate},
              {"plate_color", v.plate_color},
              {"kind", v.kind},
              {"brand", v.brand},
              {"colour", v.colour}};
    putRef(f, "person_id", v.person, persons);
    putRef(f, "estate_id", v.estate, estates);
    return f;
  }));
  for (const DevicePlan& device : d.devices) {
    json f = {{"id", device.id},         {"name", device.name},
              {"kind", device.kind},     {"position", device.position},
              {"plan_x", device.plan_x}, {"plan_y", device.plan_y},
              {"vendor", device.vendor}};
    putRef(f, "estate_id", device.estate, estates);
    putRef(f, "building_id", device.building, buildings);
    putText(f, "direction", device.direction);
    ANJU_RETURN_IF_ERROR(w.createDevice(f));
  }
  ANJU_RETURN_IF_ERROR(
      createAll(w, "credentials", d.credentials, credentials, [&](const CredentialPlan& c) {
        json f = {{"type", c.type}};
        putRef(f, "person_id", c.person, persons);
        putText(f, "value", c.value);
        if (!c.embedding.empty()) f["embedding"] = c.embedding;
        return f;
      }));
  ANJU_RETURN_IF_ERROR(
      createAll(w, "access_groups", d.access_groups, access_groups, [&](const AccessGroupPlan& g) {
        json devices = json::array();
        for (int i : g.devices) devices.push_back(d.devices[static_cast<std::size_t>(i)].id);
        json f = {{"name", g.name},
                  {"device_ids", std::move(devices)},
                  {"person_ids", refList(g.persons, persons)}};
        putRef(f, "estate_id", g.estate, estates);
        return f;
      }));
  ANJU_RETURN_IF_ERROR(createAll(w, "grids", d.grids, grids, [&](const GridPlan& g) {
    json f = {{"name", g.name},
              {"worker_ids", json::array()},
              {"building_ids", refList(g.buildings, buildings)}};
    putRef(f, "estate_id", g.estate, estates);
    putRef(f, "region_id", d.estates[static_cast<std::size_t>(g.estate)].region, regions);
    return f;
  }));
  ANJU_RETURN_IF_ERROR(
      createAll(w, "departments", d.departments, departments, [&](const DepartmentPlan& p) {
        json f = {{"name", p.name}};
        putRef(f, "region_id", p.region, regions);
        return f;
      }));
  auto idOf = [](int index, const std::vector<int64_t>& ids) {
    return index < 0 ? std::nullopt : std::optional<int64_t>(ids[static_cast<std::size_t>(index)]);
  };
  for (const UserPlan& user : d.users) {
    ANJU_RETURN_IF_ERROR(w.createUser({.username = user.username,
                                       .password = user.password,
                                       .roles = user.roles,
                                       .region_id = idOf(user.region, regions),
                                       .display_name = user.display_name,
                                       .person_id = idOf(user.person, persons),
                                       .department_id = idOf(user.department, departments)}));
  }
  return {};
}

}  // namespace

Result<DemoSummary> generateDistrict(const DemoOptions& options, Sink& sink,
                                     std::function<void(int done, int total)> progress) {
  if (options.estates < 1 || options.estates > kMaxEstates) {
    return Status::invalid("estates",
                           "estates must be between 1 and " + std::to_string(kMaxEstates));
  }
  if (options.persons < 1 || options.persons > kMaxPersons) {
    return Status::invalid("persons",
                           "persons must be between 1 and " + std::to_string(kMaxPersons));
  }
  if (options.max_face_credentials < 0) {
    return Status::invalid("max_face_credentials", "max_face_credentials must not be negative");
  }
  if (!options.as_of.ok() || options.as_of.year() < std::chrono::year{2000}) {
    return Status::invalid("as_of", "as_of must be a real day in 2000 or later");
  }

  const District d = planDistrict(options);
  Writer writer(sink, totalObjects(d), std::move(progress));
  ANJU_RETURN_IF_ERROR(writeDistrict(d, writer));
  writer.finish();

  DemoSummary s;
  auto count = [](const auto& items) { return static_cast<int>(items.size()); };
  s.regions = count(d.regions);
  s.estates = count(d.estates);
  s.buildings = count(d.buildings);
  s.units = count(d.units);
  s.rooms = count(d.rooms);
  s.persons = count(d.persons);
  s.residences = count(d.residences);
  s.rentals = count(d.rentals);
  s.premises = count(d.premises);
  s.inspections = count(d.inspections);
  s.vehicles = count(d.vehicles);
  s.devices = count(d.devices);
  s.credentials = count(d.credentials);
  s.access_groups = count(d.access_groups);
  s.grids = count(d.grids);
  s.departments = count(d.departments);
  s.users = count(d.users);
  if (!options.admin_password.empty()) {
    s.users_and_passwords.emplace_back("admin", options.admin_password);
  }
  for (const UserPlan& user : d.users)
    s.users_and_passwords.emplace_back(user.username, user.password);
  return s;
}

}  // namespace anju::demo
