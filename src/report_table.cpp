// Writing report tables: CSV, XLSX (libxlsxwriter) and aligned text.
#include "hotline/report_table.hpp"

#include "hotline/error.hpp"
#include "report_sheets.hpp"

#include <fmt/format.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <fstream>

namespace hotline {
namespace {

bool is_percent(const report_table& t, std::size_t col) {
  return std::find(t.percent_columns.begin(), t.percent_columns.end(), col) != t.percent_columns.end();
}

std::string cell_text(const report_table& t, const report_cell& c, std::size_t col) {
  if (const auto* s = std::get_if<std::string>(&c)) return *s;
  const double v = std::get<double>(c);
  if (is_percent(t, col)) return fmt::format("{:.2f}%", v * 100);
  if (v == static_cast<double>(static_cast<long long>(v))) return fmt::format("{}", static_cast<long long>(v));
  return fmt::format("{:.2f}", v);
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

/// Display width: CJK and other wide characters take two columns.
std::size_t width(const std::string& s) {
  std::size_t w = 0;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    w += len >= 3 ? 2 : 1;
    i += len;
  }
  return w;
}

}  // namespace

std::string to_csv(const report_table& t) {
  std::string out;
  for (std::size_t i = 0; i < t.columns.size(); ++i) out += (i ? "," : "") + csv_field(t.columns[i]);
  out += "\r\n";
  for (const auto& row : t.rows) {
    for (std::size_t i = 0; i < row.size(); ++i) out += (i ? "," : "") + csv_field(cell_text(t, row[i], i));
    out += "\r\n";
  }
  return out;
}

void write_csv(const report_table& t, const std::string& path) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f) throw error(errc::io_error, path + ": cannot open for writing");
  f << "\xEF\xBB\xBF" << to_csv(t);
  if (!f.flush()) throw error(errc::io_error, path + ": write failed");
}

std::string to_text(const report_table& t) {
  std::vector<std::vector<std::string>> cells;
  cells.push_back(t.columns);
  for (const auto& row : t.rows) {
    std::vector<std::string> r;
    for (std::size_t i = 0; i < row.size(); ++i) r.push_back(cell_text(t, row[i], i));
    cells.push_back(std::move(r));
  }
  std::vector<std::size_t> w(t.columns.size(), 0);
  for (const auto& r : cells)
    for (std::size_t i = 0; i < r.size() && i < w.size(); ++i) w[i] = std::max(w[i], width(r[i]));
  std::string out = t.title + "\n";
  for (std::size_t k = 0; k < cells.size(); ++k) {
    const auto& r = cells[k];
    for (std::size_t i = 0; i < r.size() && i < w.size(); ++i) {
      const bool number = k > 0 && i < t.rows[k - 1].size() && std::holds_alternative<double>(t.rows[k - 1][i]);
      const std::string pad(w[i] - width(r[i]), ' ');
      out += (i ? "  " : "") + (number ? pad + r[i] : r[i] + (i + 1 < r.size() ? pad : ""));
    }
    out += "\n";
  }
  for (const auto& n : t.notes) out += "  " + n + "\n";
  return out;
}

namespace detail {

void add_table_sheets(lxw_workbook* wb, const std::vector<report_table>& tables, const std::string& path,
                      std::vector<std::string>& used) {
  const auto [title, head, body, pct] = add_sheet_formats(wb);
  for (std::size_t k = 0; k < tables.size(); ++k) {
    const auto& t = tables[k];
    // Sheet names: at most 31 characters (Excel), unique, none of []:*?/\.
    std::string name = t.sheet_name.empty() ? fmt::format("表{}", k + 1) : t.sheet_name;
    for (char& c : name)
      if (std::string_view("[]:*?/\\").find(c) != std::string_view::npos) c = '_';
    // Excel counts characters, not bytes: cut at a code-point boundary, leaving
    // room for the "_k" that keeps names unique.
    {
      std::size_t chars = 0, cut = 0;
      for (std::size_t i = 0; i < name.size(); ++i)
        if ((static_cast<unsigned char>(name[i]) & 0xC0) != 0x80 && ++chars == 28) cut = i;
      if (chars > 31) name.resize(cut);
    }
    if (std::find(used.begin(), used.end(), name) != used.end()) name += fmt::format("_{}", k + 1);
    used.push_back(name);
    lxw_worksheet* ws = workbook_add_worksheet(wb, name.c_str());
    if (!ws)
      throw error(errc::invalid_argument, fmt::format("{}: sheet name '{}' refused by the XLSX writer", path, name));
    worksheet_write_string(ws, 0, 0, t.title.c_str(), title);
    for (std::size_t i = 0; i < t.columns.size(); ++i) {
      worksheet_write_string(ws, 2, static_cast<lxw_col_t>(i), t.columns[i].c_str(), head);
      worksheet_set_column(ws, static_cast<lxw_col_t>(i), static_cast<lxw_col_t>(i),
                           std::max(10.0, static_cast<double>(width(t.columns[i])) + 2), nullptr);
    }
    lxw_row_t r = 3;
    for (const auto& row : t.rows) {
      for (std::size_t i = 0; i < row.size(); ++i) {
        const auto col = static_cast<lxw_col_t>(i);
        if (const auto* s = std::get_if<std::string>(&row[i]))
          worksheet_write_string(ws, r, col, s->c_str(), body);
        else
          worksheet_write_number(ws, r, col, std::get<double>(row[i]), is_percent(t, i) ? pct : body);
      }
      ++r;
    }
    ++r;
    for (const auto& n : t.notes) worksheet_write_string(ws, r++, 0, n.c_str(), nullptr);
  }
}

}  // namespace detail

void write_xlsx(const std::vector<report_table>& tables, const std::string& path) {
  lxw_workbook* wb = workbook_new(path.c_str());
  if (!wb) throw error(errc::io_error, path + ": cannot create the workbook");
  std::vector<std::string> used;
  try {
    detail::add_table_sheets(wb, tables, path, used);
  } catch (...) {
    workbook_close(wb);
    throw;
  }
  const lxw_error e = workbook_close(wb);
  if (e != LXW_NO_ERROR) throw error(errc::io_error, fmt::format("{}: {}", path, lxw_strerror(e)));
}

}  // namespace hotline
