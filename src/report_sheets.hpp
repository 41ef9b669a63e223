// Private: write_xlsx's sheets added to an open libxlsxwriter workbook, so that a caller
// (src/signing/coverage_chart.cpp) can add its own sheets after the tables.  Kept out of
// the public header because it takes libxlsxwriter's type.
#pragma once

#include "hotline/report_table.hpp"

#include <xlsxwriter.h>

#include <string>
#include <vector>

namespace hotline::detail {

/// The cell formats every report sheet uses: the title, the header row, body cells and rates.
struct sheet_formats {
  lxw_format *title, *head, *body, *pct;
};
inline sheet_formats add_sheet_formats(lxw_workbook* wb) {
  sheet_formats f{};
  f.title = workbook_add_format(wb);
  format_set_bold(f.title);
  format_set_font_size(f.title, 14);
  f.head = workbook_add_format(wb);
  format_set_bold(f.head);
  format_set_border(f.head, LXW_BORDER_THIN);
  format_set_bg_color(f.head, 0xDDEBF7);
  format_set_text_wrap(f.head);
  format_set_align(f.head, LXW_ALIGN_CENTER);
  f.body = workbook_add_format(wb);
  format_set_border(f.body, LXW_BORDER_THIN);
  f.pct = workbook_add_format(wb);
  format_set_border(f.pct, LXW_BORDER_THIN);
  format_set_num_format(f.pct, "0.00%");
  return f;
}

/// Adds a sheet per table to `wb`, as write_xlsx lays them out; `used` collects the sheet
/// names given (and names already used by the caller).  Throws without closing `wb`.
void add_table_sheets(lxw_workbook* wb, const std::vector<report_table>& tables, const std::string& path,
                      std::vector<std::string>& used);

}  // namespace hotline::detail
