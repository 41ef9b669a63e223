// hotline/detail/utf8.hpp: UTF-8 validation shared by every text input.
//
// Every string that enters the library (file fields, names, questions) is
// checked once here so that broken input is refused with its byte offset
// instead of travelling on into the store or an index.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace hotline::detail {

/// Offset of the first byte that does not start a well-formed UTF-8 sequence
/// (RFC 3629: no overlongs, no surrogates, nothing past U+10FFFF), or npos.
constexpr std::size_t invalid_utf8_offset(std::string_view s) noexcept {
  const std::size_t n = s.size();
  auto p = [&](std::size_t k) { return static_cast<unsigned>(static_cast<unsigned char>(s[k])); };
  std::size_t i = 0;
  while (i < n) {
    const unsigned c = p(i);
    if (c < 0x80) { ++i; continue; }
    std::size_t len;
    unsigned lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) len = 2;
    else if (c == 0xE0) { len = 3; lo = 0xA0; }
    else if (c >= 0xE1 && c <= 0xEC) len = 3;
    else if (c == 0xED) { len = 3; hi = 0x9F; }
    else if (c >= 0xEE && c <= 0xEF) len = 3;
    else if (c == 0xF0) { len = 4; lo = 0x90; }
    else if (c >= 0xF1 && c <= 0xF3) len = 4;
    else if (c == 0xF4) { len = 4; hi = 0x8F; }
    else return i;
    if (i + len > n) return i;
    if (p(i + 1) < lo || p(i + 1) > hi) return i;
    for (std::size_t k = 2; k < len; ++k)
      if ((p(i + k) & 0xC0) != 0x80) return i;
    i += len;
  }
  return std::string_view::npos;
}

constexpr bool is_valid_utf8(std::string_view s) noexcept {
  return invalid_utf8_offset(s) == std::string_view::npos;
}

}  // namespace hotline::detail
