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
#include "hotline/sla_policy.hpp"
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

/// The SLA policy (sla_policy.hpp) behind the store's deadline seam.
///
///   hotline::store db("h.db", {.deadlines = std::make_shared<hotline::sla_deadlines>(
///                                  hotline::sla_policy::preset("guangzhou-family-doctor"))});
///
/// Each order clock is matched to a clock of the order's rule by its events:
///   transfer   received -> transferred        sign_for   transferred -> signed_for
///   reply      ... -> replied (started at receipt or at the transfer, as the spec says)
///   completion ... -> closed
/// The due instant and the warning come from sla_policy::evaluate on the clock's
/// start (so working hours, counting rules and due rules are the policy's).  A
/// clock the rule does not have (call_back always: there is no call-back event in
/// the SLA vocabulary), or an order no rule matches, falls back to
/// calendar_deadlines on the policy's calendar.  Pauses and extensions move the
/// due day by whole working days on the policy's calendar (calendar_deadlines'
/// rule); the SLA engine's finer accounting (working hours, pause reasons,
/// extension limits) is available from sla_policy::evaluate over the events.
class sla_deadlines final : public deadline_policy {
 public:
  explicit sla_deadlines(sla_policy policy, calendar_deadline_rules fallback = {})
      : policy_(std::move(policy)), fallback_(policy_.workdays(), std::move(fallback)) {}

  [[nodiscard]] due_times due(clock_kind k, const work_order& order, instant start) const override {
    const auto attrs = order_attributes::of(order);
    const sla_rule* rule = policy_.match(attrs);
    const clock_spec* spec = rule ? find(*rule, k) : nullptr;
    if (!spec) return fallback_.due(k, order, start);
    const instant from = spec->start_event == sla_event::received ? order.received_at : start;
    const clock_event ev[] = {clock_event::start_at(from)};
    const auto st = policy_.evaluate(attrs, ev, from, spec->name);
    const instant warn = st.warning ? *st.warning : from_local(local_day(st.due - seconds{1}), seconds{0});
    return {st.due, warn};
  }
  [[nodiscard]] due_times resumed(clock_kind k, const work_order& order, due_times before, instant paused_at,
                                  instant resumed_at) const override {
    return fallback_.resumed(k, order, before, paused_at, resumed_at);
  }
  [[nodiscard]] due_times extended(clock_kind k, const work_order& order, due_times before,
                                   int working_days) const override {
    return fallback_.extended(k, order, before, working_days);
  }
  [[nodiscard]] const sla_policy& policy() const noexcept { return policy_; }

 private:
  static const clock_spec* find(const sla_rule& r, clock_kind k) {
    for (const auto& c : r.clocks) {
      switch (k) {
        case clock_kind::transfer:
          if (c.start_event == sla_event::received && c.stop_event == sla_event::transferred) return &c;
          break;
        case clock_kind::sign_for:
          if (c.start_event == sla_event::transferred && c.stop_event == sla_event::signed_for) return &c;
          break;
        case clock_kind::reply:
          if (c.stop_event == sla_event::replied) return &c;
          break;
        case clock_kind::completion:
          if (c.stop_event == sla_event::closed) return &c;
          break;
        case clock_kind::call_back: break;
      }
    }
    return nullptr;
  }
  sla_policy policy_;
  calendar_deadlines fallback_;
};

}  // namespace hotline
