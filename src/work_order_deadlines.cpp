// calendar_deadlines: the working-day rules of 000 art. 12 and 001 §3.4.
#include "hotline/work_order_deadlines.hpp"

namespace hotline {

int calendar_deadlines::working_days(clock_kind k, const work_order& o) const {
  const auto reply_days = [&] {
    if (o.line == rules_.family_doctor_line)  // 000 art. 12
      return o.request_type == request_type::consultation ? rules_.family_doctor_consultation_days
                                                          : rules_.family_doctor_other_days;
    return o.complex ? rules_.complex_days : rules_.simple_days;  // 001 §3.4
  };
  switch (k) {
    case clock_kind::transfer: return rules_.transfer_days;
    case clock_kind::sign_for: return rules_.sign_for_days;
    case clock_kind::reply: return reply_days();
    case clock_kind::completion: return reply_days() + rules_.transfer_days;
    case clock_kind::call_back: return rules_.call_back_days;
  }
  return rules_.transfer_days;
}

due_times calendar_deadlines::end_of(day last) const {
  // Due at 24:00 of the last working day; warned from its 00:00.
  return {from_local(last + date::days{1}, seconds{0}), from_local(last, seconds{0})};
}

due_times calendar_deadlines::due(clock_kind k, const work_order& o, instant start) const {
  return end_of(cal_.add_workdays(local_day(start), working_days(k, o)));
}

due_times calendar_deadlines::resumed(clock_kind, const work_order&, due_times before, instant paused_at,
                                      instant resumed_at) const {
  const auto n = cal_.workdays_between(local_day(paused_at), local_day(resumed_at));
  if (n <= 0) return before;
  const day last = local_day(before.due - seconds{1});
  return end_of(cal_.add_workdays(last, n));
}

due_times calendar_deadlines::extended(clock_kind, const work_order&, due_times before, int days) const {
  if (days <= 0) return before;
  const day last = local_day(before.due - seconds{1});
  return end_of(cal_.add_workdays(last, days));
}

}  // namespace hotline
