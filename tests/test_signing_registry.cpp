// The signing registry against the articles: residents and their identity numbers, terms
// (002 §2.2, 003 §2.1.5), one valid contract (002 §2.2), the region, households (003
// §2.2.2), renewals and terminations, long prescriptions (002 §2.6), referrals (002
// §2.5), and the tamper-evident service log (003 §3.1, 004 §1.5).
#include "hotline/resident_id.hpp"
#include "signing_test_support.hpp"

#include <random>

using namespace hotline;
using namespace hotline::signing;
using hotline::test::add_region;
using hotline::test::d;
using hotline::test::error_of;
using hotline::test::resident_at;
using hotline::test::service_of;
using hotline::test::signing_of;

namespace {
/// Counts contracts through the public API only (not the code under test's columns).
bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }
}  // namespace

TEST_CASE("terms end the day before the same date N years on; 29 February ends with 28 February") {
  CHECK(term_end(d(2017, 3, 1), 1) == d(2018, 3, 1));
  CHECK(term_end(d(2023, 1, 15), 3) == d(2026, 1, 15));
  CHECK(term_end(d(2024, 2, 29), 1) == d(2025, 3, 1));  // valid through 2025-02-28
  CHECK(term_end(d(2024, 2, 29), 4) == d(2028, 2, 29));
}

TEST_CASE("residents: GB 11643 numbers checked, birth and sex read, masked on the way out") {
  registry r;
  add_region(r);
  resident x = resident_at("R1", {});
  x.id_number = "11010519491231002X";
  x.name = "张三丰";
  r.add_resident(x);
  const auto masked = r.find_resident("R1");
  CHECK(masked.birth == d(1949, 12, 31));
  CHECK(masked.sex == sex::female);
  CHECK(masked.id_number == "110105********002X");
  CHECK(masked.name == "张**");
  CHECK(r.find_resident("R1", true).id_number == "11010519491231002X");

  resident bad = resident_at("R2", {});
  bad.id_number = "110105194912310021";
  const auto e = error_of([&] { r.add_resident(bad); });
  CHECK(contains(e, "resident 'R2' id_number"));
  CHECK(contains(e, "check character"));
  CHECK_FALSE(contains(e, "110105194912310021"));
  CHECK(r.resident_count() == 1);

  resident disagree = resident_at("R3", d(1950, 1, 1));
  disagree.id_number = "11010519491231002X";
  CHECK(contains(error_of([&] { r.add_resident(disagree); }), "disagrees"));
  CHECK(contains(error_of([&] { r.add_resident(resident_at("R4", {})); }), "needs a birth date"));
  CHECK(contains(error_of([&] { r.add_resident(resident_at("R1", d(1950, 1, 1))); }), "already registered"));
  CHECK(r.resident_count() == 1);
}

TEST_CASE("002 §2.2: one valid contract at a time, within the district, across sub-districts") {
  registry r(policy::guangzhou_2017());
  add_region(r);
  r.add_resident(resident_at("R1", d(1950, 5, 1)));
  r.add_resident(resident_at("R2", d(1980, 5, 1), "大塘街"));
  const auto c = r.sign(signing_of("R1", "T1", d(2017, 3, 1)));
  CHECK(c.id == "C0000001");
  CHECK(c.end == d(2018, 3, 1));
  CHECK(c.institution == "YX-BJ");
  CHECK(r.contract_on("R1", d(2018, 2, 28))->id == c.id);
  CHECK_FALSE(r.contract_on("R1", d(2018, 3, 1)));

  // a second valid contract, with another team of the district
  auto e = error_of([&] { r.sign(signing_of("R1", "T2", d(2017, 9, 1))); });
  CHECK(contains(e, "already holds contract C0000001"));
  CHECK(contains(e, "002 §2.2"));
  // the day after the first ends is free
  CHECK(r.sign(signing_of("R1", "T2", d(2018, 3, 1))).team == "T2");
  // another district's team
  e = error_of([&] { r.sign(signing_of("R2", "T9", d(2017, 3, 1))); });
  CHECK(contains(e, "outside the resident's district 越秀区"));
  // another sub-district of the same district is fine (跨区域选择)
  CHECK(r.sign(signing_of("R2", "T1", d(2017, 3, 1))).team == "T1");
  CHECK(r.contract_count() == 3);
}

TEST_CASE("terms: Guangzhou allows 1 year (002 §2.2), Guangxi 1-3 (003 §2.1.5)") {
  registry gz(policy::guangzhou_2017());
  add_region(gz);
  gz.add_resident(resident_at("R1", d(1950, 5, 1)));
  const auto e = error_of([&] { gz.sign(signing_of("R1", "T1", d(2017, 3, 1), 2)); });
  CHECK(contains(e, "a term of 2 years is not allowed by 广州 2017"));
  CHECK(gz.contract_count() == 0);

  registry gx(policy::guangxi_2023());
  add_region(gx);
  gx.add_resident(resident_at("R1", d(1950, 5, 1)));
  CHECK(gx.sign(signing_of("R1", "T1", d(2023, 3, 1), 3)).end == d(2026, 3, 1));
  CHECK(contains(error_of([&] { gx.sign(signing_of("R1", "T1", d(2027, 3, 1), 4)); }), "not allowed"));
}

TEST_CASE("a team without a family doctor on the start day cannot sign (002 §2.1)") {
  registry r;
  add_region(r);
  r.add_resident(resident_at("R1", d(1950, 5, 1)));
  r.leave_team("T1", "D1", d(2017, 1, 1));
  CHECK(contains(error_of([&] { r.sign(signing_of("R1", "T1", d(2017, 3, 1))); }), "has no family doctor"));
  CHECK(r.sign(signing_of("R1", "T1", d(2016, 12, 31))).start == d(2016, 12, 31));
}

TEST_CASE("unknown packages, residents and teams are named") {
  registry r;
  add_region(r);
  r.add_resident(resident_at("R1", d(1950, 5, 1)));
  auto q = signing_of("R1", "T1", d(2017, 3, 1));
  q.packages = {"GOLD"};
  CHECK(contains(error_of([&] { r.sign(q); }), "no package 'GOLD'"));
  CHECK(contains(error_of([&] { r.sign(signing_of("R7", "T1", d(2017, 3, 1))); }), "no resident 'R7'"));
  CHECK(contains(error_of([&] { r.sign(signing_of("R1", "T7", d(2017, 3, 1))); }), "no team 'T7'"));
  package bad{"X", "x", package_tier::basic, {}, 100, 50, 20, 20};
  CHECK(contains(error_of([&] { r.add_package(bad); }), "do not add up to the fee of 100 fen"));
  package charged_free{"F2", "x", package_tier::free_package, {}, 100, 0, 0, 100};
  CHECK(contains(error_of([&] { r.add_package(charged_free); }), "charges the resident nothing"));
  CHECK(r.contract_count() == 0);
}

TEST_CASE("003 §2.2.2: a household signs in one act, all members or none") {
  registry r(policy::guangxi_2023());
  add_region(r);
  for (const char* id : {"A", "B", "C"}) {
    r.add_resident(resident_at(id, d(1960, 1, 1)));
    r.join_household("H1", id, d(2010, 1, 1));
  }
  r.add_resident(resident_at("D", d(1990, 1, 1)));
  r.join_household("H1", "D", d(2010, 1, 1));
  r.leave_household("H1", "D", d(2020, 1, 1));  // moved out before the signing
  r.sign(signing_of("C", "T2", d(2022, 6, 1)));  // C already holds a contract

  const auto e = error_of([&] { r.sign_household("H1", signing_of("", "T1", d(2023, 1, 1))); });
  CHECK(contains(e, "resident 'C'"));
  CHECK(contains(e, "already holds contract"));
  CHECK(r.contract_count() == 1);  // A and B were taken back
  CHECK_FALSE(r.contract_on("A", d(2023, 1, 1)));

  r.terminate("C0000001", d(2022, 12, 1), termination_reason::resident_request);
  const auto signed_ = r.sign_household("H1", signing_of("", "T1", d(2023, 1, 1), 2));
  REQUIRE(signed_.size() == 3);
  for (const auto& c : signed_) {
    CHECK(c.channel == signing_channel::household);
    CHECK(c.end == d(2025, 1, 1));
  }
  CHECK_FALSE(r.contract_on("D", d(2023, 1, 1)));
  CHECK(r.household_members("H1", d(2015, 1, 1)).size() == 4);
  CHECK(contains(error_of([&] { r.join_household("H2", "A", d(2023, 1, 1)); }), "leave it first"));
}

TEST_CASE("renewal at expiry with the same or another team; termination with a reason") {
  registry r;
  add_region(r);
  r.add_resident(resident_at("R1", d(1950, 5, 1)));
  const auto c1 = r.sign(signing_of("R1", "T1", d(2017, 3, 1)));
  const auto c2 = r.renew(c1.id, 1);
  CHECK(c2.start == c1.end);
  CHECK(c2.team == "T1");
  CHECK(c2.renewal_of == c1.id);
  CHECK(contains(error_of([&] { r.renew(c1.id, 1); }), "already renewed by " + c2.id));
  const auto c3 = r.renew(c2.id, 1, "T2");  // 002 §2.2 另行选择其他家庭医生团队
  CHECK(c3.team == "T2");
  CHECK(c3.start == d(2019, 3, 1));

  // moving away ends c2 and the renewal signed ahead lapses
  const auto t = r.terminate(c2.id, d(2018, 9, 1), termination_reason::moved_away);
  CHECK(t.terminated_on == d(2018, 9, 1));
  CHECK_FALSE(r.contract_on("R1", d(2018, 9, 1)));
  CHECK_FALSE(r.contract_on("R1", d(2019, 6, 1)));
  CHECK(r.find_contract(c3.id).valid_until() == c3.start);
  CHECK(contains(error_of([&] { r.terminate(c2.id, d(2018, 10, 1), termination_reason::death); }),
                 "already terminated"));
  CHECK(contains(error_of([&] { r.renew(c2.id, 1); }), "terminated"));
  CHECK(contains(error_of([&] { r.terminate(c1.id, d(2019, 3, 1), termination_reason::death); }), "outside its term"));
}

TEST_CASE("a death ends the contract and no later signing is taken") {
  registry r;
  add_region(r);
  r.add_resident(resident_at("R1", d(1940, 5, 1)));
  const auto c = r.sign(signing_of("R1", "T1", d(2017, 3, 1)));
  r.terminate(c.id, d(2017, 8, 1), termination_reason::death);
  CHECK(contains(error_of([&] { r.sign(signing_of("R1", "T2", d(2017, 9, 1))); }), "died"));
}

TEST_CASE("key populations as of a date: ages from the birth date, the rest from dated attributes") {
  registry r;
  add_region(r);
  r.add_resident(resident_at("OLD", d(1952, 3, 1)));
  r.add_resident(resident_at("LEAP", d(1952, 2, 29)));
  r.add_resident(resident_at("KID", d(2010, 6, 1)));
  r.add_attribute("KID", attribute::disabled, d(2012, 1, 1));
  r.add_attribute("OLD", attribute::hypertension, d(2015, 1, 1), d(2019, 1, 1));
  const auto bit = [](key_population k) { return std::uint16_t(1u << unsigned(k)); };
  CHECK(r.key_populations_on("OLD", d(2017, 2, 28)) == bit(key_population::hypertension));
  CHECK(r.key_populations_on("OLD", d(2017, 3, 1)) == (bit(key_population::hypertension) | bit(key_population::elderly)));
  CHECK(r.key_populations_on("OLD", d(2019, 1, 1)) == bit(key_population::elderly));
  CHECK(r.key_populations_on("LEAP", d(2017, 2, 28)) == 0);  // 65 on 1 March in a year without 29 February
  CHECK(r.key_populations_on("LEAP", d(2017, 3, 1)) == bit(key_population::elderly));
  CHECK(r.key_populations_on("KID", d(2017, 5, 31)) == (bit(key_population::child) | bit(key_population::disabled)));
  CHECK(r.key_populations_on("KID", d(2017, 6, 1)) == bit(key_population::disabled));  // 7: no longer 0-6
  CHECK(contains(error_of([&] { r.add_attribute("OLD", attribute::hypertension, d(2018, 1, 1)); }), "overlaps"));

  // the derived ages agree with age_on for a spread of births and days
  std::mt19937 gen(7);
  for (int i = 0; i < 2000; ++i) {
    const day birth = from_day_number(-20000 + int(gen() % 40000));
    const day on = birth + date::days(gen() % 30000);
    registry q;
    q.add_resident(resident_at("X", birth));
    const bool elderly = q.key_populations_on("X", on) & bit(key_population::elderly);
    const bool child = q.key_populations_on("X", on) & bit(key_population::child);
    CHECK(elderly == (age_on(birth, on) >= 65));
    CHECK(child == (age_on(birth, on) <= 6));
  }
}

TEST_CASE("003 §2.2.1: red/yellow/green grading of residents 65 and over, with its history") {
  registry r;
  add_region(r);
  r.add_resident(resident_at("OLD", d(1950, 1, 1)));
  r.add_resident(resident_at("YOUNG", d(1970, 1, 1)));
  r.set_grade("OLD", elderly_grade::green, d(2022, 12, 1));
  r.set_grade("OLD", elderly_grade::red, d(2023, 1, 5));
  CHECK(r.grade_on("OLD", d(2022, 11, 30)) == elderly_grade::none);
  CHECK(r.grade_on("OLD", d(2023, 1, 4)) == elderly_grade::green);
  CHECK(r.grade_on("OLD", d(2023, 2, 1)) == elderly_grade::red);
  CHECK(r.grade_history("OLD").size() == 2);
  CHECK(contains(error_of([&] { r.set_grade("YOUNG", elderly_grade::red, d(2023, 1, 5)); }), "65 and over"));
  CHECK(contains(error_of([&] { r.set_grade("OLD", elderly_grade::yellow, d(2023, 1, 1)); }), "date order"));
}

TEST_CASE("services: on a valid contract, by a member of its team") {
  registry r;
  add_region(r);
  r.add_resident(resident_at("R1", d(1950, 5, 1)));
  const auto c = r.sign(signing_of("R1", "T1", d(2017, 3, 1)));
  auto s = service_of(c.id, "N1", service_kind::home_visit, d(2017, 4, 2));
  const auto& got = r.record_service(s);
  CHECK(got.seq == 1);
  CHECK(got.team == "T1");
  CHECK(got.institution == "YX-BJ");
  CHECK(got.resident == "R1");

  s.on = d(2018, 3, 1);  // the day after the term
  CHECK(contains(error_of([&] { r.record_service(s); }), "not valid that day"));
  s.on = d(2017, 5, 1);
  s.staff = "D2";
  CHECK(contains(error_of([&] { r.record_service(s); }), "not a member of team 'T1'"));
  CHECK(r.services().size() == 1);
}

TEST_CASE("002 §2.6: long prescriptions of 1-2 months for stable chronic patients only") {
  registry r;
  add_region(r);
  r.add_resident(resident_at("R1", d(1950, 5, 1)));
  r.add_resident(resident_at("R2", d(1980, 5, 1)));
  r.add_attribute("R1", attribute::diabetes, d(2016, 1, 1));
  r.add_attribute("R2", attribute::disabled, d(2016, 1, 1));
  const auto c1 = r.sign(signing_of("R1", "T1", d(2017, 3, 1)));
  const auto c2 = r.sign(signing_of("R2", "T1", d(2017, 3, 1)));
  auto s = service_of(c1.id, "D1", service_kind::long_prescription, d(2017, 4, 2));
  s.months = 2;
  s.condition = attribute::diabetes;
  s.stable = true;
  CHECK(r.record_service(s).months == 2);
  s.months = 3;
  CHECK(contains(error_of([&] { r.record_service(s); }), "a long prescription of 3 months"));
  s.months = 1;
  s.stable = false;
  CHECK(contains(error_of([&] { r.record_service(s); }), "not marked stable"));
  s.stable = true;
  s.condition = attribute::hypertension;
  CHECK(contains(error_of([&] { r.record_service(s); }), "no recorded hypertension"));
  s.contract = c2.id;
  s.condition = attribute::disabled;
  CHECK(contains(error_of([&] { r.record_service(s); }), "not disabled"));
  CHECK(r.services().size() == 1);
}

TEST_CASE("002 §2.5: referrals name the hospital; the three priorities go with referrals up") {
  registry r;
  add_region(r);
  r.add_resident(resident_at("R1", d(1950, 5, 1)));
  const auto c = r.sign(signing_of("R1", "T1", d(2017, 3, 1)));
  auto up = service_of(c.id, "D1", service_kind::referral_up, d(2017, 4, 2));
  up.counterpart = "H-ZY";
  up.priority = referral_priority::admission;
  CHECK(r.record_service(up).priority == referral_priority::admission);
  service_record down = up;
  down.kind = service_kind::referral_down;
  CHECK(contains(error_of([&] { r.record_service(down); }), "for referrals up"));
  down.priority = referral_priority::none;
  down.counterpart = "YX-DS";
  CHECK(contains(error_of([&] { r.record_service(down); }), "second- or third-level hospital"));
  down.counterpart = "H-ZY";
  CHECK(r.record_service(down).kind == service_kind::referral_down);
}

TEST_CASE("the service log is hash-chained: a changed record is named by verify()") {
  registry r;
  add_region(r);
  r.add_resident(resident_at("R1", d(1950, 5, 1)));
  const auto c = r.sign(signing_of("R1", "T1", d(2017, 3, 1)));
  for (int i = 0; i < 5; ++i)
    r.record_service(service_of(c.id, "D1", service_kind::follow_up, d(2017, 4, 1 + unsigned(i))));
  CHECK(r.verify().ok);
  CHECK(r.verify().services == 5);
  // an insider with memory access changes the third record's staff
  const_cast<service_record&>(r.services()[2]).staff = "N1";
  const auto rep = r.verify();
  CHECK_FALSE(rep.ok);
  CHECK(rep.first_bad_seq == 3);
  CHECK(contains(rep.reason, "changed"));
}

TEST_CASE("sign_all is all or none and names the bad request") {
  registry r;
  add_region(r);
  std::vector<sign_request> reqs;
  for (int i = 0; i < 50; ++i) {
    r.add_resident(resident_at("R" + std::to_string(i), d(1950, 1, 1)));
    reqs.push_back(signing_of("R" + std::to_string(i), "T1", d(2017, 3, 1)));
  }
  reqs.push_back(signing_of("R3", "T2", d(2017, 6, 1)));  // R3 twice
  const auto e = error_of([&] { r.sign_all(reqs); });
  CHECK(contains(e, "sign_all request 50"));
  CHECK(contains(e, "already holds contract C0000004"));
  CHECK(r.contract_count() == 0);
  reqs.pop_back();
  CHECK(r.sign_all(reqs) == 50);
  CHECK(r.contract_on("R49", d(2017, 3, 1))->id == "C0000050");
}

TEST_CASE("000 art. 8.2: a hotline application closes when its contract is signed") {
  registry r;
  add_region(r);
  r.add_resident(resident_at("R1", d(1950, 5, 1)));
  r.receive_application({"GD20170301001", "R1", "YX-BJ", d(2017, 3, 1), {}});
  CHECK(r.applications(true).size() == 1);
  auto q = signing_of("R1", "T1", d(2017, 3, 3));
  q.application = "GD20170301001";
  q.channel = signing_channel::hotline_application;
  const auto c = r.sign(q);
  CHECK(c.application == "GD20170301001");
  CHECK(r.applications(true).empty());
  CHECK(r.applications()[0].contract == c.id);
  q.start = d(2018, 3, 3);
  CHECK(contains(error_of([&] { r.sign(q); }), "already closed by contract " + c.id));
}

TEST_CASE("add_residents loads columns all or none, naming the bad row") {
  registry r;
  add_region(r);
  resident_rows rows;
  rows.places = {{"越秀区", "北京街", "仰忠社区"}, {"越秀区", "大塘街", "大塘社区"}};
  for (int i = 0; i < 10; ++i) {
    rows.ids.push_back("B" + std::to_string(i));
    rows.birth.push_back(d(1950 + i, 1, 1));
    rows.place.push_back(std::uint32_t(i % 2));
  }
  rows.ids[7] = "B2";
  CHECK(contains(error_of([&] { r.add_residents(rows); }), "row 7: resident 'B2' repeats row 2"));
  CHECK(r.resident_count() == 0);
  rows.ids[7] = "B7";
  rows.place[4] = 5;
  CHECK(contains(error_of([&] { r.add_residents(rows); }), "row 4: place 5 is not in places"));
  rows.place[4] = 0;
  CHECK(r.add_residents(rows) == 10);
  CHECK(r.find_resident("B3").subdistrict == "大塘街");
  CHECK(r.find_resident("B4").birth == d(1954, 1, 1));
  CHECK(contains(error_of([&] { r.add_residents(rows); }), "row 0: resident 'B0' already registered"));
  CHECK(r.resident_count() == 10);
}
