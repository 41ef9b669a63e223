// hotline/report_schedule.hpp: when periodic statistics reports are due.
//
// 001 §3.2: receipt statistics (annex 7) on the 15th and the last day of each
// month; the monthly statistics (annex 8) before the 7th of the next month
// (annex 8's own header says the 5th: a schedule can say either).  000 art. 14:
// complaints, reports and praise summarised for the district authorities every
// quarter.
//
//   hotline::report_schedule s{.name = "monthly", .period = hotline::report_period::month,
//                              .due = hotline::report_due_rule::day_of_next_period, .day = 7};
//   s.due_dates(hotline::make_day(2025, 1, 1), hotline::make_day(2025, 12, 31));
//
// The rules, spelled out once:
//  * Periods: half_month = the 1st-15th and the 16th-last day; month; quarter
//    (Jan-Mar, Apr-Jun, Jul-Sep, Oct-Dec).
//  * period_end: due on the period's last day (the 15th, the last day of the month).
//  * day_of_next_period: due on day `day` of the period that follows (its first
//    month for a quarter).  "Before the 7th" (于下月7日前) is read inclusively, as
//    administrative deadlines are: a report on the 7th is in time.  `inclusive =
//    false` reads it strictly (due on the 6th).
//  * A due date is a date, as the documents give it; `roll` may move one that falls
//    on a day off to the next (or previous) working day, given a calendar.  The
//    presets do not roll: the documents name calendar dates.
//  * 000 art. 14 says only "every quarter": the preset reads it strictly, each
//    quarter's summary due on the quarter's last day.
#pragma once

#include "hotline/calendar.hpp"
#include "hotline/error.hpp"
#include "hotline/time.hpp"

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace hotline {

enum class report_period : std::uint8_t { half_month = 0, month = 1, quarter = 2 };
enum class report_due_rule : std::uint8_t { period_end = 0, day_of_next_period = 1 };
enum class report_roll : std::uint8_t { none = 0, next_workday = 1, previous_workday = 2 };

namespace detail {
inline constexpr std::array<std::string_view, 3> report_period_names{"half_month", "month", "quarter"};
inline constexpr std::array<std::string_view, 2> report_due_rule_names{"period_end", "day_of_next_period"};
inline constexpr std::array<std::string_view, 3> report_roll_names{"none", "next_workday", "previous_workday"};
}  // namespace detail
constexpr std::string_view to_string(report_period v) noexcept { return detail::report_period_names[std::size_t(v)]; }
constexpr std::string_view to_string(report_due_rule v) noexcept { return detail::report_due_rule_names[std::size_t(v)]; }
constexpr std::string_view to_string(report_roll v) noexcept { return detail::report_roll_names[std::size_t(v)]; }

/// One report's period and due date.
struct report_due {
  day period_first;
  day period_last;
  day due;
  friend constexpr bool operator==(const report_due&, const report_due&) = default;
};

struct report_schedule {
  std::string name;
  report_period period = report_period::month;
  report_due_rule due = report_due_rule::period_end;
  unsigned day = 0;        ///< day_of_next_period: 1-28
  bool inclusive = true;   ///< day_of_next_period: false = strictly before `day`
  report_roll roll = report_roll::none;
  std::string cite;        ///< e.g. "001 §3.2"
  friend bool operator==(const report_schedule&, const report_schedule&) = default;

  /// Throws invalid_argument_error naming the field.
  void validate() const {
    if (name.empty()) throw invalid_argument_error("a report schedule needs a name");
    if (due == report_due_rule::day_of_next_period) {
      if (period == report_period::half_month)
        throw invalid_argument_error("report '" + name + "': due: day_of_next_period needs a month or quarter period");
      if (day < 1 || day > 28 || (!inclusive && day < 2))
        throw invalid_argument_error("report '" + name + "': day: must be 1-28 (2-28 when not inclusive)");
    }
  }

  /// The period containing d.
  [[nodiscard]] std::pair<hotline::day, hotline::day> period_of(hotline::day d) const {
    const date::year_month_day ymd{d};
    const auto ym = ymd.year() / ymd.month();
    switch (period) {
      case report_period::half_month:
        if (ymd.day() <= date::day{15}) return {hotline::day{ym / 1}, hotline::day{ym / 15}};
        return {hotline::day{ym / 16}, hotline::day{ym / date::last}};
      case report_period::month: return {hotline::day{ym / 1}, hotline::day{ym / date::last}};
      case report_period::quarter: break;
    }
    const unsigned q0 = (unsigned(ymd.month()) - 1) / 3 * 3 + 1;
    return {hotline::day{ymd.year() / date::month{q0} / 1}, hotline::day{ymd.year() / date::month{q0 + 2} / date::last}};
  }

  /// The report for the period containing d.  `cal` is needed only to roll.
  [[nodiscard]] report_due for_period_containing(hotline::day d, const calendar* cal = nullptr) const {
    const auto [first, last] = period_of(d);
    hotline::day due_day = last;
    if (due == report_due_rule::day_of_next_period) {
      const date::year_month_day next{last + date::days{1}};
      due_day = hotline::day{next.year() / next.month() / date::day{inclusive ? day : day - 1}};
    }
    if (roll != report_roll::none) {
      if (!cal) throw invalid_argument_error("report '" + name + "': rolling a due date needs a calendar");
      if (!cal->is_workday(due_day))
        due_day = roll == report_roll::next_workday ? cal->next_workday(due_day) : cal->prev_workday(due_day);
    }
    return {first, last, due_day};
  }

  /// Every report whose due date lies in [from, to], in order.
  [[nodiscard]] std::vector<report_due> due_dates(hotline::day from, hotline::day to, const calendar* cal = nullptr) const {
    std::vector<report_due> out;
    if (to < from) return out;
    // Start two periods back: a due date may lie in the period after its own.
    hotline::day p = period_of(from).first - date::days{1};
    p = period_of(period_of(p).first - date::days{1}).first;
    while (true) {
      const auto r = for_period_containing(p, cal);
      if (r.due > to && r.period_first > to) break;
      if (r.due >= from && r.due <= to) out.push_back(r);
      p = r.period_last + date::days{1};
    }
    return out;
  }
};

}  // namespace hotline
