// hotline/calendar.hpp: the workday calendar.
//
// China's national calendar 2004-2026 is built in (holidays and the adjusted
// working days, 调休, of the State Council's yearly notices); regional and
// organisation overlays stack on top (calendar_overlay.hpp).
//
//   auto cal = hotline::calendar::china();
//   cal.is_workday(hotline::make_day(2026, 2, 14));        // true: a worked Saturday
//   cal.add_workdays(hotline::make_day(2025, 1, 25), 2);   // 2025-01-27
//
// The rules, spelled out once:
//  * add_workdays(d, n), n >= 1, is the n-th working day strictly after d,
//    whatever d is.  This is "n working days counted from the day after receipt"
//    (自收到次日起, 000 art. 12): receipt on Friday 2025-01-24 with n = 2 gives
//    Monday 01-27 (Sunday 01-26 is an adjusted working day), and n = 3 gives
//    Wednesday 02-05, stepping over the Spring Festival 01-28..02-04.
//    A receipt on a holiday counts the same way: day 1 is the first working day
//    after it.  n <= -1 is the |n|-th working day strictly before d; n = 0 gives d.
//  * workdays_between(a, b) counts the working days in (a, b]: strictly after a,
//    up to and including b, so workdays_between(d, add_workdays(d, n)) == n.
//    With b < a it is minus the count in (b, a].
//  * A weekend day inside a holiday span is a holiday, not a rest day (it has the
//    holiday's name); a weekend day that is worked is an adjusted working day.
//  * A date in a year the data does not cover is an out_of_range_error naming
//    the year and the three ways forward: load the year's notice
//    (calendar_overlay::from_notice, or with_notices on a folder of them), opt
//    in to the statutory days computed from the 放假办法 beyond the data
//    (calendar_options::statutory_beyond_data: provisional, no 补假 or 调休
//    guessed), or opt in to the plain Monday-Friday rule
//    (calendar_options::weekends_beyond_data).  Results that would land in an
//    uncovered year are errors too: the library never guesses unasked.
//  * Each year has a basis (year_basis): data (the built-in notices or a loaded
//    one), statutory (provisional), or weekends only.  A statutory day's layer
//    is calendar_layer::statutory; applying the year's notice replaces them.
//
// Arithmetic is table look-ups: a prefix count of working days and the list of
// working days, so add_workdays is two loads and a bounds check.
#pragma once

#include "hotline/calendar_overlay.hpp"
#include "hotline/error.hpp"
#include "hotline/time.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hotline {

enum class day_kind : std::uint8_t {
  working_day = 0,           ///< Monday-Friday, nothing special
  rest_day = 1,              ///< Saturday or Sunday, nothing special
  holiday = 2,               ///< a day off by a notice or an overlay (closures included)
  adjusted_working_day = 3,  ///< a day worked that would otherwise be off (调休)
};
constexpr bool is_working(day_kind k) noexcept {
  return k == day_kind::working_day || k == day_kind::adjusted_working_day;
}
std::string_view to_string(day_kind k) noexcept;
/// Parses "working_day", "rest_day", "holiday", "adjusted_working_day".
day_kind parse_day_kind(std::string_view text);

/// A day that some layer names: a holiday or an adjusted working day.
struct special_day {
  day date;
  day_kind kind;
  std::string name_zh;  ///< e.g. 春节
  std::string name_en;  ///< e.g. Spring Festival
  calendar_layer layer;
};

struct calendar_options {
  /// Beyond the covered years, treat Monday-Friday as working days instead of
  /// raising out_of_range_error.  An explicit opt-in: the answer is a guess.
  /// With statutory_beyond_data too, it applies beyond the statutory years.
  bool weekends_beyond_data = false;
  /// Beyond the covered years, up to lunisolar::last_year, take the statutory
  /// days off of the 全国年节及纪念日放假办法 in force each year
  /// (statutory_holidays.hpp), with weekends as rest days.  Provisional: the
  /// notice's 补假 and 调休 are not known until it is loaded.
  bool statutory_beyond_data = false;
};

/// What a year's days rest on.
enum class year_basis : std::uint8_t {
  none = 0,           ///< the calendar cannot answer for the year
  data = 1,           ///< holiday notices: built in, or loaded
  statutory = 2,      ///< statutory days computed from the 放假办法: provisional
  weekends_only = 3,  ///< the plain Monday-Friday rule, opted in
};
std::string_view to_string(year_basis b) noexcept;

namespace detail {
/// The precomputed form of a calendar; immutable once built and shared
/// between copies of a calendar.
struct calendar_table {
  std::int32_t first = 0;  ///< day number of index 0 (always a 1 January)
  std::int32_t size = 0;   ///< days in the table
  int first_year = 0, last_year = -1;            ///< years the table spans
  int covered_first = 0, covered_last = -1;      ///< years backed by data
  int statutory_last = -1;               ///< years (covered_last, statutory_last] are statutory
  bool weekends_beyond = false;
  std::vector<std::uint8_t> kind;        ///< day_kind per day
  std::vector<std::uint8_t> layer;       ///< calendar_layer that set the day
  std::vector<std::uint16_t> name;       ///< index into names, 0 = none
  std::vector<std::int32_t> cum;         ///< cum[i] = working days in [first, first + i), size + 1 entries
  std::vector<std::int32_t> workdays;    ///< day numbers of the working days, ascending
  std::vector<std::string> names_zh{""}, names_en{""};
};

[[noreturn]] void throw_uncovered(const calendar_table& t, std::int64_t day_no);
/// Adds the statutory days of [y0, y1] (calendar_layer::statutory), spanning the
/// table over them; the caller runs finish() after.
void add_statutory(calendar_table& t, int y0, int y1);
/// Recomputes the prefix counts and the working-day list after days changed.
void finish(calendar_table& t);
[[noreturn]] void throw_result_uncovered(const calendar_table& t, std::int64_t day_no, std::int64_t n);

/// Index of a day in the table, or throws naming the uncovered year.
inline std::int64_t table_index(const calendar_table& t, std::int64_t day_no) {
  // Unsigned arithmetic: NaT (INT64_MIN) and other extreme day numbers must fail
  // the check, not overflow (signed overflow is undefined behaviour).
  const std::uint64_t x = static_cast<std::uint64_t>(day_no) - static_cast<std::uint64_t>(std::int64_t{t.first});
  if (x >= static_cast<std::uint64_t>(t.size)) [[unlikely]]
    throw_uncovered(t, day_no);
  return static_cast<std::int64_t>(x);
}

/// add_workdays on raw day numbers, the hot path of every deadline.
inline std::int64_t add_workdays(const calendar_table& t, std::int64_t day_no, std::int64_t n) {
  const std::int64_t x = table_index(t, day_no);
  // Unsigned, like table_index: a huge |n| wraps to an index past the end
  // instead of overflowing; a negative k wraps the same way.
  std::uint64_t k;
  if (n > 0)
    k = static_cast<std::uint64_t>(t.cum[static_cast<std::size_t>(x + 1)]) + static_cast<std::uint64_t>(n) - 1;
  else if (n < 0)
    k = static_cast<std::uint64_t>(t.cum[static_cast<std::size_t>(x)]) + static_cast<std::uint64_t>(n);
  else
    return day_no;
  if (k >= t.workdays.size()) [[unlikely]]
    throw_result_uncovered(t, day_no, n);
  return t.workdays[static_cast<std::size_t>(k)];
}
}  // namespace detail

class calendar {
 public:
  /// China's national calendar, built in (2004-2026 at this release).
  static calendar china(calendar_options options = {});
  /// The Monday-Friday rule alone over [first_year, last_year] (tests, other countries).
  static calendar weekly(int first_year, int last_year, calendar_options options = {});

  /// A new calendar with `overlay` on top of this one (this one is unchanged).
  /// Throws conflict_error/out_of_range_error naming the entry's line when the
  /// overlay cannot apply; nothing is changed then.  A national overlay that
  /// covers a year (a notice) first removes that year's statutory days.
  [[nodiscard]] calendar with(const calendar_overlay& overlay) const;
  /// Every notice in `folder` on top of this calendar, in the order of the years
  /// they cover: `*.txt` files are notices as published (from_notice_file), `*.csv`
  /// national overlay files with '# covers:' (what python3 -m hotline.notice writes).
  /// Other files are ignored.  The first file that fails is an error naming it;
  /// nothing is loaded then.  How a host keeps its notices: docs/calendar-overlays.md.
  [[nodiscard]] calendar with_notices(const std::string& folder) const;
  /// A region's own days on top (calendar_layer::regional), by name: "guangxi"
  /// (壮族三月三, see regional_days.hpp).  not_found_error lists the names.
  [[nodiscard]] calendar with_region(std::string_view name) const;
  /// The names with_region knows.
  static std::vector<std::string> regions();

  // ---- queries on one day ---------------------------------------------
  [[nodiscard]] day_kind kind(day d) const {
    return static_cast<day_kind>(t_->kind[idx(d)]);
  }
  [[nodiscard]] bool is_workday(day d) const { return is_working(kind(d)); }
  /// The holiday's (or the adjustment's) name, e.g. 春节 / Spring Festival;
  /// std::nullopt on an ordinary day.
  [[nodiscard]] std::optional<std::string_view> holiday_name(day d, bool english = false) const {
    const auto n = t_->name[idx(d)];
    if (n == 0) return std::nullopt;
    return english ? std::string_view(t_->names_en[n]) : std::string_view(t_->names_zh[n]);
  }
  /// Which layer decided the day (weekly for an ordinary day).
  [[nodiscard]] calendar_layer layer(day d) const { return static_cast<calendar_layer>(t_->layer[idx(d)]); }

  // ---- arithmetic -----------------------------------------------------
  /// The n-th working day strictly after d (n >= 1), strictly before d (n <= -1), d itself (n = 0).
  [[nodiscard]] day add_workdays(day d, std::int64_t n) const {
    return from_day_number(detail::add_workdays(*t_, day_number(d), n));
  }
  /// The first working day strictly after d.
  [[nodiscard]] day next_workday(day d) const { return add_workdays(d, 1); }
  /// The last working day strictly before d.
  [[nodiscard]] day prev_workday(day d) const { return add_workdays(d, -1); }
  /// d itself if it is a working day, else the next one.
  [[nodiscard]] day this_or_next_workday(day d) const { return is_workday(d) ? d : next_workday(d); }
  /// Working days in (a, b]; negative when b < a.  See the file comment.
  [[nodiscard]] std::int64_t workdays_between(day a, day b) const {
    const auto& t = *t_;
    return std::int64_t{t.cum[static_cast<std::size_t>(idx(b) + 1)]} - t.cum[static_cast<std::size_t>(idx(a) + 1)];
  }

  // ---- batch forms (numpy's datetime64[D] is an int64 day number) -------
  /// out[i] = add_workdays(days[i], n[i]); n may have one element for all.
  /// Throws on the first uncovered date, naming its index; `out` is then unspecified.
  void add_workdays(std::span<const day> days, std::span<const std::int64_t> n, std::span<day> out) const;
  void add_workdays(std::span<const std::int64_t> day_numbers, std::span<const std::int64_t> n,
                    std::span<std::int64_t> out) const;
  void is_workday(std::span<const std::int64_t> day_numbers, std::span<std::uint8_t> out) const;
  void workdays_between(std::span<const std::int64_t> a, std::span<const std::int64_t> b,
                        std::span<std::int64_t> out) const;

  // ---- listings -------------------------------------------------------
  /// Every named day (holidays and adjusted working days) in [from, to].
  [[nodiscard]] std::vector<special_day> special_days(day from, day to) const;
  /// The holidays (days off) of a year.
  [[nodiscard]] std::vector<special_day> holidays(int year) const;

  /// Years backed by data: [first, last].
  [[nodiscard]] int first_covered_year() const noexcept { return t_->covered_first; }
  [[nodiscard]] int last_covered_year() const noexcept { return t_->covered_last; }
  [[nodiscard]] bool weekends_beyond_data() const noexcept { return t_->weekends_beyond; }
  /// The last year answered by computed statutory days (< first_covered_year() when none).
  [[nodiscard]] int last_statutory_year() const noexcept { return t_->statutory_last; }
  /// What the days of `year` rest on.
  [[nodiscard]] year_basis basis(int year) const noexcept;
  /// Whether d's year is provisional (statutory or weekends only, not data).
  [[nodiscard]] bool is_provisional(day d) const noexcept {
    const auto b = basis(int(date::year_month_day{d}.year()));
    return b == year_basis::statutory || b == year_basis::weekends_only;
  }
  /// One sentence on the years of [from, to] that are not backed by data, and
  /// what was assumed for them; empty when every year is.  Deadlines quote it.
  [[nodiscard]] std::string assumptions(day from, day to) const;
  /// The first and last day the calendar can answer for.
  [[nodiscard]] day first_day() const noexcept { return from_day_number(t_->first); }
  [[nodiscard]] day last_day() const noexcept { return from_day_number(t_->first + t_->size - 1); }

  /// The precomputed table, for the staffed-hours and SLA engines.
  [[nodiscard]] const detail::calendar_table& table() const noexcept { return *t_; }

 private:
  explicit calendar(std::shared_ptr<const detail::calendar_table> t) : t_(std::move(t)) {}
  [[nodiscard]] std::size_t idx(day d) const {
    return static_cast<std::size_t>(detail::table_index(*t_, day_number(d)));
  }
  std::shared_ptr<const detail::calendar_table> t_;
};

}  // namespace hotline
