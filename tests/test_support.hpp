// Helpers shared by the doctest suites: printing hotline values in failures,
// and the path of the reference data.
#pragma once

#include "hotline/error.hpp"
#include "hotline/time.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <exception>
#include <filesystem>
#include <random>
#include <string>
#include <system_error>

#include <unistd.h>

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

/// The message of an exception of type E thrown by f(); "no error", or "other: ..." for
/// an exception of another type.
template <class E, class F>
std::string thrown(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  } catch (const std::exception& e) {
    return std::string("other: ") + e.what();
  }
  return "no error";
}

/// A directory of its own under the system's temp directory (the process id, a counter
/// and a random number in its name: suites run in parallel), removed at the end.
struct temp_dir {
  std::filesystem::path path;
  explicit temp_dir(const std::string& prefix = "hotline-test") {
    static std::atomic<int> n{0};
    std::random_device rd;
    path = std::filesystem::temp_directory_path() /
           (prefix + "-" + std::to_string(::getpid()) + "-" + std::to_string(n++) + "-" + std::to_string(rd()));
    std::filesystem::create_directories(path);
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  [[nodiscard]] std::filesystem::path file(const std::string& name = "signing.db") const { return path / name; }
};
}  // namespace hotline::test
