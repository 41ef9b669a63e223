// The C ABI for the assessment: rubrics from presets or JSON, one unit's facts
// scored, every unit of a store assessed for a period.
#include "c_common.hpp"
#include "c_handles.hpp"
#include "c_json.hpp"
#include "../results_json.hpp"
#include "hotline/assessment.hpp"
#include "hotline/assessment_facts.hpp"

#include <map>
#include <memory>
#include <string>

struct hotline_rubric {
  hotline::rubric r;
};

using hotline::c_api::guard;
using hotline::c_api::jnode;
using hotline::c_api::json;
using hotline::detail::gaps_json;
using hotline::detail::score_json;

namespace {

using namespace hotline;

/// An object of fact name -> value, each value read by `read`.
template <class F>
void each_fact(const jnode& part, F read) {
  if (!part.v.is_object()) part.fail("expected an object of facts");
  for (auto it = part.v.begin(); it != part.v.end(); ++it) read(it.key(), jnode{it.value(), part.path + "." + it.key()});
}

unit_facts facts_of(const jnode& n) {
  n.expect_object({"checks", "scores", "occurrences", "rates", "observations"});
  unit_facts f;
  if (n.has("checks")) each_fact(n["checks"], [&](const std::string& k, const jnode& v) { f.checks[k] = v.boolean(); });
  if (n.has("scores")) each_fact(n["scores"], [&](const std::string& k, const jnode& v) { f.scores[k] = v.number(); });
  if (n.has("occurrences"))
    each_fact(n["occurrences"], [&](const std::string& k, const jnode& v) {
      if (!v.v.is_array()) v.fail("expected an array of {\"ref\", \"detail\"}");
      auto& list = f.occurrences[k];
      for (std::size_t i = 0; i < v.v.size(); ++i) {
        const jnode o = v.at(i);
        o.expect_object({"ref", "detail"});
        list.push_back({o.need("ref").str(), o.has("detail") ? o["detail"].str() : std::string()});
      }
    });
  if (n.has("rates"))
    each_fact(n["rates"], [&](const std::string& k, const jnode& v) {
      if (!v.v.is_array() || v.v.size() != 2) v.fail("expected [numerator, denominator]");
      f.rates[k] = {v.at(0).number(), v.at(1).number()};
    });
  if (n.has("observations"))
    each_fact(n["observations"], [&](const std::string& k, const jnode& v) {
      if (!v.v.is_array()) v.fail("expected an array of {\"value\", \"ref\"}");
      auto& list = f.observations[k];
      for (std::size_t i = 0; i < v.v.size(); ++i) {
        const jnode o = v.at(i);
        o.expect_object({"value", "ref"});
        list.push_back({o.need("value").str(), o.has("ref") ? o["ref"].str() : std::string()});
      }
    });
  return f;
}



}  // namespace

extern "C" {

hotline_status hotline_rubric_new_preset(hotline_rubric** out, const char* name) {
  return guard([&] {
    c_api::null_out(out);
    HOTLINE_C_REQUIRE(out && name, "out and name must not be NULL");
    *out = new hotline_rubric{rubric::preset(c_api::text_arg(name, "name"))};
  });
}

hotline_status hotline_rubric_from_json(hotline_rubric** out, const char* rubric_json) {
  return guard([&] {
    c_api::null_out(out);
    HOTLINE_C_REQUIRE(out && rubric_json, "out and rubric_json must not be NULL");
    *out = new hotline_rubric{rubric::from_json(c_api::text_arg(rubric_json, "rubric_json"), "rubric_json")};
  });
}

hotline_status hotline_rubric_from_json_file(hotline_rubric** out, const char* path) {
  return guard([&] {
    c_api::null_out(out);
    HOTLINE_C_REQUIRE(out && path, "out and path must not be NULL");
    *out = new hotline_rubric{rubric::from_json_file(std::string(c_api::text_arg(path, "path")))};
  });
}

void hotline_rubric_free(hotline_rubric* rubric) { delete rubric; }

hotline_status hotline_rubric_preset_names(char** out) {
  return guard([&] {
    c_api::null_out(out);
    HOTLINE_C_REQUIRE(out, "out must not be NULL");
    c_api::set_text(out, c_api::dump(json(rubric::preset_names())));
  });
}

hotline_status hotline_rubric_gaps(char** out, const hotline_rubric* rubric) {
  return guard([&] {
    c_api::null_out(out);
    HOTLINE_C_REQUIRE(out && rubric, "out and rubric must not be NULL");
    const auto& r = rubric->r;
    const json doc{{"name", r.name},
                   {"declared_total", r.declared_total ? json(*r.declared_total) : json(nullptr)},
                   {"criteria_total", r.criteria_total()},
                   {"gaps", gaps_json(r.gaps())}};
    c_api::set_text(out, c_api::dump(doc));
  });
}

hotline_status hotline_rubric_score(char** out, const hotline_rubric* rubric, const char* unit,
                                    const char* facts_json) {
  return guard([&] {
    c_api::null_out(out);
    HOTLINE_C_REQUIRE(out && rubric && unit && facts_json, "out, rubric, unit and facts_json must not be NULL");
    const std::string u(c_api::text_arg(unit, "unit"));
    const json j = c_api::json_arg(facts_json, "facts_json");
    const auto facts = facts_of(jnode{j, "facts_json"});
    c_api::set_text(out, c_api::dump(score_json(score(rubric->r, u, facts))));
  });
}

hotline_status hotline_rubric_assess_units(hotline_report** out, const hotline_rubric* rubric,
                                           const hotline_store* store, const char* period, const char* entered_json,
                                           const char* options_json) {
  return guard([&] {
    c_api::null_out(out);
    HOTLINE_C_REQUIRE(out && rubric && store && period, "out, rubric, store and period must not be NULL");
    const auto p = c_api::period_arg(period, "period");
    std::map<std::string, unit_facts> entered;
    if (entered_json) {
      const json j = c_api::json_arg(entered_json, "entered_json");
      const jnode n{j, "entered_json"};
      if (!j.is_object()) n.fail("expected an object of units: {\"UNIT\": {\"checks\": {...}, \"scores\": {...}}}");
      for (auto it = j.begin(); it != j.end(); ++it) entered[it.key()] = facts_of(jnode{it.value(), n.path + "." + it.key()});
    }
    assessment_inputs in;
    if (options_json) {
      const json j = c_api::json_arg(options_json, "options_json");
      const jnode n{j, "options_json"};
      n.expect_object({"long_unanswered_seconds"});
      if (n.has("long_unanswered_seconds")) in.long_unanswered = seconds{n["long_unanswered_seconds"].integer(1, 86400)};
    }
    const auto scores = assess_units(rubric->r, store->db, p, entered, in);
    auto r = std::make_unique<hotline_report>();
    json units = json::array();
    for (const auto& s : scores) units.push_back(score_json(s));
    r->doc = json{{"report", "assessment"},
                  {"period", c_api::period_json(p)},
                  {"rubric", rubric->r.name},
                  {"units", std::move(units)}};
    r->tables = assessment_tables(scores, p);
    *out = r.release();
  });
}

}  // extern "C"
