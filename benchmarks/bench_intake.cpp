// bench_intake: the intake of issue 20 on the held-out rows of data/triage/corpus.tsv
// (rows no choice was tuned on): crisis recall and precision, service-line accuracy,
// out-of-scope precision, request-type accuracy, and classifications per second on one
// thread, each next to its target and next to a peer measured in the same run.
//
// The peer: multinomial naive Bayes over character unigrams and bigrams (Laplace
// smoothing), trained on the same train rows: the textbook baseline for short-text
// classification, written here so that both run on the same data and machine.
//
//   build/benchmarks/bench_intake
#include "bench_common.hpp"

#include <hotline/intake_classifier.hpp>
#include <hotline/knowledge.hpp>
#include <hotline/triage.hpp>

#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

using hotline::labelled_utterance;

// Code points of a UTF-8 string (the corpus is valid UTF-8; read_labelled_utterances checks).
std::u32string code_points(const std::string& s) {
  std::u32string out;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t v = n == 1 ? c : c & (0x7F >> n);
    for (int k = 1; k < n && i + static_cast<std::size_t>(k) < s.size(); ++k)
      v = (v << 6) | (static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]) & 0x3F);
    out.push_back(v);
    i += static_cast<std::size_t>(n);
  }
  return out;
}

// The peer: naive Bayes on character 1- and 2-grams, one head.
class naive_bayes {
 public:
  naive_bayes(const std::vector<labelled_utterance>& rows, bool line_head) {
    for (const auto& r : rows) {
      if (r.held_out) continue;
      const auto& y = line_head ? r.line : r.request_type;
      auto it = index_.try_emplace(y, labels_.size()).first;
      if (it->second == labels_.size()) {
        labels_.push_back(y);
        docs_.push_back(0);
        totals_.push_back(0);
      }
      const auto k = it->second;
      ++docs_[k];
      for (auto g : grams(r.text)) {
        auto& c = counts_[g];
        c.resize(labels_.size() + 32, 0);
        ++c[k];
        ++totals_[k];
      }
    }
    for (const auto& [g, c] : counts_) (void)g, ++vocab_;
    for (auto d : docs_) n_ += d;
  }
  const std::string& classify(const std::string& text) const {
    std::vector<double> s(labels_.size());
    for (std::size_t k = 0; k < s.size(); ++k) s[k] = std::log(static_cast<double>(docs_[k]) / n_);
    for (auto g : grams(text)) {
      const auto it = counts_.find(g);
      for (std::size_t k = 0; k < s.size(); ++k) {
        const double c = it == counts_.end() || k >= it->second.size() ? 0 : it->second[k];
        s[k] += std::log((c + 1) / (static_cast<double>(totals_[k]) + static_cast<double>(vocab_)));
      }
    }
    return labels_[static_cast<std::size_t>(std::max_element(s.begin(), s.end()) - s.begin())];
  }

 private:
  static std::vector<std::uint64_t> grams(const std::string& text) {
    const auto cp = code_points(text);
    std::vector<std::uint64_t> out;
    for (std::size_t i = 0; i < cp.size(); ++i) {
      out.push_back(cp[i]);
      if (i + 1 < cp.size()) out.push_back((static_cast<std::uint64_t>(cp[i]) << 32) | cp[i + 1]);
    }
    return out;
  }
  std::map<std::string, std::size_t> index_;
  std::vector<std::string> labels_;
  std::vector<std::size_t> docs_, totals_;
  std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> counts_;
  std::size_t vocab_ = 0;
  double n_ = 0;
};

const std::set<std::string> out_of_scope{"social-security", "consumer", "police", "medical-insurance",
                                         "medical-emergency"};

// The label of a guess as the corpus writes it: out of scope by its channel's name.
std::string label_of(const hotline::line_guess& g) { return g.line == "out-of-scope" ? g.topic : g.line; }

void row(const char* what, double ours, double peer, const char* target) {
  if (peer < 0)
    std::printf("  %-34s %8.3f  %8s  %s\n", what, ours, "-", target);
  else
    std::printf("  %-34s %8.3f  %8.3f  %s\n", what, ours, peer, target);
}

}  // namespace

int main() {
  std::printf("bench_intake: issue 20 on the held-out rows of data/triage/corpus.tsv\n");
  std::printf("machine: %s\n", hotline::bench::cpu_model().c_str());
  const auto rows = hotline::read_labelled_utterances(hotline::intake_classifier::builtin_corpus(), "corpus");
  std::vector<const labelled_utterance*> held;
  for (const auto& r : rows)
    if (r.held_out) held.push_back(&r);
  const double t_train = hotline::bench::best_seconds(1, [] { (void)hotline::intake_classifier::builtin(); });
  std::printf("rows: %zu (train %zu, held out %zu); the model trained at first use in %.2f s\n\n", rows.size(),
              rows.size() - held.size(), held.size(), t_train);

  const hotline::knowledge_base kb;  // the built-in service lines; no entries needed to place a call
  const naive_bayes nb_line(rows, true), nb_type(rows, false);

  std::size_t crisis_true = 0, crisis_hit = 0, crisis_flagged = 0;
  std::size_t line_ok = 0, type_ok = 0, oos_said = 0, oos_right = 0, unsure = 0;
  std::size_t model_oos_said = 0, model_oos_right = 0, any_oos_right = 0;
  // The corpus's fourth and fifth sets (bases 1486 on, data/triage/README.md) apart:
  // written with many calls on the border of two lines.
  std::size_t n4 = 0, line4 = 0, type4 = 0;
  std::size_t top_ok = 0, unsure_suggested = 0, suggestion_right = 0;  // the model's most probable line, before the decision (unsure, evidence)
  const auto& builtin = hotline::intake_classifier::builtin();
  std::size_t nb_line_ok = 0, nb_type_ok = 0, nb_oos_said = 0, nb_oos_right = 0;
  std::map<std::string, std::pair<int, int>> per_line;  // label -> (right, all)
  for (const auto* r : held) {
    const auto g = kb.classify(r->text);
    const bool is_crisis = !r->crisis.empty() && r->crisis != "none";
    crisis_true += is_crisis;
    crisis_flagged += g.triage.urgent;
    crisis_hit += is_crisis && g.triage.urgent;
    const auto l = label_of(g);
    line_ok += l == r->line;
    const auto top = builtin.classify(r->text);
    top_ok += top.readable && top.lines[0].label == r->line;
    auto& pl = per_line[r->line];
    pl.first += l == r->line;
    ++pl.second;
    type_ok += g.request_type == r->request_type;
    unsure += g.line == "unsure";
    if (g.line == "unsure" && !g.suggestion.empty()) {
      ++unsure_suggested;
      suggestion_right += g.suggestion == r->line;
    }
    if (g.line == "out-of-scope") {
      ++oos_said;
      oos_right += l == r->line;
      any_oos_right += out_of_scope.count(r->line);
      if (!g.triage.urgent) {  // the model's verdict, not a crisis route (120, 110)
        ++model_oos_said;
        model_oos_right += l == r->line;
      }
    }
    if (r->group > 1486) {
      ++n4;
      line4 += l == r->line;
      type4 += g.request_type == r->request_type;
    }
    const auto& nl = nb_line.classify(r->text);
    nb_line_ok += nl == r->line;
    nb_type_ok += nb_type.classify(r->text) == r->request_type;
    if (out_of_scope.count(nl)) {
      ++nb_oos_said;
      nb_oos_right += nl == r->line;
    }
  }
  const double n = static_cast<double>(held.size());
  auto ratio = [](std::size_t a, std::size_t b) { return b ? static_cast<double>(a) / static_cast<double>(b) : 1.0; };
  std::printf("  %-34s %8s  %8s  %s\n", "held-out figure", "hotline", "peer NB", "target (issue 20)");
  row("crisis recall (triage)", ratio(crisis_hit, crisis_true), -1, ">= 0.98");
  row("crisis precision (triage)", ratio(crisis_hit, crisis_flagged), -1, "reported");
  row("service-line accuracy", static_cast<double>(line_ok) / n, static_cast<double>(nb_line_ok) / n, ">= 0.90");
  row("  the model's top line, no decision", static_cast<double>(top_ok) / n, static_cast<double>(nb_line_ok) / n,
      "(like for like with the peer)");
  row("out-of-scope precision", ratio(oos_right, oos_said), ratio(nb_oos_right, nb_oos_said), ">= 0.95");
  row("request-type accuracy", static_cast<double>(type_ok) / n, static_cast<double>(nb_type_ok) / n, ">= 0.85");
  std::printf("  said out of scope: %zu of %zu (%zu by a crisis route); unsure: %zu\n", oos_said, held.size(),
              oos_said - model_oos_said, unsure);
  std::printf("  unsure with a suggestion for the agent: %zu; the suggestion is the right line: %.3f\n", unsure_suggested,
              ratio(suggestion_right, unsure_suggested));
  row("  out of scope, the model's verdicts", ratio(model_oos_right, model_oos_said), -1, "(crisis routes apart)");
  row("  out of scope, any channel right", ratio(any_oos_right, oos_said), -1, "(truly out of scope)");
  if (n4)
    std::printf("  fourth and fifth sets (%zu rows): line %.3f, request type %.3f; the first three: line %.3f, type %.3f\n", n4,
                static_cast<double>(line4) / static_cast<double>(n4), static_cast<double>(type4) / static_cast<double>(n4),
                static_cast<double>(line_ok - line4) / (n - static_cast<double>(n4)),
                static_cast<double>(type_ok - type4) / (n - static_cast<double>(n4)));
  std::printf("\n  per line (held out): right / rows\n");
  for (const auto& [label, c] : per_line) std::printf("    %-28s %3d / %3d\n", label.c_str(), c.first, c.second);

  // Throughput, one thread: every corpus row, best of 5.
  std::size_t sink = 0;
  const double t_kb = hotline::bench::best_seconds(5, [&] {
    for (const auto& r : rows) sink += kb.classify(r.text).line.size();
  });
  const auto& model = hotline::intake_classifier::builtin();
  const double t_model = hotline::bench::best_seconds(5, [&] {
    for (const auto& r : rows) sink += model.classify(r.text).lines.size();
  });
  const double t_nb = hotline::bench::best_seconds(5, [&] {
    for (const auto& r : rows) sink += nb_line.classify(r.text).size() + nb_type.classify(r.text).size();
  });
  const double m = static_cast<double>(rows.size());
  std::printf("\n  %-34s %10s  %10s  %s\n", "classifications / s, one thread", "hotline", "peer NB", "ratio");
  std::printf("  %-34s %10.0f  %10.0f  %.2fx   target >= 50,000\n", "knowledge_base::classify (all)", m / t_kb, m / t_nb,
              t_nb / t_kb);
  std::printf("  %-34s %10.0f  %10.0f  %.2fx\n", "intake_classifier::classify", m / t_model, m / t_nb, t_nb / t_model);

  // Bad input: the latency of the worst cases.
  const std::string mb(1 << 20, 'x');
  std::string han;
  while (han.size() < (1u << 20)) han += "我想问一下家庭医生签约的事情";
  for (const auto& [what, text] : std::vector<std::pair<const char*, std::string>>{
           {"1 MiB of ASCII", mb}, {"1 MiB of Han text", han}, {"emoji only", "😀😀😀🙏"}, {"digits only", "1232012320"}}) {
    const double t = hotline::bench::best_seconds(3, [&] { sink += kb.classify(text).line.size(); });
    std::printf("  %-20s %9.3f ms  -> %s\n", what, t * 1e3, kb.classify(text).line.c_str());
  }
  return sink == 0 ? 1 : 0;
}
