/* The C ABI of the reports, from C: the annex 8 monthly tables, the quarterly
 * summary and the timeliness report over work orders given as JSON and over a
 * store (hotline/c/store.h), written as JSON, CSV and XLSX; and bad input. */
#include "c_api_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int file_starts_with(const char* path, const char* magic, size_t n) {
  char buf[8] = {0};
  FILE* f = fopen(path, "rb");
  if (!f) return 0;
  const size_t got = fread(buf, 1, n, f);
  fclose(f);
  return got == n && memcmp(buf, magic, n) == 0;
}

/* Orders of early 2026, with what the rules make of each for March (001 annex 8:
 * the period of the receipt in Beijing time; voided orders left out). */
enum { CONSULTATION, COMPLAINT, REPORT, SUGGESTION, OTHER_KIND };
static const struct {
  const char* json;
  int in_march;  /* received in March, Beijing time */
  int voided;
  int kind;
} orders[] = {
    {"{\"number\": \"C1\", \"state\": \"answered_on_spot\", \"request_type\": \"consultation\", "
     "\"received_at\": \"2026-03-02T09:00:00+08:00\", \"topic\": \"家庭医生\", \"sub_topic\": \"签约\"}",
     1, 0, CONSULTATION},
    /* 23:59:59 on the last day of March is a March order... */
    {"{\"number\": \"C2\", \"state\": \"closed\", \"request_type\": \"consultation\", "
     "\"received_at\": \"2026-03-31T23:59:59+08:00\", \"topic\": \"家庭医生\", \"call_back\": \"unreachable\"}",
     1, 0, CONSULTATION},
    /* ...00:00 on April 1st is not; 16:30Z on Feb 28th is 00:30 on March 1st in Beijing. */
    {"{\"number\": \"C3\", \"state\": \"closed\", \"request_type\": \"咨询\", "
     "\"received_at\": \"2026-04-01T00:00:00+08:00\"}",
     0, 0, CONSULTATION},
    {"{\"number\": \"C4\", \"state\": \"answered_on_spot\", \"request_type\": \"consultation\", "
     "\"received_at\": \"2026-02-28T16:30:00Z\"}",
     1, 0, CONSULTATION},
    {"{\"number\": \"P1\", \"state\": \"closed\", \"request_type\": \"complaint\", \"received_at\": "
     "\"2026-03-10T10:00:00+08:00\", \"dispatched_at\": \"2026-03-10T11:00:00+08:00\", \"complaint_subject\": "
     "\"医疗服务\", \"district\": \"越秀区\", \"unit\": \"YX-BJJ\", \"reply_outcome\": \"met\", "
     "\"reply_start\": \"2026-03-10T11:00:00+08:00\", \"reply_due\": \"2026-03-20T00:00:00+08:00\", "
     "\"call_back\": \"satisfied\"}",
     1, 0, COMPLAINT},
    {"{\"number\": \"P2\", \"state\": \"void\", \"request_type\": \"complaint\", "
     "\"received_at\": \"2026-03-11T10:00:00+08:00\", \"district\": \"越秀区\"}",
     1, 1, COMPLAINT},
    {"{\"number\": \"R1\", \"state\": \"waiting_for_call_back\", \"request_type\": \"report\", \"received_at\": "
     "\"2026-03-12T10:00:00+08:00\", \"dispatched_at\": \"2026-03-12T11:00:00+08:00\", \"district\": \"越秀区\", "
     "\"unit\": \"YX-BJJ\", \"reply_outcome\": \"missed\", \"reply_due\": \"2026-03-20T00:00:00+08:00\", "
     "\"call_back\": \"dissatisfied\"}",
     1, 0, REPORT},
    {"{\"number\": \"H1\", \"state\": \"in_progress\", \"request_type\": \"help_request\", \"received_at\": "
     "\"2026-03-13T10:00:00+08:00\", \"dispatched_at\": \"2026-03-13T11:00:00+08:00\", \"unit\": \"YX-BJJ\", "
     "\"reply_outcome\": \"running\", \"reply_start\": \"2026-03-13T11:00:00+08:00\", "
     "\"reply_due\": \"2026-03-20T00:00:00+08:00\", \"reply_warn\": \"2026-03-19T00:00:00+08:00\", "
     "\"complex\": false, \"reopen_count\": 0}",
     1, 0, OTHER_KIND},
    {"{\"number\": \"S1\", \"state\": \"waiting_for_dispatch\", \"request_type\": \"suggestion\", "
     "\"received_at\": \"2026-03-14T10:00:00+08:00\", \"sub_district\": null}",
     1, 0, SUGGESTION},
    {"{\"number\": \"T1\", \"state\": \"closed\", \"request_type\": \"praise\", "
     "\"received_at\": \"2026-01-15T10:00:00+08:00\", \"district\": \"天河区\"}",
     0, 0, OTHER_KIND},
};
enum { ORDER_COUNT = sizeof orders / sizeof orders[0] };

static char* orders_json(void) {
  size_t n = 3;
  for (int i = 0; i < ORDER_COUNT; ++i) n += strlen(orders[i].json) + 2;
  char* s = malloc(n);
  if (!s) return NULL;
  strcpy(s, "[");
  for (int i = 0; i < ORDER_COUNT; ++i) {
    if (i) strcat(s, ",");
    strcat(s, orders[i].json);
  }
  strcat(s, "]");
  return s;
}

static void from_orders(void) {
  char* all = orders_json();
  CHECK(all != NULL);
  /* What March's table 1 must say, counted here from the list. */
  long long total = 0, by_kind[5] = {0}, left_out = 0;
  for (int i = 0; i < ORDER_COUNT; ++i) {
    if (!orders[i].in_march) continue;
    if (orders[i].voided) {
      ++left_out;
      continue;
    }
    ++total;
    ++by_kind[orders[i].kind];
  }

  hotline_report* m = NULL;
  CHECK(hotline_report_monthly_from_orders(&m, all, "2026-03", NULL) == HOTLINE_OK);
  char* json = NULL;
  CHECK(hotline_report_to_json(&json, m) == HOTLINE_OK);
  CHECK(json && strstr(json, "\"report\":\"monthly\"") && strstr(json, "\"label\":\"2026-03\""));
  CHECK(num_after(json, "\"summary\":{", "\"total\":") == total);
  CHECK(num_after(json, "\"summary\":{", "\"consultations\":") == by_kind[CONSULTATION]);
  CHECK(num_after(json, "\"summary\":{", "\"complaints\":") == by_kind[COMPLAINT]);
  CHECK(num_after(json, "\"summary\":{", "\"reports\":") == by_kind[REPORT]);
  CHECK(num_after(json, "\"summary\":{", "\"suggestions\":") == by_kind[SUGGESTION]);
  CHECK(num_after(json, "\"summary\":{", "\"other\":") == by_kind[OTHER_KIND]);
  CHECK(num_after(json, "\"summary\":{", "\"other_help_requests\":") == 1);
  CHECK(num_after(json, "\"summary\":{", "\"left_out_void_or_merged\":") == left_out);
  CHECK(json && strstr(json, "\"from\":\"2026-03-01T00:00:00+08:00\"") && strstr(json, "\"tables\":[{\"title\""));
  hotline_free(json);

  /* The annex's four tables, as CSV text and files (a BOM each) and a workbook. */
  size_t tables = 0;
  CHECK(hotline_report_table_count(&tables, m) == HOTLINE_OK && tables == 4);
  char* csv = NULL;
  CHECK(hotline_report_to_csv(&csv, m, 0) == HOTLINE_OK);
  CHECK(csv && strstr(csv, "咨询") && strstr(csv, "投诉") && strstr(csv, "举报") && strstr(csv, "建议"));
  hotline_free(csv);
  char* text = NULL;
  CHECK(hotline_report_to_text(&text, m) == HOTLINE_OK && text && strstr(text, "咨询"));
  hotline_free(text);
  CHECK(hotline_report_write_csv(m, "c_api_report_monthly.csv") == HOTLINE_OK);
  const char* bom = "\xEF\xBB\xBF";
  CHECK(file_starts_with("c_api_report_monthly-1.csv", bom, 3));
  CHECK(file_starts_with("c_api_report_monthly-4.csv", bom, 3));
  CHECK(hotline_report_write_xlsx(m, "c_api_report_monthly.xlsx") == HOTLINE_OK);
  CHECK(file_starts_with("c_api_report_monthly.xlsx", "PK\x03\x04", 4));
  remove("c_api_report_monthly-1.csv");
  remove("c_api_report_monthly-2.csv");
  remove("c_api_report_monthly-3.csv");
  remove("c_api_report_monthly-4.csv");
  remove("c_api_report_monthly.xlsx");
  /* Output errors. */
  CHECK_ERROR(hotline_report_to_csv(&csv, m, 4), HOTLINE_E_OUT_OF_RANGE, "table 4");
  CHECK(csv == NULL);
  CHECK_ERROR(hotline_report_write_xlsx(m, "no/such/dir/m.xlsx"), HOTLINE_E_IO, "no/such/dir/m.xlsx");
  CHECK_ERROR(hotline_report_write_csv(m, "no/such/dir/m.csv"), HOTLINE_E_IO, "no/such/dir/m-1.csv");
  hotline_report_free(m);

  /* One district: only its orders (P1 and R1; P2 is void). */
  m = NULL;
  CHECK(hotline_report_monthly_from_orders(&m, all, "2026-03", "{\"district\": \"越秀区\"}") == HOTLINE_OK);
  json = NULL;
  CHECK(hotline_report_to_json(&json, m) == HOTLINE_OK);
  CHECK(num_after(json, "\"summary\":{", "\"total\":") == 2);
  hotline_free(json);
  hotline_report_free(m);

  /* 000 art. 14: complaints, reports and praise per district for Q1. */
  hotline_report* q = NULL;
  CHECK(hotline_report_quarterly_from_orders(&q, all, "2026-Q1") == HOTLINE_OK);
  json = NULL;
  CHECK(hotline_report_to_json(&json, q) == HOTLINE_OK);
  CHECK(json && strstr(json, "\"label\":\"2026Q1\"") != NULL);
  CHECK(num_after(json, "\"district\":\"越秀区\"", "\"complaints\":") == 1);
  CHECK(num_after(json, "\"district\":\"越秀区\"", "\"reports\":") == 1);
  CHECK(num_after(json, "\"district\":\"越秀区\"", "\"completed\":") == 2); /* closed, and a reply accepted */
  CHECK(num_after(json, "\"district\":\"天河区\"", "\"praise\":") == 1);
  hotline_free(json);
  CHECK(hotline_report_table_count(&tables, q) == HOTLINE_OK && tables == 1);
  hotline_report_free(q);

  /* Timeliness as of April 1st: the reply clock met once (P1), missed once (R1),
   * and running past due once (H1): decided 3, on time 1 of 3; H1 overdue. */
  hotline_report* t = NULL;
  CHECK(hotline_report_timeliness_from_orders(&t, all, "2026-03", "2026-04-01T00:00:00+08:00", NULL) == HOTLINE_OK);
  json = NULL;
  CHECK(hotline_report_to_json(&json, t) == HOTLINE_OK);
  CHECK(num_after(json, "\"as_of\":", "\"orders\":") == total);
  CHECK(num_after(json, "\"reply\":{", "\"met\":") == 1);
  CHECK(num_after(json, "\"reply\":{", "\"missed\":") == 1);
  CHECK(num_after(json, "\"reply\":{", "\"overdue\":") == 1);
  CHECK(num_after(json, "\"reply\":{", "\"numerator\":") == 1);
  CHECK(num_after(json, "\"reply\":{", "\"denominator\":") == 3);
  CHECK(json && strstr(json, "\"overdue\":[{\"number\":\"H1\",\"unit\":\"YX-BJJ\",\"clock\":\"reply\",\"due\":\"2026-03-20T00:00:00+08:00\""));
  /* Satisfaction: satisfied / call-backs that reached the caller (C2 did not). */
  CHECK(num_after(json, "\"satisfaction\":{", "\"numerator\":") == 1);
  CHECK(num_after(json, "\"satisfaction\":{", "\"denominator\":") == 2);
  hotline_free(json);
  hotline_report_free(t);

  /* ---- bad input ---- */
  m = NULL;
  CHECK_ERROR(hotline_report_monthly_from_orders(NULL, all, "2026-03", NULL), HOTLINE_E_INVALID_ARGUMENT, "NULL");
  CHECK_ERROR(hotline_report_monthly_from_orders(&m, all, "2026-13", NULL), HOTLINE_E_PARSE, "period: '2026-13'");
  CHECK_ERROR(hotline_report_monthly_from_orders(&m, all, "2026/03", NULL), HOTLINE_E_PARSE, "period: '2026/03'");
  CHECK_ERROR(hotline_report_monthly_from_orders(&m, "[{\"number\": \"X\",}]", "2026-03", NULL), HOTLINE_E_PARSE,
              "orders_json: malformed JSON");
  CHECK_ERROR(hotline_report_monthly_from_orders(&m, "{\"number\": \"X\"}", "2026-03", NULL), HOTLINE_E_PARSE,
              "orders_json: expected an array");
  CHECK_ERROR(hotline_report_monthly_from_orders(&m, "[{}, {\"colour\": \"red\"}]", "2026-03", NULL), HOTLINE_E_PARSE,
              "orders_json[1].colour: unknown work-order field");
  CHECK_ERROR(hotline_report_monthly_from_orders(&m, "[{\"request_type\": \"grumble\"}]", "2026-03", NULL),
              HOTLINE_E_INVALID_ARGUMENT, "orders_json[0].request_type");
  CHECK(strstr(hotline_last_error(), "grumble") != NULL);
  CHECK_ERROR(hotline_report_monthly_from_orders(&m, "[{\"state\": \"lost\"}]", "2026-03", NULL),
              HOTLINE_E_INVALID_ARGUMENT, "lost");
  CHECK_ERROR(hotline_report_monthly_from_orders(&m, "[{\"received_at\": \"2026-03-02 09:00\"}]", "2026-03", NULL),
              HOTLINE_E_INVALID_ARGUMENT, "orders_json[0].received_at");
  CHECK_ERROR(hotline_report_monthly_from_orders(&m, "[{\"topic\": \"\xE5\xAE\xB6\xE5\"}]", "2026-03", NULL),
              HOTLINE_E_INVALID_ARGUMENT, "orders_json: not valid UTF-8 at byte 15");
  CHECK_ERROR(hotline_report_monthly_from_orders(&m, all, "2026-03", "{\"city\": \"广州\"}"), HOTLINE_E_PARSE,
              "scope_json: unknown key 'city'");
  CHECK_ERROR(hotline_report_timeliness_from_orders(&m, all, "2026-03", "tomorrow", NULL), HOTLINE_E_PARSE,
              "as_of: 'tomorrow'");
  CHECK(m == NULL);
  free(all);
}

/* The same reports over a store: orders created and dispatched through hotline/c/store.h. */
static void from_store(void) {
  const char* path = "c_api_report.db";
  remove(path);
  remove("c_api_report.db-wal");
  remove("c_api_report.db-shm");
  hotline_store* s = NULL;
  CHECK(hotline_store_open(&s, path, NULL) == HOTLINE_OK);
  if (!s) return;
  const char* agent = "{\"id\": \"A017\", \"role\": \"agent\"}";
  CHECK(hotline_store_put_unit(s, "{\"code\": \"YX-BJJ\", \"name\": \"北京街社区卫生服务中心\"}") == HOTLINE_OK);
  const char* made[] = {
      "{\"number\": \"S-C1\", \"request_type\": \"consultation\", \"received_at\": \"2026-03-02T09:00:00+08:00\", "
      "\"content\": \"家庭医生怎么签约\"}",
      "{\"number\": \"S-C2\", \"request_type\": \"consultation\", \"received_at\": \"2026-03-16T09:00:00+08:00\", "
      "\"content\": \"签约要带什么\"}",
      "{\"number\": \"S-P1\", \"request_type\": \"complaint\", \"received_at\": \"2026-03-09T09:00:00+08:00\", "
      "\"district\": \"越秀区\", \"complaint_subject\": \"医疗服务\", \"content\": \"服务态度差\"}",
      "{\"number\": \"S-P2\", \"request_type\": \"complaint\", \"received_at\": \"2026-04-01T09:00:00+08:00\", "
      "\"content\": \"四月的投诉\"}",
  };
  for (size_t i = 0; i < sizeof made / sizeof made[0]; ++i) {
    char* order = NULL;
    CHECK(hotline_store_create(&order, s, made[i], agent, 0) == HOTLINE_OK);
    hotline_free(order);
  }
  /* The complaint goes to the unit an hour after receipt: its transfer clock is met. */
  CHECK(hotline_store_apply(NULL, s, "S-P1",
                            "{\"action\": \"dispatch\", \"at\": \"2026-03-09T10:00:00+08:00\", \"by\": \"D02\", "
                            "\"role\": \"dispatcher\", \"unit\": \"YX-BJJ\"}",
                            0) == HOTLINE_OK);

  hotline_report* m = NULL;
  CHECK(hotline_report_monthly(&m, s, "2026-03", NULL) == HOTLINE_OK);
  char* json = NULL;
  CHECK(hotline_report_to_json(&json, m) == HOTLINE_OK);
  CHECK(num_after(json, "\"summary\":{", "\"total\":") == 3);
  CHECK(num_after(json, "\"summary\":{", "\"consultations\":") == 2);
  CHECK(num_after(json, "\"summary\":{", "\"complaints\":") == 1);
  hotline_free(json);
  hotline_report_free(m);

  /* Transfer clocks as of April 1st: the complaint's met, the two consultations
   * never dispatched are running long past their 1 working day: overdue. */
  hotline_report* t = NULL;
  CHECK(hotline_report_timeliness(&t, s, "2026-03", "2026-04-01T00:00:00+08:00", NULL) == HOTLINE_OK);
  json = NULL;
  CHECK(hotline_report_to_json(&json, t) == HOTLINE_OK);
  CHECK(num_after(json, "\"transfer\":{", "\"met\":") == 1);
  CHECK(num_after(json, "\"transfer\":{", "\"overdue\":") == 2);
  CHECK(json && strstr(json, "\"number\":\"S-C1\"") && strstr(json, "\"number\":\"S-C2\""));
  hotline_free(json);
  hotline_report_free(t);

  /* The first half of March (annex 7): S-C1 and S-P1, not S-C2 (the 16th). */
  hotline_report* r = NULL;
  CHECK(hotline_report_receipts(&r, s, "2026-03-H1", NULL) == HOTLINE_OK);
  json = NULL;
  CHECK(hotline_report_to_json(&json, r) == HOTLINE_OK);
  CHECK(json && strstr(json, "\"number\":\"S-C1\"") && strstr(json, "\"number\":\"S-P1\"") &&
        !strstr(json, "\"number\":\"S-C2\""));
  hotline_free(json);
  hotline_report_free(r);

  hotline_report* q = NULL;
  CHECK(hotline_report_quarterly(&q, s, "2026-Q1") == HOTLINE_OK);
  json = NULL;
  CHECK(hotline_report_to_json(&json, q) == HOTLINE_OK);
  CHECK(num_after(json, "\"district\":\"越秀区\"", "\"complaints\":") == 1);
  hotline_free(json);
  hotline_report_free(q);

  CHECK_ERROR(hotline_report_monthly(&m, NULL, "2026-03", NULL), HOTLINE_E_INVALID_ARGUMENT, "NULL");
  CHECK_ERROR(hotline_report_quarterly(&q, s, "2026-Q5"), HOTLINE_E_PARSE, "period: '2026-Q5'");
  hotline_store_free(s);
  remove(path);
  remove("c_api_report.db-wal");
  remove("c_api_report.db-shm");
}

int main(void) {
  from_orders();
  from_store();
  hotline_report_free(NULL);
  return check_summary();
}
