// hotline/staffed_hours.hpp: when people answer the line, and business time.
//
// 001 §3.1: on working days 08:30-16:30 agents answer (human service); at all
// other times, statutory holidays included, the automated voice answers.  A
// schedule may give several intervals per weekday (a lunch break, an evening
// shift) and hours for days off; times are Beijing wall-clock (Asia/Shanghai).
//
//   hotline::staffed_hours hours(hotline::calendar::china());
//   hours.is_staffed(t);                     // human service at instant t?
//   hours.next_opening(t);                   // t itself when staffed
//   hours.business_time(a, b);               // staffed seconds in [a, b)
//   hours.add_business_time(t, 4h);          // when 4 staffed hours have passed
//
// Edge cases, decided once:
//  * Intervals are half-open [open, close): at 16:30:00 the line is closed.
//  * add_business_time(t, d) with d > 0 is the earliest instant at which d of
//    staffed time has passed since t; a result at a closing moment is that
//    closing instant (16:30), not the next opening.  d == 0 gives t.
//  * An adjusted working Saturday (调休) is staffed with Saturday's working-day
//    intervals, which default to the same 08:30-16:30.
//
// A prefix sum of staffed seconds per day makes business_time two look-ups and
// add_business_time a binary search over days, never a day-by-day walk.
#pragma once

#include "hotline/calendar.hpp"
#include "hotline/time.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <vector>

namespace hotline {

/// A stretch of a day, in seconds after local midnight, half-open [begin, end).
struct time_interval {
  seconds begin;
  seconds end;
  friend bool operator==(const time_interval&, const time_interval&) = default;
};

/// Who answers: 001 §3.1.
enum class service_mode : std::uint8_t { human = 0, automated_voice = 1 };

/// Opening hours by weekday for working days, and for days off.
class staffed_schedule {
 public:
  /// 08:30-16:30 on every working day (adjusted working weekend days too), none otherwise (001 §3.1).
  static staffed_schedule standard();

  /// Intervals for working days falling on `wd` (date::Monday ... date::Sunday).
  /// Sorted, non-overlapping, within [00:00, 24:00]; throws invalid_argument_error otherwise.
  staffed_schedule& set_working_day(date::weekday wd, std::vector<time_interval> intervals);
  /// Intervals for every working day.
  staffed_schedule& set_working_days(const std::vector<time_interval>& intervals);
  /// Intervals on rest days and holidays (default none: automated voice all day).
  staffed_schedule& set_days_off(std::vector<time_interval> intervals);

  [[nodiscard]] const std::vector<time_interval>& working_day(date::weekday wd) const {
    return working_[wd.c_encoding()];
  }
  [[nodiscard]] const std::vector<time_interval>& days_off() const { return off_; }

 private:
  static void check(const std::vector<time_interval>& v);
  std::array<std::vector<time_interval>, 7> working_;  ///< by c_encoding (0 = Sunday)
  std::vector<time_interval> off_;
};

class staffed_hours {
 public:
  explicit staffed_hours(calendar cal, staffed_schedule schedule = staffed_schedule::standard());

  [[nodiscard]] bool is_staffed(instant t) const {
    const auto [i, sod] = locate(t);
    for (const auto& iv : intervals_of(i))
      if (sod >= iv.begin.count() && sod < iv.end.count()) return true;
    return false;
  }
  [[nodiscard]] service_mode mode(instant t) const {
    return is_staffed(t) ? service_mode::human : service_mode::automated_voice;
  }

  /// Staffed seconds from the start of the calendar's table to t (a monotone clock).
  [[nodiscard]] std::int64_t staffed_clock(instant t) const {
    const auto [i, sod] = locate(t);
    std::int64_t s = prefix_[static_cast<std::size_t>(i)];
    for (const auto& iv : intervals_of(i)) {
      if (sod <= iv.begin.count()) break;
      s += std::min<std::int64_t>(sod, iv.end.count()) - iv.begin.count();
    }
    return s;
  }

  /// Staffed time in [a, b); negative when b < a.
  [[nodiscard]] seconds business_time(instant a, instant b) const {
    return seconds{staffed_clock(b) - staffed_clock(a)};
  }

  /// The earliest instant at which `d` of staffed time has passed since t (d >= 0).
  [[nodiscard]] instant add_business_time(instant t, seconds d) const;
  /// t when staffed, else the next opening.  Throws out_of_range_error if none is left in the table.
  [[nodiscard]] instant next_opening(instant t) const;
  /// The end of the staffed interval containing t, or of the next one.
  [[nodiscard]] instant next_closing(instant t) const;
  /// The instant a day's last staffed interval closes; std::nullopt when the day has none.
  [[nodiscard]] std::optional<instant> closing_of(day d) const;
  /// The staffed intervals of a day as instants.
  [[nodiscard]] std::vector<std::pair<instant, instant>> intervals(day d) const;

  [[nodiscard]] const calendar& workdays() const noexcept { return cal_; }
  [[nodiscard]] const staffed_schedule& schedule() const noexcept { return *schedule_; }

 private:
  /// (table index of t's local day, seconds since local midnight)
  [[nodiscard]] std::pair<std::int64_t, std::int64_t> locate(instant t) const {
    const std::int64_t l = to_local(t).time_since_epoch().count();
    const std::int64_t dn = (l >= 0 ? l : l - 86399) / 86400;
    return {detail::table_index(cal_.table(), dn), l - dn * 86400};
  }
  [[nodiscard]] const std::vector<time_interval>& intervals_of(std::int64_t i) const {
    return patterns_[pattern_[static_cast<std::size_t>(i)]];
  }
  [[nodiscard]] instant at(std::int64_t i, seconds sod) const {
    return from_local(local_instant{date::days{cal_.table().first + i}} + sod);
  }

  calendar cal_;
  std::shared_ptr<const staffed_schedule> schedule_;
  std::array<std::vector<time_interval>, 8> patterns_;  ///< 0-6 working day by weekday, 7 day off
  std::vector<std::uint8_t> pattern_;                   ///< per table day
  std::vector<std::int64_t> prefix_;                    ///< staffed seconds before each table day
};

// ---- inline definitions ----------------------------------------------------

inline staffed_schedule staffed_schedule::standard() {
  staffed_schedule s;
  s.set_working_days({{seconds{8 * 3600 + 30 * 60}, seconds{16 * 3600 + 30 * 60}}});
  return s;
}

inline void staffed_schedule::check(const std::vector<time_interval>& v) {
  seconds prev{0};
  for (std::size_t k = 0; k < v.size(); ++k) {
    const auto& iv = v[k];
    if (iv.begin < seconds{0} || iv.end > seconds{86400} || iv.begin >= iv.end)
      throw invalid_argument_error("staffed interval " + std::to_string(k) +
                                   " must satisfy 00:00 <= open < close <= 24:00");
    if (k > 0 && iv.begin < prev)
      throw invalid_argument_error("staffed intervals must be sorted and must not overlap (interval " +
                                   std::to_string(k) + ")");
    prev = iv.end;
  }
}

inline staffed_schedule& staffed_schedule::set_working_day(date::weekday wd, std::vector<time_interval> v) {
  if (!wd.ok()) throw invalid_argument_error("invalid weekday");
  check(v);
  working_[wd.c_encoding()] = std::move(v);
  return *this;
}

inline staffed_schedule& staffed_schedule::set_working_days(const std::vector<time_interval>& v) {
  check(v);
  for (auto& w : working_) w = v;
  return *this;
}

inline staffed_schedule& staffed_schedule::set_days_off(std::vector<time_interval> v) {
  check(v);
  off_ = std::move(v);
  return *this;
}

inline staffed_hours::staffed_hours(calendar cal, staffed_schedule schedule)
    : cal_(std::move(cal)), schedule_(std::make_shared<const staffed_schedule>(std::move(schedule))) {
  for (unsigned w = 0; w < 7; ++w) patterns_[w] = schedule_->working_day(date::weekday{w});
  patterns_[7] = schedule_->days_off();
  std::array<std::int64_t, 8> total{};
  for (std::size_t p = 0; p < 8; ++p)
    for (const auto& iv : patterns_[p]) total[p] += (iv.end - iv.begin).count();
  const auto& t = cal_.table();
  const auto n = static_cast<std::size_t>(t.size);
  pattern_.resize(n);
  prefix_.assign(n + 1, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const auto dn = t.first + static_cast<std::int64_t>(i);
    const auto p = is_working(static_cast<day_kind>(t.kind[i]))
                       ? static_cast<std::uint8_t>(date::weekday{from_day_number(dn)}.c_encoding())
                       : std::uint8_t{7};
    pattern_[i] = p;
    prefix_[i + 1] = prefix_[i] + total[p];
  }
}

inline instant staffed_hours::add_business_time(instant t, seconds d) const {
  if (d < seconds{0}) throw invalid_argument_error("add_business_time: a negative duration");
  if (d == seconds{0}) return t;
  const std::int64_t target = staffed_clock(t) + d.count();
  // First day whose end-of-day clock reaches the target.
  const auto it = std::lower_bound(prefix_.begin() + 1, prefix_.end(), target);
  if (it == prefix_.end())
    throw out_of_range_error("add_business_time: the result lies beyond " + format_day(cal_.last_day()) +
                             ", the last day the calendar covers");
  const auto i = static_cast<std::int64_t>(it - prefix_.begin()) - 1;
  std::int64_t left = target - prefix_[static_cast<std::size_t>(i)];
  for (const auto& iv : intervals_of(i)) {
    const auto len = (iv.end - iv.begin).count();
    if (left <= len) return at(i, iv.begin + seconds{left});
    left -= len;
  }
  return at(i, intervals_of(i).back().end);  // unreachable: the prefix says the day suffices
}

inline instant staffed_hours::next_opening(instant t) const {
  if (is_staffed(t)) return t;
  const std::int64_t c = staffed_clock(t);
  // The first day with staffed time after the clock's current value.
  const auto it = std::upper_bound(prefix_.begin() + 1, prefix_.end(), c);
  if (it == prefix_.end())
    throw out_of_range_error("next_opening: no staffed hours left before " + format_day(cal_.last_day()));
  const auto i = static_cast<std::int64_t>(it - prefix_.begin()) - 1;
  const auto [ti, sod] = locate(t);
  for (const auto& iv : intervals_of(i))
    if (i > ti || iv.begin.count() > sod) return at(i, iv.begin);
  throw out_of_range_error("next_opening: no staffed hours found");  // unreachable by construction
}

inline instant staffed_hours::next_closing(instant t) const {
  const instant open = next_opening(t);
  const auto [i, sod] = locate(open);
  for (const auto& iv : intervals_of(i))
    if (sod >= iv.begin.count() && sod < iv.end.count()) return at(i, iv.end);
  throw out_of_range_error("next_closing: no staffed interval found");  // unreachable by construction
}

inline std::optional<instant> staffed_hours::closing_of(day d) const {
  const auto i = detail::table_index(cal_.table(), day_number(d));
  const auto& v = intervals_of(i);
  if (v.empty()) return std::nullopt;
  return at(i, v.back().end);
}

inline std::vector<std::pair<instant, instant>> staffed_hours::intervals(day d) const {
  const auto i = detail::table_index(cal_.table(), day_number(d));
  std::vector<std::pair<instant, instant>> out;
  for (const auto& iv : intervals_of(i)) out.emplace_back(at(i, iv.begin), at(i, iv.end));
  return out;
}

}  // namespace hotline
