// calendar_overlay: entries, coverage and the CSV format.
#include "hotline/calendar_overlay.hpp"

#include "hotline/detail/utf8.hpp"
#include "overlay_parsing.hpp"
#include "text_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace hotline {

namespace {

/// A name as one line of a table: line breaks, tabs and other control characters
/// (an iCalendar SUMMARY may hold "\n") become spaces, surrounding blanks go.  So
/// every source stores what to_csv can write and from_csv reads back the same.
void normalise_name(std::string& s) {
  for (auto& c : s)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
  const auto b = s.find_first_not_of(' ');
  s.erase(0, b == std::string::npos ? s.size() : b);
  s.erase(s.find_last_not_of(' ') + 1);
}

}  // namespace

calendar_overlay& calendar_overlay::add(overlay_entry e) {
  for (auto* s : {&e.name_zh, &e.name_en}) {
    if (auto off = detail::invalid_utf8_offset(*s); off != std::string_view::npos)
      throw parse_error(source_, e.line, fmt::format("name is not valid UTF-8 (byte {})", off));
    normalise_name(*s);
  }
  if (e.name_zh.empty()) throw parse_error(source_, e.line, "the day's name is empty");
  const auto it = std::find_if(entries_.begin(), entries_.end(), [&](const overlay_entry& x) { return x.date == e.date; });
  if (it != entries_.end()) {
    const auto where = [](std::size_t line) { return line ? fmt::format(" (line {})", line) : std::string(); };
    const bool clash = it->day_off != e.day_off;
    throw conflict_error(fmt::format("{}: {} is listed twice{}: {}{} and {}{}", source_, format_day(e.date),
                                     clash ? ", once as a day off and once as a working day" : "",
                                     it->day_off ? "day off" : "working day", where(it->line),
                                     e.day_off ? "day off" : "working day", where(e.line)));
  }
  entries_.push_back(std::move(e));
  return *this;
}

calendar_overlay& calendar_overlay::add_day_off(day d, std::string zh, std::string en, std::size_t line) {
  return add({d, true, std::move(zh), std::move(en), line});
}

calendar_overlay& calendar_overlay::add_working_day(day d, std::string zh, std::string en, std::size_t line) {
  return add({d, false, std::move(zh), std::move(en), line});
}

calendar_overlay& calendar_overlay::covers(int first_year, int last_year) {
  if (first_year < 1 || last_year > 9998 || first_year > last_year)
    throw invalid_argument_error(fmt::format("{}: invalid covered years {}-{}", source_, first_year, last_year));
  if (covers_first_ <= covers_last_) {
    covers_first_ = std::min(covers_first_, first_year);
    covers_last_ = std::max(covers_last_, last_year);
  } else {
    covers_first_ = first_year;
    covers_last_ = last_year;
  }
  return *this;
}

namespace detail {

bool parse_overlay_kind(std::string_view k, bool& day_off) {
  static constexpr std::string_view off[] = {"holiday", "closure", "day_off", "休", "休息", "放假", "停诊"};
  static constexpr std::string_view on[] = {"workday", "working_day", "上班", "补班", "调休上班"};
  for (auto s : off)
    if (k == s) return day_off = true;
  for (auto s : on)
    if (k == s) return !(day_off = false);
  return false;
}

std::pair<int, int> parse_year_range(std::string_view s, const std::string& source, std::size_t line) {
  auto trim = [](std::string_view v) {
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
    return v;
  };
  s = trim(s);
  const auto dash = s.find('-');
  auto num = [&](std::string_view v) {
    v = trim(v);
    int y = 0;
    const auto r = std::from_chars(v.data(), v.data() + v.size(), y);
    if (v.size() != 4 || r.ec != std::errc{} || r.ptr != v.data() + v.size())
      throw parse_error(source, line, fmt::format("'{}' is not a year (covers: YYYY or YYYY-YYYY)", v));
    return y;
  };
  const int a = num(s.substr(0, dash));
  const int b = dash == std::string_view::npos ? a : num(s.substr(dash + 1));
  if (b < a) throw parse_error(source, line, fmt::format("covered years {}-{} run backwards", a, b));
  return {a, b};
}

}  // namespace detail

calendar_overlay calendar_overlay::from_csv(std::string_view text, std::string source, calendar_layer layer) {
  calendar_overlay ov(std::move(source), layer);
  const std::string& src = ov.source_;
  detail::text_lines lines(text, src);
  bool first_record = true;
  for (std::string_view line; lines.next(line);) {
    const std::size_t lineno = lines.number();
    std::string_view probe = line;
    while (!probe.empty() && (probe.front() == ' ' || probe.front() == '\t')) probe.remove_prefix(1);
    if (probe.empty()) continue;
    if (probe.front() == '#') {
      probe.remove_prefix(1);
      while (!probe.empty() && probe.front() == ' ') probe.remove_prefix(1);
      if (probe.starts_with("covers:")) {
        const auto [a, b] = detail::parse_year_range(probe.substr(7), src, lineno);
        ov.covers(a, b);
      }
      continue;
    }
    auto f = detail::split_csv_record(line, src, lineno);
    if (first_record && !f.empty() && f[0] == "date") {  // header
      first_record = false;
      continue;
    }
    first_record = false;
    if (f.size() < 3 || f.size() > 4)
      throw parse_error(src, lineno, fmt::format("expected 3 or 4 fields (date,kind,name[,name_en]), found {}", f.size()));
    day d;
    try {
      d = parse_day(f[0]);
    } catch (const parse_error&) {
      throw parse_error(src, lineno, fmt::format("field 'date': '{}' is not a valid date YYYY-MM-DD", f[0]));
    }
    bool day_off = false;
    if (!detail::parse_overlay_kind(f[1], day_off))
      throw parse_error(src, lineno, fmt::format("field 'kind': unknown kind '{}' (holiday, closure or workday)", f[1]));
    if (f[2].empty()) throw parse_error(src, lineno, "field 'name' is empty");
    ov.add({d, day_off, f[2], f.size() > 3 ? f[3] : std::string(), lineno});
  }
  return ov;
}

std::string calendar_overlay::to_csv() const {
  // RFC 4180 quoting where a field needs it ("Mid-autumn Festival, National Day").
  const auto field = [](const std::string& s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string q = "\"";
    for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
  };
  std::string source = source_;  // a comment line: a line break in it would start a record
  normalise_name(source);
  std::string out = fmt::format("# {} ({} layer)\n", source, to_string(layer_));
  if (covers_first_ <= covers_last_)
    // Four digits, as from_csv reads them (a year 506 is written 0506).
    out += covers_first_ == covers_last_ ? fmt::format("# covers: {:04}\n", covers_first_)
                                         : fmt::format("# covers: {:04}-{:04}\n", covers_first_, covers_last_);
  out += "date,kind,name,name_en\n";
  auto sorted = entries_;
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.date < b.date; });
  for (const auto& e : sorted)
    out += fmt::format("{},{},{},{}\n", format_day(e.date), e.day_off ? "holiday" : "workday", field(e.name_zh),
                       field(e.name_en));
  return out;
}

calendar_overlay calendar_overlay::from_csv_file(const std::string& path, calendar_layer layer) {
  return from_csv(detail::read_text_file(path), path, layer);
}

}  // namespace hotline
