// The service line of a question (001 §6, 000 art. 8): cue words and the
// vote of the base's confident hits; out of scope with the channel to tell
// the caller (000 art. 10).
#include "knowledge_impl.hpp"

#include <algorithm>

namespace hotline {

using namespace detail::kb;

namespace {
// Whether the cue's tokens occur in ts, in a row.
bool contains(const std::vector<token>& ts, const std::vector<token>& cue) {
  if (cue.empty() || cue.size() > ts.size()) return false;
  return std::search(ts.begin(), ts.end(), cue.begin(), cue.end()) != ts.end();
}
}  // namespace

line_guess knowledge_base::classify(std::string_view query) const {
  std::shared_lock lock(p_->mu);
  const auto& I = *p_;
  const auto ts = I.query_tokens(query);
  line_guess g;
  std::vector<double> score(I.lines.size(), 0.0);
  std::vector<std::vector<std::string>> cues(I.lines.size());
  for (std::size_t l = 0; l < I.lines.size(); ++l)
    for (std::size_t c = 0; c < I.line_cues[l].size(); ++c)
      if (contains(ts, I.line_cues[l][c])) {
        score[l] += 1.0 + 0.5 * static_cast<double>(I.line_cues[l][c].size() - 1);
        cues[l].push_back(I.lines[l].cues[c]);
      }
  // The base votes too: the categories of confident hits, when they name a line.
  const auto r = I.rank(ts, conf_depth, today_beijing());
  std::string topic;
  for (std::size_t i = 0; i < r.size(); ++i) {
    const auto& e = I.entries[I.phr[r[i].doc].entry].e;
    const double c = I.confidence(r, i);
    if (c < 0.5) continue;  // only answers the base is sure of vote
    for (std::size_t l = 0; l < I.lines.size(); ++l)
      if (I.lines[l].name == e.category) {
        score[l] += 2.0 * c;
        if (i == 0) topic = e.topic;
      }
  }
  std::size_t best = 0;
  double total = 0;
  for (std::size_t l = 0; l < score.size(); ++l) {
    total += score[l];
    if (score[l] > score[best]) best = l;
  }
  if (score.empty() || score[best] <= 0) {
    g.line = "out-of-scope";
    g.confidence = ts.empty() ? 1.0 : 0.5;
    g.channel = "";
    return g;
  }
  const auto& L = I.lines[best];
  g.line = L.in_scope ? L.name : "out-of-scope";
  if (!L.in_scope) g.topic = L.name;
  else g.topic = topic;
  // Share of the evidence, damped when the evidence is thin.
  g.confidence = (score[best] / total) * (score[best] / (score[best] + 0.5));
  g.channel = L.channel;
  g.cues = cues[best];
  return g;
}

answer_decision knowledge_base::answer(std::string_view query, const match_options& opts) const {
  answer_decision d;
  d.hits = match(query, opts);
  d.answer_now = !d.hits.empty() && d.hits[0].confidence >= threshold_;
  d.line = classify(query);
  return d;
}

}  // namespace hotline
