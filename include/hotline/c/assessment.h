/* hotline/c/assessment.h: scoring units on an assessment rubric through the C
 * ABI (include hotline/hotline.h).  docs/assessment.md has the rubric format and
 * the rules (every point given or taken is explained; what does not add up in
 * the rubric is a gap, never repaired).
 *
 *   hotline_rubric* r = NULL;
 *   hotline_rubric_new_preset(&r, "tianjin-12320");          // 001 annex 10
 *   char* s = NULL;
 *   hotline_rubric_score(&s, r, "YX-BJJ",
 *       "{\"checks\": {\"has_lead\": true}, \"occurrences\": {\"late_transfers\": "
 *       "[{\"ref\": \"WO-1\", \"detail\": \"transferred 2 working days late\"}]}}");
 *   hotline_free(s);
 *   hotline_rubric_free(r);
 *
 * A unit's facts, `facts_json` (each part optional; keys are the rubric items'
 * "fact" names):
 *   {"checks": {"has_lead": true}, "scores": {"attitude": 3.5},
 *    "occurrences": {"late_transfers": [{"ref": "WO-1", "detail": "..."}]},
 *    "rates": {"on_time": [numerator, denominator]},
 *    "observations": {"callback_satisfaction": [{"value": "satisfied", "ref": "WO-2"}]}}
 *
 * A score as JSON:
 *   {"unit", "total", "max_total", "declared_total" (when the rubric claims one),
 *    "criteria": [{"id", "title", "points", "max_points"}],
 *    "items": [{"criterion", "item", "title", "kind", "points", "max_points",
 *               "assessed", "explanation", "refs": [...]}],
 *    "gaps": [{"where", "message"}]}
 *
 * A rubric is immutable: one handle may be used by any number of threads.
 *
 * Errors: an unknown preset is HOTLINE_E_NOT_FOUND naming it; a bad rubric
 * HOTLINE_E_PARSE naming the JSON path ("rubric_json: criteria[0].items[0].kind:
 * unknown item kind 'bonus'"); malformed facts HOTLINE_E_PARSE naming the field;
 * an assessor's score outside its bounds HOTLINE_E_INVALID_ARGUMENT naming the
 * item; a missing file HOTLINE_E_IO naming the path.
 */
#ifndef HOTLINE_C_ASSESSMENT_H
#define HOTLINE_C_ASSESSMENT_H

#include "hotline/c/common.h"
#include "hotline/c/report.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hotline_rubric hotline_rubric;

/* A preset: "tianjin-12320" (001 annex 10).  *out: free with hotline_rubric_free. */
HOTLINE_API hotline_status hotline_rubric_new_preset(hotline_rubric** out, const char* name);
/* A rubric from JSON text (docs/assessment.md).  *out: free with hotline_rubric_free. */
HOTLINE_API hotline_status hotline_rubric_from_json(hotline_rubric** out, const char* rubric_json);
/* A rubric from a JSON file.  *out: free with hotline_rubric_free. */
HOTLINE_API hotline_status hotline_rubric_from_json_file(hotline_rubric** out, const char* path);
/* NULL is fine. */
HOTLINE_API void hotline_rubric_free(hotline_rubric* rubric);
/* The preset names as a JSON array of strings.  *out: free with hotline_free. */
HOTLINE_API hotline_status hotline_rubric_preset_names(char** out);
/* What does not add up in the rubric, as JSON: {"name", "declared_total" (or
 * null), "criteria_total", "gaps": [{"where", "message"}]}.  *out: free with
 * hotline_free. */
HOTLINE_API hotline_status hotline_rubric_gaps(char** out, const hotline_rubric* rubric);

/* Scores one unit's facts (above) on the rubric; a missing fact scores 0 and
 * says "not assessed".  *out: the score JSON (above), free with hotline_free. */
HOTLINE_API hotline_status hotline_rubric_score(char** out, const hotline_rubric* rubric, const char* unit,
                                                const char* facts_json);
/* Scores every unit of the store's directory plus every unit with facts in the
 * period: the facts the store can tell (late transfers, long unanswered calls,
 * call-back satisfaction; docs/reports.md "Assessment facts") merged with what
 * the assessor entered, `entered_json` (NULL: nothing): {"UNIT": facts, ...},
 * "" being the centre's own line.  `options_json` (NULL: defaults):
 * {"long_unanswered_seconds": 60}.  *out: a report (hotline/c/report.h) with two
 * tables (the scores, and the breakdown per item) whose JSON holds "report":
 * "assessment", "period", "rubric" and "units": [score JSON].  Free with
 * hotline_report_free. */
HOTLINE_API hotline_status hotline_rubric_assess_units(hotline_report** out, const hotline_rubric* rubric,
                                                       const hotline_store* store, const char* period,
                                                       const char* entered_json, const char* options_json);

#ifdef __cplusplus
}
#endif

#endif /* HOTLINE_C_ASSESSMENT_H */
