/* hotline/c/sla.h: SLA policies through the C ABI (include hotline/hotline.h).
 *
 * A policy says which deadline clocks a work order gets and how each counts
 * (docs/sla.md).  A policy is immutable: one handle may be used by any number
 * of threads at once.
 *
 *   hotline_sla_policy* p = NULL;
 *   hotline_sla_policy_new_preset(&p, "guangzhou-family-doctor");
 *   char* due = NULL;
 *   int64_t last_day = 0;
 *   hotline_sla_policy_due(&due, &last_day, p, NULL, "{\"request_type\": \"consultation\"}",
 *                          "2025-09-30T15:00:00+08:00", NULL);
 *   // due = "2025-10-11T00:00:00+08:00" (the end of Fri 10-10), last_day = 20371
 *   hotline_free(due);
 *   hotline_sla_policy_free(p);
 *
 * Inputs:
 *  - An order's attributes, `order_json`: {"request_type": "consultation"} with
 *    optional "complexity" (simple, complex), "urgency" (normal, urgent), "channel"
 *    (phone, wechat, online, voice) and "service_line" ("family_doctor").  Request
 *    types: consultation, complaint, report, help_request, praise, suggestion,
 *    other (or 咨询 投诉 举报 求助 表扬 建议 其他).
 *  - Instants: ISO-8601 text with an offset, "2025-09-30T15:00:00+08:00" or "...Z".
 *    Results are in Beijing time with "+08:00".  Days: int64 days since 1970-01-01.
 *  - `clock`: a clock of the order's rule ("reply", "transfer"); NULL or "" is the
 *    rule's primary clock.
 *  - `cal`: a calendar to count on instead of the policy's own (a regional
 *    overlay, loaded notices); NULL keeps the policy's.
 *
 * Errors: malformed JSON or a wrong JSON type is HOTLINE_E_PARSE naming the
 * argument and the field ("order_json.request_type: expected a string"); an
 * unknown name in it (a request type, an event kind) is HOTLINE_E_INVALID_ARGUMENT
 * naming the field and listing the names; an unknown preset or clock, or an order
 * no rule matches, is HOTLINE_E_NOT_FOUND; a policy file that cannot be read is
 * HOTLINE_E_IO naming the path; a deadline beyond the calendar's data is
 * HOTLINE_E_OUT_OF_RANGE; a history the clock cannot have (a resume while running)
 * is HOTLINE_E_ILLEGAL_TRANSITION.
 */
#ifndef HOTLINE_C_SLA_H
#define HOTLINE_C_SLA_H

#include "hotline/c/calendar.h"
#include "hotline/c/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hotline_sla_policy hotline_sla_policy;

/* A preset built into the library by name: "guangzhou-family-doctor" (000 art.
 * 12, 14), "tianjin-12320", "tianjin-12320-annex8" (001).  Unknown:
 * HOTLINE_E_NOT_FOUND, the message lists the presets.  *out: free with
 * hotline_sla_policy_free. */
HOTLINE_API hotline_status hotline_sla_policy_new_preset(hotline_sla_policy** out, const char* name);
/* A policy from JSON text (docs/sla.md).  A bad policy is HOTLINE_E_PARSE naming
 * the path to the field ("policy_json: rules[0].clocks[0].target: ...").  *out:
 * free with hotline_sla_policy_free. */
HOTLINE_API hotline_status hotline_sla_policy_from_json(hotline_sla_policy** out, const char* policy_json);
/* A policy from a JSON file; a missing file is HOTLINE_E_IO naming the path. */
HOTLINE_API hotline_status hotline_sla_policy_from_json_file(hotline_sla_policy** out, const char* path);
/* A new policy with the same rules counted on `cal` (the calendar stays the
 * caller's: it is copied).  *out: free with hotline_sla_policy_free. */
HOTLINE_API hotline_status hotline_sla_policy_with_calendar(hotline_sla_policy** out,
                                                            const hotline_sla_policy* policy,
                                                            const hotline_calendar* cal);
/* NULL is fine. */
HOTLINE_API void hotline_sla_policy_free(hotline_sla_policy* policy);

/* The policy as JSON that hotline_sla_policy_from_json reads back to an equal
 * policy.  *out: free with hotline_free. */
HOTLINE_API hotline_status hotline_sla_policy_to_json(char** out, const hotline_sla_policy* policy);
/* The preset names as a JSON array of strings.  *out: free with hotline_free. */
HOTLINE_API hotline_status hotline_sla_policy_preset_names(char** out);

/* When a clock started at `start` falls due if nothing pauses or extends it.
 * *out_due: the first instant at which the order is late (ISO-8601, +08:00; a
 * reply strictly before it is in time), free with hotline_free.  *out_last_day:
 * the day the clock runs out on (days since 1970-01-01).  Either out-parameter
 * may be NULL, not both. */
HOTLINE_API hotline_status hotline_sla_policy_due(char** out_due, int64_t* out_last_day,
                                                  const hotline_sla_policy* policy, const hotline_calendar* cal,
                                                  const char* order_json, const char* start, const char* clock);
/* The same deadline with how it was reached, as a JSON object:
 *   {"due": "...", "last_day": "YYYY-MM-DD", "last_day_number": n, "start": "...",
 *    "counting_start": "...", "rule": "consultation", "clock": "reply", "cite": "000 art. 12",
 *    "target": {"amount": 2, "unit": "working_days"}, "counting": "day_after_start",
 *    "due_rule": "end_of_day", "stepped_over": [{"date", "kind", "name_zh", "name_en"}...],
 *    "calendar_assumptions": "" (non-empty when a year rests on provisional days),
 *    "explanation": "one paragraph"}
 * *out: free with hotline_free. */
HOTLINE_API hotline_status hotline_sla_policy_deadline(char** out, const hotline_sla_policy* policy,
                                                       const hotline_calendar* cal, const char* order_json,
                                                       const char* start, const char* clock);
/* Evaluates a clock of the order's rule on its event history as of an instant.
 * input_json:
 *   {"order": {"request_type": "complaint"}, "clock": "reply" (optional),
 *    "as_of": "2026-03-10T12:00:00+08:00",
 *    "events": [{"kind": "start", "at": "..."},
 *               {"kind": "pause", "at": "...", "reason": "waiting_for_caller"},
 *               {"kind": "resume", "at": "..."}, {"kind": "extend", "at": "...", "amount": 2},
 *               {"kind": "stop", "at": "..."}, {"kind": "reopen", "at": "..."}]}
 * Event kinds: start, pause, resume, extend, stop, reopen; pause reasons:
 * waiting_for_caller, suspended_with_approval.  *out: a JSON object for the
 * last cycle begun as of `as_of`:
 *   {"state": "running" | "paused" | "met" | "breached", "warned": bool,
 *    "start", "counting_start", "due", "stopped" (or null), "warning" (or null),
 *    "unit": "working_days", "unit_seconds": 86400, "target", "elapsed", "remaining",
 *    "paused", "overdue" (seconds of the clock's measure), "late_by_seconds",
 *    "extensions", "extension_count", "ignored_pauses", "explanation",
 *    "cycles": [every cycle, the same fields without "cycles"]}
 * Free with hotline_free. */
HOTLINE_API hotline_status hotline_sla_policy_evaluate(char** out, const hotline_sla_policy* policy,
                                                       const hotline_calendar* cal, const char* input_json);

#ifdef __cplusplus
}
#endif

#endif /* HOTLINE_C_SLA_H */
