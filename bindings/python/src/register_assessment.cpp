// Python bindings of the assessment rubric engine (hotline.Rubric, hotline.score).
#include "bindings.hpp"
#include "casters.hpp"
#include "hotline/assessment.hpp"
#include "hotline/assessment_facts.hpp"

#include <algorithm>

#include <pybind11/stl.h>

namespace py = pybind11;

namespace hotline::python {

void register_assessment_from_store(py::module_& m);

namespace {

/// Facts from plain Python: {"checks": {k: bool}, "scores": {k: float},
/// "occurrences": {k: [ref or (ref, detail)]}, "rates": {k: (num, den)},
/// "observations": {k: [value or (value, ref)]}}.
hotline::unit_facts facts_from(const py::dict& d) {
  hotline::unit_facts f;
  static const char* known[] = {"checks", "scores", "occurrences", "rates", "observations"};
  for (const auto& [k, v] : d) {
    const auto key = py::cast<std::string>(k);
    if (std::find(std::begin(known), std::end(known), key) == std::end(known))
      throw hotline::invalid_argument_error("unknown facts section '" + key +
                                            "' (checks, scores, occurrences, rates, observations)");
    (void)v;
  }
  if (d.contains("checks")) f.checks = py::cast<std::map<std::string, bool>>(d["checks"]);
  if (d.contains("scores")) f.scores = py::cast<std::map<std::string, double>>(d["scores"]);
  if (d.contains("rates")) f.rates = py::cast<std::map<std::string, std::pair<double, double>>>(d["rates"]);
  if (d.contains("occurrences"))
    for (const auto& [k, v] : py::cast<py::dict>(d["occurrences"])) {
      auto& list = f.occurrences[py::cast<std::string>(k)];
      for (const auto& o : v) {
        if (py::isinstance<py::str>(o)) list.push_back({py::cast<std::string>(o), ""});
        else {
          auto t = py::cast<std::pair<std::string, std::string>>(o);
          list.push_back({t.first, t.second});
        }
      }
    }
  if (d.contains("observations"))
    for (const auto& [k, v] : py::cast<py::dict>(d["observations"])) {
      auto& list = f.observations[py::cast<std::string>(k)];
      for (const auto& o : v) {
        if (py::isinstance<py::str>(o)) list.push_back({py::cast<std::string>(o), ""});
        else {
          auto t = py::cast<std::pair<std::string, std::string>>(o);
          list.push_back({t.first, t.second});
        }
      }
    }
  return f;
}

}  // namespace

void register_assessment(py::module_& m) {
  py::class_<hotline::rubric_gap>(m, "RubricGap",
                                  R"pbdoc(What does not add up in a rubric: where (rubric, criterion or item id) and
the message, e.g. "criteria sum to 80 of a declared total of 100".)pbdoc")
      .def_readonly("where", &hotline::rubric_gap::where, "Where the gap is: the rubric, criterion or item id.")
      .def_readonly("message", &hotline::rubric_gap::message,
                    "What does not add up, e.g. \"criteria sum to 80 of a declared total of 100\".")
      .def("__repr__", [](const hotline::rubric_gap& g) { return "<RubricGap " + g.where + ": " + g.message + ">"; });

  py::class_<hotline::rubric>(m, "Rubric", R"pbdoc(An assessment rubric (docs/assessment.md).)pbdoc")
      .def_static("preset", &hotline::rubric::preset, py::arg("name"),
                  R"pbdoc(A shipped rubric: "tianjin-12320" (001 annex 10).)pbdoc")
      .def_static("preset_names", &hotline::rubric::preset_names, R"pbdoc(The names Rubric.preset() accepts.)pbdoc")
      .def_static(
          "from_json", [](const std::string& text) { return hotline::rubric::from_json(text); }, py::arg("text"),
          R"pbdoc(A rubric from its JSON text (docs/assessment.md); a ParseError names the JSON path.)pbdoc")
      .def_static("from_json_file", &hotline::rubric::from_json_file, py::arg("path"),
                  R"pbdoc(A rubric from a JSON file, as from_json(); errors name the file.)pbdoc")
      .def_readonly("name", &hotline::rubric::name, "The rubric's name, e.g. \"tianjin-12320\".")
      .def_readonly("declared_total", &hotline::rubric::declared_total,
                    "The scale the rubric claims (e.g. 100), or None when it claims none.")
      .def_property_readonly("criteria_total", &hotline::rubric::criteria_total,
                             "Sum of the criteria's declared maximum points.")
      .def("gaps", &hotline::rubric::gaps, R"pbdoc(What does not add up in the rubric itself.)pbdoc");

  py::class_<hotline::item_score>(m, "ItemScore",
                                  R"pbdoc(One rubric item scored for a unit: points of max_points, the explanation, and
refs, the orders or calls behind a deduction; assessed is False when the fact was missing.)pbdoc")
      .def_readonly("criterion_id", &hotline::item_score::criterion_id, "Id of the criterion the item belongs to.")
      .def_readonly("item_id", &hotline::item_score::item_id,
                    "The item's id, unique within the rubric, e.g. \"line.first_question\".")
      .def_readonly("title", &hotline::item_score::title,
                    "The item's title as written in the rubric's source, e.g. 实行首问负责制.")
      .def_property_readonly(
          "kind", [](const hotline::item_score& s) { return std::string(hotline::to_string(s.kind)); },
          "Item kind: 'checklist', 'assessor_score', 'deduction', 'rate' or 'mapping'.")
      .def_readonly("points", &hotline::item_score::points, "Points given for the item.")
      .def_readonly("max_points", &hotline::item_score::max_points, "The most points the item can give.")
      .def_readonly("explanation", &hotline::item_score::explanation,
                    "Why the item got its points (\"not assessed\" or \"no data\" when facts were missing).")
      .def_readonly("refs", &hotline::item_score::refs, "The work orders or calls behind a deduction.")
      .def_readonly("assessed", &hotline::item_score::assessed,
                    "False when the fact the item reads was missing (the item then scores 0).");

  py::class_<hotline::criterion_score>(
      m, "CriterionScore",
      R"pbdoc(A rubric criterion's points for a unit: the sum of its items' points, of max_points.)pbdoc")
      .def_readonly("id", &hotline::criterion_score::id, "The criterion's id.")
      .def_readonly("title", &hotline::criterion_score::title, "The criterion's title.")
      .def_readonly("points", &hotline::criterion_score::points,
                    "Sum of the criterion's items' points (rounded to 2 decimals).")
      .def_readonly("max_points", &hotline::criterion_score::max_points,
                    "The most the criterion's items can give (sum of their max_points).");

  py::class_<hotline::unit_score>(m, "UnitScore",
                                  R"pbdoc(A unit's assessment: total of max_total (and the rubric's declared_total), the
criteria and items with every deduction explained, and the rubric's gaps.  str() gives lines().)pbdoc")
      .def_readonly("unit", &hotline::unit_score::unit,
                    "The unit scored (a unit code; \"(12320 centre)\" for the centre's own line).")
      .def_readonly("total", &hotline::unit_score::total, "Points the unit got: the sum of its criteria's points.")
      .def_readonly("max_total", &hotline::unit_score::max_total,
                    "What the rubric's items can give in all (may differ from declared_total).")
      .def_readonly("declared_total", &hotline::unit_score::declared_total,
                    "The rubric's declared total, or None when it declares none.")
      .def_readonly("criteria", &hotline::unit_score::criteria,
                    "Score of each criterion (list of CriterionScore), in rubric order.")
      .def_readonly("items", &hotline::unit_score::items,
                    "Score of each item (list of ItemScore), every deduction explained.")
      .def_readonly("gaps", &hotline::unit_score::gaps,
                    "What does not add up in the rubric itself (list of RubricGap).")
      .def("lines", &hotline::unit_score::lines, R"pbdoc(The breakdown as text, one line per item.)pbdoc")
      .def("__str__", [](const hotline::unit_score& s) {
        std::string out;
        for (const auto& l : s.lines()) out += l + "\n";
        return out;
      });

  register_assessment_from_store(m);
  m.def(
      "score",
      [](const hotline::rubric& r, const std::string& unit, const py::dict& facts) {
        return hotline::score(r, unit, facts_from(facts));
      },
      py::arg("rubric"), py::arg("unit"), py::arg("facts"),
      R"pbdoc(Scores a unit's facts on a rubric; every point given or taken is explained.

facts = {"checks": {...}, "scores": {...}, "occurrences": {fact: [ref | (ref, detail)]},
         "rates": {fact: (numerator, denominator)}, "observations": {fact: [value | (value, ref)]}})pbdoc");
}

void register_assessment_from_store(py::module_& m) {
  m.def(
      "assess_units",
      [](const hotline::rubric& r, const hotline::store& db, const hotline::reporting_period& p,
         const std::optional<py::dict>& entered, double long_unanswered_seconds) {
        std::map<std::string, hotline::unit_facts> facts;
        if (entered)
          for (const auto& [k, v] : *entered) facts[py::cast<std::string>(k)] = facts_from(py::cast<py::dict>(v));
        hotline::assessment_inputs in;
        if (!(long_unanswered_seconds >= 0))
          throw hotline::invalid_argument_error("long_unanswered_seconds must be >= 0");
        in.long_unanswered = std::chrono::seconds{static_cast<std::int64_t>(long_unanswered_seconds)};
        py::gil_scoped_release release;
        return hotline::assess_units(r, db, p, facts, in);
      },
      py::arg("rubric"), py::arg("store"), py::arg("period"), py::kw_only(), py::arg("entered") = py::none(),
      py::arg("long_unanswered_seconds") = 60.0,
      R"pbdoc(Scores every unit from the store's facts (late transfers, long-unanswered calls,
call-back satisfaction: assessment_facts.hpp) merged with what an assessor entered:
entered = {unit_code: facts as for score()}.  The centre's own line is unit "(12320 centre)".)pbdoc");
  m.def("assessment_tables", &hotline::assessment_tables, py::arg("scores"), py::arg("period"),
        R"pbdoc(Scores and breakdown as two ReportTables (the rubric's gaps as notes).)pbdoc");
}

}  // namespace hotline::python
