// hotline/regional_days.hpp: a region's own days off, built in.
//
// The 全国年节及纪念日放假办法 (art. 4) leaves the festivals of ethnic minorities
// to the regions where they live.  Guangxi, home of two of this library's source
// documents (003, 004), gives every citizen of the region two days off for
// 壮族三月三 since 2014 (广西壮族自治区少数民族习惯节日放假办法, 广西壮族自治区人民政府令
// 第98号), and each year the region's General Office fixes the dates by notice
// (广西壮族自治区人民政府办公厅关于YYYY年“壮族三月三”放假的通知), often with a
// worked weekend day, and sometimes giving off a day the national calendar works
// (2017-04-01, 2022-04-02, 2023-04-23).
//
//   auto gx = hotline::calendar::china().with_region("guangxi");
//   gx.kind(hotline::make_day(2023, 4, 23));   // holiday: a national working Sunday, off in Guangxi
//
// Built in: the notices' days of 2014-2026 (data/calendar/guangxi_sanyuesan_2014_2026.csv,
// with their sources; 2020 has none: the holiday was cancelled on 2020-03-05).
// For a later year, until its notice is loaded as a regional overlay, the rule's
// usual pair is computed: 农历三月初三 and 初四, the statutory pair of most notices
// (2014, 2016-2018, 2020 as planned, 2021, 2023-2025); 2015 and 2026 gave 初二 and
// 初三, and 2019 and 2022, when the festival met Qingming, other days besides.
// Those days are provisional: their name says so, and the years are provisional
// in the national calendar anyway (calendar::basis).
#pragma once

#include "hotline/calendar_overlay.hpp"
#include "hotline/lunisolar.hpp"

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

namespace hotline {

/// One built-in region.
struct region_info {
  std::string_view name;     ///< what calendar::with_region takes, e.g. "guangxi"
  std::string_view name_zh;  ///< 广西壮族自治区
  std::string_view festival_zh, festival_en;
  int first_year;      ///< the first year the region gave the days
  int last_data_year;  ///< the last year whose notice is built in
  std::string_view rule;  ///< the instrument
};

namespace detail {
struct regional_row {
  std::int32_t ymd;      ///< yyyymmdd
  std::uint8_t day_off;  ///< 1 day off, 0 a worked weekend day
};
/// The notices' days of a built-in region (src/regional_days.cpp), sorted.
std::span<const regional_row> regional_rows(std::string_view name);
}  // namespace detail

/// The built-in regions.
std::span<const region_info> builtin_regions();
/// The region called `name`; not_found_error lists the names.
const region_info& builtin_region(std::string_view name);

/// Guangxi's two days for a year with no notice: 农历三月初三 and 初四.
inline std::array<day, 2> guangxi_rule_days(int year) {
  const day d = lunisolar::to_gregorian(year, 3, 3);
  return {d, d + date::days{1}};
}

/// The region's days of [first_year, last_year] as a regional overlay: the built-in
/// notices' days, then the rule's computed days (named as provisional) for years
/// after last_data_year up to lunisolar::last_year.
calendar_overlay regional_overlay(std::string_view name, int first_year, int last_year);

}  // namespace hotline
