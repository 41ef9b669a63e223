// Staffed hours (001 §3.1): human service 08:30-16:30 on working days,
// automated voice otherwise, in Asia/Shanghai; business-time arithmetic.
#include "hotline/staffed_hours.hpp"

#include <doctest/doctest.h>

#include "test_support.hpp"

#include <random>

using hotline::instant;
using hotline::make_day;
using namespace std::chrono_literals;

namespace {
instant bj(int y, unsigned m, unsigned d, int hh, int mm, int ss = 0) {  // Beijing wall-clock time
  return hotline::from_local(make_day(y, m, d), std::chrono::hours{hh} + std::chrono::minutes{mm} + std::chrono::seconds{ss});
}
}  // namespace

TEST_CASE("Asia/Shanghai is UTC+8 and instants round-trip through ISO-8601") {
  const auto t = hotline::parse_instant("2025-09-30T15:00:00+08:00");
  CHECK(t == hotline::parse_instant("2025-09-30T07:00:00Z"));
  CHECK(hotline::format_instant(t) == "2025-09-30T15:00:00+08:00");
  CHECK(hotline::local_day(hotline::parse_instant("2025-09-30T16:30:00Z")) == make_day(2025, 10, 1));
  CHECK_THROWS_AS(hotline::parse_instant("2025-09-30T15:00:00"), hotline::parse_error);  // no offset
  CHECK_THROWS_AS(hotline::parse_instant("2025-09-30T25:00:00+08:00"), hotline::parse_error);
  // 1988 summer time (historical rule through date's tz database): UTC+9 on 1988-07-01.
  CHECK(hotline::format_instant(hotline::parse_instant("1988-07-01T03:00:00Z")) == "1988-07-01T12:00:00+09:00");
}

TEST_CASE("human service 08:30-16:30 on working days, automated voice otherwise (001 §3.1)") {
  const hotline::staffed_hours h(hotline::calendar::china());
  CHECK_FALSE(h.is_staffed(bj(2026, 3, 9, 8, 29, 59)));
  CHECK(h.is_staffed(bj(2026, 3, 9, 8, 30)));
  CHECK(h.is_staffed(bj(2026, 3, 9, 16, 29, 59)));
  CHECK_FALSE(h.is_staffed(bj(2026, 3, 9, 16, 30)));  // half-open: closed at 16:30:00
  CHECK(h.mode(bj(2026, 3, 9, 12, 0)) == hotline::service_mode::human);
  CHECK(h.mode(bj(2026, 3, 7, 12, 0)) == hotline::service_mode::automated_voice);  // Saturday
  CHECK(h.mode(bj(2026, 10, 1, 10, 0)) == hotline::service_mode::automated_voice);  // National Day
  CHECK(h.mode(bj(2026, 2, 14, 10, 0)) == hotline::service_mode::human);  // adjusted working Saturday
}

TEST_CASE("next opening and closing step over nights, weekends and holidays") {
  const hotline::staffed_hours h(hotline::calendar::china());
  CHECK(h.next_opening(bj(2026, 3, 9, 10, 0)) == bj(2026, 3, 9, 10, 0));  // open now
  CHECK(h.next_opening(bj(2026, 3, 9, 7, 0)) == bj(2026, 3, 9, 8, 30));
  CHECK(h.next_opening(bj(2026, 3, 9, 17, 0)) == bj(2026, 3, 10, 8, 30));
  CHECK(h.next_opening(bj(2026, 3, 6, 16, 30)) == bj(2026, 3, 9, 8, 30));     // Friday close -> Monday
  CHECK(h.next_opening(bj(2026, 9, 30, 18, 0)) == bj(2026, 10, 8, 8, 30));    // over National Day
  CHECK(h.next_opening(bj(2026, 2, 13, 17, 0)) == bj(2026, 2, 14, 8, 30));    // the worked Saturday
  CHECK(h.next_closing(bj(2026, 3, 9, 10, 0)) == bj(2026, 3, 9, 16, 30));
  CHECK(h.next_closing(bj(2026, 3, 7, 10, 0)) == bj(2026, 3, 9, 16, 30));
  CHECK(h.closing_of(make_day(2026, 3, 9)) == bj(2026, 3, 9, 16, 30));
  CHECK_FALSE(h.closing_of(make_day(2026, 3, 8)).has_value());
}

TEST_CASE("business time between instants and an instant plus business time") {
  const hotline::staffed_hours h(hotline::calendar::china());
  CHECK(h.business_time(bj(2026, 3, 9, 9, 0), bj(2026, 3, 9, 10, 0)) == 1h);
  CHECK(h.business_time(bj(2026, 3, 9, 0, 0), bj(2026, 3, 10, 0, 0)) == 8h);
  CHECK(h.business_time(bj(2026, 3, 6, 16, 0), bj(2026, 3, 9, 9, 0)) == 1h);  // 30 min Friday + 30 min Monday
  CHECK(h.business_time(bj(2026, 3, 9, 10, 0), bj(2026, 3, 9, 9, 0)) == -1h);
  CHECK(h.business_time(bj(2026, 9, 30, 8, 30), bj(2026, 10, 8, 8, 30)) == 8h);  // one day across the holiday
  CHECK(h.add_business_time(bj(2026, 3, 9, 9, 0), 1h) == bj(2026, 3, 9, 10, 0));
  CHECK(h.add_business_time(bj(2026, 3, 9, 16, 0), 1h) == bj(2026, 3, 10, 9, 0));
  CHECK(h.add_business_time(bj(2026, 3, 9, 8, 30), 8h) == bj(2026, 3, 9, 16, 30));  // ends at the close
  CHECK(h.add_business_time(bj(2026, 9, 30, 16, 0), 1h) == bj(2026, 10, 8, 9, 0));
  CHECK(h.add_business_time(bj(2026, 3, 7, 12, 0), 0s) == bj(2026, 3, 7, 12, 0));
  CHECK_THROWS_AS((void)h.add_business_time(bj(2026, 3, 9, 9, 0), -1s), hotline::invalid_argument_error);
  CHECK_THROWS_AS((void)h.add_business_time(bj(2026, 12, 31, 9, 0), 40h), hotline::out_of_range_error);
}

TEST_CASE("business arithmetic agrees with a minute-by-minute walk") {
  hotline::staffed_schedule s = hotline::staffed_schedule::standard();
  // A lunch break and an evening shift on Mondays; Saturday hotline duty on days off.
  s.set_working_day(date::Monday, {{8h + 30min, 12h}, {13h + 30min, 17h + 30min}, {19h, 21h}});
  s.set_days_off({{9h, 11h}});
  const hotline::staffed_hours h(hotline::calendar::china(), s);
  std::mt19937 rng(11);
  const auto base = bj(2026, 9, 25, 0, 0);
  std::uniform_int_distribution<int> minute(0, 60 * 24 * 20);
  std::uniform_int_distribution<int> dur(1, 60 * 30);
  for (int k = 0; k < 300; ++k) {
    const instant a = base + std::chrono::minutes{minute(rng)};
    const auto d = std::chrono::minutes{dur(rng)};
    // Walk minute by minute.
    instant t = a;
    auto left = d;
    while (left > 0min) {
      if (h.is_staffed(t)) left -= 1min;
      t += 1min;
    }
    INFO(hotline::format_instant(a), " + ", d.count(), " min");
    REQUIRE(h.add_business_time(a, d) == t);
    REQUIRE(h.business_time(a, t) == d);
  }
}

TEST_CASE("schedules reject overlapping or inverted intervals") {
  hotline::staffed_schedule s;
  CHECK_THROWS_AS(s.set_working_days({{10h, 9h}}), hotline::invalid_argument_error);
  CHECK_THROWS_AS(s.set_working_days({{8h, 12h}, {11h, 13h}}), hotline::invalid_argument_error);
  CHECK_THROWS_AS(s.set_days_off({{0h, 25h}}), hotline::invalid_argument_error);
}
