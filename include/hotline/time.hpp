// hotline/time.hpp: the one time vocabulary of the library.
//
// Days are `date::sys_days` (a count of days since 1970-01-01), instants are
// `date::sys_seconds` (UTC), and wall-clock times in Asia/Shanghai are
// `date::local_seconds`.  Always spell `date::` out: under C++20,
// `using namespace date; using namespace std::chrono;` makes `year_month_day`
// ambiguous, and `date::days` is not `std::chrono::days` on g++ 12.
//
//   hotline::day d = hotline::make_day(2025, 1, 25);
//   hotline::instant t = hotline::from_local(d, 15h);   // 15:00 Beijing time
#pragma once

#include <date/date.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace hotline {

using day = date::sys_days;              ///< a calendar date
using instant = date::sys_seconds;       ///< a moment, UTC, second precision
using local_instant = date::local_seconds;  ///< wall-clock time in Asia/Shanghai
using seconds = std::chrono::seconds;

/// Days since 1970-01-01 as a plain integer (the C ABI and numpy currency).
constexpr std::int32_t day_number(day d) noexcept {
  return static_cast<std::int32_t>(d.time_since_epoch().count());
}
constexpr day from_day_number(std::int64_t n) noexcept {
  return day{date::days{n}};
}

/// A date from its parts; throws hotline::error on an invalid date (see error.hpp).
day make_day(int y, unsigned m, unsigned d);

/// Parses an ISO-8601 calendar date "YYYY-MM-DD"; std::nullopt-free: throws
/// hotline::parse_error naming the text when it is not a valid date.
day parse_day(std::string_view text);
std::string format_day(day d);

/// Parses "YYYY-MM-DDTHH:MM[:SS]" with an explicit offset ("Z", "+08:00") as an
/// instant.  Text without an offset is rejected: an instant must be unambiguous.
instant parse_instant(std::string_view text);
/// ISO-8601 in Beijing time with its offset, e.g. "2025-09-30T15:00:00+08:00".
std::string format_instant(instant t);

namespace detail {
/// A stretch of UTC time over which Asia/Shanghai keeps one offset.  Since 1991
/// that is the whole future, so the hot paths convert with one compare and add.
struct zone_span {
  std::int64_t begin;   ///< UTC seconds, inclusive
  std::int64_t end;     ///< UTC seconds, exclusive
  std::int64_t offset;  ///< seconds east of UTC
};
const zone_span& shanghai_current_span() noexcept;  // read once from date's tz database
local_instant to_local_slow(instant t);
instant from_local_slow(local_instant t);
}  // namespace detail

/// Wall-clock time in Asia/Shanghai (date's tz database, the system's tzdata).
/// China has kept UTC+8 without daylight saving since 1991; earlier instants
/// follow the historical rules (1986-1991 summer time).
inline local_instant to_local(instant t) {
  static const detail::zone_span& z = detail::shanghai_current_span();
  const std::int64_t s = t.time_since_epoch().count();
  if (s >= z.begin && s < z.end) return local_instant{seconds{s + z.offset}};
  return detail::to_local_slow(t);
}
/// The instant of a Beijing wall-clock time.  A time skipped by the 1986-1991
/// summer-time changes maps past the gap; a repeated one to its first occurrence.
inline instant from_local(local_instant t) {
  static const detail::zone_span& z = detail::shanghai_current_span();
  const std::int64_t s = t.time_since_epoch().count() - z.offset;
  if (s >= z.begin && s < z.end) return instant{seconds{s}};
  return detail::from_local_slow(t);
}
inline instant from_local(day d, seconds time_of_day) {
  return from_local(local_instant{d.time_since_epoch()} + time_of_day);
}
/// The local calendar day of an instant.
inline day local_day(instant t) {
  return day{date::floor<date::days>(to_local(t)).time_since_epoch()};
}

}  // namespace hotline
