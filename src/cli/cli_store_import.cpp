// src/cli/cli_store_import.cpp: `hotline store import` -- orders, their actions, call
// logs and units from CSV or JSON files (the formats are in docs/cli.md).
//
//   hotline store --db hotline.db import units units.csv
//   hotline store --db hotline.db import orders orders.csv      # intake fields, one order a row
//   hotline store --db hotline.db import actions actions.json   # dispatch, sign_for, reply, ...
//   hotline store --db hotline.db import calls calls.csv        # the switch's export (call_log.hpp)
//
// Each file is read and checked whole before anything is written; orders and actions
// are then written in one transaction (a batch), so a row the store refuses (an
// illegal transition, an unknown unit, a duplicate number) leaves the store as it
// was, and the error names the file and the row's line.  Units are written one by
// one after the whole file has been checked; calls in one transaction.
#include "cli_common.hpp"

#include "../store_records.hpp"

#include <hotline/call_log.hpp>
#include <hotline/store.hpp>
#include <hotline/units.hpp>
#include <hotline/work_order.hpp>

#include <algorithm>
#include <memory>

namespace hotline::cli {

namespace {

using detail::record_kind;

// Where a record of `f` came from, for the shared parser's errors (store_records.hpp):
// "<file>:<line>: [<index>.]<field>: <message>", as fail_at says it.
detail::record_origin origin(const record_file& f, const record& r) {
  return {f.source, r.line, f.is_json ? "[" + std::to_string(r.index) + "]." : std::string(), true};
}

// Every field of every record must be one the kind knows (amend.<field> for actions).
void check_columns(const record_file& f, record_kind kind) {
  if (!f.is_json) {  // a CSV file: its header says it once, on line 1
    for (const auto& k : f.columns)
      if (!detail::is_known_field(kind, k))
        throw parse_error(f.source, 1,
                          "header: " + k + ": unknown column (known: " + detail::known_fields_text(kind) + ")");
    return;
  }
  for (const auto& r : f.rows) detail::check_fields(r.fields, kind, origin(f, r));
}

call_log calls_from_json(const record_file& f) {
  call_log log;
  for (const auto& r : f.rows) log.calls.push_back(detail::call_from_fields(r.fields, origin(f, r)));
  std::stable_sort(log.calls.begin(), log.calls.end(),
                   [](const call_record& a, const call_record& b) { return a.started_at < b.started_at; });
  return log;
}

}  // namespace

void add_store_import(CLI::App& g, context& ctx, const std::shared_ptr<std::string>& db) {
  auto* c = g.add_subcommand("import", "Import orders, actions, calls or units from a CSV or JSON file");
  auto kind = std::make_shared<std::string>();
  auto file = std::make_shared<std::string>();
  c->add_option("kind", *kind, "orders, actions, calls or units")
      ->required()
      ->check(CLI::IsMember({"orders", "actions", "calls", "units"}));
  c->add_option("file", *file, "A .csv (header row) or .json (array of objects) file")->required();
  c->callback([&ctx, db, kind, file] {
    ctx.action = [&ctx, db, kind, file]() -> int {
      const auto f = read_records(*file, *kind);  // read and checked before the store is touched
      json result{{"kind", *kind}, {"file", *file}};
      if (*kind == "orders") {
        check_columns(f, record_kind::order);
        std::vector<detail::order_intake> rows;
        rows.reserve(f.rows.size());
        for (const auto& r : f.rows) rows.push_back(detail::order_from_fields(r.fields, origin(f, r)));
        auto s = open_store(*db, false);
        progress bar("importing orders:");
        json numbers = json::array();
        auto b = s.begin_batch();
        for (std::size_t i = 0; i < rows.size(); ++i) {
          try {
            numbers.push_back(s.create(rows[i].order, rows[i].by, rows[i].draft).number);
          } catch (const error& e) {
            rethrow_at(e, f, f.rows[i]);  // the batch rolls back: nothing is stored
          }
          bar.tick(i + 1);
        }
        b.commit();
        bar.done();
        result["added"] = rows.size();
        result["numbers"] = numbers;
      } else if (*kind == "actions") {
        check_columns(f, record_kind::action);
        std::vector<detail::action_record> rows;
        rows.reserve(f.rows.size());
        for (const auto& r : f.rows) rows.push_back(detail::action_from_fields(r.fields, origin(f, r)));
        auto s = open_store(*db, true);
        progress bar("importing actions:");
        auto b = s.begin_batch();
        for (std::size_t i = 0; i < rows.size(); ++i) {
          try {
            (void)s.apply(rows[i].number, rows[i].c);
          } catch (const error& e) {
            rethrow_at(e, f, f.rows[i]);
          }
          bar.tick(i + 1);
        }
        b.commit();
        bar.done();
        result["applied"] = rows.size();
      } else if (*kind == "calls") {
        call_log log;
        if (f.is_json) {
          check_columns(f, record_kind::call);
          log = calls_from_json(f);
        } else {
          log = call_log::from_csv_file(*file);  // the switch's export format, checked by the library
        }
        auto s = open_store(*db, false);
        const auto r = s.import_calls(log);
        result["added"] = r.added;
        result["already_stored"] = r.already_stored;
        result["warnings"] = r.warnings;
        if (!ctx.json)
          for (const auto& w : r.warnings) std::fprintf(stderr, "hotline: warning: %s\n", w.c_str());
      } else {
        check_columns(f, record_kind::unit);
        std::vector<unit> units;
        for (const auto& r : f.rows) units.push_back(detail::unit_from_fields(r.fields, origin(f, r)));
        auto s = open_store(*db, false);
        for (std::size_t i = 0; i < units.size(); ++i) {
          try {
            s.put_unit(units[i]);
          } catch (const error& e) {
            rethrow_at(e, f, f.rows[i]);
          }
        }
        result["added"] = units.size();
      }
      if (ctx.json) {
        print_json(result);
      } else {
        const auto n =
            result.contains("applied") ? result["applied"].get<std::size_t>() : result["added"].get<std::size_t>();
        std::string line = *file + ": " + (result.contains("applied") ? "applied " : "imported ") + std::to_string(n) +
                           " " + *kind + " into " + *db;
        if (result.contains("already_stored") && result["already_stored"].get<std::size_t>() > 0)
          line += " (" + std::to_string(result["already_stored"].get<std::size_t>()) + " already stored)";
        print_line(line);
      }
      return exit_ok;
    };
  });
}

}  // namespace hotline::cli
