/* The C ABI's store on PostgreSQL (issue 21): what a Java or .NET host does, from C, on
 * a database of the throwaway cluster (HOTLINE_PG, tests/pg/throwaway_cluster.sh): open a
 * location (must_exist is the server's business, not a file check), a complaint's life,
 * a stale version refused, the chain verified, signed heads with a key file, and a
 * missing server named without its password.  Exit 77 (skipped) outside a cluster. */
#include "../c_api_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(void) {
  const char* base = getenv("HOTLINE_PG"); /* postgresql:///postgres?host=...&port=...&user=... */
  if (!base || !strstr(base, ":///postgres?")) {
    fprintf(stderr, "c_api_store_pg: not inside tests/pg/throwaway_cluster.sh: skipped\n");
    return 77;
  }
  if (system("dropdb --if-exists hl_c_api >/dev/null 2>&1; createdb hl_c_api") != 0) return 1;
  char location[512];
  snprintf(location, sizeof location, "postgresql:///hl_c_api?%s", strstr(base, "?") + 1);

  hotline_store* s = NULL;
  CHECK(hotline_store_open(&s, location, "{\"must_exist\":true}") == HOTLINE_OK && s != NULL);
  if (!s) return check_summary();
  char* out = NULL;
  CHECK(hotline_store_put_unit(s, "{\"code\":\"YX-BJJ\",\"name\":\"越秀区北京街社区卫生服务中心\","
                                  "\"kind\":\"institution\",\"covers\":[\"越秀区/北京街\"]}") == HOTLINE_OK);
  CHECK(hotline_store_create(&out, s,
                             "{\"received_at\":\"2025-10-09T09:15:00+08:00\",\"request_type\":\"投诉\","
                             "\"agent\":\"A017\",\"caller_phone\":\"13812341234\",\"district\":\"越秀区\","
                             "\"sub_district\":\"北京街\",\"content\":\"诊所收费不合理\"}",
                             NULL, 0) == HOTLINE_OK);
  char number[64] = "";
  const char* n = out ? strstr(out, "\"number\":\"") : NULL;
  if (n) sscanf(n + 10, "%63[^\"]", number);
  CHECK(number[0] != '\0' && strstr(out, "138****1234") != NULL);
  hotline_free(out);
  CHECK(hotline_store_apply(&out, s, number,
                            "{\"action\":\"dispatch\",\"at\":\"2025-10-09T10:00:00+08:00\",\"by\":\"D02\","
                            "\"role\":\"dispatcher\",\"unit\":\"YX-BJJ\",\"expected_version\":1}",
                            0) == HOTLINE_OK);
  CHECK(out && strstr(out, "\"state\":\"dispatched\""));
  hotline_free(out);
  /* Another host's stale version: a conflict, nothing written. */
  CHECK_ERROR(hotline_store_apply(&out, s, number,
                                  "{\"action\":\"void\",\"at\":\"2025-10-09T10:05:00+08:00\",\"by\":\"D03\","
                                  "\"role\":\"dispatcher\",\"expected_version\":1}",
                                  0),
              HOTLINE_E_CONFLICT, "version");
  int64_t events = 0;
  CHECK(hotline_store_event_count(&events, s) == HOTLINE_OK && events == 2);
  CHECK(hotline_store_verify(&out, s, NULL, NULL) == HOTLINE_OK && strstr(out, "\"ok\":true"));
  hotline_free(out);
  hotline_store_free(s);

  /* A host with a key file: its commits sign the head on the server too. */
  char key_file[] = "hl_c_api_key_XXXXXX"; /* in the test's folder; mkstemp: mode 0600, as a key file must be */
  const int fd = mkstemp(key_file);
  CHECK(fd >= 0 && write(fd, "0707070707070707070707070707070707070707070707070707070707070707\n", 65) == 65);
  if (fd >= 0) close(fd);
  char options[256];
  snprintf(options, sizeof options, "{\"key_file\":\"%s\"}", key_file);
  hotline_store* signer = NULL;
  CHECK(hotline_store_open(&signer, location, options) == HOTLINE_OK && signer != NULL);
  if (signer) {
    CHECK(hotline_store_head(&out, signer) == HOTLINE_OK && strstr(out, "\"signed\":false"));
    hotline_free(out);
    CHECK(hotline_store_apply(&out, signer, number,
                              "{\"action\":\"sign_for\",\"at\":\"2025-10-09T11:00:00+08:00\",\"by\":\"L1\","
                              "\"role\":\"liaison\",\"by_unit\":\"YX-BJJ\"}",
                              0) == HOTLINE_OK);
    hotline_free(out);
    CHECK(hotline_store_head(&out, signer) == HOTLINE_OK && strstr(out, "\"signed\":true") &&
          strstr(out, "\"event_count\":3"));
    hotline_free(out);
    /* Checked with another public key: the signed head does not hold. */
    CHECK(hotline_store_verify(&out, signer, "d04ab232742bb4ab3a1368bd4615e4e6d0224ab71a016baf8520a332c9778737", NULL) ==
              HOTLINE_OK &&
          strstr(out, "\"ok\":false"));
    hotline_free(out);
    hotline_store_free(signer);
  }
  unlink(key_file);

  hotline_store* bad = NULL;
  CHECK_ERROR(hotline_store_open(&bad, "postgresql://hl:s3cret@/nowhere?host=/nonexistent-socket-dir", NULL),
              HOTLINE_E_STORAGE, "hl:***@");
  CHECK(strstr(hotline_last_error(), "s3cret") == NULL);
  return check_summary();
}
