// Built-in regional days: Guangxi's 壮族三月三 (广西壮族自治区人民政府令第98号 and the
// region's yearly notices, data/calendar/guangxi_sanyuesan_2014_2026.csv).
#include "hotline/calendar.hpp"
#include "hotline/regional_days.hpp"

#include <doctest/doctest.h>

#include "test_support.hpp"

#include <fstream>
#include <string>

using hotline::calendar;
using hotline::calendar_layer;
using hotline::day_kind;
using hotline::make_day;

TEST_CASE("the built-in Guangxi rows are the reference CSV's") {
  const std::string path = std::string(HOTLINE_SOURCE_DIR) + "/data/calendar/guangxi_sanyuesan_2014_2026.csv";
  std::ifstream in(path);
  REQUIRE_MESSAGE(in.good(), "reference data not found at " << path);
  const auto rows = hotline::detail::regional_rows("guangxi");
  std::size_t i = 0;
  bool header = false;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    if (!header) {
      header = true;
      CHECK(line == "date,kind,name,source");
      continue;
    }
    REQUIRE(i < rows.size());
    const auto c1 = line.find(','), c2 = line.find(',', c1 + 1);
    const auto d = hotline::parse_day(line.substr(0, c1));
    const auto ymd = date::year_month_day{d};
    INFO(line);
    CHECK(rows[i].ymd == int(ymd.year()) * 10000 + int(unsigned(ymd.month())) * 100 + int(unsigned(ymd.day())));
    CHECK((rows[i].day_off == 1) == (line.substr(c1 + 1, c2 - c1 - 1) == "holiday"));
    ++i;
  }
  CHECK(i == rows.size());
}

TEST_CASE("Guangxi on top of the national calendar") {
  const auto cn = calendar::china();
  const auto gx = cn.with_region("guangxi");
  CHECK(gx.kind(make_day(2024, 4, 11)) == day_kind::holiday);
  CHECK(*gx.holiday_name(make_day(2024, 4, 11)) == "壮族三月三");
  CHECK(gx.layer(make_day(2024, 4, 11)) == calendar_layer::regional);
  CHECK(cn.is_workday(make_day(2024, 4, 11)));
  // Regional days off override national working days (the 2017, 2022 and 2023 notices).
  for (auto d : {make_day(2017, 4, 1), make_day(2022, 4, 2), make_day(2023, 4, 23)}) {
    CHECK(cn.kind(d) == day_kind::adjusted_working_day);
    CHECK(gx.kind(d) == day_kind::holiday);
  }
  CHECK(gx.kind(make_day(2017, 4, 8)) == day_kind::adjusted_working_day);  // a Saturday Guangxi worked
  CHECK(gx.kind(make_day(2020, 3, 26)) == day_kind::working_day);          // 2020: cancelled
  // A deadline counts the region's days: a consultation (2 working days) received on
  // Wednesday 2024-04-10 is due at the end of Tuesday 04-16 in Guangxi, Friday 04-12 elsewhere.
  CHECK(gx.add_workdays(make_day(2024, 4, 10), 2) == make_day(2024, 4, 16));
  CHECK(cn.add_workdays(make_day(2024, 4, 10), 2) == make_day(2024, 4, 12));
  CHECK_THROWS_AS((void)cn.with_region("atlantis"), hotline::not_found_error);
  CHECK(calendar::regions() == std::vector<std::string>{"guangxi"});
}

TEST_CASE("the lunar 三月初三 of every notice year is a Guangxi day off (the rule's computation)") {
  const auto gx = calendar::china().with_region("guangxi");
  for (int y = 2014; y <= 2026; ++y) {
    if (y == 2020) continue;  // cancelled
    const auto d = hotline::lunisolar::to_gregorian(y, 3, 3);
    INFO(y << " " << hotline::format_day(d));
    CHECK_FALSE(gx.is_workday(d));
  }
}

TEST_CASE("later years: 三月初三 and 初四 computed, provisional") {
  const auto gx = calendar::china({.statutory_beyond_data = true}).with_region("guangxi");
  for (int y = 2027; y <= 2030; ++y) {
    const auto days = hotline::guangxi_rule_days(y);
    CHECK(days[0] == hotline::lunisolar::to_gregorian(y, 3, 3));
    for (auto d : days) {
      INFO(hotline::format_day(d));
      CHECK(gx.kind(d) == day_kind::holiday);
      CHECK(gx.holiday_name(d)->find("暂定") != std::string_view::npos);
    }
  }
  // Without an opt-in the region adds nothing beyond the data (and nothing fails).
  const auto plain = calendar::china().with_region("guangxi");
  CHECK(plain.last_covered_year() == 2026);
}
