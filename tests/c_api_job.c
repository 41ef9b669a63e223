/* The small job every host does in its test (README "Every host"), here through the
 * C ABI alone: a working-day sum across National Day 2025, a consultation's due date,
 * a complaint created and dispatched, a caller's question matched, and the month's
 * annex 8 tables.  Expected values come from the rules, not from the library:
 *   - 2025: 10-01..10-08 off (国办发明电〔2024〕12号), so 09-30 + 1 working day is 10-09;
 *   - 000 art. 12: a consultation is answered within 2 working days from the day after
 *     receipt: received 09-30, the days are 10-09 and 10-10, due at the end of 10-10;
 *   - the monthly table counts the one complaint received in October. */
#include "c_api_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(void) {
  /* 1. The calendar. */
  hotline_calendar* cal = NULL;
  CHECK(hotline_calendar_new_china(&cal, 0) == HOTLINE_OK);
  int64_t next = 0;
  CHECK(hotline_calendar_add_workdays(&next, cal, day_of("2025-09-30"), 1) == HOTLINE_OK);
  CHECK(next == day_of("2025-10-09"));

  /* 2. A due date (000 art. 12). */
  hotline_sla_policy* policy = NULL;
  CHECK(hotline_sla_policy_new_preset(&policy, "guangzhou-family-doctor") == HOTLINE_OK);
  char* due = NULL;
  int64_t last_day = 0;
  CHECK(hotline_sla_policy_due(&due, &last_day, policy, cal, "{\"request_type\": \"consultation\"}",
                               "2025-09-30T15:00:00+08:00", NULL) == HOTLINE_OK);
  CHECK(due && strcmp(due, "2025-10-11T00:00:00+08:00") == 0);
  CHECK(last_day == day_of("2025-10-10"));
  hotline_free(due);

  /* 3. A complaint, created and dispatched, in a store of its own. */
  char dir[256], db[300];
  if (!make_temp_dir(dir, sizeof dir, "hotline-c-job")) {
    perror("mkdtemp");
    return 1;
  }
  snprintf(db, sizeof db, "%s/hotline.db", dir);
  hotline_store* store = NULL;
  CHECK(hotline_store_open(&store, db, NULL) == HOTLINE_OK);
  CHECK(hotline_store_put_unit(store, "{\"code\": \"YX-BJJ\", \"name\": \"北京街社区卫生服务中心\"}") == HOTLINE_OK);
  char* order = NULL;
  CHECK(hotline_store_create(&order, store,
                             "{\"number\": \"12320-20251009-000001\", \"request_type\": \"complaint\", "
                             "\"received_at\": \"2025-10-09T09:15:00+08:00\", \"caller_phone\": \"13812341234\", "
                             "\"complaint_subject\": \"医疗服务\", \"content\": \"诊所收费不合理\"}",
                             "{\"id\": \"A017\", \"role\": \"agent\"}", 0) == HOTLINE_OK);
  CHECK(order && strstr(order, "\"state\":\"waiting_for_dispatch\"") && strstr(order, "138****1234"));
  hotline_free(order);
  order = NULL;
  CHECK(hotline_store_apply(&order, store, "12320-20251009-000001",
                            "{\"action\": \"dispatch\", \"at\": \"2025-10-09T10:00:00+08:00\", \"by\": \"D02\", "
                            "\"role\": \"dispatcher\", \"unit\": \"YX-BJJ\", \"expected_version\": 1}",
                            0) == HOTLINE_OK);
  CHECK(order && strstr(order, "\"unit\":\"YX-BJJ\"") && strstr(order, "\"version\":2"));
  hotline_free(order);
  /* Bad input never crashes, and the store stays as it was. */
  int64_t events = 0;
  CHECK(hotline_store_apply(NULL, store, "12320-20251009-000001", "{\"action\": \"teleport\", \"at\": \"2025-10-09T11:00:00+08:00\", "
                                "\"by\": \"D02\", \"role\": \"dispatcher\"}", 0) ==
        HOTLINE_E_INVALID_ARGUMENT);
  CHECK(strstr(hotline_last_error(), "teleport") != NULL);
  CHECK(hotline_store_apply(NULL, store, "12320-20251009-000001", "{\"action\": ", 0) == HOTLINE_E_PARSE);
  CHECK(hotline_store_apply(NULL, store, NULL, "{}", 0) == HOTLINE_E_INVALID_ARGUMENT);
  CHECK(hotline_store_event_count(&events, store) == HOTLINE_OK && events == 2);

  /* 4. A caller's question, matched in the knowledge base. */
  hotline_knowledge_base* kb = NULL;
  char kb_path[1024];
  size_t entries = 0;
  data_path(kb_path, sizeof kb_path, "knowledge", "family_doctor_kb.json");
  CHECK(hotline_knowledge_base_new(&kb) == HOTLINE_OK);
  CHECK(hotline_knowledge_base_import_file(&entries, kb, kb_path) == HOTLINE_OK && entries > 0);
  char* hits = NULL;
  CHECK(hotline_knowledge_base_match(&hits, kb, "怎么签家庭医生", "{\"k\": 1}") == HOTLINE_OK);
  CHECK(hits && strstr(hits, "\"id\":\"FD-001\""));  /* FD-001: 家庭医生怎么签约？ */
  hotline_free(hits);

  /* 5. The month's tables. */
  hotline_report* month = NULL;
  CHECK(hotline_report_monthly(&month, store, "2025-10", NULL) == HOTLINE_OK);
  char* json = NULL;
  CHECK(hotline_report_to_json(&json, month) == HOTLINE_OK);
  CHECK(num_after(json, "\"summary\":{", "\"total\":") == 1);
  CHECK(num_after(json, "\"summary\":{", "\"complaints\":") == 1);
  hotline_free(json);
  char* text = NULL;
  CHECK(hotline_report_to_text(&text, month) == HOTLINE_OK && text && strstr(text, "投诉"));
  hotline_free(text);
  hotline_report_free(month);

  hotline_knowledge_base_free(kb);
  hotline_store_free(store);
  hotline_sla_policy_free(policy);
  hotline_calendar_free(cal);
  char p[320];
  const char* suffix[] = {"", "-wal", "-shm"};
  for (int i = 0; i < 3; ++i) {
    snprintf(p, sizeof p, "%s%s", db, suffix[i]);
    unlink(p);
  }
  rmdir(dir);
  return check_summary();
}
