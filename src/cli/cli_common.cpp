// src/cli/cli_common.cpp: arguments, output and input records of the command line
// (see cli_common.hpp).
#include "cli_common.hpp"
#include "../results_json.hpp"

#include "../store_json.hpp"
#include "../store_records.hpp"

#include <hotline/detail/utf8.hpp>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <variant>

namespace hotline::cli {

// ---- arguments ----------------------------------------------------------------

namespace {
bool digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}
std::optional<std::string> check(const std::function<void(const std::string&)>& f, const std::string& text) {
  try {
    f(text);
    return std::nullopt;
  } catch (const std::exception& e) {
    return std::string(e.what());
  }
}
}  // namespace

// Shared with the import records and the C ABI (src/store_records.hpp).
day to_day(const std::string& text) { return detail::day_from_text(text); }
instant to_instant(const std::string& text) { return detail::instant_from_text(text); }

std::pair<int, unsigned> to_month(const std::string& text) {
  if (text.size() != 7 || text[4] != '-' || !digits(text.substr(0, 4)) || !digits(text.substr(5, 2)))
    throw invalid_argument_error("'" + text + "' is not a month YYYY-MM");
  const int y = std::stoi(text.substr(0, 4));
  const auto m = static_cast<unsigned>(std::stoi(text.substr(5, 2)));
  if (m < 1 || m > 12) throw invalid_argument_error("'" + text + "' is not a month YYYY-MM");
  return {y, m};
}

period_text to_period(const std::string& text) {
  if (text.size() == 7 && text[4] == '-' && text[5] != 'Q' && text[5] != 'q') {
    const auto [y, m] = to_month(text);
    return {y, m, false};
  }
  const std::size_t q = text.find_first_of("Qq");
  if (q == 4 || q == 5) {
    const std::string y = text.substr(0, 4), n = text.substr(q + 1);
    if (digits(y) && (q == 4 || text[4] == '-') && n.size() == 1 && n[0] >= '1' && n[0] <= '4')
      return {std::stoi(y), static_cast<unsigned>(n[0] - '0'), true};
  }
  throw invalid_argument_error("'" + text + "' is not a month YYYY-MM or a quarter YYYY-Qn");
}

CLI::Validator period_arg() {
  return CLI::Validator(
      [](std::string& s) { return check([](const std::string& t) { (void)to_period(t); }, s).value_or(""); }, "PERIOD");
}

CLI::Validator date_arg() {
  return CLI::Validator(
      [](std::string& s) { return check([](const std::string& t) { (void)to_day(t); }, s).value_or(""); }, "DATE");
}
CLI::Validator instant_arg() {
  return CLI::Validator(
      [](std::string& s) { return check([](const std::string& t) { (void)to_instant(t); }, s).value_or(""); }, "TIME");
}
CLI::Validator month_arg() {
  return CLI::Validator(
      [](std::string& s) { return check([](const std::string& t) { (void)to_month(t); }, s).value_or(""); }, "YYYY-MM");
}

// ---- output ---------------------------------------------------------------------

std::string dump(const json& j) { return j.dump(2, ' ', false, json::error_handler_t::replace); }

void print_json(const json& j) {
  const std::string s = dump(j);
  std::fwrite(s.data(), 1, s.size(), stdout);
  std::fputc('\n', stdout);
}

void print_line(std::string_view text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fputc('\n', stdout);
}


namespace {
void write_text_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  if (!out) throw error(errc::io_error, path + ": cannot open for writing");
  out << text;
  if (!out) throw error(errc::io_error, path + ": write failed");
}
std::string numbered(const std::string& output, std::size_t i) {
  const std::filesystem::path p(output);
  auto name = p.stem().string() + "-" + std::to_string(i + 1) + p.extension().string();
  return (p.parent_path() / name).string();
}
}  // namespace

void emit_tables(const std::vector<report_table>& tables, std::string format, const std::string& output, bool json_flag,
                 json extra) {
  if (json_flag) format = "json";
  if (format == "json") {
    json arr = json::array();
    for (const auto& t : tables) arr.push_back(table_json(t));
    json doc = extra.is_object() ? std::move(extra) : json::object();
    doc["tables"] = std::move(arr);
    if (output.empty())
      print_json(doc);
    else
      write_text_file(output, dump(doc) + "\n");
  } else if (format == "xlsx") {
    if (output.empty()) throw usage_error("--format xlsx needs --output FILE.xlsx");
    write_xlsx(tables, output);
  } else if (format == "csv") {
    if (output.empty()) {
      for (std::size_t i = 0; i < tables.size(); ++i) {
        if (i) std::fputc('\n', stdout);
        const auto s = to_csv(tables[i]);
        std::fwrite(s.data(), 1, s.size(), stdout);
      }
    } else if (tables.size() == 1) {
      write_csv(tables[0], output);
    } else {
      for (std::size_t i = 0; i < tables.size(); ++i) {
        write_csv(tables[i], numbered(output, i));
        std::fprintf(stderr, "hotline: wrote %s\n", numbered(output, i).c_str());
      }
      return;
    }
  } else {  // text
    std::string all;
    for (const auto& t : tables) all += to_text(t) + "\n";
    if (output.empty())
      std::fwrite(all.data(), 1, all.size(), stdout);
    else
      write_text_file(output, all);
  }
  if (!output.empty() && format != "json" && !json_flag) std::fprintf(stderr, "hotline: wrote %s\n", output.c_str());
}

progress::progress(std::string what) : what_(std::move(what)), on_(isatty(STDERR_FILENO) == 1) {}
progress::~progress() { done(); }
void progress::tick(std::size_t n) {
  if (!on_ || n % 1000 != 0) return;
  std::fprintf(stderr, "\r%s %zu", what_.c_str(), n);
  std::fflush(stderr);
  printed_ = true;
}
void progress::done() {
  if (printed_) std::fputc('\n', stderr);
  printed_ = false;
}

// ---- input records --------------------------------------------------------------

std::string read_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw error(errc::io_error, path + ": is a directory, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw error(errc::io_error, path + ": cannot open for reading (no such file, or no permission)");
  std::ostringstream ss;
  ss << in.rdbuf();
  return std::move(ss).str();
}

void fail_at(const record_file& f, const record& r, std::string_view field, const std::string& message) {
  std::string reason;
  if (f.is_json) reason = "[" + std::to_string(r.index) + "].";
  reason.append(field).append(": ").append(message);
  throw parse_error(f.source, r.line, reason);
}

void rethrow_at(const error& e, const record_file& f, const record& r) {
  if (e.code() == errc::parse_error) throw parse_error(f.source, r.line, e.what());
  const std::string msg = f.source + ":" + std::to_string(r.line) + ": " + e.what();
  switch (e.code()) {
    case errc::invalid_argument:
      throw invalid_argument_error(msg);
    case errc::out_of_range:
      throw out_of_range_error(msg);
    case errc::conflict:
      throw conflict_error(msg);
    case errc::not_found:
      throw not_found_error(msg);
    case errc::illegal_transition:
      throw illegal_transition_error(msg);
    case errc::permission_denied:
      throw permission_denied_error(msg);
    case errc::storage_error:
      throw storage_error(msg);
    default:
      throw error(e.code(), msg);
  }
}

namespace {

void check_utf8(const record_file& f, const record& r, std::string_view field, std::string_view text) {
  if (const auto off = detail::invalid_utf8_offset(text); off != std::string_view::npos)
    fail_at(f, r, field, "not valid UTF-8 (byte " + std::to_string(off) + " of the field)");
  if (text.find('\0') != std::string_view::npos) fail_at(f, r, field, "contains a NUL byte");
}

// RFC 4180: fields separated by ',', '"' quotes (with "" inside), line breaks inside quotes.
record_file read_csv(const std::string& path, std::string_view text) {
  record_file f;
  f.source = path;
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::size_t i = 0, line = 1;
  const std::size_t n = text.size();
  // One record: returns false at the end of the text.
  auto next = [&](std::vector<std::string>& out, std::size_t& start_line) {
    out.clear();
    if (i >= n) return false;
    start_line = line;
    std::string cur;
    bool quoted = false, was_quoted = false;
    for (;;) {
      if (i >= n) {
        if (quoted) throw parse_error(path, start_line, "a quoted field is not closed before the end of the file");
        out.push_back(std::move(cur));
        return true;
      }
      const char c = text[i++];
      if (quoted) {
        if (c == '"') {
          if (i < n && text[i] == '"') {
            cur.push_back('"');
            ++i;
          } else {
            quoted = false;
          }
        } else {
          if (c == '\n') ++line;
          cur.push_back(c);
        }
      } else if (c == '"' && cur.empty() && !was_quoted) {
        quoted = was_quoted = true;
      } else if (c == ',') {
        out.push_back(std::move(cur));
        cur.clear();
        was_quoted = false;
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && i < n && text[i] == '\n') ++i;
        ++line;
        out.push_back(std::move(cur));
        return true;
      } else {
        cur.push_back(c);
      }
    }
  };
  std::vector<std::string> cells;
  std::size_t at = 0;
  if (!next(cells, at)) throw parse_error(path, 1, "empty file: expected a header line");
  const record header{at, 0, {}};
  for (const auto& c : cells) {
    check_utf8(f, header, "header", c);
    if (c.empty()) throw parse_error(path, at, "header: an empty column name");
    if (std::find(f.columns.begin(), f.columns.end(), c) != f.columns.end())
      throw parse_error(path, at, "header: column '" + c + "' appears twice");
    f.columns.push_back(c);
  }
  while (next(cells, at)) {
    if (cells.size() == 1 && cells[0].empty()) continue;  // a blank line
    record r{at, f.rows.size(), {}};
    if (cells.size() != f.columns.size())
      throw parse_error(path, at,
                        "expected " + std::to_string(f.columns.size()) + " fields (the header's), found " +
                            std::to_string(cells.size()));
    for (std::size_t k = 0; k < cells.size(); ++k) {
      check_utf8(f, r, f.columns[k], cells[k]);
      r.fields.emplace_back(f.columns[k], std::move(cells[k]));
    }
    f.rows.push_back(std::move(r));
  }
  return f;
}

std::size_t line_of(std::string_view text, std::size_t byte) {
  byte = std::min(byte, text.size());
  return 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(byte), '\n'));
}

// The line on which each object at nesting depth `depth` opens, in order (the JSON is
// already known to be well formed).
std::vector<std::size_t> object_lines(std::string_view text, int depth) {
  std::vector<std::size_t> out;
  std::size_t line = 1;
  int d = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') ++line;
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"')
      in_string = true;
    else if (c == '{' || c == '[') {
      ++d;
      if (c == '{' && d == depth) out.push_back(line);
    } else if (c == '}' || c == ']') {
      --d;
    }
  }
  return out;
}

record_file read_json(const std::string& path, std::string_view text, std::string_view wrapper_key) {
  record_file f;
  f.source = path;
  f.is_json = true;
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    std::string what = e.what();
    if (const auto p = what.find("syntax error"); p != std::string::npos) what = what.substr(p);
    throw parse_error(path, line_of(text, e.byte == 0 ? 0 : e.byte - 1), "malformed JSON: " + what);
  }
  const json* arr = &doc;
  int depth = 2;
  if (doc.is_object()) {
    const auto it = doc.find(std::string(wrapper_key));
    if (it == doc.end() || !it->is_array())
      throw parse_error(
          path, 1, "expected an array of objects, or an object with an array \"" + std::string(wrapper_key) + "\"");
    arr = &*it;
    depth = 3;
  } else if (!doc.is_array()) {
    throw parse_error(path, 1, "expected an array of objects");
  }
  const auto lines = object_lines(text, depth);
  std::size_t k = 0;
  for (const auto& el : *arr) {
    record r{k < lines.size() ? lines[k] : 0, k, {}};
    if (!el.is_object()) fail_at(f, r, "", "expected an object");
    for (const auto& [key, v] : el.items()) {
      std::string text_value;
      if (v.is_string()) {
        text_value = v.get<std::string>();
      } else if (v.is_boolean()) {
        text_value = v.get<bool>() ? "1" : "0";
      } else if (v.is_null()) {
      } else if (v.is_number()) {
        text_value = v.dump();
      } else if (v.is_array()) {
        for (const auto& x : v) {
          if (!x.is_string()) fail_at(f, r, key, "expected a string or an array of strings");
          if (!text_value.empty()) text_value += hotline::detail::list_separator(key);
          text_value += x.get<std::string>();
        }
      } else {
        fail_at(f, r, key, "expected a string, number, boolean or array of strings, found an object");
      }
      check_utf8(f, r, key, text_value);
      if (std::find(f.columns.begin(), f.columns.end(), key) == f.columns.end()) f.columns.push_back(key);
      r.fields.emplace_back(key, std::move(text_value));
    }
    f.rows.push_back(std::move(r));
    ++k;
  }
  return f;
}

}  // namespace

record_file read_records(const std::string& path, std::string_view wrapper_key) {
  const std::string text = read_file(path);
  auto ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (ext == ".json") return read_json(path, text, wrapper_key);
  if (ext == ".csv") return read_csv(path, text);
  throw parse_error(path, 0, "unknown file type '" + ext + "': expected .csv or .json");
}

}  // namespace hotline::cli
