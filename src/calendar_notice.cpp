// calendar_overlay::from_notice: the State Council General Office's yearly
// holiday notice (国务院办公厅关于YYYY年部分节假日安排的通知), read as published.
//
// The text is taken as it comes off a web page: navigation and share lines,
// the title, the introduction (经国务院批准，现将YYYY年元旦、春节…通知如下), the
// numbered items, the closing paragraph (节假日期间，各地区、各部门要…) and the
// signature.  Only the items carry days; everything else is passed over.
//
// Forms read (every notice since 2008 uses some of them):
//   items      numbered 一、 二、 … (also 一. and 1. / 1、), the festival(s)
//              before the colon: 元旦, 春节, 清明节, 劳动节 (“五一”国际劳动节),
//              端午节, 中秋节, 国庆节, or two at once (中秋节、国庆节).  Items may
//              share one line or be wrapped over several.
//   dates      M月D日, YYYY年M月D日, and a bare D日 that takes the month (and
//              year) of the date before it.  Without a year a date is in the
//              notice's year, except a December date in the 元旦 item, which is
//              in the year before (12月30日至1月1日).
//   days off   a date or a range (至, —, -, ～) followed by 放假 / 放假调休 /
//              放假公休 (…放假，共3天 / 放假1天), and a date followed by 补休.
//              与周末连休 adds nothing: the days are the ones named.
//   worked     the dates before 上班, joined by 、 or 和.
//   brackets   after a date, a note that may name its weekday: （星期六）,
//              （周日）, （星期天）, （农历腊月二十八、周日）; other notes
//              (（除夕）, （即农历除夕至正月初六）) are passed over.
//   其中…      the 2008-2009 notices explain each item (…为法定节假日，…公休日
//              调至…): dates in a clause with no 放假/补休/上班 are only checked
//              (weekday, existence), never added.
// Checks, each a parse_error naming the item (number and festival) and its line:
// a bracketed weekday that is wrong, a 共N天 (or 放假N天) that is not the number
// of days off the item lists, a 上班 day that is not a Saturday or Sunday, a day
// both off and worked (in one item or two), a date that does not exist, a date
// outside the notice's year (late December of the year before excepted), an
// item with no readable day off, a text with no item, a year given that the
// text contradicts.  The overlay is built only when everything has passed.
#include "hotline/calendar_overlay.hpp"

#include "notice_text.hpp"
#include "text_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <set>
#include <vector>

namespace hotline {
namespace {
namespace nt = detail::notice;

struct festival_info {
  std::string_view zh, en;
  std::array<std::string_view, 2> spellings;  // what a header may say
};
// The English names are the built-in national data's.
constexpr festival_info festivals[] = {
    {"元旦", "New Year's Day", {"元旦", {}}},
    {"春节", "Spring Festival", {"春节", {}}},
    {"清明节", "Tomb-sweeping Day", {"清明", {}}},
    {"劳动节", "Labour Day", {"劳动节", "五一"}},
    {"端午节", "Dragon Boat Festival", {"端午", {}}},
    {"中秋节", "Mid-autumn Festival", {"中秋", {}}},
    {"国庆节", "National Day", {"国庆", "十一"}},
};
constexpr std::size_t new_year = 0;
constexpr std::string_view full_stop = "\u3002";  // 。
constexpr std::string_view weekday_en[] = {"", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};

/// The notice's lines, folded (notice_text.hpp) and joined without separators,
/// so that a date or a word wrapped over two lines reads as one; `starts` keeps
/// where each source line begins, for error lines and for the line-level cues.
struct notice_stream {
  std::string text;
  std::vector<std::size_t> starts, lines;  // offset in text, source line number

  [[nodiscard]] std::size_t line_of(std::size_t off) const {
    const auto it = std::upper_bound(starts.begin(), starts.end(), off);
    return it == starts.begin() ? 0 : lines[static_cast<std::size_t>(it - starts.begin()) - 1];
  }
  [[nodiscard]] bool line_start(std::size_t off) const { return std::binary_search(starts.begin(), starts.end(), off); }
  [[nodiscard]] std::string_view line_at(std::size_t off) const {  // from off to the end of its line
    const auto it = std::upper_bound(starts.begin(), starts.end(), off);
    return std::string_view(text).substr(off, (it == starts.end() ? text.size() : *it) - off);
  }
};

notice_stream read_stream(std::string_view text, const std::string& src) {
  notice_stream s;
  detail::text_lines lines(text, src);  // BOM, CR, and UTF-8 checked with the line
  for (std::string_view line; lines.next(line);) {
    auto folded = nt::normalize_line(line);
    if (folded.empty()) continue;
    s.starts.push_back(s.text.size());
    s.lines.push_back(lines.number());
    s.text += folded;
  }
  return s;
}

// ---- the year -------------------------------------------------------------

/// The year from the introduction (现将YYYY年…, or 经国务院批准，YYYY年，元旦、…)
/// or, failing that, the title (YYYY年部分节假日安排).  The introduction wins
/// because page clutter may link other years' notices by their titles.
int notice_year(const notice_stream& s, std::optional<int> given, const std::string& src) {
  if (given && (*given < 1000 || *given > 9998))
    throw invalid_argument_error(fmt::format("{}: {} is not a notice year", src, *given));
  std::set<int> intro, title;
  const std::string_view t = s.text;
  for (std::size_t i = 0; i + 7 <= t.size(); ++i) {
    if (i > 0 && nt::is_digit(t[i - 1])) continue;
    std::size_t k = i;
    int y = 0;
    if (!nt::read_number(t, k, y, 4) || k != i + 4 || t.substr(k, 3) != "年") continue;
    const auto rest = t.substr(k + 3);
    if (t.substr(0, i).ends_with("现将") || rest.starts_with(",元旦、") || rest.starts_with("元旦、春节"))
      intro.insert(y);
    else if (rest.starts_with("部分节假日"))
      title.insert(y);
  }
  const auto& found = intro.empty() ? title : intro;
  if (found.size() > 1) {
    std::string years;
    for (int y : found) years += (years.empty() ? "" : ", ") + std::to_string(y);
    throw parse_error(src, 0, fmt::format("the text names several notice years ({}): pass the year", years));
  }
  if (given) {
    if (!found.empty() && *found.begin() != *given)
      throw parse_error(src, 0, fmt::format("the text is the notice for {}, but the year {} was given",
                                            *found.begin(), *given));
    return *given;
  }
  if (found.empty())
    throw parse_error(src, 0, "the notice's year cannot be read from the text (no '现将YYYY年…' introduction "
                              "and no 'YYYY年部分节假日安排' title): pass the year");
  // Held to the range a given year must be in, so that passing back the year read is
  // accepted too (a "0722年" in the text was read, then refused when given).
  const int y = *found.begin();
  if (y < 1000 || y > 9998) throw parse_error(src, 0, fmt::format("the text names the year {}, not a notice year", y));
  return y;
}

// ---- finding the items ------------------------------------------------------

struct item_head {
  std::string number;            // as written: 二, 3
  std::string header;            // the words before the colon: 中秋节、国庆节
  std::vector<std::size_t> fest;  // into festivals, in the order written
  std::size_t start = 0, body = 0, end = 0;  // offsets: the marker, after the colon, the end
};

/// An item marker at p (一、 二. 3、 4.) followed by a short header and a colon.
std::optional<item_head> marker_at(const notice_stream& s, std::size_t p) {
  const std::string_view t = std::string_view(s.text).substr(p);
  std::size_t k = 0, len = 0;
  while (k < t.size() && k < 9 && nt::chinese_digit(nt::decode(t, k, len)) != 0) k += len;
  if (k == 0)
    while (k < t.size() && k < 2 && nt::is_digit(t[k])) ++k;
  if (k == 0) return std::nullopt;
  std::size_t sep = 0;
  if (t.substr(k).starts_with("、")) sep = 3;
  else if (k < t.size() && t[k] == '.') sep = 1;
  else return std::nullopt;
  const auto rest = t.substr(k + sep);
  const auto colon = rest.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 48) return std::nullopt;
  const auto header = rest.substr(0, colon);
  if (std::any_of(header.begin(), header.end(), [](char c) { return nt::is_digit(c) || c == ',' || c == '('; }) ||
      header.find(full_stop) != std::string_view::npos)
    return std::nullopt;
  item_head h{std::string(t.substr(0, k)), std::string(header), {}, p, p + k + sep + colon + 1, 0};
  std::vector<std::pair<std::size_t, std::size_t>> at;  // position in header, festival
  for (std::size_t f = 0; f < std::size(festivals); ++f)
    for (auto sp : festivals[f].spellings)
      if (!sp.empty())
        if (const auto pos = header.find(sp); pos != std::string_view::npos) {
          at.emplace_back(pos, f);
          break;
        }
  std::sort(at.begin(), at.end());
  for (const auto& a : at) h.fest.push_back(a.second);
  return h;
}

constexpr std::string_view closing_phrases[] = {"节假日期间", "鼓励", "国务院办公厅", "各省", "特此通知"};
bool is_closing(std::string_view s) {
  return std::any_of(std::begin(closing_phrases), std::end(closing_phrases), [&](auto c) { return s.starts_with(c); });
}
bool has_date(std::string_view s) {
  for (std::size_t i = 0; i + 1 < s.size(); ++i)
    if (nt::is_digit(s[i]) && (s.substr(i + 1).starts_with("日") || s.substr(i + 1).starts_with("月"))) return true;
  return false;
}
/// Whether a sentence carries item content: a date, or a word of the items.
bool has_content(std::string_view s) {
  if (has_date(s)) return true;
  for (std::string_view w : {"放假", "上班", "补休", "天"})
    if (s.find(w) != std::string_view::npos) return true;
  return false;
}

/// Where an item's text ends before the next marker: at a line that is the
/// closing paragraph or the signature, or at a sentence (after the first) that
/// starts the closing paragraph or carries no date nor item word.  A line
/// break alone does not end it: items are often wrapped.
std::size_t item_end(const notice_stream& s, std::size_t body, std::size_t end) {
  const std::string_view t = s.text;
  for (std::size_t i = body + 1; i < end; ++i)
    if (s.line_start(i) && (is_closing(s.line_at(i)) || nt::is_lone_date(s.line_at(i)))) {
      end = i;
      break;
    }
  for (auto p = t.find(full_stop, body); p != std::string_view::npos && p + 3 < end; p = t.find(full_stop, p + 3)) {
    const auto next = t.substr(p + 3, end - (p + 3));
    const auto stop = next.find(full_stop);
    if (is_closing(next) || !has_content(next.substr(0, stop))) return p + 3;
  }
  return end;
}

std::string item_name(const item_head& h) { return fmt::format("item {} ({})", h.number, h.header); }

std::vector<item_head> find_items(const notice_stream& s, const std::string& src) {
  const std::string_view t = s.text;
  std::vector<item_head> heads;
  for (std::size_t p = 0; p < t.size(); ++p) {
    if (!(s.line_start(p) || (p >= 3 && t.substr(p - 3, 3) == full_stop) || (p >= 1 && t[p - 1] == ':'))) continue;
    if (auto h = marker_at(s, p)) {
      if (!heads.empty() && p < heads.back().body) continue;
      heads.push_back(std::move(*h));
    }
  }
  std::vector<item_head> items;
  for (std::size_t k = 0; k < heads.size(); ++k) {
    auto& h = heads[k];
    h.end = item_end(s, h.body, k + 1 < heads.size() ? heads[k + 1].start : t.size());
    if (h.fest.empty()) {
      // A numbered paragraph that is not a festival: an error if it reads like
      // an item (a date to be taken off or worked), so that no day is dropped.
      const auto first = t.substr(h.body, h.end - h.body);
      const auto sentence = first.substr(0, first.find(full_stop));
      if ((sentence.find("放假") != std::string_view::npos || sentence.find("上班") != std::string_view::npos) &&
          has_date(sentence))
        throw parse_error(src, s.line_of(h.start),
                          fmt::format("{}: not a festival of the national notice (元旦, 春节, 清明节, 劳动节, "
                                      "端午节, 中秋节, 国庆节)", item_name(h)));
      continue;
    }
    items.push_back(std::move(h));
  }
  return items;
}

// ---- reading one item -------------------------------------------------------

struct date_ref {
  int y = 0;
  unsigned m = 0, d = 0;
  bool has_y = false, has_m = false;
  std::size_t off = 0;        // in the stream
  std::string_view bracket;   // the note after it, if any
  bool bracketed = false;
  day value{};
};
enum class tk : std::uint8_t { date, range, text, stop };
struct token {
  tk kind;
  std::size_t date = 0;   // tk::date: index into the dates
  std::string_view text;  // tk::text
};

/// [YYYY年]M月D日 or D日 at t[i]; advances i past it.
std::optional<date_ref> read_date(std::string_view t, std::size_t& i) {
  std::size_t k = i;
  int a = 0, b = 0, c = 0;
  date_ref r;
  if (!nt::read_number(t, k, a, 4)) return std::nullopt;
  const auto unit = [&](std::string_view u) {
    if (t.substr(k, u.size()) != u) return false;
    k += u.size();
    return true;
  };
  if (unit("年")) {
    if (!nt::read_number(t, k, b, 2) || !unit("月") || !nt::read_number(t, k, c, 2) || !unit("日")) return std::nullopt;
    r.y = a, r.m = static_cast<unsigned>(b), r.d = static_cast<unsigned>(c), r.has_y = r.has_m = true;
  } else if (unit("月")) {
    if (!nt::read_number(t, k, c, 2) || !unit("日")) return std::nullopt;
    r.m = static_cast<unsigned>(a), r.d = static_cast<unsigned>(c), r.has_m = true;
  } else if (unit("日") && a <= 31) {
    r.d = static_cast<unsigned>(a);
  } else {
    return std::nullopt;
  }
  r.off = i;
  i = k;
  return r;
}

/// Splits an item's text into dates, range links (至 -), clause stops (， 。 ；
/// ：) and the text between.  Brackets make no token: their note goes to the
/// date just before them (for its weekday) and their words are not the item's
/// (（即农历除夕至正月初六） holds a 至 that links nothing).
void tokenize(std::string_view t, std::size_t b, std::size_t e, std::vector<date_ref>& dates, std::vector<token>& toks) {
  std::size_t i = b, run = b;
  const auto flush = [&](std::size_t upto) {
    if (run < upto) toks.push_back({tk::text, 0, t.substr(run, upto - run)});
  };
  while (i < e) {
    const char c = t[i];
    // A '(' closed before the next '(' and the sentence's end opens a note; an
    // unclosed one (the watermark noise some reposts carry) is only a character.
    const auto close = c == '(' ? t.find(')', i) : std::string_view::npos;
    if (close < e && close < t.find('(', i + 1) && close < t.find(full_stop, i)) {
      flush(i);
      const auto j = close;
      if (!toks.empty() && toks.back().kind == tk::date && !dates[toks.back().date].bracketed) {
        dates[toks.back().date].bracket = t.substr(i + 1, j - i - 1);
        dates[toks.back().date].bracketed = true;
      }
      i = run = j + 1;
    } else if (nt::is_digit(c)) {
      std::size_t j = i;
      if (auto r = read_date(t.substr(0, e), j)) {
        flush(i);
        dates.push_back(*r);
        toks.push_back({tk::date, dates.size() - 1, {}});
        i = run = j;
      } else {
        while (i < e && nt::is_digit(t[i])) ++i;  // a number of the text (共3天)
      }
    } else if (c == '-' || t.substr(i, 3) == "至") {
      flush(i);
      toks.push_back({tk::range, 0, {}});
      i = run = i + (c == '-' ? 1 : 3);
    } else if (c == ',' || c == ';' || c == ':' || t.substr(i, 3) == full_stop) {
      flush(i);
      toks.push_back({tk::stop, 0, {}});
      i = run = i + (c == ',' || c == ';' || c == ':' ? 1 : 3);
    } else {
      i += nt::sequence_length(c);
    }
  }
  flush(e);
}

/// 共N天 and 放假N天 (digits, or one Chinese numeral).
std::vector<std::pair<int, std::string>> count_claims(std::string_view text) {
  std::vector<std::pair<int, std::string>> out;
  for (std::string_view lead : {"共", "放假"})
    for (auto p = text.find(lead); p != std::string_view::npos; p = text.find(lead, p + 1)) {
      std::size_t k = p + lead.size(), len = 0;
      int n = 0;
      if (!nt::read_number(text, k, n, 3)) {
        if (k >= text.size() || (n = nt::chinese_digit(nt::decode(text, k, len))) == 0) continue;
        k += len;
      }
      if (text.substr(k, 3) == "天") out.emplace_back(n, std::string(text.substr(p, k + 3 - p)));
    }
  return out;
}

struct listed {
  std::size_t line;
  std::string written;  // as the notice names the day (or its range)
};
struct parsed_item {
  const item_head* head;
  std::map<day, listed> off, work;
};

std::string written(const date_ref& d) {
  return d.has_y ? fmt::format("{}年{}月{}日", d.y, d.m, d.d) : fmt::format("{}月{}日", d.m, d.d);
}

parsed_item read_item(const notice_stream& s, const item_head& h, int year, const std::string& src) {
  const std::string who = item_name(h);
  std::vector<date_ref> dates;
  std::vector<token> toks;
  tokenize(s.text, h.body, h.end, dates, toks);
  if (dates.empty())
    throw parse_error(src, s.line_of(h.start), fmt::format("{}: no dates could be read (expected e.g. "
                                                           "'1月1日至3日放假调休，共3天。')", who));
  const bool is_new_year = std::find(h.fest.begin(), h.fest.end(), new_year) != h.fest.end();
  const auto fail = [&](const date_ref& d, const std::string& why) {
    throw parse_error(src, s.line_of(d.off), fmt::format("{}: {}", who, why));
  };

  // Resolve every date, explanatory ones included: a bare 2日 takes the month of
  // the date before it, whichever clause that was in.
  const date_ref* prev = nullptr;
  for (auto& d : dates) {
    if (!d.has_m) {
      if (!prev) fail(d, fmt::format("'{}日' has no month", d.d));
      d.y = prev->y, d.m = prev->m, d.has_y = prev->has_y;
    } else if (!d.has_y) {
      d.y = (is_new_year && d.m == 12) ? year - 1 : year;  // 12月30日至1月1日
    }
    const date::year_month_day ymd{date::year{d.y}, date::month{d.m}, date::day{d.d}};
    if (!ymd.ok()) fail(d, fmt::format("{} is not a date (in {})", written(d), d.y));
    d.value = day{ymd};
    prev = &d;
    if (const auto w = nt::find_weekday(d.bracket); w.iso != 0) {
      const unsigned real = date::weekday{d.value}.iso_encoding();
      if (w.iso != real) fail(d, fmt::format("{} is given as {} but is a {}", written(d), w.word, weekday_en[real]));
    }
  }

  // Clauses: the dates (and ranges) before 放假/补休 are days off, before 上班
  // worked; a clause without those words explains (其中…) and adds nothing.
  struct span { std::size_t first, last; };
  std::vector<span> pending, off, work;
  std::string plain;  // the item's own words, for 共N天
  for (std::size_t k = 0; k < toks.size(); ++k) {
    const auto& tok = toks[k];
    if (tok.kind == tk::date) {
      if (k >= 2 && toks[k - 1].kind == tk::range && toks[k - 2].kind == tk::date && !pending.empty() &&
          pending.back().last == toks[k - 2].date)
        pending.back().last = tok.date;
      else
        pending.push_back({tok.date, tok.date});
    } else if (tok.kind == tk::stop) {
      pending.clear();
      plain += ',';
    } else if (tok.kind == tk::text) {
      plain.append(tok.text);
      const auto w = tok.text.find("上班"), o = std::min(tok.text.find("放假"), tok.text.find("补休"));
      if (w == std::string_view::npos && o == std::string_view::npos) continue;
      auto& into = w < o ? work : off;
      into.insert(into.end(), pending.begin(), pending.end());
      pending.clear();
    }
  }

  parsed_item out{&h, {}, {}};
  for (auto* list : {&off, &work})
    for (const auto& sp : *list) {
      const auto& a = dates[sp.first];
      const auto& b = dates[sp.last];
      if (b.value < a.value) fail(b, fmt::format("the range {} to {} runs backwards", written(a), written(b)));
      if (b.value - a.value > date::days{31}) fail(b, fmt::format("the range {} to {} is longer than a month", written(a), written(b)));
      for (day d = a.value; d <= b.value; d += date::days{1}) {
        const date::year_month_day ymd{d};
        const int y = int(ymd.year());
        if (y != year && !(y == year - 1 && ymd.month() == date::December))
          fail(a, fmt::format("{} is outside the notice's year {} (it lists the days of {}, and for New Year's "
                              "Day late December {})", format_day(d), year, year, year - 1));
        const std::string w = sp.first == sp.last ? written(a) : written(a) + "至" + written(b);
        (list == &off ? out.off : out.work).emplace(d, listed{s.line_of(a.off), w});
      }
    }

  if (out.off.empty())
    throw parse_error(src, s.line_of(h.start), fmt::format("{}: no day off could be read (no date before 放假 or 补休)", who));
  for (const auto& [n, text] : count_claims(plain))
    if (static_cast<std::size_t>(n) != out.off.size())
      throw parse_error(src, s.line_of(h.start),
                        fmt::format("{}: {} but the item lists {} day(s) off ({} to {})", who, text, out.off.size(),
                                    format_day(out.off.begin()->first), format_day(out.off.rbegin()->first)));
  for (const auto& [d, l] : out.work) {
    const unsigned wd = date::weekday{d}.iso_encoding();
    if (wd < 6)
      throw parse_error(src, l.line, fmt::format("{}: {} ({}) is to be worked (上班) but is a {}: an adjusted "
                                                 "working day is a Saturday or Sunday", who, l.written,
                                                 format_day(d), weekday_en[wd]));
    if (out.off.count(d))
      throw parse_error(src, l.line, fmt::format("{}: {} ({}) is declared both a day off and a working day", who,
                                                 l.written, format_day(d)));
  }
  return out;
}

}  // namespace

calendar_overlay calendar_overlay::from_notice(std::string_view text, std::optional<int> year, std::string source) {
  const notice_stream s = read_stream(text, source);
  const int y = notice_year(s, year, source);
  const auto heads = find_items(s, source);
  if (heads.empty())
    throw parse_error(source, 0, "no holiday item found (expected numbered items such as "
                                 "'一、元旦：1月1日放假，与周末连休。')");
  std::vector<parsed_item> items;
  for (const auto& h : heads) items.push_back(read_item(s, h, y, source));

  // A day may be named by one item only, once.
  std::map<day, std::pair<const parsed_item*, bool>> seen;  // day -> item, day off
  for (const auto& it : items)
    for (const auto* list : {&it.off, &it.work})
      for (const auto& [d, l] : *list) {
        const bool is_off = list == &it.off;
        const auto [pos, fresh] = seen.emplace(d, std::make_pair(&it, is_off));
        if (fresh) continue;
        const auto& [other, other_off] = pos->second;
        throw parse_error(source, l.line, fmt::format("{}: {} ({}) is {} here but {} in {}", item_name(*it.head),
                                                      l.written, format_day(d), is_off ? "a day off" : "a working day",
                                                      other_off == is_off ? "also listed" : other_off ? "a day off" : "a working day",
                                                      item_name(*other->head)));
      }

  calendar_overlay ov(std::move(source), calendar_layer::national);
  ov.covers(y, y);
  for (const auto& [d, who] : seen) {
    const auto& it = *who.first;
    std::string zh, en;
    for (auto f : it.head->fest) {
      zh += (zh.empty() ? "" : "、") + std::string(festivals[f].zh);
      en += (en.empty() ? "" : ", ") + std::string(festivals[f].en);
    }
    const auto& l = who.second ? it.off.at(d) : it.work.at(d);
    if (who.second) ov.add_day_off(d, std::move(zh), std::move(en), l.line);
    else ov.add_working_day(d, std::move(zh), std::move(en), l.line);
  }
  return ov;
}

calendar_overlay calendar_overlay::from_notice_file(const std::string& path, std::optional<int> year) {
  return from_notice(detail::read_text_file(path), year, path);
}

}  // namespace hotline
