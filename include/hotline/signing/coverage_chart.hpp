// hotline/signing/coverage_chart.hpp: a signing workbook with coverage charted against target.
//
// The report tables as hotline::write_xlsx writes them (a sheet per table), then one more
// sheet, 覆盖率与目标: the coverage of every group of a coverage result (a row each: the
// population, the signed, the rate, the same for key populations, and the targets) and a
// clustered column chart of the two rates per group with the policy's targets drawn as
// horizontal lines across it:
//
//   auto by_sub = hotline::signing::coverage(reg, hotline::make_day(2017, 12, 31),
//                                            hotline::signing::grouping::subdistrict);
//   hotline::signing::write_coverage_workbook(hotline::signing::signing_tables(reg, as_of), by_sub,
//                                             "signing.xlsx");
//
// What is drawn, spelled out once:
//  * One category per row of `by_subdistrict.rows`, in its order, labelled with the group
//    without its district ("白云区 景泰街" -> "景泰街") when every row lies in one district,
//    with it otherwise.  The total (合计) is in the sheet, not in the chart.  Any grouping
//    works; a sub-district grouping is the one the chart is made for.
//  * Two column series: 签约率 (all.rate()) and 重点人群签约率 (key.rate()); a group without
//    population is drawn at 0 and its cells read "—".
//  * Target lines: the target checks named 全人群 and 重点人群 (coverage() computes them
//    from the policy: 30 % and 60 % under guangzhou_2017; a relative target's
//    requirement, last year's rate plus the points, under guangxi_2023), each drawn at
//    its `required` rate.  No target, no line.  libxlsxwriter 1.1.4 (Debian 12) cannot
//    combine a column chart with a line chart (chart_combine came later), so each target
//    is a column series without fill or border whose linear trendline, extended half a
//    category either side, is the line; the legend shows the trendline ("全人群目标 30%")
//    and not the invisible columns (Excel; LibreOffice leaves trendlines out of the
//    legend, so the chart's title names the targets too).  The invisible columns still
//    take their place in each cluster, to the right of the two visible ones.
//  * No rows: the sheet is written with its header and the note, without a chart.
//  * Errors: as write_xlsx: io_error naming the path when the workbook cannot be created
//    or written, invalid_argument when a sheet name is refused; the sheet of the chart
//    takes a name no table has taken.
#pragma once

#include "hotline/report_table.hpp"
#include "hotline/signing/reports.hpp"

#include <string>
#include <vector>

namespace hotline::signing {

/// Writes `tables` (as hotline::write_xlsx) and the coverage chart of `by_subdistrict` to `path`.
void write_coverage_workbook(const std::vector<report_table>& tables, const coverage_result& by_subdistrict,
                             const std::string& path);

}  // namespace hotline::signing
