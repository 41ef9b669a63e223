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

#include <hotline/call_log.hpp>
#include <hotline/sla_policy.hpp>
#include <hotline/store.hpp>
#include <hotline/units.hpp>
#include <hotline/work_order.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <memory>

namespace hotline::cli {

namespace {

// The fields an order has at intake (hotline::create); the rest follow from actions.
constexpr std::array<std::string_view, 28> intake_fields{
    "number",      "call_ref",     "line",      "channel",      "ivr_key",      "received_at",    "agent",
    "caller_name", "caller_sex",   "anonymous", "confidential", "caller_phone", "callback_phone", "caller_id_number",
    "district",    "sub_district", "address",   "request_type", "topic",        "sub_topic",      "complaint_subject",
    "content",     "urgency",      "complex",   "respondent",   "kb_entries",   "feedback_route", "draft"};

constexpr std::array<std::string_view, 25> action_fields{
    "number",     "action",    "at",     "by",         "role",    "by_unit",        "unit",    "co_units",
    "liaison",    "means",     "answer", "kb_entries", "reason",  "extension_days", "finding", "resolved",
    "reply_text", "call_back", "level",  "warning",    "overdue", "target",         "comment", "expected_version",
    "draft"};

constexpr std::array<std::string_view, 9> call_fields{"call_id", "started_at", "answered", "wait_seconds", "agent",
                                                      "ivr_key", "line",       "unit",     "work_order"};

constexpr std::array<std::string_view, 7> unit_fields{"code", "name", "kind", "parent", "covers", "topics", "active"};

template <std::size_t N>
std::string known(const std::array<std::string_view, N>& names) {
  std::string s;
  for (auto n : names) s.append(s.empty() ? "" : ", ").append(n);
  return s;
}

// Every field of every record must be one the kind knows (amend.<field> for actions).
template <std::size_t N>
void check_columns(const record_file& f, const std::array<std::string_view, N>& names, bool amend_ok) {
  if (!f.is_json) {  // a CSV file: its header says it once, on line 1
    for (const auto& k : f.columns)
      if (std::find(names.begin(), names.end(), k) == names.end() &&
          !(amend_ok && k.starts_with("amend.") && k.size() > 6))
        throw parse_error(
            f.source, 1,
            "header: " + k + ": unknown column (known: " + known(names) + (amend_ok ? ", amend.<field>" : "") + ")");
    return;
  }
  for (const auto& r : f.rows)
    for (const auto& [k, v] : r.fields) {
      if (std::find(names.begin(), names.end(), k) != names.end()) continue;
      if (amend_ok && k.starts_with("amend.") && k.size() > 6) continue;
      fail_at(f, r, k, "unknown field (known: " + known(names) + (amend_ok ? ", amend.<field>" : "") + ")");
    }
}

void require(const record_file& f, const record& r, std::string_view name) {
  const auto* v = r.find(name);
  if (!v || v->empty()) fail_at(f, r, name, "required, and missing or empty");
}

// The library's parsers say "field x: ..."; the line already names the field.
std::string without_field_prefix(std::string msg, std::string_view field) {
  const std::string p = "field " + std::string(field) + ": ";
  if (msg.starts_with(p)) msg.erase(0, p.size());
  return msg;
}

template <class T, class F>
T parse_or_fail(const record_file& f, const record& r, std::string_view field, F&& parse) {
  try {
    return parse(r.get(field));
  } catch (const error& e) {
    fail_at(f, r, field, without_field_prefix(e.what(), field));
  }
}

bool to_bool(const std::string& s) {
  if (s == "1" || s == "true" || s == "yes") return true;
  if (s.empty() || s == "0" || s == "false" || s == "no") return false;
  throw invalid_argument_error("expected 1/0 (or true/false), found '" + s + "'");
}

template <class I>
I to_int(const std::string& s, I lo, I hi) {
  I v{};
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc{} || r.ptr != s.data() + s.size() || v < lo || v > hi)
    throw invalid_argument_error("expected an integer " + std::to_string(lo) + ".." + std::to_string(hi) + ", found '" +
                                 s + "'");
  return v;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i <= s.size()) {
    const auto j = std::min(s.find(sep, i), s.size());
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

// ---- orders -----------------------------------------------------------------

struct order_row {
  work_order order;
  actor by;
  bool draft = false;
};

order_row to_order(const record_file& f, const record& r) {
  require(f, r, "received_at");
  require(f, r, "request_type");
  order_row o;
  for (const auto& [k, v] : r.fields) {
    if (v.empty()) continue;
    if (k == "draft") {
      o.draft = parse_or_fail<bool>(f, r, k, to_bool);
    } else if (k == "received_at") {
      o.order.received_at = parse_or_fail<instant>(f, r, k, to_instant);
    } else if (k == "request_type") {
      o.order.request_type =
          parse_or_fail<request_type>(f, r, k, [](const std::string& s) { return parse_request_type(s); });
    } else {
      try {
        set_field(o.order, k, v);
      } catch (const error& e) {
        fail_at(f, r, k, without_field_prefix(e.what(), k));
      }
    }
  }
  o.by = actor{o.order.agent.empty() ? std::string("import") : o.order.agent, role::agent, {}};
  return o;
}

// ---- actions ------------------------------------------------------------------

struct action_row {
  std::string number;
  command c;
};

action_row to_action(const record_file& f, const record& r) {
  for (auto k : {"number", "action", "at", "by", "role"}) require(f, r, k);
  action_row a;
  a.number = r.get("number");
  auto& c = a.c;
  c.action = parse_or_fail<action>(f, r, "action", [](const std::string& s) { return parse_enum<action>(s); });
  c.at = parse_or_fail<instant>(f, r, "at", to_instant);
  c.by.id = r.get("by");
  c.by.role = parse_or_fail<role>(f, r, "role", [](const std::string& s) { return parse_enum<role>(s); });
  c.by.unit = r.get("by_unit");
  c.unit = r.get("unit");
  c.co_units = r.get("co_units");
  c.liaison = r.get("liaison");
  if (!r.get("means").empty())
    c.means = parse_or_fail<transfer_means>(f, r, "means",
                                            [](const std::string& s) { return parse_enum<transfer_means>(s); });
  c.answer = r.get("answer");
  c.kb_entries = r.get("kb_entries");
  c.reason = r.get("reason");
  if (!r.get("extension_days").empty())
    c.extension_days =
        parse_or_fail<int>(f, r, "extension_days", [](const std::string& s) { return to_int<int>(s, 0, 365); });
  if (!r.get("finding").empty())
    c.finding = parse_or_fail<finding>(f, r, "finding", [](const std::string& s) { return parse_enum<finding>(s); });
  c.resolved = parse_or_fail<bool>(f, r, "resolved", to_bool);
  c.reply_text = r.get("reply_text");
  if (!r.get("call_back").empty())
    c.call_back = parse_or_fail<call_back_result>(f, r, "call_back",
                                                  [](const std::string& s) { return parse_enum<call_back_result>(s); });
  if (!r.get("level").empty())
    c.level = parse_or_fail<supervision_level>(f, r, "level",
                                               [](const std::string& s) { return parse_enum<supervision_level>(s); });
  c.warning = parse_or_fail<bool>(f, r, "warning", to_bool);
  c.overdue = parse_or_fail<bool>(f, r, "overdue", to_bool);
  c.target = r.get("target");
  c.comment = r.get("comment");
  if (!r.get("expected_version").empty())
    c.expected_version = parse_or_fail<std::int64_t>(
        f, r, "expected_version", [](const std::string& s) { return to_int<std::int64_t>(s, 1, INT64_MAX); });
  for (const auto& [k, v] : r.fields)
    if (k.starts_with("amend.") && !v.empty()) c.amendments.emplace_back(k.substr(6), v);
  return a;
}

// ---- calls ----------------------------------------------------------------------

call_log calls_from_json(const record_file& f) {
  call_log log;
  for (const auto& r : f.rows) {
    require(f, r, "call_id");
    require(f, r, "started_at");
    call_record c;
    c.call_id = r.get("call_id");
    c.started_at = parse_or_fail<instant>(f, r, "started_at", to_instant);
    c.answered = parse_or_fail<bool>(f, r, "answered", to_bool);
    c.wait = seconds{parse_or_fail<std::int64_t>(
        f, r, "wait_seconds", [](const std::string& s) { return s.empty() ? 0 : to_int<std::int64_t>(s, 0, 86400); })};
    c.agent = r.get("agent");
    c.ivr_key = parse_or_fail<int>(f, r, "ivr_key",
                                   [](const std::string& s) { return s.empty() ? -1 : to_int<int>(s, -1, 9); });
    c.line = r.get("line");
    c.unit = r.get("unit");
    c.work_order = r.get("work_order");
    c.source_line = r.line;
    log.calls.push_back(std::move(c));
  }
  std::stable_sort(log.calls.begin(), log.calls.end(),
                   [](const call_record& a, const call_record& b) { return a.started_at < b.started_at; });
  return log;
}

// ---- units ------------------------------------------------------------------------

unit to_unit(const record_file& f, const record& r) {
  require(f, r, "code");
  unit u;
  u.code = r.get("code");
  u.name = r.get("name");
  if (!r.get("kind").empty())
    u.kind = parse_or_fail<unit_kind>(f, r, "kind", [](const std::string& s) { return parse_unit_kind(s); });
  u.parent = r.get("parent");
  for (const auto& c : split(r.get("covers"), ';')) {
    const auto slash = c.find('/');
    u.covers.push_back(slash == std::string::npos ? coverage{c, {}}
                                                  : coverage{c.substr(0, slash), c.substr(slash + 1)});
  }
  u.topics = split(r.get("topics"), ';');
  if (!r.get("active").empty()) u.active = parse_or_fail<bool>(f, r, "active", to_bool);
  return u;
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
        check_columns(f, intake_fields, false);
        std::vector<order_row> rows;
        rows.reserve(f.rows.size());
        for (const auto& r : f.rows) rows.push_back(to_order(f, r));
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
        check_columns(f, action_fields, true);
        std::vector<action_row> rows;
        rows.reserve(f.rows.size());
        for (const auto& r : f.rows) rows.push_back(to_action(f, r));
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
          check_columns(f, call_fields, false);
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
        check_columns(f, unit_fields, false);
        std::vector<unit> units;
        for (const auto& r : f.rows) units.push_back(to_unit(f, r));
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
