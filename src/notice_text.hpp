// Character-level pieces of the holiday-notice reader (calendar_notice.cpp):
// folding a published line to one spelling, and the small recognisers the
// reader needs (Chinese numerals, bracketed weekdays, a lone signature date).
//
// A notice copied from a web page comes in many spellings of the same text:
// full-width digits and punctuation (１２月３０日, ：，（）), every kind of dash
// or tilde between dates (—, －, ～, ~), and blanks anywhere (ideographic space,
// no-break space, the indentation of each paragraph).  Folding them once here
// lets the reader match one form.  Text given to these functions is valid UTF-8
// (text_lines has checked it).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace hotline::detail::notice {

constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

/// Byte length of the UTF-8 sequence that starts with `lead`.
constexpr std::size_t sequence_length(char lead) noexcept {
  const auto b = static_cast<unsigned char>(lead);
  return b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
}

/// The code point at s[i]; `len` receives its byte length.
constexpr char32_t decode(std::string_view s, std::size_t i, std::size_t& len) noexcept {
  len = sequence_length(s[i]);
  if (i + len > s.size()) len = s.size() - i;
  const auto b = [&](std::size_t k) { return static_cast<char32_t>(static_cast<unsigned char>(s[i + k])); };
  switch (len) {
    case 1: return b(0);
    case 2: return ((b(0) & 0x1F) << 6) | (b(1) & 0x3F);
    case 3: return ((b(0) & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F);
    default: return ((b(0) & 0x07) << 18) | ((b(1) & 0x3F) << 12) | ((b(2) & 0x3F) << 6) | (b(3) & 0x3F);
  }
}

/// One line folded to the form the reader matches: full-width digits and
/// punctuation to ASCII (：→: ，→, （）→() ；→; ．→.), every dash and tilde to
/// '-' (a run of them, like ——, to one), and all blanks removed: Chinese text
/// has no spaces between words, so a blank is only layout (indentation, a
/// space before a colon, a wrapped line's margin).  、 and 。 stay as they are.
inline std::string normalize_line(std::string_view line) {
  std::string out;
  out.reserve(line.size());
  for (std::size_t i = 0, len = 0; i < line.size(); i += len) {
    const char32_t c = decode(line, i, len);
    if (c >= U'\uFF10' && c <= U'\uFF19') { out += static_cast<char>('0' + (c - U'\uFF10')); continue; }
    switch (c) {
      case U' ': case U'\t': case U'\v': case U'\f': case U'\u00A0': case U'\u3000':
      case U'\u200B': case U'\u2002': case U'\u2003': case U'\u2009': case U'\uFEFF':
        continue;
      case U'\uFF1A': out += ':'; continue;
      case U'\uFF0C': out += ','; continue;
      case U'\uFF08': out += '('; continue;
      case U'\uFF09': out += ')'; continue;
      case U'\uFF1B': out += ';'; continue;
      case U'\uFF0E': out += '.'; continue;
      case U'\uFF61': out += "\u3002"; continue;
      case U'-': case U'~': case U'\u2010': case U'\u2012': case U'\u2013': case U'\u2014': case U'\u2015':
      case U'\u2212': case U'\uFF0D': case U'\uFF5E': case U'\u301C':
        if (out.empty() || out.back() != '-') out += '-';
        continue;
      default: out.append(line.substr(i, len));
    }
  }
  return out;
}

/// 一..十 as 1..10 (item numbers, and a count written 共三天); 0 for anything else.
constexpr int chinese_digit(char32_t c) noexcept {
  constexpr char32_t d[] = {U'一', U'二', U'三', U'四', U'五', U'六', U'七', U'八', U'九', U'十'};
  for (int k = 0; k < 10; ++k)
    if (d[k] == c) return k + 1;
  return 0;
}

/// A weekday named in a bracket after a date: （星期六）, （周日）, （星期天）, also
/// inside a longer note such as （农历腊月二十八、周日） or （星期四、新年）.
struct weekday_word {
  unsigned iso = 0;       ///< 1 Monday .. 7 Sunday; 0: no weekday named
  std::string_view word;  ///< as written, e.g. 星期日
};

inline weekday_word find_weekday(std::string_view bracket) {
  for (const std::string_view prefix : {std::string_view("星期"), std::string_view("周")}) {
    for (auto p = bracket.find(prefix); p != std::string_view::npos; p = bracket.find(prefix, p + 1)) {
      const auto q = p + prefix.size();
      if (q >= bracket.size()) break;
      std::size_t len = 0;
      const char32_t c = decode(bracket, q, len);
      unsigned iso = c == U'日' || c == U'天' ? 7 : static_cast<unsigned>(chinese_digit(c));
      if (iso >= 1 && iso <= 7) return {iso, bracket.substr(p, prefix.size() + len)};  // not 周末
    }
  }
  return {};
}

/// Reads digits at s[i] (at most `max` of them); false, and i unchanged, if none.
constexpr bool read_number(std::string_view s, std::size_t& i, int& value, std::size_t max) noexcept {
  std::size_t k = i;
  int v = 0;
  while (k < s.size() && k - i < max && is_digit(s[k])) v = v * 10 + (s[k++] - '0');
  if (k == i || (k < s.size() && is_digit(s[k]))) return false;
  value = v;
  i = k;
  return true;
}

/// A line that is only a date, YYYY年M月D日: the signature under a notice.
inline bool is_lone_date(std::string_view line) {
  std::size_t i = 0;
  int v = 0;
  for (const std::string_view unit : {std::string_view("年"), std::string_view("月"), std::string_view("日")}) {
    if (!read_number(line, i, v, unit == "年" ? 4 : 2) || line.substr(i, unit.size()) != unit) return false;
    i += unit.size();
  }
  return i == line.size();
}

}  // namespace hotline::detail::notice
