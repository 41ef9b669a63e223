// hotline/work_order_deadlines.hpp: working-day deadlines for the work-order clocks.
//
// The store asks a `deadline_policy` (work_order.hpp) when each clock of an
// order is due.  This is the policy built from the calendar and the rules of the
// seed documents; an SLA policy (sla.hpp) may take its place.
//
//   auto policy = std::make_shared<hotline::calendar_deadlines>(hotline::calendar::china());
//   hotline::store db("hotline.db", {.deadlines = policy});
//
// Rules (each a field of calendar_deadline_rules, so a centre can change them):
//  * "N working days" is counted from the day after the clock starts (自收到次日起,
//    000 art. 12): the clock is due at the end (24:00 Beijing time) of the N-th
//    working day strictly after the start's local day (calendar::add_workdays).
//    A start on a holiday or a weekend counts the same way.
//  * It warns from 00:00 of that last working day ("due today").
//  * transfer (receipt to dispatch): 1 working day (001 annex 10 item 3).
//  * reply: on the family-doctor line ("family_doctor") consultations 2 working
//    days and complaints, reports, help requests and praise 10 (000 art. 12);
//    suggestions and other requests 10 as well (not in 000; the longer rule).
//    On every other line 7 working days for a simple request and 30 for a
//    complex one (001 §3.4).  The reply clock starts at dispatch: the unit
//    "receives" the order when it is dispatched to it.
//  * sign_for: 1 working day; call_back: 2 working days after the reply is
//    accepted.  Neither is in the seed documents: centre practice, adjustable.
//  * completion (receipt to close): the reply rule plus the transfer day.
//  * A pause moves the due day by the working days in (pause day, resume day];
//    an extension moves it by the granted working days.
#pragma once

#include "hotline/calendar.hpp"
#include "hotline/work_order.hpp"

namespace hotline {

struct calendar_deadline_rules {
  int transfer_days = 1;                ///< 001 annex 10 item 3
  int sign_for_days = 1;                ///< centre practice
  int family_doctor_consultation_days = 2;  ///< 000 art. 12
  int family_doctor_other_days = 10;        ///< 000 art. 12
  int simple_days = 7;                  ///< 001 §3.4
  int complex_days = 30;                ///< 001 §3.4
  int call_back_days = 2;               ///< centre practice
  std::string family_doctor_line = "family_doctor";
};

class calendar_deadlines final : public deadline_policy {
 public:
  explicit calendar_deadlines(calendar cal, calendar_deadline_rules rules = {})
      : cal_(std::move(cal)), rules_(std::move(rules)) {}

  /// Working days of the clock for this order (before pauses and extensions).
  [[nodiscard]] int working_days(clock_kind k, const work_order& order) const;
  [[nodiscard]] due_times due(clock_kind k, const work_order& order, instant start) const override;
  [[nodiscard]] due_times resumed(clock_kind k, const work_order& order, due_times before, instant paused_at,
                                  instant resumed_at) const override;
  [[nodiscard]] due_times extended(clock_kind k, const work_order& order, due_times before,
                                   int working_days) const override;
  [[nodiscard]] const calendar_deadline_rules& rules() const noexcept { return rules_; }

 private:
  [[nodiscard]] due_times end_of(day last_day) const;
  calendar cal_;
  calendar_deadline_rules rules_;
};

}  // namespace hotline
