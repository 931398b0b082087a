#include "demo/case_texts.h"

#include <span>

namespace anju::demo {
namespace {

using Texts = std::span<const std::string_view>;

struct CategoryTexts {
  std::string_view category;
  Texts descriptions;  // {estate} and {building} are filled in
  Texts summaries;
  Texts agreements;
};

constexpr std::string_view kLand[] = {
    "{estate}一楼住户在楼前绿地私自圈占种菜并砌围墙，与相邻住户因占地界线发生争执，请求处理。",
    "{estate}{building}旁空地被邻居搭建彩钢房占用，双方对宅基地边界各执一词，多次协商未果。",
    "{estate}原村民承包地被征收后补偿款分配不均，兄弟之间发生纠纷，请求调解。",
};
constexpr std::string_view kNeighbour[] = {
    "{estate}{building}楼上住户夜间经常拖动家具、跑跳，噪音严重影响休息，沟通多次无效。",
    "{estate}{building}楼上卫生间漏水导致楼下天花板发霉脱落，楼上住户拒绝维修，双方争吵。",
    "{estate}{building}邻居在楼道堆放杂物、停放电动车，占用消防通道，劝说后仍不清理。",
    "{estate}{building}邻居饲养的大型犬不拴绳，夜间吠叫，曾惊吓老人和小孩，要求邻居管好宠物。",
    "{estate}{building}邻居安装空调外机正对我家窗户，夏季噪音和热风影响生活，协商未果。",
};
constexpr std::string_view kFamily[] = {
    "{estate}{building}一对老人反映子女不履行赡养义务，生活费和看病费用无人负担，请求帮助。",
    "{estate}{building}夫妻因家庭琐事长期争吵，女方称男方酒后有过激行为，请求社区介入调解。",
    "{estate}住户兄妹因父母遗留房产继承分配发生纠纷，关系紧张，希望调解。",
};
constexpr std::string_view kLabour[] = {
    "在{estate}附近装修工地务工三个月，包工头拖欠工资一万二千元，多次讨要无果。",
    "{estate}底商一餐馆辞退员工未支付经济补偿，且拖欠最后一个月工资，员工请求维权。",
    "{estate}物业公司保洁员反映公司未按时缴纳社会保险，加班无加班费。",
};
constexpr std::string_view kProperty[] = {
    "{estate}{building}电梯近一个月多次停运，困人两次，物业维修迟缓，住户要求彻底检修。",
    "{estate}物业费上调未经业主大会讨论，业主对涨价和服务质量不满，要求物业公开收支。",
    "{estate}{building}单元门禁损坏一周无人维修，外来人员随意进出，存在安全隐患。",
    "{estate}地下车库积水严重，排水泵长期故障，物业推诿，车主损失无人负责。",
    "{estate}{building}楼顶防水层老化，顶层住户家中漏雨，物业称维修基金申请困难迟迟不修。",
};
constexpr std::string_view kSafety[] = {
    "{estate}{building}楼道内有住户私拉电线给电动车充电，存在火灾隐患，请求检查。",
    "{estate}{building}外墙瓷砖松动脱落，下方是出入通道，担心砸伤行人。",
    "{estate}有高空抛物现象，{building}下方多次发现丢下的酒瓶和垃圾，请求查找并制止。",
    "{estate}小区内消防栓无水、灭火器过期，消防通道被私家车长期占用。",
};
constexpr std::string_view kEnvironment[] = {
    "{estate}垃圾分类投放点垃圾满溢多日未清运，气味难闻，蚊蝇滋生。",
    "{estate}临街餐馆油烟直排，{building}住户窗户无法打开，请求整治。",
    "{estate}{building}楼下绿地被改成停车场，树木被砍伐，住户要求恢复绿化。",
    "{estate}附近工地夜间施工噪音扰民，凌晨仍在作业，影响周边居民休息。",
};
constexpr std::string_view kTraffic[] = {
    "{estate}门口路口发生两车刮蹭，双方对责任和赔偿金额有争议，请求调解。",
    "{estate}小区内一车辆倒车时撞伤老人，双方对医疗费赔偿协商不成。",
    "{estate}门前电动自行车与行人相撞，行人腿部受伤，赔偿问题产生纠纷。",
};
constexpr std::string_view kConsumer[] = {
    "在{estate}底商健身房办理年卡后店铺关门跑路，剩余费用无法退还，涉及多名居民。",
    "{estate}附近装修公司收取预付款后工期严重拖延，质量不合格，拒不退款。",
    "在{estate}门口超市购买的食品过期，商家拒绝按规定赔偿。",
};
constexpr std::string_view kService[] = {
    "{estate}周边路灯损坏多盏，夜间出行不便，请求尽快维修。",
    "{estate}{building}独居老人行动不便，希望社区协助办理高龄补贴和居家养老服务。",
    "{estate}门前人行道地砖破损塌陷，雨天积水，老人出行容易摔倒。",
    "{estate}公交站撤销后居民出行不便，希望恢复站点或增设社区公交。",
};
constexpr std::string_view kOther[] = {
    "{estate}有人在小区内张贴小广告、散发传单，请求清理和制止。",
    "{estate}{building}有住户长期群租，人员进出复杂，邻居担心安全。",
    "{estate}居民反映小区健身器材老化损坏，希望更换。",
};

constexpr std::string_view kDisputeSummaries[] = {
    "经调解员组织双方当面协商，说明法律规定，双方达成一致意见，纠纷化解。",
    "经社区、调解委员会联合调解，当事人达成书面协议并当场履行。",
    "调解员多次上门做工作，双方各退一步，矛盾得到化解，已签订调解协议。",
};
constexpr std::string_view kPropertySummaries[] = {
    "已约谈物业公司负责人，限期完成维修，经回访设施已恢复正常使用。",
    "住建部门督促物业整改，已完成维修并公示收支情况，业主表示认可。",
    "经协调物业与业主代表座谈，已制定维修计划并完成首期施工。",
};
constexpr std::string_view kWorkSummaries[] = {
    "已现场核查并责令整改，隐患已消除，后续纳入网格日常巡查。",
    "责任单位已完成处置，现场复查合格，已告知反映人。",
    "相关部门已联合执法，违规行为已制止，问题已解决。",
};
constexpr std::string_view kLabourSummaries[] = {
    "经劳动监察大队督办，用人单位已足额支付拖欠工资。",
    "经调解双方达成协议，单位分两期支付工资及补偿，首期已到账。",
};
constexpr std::string_view kConsumerSummaries[] = {
    "市场监管所约谈经营者，已按规定退还费用并赔偿。",
    "经调解，商家同意退款，消费者已收到退款。",
};

constexpr std::string_view kDisputeAgreements[] = {
    "双方同意互相谅解，今后注意生活作息，不再发生类似纠纷。",
    "责任方承担维修费用，于十日内完成维修，另一方不再追究。",
    "双方确认界线，恢复原状，责任方赔偿损失人民币三千元。",
};
constexpr std::string_view kFamilyAgreements[] = {
    "子女三人每月各支付赡养费八百元，轮流照顾老人起居。",
    "双方同意房产按份额分配，由长子补偿其他继承人相应款项。",
};
constexpr std::string_view kMoneyAgreements[] = {
    "责任方一次性赔偿医疗费、误工费等共计人民币八千五百元，双方纠纷了结。",
    "欠款方于本月底前支付全部欠款，逾期按约定承担违约金。",
    "经营者退还剩余费用并补偿五百元，消费者不再追究。",
};

constexpr CategoryTexts kCategories[] = {
    {"land", kLand, kDisputeSummaries, kDisputeAgreements},
    {"neighbour", kNeighbour, kDisputeSummaries, kDisputeAgreements},
    {"family", kFamily, kDisputeSummaries, kFamilyAgreements},
    {"labour", kLabour, kLabourSummaries, kMoneyAgreements},
    {"property", kProperty, kPropertySummaries, kDisputeAgreements},
    {"safety", kSafety, kWorkSummaries, kDisputeAgreements},
    {"environment", kEnvironment, kWorkSummaries, kDisputeAgreements},
    {"traffic", kTraffic, kDisputeSummaries, kMoneyAgreements},
    {"consumer", kConsumer, kConsumerSummaries, kMoneyAgreements},
    {"service", kService, kWorkSummaries, kDisputeAgreements},
    {"other", kOther, kWorkSummaries, kDisputeAgreements},
};

constexpr std::string_view kSessionNotes[] = {
    "分别听取双方陈述，了解争议焦点，双方情绪较激动，约定再次调解。",
    "组织双方面对面协商，调解员释法说理，双方意见逐步接近。",
    "邀请社区民警和楼长参与调解，现场查看后提出解决方案。",
    "双方就赔偿金额进一步协商，基本达成一致，拟签订协议。",
};
constexpr std::string_view kFeedback[] = {
    "已电话告知反映人办理结果，反映人表示知晓。",
    "网格员上门反馈处理情况，反映人认可。",
    "已通过短信告知办理结果及评价方式。",
};
constexpr std::string_view kPraise[] = {"处理及时，态度很好，感谢社区！", "问题解决了，满意。",
                                        "网格员跑了好几趟，辛苦了。"};
constexpr std::string_view kComplaint[] = {"问题没有根本解决，过几天又出现了。",
                                           "处理太慢，前后拖了很久。"};
constexpr std::string_view kEscalation[] = {
    "涉及多个部门职责，村（社区）层面无法协调，提请上级统筹。",
    "当事人诉求超出本级处理权限，申请上报。",
    "超期未能化解，矛盾有激化风险，按规定上报。",
};
constexpr std::string_view kReturn[] = {
    "该事项不属于本部门职责范围，请重新分派。",
    "反映地址有误，经核实不在本辖区，退回重新分流。",
};
constexpr std::string_view kReopen[] = {
    "反映人回访时表示问题再次出现，申请重新办理。",
    "整改不彻底，反映人不满意，重新交办。",
};

const CategoryTexts& textsOf(std::string_view category) {
  for (const CategoryTexts& t : kCategories) {
    if (t.category == category) return t;
  }
  return kCategories[std::size(kCategories) - 1];
}

std::string_view pickText(Rng& rng, Texts texts) {
  return texts[static_cast<std::size_t>(rng.uniform(0, static_cast<int64_t>(texts.size()) - 1))];
}

void replaceAll(std::string& text, std::string_view key, const std::string& value) {
  for (std::size_t at = text.find(key); at != std::string::npos;
       at = text.find(key, at + value.size())) {
    text.replace(at, key.size(), value);
  }
}

}  // namespace

std::string caseDescription(Rng& rng, std::string_view category, const CasePlace& place) {
  std::string text(pickText(rng, textsOf(category).descriptions));
  replaceAll(text, "{estate}", place.estate);
  replaceAll(text, "{building}", place.building);
  return text;
}

std::string_view resolutionSummary(Rng& rng, std::string_view category) {
  return pickText(rng, textsOf(category).summaries);
}

std::string_view mediationAgreement(Rng& rng, std::string_view category) {
  return pickText(rng, textsOf(category).agreements);
}

std::string_view mediationSessionNote(Rng& rng) {
  return pickText(rng, kSessionNotes);
}

std::string_view feedbackMessage(Rng& rng) {
  return pickText(rng, kFeedback);
}

std::string_view ratingComment(Rng& rng, int score) {
  if (score >= 4) return rng.permille(400) ? pickText(rng, kPraise) : std::string_view{};
  return pickText(rng, kComplaint);
}

std::string_view escalationReason(Rng& rng) {
  return pickText(rng, kEscalation);
}

std::string_view returnReason(Rng& rng) {
  return pickText(rng, kReturn);
}

std::string_view reopenReason(Rng& rng) {
  return pickText(rng, kReopen);
}

}  // namespace anju::demo
