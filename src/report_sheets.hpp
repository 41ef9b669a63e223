// Private: write_xlsx's sheets added to an open libxlsxwriter workbook, so that a caller
// (src/signing/coverage_chart.cpp) can add its own sheets after the tables.  Kept out of
// the public header because it takes libxlsxwriter's type.
#pragma once

#include "hotline/report_table.hpp"

#include <xlsxwriter.h>

#include <string>
#include <vector>

namespace hotline::detail {

/// Adds a sheet per table to `wb`, as write_xlsx lays them out; `used` collects the sheet
/// names given (and names already used by the caller).  Throws without closing `wb`.
void add_table_sheets(lxw_workbook* wb, const std::vector<report_table>& tables, const std::string& path,
                      std::vector<std::string>& used);

}  // namespace hotline::detail
