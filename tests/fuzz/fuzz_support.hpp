// What every fuzz target shares: the input as text, the one kind of exception a
// parser may throw, a check that aborts (libFuzzer then keeps the input), and a
// scratch file for the entry points that read files.
//
//   extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
//     hotline::fuzz::only_library_errors([&] { hotline::call_log::from_csv(hotline::fuzz::text(data, size)); });
//     return 0;
//   }
#pragma once

#include "hotline/error.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <system_error>
#include <unistd.h>

namespace hotline::fuzz {

inline std::string_view text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// Runs f; a hotline::error (the documented failure of bad input) is the expected
/// outcome of most inputs.  Anything else propagates out of the fuzz target, which
/// libFuzzer reports as a crash: std::out_of_range, nlohmann's exceptions and the
/// like are findings.  Returns whether f finished without throwing.
template <class F>
bool only_library_errors(F&& f) {
  try {
    f();
    return true;
  } catch (const hotline::error&) {
    return false;
  }
}

/// Runs f, which must not fail at all: the second half of a round trip (what the
/// library wrote, read back) or a call the library promises never throws.  Even a
/// hotline::error is a finding here; returns what f returns.
template <class F>
auto must(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const hotline::error& e) {
    std::fprintf(stderr, "fuzz: a call that must succeed threw: %s\n", e.what());
    std::abort();
  }
}

/// A property the parser must keep (a round trip, a count); on failure the input
/// is a finding, kept by libFuzzer as crash-*.
#define HOTLINE_FUZZ_CHECK(cond)                                                          \
  do {                                                                                    \
    if (!(cond)) {                                                                        \
      std::fprintf(stderr, "%s:%d: fuzz check failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                       \
    }                                                                                     \
  } while (0)

/// A file in the temporary directory, private to this process, rewritten per input,
/// for the entry points that take a path.
class scratch_file {
 public:
  explicit scratch_file(std::string_view suffix)
      : path_(std::filesystem::temp_directory_path() /
              ("hotline-fuzz-" + std::to_string(::getpid()) + std::string(suffix))) {}
  ~scratch_file() {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
  scratch_file(const scratch_file&) = delete;
  scratch_file& operator=(const scratch_file&) = delete;

  const std::filesystem::path& write(std::string_view bytes) {
    std::ofstream(path_, std::ios::binary | std::ios::trunc).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return path_;
  }
  [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace hotline::fuzz
