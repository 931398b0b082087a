#include "demo/names.h"

#include <array>

namespace anju::demo {
namespace {

struct WeightedWord {
  std::string_view text;
  int weight;
};

// Weights are roughly per ten thousand people, from the 2020 census surname table, leaning towards
// the north (于, 孙 and 高 are commoner in Hebei than 黄 or 林).
constexpr WeightedWord kSurnames[] = {
    {"王", 740}, {"李", 720}, {"张", 700}, {"刘", 560}, {"陈", 420}, {"杨", 320}, {"赵", 260},
    {"黄", 160}, {"吴", 160}, {"周", 170}, {"徐", 140}, {"孙", 180}, {"马", 150}, {"朱", 110},
    {"胡", 110}, {"郭", 130}, {"何", 90},  {"高", 150}, {"林", 80},  {"罗", 80},  {"郑", 90},
    {"梁", 90},  {"谢", 60},  {"宋", 90},  {"唐", 60},  {"许", 60},  {"韩", 90},  {"冯", 70},
    {"邓", 50},  {"曹", 70},  {"彭", 40},  {"曾", 30},  {"肖", 50},  {"田", 70},  {"董", 80},
    {"袁", 40},  {"潘", 40},  {"于", 110}, {"蒋", 30},  {"蔡", 30},  {"余", 30},  {"杜", 50},
    {"叶", 30},  {"程", 40},  {"苏", 40},  {"魏", 50},  {"吕", 40},  {"丁", 40},  {"任", 40},
    {"沈", 30},  {"姚", 30},  {"卢", 30},  {"姜", 50},  {"崔", 50},  {"钟", 20},  {"谭", 20},
    {"陆", 20},  {"汪", 20},  {"范", 30},  {"金", 30},  {"石", 40},  {"廖", 10},  {"贾", 40},
    {"夏", 20},  {"付", 30},  {"方", 20},  {"白", 30},  {"邹", 20},  {"孟", 40},  {"熊", 10},
    {"秦", 30},  {"邱", 10},  {"江", 20},  {"尹", 20},  {"薛", 30},  {"闫", 40},  {"段", 20},
    {"雷", 20},  {"侯", 30},  {"史", 30},  {"陶", 10},  {"贺", 20},  {"顾", 10},  {"毛", 10},
    {"郝", 40},  {"邵", 20},  {"万", 10},  {"钱", 10},  {"武", 40},  {"戴", 10},  {"孔", 20},
    {"常", 30},  {"康", 20},  {"牛", 30},  {"葛", 20},  {"邢", 30},  {"齐", 30},  {"乔", 20},
    {"庞", 10},  {"聂", 10},  {"岳", 20},  {"翟", 20},  {"申", 10},  {"耿", 20},  {"关", 20},
    {"焦", 20},  {"左", 10},  {"祝", 10},  {"尚", 20},  {"纪", 10},  {"霍", 10},  {"苗", 20},
    {"谷", 20},  {"曲", 20},  {"路", 10},  {"靳", 10},  {"佟", 10},  {"栾", 10},  {"隋", 10},
    {"甄", 10},  {"丛", 10},  {"迟", 10},  {"苑", 10},  {"欧阳", 5}, {"司马", 2}, {"上官", 2},
};

// Given names by generation and sex. Each list mixes one- and two-character names in roughly the
// proportion seen on the registry of a northern city.
constexpr std::string_view kOldMale[] = {
    "建国", "国庆", "建华", "志刚", "振华", "德明", "福林", "文斌", "永利", "玉山", "长友",
    "宝山", "国强", "树林", "占山", "金生", "庆祥", "凤岐", "继承", "广田", "守仁", "德胜",
    "富贵", "春来", "玉林", "宝善", "立本", "有才", "连生", "满仓", "强",   "军",   "勇",
    "刚",   "明",   "华",   "林",   "忠",   "义",   "福",   "山",   "海",   "成",   "贵",
};
constexpr std::string_view kOldFemale[] = {
    "秀英", "桂英", "秀兰", "玉兰", "桂兰", "淑珍", "凤英", "玉珍", "淑华", "秀珍",
    "桂芝", "玉梅", "秀云", "淑兰", "凤兰", "素芬", "玉华", "翠花", "桂荣", "秀芳",
    "淑琴", "玉芬", "凤琴", "淑英", "桂香", "秀荣", "玉凤", "淑芬", "兰英", "金凤",
    "英",   "兰",   "珍",   "芳",   "华",   "梅",   "荣",   "霞",
};
constexpr std::string_view kMiddleMale[] = {
    "伟",   "强",   "磊",   "军",   "勇",   "杰",   "涛",   "斌",   "超",   "鹏",   "辉",   "亮",
    "刚",   "平",   "明",   "波",   "峰",   "健",   "东",   "宇",   "海",   "建军", "志强", "海涛",
    "建平", "立新", "春生", "晓东", "文杰", "永强", "国华", "建伟", "志勇", "晓明", "海军", "俊峰",
    "立军", "红军", "卫东", "振宇", "学军", "宏伟", "志军", "晓光", "建明", "东升",
};
constexpr std::string_view kMiddleFemale[] = {
    "丽",   "敏",   "静",   "燕",   "艳",   "娟",   "霞",   "芳",   "红",   "玲",   "萍",
    "莉",   "婷",   "颖",   "丽娟", "秀梅", "春燕", "晓红", "海燕", "小红", "丽萍", "艳红",
    "雪梅", "红梅", "丽华", "晓燕", "艳玲", "秀丽", "凤霞", "丽丽", "晓丽", "亚楠", "文静",
    "慧",   "丹",   "琳",   "春梅", "淑媛", "海霞", "彩霞", "美玲", "建华", "桂芳", "晓琳",
};
constexpr std::string_view kYoungMale[] = {
    "浩",   "宇",   "轩",   "博",   "鑫",   "磊",   "晨",   "帅",   "子轩", "浩然", "宇航",
    "梓豪", "俊杰", "一鸣", "博文", "皓轩", "子豪", "天佑", "嘉豪", "明轩", "思远", "雨泽",
    "铭",   "睿",   "泽宇", "梓轩", "宇轩", "浩宇", "子墨", "宸",   "一诺", "俊熙", "奕辰",
    "瑞霖", "家乐", "晨阳", "文博", "天翔", "志远", "鹏飞", "昊天", "锦程",
};
constexpr std::string_view kYoungFemale[] = {
    "欣怡", "梓涵", "诗涵", "雨桐", "子涵", "可馨", "佳怡", "思雨", "梦瑶", "雨欣",
    "一诺", "若汐", "悦",   "琳",   "萱",   "晴",   "婧",   "妍",   "璐",   "涵",
    "佳琪", "欣妍", "静怡", "紫萱", "雨涵", "思彤", "语嫣", "梓萱", "欣然", "诗琪",
    "佳慧", "梦琪", "雅琪", "心怡", "晓萌", "雪",   "婉清", "芷若", "沐晴", "安琪",
};

constexpr Division kQinhuangdao[] = {
    {"130302", "河北省秦皇岛市海港区"},         {"130303", "河北省秦皇岛市山海关区"},
    {"130304", "河北省秦皇岛市北戴河区"},       {"130306", "河北省秦皇岛市抚宁区"},
    {"130321", "河北省秦皇岛市青龙满族自治县"}, {"130322", "河北省秦皇岛市昌黎县"},
    {"130324", "河北省秦皇岛市卢龙县"},
};
constexpr Division kOtherHebei[] = {
    {"130102", "河北省石家庄市长安区"}, {"130203", "河北省唐山市路北区"},
    {"130281", "河北省唐山市遵化市"},   {"130283", "河北省唐山市迁安市"},
    {"131002", "河北省廊坊市安次区"},   {"130902", "河北省沧州市新华区"},
    {"130402", "河北省邯郸市邯山区"},   {"130802", "河北省承德市双桥区"},
    {"130602", "河北省保定市竞秀区"},   {"130702", "河北省张家口市桥东区"},
};
constexpr Division kOtherProvinces[] = {
    {"110105", "北京市朝阳区"},
    {"120104", "天津市南开区"},
    {"211402", "辽宁省葫芦岛市连山区"},
    {"211481", "辽宁省兴城市"},
    {"210202", "辽宁省大连市中山区"},
    {"210302", "辽宁省鞍山市铁东区"},
    {"150102", "内蒙古自治区呼和浩特市新城区"},
    {"230103", "黑龙江省哈尔滨市南岗区"},
    {"220102", "吉林省长春市南关区"},
    {"370102", "山东省济南市历下区"},
    {"371302", "山东省临沂市兰山区"},
    {"410102", "河南省郑州市中原区"},
    {"411602", "河南省周口市川汇区"},
    {"341202", "安徽省阜阳市颍州区"},
    {"140105", "山西省太原市小店区"},
    {"510104", "四川省成都市锦江区"},
};

constexpr std::string_view kStreets[] = {
    "文化路街道", "海滨路街道",   "北环路街道", "建设大街街道", "河东街道",
    "西港路街道", "港城大街街道", "东环路街道", "白塔岭街道",   "燕山大街街道",
};
constexpr std::string_view kDistrictDepartments[] = {"海港区住建局物业科", "海港区环卫所",
                                                     "海港区劳动监察大队", "海港区交警大队"};
constexpr std::string_view kStreetDepartments[] = {"城管执法中队", "市场监管所", "派出所", "司法所",
                                                   "人民调解委员会"};
constexpr std::string_view kCommunities[] = {
    "文化里", "民族里", "红旗里", "友谊里", "东华里", "海阳里", "建国里", "光明里",
    "和平里", "新华里", "迎宾里", "先锋里", "城子里", "幸福里", "南山",   "东港",
    "西港",   "北环",   "园丁里", "秦皇里", "金海",   "港城",   "白塔岭", "太阳城",
    "燕山",   "兴华里", "汤河",   "海韵",   "滨海",   "东环",
};
constexpr std::string_view kRoads[] = {
    "文化路", "海阳路",     "建设大街",   "河北大街", "迎宾路", "燕山大街", "港城大街",
    "民族路", "红旗路",     "和平大街",   "白塔岭街", "友谊路", "东港路",   "西港路",
    "北环路", "秦皇东大街", "秦皇西大街", "海滨路",   "东环路", "西环路",
};
constexpr std::string_view kOldEstates[] = {
    "建设里小区", "文化里小区", "红旗里小区", "海阳里小区", "和平里小区", "友谊里小区",
    "民族里小区", "光明里小区", "新华里小区", "迎宾里小区", "东华里小区", "先锋里小区",
    "港务局宿舍", "玻璃厂宿舍", "铁路小区",   "电业局宿舍", "园丁里小区", "幸福里小区",
    "兴华里小区", "城子里小区", "建国里小区", "秦皇小区",   "河东里小区", "西港里小区",
};
constexpr std::string_view kNewEstates[] = {
    "海景花园", "金色家园", "港城花园", "滨海新城", "碧海蓝天", "阳光丽景", "金海湾",
    "东山名苑", "海韵家园", "锦绣华庭", "润泽园",   "富康家园", "泰盛家园", "新世纪花园",
    "世纪港湾", "山水华府", "翡翠城",   "港城名都", "长城花园", "东港家园", "御景园",
    "海悦府",   "观澜苑",   "汤河湾",   "天澜湾",
};

constexpr PremisesKind kPremisesKinds[] = {
    {"shop", "small_stall", "便利店", 30},
    {"shop", "small_stall", "水果店", 14},
    {"shop", "none", "超市", 10},
    {"shop", "small_stall", "理发店", 12},
    {"shop", "none", "大药房", 6},
    {"shop", "small_stall", "快递驿站", 10},
    {"restaurant", "small_stall", "面馆", 10},
    {"restaurant", "small_stall", "饺子馆", 8},
    {"restaurant", "none", "烧烤店", 6},
    {"restaurant", "small_stall", "早点铺", 8},
    {"workshop", "small_workshop", "家电维修部", 5},
    {"workshop", "small_workshop", "裁缝铺", 4},
    {"workshop", "small_workshop", "电动车维修部", 6},
    {"workshop", "small_workshop", "豆腐坊", 3},
    {"entertainment", "small_entertainment", "棋牌室", 8},
    {"entertainment", "small_entertainment", "台球厅", 3},
    {"entertainment", "none", "网吧", 2},
    {"warehouse", "none", "仓储点", 2},
    {"other", "none", "托管班", 3},
};
constexpr std::string_view kShopPrefixes[] = {
    "好邻居", "惠民", "佳佳", "老王", "鑫源", "福源", "利民", "家乐", "金港", "兴旺",
    "顺达",   "百姓", "康乐", "红星", "东方", "永盛", "天天", "宏达", "众鑫", "老李",
};

constexpr std::string_view kRentalFindings[] = {
    "电动自行车入户充电", "未配备灭火器", "私拉乱接电线",   "承租人员未登记",
    "楼道堆放杂物",       "燃气软管老化", "租赁合同未备案", "烟感报警器缺失",
};
constexpr std::string_view kRentalFailures[] = {
    "群租隔断，消防通道堵塞",
    "居住与经营混合（三合一）",
    "拒不登记承租人员信息",
};
constexpr std::string_view kPremisesFindings[] = {
    "灭火器过期",         "安全出口堵塞",       "营业执照未公示",   "电线私拉乱接",
    "液化气瓶存放不规范", "从业人员健康证过期", "疏散指示标志损坏",
};
constexpr std::string_view kPremisesFailures[] = {
    "无证经营且存在消防隐患",
    "住人与经营未分隔（三合一）",
    "违规使用大功率电器",
};

constexpr std::string_view kCarBrands[] = {
    "大众", "丰田", "本田", "日产", "别克", "现代", "起亚", "福特",   "雪佛兰",
    "吉利", "哈弗", "长安", "奇瑞", "宝马", "奥迪", "奔驰", "马自达", "五菱",
};
constexpr std::string_view kNewEnergyBrands[] = {
    "比亚迪", "特斯拉", "理想", "蔚来", "小鹏", "五菱宏光MINIEV", "埃安", "零跑", "问界",
};
constexpr WeightedWord kCarColours[] = {
    {"白色", 40}, {"黑色", 25}, {"银色", 12}, {"灰色", 12}, {"红色", 6}, {"蓝色", 5},
};
constexpr std::string_view kVisitingPlates[] = {"冀B", "京N", "津A", "辽P", "冀A", "冀H"};

constexpr std::string_view kCameraVendors[] = {"海康威视", "大华", "宇视"};
constexpr std::string_view kDoorVendors[] = {"海康威视", "熵基科技", "立林", "大华"};
constexpr std::string_view kBarrierVendors[] = {"捷顺", "科拓", "红门"};
constexpr std::string_view kFenceVendors[] = {"海康威视", "艾礼安"};
constexpr std::string_view kFireVendors[] = {"海湾", "泰和安"};
constexpr std::string_view kElectricalVendors[] = {"安科瑞", "泰和安"};
constexpr std::string_view kDisplayVendors[] = {"海康威视", "洲明"};

template <typename T, std::size_t N>
int totalWeight(const T (&items)[N]) {
  int total = 0;
  for (const auto& item : items) total += item.weight;
  return total;
}

template <typename T, std::size_t N>
const T& pickWeighted(Rng& rng, const T (&items)[N]) {
  int r = rng.uniformInt(0, totalWeight(items) - 1);
  for (const auto& item : items) {
    if (r < item.weight) return item;
    r -= item.weight;
  }
  return items[N - 1];
}

}  // namespace

std::string personName(Rng& rng, bool male, int birth_year) {
  std::string name(pickWeighted(rng, kSurnames).text);
  std::span<const std::string_view> given;
  if (birth_year < 1960) {
    given = male ? std::span<const std::string_view>(kOldMale) : kOldFemale;
  } else if (birth_year < 1990) {
    given = male ? std::span<const std::string_view>(kMiddleMale) : kMiddleFemale;
  } else {
    given = male ? std::span<const std::string_view>(kYoungMale) : kYoungFemale;
  }
  name += rng.pick(given);
  return name;
}

std::span<const Division> qinhuangdaoDivisions() {
  return kQinhuangdao;
}
std::span<const Division> otherHebeiDivisions() {
  return kOtherHebei;
}
std::span<const Division> otherProvinceDivisions() {
  return kOtherProvinces;
}

std::span<const std::string_view> streetNames() {
  return kStreets;
}
std::span<const std::string_view> districtDepartments() {
  return kDistrictDepartments;
}
std::span<const std::string_view> streetDepartmentSuffixes() {
  return kStreetDepartments;
}
std::span<const std::string_view> communityNames() {
  return kCommunities;
}
std::span<const std::string_view> roadNames() {
  return kRoads;
}
std::span<const std::string_view> oldEstateNames() {
  return kOldEstates;
}
std::span<const std::string_view> newEstateNames() {
  return kNewEstates;
}

std::span<const PremisesKind> premisesKinds() {
  return kPremisesKinds;
}
std::span<const std::string_view> shopPrefixes() {
  return kShopPrefixes;
}

std::span<const std::string_view> rentalFindings() {
  return kRentalFindings;
}
std::span<const std::string_view> rentalFailures() {
  return kRentalFailures;
}
std::span<const std::string_view> premisesFindings() {
  return kPremisesFindings;
}
std::span<const std::string_view> premisesFailures() {
  return kPremisesFailures;
}

std::span<const std::string_view> carBrands() {
  return kCarBrands;
}
std::span<const std::string_view> newEnergyCarBrands() {
  return kNewEnergyBrands;
}
std::string_view carColour(Rng& rng) {
  return pickWeighted(rng, kCarColours).text;
}
std::span<const std::string_view> visitingPlatePrefixes() {
  return kVisitingPlates;
}

std::span<const std::string_view> deviceVendors(std::string_view kind) {
  if (kind == "door") return kDoorVendors;
  if (kind == "barrier") return kBarrierVendors;
  if (kind == "fence" || kind == "sos_button") return kFenceVendors;
  if (kind == "smoke") return kFireVendors;
  if (kind == "electrical") return kElectricalVendors;
  if (kind == "display") return kDisplayVendors;
  return kCameraVendors;
}

}  // namespace anju::demo
