// Text input for the parsers: reading a file, walking its lines, splitting CSV
// records, each with errors that name the file and line.
#pragma once

#include "hotline/detail/utf8.hpp"
#include "hotline/error.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace hotline::detail {

inline std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw error(errc::io_error, path + ": cannot open for reading");
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) throw error(errc::io_error, path + ": read failed");
  return std::move(ss).str();
}

/// Walks a text line by line for the line-based parsers (CSV overlays, iCalendar,
/// call logs): drops a leading BOM (spreadsheet exports write one) and each
/// line's CR, and refuses a line that is not valid UTF-8 with its file and line.
///
///   text_lines lines(text, "calls.csv");
///   for (std::string_view line; lines.next(line);) use(line, lines.number());
class text_lines {
 public:
  text_lines(std::string_view text, const std::string& source) : text_(text), source_(source) {
    if (text_.starts_with("\xEF\xBB\xBF")) text_.remove_prefix(3);
  }
  /// The next line, or false at the end of the text.
  bool next(std::string_view& line) {
    if (pos_ >= text_.size()) return false;
    auto end = text_.find('\n', pos_);
    if (end == std::string_view::npos) end = text_.size();
    line = text_.substr(pos_, end - pos_);
    pos_ = end + 1;
    ++number_;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (const auto off = invalid_utf8_offset(line); off != std::string_view::npos)
      throw parse_error(source_, number_, fmt::format("not valid UTF-8 (byte {} of the line)", off));
    return true;
  }
  /// The 1-based number of the line last returned.
  [[nodiscard]] std::size_t number() const noexcept { return number_; }

 private:
  std::string_view text_;
  const std::string& source_;
  std::size_t pos_ = 0, number_ = 0;
};

/// Splits one CSV record (RFC 4180 quoting, no embedded newlines) into fields,
/// trimmed of surrounding blanks; an unterminated quote is a parse_error.
inline std::vector<std::string> split_csv_record(std::string_view line, const std::string& source, std::size_t lineno) {
  std::vector<std::string> out;
  std::string cur;
  std::size_t i = 0;
  bool quoted = false, was_quoted = false;
  while (i <= line.size()) {
    if (i == line.size()) {
      if (quoted) throw parse_error(source, lineno, "unterminated quoted field");
      out.push_back(std::move(cur));
      break;
    }
    const char c = line[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < line.size() && line[i + 1] == '"') { cur += '"'; ++i; }
        else quoted = false;
      } else {
        cur += c;
      }
    } else if (c == '"' && cur.empty() && !was_quoted) {
      quoted = was_quoted = true;
    } else if (c == ',') {
      out.push_back(std::move(cur));
      cur.clear();
      was_quoted = false;
    } else {
      cur += c;
    }
    ++i;
  }
  for (auto& f : out) {
    while (!f.empty() && (f.back() == ' ' || f.back() == '\t')) f.pop_back();
    std::size_t k = 0;
    while (k < f.size() && (f[k] == ' ' || f[k] == '\t')) ++k;
    f.erase(0, k);
  }
  return out;
}

}  // namespace hotline::detail
