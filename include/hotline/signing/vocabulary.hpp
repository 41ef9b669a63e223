// hotline/signing/vocabulary.hpp: the words of family-doctor signing (DOMAIN §7).
//
// Every enumeration the signing model uses, with its Chinese label (what reports
// print) and an ASCII name (what files, JSON and Python use), and the parse that
// turns a name back into a value, naming the field when it cannot:
//
//   auto k = hotline::signing::parse<hotline::signing::service_kind>("home_visit", "row 3 kind");
//   hotline::signing::label(k);   // "巡诊"
//   hotline::signing::name(k);    // "home_visit"
//
// The lists follow the seeds article by article; each enumerator cites its source.
#pragma once

#include "hotline/error.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace hotline::signing {

/// Kinds of institution that sign residents (002 §1.2 目标1, §2.3 private clinics; 003 §2.1.2
/// second- and third-level hospitals).
enum class institution_kind : std::uint8_t {
  community_health_centre,   ///< 社区卫生服务中心
  community_health_station,  ///< 社区卫生服务站
  township_hospital,         ///< 镇卫生院
  village_clinic,            ///< 村卫生站
  private_clinic,            ///< 家庭医生（全科）诊所 / 民营医疗机构 (002 §2.3, 003 §2.1.3)
  hospital,                  ///< 二级、三级医院 (specialists, referrals; 003 §2.1.2)
};

/// Roles in a family-doctor team (002 §2.2; 003 §2.1.1).
enum class team_role : std::uint8_t {
  family_doctor,         ///< 家庭医生, the first responsible (002 §2.1)
  community_nurse,       ///< 社区护士
  public_health_doctor,  ///< 公共卫生医师
  tcm_doctor,            ///< 中医师
  specialist,            ///< 专科医师 from a second- or third-level hospital
  pharmacist,            ///< 药师
  health_manager,        ///< 健康管理师
  village_doctor,        ///< 乡村医生 (002 §2.10: may be the first responsible)
  other,                 ///< 心理咨询师, 营养师, 社工 ...
};

/// Key populations (002 §1.2 目标2; 003 §2.2.1).  Derived as of a date: the
/// age-based ones from the birth date, the others from dated attributes.
enum class key_population : std::uint8_t {
  elderly,                 ///< 65 岁及以上老年人
  child,                   ///< 0-6 岁儿童
  maternal,                ///< 孕产妇 (pregnant or postpartum)
  disabled,                ///< 残疾人
  hypertension,            ///< 高血压
  diabetes,                ///< Ⅱ型糖尿病
  tuberculosis,            ///< 结核病
  severe_mental_disorder,  ///< 严重精神障碍
  poverty_alleviated,      ///< 脱贫人口
  monitored,               ///< 监测对象
  special_family_planning, ///< 计划生育特殊家庭成员
};
inline constexpr std::size_t key_population_count = 11;

/// A dated fact about a resident from which key populations are derived.
/// The age-based populations have no attribute: they come from the birth date.
enum class attribute : std::uint8_t {
  pregnant_or_postpartum = 2,
  disabled = 3,
  hypertension = 4,
  diabetes = 5,
  tuberculosis = 6,
  severe_mental_disorder = 7,
  poverty_alleviated = 8,
  monitored = 9,
  special_family_planning = 10,
};
/// The key population an attribute puts a resident in (same numbering).
constexpr key_population population_of(attribute a) noexcept { return static_cast<key_population>(a); }
/// The chronic conditions a long prescription may be written for (002 §2.6 慢性病).
constexpr bool is_chronic(attribute a) noexcept {
  return a == attribute::hypertension || a == attribute::diabetes || a == attribute::tuberculosis ||
         a == attribute::severe_mental_disorder;
}

/// The red / yellow / green grading of residents 65 and over (003 §2.2.1 "红、黄、绿"分级分类).
enum class elderly_grade : std::uint8_t { none, green, yellow, red };

/// Service packages (002 §2.12).
enum class package_tier : std::uint8_t {
  free_package,  ///< 免费服务包: set by the city, free to the resident
  basic,         ///< 基本服务包: content and fee set by the city
  personalised,  ///< 个性化服务包: set by the district or the institution
};

/// Why a contract ended before its term (DOMAIN §7).
enum class termination_reason : std::uint8_t {
  moved_away,         ///< 迁出
  death,              ///< 死亡
  resident_request,   ///< 居民申请解约
  team_dissolved,     ///< 团队撤销
};

/// How a signing came about (004 §1.1 online; 000 art. 8.2 the family-doctor line).
enum class signing_channel : std::uint8_t { in_person, online, hotline_application, household };

/// Services recorded against a contract (002 §2.4-2.6; 003 §2.3).
enum class service_kind : std::uint8_t {
  follow_up,          ///< 随访 (chronic-disease follow-up)
  health_assessment,  ///< 健康评估
  home_visit,         ///< 巡诊 / 上门服务 (003 §2.3.2)
  consultation,       ///< 健康咨询 (in person, by phone or online)
  long_prescription,  ///< 长处方, 1-2 months (002 §2.6)
  referral_up,        ///< 上转 to a second- or third-level hospital (002 §2.5)
  referral_down,      ///< 下转 back to the family doctor (003 §2.3.3)
};
inline constexpr std::size_t service_kind_count = 7;

/// The "three priorities" of an upward referral (002 §2.5 三个优先; 003 §2.3.3).
enum class referral_priority : std::uint8_t {
  none,
  specialist_appointment,  ///< 优先预约专家门诊
  examination,             ///< 优先安排辅助检查
  admission,               ///< 优先安排住院
};

// ---- labels and names -----------------------------------------------------

namespace detail {
template <class E>
struct words;  // {name, label} per enumerator, in order

template <>
struct words<institution_kind> {
  static constexpr std::array<std::array<std::string_view, 2>, 6> list{{
      {"community_health_centre", "社区卫生服务中心"}, {"community_health_station", "社区卫生服务站"},
      {"township_hospital", "镇卫生院"}, {"village_clinic", "村卫生站"},
      {"private_clinic", "民营诊所"}, {"hospital", "二、三级医院"}}};
  static constexpr std::string_view what = "institution kind";
};
template <>
struct words<team_role> {
  static constexpr std::array<std::array<std::string_view, 2>, 9> list{{
      {"family_doctor", "家庭医生"}, {"community_nurse", "社区护士"},
      {"public_health_doctor", "公共卫生医师"}, {"tcm_doctor", "中医师"}, {"specialist", "专科医师"},
      {"pharmacist", "药师"}, {"health_manager", "健康管理师"}, {"village_doctor", "乡村医生"},
      {"other", "其他"}}};
  static constexpr std::string_view what = "team role";
};
template <>
struct words<key_population> {
  static constexpr std::array<std::array<std::string_view, 2>, 11> list{{
      {"elderly", "65岁及以上老年人"}, {"child", "0-6岁儿童"}, {"maternal", "孕产妇"},
      {"disabled", "残疾人"}, {"hypertension", "高血压患者"}, {"diabetes", "Ⅱ型糖尿病患者"},
      {"tuberculosis", "结核病患者"}, {"severe_mental_disorder", "严重精神障碍患者"},
      {"poverty_alleviated", "脱贫人口"}, {"monitored", "监测对象"},
      {"special_family_planning", "计划生育特殊家庭"}}};
  static constexpr std::string_view what = "key population";
};
template <>
struct words<elderly_grade> {
  static constexpr std::array<std::array<std::string_view, 2>, 4> list{{
      {"none", "未分级"}, {"green", "绿色"}, {"yellow", "黄色"}, {"red", "红色"}}};
  static constexpr std::string_view what = "elderly grade";
};
template <>
struct words<package_tier> {
  static constexpr std::array<std::array<std::string_view, 2>, 3> list{{
      {"free", "免费服务包"}, {"basic", "基本服务包"}, {"personalised", "个性化服务包"}}};
  static constexpr std::string_view what = "package tier";
};
template <>
struct words<termination_reason> {
  static constexpr std::array<std::array<std::string_view, 2>, 4> list{{
      {"moved_away", "迁出"}, {"death", "死亡"}, {"resident_request", "居民申请解约"},
      {"team_dissolved", "团队撤销"}}};
  static constexpr std::string_view what = "termination reason";
};
template <>
struct words<signing_channel> {
  static constexpr std::array<std::array<std::string_view, 2>, 4> list{{
      {"in_person", "现场签约"}, {"online", "线上签约"}, {"hotline_application", "专线申请"},
      {"household", "家庭签约"}}};
  static constexpr std::string_view what = "signing channel";
};
template <>
struct words<service_kind> {
  static constexpr std::array<std::array<std::string_view, 2>, 7> list{{
      {"follow_up", "随访"}, {"health_assessment", "健康评估"}, {"home_visit", "巡诊"},
      {"consultation", "健康咨询"}, {"long_prescription", "长处方"}, {"referral_up", "上转"},
      {"referral_down", "下转"}}};
  static constexpr std::string_view what = "service kind";
};
template <>
struct words<referral_priority> {
  static constexpr std::array<std::array<std::string_view, 2>, 4> list{{
      {"none", "无"}, {"specialist_appointment", "优先预约专家门诊"}, {"examination", "优先安排辅助检查"},
      {"admission", "优先安排住院"}}};
  static constexpr std::string_view what = "referral priority";
};
template <>
struct words<attribute> {
  // indexed by value - 2 (attributes start at pregnant_or_postpartum = 2)
  static constexpr std::array<std::array<std::string_view, 2>, 9> list{{
      {"pregnant_or_postpartum", "孕产妇"}, {"disabled", "残疾人"}, {"hypertension", "高血压"},
      {"diabetes", "Ⅱ型糖尿病"}, {"tuberculosis", "结核病"}, {"severe_mental_disorder", "严重精神障碍"},
      {"poverty_alleviated", "脱贫人口"}, {"monitored", "监测对象"},
      {"special_family_planning", "计划生育特殊家庭"}}};
  static constexpr std::string_view what = "attribute";
  static constexpr std::size_t offset = 2;
};

template <class E>
constexpr std::size_t offset_of() {
  if constexpr (requires { words<E>::offset; }) return words<E>::offset;
  else return 0;
}
}  // namespace detail

/// The ASCII name ("home_visit"); "?" for a value outside the enumeration.
template <class E>
constexpr std::string_view name(E v) noexcept {
  const auto i = static_cast<std::size_t>(v) - detail::offset_of<E>();
  return i < detail::words<E>::list.size() ? detail::words<E>::list[i][0] : std::string_view("?");
}
/// The Chinese label reports print ("巡诊").
template <class E>
constexpr std::string_view label(E v) noexcept {
  const auto i = static_cast<std::size_t>(v) - detail::offset_of<E>();
  return i < detail::words<E>::list.size() ? detail::words<E>::list[i][1] : std::string_view("?");
}
/// The value named `text` (its ASCII name or its Chinese label); an unknown one is an
/// invalid_argument_error naming `where`, the text and the accepted names.
template <class E>
E parse(std::string_view text, std::string_view where) {
  const auto& list = detail::words<E>::list;
  for (std::size_t i = 0; i < list.size(); ++i)
    if (text == list[i][0] || text == list[i][1]) return static_cast<E>(i + detail::offset_of<E>());
  std::string accepted;
  for (const auto& w : list) accepted.append(accepted.empty() ? "" : ", ").append(w[0]);
  throw invalid_argument_error(std::string(where) + ": unknown " + std::string(detail::words<E>::what) +
                               " '" + std::string(text) + "' (one of: " + accepted + ")");
}

}  // namespace hotline::signing
