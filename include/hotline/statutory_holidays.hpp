// hotline/statutory_holidays.hpp: the days off that the law itself fixes.
//
// The State Council's 全国年节及纪念日放假办法 names the festivals every citizen
// has off and how many days each; the yearly notice (国务院办公厅关于YYYY年部分
// 节假日安排的通知) then arranges them: it gives a statutory day that falls on a
// weekend back on a working day (补假) and swaps weekend days with weekdays to
// make longer breaks (调休).  Only the first part is law that can be computed
// ahead; this header computes it, for a year whose notice has not appeared.
//
//   auto days = hotline::statutory_days(2027);      // 2025 rules: 13 days
//   // 2027-01-01 元旦, 2027-02-05..08 春节 (除夕..正月初三), 2027-04-05 清明节, ...
//
// What it does not do, on purpose: no 补假 and no 调休 is guessed.  Where a
// statutory day falls on a weekend the notice will give a weekday off in its
// place, and it will make some Saturdays or Sundays working days; neither is
// knowable before the notice, so a calendar built on these days is provisional
// (calendar_layer::statutory) and a deadline that crosses them says so
// (deadline::explain).  Loading the year's notice replaces them.
//
// The versions of the 办法, each by the year it took effect (1 January unless said):
//   rules_1999  国务院令第270号 (1999-09-18): 元旦 1 day; 春节 正月初一-初三;
//               劳动节 5月1-3日; 国庆节 10月1-3日.  10 days.
//   rules_2008  国务院令第513号 (2007-12-14, in force 2008-01-01): 元旦 1; 春节 除夕,
//               初一, 初二; 清明节 (the day of the solar term, sun at 15°); 劳动节
//               5月1日; 端午节 五月初五; 中秋节 八月十五; 国庆节 10月1-3日.  11 days.
//   rules_2014  国务院令第644号 (2013-12-11, in force 2014-01-01): 春节 正月初一-初三
//               (the eve is no longer a statutory day).  11 days.
//   rules_2025  国务院令第795号 (2024-11-10, in force 2025-01-01): 春节 除夕-正月初三
//               (4 days), 劳动节 5月1-2日.  13 days.
// Lunar dates and Qingming come from hotline/lunisolar.hpp (Beijing time, the
// rules of GB/T 33661-2017), so the years answered are lunisolar's.
#pragma once

#include "hotline/error.hpp"
#include "hotline/lunisolar.hpp"
#include "hotline/time.hpp"

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hotline {

/// A version of the 全国年节及纪念日放假办法, named by the year it took effect.
enum class holiday_rules : std::uint8_t { rules_1999, rules_2008, rules_2014, rules_2025 };

/// The festivals of the 办法 that give every citizen days off.
enum class festival : std::uint8_t {
  new_year,         ///< 元旦
  spring_festival,  ///< 春节
  qingming,         ///< 清明节
  labour_day,       ///< 劳动节
  dragon_boat,      ///< 端午节
  mid_autumn,       ///< 中秋节
  national_day,     ///< 国庆节
};

/// The names the built-in national data uses, Chinese and English.
constexpr std::string_view name_zh(festival f) noexcept {
  constexpr std::string_view n[] = {"元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"};
  return n[static_cast<std::size_t>(f)];
}
constexpr std::string_view name_en(festival f) noexcept {
  constexpr std::string_view n[] = {"New Year's Day",       "Spring Festival",     "Tomb-sweeping Day", "Labour Day",
                                    "Dragon Boat Festival", "Mid-autumn Festival", "National Day"};
  return n[static_cast<std::size_t>(f)];
}

constexpr std::string_view to_string(holiday_rules r) noexcept {
  switch (r) {
    case holiday_rules::rules_1999: return "rules_1999";
    case holiday_rules::rules_2008: return "rules_2008";
    case holiday_rules::rules_2014: return "rules_2014";
    case holiday_rules::rules_2025: return "rules_2025";
  }
  return "unknown";
}

/// The order that made a version, e.g. "国务院令第795号 (2024 revision, in force 2025-01-01)".
constexpr std::string_view citation(holiday_rules r) noexcept {
  switch (r) {
    case holiday_rules::rules_1999: return "全国年节及纪念日放假办法, 国务院令第270号 (1999 revision)";
    case holiday_rules::rules_2008: return "全国年节及纪念日放假办法, 国务院令第513号 (2007 revision, in force 2008-01-01)";
    case holiday_rules::rules_2014: return "全国年节及纪念日放假办法, 国务院令第644号 (2013 revision, in force 2014-01-01)";
    case holiday_rules::rules_2025: return "全国年节及纪念日放假办法, 国务院令第795号 (2024 revision, in force 2025-01-01)";
  }
  return "unknown";
}

/// The version in force throughout `year`.  Years before 2000 (the 1999 revision
/// took effect in September 1999) are an out_of_range_error.
constexpr holiday_rules holiday_rules_in_force(int year) {
  if (year < 2000)
    throw out_of_range_error("statutory holidays: year " + std::to_string(year) +
                             " is before 2000, the first full year of the 1999 rules this library knows");
  if (year >= 2025) return holiday_rules::rules_2025;
  if (year >= 2014) return holiday_rules::rules_2014;
  if (year >= 2008) return holiday_rules::rules_2008;
  return holiday_rules::rules_1999;
}

/// One statutory day off.
struct statutory_day {
  day date;
  festival which;
  friend bool operator==(const statutory_day&, const statutory_day&) = default;
};

/// The statutory days off of `year` under `rules`, in date order.  Throws
/// out_of_range_error for a year lunisolar does not answer for.
inline std::vector<statutory_day> statutory_days(int year, holiday_rules rules) {
  std::vector<statutory_day> out;
  const auto add = [&](day d, festival f) { out.push_back({d, f}); };
  const auto add_run = [&](day first, int n, festival f) {
    for (int i = 0; i < n; ++i) add(first + date::days{i}, f);
  };
  const bool eve = rules == holiday_rules::rules_2008 || rules == holiday_rules::rules_2025;
  const int spring_days = rules == holiday_rules::rules_2008 ? 2 : 3;  // from 正月初一, besides the eve
  const bool lunar_festivals = rules != holiday_rules::rules_1999;

  add(make_day(year, 1, 1), festival::new_year);
  const day new_year = lunisolar::new_year(year);
  if (eve) add(lunisolar::new_years_eve(year), festival::spring_festival);
  add_run(new_year, spring_days, festival::spring_festival);
  if (lunar_festivals) add(lunisolar::qingming(year), festival::qingming);
  add_run(make_day(year, 5, 1),
          rules == holiday_rules::rules_1999 ? 3 : rules == holiday_rules::rules_2025 ? 2 : 1, festival::labour_day);
  if (lunar_festivals) {
    add(lunisolar::to_gregorian(year, 5, 5), festival::dragon_boat);
    add(lunisolar::to_gregorian(year, 8, 15), festival::mid_autumn);
  }
  add_run(make_day(year, 10, 1), 3, festival::national_day);
  // Mid-Autumn can fall on 1-3 October (2001, 2009, 2020, 2025 ...): the day is
  // then one statutory day of two festivals, listed once under the earlier.
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.date < b.date; });
  out.erase(std::unique(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.date == b.date; }),
            out.end());
  return out;
}

/// The statutory days off of `year` under the rules in force that year.
inline std::vector<statutory_day> statutory_days(int year) { return statutory_days(year, holiday_rules_in_force(year)); }

}  // namespace hotline
