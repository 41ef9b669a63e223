// The workday calendar: built-in national data, overlays, arithmetic, errors.
#include "hotline/calendar.hpp"

#include <doctest/doctest.h>

#include "test_support.hpp"

#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <type_traits>

using hotline::day;
using hotline::day_kind;
using hotline::make_day;

static_assert(std::is_nothrow_move_constructible_v<hotline::calendar>);
static_assert(std::is_copy_constructible_v<hotline::calendar>);
static_assert(hotline::is_working(day_kind::adjusted_working_day));
static_assert(!hotline::is_working(day_kind::holiday));

TEST_CASE("every day of 2004-2026 agrees with the reference CSV") {
  const std::string path = std::string(HOTLINE_SOURCE_DIR) + "/data/calendar/cn_national_2004_2026.csv";
  std::ifstream in(path);
  REQUIRE_MESSAGE(in.good(), "reference data not found at " << path);
  std::map<day, std::pair<std::string, std::string>> rows;  // date -> kind, name
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const auto c1 = line.find(','), c2 = line.find(',', c1 + 1);
    rows[hotline::parse_day(line.substr(0, c1))] = {line.substr(c1 + 1, c2 - c1 - 1), line.substr(c2 + 1)};
  }
  REQUIRE(rows.size() == 774);  // 775 lines with the header
  const auto cal = hotline::calendar::china();
  CHECK(cal.first_covered_year() == 2004);
  CHECK(cal.last_covered_year() == 2026);
  int checked = 0;
  for (day d = make_day(2004, 1, 1); d <= make_day(2026, 12, 31); d += date::days{1}, ++checked) {
    const auto it = rows.find(d);
    const unsigned wd = date::weekday{d}.c_encoding();
    const bool weekend = wd == 0 || wd == 6;
    day_kind expected = weekend ? day_kind::rest_day : day_kind::working_day;
    if (it != rows.end()) expected = it->second.first == "holiday" ? day_kind::holiday : day_kind::adjusted_working_day;
    INFO(hotline::format_day(d));
    REQUIRE(cal.kind(d) == expected);
    if (it != rows.end()) {
      REQUIRE(cal.holiday_name(d, true).value() == it->second.second);
    } else {
      REQUIRE_FALSE(cal.holiday_name(d).has_value());
    }
  }
  CHECK(checked == 8401);
}

TEST_CASE("holiday names in Chinese and English") {
  const auto cal = hotline::calendar::china();
  CHECK(cal.holiday_name(make_day(2026, 2, 17)) == "春节");
  CHECK(cal.holiday_name(make_day(2026, 2, 17), true) == "Spring Festival");
  CHECK(cal.holiday_name(make_day(2026, 10, 1)) == "国庆节");
  CHECK(cal.holiday_name(make_day(2015, 9, 3)) == "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日");
  CHECK(cal.layer(make_day(2026, 10, 1)) == hotline::calendar_layer::national);
  CHECK(cal.layer(make_day(2026, 10, 12)) == hotline::calendar_layer::weekly);
}

TEST_CASE("day kinds of the 2026 notice") {
  const auto cal = hotline::calendar::china();
  CHECK(cal.kind(make_day(2026, 2, 14)) == day_kind::adjusted_working_day);  // Saturday worked
  CHECK(cal.is_workday(make_day(2026, 2, 14)));
  CHECK(cal.kind(make_day(2026, 2, 15)) == day_kind::holiday);  // a Sunday inside the span is a holiday
  CHECK(cal.kind(make_day(2026, 3, 7)) == day_kind::rest_day);
  CHECK(cal.kind(make_day(2026, 3, 9)) == day_kind::working_day);
}

TEST_CASE("add_workdays: n working days from the day after receipt (000 art. 12)") {
  const auto cal = hotline::calendar::china();
  struct row { day from; long n; day expect; const char* why; };
  const row rows[] = {
      {make_day(2025, 1, 25), 2, make_day(2025, 1, 27), "Saturday receipt; Sunday 01-26 is worked (issue contract)"},
      {make_day(2025, 1, 24), 2, make_day(2025, 1, 27), "Friday receipt: day 1 is Sunday 01-26, an adjusted working day"},
      {make_day(2025, 1, 24), 3, make_day(2025, 2, 5), "steps over Spring Festival 01-28..02-04"},
      {make_day(2025, 9, 30), 2, make_day(2025, 10, 10), "eve of National Day: 10-01..10-08 off, 10-09 day 1"},
      {make_day(2025, 9, 30), 10, make_day(2025, 10, 21), "10 working days from the eve of National Day (Sat 10-11 worked)"},
      {make_day(2026, 2, 13), 1, make_day(2026, 2, 14), "Friday receipt: the worked Saturday 02-14 is day 1"},
      {make_day(2026, 12, 25), 3, make_day(2026, 12, 30), "Friday: 12-28, 12-29, 12-30"},
      {make_day(2026, 2, 24), -1, make_day(2026, 2, 14), "backwards over Spring Festival 2026"},
      {make_day(2026, 3, 2), 0, make_day(2026, 3, 2), "n = 0 is the day itself"},
      {make_day(2026, 3, 1), 0, make_day(2026, 3, 1), "n = 0 on a rest day is still the day itself"},
  };
  for (const auto& r : rows) {
    INFO(r.why);
    CHECK(cal.add_workdays(r.from, r.n) == r.expect);
  }
}

TEST_CASE("add_workdays agrees with a day-by-day walk on random samples") {
  const auto cal = hotline::calendar::china();
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> start(hotline::day_number(make_day(2004, 3, 1)),
                                           hotline::day_number(make_day(2026, 10, 1)));
  std::uniform_int_distribution<int> count(-30, 30);
  for (int k = 0; k < 20000; ++k) {
    const day d = hotline::from_day_number(start(rng));
    const int n = count(rng);
    day walk = d;
    for (int left = n > 0 ? n : -n; left > 0;) {
      walk += date::days{n > 0 ? 1 : -1};
      if (cal.is_workday(walk)) --left;
    }
    REQUIRE(cal.add_workdays(d, n) == walk);
    if (n > 0) REQUIRE(cal.workdays_between(d, walk) == n);
  }
}

TEST_CASE("next/previous working day and workdays_between's interval") {
  const auto cal = hotline::calendar::china();
  CHECK(cal.next_workday(make_day(2026, 9, 30)) == make_day(2026, 10, 8));
  CHECK(cal.prev_workday(make_day(2026, 10, 8)) == make_day(2026, 9, 30));
  CHECK(cal.this_or_next_workday(make_day(2026, 10, 3)) == make_day(2026, 10, 8));
  CHECK(cal.this_or_next_workday(make_day(2026, 10, 8)) == make_day(2026, 10, 8));
  // (a, b]: a itself is not counted, b is.
  CHECK(cal.workdays_between(make_day(2026, 3, 2), make_day(2026, 3, 2)) == 0);
  CHECK(cal.workdays_between(make_day(2026, 3, 2), make_day(2026, 3, 3)) == 1);
  CHECK(cal.workdays_between(make_day(2026, 3, 3), make_day(2026, 3, 2)) == -1);
  // The prefix arithmetic against a plain count over the year.
  int counted = 0;
  for (day d = make_day(2026, 1, 2); d <= make_day(2026, 12, 31); d += date::days{1}) counted += cal.is_workday(d);
  CHECK(counted == 248);  // 2026 notice: 1 Jan is a holiday, so (1 Jan, 31 Dec] holds all 248 working days
  CHECK(cal.workdays_between(make_day(2026, 1, 1), make_day(2026, 12, 31)) == counted);
}

TEST_CASE("holidays of a year") {
  const auto cal = hotline::calendar::china();
  const auto h = cal.holidays(2026);
  int spring = 0;
  for (const auto& s : h) {
    CHECK(s.kind == day_kind::holiday);
    if (s.name_zh == "春节") ++spring;
  }
  CHECK(spring == 9);
  CHECK(h.size() == 33);
  const auto sp = cal.special_days(make_day(2026, 2, 1), make_day(2026, 2, 28));
  CHECK(sp.size() == 11);  // 02-14 worked, 02-15..23 off, 02-28 worked
}

TEST_CASE("uncovered years are errors that name the year, unless opted in") {
  const auto cal = hotline::calendar::china();
  CHECK_THROWS_AS((void)cal.is_workday(make_day(2027, 1, 4)), hotline::out_of_range_error);
  try {
    (void)cal.kind(make_day(2027, 3, 1));
    FAIL("no error");
  } catch (const hotline::out_of_range_error& e) {
    const std::string m = e.what();
    CHECK(m.find("2027") != std::string::npos);
    CHECK(m.find("from_notice") != std::string::npos);          // the three ways forward
    CHECK(m.find("statutory_beyond_data") != std::string::npos);
    CHECK(m.find("weekends_beyond_data") != std::string::npos);
    CHECK(e.code() == hotline::errc::out_of_range);
  }
  CHECK_THROWS_AS((void)cal.add_workdays(make_day(2003, 12, 31), 1), hotline::out_of_range_error);
  // A result that would land in 2027 is an error, not a guess.
  CHECK_THROWS_WITH_AS((void)cal.add_workdays(make_day(2026, 12, 30), 5),
                       doctest::Contains("2027"), hotline::out_of_range_error);

  const auto loose = hotline::calendar::china({.weekends_beyond_data = true});
  CHECK(loose.is_workday(make_day(2027, 3, 1)));            // a Monday
  CHECK_FALSE(loose.is_workday(make_day(2027, 3, 6)));      // a Saturday
  CHECK(loose.add_workdays(make_day(2026, 12, 30), 5) == make_day(2027, 1, 6));
  CHECK(loose.kind(make_day(2026, 10, 1)) == day_kind::holiday);  // data still wins where it exists
}

TEST_CASE("regional and organisation overlays stack on the national calendar") {
  // A made-up regional overlay in the shape of Guangxi's 壮族三月三 (not real dates).
  hotline::calendar_overlay gx("test-guangxi", hotline::calendar_layer::regional);
  gx.add_day_off(make_day(2026, 4, 20), "壮族三月三", "Zhuang March 3rd")
      .add_day_off(make_day(2026, 4, 21), "壮族三月三", "Zhuang March 3rd")
      .add_working_day(make_day(2026, 4, 25), "壮族三月三调休");
  hotline::calendar_overlay org("test-centre", hotline::calendar_layer::organisation);
  org.add_day_off(make_day(2026, 3, 16), "系统升级停机").add_working_day(make_day(2026, 10, 3), "国庆值班");

  const auto base = hotline::calendar::china();
  const auto cal = base.with(gx).with(org);
  CHECK(cal.kind(make_day(2026, 4, 20)) == day_kind::holiday);
  CHECK(cal.holiday_name(make_day(2026, 4, 20)) == "壮族三月三");
  CHECK(cal.layer(make_day(2026, 4, 20)) == hotline::calendar_layer::regional);
  CHECK(cal.kind(make_day(2026, 4, 25)) == day_kind::adjusted_working_day);  // Saturday worked
  CHECK(cal.kind(make_day(2026, 3, 16)) == day_kind::holiday);
  CHECK(cal.kind(make_day(2026, 10, 3)) == day_kind::adjusted_working_day);  // works during National Day
  CHECK(cal.layer(make_day(2026, 10, 3)) == hotline::calendar_layer::organisation);
  // The base calendar is unchanged.
  CHECK(base.kind(make_day(2026, 4, 20)) == day_kind::working_day);
  // Arithmetic sees the layers: Friday 04-17 + 1 skips Monday 04-20 and Tuesday 04-21.
  CHECK(cal.add_workdays(make_day(2026, 4, 17), 1) == make_day(2026, 4, 22));
  CHECK(base.add_workdays(make_day(2026, 4, 17), 1) == make_day(2026, 4, 20));
}

TEST_CASE("an overlay that lists a date as both a day off and a working day is refused") {
  hotline::calendar_overlay ov("x", hotline::calendar_layer::organisation);
  ov.add_day_off(make_day(2026, 5, 11), "停诊");
  CHECK_THROWS_WITH_AS(ov.add_working_day(make_day(2026, 5, 11), "上班"),
                       doctest::Contains("once as a day off and once as a working day"), hotline::conflict_error);
  CHECK(ov.entries().size() == 1);
}

TEST_CASE("an overlay can add a year the data lacks when it declares coverage") {
  hotline::calendar_overlay y2027("notice-2027", hotline::calendar_layer::national);
  y2027.covers(2027, 2027).add_day_off(make_day(2027, 1, 1), "元旦", "New Year's Day");
  const auto cal = hotline::calendar::china().with(y2027);
  CHECK(cal.last_covered_year() == 2027);
  CHECK(cal.kind(make_day(2027, 1, 1)) == day_kind::holiday);
  CHECK(cal.add_workdays(make_day(2026, 12, 31), 1) == make_day(2027, 1, 4));
  // Without the declaration the entry is out of range and names its line.
  hotline::calendar_overlay undeclared("undeclared.csv", hotline::calendar_layer::regional);
  undeclared.add_day_off(make_day(2027, 4, 9), "壮族三月三", "", 4);
  CHECK_THROWS_WITH_AS((void)hotline::calendar::china().with(undeclared), doctest::Contains("undeclared.csv:4"),
                       hotline::out_of_range_error);
  // A gap in coverage is refused.
  hotline::calendar_overlay far("far", hotline::calendar_layer::national);
  far.covers(2029, 2029);
  CHECK_THROWS_AS((void)hotline::calendar::china().with(far), hotline::out_of_range_error);
}

TEST_CASE("batch add_workdays matches the scalar form") {
  const auto cal = hotline::calendar::china();
  std::vector<std::int64_t> d, n, out(1000);
  for (int i = 0; i < 1000; ++i) {
    d.push_back(hotline::day_number(make_day(2010, 1, 1)) + i * 5);
    n.push_back(i % 30 + 1);
  }
  cal.add_workdays(d, n, out);
  for (std::size_t i = 0; i < d.size(); ++i)
    REQUIRE(out[i] == hotline::day_number(cal.add_workdays(hotline::from_day_number(d[i]), n[i])));
  std::vector<std::int64_t> bad = {hotline::day_number(make_day(2010, 1, 1)), hotline::day_number(make_day(2030, 1, 1))};
  std::vector<std::int64_t> one = {1}, out2(2);
  CHECK_THROWS_WITH_AS(cal.add_workdays(bad, one, out2), doctest::Contains("element 1"), hotline::out_of_range_error);
  std::vector<std::int64_t> short_out(1);
  CHECK_THROWS_AS(cal.add_workdays(bad, one, short_out), hotline::invalid_argument_error);
}

TEST_CASE("dates: parsing and validation") {
  CHECK(hotline::parse_day("2026-02-14") == make_day(2026, 2, 14));
  CHECK_THROWS_AS(hotline::parse_day("2026-02-30"), hotline::parse_error);
  CHECK_THROWS_AS(hotline::parse_day("2026-2-14"), hotline::parse_error);
  CHECK_THROWS_AS(make_day(2026, 13, 1), hotline::invalid_argument_error);
  CHECK(hotline::format_day(make_day(2026, 2, 14)) == "2026-02-14");
  CHECK(hotline::parse_day_kind("holiday") == day_kind::holiday);
  CHECK_THROWS_AS(hotline::parse_day_kind("weekend"), hotline::invalid_argument_error);
}
