// Report: hotline/c/report.h, the reports the centre files (docs/reports.md).
//
//   try (Report monthly = Report.monthly(store, "2025-10", null)) {
//     System.out.println(monthly.toText());        // 001 annex 8, tables 1-4
//     monthly.writeXlsx(Path.of("2025-10.xlsx"));
//     long total = Json.integer(monthly.toJson(), "summary", "total");
//   }
//
// Periods are text: "2025-10" (a month in Beijing time), "2025-Q4", "2025-10-H1".
// scopeJson narrows to {"district": "越秀区"} and/or {"unit": "YX-BJJ"} (null: the city).
// A report is computed once; any number of threads may read it.
package org.hotline;

import static org.hotline.Hotline.LIB;
import static org.hotline.Hotline.cstr;

import com.sun.jna.Pointer;
import java.nio.file.Path;
import java.time.OffsetDateTime;

public final class Report extends NativeHandle {
  private Report(Pointer handle) { super(handle, "report"); }

  @Override
  void free(Pointer handle) { LIB.hotline_report_free(handle); }

  /** Takes a hotline_report* from a call made on HotlineLib (hotline_rubric_assess_units): it is freed on close. */
  public static Report adopt(Pointer report) { return new Report(report); }

  // ---- from the store ----

  /** 001 annex 8, the monthly tables; JSON "summary": {"total", "consultations", "complaints", ...}. */
  public static Report monthly(Store store, String period, String scopeJson) {
    return new Report(Hotline.handle(out -> LIB.hotline_report_monthly(out, pointer(store), cstr(period),
                                                                       cstr(scopeJson))));
  }

  /** 000 art. 14, complaints, reports and praise per district; JSON "districts". */
  public static Report quarterly(Store store, String period) {
    return new Report(Hotline.handle(out -> LIB.hotline_report_quarterly(out, pointer(store), cstr(period))));
  }

  /** On-time rates per clock and unit as of an instant, the overdue and warned lists. */
  public static Report timeliness(Store store, String period, OffsetDateTime asOf, String scopeJson) {
    return new Report(Hotline.handle(out -> LIB.hotline_report_timeliness(out, pointer(store), cstr(period),
                                                                          Hotline.instant(asOf), cstr(scopeJson))));
  }

  /** 001 annex 7, one row per order received, content masked; normally a half month ("2025-10-H1"). */
  public static Report receipts(Store store, String period, String scopeJson) {
    return new Report(Hotline.handle(out -> LIB.hotline_report_receipts(out, pointer(store), cstr(period),
                                                                        cstr(scopeJson))));
  }

  // ---- from orders given as a JSON array, without a store ----

  public static Report monthlyFromOrders(String ordersJson, String period, String scopeJson) {
    return new Report(Hotline.handle(out -> LIB.hotline_report_monthly_from_orders(out, cstr(ordersJson),
                                                                                   cstr(period), cstr(scopeJson))));
  }

  public static Report quarterlyFromOrders(String ordersJson, String period) {
    return new Report(Hotline.handle(out -> LIB.hotline_report_quarterly_from_orders(out, cstr(ordersJson),
                                                                                     cstr(period))));
  }

  public static Report timelinessFromOrders(String ordersJson, String period, OffsetDateTime asOf, String scopeJson) {
    return new Report(Hotline.handle(out -> LIB.hotline_report_timeliness_from_orders(
                                         out, cstr(ordersJson), cstr(period), Hotline.instant(asOf),
                                         cstr(scopeJson))));
  }

  // ---- output ----

  public int tableCount() {
    return Math.toIntExact(Hotline.count(n -> LIB.hotline_report_table_count(n, handle())));
  }

  /** {"report", "period", the figures, "tables": [{"title", "columns", "rows", ...}]}. */
  public String toJson() { return Hotline.text(out -> LIB.hotline_report_to_json(out, handle())); }

  /** Table index as CSV text (no BOM); out_of_range past the last (a negative index too). */
  public String toCsv(int index) {
    HotlineLib.SizeT i = new HotlineLib.SizeT(Integer.toUnsignedLong(index));
    return Hotline.text(out -> LIB.hotline_report_to_csv(out, handle(), i));
  }

  /** Every table as aligned text for a terminal. */
  public String toText() { return Hotline.text(out -> LIB.hotline_report_to_text(out, handle())); }

  /** CSV files with a BOM: one table to path, several to path-1.csv, path-2.csv, ... */
  public void writeCsv(Path path) { Hotline.check(LIB.hotline_report_write_csv(handle(), cstr(path))); }

  /** One XLSX workbook, a sheet per table. */
  public void writeXlsx(Path path) { Hotline.check(LIB.hotline_report_write_xlsx(handle(), cstr(path))); }
}
