// knowledge_base::calibrate(): the confidence's logistic regression fitted to
// the base itself, on pseudo-queries made from its own phrasings, asked with
// and without their entry (docs/knowledge.md, "Confidence and the threshold").
#include "knowledge_impl.hpp"

#include <algorithm>
#include <random>

namespace hotline {

using namespace detail::kb;

std::size_t knowledge_base::calibrate() {
  std::unique_lock lock(p_->mu);
  auto& I = *p_;
  if (I.alive == 0) return 0;
  // Pseudo-queries from the base itself: each sampled entry is asked (a) with
  // another of its phrasings, or its own with a share of tokens dropped, while
  // it is in the base, and (b) the same question with the entry left out.  The
  // label is whether the top hit is the entry asked about.
  std::mt19937 rng(12320);
  I.fresh();  // pseudo_query reads the topic marks
  std::vector<std::uint32_t> ids;
  for (std::uint32_t i = 0; i < I.entries.size(); ++i)
    if (!I.entries[i].e.retired && !I.entries[i].phrasings.empty()) ids.push_back(i);
  std::shuffle(ids.begin(), ids.end(), rng);
  if (ids.size() > 3000) ids.resize(3000);
  const day on = today_beijing();
  // A pseudo-query for entry ei: another of its phrasings, or its question with
  // about drop_topic_pct % of its topic characters and drop_ask_pct % of its
  // other tokens dropped, and insert_ask_tokens other entries' characters put in.
  auto pseudo_query = [&](std::uint32_t ei) {
    const auto& e = I.entries[ei].e;
    std::vector<token> q;
    std::vector<std::string> texts{e.question};
    for (const auto& s : e.similar) texts.push_back(s);
    if (texts.size() >= 2) {
      q = I.tokens(texts[1 + rng() % (texts.size() - 1)]);
    } else {
      auto ts = I.tokens(e.question);
      for (auto t : ts) {
        const auto id = t == boundary ? term_map::npos : I.terms.find(uni_key(t));
        const bool topic = id != term_map::npos && (I.term_cls[id] & term_topic) != 0;
        if (rng() % 100 >= (!I.topic_marks ? drop_flat_pct : topic ? drop_topic_pct : drop_ask_pct)) q.push_back(t);
      }
      for (std::uint32_t k = 0; I.topic_marks && k < insert_ask_tokens; ++k) {
        const auto other = I.tokens(I.entries[ids[rng() % ids.size()]].e.question);
        if (other.empty()) continue;
        for (int tries = 0; tries < 8; ++tries) {  // a character that is not a topic one
          const token t = other[rng() % other.size()];
          const auto id = t == boundary ? term_map::npos : I.terms.find(uni_key(t));
          if (id == term_map::npos || (I.term_cls[id] & term_topic) != 0) continue;
          q.insert(q.begin() + static_cast<std::ptrdiff_t>(rng() % (q.size() + 1)), t);
          break;
        }
      }
      if (q.size() < 2) q = ts;
    }
    return q;
  };
  std::vector<std::array<double, n_features>> X;
  std::vector<double> y;
  for (auto ei : ids) {
    const auto& e = I.entries[ei].e;
    const auto q = pseudo_query(ei);
    const auto valid_day = e.valid_from ? *e.valid_from : on;
    auto with = I.rank(q, conf_depth, valid_day);
    if (!with.empty()) {
      X.push_back(I.feature_vector(with, 0));
      y.push_back(I.phr[with[0].doc].entry == ei ? 1.0 : 0.0);
    }
    auto without = I.rank(q, conf_depth, valid_day, ei);
    if (!without.empty()) {
      // An entry with the very same normalised question is a duplicate, not a miss.
      const auto& other = I.entries[I.phr[without[0].doc].entry].e;
      if (I.tokens(other.question) == I.tokens(e.question)) continue;
      X.push_back(I.feature_vector(without, 0));
      y.push_back(0.0);
    }
  }
  if (X.size() < 20) return X.size();
  // Logistic regression, L2 0.01, full-batch gradient descent.
  std::array<double, n_features + 1> w{};
  const double lr = 0.5, l2 = 0.01;
  for (int it = 0; it < 600; ++it) {
    std::array<double, n_features + 1> g{};
    for (std::size_t n = 0; n < X.size(); ++n) {
      double z = w[0];
      for (std::size_t j = 0; j < n_features; ++j) z += w[j + 1] * X[n][j];
      const double err = sigmoid(z) - y[n];
      g[0] += err;
      for (std::size_t j = 0; j < n_features; ++j) g[j + 1] += err * X[n][j];
    }
    for (std::size_t j = 0; j <= n_features; ++j) {
      g[j] /= static_cast<double>(X.size());
      if (j > 0) g[j] += l2 * w[j];
      w[j] -= lr * g[j];
    }
  }
  I.coef = w;
  return X.size();
}

}  // namespace hotline
