// hotline/assessment_facts.hpp: the facts of the unit assessment that the data
// can tell, computed from the store.
//
// 001 annex 10 scores what an assessor enters (a lead, a liaison, training) and
// what the hotline's own records show.  This header computes the second kind:
//
//   auto facts = hotline::assessment_facts(store, period, {.hours = hours});
//   facts["YX-BJJ"].checks["has_lead"] = true;           // the assessor's part
//   auto s = hotline::score(rubric, "YX-BJJ", facts["YX-BJJ"]);
//
// Rules, decided once:
//  * late_transfers (item 3, first-question responsibility: −2 per transfer not
//    made within 1 working day): an order of the period whose transfer clock was
//    missed, or still running past due at the end of the period.  It counts
//    against the unit whose line took the call (the call log's `unit` of the
//    call that led to the order); an order with no such call counts against the
//    centre, under the unit code "" .
//  * long_unanswered_calls (item 3, −0.2 each): calls of the period in staffed
//    hours that rang at least `long_unanswered` without an answer, by the unit
//    whose line rang (long_unanswered() in call_log.hpp).
//  * callback_satisfaction (item 5): one observation per order of the period
//    with a call-back result, under the order's handling unit; the value is the
//    result's name (satisfied, basically_satisfied, dissatisfied, unreachable),
//    which the rubric's mapping scores (the Tianjin preset maps only satisfied
//    and dissatisfied; the others are counted and left out of the mean).
//  * Voided and merged orders count for nothing.  assess_units() shows the
//    centre (unit code "") as "(12320 centre)".
#pragma once

#include "hotline/assessment.hpp"
#include "hotline/report.hpp"
#include "hotline/staffed_hours.hpp"
#include "hotline/store.hpp"

#include <map>
#include <optional>
#include <string>

namespace hotline {

struct assessment_inputs {
  /// When the lines are staffed; default: the national calendar, 08:30-16:30.
  std::optional<staffed_hours> hours;
  /// How long a call rings unanswered before it counts as "long" (a policy number).
  seconds long_unanswered{60};
};

/// Facts per unit code, for every unit with an order, a call or a call-back in
/// the period (the fact keys of the Tianjin preset; see the rules above).
[[nodiscard]] std::map<std::string, unit_facts> assessment_facts(const store& db, const reporting_period& period,
                                                                 const assessment_inputs& inputs = {});

/// Scores every unit of the directory plus every unit with computed facts:
/// computed facts merged with `entered` (an assessor's checks and scores;
/// entered occurrences, rates and observations are added to the computed ones).
[[nodiscard]] std::vector<unit_score> assess_units(const rubric& r, const store& db, const reporting_period& period,
                                                   const std::map<std::string, unit_facts>& entered = {},
                                                   const assessment_inputs& inputs = {});

/// Two tables: the scores (one row per unit: each criterion, the total and the
/// rubric's own maximum) and the breakdown (one row per item and unit, with the
/// explanation and the orders or calls behind each deduction).  The rubric's gaps
/// are notes under the first.
[[nodiscard]] std::vector<report_table> assessment_tables(const std::vector<unit_score>& scores,
                                                          const reporting_period& period);

}  // namespace hotline
