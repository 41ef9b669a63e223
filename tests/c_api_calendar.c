/* The C ABI of the calendar, from C: statuses, last error, buffers. */
#include "hotline/hotline.h"

#include <stdio.h>
#include <string.h>

static int failures = 0, passed = 0;
#define CHECK(cond)                                                     \
  do {                                                                  \
    if (cond) ++passed;                                                 \
    else { ++failures; fprintf(stderr, "%s:%d: CHECK(%s) failed (%s)\n", __FILE__, __LINE__, #cond, hotline_last_error()); } \
  } while (0)

int main(void) {
  hotline_calendar* cal = NULL;
  CHECK(hotline_calendar_new_china(&cal, 0) == HOTLINE_OK);
  int64_t d = 0, due = 0, n = 0;
  CHECK(hotline_parse_day(&d, "2025-01-25") == HOTLINE_OK);
  CHECK(hotline_calendar_add_workdays(&due, cal, d, 2) == HOTLINE_OK);
  int64_t expect = 0;
  CHECK(hotline_parse_day(&expect, "2025-01-27") == HOTLINE_OK);
  CHECK(due == expect);
  CHECK(hotline_calendar_workdays_between(&n, cal, d, due) == HOTLINE_OK && n == 2);

  int kind = -1, work = -1;
  CHECK(hotline_parse_day(&d, "2026-02-14") == HOTLINE_OK);
  CHECK(hotline_calendar_day_kind(&kind, cal, d) == HOTLINE_OK && kind == HOTLINE_ADJUSTED_WORKING_DAY);
  CHECK(hotline_calendar_is_workday(&work, cal, d) == HOTLINE_OK && work == 1);

  /* Holiday name with the buffer protocol. */
  char small[4], big[64];
  size_t needed = 0;
  CHECK(hotline_parse_day(&d, "2026-02-17") == HOTLINE_OK);
  CHECK(hotline_calendar_holiday_name(small, sizeof small, &needed, cal, d, 0) == HOTLINE_E_BUFFER_TOO_SMALL);
  CHECK(needed == strlen("春节") + 1);
  CHECK(hotline_calendar_holiday_name(big, sizeof big, &needed, cal, d, 0) == HOTLINE_OK && strcmp(big, "春节") == 0);
  CHECK(hotline_calendar_holiday_name(big, sizeof big, &needed, cal, d, 1) == HOTLINE_OK &&
        strcmp(big, "Spring Festival") == 0);

  /* Errors: a status, and a message naming the problem. */
  CHECK(hotline_parse_day(&d, "2027-01-04") == HOTLINE_OK);
  CHECK(hotline_calendar_is_workday(&work, cal, d) == HOTLINE_E_OUT_OF_RANGE);
  CHECK(strstr(hotline_last_error(), "2027") != NULL);
  CHECK(hotline_parse_day(&d, "2026-02-30") == HOTLINE_E_PARSE);
  CHECK(hotline_calendar_add_workdays(NULL, cal, 0, 1) == HOTLINE_E_INVALID_ARGUMENT);
  CHECK(hotline_calendar_with_overlay_file(&cal, cal, "no/such/file.csv", HOTLINE_LAYER_REGIONAL) == HOTLINE_E_IO);

  /* Batch. */
  int64_t days[3], out[3], one = 1;
  hotline_parse_day(&days[0], "2026-09-30");
  hotline_parse_day(&days[1], "2026-02-13");
  hotline_parse_day(&days[2], "2026-03-06");
  CHECK(hotline_calendar_add_workdays_batch(out, cal, days, 3, &one, 1) == HOTLINE_OK);
  hotline_parse_day(&expect, "2026-10-08");
  CHECK(out[0] == expect);
  hotline_parse_day(&expect, "2026-02-14");
  CHECK(out[1] == expect);
  hotline_parse_day(&expect, "2026-03-09");
  CHECK(out[2] == expect);

  /* Opt-in beyond the data. */
  hotline_calendar* loose = NULL;
  CHECK(hotline_calendar_new_china(&loose, 1) == HOTLINE_OK);
  hotline_parse_day(&d, "2027-01-04");
  CHECK(hotline_calendar_is_workday(&work, loose, d) == HOTLINE_OK && work == 1);
  hotline_calendar_free(loose);
  hotline_calendar_free(cal);
  printf("%d passed, %d failed\n", passed, failures);
  return failures ? 1 : 0;
}
