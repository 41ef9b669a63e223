// hotline/intake_classifier.hpp: the service line and the request type of what
// a caller says, learned from labelled utterances (issue 20).
//
//   const auto& m = hotline::intake_classifier::builtin();   // trained on data/triage/corpus.tsv
//   auto g = m.classify("我们小区门口的诊所好像没有执照，天天给人打吊针");
//   g.lines[0].label;          // "health-supervision"
//   g.lines[0].probability;    // calibrated: about how often such a guess is right
//   g.request_types[0].label;  // "report": pre-fills the work order, the agent confirms
//
// knowledge_base::classify() and answer() use it (with the base's own confident
// hits and the rule "out of scope only on evidence" below); most callers want those.
//
// Decided once, here:
//  * The model: two multinomial logistic regressions (service line, request type)
//    over the character 1-, 2- and 3-grams of the text as triage reads it
//    (simplified, half-width, lower case, ASCII digits; punctuation a boundary no
//    n-gram crosses), each utterance's n-grams counted once and scaled to unit
//    length, plus one feature per crisis kind that triage() fires.  Trained by
//    stochastic gradient descent with exact L2 regularisation, in a fixed order
//    (SplitMix64 from `seed`): the same corpus gives the same model, bit for bit,
//    on the same build.  Naive Bayes's log-likelihoods, fitted on the same rows, are
//    added to the weights (naive_bayes_weight): still one linear model.
//  * Calibration: one temperature per head, fitted on out-of-fold scores (k-fold
//    cross-validation over the training rows, variants of one utterance in one fold), so `probability` means what it says
//    on rows like the training ones.  tests/test_intake_classifier.cpp checks it on
//    the held-out rows (reliability by bins).
//  * builtin() is trained on the `train` rows of data/triage/corpus.tsv, compiled
//    into the library; the `held_out` rows are never seen by it nor by any choice of
//    the options' defaults (tuned by cross-validation on `train`: benchmarks/intake_cv.cpp).  It is trained on
//    first use (about four seconds on one core; call it at start-up to pay it early).
//    A centre with its own labelled transcripts trains its own with train().
//  * Text: at most max_classified_code_points of normalised text are read (a long
//    call says what it is about early; the cap keeps the latency budget for a
//    megabyte of input).  Text with nothing readable (empty, only digits, emoji,
//    punctuation or invalid bytes), or nothing the model knows (no n-gram of its
//    vocabulary, no crisis, no lexicon word: "xxxx"), gets no guess: `readable` is
//    false and every probability 0.
//  * Thread-safe: classify() only reads the model.
#pragma once

#include "hotline/error.hpp"
#include "hotline/triage.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace hotline {

/// One labelled caller utterance (a row of data/triage/corpus.tsv).
struct labelled_utterance {
  std::string text;
  std::string line;          ///< service line, "unsure", or an out-of-scope channel
  std::string request_type;  ///< consultation, complaint, report, help_request, praise, suggestion
  std::string crisis;        ///< crisis kind or "none" (not learned: triage() decides crises)
  bool held_out = false;     ///< the corpus's held-aside rows
  /// Rows with the same nonzero group are variants of one utterance and fall in the same
  /// calibration fold (else the fit sees a variant of each row and grows overconfident).
  /// The corpus's `id` column gives it: id / 10, the base (data/triage/README.md); 0: none.
  std::uint64_t group = 0;
};

/// A label and its calibrated probability.
struct label_probability {
  std::string label;
  double probability = 0;
};

/// A word group of the lexicon (or a crisis kind) and the word of it that the text holds.
struct intake_cue {
  std::string group;
  std::string word;  ///< as written in data/triage/lexicon.tsv; empty for a crisis kind
};

/// What the model makes of one text: every label of each head, most probable first.
struct intake_guess {
  bool readable = false;  ///< false: nothing the model can read; the lists hold every label at 0
  std::vector<label_probability> lines;
  std::vector<label_probability> request_types;
  /// The n-grams of the text that pushed lines[0] up the most, largest first (at most 8).
  std::vector<std::string> evidence;
  /// The positive evidence "out of scope only on evidence" asks for: the crisis kind
  /// triage() names ({"violence", ""}) first, then each word of data/triage/lexicon.tsv
  /// found in the text with its group ({"police", "报警"}), in that file's order.
  std::vector<intake_cue> cues;
  /// Words the training rows hold almost only in one line's calls ("markers"): for each line
  /// with such a word in the text, {line, the word}, in the order of the model's labels.  A
  /// marker is a character 2- or 3-gram that at least intake_training_options::marker_utterances
  /// utterances hold, at least marker_share of them labelled with that line: 医托, 监控 and
  /// 被偷 of the police.  knowledge_base::classify() reads a channel's marker as
  /// evidence of that channel, as it reads the lexicon's words (docs/triage.md).
  std::vector<intake_cue> markers;
  /// triage(text), read by the model as features: crises first, so callers need not run it again.
  triage_result triage;
};

/// Training options.  The defaults were chosen by cross-validation on the `train`
/// rows of the corpus (tools/triage_corpus/README or docs/triage.md).
struct intake_training_options {
  /// 15 epochs and no L2: with the corpus's 32,239 train rows, cross-validation gave 30
  /// epochs the same figures (±0.001) at twice the training time, and L2 1e-5 / 3e-6 / 0
  /// line 0.810 / 0.813 / 0.816 (docs/triage.md).
  int epochs = 15;
  double learning_rate = 1.0;   ///< at the first epoch; decays as 1 / (1 + epoch / 4)
  double l2 = 0;                ///< per-example L2 strength
  int calibration_folds = 3;    ///< 0 or 1: no calibration (temperature 1); 3: as good as 5 in cross-validation, 40 % faster
  std::uint64_t seed = 20;
  /// An n-gram is a feature only when at least this many utterances hold it (the variants
  /// of one utterance, by labelled_utterance::group, count once); 1 keeps every n-gram.
  std::size_t min_utterances = 2;
  /// The weight of naive Bayes's log-likelihoods added to the regression's weights (one
  /// linear model; 0: the regression alone) and its additive smoothing (docs/triage.md).
  double naive_bayes_weight = 0.7;
  double naive_bayes_smoothing = 0.1;
  /// A marker (intake_guess::markers) is an n-gram that at least this many utterances hold
  /// (variants counted once) ...
  std::size_t marker_utterances = 5;
  /// ... at least this share of them labelled with one line; above 1: no markers.
  double marker_share = 0.9;
};

/// Reads a corpus in the format of data/triage/corpus.tsv (header row with the columns
/// text, line, request_type and optionally id, split, crisis).  parse_error naming
/// `source`, the line and the field on a malformed row or invalid UTF-8.
std::vector<labelled_utterance> read_labelled_utterances(std::string_view tsv, const std::string& source = "<corpus>");

/// A trained classifier.
class intake_classifier {
 public:
  /// At most this many code points of normalised text are read.
  static constexpr std::size_t max_classified_code_points = 4096;

  /// Trains on every row of `rows` whose held_out is false.  invalid_argument_error when
  /// no row is left, a row has an empty line or request type, or a head has one label only.
  static intake_classifier train(const std::vector<labelled_utterance>& rows, const intake_training_options& opts = {});
  /// Trained (once per process, on first use) on the `train` rows of the corpus compiled in.
  static const intake_classifier& builtin();
  /// The corpus compiled into the library (data/triage/corpus.tsv, every row).
  static std::string_view builtin_corpus() noexcept;

  intake_classifier(intake_classifier&&) noexcept;
  intake_classifier& operator=(intake_classifier&&) noexcept;
  ~intake_classifier();

  /// Never throws for any text (invalid UTF-8 reads as boundaries).
  [[nodiscard]] intake_guess classify(std::string_view text) const;
  /// The labels of each head, in the model's order.
  [[nodiscard]] const std::vector<std::string>& line_labels() const noexcept;
  [[nodiscard]] const std::vector<std::string>& request_type_labels() const noexcept;
  /// The fitted temperatures (1 without calibration), line head then request-type head.
  [[nodiscard]] std::pair<double, double> temperatures() const noexcept;
  /// Distinct n-grams the model knows.
  [[nodiscard]] std::size_t vocabulary_size() const noexcept;

  struct impl;

 private:
  explicit intake_classifier(std::unique_ptr<impl> p);
  std::unique_ptr<impl> p_;
};

}  // namespace hotline
