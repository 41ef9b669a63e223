// hotline/resident_id.hpp: resident identity numbers (公民身份号码, GB 11643-1999).
//
// Signing a family doctor and answering a caller both start from the resident's
// identity number; this header checks it and reads what it says.
//
//   auto f = hotline::read_id_number("11010519491231002x", "resident R17 id_number");
//   f.number;       // "11010519491231002X"  (normalised: upper-case X)
//   f.region_code;  // "110105"
//   f.birth;        // 1949-12-31
//   f.sex;          // hotline::sex::female  (sequence 002 is even)
//   hotline::age_on(f.birth, hotline::make_day(2025, 1, 1));   // 75
//
//   hotline::try_read_id_number("110105194912310021");   // std::nullopt (check should be X)
//   hotline::upgrade_to_18("110105491231002", "import line 4");  // "11010519491231002X"
//
// The rules, spelled out once:
//  * 18 characters (GB 11643-1999): 6-digit address code, 8-digit birth date
//    YYYYMMDD, 3-digit sequence (odd: male, even: female), and a check character
//    by ISO 7064 MOD 11-2: the first 17 digits weighted 7 9 10 5 8 4 2 1 6 3 7 9 10
//    5 8 4 2 (2^(17-i) mod 11), the sum mod 11 indexing "10X98765432".  A lower-case
//    'x' is read as 'X'; `number` always holds the upper-case form.
//  * 15 digits (the first-generation format of 1984, GB 11643-1989): 6-digit
//    address code, YYMMDD read as 19YY, 3-digit sequence, no check character.
//    Such a number is read and returned in its 18-character form ("19" inserted,
//    check character computed), with `was_15_digit` set.
//  * The text is taken as it is: no spaces trimmed, no full-width digits read
//    (a full-width digit is a non-digit at its position).  Lengths and positions
//    in messages count characters (UTF-8 code points), 1-based.
//  * Address code: only its shape is checked, 6 digits whose first two are a
//    province-level code of GB/T 2260 (see is_province_code).  Counties are
//    merged and renamed over the years while old numbers stay valid, so the
//    remaining four digits are not looked up.
//  * Birth date: it must exist (no 1990-02-30) and its year must be 1900 or
//    later.  Whether it lies in the future depends on today, which this header
//    does not know: age_on(birth, today) throws for a birth after today.
//  * Checks run in this order and the first failure is reported: length,
//    characters, address code, birth date, birth year, check character.
//  * Error messages name `where`, say what is wrong and show the number masked
//    by mask_id_number ("110105********002X"), never in full (error.hpp).
#pragma once

#include "hotline/error.hpp"
#include "hotline/masking.hpp"
#include "hotline/time.hpp"
#include "hotline/work_order.hpp"  // hotline::sex

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hotline {

/// What an identity number says.
struct id_number_facts {
  std::string number;       ///< the normalised 18-character number (upper-case X; a 15-digit one upgraded)
  std::string region_code;  ///< the 6-digit address code (GB/T 2260), e.g. "110105"
  day birth;                ///< the birth date
  hotline::sex sex = hotline::sex::unknown;  ///< male for an odd sequence code, female for an even one
  bool was_15_digit = false;                 ///< read from the 15-digit first-generation format

  friend bool operator==(const id_number_facts&, const id_number_facts&) = default;
};

/// True for the first two digits of a GB/T 2260 province-level code:
///   11-15 北京 天津 河北 山西 内蒙古      21-23 辽宁 吉林 黑龙江
///   31-37 上海 江苏 浙江 安徽 福建 江西 山东
///   41-46 河南 湖北 湖南 广东 广西 海南   50-54 重庆 四川 贵州 云南 西藏
///   61-65 陕西 甘肃 青海 宁夏 新疆        71 台湾
///   81 香港, 82 澳门: also the codes of the Hong Kong and Macao residents'
///   residence permits (港澳台居民居住证, since 2018-09-01);
///   83: the Taiwan residents' residence permit (since 2018-09-01), accepted
///   although GB/T 2260 gives Taiwan 71.
constexpr bool is_province_code(int two_digits) noexcept {
  const int p = two_digits;
  return (p >= 11 && p <= 15) || (p >= 21 && p <= 23) || (p >= 31 && p <= 37) || (p >= 41 && p <= 46) ||
         (p >= 50 && p <= 54) || (p >= 61 && p <= 65) || p == 71 || p == 81 || p == 82 || p == 83;
}

/// The ISO 7064 MOD 11-2 check character ('0'-'9' or 'X') of the first 17
/// digits of an 18-character number.  Precondition: `first17` is 17 ASCII
/// digits; otherwise the result is '\0' (never a valid check character).
constexpr char id_check_character(std::string_view first17) noexcept {
  constexpr int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  constexpr std::string_view check = "10X98765432";
  if (first17.size() != 17) return '\0';
  int sum = 0;
  for (std::size_t i = 0; i < 17; ++i) {
    const char c = first17[i];
    if (c < '0' || c > '9') return '\0';
    sum += (c - '0') * weights[i];
  }
  return check[static_cast<std::size_t>(sum % 11)];
}

namespace detail {

enum class id_defect_kind : std::uint8_t {
  none,
  length,            ///< `count` characters, not 15 or 18
  character,         ///< a non-digit (or, at 18, neither digit nor X) at `position`
  province,          ///< `value` is not a province-level code
  no_such_date,      ///< year/month/dom do not make a date
  year_before_1900,  ///< `value` is the year
  check_character,   ///< `got` where `expected` belongs
};

struct id_defect {
  id_defect_kind kind = id_defect_kind::none;
  std::size_t count = 0;     // length in characters
  std::size_t position = 0;  // 1-based character position
  int value = 0;             // province digits or year
  int year = 0;
  unsigned month = 0, dom = 0;
  char got = 0, expected = 0;
};

/// Code points in UTF-8 text (bytes that do not continue a sequence).
constexpr std::size_t utf8_length(std::string_view s) noexcept {
  std::size_t n = 0;
  for (const char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

constexpr int digits_value(std::string_view s) noexcept {
  int v = 0;
  for (const char c : s) v = v * 10 + (c - '0');
  return v;
}

/// Reads `text` into `out` or describes its first defect (the order of the
/// file comment).  Allocates only for the facts' strings.
inline id_defect read_id_number(std::string_view text, id_number_facts& out) {
  id_defect d;
  const std::size_t n = utf8_length(text);
  if (n != 18 && n != 15) {
    d.kind = id_defect_kind::length;
    d.count = n;
    return d;
  }
  // Every character of a number is ASCII: the first byte that is not (a multi-byte
  // character, or a stray continuation byte, which the count above passed over) is
  // reported at the position of the character it starts or would start.
  std::size_t pos = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      d.kind = id_defect_kind::character;
      d.position = pos + 1;
      return d;
    }
    ++pos;
    const bool digit = c >= '0' && c <= '9';
    const bool check_x = n == 18 && pos == 18 && (c == 'X' || c == 'x');
    if (!digit && !check_x) {
      d.kind = id_defect_kind::character;
      d.position = pos;
      return d;
    }
  }

  const bool fifteen = n == 15;
  const int province = digits_value(text.substr(0, 2));
  if (!is_province_code(province)) {
    d.kind = id_defect_kind::province;
    d.value = province;
    return d;
  }
  const int y = fifteen ? 1900 + digits_value(text.substr(6, 2)) : digits_value(text.substr(6, 4));
  const std::size_t md = fifteen ? 8 : 10;
  const auto m = static_cast<unsigned>(digits_value(text.substr(md, 2)));
  const auto dd = static_cast<unsigned>(digits_value(text.substr(md + 2, 2)));
  const date::year_month_day ymd{date::year{y}, date::month{m}, date::day{dd}};
  if (!ymd.ok()) {
    d.kind = id_defect_kind::no_such_date;
    d.year = y;
    d.month = m;
    d.dom = dd;
    return d;
  }
  if (y < 1900) {
    d.kind = id_defect_kind::year_before_1900;
    d.value = y;
    return d;
  }

  std::string number;
  if (fifteen) {
    number.reserve(18);
    number.append(text.substr(0, 6)).append("19").append(text.substr(6, 9));
    number.push_back(id_check_character(number));
  } else {
    number.assign(text);
    if (number[17] == 'x') number[17] = 'X';
    const char expected = id_check_character(std::string_view(number).substr(0, 17));
    if (number[17] != expected) {
      d.kind = id_defect_kind::check_character;
      d.got = number[17];
      d.expected = expected;
      return d;
    }
  }
  out.region_code.assign(number, 0, 6);
  out.birth = day{ymd};
  out.sex = (number[16] - '0') % 2 == 1 ? sex::male : sex::female;
  out.was_15_digit = fifteen;
  out.number = std::move(number);
  return d;
}

inline std::string two_digits(unsigned v) {
  std::string s = std::to_string(v);
  return s.size() < 2 ? "0" + s : s;
}

inline std::string describe(const id_defect& d) {
  switch (d.kind) {
    case id_defect_kind::none:
      return "no defect";
    case id_defect_kind::length:
      return "wrong length " + std::to_string(d.count) + " (an identity number has 18 characters, or 15 digits)";
    case id_defect_kind::character:
      return d.position == 18 ? "neither a digit nor X at position 18 (the check character)"
                              : "non-digit at position " + std::to_string(d.position);
    case id_defect_kind::province:
      return "address code starts with " + two_digits(static_cast<unsigned>(d.value)) +
             ", not a province-level code of GB/T 2260";
    case id_defect_kind::no_such_date:
      return "birth date " + std::to_string(d.year) + "-" + two_digits(d.month) + "-" + two_digits(d.dom) +
             " does not exist";
    case id_defect_kind::year_before_1900:
      return "birth year " + std::to_string(d.value) + " is before 1900";
    case id_defect_kind::check_character:
      return std::string("wrong check character: got '") + d.got + "', expected '" + d.expected + "'";
  }
  return "unknown defect";
}

}  // namespace detail

/// The facts of a valid 15- or 18-character number, or std::nullopt on any
/// defect (see the file comment for what is checked).
inline std::optional<id_number_facts> try_read_id_number(std::string_view text) {
  id_number_facts f;
  if (detail::read_id_number(text, f).kind != detail::id_defect_kind::none) return std::nullopt;
  return f;
}

/// The facts of a valid 15- or 18-character number.  Throws
/// invalid_argument_error otherwise, e.g.
///   "resident R17 id_number: wrong check character: got '1', expected 'X' (110105********0021)"
/// `where` names the field (a record and a column, a file and a line).
inline id_number_facts read_id_number(std::string_view text, std::string_view where) {
  id_number_facts f;
  const detail::id_defect d = detail::read_id_number(text, f);
  if (d.kind != detail::id_defect_kind::none) {
    std::string msg(where.empty() ? std::string_view("id_number") : where);
    msg.append(": ").append(detail::describe(d)).append(" (").append(mask_id_number(text)).append(")");
    throw invalid_argument_error(msg);
  }
  return f;
}

/// The normalised 18-character form: a 15-digit number upgraded ("19" inserted
/// after the address code, the check character appended), an 18-character one
/// returned with an upper-case X, so a column can be upgraded in one pass.
/// Throws invalid_argument_error as read_id_number does.
inline std::string upgrade_to_18(std::string_view text, std::string_view where) {
  return read_id_number(text, where).number;
}

/// Age in completed years on the day `on`: the years whose birthday has been
/// reached, the birthday itself included.  Someone born on 29 February reaches
/// the birthday on 29 February in leap years and on 1 March in other years
/// (on 28 February 2025 a person born 2000-02-29 is 24, on 1 March 25).
/// Beware: for criminal-responsibility ages courts count an age as reached
/// only from the day after the birthday (法释〔2006〕1号 art. 2); that is one
/// day later than here.  Throws invalid_argument_error when `birth` is after
/// `on` (the message shows neither date: a birth date is personal data).
inline int age_on(day birth, day on) {
  if (birth > on) throw invalid_argument_error("age_on: the birth date is after the day asked about");
  const date::year_month_day b{birth};
  const date::year_month_day o{on};
  int years = static_cast<int>(o.year()) - static_cast<int>(b.year());
  // Month-then-day comparison: (2, 28) < (2, 29) < (3, 1) gives the 29 February rule.
  if (o.month() < b.month() || (o.month() == b.month() && o.day() < b.day())) --years;
  return years;
}

}  // namespace hotline
