// SLA policies to and from JSON (docs/sla.md describes the format).
//
// Reading is strict: an unknown key is an error (a misspelt "pauses" must not
// silently leave a clock without pauses), and every error names the source, the
// line for syntax errors, and the path to the bad field.
#include "hotline/sla_policy.hpp"

#include "text_file.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <initializer_list>

namespace hotline {
namespace {

using json = nlohmann::json;

/// A JSON value with the path that led to it, for error messages.
struct node {
  const json& v;
  std::string path;
  const std::string& source;

  [[noreturn]] void fail(const std::string& why) const {
    throw parse_error(source, 0, (path.empty() ? std::string("(top level)") : path) + ": " + why);
  }
  node operator[](const char* key) const {
    return {v.at(key), path.empty() ? std::string(key) : path + "." + key, source};
  }
  node at(std::size_t i) const { return {v.at(i), path + "[" + std::to_string(i) + "]", source}; }
  [[nodiscard]] bool has(const char* key) const { return v.contains(key); }

  void expect_object(std::initializer_list<const char*> allowed) const {
    if (!v.is_object()) fail("expected an object");
    for (auto it = v.begin(); it != v.end(); ++it) {
      bool ok = false;
      for (const char* a : allowed) ok = ok || it.key() == a;
      if (!ok) {
        std::string list;
        for (const char* a : allowed) list.append(list.empty() ? "" : ", ").append(a);
        fail(fmt::format("unknown key '{}' (expected: {})", it.key(), list));
      }
    }
  }
  [[nodiscard]] std::string str() const {
    if (!v.is_string()) fail("expected a string");
    return v.get<std::string>();
  }
  [[nodiscard]] std::int64_t integer(std::int64_t lo, std::int64_t hi) const {
    if (!v.is_number_integer()) fail("expected an integer");
    const auto x = v.get<std::int64_t>();
    if (x < lo || x > hi) fail(fmt::format("{} is outside {}..{}", x, lo, hi));
    return x;
  }
  [[nodiscard]] double number() const {
    if (!v.is_number()) fail("expected a number");
    return v.get<double>();
  }
  [[nodiscard]] bool boolean() const {
    if (!v.is_boolean()) fail("expected true or false");
    return v.get<bool>();
  }
  /// A string or a list of strings.
  [[nodiscard]] std::vector<std::string> strings() const {
    if (v.is_string()) return {v.get<std::string>()};
    if (!v.is_array() || v.empty()) fail("expected a string or a non-empty list of strings");
    std::vector<std::string> out;
    for (std::size_t i = 0; i < v.size(); ++i) out.push_back(at(i).str());
    return out;
  }
  /// Runs a parser on the value, turning its invalid_argument_error into a parse_error at this path.
  template <class F>
  auto parse(F f) const {
    try {
      return f(str());
    } catch (const invalid_argument_error& e) {
      fail(e.what());
    }
  }
};

seconds parse_hhmm(const node& n) {
  const std::string s = n.str();
  if (s.size() != 5 || s[2] != ':' || !std::isdigit(static_cast<unsigned char>(s[0])) ||
      !std::isdigit(static_cast<unsigned char>(s[1])) || !std::isdigit(static_cast<unsigned char>(s[3])) ||
      !std::isdigit(static_cast<unsigned char>(s[4])))
    n.fail("expected a time HH:MM");
  const int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
  if (h > 24 || m > 59 || (h == 24 && m != 0)) n.fail("expected a time 00:00-24:00");
  return seconds{h * 3600 + m * 60};
}

std::vector<time_interval> parse_intervals(const node& n) {
  if (!n.v.is_array()) n.fail("expected a list of [\"HH:MM\", \"HH:MM\"] pairs");
  std::vector<time_interval> out;
  for (std::size_t i = 0; i < n.v.size(); ++i) {
    const node p = n.at(i);
    if (!p.v.is_array() || p.v.size() != 2) p.fail("expected [\"HH:MM\", \"HH:MM\"]");
    out.push_back({parse_hhmm(p.at(0)), parse_hhmm(p.at(1))});
  }
  return out;
}

template <class E, std::size_t N>
std::uint8_t parse_set(const node& n, E (*parse)(std::string_view)) {
  unsigned bits = 0;
  const auto list = n.strings();
  for (std::size_t i = 0; i < list.size(); ++i) {
    try {
      bits |= 1U << static_cast<unsigned>(parse(list[i]));
    } catch (const invalid_argument_error& e) {
      (n.v.is_array() ? n.at(i) : n).fail(e.what());
    }
  }
  return static_cast<std::uint8_t>(bits);
}

clock_spec parse_clock(const node& n) {
  n.expect_object({"name", "start", "stop", "target", "count", "due", "pauses", "warning", "extensions", "cite"});
  clock_spec c;
  if (!n.has("name")) n.fail("a clock needs a name");
  c.name = n["name"].str();
  if (c.name.empty()) n["name"].fail("a clock needs a name");
  if (n.has("start")) c.start_event = n["start"].parse(parse_sla_event);
  if (n.has("stop")) c.stop_event = n["stop"].parse(parse_sla_event);
  if (!n.has("target")) n.fail("a clock needs a target, e.g. {\"working_days\": 2}");
  {
    const node t = n["target"];
    t.expect_object({"working_days", "working_hours", "calendar_days"});
    if (t.v.size() != 1) t.fail("give exactly one of working_days, working_hours, calendar_days");
    const std::string key = t.v.begin().key();
    c.target.unit = parse_clock_unit(key);
    c.target.amount = static_cast<std::int32_t>(t[key.c_str()].integer(1, 100000));
  }
  c.due = c.target.unit == clock_unit::working_hours ? due_rule::exact : due_rule::end_of_day;
  if (n.has("count")) c.counting = n["count"].parse(parse_count_from);
  if (n.has("due")) c.due = n["due"].parse(parse_due_rule);
  if (n.has("pauses")) {
    const node p = n["pauses"];
    if (!p.v.is_array()) p.fail("expected a list of pause reasons (may be empty)");
    for (std::size_t i = 0; i < p.v.size(); ++i) c.pause_on(p.at(i).parse(parse_pause_reason));
  }
  if (n.has("warning")) {
    const node w = n["warning"];
    w.expect_object({"share", "before"});
    if (w.v.size() != 1) w.fail("give exactly one of share, before");
    if (w.has("share")) {
      c.warning.share = w["share"].number();
      if (!(c.warning.share > 0 && c.warning.share < 1)) w["share"].fail("must be between 0 and 1 (exclusive)");
    } else {
      c.warning.before = w["before"].number();
      if (!(c.warning.before > 0) || !std::isfinite(c.warning.before)) w["before"].fail("must be a positive number of target units");
    }
  }
  if (n.has("extensions")) {
    const node e = n["extensions"];
    e.expect_object({"max_count", "max_total"});
    if (!e.has("max_count") || !e.has("max_total")) e.fail("give max_count and max_total");
    c.extensions.max_count = static_cast<std::int32_t>(e["max_count"].integer(0, 1000));
    c.extensions.max_total = static_cast<std::int32_t>(e["max_total"].integer(0, 100000));
  }
  if (n.has("cite")) c.cite = n["cite"].str();
  try {
    c.validate();
  } catch (const invalid_argument_error& e) {
    n.fail(e.what());
  }
  return c;
}

sla_rule parse_rule(const node& n) {
  n.expect_object({"name", "when", "clocks", "cite"});
  sla_rule r;
  if (!n.has("name")) n.fail("a rule needs a name");
  r.name = n["name"].str();
  if (n.has("cite")) r.cite = n["cite"].str();
  if (n.has("when")) {
    const node w = n["when"];
    w.expect_object({"request_type", "complexity", "urgency", "service_line", "channel"});
    if (w.has("request_type")) r.when.types = parse_set<request_type, 7>(w["request_type"], parse_request_type);
    if (w.has("complexity")) r.when.complexities = parse_set<complexity, 2>(w["complexity"], parse_complexity);
    if (w.has("urgency")) r.when.urgencies = parse_set<urgency, 2>(w["urgency"], parse_urgency);
    if (w.has("channel")) r.when.channels = parse_set<channel, 4>(w["channel"], parse_channel);
    if (w.has("service_line")) r.when.service_lines = w["service_line"].strings();
  }
  if (!n.has("clocks")) n.fail("a rule needs clocks");
  const node cs = n["clocks"];
  if (!cs.v.is_array() || cs.v.empty()) cs.fail("a rule needs at least one clock");
  for (std::size_t i = 0; i < cs.v.size(); ++i) r.clocks.push_back(parse_clock(cs.at(i)));
  return r;
}

report_schedule parse_report(const node& n) {
  n.expect_object({"name", "period", "due", "roll", "cite"});
  report_schedule s;
  if (!n.has("name") || !n.has("period")) n.fail("a report needs a name and a period");
  s.name = n["name"].str();
  s.period = n["period"].parse([](std::string_view x) {
    return detail::parse_enum<report_period>(x, detail::report_period_names, "report period");
  });
  if (n.has("due")) {
    const node d = n["due"];
    if (d.v.is_string()) {
      s.due = d.parse([](std::string_view x) {
        return detail::parse_enum<report_due_rule>(x, detail::report_due_rule_names, "report due rule");
      });
      if (s.due == report_due_rule::day_of_next_period) d.fail("write {\"day_of_next_period\": N}");
    } else {
      d.expect_object({"day_of_next_period", "inclusive"});
      if (!d.has("day_of_next_period")) d.fail("expected \"period_end\" or {\"day_of_next_period\": N}");
      s.due = report_due_rule::day_of_next_period;
      s.day = static_cast<unsigned>(d["day_of_next_period"].integer(1, 28));
      if (d.has("inclusive")) s.inclusive = d["inclusive"].boolean();
    }
  }
  if (n.has("roll")) s.roll = n["roll"].parse([](std::string_view x) {
    return detail::parse_enum<report_roll>(x, detail::report_roll_names, "roll");
  });
  if (n.has("cite")) s.cite = n["cite"].str();
  try {
    s.validate();
  } catch (const invalid_argument_error& e) {
    n.fail(e.what());
  }
  return s;
}

std::size_t line_of(std::string_view text, std::size_t byte) {
  std::size_t line = 1;
  for (std::size_t i = 0; i < byte && i < text.size(); ++i) line += text[i] == '\n';
  return line;
}

json intervals_json(const std::vector<time_interval>& v) {
  json a = json::array();
  auto hhmm = [](seconds s) { return fmt::format("{:02}:{:02}", s.count() / 3600, s.count() / 60 % 60); };
  for (const auto& iv : v) a.push_back({hhmm(iv.begin), hhmm(iv.end)});
  return a;
}

template <class E, std::size_t N>
json set_json(std::uint8_t bits) {
  json a = json::array();
  for (std::size_t i = 0; i < N; ++i)
    if ((bits >> i) & 1U) a.push_back(std::string(to_string(static_cast<E>(i))));
  return a;
}

}  // namespace

sla_policy sla_policy::from_json(std::string_view text, std::string source) {
  if (source.empty()) source = "<text>";
  json doc;
  try {
    doc = json::parse(text.begin(), text.end());
  } catch (const json::parse_error& e) {
    throw parse_error(source, line_of(text, e.byte == 0 ? 0 : e.byte - 1), std::string("not valid JSON: ") + e.what());
  } catch (const json::out_of_range&) {  // a number beyond a double (1e999): nlohmann's error 406
    throw parse_error(source, 0, "not valid JSON: a number is too large to represent");
  }
  const node root{doc, "", source};
  root.expect_object({"name", "description", "calendar", "staffed_hours", "rules", "reports"});
  if (!root.has("name")) root.fail("a policy needs a name");
  const std::string name = root["name"].str();
  calendar cal = calendar::china();
  if (root.has("calendar")) {
    const node c = root["calendar"];
    c.expect_object({"base", "weekends_beyond_data"});
    if (c.has("base") && c["base"].str() != "china") c["base"].fail("the only built-in calendar is \"china\"");
    if (c.has("weekends_beyond_data")) cal = calendar::china({c["weekends_beyond_data"].boolean()});
  }
  staffed_schedule sched = staffed_schedule::standard();
  if (root.has("staffed_hours")) {
    const node h = root["staffed_hours"];
    h.expect_object({"working_days", "days_off"});
    try {
      if (h.has("working_days")) sched.set_working_days(parse_intervals(h["working_days"]));
      if (h.has("days_off")) sched.set_days_off(parse_intervals(h["days_off"]));
    } catch (const invalid_argument_error& e) {
      h.fail(e.what());
    }
  }
  if (!root.has("rules")) root.fail("a policy needs rules");
  const node rs = root["rules"];
  if (!rs.v.is_array() || rs.v.empty()) rs.fail("expected a non-empty list of rules");
  std::vector<sla_rule> rules;
  for (std::size_t i = 0; i < rs.v.size(); ++i) rules.push_back(parse_rule(rs.at(i)));
  std::vector<report_schedule> reports;
  if (root.has("reports")) {
    const node ps = root["reports"];
    if (!ps.v.is_array()) ps.fail("expected a list of reports");
    for (std::size_t i = 0; i < ps.v.size(); ++i) reports.push_back(parse_report(ps.at(i)));
  }
  try {
    return sla_policy(name, std::move(rules), std::move(cal), std::move(sched), std::move(reports));
  } catch (const error& e) {
    if (e.code() == errc::parse_error) throw;
    throw parse_error(source, 0, e.what());
  }
}

sla_policy sla_policy::from_json_file(const std::string& path) {
  return from_json(detail::read_text_file(path), path);
}

std::string sla_policy::to_json() const {
  json doc;
  doc["name"] = d_->name;
  const auto& cal = d_->hours->workdays();
  if (cal.weekends_beyond_data()) doc["calendar"] = {{"base", "china"}, {"weekends_beyond_data", true}};
  doc["staffed_hours"] = {{"working_days", intervals_json(d_->hours->schedule().working_day(date::Monday))},
                          {"days_off", intervals_json(d_->hours->schedule().days_off())}};
  json rules = json::array();
  for (const auto& r : d_->rules) {
    json jr;
    jr["name"] = r.name;
    if (!r.cite.empty()) jr["cite"] = r.cite;
    json w = json::object();
    if (r.when.types != 0x7f) w["request_type"] = set_json<request_type, 7>(r.when.types);
    if (r.when.complexities != 0x3) w["complexity"] = set_json<complexity, 2>(r.when.complexities);
    if (r.when.urgencies != 0x3) w["urgency"] = set_json<urgency, 2>(r.when.urgencies);
    if (r.when.channels != 0xf) w["channel"] = set_json<channel, 4>(r.when.channels);
    if (!r.when.service_lines.empty()) w["service_line"] = r.when.service_lines;
    if (!w.empty()) jr["when"] = w;
    json clocks = json::array();
    for (const auto& c : r.clocks) {
      json jc;
      jc["name"] = c.name;
      jc["start"] = std::string(to_string(c.start_event));
      jc["stop"] = std::string(to_string(c.stop_event));
      jc["target"] = {{std::string(to_string(c.target.unit)), c.target.amount}};
      jc["count"] = std::string(to_string(c.counting));
      jc["due"] = std::string(to_string(c.due));
      json p = json::array();
      for (auto reason : {pause_reason::waiting_for_caller, pause_reason::suspended_with_approval})
        if (c.pauses_for(reason)) p.push_back(std::string(to_string(reason)));
      jc["pauses"] = p;
      if (c.warning.share > 0) jc["warning"] = {{"share", c.warning.share}};
      if (c.warning.before > 0) jc["warning"] = {{"before", c.warning.before}};
      if (c.extensions.max_count > 0 || c.extensions.max_total > 0)
        jc["extensions"] = {{"max_count", c.extensions.max_count}, {"max_total", c.extensions.max_total}};
      if (!c.cite.empty()) jc["cite"] = c.cite;
      clocks.push_back(jc);
    }
    jr["clocks"] = clocks;
    rules.push_back(jr);
  }
  doc["rules"] = rules;
  if (!d_->reports.empty()) {
    json reps = json::array();
    for (const auto& s : d_->reports) {
      json js;
      js["name"] = s.name;
      js["period"] = std::string(to_string(s.period));
      if (s.due == report_due_rule::period_end)
        js["due"] = "period_end";
      else
        js["due"] = {{"day_of_next_period", s.day}, {"inclusive", s.inclusive}};
      if (s.roll != report_roll::none) js["roll"] = std::string(to_string(s.roll));
      if (!s.cite.empty()) js["cite"] = s.cite;
      reps.push_back(js);
    }
    doc["reports"] = reps;
  }
  return doc.dump(2);
}

}  // namespace hotline
