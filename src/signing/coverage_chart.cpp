// The signing workbook with its coverage chart (coverage_chart.hpp): the tables through
// report_table.cpp's own sheet writer, then a sheet of coverage by group and a clustered
// column chart with the targets as lines (drawn as trendlines: see the header).
#include "hotline/signing/coverage_chart.hpp"

#include "hotline/error.hpp"
#include "../report_sheets.hpp"

#include <fmt/format.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <optional>

namespace hotline {

namespace signing {

namespace {

const char* group_label(grouping g) {
  switch (g) {
    case grouping::district:
      return "区";
    case grouping::subdistrict:
      return "街道（镇）";
    case grouping::community:
      return "社区（村）";
    case grouping::institution:
      return "机构";
    case grouping::team:
      return "团队";
  }
  return "分组";
}

std::optional<double> required(const coverage_result& c, const std::string& what) {
  for (const auto& t : c.targets)
    if (t.what == what) return t.required;
  return std::nullopt;
}

/// The chart's sheet: data, notes and the chart (when there are rows).
void add_chart_sheet(lxw_workbook* wb, const coverage_result& c, const std::string& path,
                     std::vector<std::string>& used) {
  std::string name = "覆盖率与目标";
  while (std::find(used.begin(), used.end(), name) != used.end()) name += "_图";
  used.push_back(name);
  lxw_worksheet* ws = workbook_add_worksheet(wb, name.c_str());
  if (!ws)
    throw error(errc::invalid_argument, fmt::format("{}: sheet name '{}' refused by the XLSX writer", path, name));

  // Named copies, not a structured binding: the lambdas below capture them, which
  // clang 14 (the sanitize preset's compiler) does not allow for bindings (P1091).
  const auto formats = hotline::detail::add_sheet_formats(wb);
  lxw_format *const title = formats.title, *const head = formats.head, *const body = formats.body,
             *const pct = formats.pct;

  const auto overall = required(c, "全人群"), key = required(c, "重点人群");
  worksheet_write_string(
      ws, 0, 0,
      fmt::format("家庭医生签约覆盖率与目标（截至 {}，按{}）", format_day(c.as_of), group_label(c.by)).c_str(), title);
  const std::vector<std::string> columns{group_label(c.by), "常住人口",       "签约人数",   "签约率",      "重点人群",
                                         "重点人群签约",    "重点人群签约率", "全人群目标", "重点人群目标"};
  for (std::size_t i = 0; i < columns.size(); ++i) {
    const auto col = static_cast<lxw_col_t>(i);
    worksheet_write_string(ws, 2, col, columns[i].c_str(), head);
    worksheet_set_column(ws, col, col, i == 0 ? 16 : 11, nullptr);
  }
  bool one_district = true;
  for (const auto& r : c.rows) one_district = one_district && r.district == c.rows.front().district;
  auto label = [&](const coverage_row& r) {
    const std::string prefix = r.district + " ";
    return one_district && !r.district.empty() && r.group.rfind(prefix, 0) == 0 ? r.group.substr(prefix.size())
                                                                                : r.group;
  };
  auto rate = [&](lxw_row_t row, lxw_col_t col, const coverage_cell& cell) {
    if (cell.population > 0)
      worksheet_write_number(ws, row, col, cell.rate(), pct);
    else
      worksheet_write_string(ws, row, col, "—", body);
  };
  auto put = [&](lxw_row_t row, const std::string& group, const coverage_row& r) {
    worksheet_write_string(ws, row, 0, group.c_str(), body);
    worksheet_write_number(ws, row, 1, static_cast<double>(r.all.population), body);
    worksheet_write_number(ws, row, 2, static_cast<double>(r.all.signed_count), body);
    rate(row, 3, r.all);
    worksheet_write_number(ws, row, 4, static_cast<double>(r.key.population), body);
    worksheet_write_number(ws, row, 5, static_cast<double>(r.key.signed_count), body);
    rate(row, 6, r.key);
    if (overall) worksheet_write_number(ws, row, 7, *overall, pct);
    if (key) worksheet_write_number(ws, row, 8, *key, pct);
  };
  const lxw_row_t first = 3;
  lxw_row_t row = first;
  for (const auto& r : c.rows) put(row++, label(r), r);
  const lxw_row_t last = row - 1;  // meaningful only with rows
  put(row++, "合计", c.total);
  ++row;
  worksheet_write_string(
      ws, row++, 0, "签约率 = 签约人数 / 常住人口；目标线为政策的全人群与重点人群覆盖率目标（target_check.required）。",
      nullptr);
  for (const auto& t : c.targets)
    worksheet_write_string(ws, row++, 0,
                           fmt::format("目标（{}）：{} 要求 {:.2f}%，实际 {:.2f}%，{}", t.source, t.what,
                                       t.required * 100, t.rate * 100, t.met ? "达标" : "未达标")
                               .c_str(),
                           nullptr);
  if (c.rows.empty()) return;

  lxw_chart* chart = workbook_add_chart(wb, LXW_CHART_COLUMN);
  auto series = [&](lxw_col_t col, std::uint32_t colour) {
    lxw_chart_series* s = chart_add_series(chart, nullptr, nullptr);
    chart_series_set_categories(s, name.c_str(), first, 0, last, 0);
    chart_series_set_values(s, name.c_str(), first, col, last, col);
    chart_series_set_name_range(s, name.c_str(), 2, col);
    lxw_chart_fill fill{};
    fill.color = colour;
    chart_series_set_fill(s, &fill);
    return s;
  };
  series(3, 0x4472C4);
  series(6, 0xED7D31);
  // Targets: invisible columns whose flat trendline is the line (no chart_combine in 1.1.4).
  std::vector<std::int16_t> hidden;
  auto target_line = [&](lxw_col_t col, double value, const char* what, std::uint32_t colour) {
    lxw_chart_series* s = series(col, colour);
    lxw_chart_fill none_fill{};
    none_fill.none = LXW_TRUE;
    chart_series_set_fill(s, &none_fill);
    lxw_chart_line none_line{};
    none_line.none = LXW_TRUE;
    chart_series_set_line(s, &none_line);
    chart_series_set_trendline(s, LXW_CHART_TRENDLINE_TYPE_LINEAR, 0);
    chart_series_set_trendline_forecast(s, 0.5, 0.5);
    chart_series_set_trendline_name(s, fmt::format("{}目标 {:.0f}%", what, value * 100).c_str());
    lxw_chart_line line{};
    line.color = colour;
    line.width = 2.25f;
    line.dash_type = LXW_CHART_LINE_DASH_DASH;
    chart_series_set_trendline_line(s, &line);
    hidden.push_back(static_cast<std::int16_t>(2 + hidden.size()));
  };
  if (overall) target_line(7, *overall, "全人群", 0x1F3864);
  if (key) target_line(8, *key, "重点人群", 0xC00000);
  if (!hidden.empty()) {
    hidden.push_back(-1);
    chart_legend_delete_series(chart, hidden.data());
  }
  // The targets in the title too: not every reader lists trendlines in the legend (LibreOffice does not).
  std::string targets;
  if (overall) targets += fmt::format("全人群目标 {:.0f}%", *overall * 100);
  if (key) targets += fmt::format("{}重点人群目标 {:.0f}%", targets.empty() ? "" : "、", *key * 100);
  chart_title_set_name(chart, fmt::format("家庭医生签约率与目标（截至 {}{}）", format_day(c.as_of),
                                          targets.empty() ? std::string() : "；虚线：" + targets)
                                  .c_str());
  chart_axis_set_name(chart->x_axis, group_label(c.by));
  chart_axis_set_name(chart->y_axis, "签约率");
  chart_axis_set_num_format(chart->y_axis, "0%");
  chart_axis_set_min(chart->y_axis, 0);
  chart_axis_set_max(chart->y_axis, 1);
  chart_axis_major_gridlines_set_visible(chart->y_axis, LXW_TRUE);
  chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
  chart_set_series_gap(chart, 60);
  lxw_chart_options opt{};
  opt.x_scale = 2.2;
  opt.y_scale = 1.8;
  worksheet_insert_chart_opt(ws, 2, static_cast<lxw_col_t>(columns.size() + 1), chart, &opt);
  worksheet_activate(ws);
}

}  // namespace

void write_coverage_workbook(const std::vector<report_table>& tables, const coverage_result& by_subdistrict,
                             const std::string& path) {
  lxw_workbook* wb = workbook_new(path.c_str());
  if (!wb) throw error(errc::io_error, path + ": cannot create the workbook");
  std::vector<std::string> used;
  try {
    hotline::detail::add_table_sheets(wb, tables, path, used);
    add_chart_sheet(wb, by_subdistrict, path, used);
  } catch (...) {
    workbook_close(wb);
    throw;
  }
  const lxw_error e = workbook_close(wb);
  if (e != LXW_NO_ERROR) throw error(errc::io_error, fmt::format("{}: {}", path, lxw_strerror(e)));
}

}  // namespace signing
}  // namespace hotline
