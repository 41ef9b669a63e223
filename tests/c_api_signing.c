/* The C ABI of the signing journal, from C: a region set up, a resident signed and served,
 * the contracts, coverage and reports read back, the journal verified and replayed, and
 * bad input refused with the journal left as it was. */
#include "c_api_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[256], path[300], other[300];

/* A call that must succeed. */
static void call(hotline_signing_store* s, const char* json) {
  const hotline_status st = hotline_signing_store_apply(NULL, s, json, 0);
  CHECK(st == HOTLINE_OK);
  if (st != HOTLINE_OK) fprintf(stderr, "  while calling %s\n", json);
}

static uint64_t rows_in(const hotline_signing_store* s) {
  uint64_t n = 0;
  CHECK(hotline_signing_store_last_seq(&n, s) == HOTLINE_OK);
  return n;
}

static int count_of(const char* text, const char* needle) {
  int n = 0;
  for (const char* p = text; p && (p = strstr(p, needle)) != NULL; ++p) ++n;
  return n;
}

static void region(hotline_signing_store* s) {
  call(s, "{\"op\":\"add_institution\",\"by\":\"clerk-07\",\"code\":\"YX-BJ\",\"name\":\"北京街社区卫生服务中心\","
          "\"kind\":\"community_health_centre\",\"district\":\"越秀区\",\"subdistrict\":\"北京街\"}");
  call(s, "{\"op\":\"add_team\",\"by\":\"clerk-07\",\"code\":\"T1\",\"institution\":\"YX-BJ\",\"name\":\"王医生团队\"}");
  call(s, "{\"op\":\"add_staff\",\"by\":\"clerk-07\",\"id\":\"D1\",\"name\":\"王医生\",\"institution\":\"YX-BJ\"}");
  call(s, "{\"op\":\"join_team\",\"by\":\"clerk-07\",\"team\":\"T1\",\"staff\":\"D1\",\"role\":\"family_doctor\","
          "\"from\":\"2016-01-01\"}");
  call(s, "{\"op\":\"add_package\",\"by\":\"clerk-07\",\"code\":\"BASIC\",\"name\":\"基本服务包\",\"tier\":\"basic\","
          "\"items\":[\"健康评估\",\"随访\"],\"fee_fen\":12000,\"insurance_fen\":8000,\"public_health_fen\":2000,"
          "\"resident_fen\":2000}");
  call(s, "{\"op\":\"add_resident\",\"by\":\"clerk-07\",\"at\":\"2017-02-01T09:00:00+08:00\",\"id\":\"R1\","
          "\"name\":\"张三丰\",\"id_number\":\"11010519491231002X\",\"district\":\"越秀区\",\"subdistrict\":\"北京街\","
          "\"community\":\"仰忠社区\"}");
  call(s, "{\"op\":\"add_resident\",\"by\":\"clerk-07\",\"id\":\"R2\",\"birth\":\"2015-06-01\",\"district\":\"越秀区\","
          "\"subdistrict\":\"北京街\",\"community\":\"仰忠社区\"}");
}

static void sign_and_serve(hotline_signing_store* s, char* contract, size_t size) {
  char* out = NULL;
  CHECK(hotline_signing_store_apply(&out, s, "{\"op\":\"sign\",\"by\":\"D1\",\"resident\":\"R1\",\"team\":\"T1\","
                                             "\"packages\":[\"BASIC\"],\"start\":\"2017-03-01\"}", 0) == HOTLINE_OK);
  CHECK(out && strstr(out, "\"op\":\"sign\"") && strstr(out, "\"end\":\"2018-03-01\"") &&
        strstr(out, "\"institution\":\"YX-BJ\""));
  const char* id = out ? strstr(out, "\"id\":\"") : NULL;
  contract[0] = '\0';
  if (id) {
    id += 6;
    size_t i = 0;
    while (id[i] && id[i] != '"' && i + 1 < size) contract[i] = id[i], ++i;
    contract[i] = '\0';
  }
  CHECK(contract[0] != '\0');
  hotline_free(out);

  char json[512];
  snprintf(json, sizeof json, "{\"op\":\"record_service\",\"by\":\"D1\",\"contract\":\"%s\",\"staff\":\"D1\","
                              "\"kind\":\"home_visit\",\"on\":\"2017-04-02\",\"note\":\"请回电13812341234\"}",
           contract);
  CHECK(hotline_signing_store_apply(&out, s, json, 0) == HOTLINE_OK);
  CHECK(out && strstr(out, "\"service\":{\"seq\":1") && strstr(out, "138****1234") && !strstr(out, "13812341234") &&
        strstr(out, "\"resident\":\"R1\"") && strstr(out, "\"hash\":\""));
  hotline_free(out);
  snprintf(json, sizeof json, "{\"op\":\"record_service\",\"by\":\"D1\",\"contract\":\"%s\",\"staff\":\"D1\","
                              "\"kind\":\"follow_up\",\"on\":\"2017-05-02\",\"note\":\"复诊13812341234\"}",
           contract);
  CHECK(hotline_signing_store_apply(&out, s, json, HOTLINE_SIGNING_REVEAL) == HOTLINE_OK && strstr(out, "13812341234"));
  hotline_free(out);
  snprintf(json, sizeof json, "{\"op\":\"renew\",\"by\":\"D1\",\"contract\":\"%s\",\"years\":1}", contract);
  CHECK(hotline_signing_store_apply(&out, s, json, 0) == HOTLINE_OK && strstr(out, "\"start\":\"2018-03-01\"") &&
        strstr(out, "\"renewal_of\":\""));
  hotline_free(out);
}

static void reads(hotline_signing_store* s, const char* contract) {
  char* out = NULL;
  /* The resident, masked unless revealed. */
  CHECK(hotline_signing_store_resident(&out, s, "R1", 0) == HOTLINE_OK && strstr(out, "110105********002X") &&
        !strstr(out, "张三丰") && strstr(out, "\"birth\":\"1949-12-31\""));
  hotline_free(out);
  CHECK(hotline_signing_store_resident(&out, s, "R1", HOTLINE_SIGNING_REVEAL) == HOTLINE_OK && strstr(out, "张三丰") &&
        strstr(out, "11010519491231002X"));
  hotline_free(out);
  /* The contracts, oldest first: the first and its renewal. */
  CHECK(hotline_signing_store_contracts(&out, s, "R1") == HOTLINE_OK);
  CHECK(out && count_of(out, "\"team\":\"T1\"") == 2 && strstr(out, contract) &&
        strstr(out, "\"start\":\"2017-03-01\"") < strstr(out, "\"start\":\"2018-03-01\""));
  hotline_free(out);
  CHECK(hotline_signing_store_contracts(&out, s, "R2") == HOTLINE_OK && strstr(out, "\"contracts\":[]"));
  hotline_free(out);
  /* Coverage on 2017-06-01: two residents in 越秀区, one signed. */
  CHECK(hotline_signing_store_coverage(&out, s, day_of("2017-06-01"), NULL) == HOTLINE_OK);
  CHECK(out && strstr(out, "\"by\":\"district\"") && strstr(out, "\"group\":\"越秀区\"") &&
        strstr(out, "\"all\":{\"population\":2,\"signed\":1,\"rate\":0.5}") && strstr(out, "\"targets\":["));
  hotline_free(out);
  CHECK(hotline_signing_store_coverage(&out, s, day_of("2017-06-01"), "team") == HOTLINE_OK &&
        strstr(out, "\"group\":\"T1\""));
  hotline_free(out);
  CHECK(hotline_signing_store_tables(&out, s, day_of("2017-12-31")) == HOTLINE_OK && out[0] == '[' &&
        count_of(out, "\"title\":") >= 5);
  hotline_free(out);
  /* The journal: every call a row, the resident's name masked. */
  const uint64_t n = rows_in(s);
  CHECK(n == 12); /* the policy row, seven set-up calls, sign, two services, renew */
  CHECK(hotline_signing_store_journal(&out, s, 1, 0, 0) == HOTLINE_OK && count_of(out, "\"seq\":") >= 12 &&
        strstr(out, "\"op\":\"policy\"") && !strstr(out, "张三丰"));
  hotline_free(out);
  CHECK(hotline_signing_store_journal(&out, s, 7, 1, HOTLINE_SIGNING_REVEAL) == HOTLINE_OK &&
        strstr(out, "\"op\":\"add_resident\"") && strstr(out, "张三丰"));
  hotline_free(out);
  CHECK(hotline_signing_store_verify(&out, s, NULL, NULL) == HOTLINE_OK && strstr(out, "\"ok\":true") &&
        strstr(out, "\"rows\":12") && strstr(out, "\"services\":2"));
  hotline_free(out);
  CHECK(hotline_signing_store_head(&out, s) == HOTLINE_OK && strstr(out, "\"event_count\":12") &&
        strstr(out, "\"signed\":false"));
  hotline_free(out);
}

static void bad_input(hotline_signing_store* s, const char* contract) {
  char* out = NULL;
  const uint64_t before = rows_in(s);
  CHECK_ERROR(hotline_signing_store_apply(&out, s, NULL, 0), HOTLINE_E_INVALID_ARGUMENT, "NULL");
  CHECK_ERROR(hotline_signing_store_apply(&out, NULL, "{}", 0), HOTLINE_E_INVALID_ARGUMENT, "NULL");
  CHECK_ERROR(hotline_signing_store_contracts(NULL, s, "R1"), HOTLINE_E_INVALID_ARGUMENT, "NULL");
  CHECK_ERROR(hotline_signing_store_apply(&out, s, "{\"op\":\"add_resident\",\"by\":\"c\",\"id\":\"R3\",\"name\":\"\xe5\x8f\","
                                               "\"birth\":\"1950-01-01\",\"district\":\"越秀区\"}", 0),
          HOTLINE_E_INVALID_ARGUMENT, "call_json: not valid UTF-8");
  CHECK_ERROR(hotline_signing_store_contracts(&out, s, "R\xff"), HOTLINE_E_INVALID_ARGUMENT, "resident: not valid UTF-8");
  CHECK_ERROR(hotline_signing_store_apply(&out, s, "{\"op\":\"sign\",\n\"by\":\"D1\",,}", 0), HOTLINE_E_PARSE,
          "call_json:2: malformed JSON");
  CHECK_ERROR(hotline_signing_store_apply(&out, s, "[]", 0), HOTLINE_E_PARSE, "expected a JSON object");
  CHECK_ERROR(hotline_signing_store_apply(&out, s, "{\"op\":\"frobnicate\",\"by\":\"D1\"}", 0), HOTLINE_E_INVALID_ARGUMENT,
          "unknown op 'frobnicate'");
  CHECK_ERROR(hotline_signing_store_apply(&out, s, "{\"op\":\"add_team\",\"code\":\"T2\",\"institution\":\"YX-BJ\"}", 0),
          HOTLINE_E_INVALID_ARGUMENT, "call_json: by: required");
  CHECK_ERROR(hotline_signing_store_apply(&out, s, "{\"op\":\"add_team\",\"by\":\"c\",\"code\":\"T2\",\"institution\":\"YX-BJ\","
                                               "\"colour\":\"red\"}", 0),
          HOTLINE_E_INVALID_ARGUMENT, "call_json: colour: unknown field for op add_team");
  CHECK_ERROR(hotline_signing_store_apply(&out, s, "{\"op\":\"sign\",\"by\":\"D1\",\"resident\":\"R2\",\"team\":\"T1\","
                                               "\"start\":\"2017-02-30\"}", 0),
          HOTLINE_E_INVALID_ARGUMENT, "call_json: start");
  CHECK_ERROR(hotline_signing_store_apply(&out, s, "{\"op\":\"record_service\",\"by\":\"D1\",\"contract\":\"C1\","
                                               "\"staff\":\"D1\",\"kind\":\"massage\",\"on\":\"2017-04-02\"}", 0),
          HOTLINE_E_INVALID_ARGUMENT, "massage");
  CHECK_ERROR(hotline_signing_store_apply(&out, s, "{\"op\":\"add_package\",\"by\":\"c\",\"code\":\"X\",\"fee_fen\":\"12\"}", 0),
          HOTLINE_E_INVALID_ARGUMENT, "call_json: fee_fen: expected an integer");
  /* The registry's refusals keep their kind. */
  CHECK_ERROR(hotline_signing_store_apply(&out, s, "{\"op\":\"add_team\",\"by\":\"c\",\"code\":\"T1\",\"institution\":\"YX-BJ\"}",
                                      0),
          HOTLINE_E_CONFLICT, "T1");
  CHECK_ERROR(hotline_signing_store_apply(&out, s, "{\"op\":\"record_service\",\"by\":\"D1\",\"contract\":\"NO-SUCH\","
                                               "\"staff\":\"D1\",\"kind\":\"home_visit\",\"on\":\"2017-04-02\"}", 0),
          HOTLINE_E_NOT_FOUND, "NO-SUCH");
  CHECK_ERROR(hotline_signing_store_contracts(&out, s, "R404"), HOTLINE_E_NOT_FOUND, "R404");
  CHECK_ERROR(hotline_signing_store_resident(&out, s, "R404", 0), HOTLINE_E_NOT_FOUND, "R404");
  CHECK_ERROR(hotline_signing_store_coverage(&out, s, day_of("2017-06-01"), "planet"), HOTLINE_E_INVALID_ARGUMENT,
          "planet");
  CHECK_ERROR(hotline_signing_store_verify(&out, s, "00", NULL), HOTLINE_E_INVALID_ARGUMENT, "public_key");
  CHECK_ERROR(hotline_signing_store_sign_head(&out, s), HOTLINE_E_INVALID_ARGUMENT, "key_file");
  CHECK_ERROR(hotline_signing_store_journal(&out, s, 1, 0, 8), HOTLINE_E_INVALID_ARGUMENT, "flags");
  CHECK(out == NULL);
  CHECK(rows_in(s) == before);
  CHECK(hotline_signing_store_contracts(&out, s, "R1") == HOTLINE_OK && strstr(out, contract));
  hotline_free(out);
}

int main(void) {
  if (!make_temp_dir(dir, sizeof dir, "hotline-c-signing")) {
    perror("mkdtemp");
    return 1;
  }
  snprintf(path, sizeof path, "%s/signing.db", dir);
  snprintf(other, sizeof other, "%s/not-a-store.txt", dir);
  char contract[64] = "";

  hotline_signing_store* s = NULL;
  CHECK(hotline_signing_store_open(&s, path, "{\"policy\":\"guangzhou_2017\",\"created_by\":\"c-test\"}") ==
        HOTLINE_OK);
  if (s) {
    region(s);
    sign_and_serve(s, contract, sizeof contract);
    reads(s, contract);
    bad_input(s, contract);
    hotline_signing_store_free(s);
  }
  hotline_signing_store_free(NULL);

  /* Reopened: the journal replays into the same registry. */
  s = NULL;
  CHECK(hotline_signing_store_open(&s, path, NULL) == HOTLINE_OK);
  if (s) {
    char* out = NULL;
    uint64_t n = 99;
    CHECK(rows_in(s) == 12);
    CHECK(hotline_signing_store_refresh(&n, s) == HOTLINE_OK && n == 0);
    CHECK(hotline_signing_store_contracts(&out, s, "R1") == HOTLINE_OK && strstr(out, contract));
    hotline_free(out);
    CHECK(hotline_signing_store_verify(&out, s, NULL, NULL) == HOTLINE_OK && strstr(out, "\"ok\":true"));
    hotline_free(out);
    hotline_signing_store_free(s);
  }

  /* Files and options it refuses. */
  s = NULL;
  FILE* f = fopen(other, "wb");
  if (f) {
    fputs("not a database, just text that is long enough to be read as a header of one\n", f);
    fclose(f);
  }
  CHECK_ERROR(hotline_signing_store_open(&s, other, NULL), HOTLINE_E_STORAGE, "not-a-store.txt");
  CHECK_ERROR(hotline_signing_store_open(&s, path, "{\"policy\":\"atlantis\"}"), HOTLINE_E_INVALID_ARGUMENT, "atlantis");
  CHECK_ERROR(hotline_signing_store_open(&s, path, "{\"colour\":1}"), HOTLINE_E_INVALID_ARGUMENT, "colour");
  CHECK_ERROR(hotline_signing_store_open(NULL, path, NULL), HOTLINE_E_INVALID_ARGUMENT, "NULL");
  CHECK(s == NULL);

  char p[320];
  unlink(path);
  snprintf(p, sizeof p, "%s-wal", path);
  unlink(p);
  snprintf(p, sizeof p, "%s-shm", path);
  unlink(p);
  unlink(other);
  rmdir(dir);
  return check_summary();
}
