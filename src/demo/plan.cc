#include "demo/plan.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <string_view>
#include <unordered_set>
#include <utility>

#include "demo/identifiers.h"
#include "demo/names.h"
#include "demo/rng.h"

namespace anju::demo {
namespace {

using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::year_month_day;

constexpr int kEmbeddingSize = 128;

std::string numbered(std::string_view prefix, int n, std::string_view suffix = {}) {
  return std::string(prefix) + std::to_string(n) + std::string(suffix);
}

// `n` in decimal with leading zeros up to `width` digits: codes sort and read as in the offices.
std::string padded(int n, std::size_t width) {
  std::string digits = std::to_string(n);
  if (digits.size() < width) digits.insert(0, width - digits.size(), '0');
  return digits;
}

std::string isoDate(sys_days day) {
  const year_month_day ymd{day};
  return padded(static_cast<int>(ymd.year()), 4) + "-" +
         padded(static_cast<int>(static_cast<unsigned>(ymd.month())), 2) + "-" +
         padded(static_cast<int>(static_cast<unsigned>(ymd.day())), 2);
}

// Where a person's ID number was issued, which also decides their category and household address.
enum class Origin { kLocal, kHebei, kElsewhere };

struct Member {
  int age = 0;
  bool male = false;
  bool elderly_alone = false;
  bool left_behind = false;
};

struct Gate {
  std::string name;
  int x = 0, y = 0;
  bool vehicles = false;
};

struct Household {
  int room = -1;
  std::vector<int> members;  // [0] is the owner
};

// What the planner needs to remember about an estate beyond what the registry stores.
struct EstateWork {
  bool old = false;
  int built_year = 2000;
  int target_rooms = 0;
  int person_budget = 0;
  std::vector<int> buildings, rooms, residents;
  std::vector<Household> households;   // owner-occupied, for cars
  std::vector<int> tenant_households;  // first tenant of each active rental, for cars
  std::vector<Gate> gates;
  std::vector<int> access_devices;
};

struct BuildingShape {
  int floors, units, per_floor;
};

// Every draw from rng_ is its own statement or sits in a braced initialiser, a ?: or a && / ||,
// whose order C++ fixes. Two draws among one call's arguments (or the operands of one overloaded
// operator+) would be evaluated in an order that GCC and Clang choose differently.
class Planner {
 public:
  explicit Planner(const DemoOptions& options)
      : options_(options),
        rng_(options.seed),
        passwords_(options.password_seed.value_or(options.seed ^ 0x5DEECE66DA3B9F21ull)),
        today_(sys_days{options.as_of}) {}

  District run() {
    planRegions();
    planEstates();
    for (std::size_t e = 0; e < d_.estates.size(); ++e) planBuildings(static_cast<int>(e));
    planPopulation();
    for (std::size_t e = 0; e < d_.estates.size(); ++e) planPremises(static_cast<int>(e));
    planInspections();
    for (std::size_t e = 0; e < d_.estates.size(); ++e) planVehicles(static_cast<int>(e));
    for (std::size_t e = 0; e < d_.estates.size(); ++e) planDevices(static_cast<int>(e));
    planCredentials();
    planAccessGroupsAndGrids();
    planDepartments();
    planUsers();
    return std::move(d_);
  }

 private:
  const DemoOptions& options_;
  Rng rng_;
  Rng passwords_;
  sys_days today_;
  District d_;
  std::vector<EstateWork> work_;
  std::vector<int> ages_;  // by person
  std::vector<sys_days> births_;
  std::vector<std::string> room_addresses_;
  std::vector<std::vector<int>> units_of_building_;
  std::unordered_set<std::string> id_numbers_, phones_, plates_, cards_;
  int district_ = -1;
  std::vector<int> streets_, communities_;
  std::vector<std::string> staff_names_;  // by region: the street's police, the community's grid

  // --- regions and staff -------------------------------------------------------------------

  int addRegion(std::string name, std::string level, std::string code, int parent) {
    d_.regions.push_back({std::move(name), std::move(level), std::move(code), parent});
    staff_names_.push_back(randomAdultName());
    return static_cast<int>(d_.regions.size()) - 1;
  }

  std::string streetAddress() {
    std::string address = "河北省秦皇岛市海港区";
    address += rng_.pick(roadNames());
    address += std::to_string(rng_.uniformInt(1, 399)) + "号";
    return address;
  }

  std::string randomAdultName() {
    const int age = rng_.uniformInt(26, 55);
    return personName(rng_, rng_.permille(500), yearOf(today_) - age);
  }

  void planRegions() {
    const int city = addRegion("秦皇岛市", "city", "130300", -1);
    district_ = addRegion("海港区", "district", "130302", city);
    std::vector<int> street_order(streetNames().size());
    for (std::size_t i = 0; i < street_order.size(); ++i) street_order[i] = static_cast<int>(i);
    rng_.shuffle(street_order);
    street_order.resize(static_cast<std::size_t>(rng_.uniformInt(3, 4)));
    std::sort(street_order.begin(), street_order.end());

    std::vector<int> community_order(communityNames().size());
    for (std::size_t i = 0; i < community_order.size(); ++i) {
      community_order[i] = static_cast<int>(i);
    }
    rng_.shuffle(community_order);
    std::size_t next_community = 0;
    for (int s : street_order) {
      const std::string code = "130302" + padded(s + 1, 3);
      const int street = addRegion(std::string(streetNames()[static_cast<std::size_t>(s)]),
                                   "street", code, district_);
      streets_.push_back(street);
      const int count = rng_.uniformInt(2, 3);
      for (int c = 1; c <= count; ++c) {
        const auto name = communityNames()[static_cast<std::size_t>(
            community_order[next_community++ % community_order.size()])];
        communities_.push_back(
            addRegion(std::string(name) + "社区", "community", code + padded(c, 3), street));
      }
    }
  }

  // --- estates, buildings, units, rooms ------------------------------------------------------

  void planEstates() {
    const int count = options_.estates;
    std::vector<int> homes = communities_;
    rng_.shuffle(homes);
    std::vector<std::string_view> old_names(oldEstateNames().begin(), oldEstateNames().end());
    std::vector<std::string_view> new_names(newEstateNames().begin(), newEstateNames().end());
    rng_.shuffle(old_names);
    rng_.shuffle(new_names);
    std::size_t old_used = 0, new_used = 0;

    const int total_rooms = std::max(count, (options_.persons * 2 + 2) / 5);
    std::vector<int> weights;
    int weight_sum = 0;
    for (int i = 0; i < count; ++i) {
      weights.push_back(rng_.uniformInt(60, 140));
      weight_sum += weights.back();
    }

    int rooms_left = total_rooms;
    for (int i = 0; i < count; ++i) {
      EstateWork w;
      std::string closure, tier;
      // The first three estates cover the tiers a demonstration needs to show side by side.
      if (i < 3 && count >= 3) {
        struct Profile {
          bool old;
          const char* closure;
          const char* tier;
        };
        static constexpr std::array<Profile, 3> kShowcase = {{
            {false, "closed", "demonstration"},
            {false, "closed", "enhanced"},
            {true, "open", "standard"},
        }};
        const Profile& profile = kShowcase[static_cast<std::size_t>(i)];
        w.old = profile.old;
        closure = profile.closure;
        tier = profile.tier;
      } else {
        w.old = rng_.permille(450);
        static constexpr std::array<const char*, 3> kClosures = {"open", "semi_closed", "closed"};
        static constexpr std::array<const char*, 3> kTiers = {"standard", "enhanced",
                                                              "demonstration"};
        // Older estates were built without walls or guards, and few reach the higher tiers.
        closure = kClosures[w.old ? rng_.weighted({35, 45, 20}) : rng_.weighted({0, 15, 85})];
        tier = kTiers[w.old ? rng_.weighted({75, 22, 3}) : rng_.weighted({30, 45, 25})];
      }
      w.built_year = w.old ? rng_.uniformInt(1980, 1999) : rng_.uniformInt(2003, 2021);

      auto& pool = w.old ? old_names : new_names;
      auto& used = w.old ? old_used : new_used;
      std::string name(pool[used % pool.size()]);
      if (const std::size_t round = used / pool.size(); round > 0) {
        name += std::to_string(round + 1) + "期";
      }
      ++used;

      std::string code = "e" + padded(i + 1, 2);
      std::string address = streetAddress();

      w.target_rooms = i + 1 == count
                           ? rooms_left
                           : total_rooms * weights[static_cast<std::size_t>(i)] / weight_sum;
      w.target_rooms = std::max(1, w.target_rooms);
      rooms_left -= w.target_rooms;

      d_.estates.push_back({.name = std::move(name),
                            .code = code,
                            .address = std::move(address),
                            .closure = std::move(closure),
                            .age = w.old ? "old" : "new",
                            .tier = std::move(tier),
                            .region = homes[static_cast<std::size_t>(i) % homes.size()]});
      work_.push_back(std::move(w));
    }
  }

  BuildingShape drawShape(bool old) {
    if (old) {
      static constexpr std::array<int, 3> kFloors = {5, 6, 7};
      return {kFloors[rng_.weighted({20, 60, 20})], rng_.uniformInt(2, 4), 2};
    }
    static constexpr std::array<BuildingShape, 5> kShapes = {{
        {6, 2, 2},   // 洋房
        {11, 2, 2},  // 小高层
        {18, 2, 2},  // 高层
        {26, 2, 2},
        {33, 2, 3},
    }};
    return kShapes[rng_.weighted({20, 25, 25, 15, 15})];
  }

  void planBuildings(int e) {
    EstateWork& w = work_[static_cast<std::size_t>(e)];
    EstatePlan& estate = d_.estates[static_cast<std::size_t>(e)];
    std::vector<BuildingShape> shapes;
    int planned = 0;
    while (planned < w.target_rooms) {
      BuildingShape shape = drawShape(w.old);
      const int remaining = w.target_rooms - planned;
      // The last building is cut down to what the estate still needs, so a small district does
      // not get a 33-storey tower for its last twenty households.
      if (shape.floors * shape.units * shape.per_floor > remaining) {
        shape.floors = std::max(
            1, (remaining + shape.units * shape.per_floor - 1) / (shape.units * shape.per_floor));
        if (shape.floors == 1) {
          shape.units = std::max(1, (remaining + shape.per_floor - 1) / shape.per_floor);
        }
      }
      planned += shape.floors * shape.units * shape.per_floor;
      shapes.push_back(shape);
    }

    const int n = static_cast<int>(shapes.size());
    const int cell_w = w.old ? 32 : 48;
    const int cell_h = w.old ? 28 : 56;
    const int margin = 30;
    // A grid about one and a half times as wide as it is deep, like most site plans.
    int cols = 1;
    while (2 * cols * cols < 3 * n) ++cols;
    const int rows = (n + cols - 1) / cols;
    estate.plan_width = 2 * margin + cols * cell_w;
    estate.plan_height = 2 * margin + rows * cell_h;

    for (int b = 0; b < n; ++b) {
      const BuildingShape& shape = shapes[static_cast<std::size_t>(b)];
      const int index = static_cast<int>(d_.buildings.size());
      d_.buildings.push_back(
          {.estate = e,
           .name = numbered("", b + 1, "号楼"),
           .code = estate.code + "-b" + padded(b + 1, 2),
           .floors = shape.floors,
           .plan_x = margin + (b % cols) * cell_w + cell_w / 2 + rng_.uniformInt(-3, 3),
           .plan_y = margin + (b / cols) * cell_h + cell_h / 2 + rng_.uniformInt(-3, 3)});
      w.buildings.push_back(index);
      units_of_building_.emplace_back();
      // Older walk-ups facing the street let their ground floor as shops (底商).
      const bool shops_below =
          w.old && estate.closure != "closed" && b % 3 == 0 && shape.floors >= 5;
      for (int u = 1; u <= shape.units; ++u) {
        const int unit = static_cast<int>(d_.units.size());
        d_.units.push_back({index, numbered("", u, "单元")});
        units_of_building_.back().push_back(unit);
        for (int floor = 1; floor <= shape.floors; ++floor) {
          for (int k = 1; k <= shape.per_floor; ++k) {
            const std::string number = std::to_string(floor) + padded(k, 2);
            const bool shop = shops_below && floor == 1;
            const int tenths = shop    ? rng_.uniformInt(300, 1200)
                               : w.old ? rng_.uniformInt(480, 880)
                                       : rng_.uniformInt(600, 1450);
            w.rooms.push_back(static_cast<int>(d_.rooms.size()));
            d_.rooms.push_back({.building = index,
                                .unit = unit,
                                .number = number,
                                .use = shop ? "commercial" : "residential",
                                .floor = floor,
                                .area = tenths / 10.0});
            room_addresses_.push_back(estate.address + estate.name + d_.buildings.back().name +
                                      d_.units.back().name + number + "室");
          }
        }
      }
    }
    planGates(e);
  }

  void planGates(int e) {
    EstateWork& w = work_[static_cast<std::size_t>(e)];
    const EstatePlan& estate = d_.estates[static_cast<std::size_t>(e)];
    const bool open = estate.closure == "open";
    const int count = estate.closure == "closed" ? rng_.uniformInt(2, 3) : rng_.uniformInt(1, 2);
    const int wd = estate.plan_width, ht = estate.plan_height;
    const std::array<Gate, 4> sides = {{
        {open ? "南口" : "南门", wd / 2, ht, false},
        {open ? "东口" : "东门", wd, ht / 2, false},
        {open ? "北口" : "北门", wd / 2, 0, false},
        {open ? "西口" : "西门", 0, ht / 2, false},
    }};
    for (int g = 0; g < count; ++g) {
      Gate gate = sides[static_cast<std::size_t>(g)];
      // Closed estates let cars through every gate but a third, pedestrian one; semi-closed ones
      // only through the main gate; open estates have no barriers at all.
      gate.vehicles =
          estate.closure == "closed" ? g < 2 : estate.closure == "semi_closed" && g == 0;
      w.gates.push_back(gate);
    }
  }

  // --- population -----------------------------------------------------------------------------

  static int yearOf(sys_days day) { return static_cast<int>(year_month_day{day}.year()); }

  sys_days birthDay(int age) {
    const year_month_day anniversary{options_.as_of.year() - std::chrono::years{age},
                                     options_.as_of.month(), options_.as_of.day()};
    return sys_days{anniversary} - days{rng_.uniformInt(0, 364)};
  }

  std::string uniquePhone() {
    std::string phone = makeMobile(rng_);
    while (!phones_.insert(phone).second) phone = makeMobile(rng_);
    return phone;
  }

  const Division& divisionFor(Origin origin) {
    switch (origin) {
      case Origin::kLocal:
        // Most locals were born in the district itself.
        return rng_.permille(700) ? qinhuangdaoDivisions()[0] : rng_.pick(qinhuangdaoDivisions());
      case Origin::kHebei:
        return rng_.pick(otherHebeiDivisions());
      case Origin::kElsewhere:
        break;
    }
    return rng_.pick(otherProvinceDivisions());
  }

  bool hasPhone(int age) {
    if (age < 14) return false;
    if (age < 18) return rng_.permille(700);
    if (age < 70) return rng_.permille(990);
    if (age < 80) return rng_.permille(850);
    return rng_.permille(550);
  }

  // An empty `household_address` means the person's 户口 is still where their ID was issued.
  int addPerson(int estate, const Member& m, Origin origin, std::string category,
                std::string household_address) {
    const sys_days birth = birthDay(m.age);
    const Division& division = divisionFor(origin);
    PersonPlan p;
    p.name = personName(rng_, m.male, yearOf(birth));
    p.id_number = makeIdNumber(rng_, division.code, year_month_day{birth}, m.male);
    while (!id_numbers_.insert(p.id_number).second) {
      p.id_number = makeIdNumber(rng_, division.code, year_month_day{birth}, m.male);
    }
    if (hasPhone(m.age)) p.phone = uniquePhone();
    p.gender = m.male ? "male" : "female";
    p.category = std::move(category);
    p.estate = estate;
    p.household_address =
        household_address.empty() ? std::string(division.name) : std::move(household_address);
    addTags(p, m);
    d_.persons.push_back(std::move(p));
    ages_.push_back(m.age);
    births_.push_back(birth);
    return static_cast<int>(d_.persons.size()) - 1;
  }

  void addTags(PersonPlan& p, const Member& m) {
    if (m.elderly_alone) {
      p.tags.push_back("elderly_alone");
      p.note = "独居老人，网格员每周上门探访";
    }
    if (m.left_behind) {
      p.tags.push_back("left_behind_child");
      p.note = "父母在外务工，随祖父母生活";
    }
    // About one adult in 130 is a key person, which makes about 0.5% of the population.
    if (m.age >= 18 && m.age <= 70 && rng_.permille(8)) {
      static constexpr std::array<const char*, 5> kClasses = {
          "key_person:drug", "key_person:released_prisoner", "key_person:under_supervision",
          "key_person:mental_illness", "key_person:petition"};
      p.tags.push_back(kClasses[rng_.weighted({30, 25, 20, 15, 10})]);
      p.note = "重点人员，社区民警定期走访";
    }
    if (rng_.permille(12)) p.tags.push_back("disabled");
    if (m.male && m.age >= 40 && rng_.permille(25)) p.tags.push_back("veteran");
    if (m.age >= 18 && rng_.permille(15)) p.tags.push_back("low_income");
  }

  Member adult(int lo, int hi, bool male) { return {rng_.uniformInt(lo, hi), male}; }

  Member spouseOf(const Member& head) {
    return {std::max(20, head.age + rng_.uniformInt(-5, 3)), !head.male};
  }

  Member childOf(int parent_age) {
    return {std::max(0, parent_age - rng_.uniformInt(23, 34)), rng_.permille(510)};
  }

  Member youngerSibling(const Member& child) {
    return {std::max(0, child.age - rng_.uniformInt(2, 8)), rng_.permille(510)};
  }

  Member grandparentOf(int parent_age) {
    return {std::min(95, parent_age + rng_.uniformInt(24, 32)), rng_.permille(450)};
  }

  // A household as it is usually found: couples with children, three generations, elderly couples,
  // and the elderly living alone (who are tagged, because the alert rules watch them).
  std::vector<Member> drawHousehold() {
    std::vector<Member> h;
    const bool head_male = rng_.permille(700);
    switch (rng_.weighted({15, 28, 30, 16, 11})) {
      case 0:
        switch (rng_.weighted({35, 45, 20})) {
          case 0: {
            Member m = adult(65, 92, rng_.permille(350));
            m.elderly_alone = true;
            h.push_back(m);
            break;
          }
          case 1:
            h.push_back(adult(22, 45, rng_.permille(550)));
            break;
          default:
            h.push_back(adult(46, 64, rng_.permille(500)));
        }
        break;
      case 1:
        switch (rng_.weighted({40, 35, 15, 7, 3})) {
          case 0:
            h.push_back(adult(60, 85, head_male));
            h.push_back(spouseOf(h[0]));
            break;
          case 1:
            h.push_back(adult(25, 40, head_male));
            h.push_back(spouseOf(h[0]));
            break;
          case 2:
            h.push_back(adult(41, 59, head_male));
            h.push_back(spouseOf(h[0]));
            break;
          case 3:
            h.push_back(adult(28, 50, rng_.permille(250)));
            h.push_back(childOf(h[0].age));
            break;
          default:
            h.push_back(adult(58, 75, rng_.permille(400)));
            h.push_back({rng_.uniformInt(4, 15), rng_.permille(510), false, true});
        }
        break;
      case 2:
        switch (rng_.weighted({75, 15, 10})) {
          case 0:
            h.push_back(adult(27, 50, head_male));
            h.push_back(spouseOf(h[0]));
            h.push_back(childOf(h[0].age));
            break;
          case 1:
            h.push_back(adult(52, 68, head_male));
            h.push_back(spouseOf(h[0]));
            h.push_back({std::max(18, h[0].age - rng_.uniformInt(23, 33)), rng_.permille(510)});
            break;
          default:
            h.push_back(adult(58, 75, head_male));
            h.push_back(spouseOf(h[0]));
            h.push_back({rng_.uniformInt(4, 15), rng_.permille(510), false, true});
        }
        break;
      case 3:
        h.push_back(adult(28, 50, head_male));
        h.push_back(spouseOf(h[0]));
        h.push_back(childOf(h[0].age));
        if (rng_.permille(500)) {
          h.push_back(youngerSibling(h[2]));
        } else {
          h.push_back(grandparentOf(h[0].age));
        }
        break;
      default:
        h.push_back(adult(30, 46, head_male));
        h.push_back(spouseOf(h[0]));
        h.push_back(childOf(h[0].age));
        if (rng_.permille(600)) {
          h.push_back(grandparentOf(h[0].age));
          h.push_back(spouseOf(h[3]));
        } else {
          h.push_back(youngerSibling(h[2]));
          h.push_back(grandparentOf(h[0].age));
        }
    }
    return h;
  }

  Origin ownerOrigin() {
    switch (rng_.weighted({85, 10, 5})) {
      case 0:
        return Origin::kLocal;
      case 1:
        return Origin::kHebei;
      default:
        return Origin::kElsewhere;
    }
  }

  void addResidence(int person, int room, const char* relation, sys_days moved_in,
                    std::string moved_out = {}) {
    d_.residences.push_back({person, room, relation, isoDate(moved_in), std::move(moved_out)});
  }

  // Fills `room` with an owner-occupying family; returns how many persons it used.
  int planOwnerHousehold(int e, int room, int budget) {
    EstateWork& w = work_[static_cast<std::size_t>(e)];
    std::vector<Member> members = drawHousehold();
    if (static_cast<int>(members.size()) > budget) members.resize(static_cast<std::size_t>(budget));
    const Origin origin = ownerOrigin();
    const sys_days built = sys_days{
        year_month_day{std::chrono::year{w.built_year}, std::chrono::January, std::chrono::day{1}}};
    const sys_days latest = today_ - days{30};
    sys_days owner_in = latest;
    Household household{room, {}};
    for (std::size_t i = 0; i < members.size(); ++i) {
      const Member& m = members[i];
      // Family members share the owner's origin; a grandparent or a spouse sometimes does not.
      const Origin o = i == 0 || rng_.permille(800) ? origin : ownerOrigin();
      // A household registered here has its 户口 at this address, wherever its members were born.
      const int person =
          addPerson(e, m, o, "registered", room_addresses_[static_cast<std::size_t>(room)]);
      const sys_days born = births_[static_cast<std::size_t>(person)];
      if (i == 0) {
        // The owner bought the flat as an adult, at some time after the estate was built.
        const sys_days earliest = std::min(latest, std::max(built, born + days{18 * 365 + 5}));
        owner_in =
            earliest + days{rng_.uniformInt(0, static_cast<int>((latest - earliest).count()))};
      }
      const sys_days moved_in = i == 0 ? owner_in : std::max(owner_in, born);
      addResidence(person, room, i == 0 ? "owner" : "family", moved_in);
      household.members.push_back(person);
      w.residents.push_back(person);
    }
    w.households.push_back(std::move(household));
    return static_cast<int>(members.size());
  }

  // Lets `room` out; returns how many persons it used (tenants and perhaps a new landlord).
  int planRental(int e, int room, int budget, bool commercial) {
    EstateWork& w = work_[static_cast<std::size_t>(e)];
    int used = 0;
    int landlord = -1;
    // Half the landlords own a second flat in the same estate; the rest live elsewhere.
    if (!w.households.empty() && (rng_.permille(500) || budget < 2)) {
      landlord = rng_.pick(w.households).members[0];
    } else if (budget >= 2) {
      const Member m = adult(35, 70, rng_.permille(550));
      landlord = addPerson(e, m, Origin::kLocal, "registered", streetAddress());
      ++used;
    } else {
      return 0;
    }

    RentalPlan rental;
    rental.room = room;
    rental.landlord = landlord;
    int tenants;
    if (commercial) {
      rental.purpose = "commercial";
      // A shopkeeper sleeping in the shop is the 三合一 hazard inspections look for.
      tenants = static_cast<int>(rng_.weighted({70, 20, 10}));
    } else if (rng_.permille(150)) {
      rental.purpose = "group";
      tenants = rng_.uniformInt(4, 8);
    } else {
      rental.purpose = "residential";
      tenants = 1 + static_cast<int>(rng_.weighted({35, 40, 25}));
    }
    tenants = std::min(tenants, budget - used);

    const bool ended = rng_.permille(100);
    sys_days registered =
        today_ - days{ended ? rng_.uniformInt(400, 1500) : rng_.uniformInt(20, 700)};
    int term_years = 1;
    while (!ended && registered + days{365 * term_years} <= today_) ++term_years;
    const sys_days until = registered + days{365 * term_years};
    rental.status = ended ? "ended" : "active";
    rental.registered_on = isoDate(registered);
    rental.contract_until = isoDate(until);
    rental.tenant_count = tenants;

    const Origin origin = rng_.permille(450)   ? Origin::kElsewhere
                          : rng_.permille(500) ? Origin::kHebei
                                               : Origin::kLocal;
    for (int t = 0; t < tenants; ++t) {
      const Member m = adult(18, rental.purpose == "residential" ? 60 : 40, rng_.permille(550));
      const Origin o = t == 0 || rng_.permille(700) ? origin : ownerOrigin();
      const int person =
          addPerson(e, m, o, o == Origin::kElsewhere ? "floating" : "tenant", std::string{});
      addResidence(person, room, "tenant", registered, ended ? isoDate(until) : std::string{});
      if (!ended) {
        w.residents.push_back(person);
        if (t == 0) w.tenant_households.push_back(person);
      }
    }
    d_.rentals.push_back(std::move(rental));
    return used + tenants;
  }

  void planPopulation() {
    const int visitors = options_.persons / 100;
    const int resident_budget = options_.persons - visitors;
    const int total_rooms = static_cast<int>(d_.rooms.size());
    int assigned = 0;
    for (std::size_t e = 0; e < work_.size(); ++e) {
      EstateWork& w = work_[e];
      w.person_budget = e + 1 == work_.size()
                            ? resident_budget - assigned
                            : static_cast<int>(static_cast<int64_t>(resident_budget) *
                                               static_cast<int64_t>(w.rooms.size()) / total_rooms);
      assigned += w.person_budget;
    }

    int extra_visitors = 0;
    for (std::size_t e = 0; e < work_.size(); ++e) {
      EstateWork& w = work_[e];
      int budget = w.person_budget;
      std::vector<int> order = w.rooms;
      rng_.shuffle(order);
      for (int room : order) {
        if (budget == 0) break;
        const int estate = static_cast<int>(e);
        if (d_.rooms[static_cast<std::size_t>(room)].use == "commercial") {
          if (rng_.permille(500)) budget -= planRental(estate, room, budget, true);
          continue;
        }
        const int roll = rng_.uniformInt(0, 999);
        if (roll < 60) continue;  // vacant (空置房)
        if (roll < 60 + 75) {
          budget -= planRental(estate, room, budget, false);
          continue;
        }
        budget -= planOwnerHousehold(estate, room, budget);
      }
      // Rooms ran out before the people did: the rest are registered as visitors.
      extra_visitors += budget;
    }

    for (int v = 0; v < visitors + extra_visitors; ++v) {
      const int e = rng_.uniformInt(0, static_cast<int>(work_.size()) - 1);
      const Origin origin = rng_.permille(400)   ? Origin::kLocal
                            : rng_.permille(500) ? Origin::kHebei
                                                 : Origin::kElsewhere;
      const int person =
          addPerson(e, adult(18, 75, rng_.permille(500)), origin, "visitor", std::string{});
      static constexpr std::array<const char*, 4> kReasons = {"探亲访友", "装修施工", "快递外卖",
                                                              "家政服务"};
      auto& note = d_.persons[static_cast<std::size_t>(person)].note;
      if (note.empty()) {
        note = std::string("访客登记：") + rng_.pick(std::span<const char* const>(kReasons));
      }
    }
  }

  // --- premises and inspections ---------------------------------------------------------------

  void planPremises(int e) {
    const EstateWork& w = work_[static_cast<std::size_t>(e)];
    const EstatePlan& estate = d_.estates[static_cast<std::size_t>(e)];
    // Open estates mostly have no property management (无物业); the rest have an office on site.
    if (estate.closure != "open") {
      d_.premises.push_back({.name = estate.name + "物业服务中心",
                             .kind = "company",
                             .three_smalls = "none",
                             .address = estate.address + estate.name + "物业楼",
                             .licence_no = makeCreditCode(rng_, "130302", false),
                             .contact_name = randomAdultName(),
                             .contact_phone = uniquePhone(),
                             .estate = e});
    }
    const int shops = w.old ? rng_.uniformInt(2, 5) : rng_.uniformInt(1, 3);
    std::vector<int> weights;
    for (const auto& k : premisesKinds()) weights.push_back(k.weight);
    for (int s = 0; s < shops; ++s) {
      const PremisesKind& kind = premisesKinds()[rng_.weighted(weights)];
      const bool small = kind.three_smalls != "none";
      // A quarter of the three smalls trade without a licence; that is what inspections find.
      const bool licensed = !small || rng_.permille(750);
      const Gate& gate = rng_.pick(w.gates);
      PremisesPlan p;
      p.name = std::string(rng_.pick(shopPrefixes())) + std::string(kind.suffix);
      p.kind = kind.kind;
      p.three_smalls = kind.three_smalls;
      p.address = estate.address + estate.name + gate.name +
                  (rng_.permille(500) ? "东侧" : "西侧") + "临街" + std::to_string(s + 1) + "号";
      if (licensed) p.licence_no = makeCreditCode(rng_, "130302", small || kind.kind == "shop");
      p.contact_name = randomAdultName();
      p.contact_phone = uniquePhone();
      p.estate = e;
      d_.premises.push_back(std::move(p));
    }
  }

  std::string inspectorFor(int estate) {
    const int community = d_.estates[static_cast<std::size_t>(estate)].region;
    // Grid workers do most inspections; the street's police officer joins some.
    if (rng_.permille(750)) return staff_names_[static_cast<std::size_t>(community)];
    const int street = d_.regions[static_cast<std::size_t>(community)].parent;
    return staff_names_[static_cast<std::size_t>(street)];
  }

  void addInspection(InspectionPlan plan, sys_days on, int fail_weight, int rectify_weight,
                     std::span<const std::string_view> findings,
                     std::span<const std::string_view> failures) {
    plan.inspected_on = isoDate(on);
    switch (rng_.weighted({100 - fail_weight - rectify_weight, rectify_weight, fail_weight})) {
      case 0:
        plan.result = "pass";
        plan.findings = "检查未发现问题";
        break;
      case 1: {
        plan.result = "rectify";
        plan.findings = rng_.pick(findings);
        const sys_days by = on + days{rng_.uniformInt(7, 30)};
        plan.rectify_by = isoDate(by);
        const sys_days done = by - days{rng_.uniformInt(0, 6)};
        if (done <= today_ && rng_.permille(850)) plan.rectified_on = isoDate(done);
        break;
      }
      default: {
        plan.result = "fail";
        plan.findings = rng_.pick(failures);
        const sys_days by = on + days{15};
        plan.rectify_by = isoDate(by);
        const sys_days done = by + days{rng_.uniformInt(0, 20)};
        if (done <= today_ && rng_.permille(500)) plan.rectified_on = isoDate(done);
      }
    }
    d_.inspections.push_back(std::move(plan));
  }

  void planInspections() {
    for (std::size_t r = 0; r < d_.rentals.size(); ++r) {
      if (!rng_.permille(700)) continue;
      const RentalPlan& rental = d_.rentals[r];
      const int estate = d_.buildings[static_cast<std::size_t>(
                                          d_.rooms[static_cast<std::size_t>(rental.room)].building)]
                             .estate;
      const sys_days registered = parseDate(rental.registered_on);
      const int fail = rental.purpose == "group" ? 30 : 4;
      const int rectify = rental.purpose == "group" ? 40 : 20;
      // An ended tenancy was inspected while it lasted.
      const sys_days last = rental.status == "ended" ? parseDate(rental.contract_until) : today_;
      sys_days on = std::min(last, registered + days{rng_.uniformInt(3, 60)});
      const int visits = rng_.uniformInt(1, 2);
      for (int v = 0; v < visits && on <= last; ++v) {
        InspectionPlan plan;
        plan.rental = static_cast<int>(r);
        plan.inspector = inspectorFor(estate);
        addInspection(std::move(plan), on, fail, rectify, rentalFindings(), rentalFailures());
        on += days{rng_.uniformInt(60, 240)};
      }
    }
    for (std::size_t p = 0; p < d_.premises.size(); ++p) {
      const PremisesPlan& premises = d_.premises[p];
      const bool unlicensed = premises.licence_no.empty();
      const int fail = unlicensed ? 30 : 5;
      const int rectify = unlicensed ? 50 : 22;
      sys_days on = today_ - days{rng_.uniformInt(200, 540)};
      const int visits = rng_.uniformInt(1, 3);
      for (int v = 0; v < visits && on <= today_; ++v) {
        InspectionPlan plan;
        plan.premises = static_cast<int>(p);
        plan.inspector = inspectorFor(premises.estate);
        addInspection(std::move(plan), on, fail, rectify, premisesFindings(), premisesFailures());
        on += days{rng_.uniformInt(60, 200)};
      }
    }
  }

  static sys_days parseDate(const std::string& iso) {
    return sys_days{std::chrono::year{std::stoi(iso.substr(0, 4))} /
                    std::chrono::month{static_cast<unsigned>(std::stoi(iso.substr(5, 2)))} /
                    std::chrono::day{static_cast<unsigned>(std::stoi(iso.substr(8, 2)))}};
  }

  // --- vehicles -------------------------------------------------------------------------------

  void addVehicle(int estate, int person, std::string_view prefix, const char* kind) {
    const bool new_energy = rng_.permille(180);
    std::string plate = makePlate(rng_, prefix, new_energy);
    while (!plates_.insert(plate).second) plate = makePlate(rng_, prefix, new_energy);
    d_.vehicles.push_back({.plate = std::move(plate),
                           .plate_color = new_energy ? "green" : "blue",
                           .kind = kind,
                           .brand = std::string(new_energy ? rng_.pick(newEnergyCarBrands())
                                                           : rng_.pick(carBrands())),
                           .colour = std::string(carColour(rng_)),
                           .person = person,
                           .estate = estate});
  }

  void planVehicles(int e) {
    const EstateWork& w = work_[static_cast<std::size_t>(e)];
    for (const Household& h : w.households) {
      // The driver is the owner or, in a couple, sometimes the spouse.
      int driver = h.members[0];
      if (h.members.size() > 1 && ages_[static_cast<std::size_t>(h.members[1])] >= 20 &&
          rng_.permille(350)) {
        driver = h.members[1];
      }
      const int age = ages_[static_cast<std::size_t>(driver)];
      if (age < 20 || age > 78 || !rng_.permille(age >= 65 ? 180 : 420)) continue;
      addVehicle(e, driver, "冀C", "resident");
      if (rng_.permille(70)) addVehicle(e, driver, "冀C", "resident");
    }
    for (int tenant : w.tenant_households) {
      if (rng_.permille(150)) addVehicle(e, tenant, "冀C", "resident");
    }
    const int visiting = rng_.uniformInt(1, 4);
    for (int v = 0; v < visiting; ++v) {
      addVehicle(e, -1, rng_.permille(500) ? "冀C" : rng_.pick(visitingPlatePrefixes()),
                 "temporary");
    }
  }

  // --- devices --------------------------------------------------------------------------------

  struct DeviceFactory {
    Planner& planner;
    int estate;
    std::vector<std::pair<std::string, int>> counters;
    std::vector<std::pair<std::string, std::string>> vendors;

    int& counter(const std::string& slug) {
      for (auto& [name, n] : counters) {
        if (name == slug) return n;
      }
      counters.emplace_back(slug, 0);
      return counters.back().second;
    }

    // An estate buys each kind of device from one vendor.
    const std::string& vendor(const std::string& kind) {
      for (const auto& [k, v] : vendors) {
        if (k == kind) return v;
      }
      vendors.emplace_back(kind, std::string(planner.rng_.pick(deviceVendors(kind))));
      return vendors.back().second;
    }

    int add(const std::string& kind, const std::string& slug, std::string name,
            std::string position, std::string direction, int x, int y, int building = -1) {
      const std::string id = planner.d_.estates[static_cast<std::size_t>(estate)].code + "-" +
                             slug + "-" + padded(++counter(slug), 2);
      planner.d_.devices.push_back({.id = id,
                                    .name = std::move(name),
                                    .kind = kind,
                                    .position = std::move(position),
                                    .direction = std::move(direction),
                                    .vendor = vendor(kind),
                                    .estate = estate,
                                    .building = building,
                                    .plan_x = x,
                                    .plan_y = y});
      return static_cast<int>(planner.d_.devices.size()) - 1;
    }
  };

  std::pair<int, int> perimeterPoint(const EstatePlan& estate) {
    const int w = estate.plan_width, h = estate.plan_height;
    switch (rng_.uniformInt(0, 3)) {
      case 0:
        return {rng_.uniformInt(0, w), 0};
      case 1:
        return {w, rng_.uniformInt(0, h)};
      case 2:
        return {rng_.uniformInt(0, w), h};
      default:
        return {0, rng_.uniformInt(0, h)};
    }
  }

  // Fits the estate as its tier requires: 达标 has gate doors, barriers, cameras and emergency
  // buttons; 提高 adds face capture at the gates, unit doors, perimeter sensors and fire
  // monitoring; 示范 adds high-altitude-throwing cameras on tall buildings and gate displays.
  void planDevices(int e) {
    EstateWork& w = work_[static_cast<std::size_t>(e)];
    const EstatePlan& estate = d_.estates[static_cast<std::size_t>(e)];
    const bool enhanced = estate.tier != "standard";
    const bool demonstration = estate.tier == "demonstration";
    DeviceFactory f{*this, e, {}, {}};

    for (const Gate& gate : w.gates) {
      w.access_devices.push_back(
          f.add("door", "door", gate.name + "人行门禁", "gate", "both", gate.x, gate.y));
      if (gate.vehicles) {
        w.access_devices.push_back(
            f.add("barrier", "barrier", gate.name + "车辆道闸", "gate", "both", gate.x, gate.y));
      }
      f.add("camera", "cam", gate.name + "监控", "gate", "", gate.x, gate.y);
      if (enhanced) {
        f.add("face_camera", "face", gate.name + "人脸抓拍", "gate", "in", gate.x, gate.y);
      }
      if (demonstration) {
        f.add("display", "display", gate.name + "信息发布屏", "gate", "", gate.x, gate.y);
      }
    }
    const int cameras = 2 + std::min(6, static_cast<int>(w.buildings.size()) / 6);
    for (int c = 1; c <= cameras; ++c) {
      const int x = rng_.uniformInt(10, estate.plan_width - 10);
      const int y = rng_.uniformInt(10, estate.plan_height - 10);
      f.add("camera", "cam", numbered("园区监控", c), "point", "", x, y);
    }
    const int buttons = 1 + (w.buildings.size() > 10 ? 1 : 0);
    for (int s = 1; s <= buttons; ++s) {
      const int x = estate.plan_width / 2 + rng_.uniformInt(-20, 20);
      const int y = estate.plan_height / 2 + rng_.uniformInt(-20, 20);
      f.add("sos_button", "sos", numbered("一键报警柱", s), "point", "", x, y);
    }
    if (enhanced && estate.closure != "open") {
      const int zones = rng_.uniformInt(4, 8);
      for (int z = 1; z <= zones; ++z) {
        const auto [x, y] = perimeterPoint(estate);
        f.add("fence", "fence", numbered("周界防区", z), "point", "", x, y);
      }
    }
    for (int b : w.buildings) {
      const BuildingPlan& building = d_.buildings[static_cast<std::size_t>(b)];
      if (enhanced) {
        for (int u : units_of_building_[static_cast<std::size_t>(b)]) {
          w.access_devices.push_back(f.add(
              "door", "door", building.name + d_.units[static_cast<std::size_t>(u)].name + "门禁",
              "unit", "both", building.plan_x, building.plan_y, b));
        }
        if (rng_.permille(500)) {
          f.add("smoke", "smoke", building.name + "烟感", "building", "", building.plan_x,
                building.plan_y, b);
        }
        // Electric bikes charged indoors are the commonest cause of fires in residential blocks.
        if (rng_.permille(350)) {
          f.add("electrical", "elec", building.name + "电气火灾监测", "building", "",
                building.plan_x, building.plan_y, b);
        }
      }
      if (demonstration && building.floors >= 7) {
        f.add("throwing_camera", "throw", building.name + "高空抛物监控", "building", "",
              building.plan_x, building.plan_y, b);
      }
    }
  }

  // --- credentials, access groups, grids ----------------------------------------------------

  std::vector<double> faceEmbedding() {
    std::vector<double> v(kEmbeddingSize);
    double norm = 0;
    for (double& x : v) {
      x = rng_.normal();
      // Two statements, so that no compiler fuses them into an FMA and rounds differently.
      const double square = x * x;
      norm += square;
    }
    norm = std::sqrt(norm);
    // Five decimals keep the JSON short; the norm stays within 1e-4 of one.
    for (double& x : v) x = std::round(x / norm * 1e5) / 1e5;
    return v;
  }

  void planCredentials() {
    int faces = 0;
    for (std::size_t e = 0; e < work_.size(); ++e) {
      const EstatePlan& estate = d_.estates[e];
      if (estate.tier == "standard") continue;
      const int face_permille = estate.tier == "demonstration" ? 350 : 120;
      for (int person : work_[e].residents) {
        if (ages_[static_cast<std::size_t>(person)] < 12) continue;
        if (rng_.permille(850)) {
          std::string card = makeCardNumber(rng_);
          while (!cards_.insert(card).second) card = makeCardNumber(rng_);
          d_.credentials.push_back({person, "card", std::move(card), {}});
        }
        if (faces < options_.max_face_credentials && rng_.permille(face_permille)) {
          d_.credentials.push_back({person, "face", {}, faceEmbedding()});
          ++faces;
        }
      }
    }
  }

  void planAccessGroupsAndGrids() {
    for (std::size_t e = 0; e < work_.size(); ++e) {
      const EstateWork& w = work_[e];
      const EstatePlan& estate = d_.estates[e];
      d_.access_groups.push_back(
          {estate.name + "全体住户", static_cast<int>(e), w.access_devices, w.residents});
      const int n = static_cast<int>(w.buildings.size());
      const int grids = n <= 4 ? 1 : n <= 10 ? 2 : 3;
      for (int g = 0; g < grids; ++g) {
        GridPlan grid;
        grid.name = grids == 1 ? estate.name + "网格" : estate.name + numbered("第", g + 1, "网格");
        grid.estate = static_cast<int>(e);
        for (int b = g * n / grids; b < (g + 1) * n / grids; ++b) {
          grid.buildings.push_back(w.buildings[static_cast<std::size_t>(b)]);
        }
        d_.grids.push_back(std::move(grid));
      }
    }
  }

  // --- departments and users -----------------------------------------------------------------

  // A street's stations carry its name without 街道: 文化路街道 has 文化路派出所.
  static std::string streetPrefix(const std::string& street) {
    constexpr std::string_view kSuffix = "街道";
    return street.ends_with(kSuffix) ? street.substr(0, street.size() - kSuffix.size()) : street;
  }

  void planDepartments() {
    for (std::string_view name : districtDepartments()) {
      d_.departments.push_back({std::string(name), district_});
    }
    for (int street : streets_) {
      const std::string prefix = streetPrefix(d_.regions[static_cast<std::size_t>(street)].name);
      for (std::string_view suffix : streetDepartmentSuffixes()) {
        d_.departments.push_back({prefix + std::string(suffix), street});
      }
    }
  }

  int departmentNamed(const std::string& name) const {
    for (std::size_t i = 0; i < d_.departments.size(); ++i) {
      if (d_.departments[i].name == name) return static_cast<int>(i);
    }
    return -1;
  }

  UserPlan& addUser(std::string username, std::string role, int region, std::string display_name) {
    d_.users.push_back({.username = std::move(username),
                        .password = makePassword(passwords_),
                        .display_name = std::move(display_name),
                        .roles = {std::move(role)},
                        .region = region});
    return d_.users.back();
  }

  void planUsers() {
    addUser("police_haigang", "police", district_, randomAdultName());
    const std::string housing(districtDepartments().front());
    addUser("department_haigang", "department", district_, housing).department =
        departmentNamed(housing);
    addUser("admin_haigang", "admin", district_, "海港区综治中心");
    for (int street : streets_) {
      const RegionPlan& region = d_.regions[static_cast<std::size_t>(street)];
      addUser("police_" + region.code, "police", street,
              staff_names_[static_cast<std::size_t>(street)]);
      addUser("mediator_" + region.code, "mediator", street, randomAdultName());
    }
    // One street's city-management squad logs in too, so that joint handling (吹哨报到) has a
    // street-level department to show.
    const RegionPlan& first_street = d_.regions[static_cast<std::size_t>(streets_.front())];
    const std::string squad =
        streetPrefix(first_street.name) + std::string(streetDepartmentSuffixes().front());
    addUser("department_" + first_street.code, "department", streets_.front(), squad).department =
        departmentNamed(squad);
    for (int community : communities_) {
      const RegionPlan& region = d_.regions[static_cast<std::size_t>(community)];
      addUser("grid_" + region.code, "grid_worker", community,
              staff_names_[static_cast<std::size_t>(community)]);
    }
    // Region scope stops at communities, so an estate's guards see their estate's community.
    for (const EstatePlan& estate : d_.estates) {
      addUser("security_" + estate.code, "security", estate.region, estate.name + "保安");
    }
    const EstateWork& first = work_.front();
    const int resident = first.households.empty() ? -1 : first.households.front().members[0];
    const std::string resident_name =
        resident < 0 ? randomAdultName() : d_.persons[static_cast<std::size_t>(resident)].name;
    addUser("resident_demo", "resident", d_.estates.front().region, resident_name).person =
        resident;
  }
};

}  // namespace

District planDistrict(const DemoOptions& options) {
  return Planner(options).run();
}

}  // namespace anju::demo
