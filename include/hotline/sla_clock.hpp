// hotline/sla_clock.hpp: deadline clocks -- what a clock counts and how it is evaluated.
//
// A clock measures the time a work order spends between a start event
// (received, transferred, ...) and a stop event (replied, closed, ...) against
// a target: N working days, N working hours (staffed hours) or N calendar days.
// Evaluation is a pure function of the clock's spec, its event history and an
// "as of" instant: the same history always gives the same answer.
//
//   hotline::clock_spec spec;                    // 2 working days from the day after receipt
//   spec.target = {2, hotline::clock_unit::working_days};
//   hotline::staffed_hours hours(hotline::calendar::china());
//   std::vector<hotline::clock_event> ev{hotline::clock_event::start_at(received)};
//   hotline::clock_status s = hotline::evaluate_clock(spec, hours, ev, as_of);
//   s.state; s.due; s.remaining; s.explain(hours);
//
// The rules, spelled out once (000 art. 12, 001 §3.4, annex 10):
//
//  * Every clock runs on a *measure*, a non-decreasing count of seconds:
//      working_days   86400 per working day, 0 on days off (local wall seconds);
//      working_hours  staffed seconds (staffed_hours, 08:30-16:30 by default, 001 §3.1);
//      calendar_days  every second.
//    The target is amount x 86400 (days) or amount x 3600 (hours) of measure.
//  * Counting (`count_from`) says where the measure starts:
//      day_after_start  local 00:00 of the day after the start's local day (自收到次日起,
//                       000 art. 12). Receipt at 23:59:59 and at 00:00:00 the next
//                       morning are different days: 2025-01-23 23:59 Thu + 2 working days
//                       is due at the end of Sun 01-26 (day 1 Fri 01-24, day 2 the adjusted
//                       working Sunday); 2025-01-24 00:00 Fri at the end of Mon 01-27.
//                       A receipt on a holiday or on an adjusted working Saturday counts the
//                       same way: day 1 is the first working day after the receipt's day.
//      start_day        local 00:00 of the start's day: the start day is day 1 if it is a
//                       working day.
//      start_instant    the start instant itself: N whole working days of measure.
//      next_opening     the next opening of staffed hours (the start itself when staffed).
//  * The due instant is the *first instant at which the clock is late*: a stop strictly
//    before `due` meets it.  From the instant X at which the target's measure is used up:
//      end_of_day              X rounded up to the next local midnight (X itself when it is
//                              a midnight).  "Due at the end of 10-10" is 10-11T00:00+08:00,
//                              i.e. 24:00 of the last working day; a reply at 23:59:59 is
//                              in time.  Without pauses a working-day clock's X is always a
//                              midnight, so this is exactly calendar::add_workdays.
//      close_of_staffed_hours  the close of staffed hours (16:30) on X's day (the day of the
//                              last counted second); when that day has no staffed hours, or
//                              its close is not after the start, the next close that is.
//      exact                   X itself (the natural rule for working-hour targets).
//  * Pauses: a `pause` event whose reason the spec lists stops the measure until the next
//    `resume`; the due instant moves later by exactly the measure the pause took (a pause
//    of 3 working hours on a working day moves an end_of_day due to the end of the next
//    day, as the rounding is to midnight).  A pause whose reason the spec does not list
//    is recorded but the clock keeps running (the result's explanation says so).  While a
//    clock is paused its due instant is provisional: computed as if it resumed "as of".
//    Pausing never makes a clock due earlier.
//  * Extensions: an `extend` event adds `amount` target units (working days for a
//    working-day clock).  Allowed only while the clock runs and before it falls due,
//    at most `extensions.max_count` times and `extensions.max_total` units in all.
//  * Warnings: `warning.share` (0 < share < 1) warns when that share of the target
//    (extensions included) is used; `warning.before` warns that much measure (in target
//    units) before the due instant.  Never before the counting start.
//  * The due instant is never before the start: a target used up before the clock
//    starts (8 working hours counted from 00:00 of a start day, started at 20:00)
//    falls due at the start itself.
//  * Events after "as of" are ignored: the result is what was known then.
//  * A `reopen` event after a stop starts a new cycle (reopen = new start); earlier cycles
//    keep their outcome (evaluate_cycles).
//  * Bad histories are errors and nothing is evaluated: the first event must be a start;
//    events must be in time order (a stop before its start is named as such); a pause
//    while paused (overlapping pauses), a resume while running, anything but reopen after
//    a stop, an extension on a stopped or late clock: illegal_transition_error.
//  * Measures are in local wall seconds: exact since 1991 (China has kept UTC+8 since).
#pragma once

#include "hotline/calendar.hpp"
#include "hotline/error.hpp"
#include "hotline/staffed_hours.hpp"
#include "hotline/time.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hotline {

// ---- vocabulary ------------------------------------------------------------

/// The unit of a clock's target.
enum class clock_unit : std::uint8_t { working_days = 0, working_hours = 1, calendar_days = 2 };
/// Where counting starts (see the file comment).
enum class count_from : std::uint8_t { day_after_start = 0, start_day = 1, start_instant = 2, next_opening = 3 };
/// How the due instant follows from the moment the target is used up.
enum class due_rule : std::uint8_t { end_of_day = 0, close_of_staffed_hours = 1, exact = 2 };
/// Work-order events that start and stop clocks (the store maps its transitions onto these).
enum class sla_event : std::uint8_t { received = 0, transferred = 1, signed_for = 2, replied = 3, closed = 4 };
/// Why a clock may be paused.
enum class pause_reason : std::uint8_t { waiting_for_caller = 0, suspended_with_approval = 1 };
/// Where a clock stands.
enum class clock_state : std::uint8_t { running = 0, paused = 1, met = 2, breached = 3 };

namespace detail {
template <class E, std::size_t N>
inline E parse_enum(std::string_view text, const std::array<std::string_view, N>& names, const char* what) {
  for (std::size_t i = 0; i < N; ++i)
    if (names[i] == text) return static_cast<E>(i);
  std::string msg = "unknown ";
  msg.append(what).append(" '").append(text).append("': expected one of");
  for (std::size_t i = 0; i < N; ++i) msg.append(i ? ", " : " ").append(names[i]);
  throw invalid_argument_error(msg);
}
inline constexpr std::array<std::string_view, 3> clock_unit_names{"working_days", "working_hours", "calendar_days"};
inline constexpr std::array<std::string_view, 4> count_from_names{"day_after_start", "start_day", "start_instant",
                                                                  "next_opening"};
inline constexpr std::array<std::string_view, 3> due_rule_names{"end_of_day", "close_of_staffed_hours", "exact"};
inline constexpr std::array<std::string_view, 5> sla_event_names{"received", "transferred", "signed_for", "replied",
                                                                 "closed"};
inline constexpr std::array<std::string_view, 2> pause_reason_names{"waiting_for_caller", "suspended_with_approval"};
inline constexpr std::array<std::string_view, 4> clock_state_names{"running", "paused", "met", "breached"};
}  // namespace detail

constexpr std::string_view to_string(clock_unit v) noexcept { return detail::clock_unit_names[std::size_t(v)]; }
constexpr std::string_view to_string(count_from v) noexcept { return detail::count_from_names[std::size_t(v)]; }
constexpr std::string_view to_string(due_rule v) noexcept { return detail::due_rule_names[std::size_t(v)]; }
constexpr std::string_view to_string(sla_event v) noexcept { return detail::sla_event_names[std::size_t(v)]; }
constexpr std::string_view to_string(pause_reason v) noexcept { return detail::pause_reason_names[std::size_t(v)]; }
constexpr std::string_view to_string(clock_state v) noexcept { return detail::clock_state_names[std::size_t(v)]; }
/// Parsers take the names above; anything else is an invalid_argument_error listing them.
inline clock_unit parse_clock_unit(std::string_view s) {
  return detail::parse_enum<clock_unit>(s, detail::clock_unit_names, "clock unit");
}
inline count_from parse_count_from(std::string_view s) {
  return detail::parse_enum<count_from>(s, detail::count_from_names, "counting rule");
}
inline due_rule parse_due_rule(std::string_view s) {
  return detail::parse_enum<due_rule>(s, detail::due_rule_names, "due rule");
}
inline sla_event parse_sla_event(std::string_view s) {
  return detail::parse_enum<sla_event>(s, detail::sla_event_names, "event");
}
inline pause_reason parse_pause_reason(std::string_view s) {
  return detail::parse_enum<pause_reason>(s, detail::pause_reason_names, "pause reason");
}
inline clock_state parse_clock_state(std::string_view s) {
  return detail::parse_enum<clock_state>(s, detail::clock_state_names, "clock state");
}

/// Seconds of measure in one target unit.
constexpr std::int64_t unit_seconds(clock_unit u) noexcept { return u == clock_unit::working_hours ? 3600 : 86400; }

/// N units: "2 working days", "8 working hours", "30 calendar days".
struct sla_target {
  std::int32_t amount = 0;
  clock_unit unit = clock_unit::working_days;
  friend constexpr bool operator==(const sla_target&, const sla_target&) = default;
};

/// When to warn before a breach; both zero: no warning.
struct warning_spec {
  double share = 0;        ///< warn when this share of the target is used (0 < share < 1)
  double before = 0;       ///< or: warn this many target units before the due instant
  friend constexpr bool operator==(const warning_spec&, const warning_spec&) = default;
  [[nodiscard]] constexpr bool enabled() const noexcept { return share > 0 || before > 0; }
};

/// How far a clock may be extended by approved extensions.
struct extension_spec {
  std::int32_t max_count = 0;  ///< extensions allowed (0: none)
  std::int32_t max_total = 0;  ///< target units all extensions may add together
  friend constexpr bool operator==(const extension_spec&, const extension_spec&) = default;
};

/// One clock of a rule: what starts and stops it, what it counts, when it falls due.
struct clock_spec {
  std::string name = "reply";                ///< unique within its rule, e.g. "reply", "transfer"
  sla_event start_event = sla_event::received;
  sla_event stop_event = sla_event::replied;
  sla_target target;                         ///< amount >= 1
  count_from counting = count_from::day_after_start;
  due_rule due = due_rule::end_of_day;
  std::uint8_t pauses = 0;                   ///< bit (1 << pause_reason) per reason that pauses
  warning_spec warning;
  extension_spec extensions;
  std::string cite;                          ///< the article it comes from, e.g. "000 art. 12"

  [[nodiscard]] constexpr bool pauses_for(pause_reason r) const noexcept {
    return (pauses >> static_cast<unsigned>(r)) & 1U;
  }
  clock_spec& pause_on(pause_reason r) noexcept {
    pauses = static_cast<std::uint8_t>(pauses | (1U << static_cast<unsigned>(r)));
    return *this;
  }
  /// Throws invalid_argument_error naming the field when the spec cannot be evaluated.
  void validate() const;
  friend bool operator==(const clock_spec&, const clock_spec&) = default;
};

// ---- history ---------------------------------------------------------------

enum class clock_event_kind : std::uint8_t { start = 0, pause = 1, resume = 2, extend = 3, stop = 4, reopen = 5 };
namespace detail {
inline constexpr std::array<std::string_view, 6> clock_event_kind_names{"start", "pause",  "resume",
                                                                        "extend", "stop", "reopen"};
}
constexpr std::string_view to_string(clock_event_kind v) noexcept {
  return detail::clock_event_kind_names[std::size_t(v)];
}
inline clock_event_kind parse_clock_event_kind(std::string_view s) {
  return detail::parse_enum<clock_event_kind>(s, detail::clock_event_kind_names, "clock event");
}

/// One event of a clock's history.  `amount` is the extension in target units
/// (extend only); `reason` says why a pause (pause only).
struct clock_event {
  clock_event_kind kind = clock_event_kind::start;
  instant at{};
  std::int32_t amount = 0;
  pause_reason reason = pause_reason::waiting_for_caller;

  static constexpr clock_event start_at(instant t) noexcept { return {clock_event_kind::start, t, 0, {}}; }
  static constexpr clock_event pause_at(instant t, pause_reason r) noexcept { return {clock_event_kind::pause, t, 0, r}; }
  static constexpr clock_event resume_at(instant t) noexcept { return {clock_event_kind::resume, t, 0, {}}; }
  static constexpr clock_event extend_at(instant t, std::int32_t n) noexcept { return {clock_event_kind::extend, t, n, {}}; }
  static constexpr clock_event stop_at(instant t) noexcept { return {clock_event_kind::stop, t, 0, {}}; }
  static constexpr clock_event reopen_at(instant t) noexcept { return {clock_event_kind::reopen, t, 0, {}}; }
  friend constexpr bool operator==(const clock_event&, const clock_event&) = default;
};

/// The evaluation of one clock cycle as of an instant.  Measures are seconds of
/// the clock's measure (see the file comment); divide by unit_seconds(unit) for
/// days or hours.
struct clock_status {
  clock_state state = clock_state::running;
  instant start{};              ///< the start event (or reopen) of this cycle
  instant counting_start{};     ///< where the measure starts (count_from)
  instant due{};                ///< first instant at which the clock is late
  std::optional<instant> stopped;   ///< the stop event, if any as of
  std::optional<instant> warning;   ///< when the warning fires (if the spec has one)
  bool warned = false;          ///< as of >= warning, and not stopped before it
  std::int64_t target = 0;      ///< measure of the target plus extensions
  std::int64_t elapsed = 0;     ///< counted measure up to as of (or the stop)
  std::int64_t remaining = 0;   ///< counted measure left until due, >= 0
  std::int64_t paused = 0;      ///< measure not counted because of pauses
  std::int64_t overdue = 0;     ///< counted measure past due when breached, else 0
  seconds late_by{0};           ///< wall-clock time past due when breached, else 0
  std::int32_t extensions = 0;  ///< target units added by extensions
  std::int32_t extension_count = 0;
  clock_unit unit = clock_unit::working_days;
  std::int32_t ignored_pauses = 0;  ///< pauses whose reason this clock does not pause for
  friend bool operator==(const clock_status&, const clock_status&) = default;
};

/// What the deadline stepped over, for explanations: the named days between the
/// counting start and the due instant (holidays and adjusted working days).
[[nodiscard]] std::vector<special_day> stepped_over(const clock_status& s, const staffed_hours& hours);
/// A one-paragraph account of how the status was reached.
[[nodiscard]] std::string explain(const clock_spec& spec, const clock_status& s, const staffed_hours& hours);

// ---- evaluation --------------------------------------------------------------

/// Evaluates one cycle: `events` must start with a start (or reopen) event and
/// contain no reopen.  See the file comment for every rule.
[[nodiscard]] clock_status evaluate_clock(const clock_spec& spec, const staffed_hours& hours,
                                          std::span<const clock_event> events, instant as_of);
/// Evaluates every cycle of a history in which reopen events start new cycles.
[[nodiscard]] std::vector<clock_status> evaluate_cycles(const clock_spec& spec, const staffed_hours& hours,
                                                        std::span<const clock_event> events, instant as_of);
/// Checks a whole history (all cycles) without evaluating; throws on the first fault.
void validate_history(const clock_spec& spec, const staffed_hours& hours, std::span<const clock_event> events);

// ============================================================================
// inline definitions
// ============================================================================

namespace detail {
[[noreturn]] inline void illegal(const std::string& what) { throw illegal_transition_error(what); }

constexpr std::int64_t k_day_s = 86400;
constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

/// The measure of a clock at an instant, and its inverse.
class clock_measure {
 public:
  clock_measure(clock_unit u, const staffed_hours& h) : unit_(u), hours_(&h), t_(&h.workdays().table()) {}

  [[nodiscard]] std::int64_t at(instant t) const {
    switch (unit_) {
      case clock_unit::calendar_days: return t.time_since_epoch().count();
      case clock_unit::working_hours: return hours_->staffed_clock(t);
      case clock_unit::working_days: break;
    }
    const std::int64_t l = to_local(t).time_since_epoch().count();
    const std::int64_t dn = floor_div(l, k_day_s);
    const auto i = static_cast<std::size_t>(table_index(*t_, dn));
    std::int64_t m = std::int64_t{t_->cum[i]} * k_day_s;
    if (is_working(static_cast<day_kind>(t_->kind[i]))) m += l - dn * k_day_s;
    return m;
  }

  /// The smallest instant t >= from at which at(t) >= m.
  [[nodiscard]] instant reach(instant from, std::int64_t m) const {
    const std::int64_t m0 = at(from);
    if (m <= m0) return from;
    switch (unit_) {
      case clock_unit::calendar_days: return instant{seconds{m}};
      case clock_unit::working_hours: return hours_->add_business_time(from, seconds{m - m0});
      case clock_unit::working_days: break;
    }
    const std::int64_t k = m / k_day_s, r = m % k_day_s;
    const auto n = static_cast<std::int64_t>(t_->workdays.size());
    const std::int64_t wi = r == 0 ? k - 1 : k;
    if (wi < 0 || wi >= n) [[unlikely]]
      throw out_of_range_error("the deadline lies beyond " + format_day(from_day_number(t_->first + t_->size - 1)) +
                               ", the last day the calendar covers");
    const std::int64_t dn = t_->workdays[static_cast<std::size_t>(wi)];
    return r == 0 ? from_local(from_day_number(dn + 1), seconds{0}) : from_local(from_day_number(dn), seconds{r});
  }

 private:
  clock_unit unit_;
  const staffed_hours* hours_;
  const calendar_table* t_;
};

/// A counted pause, clamped to the counting start: measure does not run in [begin, end).
struct pause_span {
  instant begin, end;
};

/// The running measure of a cycle: what the clock has counted up to t.
struct cycle_clock {
  const clock_measure* m;
  instant s;                          // counting start
  std::vector<pause_span> pauses;     // ordered, disjoint, begin >= s

  [[nodiscard]] std::int64_t counted(instant t) const {
    if (t <= s) return 0;
    std::int64_t total = m->at(t) - m->at(s);
    for (const auto& p : pauses) {
      if (p.begin >= t) break;
      total -= m->at(std::min(p.end, t)) - m->at(p.begin);
    }
    return total;
  }
  [[nodiscard]] std::int64_t paused_before(instant t) const {
    std::int64_t total = 0;
    for (const auto& p : pauses) {
      if (p.begin >= t) break;
      total += m->at(std::min(p.end, t)) - m->at(p.begin);
    }
    return total;
  }
  /// The first instant at which `need` has been counted (the pauses projected as given).
  [[nodiscard]] instant reach(std::int64_t need) const {
    instant seg = s;
    std::int64_t done = 0;
    for (const auto& p : pauses) {
      if (p.begin > seg) {
        const std::int64_t avail = m->at(p.begin) - m->at(seg);
        if (done + avail >= need) return m->reach(seg, m->at(seg) + (need - done));
        done += avail;
      }
      seg = std::max(seg, p.end);
    }
    return m->reach(seg, m->at(seg) + (need - done));
  }
};

inline instant apply_due_rule(const clock_spec& spec, const staffed_hours& hours, instant x, instant start) {
  switch (spec.due) {
    case due_rule::exact: return x;
    case due_rule::end_of_day: {
      const std::int64_t l = to_local(x).time_since_epoch().count();
      const std::int64_t dn = floor_div(l, k_day_s);
      return l == dn * k_day_s ? x : from_local(from_day_number(dn + 1), seconds{0});
    }
    case due_rule::close_of_staffed_hours: break;
  }
  day d = local_day(x - seconds{1});
  for (int k = 0; k < 400; ++k, d += date::days{1}) {
    const auto c = hours.closing_of(d);
    if (c && *c > start) return *c;
  }
  throw out_of_range_error("no close of staffed hours within 400 days after " + format_day(local_day(x)));
}

inline instant counting_start(const clock_spec& spec, const staffed_hours& hours, instant start) {
  switch (spec.counting) {
    case count_from::day_after_start: return from_local(local_day(start) + date::days{1}, seconds{0});
    case count_from::start_day: return from_local(local_day(start), seconds{0});
    case count_from::start_instant: return start;
    case count_from::next_opening: return hours.next_opening(start);
  }
  return start;
}

inline std::string where(std::size_t i, const clock_event& e) {
  return "event " + std::to_string(i) + " (" + std::string(to_string(e.kind)) + " at " + format_instant(e.at) + ")";
}

/// Walks one cycle's events (validated) up to as_of and evaluates.
inline clock_status evaluate_cycle(const clock_spec& spec, const staffed_hours& hours,
                                   std::span<const clock_event> ev, instant as_of, std::size_t offset) {
  if (ev.empty() || (ev[0].kind != clock_event_kind::start && ev[0].kind != clock_event_kind::reopen))
    throw invalid_argument_error("a clock's history must begin with a start event");
  const clock_measure m(spec.target.unit, hours);
  clock_status st;
  st.unit = spec.target.unit;
  st.start = ev[0].at;
  const instant s = counting_start(spec, hours, st.start);
  st.counting_start = s;
  cycle_clock cc{&m, s, {}};
  std::int64_t base = std::int64_t{spec.target.amount} * unit_seconds(spec.target.unit);
  std::optional<instant> open_pause;  // counted pause open since
  bool paused = false;
  bool stopped = false;
  auto add_pause = [&](instant b, instant e) {
    b = std::max(b, s);
    e = std::max(e, s);
    if (e > b) cc.pauses.push_back({b, e});
  };
  for (std::size_t i = 1; i < ev.size(); ++i) {
    const auto& e = ev[i];
    if (e.at < ev[i - 1].at) {
      if (e.kind == clock_event_kind::stop)
        throw invalid_argument_error(where(offset + i, e) + " is before " + where(offset + i - 1, ev[i - 1]) +
                                     ": a clock cannot stop before it started or before its last event");
      throw invalid_argument_error(where(offset + i, e) + " is before " + where(offset + i - 1, ev[i - 1]) +
                                   ": events must be in time order");
    }
    if (stopped) illegal(where(offset + i, e) + ": the clock has stopped; only a reopen may follow");
    if (e.at > as_of) break;  // not known yet as of; validate_history checks the rest
    switch (e.kind) {
      case clock_event_kind::start:
      case clock_event_kind::reopen:
        illegal(where(offset + i, e) + ": the clock is already running");
      case clock_event_kind::pause:
        if (paused) illegal(where(offset + i, e) + ": overlapping pauses (the clock is already paused)");
        paused = true;
        if (spec.pauses_for(e.reason)) open_pause = e.at;
        else ++st.ignored_pauses;
        break;
      case clock_event_kind::resume:
        if (!paused) illegal(where(offset + i, e) + ": the clock is not paused");
        paused = false;
        if (open_pause) add_pause(*open_pause, e.at);
        open_pause.reset();
        break;
      case clock_event_kind::extend: {
        if (e.amount <= 0) throw invalid_argument_error(where(offset + i, e) + ": an extension must be at least 1");
        if (st.extension_count + 1 > spec.extensions.max_count)
          illegal(where(offset + i, e) + ": clock '" + spec.name + "' allows " +
                  std::to_string(spec.extensions.max_count) + " extension(s)");
        if (std::int64_t{st.extensions} + e.amount > spec.extensions.max_total)
          illegal(where(offset + i, e) + ": clock '" + spec.name + "' allows at most " +
                  std::to_string(spec.extensions.max_total) + " " + std::string(to_string(spec.target.unit)) +
                  " of extensions in all");
        {
          // Due as known when the extension was approved (pauses so far, open one projected to e.at).
          cycle_clock probe = cc;
          if (open_pause && *open_pause < e.at) probe.pauses.push_back({std::max(*open_pause, s), std::max(e.at, s)});
          const instant d = std::max(
              apply_due_rule(spec, hours,
                             probe.reach(base + std::int64_t{st.extensions} * unit_seconds(spec.target.unit)), st.start),
              st.start);
          if (e.at >= d)
            illegal(where(offset + i, e) + ": the clock fell due at " + format_instant(d) +
                    "; an extension must be approved before the deadline");
        }
        st.extensions += e.amount;
        ++st.extension_count;
        break;
      }
      case clock_event_kind::stop:
        if (open_pause) add_pause(*open_pause, e.at);
        paused = false;
        open_pause.reset();
        stopped = true;
        st.stopped = e.at;
        break;
    }
  }
  if (open_pause) add_pause(*open_pause, std::max(as_of, *open_pause));  // projected: resumes as of now
  st.target = base + std::int64_t{st.extensions} * unit_seconds(spec.target.unit);
  const instant x = cc.reach(st.target);
  st.due = std::max(apply_due_rule(spec, hours, x, st.start), st.start);  // never before the start
  const instant now = st.stopped ? *st.stopped : std::max(as_of, st.start);
  st.elapsed = cc.counted(now);
  const std::int64_t at_due = cc.counted(st.due);
  st.paused = cc.paused_before(now);
  if (st.stopped) {
    st.state = *st.stopped < st.due ? clock_state::met : clock_state::breached;
  } else if (as_of >= st.due) {
    st.state = clock_state::breached;
  } else {
    st.state = open_pause ? clock_state::paused : clock_state::running;
  }
  if (st.state == clock_state::breached) {
    st.overdue = std::max<std::int64_t>(0, st.elapsed - at_due);
    st.late_by = now - st.due;
    st.remaining = 0;
  } else if (st.state == clock_state::met) {
    st.remaining = std::max<std::int64_t>(0, at_due - st.elapsed);
  } else {
    st.remaining = std::max<std::int64_t>(0, at_due - st.elapsed);
  }
  if (spec.warning.enabled()) {
    std::int64_t need;
    if (spec.warning.share > 0)
      need = static_cast<std::int64_t>(std::ceil(spec.warning.share * static_cast<double>(st.target)));
    else
      need = at_due - static_cast<std::int64_t>(std::llround(spec.warning.before *
                                                              static_cast<double>(unit_seconds(spec.target.unit))));
    st.warning = need <= 0 ? s : cc.reach(need);
    st.warned = *st.warning <= now;
  }
  return st;
}
}  // namespace detail

inline void clock_spec::validate() const {
  auto bad = [&](const std::string& field, const std::string& why) {
    throw invalid_argument_error("clock '" + name + "': " + field + ": " + why);
  };
  if (name.empty()) throw invalid_argument_error("a clock needs a name");
  if (target.amount < 1) bad("target", "a clock needs a target of at least 1 " + std::string(to_string(target.unit)));
  if (target.amount > 100000) bad("target", "more than 100000 units is not a deadline");
  if (static_cast<unsigned>(target.unit) > 2) bad("target.unit", "unknown unit");
  if (start_event == stop_event) bad("stop", "a clock cannot start and stop on the same event");
  if (warning.share < 0 || warning.share >= 1) bad("warning.share", "must be in (0, 1)");
  if (warning.before < 0) bad("warning.before", "must not be negative");
  if (warning.share > 0 && warning.before > 0) bad("warning", "give share or before, not both");
  if (extensions.max_count < 0 || extensions.max_total < 0) bad("extensions", "limits must not be negative");
  if (extensions.max_count > 0 && extensions.max_total < 1) bad("extensions.max_total", "must be at least 1 when extensions are allowed");
  if (pauses > 3) bad("pauses", "unknown pause reason");
}

inline clock_status evaluate_clock(const clock_spec& spec, const staffed_hours& hours,
                                   std::span<const clock_event> events, instant as_of) {
  const auto reopen = std::find_if(events.begin(), events.end(), [&](const clock_event& e) {
    return e.kind == clock_event_kind::reopen && &e != events.data();
  });
  if (reopen != events.end())
    throw invalid_argument_error(detail::where(static_cast<std::size_t>(reopen - events.begin()), *reopen) +
                                 ": a reopen starts a new cycle; use evaluate_cycles for the whole history");
  if (!events.empty() && events.back().at > as_of) validate_history(spec, hours, events);  // events not yet in view
  return detail::evaluate_cycle(spec, hours, events, as_of, 0);
}

inline std::vector<clock_status> evaluate_cycles(const clock_spec& spec, const staffed_hours& hours,
                                                 std::span<const clock_event> events, instant as_of) {
  validate_history(spec, hours, events);
  std::vector<clock_status> out;
  std::size_t b = 0;
  for (std::size_t i = 1; i <= events.size(); ++i) {
    if (i == events.size() || events[i].kind == clock_event_kind::reopen) {
      if (events[b].at > as_of) break;  // a cycle not begun as of
      out.push_back(detail::evaluate_cycle(spec, hours, events.subspan(b, i - b), as_of, b));
      b = i;
    }
  }
  return out;
}

inline void validate_history(const clock_spec& spec, const staffed_hours& hours, std::span<const clock_event> events) {
  if (events.empty() || events[0].kind != clock_event_kind::start)
    throw invalid_argument_error("a clock's history must begin with a start event");
  std::size_t b = 0;
  for (std::size_t i = 1; i <= events.size(); ++i) {
    if (i < events.size() && events[i].at < events[i - 1].at)
      throw invalid_argument_error(detail::where(i, events[i]) + " is before " + detail::where(i - 1, events[i - 1]) +
                                   (events[i].kind == clock_event_kind::stop
                                        ? ": a clock cannot stop before it started or before its last event"
                                        : ": events must be in time order"));
    if (i == events.size() || events[i].kind == clock_event_kind::reopen) {
      if (i < events.size() && events[i - 1].kind != clock_event_kind::stop)
        detail::illegal(detail::where(i, events[i]) + ": only a stopped clock can be reopened");
      // Evaluated as of its last event, every event of the cycle is checked.
      (void)detail::evaluate_cycle(spec, hours, events.subspan(b, i - b), events[i - 1].at, b);
      b = i;
    }
  }
}

}  // namespace hotline
