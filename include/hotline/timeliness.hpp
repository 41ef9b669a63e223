// hotline/timeliness.hpp: how promptly orders moved, as of an instant.
//
// The timeliness report of a period: per clock (transfer, sign-for, reply,
// completion, call-back) how many were met, missed, still running and already
// past due; the overdue and warned lists; how often orders were returned,
// extended, supervised, sent back for rework or reopened; satisfaction from the
// call-backs; and the reply on-time rate of every unit.
//
//   auto t = hotline::timeliness(store, hotline::reporting_period::month(2026, 3), now);
//   t.clock(hotline::clock_kind::reply).on_time();   // rate{met, met + missed + overdue}
//   for (auto& table : t.tables()) hotline::write_text(table, std::cout);
//
// Rules, decided once:
//  * A clock is decided when it was met or missed, or when it is still running
//    past its due instant at `as_of` (it can only end missed).  The on-time rate
//    is met / decided; a clock running within its time, paused, voided or never
//    started is not in the denominator, and the report counts each of them.
//  * The overdue list holds the running clocks due before `as_of`, most overdue
//    first; the warned list the running clocks whose warning instant has passed
//    but which are not yet due.  An order appears once per clock.
//  * Satisfaction = (satisfied + basically satisfied) / call-backs that reached
//    the caller; unreachable call-backs are counted, not in the denominator.
//  * Voided and merged orders are left out, as in the monthly tables.
#pragma once

#include "hotline/order_facts.hpp"
#include "hotline/report.hpp"
#include "hotline/report_table.hpp"
#include "hotline/store.hpp"

#include <array>
#include <span>
#include <string>
#include <vector>

namespace hotline {

struct clock_timeliness {
  clock_kind clock = clock_kind::transfer;
  std::int64_t met = 0, missed = 0, overdue = 0;    ///< overdue: running, past due at as_of
  std::int64_t running = 0, paused = 0, voided = 0;  ///< running: within its time
  std::int64_t not_started = 0;
  [[nodiscard]] std::int64_t decided() const { return met + missed + overdue; }
  [[nodiscard]] rate on_time() const { return {met, decided()}; }
};

/// One running clock past due (or past its warning) at as_of.
struct late_clock {
  std::string number;
  std::string unit;
  clock_kind clock = clock_kind::transfer;
  instant due{};
  instant warn{};
};

struct unit_timeliness {
  std::string unit;  ///< "" = not dispatched to a unit
  std::int64_t orders = 0;
  clock_timeliness reply;
  clock_timeliness completion;
};

struct timeliness_result {
  reporting_period period;
  instant as_of{};
  std::int64_t orders = 0;  ///< counted orders (not voided or merged)
  std::array<clock_timeliness, clock_count> clocks{};
  std::vector<late_clock> overdue;  ///< most overdue first
  std::vector<late_clock> warned;   ///< earliest warning first
  /// Returns, extensions, suspensions, rework, supervisions, reopens, urgent
  /// marks: from the event log (empty when computed from work_order values).
  std::vector<action_tally> actions;
  std::int64_t supervised_orders = 0, reopened_orders = 0, extended_orders = 0;
  std::array<std::int64_t, 5> call_backs{};  ///< by call_back_result (index 0: none)
  std::vector<unit_timeliness> by_unit;     ///< by unit code

  [[nodiscard]] const clock_timeliness& clock(clock_kind k) const { return clocks[static_cast<std::size_t>(k)]; }
  [[nodiscard]] std::int64_t call_backs_of(call_back_result r) const { return call_backs[static_cast<std::size_t>(r)]; }
  /// (satisfied + basically satisfied) / call-backs that reached the caller.
  [[nodiscard]] rate satisfaction() const;
  /// Tables with Chinese headers: clocks, units, actions and satisfaction, overdue list, warned list.
  [[nodiscard]] std::vector<report_table> tables() const;
};

/// From the store: clocks and lists from the order facts, action counts from the event log.
[[nodiscard]] timeliness_result timeliness(const store& db, const reporting_period& period, instant as_of,
                                           const report_scope& scope = {});
/// From work orders (no event log: `actions` stays empty; the supervised,
/// reopened and extended counts come from the orders' own fields).
[[nodiscard]] timeliness_result timeliness(std::span<const work_order> orders, const reporting_period& period,
                                           instant as_of, const report_scope& scope = {});

}  // namespace hotline
