// calendar_overlay from iCalendar (RFC 5545), the format holiday feeds and
// helpdesk tools exchange.  Only what a holiday feed needs is understood:
// all-day VEVENTs; anything that would need guessing (RRULE, timed events) is
// refused with its line.
#include "hotline/calendar_overlay.hpp"

#include "overlay_parsing.hpp"
#include "text_file.hpp"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <optional>
#include <vector>

namespace hotline {
namespace {

struct content_line {
  std::string name;    // upper-cased property name
  std::string params;  // ";VALUE=DATE" etc., upper-cased
  std::string value;
  std::size_t line;    // first physical line
};

/// Unfolds (CRLF + space/tab continues a line) and splits "NAME;PARAMS:VALUE".
std::vector<content_line> unfold(std::string_view text, const std::string& src) {
  std::vector<content_line> out;
  std::string cur;
  std::size_t cur_line = 0;
  auto flush = [&] {
    if (cur.empty()) return;
    // The name ends at the first ':' or ';' outside a quoted parameter value.
    bool q = false;
    std::size_t colon = std::string::npos, semi = std::string::npos;
    for (std::size_t i = 0; i < cur.size(); ++i) {
      if (cur[i] == '"') q = !q;
      else if (!q && cur[i] == ';' && semi == std::string::npos && colon == std::string::npos) semi = i;
      else if (!q && cur[i] == ':') { colon = i; break; }
    }
    if (colon == std::string::npos) throw parse_error(src, cur_line, "content line has no ':' (NAME:VALUE)");
    const auto name_end = std::min(colon, semi);
    content_line cl{cur.substr(0, name_end), semi < colon ? cur.substr(semi, colon - semi) : std::string(),
                     cur.substr(colon + 1), cur_line};
    for (auto* s : {&cl.name, &cl.params})
      for (auto& c : *s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    out.push_back(std::move(cl));
    cur.clear();
  };
  detail::text_lines lines(text, src);
  for (std::string_view line; lines.next(line);) {
    const std::size_t lineno = lines.number();
    if (!line.empty() && (line.front() == ' ' || line.front() == '\t')) {
      if (cur.empty()) throw parse_error(src, lineno, "continuation line with nothing to continue");
      cur.append(line.substr(1));
      continue;
    }
    flush();
    if (line.empty()) continue;
    cur.assign(line);
    cur_line = lineno;
  }
  flush();
  return out;
}

std::string unescape_text(std::string_view v) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '\\' && i + 1 < v.size()) {
      const char n = v[++i];
      out += (n == 'n' || n == 'N') ? '\n' : n;  // \\ \; \, and \n
    } else {
      out += v[i];
    }
  }
  return out;
}

day parse_ics_date(const content_line& cl, const std::string& src) {
  std::string_view v = cl.value;
  if (cl.params.find("VALUE=DATE-TIME") != std::string::npos || v.find('T') != std::string_view::npos)
    throw parse_error(src, cl.line, fmt::format("{} '{}' is a date-time: holiday overlays take all-day events "
                                                "(DTSTART;VALUE=DATE:YYYYMMDD)", cl.name, v));
  if (v.size() != 8) throw parse_error(src, cl.line, fmt::format("{} '{}' is not a date YYYYMMDD", cl.name, v));
  const std::string iso = fmt::format("{}-{}-{}", v.substr(0, 4), v.substr(4, 2), v.substr(6, 2));
  try {
    return parse_day(iso);
  } catch (const parse_error&) {
    throw parse_error(src, cl.line, fmt::format("{} '{}' is not a valid date YYYYMMDD", cl.name, v));
  }
}

/// DURATION:P<n>D or P<n>W (all-day events only).
int parse_days_duration(const content_line& cl, const std::string& src) {
  std::string_view v = cl.value;
  if (v.starts_with("+")) v.remove_prefix(1);
  int n = 0;
  if (v.size() >= 3 && v.front() == 'P' && (v.back() == 'D' || v.back() == 'W')) {
    const auto r = std::from_chars(v.data() + 1, v.data() + v.size() - 1, n);
    if (r.ec == std::errc{} && r.ptr == v.data() + v.size() - 1 && n > 0 && n <= 366)
      return v.back() == 'W' ? n * 7 : n;
  }
  throw parse_error(src, cl.line, fmt::format("DURATION '{}' is not a whole number of days (PnD or PnW)", cl.value));
}

}  // namespace

calendar_overlay calendar_overlay::from_ics(std::string_view text, std::string source, calendar_layer layer) {
  calendar_overlay ov(std::move(source), layer);
  const std::string& src = ov.source_;
  const auto lines = unfold(text, src);
  if (lines.empty() || lines.front().name != "BEGIN" || lines.front().value != "VCALENDAR")
    throw parse_error(src, lines.empty() ? 1 : lines.front().line, "not an iCalendar file: expected BEGIN:VCALENDAR");

  struct event {
    std::size_t line = 0;
    std::optional<day> start, end;
    int duration = 0;
    std::string summary, kind = "holiday", name_en;
  };
  std::optional<event> ev;
  int depth = 0;  // nesting of components other than VEVENT (VTIMEZONE, VALARM...)
  bool closed = false;
  for (const auto& cl : lines) {
    if (closed) throw parse_error(src, cl.line, "content after END:VCALENDAR");
    if (cl.name == "BEGIN") {
      if (cl.value == "VEVENT" && depth == 0) {
        if (ev) throw parse_error(src, cl.line, "BEGIN:VEVENT inside another VEVENT");
        ev.emplace();
        ev->line = cl.line;
      } else if (cl.value != "VCALENDAR" || &cl != &lines.front()) {
        ++depth;
      }
      continue;
    }
    if (cl.name == "END") {
      if (cl.value == "VCALENDAR" && depth == 0 && !ev) { closed = true; continue; }
      if (depth > 0) { --depth; continue; }
      if (cl.value != "VEVENT" || !ev) throw parse_error(src, cl.line, fmt::format("unexpected END:{}", cl.value));
      if (!ev->start) throw parse_error(src, ev->line, "VEVENT without DTSTART");
      if (ev->summary.empty()) throw parse_error(src, ev->line, "VEVENT without SUMMARY (the day's name)");
      bool day_off = true;
      if (!detail::parse_overlay_kind(ev->kind, day_off))
        throw parse_error(src, ev->line, fmt::format("unknown kind '{}' (holiday, closure or workday)", ev->kind));
      day last = *ev->start;
      if (ev->end) {
        if (*ev->end <= *ev->start) throw parse_error(src, ev->line, "DTEND is not after DTSTART");
        last = *ev->end - date::days{1};  // DTEND of an all-day event is exclusive
      } else if (ev->duration > 0) {
        last = *ev->start + date::days{ev->duration - 1};
      }
      if (last - *ev->start > date::days{366}) throw parse_error(src, ev->line, "event longer than a year");
      for (day d = *ev->start; d <= last; d += date::days{1})
        ov.add({d, day_off, ev->summary, ev->name_en, ev->line});
      ev.reset();
      continue;
    }
    if (cl.name == "X-HOTLINE-COVERS" && !ev && depth == 0) {
      const auto [a, b] = detail::parse_year_range(cl.value, src, cl.line);
      ov.covers(a, b);
      continue;
    }
    if (!ev || depth > 0) continue;  // calendar properties (PRODID, VERSION...) and sub-components
    if (cl.name == "DTSTART") ev->start = parse_ics_date(cl, src);
    else if (cl.name == "DTEND") ev->end = parse_ics_date(cl, src);
    else if (cl.name == "DURATION") ev->duration = parse_days_duration(cl, src);
    else if (cl.name == "SUMMARY") ev->summary = unescape_text(cl.value);
    else if (cl.name == "X-HOTLINE-NAME-EN") ev->name_en = unescape_text(cl.value);
    else if (cl.name == "X-HOTLINE-KIND" || cl.name == "CATEGORIES") {
      std::string v = unescape_text(cl.value);
      for (auto& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      bool ignored = false;
      if (detail::parse_overlay_kind(v, ignored) || cl.name == "X-HOTLINE-KIND") ev->kind = v;
    } else if (cl.name == "RRULE" || cl.name == "RDATE" || cl.name == "EXDATE") {
      throw parse_error(src, cl.line, fmt::format("{} is not supported: list each day as its own event "
                                                  "(a recurrence would be a guess for lunar holidays)", cl.name));
    }
  }
  if (ev) throw parse_error(src, ev->line, "VEVENT without END:VEVENT");
  if (!closed) throw parse_error(src, lines.back().line, "file ends without END:VCALENDAR (truncated?)");
  return ov;
}

calendar_overlay calendar_overlay::from_ics_file(const std::string& path, calendar_layer layer) {
  return from_ics(detail::read_text_file(path), path, layer);
}

}  // namespace hotline
