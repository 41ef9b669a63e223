/* hotline/hotline.h: the C ABI, for hosts other than C++ and Python (Java through
 * JNA, .NET through P/Invoke, older native programs).
 *
 * libgit2's shape: opaque handles, hotline_<noun>_<verb> names, _new/_free
 * pairs, out-parameters first, a hotline_status return (0 ok, negative an error
 * kind) and a thread-local message from hotline_last_error().  Dates cross as
 * int64 days since 1970-01-01, instants as ISO-8601 text, structured values as
 * UTF-8 JSON text.  No exception crosses this boundary.  Ownership and threads:
 * hotline/c/common.h.  Each part has its own header under hotline/c/; this one
 * includes them all.
 *
 *   hotline_calendar* cal = NULL;
 *   if (hotline_calendar_new_china(&cal, 0) != HOTLINE_OK) puts(hotline_last_error());
 *   int64_t due;
 *   hotline_calendar_add_workdays(&due, cal, 20113, 2);   // 2025-01-25 + 2
 *   hotline_calendar_free(cal);
 */
#ifndef HOTLINE_H
#define HOTLINE_H

#include "hotline/c/common.h"
#include "hotline/c/calendar.h"
#include "hotline/c/sla.h"
#include "hotline/c/store.h"
#include "hotline/c/knowledge.h"
#include "hotline/c/report.h"
#include "hotline/c/assessment.h"
#include "hotline/c/signing.h"

#endif /* HOTLINE_H */
