// hotline/report_table.hpp: a report table and where it is written.
//
// Every report (report.hpp) is a list of tables laid out like the annex tables
// they stand for: a title, column headers (Chinese, as the centre files them),
// rows of text or number cells, and notes under the table (numerators and
// denominators of rates, gaps).  Tables are written as CSV (one file per table,
// UTF-8 with a BOM so that spreadsheet programs read the Chinese right) or as
// one XLSX workbook with a sheet per table (libxlsxwriter).
//
//   hotline::report_table t{"表1 按类型统计", {"类型", "数量"}};
//   t.rows.push_back({std::string("投诉"), 12.0});
//   hotline::write_csv(t, "table1.csv");
//   hotline::write_xlsx({t}, "monthly.xlsx");
#pragma once

#include <string>
#include <variant>
#include <vector>

namespace hotline {

/// A cell: text or a number.  Rates are numbers in [0, 1], formatted as percentages.
using report_cell = std::variant<std::string, double>;

struct report_table {
  std::string title;                             ///< e.g. 表1 受理来电按类型统计
  std::vector<std::string> columns;              ///< header row
  std::vector<std::vector<report_cell>> rows;
  std::vector<std::size_t> percent_columns;      ///< columns whose numbers are rates
  std::vector<std::string> notes;                ///< printed under the table
  std::string sheet_name;                        ///< XLSX sheet (<= 31 chars); empty: 表1, 表2 ... by position
};

/// The table as CSV text (RFC 4180 quoting; rates as "93.75%").
std::string to_csv(const report_table& t);
/// Writes CSV with a UTF-8 BOM; throws hotline::error (io_error) naming the path.
void write_csv(const report_table& t, const std::string& path);
/// Writes one workbook, a sheet per table, titles and notes included.
void write_xlsx(const std::vector<report_table>& tables, const std::string& path);
/// Plain-text rendering for terminals (columns aligned by display width).
std::string to_text(const report_table& t);

}  // namespace hotline
