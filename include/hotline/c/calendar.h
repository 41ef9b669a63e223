/* hotline/c/calendar.h: the workday calendar through the C ABI (include hotline/hotline.h).
 *
 * Dates cross as int64 days since 1970-01-01.  A calendar is immutable: the
 * with_* functions return a new one, and one calendar may be used by any number
 * of threads at once.
 */
#ifndef HOTLINE_C_CALENDAR_H
#define HOTLINE_C_CALENDAR_H

#include "hotline/c/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Day kinds, as in hotline::day_kind. */
enum { HOTLINE_WORKING_DAY = 0, HOTLINE_REST_DAY = 1, HOTLINE_HOLIDAY = 2, HOTLINE_ADJUSTED_WORKING_DAY = 3 };
/* Overlay layers, as in hotline::calendar_layer. */
enum { HOTLINE_LAYER_NATIONAL = 1, HOTLINE_LAYER_REGIONAL = 2, HOTLINE_LAYER_ORGANISATION = 3 };

typedef struct hotline_calendar hotline_calendar;

/* Options of hotline_calendar_new_china, or-ed together.  Beyond the years with
 * data (2004-2026 built in, later years from loaded notices) a date is an error
 * unless the caller opts in:
 *   HOTLINE_CALENDAR_WEEKENDS_BEYOND_DATA   the plain Monday-Friday rule;
 *   HOTLINE_CALENDAR_STATUTORY_BEYOND_DATA  the statutory days of the
 *     全国年节及纪念日放假办法 (provisional: no 补假 or 调休), up to the last
 *     year the lunar calendar answers; weekends only after that when both. */
enum { HOTLINE_CALENDAR_WEEKENDS_BEYOND_DATA = 1, HOTLINE_CALENDAR_STATUTORY_BEYOND_DATA = 2 };

/* China's national calendar.  `options` is 0 or HOTLINE_CALENDAR_* flags (1, as
 * before, is weekends beyond the data). */
HOTLINE_API hotline_status hotline_calendar_new_china(hotline_calendar** out, int options);
HOTLINE_API void hotline_calendar_free(hotline_calendar* cal);
/* A new calendar with the year's State Council holiday notice on top: a UTF-8
 * text file as published (国务院办公厅关于YYYY年部分节假日安排的通知).  year = 0
 * reads the year from the text.  It replaces that year's provisional statutory
 * days.  A notice that does not check (a weekday that does not match its date,
 * a 共N天 that does not add up, ...) is HOTLINE_E_PARSE naming the item. */
HOTLINE_API hotline_status hotline_calendar_with_notice_file(hotline_calendar** out, const hotline_calendar* cal,
                                                             const char* path, int year);
/* Every notice in a folder on top (*.txt as published, *.csv overlay files with
 * '# covers:'), in the order of their years: how a host loads them at start. */
HOTLINE_API hotline_status hotline_calendar_with_notices(hotline_calendar** out, const hotline_calendar* cal,
                                                         const char* folder);
/* A built-in region's days on top, by name: "guangxi" (壮族三月三). */
HOTLINE_API hotline_status hotline_calendar_with_region(hotline_calendar** out, const hotline_calendar* cal,
                                                        const char* name);
/* Whether the year of `day` rests on provisional days (statutory or weekends
 * only) rather than notices: *out = 1 or 0. */
HOTLINE_API hotline_status hotline_calendar_is_provisional(int* out, const hotline_calendar* cal, int64_t day);
/* A new calendar with an overlay file (.csv or .ics by extension) on top. */
HOTLINE_API hotline_status hotline_calendar_with_overlay_file(hotline_calendar** out, const hotline_calendar* cal,
                                                              const char* path, int layer);
HOTLINE_API hotline_status hotline_calendar_day_kind(int* out, const hotline_calendar* cal, int64_t day);
HOTLINE_API hotline_status hotline_calendar_is_workday(int* out, const hotline_calendar* cal, int64_t day);
HOTLINE_API hotline_status hotline_calendar_add_workdays(int64_t* out, const hotline_calendar* cal, int64_t day,
                                                         int64_t n);
HOTLINE_API hotline_status hotline_calendar_workdays_between(int64_t* out, const hotline_calendar* cal, int64_t a,
                                                             int64_t b);
/* Elementwise over count days; n_count is count or 1. */
HOTLINE_API hotline_status hotline_calendar_add_workdays_batch(int64_t* out, const hotline_calendar* cal,
                                                               const int64_t* days, size_t count, const int64_t* n,
                                                               size_t n_count);
/* The holiday's name (UTF-8, Chinese or English) into buf; *needed gets the
 * size including the terminating NUL; HOTLINE_E_BUFFER_TOO_SMALL if buf is short;
 * an ordinary day gives "". */
HOTLINE_API hotline_status hotline_calendar_holiday_name(char* buf, size_t size, size_t* needed,
                                                         const hotline_calendar* cal, int64_t day, int english);
/* Parses "YYYY-MM-DD" into a day number. */
HOTLINE_API hotline_status hotline_parse_day(int64_t* out, const char* text);

#ifdef __cplusplus
}
#endif

#endif /* HOTLINE_C_CALENDAR_H */
