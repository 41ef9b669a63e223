// hotline/masking.hpp: masking of personal data (names, phone numbers, ID numbers).
//
// Exports, logs and error messages show personal data masked unless the caller
// explicitly asks for it (the store's `reveal` flags); an error that quotes its input
// quotes it through mask_text.  Every output, what it masks and its switch to reveal:
// docs/privacy.md.  The rules:
//
//   hotline::mask_phone("13812341234")          // "138****1234"
//   hotline::mask_phone("24333662")             // "****3662"   (shorter than 11: last 4 only)
//   hotline::mask_name("张三丰")                 // "张**"       (first character kept, UTF-8 aware)
//   hotline::mask_id_number("11010119900307123X")  // "110101********123X"
//   hotline::mask_text("请回电13812341234")      // "请回电138****1234"
//
// Edge cases, decided once:
//  * Masking never lengthens or shortens a phone or ID number: each masked
//    character becomes one '*', so a masked value still shows its shape.
//  * Up to 4 characters are masked completely ("1234" -> "****"): keeping any
//    of them would give the whole number away.
//  * mask_text masks every run of 7 or more ASCII digits (an ID number's final
//    X included): 11 digits starting with 1 as a mobile number, 15 or 18 as an
//    ID number, any other run as a phone number.  Shorter runs (dates, counts)
//    are left alone.  Full-width digits are not recognised.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace hotline {

/// "138****1234": 11 or more characters keep the first 3 and the last 4; 5 to 10
/// keep the last 4; 4 or fewer are all masked.
inline std::string mask_phone(std::string_view s) {
  const std::size_t n = s.size();
  if (n <= 4) return std::string(n, '*');
  std::string out(s);
  const std::size_t keep_front = n >= 11 ? 3 : 0;
  for (std::size_t i = keep_front; i < n - 4; ++i) out[i] = '*';
  return out;
}

/// "110101********1234": 15 or more characters keep the first 6 (the region)
/// and the last 4; shorter ones are masked as phone numbers.
inline std::string mask_id_number(std::string_view s) {
  const std::size_t n = s.size();
  if (n < 15) return mask_phone(s);
  std::string out(s);
  for (std::size_t i = 6; i < n - 4; ++i) out[i] = '*';
  return out;
}

/// "张**": the first character (code point) kept, every other one a '*'.
/// An empty name stays empty; a one-character name becomes "*".
inline std::string mask_name(std::string_view s) {
  if (s.empty()) return {};
  std::size_t count = 0, first_len = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      ++count;
      if (count == 2) first_len = i;
    }
  }
  if (count <= 1) return "*";
  std::string out(s.substr(0, first_len));
  out.append(count - 1, '*');
  return out;
}

/// Every digit run of 7 or more in free text masked (see the file comment).
inline std::string mask_text(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  while (i < s.size()) {
    if (!digit(s[i])) {
      out.push_back(s[i++]);
      continue;
    }
    std::size_t j = i;
    while (j < s.size() && digit(s[j])) ++j;
    if (j < s.size() && (s[j] == 'X' || s[j] == 'x') && j - i == 17) ++j;
    const std::string_view run = s.substr(i, j - i);
    if (run.size() < 7)
      out.append(run);
    else if (run.size() == 15 || run.size() == 18)
      out.append(mask_id_number(run));
    else
      out.append(mask_phone(run));
    i = j;
  }
  return out;
}

}  // namespace hotline
