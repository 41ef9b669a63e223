// src/cli/cli_common.hpp: what the verbs of the `hotline` command line share --
// the run context, arguments (dates, instants), output (text, JSON, report tables),
// input records (CSV or JSON files) and the errors with their exit codes.
//
//   void add_calendar(CLI::App& app, context& ctx);   // one per command group
//   sub->callback([&ctx, o] { ctx.action = [&ctx, o] { ...; return exit_ok; }; });
//
// Exit codes (docs/cli.md): 0 ok, 1 an error in the data (a hotline::error, a file
// that cannot be read or parsed, a broken hash chain), 2 usage (CLI11's parse errors,
// an unknown verb, an argument that is not a date).  Errors go to stderr as
// "hotline: <file>:<line>: <field>: <message>", as much of it as is known.
#pragma once

#include "../results_json.hpp"

#include <hotline/error.hpp>
#include <hotline/report_table.hpp>
#include <hotline/time.hpp>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hotline {
class store;
}

namespace hotline::cli {

using json = nlohmann::ordered_json;

inline constexpr int exit_ok = 0;
inline constexpr int exit_data = 1;
inline constexpr int exit_usage = 2;

/// What the parse decided: the global flags and the verb to run.
struct context {
  bool json = false;            ///< --json: machine-readable output on stdout
  std::function<int()> action;  ///< set by the verb's callback, run after parsing
};

/// A usage error found after CLI11 has parsed (a missing --output for xlsx): exit 2.
class usage_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// ---- the command groups (one file each) ------------------------------------
void add_calendar(CLI::App& app, context& ctx);
void add_sla(CLI::App& app, context& ctx);
void add_store(CLI::App& app, context& ctx);
/// `store import orders|actions|calls|units FILE` under the store group (cli_store_import.cpp).
void add_store_import(CLI::App& store_group, context& ctx, const std::shared_ptr<std::string>& db);
/// Opens the store at `path`; with must_exist, a missing file is an io_error instead of a new store.
store open_store(const std::string& path, bool must_exist);
void add_kb(CLI::App& app, context& ctx);
void add_report(CLI::App& app, context& ctx);  ///< report and assess

// ---- arguments ----------------------------------------------------------------
/// "YYYY-MM-DD"; CLI11 reports anything else as a usage error.
CLI::Validator date_arg();
/// An instant: ISO-8601 with an offset, a local "YYYY-MM-DD[THH:MM[:SS]]" in Beijing
/// time (a date alone is 00:00), or "now".
CLI::Validator instant_arg();
/// "YYYY-MM".
CLI::Validator month_arg();
/// "YYYY-MM" (a month) or "YYYY-Qn" / "YYYYQn" (a quarter).
CLI::Validator period_arg();
day to_day(const std::string& text);
instant to_instant(const std::string& text);
std::pair<int, unsigned> to_month(const std::string& text);  ///< year, month
/// A month or quarter as with period_arg: year, number, and whether it is a quarter.
struct period_text {
  int year = 0;
  unsigned number = 0;
  bool quarter = false;
};
period_text to_period(const std::string& text);

// ---- output ---------------------------------------------------------------------
/// Pretty JSON on stdout (broken UTF-8 replaced, never an exception).
void print_json(const json& j);
std::string dump(const json& j);
/// Text as is on stdout, a newline added.
void print_line(std::string_view text);
/// A table as JSON: title, columns, rows (strings and numbers), notes (results_json.hpp).
using detail::table_json;
/// Writes report tables: format text, csv, xlsx or json (--json forces json); to
/// stdout, or to `output` (csv with several tables: one file each, "-N" before the
/// extension).  xlsx without an output is a usage_error.
/// JSON output is `extra` (an object: the period, totals) with "tables" added.
void emit_tables(const std::vector<report_table>& tables, std::string format, const std::string& output, bool json_flag,
                 json extra = json::object());

/// A progress line on stderr ("\r<what> 12,000") when stderr is a terminal; nothing otherwise.
class progress {
 public:
  explicit progress(std::string what);
  ~progress();
  progress(const progress&) = delete;
  progress& operator=(const progress&) = delete;
  void tick(std::size_t done);  ///< prints every 1,000 rows
  void done();

 private:
  std::string what_;
  bool on_ = false;
  bool printed_ = false;
};

// ---- input records --------------------------------------------------------------
/// One row of a CSV file, or one object of a JSON array, as field -> text.
struct record {
  std::size_t line = 0;   ///< where it starts in the file
  std::size_t index = 0;  ///< 0-based position among the records
  std::vector<std::pair<std::string, std::string>> fields;
  [[nodiscard]] const std::string* find(std::string_view name) const {
    for (const auto& [k, v] : fields)
      if (k == name) return &v;
    return nullptr;
  }
  [[nodiscard]] std::string get(std::string_view name) const {
    const auto* v = find(name);
    return v ? *v : std::string();
  }
};

struct record_file {
  std::string source;  ///< the path as given
  bool is_json = false;
  std::vector<std::string> columns;  ///< CSV header (JSON: the keys seen, in order)
  std::vector<record> rows;
};

/// Reads a .csv (header row, RFC 4180 quoting, a BOM skipped) or .json file (an array
/// of objects, or an object holding one under `wrapper_key`); JSON values become text
/// (numbers as written, true/false as 1/0, null as "", arrays of strings joined by ','
/// for an order's lists (co_units, kb_entries), by ';' otherwise: list_separator).
/// Every field is checked for valid UTF-8.  parse_error naming file, line and field.
record_file read_records(const std::string& path, std::string_view wrapper_key);

/// A parse_error "<file>:<line>: <field>: <message>".
[[noreturn]] void fail_at(const record_file& f, const record& r, std::string_view field, const std::string& message);
/// Rethrows a library error as its own kind with "<file>:<line>: " before its message.
[[noreturn]] void rethrow_at(const error& e, const record_file& f, const record& r);

/// The whole file as bytes; hotline::error (io_error) naming it when it cannot be read.
std::string read_file(const std::string& path);

}  // namespace hotline::cli
