// hotline/lunisolar.hpp: the Chinese calendar (农历) and the 24 solar terms,
// computed, for the holidays that follow them (春节, 清明, 端午, 中秋).
//
//   hotline::day sf = hotline::lunisolar::new_year(2027);           // 2027-02-06
//   hotline::day eve = hotline::lunisolar::new_years_eve(2027);     // 2027-02-05
//   hotline::day dw = hotline::lunisolar::to_gregorian(2025, 5, 5); // 2025-05-31 端午
//   auto ld = hotline::lunisolar::from_gregorian(hotline::make_day(2025, 7, 25));
//   // {2025, 6, leap = true, 1}: 闰六月初一
//   hotline::day qm = hotline::lunisolar::qingming(2025);           // 2025-04-04
//
// The rules are those of GB/T 33661-2017 《农历的编算和颁行》:
//   - all instants are taken in Beijing time, UTC+8, and a "day" is a Beijing
//     calendar day;
//   - a month begins on the day that contains the new moon (the conjunction of
//     the Sun and the Moon in apparent longitude) and ends the day before the
//     next one begins, so it has 29 or 30 days;
//   - the month that contains the winter solstice (冬至, the Sun at 270°) is the
//     11th month;
//   - when 13 months begin between one 11th month (inclusive) and the next
//     (exclusive), the first of them that contains no principal term (中气: the
//     Sun at a multiple of 30°) is a leap month, numbered as the month before it;
//   - the year begins with the 1st month (正月初一, the Spring Festival).
// Lunar years are named by the Gregorian year in which their 正月初一 falls:
// lunar year 2025 runs from 2025-01-29 to 2026-02-16, so its 12th month lies in
// Gregorian 2026.
//
// Precision: new moons from Meeus, Astronomical Algorithms ch. 49, and solar
// terms from a truncated VSOP87 with nutation and aberration, in TT, agree with
// PyEphem over 1990-2100 to 16 s and 13 s; TT becomes UTC through observed
// Delta T (to 2025) and a published extrapolation (hotline/detail/astronomy.hpp).
// An instant that close to midnight can still land on either day.  In the years
// answered no new moon is: the closest, 2018-11-08 00:02 +08:00, is two minutes
// off (the Spring Festival of 2027 hangs on one at 02-06 23:56), and every
// 正月初一 agrees with the Hong Kong Observatory's table.  A few solar terms are
// within a minute (冬至 1951-12-23 00:00:05, 大寒 1979-01-20 23:59:57, 小满
// 2008-05-21 00:00:54, 冬至 2021-12-21 23:59:19 ...): solar_term() may be a day
// off for those, but none of them is next to a month's first day, so no month
// or leap month depends on it.  Beyond the years answered the observatory itself
// marks the new moons of 2057-09-28, 2089-09-04 and 2097-08-07 as uncertain by
// a day: which side of midnight they fall depends on the Earth's rotation then.
//
// Ranges: lunar years first_year..last_year (1940-2039) are answered, other
// years are an out_of_range_error; from_gregorian answers from
// new_year(first_year) to new_years_eve(last_year + 1); solar_term answers for
// Gregorian years first_year..last_year.
#pragma once

#include "hotline/detail/astronomy.hpp"
#include "hotline/error.hpp"
#include "hotline/time.hpp"

#include <array>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace hotline::lunisolar {

/// The lunar years answered: those whose 正月初一 the tests check against the Hong
/// Kong Observatory's table, with the year after the last, which ends it.
inline constexpr int first_year = 1940;
inline constexpr int last_year = 2039;

/// A date of the Chinese calendar.
struct lunar_date {
  int year;        ///< Gregorian year in which this lunar year's 正月初一 falls
  unsigned month;  ///< 1..12
  bool leap;       ///< a leap month (闰月), numbered as the month before it
  unsigned day;    ///< 1..30
  friend bool operator==(const lunar_date&, const lunar_date&) = default;
};

/// One month of a lunar year.
struct lunar_month {
  unsigned number;  ///< 1..12
  bool leap;        ///< 闰月
  day first;        ///< its 初一
  unsigned days;    ///< 29 (小月) or 30 (大月)
  friend bool operator==(const lunar_month&, const lunar_month&) = default;
};

/// The months of one lunar year, in order, from 正月 to the last day before the
/// next 正月初一.
struct lunar_year {
  int year = 0;                          ///< Gregorian year of its 正月初一
  unsigned count = 0;                    ///< 12, or 13 with a leap month
  std::array<lunar_month, 13> months{};  ///< months[0 .. count)

  /// The number of its leap month (e.g. 6 for 闰六月), 0 when it has none.
  [[nodiscard]] unsigned leap_month() const noexcept {
    for (unsigned i = 0; i < count; ++i)
      if (months[i].leap) return months[i].number;
    return 0;
  }
  [[nodiscard]] day first_day() const noexcept { return months[0].first; }
  [[nodiscard]] day last_day() const noexcept {
    const auto& m = months[count - 1];
    return m.first + date::days{m.days - 1};
  }
};

/// The name of a solar term by the Sun's longitude: 0 春分, 15 清明, ... 345 惊蛰;
/// the principal terms (中气) are the multiples of 30.  Empty for other values.
constexpr std::string_view solar_term_name(int longitude_deg) noexcept {
  constexpr std::string_view names[] = {"春分", "清明", "谷雨", "立夏", "小满", "芒种", "夏至", "小暑",
                                        "大暑", "立秋", "处暑", "白露", "秋分", "寒露", "霜降", "立冬",
                                        "小雪", "大雪", "冬至", "小寒", "大寒", "立春", "雨水", "惊蛰"};
  if (longitude_deg < 0 || longitude_deg >= 360 || longitude_deg % 15 != 0) return {};
  return names[longitude_deg / 15];
}

}  // namespace hotline::lunisolar

namespace hotline::detail {

/// The JDE (TT) at which the Sun's apparent longitude reaches `longitude_deg`
/// in Gregorian `year` (each longitude is reached once a year: 285-345 in
/// January-March, 0-270 from March to December).
inline double solar_term_jde(int year, int longitude_deg) {
  // Start from the mean Sun, counted from about 20 March; the true Sun is
  // within two days of it, and the solver closes that.
  const double march20 = day{date::year{year} / 3 / 20}.time_since_epoch().count() + jd_unix_epoch + 0.5;
  const int from_equinox = longitude_deg > 270 ? longitude_deg - 360 : longitude_deg;
  return solve_sun_longitude(longitude_deg, march20 + from_equinox / 360.0 * 365.2422);
}

/// One 岁: the months from the 11th month that contains the winter solstice of
/// Gregorian year - 1 up to (not including) the 11th month of `year`.
struct lunar_sui {
  std::array<std::int32_t, 15> starts{};  ///< day numbers of month starts; starts[count] begins the next 岁
  unsigned count = 0;                     ///< 12 or 13 months
  unsigned leap = 0;                      ///< index of the leap month in starts (1..12), 0 if none
};

inline lunar_sui compute_sui(int year) {
  lunar_sui s;
  const double solstice0 = solar_term_jde(year - 1, 270), solstice1 = solar_term_jde(year, 270);
  const std::int32_t ws0 = beijing_day_number(solstice0), ws1 = beijing_day_number(solstice1);
  // Months are decided by days, not instants: a new moon later on the
  // solstice's own Beijing day still begins the month that contains it.  So
  // start one lunation early and walk forward by Beijing days.
  int k = new_moon_index_at_or_before(solstice0) - 1;
  while (beijing_day_number(new_moon_jde(k + 1)) <= ws0) ++k;
  unsigned n = 0;
  for (;; ++n, ++k) {
    s.starts[n] = beijing_day_number(new_moon_jde(k));
    if (n > 0 && s.starts[n] > ws1) break;
    if (n + 1 == s.starts.size())  // cannot happen: solstices are 12.4 lunations apart
      throw conflict_error("lunisolar: more than 13 months between the winter solstices of " +
                           std::to_string(year - 1) + " and " + std::to_string(year));
  }
  s.count = n - 1;  // starts[n - 1] is the month of the next solstice
  if (s.count == 13) {
    // 中气 between the two solstices: 300, 330 in January-February, then 0..240.
    std::array<std::int32_t, 13> principal{};
    principal[0] = ws0;
    for (int i = 1; i <= 11; ++i)
      principal[static_cast<std::size_t>(i)] = beijing_day_number(solar_term_jde(year, (270 + 30 * i) % 360));
    principal[12] = ws1;
    for (unsigned i = 1; i < s.count && s.leap == 0; ++i) {
      bool has_principal = false;
      for (const auto p : principal) has_principal = has_principal || (p >= s.starts[i] && p < s.starts[i + 1]);
      if (!has_principal) s.leap = i;
    }
  }
  return s;
}

/// compute_sui, each year once per process (a calendar asks for the same few
/// years again and again; a 岁 costs some 60 microseconds).
inline lunar_sui sui_of(int year) {
  constexpr int lo = lunisolar::first_year - 1, hi = lunisolar::last_year + 2;
  if (year < lo || year > hi) return compute_sui(year);
  static std::mutex mutex;
  static std::array<std::optional<lunar_sui>, hi - lo + 1> cache;
  const std::lock_guard<std::mutex> lock(mutex);
  auto& slot = cache[static_cast<std::size_t>(year - lo)];
  if (!slot) slot = compute_sui(year);
  return *slot;
}

/// The month number of starts[i] in a 岁 (index 0 is the 11th month).
inline lunisolar::lunar_month sui_month(const lunar_sui& s, unsigned i) {
  const bool after_leap = s.leap != 0 && i >= s.leap;
  const unsigned number = (10 + (after_leap ? i - 1 : i)) % 12 + 1;
  return {number, s.leap != 0 && i == s.leap, from_day_number(s.starts[i]),
          static_cast<unsigned>(s.starts[i + 1] - s.starts[i])};
}

/// Index of 正月 in a 岁: after the 11th, the 12th and a leap 11th or 12th.
inline unsigned sui_first_month(const lunar_sui& s) { return s.leap == 1 || s.leap == 2 ? 3 : 2; }

inline lunisolar::lunar_year build_lunar_year(int year) {
  const lunar_sui a = sui_of(year), b = sui_of(year + 1);
  lunisolar::lunar_year y;
  y.year = year;
  const auto add = [&](const lunar_sui& s, unsigned i) {
    if (y.count == y.months.size())
      throw conflict_error("lunisolar: lunar year " + std::to_string(year) + " would have more than 13 months");
    y.months[y.count++] = sui_month(s, i);
  };
  for (unsigned i = sui_first_month(a); i < a.count; ++i) add(a, i);
  for (unsigned i = 0; i < sui_first_month(b); ++i) add(b, i);
  return y;
}

inline void check_lunar_year(int year, const char* what) {
  if (year < lunisolar::first_year || year > lunisolar::last_year)
    throw out_of_range_error(std::string("lunisolar: ") + what + " of lunar year " + std::to_string(year) +
                             ": the Chinese calendar is computed for " + std::to_string(lunisolar::first_year) + "-" +
                             std::to_string(lunisolar::last_year) + " only");
}

inline void check_solar_term(int year, int longitude_deg) {
  const std::string_view name = lunisolar::solar_term_name(longitude_deg);
  if (name.empty())
    throw invalid_argument_error("lunisolar: solar term at " + std::to_string(longitude_deg) +
                                 " degrees: the terms are at multiples of 15 degrees from 0 to 345");
  if (year < lunisolar::first_year || year > lunisolar::last_year)
    throw out_of_range_error("lunisolar: solar term " + std::string(name) + " of " + std::to_string(year) +
                             " is outside the computed years " + std::to_string(lunisolar::first_year) + "-" +
                             std::to_string(lunisolar::last_year));
}

inline std::string lunar_date_text(int year, unsigned month, bool leap, unsigned day_of_month) {
  return "lunar " + std::to_string(year) + (leap ? " leap month " : " month ") + std::to_string(month) + " day " +
         std::to_string(day_of_month);
}

}  // namespace hotline::detail

namespace hotline::lunisolar {

/// All months of the lunar year that begins in Gregorian `year`.  Throws
/// out_of_range_error outside [first_year, last_year].
inline lunar_year months_of(int year) {
  detail::check_lunar_year(year, "the months");
  return detail::build_lunar_year(year);
}

/// 正月初一, the Spring Festival, of the lunar year beginning in Gregorian `year`.
inline day new_year(int year) {
  detail::check_lunar_year(year, "the new year");
  const detail::lunar_sui s = detail::sui_of(year);
  return from_day_number(s.starts[detail::sui_first_month(s)]);
}

/// 除夕: the last day of the lunar year before new_year(year), whether the 29th
/// or the 30th of its 12th month.
inline day new_years_eve(int year) { return new_year(year) - date::days{1}; }

/// The Gregorian day of a lunar date.  `year` names the lunar year by the
/// Gregorian year of its 正月初一, so to_gregorian(2025, 12, 1) is in January
/// 2026.  Throws out_of_range_error for a year outside [first_year, last_year],
/// invalid_argument_error for a date that does not exist (a 30th in a 29-day
/// month, a leap month the year does not have, month 0 or 13, day 0 or 31).
inline day to_gregorian(int year, unsigned month, unsigned day_of_month, bool leap = false) {
  const auto what = [&] { return detail::lunar_date_text(year, month, leap, day_of_month); };
  if (year < first_year || year > last_year)
    throw out_of_range_error("lunisolar: " + what() + " is outside the computed lunar years " +
                             std::to_string(first_year) + "-" + std::to_string(last_year));
  if (month < 1 || month > 12 || day_of_month < 1 || day_of_month > 30)
    throw invalid_argument_error("lunisolar: " + what() + " does not exist: months are 1-12, days 1-30");
  const lunar_year y = detail::build_lunar_year(year);
  for (unsigned i = 0; i < y.count; ++i) {
    const lunar_month& m = y.months[i];
    if (m.number != month || m.leap != leap) continue;
    if (day_of_month > m.days)
      throw invalid_argument_error("lunisolar: " + what() + " does not exist: that month has " +
                                   std::to_string(m.days) + " days");
    return m.first + date::days{day_of_month - 1};
  }
  const unsigned has = y.leap_month();
  throw invalid_argument_error(
      "lunisolar: " + what() + " does not exist: lunar year " + std::to_string(year) +
      (has == 0 ? std::string(" has no leap month") : " has leap month " + std::to_string(has) + " only"));
}

/// The lunar date of a Gregorian day.  Throws out_of_range_error before
/// new_year(first_year) or from new_year(last_year + 1) on.
inline lunar_date from_gregorian(day d) {
  const day lo = new_year(first_year);
  const detail::lunar_sui next = detail::sui_of(last_year + 1);
  const day hi = from_day_number(next.starts[detail::sui_first_month(next)]);
  if (d < lo || d >= hi)
    throw out_of_range_error("lunisolar: " + format_day(d) + " is outside the computed lunar years " +
                             std::to_string(first_year) + "-" + std::to_string(last_year) + " (" + format_day(lo) +
                             " to " + format_day(hi - date::days{1}) + ")");
  int year = static_cast<int>(date::year_month_day{d}.year());
  if (year > last_year || d < new_year(year)) --year;
  const lunar_year y = detail::build_lunar_year(year);
  for (unsigned i = y.count; i-- > 0;) {
    const lunar_month& m = y.months[i];
    if (d >= m.first) return {year, m.number, m.leap, static_cast<unsigned>((d - m.first).count()) + 1};
  }
  throw conflict_error("lunisolar: " + format_day(d) + " precedes lunar year " + std::to_string(year));  // unreachable
}

/// The instant (UTC, to the second) at which the Sun's apparent geocentric
/// ecliptic longitude reaches `longitude_deg` (0, 15, ..., 345) in Gregorian
/// `year`.  Throws invalid_argument_error for another longitude and
/// out_of_range_error for a year outside [first_year, last_year].
inline instant solar_term_instant(int year, int longitude_deg) {
  detail::check_solar_term(year, longitude_deg);
  const double unix_seconds = detail::jde_to_unix_seconds(detail::solar_term_jde(year, longitude_deg));
  return instant{seconds{static_cast<std::int64_t>(std::llround(unix_seconds))}};
}

/// The Beijing-time day of the solar term at `longitude_deg` in `year`
/// (e.g. 270: 冬至; 15: 清明).  Errors as solar_term_instant.
inline day solar_term(int year, int longitude_deg) {
  detail::check_solar_term(year, longitude_deg);
  return from_day_number(detail::beijing_day_number(detail::solar_term_jde(year, longitude_deg)));
}

/// 清明, the day of the solar term at 15 degrees: April 5 in 1944-1975; from 1976
/// April 4 in leap years, and from 2008 in the years after them too; else April 5.
inline day qingming(int year) { return solar_term(year, 15); }

}  // namespace hotline::lunisolar
