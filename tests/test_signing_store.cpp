// The signing store (hotline/signing/store.hpp): the registry's calls in an append-only
// SQLite journal, replayed on open; triggers, the hash chain and what verify() names.
#include "hotline/signing/store.hpp"

#include "test_support.hpp"

#include "../src/store_sha256.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <unistd.h>

namespace {

using namespace hotline::signing;
using hotline::make_day;
namespace fs = std::filesystem;

/// Each test's files, removed at the end.
struct temp_dir : hotline::test::temp_dir {
  temp_dir() : hotline::test::temp_dir("hotline-signing-store") {}
};
using hotline::test::thrown;

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

/// An 18-character identity number: 17 digits and their ISO 7064 MOD 11-2 check character,
/// counted here rather than by the library under test.
std::string id18(const std::string& first17) {
  static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (first17[static_cast<std::size_t>(i)] - '0') * w[i];
  return first17 + "10X98765432"[sum % 11];
}

const std::string r1_name = "张三丰";
const std::string r1_number = id18("44010419450312123");  // born 1945-03-12, male

stamp clerk() { return {"clerk-07", hotline::parse_instant("2017-03-01T09:00:00+08:00")}; }
stamp doctor() { return {"D01"}; }

/// A district's first year: two institutions, two teams, packages, residents with their
/// attributes, a grade history, a household, contracts of every kind, services, a survey,
/// specialist slots.  Returns the seq of the survey row.
std::uint64_t populate(signing_store& db) {
  const auto c = clerk();
  db.add_institution(
      c, {"GZ-YX-01", "北京街社区卫生服务中心", institution_kind::community_health_centre, "越秀区", "北京街"});
  db.add_institution(c, {"GZ-H-01", "广州市第一人民医院", institution_kind::hospital, "越秀区", "人民街"});
  db.add_team(c, {"T01", "GZ-YX-01", "王医生团队"});
  db.add_team(c, {"T02", "GZ-YX-01", "李医生团队"});
  db.add_staff(c, {"D01", "王某", "GZ-YX-01", team_role::family_doctor});
  db.add_staff(c, {"D02", "李某", "GZ-YX-01", team_role::family_doctor});
  db.add_staff(c, {"N01", "陈某", "GZ-YX-01", team_role::community_nurse});
  db.join_team(c, "T01", "D01", team_role::family_doctor, make_day(2017, 1, 1));
  db.join_team(c, "T01", "N01", team_role::community_nurse, make_day(2017, 1, 1));
  db.join_team(c, "T02", "D02", team_role::family_doctor, make_day(2017, 1, 1));
  db.leave_team(c, "T01", "N01", make_day(2017, 9, 1));
  db.add_package(c, {"BASIC", "基本服务包", package_tier::basic, {"健康评估", "随访"}, 12000, 8000, 2000, 2000});
  db.add_package(c, {"FREE", "免费服务包", package_tier::free_package, {"健康档案"}, 0, 0, 0, 0});

  db.add_resident(c, {.id = "R1",
                      .name = r1_name,
                      .id_number = r1_number,
                      .district = "越秀区",
                      .subdistrict = "北京街",
                      .community = "仰忠社区"});
  db.add_resident(c, {.id = "R2",
                      .name = "李四",
                      .birth = make_day(1980, 7, 9),
                      .sex = hotline::sex::female,
                      .district = "越秀区",
                      .subdistrict = "北京街",
                      .community = "仰忠社区",
                      .insured = false});
  db.add_resident(c, {.id = "R3",
                      .birth = make_day(1975, 2, 28),
                      .district = "越秀区",
                      .subdistrict = "人民街",
                      .community = "光塔社区"});
  db.add_resident(c, {.id = "R4",
                      .birth = make_day(2014, 6, 1),
                      .district = "越秀区",
                      .subdistrict = "人民街",
                      .community = "光塔社区"});
  for (int i = 5; i <= 8; ++i)
    db.add_resident(c, {.id = "R" + std::to_string(i),
                        .birth = make_day(1960, 1, static_cast<unsigned>(i)),
                        .district = "越秀区",
                        .subdistrict = "北京街",
                        .community = "\"引号\"\\社区\n"});
  resident_rows rows;  // places numbered as a loader numbers them, one of them unused
  rows.places = {
      {"越秀区", "北京街", "仰忠社区"}, {"海珠区", "江南中街", "江南社区"}, {"越秀区", "人民街", "光塔社区"}};
  rows.ids = {"R10", "R11", "R12"};
  rows.birth = {make_day(1940, 2, 29), make_day(2016, 8, 8), make_day(1988, 12, 31)};
  rows.place = {2, 0, 2};
  rows.sex = {hotline::sex::male, hotline::sex::unknown, hotline::sex::female};
  rows.insured = {1, 0, 1};
  REQUIRE(db.add_residents({"import-2017-01"}, rows) == 3);
  db.add_attribute(c, "R1", attribute::hypertension, make_day(2010, 1, 1));
  db.add_attribute(c, "R2", attribute::diabetes, make_day(2016, 1, 1), make_day(2017, 1, 1));
  db.add_attribute(c, "R2", attribute::pregnant_or_postpartum, make_day(2017, 2, 1));
  db.end_attribute(c, "R2", attribute::pregnant_or_postpartum, make_day(2017, 12, 1));
  db.set_grade(c, "R1", elderly_grade::yellow, make_day(2017, 2, 1));
  db.set_grade(c, "R1", elderly_grade::red, make_day(2017, 6, 1));
  db.join_household(c, "H1", "R3", make_day(2010, 1, 1));
  db.join_household(c, "H1", "R4", make_day(2014, 6, 1));

  const auto c1 =
      db.sign(doctor(), {.resident = "R1", .team = "T01", .packages = {"BASIC"}, .start = make_day(2017, 3, 1)});
  REQUIRE(c1.id == "C0000001");
  db.receive_application(c, {"W2017040101", "R2", "GZ-YX-01", make_day(2017, 4, 1), {}});
  const auto c2 = db.sign(doctor(), {.resident = "R2",
                                     .team = "T01",
                                     .packages = {"BASIC", "FREE"},
                                     .start = make_day(2017, 4, 3),
                                     .channel = signing_channel::hotline_application,
                                     .application = "W2017040101"});
  REQUIRE(c2.id == "C0000002");
  const auto hh =
      db.sign_household(doctor(), "H1", {.team = "T02", .packages = {"FREE"}, .start = make_day(2017, 5, 1)});
  REQUIRE(hh.size() == 2);
  db.leave_household(c, "H1", "R4", make_day(2017, 12, 1));

  service_record lp;
  lp.contract = "C0000001";
  lp.staff = "D01";
  lp.kind = service_kind::long_prescription;
  lp.on = make_day(2017, 4, 2);
  lp.months = 2;
  lp.condition = attribute::hypertension;
  lp.stable = true;
  lp.note = "氨氯地平 5mg";
  db.record_service(doctor(), lp);
  service_record visit;
  visit.contract = "C0000001";
  visit.staff = "N01";
  visit.kind = service_kind::home_visit;
  visit.on = make_day(2017, 6, 2);
  db.record_service({"N01"}, visit);
  service_record up;
  up.contract = "C0000002";
  up.staff = "D01";
  up.kind = service_kind::referral_up;
  up.on = make_day(2017, 5, 5);
  up.priority = referral_priority::admission;
  up.counterpart = "GZ-H-01";
  db.record_service(doctor(), up);

  db.record_survey({"hotline-agent-3"}, {"C0000001", make_day(2017, 7, 1), true, true, false, true});
  const auto survey_seq = db.last_seq();
  db.record_slots(c, {"GZ-H-01", "2017-06", 100, 25});
  db.terminate(c, "C0000002", make_day(2017, 8, 1), termination_reason::moved_away);
  db.move_resident(c, "R2", "海珠区", "江南中街", "江南社区");
  const auto renewal = db.renew(doctor(), "C0000001", 1);
  REQUIRE(renewal.start == make_day(2018, 3, 1));

  std::vector<sign_request> batch;
  for (int i = 5; i <= 8; ++i)
    batch.push_back({.resident = "R" + std::to_string(i),
                     .team = i % 2 ? "T01" : "T02",
                     .packages = {"BASIC"},
                     .start = make_day(2017, 9, static_cast<unsigned>(i))});
  REQUIRE(db.sign_all({"import-2017-09"}, batch) == 4);
  return survey_seq;
}

void same_contract(const contract& a, const contract& b) {
  CHECK(a.id == b.id);
  CHECK(a.resident == b.resident);
  CHECK(a.team == b.team);
  CHECK(a.institution == b.institution);
  CHECK(a.packages == b.packages);
  CHECK(a.start == b.start);
  CHECK(a.end == b.end);
  CHECK(a.terminated_on == b.terminated_on);
  CHECK(a.reason == b.reason);
  CHECK(a.renewal_of == b.renewal_of);
  CHECK(a.channel == b.channel);
  CHECK(a.application == b.application);
}

std::int64_t row_count(const fs::path& file) {
  SQLite::Database raw(file.string(), SQLite::OPEN_READONLY);
  return raw.execAndGet("SELECT count(*) FROM journal").getInt64();
}

std::int64_t changes_of(SQLite::Database& raw, const std::string& sql) { return raw.exec(sql); }

}  // namespace

TEST_CASE("signing store: what is written is what a reopened store shows") {
  temp_dir dir;
  const auto file = dir.file();
  std::vector<std::string> ids;
  std::vector<contract> contracts;
  std::vector<service_record> services;
  std::vector<resident> residents;
  std::vector<application> apps;
  std::uint64_t rows = 0;
  {
    signing_store db(file);
    populate(db);
    const auto& v = db.view();
    REQUIRE(v.contract_count() == 9);
    for (std::size_t i = 1; i <= v.contract_count(); ++i) {
      char id[16];
      std::snprintf(id, sizeof id, "C%07zu", i);
      contracts.push_back(v.find_contract(id));
    }
    services.assign(v.services().begin(), v.services().end());
    for (int i : {1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12})
      residents.push_back(v.find_resident("R" + std::to_string(i), true));
    apps = v.applications();
    rows = db.last_seq();
    CHECK(db.verify().ok);
  }
  CHECK(row_count(file) == static_cast<std::int64_t>(rows));

  signing_store db(file);
  const auto& v = db.view();
  CHECK(db.last_seq() == rows);
  CHECK(v.rules().name == "广州 2017");

  SUBCASE("residents, unmasked only when asked") {
    REQUIRE(v.resident_count() == 11);
    for (const auto& r : residents) {
      const auto back = v.find_resident(r.id, true);
      CHECK(back.name == r.name);
      CHECK(back.id_number == r.id_number);
      CHECK(back.birth == r.birth);
      CHECK(back.sex == r.sex);
      CHECK(back.district == r.district);
      CHECK(back.subdistrict == r.subdistrict);
      CHECK(back.community == r.community);
      CHECK(back.insured == r.insured);
    }
    CHECK(v.find_resident("R1", true).name == r1_name);
    CHECK(v.find_resident("R1", true).id_number == r1_number);
    CHECK(v.find_resident("R1", true).birth == make_day(1945, 3, 12));  // read from the number
    CHECK(v.find_resident("R1").name == "张**");
    CHECK(v.find_resident("R1").id_number == "440104********" + r1_number.substr(14));
    CHECK(v.find_resident("R2").district == "海珠区");             // moved
    CHECK(v.find_resident("R5").community == "\"引号\"\\社区\n");  // escapes survive
    CHECK_FALSE(v.find_resident("R2").insured);
    // add_residents, replayed as one call
    CHECK(v.find_resident("R10").birth == make_day(1940, 2, 29));
    CHECK(v.find_resident("R10").subdistrict == "人民街");
    CHECK(v.find_resident("R10").sex == hotline::sex::male);
    CHECK(v.find_resident("R11").community == "仰忠社区");
    CHECK_FALSE(v.find_resident("R11").insured);
    CHECK(v.find_resident("R12").sex == hotline::sex::female);
  }
  SUBCASE("contracts") {
    REQUIRE(v.contract_count() == contracts.size());
    for (const auto& c : contracts) same_contract(v.find_contract(c.id), c);
    const auto c2 = v.find_contract("C0000002");
    CHECK(c2.terminated_on == make_day(2017, 8, 1));
    CHECK(c2.reason == termination_reason::moved_away);
    CHECK(c2.application == "W2017040101");
    CHECK(c2.packages.size() == 2);
    CHECK(v.find_contract("C0000003").channel == signing_channel::household);
    CHECK(v.find_contract("C0000005").renewal_of == "C0000001");
    CHECK(v.find_contract("C0000006").resident == "R5");
    CHECK(v.find_contract("C0000009").team == "T02");
    CHECK(v.contract_on("R8", make_day(2017, 10, 1))->id == "C0000009");
  }
  SUBCASE("services, their sequence and hashes") {
    REQUIRE(v.services().size() == 3);
    for (std::size_t i = 0; i < services.size(); ++i) {
      const auto& a = v.services()[i];
      const auto& b = services[i];
      CHECK(a.seq == b.seq);
      CHECK(a.contract == b.contract);
      CHECK(a.resident == b.resident);
      CHECK(a.team == b.team);
      CHECK(a.institution == b.institution);
      CHECK(a.staff == b.staff);
      CHECK(a.kind == b.kind);
      CHECK(a.on == b.on);
      CHECK(a.months == b.months);
      CHECK(a.condition == b.condition);
      CHECK(a.stable == b.stable);
      CHECK(a.priority == b.priority);
      CHECK(a.counterpart == b.counterpart);
      CHECK(a.note == b.note);
      CHECK(a.hash == b.hash);
    }
    CHECK(v.services()[0].note == "氨氯地平 5mg");
    CHECK(v.services()[2].counterpart == "GZ-H-01");
    CHECK(v.services()[2].resident == "R2");
    CHECK(v.verify().ok);
  }
  SUBCASE("grades, attributes, households, teams") {
    const auto g = v.grade_history("R1");
    REQUIRE(g.size() == 2);
    CHECK(g[0] == std::pair{make_day(2017, 2, 1), elderly_grade::yellow});
    CHECK(g[1] == std::pair{make_day(2017, 6, 1), elderly_grade::red});
    CHECK(v.grade_on("R1", make_day(2017, 7, 1)) == elderly_grade::red);
    const auto bit = [](key_population k) { return std::uint16_t(1u << unsigned(k)); };
    CHECK((v.key_populations_on("R2", make_day(2017, 6, 1)) & bit(key_population::maternal)) != 0);
    CHECK((v.key_populations_on("R2", make_day(2017, 12, 1)) & bit(key_population::maternal)) == 0);
    CHECK((v.key_populations_on("R2", make_day(2016, 6, 1)) & bit(key_population::diabetes)) != 0);
    CHECK(v.household_members("H1", make_day(2017, 6, 1)) == std::vector<std::string>{"R3", "R4"});
    CHECK(v.household_members("H1", make_day(2017, 12, 1)) == std::vector<std::string>{"R3"});
    const auto t1 = v.team_members("T01");
    REQUIRE(t1.size() == 2);
    CHECK(t1[1].staff == "N01");
    CHECK(t1[1].to == make_day(2017, 9, 1));
  }
  SUBCASE("applications, surveys, slots") {
    const auto a = v.applications();
    REQUIRE(a.size() == apps.size());
    REQUIRE(a.size() == 1);
    CHECK(a[0].order == "W2017040101");
    CHECK(a[0].received == make_day(2017, 4, 1));
    CHECK(a[0].contract == "C0000002");
    REQUIRE(v.surveys().size() == 1);
    CHECK(v.surveys()[0].authentic);
    CHECK_FALSE(v.surveys()[0].satisfied);
    REQUIRE(v.slots().size() == 1);
    CHECK(v.slots()[0].opened_to_teams == 25);
  }
  SUBCASE("the journal holds the record; what the store returns is masked") {
    const auto rows_back = db.journal(1, 0);
    REQUIRE(rows_back.size() == rows);
    CHECK(rows_back[0].op == "policy");
    CHECK(rows_back[0].by == "hotline");
    const journal_entry* r1 = nullptr;
    for (const auto& e : rows_back)
      if (e.op == "add_resident" && has(e.payload, "\"R1\"")) r1 = &e;
    REQUIRE(r1 != nullptr);
    CHECK(r1->by == "clerk-07");
    CHECK(r1->at == hotline::parse_instant("2017-03-01T09:00:00+08:00"));
    CHECK_FALSE(has(r1->payload, r1_name));
    CHECK_FALSE(has(r1->payload, r1_number));
    CHECK(has(r1->payload, "张**"));
    const auto revealed = db.journal(r1->seq, 1, true);
    REQUIRE(revealed.size() == 1);
    CHECK(has(revealed[0].payload, r1_name));
    CHECK(has(revealed[0].payload, r1_number));
    CHECK(revealed[0].hash.size() == 64);
    // The file itself keeps them: it is the record.
    SQLite::Database raw(file.string(), SQLite::OPEN_READONLY);
    SQLite::Statement st(raw, "SELECT payload FROM journal WHERE seq = ?");
    st.bind(1, static_cast<std::int64_t>(r1->seq));
    REQUIRE(st.executeStep());
    CHECK(has(st.getColumn(0).getString(), r1_number));
    // sign_all wrote one row per contract, with its index in the batch.
    std::size_t batch_rows = 0;
    for (const auto& e : rows_back)
      if (e.op == "sign_all") {
        CHECK(e.by == "import-2017-09");
        CHECK(has(e.payload, "\"n\":4"));
        ++batch_rows;
      }
    CHECK(batch_rows == 4);
  }
}

TEST_CASE("signing store: a call the registry refuses stores nothing and keeps its error") {
  temp_dir dir;
  const auto file = dir.file();
  signing_store db(file);
  registry plain;  // the same calls on a bare registry, for its error text
  const institution inst{"GZ-YX-01", "北京街社区卫生服务中心", institution_kind::community_health_centre, "越秀区",
                         "北京街"};
  const team t{"T01", "GZ-YX-01", "王医生团队"};
  const staff_member d{"D01", "王某", "GZ-YX-01", team_role::family_doctor};
  const package basic{"BASIC", "基本服务包", package_tier::basic, {"随访"}, 12000, 8000, 2000, 2000};
  const resident r{.id = "R1", .name = r1_name, .id_number = r1_number, .district = "越秀区"};
  db.add_institution(clerk(), inst);
  plain.add_institution(inst);
  db.add_team(clerk(), t);
  plain.add_team(t);
  db.add_staff(clerk(), d);
  plain.add_staff(d);
  db.join_team(clerk(), "T01", "D01", team_role::family_doctor, make_day(2017, 1, 1));
  plain.join_team("T01", "D01", team_role::family_doctor, make_day(2017, 1, 1));
  db.add_package(clerk(), basic);
  plain.add_package(basic);
  db.add_resident(clerk(), r);
  plain.add_resident(r);
  const auto rows = row_count(file);
  REQUIRE(rows == 7);
  REQUIRE(db.last_seq() == 7);

  SUBCASE("each refusal: the registry's own error, no row, the same view after reopening") {
    auto refuse = [&](auto&& store_call, auto&& registry_call) {
      const std::string from_store = hotline::test::error_of(store_call);
      const std::string from_registry = hotline::test::error_of(registry_call);
      CHECK(from_store != "no error");
      CHECK(from_store == from_registry);
      CHECK(row_count(file) == rows);
    };
    const sign_request bad_team{.resident = "R1", .team = "T99", .packages = {"BASIC"}, .start = make_day(2017, 3, 1)};
    refuse([&] { db.sign(clerk(), bad_team); }, [&] { plain.sign(bad_team); });
    const sign_request bad_term{
        .resident = "R1", .team = "T01", .packages = {"BASIC"}, .start = make_day(2017, 3, 1), .years = 3};
    refuse([&] { db.sign(clerk(), bad_term); }, [&] { plain.sign(bad_term); });
    refuse([&] { db.add_resident(clerk(), r); }, [&] { plain.add_resident(r); });  // a second R1
    refuse([&] { db.set_grade(clerk(), "R1", elderly_grade::red, make_day(2000, 1, 1)); },
           [&] { plain.set_grade("R1", elderly_grade::red, make_day(2000, 1, 1)); });  // under 65 then
    std::vector<sign_request> batch(
        3, sign_request{.resident = "R1", .team = "T01", .packages = {"BASIC"}, .start = make_day(2017, 3, 1)});
    batch[1].start = make_day(2018, 3, 1);
    batch[2].team = "T99";
    refuse([&] { db.sign_all(clerk(), batch); }, [&] { plain.sign_all(batch); });
    resident_rows twice;
    twice.places = {{"越秀区", "北京街", "仰忠社区"}};
    twice.ids = {"R5", "R6", "R5"};
    twice.birth = {make_day(1950, 1, 1), make_day(1951, 1, 1), make_day(1952, 1, 1)};
    twice.place = {0, 0, 0};
    refuse([&] { db.add_residents(clerk(), twice); }, [&] { plain.add_residents(twice); });
    CHECK(has(hotline::test::error_of([&] { db.sign_all(clerk(), batch); }), "request 2"));
    // A refused call's error shows the identity number masked, as the registry does.
    const resident twin{.id = "R9", .id_number = r1_number, .birth = make_day(1946, 1, 1), .district = "越秀区"};
    const auto e = hotline::test::error_of([&] { db.add_resident(clerk(), twin); });
    CHECK(e != "no error");
    CHECK_FALSE(has(e, r1_number));
    CHECK(row_count(file) == rows);

    CHECK(db.view().contract_count() == 0);
    signing_store again(file);
    CHECK(again.last_seq() == 7);
    CHECK(again.view().contract_count() == 0);
    CHECK(again.view().resident_count() == 1);
    CHECK(again.verify().ok);
  }
  SUBCASE("the store's own checks: who, and text that is not UTF-8") {
    const sign_request ok{.resident = "R1", .team = "T01", .packages = {"BASIC"}, .start = make_day(2017, 3, 1)};
    CHECK(has(thrown<hotline::invalid_argument_error>([&] { db.sign({""}, ok); }), "'by' is empty"));
    CHECK(has(thrown<hotline::invalid_argument_error>([&] { db.sign({"\xff"}, ok); }), "'by' is not valid UTF-8"));
    const resident broken{.id = "R2", .name = "\xe5\xbc", .birth = make_day(1980, 1, 1), .district = "越秀区"};
    const auto e = thrown<hotline::invalid_argument_error>([&] { db.add_resident(clerk(), broken); });
    CHECK(has(e, "add_resident: field 'name' is not valid UTF-8"));
    std::vector<sign_request> batch{ok, ok};
    batch[1].team = "T\xc0";
    CHECK(has(thrown<hotline::invalid_argument_error>([&] { db.sign_all(clerk(), batch); }),
              "sign_all request 1: field 'team'"));
    CHECK(row_count(file) == rows);
    CHECK(db.view().resident_count() == 1);
    CHECK(db.view().contract_count() == 0);
    db.sign(clerk(), ok);  // and the store goes on
    CHECK(row_count(file) == rows + 1);
  }
}

TEST_CASE("signing store: triggers refuse UPDATE and DELETE on the journal") {
  temp_dir dir;
  const auto file = dir.file();
  signing_store db(file);
  populate(db);
  const auto rows = row_count(file);
  SQLite::Database raw(file.string(), SQLite::OPEN_READWRITE);
  CHECK(has(thrown<SQLite::Exception>([&] { raw.exec("UPDATE journal SET payload = '{}' WHERE seq = 2"); }),
            "journal is append-only"));
  CHECK(
      has(thrown<SQLite::Exception>([&] { raw.exec("DELETE FROM journal WHERE seq = 3"); }), "journal is append-only"));
  CHECK(has(thrown<SQLite::Exception>([&] { raw.exec("DELETE FROM journal"); }), "journal is append-only"));
  CHECK(row_count(file) == rows);
  CHECK(db.verify().ok);
}

TEST_CASE("signing store: verify() names the row an insider changed, removed or inserted") {
  temp_dir dir;
  const auto file = dir.file();
  std::uint64_t survey = 0, rows = 0;
  {
    signing_store db(file);
    survey = populate(db);
    rows = db.last_seq();
    REQUIRE(db.verify().ok);
    REQUIRE(db.verify().rows == rows);
  }
  SQLite::Database raw(file.string(), SQLite::OPEN_READWRITE);

  SUBCASE("a changed payload (the trigger dropped first, as someone with the file could)") {
    raw.exec("DROP TRIGGER journal_no_update");
    // The survey said "not satisfied"; the edit makes it "satisfied".
    REQUIRE(changes_of(raw,
                       "UPDATE journal SET payload = replace(payload, '\"satisfied\":false', "
                       "'\"satisfied\":true') WHERE seq = " +
                           std::to_string(survey)) == 1);
    signing_store db(file);  // it still replays ...
    CHECK(db.view().surveys()[0].satisfied);
    const auto rep = db.verify();  // ... but the chain names it
    CHECK_FALSE(rep.ok);
    CHECK(rep.first_bad_seq == survey);
    CHECK(rep.rows == survey - 1);
    CHECK(has(rep.reason, "row " + std::to_string(survey) + " does not match its hash"));
    CHECK(has(rep.reason, "changed"));
  }
  SUBCASE("a payload number no double holds (1e999) is the file's error, naming the row") {
    // nlohmann parses 1e999 and then throws out_of_range, not parse_error: the
    // replay must turn that into a storage error too, never let it escape.
    raw.exec("DROP TRIGGER journal_no_update");
    REQUIRE(changes_of(raw, "UPDATE journal SET payload = replace(payload, '\"satisfied\":false', "
                            "'\"satisfied\":false,\"x\":1e999') WHERE seq = " +
                                std::to_string(survey)) == 1);
    const auto what = thrown<hotline::storage_error>([&] { signing_store db(file); });
    CHECK(has(what, "row " + std::to_string(survey)));
    CHECK(has(what, "does not parse"));
  }
  SUBCASE("a changed `by`, as long as the one it replaces") {
    raw.exec("DROP TRIGGER journal_no_update");
    REQUIRE(changes_of(raw, "UPDATE journal SET \"by\" = 'clerk-08' WHERE seq = 20 AND \"by\" = 'clerk-07'") == 1);
    signing_store db(file);
    const auto rep = db.verify();
    CHECK_FALSE(rep.ok);
    CHECK(rep.first_bad_seq == 20);
  }
  SUBCASE("a removed row") {
    raw.exec("DROP TRIGGER journal_no_delete");
    REQUIRE(changes_of(raw, "DELETE FROM journal WHERE seq = " + std::to_string(survey)) == 1);
    signing_store db(file);
    CHECK(db.view().surveys().empty());
    const auto rep = db.verify();
    CHECK_FALSE(rep.ok);
    CHECK(rep.first_bad_seq == survey);
    CHECK(has(rep.reason, "row " + std::to_string(survey) + " is missing: it was removed"));
  }
  SUBCASE("an inserted row, its hash made by the documented formula, the rows after renumbered") {
    raw.exec("DROP TRIGGER journal_no_update");
    const std::int64_t k = static_cast<std::int64_t>(survey) + 1;
    raw.exec("UPDATE journal SET seq = -seq WHERE seq >= " + std::to_string(k));
    raw.exec("UPDATE journal SET seq = 1 - seq WHERE seq < 0");
    std::string prev;
    {
      SQLite::Statement st(raw, "SELECT hash FROM journal WHERE seq = ?");
      st.bind(1, k - 1);
      REQUIRE(st.executeStep());
      prev = st.getColumn(0).getString();
    }
    const std::string at = "2017-07-02T10:00:00+08:00", by = "hotline-agent-3", op = "record_survey";
    const std::string payload =
        R"({"contract":"C0000001","on":"2017-07-02","reached":true,"aware":true,"satisfied":true,"authentic":true})";
    auto be = [](std::uint64_t v, int bytes) {
      std::string s;
      for (int i = bytes - 1; i >= 0; --i) s.push_back(static_cast<char>(v >> (8 * i)));
      return s;
    };
    const std::string body = prev + be(static_cast<std::uint64_t>(k), 8) + be(at.size(), 4) + at + be(by.size(), 4) +
                             by + be(op.size(), 4) + op + payload;
    const auto h = hotline::detail::sha256(body);
    SQLite::Statement ins(raw, R"(INSERT INTO journal(seq, at, "by", op, payload, hash) VALUES(?, ?, ?, ?, ?, ?))");
    ins.bind(1, k);
    ins.bind(2, at);
    ins.bind(3, by);
    ins.bind(4, op);
    ins.bind(5, payload);
    ins.bind(6, h.data(), static_cast<int>(h.size()));
    ins.exec();
    signing_store db(file);
    CHECK(db.view().surveys().size() == 2);
    const auto rep = db.verify();
    CHECK_FALSE(rep.ok);
    CHECK(rep.first_bad_seq == static_cast<std::uint64_t>(k));
    CHECK(has(rep.reason, "row " + std::to_string(k) + " was inserted"));
  }
  SUBCASE("a service changed: the replay itself refuses it, naming the row") {
    raw.exec("DROP TRIGGER journal_no_update");
    std::int64_t seq = 0;
    {
      SQLite::Statement st(raw, "SELECT seq FROM journal WHERE op = 'record_service' ORDER BY seq LIMIT 1");
      REQUIRE(st.executeStep());
      seq = st.getColumn(0).getInt64();
    }
    REQUIRE(changes_of(raw,
                       "UPDATE journal SET payload = replace(payload, '\"months\":2', '\"months\":1') "
                       "WHERE seq = " +
                           std::to_string(seq)) == 1);
    const auto e = thrown<hotline::storage_error>([&] { signing_store db(file); });
    CHECK(has(e, "journal row " + std::to_string(seq) + " (record_service)"));
    CHECK(has(e, "another hash"));
    CHECK(has(e, file.string()));
  }
}

TEST_CASE("signing store: rows that do not replay are storage errors naming the row") {
  temp_dir dir;
  const auto file = dir.file();
  {
    signing_store db(file);
    populate(db);
  }
  SQLite::Database raw(file.string(), SQLite::OPEN_READWRITE);
  raw.exec("DROP TRIGGER journal_no_update");
  std::int64_t r1 = 0;
  {
    SQLite::Statement st(raw, "SELECT seq FROM journal WHERE op = 'add_resident' AND payload LIKE '%\"R1\"%'");
    REQUIRE(st.executeStep());
    r1 = st.getColumn(0).getInt64();
  }
  const std::string where = "journal row " + std::to_string(r1);
  SUBCASE("a payload that does not parse, without quoting it") {
    raw.exec("UPDATE journal SET payload = substr(payload, 1, 40) WHERE seq = " + std::to_string(r1));
    const auto e = thrown<hotline::storage_error>([&] { signing_store db(file); });
    CHECK(has(e, where + " (add_resident): the payload does not parse"));
    CHECK_FALSE(has(e, r1_name));
    CHECK_FALSE(has(e, r1_number.substr(0, 10)));
  }
  SUBCASE("an add_residents call cut short") {
    raw.exec("DROP TRIGGER journal_no_delete");
    std::int64_t first = 0;
    {
      SQLite::Statement st(raw, "SELECT min(seq) FROM journal WHERE op = 'add_residents'");
      REQUIRE(st.executeStep());
      first = st.getColumn(0).getInt64();
    }
    REQUIRE(changes_of(raw, "DELETE FROM journal WHERE seq = " + std::to_string(first + 2)) == 1);
    const auto e = thrown<hotline::storage_error>([&] { signing_store db(file); });
    CHECK(has(e, "journal row " + std::to_string(first + 3)));
    CHECK(has(e, "the add_residents call of row " + std::to_string(first) + " is cut short"));
  }
  SUBCASE("an unknown op") {
    raw.exec("UPDATE journal SET op = 'frobnicate' WHERE seq = " + std::to_string(r1));
    CHECK(has(thrown<hotline::storage_error>([&] { signing_store db(file); }), where + " (frobnicate): unknown op"));
  }
  SUBCASE("a field missing") {
    raw.exec("UPDATE journal SET payload = replace(payload, '\"district\"', '\"distrikt\"') WHERE seq = " +
             std::to_string(r1));
    CHECK(has(thrown<hotline::storage_error>([&] { signing_store db(file); }),
              where + " (add_resident): field 'district' is missing"));
  }
  SUBCASE("a contract id other than the one the journal says") {
    raw.exec(
        "UPDATE journal SET payload = replace(payload, '\"contract\":\"C0000001\"', '\"contract\":\"C0000042\"') "
        "WHERE op = 'sign' AND payload LIKE '%\"resident\":\"R1\"%'");
    CHECK(has(thrown<hotline::storage_error>([&] { signing_store db(file); }),
              "replays as contract 'C0000001' where the journal says 'C0000042'"));
  }
}

TEST_CASE("signing store: files that are not a signing store of this version are refused") {
  temp_dir dir;
  SUBCASE("a newer schema version") {
    const auto file = dir.file();
    { signing_store db(file); }
    {
      SQLite::Database raw(file.string(), SQLite::OPEN_READWRITE);
      raw.exec("PRAGMA user_version = " + std::to_string(signing_store::schema_version + 1));
    }
    const auto e = thrown<hotline::storage_error>([&] { signing_store db(file); });
    CHECK(has(e, "schema version " + std::to_string(signing_store::schema_version + 1) + ", newer than this library's " + std::to_string(signing_store::schema_version)));
    CHECK(has(e, file.string()));
  }
  SUBCASE("a text file") {
    const auto file = dir.file("notes.txt");
    std::ofstream(file) << "这不是数据库, not a database at all, long enough to fill a header page.....\n";
    const auto e = thrown<hotline::storage_error>([&] { signing_store db(file); });
    CHECK(has(e, file.string()));
    CHECK(has(e, "not a signing store"));
  }
  SUBCASE("another SQLite database, left as it was") {
    const auto file = dir.file("other.db");
    {
      SQLite::Database raw(file.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
      raw.exec("CREATE TABLE t(x)");
    }
    const auto e = thrown<hotline::storage_error>([&] { signing_store db(file); });
    CHECK(has(e, file.string()));
    CHECK(has(e, "not a signing store"));
    SQLite::Database raw(file.string(), SQLite::OPEN_READONLY);
    CHECK(raw.execAndGet("PRAGMA journal_mode").getString() == "delete");
    CHECK(raw.execAndGet("SELECT count(*) FROM sqlite_master").getInt() == 1);
  }
  SUBCASE("a missing file opened read-only") {
    const auto file = dir.file("missing.db");
    CHECK(has(
        thrown<hotline::storage_error>([&] { signing_store db(file, policy::guangzhou_2017(), {.read_only = true}); }),
        file.string()));
    CHECK_FALSE(fs::exists(file));
  }
  SUBCASE("a fresh store is marked and versioned") {
    const auto file = dir.file();
    { signing_store db(file); }
    SQLite::Database raw(file.string(), SQLite::OPEN_READONLY);
    CHECK(raw.execAndGet("PRAGMA user_version").getInt() == signing_store::schema_version);
    CHECK(raw.execAndGet("PRAGMA application_id").getInt() == 0x484C5347);
    CHECK(raw.execAndGet("PRAGMA journal_mode").getString() == "wal");
  }
}

TEST_CASE("signing store: the policy is the file's") {
  temp_dir dir;
  const auto file = dir.file();
  { signing_store db(file, policy::guangzhou_2017()); }
  SUBCASE("by default the stored policy is taken") {
    signing_store db(file, policy::guangxi_2023());
    CHECK(db.view().rules().name == "广州 2017");
    CHECK(db.view().rules().terms_years == std::vector<int>{1});
  }
  SUBCASE("with policy_from_file off, another policy is a conflict naming both and the field") {
    const auto e = thrown<hotline::conflict_error>(
        [&] { signing_store db(file, policy::guangxi_2023(), {.policy_from_file = false}); });
    CHECK(has(e, "'广州 2017'"));
    CHECK(has(e, "'广西 2023'"));
    CHECK(has(e, "field '"));
    auto changed = policy::guangzhou_2017();
    changed.team_share_by_district["越秀区"] = 0.75;
    CHECK(has(thrown<hotline::conflict_error>([&] { signing_store db(file, changed, {.policy_from_file = false}); }),
              "field 'team_share_by_district'"));
    signing_store same(file, policy::guangzhou_2017(), {.policy_from_file = false});
    CHECK(same.view().rules().name == "广州 2017");
  }
  SUBCASE("a policy's every field comes back") {
    temp_dir other;
    auto p = policy::guangxi_2023();
    p.team_share_by_district["青秀区"] = 0.7;
    p.personalised_team_share = 0.65;
    p.not_served_after_days = 90;
    { signing_store db(other.file(), p); }
    signing_store db(other.file(), p, {.policy_from_file = false});  // equal in every field, or it throws
    const auto& q = db.view().rules();
    CHECK(q.terms_years == std::vector<int>{1, 2, 3});
    CHECK(q.team_share_by_district.at("青秀区") == 0.7);
    CHECK(q.personalised_team_share == 0.65);
    CHECK(q.per_population.at(key_population::monitored).at_least == 1.0);
    CHECK(q.overall.points_over_previous_max == 0.03);
  }
  SUBCASE("an impossible policy creates no file") {
    auto bad = policy::guangzhou_2017();
    bad.team_share = 2;
    const auto f = dir.file("bad.db");
    CHECK(has(thrown<hotline::invalid_argument_error>([&] { signing_store db(f, bad); }), "team_share"));
    CHECK((!fs::exists(f) || fs::file_size(f) == 0));
  }
}

TEST_CASE("signing store: a failed write leaves the view as the file is") {
  temp_dir dir;
  const auto file = dir.file();
  signing_store db(file);
  populate(db);
  const auto rows = db.last_seq();
  const auto contracts = db.view().contract_count();
  SQLite::Database raw(file.string(), SQLite::OPEN_READWRITE);
  raw.exec(
      "CREATE TRIGGER simulated_failure BEFORE INSERT ON journal WHEN NEW.op = 'sign' "
      "BEGIN SELECT RAISE(ABORT, 'simulated disk failure'); END");
  db.add_resident(clerk(), {.id = "R20", .birth = make_day(1990, 1, 1), .district = "越秀区"});
  const sign_request req{.resident = "R20", .team = "T01", .packages = {"BASIC"}, .start = make_day(2017, 10, 1)};
  const auto e = thrown<hotline::storage_error>([&] { db.sign(doctor(), req); });
  CHECK(has(e, "simulated disk failure"));
  CHECK(has(e, "nothing was stored"));
  CHECK(db.view().contract_count() == contracts);  // the registry took it; the view was rebuilt
  CHECK_FALSE(db.view().contract_on("R20", make_day(2017, 10, 2)).has_value());
  CHECK(db.last_seq() == rows + 1);
  raw.exec("DROP TRIGGER simulated_failure");
  const auto c = db.sign(doctor(), req);
  char next[16];
  std::snprintf(next, sizeof next, "C%07zu", contracts + 1);
  CHECK(c.id == next);
  CHECK(c.id == "C0000010");
  CHECK(db.verify().ok);
}

TEST_CASE("signing store: two stores on one file take turns and stay in step") {
  temp_dir dir;
  const auto file = dir.file();
  signing_store a(file);
  signing_store b(file);
  a.add_institution(
      clerk(), {"GZ-YX-01", "北京街社区卫生服务中心", institution_kind::community_health_centre, "越秀区", "北京街"});
  b.add_resident(clerk(), {.id = "R1", .birth = make_day(1950, 1, 1), .district = "越秀区"});  // b reads a's row first
  CHECK(b.last_seq() == 3);
  CHECK(a.last_seq() == 2);
  CHECK(a.view().resident_count() == 0);
  CHECK(a.refresh() == 1);
  CHECK(a.view().resident_count() == 1);
  a.add_team(clerk(), {"T01", "GZ-YX-01", "王医生团队"});
  CHECK(a.verify().ok);
  CHECK(b.verify().ok);
  signing_store reader(file, policy::guangzhou_2017(), {.read_only = true});
  CHECK(reader.last_seq() == 4);
  CHECK(has(thrown<hotline::invalid_argument_error>([&] {
              reader.add_team(clerk(), {"T02", "GZ-YX-01", "李医生团队"});
            }),
            "read-only"));
}
