// Dates, instants and the Asia/Shanghai zone (date's tz database).
#include "hotline/time.hpp"

#include "hotline/error.hpp"
#include "hotline/masking.hpp"

#include <date/tz.h>
#include <fmt/format.h>

#include <charconv>

namespace hotline {
namespace {

const date::time_zone* shanghai() {
  static const date::time_zone* z = date::locate_zone("Asia/Shanghai");
  return z;
}

bool read_int(std::string_view s, std::size_t pos, std::size_t len, int& out) {
  if (pos + len > s.size()) return false;
  for (std::size_t i = pos; i < pos + len; ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  std::from_chars(s.data() + pos, s.data() + pos + len, out);
  return true;
}

}  // namespace

namespace detail {

const zone_span& shanghai_current_span() noexcept {
  // The sys_info in force now lasts (for Shanghai) until date's "max" instant.
  static const zone_span span = [] {
    try {
      const auto info = shanghai()->get_info(date::sys_seconds{seconds{1'000'000'000}});
      return zone_span{info.begin.time_since_epoch().count(), info.end.time_since_epoch().count(),
                       info.offset.count()};
    } catch (...) {
      return zone_span{0, 0, 0};  // no tzdata: every conversion takes the slow path and reports it
    }
  }();
  return span;
}

local_instant to_local_slow(instant t) {
  try {
    return shanghai()->to_local(t);
  } catch (const std::exception& e) {
    throw error(errc::io_error, fmt::format("cannot convert to Asia/Shanghai time (is tzdata installed?): {}", e.what()));
  }
}

instant from_local_slow(local_instant t) {
  try {
    // In a summer-time gap, first is the info before it, so the result lands past
    // the gap; in a repeated hour, first is the earlier occurrence.
    const auto info = shanghai()->get_info(t);
    return date::sys_seconds{t.time_since_epoch() - info.first.offset};
  } catch (const std::exception& e) {
    throw error(errc::io_error, fmt::format("cannot convert from Asia/Shanghai time (is tzdata installed?): {}", e.what()));
  }
}

}  // namespace detail

day make_day(int y, unsigned m, unsigned d) {
  const date::year_month_day ymd{date::year{y}, date::month{m}, date::day{d}};
  if (!ymd.ok() || y < 1 || y > 9999)
    throw invalid_argument_error(fmt::format("invalid date {:04}-{:02}-{:02}", y, m, d));
  return day{ymd};
}

day parse_day(std::string_view s) {
  int y = 0, m = 0, d = 0;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-' || !read_int(s, 0, 4, y) || !read_int(s, 5, 2, m) ||
      !read_int(s, 8, 2, d))
    throw parse_error("", 0, fmt::format("'{}' is not a date of the form YYYY-MM-DD", mask_text(s)));
  const date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(m)},
                                 date::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) throw parse_error("", 0, fmt::format("'{}' is not a valid calendar date", mask_text(s)));
  return day{ymd};
}

std::string format_day(day d) {
  const date::year_month_day ymd{d};
  return fmt::format("{:04}-{:02}-{:02}", int(ymd.year()), unsigned(ymd.month()), unsigned(ymd.day()));
}

instant parse_instant(std::string_view s) {
  auto bad = [&](const char* why) {
    // The text may be anything a host was given (a phone number in the wrong column):
    // quoted masked, as every error quotes input (masking.hpp).
    return parse_error("", 0, fmt::format("'{}' is not an ISO-8601 instant: {}", mask_text(s), why));
  };
  if (s.size() < 16 || (s[10] != 'T' && s[10] != ' ')) throw bad("expected YYYY-MM-DDTHH:MM[:SS]±HH:MM");
  const day d = parse_day(s.substr(0, 10));
  int hh = 0, mm = 0, ss = 0;
  std::size_t p = 11;
  if (!read_int(s, p, 2, hh) || s[p + 2] != ':' || !read_int(s, p + 3, 2, mm)) throw bad("bad time of day");
  p += 5;
  if (p < s.size() && s[p] == ':') {
    if (!read_int(s, p + 1, 2, ss)) throw bad("bad seconds");
    p += 3;
  }
  if (hh > 23 || mm > 59 || ss > 59) throw bad("time of day out of range");
  if (p >= s.size()) throw bad("no UTC offset (add Z or +08:00): a time without one is ambiguous");
  int off = 0;
  if (s[p] == 'Z' && p + 1 == s.size()) {
    off = 0;
  } else if ((s[p] == '+' || s[p] == '-') && s.size() == p + 6 && s[p + 3] == ':') {
    int oh = 0, om = 0;
    if (!read_int(s, p + 1, 2, oh) || !read_int(s, p + 4, 2, om) || oh > 23 || om > 59) throw bad("bad UTC offset");
    off = (oh * 3600 + om * 60) * (s[p] == '-' ? -1 : 1);
  } else {
    throw bad("bad UTC offset");
  }
  return instant{d.time_since_epoch()} + seconds{hh * 3600 + mm * 60 + ss - off};
}

std::string format_instant(instant t) {
  // ISO-8601 offsets are whole minutes.  Before 1901 Shanghai kept local mean time,
  // +08:05:43: the text is written at +08:05 so that it names the same instant
  // (parse_instant reads it back equal; the 43 seconds were lost before).
  const auto offset = to_local(t).time_since_epoch() - t.time_since_epoch();
  const auto off_min = offset.count() / 60;
  const auto local = t + seconds{off_min * 60};
  const auto dp = date::floor<date::days>(local);
  const date::year_month_day ymd{dp};
  const date::hh_mm_ss<seconds> tod{local - dp};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{}{:02}:{:02}", int(ymd.year()), unsigned(ymd.month()),
                     unsigned(ymd.day()), tod.hours().count(), tod.minutes().count(), tod.seconds().count(),
                     off_min < 0 ? '-' : '+', std::abs(off_min) / 60, std::abs(off_min) % 60);
}

}  // namespace hotline
