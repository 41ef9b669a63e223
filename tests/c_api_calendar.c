/* The C ABI of the calendar, from C: statuses, last error, buffers. */
#include "c_api_check.h"

#include <stdio.h>
#include <string.h>

/* Whether s is well-formed UTF-8 (RFC 3629), written here rather than taken from the library. */
static int valid_utf8(const char* s) {
  const unsigned char* p = (const unsigned char*)s;
  while (*p) {
    int len = *p < 0x80 ? 1 : (*p >= 0xC2 && *p <= 0xDF) ? 2 : (*p >= 0xE0 && *p <= 0xEF) ? 3 : (*p >= 0xF0 && *p <= 0xF4) ? 4 : 0;
    if (!len) return 0;
    for (int k = 1; k < len; ++k)
      if ((p[k] & 0xC0) != 0x80) return 0;
    p += len;
  }
  return 1;
}

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

  /* Statutory days beyond the data: 2027-02-08 (正月初三) is off, provisionally. */
  hotline_calendar* law = NULL;
  CHECK(hotline_calendar_new_china(&law, HOTLINE_CALENDAR_STATUTORY_BEYOND_DATA) == HOTLINE_OK);
  hotline_parse_day(&d, "2027-02-08");
  CHECK(hotline_calendar_is_workday(&work, law, d) == HOTLINE_OK && work == 0);
  int provisional = 0;
  CHECK(hotline_calendar_is_provisional(&provisional, law, d) == HOTLINE_OK && provisional == 1);
  CHECK(hotline_calendar_new_china(&loose, 4) == HOTLINE_E_INVALID_ARGUMENT);
  /* Without an opt-in the error names the ways forward. */
  CHECK(hotline_calendar_is_workday(&work, cal, d) == HOTLINE_E_OUT_OF_RANGE);
  CHECK(strstr(hotline_last_error(), "from_notice") != NULL);

  /* Guangxi: 2023-04-23, a national working Sunday, is off in the region. */
  hotline_calendar* gx = NULL;
  CHECK(hotline_calendar_with_region(&gx, cal, "guangxi") == HOTLINE_OK);
  hotline_parse_day(&d, "2023-04-23");
  CHECK(hotline_calendar_is_workday(&work, gx, d) == HOTLINE_OK && work == 0);
  CHECK(hotline_calendar_with_region(&loose, cal, "atlantis") == HOTLINE_E_NOT_FOUND);
  CHECK(hotline_calendar_with_notices(&loose, cal, "no/such/folder") == HOTLINE_E_NOT_FOUND);
  hotline_calendar_free(gx);

  /* A notice loaded from its text file replaces the statutory days of its year. */
  const char* path = "c_api_calendar_notice_2027.txt";
  FILE* f = fopen(path, "wb");
  CHECK(f != NULL);
  if (f) {
    fputs("\xE5\x9B\xBD\xE5\x8A\xA1\xE9\x99\xA2\xE5\x8A\x9E\xE5\x85\xAC\xE5\x8E\x85\xE5\x85\xB3\xE4\xBA\x8E"
          "2027\xE5\xB9\xB4\xE9\x83\xA8\xE5\x88\x86\xE8\x8A\x82\xE5\x81\x87\xE6\x97\xA5\xE5\xAE\x89\xE6\x8E\x92"
          "\xE7\x9A\x84\xE9\x80\x9A\xE7\x9F\xA5\n"                     /* 国务院办公厅关于2027年部分节假日安排的通知 */
          "\xE4\xB8\x80\xE3\x80\x81\xE5\x85\x83\xE6\x97\xA6\xEF\xBC\x9A"  /* 一、元旦： */
          "1\xE6\x9C\x88" "1\xE6\x97\xA5\xE8\x87\xB3" "3\xE6\x97\xA5"          /* 1月1日至3日 */
          "\xE6\x94\xBE\xE5\x81\x87\xEF\xBC\x8C\xE5\x85\xB1" "3\xE5\xA4\xA9\xE3\x80\x82\n",  /* 放假，共3天。 */
          f);
    fclose(f);
  }
  hotline_calendar* noticed = NULL;
  CHECK(hotline_calendar_with_notice_file(&noticed, law, path, 0) == HOTLINE_OK);
  hotline_parse_day(&d, "2027-01-02");
  CHECK(hotline_calendar_day_kind(&work, noticed, d) == HOTLINE_OK && work == HOTLINE_HOLIDAY);
  hotline_parse_day(&d, "2027-02-08");  /* not in this notice: the statutory day is gone */
  CHECK(hotline_calendar_is_workday(&work, noticed, d) == HOTLINE_OK && work == 1);
  CHECK(hotline_calendar_is_provisional(&provisional, noticed, d) == HOTLINE_OK && provisional == 0);
  CHECK(hotline_calendar_with_notice_file(&loose, law, path, 2028) == HOTLINE_E_PARSE);
  remove(path);
  hotline_calendar_free(noticed);
  hotline_calendar_free(law);
  /* Text that is not UTF-8: the argument's name and the byte, and the kind of error
   * (invalid argument, not "not found" or "parse") -- checked before the text is used. */
  hotline_calendar* bad = NULL;
  CHECK(hotline_calendar_with_region(&bad, cal, "guangxi\xFF") == HOTLINE_E_INVALID_ARGUMENT);
  CHECK(strstr(hotline_last_error(), "name: not valid UTF-8 at byte 7") != NULL);
  CHECK(hotline_last_error_code() == HOTLINE_E_INVALID_ARGUMENT);
  CHECK(strcmp(hotline_status_name(hotline_last_error_code()), "invalid_argument") == 0);
  CHECK(hotline_parse_day(&d, "2025-01-2\xFF") == HOTLINE_E_INVALID_ARGUMENT);
  CHECK(strstr(hotline_last_error(), "text: not valid UTF-8 at byte 9") != NULL);
  CHECK(hotline_calendar_with_notice_file(&bad, cal, "notices/\xC0\xAF" "2027.txt", 0) == HOTLINE_E_INVALID_ARGUMENT);
  CHECK(strstr(hotline_last_error(), "path: not valid UTF-8 at byte 8") != NULL);
  CHECK(hotline_calendar_with_notices(&bad, cal, "\xED\xA0\x80") == HOTLINE_E_INVALID_ARGUMENT);
  CHECK(bad == NULL);
  /* A file whose lines hold broken UTF-8: whatever the message quotes of the line, the
   * message itself stays valid UTF-8 (a strict decoder in a Java or .NET host reads it). */
  const char* broken = "c_api_calendar_broken.csv";
  FILE* bf = fopen(broken, "wb");
  CHECK(bf != NULL);
  if (bf) {
    fputs("date,kind,name\n2025-10-0\xFF,holiday,\xFF\xFE\n", bf);
    fclose(bf);
    CHECK(hotline_calendar_with_overlay_file(&bad, cal, broken, HOTLINE_LAYER_ORGANISATION) != HOTLINE_OK);
    CHECK(hotline_last_error()[0] != '\0');
    CHECK(valid_utf8(hotline_last_error()));
    remove(broken);
  }
  /* A successful call clears the last error and its code. */
  CHECK(hotline_parse_day(&d, "2025-10-01") == HOTLINE_OK);
  CHECK(hotline_last_error()[0] == '\0' && hotline_last_error_code() == HOTLINE_OK);
  CHECK(hotline_abi_version() == HOTLINE_ABI_VERSION);

  hotline_calendar_free(cal);
  return check_summary();
}
