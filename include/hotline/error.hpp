// hotline/error.hpp: the one exception family of the library.
//
// Every failure the caller can act on is a `hotline::error` with a `code()`;
// subclasses say what kind.  Messages say what was wrong and where (file, line,
// field) and never contain unmasked personal data.
//
//   try { cal.add_workdays(d, 3); }
//   catch (const hotline::out_of_range_error& e) { std::puts(e.what()); }
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace hotline {

enum class errc : int {
  invalid_argument = 1,  ///< a value the function cannot take
  out_of_range = 2,      ///< a date or number outside what the data covers
  parse_error = 3,       ///< a malformed file or text
  conflict = 4,          ///< contradicting data, or a concurrent update
  not_found = 5,         ///< an unknown name, id or unit
  illegal_transition = 6,
  permission_denied = 7,
  io_error = 8,
  storage_error = 9,
};

class error : public std::runtime_error {
 public:
  error(errc code, const std::string& what) : std::runtime_error(what), code_(code) {}
  [[nodiscard]] errc code() const noexcept { return code_; }

 private:
  errc code_;
};

/// A value outside what the function can take (an invalid date, a bad count).
class invalid_argument_error : public error {
 public:
  explicit invalid_argument_error(const std::string& what) : error(errc::invalid_argument, what) {}
};

/// A date outside the years the calendar data covers, and the like.
class out_of_range_error : public error {
 public:
  explicit out_of_range_error(const std::string& what) : error(errc::out_of_range, what) {}
};

/// Malformed input; `source()` and `line()` say where (line 0: not line-based).
class parse_error : public error {
 public:
  parse_error(std::string source, std::size_t line, const std::string& reason)
      : error(errc::parse_error, format(source, line, reason)), source_(std::move(source)), line_(line) {}
  [[nodiscard]] const std::string& source() const noexcept { return source_; }
  [[nodiscard]] std::size_t line() const noexcept { return line_; }

 private:
  static std::string format(const std::string& source, std::size_t line, const std::string& reason) {
    std::string s;
    s.reserve(source.size() + reason.size() + 16);
    s.append(source.empty() ? std::string_view("<text>") : std::string_view(source));
    if (line != 0) s.append(":").append(std::to_string(line));
    s.append(": ").append(reason);
    return s;
  }
  std::string source_;
  std::size_t line_;
};

/// Data that contradicts itself, or an update that lost a race.
class conflict_error : public error {
 public:
  explicit conflict_error(const std::string& what) : error(errc::conflict, what) {}
};

class not_found_error : public error {
 public:
  explicit not_found_error(const std::string& what) : error(errc::not_found, what) {}
};

/// A state change that the current state does not allow: a work-order action
/// its state forbids (names the action and the state), a pause of a paused
/// clock, an extension on a stopped one.
class illegal_transition_error : public error {
 public:
  explicit illegal_transition_error(const std::string& what) : error(errc::illegal_transition, what) {}
};

/// A role that may not take an action; names the role and the action.
class permission_denied_error : public error {
 public:
  explicit permission_denied_error(const std::string& what) : error(errc::permission_denied, what) {}
};

/// The database failed (I/O, corruption, a lock held past the busy timeout).
class storage_error : public error {
 public:
  explicit storage_error(const std::string& what) : error(errc::storage_error, what) {}
};

}  // namespace hotline
