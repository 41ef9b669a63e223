// The signing reports against the articles: coverage and its targets (002 §1.2, 003 §1),
// referrals year on year with Wuzhou's 2017 figures (004 二(二)), standardised management
// (004 二(三)), the workforce shares (002 §2.5, §2.10), contracts not served (003 三(一)),
// red and yellow residents behind on visits (003 二(三)2), the verification sample and
// the surveys (000 art. 8.5, 004 一(五)).  Figures are recounted here from the rows the
// test adds, never taken from the code under test.
#include "hotline/resident_id.hpp"
#include "hotline/signing/reports.hpp"
#include "signing_test_support.hpp"

#include <algorithm>
#include <set>

using namespace hotline;
using namespace hotline::signing;
using hotline::test::add_region;
using hotline::test::contains_error;
using hotline::test::d;
using hotline::test::resident_at;
using hotline::test::service_of;
using hotline::test::signing_of;

namespace {
const coverage_row& row_named(const coverage_result& c, const std::string& g) {
  auto it = std::find_if(c.rows.begin(), c.rows.end(), [&](const auto& r) { return r.group == g; });
  REQUIRE(it != c.rows.end());
  return *it;
}
const target_check& target_named(const coverage_result& c, const std::string& what) {
  auto it = std::find_if(c.targets.begin(), c.targets.end(), [&](const auto& t) { return t.what == what; });
  REQUIRE(it != c.targets.end());
  return *it;
}
}  // namespace

TEST_CASE("coverage: signed and valid over the population, by district, sub-district and team") {
  registry r(policy::guangzhou_2017());
  add_region(r);
  // 越秀区 北京街: 10 residents, 4 of them 65+; 大塘街: 5 residents, 1 child; 海珠区: 5 residents
  int n = 0;
  auto add = [&](int count, day birth, const std::string& sub, const std::string& district) {
    for (int i = 0; i < count; ++i) r.add_resident(resident_at("R" + std::to_string(++n), birth, sub, district));
  };
  add(4, d(1940, 1, 1), "北京街", "越秀区");   // R1-R4 elderly
  add(6, d(1980, 1, 1), "北京街", "越秀区");   // R5-R10
  add(1, d(2014, 1, 1), "大塘街", "越秀区");   // R11 child
  add(4, d(1980, 1, 1), "大塘街", "越秀区");   // R12-R15
  add(5, d(1980, 1, 1), "江南中街", "海珠区");  // R16-R20
  r.add_resident(resident_at("UNBORN", d(2018, 1, 1), "北京街", "越秀区"));
  r.add_attribute("R5", attribute::hypertension, d(2015, 1, 1));
  // signed on 2017-12-31: R1, R2, R3 (elderly), R5 (hypertension), R11 (child, with T1 across sub-districts),
  // R12 with T2, R16 and R17 in 海珠区.  R6 signed but terminated; R7's contract expired.
  for (const char* id : {"R1", "R2", "R3", "R5", "R11"}) r.sign(signing_of(id, "T1", d(2017, 6, 1)));
  r.sign(signing_of("R12", "T2", d(2017, 6, 1)));
  r.sign(signing_of("R16", "T9", d(2017, 6, 1)));
  r.sign(signing_of("R17", "T9", d(2017, 6, 1)));
  r.terminate(r.sign(signing_of("R6", "T1", d(2017, 6, 1))).id, d(2017, 12, 31), termination_reason::resident_request);
  r.sign(signing_of("R7", "T1", d(2016, 12, 31)));  // valid to 2017-12-30

  const auto c = coverage(r, d(2017, 12, 31));
  CHECK(c.total.all.population == 20);
  CHECK(c.total.all.signed_count == 8);
  const auto& yx = row_named(c, "越秀区");
  CHECK(yx.all.population == 15);
  CHECK(yx.all.signed_count == 6);
  CHECK(yx.key.population == 6);  // 4 elderly, R5, R11
  CHECK(yx.key.signed_count == 5);
  CHECK(yx.by_population[size_t(key_population::elderly)].population == 4);
  CHECK(yx.by_population[size_t(key_population::elderly)].signed_count == 3);
  CHECK(yx.by_population[size_t(key_population::child)].signed_count == 1);
  CHECK(row_named(c, "海珠区").all.rate() == doctest::Approx(0.4));

  const auto sub = coverage(r, d(2017, 12, 31), grouping::subdistrict);
  CHECK(row_named(sub, "越秀区 大塘街").all.population == 5);
  CHECK(row_named(sub, "越秀区 大塘街").all.signed_count == 2);  // R11 (with T1) and R12

  const auto team = coverage(r, d(2017, 12, 31), grouping::team);
  CHECK(row_named(team, "T1").all.signed_count == 5);
  CHECK(row_named(team, "T1").key.signed_count == 5);
  CHECK(row_named(team, "T2").all.signed_count == 1);
  CHECK(team.targets.empty());
  const auto inst = coverage(r, d(2017, 12, 31), grouping::institution);
  CHECK(row_named(inst, "YX-BJ").all.signed_count == 5);

  // 002 §1.2: 30 % overall (8/20 = 40 %: met), 60 % key populations (5/6: met), all special FP families
  CHECK(target_named(c, "全人群").met);
  CHECK(target_named(c, "全人群").required == doctest::Approx(0.30));
  CHECK(target_named(c, "重点人群").rate == doctest::Approx(5.0 / 6.0));
  CHECK(target_named(c, "重点人群").met);
  // nobody is in a special family-planning family: 0 of 0 is not 100 %
  CHECK_FALSE(target_named(c, "计划生育特殊家庭").met);

  const auto table = coverage_table(c);
  CHECK(table.rows.size() == 3);  // two districts and the total
  CHECK(std::get<double>(table.rows.back()[2]) == 8.0);
}

TEST_CASE("003 §1: Guangxi's targets are 1-3 points over the same day a year before") {
  registry r(policy::guangxi_2023());
  add_region(r);
  for (int i = 0; i < 100; ++i) r.add_resident(resident_at("R" + std::to_string(i), d(1980, 1, 1)));
  r.add_attribute("R0", attribute::poverty_alleviated, d(2020, 1, 1));
  for (int i = 0; i < 40; ++i) r.sign(signing_of("R" + std::to_string(i), "T1", d(2022, 1, 1), 3));
  for (int i = 40; i < 42; ++i) r.sign(signing_of("R" + std::to_string(i), "T1", d(2023, 1, 1), 1));
  const auto c = coverage(r, d(2023, 12, 31));
  const auto& all = target_named(c, "全人群");
  CHECK(all.previous_rate == doctest::Approx(0.40));
  CHECK(all.required == doctest::Approx(0.41));
  CHECK(*all.upper == doctest::Approx(0.43));
  CHECK(all.rate == doctest::Approx(0.42));
  CHECK(all.met);
  CHECK(target_named(c, "脱贫人口").met);  // 1 of 1
  CHECK(target_named(c, "监测对象").required == doctest::Approx(1.0));
}

TEST_CASE("004 二(二): referrals year on year reproduce Wuzhou's +51.28 % down and -12.32 % up") {
  registry r;
  add_region(r);
  r.add_resident(resident_at("R1", d(1950, 1, 1)));
  const auto c16 = r.sign(signing_of("R1", "T1", d(2016, 1, 1)));
  const auto c17 = r.renew(c16.id, 1);
  auto refer = [&](const std::string& contract, service_kind k, day on, int times) {
    for (int i = 0; i < times; ++i) {
      auto s = service_of(contract, "D1", k, on);
      s.counterpart = "H-ZY";
      if (k == service_kind::referral_up) s.priority = referral_priority::examination;
      r.record_service(s);
    }
  };
  refer(c16.id, service_kind::referral_up, d(2016, 5, 1), 11591);
  refer(c16.id, service_kind::referral_down, d(2016, 5, 1), 2038);
  refer(c17.id, service_kind::referral_up, d(2017, 5, 1), 10163);
  refer(c17.id, service_kind::referral_down, d(2017, 5, 1), 3083);
  const auto rows = referrals(r, 2017);
  const auto& total = rows.back();
  CHECK(total.up == 10163);
  CHECK(total.down == 3083);
  CHECK(*total.down_change() == doctest::Approx(0.5128).epsilon(0.0001));
  CHECK(*total.up_change() == doctest::Approx(-0.1232).epsilon(0.0001));
  CHECK(total.up_by_priority[size_t(referral_priority::examination)] == 10163);
  CHECK(referrals_table(rows, 2017).rows.size() == 2);
}

TEST_CASE("standardised management: 4 follow-ups in the 365 days to the date") {
  registry r;
  add_region(r);
  for (const char* id : {"A", "B", "C"}) {
    r.add_resident(resident_at(id, d(1950, 1, 1)));
    r.add_attribute(id, attribute::hypertension, d(2015, 1, 1));
  }
  r.add_resident(resident_at("UNSIGNED", d(1950, 1, 1)));
  r.add_attribute("UNSIGNED", attribute::hypertension, d(2015, 1, 1));
  const auto a = r.sign(signing_of("A", "T1", d(2017, 1, 1)));
  const auto b = r.sign(signing_of("B", "T1", d(2017, 1, 1)));
  r.sign(signing_of("C", "T1", d(2017, 1, 1)));
  for (unsigned m : {2u, 5u, 8u, 11u}) r.record_service(service_of(a.id, "D1", service_kind::follow_up, d(2017, m, 1)));
  for (unsigned m : {2u, 5u, 8u}) r.record_service(service_of(b.id, "D1", service_kind::follow_up, d(2017, m, 1)));
  r.record_service(service_of(b.id, "D1", service_kind::home_visit, d(2017, 11, 1)));  // not a follow-up
  const auto rows = chronic_management(r, d(2017, 12, 31));
  CHECK(rows[0].condition == attribute::hypertension);
  CHECK(rows[0].managed == 3);
  CHECK(rows[0].standardised == 1);
  // a year later A's follow-ups are out of the window
  CHECK(chronic_management(r, d(2017, 12, 31) + date::days(365))[0].standardised == 0);
}

TEST_CASE("002 §2.10 village doctors in teams; 002 §2.5 specialist slots opened") {
  registry r;
  add_region(r);
  for (int i = 0; i < 10; ++i) {
    const auto id = "V" + std::to_string(i);
    r.add_staff({id, "村医", "YX-BJ", team_role::village_doctor});
    if (i < 9) r.join_team("T1", id, team_role::village_doctor, d(2017, 1, 1));
  }
  r.leave_team("T1", "V8", d(2017, 6, 1));
  r.record_slots({"H-ZY", "2017-03", 1000, 180});
  r.record_slots({"H-ZY", "2017-04", 1000, 260});
  r.record_slots({"H-ZY", "2018-01", 1000, 900});
  const auto w = workforce(r, d(2017, 12, 31));
  CHECK(w.village_doctors == 10);
  CHECK(w.village_doctors_in_teams == 8);
  CHECK(w.slots_share() == doctest::Approx(0.22));
  CHECK(contains_error([&] { r.record_slots({"YX-BJ", "2017-03", 10, 1}); }, "hospital"));
}

TEST_CASE("003 三(一): contracts not served, counted per team; a renewal keeps its history") {
  registry r;
  add_region(r);
  for (const char* id : {"A", "B", "C"}) r.add_resident(resident_at(id, d(1950, 1, 1)));
  const auto a = r.sign(signing_of("A", "T1", d(2017, 1, 1)));
  r.sign(signing_of("B", "T1", d(2017, 1, 1)));
  r.sign(signing_of("C", "T1", d(2017, 11, 1)));  // too new to be "not served"
  r.record_service(service_of(a.id, "D1", service_kind::consultation, d(2017, 9, 1)));
  auto rows = not_served(r, d(2017, 12, 31));
  CHECK(rows[0].team == "T1");
  CHECK(rows[0].valid == 3);
  CHECK(rows[0].not_served == 1);  // B
  const auto a2 = r.renew(a.id, 1);
  // 2018-03-15: B has expired, C is too new; A's renewal is 73 days old, but with the contract it renews
  // A has gone 195 days without a service
  rows = not_served(r, d(2018, 3, 15));
  CHECK(rows[0].valid == 2);
  CHECK(rows[0].not_served == 1);
  r.record_service(service_of(a2.id, "D1", service_kind::consultation, d(2018, 2, 1)));
  CHECK(not_served(r, d(2018, 3, 15))[0].not_served == 0);
}

TEST_CASE("003 二(三)2: red and yellow residents behind on home visits") {
  registry r;
  add_region(r);
  for (const char* id : {"RED", "YEL", "GRN", "RED2"}) r.add_resident(resident_at(id, d(1940, 1, 1)));
  std::map<std::string, std::string> c;
  for (const char* id : {"RED", "YEL", "GRN", "RED2"}) c[id] = r.sign(signing_of(id, "T1", d(2023, 1, 1))).id;
  r.set_grade("RED", elderly_grade::red, d(2023, 1, 1));
  r.set_grade("RED2", elderly_grade::red, d(2023, 1, 1));
  r.set_grade("YEL", elderly_grade::yellow, d(2023, 1, 1));
  r.set_grade("GRN", elderly_grade::green, d(2023, 1, 1));
  r.record_service(service_of(c["RED"], "N1", service_kind::home_visit, d(2023, 1, 20)));
  r.record_service(service_of(c["RED2"], "N1", service_kind::home_visit, d(2023, 1, 28)));
  const auto due = home_visits_behind(r, d(2023, 2, 1));
  // RED: 12 days > 7; RED2: 4 days; YEL: 31 days since grading > 30; GRN: not owed
  REQUIRE(due.size() == 2);
  std::set<std::string> who{due[0].resident, due[1].resident};
  CHECK(who == std::set<std::string>{"RED", "YEL"});
  for (const auto& v : due)
    if (v.resident == "RED") {
      CHECK(v.days_since == 12);
      CHECK(v.last_visit == d(2023, 1, 20));
    }
}

TEST_CASE("the verification sample is reproducible, distinct, and drawn from valid contracts") {
  registry r;
  add_region(r);
  for (int i = 0; i < 200; ++i) {
    r.add_resident(resident_at("R" + std::to_string(i), d(1950, 1, 1)));
    r.sign(signing_of("R" + std::to_string(i), "T1", i < 150 ? d(2017, 1, 1) : d(2016, 1, 1)));
  }
  const auto s1 = verification_sample(r, d(2017, 6, 1), 20, 42);
  const auto s2 = verification_sample(r, d(2017, 6, 1), 20, 42);
  const auto s3 = verification_sample(r, d(2017, 6, 1), 20, 43);
  CHECK(s1 == s2);
  CHECK(s1 != s3);
  CHECK(std::set<std::string>(s1.begin(), s1.end()).size() == 20);
  for (const auto& id : s1) CHECK(r.find_contract(id).valid_on(d(2017, 6, 1)));
  CHECK(verification_sample(r, d(2017, 6, 1), 1000, 1).size() == 150);
}

TEST_CASE("000 art. 8.5: awareness, satisfaction and authenticity over those reached") {
  registry r;
  add_region(r);
  std::vector<std::string> ids;
  for (int i = 0; i < 4; ++i) {
    r.add_resident(resident_at("R" + std::to_string(i), d(1950, 1, 1), i < 3 ? "北京街" : "大塘街"));
    ids.push_back(r.sign(signing_of("R" + std::to_string(i), i < 3 ? "T1" : "T2", d(2017, 1, 1))).id);
  }
  r.record_survey({ids[0], d(2017, 6, 1), true, true, true, true});
  r.record_survey({ids[1], d(2017, 6, 1), true, true, false, true});
  r.record_survey({ids[2], d(2017, 6, 1), false, false, false, false});
  r.record_survey({ids[3], d(2017, 6, 1), true, false, false, false});
  const auto rows = survey_results(r, d(2017, 1, 1), d(2017, 12, 31));
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].institution == "YX-BJ");
  CHECK(rows[0].asked == 3);
  CHECK(rows[0].reached == 2);
  CHECK(rows[0].satisfaction() == doctest::Approx(0.5));
  CHECK(rows.back().awareness() == doctest::Approx(2.0 / 3.0));
  CHECK(contains_error([&] { r.record_survey({ids[2], d(2017, 6, 1), false, true, false, false}); }, "not reached"));
}

TEST_CASE("signing_tables gives every table, titled, with notes") {
  registry r;
  add_region(r);
  r.add_resident(resident_at("R1", d(1950, 1, 1)));
  r.sign(signing_of("R1", "T1", d(2017, 1, 1)));
  const auto tables = signing_tables(r, d(2017, 12, 31));
  CHECK(tables.size() == 9);
  for (const auto& t : tables) {
    CHECK_FALSE(t.title.empty());
    CHECK_FALSE(t.notes.empty());
  }
}

TEST_CASE("the compact scan and the full columns count alike (births before 1900, dates before 1965)") {
  // A birth before 1900 does not fit the coverage scan's 16-bit word: the registry then
  // counts from the full columns.  Both must give the same figures.
  auto build = [](bool with_1899) {
    registry r;
    add_region(r);
    for (int i = 0; i < 40; ++i)
      r.add_resident(resident_at("R" + std::to_string(i), d(1900 + 3 * i, 1 + unsigned(i % 12), 1), i % 2 ? "北京街" : "大塘街"));
    if (with_1899) r.add_resident(resident_at("OLD", d(1899, 12, 31)));
    for (int i = 0; i < 36; i += 3) r.sign(signing_of("R" + std::to_string(i), "T1", d(2017, 1, 1)));
    return r;
  };
  const auto compact = build(false), full = build(true);
  for (const day on : {d(1960, 6, 1), d(2017, 6, 1), d(2020, 6, 1)}) {
    const auto a = coverage(compact, on), b = coverage(full, on);
    const bool old_alive = on >= d(1899, 12, 31);
    CHECK(b.total.all.population == a.total.all.population + (old_alive ? 1 : 0));
    CHECK(b.total.all.signed_count == a.total.all.signed_count);
    const auto e = size_t(key_population::elderly), c = size_t(key_population::child);
    const bool old_elderly = old_alive && age_on(d(1899, 12, 31), on) >= 65;
    CHECK(b.total.by_population[e].population == a.total.by_population[e].population + (old_elderly ? 1 : 0));
    CHECK(b.total.by_population[c].population == a.total.by_population[c].population);
    // recount from the births: 1900 + 3i, month 1 + i % 12
    std::int64_t born = 0, elderly = 0, child = 0;
    for (int i = 0; i < 40; ++i) {
      const day birth = d(1900 + 3 * i, 1 + unsigned(i % 12), 1);
      if (birth > on) continue;
      ++born;
      if (age_on(birth, on) >= 65) ++elderly;
      if (age_on(birth, on) <= 6) ++child;
    }
    CHECK(a.total.all.population == born);
    CHECK(a.total.by_population[e].population == elderly);
    CHECK(a.total.by_population[c].population == child);
  }
}
