/* The C ABI of the work-order store, from C: a complaint through its whole life, the
 * queries, integrity and imports, and bad input -- each refusal checked for its status,
 * for what hotline_last_error() names, and for a store left as it was. */
#include "c_api_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[256], path[300], calls_csv[300], key_path[300], signed_path[300];

static int64_t events_in(const hotline_store* s) {
  int64_t n = -1;
  CHECK(hotline_store_event_count(&n, s) == HOTLINE_OK);
  return n;
}

/* The string value of "key" in flat JSON text (the first occurrence), into buf. */
static const char* json_text(const char* json, const char* key, char* buf, size_t size) {
  char pat[64];
  snprintf(pat, sizeof pat, "\"%s\":\"", key);
  const char* p = json ? strstr(json, pat) : NULL;
  buf[0] = '\0';
  if (!p) return buf;
  p += strlen(pat);
  size_t i = 0;
  while (p[i] && p[i] != '"' && i + 1 < size) {
    buf[i] = p[i];
    ++i;
  }
  buf[i] = '\0';
  return buf;
}

static void write_file(const char* file, const char* text) {
  FILE* f = fopen(file, "wb");
  CHECK(f != NULL);
  if (!f) return;
  fputs(text, f);
  fclose(f);
}

/* Applies an action that must succeed. */
static void act(hotline_store* s, const char* number, const char* action_json) {
  char* out = NULL;
  const hotline_status st = hotline_store_apply(&out, s, number, action_json, 0);
  CHECK(st == HOTLINE_OK);
  if (st != HOTLINE_OK) fprintf(stderr, "  while applying %s\n", action_json);
  hotline_free(out);
}

static void life_of_a_complaint(hotline_store* s, char* number, size_t size) {
  char* out = NULL;
  char buf[128];
  CHECK(hotline_store_put_unit(s, "{\"code\":\"YX-BJJ\",\"name\":\"越秀区北京街社区卫生服务中心\","
                                  "\"kind\":\"institution\",\"covers\":[\"越秀区/北京街\"]}") == HOTLINE_OK);
  CHECK(hotline_store_put_unit(s, "{\"code\":\"YX-DS\",\"name\":\"越秀区东山社区卫生服务中心\"}") == HOTLINE_OK);
  CHECK(hotline_store_units(&out, s) == HOTLINE_OK && strstr(out, "\"code\":\"YX-BJJ\"") &&
        strstr(out, "\"covers\":[\"越秀区/北京街\"]"));
  hotline_free(out);
  CHECK(hotline_store_set_liaison(s, "{\"unit\":\"YX-BJJ\",\"name\":\"王小明\",\"mobile\":\"13900001111\","
                                     "\"valid_from\":\"2025-01-01\"}") == HOTLINE_OK);
  CHECK(hotline_store_liaisons(&out, s, "YX-BJJ", NULL, 0) == HOTLINE_OK && strstr(out, "139****1111") &&
        !strstr(out, "13900001111"));
  hotline_free(out);
  CHECK(hotline_store_liaisons(&out, s, "YX-BJJ", NULL, HOTLINE_STORE_REVEAL | HOTLINE_STORE_HISTORY) == HOTLINE_OK &&
        strstr(out, "13900001111"));
  hotline_free(out);

  /* Intake: the number and version come back; the caller's phone is masked. */
  CHECK(hotline_store_create(&out, s,
                             "{\"received_at\":\"2025-10-09T09:15:00+08:00\",\"request_type\":\"投诉\","
                             "\"agent\":\"A017\",\"caller_name\":\"张三丰\",\"caller_phone\":\"13812341234\","
                             "\"district\":\"越秀区\",\"sub_district\":\"北京街\",\"complaint_subject\":\"医疗服务\","
                             "\"content\":\"诊所收费不合理，请回电13812341234\"}",
                             NULL, 0) == HOTLINE_OK);
  CHECK(out && strstr(out, "\"version\":1") && strstr(out, "\"state\":\"waiting_for_dispatch\"") &&
        strstr(out, "138****1234") && !strstr(out, "13812341234"));
  json_text(out, "number", number, size);
  CHECK(number[0] != '\0');
  hotline_free(out);
  CHECK(events_in(s) == 1);

  /* Dispatch (transfer), a return and a second dispatch, sign-for, an extension, supervision. */
  act(s, number, "{\"action\":\"dispatch\",\"at\":\"2025-10-09T10:00:00+08:00\",\"by\":\"D02\","
                 "\"role\":\"dispatcher\",\"unit\":\"YX-DS\",\"expected_version\":1}");
  act(s, number, "{\"action\":\"request_return\",\"at\":\"2025-10-09T10:30\",\"by\":\"L09\",\"role\":\"liaison\","
                 "\"by_unit\":\"YX-DS\",\"reason\":\"不属本中心辖区\"}");
  act(s, number, "{\"action\":\"approve_return\",\"at\":\"2025-10-09T10:40\",\"by\":\"D02\",\"role\":\"dispatcher\"}");
  act(s, number, "{\"action\":\"dispatch\",\"at\":\"2025-10-09T10:45\",\"by\":\"D02\",\"role\":\"dispatcher\","
                 "\"unit\":\"YX-BJJ\",\"means\":\"phone\"}");
  act(s, number, "{\"action\":\"sign_for\",\"at\":\"2025-10-09T11:00\",\"by\":\"L01\",\"role\":\"liaison\","
                 "\"by_unit\":\"YX-BJJ\"}");
  act(s, number, "{\"action\":\"request_extension\",\"at\":\"2025-10-10T09:00\",\"by\":\"L01\",\"role\":\"liaison\","
                 "\"by_unit\":\"YX-BJJ\",\"reason\":\"需现场核查\"}");
  act(s, number, "{\"action\":\"approve_extension\",\"at\":\"2025-10-10T10:00\",\"by\":\"S01\",\"role\":\"supervisor\","
                 "\"extension_days\":3}");
  act(s, number, "{\"action\":\"supervise\",\"at\":\"2025-10-10T11:00\",\"by\":\"S01\",\"role\":\"supervisor\","
                 "\"level\":\"reminder\",\"comment\":\"请尽快办理\"}");
  act(s, number, "{\"action\":\"amend\",\"at\":\"2025-10-10T11:10\",\"by\":\"A017\",\"role\":\"agent\","
                 "\"amend\":{\"topic\":\"收费\"}}");

  /* Reply, review, call-back, close. */
  CHECK(hotline_store_apply(&out, s, number,
                            "{\"action\":\"reply\",\"at\":\"2025-10-11T11:00:00+08:00\",\"by\":\"L01\",\"role\":\"liaison\","
                            "\"by_unit\":\"YX-BJJ\",\"finding\":\"true\",\"resolved\":true,\"reply_text\":\"已退费\"}",
                            HOTLINE_STORE_REVEAL) == HOTLINE_OK);
  CHECK(out && strstr(out, "\"state\":\"replied\"") && strstr(out, "13812341234"));
  hotline_free(out);
  act(s, number, "{\"action\":\"accept_reply\",\"at\":\"2025-10-11T15:00\",\"by\":\"R01\",\"role\":\"reviewer\"}");
  act(s, number, "{\"action\":\"call_back\",\"at\":\"2025-10-12T10:00\",\"by\":\"C01\",\"role\":\"call_back_agent\","
                 "\"call_back\":\"satisfied\"}");
  act(s, number, "{\"action\":\"close\",\"at\":\"2025-10-12T10:05\",\"by\":\"C01\",\"role\":\"call_back_agent\"}");
  CHECK(hotline_store_get(&out, s, number, 0) == HOTLINE_OK);
  CHECK(out && strstr(out, "\"state\":\"closed\"") && strstr(json_text(out, "unit", buf, sizeof buf), "YX-BJJ") &&
        strstr(out, "\"extension_days\":\"3\"") && strstr(out, "\"call_back\":\"satisfied\"") &&
        strstr(out, "\"topic\":\"收费\"") && !strstr(out, "13812341234"));
  hotline_free(out);
  CHECK(hotline_store_get(&out, s, number, HOTLINE_STORE_REVEAL) == HOTLINE_OK && strstr(out, "13812341234"));
  hotline_free(out);

  /* The events: one per call, oldest first, each with its hash. */
  CHECK(events_in(s) == 14);
  CHECK(hotline_store_events(&out, s, number, 0) == HOTLINE_OK);
  if (out) {
    int n = 0;
    for (const char* p = out; (p = strstr(p, "\"hash\":\"")) != NULL; ++p) ++n;
    CHECK(n == 14);
    CHECK(strstr(out, "\"action\":\"create\"") < strstr(out, "\"action\":\"close\""));
    CHECK(strstr(out, "\"state_after\":\"closed\"") && !strstr(out, "13812341234"));
  }
  hotline_free(out);
  CHECK(hotline_store_verify(&out, s, NULL, NULL) == HOTLINE_OK && strstr(out, "\"ok\":true") &&
        strstr(out, "\"events_checked\":14"));
  hotline_free(out);
}

static void queries(hotline_store* s) {
  char* out = NULL;
  int64_t n = -1;
  CHECK(hotline_store_create(NULL, s, "{\"number\":\"Q-1\",\"received_at\":\"2025-10-20 09:00\","
                                      "\"request_type\":\"consultation\",\"content\":\"家庭医生怎么签约\"}",
                             "{\"id\":\"A018\",\"role\":\"agent\"}", 0) == HOTLINE_OK);
  CHECK(hotline_store_orders(&out, s, "{\"state\":\"closed\"}", 0) == HOTLINE_OK && strstr(out, "\"count\":1"));
  hotline_free(out);
  CHECK(hotline_store_orders(&out, s, NULL, 0) == HOTLINE_OK && strstr(out, "\"count\":2"));
  hotline_free(out);
  CHECK(hotline_store_orders(&out, s, "{\"from\":\"2025-10-15\",\"to\":\"2025-10-31\",\"limit\":10}", 0) == HOTLINE_OK &&
        strstr(out, "\"number\":\"Q-1\"") && strstr(out, "\"count\":1"));
  hotline_free(out);
  CHECK(hotline_store_count(&n, s, "{\"unit\":\"YX-BJJ\"}") == HOTLINE_OK && n == 1);
  CHECK(hotline_store_count(&n, s, "{\"open\":true}") == HOTLINE_OK && n == 1);
  CHECK_ERROR(hotline_store_orders(&out, s, "{\"state\":\"sleeping\"}", 0), HOTLINE_E_INVALID_ARGUMENT, "sleeping");
  CHECK(out == NULL);
  CHECK_ERROR(hotline_store_count(&n, s, "{\"colour\":\"red\"}"), HOTLINE_E_INVALID_ARGUMENT, "query_json: colour");
  CHECK(hotline_store_rebuild(&n, s) == HOTLINE_OK && n == 2);
}

static void bad_input(hotline_store* s, const char* number) {
  char* out = NULL;
  const int64_t before = events_in(s);
  CHECK(hotline_store_create(&out, s, "{\"number\":\"B-1\",\"received_at\":\"2025-11-03T09:00:00+08:00\","
                                      "\"request_type\":\"complaint\",\"content\":\"x\"}", NULL, 0) == HOTLINE_OK);
  hotline_free(out);
  const char* b1 = "B-1";
  const int64_t start = events_in(s);
  CHECK(start == before + 1);

  /* NULL where a pointer is required. */
  CHECK_ERROR(hotline_store_apply(&out, s, b1, NULL, 0), HOTLINE_E_INVALID_ARGUMENT, "NULL");
  CHECK_ERROR(hotline_store_apply(&out, NULL, b1, "{}", 0), HOTLINE_E_INVALID_ARGUMENT, "NULL");
  CHECK_ERROR(hotline_store_get(NULL, s, b1, 0), HOTLINE_E_INVALID_ARGUMENT, "NULL");
  CHECK_ERROR(hotline_store_open(NULL, path, NULL), HOTLINE_E_INVALID_ARGUMENT, "NULL");
  CHECK(out == NULL);
  /* Text that is not UTF-8: the error names the argument. */
  CHECK_ERROR(hotline_store_apply(&out, s, b1,
                              "{\"action\":\"dispatch\",\"at\":\"2025-11-03T10:00\",\"by\":\"D02\",\"role\":\"dispatcher\","
                              "\"comment\":\"bad \xff\xfe\"}", 0),
          HOTLINE_E_INVALID_ARGUMENT, "action_json: not valid UTF-8");
  CHECK_ERROR(hotline_store_get(&out, s, "B-\xc3(", 0), HOTLINE_E_INVALID_ARGUMENT, "number: not valid UTF-8");
  CHECK_ERROR(hotline_store_create(&out, s, "{\"received_at\":\"2025-11-03\",\"request_type\":\"complaint\","
                                        "\"content\":\"\xe4\xb8\"}", NULL, 0),
          HOTLINE_E_INVALID_ARGUMENT, "order_json: not valid UTF-8 at byte ");
  /* Malformed JSON: the argument and where. */
  CHECK_ERROR(hotline_store_apply(&out, s, b1, "{\"action\": \"dispatch\",\n \"at\" \"2025-11-03\"}", 0), HOTLINE_E_PARSE,
          "action_json:2: malformed JSON at byte");
  CHECK_ERROR(hotline_store_apply(&out, s, b1, "[1, 2]", 0), HOTLINE_E_PARSE, "expected a JSON object");
  CHECK_ERROR(hotline_store_apply(&out, s, b1, "{\"action\":\"dispatch\",\"reason\":{\"x\":1}}", 0), HOTLINE_E_PARSE,
          "action_json: reason: expected a string");
  /* An unknown action names itself; so does an unknown field, and a bad value its field. */
  CHECK_ERROR(hotline_store_apply(&out, s, b1, "{\"action\":\"frobnicate\",\"at\":\"2025-11-03T10:00\",\"by\":\"D02\","
                                           "\"role\":\"dispatcher\"}", 0),
          HOTLINE_E_INVALID_ARGUMENT, "action_json: action: unknown action 'frobnicate'");
  CHECK_ERROR(hotline_store_apply(&out, s, b1, "{\"action\":\"dispatch\",\"at\":\"2025-11-03T10:00\",\"by\":\"D02\","
                                           "\"role\":\"dispatcher\",\"colour\":\"red\"}", 0),
          HOTLINE_E_INVALID_ARGUMENT, "action_json: colour: unknown field");
  CHECK_ERROR(hotline_store_apply(&out, s, b1, "{\"action\":\"dispatch\",\"at\":\"yesterday\",\"by\":\"D02\","
                                           "\"role\":\"dispatcher\"}", 0),
          HOTLINE_E_INVALID_ARGUMENT, "action_json: at: 'yesterday'");
  CHECK_ERROR(hotline_store_apply(&out, s, b1, "{\"action\":\"dispatch\",\"at\":\"2025-11-03T10:00\",\"by\":\"D02\"}", 0),
          HOTLINE_E_INVALID_ARGUMENT, "action_json: role: required");
  CHECK_ERROR(hotline_store_apply(&out, s, b1, "{\"number\":\"B-2\",\"action\":\"dispatch\",\"at\":\"2025-11-03T10:00\","
                                           "\"by\":\"D02\",\"role\":\"dispatcher\"}", 0),
          HOTLINE_E_INVALID_ARGUMENT, "action_json: number");
  CHECK_ERROR(hotline_store_apply(&out, s, b1, "{\"action\":\"dispatch\",\"at\":\"2025-11-03T10:00\",\"by\":\"D02\","
                                           "\"role\":\"dispatcher\"}", 4),
          HOTLINE_E_INVALID_ARGUMENT, "flags");
  /* The store's refusals: an illegal transition, a role, a stale version, unknown orders and units. */
  CHECK_ERROR(hotline_store_apply(&out, s, b1, "{\"action\":\"close\",\"at\":\"2025-11-03T10:00\",\"by\":\"C01\","
                                           "\"role\":\"call_back_agent\"}", 0),
          HOTLINE_E_ILLEGAL_TRANSITION, "cannot close an order in state waiting_for_dispatch");
  CHECK_ERROR(hotline_store_apply(&out, s, b1, "{\"action\":\"dispatch\",\"at\":\"2025-11-03T10:00\",\"by\":\"L01\","
                                           "\"role\":\"liaison\",\"unit\":\"YX-BJJ\"}", 0),
          HOTLINE_E_PERMISSION, "role liaison may not dispatch");
  CHECK_ERROR(hotline_store_apply(&out, s, b1, "{\"action\":\"dispatch\",\"at\":\"2025-11-03T10:00\",\"by\":\"D02\","
                                           "\"role\":\"dispatcher\",\"unit\":\"YX-BJJ\",\"expected_version\":7}", 0),
          HOTLINE_E_CONFLICT, "expected version 7");
  CHECK_ERROR(hotline_store_apply(&out, s, b1, "{\"action\":\"dispatch\",\"at\":\"2025-11-03T10:00\",\"by\":\"D02\","
                                           "\"role\":\"dispatcher\",\"unit\":\"NOWHERE\"}", 0),
          HOTLINE_E_NOT_FOUND, "NOWHERE");
  CHECK_ERROR(hotline_store_apply(&out, s, "NO-SUCH", "{\"action\":\"dispatch\",\"at\":\"2025-11-03T10:00\",\"by\":\"D02\","
                                                  "\"role\":\"dispatcher\"}", 0),
          HOTLINE_E_NOT_FOUND, "NO-SUCH");
  CHECK_ERROR(hotline_store_apply(&out, s, number, "{\"action\":\"reply\",\"at\":\"2025-11-03T10:00\",\"by\":\"L01\","
                                               "\"role\":\"liaison\",\"by_unit\":\"YX-BJJ\"}", 0),
          HOTLINE_E_ILLEGAL_TRANSITION, "in state closed");
  CHECK_ERROR(hotline_store_get(&out, s, "NO-SUCH", 0), HOTLINE_E_NOT_FOUND, "no order NO-SUCH");
  CHECK_ERROR(hotline_store_events(&out, s, "NO-SUCH", 0), HOTLINE_E_NOT_FOUND, "no order NO-SUCH");
  /* Intake refusals: an existing number, a missing field, an unknown field, a bad actor. */
  CHECK_ERROR(hotline_store_create(&out, s, "{\"number\":\"B-1\",\"received_at\":\"2025-11-03\",\"request_type\":\"complaint\"}",
                               NULL, 0),
          HOTLINE_E_CONFLICT, "already exists");
  CHECK_ERROR(hotline_store_create(&out, s, "{\"received_at\":\"2025-11-03\",\"content\":\"x\"}", NULL, 0),
          HOTLINE_E_INVALID_ARGUMENT, "order_json: request_type: required");
  CHECK_ERROR(hotline_store_create(&out, s, "{\"received_at\":\"2025-11-03\",\"request_type\":\"grumble\"}", NULL, 0),
          HOTLINE_E_INVALID_ARGUMENT, "grumble");
  CHECK_ERROR(hotline_store_create(&out, s, "{\"received_at\":\"2025-11-03\",\"request_type\":\"complaint\",\"colour\":1}",
                               NULL, 0),
          HOTLINE_E_INVALID_ARGUMENT, "order_json: colour: unknown field");
  CHECK_ERROR(hotline_store_create(&out, s, "{\"received_at\":\"2025-11-03\",\"request_type\":\"complaint\"}",
                               "{\"id\":\"A1\",\"role\":\"janitor\"}", 0),
          HOTLINE_E_INVALID_ARGUMENT, "actor_json: role");
  CHECK_ERROR(hotline_store_put_unit(s, "{\"name\":\"no code\"}"), HOTLINE_E_INVALID_ARGUMENT, "unit_json: code");
  CHECK_ERROR(hotline_store_liaisons(&out, s, "YX-BJJ", "soon", 0), HOTLINE_E_INVALID_ARGUMENT, "as_of");
  CHECK_ERROR(hotline_store_verify(&out, s, "xyz", NULL), HOTLINE_E_INVALID_ARGUMENT, "public_key");
  CHECK_ERROR(hotline_store_verify(&out, s, NULL, "not a receipt"), HOTLINE_E_INVALID_ARGUMENT, "receipt");
  CHECK_ERROR(hotline_store_sign_head(&out, s), HOTLINE_E_INVALID_ARGUMENT, "key_file");
  CHECK(out == NULL);
  /* Nothing of that reached the store. */
  CHECK(events_in(s) == start);
  CHECK(hotline_store_get(&out, s, b1, 0) == HOTLINE_OK && strstr(out, "\"version\":1") &&
        strstr(out, "\"state\":\"waiting_for_dispatch\""));
  hotline_free(out);
}

static void imports(hotline_store* s) {
  char* out = NULL;
  int64_t orders = -1, after = -1;
  write_file(calls_csv, "call_id,started_at,answered,wait_seconds,agent,ivr_key,line,unit,work_order\n"
                        "C-0001,2025-10-09T09:14:04+08:00,1,12,A017,1,12320,,\n"
                        "C-0002,2025-10-09T10:20:00+08:00,0,95,,2,12320,YX-BJJ,\n");
  CHECK(hotline_store_import_calls(&out, s, calls_csv) == HOTLINE_OK && strstr(out, "\"added\":2"));
  hotline_free(out);
  CHECK(hotline_store_import_calls(&out, s, calls_csv) == HOTLINE_OK && strstr(out, "\"already_stored\":2"));
  hotline_free(out);
  CHECK_ERROR(hotline_store_import_calls(&out, s, "no/such/calls.csv"), HOTLINE_E_IO, "no/such/calls.csv");

  CHECK(hotline_store_count(&orders, s, NULL) == HOTLINE_OK);
  const int64_t events = events_in(s);
  CHECK(hotline_store_import(&out, s,
                             "[{\"number\":\"I-1\",\"received_at\":\"2025-11-04T09:00\",\"request_type\":\"report\","
                             "\"content\":\"无证行医\",\"agent\":\"A017\"},"
                             " {\"number\":\"I-1\",\"action\":\"dispatch\",\"at\":\"2025-11-04T10:00\",\"by\":\"D02\","
                             "\"role\":\"dispatcher\",\"unit\":\"YX-BJJ\",\"co_units\":[\"YX-DS\"]},"
                             " {\"received_at\":\"2025-11-04T11:00\",\"request_type\":\"suggestion\",\"content\":\"建议\",\"draft\":true}]") ==
        HOTLINE_OK);
  CHECK(out && strstr(out, "\"created\":2") && strstr(out, "\"applied\":1") && strstr(out, "\"I-1\""));
  hotline_free(out);
  CHECK(hotline_store_get(&out, s, "I-1", 0) == HOTLINE_OK && strstr(out, "\"co_units\":\"YX-DS\""));
  hotline_free(out);
  CHECK(hotline_store_count(&after, s, NULL) == HOTLINE_OK && after == orders + 2);
  CHECK(events_in(s) == events + 3);
  /* One element the store refuses: nothing of the array is stored. */
  CHECK_ERROR(hotline_store_import(&out, s,
                               "[{\"number\":\"I-2\",\"received_at\":\"2025-11-05T09:00\",\"request_type\":\"report\",\"content\":\"x\"},"
                               " {\"number\":\"I-2\",\"action\":\"close\",\"at\":\"2025-11-05T10:00\",\"by\":\"C01\","
                               "\"role\":\"call_back_agent\"}]"),
          HOTLINE_E_ILLEGAL_TRANSITION, "records_json[1]: illegal transition");
  CHECK_ERROR(hotline_store_import(&out, s, "[{\"number\":\"I-3\",\"received_at\":\"2025-11-05\",\"request_type\":\"report\"},"
                                        " {\"number\":\"I-3\",\"action\":\"dispatch\",\"at\":\"later\"}]"),
          HOTLINE_E_INVALID_ARGUMENT, "records_json: [1].");
  CHECK_ERROR(hotline_store_import(&out, s, "{\"orders\": []}"), HOTLINE_E_PARSE, "expected a JSON array");
  CHECK(hotline_store_count(&after, s, NULL) == HOTLINE_OK && after == orders + 2);
  CHECK(events_in(s) == events + 3);
  CHECK(out == NULL);
}

static void signed_heads_and_options(void) {
  hotline_store* s = NULL;
  char* out = NULL;
  char receipt[512];
  /* A missing file with must_exist: an error, and no file made. */
  CHECK(hotline_store_open(&s, path, "{\"must_exist\":true}") == HOTLINE_OK && s != NULL);
  hotline_store_free(s);
  s = NULL;
  CHECK_ERROR(hotline_store_open(&s, signed_path, "{\"must_exist\":true}"), HOTLINE_E_IO, "no such store");
  CHECK(s == NULL && access(signed_path, F_OK) != 0);
  CHECK_ERROR(hotline_store_open(&s, signed_path, "{\"busy_timeout\":5}"), HOTLINE_E_INVALID_ARGUMENT,
          "options_json: busy_timeout: unknown option");
  CHECK_ERROR(hotline_store_open(&s, signed_path, "{\"key_file\":\"no/such.key\"}"), HOTLINE_E_IO, "no/such.key");
  CHECK_ERROR(hotline_store_open(&s, signed_path, "{\"sla_preset\":\"nowhere\"}"), HOTLINE_E_NOT_FOUND, "nowhere");

  write_file(key_path, "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n");
  CHECK_ERROR(hotline_store_open(&s, signed_path, "{\"key_file\":"), HOTLINE_E_PARSE, "options_json:1: malformed JSON");
  CHECK(s == NULL && access(signed_path, F_OK) != 0);
  char options[512];
  snprintf(options, sizeof options, "{\"key_file\":\"%s\",\"sla_preset\":\"guangzhou-family-doctor\"}", key_path);
  CHECK(hotline_store_open(&s, signed_path, options) == HOTLINE_OK);
  CHECK(hotline_store_create(NULL, s, "{\"received_at\":\"2025-11-03T09:00\",\"request_type\":\"complaint\",\"content\":\"x\"}",
                             NULL, 0) == HOTLINE_OK);
  CHECK(hotline_store_head(&out, s) == HOTLINE_OK && strstr(out, "\"signed\":true") && strstr(out, "\"event_count\":1"));
  json_text(out, "receipt", receipt, sizeof receipt);
  hotline_free(out);
  CHECK(hotline_store_sign_head(&out, s) == HOTLINE_OK && strstr(out, "\"signed\":true"));
  hotline_free(out);
  CHECK(hotline_store_verify(&out, s, NULL, receipt) == HOTLINE_OK && strstr(out, "\"ok\":true"));
  hotline_free(out);
  /* Another key's heads do not verify: ok is false, the call itself succeeds. */
  CHECK(hotline_store_verify(&out, s, "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", NULL) ==
            HOTLINE_OK &&
        strstr(out, "\"ok\":false"));
  hotline_free(out);
  hotline_store_free(s);

  /* A read-only store refuses writes. */
  s = NULL;
  CHECK(hotline_store_open(&s, signed_path, "{\"read_only\":true}") == HOTLINE_OK);
  CHECK_ERROR(hotline_store_create(NULL, s, "{\"received_at\":\"2025-11-03T09:00\",\"request_type\":\"complaint\",\"content\":\"x\"}",
                               NULL, 0),
          HOTLINE_E_INVALID_ARGUMENT, "read-only");
  int v = 0;
  CHECK(hotline_store_schema_version(&v, s) == HOTLINE_OK && v > 0);
  hotline_store_free(s);
}

static void remove_store(const char* file) {
  char p[320];
  unlink(file);
  snprintf(p, sizeof p, "%s-wal", file);
  unlink(p);
  snprintf(p, sizeof p, "%s-shm", file);
  unlink(p);
}

int main(void) {
  if (!make_temp_dir(dir, sizeof dir, "hotline-c-store")) {
    perror("mkdtemp");
    return 1;
  }
  snprintf(path, sizeof path, "%s/hotline.db", dir);
  snprintf(calls_csv, sizeof calls_csv, "%s/calls.csv", dir);
  snprintf(key_path, sizeof key_path, "%s/head.key", dir);
  snprintf(signed_path, sizeof signed_path, "%s/signed.db", dir);

  hotline_store* s = NULL;
  CHECK(hotline_store_open(&s, path, NULL) == HOTLINE_OK && s != NULL);
  if (s) {
    char number[64];
    life_of_a_complaint(s, number, sizeof number);
    queries(s);
    bad_input(s, number);
    imports(s);
    char* out = NULL;
    CHECK(hotline_store_verify(&out, s, NULL, NULL) == HOTLINE_OK && strstr(out, "\"ok\":true"));
    hotline_free(out);
    hotline_store_free(s);
  }
  hotline_store_free(NULL);
  signed_heads_and_options();

  remove_store(path);
  remove_store(signed_path);
  unlink(calls_csv);
  unlink(key_path);
  rmdir(dir);
  return check_summary();
}
