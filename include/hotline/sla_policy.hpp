// hotline/sla_policy.hpp: SLA policies -- which clocks a work order gets, as data.
//
// A policy is a list of rules.  A rule matches work orders by what they are
// (request type, complexity, urgency, service line, channel) and names the
// clocks they get (sla_clock.hpp).  Policies load from JSON (docs/sla.md), are
// built in code, or come from the presets built into the library:
//
//   auto p = hotline::sla_policy::preset("guangzhou-family-doctor");     // 000 art. 12
//   hotline::deadline d = p.due({.type = hotline::request_type::consultation},
//                               hotline::parse_instant("2025-09-30T15:00:00+08:00"));
//   d.due;            // 2025-10-11T00:00:00+08:00: the end of Fri 10-10 (National Day stepped over)
//   d.explain();      // which rule, which holidays
//
// Matching, spelled out once:
//  * Each criterion of a rule is a set of values; a criterion it leaves out matches
//    everything.  An order matches a rule when each of its attributes is in the set.
//    An order that does not say its service line or channel matches only rules that
//    leave that criterion out.
//  * Of the rules an order matches, the most specific wins: the one whose sets lie
//    within all the others'.  A policy is refused when loaded if two rules could
//    match one order and neither lies within the other, unless a third rule covers
//    exactly their overlap; two rules with the same criteria are refused too.  So
//    every order has at most one rule.
//  * Complexity defaults to `simple` (001 §3.4: 一般简单诉求 is the general case; a
//    complex request must be declared); urgency to `normal`.
//  * An order no rule matches is a not_found_error naming the order (`match` returns
//    nullptr instead).  An unknown request type is an invalid_argument_error.
//
// Presets (each tested against its article):
//  * guangzhou-family-doctor (000 art. 12, 14): consultation 2 working days;
//    complaint, report, help request, praise 10 working days; each from the day
//    after receipt, due at the end of the last working day; quarterly summary.
//  * tianjin-12320 (001 §3.2, §3.4, annex 10): a transfer of what cannot be answered
//    on the spot within 1 working day, read as 8 staffed hours (the line's working
//    day, 08:30-16:30) from the next opening; then simple requests 7 and complex 30
//    working days from the day after the transfer; receipt statistics on the 15th
//    and last day of each month; monthly statistics by the 7th of the next month.
//  * tianjin-12320-annex8: the same, with the monthly statistics by the 5th (annex 8's header).
#pragma once

#include "hotline/calendar.hpp"
#include "hotline/error.hpp"
#include "hotline/report_schedule.hpp"
#include "hotline/sla_clock.hpp"
#include "hotline/staffed_hours.hpp"
#include "hotline/time.hpp"
#include "hotline/work_order.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hotline {

// request_type, urgency and channel are the work order's own vocabulary
// (work_order.hpp), with its to_string and parse_enum.

/// 001 §3.4: a simple request (一般简单诉求, 7 working days) or a complex one (30).
enum class complexity : std::uint8_t { simple = 0, complex = 1 };
inline constexpr std::size_t request_type_count = 7;
inline constexpr std::size_t channel_count = 4;

namespace detail {
inline constexpr std::array<std::string_view, 7> request_type_names_zh{"咨询", "投诉", "举报", "求助",
                                                                       "表扬", "建议", "其他"};
inline constexpr std::array<std::string_view, 2> complexity_names{"simple", "complex"};
}  // namespace detail
constexpr std::string_view to_string(complexity v) noexcept { return detail::complexity_names[std::size_t(v)]; }
/// The English names of work_order.hpp (consultation, complaint, report, help_request,
/// praise, suggestion, other) or the Chinese ones (咨询, 投诉, 举报, 求助, 表扬, 建议, 其他).
inline request_type parse_request_type(std::string_view s) {
  for (std::size_t i = 0; i < request_type_count; ++i)
    if (detail::request_type_names_zh[i] == s) return static_cast<request_type>(i);
  return parse_enum<request_type>(s);
}
inline complexity parse_complexity(std::string_view s) {
  return detail::parse_enum<complexity>(s, detail::complexity_names, "complexity");
}
inline urgency parse_urgency(std::string_view s) { return parse_enum<urgency>(s); }
inline channel parse_channel(std::string_view s) { return parse_enum<channel>(s); }

/// What a work order is, as far as deadlines care.
struct order_attributes {
  request_type type = request_type::consultation;
  hotline::complexity complexity = hotline::complexity::simple;
  hotline::urgency urgency = hotline::urgency::normal;
  std::optional<hotline::channel> channel;  ///< how the call came in; nullopt: not said
  std::string service_line;  ///< e.g. "family_doctor" (work_order::line); empty: not said
  friend bool operator==(const order_attributes&, const order_attributes&) = default;

  /// The attributes of a stored work order.
  static order_attributes of(const work_order& w) {
    return {w.request_type, w.complex ? hotline::complexity::complex : hotline::complexity::simple, w.urgency,
            w.channel, w.line};
  }
};

/// A rule's criteria: each a set, empty/all = any (see the file comment).
struct rule_match {
  std::uint8_t types = 0x7f;        ///< bit (1 << request_type); 0x7f = any
  std::uint8_t complexities = 0x3;  ///< bit (1 << complexity)
  std::uint8_t urgencies = 0x3;     ///< bit (1 << urgency)
  std::uint8_t channels = 0xf;      ///< bit (1 << channel); 0xf = any
  std::vector<std::string> service_lines;  ///< empty: any
  friend bool operator==(const rule_match&, const rule_match&) = default;

  rule_match& only(request_type t) {
    types = static_cast<std::uint8_t>(1U << static_cast<unsigned>(t));
    return *this;
  }
  rule_match& also(request_type t) {
    types = static_cast<std::uint8_t>((types == 0x7f ? 0U : types) | (1U << static_cast<unsigned>(t)));
    return *this;
  }
  rule_match& only(hotline::complexity c) {
    complexities = static_cast<std::uint8_t>(1U << static_cast<unsigned>(c));
    return *this;
  }
  rule_match& only(hotline::urgency u) {
    urgencies = static_cast<std::uint8_t>(1U << static_cast<unsigned>(u));
    return *this;
  }
  [[nodiscard]] bool matches(const order_attributes& o) const noexcept {
    auto in = [](const std::vector<std::string>& set, const std::string& v) {
      if (set.empty()) return true;
      for (const auto& s : set)
        if (s == v) return true;
      return false;
    };
    return ((types >> static_cast<unsigned>(o.type)) & 1U) && ((complexities >> static_cast<unsigned>(o.complexity)) & 1U) &&
           ((urgencies >> static_cast<unsigned>(o.urgency)) & 1U) &&
           (channels == 0xf || (o.channel && ((channels >> static_cast<unsigned>(*o.channel)) & 1U))) &&
           in(service_lines, o.service_line);
  }
};

/// One rule: which orders, which clocks.
struct sla_rule {
  std::string name;
  rule_match when;
  std::vector<clock_spec> clocks;  ///< the first is the primary clock (policy.due's default)
  std::string cite;
  friend bool operator==(const sla_rule&, const sla_rule&) = default;

  /// The clock named `name`; the primary clock when name is empty.  Throws not_found_error.
  [[nodiscard]] const clock_spec& clock(std::string_view clock_name = {}) const {
    if (clock_name.empty()) return clocks.front();
    for (const auto& c : clocks)
      if (c.name == clock_name) return c;
    std::string have;
    for (const auto& c : clocks) have.append(have.empty() ? "" : ", ").append(c.name);
    throw not_found_error("rule '" + name + "' has no clock '" + std::string(clock_name) + "' (it has: " + have + ")");
  }
};

/// The answer to "when is it due?": the instant, and how it was reached.
struct deadline {
  instant due{};                  ///< first instant at which the order is late
  instant start{};                ///< the clock's start event
  instant counting_start{};       ///< where counting began
  day last_day{};                 ///< the day the clock runs out on (due's day, or the day before a midnight)
  std::string rule;               ///< the rule that matched
  std::string clock;              ///< the clock
  std::string cite;               ///< the article, e.g. "000 art. 12"
  sla_target target;
  count_from counting = count_from::day_after_start;
  due_rule rule_of_due = due_rule::end_of_day;
  std::vector<special_day> stepped_over;  ///< holidays and adjusted working days between start and due
  /// What the calendar assumed for the days counted: empty when every year from
  /// the start's day to last_day rests on notices; otherwise which years are
  /// provisional (statutory days, no 补假 or 调休) or weekends only
  /// (calendar::assumptions).
  std::string calendar_assumptions;
  /// One paragraph: which rule, how counted, which holidays stepped over (a
  /// provisional statutory day marked so), what the calendar assumed, when due.
  [[nodiscard]] std::string explain() const;
};

class sla_policy {
 public:
  /// A policy from rules; validates (throws invalid_argument_error or conflict_error
  /// naming the rule) and keeps the calendar and staffed schedule deadlines count on.
  sla_policy(std::string name, std::vector<sla_rule> rules, calendar cal = calendar::china(),
             staffed_schedule schedule = staffed_schedule::standard(), std::vector<report_schedule> reports = {});

  /// A preset built into the library (see the file comment); not_found_error lists the names.
  static sla_policy preset(std::string_view name);
  static std::vector<std::string> preset_names();
  /// From JSON text (docs/sla.md); `source` names it in errors ("<text>" by default).
  /// A bad policy is a parse_error naming the source, line and the path to the bad field,
  /// e.g. "gz.json: rules[1].clocks[0].target: a clock needs a target".
  static sla_policy from_json(std::string_view text, std::string source = {});
  static sla_policy from_json_file(const std::string& path);
  /// The policy as JSON that from_json reads back to an equal policy.
  [[nodiscard]] std::string to_json() const;

  /// The same rules counted on another calendar (a regional overlay, say).
  [[nodiscard]] sla_policy with_calendar(calendar cal) const;

  [[nodiscard]] const std::string& name() const noexcept { return d_->name; }
  [[nodiscard]] const std::vector<sla_rule>& rules() const noexcept { return d_->rules; }
  [[nodiscard]] const std::vector<report_schedule>& reports() const noexcept { return d_->reports; }
  [[nodiscard]] const staffed_hours& hours() const noexcept { return *d_->hours; }
  [[nodiscard]] const calendar& workdays() const noexcept { return d_->hours->workdays(); }

  /// The rule for an order, or nullptr.
  [[nodiscard]] const sla_rule* match(const order_attributes& o) const noexcept;
  /// The rule for an order; not_found_error when none matches.
  [[nodiscard]] const sla_rule& rule_for(const order_attributes& o) const;
  /// The report schedule named `name`; not_found_error.
  [[nodiscard]] const report_schedule& report(std::string_view name) const;

  /// When a clock started at `start` falls due if nothing pauses or extends it.
  [[nodiscard]] deadline due(const order_attributes& o, instant start, std::string_view clock = {}) const;
  /// Evaluates a clock of the order's rule on an event history (one cycle or several).
  [[nodiscard]] clock_status evaluate(const order_attributes& o, std::span<const clock_event> events, instant as_of,
                                      std::string_view clock = {}) const;

  // ---- batch forms (numpy's datetime64[s] is int64 seconds since the epoch, UTC) ----
  /// out[i] = due(types[i], start[i]) in seconds, other attributes from `base`.
  /// Throws on the first element that cannot be answered, naming its index.
  void due_many(std::span<const request_type> types, std::span<const std::int64_t> start_seconds,
                std::span<std::int64_t> out, const order_attributes& base = {}, std::string_view clock = {}) const;
  /// Columns of many clocks, as of one instant: a stop of `no_time` means not stopped,
  /// an extension column may be empty (none).  Pauses need the per-clock form (evaluate).
  static constexpr std::int64_t no_time = INT64_MIN;  // numpy's NaT
  struct batch_status {
    std::span<std::uint8_t> state;      ///< clock_state
    std::span<std::int64_t> due;        ///< seconds since the epoch
    std::span<std::int64_t> remaining;  ///< measure seconds
    std::span<std::int64_t> late_by;    ///< wall seconds past due (breached), else 0
  };
  void evaluate_many(std::span<const request_type> types, std::span<const std::int64_t> start_seconds,
                     std::span<const std::int64_t> stop_seconds, std::span<const std::int32_t> extensions,
                     std::int64_t as_of_seconds, const batch_status& out, const order_attributes& base = {},
                     std::string_view clock = {}) const;

  friend bool operator==(const sla_policy& a, const sla_policy& b) {
    return a.d_->name == b.d_->name && a.d_->rules == b.d_->rules && a.d_->reports == b.d_->reports &&
           a.d_->hours->workdays().table().cum == b.d_->hours->workdays().table().cum &&
           a.d_->hours->schedule().working_day(date::Monday) == b.d_->hours->schedule().working_day(date::Monday);
  }

 private:
  struct data {
    std::string name;
    std::vector<sla_rule> rules;
    std::vector<report_schedule> reports;
    std::shared_ptr<const staffed_hours> hours;
  };
  explicit sla_policy(std::shared_ptr<const data> d) : d_(std::move(d)) {}
  static void validate(const data& d);
  std::shared_ptr<const data> d_;  // immutable, shared by copies: a policy is cheap to copy

  /// The hot path: a clock whose due is add_workdays from the day after the start, at the end of the day.
  [[nodiscard]] static bool plain_workday_clock(const clock_spec& c) noexcept {
    return c.target.unit == clock_unit::working_days && c.counting == count_from::day_after_start &&
           c.due == due_rule::end_of_day;
  }
};

// ============================================================================
// inline definitions
// ============================================================================

inline sla_policy::sla_policy(std::string name, std::vector<sla_rule> rules, calendar cal, staffed_schedule schedule,
                              std::vector<report_schedule> reports) {
  auto d = std::make_shared<data>();
  d->name = std::move(name);
  d->rules = std::move(rules);
  d->reports = std::move(reports);
  validate(*d);
  d->hours = std::make_shared<const staffed_hours>(std::move(cal), std::move(schedule));
  d_ = std::move(d);
}

inline sla_policy sla_policy::with_calendar(calendar cal) const {
  auto d = std::make_shared<data>(*d_);
  d->hours = std::make_shared<const staffed_hours>(std::move(cal), d_->hours->schedule());
  return sla_policy(std::shared_ptr<const data>(std::move(d)));
}

namespace detail {
/// Set relations of two criteria: within (a ⊆ b), and whether they meet.
inline bool strings_within(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  if (b.empty()) return true;
  if (a.empty()) return false;
  for (const auto& x : a)
    if (std::find(b.begin(), b.end(), x) == b.end()) return false;
  return true;
}
inline bool strings_meet(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  if (a.empty() || b.empty()) return true;
  for (const auto& x : a)
    if (std::find(b.begin(), b.end(), x) != b.end()) return true;
  return false;
}
inline std::vector<std::string> strings_meet_set(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  std::vector<std::string> out;
  for (const auto& x : a)
    if (std::find(b.begin(), b.end(), x) != b.end()) out.push_back(x);
  return out;
}
inline bool same_strings(std::vector<std::string> a, std::vector<std::string> b) {
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  return a == b;
}
inline bool within(const rule_match& a, const rule_match& b) {
  return (a.types & ~b.types) == 0 && (a.complexities & ~b.complexities) == 0 && (a.urgencies & ~b.urgencies) == 0 &&
         (a.channels & ~b.channels) == 0 && strings_within(a.service_lines, b.service_lines);
}
inline bool meet(const rule_match& a, const rule_match& b) {
  return (a.types & b.types) && (a.complexities & b.complexities) && (a.urgencies & b.urgencies) &&
         (a.channels & b.channels) && strings_meet(a.service_lines, b.service_lines);
}
inline bool same(const rule_match& a, const rule_match& b) {
  return a.types == b.types && a.complexities == b.complexities && a.urgencies == b.urgencies &&
         a.channels == b.channels && same_strings(a.service_lines, b.service_lines);
}
/// Rethrows `e` as its own kind with `prefix` before its message (batch forms name the element).
[[noreturn]] inline void rethrow_at(const error& e, const std::string& prefix) {
  const std::string msg = prefix + e.what();
  switch (e.code()) {
    case errc::invalid_argument: throw invalid_argument_error(msg);
    case errc::out_of_range: throw out_of_range_error(msg);
    case errc::conflict: throw conflict_error(msg);
    case errc::not_found: throw not_found_error(msg);
    case errc::illegal_transition: throw illegal_transition_error(msg);
    default: throw error(e.code(), msg);
  }
}
inline std::string describe(const order_attributes& o) {
  std::string s = "request_type=" + std::string(to_string(o.type)) + ", complexity=" +
                  std::string(to_string(o.complexity)) + ", urgency=" + std::string(to_string(o.urgency));
  if (!o.service_line.empty()) s += ", service_line=" + o.service_line;
  if (o.channel) s += ", channel=" + std::string(to_string(*o.channel));
  return s;
}
}  // namespace detail

inline void sla_policy::validate(const data& d) {
  if (d.name.empty()) throw invalid_argument_error("a policy needs a name");
  const auto n = d.rules.size();
  for (std::size_t i = 0; i < n; ++i) {
    const auto& r = d.rules[i];
    const std::string at = "rules[" + std::to_string(i) + "] ('" + r.name + "')";
    if (r.name.empty()) throw invalid_argument_error("rules[" + std::to_string(i) + "]: a rule needs a name");
    if (r.clocks.empty()) throw invalid_argument_error(at + ": a rule needs at least one clock");
    if (r.when.types == 0 || r.when.types > 0x7f || r.when.complexities == 0 || r.when.complexities > 3 ||
        r.when.urgencies == 0 || r.when.urgencies > 3 || r.when.channels == 0 || r.when.channels > 0xf)
      throw invalid_argument_error(at + ": when: a criterion with no value matches nothing");
    for (std::size_t c = 0; c < r.clocks.size(); ++c) {
      try {
        r.clocks[c].validate();
      } catch (const invalid_argument_error& e) {
        throw invalid_argument_error(at + ": clocks[" + std::to_string(c) + "]: " + e.what());
      }
      for (std::size_t c2 = 0; c2 < c; ++c2)
        if (r.clocks[c2].name == r.clocks[c].name)
          throw invalid_argument_error(at + ": two clocks named '" + r.clocks[c].name + "'");
    }
    for (std::size_t j = 0; j < i; ++j) {
      const auto& q = d.rules[j];
      const std::string at2 = "rules[" + std::to_string(j) + "] ('" + q.name + "')";
      if (q.name == r.name) throw conflict_error(at + " and " + at2 + " have the same name");
      if (detail::same(r.when, q.when)) throw conflict_error(at + " and " + at2 + " match the same orders");
      if (!detail::meet(r.when, q.when) || detail::within(r.when, q.when) || detail::within(q.when, r.when)) continue;
      // Overlapping, neither within the other: a third rule must cover exactly the overlap.
      rule_match both{static_cast<std::uint8_t>(r.when.types & q.when.types),
                      static_cast<std::uint8_t>(r.when.complexities & q.when.complexities),
                      static_cast<std::uint8_t>(r.when.urgencies & q.when.urgencies),
                      static_cast<std::uint8_t>(r.when.channels & q.when.channels),
                      detail::strings_meet_set(r.when.service_lines, q.when.service_lines)};
      bool covered = false;
      for (const auto& k : d.rules) covered = covered || detail::same(k.when, both);
      if (!covered)
        throw conflict_error(at + " and " + at2 +
                             " both match some orders and neither is more specific: add a rule for their overlap "
                             "or narrow one of them");
    }
  }
  for (std::size_t i = 0; i < d.reports.size(); ++i) {
    d.reports[i].validate();
    for (std::size_t j = 0; j < i; ++j)
      if (d.reports[j].name == d.reports[i].name)
        throw conflict_error("reports[" + std::to_string(i) + "]: two reports named '" + d.reports[i].name + "'");
  }
}

inline const sla_rule* sla_policy::match(const order_attributes& o) const noexcept {
  const sla_rule* best = nullptr;
  for (const auto& r : d_->rules)
    if (r.when.matches(o) && (!best || detail::within(r.when, best->when))) best = &r;
  return best;
}

inline const sla_rule& sla_policy::rule_for(const order_attributes& o) const {
  if (const auto* r = match(o)) return *r;
  throw not_found_error("policy '" + d_->name + "' has no rule for " + detail::describe(o));
}

inline const report_schedule& sla_policy::report(std::string_view report_name) const {
  for (const auto& r : d_->reports)
    if (r.name == report_name) return r;
  throw not_found_error("policy '" + d_->name + "' has no report '" + std::string(report_name) + "'");
}

inline clock_status sla_policy::evaluate(const order_attributes& o, std::span<const clock_event> events,
                                         instant as_of, std::string_view clock) const {
  const auto& spec = rule_for(o).clock(clock);
  auto cycles = evaluate_cycles(spec, *d_->hours, events, as_of);
  if (cycles.empty()) throw invalid_argument_error("the clock has not started as of " + format_instant(as_of));
  return cycles.back();
}

inline deadline sla_policy::due(const order_attributes& o, instant start, std::string_view clock) const {
  const auto& r = rule_for(o);
  const auto& spec = r.clock(clock);
  const std::array<clock_event, 1> ev{clock_event::start_at(start)};
  const auto st = detail::evaluate_cycle(spec, *d_->hours, ev, start, 0);
  deadline d;
  d.due = st.due;
  d.start = start;
  d.counting_start = st.counting_start;
  d.last_day = local_day(st.due - seconds{1});
  d.rule = r.name;
  d.clock = spec.name;
  d.cite = spec.cite.empty() ? r.cite : spec.cite;
  d.target = spec.target;
  d.counting = spec.counting;
  d.rule_of_due = spec.due;
  d.stepped_over = stepped_over(st, *d_->hours);
  d.calendar_assumptions = d_->hours->workdays().assumptions(local_day(start), d.last_day);
  return d;
}

inline void sla_policy::due_many(std::span<const request_type> types, std::span<const std::int64_t> start,
                                 std::span<std::int64_t> out, const order_attributes& base,
                                 std::string_view clock) const {
  if (out.size() != start.size() || (types.size() != start.size() && types.size() != 1))
    throw invalid_argument_error("due_many: " + std::to_string(types.size()) + " request types, " +
                                 std::to_string(start.size()) + " starts, " + std::to_string(out.size()) +
                                 " outputs do not match");
  // Per request type: the clock, and its target when it takes the hot path (0 when not).
  std::array<const clock_spec*, request_type_count> spec{};
  std::array<std::int64_t, request_type_count> plain{};
  order_attributes o = base;
  for (std::size_t k = 0; k < request_type_count; ++k) {
    o.type = static_cast<request_type>(k);
    if (const auto* r = match(o)) {
      spec[k] = &r->clock(clock);
      if (plain_workday_clock(*spec[k])) plain[k] = spec[k]->target.amount;
    }
  }
  const auto& t = d_->hours->workdays().table();
  const auto& z = detail::shanghai_current_span();
  const bool one = types.size() == 1;
  const std::int64_t off = z.offset;
  for (std::size_t i = 0; i < start.size(); ++i) {
    const auto k = static_cast<std::size_t>(one ? types[0] : types[i]);
    const std::int64_t s = start[i];
    if (k < request_type_count && plain[k] != 0 && s >= z.begin && s < z.end) {
      const std::int64_t x = detail::floor_div(s + off, detail::k_day_s) - t.first;
      if (x >= 0 && x + 1 < t.size) {
        const std::int64_t w = std::int64_t{t.cum[static_cast<std::size_t>(x + 1)]} + plain[k] - 1;
        if (w < static_cast<std::int64_t>(t.workdays.size())) {
          const std::int64_t due_s = (std::int64_t{t.workdays[static_cast<std::size_t>(w)]} + 1) * detail::k_day_s - off;
          if (due_s >= z.begin && due_s < z.end) {
            out[i] = due_s;
            continue;
          }
        }
      }
    }
    // Everything else takes the general path, which also says what is wrong.
    try {
      if (k >= request_type_count) throw invalid_argument_error("request type code " + std::to_string(k) + " is not one of 0-6");
      o.type = static_cast<request_type>(k);
      if (!spec[k]) (void)rule_for(o);
      const std::array<clock_event, 1> ev{clock_event::start_at(instant{seconds{s}})};
      out[i] = detail::evaluate_cycle(*spec[k], *d_->hours, ev, ev[0].at, 0).due.time_since_epoch().count();
    } catch (const error& e) {
      detail::rethrow_at(e, "element " + std::to_string(i) + ": ");
    }
  }
}

inline void sla_policy::evaluate_many(std::span<const request_type> types, std::span<const std::int64_t> start,
                                      std::span<const std::int64_t> stop, std::span<const std::int32_t> extensions,
                                      std::int64_t as_of, const batch_status& out, const order_attributes& base,
                                      std::string_view clock) const {
  const auto n = start.size();
  if ((types.size() != n && types.size() != 1) || (stop.size() != n && !stop.empty()) ||
      (extensions.size() != n && !extensions.empty()) || out.state.size() != n || out.due.size() != n ||
      out.remaining.size() != n || out.late_by.size() != n)
    throw invalid_argument_error("evaluate_many: the columns' lengths do not match (" + std::to_string(n) + " starts)");
  order_attributes o = base;
  const instant now{seconds{as_of}};
  std::array<clock_event, 3> ev{};
  for (std::size_t i = 0; i < n; ++i) {
    try {
      const auto k = static_cast<std::size_t>(types.size() == 1 ? types[0] : types[i]);
      if (k >= request_type_count) throw invalid_argument_error("request type code " + std::to_string(k) + " is not one of 0-6");
      o.type = static_cast<request_type>(k);
      const auto& spec = rule_for(o).clock(clock);
      std::size_t m = 0;
      ev[m++] = clock_event::start_at(instant{seconds{start[i]}});
      if (!extensions.empty() && extensions[i] > 0) ev[m++] = clock_event::extend_at(ev[0].at, extensions[i]);
      if (!stop.empty() && stop[i] != no_time) ev[m++] = clock_event::stop_at(instant{seconds{stop[i]}});
      const auto st = evaluate_clock(spec, *d_->hours, std::span<const clock_event>(ev.data(), m), now);
      out.state[i] = static_cast<std::uint8_t>(st.state);
      out.due[i] = st.due.time_since_epoch().count();
      out.remaining[i] = st.remaining;
      out.late_by[i] = st.late_by.count();
    } catch (const error& e) {
      detail::rethrow_at(e, "element " + std::to_string(i) + ": ");
    }
  }
}

}  // namespace hotline
