// src/cli/cli_report.cpp: `hotline report` and `hotline assess` -- the tables the centre
// files, from the store.
//
//   hotline report --db hotline.db monthly 2025-10                       # annex 8, as text
//   hotline report --db hotline.db monthly 2025-10 --format xlsx -o 2025-10.xlsx
//   hotline report --db hotline.db quarterly 2025-Q4 --format csv -o q4.csv
//   hotline report --db hotline.db timeliness 2025-10 --as-of 2025-11-01
//   hotline assess --db hotline.db 2025-10 --entered assessor.json
//
// Formats: text (aligned, the default), csv (UTF-8 with a BOM; several tables to
// several files, "-1", "-2" before the extension), xlsx (one workbook, a sheet a
// table; needs --output) and json (also with --json).
#include "cli_common.hpp"
#include "../results_json.hpp"

#include <hotline/assessment.hpp>
#include <hotline/assessment_facts.hpp>
#include <hotline/report.hpp>
#include <hotline/store.hpp>
#include <hotline/timeliness.hpp>

#include <algorithm>
#include <filesystem>
#include <memory>

namespace hotline::cli {

using detail::score_json;

namespace {

struct report_opts {
  std::string db;
  std::string district, unit;
  std::string format = "text";
  std::string output;
};

reporting_period period_of(const std::string& text) {
  const auto p = to_period(text);
  return p.quarter ? reporting_period::quarter(p.year, p.number) : reporting_period::month(p.year, p.number);
}

report_scope scope_of(const report_opts& o) {
  report_scope s;
  if (!o.district.empty()) s.district = o.district;
  if (!o.unit.empty()) s.unit = o.unit;
  return s;
}

json period_json(const reporting_period& p) {
  return json{{"label", p.label}, {"from", format_instant(p.from)}, {"to", format_instant(p.to)}};
}

json rate_json(const rate& r) {
  json j{{"numerator", r.numerator}, {"denominator", r.denominator}};
  if (const auto v = r.value())
    j["value"] = *v;
  else
    j["value"] = nullptr;
  return j;
}

void add_output_options(CLI::App* c, report_opts& o) {
  c->add_option("-f,--format", o.format, "text (default), csv, xlsx or json")
      ->check(CLI::IsMember({"text", "csv", "xlsx", "json"}));
  c->add_option("-o,--output", o.output, "Write to this file instead of stdout (xlsx needs it)");
}

// The assessor's entries: {"UNIT": {"checks": {"has_lead": true}, "scores": {"attitude": 4}}}
// ("" is the centre's own line).
std::map<std::string, unit_facts> read_entered(const std::string& path) {
  std::map<std::string, unit_facts> out;
  if (path.empty()) return out;
  const std::string text = read_file(path);
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    const auto upto = std::min<std::size_t>(e.byte == 0 ? 0 : e.byte - 1, text.size());
    const auto line =
        1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(upto), '\n'));
    std::string what = e.what();
    if (const auto p = what.find("syntax error"); p != std::string::npos) what = what.substr(p);
    throw parse_error(path, line, "malformed JSON: " + what);
  }
  if (!doc.is_object())
    throw parse_error(path, 1, "expected an object of units: {\"UNIT\": {\"checks\": {...}, \"scores\": {...}}}");
  for (const auto& [unit, v] : doc.items()) {
    if (!v.is_object()) throw parse_error(path, 0, unit + ": expected an object with checks and scores");
    auto& f = out[unit];
    for (const auto& [key, part] : v.items()) {
      if (key != "checks" && key != "scores")
        throw parse_error(path, 0, unit + "." + key + ": unknown field (known: checks, scores)");
      if (!part.is_object()) throw parse_error(path, 0, unit + "." + key + ": expected an object");
      for (const auto& [fact, x] : part.items()) {
        if (key == "checks") {
          if (!x.is_boolean()) throw parse_error(path, 0, unit + ".checks." + fact + ": expected true or false");
          f.checks[fact] = x.get<bool>();
        } else {
          if (!x.is_number()) throw parse_error(path, 0, unit + ".scores." + fact + ": expected a number");
          f.scores[fact] = x.get<double>();
        }
      }
    }
  }
  return out;
}


CLI::Validator rubric_arg() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        if (s.ends_with(".json") || std::filesystem::exists(s)) return {};
        const auto names = rubric::preset_names();
        if (std::find(names.begin(), names.end(), s) != names.end()) return {};
        std::string have;
        for (const auto& n : names) have += (have.empty() ? "" : ", ") + n;
        return "'" + s + "' is neither a JSON rubric file nor a preset (" + have + ")";
      },
      "RUBRIC");
}

}  // namespace

void add_report(CLI::App& app, context& ctx) {
  auto* g = app.add_subcommand("report", "Reports from the store: monthly, quarterly, timeliness");
  auto o = std::make_shared<report_opts>();
  g->add_option("--db", o->db, "The store: an SQLite file or a PostgreSQL location (or env HOTLINE_DB)")->required()->envname("HOTLINE_DB");
  g->add_option("--district", o->district, "Only orders of this district");
  g->add_option("--unit", o->unit, "Only orders of this handling unit");
  add_output_options(g, *o);

  {
    auto* c = g->add_subcommand("monthly", "The annex 8 monthly statistics tables (001)");
    auto period = std::make_shared<std::string>();
    c->add_option("month", *period, "YYYY-MM")->required()->check(month_arg());
    c->callback([&ctx, o, period] {
      ctx.action = [&ctx, o, period] {
        const auto s = open_store(o->db, true);
        const auto p = period_of(*period);
        const auto m = monthly_statistics(s, p, scope_of(*o));
        json summary{{"total", m.total},
                     {"consultations", m.consultations},
                     {"complaints", m.complaints},
                     {"reports", m.reports},
                     {"suggestions", m.suggestions},
                     {"other", m.other},
                     {"left_out_void_or_merged", m.left_out_void_or_merged}};
        emit_tables(m.tables(), o->format, o->output, ctx.json, json{{"period", period_json(p)}, {"summary", summary}});
        return exit_ok;
      };
    });
  }
  {
    auto* c = g->add_subcommand("quarterly", "Complaints, reports and praise per district (000 art. 14)");
    auto period = std::make_shared<std::string>();
    c->add_option("quarter", *period, "YYYY-Qn (or YYYYQn)")->required()->check(period_arg());
    c->callback([&ctx, o, period] {
      ctx.action = [&ctx, o, period] {
        const auto pt = to_period(*period);
        if (!pt.quarter) throw usage_error("quarterly needs a quarter YYYY-Qn, not a month");
        const auto s = open_store(o->db, true);
        const auto p = reporting_period::quarter(pt.year, pt.number);
        const auto rows = quarterly_summary(s, p);
        json districts = json::array();
        for (const auto& r : rows)
          districts.push_back(json{{"district", r.district},
                                   {"complaints", r.complaints},
                                   {"reports", r.reports},
                                   {"praise", r.praise},
                                   {"completed", r.completed}});
        emit_tables({quarterly_summary_table(rows, p)}, o->format, o->output, ctx.json,
                    json{{"period", period_json(p)}, {"districts", districts}});
        return exit_ok;
      };
    });
  }
  {
    auto* c = g->add_subcommand("timeliness", "On-time rates per clock and unit, overdue and warned lists");
    auto period = std::make_shared<std::string>();
    auto as_of = std::make_shared<std::string>();
    c->add_option("period", *period, "YYYY-MM or YYYY-Qn")->required()->check(period_arg());
    c->add_option("--as-of", *as_of, "As of this instant (default: the end of the period, or now if earlier)")
        ->check(instant_arg());
    c->callback([&ctx, o, period, as_of] {
      ctx.action = [&ctx, o, period, as_of] {
        const auto s = open_store(o->db, true);
        const auto p = period_of(*period);
        const instant at = as_of->empty() ? std::min(p.to, to_instant("now")) : to_instant(*as_of);
        const auto t = timeliness(s, p, at, scope_of(*o));
        json clocks = json::object();
        for (const auto& ck : t.clocks)
          clocks[std::string(to_string(ck.clock))] = json{{"met", ck.met},
                                                          {"missed", ck.missed},
                                                          {"overdue", ck.overdue},
                                                          {"running", ck.running},
                                                          {"paused", ck.paused},
                                                          {"voided", ck.voided},
                                                          {"not_started", ck.not_started},
                                                          {"on_time", rate_json(ck.on_time())}};
        json overdue = json::array();
        for (const auto& l : t.overdue)
          overdue.push_back(json{{"number", l.number},
                                 {"unit", l.unit},
                                 {"clock", std::string(to_string(l.clock))},
                                 {"due", format_instant(l.due)}});
        emit_tables(t.tables(), o->format, o->output, ctx.json,
                    json{{"period", period_json(p)},
                         {"as_of", format_instant(at)},
                         {"orders", t.orders},
                         {"clocks", clocks},
                         {"overdue", overdue},
                         {"satisfaction", rate_json(t.satisfaction())}});
        return exit_ok;
      };
    });
  }

  auto* a = app.add_subcommand("assess", "Score every unit on a rubric (001 annex 10), every deduction explained");
  auto ao = std::make_shared<report_opts>();
  auto period = std::make_shared<std::string>();
  auto rubric_name = std::make_shared<std::string>("tianjin-12320");
  auto entered = std::make_shared<std::string>();
  auto long_s = std::make_shared<int>(60);
  a->add_option("period", *period, "YYYY-MM or YYYY-Qn")->required()->check(period_arg());
  a->add_option("--db", ao->db, "The store: an SQLite file or a PostgreSQL location (or env HOTLINE_DB)")->required()->envname("HOTLINE_DB");
  a->add_option("--rubric", *rubric_name, "A preset (default tianjin-12320) or a JSON rubric file")
      ->check(rubric_arg());
  a->add_option("--entered", *entered,
                "The assessor's entries, JSON: {\"UNIT\": {\"checks\": {...}, \"scores\": {...}}}");
  a->add_option("--long-unanswered", *long_s, "Seconds a call rings unanswered before it counts as long (default 60)")
      ->check(CLI::Range(1, 3600));
  add_output_options(a, *ao);
  a->callback([&ctx, ao, period, rubric_name, entered, long_s] {
    ctx.action = [&ctx, ao, period, rubric_name, entered, long_s] {
      const bool is_file = rubric_name->ends_with(".json") || std::filesystem::exists(*rubric_name);
      const rubric r = is_file ? rubric::from_json_file(*rubric_name) : rubric::preset(*rubric_name);
      const auto facts = read_entered(*entered);
      const auto s = open_store(ao->db, true);
      const auto p = period_of(*period);
      assessment_inputs in;
      in.long_unanswered = seconds{*long_s};
      const auto scores = assess_units(r, s, p, facts, in);
      json units = json::array();
      for (const auto& u : scores) units.push_back(score_json(u));
      emit_tables(assessment_tables(scores, p), ao->format, ao->output, ctx.json,
                  json{{"period", period_json(p)}, {"rubric", r.name}, {"units", units}});
      return exit_ok;
    };
  });
}

}  // namespace hotline::cli
