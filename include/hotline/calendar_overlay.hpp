// hotline/calendar_overlay.hpp: a layer of dated days off and working days.
//
// The national calendar is one layer; a region (Guangxi's 壮族三月三 with its own
// adjusted days) and an organisation (its own closures, its extra working days)
// each add one on top.  An overlay is plain data; `calendar::with` applies it.
//
//   auto gx = hotline::calendar_overlay::from_csv_file("guangxi.csv",
//                                                      hotline::calendar_layer::regional);
//   auto cal = hotline::calendar::china().with(gx);
//
// File formats (docs/calendar-overlays.md has the full description):
//   CSV   `date,kind,name[,name_en]`, kind one of holiday | closure | workday;
//         an optional header line; `#` comment lines; `# covers: 2027` (or
//         `2027-2028`) declares that the file lists every special day of those
//         years, which makes them covered years of the calendar.
//   iCal  RFC 5545 VEVENTs with all-day DTSTART;VALUE=DATE (and DTEND, exclusive,
//         or DURATION:PnD), SUMMARY as the name, and the kind in CATEGORIES or
//         X-HOTLINE-KIND (holiday, closure, workday; default holiday).  Folded
//         lines and TEXT escapes are understood; RRULE is refused, not guessed.
//
// Within one overlay a date may appear once: a date that is both a day off and
// a working day, or listed twice, is a conflict_error naming both lines.
//
// A name is one line of a table, whatever the source: line breaks, tabs and other
// control characters are stored as spaces, surrounding blanks are dropped, and a
// name left empty (or not UTF-8) is a parse_error naming the line.
#pragma once

#include "hotline/error.hpp"
#include "hotline/time.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hotline {

/// Where a special day comes from.  Later layers override earlier ones.
enum class calendar_layer : std::uint8_t {
  weekly = 0,        ///< the Monday-Friday rule, no special day
  national = 1,      ///< State Council holiday notice
  regional = 2,      ///< a province's own days, e.g. Guangxi 壮族三月三
  organisation = 3,  ///< one centre's or unit's closures and extra working days
  /// A statutory day off computed from the 全国年节及纪念日放假办法 for a year
  /// whose notice is not loaded (statutory_holidays.hpp): provisional, replaced
  /// when the year's notice is applied.
  statutory = 4,
};
std::string_view to_string(calendar_layer l) noexcept;

/// One dated line of an overlay.
struct overlay_entry {
  day date;
  bool day_off;          ///< true: holiday or closure; false: a working day
  std::string name_zh;   ///< name as written (often Chinese)
  std::string name_en;   ///< optional English name
  std::size_t line = 0;  ///< source line, 0 when built in code
};

class calendar_overlay {
 public:
  calendar_overlay(std::string source, calendar_layer layer) : source_(std::move(source)), layer_(layer) {}

  /// A day off (holiday or closure).  Throws conflict_error if the date is already listed.
  calendar_overlay& add_day_off(day d, std::string name_zh, std::string name_en = {}, std::size_t line = 0);
  /// A day worked that would otherwise be off (调休), or an extra working day.
  calendar_overlay& add_working_day(day d, std::string name_zh, std::string name_en = {}, std::size_t line = 0);
  /// Declares that this overlay lists every special day of [first_year, last_year],
  /// so those years become covered by a calendar it is applied to.
  calendar_overlay& covers(int first_year, int last_year);

  static calendar_overlay from_csv(std::string_view text, std::string source, calendar_layer layer);
  static calendar_overlay from_csv_file(const std::string& path, calendar_layer layer);
  static calendar_overlay from_ics(std::string_view text, std::string source, calendar_layer layer);
  static calendar_overlay from_ics_file(const std::string& path, calendar_layer layer);

  /// A national overlay read from the State Council General Office's yearly
  /// notice (国务院办公厅关于YYYY年部分节假日安排的通知) as published, page
  /// clutter, introduction and closing paragraph included.  It covers `year`
  /// (read from the text when not given).  Every item is checked: a bracketed
  /// weekday that does not match its date, a 共N天 that differs from the days
  /// counted, a worked day that is not a Saturday or Sunday, a day both off and
  /// worked, or no recognisable item is a parse_error naming the item (number
  /// and festival).  Nothing is half-loaded.  See src/calendar_notice.cpp for
  /// the forms it reads.
  static calendar_overlay from_notice(std::string_view text, std::optional<int> year = std::nullopt,
                                      std::string source = "notice");
  static calendar_overlay from_notice_file(const std::string& path, std::optional<int> year = std::nullopt);

  /// The overlay in the CSV format (`date,kind,name,name_en`, '# covers:' when it
  /// declares years), which from_csv reads back to the same days.
  [[nodiscard]] std::string to_csv() const;

  [[nodiscard]] const std::string& source() const noexcept { return source_; }
  [[nodiscard]] calendar_layer layer() const noexcept { return layer_; }
  [[nodiscard]] const std::vector<overlay_entry>& entries() const noexcept { return entries_; }
  /// Covered years as [first, last]; first > last when the overlay declares none.
  [[nodiscard]] int covers_first() const noexcept { return covers_first_; }
  [[nodiscard]] int covers_last() const noexcept { return covers_last_; }

 private:
  calendar_overlay& add(overlay_entry e);
  std::string source_;
  calendar_layer layer_;
  std::vector<overlay_entry> entries_;
  int covers_first_ = 1;
  int covers_last_ = 0;
};

}  // namespace hotline
