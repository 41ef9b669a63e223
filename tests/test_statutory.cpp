// Statutory days (全国年节及纪念日放假办法, 1999 / 2008 / 2014 / 2025 rules), the
// provisional years they answer for, notices replacing them, and a deadline that
// runs into 2027 under each of the three choices a host has.
#include "hotline/calendar.hpp"
#include "hotline/sla.hpp"
#include "hotline/statutory_holidays.hpp"

#include <doctest/doctest.h>

#include "test_support.hpp"

#include <algorithm>
#include <string>

using hotline::calendar;
using hotline::calendar_layer;
using hotline::day;
using hotline::day_kind;
using hotline::festival;
using hotline::holiday_rules;
using hotline::make_day;
using hotline::year_basis;

namespace {
bool has(const std::vector<hotline::statutory_day>& v, day d) {
  return std::any_of(v.begin(), v.end(), [&](const auto& s) { return s.date == d; });
}
bool contains(const std::string& s, std::string_view part) { return s.find(part) != std::string::npos; }
hotline::instant bj(int y, unsigned m, unsigned d, int hh = 0) {
  return hotline::from_local(make_day(y, m, d), std::chrono::hours{hh});
}
}  // namespace

TEST_CASE("the rules in force each year (国务院令第270、513、644、795号)") {
  CHECK(hotline::holiday_rules_in_force(2004) == holiday_rules::rules_1999);
  CHECK(hotline::holiday_rules_in_force(2007) == holiday_rules::rules_1999);
  CHECK(hotline::holiday_rules_in_force(2008) == holiday_rules::rules_2008);
  CHECK(hotline::holiday_rules_in_force(2013) == holiday_rules::rules_2008);
  CHECK(hotline::holiday_rules_in_force(2014) == holiday_rules::rules_2014);
  CHECK(hotline::holiday_rules_in_force(2024) == holiday_rules::rules_2014);
  CHECK(hotline::holiday_rules_in_force(2025) == holiday_rules::rules_2025);
  CHECK(hotline::holiday_rules_in_force(2030) == holiday_rules::rules_2025);
  CHECK_THROWS_AS((void)hotline::holiday_rules_in_force(1999), hotline::out_of_range_error);
}

TEST_CASE("the days of each version, by its articles") {
  // 1999 rules: 元旦 1, 春节 正月初一-初三, 劳动节 5月1-3日, 国庆节 10月1-3日: 10 days.
  const auto y2005 = hotline::statutory_days(2005);
  CHECK(y2005.size() == 10);
  CHECK(has(y2005, make_day(2005, 2, 9)));   // 正月初一 2005
  CHECK(has(y2005, make_day(2005, 2, 11)));  // 初三
  CHECK_FALSE(has(y2005, make_day(2005, 2, 8)));  // the eve: not statutory before 2008
  CHECK(has(y2005, make_day(2005, 5, 3)));
  // 2008 rules: 除夕 + 初一, 初二; 清明; 劳动节 1; 端午; 中秋; 国庆 3: 11 days.
  const auto y2010 = hotline::statutory_days(2010);
  CHECK(y2010.size() == 11);
  CHECK(has(y2010, make_day(2010, 2, 13)));  // 除夕 (正月初一 2010-02-14)
  CHECK(has(y2010, make_day(2010, 2, 15)));  // 初二
  CHECK_FALSE(has(y2010, make_day(2010, 2, 16)));  // 初三
  CHECK_FALSE(has(y2010, make_day(2010, 5, 2)));
  // 2014 rules: 春节 初一-初三, the eve no longer.  The 2014 notice worked on the eve
  // (2014-01-30, Thursday): under the 2008 rules it would have been a statutory day.
  const auto y2014 = hotline::statutory_days(2014);
  CHECK(y2014.size() == 11);
  CHECK_FALSE(has(y2014, make_day(2014, 1, 30)));
  CHECK(has(hotline::statutory_days(2014, holiday_rules::rules_2008), make_day(2014, 1, 30)));
  CHECK(calendar::china().is_workday(make_day(2014, 1, 30)));
  // 2025 rules: 春节 除夕-初三 (4), 劳动节 5月1-2日: 13 days.
  const auto y2027 = hotline::statutory_days(2027);
  CHECK(y2027.size() == 13);
  for (unsigned d = 5; d <= 8; ++d) CHECK(has(y2027, make_day(2027, 2, d)));  // 正月初一 is 02-06 (not ICU's 02-07)
  CHECK_FALSE(has(y2027, make_day(2027, 2, 9)));
  CHECK(has(y2027, make_day(2027, 5, 2)));
  CHECK(has(y2027, make_day(2027, 4, 5)));  // 清明 2027
  CHECK(std::is_sorted(y2027.begin(), y2027.end(), [](const auto& a, const auto& b) { return a.date < b.date; }));
  // Mid-Autumn on 1 October (2020): one day of two festivals, listed once.
  const auto y2020 = hotline::statutory_days(2020);
  CHECK(y2020.size() == 10);
  CHECK(std::count_if(y2020.begin(), y2020.end(), [](const auto& s) { return s.date == make_day(2020, 10, 1); }) == 1);
}

TEST_CASE("every statutory day of 2004-2026 is a day off in the built-in data") {
  const auto cal = calendar::china();
  int checked = 0;
  for (int y = 2004; y <= 2026; ++y) {
    const auto days = hotline::statutory_days(y);
    CHECK(days.size() >= 9);
    for (const auto& s : days) {
      INFO(y << " " << hotline::format_day(s.date) << " " << name_en(s.which));
      CHECK(cal.kind(s.date) == day_kind::holiday);
      ++checked;
    }
  }
  CHECK(checked > 230);
}

TEST_CASE("statutory_beyond_data: 2027-2030 answered, provisional, layer statutory") {
  const auto cal = calendar::china({.statutory_beyond_data = true});
  CHECK(cal.last_covered_year() == 2026);
  CHECK(cal.last_statutory_year() == hotline::lunisolar::last_year);
  CHECK(cal.basis(2026) == year_basis::data);
  for (int y = 2027; y <= 2030; ++y) {
    CHECK(cal.basis(y) == year_basis::statutory);
    const auto off = cal.holidays(y);
    CHECK(off.size() == hotline::statutory_days(y).size());
    for (const auto& s : off) CHECK(s.layer == calendar_layer::statutory);
  }
  CHECK(cal.kind(make_day(2027, 2, 6)) == day_kind::holiday);  // 春节 on a Saturday
  CHECK(cal.layer(make_day(2027, 2, 8)) == calendar_layer::statutory);
  CHECK(*cal.holiday_name(make_day(2027, 2, 8)) == "春节");
  CHECK(cal.is_workday(make_day(2027, 2, 9)));  // no 调休 guessed
  CHECK(cal.is_provisional(make_day(2027, 6, 1)));
  CHECK_FALSE(cal.is_provisional(make_day(2026, 6, 1)));
  CHECK(cal.basis(hotline::lunisolar::last_year + 1) == year_basis::none);
  CHECK_THROWS_AS((void)cal.is_workday(make_day(hotline::lunisolar::last_year + 1, 1, 5)), hotline::out_of_range_error);
  // Both opt-ins: statutory years first, weekends only after them.
  const auto both = calendar::china({.weekends_beyond_data = true, .statutory_beyond_data = true});
  CHECK(both.basis(2027) == year_basis::statutory);
  CHECK(both.basis(hotline::lunisolar::last_year + 1) == year_basis::weekends_only);
  CHECK(calendar::china().basis(2027) == year_basis::none);
}

TEST_CASE("without an opt-in, a 2027 date names the three ways forward") {
  try {
    (void)calendar::china().is_workday(make_day(2027, 1, 4));
    FAIL("expected out_of_range_error");
  } catch (const hotline::out_of_range_error& e) {
    const std::string msg = e.what();
    CHECK(contains(msg, "2027"));
    CHECK(contains(msg, "from_notice"));
    CHECK(contains(msg, "statutory_beyond_data"));
    CHECK(contains(msg, "weekends_beyond_data"));
  }
}

TEST_CASE("a year's notice replaces its provisional statutory days") {
  const auto prov = calendar::china({.statutory_beyond_data = true});
  hotline::calendar_overlay notice("2027 notice", calendar_layer::national);
  notice.covers(2027, 2027);
  for (unsigned d = 1; d <= 3; ++d) notice.add_day_off(make_day(2027, 1, d), "元旦", "New Year's Day");
  const auto cal = prov.with(notice);
  CHECK(cal.basis(2027) == year_basis::data);
  CHECK(cal.basis(2028) == year_basis::statutory);
  CHECK(cal.last_covered_year() == 2027);
  CHECK(cal.layer(make_day(2027, 1, 1)) == calendar_layer::national);
  CHECK(cal.kind(make_day(2027, 1, 3)) == day_kind::holiday);
  // The statutory Spring Festival of 2027 is gone with the provisional layer: this
  // notice does not list it, so the days follow the week again.
  CHECK(cal.layer(make_day(2027, 2, 8)) == calendar_layer::weekly);
  CHECK(cal.is_workday(make_day(2027, 2, 8)));
  CHECK(cal.layer(make_day(2028, 1, 1)) == calendar_layer::statutory);
  // The provisional calendar itself is unchanged.
  CHECK(prov.layer(make_day(2027, 2, 8)) == calendar_layer::statutory);
  // An organisation's closure may sit on a provisional year; a national day needs its year covered.
  hotline::calendar_overlay closure("centre", calendar_layer::organisation);
  closure.add_day_off(make_day(2028, 3, 1), "停诊", "Closure");
  CHECK(prov.with(closure).kind(make_day(2028, 3, 1)) == day_kind::holiday);
  hotline::calendar_overlay stray("stray", calendar_layer::national);
  stray.add_day_off(make_day(2028, 3, 1), "x");
  CHECK_THROWS_AS((void)prov.with(stray), hotline::out_of_range_error);
}

TEST_CASE("a complaint received on 2026-12-20 under each of the three choices (000 art. 12)") {
  // 10 working days from the day after receipt (Sunday 2026-12-20): 12-21..25 (5),
  // 12-28..31 (9), then 2027-01-01 is day 10 unless it is a day off.
  hotline::order_attributes o;
  o.type = hotline::request_type::complaint;
  const auto gz = hotline::sla_policy::preset("guangzhou-family-doctor");
  const auto received = bj(2026, 12, 20, 10);

  CHECK_THROWS_AS((void)gz.due(o, received), hotline::out_of_range_error);

  // (1) The notice, as published (New Year 2027: Friday 1 January to Sunday 3 January).
  const auto notice = hotline::calendar_overlay::from_notice(
      "国务院办公厅关于2027年部分节假日安排的通知\n一、元旦：1月1日（周五）至3日放假，共3天。\n");
  const auto by_notice = gz.with_calendar(calendar::china().with(notice)).due(o, received);
  CHECK(by_notice.due == bj(2027, 1, 5));  // day 10 is Monday 01-04
  CHECK(by_notice.calendar_assumptions.empty());
  CHECK(contains(by_notice.explain(), "rests on the State Council's notices"));

  // (2) Statutory days, provisional: 01-01 off, no 补假 or 调休 known.
  const auto by_law = gz.with_calendar(calendar::china({.statutory_beyond_data = true})).due(o, received);
  CHECK(by_law.due == bj(2027, 1, 5));
  CHECK(contains(by_law.calendar_assumptions, "2027 is provisional"));
  CHECK(contains(by_law.explain(), "provisional statutory day"));
  CHECK(contains(by_law.explain(), "国务院令第795号"));

  // (3) Weekends only: 01-01 is counted as a working day.
  const auto by_week = gz.with_calendar(calendar::china({.weekends_beyond_data = true})).due(o, received);
  CHECK(by_week.due == bj(2027, 1, 2));
  CHECK(contains(by_week.explain(), "weekends only"));
}
