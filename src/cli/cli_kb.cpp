// src/cli/cli_kb.cpp: `hotline kb` -- the knowledge base and question matching.
//
//   hotline kb --kb data/knowledge/family_doctor_kb.json match "请问家庭医生在哪里签" -k 3
//   hotline kb --kb kb.db classify "诊所没有执照，天天给人打吊针"
//   hotline kb import data/knowledge/family_doctor_kb.json --into kb.db
//
// --kb names the base: an SQLite file written by `kb import` (.db, .sqlite) or entry
// files (.json, .csv, .tsv; several allowed) read at start; --synonyms adds a synonym
// table.  Confidence is calibrated on the base (knowledge_base::calibrate) unless
// --no-calibrate.  Classification works without a base (the built-in service lines).
#include "cli_common.hpp"
#include "../results_json.hpp"

#include <hotline/knowledge.hpp>

#include <filesystem>
#include <memory>

namespace hotline::cli {

using detail::guess_json;

namespace {

struct kb_opts {
  std::vector<std::string> kb;
  std::vector<std::string> synonyms;
  bool no_calibrate = false;
};

bool is_sqlite(const std::string& path) {
  const auto ext = std::filesystem::path(path).extension().string();
  return ext == ".db" || ext == ".sqlite" || ext == ".sqlite3";
}

knowledge_base load(const kb_opts& o) {
  knowledge_base kb;
  bool opened = false;
  for (const auto& f : o.kb) {
    if (is_sqlite(f)) {
      std::error_code ec;
      if (!std::filesystem::exists(f, ec)) throw error(errc::io_error, f + ": no such knowledge base file");
      if (opened || kb.size() != 0) throw invalid_argument_error(f + ": only one SQLite base, given first");
      kb = knowledge_base::open(f);
      opened = true;
    } else {
      (void)kb.import_file(f);
    }
  }
  for (const auto& s : o.synonyms) (void)kb.load_synonyms(s);
  if (!o.no_calibrate && kb.size() > 1) (void)kb.calibrate();
  return kb;
}



std::string fixed(double x, int digits = 3) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", digits, x);
  return buf;
}

}  // namespace

void add_kb(CLI::App& app, context& ctx) {
  auto* g = app.add_subcommand("kb", "Knowledge base: import, match, classify");
  auto o = std::make_shared<kb_opts>();
  g->add_option("--kb", o->kb, "The base: an SQLite file from `kb import`, or entry files (.json, .csv, .tsv)");
  g->add_option("--synonyms", o->synonyms, "A synonym table (variant<TAB>canonical per line)");
  g->add_flag("--no-calibrate", o->no_calibrate, "Keep the built-in confidence coefficients");

  {
    auto* c = g->add_subcommand("import", "Import entry files into an SQLite base (all or nothing per file)");
    auto files = std::make_shared<std::vector<std::string>>();
    auto into = std::make_shared<std::string>();
    c->add_option("files", *files, "Entry files: .json, .csv, .tsv (docs/knowledge.md)")->required();
    c->add_option("--into", *into, "The SQLite file to write (created when missing)")->required();
    c->callback([&ctx, files, into] {
      ctx.action = [&ctx, files, into] {
        auto kb = knowledge_base::open(*into);
        json per = json::array();
        for (const auto& f : *files) {
          const auto n = kb.import_file(f);
          per.push_back(json{{"file", f}, {"entries", n}});
          if (!ctx.json) print_line(f + ": " + std::to_string(n) + " entries into " + *into);
        }
        if (ctx.json) print_json(json{{"into", *into}, {"files", per}, {"size", kb.size()}});
        return exit_ok;
      };
    });
  }
  {
    auto* c = g->add_subcommand("match", "The entries that best answer a question, best first");
    auto query = std::make_shared<std::string>();
    auto k = std::make_shared<std::size_t>(5);
    auto on = std::make_shared<std::string>();
    auto explain = std::make_shared<bool>(false);
    c->add_option("query", *query, "The caller's question")->required();
    c->add_option("-k", *k, "At most this many hits (default 5)");
    c->add_option("--on", *on, "Validity day YYYY-MM-DD (default today in Beijing)")->check(date_arg());
    c->add_flag("--explain", *explain, "The terms that counted for each hit");
    c->callback([&ctx, o, query, k, on, explain] {
      ctx.action = [&ctx, o, query, k, on, explain] {
        if (o->kb.empty()) throw usage_error("kb match needs --kb (an SQLite base or entry files)");
        const auto kb = load(*o);
        match_options mo;
        mo.k = *k;
        mo.explain = *explain;
        if (!on->empty()) mo.on = to_day(*on);
        const auto d = kb.answer(*query, mo);
        if (ctx.json) {
          json hits = json::array();
          for (const auto& h : d.hits) {
            json j{{"id", h.id},       {"score", h.score},     {"confidence", h.confidence}, {"category", h.category},
                   {"topic", h.topic}, {"matched", h.matched}, {"intent", h.intent}};
            if (*explain) {
              json terms = json::array();
              for (const auto& t : h.terms) terms.push_back(json{{"term", t.term}, {"weight", t.weight}});
              j["terms"] = terms;
            }
            hits.push_back(std::move(j));
          }
          print_json(json{{"query", *query},
                          {"hits", hits},
                          {"answer_now", d.answer_now},
                          {"threshold", kb.answer_threshold()},
                          {"line", guess_json(d.line)}});
          return exit_ok;
        }
        if (d.hits.empty()) print_line("no match");
        for (std::size_t i = 0; i < d.hits.size(); ++i) {
          const auto& h = d.hits[i];
          print_line(std::to_string(i + 1) + ". " + h.id + "  confidence " + fixed(h.confidence) + "  score " +
                     fixed(h.score, 2) + "  " + h.matched);
          if (*explain)
            for (const auto& t : h.terms) print_line("     " + t.term + " " + fixed(t.weight));
        }
        print_line(d.answer_now ? "answer now (confidence >= " + fixed(kb.answer_threshold(), 2) + ")"
                                : "open a work order: line " + d.line.line +
                                      (d.line.request_type.empty() ? "" : ", " + d.line.request_type));
        return exit_ok;
      };
    });
  }
  {
    auto* c = g->add_subcommand("classify", "The service line and request type of a question (crises first)");
    auto query = std::make_shared<std::string>();
    c->add_option("query", *query, "The caller's words")->required();
    c->callback([&ctx, o, query] {
      ctx.action = [&ctx, o, query] {
        const auto kb = load(*o);
        const auto gss = kb.classify(*query);
        if (ctx.json) {
          print_json(guess_json(gss));
          return exit_ok;
        }
        if (gss.triage.urgent)
          print_line("URGENT (" + std::string(to_string(gss.triage.kind)) + "): route to " +
                     std::string(to_string(gss.triage.route)) + "; " + gss.triage.advice);
        print_line("line: " + gss.line + (gss.topic.empty() ? "" : " (" + gss.topic + ")") + "  confidence " +
                   fixed(gss.confidence));
        if (!gss.channel.empty()) print_line("channel: " + gss.channel);
        if (!gss.suggestion.empty())
          print_line("suggestion for the agent: " + gss.suggestion + "  confidence " + fixed(gss.suggestion_confidence));
        if (!gss.request_type.empty())
          print_line("request type: " + gss.request_type + "  confidence " + fixed(gss.request_type_confidence));
        if (!gss.cues.empty()) {
          std::string s = "cues:";
          for (const auto& x : gss.cues) s += " " + x;
          print_line(s);
        }
        return exit_ok;
      };
    });
  }
}

}  // namespace hotline::cli
