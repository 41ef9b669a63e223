/* What the C ABI's tests (tests/c_api_*.c) share: CHECK and CHECK_ERROR, a few readers
 * of the JSON the library returns, and the path of a file under data/.  Each test is a
 * program of its own, so the counters are static here.  C11; includes hotline.h only. */
#ifndef HOTLINE_TESTS_C_API_CHECK_H
#define HOTLINE_TESTS_C_API_CHECK_H

#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700 /* POSIX 2008 with XSI: mkdtemp, P_tmpdir; include this header first */
#endif

#include "hotline/hotline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures = 0, passed = 0;

/* A condition that must hold; a failure prints the last error beside it. */
#define CHECK(cond)                                                                                         \
  do {                                                                                                      \
    if (cond) ++passed;                                                                                     \
    else {                                                                                                  \
      ++failures;                                                                                           \
      fprintf(stderr, "%s:%d: CHECK(%s) failed (%s)\n", __FILE__, __LINE__, #cond, hotline_last_error()); \
    }                                                                                                       \
  } while (0)

/* A call refused with `status`, the last error's code the same, and its message holding
 * `piece`. */
#define CHECK_ERROR(call, status, piece)                                                            \
  do {                                                                                              \
    const hotline_status st_ = (call);                                                              \
    CHECK(st_ == (status));                                                                         \
    CHECK(hotline_last_error_code() == (status));                                                   \
    if (!strstr(hotline_last_error(), (piece))) {                                                   \
      ++failures;                                                                                   \
      fprintf(stderr, "%s:%d: message '%s' lacks '%s'\n", __FILE__, __LINE__, hotline_last_error(), \
              (piece));                                                                             \
    } else {                                                                                        \
      ++passed;                                                                                     \
    }                                                                                               \
  } while (0)

/* The tally, and the program's exit status. */
static inline int check_summary(void) {
  printf("%d passed, %d failed\n", passed, failures);
  return failures ? 1 : 0;
}

/* The number after `key` in the text that follows `anchor` in `json` (-1e9: none). */
static inline double num_after(const char* json, const char* anchor, const char* key) {
  const char* p = json ? strstr(json, anchor) : NULL;
  p = p ? strstr(p, key) : NULL;
  return p ? strtod(p + strlen(key), NULL) : -1e9;
}

/* data/<sub>/<name>, found from this header's path: the tests run in the build tree. */
static inline void data_path(char* out, size_t size, const char* sub, const char* name) {
  const char* file = __FILE__;
  const char* slash = strrchr(file, '/');
  int dir = slash ? (int)(slash - file) : 0;
  snprintf(out, size, "%.*s%s../data/%s/%s", dir, file, dir ? "/" : "", sub, name);
}

/* A fresh folder "<TMPDIR>/<prefix>-XXXXXX" into out (P_tmpdir when TMPDIR is unset);
 * 0 when it cannot be made. */
static inline int make_temp_dir(char* out, size_t size, const char* prefix) {
  const char* tmp = getenv("TMPDIR");
  snprintf(out, size, "%s/%s-XXXXXX", tmp && *tmp ? tmp : P_tmpdir, prefix);
  return mkdtemp(out) != NULL;
}

/* The day number of "YYYY-MM-DD" (checked). */
static inline int64_t day_of(const char* text) {
  int64_t d = 0;
  CHECK(hotline_parse_day(&d, text) == HOTLINE_OK);
  return d;
}

#endif /* HOTLINE_TESTS_C_API_CHECK_H */
