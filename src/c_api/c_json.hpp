// The C ABI's payload plumbing: text arguments checked for UTF-8, JSON arguments
// read with errors that name the argument and the field, instants and periods,
// and the report handle (tables plus their JSON) shared by c_report.cpp and
// c_assessment.cpp.  Private to hotline_c.
#pragma once

#include "c_common.hpp"
#include "../results_json.hpp"
#include "hotline/detail/utf8.hpp"
#include "hotline/error.hpp"
#include "hotline/report.hpp"
#include "hotline/report_table.hpp"
#include "hotline/time.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hotline::c_api {

/// Objects keep their keys in the order written: output reads in the order the headers list.
using json = nlohmann::ordered_json;

/// A parse error (HOTLINE_E_PARSE) whose message is exactly `what`.
[[noreturn]] inline void parse_fail(const std::string& what) { throw error(errc::parse_error, what); }

/// A JSON argument: UTF-8 checked, then parsed; malformed JSON is HOTLINE_E_PARSE
/// naming the argument, the line, the column and what was expected there.
inline json json_arg(const char* text, const char* arg) {
  const auto s = text_arg(text, arg);
  try {
    return json::parse(s);
  } catch (const json::parse_error& e) {
    std::string what = e.what();  // "[json.exception.parse_error.101] parse error at line 1, column 7: ..."
    if (const auto p = what.find("] "); p != std::string::npos) what.erase(0, p + 2);
    parse_fail(std::string(arg) + ": malformed JSON: " + what);
  } catch (const json::exception&) {  // a number beyond a double (1e999)
    parse_fail(std::string(arg) + ": malformed JSON: a number is too large to represent");
  }
}

/// A JSON value and the path that led to it ("order_json.events[2].at"), for messages.
struct jnode {
  const json& v;
  std::string path;

  [[noreturn]] void fail(const std::string& why) const { parse_fail(path + ": " + why); }
  /// A value that is well-formed but not acceptable (an unknown name): HOTLINE_E_INVALID_ARGUMENT.
  [[noreturn]] void refuse(const std::string& why) const { throw invalid_argument_error(path + ": " + why); }

  void expect_object(std::initializer_list<const char*> allowed) const {
    if (!v.is_object()) fail("expected a JSON object");
    for (auto it = v.begin(); it != v.end(); ++it) {
      bool ok = false;
      for (const char* a : allowed) ok = ok || it.key() == a;
      if (ok) continue;
      std::string list;
      for (const char* a : allowed) list.append(list.empty() ? "" : ", ").append(a);
      fail("unknown key '" + it.key() + "' (expected: " + list + ")");
    }
  }
  [[nodiscard]] bool has(const char* key) const { return v.is_object() && v.contains(key) && !v.at(key).is_null(); }
  [[nodiscard]] jnode operator[](const char* key) const { return {v.at(key), path + "." + key}; }
  [[nodiscard]] jnode at(std::size_t i) const { return {v.at(i), path + "[" + std::to_string(i) + "]"}; }
  [[nodiscard]] jnode need(const char* key) const {
    if (!has(key)) fail(std::string("missing '") + key + "'");
    return (*this)[key];
  }

  [[nodiscard]] std::string str() const {
    if (!v.is_string()) fail("expected a string");
    return v.get<std::string>();
  }
  [[nodiscard]] bool boolean() const {
    if (!v.is_boolean()) fail("expected true or false");
    return v.get<bool>();
  }
  [[nodiscard]] double number() const {
    if (!v.is_number()) fail("expected a number");
    return v.get<double>();
  }
  [[nodiscard]] std::int64_t integer(std::int64_t lo, std::int64_t hi) const {
    if (!v.is_number_integer()) fail("expected an integer");
    const auto x = v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)
                       ? INT64_MAX
                       : v.get<std::int64_t>();
    if (x < lo || x > hi) fail(std::to_string(x) + " is outside " + std::to_string(lo) + ".." + std::to_string(hi));
    return x;
  }
  [[nodiscard]] std::vector<std::string> strings() const {
    if (!v.is_array()) fail("expected an array of strings");
    std::vector<std::string> out;
    for (std::size_t i = 0; i < v.size(); ++i) out.push_back(at(i).str());
    return out;
  }
  /// A name read by a C++ parser (parse_request_type, ...): its invalid_argument_error
  /// comes back naming this path.
  template <class F>
  auto name(F parse) const {
    const std::string s = str();
    try {
      return parse(s);
    } catch (const invalid_argument_error& e) {
      refuse(e.what());
    }
  }
  [[nodiscard]] instant when() const;
  [[nodiscard]] day date() const;
};

/// An ISO-8601 instant with its offset ("2025-09-30T15:00:00+08:00", "...Z");
/// anything else is HOTLINE_E_PARSE naming `what`.
inline instant instant_text(std::string_view text, const std::string& what) {
  try {
    return parse_instant(text);
  } catch (const error&) {
    parse_fail(what + ": '" + std::string(text) +
               "' is not an ISO-8601 instant with an offset (e.g. 2025-09-30T15:00:00+08:00)");
  }
}
inline instant instant_arg(const char* text, const char* arg) { return instant_text(text_arg(text, arg), arg); }
inline instant jnode::when() const { return instant_text(str(), path); }
/// A day: "YYYY-MM-DD" or an integer of days since 1970-01-01.
inline day jnode::date() const {
  if (v.is_number_integer()) return from_day_number(integer(-1000000, 1000000));
  const std::string s = str();
  try {
    return parse_day(s);
  } catch (const error&) {
    fail("'" + s + "' is not a date YYYY-MM-DD");
  }
}

/// A reporting period: "YYYY-MM" (a month), "YYYY-Qn" or "YYYYQn" (a quarter),
/// "YYYY-MM-H1" / "YYYY-MM-H2" (half a month); HOTLINE_E_PARSE otherwise.
inline reporting_period period_arg(const char* text, const char* arg) {
  const std::string s(text_arg(text, arg));
  const auto digits = [&](std::size_t from, std::size_t n) {
    if (from + n > s.size()) return false;
    for (std::size_t i = from; i < from + n; ++i)
      if (s[i] < '0' || s[i] > '9') return false;
    return true;
  };
  const auto bad = [&]() -> reporting_period {
    parse_fail(std::string(arg) + ": '" + s + "' is not a period (YYYY-MM, YYYY-Qn or YYYY-MM-H1/H2)");
  };
  if (!digits(0, 4)) return bad();
  const int y = std::stoi(s.substr(0, 4));
  if ((s.size() == 7 && s[4] == '-' && (s[5] == 'Q' || s[5] == 'q')) || (s.size() == 6 && (s[4] == 'Q' || s[4] == 'q'))) {
    const char q = s.back();
    if (q < '1' || q > '4') return bad();
    return reporting_period::quarter(y, static_cast<unsigned>(q - '0'));
  }
  if (s.size() < 7 || s[4] != '-' || !digits(5, 2)) return bad();
  const auto m = static_cast<unsigned>(std::stoi(s.substr(5, 2)));
  if (m < 1 || m > 12) return bad();
  if (s.size() == 7) return reporting_period::month(y, m);
  if (s.size() == 10 && s[7] == '-' && (s[8] == 'H' || s[8] == 'h') && (s[9] == '1' || s[9] == '2'))
    return reporting_period::half_month(y, m, static_cast<unsigned>(s[9] - '0'));
  return bad();
}

/// A report's scope from `{"district": "...", "unit": "..."}` (NULL: the whole city).
inline report_scope scope_arg(const char* text, const char* arg) {
  report_scope sc;
  if (!text) return sc;
  const json j = json_arg(text, arg);
  const jnode n{j, arg};
  n.expect_object({"district", "unit"});
  if (n.has("district")) sc.district = n["district"].str();
  if (n.has("unit")) sc.unit = n["unit"].str();
  return sc;
}

/// Text to JSON for output: never throws on odd bytes (they were checked on the way in).
inline std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

inline json optional_instant(const std::optional<instant>& t) {
  return t ? json(format_instant(*t)) : json(nullptr);
}

inline json period_json(const reporting_period& p) {
  return json{{"label", p.label}, {"from", format_instant(p.from)}, {"to", format_instant(p.to)}};
}

inline json rate_json(const rate& r) {
  json j{{"numerator", r.numerator}, {"denominator", r.denominator}};
  if (const auto v = r.value())
    j["value"] = *v;
  else
    j["value"] = nullptr;
  return j;
}


}  // namespace hotline::c_api

/// hotline/c/report.h's handle: a computed report's tables and its figures as JSON.
struct hotline_report {
  std::vector<hotline::report_table> tables;
  hotline::c_api::json doc;  ///< {"report": ..., "period": ..., ...}; "tables" is added on output
};
