// Work points (工分) from recorded services and a dated points table (004 §1.5).
//
// The figures are recounted by hand from the services listed in this file,
// never from the code under test: each expected total is written out as the
// sum it is.
#include "hotline/signing/work_points.hpp"

#include <doctest/doctest.h>

#include "test_support.hpp"

#include <numeric>
#include <type_traits>

namespace sg = hotline::signing;
using hotline::make_day;
using hotline::test::error_of;
using sg::service_kind;

static_assert(std::is_copy_constructible_v<sg::points_table>);
static_assert(std::is_nothrow_move_constructible_v<sg::points_table>);
static_assert(std::is_copy_assignable_v<sg::points_row>);
static_assert(std::equality_comparable<sg::points_row>);

namespace {

// v1 from 2026-01-01; v2 from 2026-03-01 raises home visits 5 -> 8 and consultations 1 -> 1.5.
// Lines: 4 = v1's id, 5-6 = v1's points, 7 = v2's id, 8-9 = v2's points.
const std::string base = R"({
  "name": "test table", "note": "ignored",
  "versions": [
    {"id": "v1", "from": "2026-01-01", "note": "ignored", "name": "ignored too",
     "points": {"follow_up": 2, "health_assessment": 3, "home_visit": 5, "consultation": 1,
                "long_prescription": 2, "referral_up": 2, "referral_down": 3}},
    {"id": "v2", "from": "2026-03-01",
     "points": {"follow_up": 2, "health_assessment": 3, "home_visit": 8, "consultation": 1.5,
                "long_prescription": 2, "referral_up": 2, "referral_down": 3}}
  ]
})";

/// `base` with the first `from` replaced by `to` (which must be there: the test is about it).
std::string with(const std::string& from, const std::string& to, std::string text = base) {
  const auto at = text.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, "not in the base text: " << from);
  return text.replace(at, from.size(), to);
}

std::string parse_error_of(const std::string& text) {
  return error_of([&] { (void)sg::points_table::from_json(text, "t.json"); });
}

sg::service_record service(std::uint64_t seq, const char* team, const char* staff, service_kind k, hotline::day on) {
  sg::service_record s;
  s.seq = seq;
  s.contract = "C" + std::to_string(seq);
  s.institution = "中心A";
  s.team = team;
  s.staff = staff;
  s.kind = k;
  s.on = on;
  return s;
}

hotline::day feb(unsigned d) { return make_day(2026, 2, d); }
hotline::day mar(unsigned d) { return make_day(2026, 3, d); }

// Two teams (T1: D1, N1; T2: D2), three staff, February (v1) and March (v2), and one
// service on each side of the period 2026-02-01..2026-03-31 that must not count.
std::vector<sg::service_record> services() {
  using enum service_kind;
  return {
      service(1, "T1", "D1", follow_up, make_day(2026, 1, 31)),  // before the period
      service(2, "T1", "D1", follow_up, feb(1)),                 // first day: counts
      service(3, "T1", "D1", follow_up, feb(10)),
      service(4, "T1", "D1", home_visit, feb(12)),
      service(5, "T1", "N1", consultation, feb(3)),
      service(6, "T1", "N1", consultation, feb(4)),
      service(7, "T1", "N1", consultation, feb(28)),
      service(8, "T2", "D2", health_assessment, feb(5)),
      service(9, "T2", "D2", referral_up, feb(20)),
      service(10, "T1", "D1", home_visit, mar(1)),  // v2's first day
      service(11, "T1", "D1", home_visit, mar(9)),
      service(12, "T1", "D1", long_prescription, mar(9)),
      service(13, "T1", "N1", consultation, mar(2)),
      service(14, "T1", "N1", consultation, mar(30)),
      service(15, "T2", "D2", home_visit, mar(3)),
      service(16, "T2", "D2", referral_down, mar(17)),
      service(17, "T2", "D2", consultation, mar(31)),             // last day: counts
      service(18, "T2", "D2", home_visit, make_day(2026, 4, 1)),  // after the period
  };
}

std::size_t k(service_kind s) { return static_cast<std::size_t>(s); }

}  // namespace

TEST_CASE("the default table: two versions, home visits raised from 2023-01-01 (003 §2.3.2)") {
  const auto t = sg::points_table::from_file(std::string(HOTLINE_SOURCE_DIR) + "/data/signing/work_points.json");
  REQUIRE(t.versions().size() == 2);
  CHECK(t.versions()[0].id == "2017-v1");
  CHECK(t.versions()[1].id == "2023-v1");
  CHECK(t.version_on(make_day(2022, 12, 31)).id == "2017-v1");
  CHECK(t.version_on(make_day(2023, 1, 1)).id == "2023-v1");
  CHECK(t.points(service_kind::home_visit, make_day(2022, 12, 31)) == 5);
  CHECK(t.points(service_kind::home_visit, make_day(2023, 1, 1)) == 8);
  CHECK(t.points(service_kind::follow_up, make_day(2017, 1, 1)) == 2);
  CHECK(t.points(service_kind::referral_down, make_day(2026, 6, 1)) == 3);
  CHECK(error_of([&] { (void)t.points(service_kind::follow_up, make_day(2016, 12, 31)); }) ==
        "work points: no points table version is in force on 2016-12-31: the first version of "
        "'家庭医生工分标准（示例默认值）' ('2017-v1') applies from 2017-01-01");
}

TEST_CASE("version in force: from its day inclusive to the day before the next") {
  const auto t = sg::points_table::from_json(base, "t.json");
  CHECK(t.name() == "test table");
  CHECK(&t.version_on(make_day(2026, 1, 1)) == &t.versions()[0]);
  CHECK(&t.version_on(make_day(2026, 2, 28)) == &t.versions()[0]);
  CHECK(&t.version_on(make_day(2026, 3, 1)) == &t.versions()[1]);
  CHECK(&t.version_on(make_day(2099, 1, 1)) == &t.versions()[1]);
  CHECK(t.points(service_kind::consultation, feb(28)) == 1);
  CHECK(t.points(service_kind::consultation, mar(1)) == 1.5);
  CHECK(t.versions()[1].from == mar(1));
  const std::string e = error_of([&] { (void)t.version_on(make_day(2025, 12, 31)); });
  CHECK(e ==
        "work points: no points table version is in force on 2025-12-31: the first version of "
        "'test table' ('v1') applies from 2026-01-01");
  // Chinese labels are accepted as keys too
  const auto zh = sg::points_table::from_json(with("\"home_visit\": 5", "\"巡诊\": 5"), "t.json");
  CHECK(zh.points(service_kind::home_visit, feb(1)) == 5);
}

TEST_CASE("JSON errors name the source, the line, the version and what was wrong") {
  struct row {
    const char* what;
    std::string text;
    std::string message;
  };
  const std::string kinds =
      "(one of: follow_up, health_assessment, home_visit, consultation, long_prescription, referral_up, "
      "referral_down)";
  const row rows[] = {
      {"unknown service name", with("\"home_visit\": 8", "\"house_call\": 8"),
       "t.json:8: versions[1] ('v2').points: unknown service kind 'house_call' " + kinds},
      {"a kind without points", with("\"referral_up\": 2, \"referral_down\": 3}},", "\"referral_up\": 2}},"),
       "t.json:5: versions[0] ('v1').points: service kind 'referral_down' (下转) has no points: every version "
       "prices every kind"},
      {"a kind priced twice", with("\"home_visit\": 5,", "\"home_visit\": 5, \"巡诊\": 6,"),
       "t.json:5: versions[0] ('v1').points.巡诊: service kind 'home_visit' is priced twice (as 'home_visit' and "
       "as '巡诊')"},
      {"negative points", with("\"home_visit\": 5", "\"home_visit\": -1"),
       "t.json:5: versions[0] ('v1').points.home_visit: points must be a number >= 0, not -1"},
      {"points not a number", with("\"consultation\": 1.5", "\"consultation\": \"1.5\""),
       "t.json:8: versions[1] ('v2').points.consultation: expected a number of points, not \"1.5\""},
      {"points not an object",
       with(R"("points": {"follow_up": 2, "health_assessment": 3, "home_visit": 8, "consultation": 1.5,
                "long_prescription": 2, "referral_up": 2, "referral_down": 3}})",
            R"("points": 8})"),
       "t.json:8: versions[1] ('v2').points: expected an object of points per service kind, not 8"},
      {"versions out of order", with("\"from\": \"2026-03-01\"", "\"from\": \"2025-12-01\""),
       "t.json:7: versions[1] ('v2'): starts on 2025-12-01, before version 'v1' (2026-01-01): list versions in "
       "increasing 'from' order"},
      {"duplicate from", with("\"from\": \"2026-03-01\"", "\"from\": \"2026-01-01\""),
       "t.json:7: versions[1] ('v2'): starts on 2026-01-01, the same day as version 'v1': each version needs its "
       "own 'from' day"},
      {"duplicate id", with("\"id\": \"v2\"", "\"id\": \"v1\""),
       "t.json:7: versions[1] ('v1'): the id 'v1' is also that of version 0"},
      {"not a date", with("\"from\": \"2026-03-01\"", "\"from\": \"2026-02-30\""),
       "t.json:7: versions[1] ('v2').from: '2026-02-30' is not a valid calendar date"},
      {"missing id", with("{\"id\": \"v2\", ", "{"),
       "t.json:7: versions[1]: a version needs an id, e.g. \"id\": \"2017-v1\""},
      {"empty id", with("\"id\": \"v2\"", "\"id\": \"\""), "t.json:7: versions[1].id: a version needs a non-empty id"},
      {"missing from", with("\"from\": \"2026-03-01\",", ""),
       "t.json:7: versions[1] ('v2'): a version needs the day it applies from, e.g. \"from\": \"2017-01-01\""},
      {"missing points",
       with(R"("from": "2026-03-01",
     "points": {"follow_up": 2, "health_assessment": 3, "home_visit": 8, "consultation": 1.5,
                "long_prescription": 2, "referral_up": 2, "referral_down": 3}})",
            R"("from": "2026-03-01"})"),
       "t.json:7: versions[1] ('v2'): a version needs points, e.g. \"points\": {\"follow_up\": 2, ...}"},
      {"unknown key in a version", with("\"from\": \"2026-03-01\",", "\"from\": \"2026-03-01\", \"pionts\": {},"),
       "t.json:7: versions[1] ('v2'): unknown key 'pionts' (expected: id, from, points, name, note)"},
      {"unknown key at the top", with("\"note\": \"ignored\",", "\"note\": \"ignored\", \"owner\": 1,"),
       "t.json:2: (top level): unknown key 'owner' (expected: name, note, versions)"},
      {"note not text", with("\"note\": \"ignored\", \"name\"", "\"note\": 3, \"name\""),
       "t.json:4: versions[0] ('v1').note: expected a string, not 3"},
      {"missing versions", "{\"name\": \"t\"}",
       "t.json:1: (top level): a points table needs \"versions\": [{\"id\": ..., \"from\": ..., \"points\": "
       "{...}}, ...]"},
      {"empty versions", "{\"name\": \"t\",\n \"versions\": []}",
       "t.json:2: versions: expected a non-empty list of versions"},
      {"not an object", "[1, 2]", "t.json:1: (top level): expected an object, not [1,2]"},
  };
  for (const auto& r : rows) {
    INFO(r.what);
    CHECK(parse_error_of(r.text) == r.message);
  }
  SUBCASE("malformed JSON: nlohmann's message and the position") {
    const std::string e = parse_error_of(with("\"home_visit\": 8,", "\"home_visit\": 8"));  // line 8 lacks a comma
    CHECK(e.starts_with("t.json:8: not valid JSON: [json.exception.parse_error.101] parse error at line 8, column"));
  }
  SUBCASE("a parse_error carrying source and line") {
    try {
      (void)sg::points_table::from_json(with("\"home_visit\": 8", "\"house_call\": 8"), "t.json");
      FAIL("no error");
    } catch (const hotline::parse_error& e) {
      CHECK(e.source() == "t.json");
      CHECK(e.line() == 8);
      CHECK(e.code() == hotline::errc::parse_error);
    }
  }
  SUBCASE("an unreadable file is an io_error naming the path") {
    try {
      (void)sg::points_table::from_file("/nonexistent/points.json");
      FAIL("no error");
    } catch (const hotline::error& e) {
      CHECK(e.code() == hotline::errc::io_error);
      CHECK(std::string(e.what()).find("/nonexistent/points.json") != std::string::npos);
    }
  }
}

TEST_CASE("a table built in code is checked like one read from JSON") {
  sg::points_table::version v1{"v1", make_day(2026, 1, 1), {2, 3, 5, 1, 2, 2, 3}};
  sg::points_table::version v2{"v2", make_day(2025, 1, 1), {2, 3, 8, 1, 2, 2, 3}};
  CHECK(error_of([&] { sg::points_table("x", {}); }) == "points table: a points table needs at least one version");
  CHECK(error_of([&] {
          sg::points_table("x", {v1, v2});
        }) ==
        "points table: version 1 ('v2'): starts on 2025-01-01, before version 'v1' (2026-01-01): list versions in "
        "increasing 'from' order");
  v2.from = make_day(2027, 1, 1);
  v2.points[k(service_kind::referral_up)] = -0.5;
  CHECK(error_of([&] {
          sg::points_table("x", {v1, v2});
        }) == "points table: version 1 ('v2'): the points of 'referral_up' must be a number >= 0, not -0.500000");
  v2.points[k(service_kind::referral_up)] = 2;
  const sg::points_table t("x", {v1, v2});
  CHECK(t.points(service_kind::home_visit, make_day(2027, 1, 1)) == 8);
  CHECK(t == sg::points_table::from_json(R"({"name": "x", "versions": [
    {"id": "v1", "from": "2026-01-01", "points": {"follow_up": 2, "health_assessment": 3, "home_visit": 5,
     "consultation": 1, "long_prescription": 2, "referral_up": 2, "referral_down": 3}},
    {"id": "v2", "from": "2027-01-01", "points": {"follow_up": 2, "health_assessment": 3, "home_visit": 8,
     "consultation": 1, "long_prescription": 2, "referral_up": 2, "referral_down": 3}}]})",
                                         "x.json"));
}

TEST_CASE("work points per month, team and member, recounted by hand (004 §1.5)") {
  const auto t = sg::points_table::from_json(base, "t.json");
  const auto svc = services();
  const auto rows = sg::work_points(t, svc, feb(1), mar(31));
  REQUIRE(rows.size() == 6);

  // February, v1: follow_up 2, health_assessment 3, home_visit 5, consultation 1, referral_up 2.
  const double d1_feb = 2 + 2 + 5;  // seq 2, 3 follow-ups; seq 4 home visit (seq 1 is in January)
  const double n1_feb = 1 + 1 + 1;  // seq 5-7 consultations
  const double d2_feb = 3 + 2;      // seq 8 assessment, seq 9 referral up
  // March, v2: home_visit 8, consultation 1.5, long_prescription 2, referral_down 3.
  const double d1_mar = 8 + 8 + 2;    // seq 10, 11 home visits; seq 12 long prescription
  const double n1_mar = 1.5 + 1.5;    // seq 13, 14
  const double d2_mar = 8 + 3 + 1.5;  // seq 15, 16, 17 (seq 18 is in April)
  const double t1_feb = d1_feb + n1_feb, t2_feb = d2_feb, t1_mar = d1_mar + n1_mar, t2_mar = d2_mar;
  const double inst_feb = t1_feb + t2_feb, inst_mar = t1_mar + t2_mar;
  CHECK(inst_feb == 17);
  CHECK(inst_mar == 33.5);

  struct expect {
    const char* month;
    const char* team;
    const char* staff;
    double points, team_total, inst_total;
  };
  const expect want[] = {
      {"2026-02", "T1", "D1", d1_feb, t1_feb, inst_feb}, {"2026-02", "T1", "N1", n1_feb, t1_feb, inst_feb},
      {"2026-02", "T2", "D2", d2_feb, t2_feb, inst_feb}, {"2026-03", "T1", "D1", d1_mar, t1_mar, inst_mar},
      {"2026-03", "T1", "N1", n1_mar, t1_mar, inst_mar}, {"2026-03", "T2", "D2", d2_mar, t2_mar, inst_mar},
  };
  for (std::size_t i = 0; i < rows.size(); ++i) {
    INFO("row ", i);
    CHECK(rows[i].month == want[i].month);
    CHECK(rows[i].institution == "中心A");
    CHECK(rows[i].team == want[i].team);
    CHECK(rows[i].staff == want[i].staff);
    CHECK(rows[i].points == doctest::Approx(want[i].points));
    CHECK(rows[i].share_of_team == doctest::Approx(want[i].points / want[i].team_total));
    CHECK(rows[i].share_of_institution == doctest::Approx(want[i].points / want[i].inst_total));
    CHECK(rows[i].versions == std::vector<std::string>{i < 3 ? "v1" : "v2"});
  }
  CHECK(rows[0].share_of_team == doctest::Approx(0.75));     // 9 of T1's 12 in February
  CHECK(rows[3].share_of_team == doctest::Approx(6.0 / 7));  // 18 of 21

  // service counts by kind
  using enum service_kind;
  CHECK(rows[0].services[k(follow_up)] == 2);  // seq 1 (January) not counted
  CHECK(rows[0].services[k(home_visit)] == 1);
  CHECK(std::accumulate(rows[0].services.begin(), rows[0].services.end(), 0U) == 3);
  CHECK(rows[1].services[k(consultation)] == 3);
  CHECK(rows[2].services[k(health_assessment)] == 1);
  CHECK(rows[2].services[k(referral_up)] == 1);
  CHECK(rows[3].services[k(home_visit)] == 2);
  CHECK(rows[3].services[k(long_prescription)] == 1);
  CHECK(rows[5].services[k(home_visit)] == 1);  // seq 18 (April) not counted
  CHECK(rows[5].services[k(referral_down)] == 1);
  CHECK(rows[5].services[k(consultation)] == 1);
  std::uint32_t total = 0;
  for (const auto& r : rows) total += std::accumulate(r.services.begin(), r.services.end(), 0U);
  CHECK(total == 16);  // seq 2-17

  SUBCASE("shares sum to 1 in every team-month, and per institution-month") {
    std::map<std::pair<std::string, std::string>, double> team, inst;
    for (const auto& r : rows) {
      team[{r.month, r.team}] += r.share_of_team;
      inst[{r.month, r.institution}] += r.share_of_institution;
    }
    CHECK(team.size() == 4);
    for (const auto& [key, sum] : team) CHECK(sum == doctest::Approx(1.0));
    CHECK(inst.size() == 2);
    for (const auto& [key, sum] : inst) CHECK(sum == doctest::Approx(1.0));
  }
  SUBCASE("the input order does not matter") {
    auto reversed = svc;
    std::reverse(reversed.begin(), reversed.end());
    CHECK(sg::work_points(t, reversed, feb(1), mar(31)) == rows);
  }
  SUBCASE("one month only") {
    const auto march = sg::work_points(t, svc, mar(1), mar(31));
    REQUIRE(march.size() == 3);
    CHECK(march[0].points == doctest::Approx(d1_mar));
    CHECK(march[2].share_of_institution == doctest::Approx(d2_mar / inst_mar));
  }
  SUBCASE("team and institution rollups") {
    const auto teams = sg::points_totals(rows, sg::points_level::team);
    REQUIRE(teams.size() == 4);
    CHECK(teams[0].month == "2026-02");
    CHECK(teams[0].team == "T1");
    CHECK(teams[0].points == doctest::Approx(t1_feb));
    CHECK(teams[0].share_of_institution == doctest::Approx(t1_feb / inst_feb));
    CHECK(teams[0].services[k(consultation)] == 3);
    CHECK(teams[1].team == "T2");
    CHECK(teams[1].points == doctest::Approx(t2_feb));
    CHECK(teams[3].month == "2026-03");
    CHECK(teams[3].points == doctest::Approx(t2_mar));
    const auto insts = sg::points_totals(rows, sg::points_level::institution);
    REQUIRE(insts.size() == 2);
    CHECK(insts[0].team.empty());
    CHECK(insts[0].points == doctest::Approx(inst_feb));
    CHECK(insts[1].points == doctest::Approx(inst_mar));
    CHECK(insts[1].services[k(home_visit)] == 3);  // seq 10, 11, 15
    CHECK(insts[1].share_of_institution == doctest::Approx(1.0));
  }
}

TEST_CASE("a month across a version switch prices each service on its own day") {
  const auto t = sg::points_table::from_json(with("\"from\": \"2026-03-01\"", "\"from\": \"2026-03-15\""), "t.json");
  const std::vector<sg::service_record> svc{service(1, "T1", "D1", service_kind::home_visit, mar(14)),
                                            service(2, "T1", "D1", service_kind::home_visit, mar(15))};
  const auto rows = sg::work_points(t, svc, mar(1), mar(31));
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].points == 5 + 8);
  CHECK(rows[0].versions == std::vector<std::string>{"v1", "v2"});
  CHECK(rows[0].share_of_team == 1);
}

TEST_CASE("zero totals give zero shares; the same team id in two institutions is two teams") {
  const auto t = sg::points_table::from_json(with("\"consultation\": 1,", "\"consultation\": 0,"), "t.json");
  auto a = service(1, "T1", "N1", service_kind::consultation, feb(2));
  auto b = service(2, "T1", "N9", service_kind::consultation, feb(2));
  b.institution = "中心B";
  const std::vector<sg::service_record> svc{a, b, service(3, "T1", "D1", service_kind::follow_up, feb(3))};
  const auto rows = sg::work_points(t, svc, feb(1), feb(28));
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].staff == "D1");
  CHECK(rows[0].share_of_team == 1);
  CHECK(rows[1].staff == "N1");
  CHECK(rows[1].points == 0);
  CHECK(rows[1].share_of_team == 0);
  CHECK(rows[2].institution == "中心B");
  CHECK(rows[2].points == 0);
  CHECK(rows[2].share_of_team == 0);  // its team earned nothing: 0, not NaN
  CHECK(rows[2].share_of_institution == 0);
}

TEST_CASE("work_points refuses what would give points to nobody or an unpriced day") {
  const auto t = sg::points_table::from_json(base, "t.json");
  auto s = service(41, "T1", "D1", service_kind::follow_up, feb(2));
  s.team.clear();
  const std::vector<sg::service_record> no_team{s};
  CHECK(error_of([&] { (void)sg::work_points(t, no_team, feb(1), feb(28)); }) ==
        "work points: service seq 41 (contract 'C41', 2026-02-02) has no team: only services recorded through the "
        "registry earn points");
  const std::vector<sg::service_record> early{service(42, "T1", "D1", service_kind::follow_up, make_day(2025, 12, 31))};
  CHECK(error_of([&] { (void)sg::work_points(t, early, make_day(2025, 12, 1), feb(28)); }) ==
        "work points: no points table version is in force on 2025-12-31: the first version of 'test table' ('v1') "
        "applies from 2026-01-01");
  CHECK(sg::work_points(t, early, feb(1), feb(28)).empty());  // outside the period: not priced, not an error
  CHECK(error_of([&] { (void)sg::work_points(t, early, feb(28), feb(1)); }) ==
        "work points: the period ends on 2026-02-01, before it starts on 2026-02-28");
}

TEST_CASE("the points report: one row per member-month, shares as percentages, versions in the notes") {
  const auto t = sg::points_table::from_json(base, "t.json");
  const auto svc = services();
  const auto rows = sg::work_points(t, svc, feb(1), mar(31));
  const auto r = sg::points_report(rows);
  CHECK(r.title == "家庭医生工分（按月、机构、团队、成员）");
  const std::vector<std::string> columns{"月份",     "机构",   "团队", "成员", "随访", "健康评估",   "巡诊",
                                         "健康咨询", "长处方", "上转", "下转", "工分", "占团队比例", "占机构比例"};
  CHECK(r.columns == columns);
  CHECK(r.percent_columns == std::vector<std::size_t>{12, 13});
  REQUIRE(r.rows.size() == 6);
  for (const auto& row : r.rows) CHECK(row.size() == columns.size());
  CHECK(std::get<std::string>(r.rows[0][0]) == "2026-02");
  CHECK(std::get<std::string>(r.rows[0][3]) == "D1");
  CHECK(std::get<double>(r.rows[0][4]) == 2);   // follow-ups
  CHECK(std::get<double>(r.rows[0][6]) == 1);   // home visit
  CHECK(std::get<double>(r.rows[0][11]) == 9);  // 2 + 2 + 5
  CHECK(std::get<double>(r.rows[0][12]) == doctest::Approx(0.75));
  CHECK(std::get<double>(r.rows[5][11]) == 12.5);
  REQUIRE(r.notes.size() == 3);
  CHECK(r.notes[0].starts_with("工分标准版本：v1、v2；"));
  CHECK(r.notes[2].find("团队当月绩效工资总额 × 占团队比例") != std::string::npos);
  const std::string csv = hotline::to_csv(r);
  CHECK(csv.find("2026-02,中心A,T1,D1,2,0,1,0,0,0,0,9,75.00%,52.94%") != std::string::npos);  // 9 / 17
  const auto empty = sg::points_report({});
  CHECK(empty.rows.empty());
  CHECK(empty.notes[0].starts_with("工分标准版本：无"));
}
