/* The C ABI of the SLA policies, from C: due dates checked against the rule
 * (000 art. 12: 2 working days counted from the day after receipt, due at the
 * end of the last one) with the calendar's own answers, deadlines, clock
 * evaluation, and every kind of bad input with its status and message. */
#include "c_api_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The day of an ISO instant's date part ("2025-10-11T00:00:00+08:00" -> that day). */
static int64_t date_part(const char* iso) {
  char buf[11];
  if (!iso || strlen(iso) < 10) return -1;
  memcpy(buf, iso, 10);
  buf[10] = '\0';
  return day_of(buf);
}

/* What 000 art. 12 says, counted on the calendar: the n-th working day strictly
 * after the receipt's day, and that each day between is or is not counted. */
static void check_rule(const hotline_calendar* cal, int64_t received, int64_t last_day, int n) {
  int counted = 0, work = 0;
  for (int64_t d = received + 1; d <= last_day; ++d) {
    CHECK(hotline_calendar_is_workday(&work, cal, d) == HOTLINE_OK);
    counted += work;
  }
  CHECK(counted == n);
  CHECK(hotline_calendar_is_workday(&work, cal, last_day) == HOTLINE_OK && work == 1);
}

/* One due date: the instant is 00:00 Beijing time of the day after the last day. */
static void check_due(const hotline_sla_policy* p, const hotline_calendar* cal, const hotline_calendar* rule_cal,
                      const char* order, const char* received, int n) {
  char* due = NULL;
  int64_t last = 0, expect = 0;
  CHECK(hotline_sla_policy_due(&due, &last, p, cal, order, received, NULL) == HOTLINE_OK);
  CHECK(hotline_calendar_add_workdays(&expect, rule_cal, date_part(received), n) == HOTLINE_OK);
  CHECK(last == expect);
  check_rule(rule_cal, date_part(received), last, n);
  CHECK(due != NULL && date_part(due) == last + 1 && strcmp(due + 10, "T00:00:00+08:00") == 0);
  hotline_free(due);
}

int main(void) {
  hotline_calendar* cal = NULL;
  CHECK(hotline_calendar_new_china(&cal, 0) == HOTLINE_OK);
  hotline_sla_policy* gz = NULL;
  CHECK(hotline_sla_policy_new_preset(&gz, "guangzhou-family-doctor") == HOTLINE_OK);
  const char* consultation = "{\"request_type\": \"consultation\"}";

  /* 000 art. 12 across National Day, across Spring Festival (a worked Saturday
   * counts), from a worked Saturday, and a complaint's 10 days. */
  check_due(gz, NULL, cal, consultation, "2025-09-30T15:00:00+08:00", 2);
  check_due(gz, NULL, cal, consultation, "2026-02-13T10:00:00+08:00", 2);
  check_due(gz, NULL, cal, consultation, "2025-02-08T09:00:00+08:00", 2);
  check_due(gz, NULL, cal, "{\"request_type\": \"投诉\"}", "2025-09-26T09:00:00+08:00", 10);
  /* The receipt's day is its day in Beijing: 16:30Z on 01-23 is 00:30 on 01-24. */
  {
    int64_t a = 0, b = 0;
    CHECK(hotline_sla_policy_due(NULL, &a, gz, NULL, consultation, "2025-01-23T15:59:59Z", NULL) == HOTLINE_OK);
    CHECK(hotline_sla_policy_due(NULL, &b, gz, NULL, consultation, "2025-01-23T16:30:00Z", NULL) == HOTLINE_OK);
    int64_t ea = 0, eb = 0;
    hotline_calendar_add_workdays(&ea, cal, day_of("2025-01-23"), 2);
    hotline_calendar_add_workdays(&eb, cal, day_of("2025-01-24"), 2);
    CHECK(a == ea && b == eb && a != b);
  }

  /* A regional calendar: Guangxi's 三月三 makes the national working Sunday
   * 2023-04-23 a day off, so the same receipt falls due a day later. */
  {
    hotline_calendar* gx = NULL;
    CHECK(hotline_calendar_with_region(&gx, cal, "guangxi") == HOTLINE_OK);
    const char* received = "2023-04-21T10:00:00+08:00";
    check_due(gz, NULL, cal, consultation, received, 2);
    check_due(gz, gx, gx, consultation, received, 2);
    int64_t national = 0, regional = 0, baked = 0;
    hotline_sla_policy_due(NULL, &national, gz, NULL, consultation, received, NULL);
    hotline_sla_policy_due(NULL, &regional, gz, gx, consultation, received, NULL);
    CHECK(regional == national + 1);
    hotline_sla_policy* gzx = NULL;
    CHECK(hotline_sla_policy_with_calendar(&gzx, gz, gx) == HOTLINE_OK);
    CHECK(hotline_sla_policy_due(NULL, &baked, gzx, NULL, consultation, received, NULL) == HOTLINE_OK);
    CHECK(baked == regional);
    hotline_sla_policy_free(gzx);
    hotline_calendar_free(gx);
  }

  /* The deadline explained: the rule, the article, the holidays stepped over. */
  {
    char* d = NULL;
    CHECK(hotline_sla_policy_deadline(&d, gz, NULL, consultation, "2025-09-30T15:00:00+08:00", NULL) == HOTLINE_OK);
    CHECK(d && strstr(d, "\"rule\":\"consultation\"") && strstr(d, "\"cite\":\"000 art. 12\""));
    CHECK(d && strstr(d, "\"counting\":\"day_after_start\"") && strstr(d, "\"amount\":2"));
    /* Every day of 10-01..10-08 was stepped over; 10-01 is National Day. */
    CHECK(d && strstr(d, "\"date\":\"2025-10-01\"") && strstr(d, "\"explanation\":\""));
    char last[64];
    int64_t expect = 0;
    hotline_calendar_add_workdays(&expect, cal, day_of("2025-09-30"), 2);
    snprintf(last, sizeof last, "\"last_day_number\":%lld", (long long)expect);
    CHECK(d && strstr(d, last));
    hotline_free(d);
  }

  /* Presets as JSON; a policy written out reads back to the same deadlines. */
  {
    char* names = NULL;
    CHECK(hotline_sla_policy_preset_names(&names) == HOTLINE_OK);
    CHECK(names && names[0] == '[' && strstr(names, "\"guangzhou-family-doctor\"") &&
          strstr(names, "\"tianjin-12320\"") && strstr(names, "\"tianjin-12320-annex8\""));
    hotline_free(names);
    char* text = NULL;
    hotline_sla_policy* back = NULL;
    CHECK(hotline_sla_policy_to_json(&text, gz) == HOTLINE_OK);
    CHECK(hotline_sla_policy_from_json(&back, text) == HOTLINE_OK);
    int64_t a = 0, b = 0;
    hotline_sla_policy_due(NULL, &a, gz, NULL, "{\"request_type\": \"praise\"}", "2026-04-30T09:00:00+08:00", NULL);
    CHECK(hotline_sla_policy_due(NULL, &b, back, NULL, "{\"request_type\": \"praise\"}", "2026-04-30T09:00:00+08:00",
                                 NULL) == HOTLINE_OK);
    CHECK(a == b);
    check_due(back, NULL, cal, "{\"request_type\": \"praise\"}", "2026-04-30T09:00:00+08:00", 10);
    hotline_free(text);
    hotline_sla_policy_free(back);
  }

  /* A policy of one's own, from text and from a file: 3 calendar days, exact. */
  {
    const char* own =
        "{\"name\": \"own\", \"rules\": [{\"name\": \"all\", \"clocks\": [{\"name\": \"reply\", "
        "\"target\": {\"calendar_days\": 3}, \"count\": \"start_instant\", \"due\": \"exact\"}]}]}";
    hotline_sla_policy* p = NULL;
    CHECK(hotline_sla_policy_from_json(&p, own) == HOTLINE_OK);
    char* due = NULL;
    CHECK(hotline_sla_policy_due(&due, NULL, p, NULL, "{\"request_type\": \"other\"}", "2025-12-30T10:15:00+08:00",
                                 NULL) == HOTLINE_OK);
    CHECK(due && strcmp(due, "2026-01-02T10:15:00+08:00") == 0);
    hotline_free(due);
    hotline_sla_policy_free(p);
    const char* path = "c_api_sla_policy.json";
    FILE* f = fopen(path, "wb");
    CHECK(f != NULL);
    if (f) {
      fputs(own, f);
      fclose(f);
    }
    p = NULL;
    CHECK(hotline_sla_policy_from_json_file(&p, path) == HOTLINE_OK);
    hotline_sla_policy_free(p);
    remove(path);
  }

  /* The clock over its history.  A consultation received Mon 2026-03-02 10:00
   * is due at the end of its 2nd working day; the preset warns 1 day before. */
  {
    int64_t last = 0;
    hotline_calendar_add_workdays(&last, cal, day_of("2026-03-02"), 2);
    char* out = NULL;
    const char* running =
        "{\"order\": {\"request_type\": \"consultation\"}, \"as_of\": \"2026-03-04T12:00:00+08:00\", "
        "\"events\": [{\"kind\": \"start\", \"at\": \"2026-03-02T10:00:00+08:00\"}]}";
    CHECK(hotline_sla_policy_evaluate(&out, gz, NULL, running) == HOTLINE_OK);
    /* As of noon on the last day: running, warned (it is within its last day). */
    CHECK(last == day_of("2026-03-04"));
    CHECK(out && strstr(out, "\"state\":\"running\"") && strstr(out, "\"warned\":true"));
    CHECK(out && strstr(out, "\"due\":\"2026-03-05T00:00:00+08:00\""));
    hotline_free(out);

    /* A pause waiting for the caller over one whole working day moves the due
     * instant by one working day: to the end of the 3rd working day. */
    const char* paused =
        "{\"order\": {\"request_type\": \"consultation\"}, \"as_of\": \"2026-03-05T12:00:00+08:00\", "
        "\"events\": [{\"kind\": \"start\", \"at\": \"2026-03-02T10:00:00+08:00\"},"
        " {\"kind\": \"pause\", \"at\": \"2026-03-03T09:00:00+08:00\", \"reason\": \"waiting_for_caller\"},"
        " {\"kind\": \"resume\", \"at\": \"2026-03-04T09:00:00+08:00\"}]}";
    out = NULL;
    CHECK(hotline_sla_policy_evaluate(&out, gz, NULL, paused) == HOTLINE_OK);
    int64_t third = 0;
    hotline_calendar_add_workdays(&third, cal, day_of("2026-03-02"), 3);
    CHECK(out && date_part(strstr(out, "\"due\":\"") + 7) == third + 1);
    CHECK(out && strstr(out, "\"state\":\"running\"") && strstr(out, "\"paused\":86400"));
    hotline_free(out);

    /* Unstopped past the due instant: breached, late by the wall time since. */
    const char* late =
        "{\"order\": {\"request_type\": \"consultation\"}, \"as_of\": \"2026-03-05T02:00:00+08:00\", "
        "\"events\": [{\"kind\": \"start\", \"at\": \"2026-03-02T10:00:00+08:00\"}]}";
    out = NULL;
    CHECK(hotline_sla_policy_evaluate(&out, gz, NULL, late) == HOTLINE_OK);
    CHECK(out && strstr(out, "\"state\":\"breached\"") && strstr(out, "\"late_by_seconds\":7200"));
    hotline_free(out);

    /* Replied a second before the due instant: met. */
    const char* met =
        "{\"order\": {\"request_type\": \"consultation\"}, \"as_of\": \"2026-03-10T00:00:00+08:00\", "
        "\"events\": [{\"kind\": \"start\", \"at\": \"2026-03-02T10:00:00+08:00\"},"
        " {\"kind\": \"stop\", \"at\": \"2026-03-04T23:59:59+08:00\"}]}";
    out = NULL;
    CHECK(hotline_sla_policy_evaluate(&out, gz, NULL, met) == HOTLINE_OK);
    CHECK(out && strstr(out, "\"state\":\"met\"") && strstr(out, "\"stopped\":\"2026-03-04T23:59:59+08:00\""));
    hotline_free(out);

    /* A resume while running is no history a clock can have. */
    const char* bad_history =
        "{\"order\": {\"request_type\": \"consultation\"}, \"as_of\": \"2026-03-05T12:00:00+08:00\", "
        "\"events\": [{\"kind\": \"start\", \"at\": \"2026-03-02T10:00:00+08:00\"},"
        " {\"kind\": \"resume\", \"at\": \"2026-03-03T09:00:00+08:00\"}]}";
    out = NULL;
    CHECK_ERROR(hotline_sla_policy_evaluate(&out, gz, NULL, bad_history), HOTLINE_E_ILLEGAL_TRANSITION, "not paused");
    CHECK(out == NULL);
    const char* bad_kind =
        "{\"order\": {\"request_type\": \"consultation\"}, \"as_of\": \"2026-03-05T12:00:00+08:00\", "
        "\"events\": [{\"kind\": \"snooze\", \"at\": \"2026-03-02T10:00:00+08:00\"}]}";
    CHECK_ERROR(hotline_sla_policy_evaluate(&out, gz, NULL, bad_kind), HOTLINE_E_INVALID_ARGUMENT, "snooze");
    CHECK(strstr(hotline_last_error(), "input_json.events[0].kind") != NULL);
    const char* no_as_of = "{\"order\": {\"request_type\": \"consultation\"}, \"events\": []}";
    CHECK_ERROR(hotline_sla_policy_evaluate(&out, gz, NULL, no_as_of), HOTLINE_E_PARSE, "input_json: missing 'as_of'");
  }

  /* ---- bad input: a status and a message naming the problem ---- */
  char* due = NULL;
  int64_t last = 0;
  CHECK_ERROR(hotline_sla_policy_due(NULL, NULL, gz, NULL, consultation, "2025-09-30T15:00:00+08:00", NULL),
              HOTLINE_E_INVALID_ARGUMENT, "both NULL");
  CHECK_ERROR(hotline_sla_policy_due(&due, &last, NULL, NULL, consultation, "2025-09-30T15:00:00+08:00", NULL),
              HOTLINE_E_INVALID_ARGUMENT, "must not be NULL");
  CHECK_ERROR(hotline_sla_policy_new_preset(NULL, "tianjin-12320"), HOTLINE_E_INVALID_ARGUMENT, "NULL");
  /* Invalid UTF-8, named by argument and byte. */
  {
    const char* bad = "{\"request_type\": \"\xE5\x92\"}";
    char piece[64];
    snprintf(piece, sizeof piece, "order_json: not valid UTF-8 at byte %d", (int)(strchr(bad, '\xE5') - bad));
    CHECK_ERROR(hotline_sla_policy_due(&due, &last, gz, NULL, bad, "2025-09-30T15:00:00+08:00", NULL),
                HOTLINE_E_INVALID_ARGUMENT, piece);
    hotline_sla_policy* p = NULL;
    CHECK_ERROR(hotline_sla_policy_new_preset(&p, "guangzhou\xFF"), HOTLINE_E_INVALID_ARGUMENT, "name: not valid UTF-8 at byte 9");
  }
  /* Malformed JSON: the argument, the line and the column. */
  CHECK_ERROR(hotline_sla_policy_due(&due, &last, gz, NULL, "{\"request_type\": consultation}",
                                     "2025-09-30T15:00:00+08:00", NULL),
              HOTLINE_E_PARSE, "order_json: malformed JSON");
  CHECK(strstr(hotline_last_error(), "line 1, column") != NULL);
  CHECK_ERROR(hotline_sla_policy_due(&due, &last, gz, NULL, "{\"request_type\": 3}", "2025-09-30T15:00:00+08:00",
                                     NULL),
              HOTLINE_E_PARSE, "order_json.request_type: expected a string");
  CHECK_ERROR(hotline_sla_policy_due(&due, &last, gz, NULL, "{\"type\": \"complaint\"}", "2025-09-30T15:00:00+08:00",
                                     NULL),
              HOTLINE_E_PARSE, "unknown key 'type'");
  CHECK_ERROR(hotline_sla_policy_due(&due, &last, gz, NULL, "{\"request_type\": \"grumble\"}",
                                     "2025-09-30T15:00:00+08:00", NULL),
              HOTLINE_E_INVALID_ARGUMENT, "grumble");
  CHECK_ERROR(hotline_sla_policy_due(&due, &last, gz, NULL, consultation, "2025-09-30 15:00", NULL), HOTLINE_E_PARSE,
              "start: '2025-09-30 15:00'");
  CHECK_ERROR(hotline_sla_policy_due(&due, &last, gz, NULL, consultation, "2025-09-30T15:00:00+08:00", "transfer"),
              HOTLINE_E_NOT_FOUND, "no clock 'transfer'");
  CHECK(due == NULL);
  /* Unknown preset: the name, and the names there are. */
  {
    hotline_sla_policy* p = NULL;
    CHECK_ERROR(hotline_sla_policy_new_preset(&p, "shanghai-12345"), HOTLINE_E_NOT_FOUND, "shanghai-12345");
    CHECK(strstr(hotline_last_error(), "tianjin-12320") != NULL);
    CHECK(p == NULL);
    CHECK_ERROR(hotline_sla_policy_from_json_file(&p, "no/such/policy.json"), HOTLINE_E_IO, "no/such/policy.json");
    CHECK_ERROR(hotline_sla_policy_from_json(&p, "{\"name\": \"x\", \"rules\": []}"), HOTLINE_E_PARSE,
                "policy_json: rules: expected a non-empty list of rules");
    CHECK_ERROR(hotline_sla_policy_from_json(&p, "{\"name\": \"x\", \"rules\": ["), HOTLINE_E_PARSE, "policy_json:1");
    CHECK(p == NULL);
  }
  /* An order no rule matches. */
  {
    hotline_sla_policy* tj = NULL;
    CHECK(hotline_sla_policy_new_preset(&tj, "tianjin-12320") == HOTLINE_OK);
    hotline_sla_policy* p = NULL;
    CHECK(hotline_sla_policy_from_json(&p,
                                       "{\"name\": \"only\", \"rules\": [{\"name\": \"complaints\", \"when\": "
                                       "{\"request_type\": \"complaint\"}, \"clocks\": [{\"name\": \"reply\", "
                                       "\"target\": {\"working_days\": 5}}]}]}") == HOTLINE_OK);
    CHECK_ERROR(hotline_sla_policy_due(NULL, &last, p, NULL, consultation, "2025-09-30T15:00:00+08:00", NULL),
                HOTLINE_E_NOT_FOUND, "no rule for request_type=consultation");
    /* Beyond the calendar's data. */
    CHECK_ERROR(hotline_sla_policy_due(NULL, &last, tj, NULL, consultation, "2026-12-30T10:00:00+08:00", NULL),
                HOTLINE_E_OUT_OF_RANGE, "2026-12-31");
    hotline_sla_policy_free(p);
    hotline_sla_policy_free(tj);
  }
  /* A success clears the last error. */
  CHECK(hotline_sla_policy_due(NULL, &last, gz, NULL, consultation, "2025-09-30T15:00:00+08:00", NULL) == HOTLINE_OK);
  CHECK(hotline_last_error_code() == HOTLINE_OK && hotline_last_error()[0] == '\0');

  hotline_sla_policy_free(gz);
  hotline_sla_policy_free(NULL);
  hotline_calendar_free(cal);
  return check_summary();
}
