/* The C ABI of the assessment, from C: the Tianjin rubric (001 annex 10) scoring
 * a unit's facts, the score worked out here from the annex's rules; a rubric of
 * one's own with its gaps; every unit of a store assessed; and bad input. */
#include "c_api_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int near(double a, double b) { return a - b < 1e-9 && b - a < 1e-9; }

static double min2(double a, double b) { return a < b ? a : b; }

int main(void) {
  hotline_rubric* tj = NULL;
  CHECK(hotline_rubric_new_preset(&tj, "tianjin-12320") == HOTLINE_OK);

  /* 001 annex 10 as docs/assessment.md tabulates it: item 1, five checks of 2;
   * item 2, two assessor's scores of 10; item 3, long unanswered calls -0.2 each
   * (at most 3 of 8), attitude 4, late transfers -2 each (at most 8 of 8);
   * item 4, training 15; item 5, call-back satisfaction (satisfied 10,
   * dissatisfied 0, others left out of the mean). */
  const int checks_yes = 4; /* of 5: no trained staff */
  const double records = 8, reports = 9.5, attitude = 3, training = 12;
  const int long_calls = 20, late = 3;
  const int satisfied = 3, dissatisfied = 1; /* and one unreachable, left out */
  const double expect = checks_yes * 2.0 + records + reports + (8 - min2(0.2 * long_calls, 3)) + attitude +
                        (8 - min2(2.0 * late, 8)) + training +
                        (satisfied * 10.0 + dissatisfied * 0.0) / (satisfied + dissatisfied);

  char facts[4096];
  char calls[1024] = "", transfers[512] = "";
  for (int i = 0; i < long_calls; ++i) {
    char one[64];
    snprintf(one, sizeof one, "%s{\"ref\": \"CALL-%02d\"}", i ? ", " : "", i);
    strcat(calls, one);
  }
  for (int i = 0; i < late; ++i) {
    char one[128];
    snprintf(one, sizeof one, "%s{\"ref\": \"WO-%d\", \"detail\": \"transferred 2 working days late\"}", i ? ", " : "",
             i + 1);
    strcat(transfers, one);
  }
  snprintf(facts, sizeof facts,
           "{\"checks\": {\"has_lead\": true, \"has_handling_department\": true, \"has_fixed_liaison\": true, "
           "\"has_hotline\": true, \"has_trained_staff\": false},"
           " \"scores\": {\"records_quality\": %g, \"reports_timely\": %g, \"attitude\": %g, \"training\": %g},"
           " \"occurrences\": {\"long_unanswered_calls\": [%s], \"late_transfers\": [%s]},"
           " \"observations\": {\"callback_satisfaction\": [{\"value\": \"satisfied\", \"ref\": \"WO-7\"},"
           " {\"value\": \"satisfied\"}, {\"value\": \"satisfied\"}, {\"value\": \"dissatisfied\"},"
           " {\"value\": \"unreachable\"}]}}",
           records, reports, attitude, training, calls, transfers);

  char* out = NULL;
  CHECK(hotline_rubric_score(&out, tj, "YX-BJJ", facts) == HOTLINE_OK);
  CHECK(out && strstr(out, "\"unit\":\"YX-BJJ\""));
  CHECK(near(num_after(out, "\"unit\":", "\"total\":"), expect));
  CHECK(near(num_after(out, "\"unit\":", "\"max_total\":"), 80));       /* what the items can give */
  CHECK(near(num_after(out, "\"unit\":", "\"declared_total\":"), 100)); /* what the rubric claims */
  /* The deductions name the orders behind them; the unmapped value is counted. */
  CHECK(out && strstr(out, "WO-2: transferred 2 working days late") && strstr(out, "CALL-19"));
  CHECK(out && strstr(out, "unreachable (not in the rubric, left out)"));
  CHECK(out && strstr(out, "\"gaps\":[{\"where\""));
  hotline_free(out);

  /* Nothing entered: every item not assessed, deductions at their maximum. */
  out = NULL;
  CHECK(hotline_rubric_score(&out, tj, "", "{}") == HOTLINE_OK);
  CHECK(near(num_after(out, "\"unit\":", "\"total\":"), 8 + 8));
  CHECK(out && strstr(out, "\"assessed\":false") && strstr(out, "not assessed"));
  hotline_free(out);

  /* Presets and gaps: the criteria sum to 80 of a declared 100. */
  out = NULL;
  CHECK(hotline_rubric_preset_names(&out) == HOTLINE_OK && out && strcmp(out, "[\"tianjin-12320\"]") == 0);
  hotline_free(out);
  out = NULL;
  CHECK(hotline_rubric_gaps(&out, tj) == HOTLINE_OK);
  CHECK(near(num_after(out, "", "\"criteria_total\":"), 80) && near(num_after(out, "", "\"declared_total\":"), 100));
  hotline_free(out);

  /* A rubric of one's own: a rate item scores the highest threshold reached. */
  const char* own =
      "{\"name\": \"own\", \"declared_total\": 10, \"criteria\": [{\"id\": \"c\", \"title\": \"及时\", "
      "\"max_points\": 10, \"items\": [{\"id\": \"c.rate\", \"title\": \"按时办结率\", \"kind\": \"rate\", "
      "\"max_points\": 10, \"fact\": \"on_time\", \"thresholds\": [{\"min_rate\": 0.8, \"points\": 6}, "
      "{\"min_rate\": 0.95, \"points\": 10}]}]}]}";
  hotline_rubric* r = NULL;
  CHECK(hotline_rubric_from_json(&r, own) == HOTLINE_OK);
  out = NULL;
  CHECK(hotline_rubric_score(&out, r, "U1", "{\"rates\": {\"on_time\": [17, 20]}}") == HOTLINE_OK); /* 0.85 */
  CHECK(near(num_after(out, "\"unit\":", "\"total\":"), 6));
  hotline_free(out);
  out = NULL;
  CHECK(hotline_rubric_score(&out, r, "U1", "{\"rates\": {\"on_time\": [19, 20]}}") == HOTLINE_OK); /* 0.95 */
  CHECK(near(num_after(out, "\"unit\":", "\"total\":"), 10));
  hotline_free(out);
  hotline_rubric_free(r);
  {
    const char* path = "c_api_assessment_rubric.json";
    FILE* f = fopen(path, "wb");
    CHECK(f != NULL);
    if (f) {
      fputs(own, f);
      fclose(f);
    }
    r = NULL;
    CHECK(hotline_rubric_from_json_file(&r, path) == HOTLINE_OK);
    hotline_rubric_free(r);
    remove(path);
  }

  /* Every unit of a store for March: the two consultations never transferred are
   * late transfers charged to the centre ("" , no call led to them): -2 each. */
  {
    const char* db = "c_api_assessment.db";
    remove(db);
    hotline_store* s = NULL;
    CHECK(hotline_store_open(&s, db, NULL) == HOTLINE_OK);
    CHECK(hotline_store_put_unit(s, "{\"code\": \"YX-BJJ\", \"name\": \"北京街社区卫生服务中心\"}") == HOTLINE_OK);
    CHECK(hotline_store_create(NULL, s,
                               "{\"request_type\": \"consultation\", \"received_at\": \"2026-03-02T09:00:00+08:00\", "
                               "\"content\": \"家庭医生怎么签约\"}",
                               "{\"id\": \"A017\"}", 0) == HOTLINE_OK);
    CHECK(hotline_store_create(NULL, s,
                               "{\"request_type\": \"consultation\", \"received_at\": \"2026-03-03T09:00:00+08:00\", "
                               "\"content\": \"签约要带什么材料\"}",
                               "{\"id\": \"A017\"}", 0) == HOTLINE_OK);
    hotline_report* a = NULL;
    CHECK(hotline_rubric_assess_units(&a, tj, s, "2026-03",
                                      "{\"YX-BJJ\": {\"checks\": {\"has_lead\": true}, \"scores\": {\"training\": 15}}}",
                                      "{\"long_unanswered_seconds\": 45}") == HOTLINE_OK);
    char* json = NULL;
    CHECK(hotline_report_to_json(&json, a) == HOTLINE_OK);
    CHECK(json && strstr(json, "\"report\":\"assessment\"") && strstr(json, "\"rubric\":\"tianjin-12320\""));
    /* The unit: what the assessor entered, and full marks on the deductions. */
    CHECK(near(num_after(json, "\"unit\":\"YX-BJJ\"", "\"total\":"), 2 + 15 + 8 + 8));
    /* The centre: two late transfers. */
    CHECK(near(num_after(json, "\"unit\":\"(12320 centre)\"", "\"total\":"), 8 + (8 - 2 * 2)));
    CHECK(json && strstr(json, "2 × −2 = −4"));
    hotline_free(json);
    size_t tables = 0;
    CHECK(hotline_report_table_count(&tables, a) == HOTLINE_OK && tables == 2);
    CHECK(hotline_report_write_xlsx(a, "c_api_assessment.xlsx") == HOTLINE_OK);
    remove("c_api_assessment.xlsx");
    hotline_report_free(a);
    a = NULL;
    CHECK_ERROR(hotline_rubric_assess_units(&a, tj, s, "2026-03", "[]", NULL), HOTLINE_E_PARSE,
                "entered_json: expected an object of units");
    CHECK_ERROR(hotline_rubric_assess_units(&a, tj, s, "2026-03", "{\"YX-BJJ\": {\"checks\": {\"has_lead\": 1}}}", NULL),
                HOTLINE_E_PARSE, "entered_json.YX-BJJ.checks.has_lead: expected true or false");
    CHECK_ERROR(hotline_rubric_assess_units(&a, tj, s, "March", NULL, NULL), HOTLINE_E_PARSE, "period: 'March'");
    CHECK_ERROR(hotline_rubric_assess_units(&a, tj, NULL, "2026-03", NULL, NULL), HOTLINE_E_INVALID_ARGUMENT, "NULL");
    CHECK(a == NULL);
    hotline_store_free(s);
    remove(db);
    remove("c_api_assessment.db-wal");
    remove("c_api_assessment.db-shm");
  }

  /* ---- bad input ---- */
  out = NULL;
  CHECK_ERROR(hotline_rubric_score(NULL, tj, "U", "{}"), HOTLINE_E_INVALID_ARGUMENT, "must not be NULL");
  CHECK_ERROR(hotline_rubric_score(&out, NULL, "U", "{}"), HOTLINE_E_INVALID_ARGUMENT, "must not be NULL");
  CHECK_ERROR(hotline_rubric_score(&out, tj, "U\xFF", "{}"), HOTLINE_E_INVALID_ARGUMENT, "unit: not valid UTF-8 at byte 1");
  CHECK_ERROR(hotline_rubric_score(&out, tj, "U", "{\"checks\": {\"has_lead\": \"\xE6\x98\"}}"),
              HOTLINE_E_INVALID_ARGUMENT, "facts_json: not valid UTF-8 at byte 25");
  CHECK_ERROR(hotline_rubric_score(&out, tj, "U", "{\"checks\": {\"has_lead\": yes}}"), HOTLINE_E_PARSE,
              "facts_json: malformed JSON");
  CHECK_ERROR(hotline_rubric_score(&out, tj, "U", "{\"checks\": {\"has_lead\": \"yes\"}}"), HOTLINE_E_PARSE,
              "facts_json.checks.has_lead: expected true or false");
  CHECK_ERROR(hotline_rubric_score(&out, tj, "U", "{\"rates\": {\"on_time\": [1]}}"), HOTLINE_E_PARSE,
              "facts_json.rates.on_time: expected [numerator, denominator]");
  CHECK_ERROR(hotline_rubric_score(&out, tj, "U", "{\"bonus\": {}}"), HOTLINE_E_PARSE, "unknown key 'bonus'");
  /* An assessor's score outside its bounds names the item. */
  CHECK_ERROR(hotline_rubric_score(&out, tj, "U", "{\"scores\": {\"attitude\": 5}}"), HOTLINE_E_INVALID_ARGUMENT,
              "outside 0..4");
  CHECK(out == NULL);
  {
    hotline_rubric* bad = NULL;
    CHECK_ERROR(hotline_rubric_new_preset(&bad, "beijing-12320"), HOTLINE_E_NOT_FOUND, "beijing-12320");
    CHECK_ERROR(hotline_rubric_from_json_file(&bad, "no/such/rubric.json"), HOTLINE_E_IO, "no/such/rubric.json");
    CHECK_ERROR(hotline_rubric_from_json(&bad,
                                         "{\"name\": \"b\", \"criteria\": [{\"id\": \"c\", \"max_points\": 1, "
                                         "\"items\": [{\"id\": \"i\", \"kind\": \"bonus\", \"max_points\": 1, "
                                         "\"fact\": \"f\"}]}]}"),
                HOTLINE_E_PARSE, "criteria[0].items[0].kind");
    CHECK(strstr(hotline_last_error(), "bonus") != NULL && strstr(hotline_last_error(), "rubric_json") != NULL);
    CHECK_ERROR(hotline_rubric_from_json(&bad, "{\"name\": "), HOTLINE_E_PARSE, "rubric_json");
    CHECK(bad == NULL);
  }

  hotline_rubric_free(tj);
  hotline_rubric_free(NULL);
  return check_summary();
}
