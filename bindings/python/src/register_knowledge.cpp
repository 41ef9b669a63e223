// Python bindings of the knowledge base (hotline.KnowledgeBase, hotline.KnowledgeHit, ...).
//
//   kb = hotline.KnowledgeBase()
//   kb.add("FD-001", "家庭医生怎么签约？", answer="...", category="family-doctor",
//          similar=["怎么签家庭医生"])
//   hits = kb.match("请问家庭医生在哪里签", k=5)
//   hits[0].id, hits[0].score, hits[0].confidence
//
// Matching, import and storage release the GIL: queries from Python threads run in parallel.
#include "bindings.hpp"
#include "casters.hpp"
#include "hotline/knowledge.hpp"

#include <pybind11/stl.h>

namespace py = pybind11;

namespace hotline::python {

namespace {
hotline::knowledge_entry make_entry(std::string id, std::string question, std::string answer, std::string category,
                                    std::vector<std::string> similar, std::string topic,
                                    std::vector<std::string> keywords, std::optional<hotline::day> valid_from,
                                    std::optional<hotline::day> valid_until) {
  hotline::knowledge_entry e;
  e.id = std::move(id);
  e.question = std::move(question);
  e.answer = std::move(answer);
  e.category = std::move(category);
  e.similar = std::move(similar);
  e.topic = std::move(topic);
  e.keywords = std::move(keywords);
  e.valid_from = valid_from;
  e.valid_until = valid_until;
  return e;
}
}  // namespace

void register_knowledge(py::module_& m) {
  py::class_<hotline::term_contribution>(m, "TermContribution", "A query term that counted for a hit.")
      .def_readonly("term", &hotline::term_contribution::term,
                    "The query term as normalised: one character, a character pair, or a word.")
      .def_readonly("weight", &hotline::term_contribution::weight, "The term's share of the hit's score.")
      .def("__repr__", [](const hotline::term_contribution& t) {
        return "TermContribution(" + py::repr(py::str(t.term)).cast<std::string>() + ", " + std::to_string(t.weight) + ")";
      });

  py::class_<hotline::knowledge_entry>(m, "KnowledgeEntry", "One answerable question of the knowledge base.")
      .def(py::init(&make_entry), py::arg("id"), py::arg("question"), py::arg("answer") = "",
           py::arg("category") = "", py::arg("similar") = std::vector<std::string>{}, py::arg("topic") = "",
           py::arg("keywords") = std::vector<std::string>{}, py::arg("valid_from") = py::none(),
           py::arg("valid_until") = py::none())
      .def_readwrite("id", &hotline::knowledge_entry::id, "Unique, non-empty id of the entry (no control characters).")
      .def_readwrite("question", &hotline::knowledge_entry::question,
                     "The standard phrasing of the question (non-empty).")
      .def_readwrite("similar", &hotline::knowledge_entry::similar, "Other phrasings of the same question.")
      .def_readwrite("answer", &hotline::knowledge_entry::answer, "The answer agents give from the base.")
      .def_readwrite("category", &hotline::knowledge_entry::category,
                     "Service line, e.g. \"family-doctor\" (see service_lines()).")
      .def_readwrite("topic", &hotline::knowledge_entry::topic, "Topic within the line, e.g. \"signing\".")
      .def_readwrite("keywords", &hotline::knowledge_entry::keywords, "Extra terms that point at this entry.")
      .def_readwrite("valid_from", &hotline::knowledge_entry::valid_from,
                     "First day the entry applies (inclusive, datetime.date); None: no start.")
      .def_readwrite("valid_until", &hotline::knowledge_entry::valid_until,
                     "Last day the entry applies (inclusive, datetime.date); None: no end.")
      .def_readonly("version", &hotline::knowledge_entry::version, "Kept by the base: 1 on add, +1 on every update.")
      .def_readonly("retired", &hotline::knowledge_entry::retired,
                    "Kept by the base: True once retire() was called (a retired entry never matches).")
      .def("in_force", &hotline::knowledge_entry::in_force, py::arg("day"),
           "Not retired, and the day within [valid_from, valid_until] (both inclusive, either open).")
      .def("__repr__", [](const hotline::knowledge_entry& e) {
        return "KnowledgeEntry(" + py::repr(py::str(e.id)).cast<std::string>() + ", " +
               py::repr(py::str(e.question)).cast<std::string>() + ", version=" + std::to_string(e.version) + ")";
      });

  py::class_<hotline::knowledge_hit>(m, "KnowledgeHit", "An entry that may answer the query.")
      .def_readonly("id", &hotline::knowledge_hit::id, "Id of the matching entry.")
      .def_readonly("score", &hotline::knowledge_hit::score, "Ranking score (larger is better, unbounded).")
      .def_readonly("confidence", &hotline::knowledge_hit::confidence,
                    "Calibrated probability, in [0, 1], that this entry answers the query.")
      .def_readonly("category", &hotline::knowledge_hit::category, "The entry's category (service line).")
      .def_readonly("topic", &hotline::knowledge_hit::topic, "The entry's topic within the line.")
      .def_readonly("phrasing", &hotline::knowledge_hit::phrasing,
                    "Which phrasing matched: 0 the question, i similar[i-1], then keywords, answer.")
      .def_readonly("matched", &hotline::knowledge_hit::matched, "The text of the phrasing that matched.")
      .def_readonly("terms", &hotline::knowledge_hit::terms,
                    "Query terms that counted, largest first; filled only with match(explain=True).")
      .def_readonly("intent", &hotline::knowledge_hit::intent,
                    "The question type query and entry share (\"cost\", \"where\", ...), or empty.")
      .def("__repr__", [](const hotline::knowledge_hit& h) {
        return "KnowledgeHit(" + py::repr(py::str(h.id)).cast<std::string>() + ", score=" + std::to_string(h.score) +
               ", confidence=" + std::to_string(h.confidence) + ")";
      });

  py::class_<hotline::line_guess>(m, "LineGuess", "The service line of a question (001 §6, 000 art. 8).")
      .def_readonly("line", &hotline::line_guess::line,
                    "The service line; \"out-of-scope\" on evidence of another channel, \"unsure\" if unplaced.")
      .def_readonly("topic", &hotline::line_guess::topic,
                    "A topic within the line when one is clear; out of scope, the channel's name.")
      .def_readonly("confidence", &hotline::line_guess::confidence,
                    "Calibrated probability of `line`, in [0, 1]; 0 for unreadable text.")
      .def_readonly("channel", &hotline::line_guess::channel, "For out-of-scope questions: where to send the caller.")
      .def_readonly("cues", &hotline::line_guess::cues,
                    "What decided it: triage's cues, the channel's evidence words, the model's n-grams.")
      .def_readonly("request_type", &hotline::line_guess::request_type,
                    "consultation, complaint, report, help_request, praise or suggestion; empty if unreadable.")
      .def_readonly("request_type_confidence", &hotline::line_guess::request_type_confidence,
                    "Calibrated probability of `request_type`, in [0, 1].")
      .def_readonly("triage", &hotline::line_guess::triage,
                    "Crisis triage of the text (TriageResult): when triage.urgent, route by triage.route at once.")
      .def_readonly("suggestion", &hotline::line_guess::suggestion,
                    "When line is \"unsure\" and the text readable: the model's most probable line or channel "
                    "other than unsure, for the agent to confirm (never acted on); empty otherwise.")
      .def_readonly("suggestion_confidence", &hotline::line_guess::suggestion_confidence,
                    "The model's calibrated probability of `suggestion`; 0 without one.")
      .def("__repr__", [](const hotline::line_guess& g) {
        return "LineGuess(" + py::repr(py::str(g.line)).cast<std::string>() + ", confidence=" +
               std::to_string(g.confidence) + ", request_type=" + py::repr(py::str(g.request_type)).cast<std::string>() +
               ")";
      });

  py::class_<hotline::answer_decision>(m, "AnswerDecision", "Answer now, or a work order (000 art. 10).")
      .def_readonly("hits", &hotline::answer_decision::hits,
                    "The entries that may answer (list of KnowledgeHit), best first.")
      .def_readonly("answer_now", &hotline::answer_decision::answer_now,
                    "hits[0].confidence >= answer_threshold and no crisis triaged: answer from the base at once.")
      .def_readonly("line", &hotline::answer_decision::line,
                    "Otherwise: the line for a work order, or out of scope with its channel (LineGuess).");

  py::class_<hotline::knowledge_base>(m, "KnowledgeBase", R"pbdoc(
The knowledge base agents answer from, and Chinese question matching against it.

Queries release the GIL and may run from many threads at once.)pbdoc")
      .def(py::init<>())
      .def_static("open", &hotline::knowledge_base::open, py::arg("path"),
                  py::call_guard<py::gil_scoped_release>(),
                  "Load a base from SQLite and write every change through to it.")
      .def(
          "add",
          [](hotline::knowledge_base& kb, std::string id, std::string question, std::string answer,
             std::string category, std::vector<std::string> similar, std::string topic,
             std::vector<std::string> keywords, std::optional<hotline::day> valid_from,
             std::optional<hotline::day> valid_until) {
            auto e = make_entry(std::move(id), std::move(question), std::move(answer), std::move(category),
                                std::move(similar), std::move(topic), std::move(keywords), valid_from, valid_until);
            py::gil_scoped_release nogil;
            kb.add(std::move(e));
          },
          py::arg("id"), py::arg("question"), py::arg("answer") = "", py::arg("category") = "",
          py::arg("similar") = std::vector<std::string>{}, py::arg("topic") = "",
          py::arg("keywords") = std::vector<std::string>{}, py::arg("valid_from") = py::none(),
          py::arg("valid_until") = py::none(), "Add a new entry; ConflictError when the id exists.")
      .def("add_entry", [](hotline::knowledge_base& kb, hotline::knowledge_entry e) { kb.add(std::move(e)); },
           py::arg("entry"), py::call_guard<py::gil_scoped_release>())
      .def("update", [](hotline::knowledge_base& kb, hotline::knowledge_entry e,
                        std::optional<std::int64_t> expected_version) { kb.update(std::move(e), expected_version); },
           py::arg("entry"), py::arg("expected_version") = py::none(), py::call_guard<py::gil_scoped_release>(),
           "Replace an entry (version + 1); NotFoundError, or ConflictError on a version mismatch.")
      .def("upsert", [](hotline::knowledge_base& kb, hotline::knowledge_entry e) { kb.upsert(std::move(e)); },
           py::arg("entry"), py::call_guard<py::gil_scoped_release>())
      .def("retire", &hotline::knowledge_base::retire, py::arg("id"), py::call_guard<py::gil_scoped_release>())
      .def("get", &hotline::knowledge_base::get, py::arg("id"))
      .def("__len__", &hotline::knowledge_base::size)
      .def("entries", &hotline::knowledge_base::entries)
      .def(
          "match",
          [](const hotline::knowledge_base& kb, const std::string& query, std::size_t k,
             std::optional<hotline::day> on, bool explain) {
            py::gil_scoped_release nogil;
            return kb.match(query, {.k = k, .on = on, .explain = explain});
          },
          py::arg("query"), py::arg("k") = 5, py::arg("on") = py::none(), py::arg("explain") = false,
          "The entries that best answer the query, best first.")
      .def(
          "answer",
          [](const hotline::knowledge_base& kb, const std::string& query, std::size_t k,
             std::optional<hotline::day> on) {
            py::gil_scoped_release nogil;
            return kb.answer(query, {.k = k, .on = on, .explain = false});
          },
          py::arg("query"), py::arg("k") = 5, py::arg("on") = py::none())
      .def("classify", &hotline::knowledge_base::classify, py::arg("query"), py::call_guard<py::gil_scoped_release>())
      .def("normalize", &hotline::knowledge_base::normalize, py::arg("text"))
      .def_property("answer_threshold", &hotline::knowledge_base::answer_threshold,
                    &hotline::knowledge_base::set_answer_threshold,
                    "Confidence at or above which to answer now (default 0.5); must be in [0, 1].")
      .def("calibrate", &hotline::knowledge_base::calibrate, py::call_guard<py::gil_scoped_release>())
      .def("add_synonym",
           [](hotline::knowledge_base& kb, const std::string& variant, const std::string& canonical) {
             kb.add_synonyms({{variant, canonical}});
           },
           py::arg("variant"), py::arg("canonical"))
      .def("synonyms",
           [](const hotline::knowledge_base& kb) {
             std::vector<std::pair<std::string, std::string>> out;
             for (const auto& s : kb.synonyms()) out.emplace_back(s.variant, s.canonical);
             return out;
           })
      .def("load_synonyms", &hotline::knowledge_base::load_synonyms, py::arg("path"),
           py::call_guard<py::gil_scoped_release>())
      .def("import_file", &hotline::knowledge_base::import_file, py::arg("path"),
           py::call_guard<py::gil_scoped_release>(), "Import a .tsv, .csv or .json file, all or nothing.")
      .def(
          "import_text",
          [](hotline::knowledge_base& kb, const std::string& text, const std::string& format,
             const std::string& source) {
            hotline::import_format f;
            if (format == "tsv") f = hotline::import_format::tsv;
            else if (format == "csv") f = hotline::import_format::csv;
            else if (format == "json") f = hotline::import_format::json;
            else throw hotline::invalid_argument_error("format must be 'tsv', 'csv' or 'json'");
            py::gil_scoped_release nogil;
            return kb.import_text(text, f, source);
          },
          py::arg("text"), py::arg("format"), py::arg("source") = "")
      .def("save", &hotline::knowledge_base::save, py::arg("path"), py::call_guard<py::gil_scoped_release>());
  m.attr("KNOWLEDGE_MAX_QUERY_BYTES") = hotline::knowledge_base::max_query_bytes;
}

}  // namespace hotline::python
