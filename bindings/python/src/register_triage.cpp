// Python bindings of crisis triage and the intake classifier (issue 20).
//
//   t = hotline.triage("我活着没什么意思了，不想活了")
//   t.kind, t.route, t.urgent, t.advice          # "suicide_self_harm", "psychological_crisis_line", True, "..."
//   g = hotline.IntakeClassifier.builtin().classify("诊所没有执照，天天给人打吊针")
//   g.lines[0].label, g.lines[0].probability     # "health-supervision", 0.9...
//
// Kinds and routes are strings (the names of hotline/triage.hpp).  classify() and
// triage() release the GIL; both only read shared data.
#include "bindings.hpp"
#include "hotline/intake_classifier.hpp"
#include "hotline/triage.hpp"

#include <pybind11/stl.h>

namespace py = pybind11;

namespace hotline::python {

void register_triage(py::module_& m) {
  py::class_<hotline::triage_result>(m, "TriageResult", "The verdict of triage(): crises first (issue 20).")
      .def_property_readonly("kind", [](const triage_result& t) { return std::string(to_string(t.kind)); },
                             "Crisis kind: 'none', 'suicide_self_harm', 'violence', 'medical_emergency', ...")
      .def_readonly("confidence", &triage_result::confidence,
                    "A crisis: its score in [threshold, 1]; none: how sure the absence is; 0 if unreadable.")
      .def_readonly("evidence", &triage_result::evidence,
                    "The cues of `kind` that matched, as written in the cue file.")
      .def_property_readonly("route", [](const triage_result& t) { return std::string(to_string(t.route)); },
                             "Where to route the call: 'none', 'emergency_120', 'psychological_crisis_line', ...")
      .def_readonly("urgent", &triage_result::urgent,
                    "True for any crisis (kind != 'none'): create or mark the work order urgent.")
      .def_readonly("line", &triage_result::line,
                    "Service line of the urgent order (\"psychological-aid\", \"animal-bite\", ...); empty if none.")
      .def_readonly("advice", &triage_result::advice, "What the agent tells the caller at once.")
      .def("__repr__", [](const triage_result& t) {
        return "TriageResult(" + std::string(to_string(t.kind)) + ", route=" + std::string(to_string(t.route)) +
               ", confidence=" + std::to_string(t.confidence) + ")";
      });
  m.def(
      "triage", [](std::string_view text) { return hotline::triage(text); }, py::arg("text"),
      py::call_guard<py::gil_scoped_release>(),
      "Crisis and urgency triage of what a caller says: suicide and self-harm, violence, outbreaks and mass "
      "poisonings, medical emergencies, dangerous exposures, each with its route. Never raises.");

  py::class_<label_probability>(m, "LabelProbability", "A label and its calibrated probability.")
      .def_readonly("label", &label_probability::label, "The label (a service line or a request type).")
      .def_readonly("probability", &label_probability::probability, "Its calibrated probability, in [0, 1].")
      .def("__repr__", [](const label_probability& l) {
        return "LabelProbability(" + py::repr(py::str(l.label)).cast<std::string>() + ", " +
               std::to_string(l.probability) + ")";
      });
  py::class_<intake_cue>(m, "IntakeCue",
                         "A word found in the text with its group: a lexicon word (or a crisis kind) in "
                         "IntakeGuess.cues, a marker and its line in IntakeGuess.markers.")
      .def_readonly("group", &intake_cue::group,
                    "The lexicon word group (e.g. \"police\"), a crisis kind, or the line a marker marks.")
      .def_readonly("word", &intake_cue::word,
                    "The word as written in data/triage/lexicon.tsv (a marker: the n-gram as the model reads it); "
                    "empty for a crisis kind.");
  py::class_<intake_guess>(m, "IntakeGuess", "What the intake model makes of one text, most probable first.")
      .def_readonly("readable", &intake_guess::readable,
                    "False when there was nothing the model can read: no content, or no n-gram, crisis or lexicon "
                    "word it knows (every label then has probability 0).")
      .def_readonly("lines", &intake_guess::lines,
                    "Every service line with its probability (LabelProbability), most probable first.")
      .def_readonly("request_types", &intake_guess::request_types,
                    "Every request type with its probability (LabelProbability), most probable first.")
      .def_readonly("evidence", &intake_guess::evidence,
                    "The text's n-grams that pushed lines[0] up the most, largest first (at most 8).")
      .def_readonly("cues", &intake_guess::cues,
                    "Positive evidence (IntakeCue): the crisis kind triage() names, then lexicon words found.")
      .def_readonly("markers", &intake_guess::markers,
                    "Words the training rows hold almost only in one line's calls (IntakeCue: group is the "
                    "line, word the 2- or 3-gram), one per line found, in the model's label order.");

  py::class_<intake_classifier>(m, "IntakeClassifier", R"pbdoc(
The service line and the request type of what a caller says, learned from labelled
utterances (docs/triage.md). builtin() is trained on the train rows of the corpus shipped
in data/triage/corpus.tsv; train() trains one on a centre's own labelled transcripts.
)pbdoc")
      .def_static("builtin", &intake_classifier::builtin, py::return_value_policy::reference,
                  py::call_guard<py::gil_scoped_release>())
      .def_static(
          "train",
          [](const std::string& tsv, int epochs, double learning_rate, double l2, int calibration_folds,
             std::uint64_t seed, std::size_t min_utterances, std::size_t marker_utterances, double marker_share,
             double naive_bayes_weight, double naive_bayes_smoothing) {
            const auto rows = read_labelled_utterances(tsv, "<tsv>");
            intake_training_options o;
            o.epochs = epochs;
            o.learning_rate = learning_rate;
            o.l2 = l2;
            o.calibration_folds = calibration_folds;
            o.seed = seed;
            o.min_utterances = min_utterances;
            o.marker_utterances = marker_utterances;
            o.marker_share = marker_share;
            o.naive_bayes_weight = naive_bayes_weight;
            o.naive_bayes_smoothing = naive_bayes_smoothing;
            py::gil_scoped_release release;
            return intake_classifier::train(rows, o);
          },
          py::arg("tsv"), py::kw_only(), py::arg("epochs") = intake_training_options{}.epochs,
          py::arg("learning_rate") = intake_training_options{}.learning_rate,
          py::arg("l2") = intake_training_options{}.l2,
          py::arg("calibration_folds") = intake_training_options{}.calibration_folds,
          py::arg("seed") = intake_training_options{}.seed,
          py::arg("min_utterances") = intake_training_options{}.min_utterances,
          py::arg("marker_utterances") = intake_training_options{}.marker_utterances,
          py::arg("marker_share") = intake_training_options{}.marker_share,
          py::arg("naive_bayes_weight") = intake_training_options{}.naive_bayes_weight,
          py::arg("naive_bayes_smoothing") = intake_training_options{}.naive_bayes_smoothing,
          "Trains on the rows of a TSV in the corpus format (text, line, request_type; split=held_out rows "
          "are skipped). An n-gram is a feature only when at least min_utterances utterances hold it (rows "
          "whose id / 10 is the same are variants of one). A 2- or 3-gram that at least marker_utterances "
          "utterances hold, at least marker_share of them of one line, is a marker of that line "
          "(IntakeGuess.markers; marker_share above 1: none). Naive Bayes's log-likelihoods, times "
          "naive_bayes_weight (0: none), are added to the regression's weights. ParseError names the line; "
          "InvalidArgumentError for unusable rows or options.")
      .def_static("builtin_corpus", [] { return std::string(intake_classifier::builtin_corpus()); },
                  "The corpus compiled into the library (data/triage/corpus.tsv).")
      .def("classify", &intake_classifier::classify, py::arg("text"), py::call_guard<py::gil_scoped_release>())
      .def_property_readonly("line_labels", &intake_classifier::line_labels,
                             "The service-line labels, in the model's order.")
      .def_property_readonly("request_type_labels", &intake_classifier::request_type_labels,
                             "The request-type labels, in the model's order.")
      .def_property_readonly("temperatures", &intake_classifier::temperatures,
                             "Fitted calibration temperatures (line head, request-type head); 1 without calibration.")
      .def_property_readonly("vocabulary_size", &intake_classifier::vocabulary_size,
                             "Distinct n-grams the model knows.");
}

}  // namespace hotline::python
