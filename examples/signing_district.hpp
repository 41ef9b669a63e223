// signing_district.hpp: a synthetic district's year of family-doctor signing, for the
// signing example (signing_district.cpp) and its test (tests/test_signing_example.cpp).
//
//   auto d = district::generate();                  // seed 20171231, about 200,000 residents
//   auto cov = hotline::signing::coverage(d.registry, district::as_of);   // the library's figures
//   d.plan.contracts; d.plan.services; ...         // the generator's own record, to recount them
//
// Seeded (std::mt19937_64, no distribution objects): the same seed gives the same
// district, contracts and services on every run (and on every machine whose std::exp
// agrees: the Poisson draws of consultations use it).  The registry is filled
// through its public API only; `plan` is the generator's own record of what it did,
// in plain structs, so that a test recounts every figure without the report code.
//
// What is generated (proportions from DOMAIN §7 and the seeds 002-004; the rest made up):
//  * 白云区, a district of ten sub-districts (eight 街, two 镇) and sixty communities
//    or villages; about 200,000 residents in households of 1-5 (singles, couples,
//    parents with children, three generations), born 1925-2017 on China's 2017 age
//    pyramid (about 12 % aged 65 and over, 8-9 % aged 0-6); 94 % insured.
//  * Key-population attributes, dated: hypertension (about 12 % of those 35 and over,
//    rising with age), type-2 diabetes (about 5 %), tuberculosis (rare, a six-month
//    treatment span), severe mental disorder (0.5 % of adults), disabled (3 %),
//    poverty-alleviated (2 %), monitored (0.3 %), special family-planning families
//    (0.2 %, parents 49 and over), pregnancies of women 20-40 (conception to 42 days
//    after delivery).  Most diagnoses predate 2017; some are made during 2017.
//  * Institutions: a community health centre in each 街 and a township hospital in each
//    镇, six stations, four village clinics with ten village doctors, a private clinic
//    and two hospitals.  57 teams, each with a family doctor (a village doctor in two
//    village teams), a nurse and a public-health doctor; some with a TCM doctor, a
//    hospital specialist (shared between teams) or a pharmacist; seven township teams
//    have a village doctor (9 of 10 village doctors in a team: 002 §2.10's 90 %).
//    During 2017 six teams change family doctor and four change nurse, and the private
//    clinic's team is dissolved on 2017-10-01 (its contracts end, most re-sign at once).
//  * Packages (002 §2.12; fees illustrative, in fen, the three payers adding up): free,
//    basic, and four personalised ones (chronic disease, elderly at home, maternal, child).
//  * Signing: contracts of 2016 expire during 2017 and are mostly renewed (some with
//    another team: 002 §2.2), some lapse (a few re-sign after a gap); new contracts
//    through 2017, in person, online (004 §1.1), by a hotline application (000 art. 8.2)
//    or a whole household in one act (003 §2.2.2).  Key populations sign about 70 %,
//    the others about 35 %, varying by sub-district (Wuzhou 2017: 44.66 % / 70.32 %, 004);
//    chronic patients were the first signed and renew most.  Terminations: deaths
//    (age-dependent), moves out of the district, requests.  Residents who leave are
//    moved (move_resident) to 海珠区 or 天河区 and counted there, as the reports count
//    residents where they live now: coverage by district has two small rows besides
//    白云区 (the example charts 白云区's own sub-districts).  A few residents move
//    between sub-districts of 白云区 and keep their contract.
//  * Services over 2016-2017 on valid contracts by a member of the team that day:
//    health assessments, consultations, chronic follow-ups (most patients about
//    quarterly, some sparsely; the newly signed or diagnosed within a month), monthly
//    follow-ups during tuberculosis treatment, long prescriptions of 1-2 months for
//    stable hypertension or diabetes patients only, home visits (red every 3-7 days,
//    yellow 15-30, green 60-120; some red and yellow residents fall behind), referrals
//    up (with the three priorities) and down, in numbers scaled from Wuzhou's
//    (004: 10,163 up, -12.32 %; 3,083 down, +51.28 %).
//  * Red / yellow / green grades for about a third of signed residents 65 and over
//    (003 §2.2.1), a few re-graded later; specialist slots of both hospitals for every
//    month of 2017, 14-27 % opened to teams (002 §2.5); the verification sample of 200
//    contracts (reports.hpp's verification_sample as of 2017-12-01) surveyed in December.
//
// A gap this example works around: the registry records a death only through a
// contract's termination (terminate(..., death)).  Deaths of residents without a valid
// contract cannot be recorded, so the generator lets only signed residents' deaths
// reach the registry (and the record); the others stay registered as alive.
#pragma once

#include <hotline/signing/policy.hpp>
#include <hotline/signing/registry.hpp>
#include <hotline/signing/reports.hpp>
#include <hotline/time.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace district {

namespace sg = hotline::signing;
using hotline::day;

inline constexpr std::uint64_t default_seed = 20171231;
inline constexpr std::size_t default_residents = 200'000;
/// The reports' day: the end of 2017.
inline constexpr day as_of = day{date::year{2017} / date::December / date::day{31}};
/// The private clinic's team is dissolved on this day (its contracts end the day before).
inline constexpr day dissolution_day = day{date::year{2017} / date::October / date::day{1}};
/// The day of the verification sample (reports.hpp verification_sample) and its size.
inline constexpr day sample_day = day{date::year{2017} / date::December / date::day{1}};
inline constexpr std::size_t sample_size = 200;

// ---- the generator's record ------------------------------------------------------

struct attribute_span {
  sg::attribute what = sg::attribute::hypertension;
  day from{};
  std::optional<day> to;  ///< exclusive; none: open
};

struct resident_record {
  std::string id;
  day birth{};
  hotline::sex sex = hotline::sex::unknown;
  bool insured = true;
  std::size_t household = 0;                     ///< index into households
  std::string district, subdistrict, community;  ///< where the resident lives at the end (after moves)
  std::size_t home = 0;                          ///< index of the sub-district lived in at the start
  std::vector<attribute_span> attributes;
  std::vector<std::pair<day, sg::elderly_grade>> grades;  ///< in date order
  std::optional<day> died;                                ///< as recorded (by a death termination)
  std::vector<std::size_t> contracts;                     ///< indices into contracts, in signing order
};

struct household_record {
  std::string id;
  std::vector<std::size_t> members;
  bool signed_together = false;  ///< registered with the registry and signed in one act
};

struct contract_record {
  std::string id;  ///< as the registry numbered it
  std::size_t resident = 0;
  std::string team, institution;
  std::vector<std::string> packages;
  day start{}, end{};
  std::optional<day> terminated_on;
  std::optional<sg::termination_reason> reason;
  std::optional<std::size_t> renewal_of;  ///< index of the contract renewed
  sg::signing_channel channel = sg::signing_channel::in_person;
  std::string application;
  [[nodiscard]] day valid_until() const { return terminated_on ? *terminated_on : end; }
  [[nodiscard]] bool valid_on(day d) const { return start <= d && d < valid_until(); }
};

struct service_entry {
  std::size_t contract = 0;  ///< index into contracts
  std::string staff;
  sg::service_kind kind = sg::service_kind::consultation;
  day on{};
  int months = 0;
  sg::attribute condition = sg::attribute::hypertension;
  bool stable = false;
  sg::referral_priority priority = sg::referral_priority::none;
  std::string counterpart;
};

struct membership_record {
  std::string team, staff;
  sg::team_role role = sg::team_role::family_doctor;
  day from{};
  std::optional<day> to;
};

struct application_record {
  std::string order;
  std::size_t resident = 0;
  std::string institution;
  day received{};
  std::optional<std::size_t> contract;  ///< none: still open
};

struct subdistrict_record {
  std::string name;
  bool town = false;
  std::vector<std::string> communities;
};

struct record {
  std::string district;
  std::vector<subdistrict_record> subdistricts;
  std::vector<sg::institution> institutions;
  std::vector<sg::team> teams;
  std::vector<sg::staff_member> staff;
  std::vector<membership_record> memberships;
  std::vector<sg::package> packages;
  std::vector<resident_record> residents;
  std::vector<household_record> households;
  std::vector<contract_record> contracts;
  std::vector<service_entry> services;  ///< in the order recorded (the registry's seq - 1)
  std::vector<application_record> applications;
  std::vector<sg::survey_answer> surveys;
  std::vector<sg::specialist_slots> slots;
};

struct generated {
  sg::registry registry{sg::policy::guangzhou_2017()};
  record plan;
};

namespace detail {

class rng {
 public:
  explicit rng(std::uint64_t seed) : g_(seed) {}
  /// 0..n-1 (n > 0), the same on every platform.
  std::uint64_t below(std::uint64_t n) { return g_() % n; }
  /// lo..hi inclusive.
  int between(int lo, int hi) { return lo + static_cast<int>(below(static_cast<std::uint64_t>(hi - lo + 1))); }
  /// [0, 1) with 53 bits.
  double unit() { return static_cast<double>(g_() >> 11) * 0x1.0p-53; }
  bool chance(double p) { return unit() < p; }
  /// a day in [a, b], both included (a <= b).
  day day_in(day a, day b) {
    if (b < a) throw std::logic_error("signing_district: an empty span of days");
    return a + date::days{static_cast<int>(below(static_cast<std::uint64_t>((b - a).count() + 1)))};
  }
  /// A Poisson count of mean m (Knuth; m small).
  int poisson(double m) {
    const double limit = std::exp(-m);
    double p = 1;
    int k = 0;
    do {
      ++k;
      p *= unit();
    } while (p > limit);
    return k - 1;
  }

 private:
  std::mt19937_64 g_;
};

inline day ymd(int y, unsigned m, unsigned d) { return day{date::year{y} / date::month{m} / date::day{d}}; }
inline const day y2016 = ymd(2016, 1, 1), y2017 = ymd(2017, 1, 1), y2018 = ymd(2018, 1, 1);

/// The same date `years` later; 29 February into a year without one gives 1 March.
inline day years_after(day d, int years) {
  const date::year_month_day s{d};
  const date::year_month_day e{s.year() + date::years{years}, s.month(), s.day()};
  return e.ok() ? day{e} : day{e.year() / date::March / date::day{1}};
}
/// Completed years on `on`.
inline int age_on(day birth, day on) {
  const date::year_month_day b{birth}, o{on};
  int a = static_cast<int>(o.year()) - static_cast<int>(b.year());
  if (std::pair(unsigned(o.month()), unsigned(o.day())) < std::pair(unsigned(b.month()), unsigned(b.day()))) --a;
  return a;
}

/// China's age structure in 2017 by five-year band (percent; 0-4 ... 85-89, then 90-92).
inline constexpr std::array<double, 19> k_pyramid{5.9, 5.6, 5.3, 5.5, 6.6, 8.9, 7.9, 7.1, 8.3, 8.8,
                                                  7.9, 5.9, 5.8, 4.2, 2.8, 1.9, 1.2, 0.6, 0.2};
inline constexpr int k_max_age = 92;

struct subdistrict_def {
  const char* name;
  const char* stem;
  bool town;
  double size;    ///< relative population
  double uptake;  ///< relative readiness to sign (teams' effort, distance)
};
inline constexpr std::array<subdistrict_def, 10> k_subdistricts{{
    {"景泰街", "景泰", false, 1.10, 1.06},
    {"松洲街", "松洲", false, 1.00, 0.96},
    {"同德街", "同德", false, 1.20, 0.88},
    {"黄石街", "黄石", false, 0.90, 1.10},
    {"新市街", "新市", false, 1.00, 1.00},
    {"棠景街", "棠景", false, 0.90, 0.93},
    {"三元里街", "三元里", false, 0.80, 1.12},
    {"永平街", "永平", false, 1.10, 0.84},
    {"人和镇", "人和", true, 1.00, 1.14},
    {"太和镇", "太和", true, 1.00, 0.80},
}};
inline constexpr std::array<const char*, 6> k_ordinals{"一", "二", "三", "四", "五", "六"};
inline constexpr std::array<const char*, 24> k_surnames{"王", "李", "张", "刘", "陈", "杨", "黄", "赵",
                                                        "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
                                                        "何", "林", "罗", "梁", "宋", "郑", "谢", "韩"};
inline constexpr std::array<const char*, 20> k_given{"丽华", "建国", "秀英", "志强", "海燕", "伟明", "晓玲",
                                                     "国平", "美玲", "少华", "永红", "家豪", "嘉怡", "文杰",
                                                     "淑芬", "振华", "小梅", "俊杰", "慧敏", "子健"};
/// Where residents who leave the district go (another district of the city).
inline constexpr std::array<std::array<const char*, 3>, 2> k_elsewhere{{
    {"海珠区", "江南中街", "江南中社区"},
    {"天河区", "石牌街", "石牌社区"},
}};

enum class path : std::uint8_t { never, renewed, renewed_other_team, lapsed, lapsed_resigned, new_2017, household };
enum class event_kind : std::uint8_t { none, death, moved_away, request };
struct life_event {
  event_kind kind = event_kind::none;
  day on{};
  [[nodiscard]] bool stops() const { return kind == event_kind::death || kind == event_kind::moved_away; }
};

class builder {
 public:
  builder(generated& out, std::uint64_t seed, std::size_t n)
      : reg_(out.registry), p_(out.plan), r_(seed), seed_(seed), n_(n) {}

  void run() {
    p_.district = "白云区";
    lay_out_places();
    institutions_and_teams();
    packages();
    residents();
    decide();
    households_signing_together();
    timelines();
    moves_within_district();
    open_applications();
    grades();
    services();
    slots();
    surveys();
  }

 private:
  sg::registry& reg_;
  record& p_;
  rng r_;
  std::uint64_t seed_;
  std::size_t n_;

  std::array<double, k_max_age + 1> age_weight_{};
  std::vector<std::vector<std::size_t>> teams_of_sub_;              // per sub-district: centre and station teams
  std::vector<std::pair<std::string, std::size_t>> village_teams_;  // (community, team)
  std::size_t private_team_ = 0;
  std::vector<std::size_t> hospitals_;  // institution indices
  std::vector<path> path_;
  std::vector<life_event> event_;
  std::vector<std::vector<std::string>> packages_of_;  // per resident: what the resident chooses
  std::vector<bool> stable_;                           // per resident: a stable chronic patient
  std::vector<bool> uses_long_rx_;
  int application_no_ = 0;

  [[noreturn]] static void fail(const std::string& what) { throw std::logic_error("signing_district: " + what); }

  // ---- places, institutions, teams ------------------------------------------------
  void lay_out_places() {
    for (int a = 0; a <= k_max_age; ++a)
      age_weight_[std::size_t(a)] = k_pyramid[std::size_t(a / 5)] / (a >= 90 ? 3.0 : 5.0);
    for (const auto& s : k_subdistricts) {
      subdistrict_record sd;
      sd.name = s.name;
      sd.town = s.town;
      for (const char* o : k_ordinals)
        sd.communities.push_back(fmt::format("{}{}{}", s.stem, o, s.town ? "村" : "社区"));
      p_.subdistricts.push_back(std::move(sd));
    }
  }

  std::string person_name() {
    return std::string(k_surnames[r_.below(k_surnames.size())]) + k_given[r_.below(k_given.size())];
  }
  std::string new_staff(const std::string& institution, sg::team_role q) {
    std::string id = fmt::format("S{:04}", p_.staff.size() + 1);
    sg::staff_member s{id, person_name(), institution, q};
    reg_.add_staff(s);
    p_.staff.push_back(std::move(s));
    return id;
  }
  void add_institution(sg::institution i) {
    reg_.add_institution(i);
    p_.institutions.push_back(std::move(i));
  }
  void join(const std::string& team, const std::string& staff, sg::team_role role, day from) {
    reg_.join_team(team, staff, role, from);
    p_.memberships.push_back({team, staff, role, from, std::nullopt});
  }
  void leave(const std::string& team, const std::string& staff, day to) {
    reg_.leave_team(team, staff, to);
    for (auto& m : p_.memberships)
      if (m.team == team && m.staff == staff && !m.to) m.to = to;
  }
  std::size_t add_team(const std::string& institution, const std::string& lead, sg::team_role lead_role) {
    const auto k = p_.teams.size();
    std::size_t same = 0;
    for (const auto& t : p_.teams) same += t.institution == institution;
    std::string lead_name;
    for (const auto& s : p_.staff)
      if (s.id == lead) lead_name = s.name;
    sg::team t{fmt::format("{}-T{}", institution, same + 1), institution, lead_name + "医生团队", false};
    reg_.add_team(t);
    p_.teams.push_back(t);
    join(t.code, lead, lead_role, y2016);
    return k;
  }

  void institutions_and_teams() {
    const std::string& dist = p_.district;
    add_institution({"BY-H01", "白云区人民医院", sg::institution_kind::hospital, dist, "景泰街"});
    add_institution({"BY-H02", "白云区中医医院", sg::institution_kind::hospital, dist, "三元里街"});
    hospitals_ = {0, 1};
    std::vector<std::string> specialists;
    for (int i = 0; i < 10; ++i)
      specialists.push_back(new_staff(i < 6 ? "BY-H01" : "BY-H02", sg::team_role::specialist));
    std::size_t next_specialist = 0;

    // Village clinics and their doctors (002 §2.10), two clinics in each town.
    std::vector<std::string> village_doctors;                         // in clinic order
    std::vector<std::pair<std::size_t, std::string>> clinic_of_town;  // (town sub-district, clinic code)
    int clinic_no = 0;
    for (std::size_t s = 0; s < k_subdistricts.size(); ++s) {
      if (!k_subdistricts[s].town) continue;
      for (std::size_t v = 0; v < 2; ++v) {
        const std::string code = fmt::format("BY-V{:02}", ++clinic_no);
        const auto& village = p_.subdistricts[s].communities[v];
        add_institution(
            {code, village + "卫生站", sg::institution_kind::village_clinic, dist, p_.subdistricts[s].name});
        clinic_of_town.emplace_back(s, code);
        for (int k = 0; k < (clinic_no <= 2 ? 3 : 2); ++k)
          village_doctors.push_back(new_staff(code, sg::team_role::village_doctor));
      }
    }

    teams_of_sub_.resize(k_subdistricts.size());
    int station_no = 0;
    // Village doctors in township teams: all but the two village teams' leads (0 and 6) and one more.
    static constexpr std::array<std::size_t, 7> k_in_township{1, 2, 3, 4, 5, 7, 8};
    std::size_t village_assigned = 0;
    auto staff_team = [&](std::size_t t, const std::string& inst, bool town) {
      const auto& code = p_.teams[t].code;
      join(code, new_staff(inst, sg::team_role::community_nurse), sg::team_role::community_nurse, y2016);
      join(code, new_staff(inst, sg::team_role::public_health_doctor), sg::team_role::public_health_doctor, y2016);
      if (r_.chance(0.4)) join(code, new_staff(inst, sg::team_role::tcm_doctor), sg::team_role::tcm_doctor, y2016);
      if (r_.chance(0.15)) join(code, new_staff(inst, sg::team_role::pharmacist), sg::team_role::pharmacist, y2016);
      if (r_.chance(0.28)) {  // a hospital specialist supports the team (003 §2.1.2)
        join(code, specialists[next_specialist % specialists.size()], sg::team_role::specialist, y2016);
        ++next_specialist;
      }
      if (town && village_assigned < k_in_township.size())
        join(code, village_doctors[k_in_township[village_assigned++]], sg::team_role::village_doctor, y2016);
    };
    for (std::size_t s = 0; s < k_subdistricts.size(); ++s) {
      const auto& def = k_subdistricts[s];
      const std::string centre = fmt::format("BY-C{:02}", s + 1);
      add_institution(
          {centre, def.town ? std::string(def.stem) + "镇卫生院" : std::string(def.name) + "社区卫生服务中心",
           def.town ? sg::institution_kind::township_hospital : sg::institution_kind::community_health_centre, dist,
           def.name});
      for (int k = 0; k < (def.town ? 4 : 5); ++k) {
        const auto t = add_team(centre, new_staff(centre, sg::team_role::family_doctor), sg::team_role::family_doctor);
        staff_team(t, centre, def.town);
        teams_of_sub_[s].push_back(t);
      }
      if (!def.town && s < 6) {
        const std::string station = fmt::format("BY-S{:02}", ++station_no);
        add_institution({station, p_.subdistricts[s].communities[1] + "社区卫生服务站",
                         sg::institution_kind::community_health_station, dist, def.name});
        const auto t =
            add_team(station, new_staff(station, sg::team_role::family_doctor), sg::team_role::family_doctor);
        staff_team(t, station, false);
        teams_of_sub_[s].push_back(t);
      }
    }
    // Two village teams led by their village doctor (002 §2.10 第一责任人), with a township nurse.
    for (std::size_t v : {std::size_t{0}, std::size_t{2}}) {
      const auto& [town, clinic] = clinic_of_town[v];
      const std::string lead = village_doctors[v == 0 ? 0 : 6];  // the clinic's first doctor
      const auto t = add_team(clinic, lead, sg::team_role::village_doctor);
      join(p_.teams[t].code, new_staff(fmt::format("BY-C{:02}", town + 1), sg::team_role::community_nurse),
           sg::team_role::community_nurse, y2016);
      village_teams_.emplace_back(p_.subdistricts[town].communities[v % 2], t);
    }
    // The private clinic (002 §2.3): one team, dissolved on 2017-10-01.
    add_institution({"BY-P01", "白云景泰全科诊所", sg::institution_kind::private_clinic, dist, "景泰街"});
    private_team_ = add_team("BY-P01", new_staff("BY-P01", sg::team_role::family_doctor), sg::team_role::family_doctor);
    join(p_.teams[private_team_].code, new_staff("BY-P01", sg::team_role::community_nurse),
         sg::team_role::community_nurse, y2016);

    // Membership changes during 2017: six family doctors and four nurses hand over the same day.
    std::vector<std::size_t> urban;
    for (std::size_t s = 0; s < 8; ++s) urban.push_back(teams_of_sub_[s].front());
    for (std::size_t s = 0; s < 8; ++s) urban.push_back(teams_of_sub_[s][2]);
    for (std::size_t k = 0; k < 10; ++k) {
      const auto& t = p_.teams[urban[k]];
      const auto role = k < 6 ? sg::team_role::family_doctor : sg::team_role::community_nurse;
      const day on = r_.day_in(ymd(2017, 3, 1), ymd(2017, 11, 30));
      std::string old;
      for (const auto& m : p_.memberships)
        if (m.team == t.code && m.role == role && !m.to) old = m.staff;
      leave(t.code, old, on);
      join(t.code, new_staff(t.institution, role), role, on);
    }
    // The dissolution: everyone leaves the private team.
    const std::string pt = p_.teams[private_team_].code;
    std::vector<std::string> members;
    for (const auto& m : p_.memberships)
      if (m.team == pt && !m.to) members.push_back(m.staff);
    for (const auto& s : members) leave(pt, s, dissolution_day);
  }

  void packages() {
    using sg::package_tier;
    const std::vector<sg::package> list{
        {"FREE",
         "免费服务包",
         package_tier::free_package,
         {"建立健康档案", "健康教育", "慢病随访", "预防接种"},
         4000,
         0,
         4000,
         0},
        {"BASIC",
         "基本服务包",
         package_tier::basic,
         {"健康评估", "预约就诊", "健康咨询", "长处方", "转诊"},
         12000,
         8000,
         2000,
         2000},
        {"P-CHRONIC",
         "慢病管理服务包",
         package_tier::personalised,
         {"血压血糖监测", "用药指导"},
         24000,
         12000,
         0,
         12000},
        {"P-ELDER", "老年人居家服务包", package_tier::personalised, {"上门巡诊", "家庭病床"}, 36000, 10000, 0, 26000},
        {"P-MATERNAL", "孕产妇保健服务包", package_tier::personalised, {"孕期随访", "产后访视"}, 20000, 0, 0, 20000},
        {"P-CHILD", "儿童健康管理服务包", package_tier::personalised, {"生长发育评估", "喂养指导"}, 15000, 0, 0, 15000},
    };
    for (const auto& pk : list) {
      if (pk.insurance_fen + pk.public_health_fen + pk.resident_fen != pk.fee_fen)
        fail("package " + pk.code + " does not add up");
      reg_.add_package(pk);
      p_.packages.push_back(pk);
    }
  }

  // ---- residents ------------------------------------------------------------------
  int age_in(int lo, int hi) {
    lo = std::max(lo, 0);
    hi = std::min(hi, k_max_age);
    double total = 0;
    for (int a = lo; a <= hi; ++a) total += age_weight_[std::size_t(a)];
    double x = r_.unit() * total;
    for (int a = lo; a <= hi; ++a) {
      x -= age_weight_[std::size_t(a)];
      if (x < 0) return a;
    }
    return hi;
  }
  day birth_for_age(int age) {
    // completed years on 2017-12-31: born in 2017 - age
    const int y = 2017 - age;
    return r_.day_in(ymd(y, 1, 1), ymd(y, 12, 31));
  }
  static hotline::sex other(hotline::sex s) {
    return s == hotline::sex::male ? hotline::sex::female : hotline::sex::male;
  }
  hotline::sex any_sex() { return r_.chance(0.5) ? hotline::sex::male : hotline::sex::female; }

  void residents() {
    // Communities of each sub-district have their own sizes.
    std::vector<std::pair<std::size_t, std::size_t>> places;  // (sub-district, community)
    std::vector<double> weight;
    double total = 0;
    for (std::size_t s = 0; s < k_subdistricts.size(); ++s)
      for (std::size_t c = 0; c < p_.subdistricts[s].communities.size(); ++c) {
        places.emplace_back(s, c);
        weight.push_back(k_subdistricts[s].size * (0.6 + 0.8 * r_.unit()));
        total += weight.back();
      }
    struct person {
      int age;
      hotline::sex sex;
    };
    std::vector<std::uint32_t> place_of;  // per resident: index into places
    while (p_.residents.size() < n_) {
      double x = r_.unit() * total;
      std::size_t pl = 0;
      while (pl + 1 < places.size() && (x -= weight[pl]) >= 0) ++pl;
      // Singles and couples are often old (empty nests, the widowed); children follow the
      // pyramid and their parents are 23-36 years older; a three-generation household has
      // a grandparent 26-34 years older than the parent.
      std::vector<person> members;
      auto children = [&](int first, int parent, int count) {
        members.push_back({first, any_sex()});
        for (int k = 1; k < count; ++k)
          members.push_back({std::clamp(first + r_.between(-8, 8), 0, std::min(24, parent - 20)), any_sex()});
      };
      const double kind = r_.unit();
      if (kind < 0.16) {
        members.push_back({r_.chance(0.5) ? age_in(60, k_max_age) : age_in(20, 59), any_sex()});
      } else if (kind < 0.46) {
        const int head = r_.chance(0.45) ? age_in(60, 90) : age_in(23, 59);
        const auto sx = any_sex();
        members.push_back({head, sx});
        members.push_back({std::clamp(head + r_.between(-4, 4), 20, k_max_age), other(sx)});
      } else if (kind < 0.84) {
        const int first = age_in(0, 24);
        const int head = std::min(first + r_.between(23, 36), k_max_age);
        const auto sx = any_sex();
        members.push_back({head, sx});
        members.push_back({std::clamp(head + r_.between(-3, 3), 20, k_max_age), other(sx)});
        children(first, head, r_.chance(0.55) ? 1 : r_.chance(0.78) ? 2 : 3);
      } else {
        const int first = age_in(0, 20);
        const int head = std::min(first + r_.between(23, 34), k_max_age);
        const auto sx = any_sex();
        members.push_back({head, sx});
        members.push_back({std::clamp(head + r_.between(-3, 3), 20, k_max_age), other(sx)});
        children(first, head, r_.chance(0.6) ? 1 : 2);
        members.push_back({std::clamp(head + r_.between(26, 34), 55, k_max_age), any_sex()});
      }
      household_record h;
      h.id = fmt::format("H{:06}", p_.households.size() + 1);
      const auto& [s, c] = places[pl];
      for (const auto& m : members) {
        if (p_.residents.size() >= n_) break;
        resident_record rr;
        rr.id = fmt::format("R{:06}", p_.residents.size() + 1);
        rr.birth = birth_for_age(m.age);
        rr.sex = m.sex;
        rr.insured = r_.chance(0.94);
        rr.household = p_.households.size();
        rr.district = p_.district;
        rr.subdistrict = p_.subdistricts[s].name;
        rr.community = p_.subdistricts[s].communities[c];
        rr.home = s;
        place_of.push_back(static_cast<std::uint32_t>(pl));
        h.members.push_back(p_.residents.size());
        p_.residents.push_back(std::move(rr));
      }
      p_.households.push_back(std::move(h));
    }
    // All at once, as a district's health records are loaded (registry::add_residents).
    sg::resident_rows rows;
    for (const auto& [s, c] : places)
      rows.places.push_back({p_.district, p_.subdistricts[s].name, p_.subdistricts[s].communities[c]});
    rows.place = std::move(place_of);
    for (const auto& rr : p_.residents) {
      rows.ids.push_back(rr.id);
      rows.birth.push_back(rr.birth);
      rows.sex.push_back(rr.sex);
      rows.insured.push_back(rr.insured ? 1 : 0);
    }
    reg_.add_residents(rows);
    attributes();
  }

  void add_attr(std::size_t i, sg::attribute a, day from, std::optional<day> to = {}) {
    auto& rr = p_.residents[i];
    from = std::max(from, rr.birth);
    if (to && *to <= from) return;
    reg_.add_attribute(rr.id, a, from, to);
    rr.attributes.push_back({a, from, to});
  }
  /// A diagnosis day: mostly before 2017 (not before age `min_age`), sometimes during 2017.
  day diagnosed(const resident_record& rr, int min_age, double in_2017) {
    if (r_.chance(in_2017)) return r_.day_in(y2017, as_of);
    const day earliest = std::max(years_after(rr.birth, min_age), ymd(2000, 1, 1));
    return earliest < ymd(2016, 12, 31) ? r_.day_in(earliest, ymd(2016, 12, 31)) : r_.day_in(y2017, as_of);
  }

  void attributes() {
    using sg::attribute;
    stable_.assign(p_.residents.size(), false);
    uses_long_rx_.assign(p_.residents.size(), false);
    for (std::size_t i = 0; i < p_.residents.size(); ++i) {
      const auto& rr = p_.residents[i];
      const int age = age_on(rr.birth, as_of);
      const double ht = age < 35 ? 0 : age < 45 ? 0.04 : age < 55 ? 0.09 : age < 65 ? 0.16 : 0.22;
      const double dm = age < 35 ? 0 : age < 45 ? 0.02 : age < 55 ? 0.04 : age < 65 ? 0.07 : 0.09;
      bool chronic = false;
      if (r_.chance(ht)) {
        add_attr(i, attribute::hypertension, diagnosed(rr, 30, 0.08));
        chronic = true;
      }
      if (r_.chance(dm)) {
        add_attr(i, attribute::diabetes, diagnosed(rr, 30, 0.08));
        chronic = true;
      }
      if (chronic) {
        stable_[i] = r_.chance(0.7);
        uses_long_rx_[i] = stable_[i] && r_.chance(0.45);
      }
      if (age >= 15 && r_.chance(0.0006)) {
        const day from = r_.day_in(ymd(2016, 7, 1), ymd(2017, 12, 1));
        add_attr(i, attribute::tuberculosis, from, from + date::days{180});
      }
      if (age >= 18 && r_.chance(0.005)) add_attr(i, attribute::severe_mental_disorder, diagnosed(rr, 16, 0.05));
      if (r_.chance(age >= 65 ? 0.08 : 0.022)) add_attr(i, attribute::disabled, diagnosed(rr, 0, 0.03));
      if (r_.chance(0.02)) add_attr(i, attribute::poverty_alleviated, r_.chance(0.8) ? y2016 : r_.day_in(y2017, as_of));
      if (r_.chance(0.003)) add_attr(i, attribute::monitored, r_.day_in(ymd(2016, 6, 1), ymd(2017, 10, 31)));
      if (age >= 49 && r_.chance(0.006))
        add_attr(i, attribute::special_family_planning, r_.day_in(ymd(2008, 1, 1), ymd(2016, 12, 31)));
      if (rr.sex == hotline::sex::female && age >= 20 && age <= 40 && r_.chance(0.075)) {
        // conception to 42 days after delivery: 280 + 42 days
        const day from = r_.day_in(ymd(2016, 4, 1), as_of);
        if (age_on(rr.birth, from) >= 20) add_attr(i, attribute::pregnant_or_postpartum, from, from + date::days{322});
      }
    }
  }

  [[nodiscard]] bool in_force(const resident_record& rr, sg::attribute a, day d) const {
    for (const auto& s : rr.attributes)
      if (s.what == a && s.from <= d && (!s.to || d < *s.to)) return true;
    return false;
  }
  [[nodiscard]] bool key_on(const resident_record& rr, day d) const {
    const int age = age_on(rr.birth, d);
    if (rr.birth <= d && (age >= 65 || age <= 6)) return true;
    for (const auto& s : rr.attributes)
      if (s.from <= d && (!s.to || d < *s.to)) return true;
    return false;
  }
  [[nodiscard]] bool chronic_ever(const resident_record& rr) const {
    for (const auto& s : rr.attributes)
      if (sg::is_chronic(s.what)) return true;
    return false;
  }

  // ---- contracts ------------------------------------------------------------------
  std::size_t choose_team(std::size_t i, day on, std::optional<std::size_t> not_this = {});
  std::vector<std::string> choose_packages(std::size_t i);
  void check_same(const sg::contract& c, const contract_record& k);
  std::size_t remember(const sg::contract& c, contract_record k);
  std::string open_application(std::size_t i, const std::string& institution, day received);
  std::size_t sign(std::size_t i, std::size_t team, day start, sg::signing_channel ch);
  std::size_t renew(std::size_t c, std::optional<std::size_t> team);
  void end_contract(std::size_t c, day on, sg::termination_reason why);
  sg::signing_channel new_channel();

  /// What ends contract `c`, and what follows it (see the top: renewals, lapses, the dissolution).
  void follow(std::size_t i, std::size_t c, bool expiry_decided);
  void decide();
  void households_signing_together();
  void timelines();
  void moves_within_district();
  void open_applications();

  // ---- grades and services ----------------------------------------------------------
  std::optional<std::size_t> contract_on(const resident_record& rr, day d) const;
  void grades();
  std::map<std::string, std::vector<std::size_t>> members_of_;  // team -> memberships (built for services)
  std::string staff_for(const std::string& team, day on, std::initializer_list<sg::team_role> roles);
  std::vector<service_entry> pending_;
  void add(std::size_t c, sg::service_kind kind, day on, std::initializer_list<sg::team_role> roles);
  /// Days from `first`, `step()` apart, up to `last` (included).
  template <class Step, class Each>
  static void every(day first, day last, Step step, Each each);
  void services();
  void slots();
  void surveys();
};

}  // namespace detail
}  // namespace district

// The builder's larger steps, defined out of the class to keep each file to one subject.
#include "signing_district_contracts.hpp"
#include "signing_district_services.hpp"

namespace district {

/// The district, its registry filled through the public API, and the generator's record.
inline generated generate(std::uint64_t seed = default_seed, std::size_t residents = default_residents) {
  generated out;
  detail::builder(out, seed, residents).run();
  return out;
}

}  // namespace district
