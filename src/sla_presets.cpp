// The SLA presets built into the library, and explanations of deadlines.
//
// Presets are kept as JSON text so that they read like the policy files users
// write (docs/sla.md) and go through the same checks; they are compiled in, never
// read from the repository at run time.
#include "hotline/sla_policy.hpp"

#include <fmt/format.h>

#include <map>
#include <mutex>

namespace hotline {
namespace {

// 000 art. 12: 咨询类工单，自收到次日起原则上2个工作日内办理并回复诉求人；投诉、举报、
// 求助、表扬类工单，自收到次日起原则上10个工作日内办理并回复诉求人。
// 原则上 ("in principle"): the preset lets the handler pause while waiting for the caller
// or when suspended with approval, and allows one approved extension of at most the
// target's own length.  000 art. 14: quarterly summary to the district authorities.
constexpr std::string_view k_guangzhou = R"json({
  "name": "guangzhou-family-doctor",
  "description": "Guangzhou 12320 family-doctor service line (000 art. 12, 14)",
  "rules": [
    {"name": "consultation", "cite": "000 art. 12",
     "when": {"request_type": "consultation"},
     "clocks": [{"name": "reply", "start": "received", "stop": "replied",
                 "target": {"working_days": 2}, "count": "day_after_start", "due": "end_of_day",
                 "pauses": ["waiting_for_caller", "suspended_with_approval"],
                 "warning": {"before": 1},
                 "extensions": {"max_count": 1, "max_total": 2}, "cite": "000 art. 12"}]},
    {"name": "complaint-report-help-praise", "cite": "000 art. 12",
     "when": {"request_type": ["complaint", "report", "help_request", "praise"]},
     "clocks": [{"name": "reply", "start": "received", "stop": "replied",
                 "target": {"working_days": 10}, "count": "day_after_start", "due": "end_of_day",
                 "pauses": ["waiting_for_caller", "suspended_with_approval"],
                 "warning": {"before": 2},
                 "extensions": {"max_count": 1, "max_total": 10}, "cite": "000 art. 12"}]}
  ],
  "reports": [
    {"name": "quarterly_summary", "period": "quarter", "due": "period_end", "cite": "000 art. 14"}
  ]
})json";

// 001 §3.4: 属于一般简单诉求的，应在7个工作日内处理；问题比较复杂、处理有一定困难的，应在30个
// 工作日进行处理落实 -- counted from the unit's receipt of the transfer form (转办单), the
// day of receipt not counted.  Annex 10 item 3: what cannot be answered on the spot is
// transferred within 1 working day; the line's working day is 8 staffed hours (§3.1), so
// the preset gives 8 staffed hours from the next opening.  §3.2: receipt statistics on
// the 15th and the last day of each month; monthly statistics 于下月7日前.
constexpr std::string_view k_tianjin = R"json({
  "name": "tianjin-12320",
  "description": "Tianjin 12320 health hotline (001 §3.2, §3.4, annex 10)",
  "rules": [
    {"name": "simple", "cite": "001 §3.4",
     "when": {"complexity": "simple"},
     "clocks": [{"name": "handle", "start": "transferred", "stop": "replied",
                 "target": {"working_days": 7}, "count": "day_after_start", "due": "end_of_day",
                 "pauses": ["waiting_for_caller", "suspended_with_approval"], "cite": "001 §3.4"},
                {"name": "transfer", "start": "received", "stop": "transferred",
                 "target": {"working_hours": 8}, "count": "next_opening", "due": "exact",
                 "cite": "001 annex 10 item 3"}]},
    {"name": "complex", "cite": "001 §3.4",
     "when": {"complexity": "complex"},
     "clocks": [{"name": "handle", "start": "transferred", "stop": "replied",
                 "target": {"working_days": 30}, "count": "day_after_start", "due": "end_of_day",
                 "pauses": ["waiting_for_caller", "suspended_with_approval"], "cite": "001 §3.4"},
                {"name": "transfer", "start": "received", "stop": "transferred",
                 "target": {"working_hours": 8}, "count": "next_opening", "due": "exact",
                 "cite": "001 annex 10 item 3"}]}
  ],
  "reports": [
    {"name": "receipt_statistics", "period": "half_month", "due": "period_end", "cite": "001 §3.2, annex 7"},
    {"name": "monthly_statistics", "period": "month", "due": {"day_of_next_period": 7, "inclusive": true},
     "cite": "001 §3.2, annex 8"}
  ]
})json";

struct preset_entry {
  std::string_view name;
  std::string_view text;
  unsigned monthly_day;  // override of the monthly statistics day (0: as written)
};
constexpr preset_entry k_presets[] = {
    {"guangzhou-family-doctor", k_guangzhou, 0},
    {"tianjin-12320", k_tianjin, 0},
    {"tianjin-12320-annex8", k_tianjin, 5},  // annex 8's header: 每月5号前报上月数据
};

}  // namespace

std::vector<std::string> sla_policy::preset_names() {
  std::vector<std::string> out;
  for (const auto& p : k_presets) out.emplace_back(p.name);
  return out;
}

sla_policy sla_policy::preset(std::string_view name) {
  static std::mutex mu;
  static std::map<std::string, sla_policy, std::less<>> built;  // parsed once; policies are immutable
  std::lock_guard<std::mutex> lock(mu);
  if (auto it = built.find(name); it != built.end()) return it->second;
  for (const auto& p : k_presets) {
    if (p.name != name) continue;
    sla_policy pol = from_json(p.text, "preset:" + std::string(p.name));
    if (p.monthly_day != 0) {
      auto reports = pol.reports();
      for (auto& r : reports)
        if (r.name == "monthly_statistics") {
          r.day = p.monthly_day;
          r.cite = "001 annex 8 (header)";
        }
      pol = sla_policy(std::string(p.name), pol.rules(), pol.workdays(), pol.hours().schedule(), std::move(reports));
    }
    return built.emplace(std::string(name), pol).first->second;
  }
  std::string names;
  for (const auto& p : k_presets) names.append(names.empty() ? "" : ", ").append(p.name);
  throw not_found_error(fmt::format("no SLA preset '{}' (presets: {})", name, names));
}

// ---- explanations -------------------------------------------------------------

std::vector<special_day> stepped_over(const clock_status& s, const staffed_hours& hours) {
  const auto& cal = hours.workdays();
  const day from = local_day(s.start);
  day to = local_day(s.due);
  if (to > from && s.due == from_local(to, seconds{0})) to -= date::days{1};  // a midnight due ends the day before
  if (to < from) return {};
  return cal.special_days(std::max(from, cal.first_day()), std::min(to, cal.last_day()));
}

namespace {
std::string amount(std::int64_t measure, clock_unit u) {
  const double v = static_cast<double>(measure) / static_cast<double>(unit_seconds(u));
  const char* name = u == clock_unit::working_days ? "working day" : u == clock_unit::working_hours ? "working hour" : "calendar day";
  return fmt::format("{:g} {}{}", v, name, v == 1.0 ? "" : "s");
}

std::string counting_text(count_from c, instant start, instant counting_start) {
  switch (c) {
    case count_from::day_after_start:
      return fmt::format("counted from the day after the start (自收到次日起), i.e. from {}", format_instant(counting_start));
    case count_from::start_day: return fmt::format("counted from the start's day, {}", format_day(local_day(start)));
    case count_from::start_instant: return fmt::format("counted from the start instant {}", format_instant(start));
    case count_from::next_opening:
      return fmt::format("counted from the next opening of staffed hours, {}", format_instant(counting_start));
  }
  return {};
}

std::string due_text(due_rule r) {
  switch (r) {
    case due_rule::end_of_day: return "at the end of the last day (24:00, i.e. the next midnight, exclusive)";
    case due_rule::close_of_staffed_hours: return "at the close of staffed hours on the last day";
    case due_rule::exact: return "the moment the target is used up";
  }
  return {};
}

std::string special_text(const std::vector<special_day>& days) {
  if (days.empty()) return "no holiday or adjusted working day in between";
  std::string out = "stepped over";
  std::string last_name;
  day run_first{}, run_last{};
  day_kind run_kind{};
  calendar_layer run_layer{};
  auto flush = [&] {
    if (last_name.empty()) return;
    out += fmt::format(" {}{} {} ({}{})", format_day(run_first),
                       run_first == run_last ? std::string() : ".." + format_day(run_last).substr(5), last_name,
                       run_kind == day_kind::holiday ? "off" : "worked",
                       run_layer == calendar_layer::statutory ? ", provisional statutory day" : "");
    out += ";";
  };
  for (const auto& d : days) {
    const std::string nm = d.name_zh + (d.name_en.empty() ? "" : " " + d.name_en);
    if (nm == last_name && d.kind == run_kind && d.layer == run_layer && d.date == run_last + date::days{1}) {
      run_last = d.date;
      continue;
    }
    flush();
    last_name = nm;
    run_first = run_last = d.date;
    run_kind = d.kind;
    run_layer = d.layer;
  }
  flush();
  out.pop_back();
  return out;
}
}  // namespace

std::string explain(const clock_spec& spec, const clock_status& s, const staffed_hours& hours) {
  std::string out = fmt::format("clock '{}'{}: {} {} {}, {}; ", spec.name,
                                spec.cite.empty() ? "" : " (" + spec.cite + ")", spec.target.amount,
                                to_string(spec.target.unit), counting_text(spec.counting, s.start, s.counting_start),
                                due_text(spec.due));
  if (s.extensions) out += fmt::format("extended by {} in {} extension(s); ", amount(std::int64_t{s.extensions} * unit_seconds(s.unit), s.unit), s.extension_count);
  if (s.paused) out += fmt::format("paused for {} of counted time; ", amount(s.paused, s.unit));
  if (s.ignored_pauses) out += fmt::format("{} pause(s) ignored (this clock does not pause for their reason); ", s.ignored_pauses);
  out += special_text(stepped_over(s, hours));
  if (const auto a = hours.workdays().assumptions(local_day(s.start), local_day(s.due - seconds{1})); !a.empty())
    out += "; calendar: " + a;
  out += fmt::format("; due {}; {}", format_instant(s.due), to_string(s.state));
  switch (s.state) {
    case clock_state::met: out += fmt::format(" (stopped {}, {} to spare)", format_instant(*s.stopped), amount(s.remaining, s.unit)); break;
    case clock_state::breached:
      out += fmt::format(" (late by {}, {} of wall time)", amount(s.overdue, s.unit),
                         fmt::format("{}h{:02}m", s.late_by.count() / 3600, s.late_by.count() / 60 % 60));
      break;
    default: out += fmt::format(" ({} used, {} left)", amount(s.elapsed, s.unit), amount(s.remaining, s.unit)); break;
  }
  if (s.warning) out += fmt::format("; warning at {}", format_instant(*s.warning));
  return out;
}

std::string deadline::explain() const {
  return fmt::format("rule '{}', clock '{}'{}: {} {} {}, due {}; the last day counted is {}; {}; {}; due {}.",
                     rule, clock, cite.empty() ? "" : " (" + cite + ")", target.amount, to_string(target.unit),
                     counting_text(counting, start, counting_start), due_text(rule_of_due), format_day(last_day),
                     special_text(stepped_over),
                     calendar_assumptions.empty() ? "calendar: every year counted rests on the State Council's notices"
                                                  : "calendar: " + calendar_assumptions,
                     format_instant(due));
}

}  // namespace hotline
