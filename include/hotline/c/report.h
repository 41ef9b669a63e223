/* hotline/c/report.h: the reports the centre files, through the C ABI
 * (include hotline/hotline.h).  docs/reports.md has the rules.
 *
 * A report is computed once into a hotline_report handle, from the store or
 * from work orders given as JSON, and then written out as JSON text, CSV (text
 * or files), an XLSX workbook or aligned text:
 *
 *   hotline_report* r = NULL;
 *   hotline_report_monthly(&r, store, "2026-03", NULL);      // 001 annex 8, tables 1-4
 *   hotline_report_write_xlsx(r, "2026-03.xlsx");
 *   char* json = NULL;
 *   hotline_report_to_json(&json, r);      // {"report": "monthly", "period": ..., "summary": ..., "tables": [...]}
 *   hotline_free(json);
 *   hotline_report_free(r);
 *
 * Periods are text: "2026-03" (a month in Beijing time), "2026-Q1" or "2026Q1"
 * (a quarter), "2026-03-H1" / "2026-03-H2" (days 1-15, the 16th to the end).
 * An order belongs to the period its receipt falls in.  `scope_json` (NULL: the
 * whole city) is {"district": "越秀区"} or {"unit": "YX-BJJ"} or both.
 * `as_of` is an ISO-8601 instant with its offset.
 *
 * Every report's JSON has "report" (its kind), "period" ({"label", "from",
 * "to"}), its figures, and "tables": [{"title", "columns", "rows" (cells are
 * strings or numbers; rates are fractions), "percent_columns", "notes"}], the
 * same tables CSV and XLSX hold, laid out like the annexes with Chinese headers.
 *
 * Threads: a report handle is immutable once made; any number of threads may
 * read it at once.  The store functions take turns on the store (its own lock).
 *
 * Errors: a period or instant that does not parse is HOTLINE_E_PARSE naming the
 * argument; malformed JSON HOTLINE_E_PARSE naming the argument and the field; a
 * file that cannot be written HOTLINE_E_IO naming the path; a table index past
 * the end HOTLINE_E_OUT_OF_RANGE; the store's failures HOTLINE_E_STORAGE.
 */
#ifndef HOTLINE_C_REPORT_H
#define HOTLINE_C_REPORT_H

#include "hotline/c/common.h"
#include "hotline/c/store.h" /* hotline_store, the work-order store the reports read */

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hotline_report hotline_report;

/* ---- from the store ------------------------------------------------------- */

/* 001 annex 8, the monthly statistics tables (by type; reports and suggestions;
 * complaints by subject; consultations by topic).  JSON figures: "summary":
 * {"total", "consultations", "complaints", "reports", "suggestions", "other",
 * "other_help_requests", "other_praise", "left_out_void_or_merged"}.  *out: free
 * with hotline_report_free. */
HOTLINE_API hotline_status hotline_report_monthly(hotline_report** out, const hotline_store* store, const char* period,
                                                  const char* scope_json);
/* 000 art. 14, the quarterly summary: complaints, reports and praise per
 * district.  JSON figures: "districts": [{"district", "complaints", "reports",
 * "praise", "completed"}].  *out: free with hotline_report_free. */
HOTLINE_API hotline_status hotline_report_quarterly(hotline_report** out, const hotline_store* store,
                                                    const char* period);
/* How promptly orders moved as of an instant: per clock (transfer, sign_for,
 * reply, completion, call_back) met, missed, overdue, running, paused, voided,
 * not started and the on-time rate; the overdue and warned lists; actions;
 * satisfaction; per unit.  JSON figures: "as_of", "orders", "clocks": {"reply":
 * {"met", ..., "on_time": {"numerator", "denominator", "value" (null: no
 * denominator)}}}, "overdue" / "warned": [{"number", "unit", "clock", "due",
 * "warn"}], "actions": [{"action", "events", "orders"}], "satisfaction",
 * "units": [{"unit", "orders", "reply", "completion"}].  *out: free with
 * hotline_report_free. */
HOTLINE_API hotline_status hotline_report_timeliness(hotline_report** out, const hotline_store* store,
                                                     const char* period, const char* as_of, const char* scope_json);
/* 001 annex 7, receipt statistics: one row per order received in the period,
 * grouped by handling unit, content masked; normally a half month.  JSON
 * figures: "rows": [{"unit", "number", "received_at", "content", "remark"}].
 * *out: free with hotline_report_free. */
HOTLINE_API hotline_status hotline_report_receipts(hotline_report** out, const hotline_store* store,
                                                   const char* period, const char* scope_json);

/* ---- from work orders, without a store ------------------------------------- */
/* orders_json is a JSON array of work orders, each an object of the work
 * order's field names (as the store's events and columns spell them; C++
 * hotline::work_order_field_names(), plus "state") with their text forms: {"number": "...", "state":
 * "closed", "request_type": "complaint", "received_at": "2026-03-02T10:00:00+08:00",
 * "district": "...", "unit": "...", "dispatched_at": "...", "complaint_subject":
 * "...", "reply_outcome": "met", "reply_due": "...", "call_back": "satisfied", ...}.
 * Strings as the store writes them, numbers for counts, true/false for flags,
 * null for "not set".  An unknown field is HOTLINE_E_PARSE naming the order's
 * index and the field; a value the field cannot take HOTLINE_E_INVALID_ARGUMENT.
 * The same rules as over the store, so both give the same numbers (timeliness
 * has no event log here: "actions" stays empty). */
HOTLINE_API hotline_status hotline_report_monthly_from_orders(hotline_report** out, const char* orders_json,
                                                              const char* period, const char* scope_json);
HOTLINE_API hotline_status hotline_report_quarterly_from_orders(hotline_report** out, const char* orders_json,
                                                                const char* period);
HOTLINE_API hotline_status hotline_report_timeliness_from_orders(hotline_report** out, const char* orders_json,
                                                                 const char* period, const char* as_of,
                                                                 const char* scope_json);

/* ---- output ------------------------------------------------------------------ */

/* NULL is fine. */
HOTLINE_API void hotline_report_free(hotline_report* report);
/* The number of tables. */
HOTLINE_API hotline_status hotline_report_table_count(size_t* out, const hotline_report* report);
/* The report as JSON text (above).  *out: free with hotline_free. */
HOTLINE_API hotline_status hotline_report_to_json(char** out, const hotline_report* report);
/* Table `index` as CSV text (RFC 4180, rates as "93.75%", no BOM).  *out: free
 * with hotline_free. */
HOTLINE_API hotline_status hotline_report_to_csv(char** out, const hotline_report* report, size_t index);
/* Every table as aligned text for a terminal.  *out: free with hotline_free. */
HOTLINE_API hotline_status hotline_report_to_text(char** out, const hotline_report* report);
/* Writes CSV files, UTF-8 with a BOM (spreadsheet programs read the Chinese
 * right): one table to `path`; several to path with "-1", "-2", ... before the
 * extension ("m.csv": "m-1.csv", "m-2.csv"); a report without tables (receipts
 * of a period without orders) writes nothing. */
HOTLINE_API hotline_status hotline_report_write_csv(const hotline_report* report, const char* path);
/* Writes one XLSX workbook, a sheet per table, titles and notes included. */
HOTLINE_API hotline_status hotline_report_write_xlsx(const hotline_report* report, const char* path);

#ifdef __cplusplus
}
#endif

#endif /* HOTLINE_C_REPORT_H */
