/* Links the installed C ABI (libhotline_c) from C. */
#include <hotline/hotline.h>
#include <stdio.h>

int main(void) {
  hotline_calendar* cal = NULL;
  int64_t d = 0, due = 0, expect = 0;
  if (hotline_calendar_new_china(&cal, 0) != HOTLINE_OK) return 1;
  hotline_parse_day(&d, "2025-01-25");
  hotline_parse_day(&expect, "2025-01-27");
  hotline_calendar_add_workdays(&due, cal, d, 2);
  hotline_calendar_free(cal);
  printf("installed hotline C ABI %s: %s\n", hotline_version(), due == expect ? "ok" : "WRONG");
  return due == expect ? 0 : 1;
}
