// Building calendar tables: the weekly rule, the national data, overlays.
#include "hotline/calendar.hpp"

#include "hotline/statutory_holidays.hpp"
#include "national_calendar_data.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace hotline {
namespace detail {
namespace {

constexpr int k_beyond_first_year = 1900;  // span of the weekends-beyond-data table
constexpr int k_beyond_last_year = 2199;

std::int32_t jan1(int y) { return day_number(day{date::year{y} / 1 / 1}); }

int year_of(std::int64_t day_no) {
  return int(date::year_month_day{from_day_number(day_no)}.year());
}

bool weekend(std::int32_t day_no) {
  const unsigned wd = date::weekday{from_day_number(day_no)}.c_encoding();  // 0 = Sunday
  return wd == 0 || wd == 6;
}

/// Fresh table over [y0, y1] with the weekly rule.
calendar_table weekly_table(int y0, int y1) {
  calendar_table t;
  t.first_year = y0;
  t.last_year = y1;
  t.first = jan1(y0);
  t.size = jan1(y1 + 1) - t.first;
  const auto n = static_cast<std::size_t>(t.size);
  t.kind.resize(n);
  t.layer.assign(n, static_cast<std::uint8_t>(calendar_layer::weekly));
  t.name.assign(n, 0);
  for (std::int32_t i = 0; i < t.size; ++i)
    t.kind[static_cast<std::size_t>(i)] =
        static_cast<std::uint8_t>(weekend(t.first + i) ? day_kind::rest_day : day_kind::working_day);
  return t;
}

/// Re-spans a table to [y0, y1], filling new days with the weekly rule.
calendar_table respan(const calendar_table& old, int y0, int y1) {
  calendar_table t = weekly_table(y0, y1);
  t.covered_first = old.covered_first;
  t.covered_last = old.covered_last;
  t.statutory_last = old.statutory_last;
  t.weekends_beyond = old.weekends_beyond;
  t.names_zh = old.names_zh;
  t.names_en = old.names_en;
  for (std::int32_t i = 0; i < old.size; ++i) {
    const auto j = static_cast<std::size_t>(old.first + i - t.first);
    if (old.first + i < t.first || j >= static_cast<std::size_t>(t.size)) continue;
    const auto k = static_cast<std::size_t>(i);
    t.kind[j] = old.kind[k];
    t.layer[j] = old.layer[k];
    t.name[j] = old.name[k];
  }
  return t;
}

std::uint16_t intern(calendar_table& t, const std::string& zh, const std::string& en) {
  for (std::size_t i = 1; i < t.names_zh.size(); ++i)
    if (t.names_zh[i] == zh && t.names_en[i] == en) return static_cast<std::uint16_t>(i);
  if (t.names_zh.size() >= 65535) throw error(errc::invalid_argument, "too many distinct holiday names in one calendar");
  t.names_zh.push_back(zh);
  t.names_en.push_back(en);
  return static_cast<std::uint16_t>(t.names_zh.size() - 1);
}

/// Sets one day from a layer's entry.  A working-day entry on a day that the
/// layers below leave working is a plain working day (it changes nothing but
/// the name); on a day they leave off it is an adjusted working day (调休).
void apply(calendar_table& t, std::int32_t day_no, bool day_off, calendar_layer layer, std::uint16_t name) {
  const auto i = static_cast<std::size_t>(day_no - t.first);
  if (day_off) {
    t.kind[i] = static_cast<std::uint8_t>(day_kind::holiday);
  } else {
    // Adjusted unless it is an ordinary weekday the layers below already leave working.
    const bool ordinary = !weekend(day_no) && static_cast<day_kind>(t.kind[i]) == day_kind::working_day;
    t.kind[i] = static_cast<std::uint8_t>(ordinary ? day_kind::working_day : day_kind::adjusted_working_day);
  }
  t.layer[i] = static_cast<std::uint8_t>(layer);
  t.name[i] = name;
}

std::string cover_hint(const calendar_table& t) {
  std::string have = fmt::format("the calendar data covers {}-{}", t.covered_first, t.covered_last);
  if (t.statutory_last > t.covered_last)
    have += fmt::format(", statutory days (provisional) {}-{}", t.covered_last + 1, t.statutory_last);
  return have + fmt::format(
      "; three ways forward: (1) load the year's State Council notice (C++ calendar_overlay::from_notice "
      "or calendar::with_notices(folder), Python CalendarOverlay.from_notice / Calendar.with_notices); "
      "(2) opt in to the statutory days of the 全国年节及纪念日放假办法, provisional, up to {} "
      "(calendar_options::statutory_beyond_data, Calendar.china(statutory_beyond_data=True)); "
      "(3) opt in to the plain Monday-Friday rule (calendar_options::weekends_beyond_data, "
      "Calendar.china(weekends_beyond_data=True)); see docs/calendar-overlays.md",
      lunisolar::last_year);
}

/// Resets the days of [y0, y1] that the statutory layer set to the weekly rule.
void clear_statutory(calendar_table& t, int y0, int y1) {
  const std::int32_t a = std::max(jan1(y0), t.first), b = std::min(jan1(y1 + 1), t.first + t.size);
  for (std::int32_t d = a; d < b; ++d) {
    const auto i = static_cast<std::size_t>(d - t.first);
    if (static_cast<calendar_layer>(t.layer[i]) != calendar_layer::statutory) continue;
    t.kind[i] = static_cast<std::uint8_t>(weekend(d) ? day_kind::rest_day : day_kind::working_day);
    t.layer[i] = static_cast<std::uint8_t>(calendar_layer::weekly);
    t.name[i] = 0;
  }
}

}  // namespace

void finish(calendar_table& t) {
  const auto n = static_cast<std::size_t>(t.size);
  t.cum.assign(n + 1, 0);
  t.workdays.clear();
  for (std::size_t i = 0; i < n; ++i) {
    const bool w = is_working(static_cast<day_kind>(t.kind[i]));
    t.cum[i + 1] = t.cum[i] + (w ? 1 : 0);
    if (w) t.workdays.push_back(t.first + static_cast<std::int32_t>(i));
  }
}

void add_statutory(calendar_table& t, int y0, int y1) {
  if (y1 < y0) return;
  if (y1 > t.last_year || y0 < t.first_year) t = respan(t, std::min(y0, t.first_year), std::max(y1, t.last_year));
  for (int y = y0; y <= y1; ++y)
    for (const auto& s : statutory_days(y))
      apply(t, day_number(s.date), true, calendar_layer::statutory,
            intern(t, std::string(name_zh(s.which)), std::string(name_en(s.which))));
  t.statutory_last = std::max(t.statutory_last, y1);
}

void throw_uncovered(const calendar_table& t, std::int64_t day_no) {
  const int y = (day_no > -800000 && day_no < 3000000) ? year_of(day_no) : 0;
  if (t.weekends_beyond)
    throw out_of_range_error(fmt::format("date {} is outside the years this calendar can answer for ({}-{})",
                                         y ? format_day(from_day_number(day_no)) : std::to_string(day_no),
                                         t.first_year, t.last_year));
  throw out_of_range_error(fmt::format("no calendar data for year {} (date {}): {}", y,
                                       y ? format_day(from_day_number(day_no)) : std::to_string(day_no),
                                       cover_hint(t)));
}

void throw_result_uncovered(const calendar_table& t, std::int64_t day_no, std::int64_t n) {
  const int y = n > 0 ? t.last_year + 1 : t.first_year - 1;
  // |n| as unsigned: -INT64_MIN overflows.
  const std::uint64_t magnitude = n > 0 ? static_cast<std::uint64_t>(n) : 0 - static_cast<std::uint64_t>(n);
  throw out_of_range_error(fmt::format("{} working days {} {} reach into year {}, which has no calendar data: {}",
                                       magnitude, n > 0 ? "after" : "before",
                                       format_day(from_day_number(day_no)), y, cover_hint(t)));
}

}  // namespace detail

std::string_view to_string(day_kind k) noexcept {
  switch (k) {
    case day_kind::working_day: return "working_day";
    case day_kind::rest_day: return "rest_day";
    case day_kind::holiday: return "holiday";
    case day_kind::adjusted_working_day: return "adjusted_working_day";
  }
  return "unknown";
}

day_kind parse_day_kind(std::string_view s) {
  for (auto k : {day_kind::working_day, day_kind::rest_day, day_kind::holiday, day_kind::adjusted_working_day})
    if (to_string(k) == s) return k;
  throw invalid_argument_error(fmt::format(
      "unknown day kind '{}': expected working_day, rest_day, holiday or adjusted_working_day", s));
}

std::string_view to_string(calendar_layer l) noexcept {
  switch (l) {
    case calendar_layer::weekly: return "weekly";
    case calendar_layer::national: return "national";
    case calendar_layer::regional: return "regional";
    case calendar_layer::organisation: return "organisation";
    case calendar_layer::statutory: return "statutory";
  }
  return "unknown";
}

calendar calendar::weekly(int first_year, int last_year, calendar_options options) {
  if (first_year < 1 || last_year > 9998 || first_year > last_year)
    throw invalid_argument_error(fmt::format("invalid year range {}-{}", first_year, last_year));
  auto t = options.weekends_beyond_data
               ? detail::weekly_table(std::min(first_year, detail::k_beyond_first_year),
                                      std::max(last_year, detail::k_beyond_last_year))
               : detail::weekly_table(first_year, last_year);
  t.covered_first = first_year;
  t.covered_last = last_year;
  t.weekends_beyond = options.weekends_beyond_data;
  detail::finish(t);
  return calendar(std::make_shared<const detail::calendar_table>(std::move(t)));
}

std::string_view to_string(year_basis b) noexcept {
  switch (b) {
    case year_basis::none: return "none";
    case year_basis::data: return "data";
    case year_basis::statutory: return "statutory";
    case year_basis::weekends_only: return "weekends_only";
  }
  return "unknown";
}

calendar calendar::china(calendar_options options) {
  // Built once per option set; copies share the table.
  static const auto build = [](bool beyond, bool statutory) {
    auto t = *weekly(detail::national_first_year, detail::national_last_year, {beyond}).t_;
    std::vector<std::uint16_t> ids(detail::national_names_size);
    for (std::size_t i = 0; i < detail::national_names_size; ++i)
      ids[i] = detail::intern(t, detail::national_names[i].zh, detail::national_names[i].en);
    for (std::size_t i = 0; i < detail::national_rows_size; ++i) {
      const auto& r = detail::national_rows[i];
      const day d{date::year{r.ymd / 10000} / static_cast<unsigned>(r.ymd / 100 % 100) /
                  static_cast<unsigned>(r.ymd % 100)};
      detail::apply(t, day_number(d), r.day_off != 0, calendar_layer::national, ids[r.name]);
    }
    if (statutory) detail::add_statutory(t, t.covered_last + 1, lunisolar::last_year);
    detail::finish(t);
    return std::make_shared<const detail::calendar_table>(std::move(t));
  };
  // Each option set is built on first use: most hosts never pay for the
  // 300-year weekends table or the lunar arithmetic of the statutory years.
  if (options.weekends_beyond_data) {
    if (options.statutory_beyond_data) {
      static const auto both = build(true, true);
      return calendar(both);
    }
    static const auto beyond = build(true, false);
    return calendar(beyond);
  }
  if (options.statutory_beyond_data) {
    static const auto statutory = build(false, true);
    return calendar(statutory);
  }
  static const auto plain = build(false, false);
  return calendar(plain);
}

year_basis calendar::basis(int year) const noexcept {
  const auto& t = *t_;
  if (year < t.first_year || year > t.last_year) return year_basis::none;
  if (year >= t.covered_first && year <= t.covered_last) return year_basis::data;
  if (year > t.covered_last && year <= t.statutory_last) return year_basis::statutory;
  return t.weekends_beyond ? year_basis::weekends_only : year_basis::none;
}

std::string calendar::assumptions(day from, day to) const {
  if (to < from) std::swap(from, to);
  const int y0 = int(date::year_month_day{from}.year()), y1 = int(date::year_month_day{to}.year());
  std::string out;
  for (int y = y0; y <= y1; ++y) {
    const auto b = basis(y);
    if (b == year_basis::statutory) {
      out += fmt::format("{}{} is provisional: no notice loaded, so its days off are the statutory days of the {} "
                         "with no 补假 or 调休",
                         out.empty() ? "" : "; ", y, citation(holiday_rules_in_force(y)));
    } else if (b == year_basis::weekends_only) {
      out += fmt::format("{}{} has no calendar data: weekends only (Monday-Friday worked) was assumed, as opted in",
                         out.empty() ? "" : "; ", y);
    }
  }
  return out;
}

calendar calendar::with(const calendar_overlay& ov) const {
  const auto& old = *t_;
  int cf = old.covered_first, cl = old.covered_last;
  if (ov.covers_first() <= ov.covers_last()) {
    // Coverage must stay one stretch of years: a table has no holes.
    if (ov.covers_last() < cf - 1 || ov.covers_first() > cl + 1)
      throw out_of_range_error(fmt::format(
          "{}: declares years {}-{}, which do not adjoin the covered years {}-{}: add the years between first",
          ov.source(), ov.covers_first(), ov.covers_last(), cf, cl));
    cf = std::min(cf, ov.covers_first());
    cl = std::max(cl, ov.covers_last());
  }
  detail::calendar_table t = old;
  if (cf < old.first_year || cl > old.last_year)
    t = detail::respan(old, std::min(cf, old.first_year), std::max(cl, old.last_year));
  t.covered_first = cf;
  t.covered_last = cl;
  // A notice replaces the provisional statutory days of the years it covers.
  if (ov.layer() == calendar_layer::national && ov.covers_first() <= ov.covers_last())
    detail::clear_statutory(t, ov.covers_first(), ov.covers_last());
  for (const auto& e : ov.entries()) {
    const auto y = int(date::year_month_day{e.date}.year());
    // A region's or an organisation's days may sit on a provisional statutory year;
    // national days need a notice that covers their year.
    const bool on_statutory = ov.layer() != calendar_layer::national && y > cl && y <= t.statutory_last;
    if ((y < cf || y > cl) && !on_statutory) {
      const std::string where =
          e.line ? fmt::format("{}:{}", ov.source(), e.line) : ov.source();
      throw out_of_range_error(fmt::format(
          "{}: {} is in year {}, which the calendar does not cover ({}-{}); if the file lists every special "
          "day of that year, declare it with '# covers: {}'",
          where, format_day(e.date), y, cf, cl, y));
    }
  }
  for (const auto& e : ov.entries())
    detail::apply(t, day_number(e.date), e.day_off, ov.layer(), detail::intern(t, e.name_zh, e.name_en));
  detail::finish(t);
  return calendar(std::make_shared<const detail::calendar_table>(std::move(t)));
}

void calendar::add_workdays(std::span<const day> days, std::span<const std::int64_t> n, std::span<day> out) const {
  static_assert(sizeof(day) == sizeof(std::int32_t) || sizeof(day) == sizeof(std::int64_t));
  if (out.size() != days.size() || (n.size() != days.size() && n.size() != 1))
    throw invalid_argument_error(fmt::format("add_workdays: {} dates, {} counts, {} outputs do not match",
                                             days.size(), n.size(), out.size()));
  const auto& t = *t_;
  const bool one = n.size() == 1;
  for (std::size_t i = 0; i < days.size(); ++i)
    out[i] = from_day_number(detail::add_workdays(t, day_number(days[i]), one ? n[0] : n[i]));
}

void calendar::add_workdays(std::span<const std::int64_t> d, std::span<const std::int64_t> n,
                            std::span<std::int64_t> out) const {
  if (out.size() != d.size() || (n.size() != d.size() && n.size() != 1))
    throw invalid_argument_error(fmt::format("add_workdays: {} dates, {} counts, {} outputs do not match",
                                             d.size(), n.size(), out.size()));
  const auto& t = *t_;
  const bool one = n.size() == 1;
  for (std::size_t i = 0; i < d.size(); ++i) {
    try {
      out[i] = detail::add_workdays(t, d[i], one ? n[0] : n[i]);
    } catch (const out_of_range_error& e) {
      throw out_of_range_error(fmt::format("element {}: {}", i, e.what()));
    }
  }
}

void calendar::is_workday(std::span<const std::int64_t> d, std::span<std::uint8_t> out) const {
  if (out.size() != d.size())
    throw invalid_argument_error(fmt::format("is_workday: {} dates, {} outputs do not match", d.size(), out.size()));
  const auto& t = *t_;
  for (std::size_t i = 0; i < d.size(); ++i) {
    try {
      out[i] = is_working(static_cast<day_kind>(t.kind[static_cast<std::size_t>(detail::table_index(t, d[i]))]));
    } catch (const out_of_range_error& e) {
      throw out_of_range_error(fmt::format("element {}: {}", i, e.what()));
    }
  }
}

void calendar::workdays_between(std::span<const std::int64_t> a, std::span<const std::int64_t> b,
                                std::span<std::int64_t> out) const {
  if (out.size() != a.size() || b.size() != a.size())
    throw invalid_argument_error(fmt::format("workdays_between: {} starts, {} ends, {} outputs do not match",
                                             a.size(), b.size(), out.size()));
  const auto& t = *t_;
  for (std::size_t i = 0; i < a.size(); ++i) {
    try {
      const auto ia = static_cast<std::size_t>(detail::table_index(t, a[i]));
      const auto ib = static_cast<std::size_t>(detail::table_index(t, b[i]));
      out[i] = std::int64_t{t.cum[ib + 1]} - t.cum[ia + 1];
    } catch (const out_of_range_error& e) {
      throw out_of_range_error(fmt::format("element {}: {}", i, e.what()));
    }
  }
}

std::vector<special_day> calendar::special_days(day from, day to) const {
  const auto& t = *t_;
  std::vector<special_day> out;
  if (to < from) return out;
  const auto a = idx(from), b = idx(to);
  for (auto i = a; i <= b; ++i) {
    if (t.name[i] == 0) continue;
    out.push_back({from_day_number(t.first + static_cast<std::int64_t>(i)), static_cast<day_kind>(t.kind[i]),
                   t.names_zh[t.name[i]], t.names_en[t.name[i]], static_cast<calendar_layer>(t.layer[i])});
  }
  return out;
}

std::vector<special_day> calendar::holidays(int year) const {
  if (year < 1 || year > 9998) throw invalid_argument_error(fmt::format("invalid year {}", year));
  auto all = special_days(day{date::year{year} / 1 / 1}, day{date::year{year} / 12 / 31});
  std::erase_if(all, [](const special_day& s) { return s.kind != day_kind::holiday; });
  return all;
}

}  // namespace hotline
