// Grid work and community policing (SPEC §6) as registry entities: what grid workers record on
// their rounds, and what village police and their volunteers record. The hazard loop's own
// columns are read-only here; grid/hazard_flow.h says how they change.
#include "domain/entity_fields.h"

namespace anju::domain {

namespace {

using nlohmann::json;
using namespace fields;

const std::vector<std::string> kGridEditors = {"grid_worker", "police", "admin"};
const std::vector<std::string> kPolicingEditors = {"police", "admin"};

FieldSpec readOnly(FieldSpec f) {
  f.read_only = true;
  return f;
}

FieldSpec namesList(std::string name, std::string label) {
  FieldSpec f{.name = std::move(name), .type = FT::kList, .label = std::move(label)};
  f.max_length = 64;
  return f;
}

Status notBefore(const json& record, const char* start, const char* end, const char* message) {
  if (present(record, start) && present(record, end) && record[end] < record[start])
    return Status::invalid(end, message);
  return {};
}

Status completePatrol(json& record, bool) {
  return notBefore(record, "started_at", "ended_at",
                   "结束时间早于开始时间 (ended_at is before started_at)");
}

// A hazard enters the loop as reported; only the actions endpoint moves it on.
Status completeHazard(json& record, bool creating) {
  if (creating) record["status"] = "reported";
  return {};
}

Status completeAssignment(json& record, bool) {
  return notBefore(record, "since", "until", "结束日期早于开始日期 (until is before since)");
}

Status completeServiceRecord(json& record, bool) {
  if (!present(record, "count")) record["count"] = 1;
  return {};
}

// An incident that carries the police system's number came from that system.
Status completeIncident(json& record, bool creating) {
  if (creating && !present(record, "source"))
    record["source"] = present(record, "external_ref") ? "imported" : "entered";
  return {};
}

}  // namespace

void addGridAndPolicingEntities(std::vector<EntitySpec>& r) {
  r.push_back(
      {.name = "patrols",
       .label = "巡查",
       .fields = {ref("grid_id", "grids", "网格", true), text("worker", "网格员", false, 64),
                  ofType("started_at", FT::kTimestamp, "开始时间"),
                  ofType("ended_at", FT::kTimestamp, "结束时间"),
                  text("route", "巡查路线", false, 1000),
                  text("findings", "发现问题", false, 2000)},
       .scope_via = {"grid_id"},
       .read_roles = kStaff,
       .write_roles = kGridEditors,
       .filters = {{"worker", FT::kText, "worker = ?"}},
       .complete = completePatrol});

  r.push_back({.name = "patrol_checkins",
               .label = "巡查打卡",
               .fields = {ref("patrol_id", "patrols", "巡查", true),
                          ofType("ts", FT::kTimestamp, "打卡时间", true),
                          ref("building_id", "buildings", "楼栋"), text("place", "地点"), planX(),
                          planY(), text("note", "备注", false, 1000)},
               .scope_via = {"patrol_id"},
               .read_roles = kStaff,
               .write_roles = kGridEditors});

  r.push_back(
      {.name = "hazards",
       .label = "安全隐患",
       .fields = {ref("estate_id", "estates", "小区"), ref("building_id", "buildings", "楼栋"),
                  ref("grid_id", "grids", "网格"), ref("patrol_id", "patrols", "巡查"),
                  enumOf("kind", "隐患类型",
                         {{"fire", "消防"},
                          {"electrical", "用电"},
                          {"gas", "燃气"},
                          {"structure", "房屋结构"},
                          {"throwing", "高空抛物"},
                          {"traffic", "交通"},
                          {"public_order", "治安"},
                          {"other", "其他"}},
                         true),
                  text("description", "隐患描述", true, 2000),
                  text("reported_by", "上报人", false, 64),
                  readOnly(enumOf("status", "状态",
                                  {{"reported", "已上报"},
                                   {"assigned", "整改中"},
                                   {"rectified", "已整改"},
                                   {"verified", "已验收"}})),
                  readOnly(text("assignee", "整改责任人", false, 64)),
                  readOnly(ofType("rectify_by", FT::kDate, "整改期限")),
                  readOnly(ofType("rectified_on", FT::kDate, "整改完成日期")),
                  readOnly(ofType("verified_on", FT::kDate, "验收日期")),
                  readOnly(ofType("case_id", FT::kInteger, "案件编号"))},
       .scope_via = {"building_id", "estate_id", "grid_id"},
       .read_roles = kStaff,
       .write_roles = kGridEditors,
       .complete = completeHazard});

  r.push_back({.name = "home_visits",
               .label = "走访",
               .fields = {ref("person_id", "persons", "走访对象", true),
                          text("visitor", "走访人", false, 64),
                          ofType("visited_on", FT::kDate, "走访日期", true),
                          enumOf("purpose", "走访事由",
                                 {{"elderly_care", "关爱独居老人"},
                                  {"key_person", "重点人员走访"},
                                  {"rental_check", "出租屋走访"},
                                  {"dispute", "矛盾排查"},
                                  {"other", "其他"}}),
                          text("notes", "走访情况", false, 2000)},
               .scope_via = {"person_id"},
               .read_roles = kStaff,
               .write_roles = kGridEditors,
               .personal_data = true});

  r.push_back(
      {.name = "police_assignments",
       .label = "一村一警",
       .fields = {text("officer", "民警账号", true, 64),
                  text("officer_name", "民警姓名", false, 64),
                  ref("region_id", "regions", "驻村(社区)", true),
                  ofType("since", FT::kDate, "开始日期"), ofType("until", FT::kDate, "结束日期")},
       .scope_via = {"region_id"},
       .read_roles = kStaff,
       .write_roles = kPolicingEditors,
       .filters = {{"officer", FT::kText, "officer = ?"}},
       .complete = completeAssignment});

  r.push_back(
      {.name = "service_records",
       .label = "好事实事",
       .fields = {text("officer", "民警账号", true, 64), ref("region_id", "regions", "村(社区)"),
                  ref("estate_id", "estates", "小区"),
                  enumOf("kind", "类别",
                         {{"documents", "代办证件"},
                          {"rescue", "救助"},
                          {"help", "帮扶"},
                          {"dispute", "调解纠纷"},
                          {"patrol", "巡逻防控"},
                          {"other", "其他"}},
                         true),
                  ofType("occurred_on", FT::kDate, "日期", true),
                  number("count", FT::kInteger, "件数", 1, 10000),
                  text("description", "事项", false, 2000)},
       .scope_via = {"estate_id", "region_id"},
       .read_roles = kStaff,
       .write_roles = kPolicingEditors,
       .filters = {{"officer", FT::kText, "officer = ?"}},
       .complete = completeServiceRecord});

  r.push_back(
      {.name = "volunteer_teams",
       .label = "群防群治力量",
       .fields = {text("name", "队伍名称", true),
                  enumOf("kind", "类型",
                         {{"patrol_team", "义警巡逻队"},
                          {"guards", "保安"},
                          {"information_officers", "信息员"}},
                         true),
                  ref("region_id", "regions", "所属区域"), ref("estate_id", "estates", "小区"),
                  text("leader", "负责人", false, 64), namesList("member_names", "队员")},
       .scope_via = {"estate_id", "region_id"},
       .read_roles = kStaff,
       .write_roles = kPolicingEditors});

  r.push_back({.name = "duty_rosters",
               .label = "值班表",
               .fields = {ref("team_id", "volunteer_teams", "队伍", true),
                          ofType("duty_date", FT::kDate, "值班日期", true),
                          text("shift", "班次", false, 32), namesList("member_names", "值班人员"),
                          text("area", "值守区域")},
               .scope_via = {"team_id"},
               .read_roles = kStaff,
               .write_roles = kPolicingEditors});

  r.push_back(
      {.name = "police_incidents",
       .label = "警情",
       .fields = {enumOf("kind", "警情类型", {{"criminal", "刑事"}, {"public_order", "治安"}},
                         true),
                  enumOf("category", "案由",
                         {{"burglary", "入室盗窃"},
                          {"theft", "盗窃"},
                          {"fraud", "诈骗"},
                          {"robbery", "抢劫"},
                          {"assault", "伤害"},
                          {"fight", "斗殴"},
                          {"disturbance", "扰乱秩序"},
                          {"other", "其他"}},
                         true),
                  ref("estate_id", "estates", "小区"), ref("region_id", "regions", "所属区域"),
                  ofType("occurred_at", FT::kTimestamp, "发案时间", true),
                  text("summary", "简要案情", false, 2000),
                  [] {
                    auto f = text("external_ref", "警情编号", false, 64);
                    f.unique = true;
                    return f;
                  }(),
                  enumOf("source", "来源", {{"entered", "录入"}, {"imported", "导入"}})},
       .scope_via = {"estate_id", "region_id"},
       .read_roles = kStaff,
       .write_roles = kPolicingEditors,
       .complete = completeIncident});
}

}  // namespace anju::domain
