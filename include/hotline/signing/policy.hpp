// hotline/signing/policy.hpp: the rules a city or region sets for signing.
//
// Two presets come from the seeds; a district copies one and changes what its own
// notice changes (a fee split, a term, a target):
//
//   auto gz = hotline::signing::policy::guangzhou_2017();   // 1-year terms, 30 % / 60 % targets
//   auto gx = hotline::signing::policy::guangxi_2023();     // 1-3 year terms, +1-3 points, 100 % 脱贫
//   gz.team_share_by_district["越秀区"] = 0.75;              // 002 §2.14 各区可适当调整分配比例
//   gz.allows_term(2);                                      // false: 002 §2.2 签约有效期为1年
//
// The rules, spelled out once:
//  * Term (002 §2.2; 003 §2.1.5): a contract signed on day S for N years is valid
//    from S up to and including the day before the same date N years later
//    (term_end(S, N) is that later date, exclusive).  A term that starts on
//    29 February ends before 1 March of the later year when that year has no
//    29 February: the resident never loses a day.
//  * Region (002 §2.2 在本行政区范围内跨区域选择): the team's institution must be in
//    the resident's district; another sub-district of the same district is fine.
//  * One contract at a time (002 §2.2 自愿选择1个家庭医生团队; 003 §2.1.4 or one
//    doctor): a resident's valid periods never overlap.
//  * Fee distribution (002 §2.14): of the free and basic packages' annual fee, 80 %
//    goes to the team to distribute and 20 % to the institution, unless the
//    district has set another share.  Personalised packages are priced and
//    distributed by the district or institution (002 §2.12): the same share
//    applies unless personalised_team_share is set.
//  * Long prescriptions (002 §2.6): 1 to 2 months, for a stable chronic patient
//    only.  A third month, an unstable patient or no chronic condition is refused.
//  * Home visits to residents 65 and over graded red or yellow (003 §2.3.2) are owed
//    at "the frequency national and regional rules require"; the seeds give no
//    number, so the preset's values (red every 7 days, yellow every 30) are this
//    library's placeholders, stated as such in every report that uses them.
//  * Not served (签而不约, 003 §3.1 杜绝只签约不服务): a valid contract older than
//    not_served_after_days with no service recorded in the last
//    not_served_after_days days.
//  * Standardised management of a chronic patient (004 §2.3 规范化管理率): at least
//    standardised_follow_ups follow-ups in the year to the date (the national basic
//    public-health service standard, 3rd edition, asks 4 a year for hypertension and
//    type-2 diabetes).
#pragma once

#include "hotline/error.hpp"
#include "hotline/signing/vocabulary.hpp"
#include "hotline/time.hpp"

#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hotline::signing {

/// The day a term of `years` starting on `start` ends (exclusive): see "Term" above.
inline day term_end(day start, int years) {
  const date::year_month_day s{start};
  const date::year_month_day e{s.year() + date::years(years), s.month(), s.day()};
  if (e.ok()) return day{e};
  // 29 February into a year without one: the term runs to the end of 28 February.
  return day{date::year_month_day{e.year(), date::March, date::day{1}}};
}

/// A coverage target (002 §1.2; 003 §1).
struct coverage_target {
  std::optional<double> at_least;               ///< an absolute rate (0.30)
  std::optional<double> points_over_previous;   ///< a rise over the previous year's rate (0.01 = 1 point)
  std::optional<double> points_over_previous_max;  ///< the upper end of a range ("1-3 个百分点")
  std::string source;                           ///< the article it comes from
};

struct policy {
  std::string name;                  ///< "广州 2017 (穗医改办〔2017〕36号)"
  std::vector<int> terms_years{1};   ///< the terms a contract may have
  double team_share = 0.8;           ///< 002 §2.14
  std::map<std::string, double> team_share_by_district;
  std::optional<double> personalised_team_share;
  int long_prescription_min_months = 1, long_prescription_max_months = 2;  ///< 002 §2.6
  int red_visit_every_days = 7, yellow_visit_every_days = 30;  ///< placeholders: see above
  int not_served_after_days = 180;
  int standardised_follow_ups = 4;
  coverage_target overall;
  coverage_target key_populations;   ///< all key populations together
  std::map<key_population, coverage_target> per_population;
  std::string citation;

  [[nodiscard]] bool allows_term(int years) const noexcept {
    for (int t : terms_years)
      if (t == years) return true;
    return false;
  }
  /// The share of a fee the team distributes in `district` (002 §2.14).
  [[nodiscard]] double team_share_in(const std::string& district, package_tier tier) const {
    if (tier == package_tier::personalised && personalised_team_share) return *personalised_team_share;
    auto it = team_share_by_district.find(district);
    return it == team_share_by_district.end() ? team_share : it->second;
  }
  /// Throws invalid_argument_error naming the policy and the field when a value is impossible.
  void check() const {
    auto bad = [&](const std::string& what) { throw invalid_argument_error("policy '" + name + "': " + what); };
    if (terms_years.empty()) bad("terms_years is empty");
    for (int t : terms_years)
      if (t < 1 || t > 10) bad("term of " + std::to_string(t) + " years is outside 1-10");
    if (!(team_share >= 0 && team_share <= 1)) bad("team_share must be within 0-1");
    for (const auto& [d, s] : team_share_by_district)
      if (!(s >= 0 && s <= 1)) bad("team share of " + d + " must be within 0-1");
    if (long_prescription_min_months < 1 || long_prescription_max_months < long_prescription_min_months)
      bad("long prescription months must satisfy 1 <= min <= max");
    if (red_visit_every_days < 1 || yellow_visit_every_days < 1) bad("home-visit intervals must be >= 1 day");
    if (not_served_after_days < 1) bad("not_served_after_days must be >= 1");
  }

  /// 穗医改办〔2017〕36号: 1-year terms (§2.2), 80/20 (§2.14), 30 % overall and 60 % key
  /// populations by the end of 2017, all special family-planning families (§1.2 目标2).
  static policy guangzhou_2017() {
    policy p;
    p.name = "广州 2017";
    p.citation = "穗医改办〔2017〕36号";
    p.terms_years = {1};
    p.overall = {0.30, {}, {}, "002 §1.2 目标2: 覆盖率 30% 以上"};
    p.key_populations = {0.60, {}, {}, "002 §1.2 目标2: 重点人群覆盖率 60% 以上"};
    p.per_population[key_population::special_family_planning] = {1.0, {}, {}, "002 §1.2 目标2: 计划生育特殊家庭全覆盖"};
    return p;
  }
  /// 广西 2023 (桂卫基层发〔2022〕9号 as applied by the 2023 notice): terms of 1-3 years
  /// (§2.1.5), overall and key-population rates 1-3 points over 2022, all poverty-alleviated
  /// and monitored people (§1).
  static policy guangxi_2023() {
    policy p;
    p.name = "广西 2023";
    p.citation = "广西 2023 年家庭医生签约服务工作通知";
    p.terms_years = {1, 2, 3};
    p.overall = {{}, 0.01, 0.03, "003 §1: 全人群覆盖率比2022年度提升1-3个百分点"};
    p.key_populations = {{}, 0.01, 0.03, "003 §1: 重点人群覆盖率比2022年度提升1-3个百分点"};
    p.per_population[key_population::poverty_alleviated] = {1.0, {}, {}, "003 §1: 脱贫人口签约服务全覆盖"};
    p.per_population[key_population::monitored] = {1.0, {}, {}, "003 §1: 监测对象签约服务全覆盖"};
    return p;
  }
};

}  // namespace hotline::signing
