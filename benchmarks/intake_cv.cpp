// intake_cv: grouped k-fold cross-validation of the intake classifier on the `train`
// rows of data/triage/corpus.tsv. This is how the options, the lexicon and the
// thresholds of the decision were chosen (docs/triage.md "How the choices were made");
// it never reads a `held_out` row, so the held-out figures of bench_intake stay clean.
//
//   build/benchmarks/intake_cv [folds=4] [epochs] [learning_rate] [l2] [min_utterances] [calibration_folds]
//                              [marker_utterances] [marker_share] [naive_bayes_weight] [naive_bayes_smoothing]
//
// The folds are by base (the corpus id / 10), so the variants of one utterance never sit
// on both sides. The decision of knowledge_base::classify() is replayed on each fold's
// model (crisis first unless the model gives a cautious violence or emergency flag's line
// below 0.5 and prefers another, "unsure" yields to a close second, out of scope only on a word of
// the channel and probability >= 0.8, or a marker of it and >= 0.5), with the built-in lines' cue words found as
// substrings; the figures are those bench_intake prints for the held-out rows.
//
// Environment: INTAKE_CV_MARGIN, INTAKE_CV_OOS, INTAKE_CV_MARKER, INTAKE_CV_TAU (and INTAKE_CV_TAU_KINDS, the
// crisis kinds' numbers) try other thresholds; INTAKE_CV_FROM=<base> prints a later set's
// rows apart; INTAKE_CV_SCORE_BELOW=<base> trains on the rows from that base on in every
// fold and scores only the earlier ones (a new set compared like for like);
// INTAKE_CV_CORPUS=<file> reads a draft corpus instead of the compiled-in one;
// INTAKE_CV_DETAIL=1 prints the confusions, INTAKE_CV_ROWS=1 the missed rows,
// INTAKE_CV_DUMP=1 every scored row's guess and INTAKE_CV_SPEED=1 the built-in model's
// knowledge_base::classify() rate over the train rows.
#include <hotline/intake_classifier.hpp>
#include <hotline/knowledge.hpp>
#include <hotline/triage.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace {

// As src/knowledge_classify.cpp; INTAKE_CV_MARGIN and INTAKE_CV_OOS try others.
const double unsure_margin = std::getenv("INTAKE_CV_MARGIN") ? std::atof(std::getenv("INTAKE_CV_MARGIN")) : 0.3;
const double out_of_scope_min_probability = std::getenv("INTAKE_CV_OOS") ? std::atof(std::getenv("INTAKE_CV_OOS")) : 0.8;

std::string crisis_line(hotline::crisis_kind k) {
  switch (k) {
    case hotline::crisis_kind::suicide_self_harm: return "psychological-aid";
    case hotline::crisis_kind::violence: return "police";
    case hotline::crisis_kind::outbreak_mass_poisoning: return "public-health-emergency";
    case hotline::crisis_kind::medical_emergency: return "medical-emergency";
    default: return {};
  }
}

struct decision {
  std::string line;  // a line, a channel's name (out of scope) or "unsure"
  bool out_of_scope = false;
  bool crisis = false;  // the line came from triage
};

// Whether the text holds a word of `label`'s channel: a lexicon word of its group, or one
// of the built-in line's cue words (the evidence "out of scope only on evidence" asks for).
bool has_evidence(const std::string& text, const hotline::intake_guess& m, const hotline::service_line& l) {
  for (const auto& c : m.cues)
    if (c.group == l.name) return true;
  for (const auto& w : l.cues)
    if (text.find(w) != std::string::npos) return true;
  return false;
}

decision decide(const std::string& text, const hotline::intake_guess& m, const std::vector<hotline::service_line>& lines) {
  if (!m.readable) return {"unsure", false};
  auto p = [&](const std::string& l) {
    for (const auto& x : m.lines)
      if (x.label == l) return x.probability;
    return 0.0;
  };
  std::string label = crisis_line(m.triage.kind);
  if (m.triage.kind == hotline::crisis_kind::dangerous_exposure) label = p("hiv-vct") > p("animal-bite") ? "hiv-vct" : "animal-bite";
  static const double tau = std::getenv("INTAKE_CV_TAU") ? std::atof(std::getenv("INTAKE_CV_TAU")) : 0.5;
  static const std::string tau_kinds = std::getenv("INTAKE_CV_TAU_KINDS") ? std::getenv("INTAKE_CV_TAU_KINDS") : "24";  // as the library
  if (!label.empty() && tau > 0 && tau_kinds.find(static_cast<char>('0' + static_cast<int>(m.triage.kind))) != std::string::npos &&
      p(label) < tau && m.lines[0].label != label)
    label.clear();
  static const double tau_outbreak = std::getenv("INTAKE_CV_TAU_OUTBREAK") ? std::atof(std::getenv("INTAKE_CV_TAU_OUTBREAK")) : 0.1;  // as the library
  static const std::string outbreak_keep = std::getenv("INTAKE_CV_OUTBREAK_KEEP") ? std::getenv("INTAKE_CV_OUTBREAK_KEEP") : "health-knowledge,health-supervision,unsure";  // as the library
  if (m.triage.kind == hotline::crisis_kind::outbreak_mass_poisoning && p(label) < tau_outbreak && m.lines[0].label != label &&
      outbreak_keep.find(m.lines[0].label) == std::string::npos)
    label.clear();
  const bool crisis = !label.empty();
  if (!crisis) {
    label = m.lines[0].label;
    if (label == "unsure" && m.lines[1].probability >= unsure_margin * m.lines[0].probability) label = m.lines[1].label;
  }
  for (const auto& l : lines) {
    if (l.name != label || l.in_scope) continue;
    static const double marker_tau = std::getenv("INTAKE_CV_MARKER") ? std::atof(std::getenv("INTAKE_CV_MARKER")) : 0.5;  // as the library
    bool marked = false;
    for (const auto& k : m.markers) marked = marked || k.group == label;
    if (!crisis && !(marked && p(label) >= marker_tau) &&
        (!has_evidence(text, m, l) || p(label) < out_of_scope_min_probability))
      return {"unsure", false};
    return {label, true, crisis};
  }
  return {label, false, crisis};
}

}  // namespace

int main(int argc, char** argv) {
  const int folds = argc > 1 ? std::atoi(argv[1]) : 4;
  hotline::intake_training_options o;
  if (argc > 2) o.epochs = std::atoi(argv[2]);
  if (argc > 3) o.learning_rate = std::atof(argv[3]);
  if (argc > 4) o.l2 = std::atof(argv[4]);
  if (argc > 5) o.min_utterances = static_cast<std::size_t>(std::atoi(argv[5]));
  if (argc > 6) o.calibration_folds = std::atoi(argv[6]);
  if (argc > 7) o.marker_utterances = static_cast<std::size_t>(std::atoi(argv[7]));
  if (argc > 8) o.marker_share = std::atof(argv[8]);
  if (argc > 9) o.naive_bayes_weight = std::atof(argv[9]);
  if (argc > 10) o.naive_bayes_smoothing = std::atof(argv[10]);
  // INTAKE_CV_CORPUS=<file>: another corpus in the same format (a draft of a new set).
  std::string draft;
  if (const char* path = std::getenv("INTAKE_CV_CORPUS")) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "intake_cv: cannot read %s\n", path);
      return 1;
    }
    draft.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  const auto all = hotline::read_labelled_utterances(
      draft.empty() ? hotline::intake_classifier::builtin_corpus() : std::string_view(draft), "corpus");
  std::vector<hotline::labelled_utterance> rows;
  for (const auto& r : all)
    if (!r.held_out) rows.push_back(r);  // held-out rows are never read here
  const auto lines = hotline::knowledge_base::builtin_service_lines();
  std::size_t model_oos_said = 0, model_oos_right = 0;
  std::size_t n = 0, line_ok = 0, type_ok = 0, oos_said = 0, oos_right = 0, top_ok = 0;
  std::map<std::string, std::pair<int, int>> per_line;
  // INTAKE_CV_FROM=<base>: the figures of the rows from that base number on, apart (a set added later).
  const std::uint64_t from = std::getenv("INTAKE_CV_FROM") ? std::strtoull(std::getenv("INTAKE_CV_FROM"), nullptr, 10) : 0;
  std::size_t n_new = 0, line_new = 0, top_new = 0;
  // INTAKE_CV_SCORE_BELOW=<base>: rows from that base on are trained on in every fold but
  // never scored, so a set added later is compared like for like on the earlier rows.
  const std::uint64_t score_below = std::getenv("INTAKE_CV_SCORE_BELOW") ? std::strtoull(std::getenv("INTAKE_CV_SCORE_BELOW"), nullptr, 10) : 0;
  std::map<std::pair<std::string, std::string>, int> confusions, type_confusions;
  std::set<std::uint64_t> oos_bases;  // the bases behind the out-of-scope verdicts (variants of one are not independent)
  const auto t0 = std::chrono::steady_clock::now();
  for (int f = 0; f < folds; ++f) {
    auto train = rows;
    for (auto& r : train)
      r.held_out = static_cast<int>((r.group * 0x9e3779b97f4a7c15ULL >> 32) % static_cast<unsigned>(folds)) == f &&
                   !(score_below && r.group > score_below);
    const auto model = hotline::intake_classifier::train(train, o);
    for (const auto& r : train) {
      if (!r.held_out) continue;
      const auto g = model.classify(r.text);
      const auto d = decide(r.text, g, lines);
      ++n;
      line_ok += d.line == r.line;
      if (from && r.group >= from + 1) {
        ++n_new;
        line_new += d.line == r.line;
        top_new += g.readable && g.lines[0].label == r.line;
      }
      top_ok += g.readable && g.lines[0].label == r.line;
      type_ok += g.readable && g.request_types[0].label == r.request_type;
      auto& pl = per_line[r.line];
      pl.first += d.line == r.line;
      ++pl.second;
      if (d.line != r.line) ++confusions[{r.line, d.line}];
      if (g.readable && g.request_types[0].label != r.request_type) ++type_confusions[{r.request_type, g.request_types[0].label}];
      if (std::getenv("INTAKE_CV_DUMP") && g.readable) {
        bool ev = false;
        for (const auto& l : lines) ev = ev || (l.name == g.lines[0].label && has_evidence(r.text, g, l));
        std::printf("DUMP\t%s\t%s\t%s\t%.4f\t%s\t%.4f\t%d\t%d\t%s\t%s\t%s\n", r.line.c_str(), d.line.c_str(), g.lines[0].label.c_str(),
                    g.lines[0].probability, g.lines[1].label.c_str(), g.lines[1].probability, static_cast<int>(ev),
                    static_cast<int>(g.triage.kind), r.crisis.c_str(), r.request_type.c_str(), r.text.c_str());
      }
      if (std::getenv("INTAKE_CV_ROWS") && d.line != r.line)
        std::printf("ROW\t%s\t%s\t%s\n", r.line.c_str(), d.line.c_str(), r.text.c_str());
      if (d.out_of_scope) {
        oos_bases.insert(r.group);
        ++oos_said;
        oos_right += d.line == r.line;
        if (!d.crisis) {
          ++model_oos_said;
          model_oos_right += d.line == r.line;
        }
      }
    }
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const auto dn = static_cast<double>(n);
  std::printf("intake_cv: %d folds by base over %zu train rows (epochs %d, learning rate %g, l2 %g, min utterances %zu, "
              "naive Bayes %g / %g), %.1f s\n",
              folds, rows.size(), o.epochs, o.learning_rate, o.l2, o.min_utterances, o.naive_bayes_weight,
              o.naive_bayes_smoothing, secs);
  std::printf("  line accuracy (decision)   %.3f\n  line accuracy (model top)  %.3f\n", line_ok / dn, top_ok / dn);
  const double oos_p = oos_said ? static_cast<double>(oos_right) / static_cast<double>(oos_said) : 1.0;
  std::printf("  out-of-scope precision     %.3f  (%zu said)\n  request-type accuracy      %.3f\n", oos_p, oos_said,
              type_ok / dn);
  // The out-of-scope bars are the lowest at which the precision is at least 0.95 with 95 %
  // confidence (one-sided), a base (all its variants) counted as one observation.
  const double oos_bases_n = static_cast<double>(std::max<std::size_t>(oos_bases.size(), 1));
  std::printf("  out-of-scope precision, lower bound  %.3f  (one-sided 95 %%, %zu bases)\n",
              oos_p - 1.645 * std::sqrt(oos_p * (1 - oos_p) / oos_bases_n), oos_bases.size());
  std::printf("  out of scope by the model     %.3f  (%zu said; the rest came from a crisis)\n",
              model_oos_said ? static_cast<double>(model_oos_right) / static_cast<double>(model_oos_said) : 1.0,
              model_oos_said);
  if (n_new)
    std::printf("  from base %llu on: %zu rows, line %.3f (model top %.3f); before it: line %.3f\n",
                static_cast<unsigned long long>(from), n_new, static_cast<double>(line_new) / static_cast<double>(n_new),
                static_cast<double>(top_new) / static_cast<double>(n_new),
                static_cast<double>(line_ok - line_new) / static_cast<double>(n - n_new));
  if (std::getenv("INTAKE_CV_SPEED")) {  // (folds 0: this alone) the built-in model's classify() over the train rows, one thread, best of 3, processor time
    const hotline::knowledge_base kb;
    (void)kb.classify("预热");
    double best = 1e300;
    std::size_t sink = 0;
    for (int rep = 0; rep < (folds == 0 ? 20 : 3); ++rep) {
      const auto s0 = std::clock();  // processor time: the figure for comparing builds on a busy machine
      for (const auto& r : rows) sink += kb.classify(r.text).line.size();
      best = std::min(best, static_cast<double>(std::clock() - s0) / CLOCKS_PER_SEC);
    }
    std::printf("  knowledge_base::classify on the train rows: %.0f / s (%zu)\n", static_cast<double>(rows.size()) / best, sink % 2);
  }
  if (std::getenv("INTAKE_CV_DETAIL")) {
    for (const auto& [l, c] : per_line) std::printf("    %-28s %3d / %3d\n", l.c_str(), c.first, c.second);
    std::vector<std::pair<int, std::pair<std::string, std::string>>> worst;
    for (const auto& [k, c] : confusions) worst.emplace_back(c, k);
    std::sort(worst.rbegin(), worst.rend());
    for (std::size_t i = 0; i < worst.size() && i < 25; ++i)
      std::printf("    %3d  %s -> %s\n", worst[i].first, worst[i].second.first.c_str(), worst[i].second.second.c_str());
    std::printf("  request types: truth -> guess\n");
    for (const auto& [k, c] : type_confusions)
      if (c >= 5) std::printf("    %3d  %s -> %s\n", c, k.first.c_str(), k.second.c_str());
  }
  return 0;
}
