// Helpers shared by the doctest suites: printing hotline values in failures,
// and the path of the reference data.
#pragma once

#include "hotline/error.hpp"
#include "hotline/time.hpp"

#include <doctest/doctest.h>

#include <string>

namespace doctest {
template <>
struct StringMaker<hotline::day> {
  static String convert(const hotline::day& d) { return hotline::format_day(d).c_str(); }
};
template <>
struct StringMaker<hotline::instant> {
  static String convert(const hotline::instant& t) { return hotline::format_instant(t).c_str(); }
};
}  // namespace doctest

namespace hotline::test {
/// A file under ../shared/data (beside the repository; may be absent: check and skip).
inline std::string shared_data(const std::string& rel) { return std::string(HOTLINE_SHARED_DATA) + "/" + rel; }

/// The message of the hotline::error that f() throws, or "no error".
inline std::string error_of(auto&& f) {
  try {
    f();
  } catch (const hotline::error& e) {
    return e.what();
  }
  return "no error";
}
}  // namespace hotline::test
