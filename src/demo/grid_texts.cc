#include "demo/grid_texts.h"

#include <span>

namespace anju::demo {
namespace {

using Texts = std::span<const std::string_view>;

struct Keyed {
  std::string_view key;
  Texts texts;
};

constexpr HazardText kHazards[] = {
    {"fire", "楼道堆放纸箱、旧家具等易燃杂物，堵塞疏散通道。"},
    {"fire", "消防栓箱内水带缺失，灭火器压力不足。"},
    {"electrical", "电动车在楼道内充电，飞线从窗户拉出。"},
    {"electrical", "单元配电箱门损坏，线路裸露老化。"},
    {"gas", "底商餐馆液化气钢瓶与灶具未保持安全距离，无燃气报警器。"},
    {"structure", "外墙保温层及瓷砖空鼓松动，有脱落风险。"},
    {"structure", "楼顶女儿墙开裂，雨后渗水。"},
    {"throwing", "楼下草坪多次发现高空坠物，疑似高层住户抛掷。"},
    {"traffic", "小区出入口车辆乱停，遮挡视线，人车混行。"},
    {"public_order", "地下室有外来人员留宿，门锁损坏。"},
    {"other", "井盖破损缺失，夜间无警示标志。"},
};
constexpr std::string_view kRectified[] = {
    "物业已清理杂物并张贴禁止堆放告示。",
    "已更换损坏设施，现场复查合格。",
    "责任人已拆除违规线路，安装集中充电桩。",
    "已设置警示标志并完成维修。",
};
constexpr std::string_view kFindings[] = {
    "巡查楼道、车棚及出入口，未发现异常。",
    "未发现安全隐患，走访住户两户，了解近期诉求。",
    "提醒住户规范停放电动车，现场已整改。",
    "发现小广告若干，已清理。",
};
constexpr std::string_view kElderlyVisits[] = {
    "老人身体状况良好，独自生活能自理，提醒注意用火用电安全。",
    "老人近期血压偏高，已联系社区卫生服务站上门随访。",
    "帮助老人更换灯泡、检查燃气阀门，老人表示感谢。",
    "老人子女在外地，已留下网格员电话，约定每周电话问候。",
    "协助老人办理高龄津贴申领，讲解防范电信诈骗知识。",
};

constexpr std::string_view kDocuments[] = {
    "为行动不便老人上门办理居住证。", "代办身份证换领，送证上门。", "协助新生儿办理户口登记。"};
constexpr std::string_view kRescue[] = {"帮助走失老人找到家人。", "救助醉酒倒地人员并送医。"};
constexpr std::string_view kHelp[] = {"帮扶困难家庭申请临时救助。", "帮助住户找回遗失钱包。",
                                      "协助独居老人联系维修燃气灶。"};
constexpr std::string_view kDispute[] = {"现场调解邻里停车纠纷。", "化解一起家庭矛盾。"};
constexpr std::string_view kPatrol[] = {"夜间带领义警巡逻小区周边。", "开展防范电信诈骗宣传。"};
constexpr std::string_view kOtherService[] = {"参加社区平安建设宣传活动。"};
constexpr Keyed kServices[] = {
    {"documents", kDocuments}, {"rescue", kRescue}, {"help", kHelp},
    {"dispute", kDispute},     {"patrol", kPatrol}, {"other", kOtherService},
};

constexpr std::string_view kBurglary[] = {"住户家中被撬门入室，丢失现金及首饰。",
                                          "一楼住户窗户被撬，室内财物被盗。"};
constexpr std::string_view kTheft[] = {"小区车棚内电动自行车被盗。", "停放车辆内财物被盗。"};
constexpr std::string_view kFraud[] = {"居民接到冒充客服电话，被骗转账。",
                                       "老人被以保健品投资为名骗取钱款。"};
constexpr std::string_view kRobbery[] = {"夜间行人在小区附近被抢手机。"};
constexpr std::string_view kAssault[] = {"因琐事发生口角，一方被打伤。"};
constexpr std::string_view kFight[] = {"两名住户因停车问题发生互殴。", "酒后闹事与他人发生冲突。"};
constexpr std::string_view kDisturbance[] = {"深夜噪音扰民，经劝说后停止。",
                                             "有人在小区门口聚众吵闹。"};
constexpr std::string_view kOtherIncident[] = {"住户报警称门口有可疑人员徘徊，经查无异常。"};
constexpr Keyed kIncidents[] = {
    {"burglary", kBurglary},       {"theft", kTheft},         {"fraud", kFraud},
    {"robbery", kRobbery},         {"assault", kAssault},     {"fight", kFight},
    {"disturbance", kDisturbance}, {"other", kOtherIncident},
};

std::string_view pickText(Rng& rng, Texts texts) {
  return texts[static_cast<std::size_t>(rng.uniform(0, static_cast<int64_t>(texts.size()) - 1))];
}

std::string_view pickKeyed(Rng& rng, std::span<const Keyed> table, std::string_view key) {
  for (const Keyed& k : table) {
    if (k.key == key) return pickText(rng, k.texts);
  }
  return pickText(rng, table.back().texts);
}

}  // namespace

HazardText hazardText(Rng& rng) {
  return kHazards[static_cast<std::size_t>(rng.uniform(0, std::size(kHazards) - 1))];
}

std::string_view rectificationNote(Rng& rng) {
  return pickText(rng, kRectified);
}

std::string_view patrolFinding(Rng& rng) {
  return pickText(rng, kFindings);
}

std::string_view elderlyVisitNote(Rng& rng) {
  return pickText(rng, kElderlyVisits);
}

std::string_view serviceText(Rng& rng, std::string_view kind) {
  return pickKeyed(rng, kServices, kind);
}

std::string_view incidentSummary(Rng& rng, std::string_view category) {
  return pickKeyed(rng, kIncidents, category);
}

}  // namespace anju::demo
