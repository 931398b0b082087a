// The registry's entities (SPEC §2). Field names are the REST API's; labels are the headings that
// offices use in their spreadsheets.
#include <fmt/format.h>

#include "domain/entity.h"
#include "domain/entity_fields.h"
#include "domain/id_number.h"
#include "domain/phone.h"
#include "domain/plate.h"
#include "domain/roles.h"

namespace anju::domain {

namespace {

using nlohmann::json;
using namespace fields;

const std::vector<std::string> kRegistryEditors = {"grid_worker", "police", "admin"};
const std::vector<std::string> kDeviceEditors = {"security", "admin"};

Status normalizeIdNumber(std::string& value) {
  auto parsed = parseIdNumber(value);
  if (!parsed) return parsed.status();
  value = parsed->normalized;
  return {};
}

Status normalizePlateText(std::string& value) {
  auto parsed = parsePlate(value);
  if (!parsed) return parsed.status();
  value = parsed->normalized;
  return {};
}

Status normalizePhoneField(std::string& value, const std::string& field) {
  auto parsed = normalizePhone(value);
  if (!parsed) return Status::invalid(field, parsed.status().message());
  value = *parsed;
  return {};
}

// Gender and birth date follow from an ID number; a contradicting gender entered with a new person
// is a data-entry error. On update the stored gender was derived from the old number, so a
// corrected number must replace it rather than be refused for contradicting it.
Status completePerson(json& record, bool creating) {
  if (!present(record, "id_number")) return {};
  auto id = parseIdNumber(record["id_number"].get<std::string>());
  if (!id) return id.status();
  std::string gender = id->male ? "male" : "female";
  if (creating && present(record, "gender") && record["gender"] != gender) {
    return Status::invalid("gender", "性别与身份证号码不符 (gender contradicts the ID number)");
  }
  record["gender"] = gender;
  const auto& b = id->birth_date;
  record["birth_date"] =
      fmt::format("{:04}-{:02}-{:02}", static_cast<int>(b.year()), static_cast<unsigned>(b.month()),
                  static_cast<unsigned>(b.day()));
  return {};
}

Status completeRoom(json& record, bool) {
  if (present(record, "address_code")) return {};
  std::string unit = present(record, "unit_id")
                         ? fmt::format("U{:05}", record["unit_id"].get<int64_t>())
                         : "U00000";
  record["address_code"] = fmt::format("B{:07}{}R{}", record["building_id"].get<int64_t>(), unit,
                                       record["number"].get<std::string>());
  return {};
}

// A plan is a rectangle: one side without the other cannot be drawn.
Status completeEstate(json& record, bool) {
  if (present(record, "plan_width") != present(record, "plan_height")) {
    const char* missing = present(record, "plan_width") ? "plan_height" : "plan_width";
    return Status::invalid(
        missing, "平面图须同时给出宽和高 (give both plan_width and plan_height, or neither)");
  }
  return {};
}

Status completeInspection(json& record, bool) {
  if (present(record, "rental_id") == present(record, "premises_id")) {
    return Status::invalid(
        "rental_id",
        "须且只能指定出租屋或实有单位之一 (give exactly one of rental_id and premises_id)");
  }
  return {};
}

Status completeVehicle(json& record, bool) {
  if (!present(record, "plate_color")) {
    auto plate = parsePlate(record["plate"].get<std::string>());
    if (plate) record["plate_color"] = plate->default_color;
  }
  return {};
}

Status completeResidence(json& record, bool) {
  if (present(record, "moved_in") && present(record, "moved_out") &&
      record["moved_out"].get<std::string>() < record["moved_in"].get<std::string>()) {
    return Status::invalid("moved_out", "迁出日期早于迁入日期 (moved_out is before moved_in)");
  }
  return {};
}

Status completeAnnouncement(json& record, bool) {
  if (present(record, "valid_from") && present(record, "valid_to") &&
      record["valid_to"].get<int64_t>() < record["valid_from"].get<int64_t>()) {
    return Status::invalid("valid_to", "结束时间早于开始时间 (valid_to is before valid_from)");
  }
  return {};
}

std::vector<Choice> personTags() {
  return {{"key_person", "重点人员"},
          {"key_person:drug", "涉毒人员"},
          {"key_person:released_prisoner", "刑满释放人员"},
          {"key_person:under_supervision", "社区矫正人员"},
          {"key_person:mental_illness", "严重精神障碍患者"},
          {"key_person:petition", "重点信访人员"},
          {"elderly_alone", "独居老人"},
          {"disabled", "残疾人"},
          {"left_behind_child", "留守儿童"},
          {"veteran", "退役军人"},
          {"low_income", "低保户"}};
}

std::vector<EntitySpec> build() {
  std::vector<EntitySpec> r;

  r.push_back({.name = "regions",
               .label = "行政区划",
               .fields = {text("name", "名称", true),
                          enumOf("level", "层级",
                                 {{"city", "市"},
                                  {"district", "区"},
                                  {"county", "县"},
                                  {"street", "街道"},
                                  {"township", "乡镇"},
                                  {"community", "社区"},
                                  {"village", "村"}},
                                 true),
                          [] {
                            auto f = ref("parent_id", "regions", "上级");
                            f.immutable = true;
                            return f;
                          }(),
                          text("code", "区划代码", false, 32)},
               .scope_via = {"parent_id"},
               .read_roles = kStaff,
               .write_roles = {"admin"}});

  r.push_back(
      {.name = "estates",
       .label = "小区",
       .fields = {text("name", "小区名称", true), ref("region_id", "regions", "所属社区"),
                  text("address", "地址"),
                  enumOf("closure", "封闭类型",
                         {{"closed", "封闭式"}, {"semi_closed", "半封闭式"}, {"open", "开放式"}}),
                  enumOf("age", "新旧", {{"old", "老旧小区"}, {"new", "新建小区"}}),
                  enumOf("tier", "建设标准",
                         {{"standard", "达标"}, {"enhanced", "提高"}, {"demonstration", "示范"}}),
                  number("plan_width", FT::kReal, "平面图宽(米)", 1, 100000),
                  number("plan_height", FT::kReal, "平面图高(米)", 1, 100000),
                  text("code", "小区编码", false, 32)},
       .scope_via = {"region_id"},
       .read_roles = kStaff,
       .write_roles = {"admin", "grid_worker", "security"},
       .filters = {{"q", FT::kText, "name LIKE ?", true}},
       .complete = completeEstate});

  r.push_back({.name = "buildings",
               .label = "楼栋",
               .fields = {ref("estate_id", "estates", "小区", true), text("name", "楼栋", true),
                          number("floors", FT::kInteger, "层数", 1, 200), planX(), planY(),
                          text("code", "楼栋编码", false, 32)},
               .scope_via = {"estate_id"},
               .read_roles = kStaff,
               .write_roles = kRegistryEditors,
               .plan_estate = "estate_id"});

  r.push_back(
      {.name = "units",
       .label = "单元",
       .fields = {ref("building_id", "buildings", "楼栋", true), text("name", "单元", true)},
       .scope_via = {"building_id"},
       .read_roles = kStaff,
       .write_roles = kRegistryEditors});

  r.push_back(
      {.name = "rooms",
       .label = "房屋",
       .fields = {ref("building_id", "buildings", "楼栋", true), ref("unit_id", "units", "单元"),
                  text("number", "房号", true, 32), number("floor", FT::kInteger, "楼层", -10, 200),
                  number("area", FT::kReal, "面积", 0, 100000),
                  enumOf("use", "用途",
                         {{"residential", "住宅"},
                          {"commercial", "商铺"},
                          {"office", "办公"},
                          {"other", "其他"}}),
                  [] {
                    auto f = text("address_code", "标准地址编码", false, 64);
                    f.unique = true;
                    return f;
                  }()},
       .scope_via = {"building_id"},
       .read_roles = kStaff,
       .write_roles = kRegistryEditors,
       .filters = {{"estate_id", FT::kInteger,
                    "building_id IN (SELECT id FROM buildings WHERE estate_id = ?)"}},
       .complete = completeRoom});

  r.push_back(
      {.name = "persons",
       .label = "实有人口",
       .fields = {text("name", "姓名", true, 64),
                  [] {
                    auto f = text("id_number", "身份证号", false, 32);
                    f.unique = true;
                    f.personal = true;
                    f.normalize = normalizeIdNumber;
                    return f;
                  }(),
                  [] {
                    auto f = text("phone", "手机号", false, 32);
                    f.personal = true;
                    f.normalize = [](std::string& v) { return normalizePhoneField(v, "phone"); };
                    return f;
                  }(),
                  enumOf("gender", "性别", {{"male", "男"}, {"female", "女"}}),
                  [] {
                    auto f = ofType("birth_date", FT::kDate, "出生日期");
                    f.read_only = true;
                    return f;
                  }(),
                  enumOf("category", "人员类别",
                         {{"registered", "户籍"},
                          {"tenant", "租户"},
                          {"floating", "流动"},
                          {"visitor", "访客"}},
                         true),
                  [] {
                    FieldSpec f{.name = "tags", .type = FT::kList, .label = "标签"};
                    f.choices = personTags();
                    return f;
                  }(),
                  ref("estate_id", "estates", "小区"), ref("region_id", "regions", "所属区域"),
                  text("household_address", "户籍地址"), text("note", "备注", false, 1000)},
       .scope_via = {"estate_id", "region_id"},
       .read_roles = kStaff,
       .write_roles = kRegistryEditors,
       .personal_data = true,
       .filters =
           {{"tag", FT::kText,
             "id IN (SELECT object_id FROM links WHERE entity = 'persons' AND field = 'tags' AND "
             "value = ?)"},
            {"building_id", FT::kInteger,
             "id IN (SELECT r.person_id FROM residences r JOIN rooms m ON m.id = r.room_id WHERE "
             "m.building_id = ? AND r.moved_out IS NULL)"},
            {"room_id", FT::kInteger,
             "id IN (SELECT person_id FROM residences WHERE room_id = ? AND moved_out IS NULL)"},
            {"q", FT::kText, "name LIKE ?", true},
            {"id_number", FT::kText, "id_number = ?"},
            {"phone", FT::kText, "phone = ?"}},
       .complete = completePerson});

  r.push_back(
      {.name = "residences",
       .label = "人房关系",
       .fields = {ref("person_id", "persons", "人员", true), ref("room_id", "rooms", "房屋", true),
                  enumOf("relation", "关系",
                         {{"owner", "业主"}, {"family", "家属"}, {"tenant", "租户"}}, true),
                  ofType("moved_in", FT::kDate, "迁入日期"),
                  ofType("moved_out", FT::kDate, "迁出日期")},
       .scope_via = {"room_id"},
       .read_roles = kStaff,
       .write_roles = kRegistryEditors,
       .filters = {{"current", FT::kBoolean, "(moved_out IS NULL) = ?"}},
       .complete = completeResidence});

  r.push_back(
      {.name = "rentals",
       .label = "出租屋",
       .fields = {ref("room_id", "rooms", "房屋", true), ref("landlord_id", "persons", "房东"),
                  number("tenant_count", FT::kInteger, "租住人数", 0, 1000),
                  enumOf("purpose", "用途",
                         {{"residential", "居住"}, {"group", "群租"}, {"commercial", "经营"}}),
                  enumOf("status", "状态", {{"active", "在租"}, {"ended", "已退租"}}),
                  ofType("registered_on", FT::kDate, "登记日期"),
                  ofType("contract_until", FT::kDate, "合同到期")},
       .scope_via = {"room_id"},
       .read_roles = kStaff,
       .write_roles = kRegistryEditors});

  r.push_back(
      {.name = "premises",
       .label = "实有单位",
       .fields = {text("name", "单位名称", true),
                  enumOf("kind", "类型",
                         {{"shop", "商铺"},
                          {"restaurant", "餐饮"},
                          {"workshop", "作坊"},
                          {"entertainment", "娱乐场所"},
                          {"company", "企业"},
                          {"warehouse", "仓库"},
                          {"other", "其他"}},
                         true),
                  enumOf("three_smalls", "三小场所",
                         {{"none", "否"},
                          {"small_stall", "小档口"},
                          {"small_workshop", "小作坊"},
                          {"small_entertainment", "小娱乐"}}),
                  ref("estate_id", "estates", "小区"), ref("region_id", "regions", "所属区域"),
                  text("address", "地址"), text("licence_no", "营业执照号", false, 64),
                  text("contact_name", "联系人", false, 64),
                  [] {
                    auto f = text("contact_phone", "联系电话", false, 32);
                    f.personal = true;
                    f.normalize = [](std::string& v) {
                      return normalizePhoneField(v, "contact_phone");
                    };
                    return f;
                  }()},
       .scope_via = {"estate_id", "region_id"},
       .read_roles = kStaff,
       .write_roles = kRegistryEditors,
       .filters = {{"q", FT::kText, "name LIKE ?", true}}});

  r.push_back(
      {.name = "inspections",
       .label = "检查记录",
       .fields = {ref("rental_id", "rentals", "出租屋"), ref("premises_id", "premises", "实有单位"),
                  text("inspector", "检查人", false, 64),
                  ofType("inspected_on", FT::kDate, "检查日期", true),
                  enumOf("result", "结果",
                         {{"pass", "合格"}, {"rectify", "限期整改"}, {"fail", "不合格"}}, true),
                  text("findings", "发现问题", false, 2000),
                  ofType("rectify_by", FT::kDate, "整改期限"),
                  ofType("rectified_on", FT::kDate, "整改完成日期")},
       .scope_via = {"rental_id", "premises_id"},
       .read_roles = kStaff,
       .write_roles = kRegistryEditors,
       .complete = completeInspection});

  r.push_back(
      {.name = "vehicles",
       .label = "车辆",
       .fields = {[] {
                    auto f = text("plate", "车牌号", true, 16);
                    f.unique = true;
                    f.normalize = normalizePlateText;
                    return f;
                  }(),
                  enumOf("plate_color", "号牌颜色",
                         {{"blue", "蓝"},
                          {"yellow", "黄"},
                          {"green", "绿"},
                          {"yellow_green", "黄绿"},
                          {"white", "白"},
                          {"black", "黑"}}),
                  ref("person_id", "persons", "车主"), ref("estate_id", "estates", "小区"),
                  enumOf("kind", "类别", {{"resident", "业主车辆"}, {"temporary", "临时车辆"}}),
                  text("brand", "品牌", false, 64), text("colour", "车身颜色", false, 32)},
       .scope_via = {"estate_id", "person_id"},
       .read_roles = kStaff,
       .write_roles = {"security", "grid_worker", "police", "admin"},
       .filters = {{"plate", FT::kText, "plate = ?"}},
       .complete = completeVehicle});

  r.push_back(
      {.name = "devices",
       .label = "设备",
       .text_id = true,
       .fields = {
           text("name", "设备名称", true),
           [] {
             auto f = enumOf("kind", "设备类型",
                             {{"camera", "摄像机"},
                              {"face_camera", "人脸抓拍机"},
                              {"door", "门禁"},
                              {"barrier", "道闸"},
                              {"fence", "周界报警"},
                              {"sos_button", "一键报警"},
                              {"smoke", "烟感"},
                              {"electrical", "电气火灾监测"},
                              {"throwing_camera", "高空抛物摄像机"},
                              {"display", "门口屏"}},
                             true);
             f.immutable = true;
             return f;
           }(),
           ref("estate_id", "estates", "小区", true), ref("building_id", "buildings", "楼栋"),
           enumOf("position", "位置",
                  {{"gate", "大门"}, {"building", "楼栋"}, {"unit", "单元"}, {"point", "点位"}}),
           enumOf("direction", "方向", {{"in", "进"}, {"out", "出"}, {"both", "进出"}}), planX(),
           planY(), text("vendor", "厂商", false, 64),
           [] {
             auto f = ofType("online", FT::kBoolean, "在线");
             f.read_only = true;
             return f;
           }(),
           [] {
             auto f = ofType("last_seen", FT::kTimestamp, "最后在线");
             f.read_only = true;
             return f;
           }(),
           [] {
             auto f = text("secret", "签名密钥", false, 128);
             f.secret = true;
             return f;
           }()},
       .scope_via = {"estate_id"},
       .read_roles = kStaff,
       .write_roles = kDeviceEditors,
       .plan_estate = "estate_id"});

  r.push_back(
      {.name = "credentials",
       .label = "凭证",
       .fields = {ref("person_id", "persons", "人员", true),
                  enumOf("type", "凭证类型",
                         {{"face", "人脸"}, {"card", "门禁卡"}, {"pin", "密码"}, {"qr", "二维码"}},
                         true),
                  [] {
                    auto f = text("value", "卡号/密码", false, 64);
                    f.personal = true;
                    return f;
                  }(),
                  ofType("embedding", FT::kEmbedding, "人脸特征"),
                  ofType("valid_from", FT::kTimestamp, "生效时间"),
                  ofType("valid_to", FT::kTimestamp, "失效时间")},
       .scope_via = {"person_id"},
       .read_roles = {"police", "security", "admin"},
       .write_roles = kDeviceEditors,
       .filters = {{"value", FT::kText, "value = ?"}}});

  r.push_back({.name = "access_groups",
               .label = "门禁权限组",
               .fields = {text("name", "名称", true), ref("estate_id", "estates", "小区", true),
                          refList("device_ids", "devices", "门禁设备"),
                          refList("person_ids", "persons", "人员")},
               .scope_via = {"estate_id"},
               .read_roles = {"police", "security", "admin"},
               .write_roles = kDeviceEditors,
               .filters = {{"device_id", FT::kText,
                            "id IN (SELECT object_id FROM links WHERE entity = 'access_groups' AND "
                            "field = 'device_ids' AND value = ?)"},
                           {"person_id", FT::kText,
                            "id IN (SELECT object_id FROM links WHERE entity = 'access_groups' AND "
                            "field = 'person_ids' AND value = ?)"}}});

  // 公告 for the portal and the door displays of an estate, or of some of its buildings.
  r.push_back({.name = "announcements",
               .label = "公告",
               .fields = {text("title", "标题", true, 100), text("body", "内容", true, 4000),
                          enumOf("category", "类别",
                                 {{"lost_item", "失物招领"},
                                  {"lost_pet", "寻宠"},
                                  {"works", "施工"},
                                  {"notice", "通知"}},
                                 true),
                          ref("estate_id", "estates", "小区", true),
                          refList("building_ids", "buildings", "楼栋"),
                          ofType("valid_from", FT::kTimestamp, "开始时间"),
                          ofType("valid_to", FT::kTimestamp, "结束时间")},
               .scope_via = {"estate_id"},
               .read_roles = kStaff,
               .write_roles = {"security", "grid_worker", "admin"},
               .complete = completeAnnouncement});

  r.push_back({.name = "grids",
               .label = "网格",
               .fields = {text("name", "网格名称", true), ref("region_id", "regions", "所属社区"),
                          ref("estate_id", "estates", "小区"),
                          [] {
                            FieldSpec f{.name = "worker_ids", .type = FT::kList, .label = "网格员"};
                            f.max_length = 32;
                            return f;
                          }(),
                          refList("building_ids", "buildings", "楼栋")},
               .scope_via = {"estate_id", "region_id"},
               .read_roles = kStaff,
               .write_roles = {"grid_worker", "admin"}});

  // The citizens' case loop: what a case is filed under, and who it is handed to. Seeded
  // categories belong to the whole tree; those an admin adds belong to the admin's region.
  r.push_back({.name = "case_categories",
               .label = "案件类别",
               .text_id = true,
               .fields = {text("name", "类别名称", true, 64),
                          number("resolve_days", FT::kInteger, "办理时限(天)", 1, 365)},
               .read_roles = kStaff,
               .write_roles = {"admin"}});

  r.push_back(
      {.name = "departments",
       .label = "职能部门",
       .fields = {text("name", "部门名称", true, 64), ref("region_id", "regions", "所属区域"),
                  text("phone", "联系电话", false, 32)},
       .scope_via = {"region_id"},
       .read_roles = kStaff,
       .write_roles = {"mediator", "admin"},
       .filters = {{"q", FT::kText, "name LIKE ?", true}}});

  addGridAndPolicingEntities(r);

  // Every enum and ref field filters by equality; listed here so OpenAPI and the store agree.
  for (auto& spec : r) {
    for (const auto& f : spec.fields) {
      bool taken = std::any_of(spec.filters.begin(), spec.filters.end(),
                               [&](const FilterSpec& x) { return x.param == f.name; });
      if (taken) continue;
      if (f.type == FT::kEnum) spec.filters.push_back({f.name, FT::kText, f.name + " = ?"});
      if (f.type == FT::kRef) {
        const bool text_target = f.ref == "devices";
        spec.filters.push_back({f.name, text_target ? FT::kText : FT::kInteger, f.name + " = ?"});
      }
    }
  }
  return r;
}

}  // namespace

const std::vector<EntitySpec>& registry() {
  static const std::vector<EntitySpec> kRegistry = build();
  return kRegistry;
}

}  // namespace anju::domain
