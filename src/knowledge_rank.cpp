// The query path (knowledge_base::impl, knowledge_impl.hpp): the query's
// terms, stage 1's candidates, stage 2's exact scores, the confidence
// features of the ranked list and the hits; match() and normalize().
#include "knowledge_impl.hpp"

#include "hotline/detail/utf8.hpp"
#include "hotline/error.hpp"
#include "knowledge_intents.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace hotline {

using namespace detail::kb;

auto knowledge_base::impl::prepare(const std::vector<token>& ts) const -> query_info {
  query_info q;
  q.ntokens = ts.size();
  q.intents = intents_of(ts);
  auto put = [&](std::uint64_t k, float w) {
    const auto id = terms.find(k);
    q.qs.push_back({k, id, w, id == term_map::npos ? idf_unseen : idf_w[id] / term_w[id],
                    id == term_map::npos ? idf_r_unseen : idf_r[id] / term_w[id]});
  };
  features(ts, put);
  std::sort(q.qs.begin(), q.qs.end(), [](const qterm& a, const qterm& b) { return a.key < b.key; });
  // The query's BM25 score against itself: the most any phrasing can share.
  float qlen = 0;
  for (const auto& t : q.qs) qlen += t.w;
  const float Kq = k1 * (1 - bm25_b + bm25_b * qlen / avgdl);
  std::size_t o = 0;
  for (std::size_t i = 0; i < q.qs.size();) {
    std::size_t j = i;
    while (j < q.qs.size() && q.qs[j].key == q.qs[i].key) ++j;
    const float tf = static_cast<float>(j - i);
    q.qself += q.qs[i].w * q.qs[i].ridf * tf * (k1 + 1) / (tf + Kq);
    q.qs[o++] = q.qs[i];
    i = j;
  }
  q.qs.resize(o);
  for (const auto& t : q.qs) {
    q.qmass += t.w * t.idf;
    if ((t.key >> 32) != 0) continue;
    ++q.nuni;
    q.ntop += t.id == term_map::npos || (term_cls[t.id] & term_topic) != 0;
  }
  q.inv_mass = q.qmass > 0 ? 1.0f / q.qmass : 0.0f;
  q.inv_self = q.qself > 0 ? 1.0f / q.qself : 0.0f;
  std::sort(q.qs.begin(), q.qs.end(), [](const qterm& a, const qterm& b) { return a.id < b.id; });
  return q;
}

// Inline: stage 2 calls it for every candidate (defined here, its only caller's file).
inline auto knowledge_base::impl::score_doc(const query_info& q, std::uint32_t doc, const std::uint32_t* mark, std::uint32_t gen) const -> scored {
  const auto& p = phr[doc];
  const doc_counts& dc = dcount[doc];
  const float K = dc.K;
  float bm = 0, matched = 0;
  std::uint32_t shared = 0;  // unigrams | topic characters << 16
  const std::uint32_t* dt = pterm.data() + p.term_begin;
  const std::uint16_t* dtf = ptf.data() + p.term_begin;
  for (std::uint32_t j = 0; j < p.term_count; ++j) {
    const std::uint32_t id = dt[j];
    if (mark[id] == gen) {
      const std::uint16_t tf = dtf[j];
      const term_hot& h = hot[id];
      bm += h.r * (tf == 1 ? dc.sat1 : static_cast<float>(tf) * (k1 + 1) / (static_cast<float>(tf) + K));
      matched += h.w;
      shared += h.count;
    }
  }
  const float dm = dc.mass;
  scored s{};
  s.doc = doc;
  s.bm25 = bm * p.field_w;
  s.cov_q = matched * q.inv_mass;  // reciprocals: 0 when the mass is
  s.cov_d = matched * dc.inv_mass;
  s.unmatched_q = std::max(0.0f, q.qmass - matched);
  s.unmatched_d = std::max(0.0f, dm - matched);
  s.selfn = s.bm25 * q.inv_self;
  s.shared_uni = static_cast<std::uint16_t>(std::min<std::uint32_t>(shared & 0xFFFFu, dc.uni));
  s.shared_top = static_cast<std::uint16_t>(std::min<std::uint32_t>(shared >> 16, dc.top));
  s.q_uni = q.nuni;
  s.q_top = q.ntop;
  s.shared_intents = q.intents & p.intents;
  s.intent_clash = q.intents != 0 && p.intents != 0 && s.shared_intents == 0;
  // Ranking: BM25, question-type agreement and the phrasing's topic
  // characters the query lacks.  (Scaling by the share of the phrasing's IDF
  // mass covered, cov_d, lowered top-1; cov_q and cov_d feed confidence.)
  float sc = s.bm25;
  if (s.shared_intents) sc *= intent_bonus;
  if (s.intent_clash) sc *= intent_clash_f;
  if (topic_marks) sc *= 1.0f - topic_miss_damp * static_cast<float>(dc.top - s.shared_top) * dc.inv_top;
  s.score = sc;
  return s;
}

auto knowledge_base::impl::rank(const std::vector<token>& ts, std::size_t k, day on, std::uint32_t exclude) const
    -> std::vector<scored> {
  std::vector<scored> out;
  if (ts.empty() || alive == 0 || k == 0) return out;
  fresh();
  const query_info q = prepare(ts);

  thread_local scratch sc;
  if (sc.acc.size() < phr.size()) {
    sc.acc.resize(phr.size(), 0.0f);
    sc.touched.resize(phr.size());  // room for every phrasing: nothing below throws before acc is reset
  }
  if (++sc.gen == 0) {
    std::fill(sc.mark.begin(), sc.mark.end(), 0);
    sc.gen = 1;
  }
  std::size_t nt = 0;  // phrasings touched: sc.touched[0, nt)
  if (sc.mark.size() < df.size()) sc.mark.resize(df.size(), 0);
  for (const auto& t : q.qs)
    if (t.id != term_map::npos) sc.mark[t.id] = sc.gen;
  // Stage 1: selective terms.
  auto& order = sc.order;
  order.clear();
  const std::size_t uni_cut = static_cast<std::size_t>(static_cast<float>(alive) * kn_unicut);
  for (const auto& t : q.qs)
    if (t.id != term_map::npos && df[t.id] > 0 && ((t.key >> 32) != 0 || df[t.id] <= uni_cut)) order.push_back(&t);
  std::sort(order.begin(), order.end(), [&](const qterm* a, const qterm* b) { return df[a->id] < df[b->id]; });
  // Rarest terms first; a term as common as 6% of the phrasings, or one past a
  // budget of postings, is left to stage 2 (the two rarest always count).
  const std::size_t cutoff = std::max<std::size_t>(64, static_cast<std::size_t>(static_cast<float>(alive) * kn_cut));
  const std::size_t budget = static_cast<std::size_t>(kn_budget);
  std::size_t spent = 0;
  for (std::size_t oi = 0; oi < order.size(); ++oi) {
    const auto& t = *order[oi];
    const std::size_t n = postings[t.id].size();
    if (oi >= 2 && (df[t.id] > cutoff || spent + n > budget)) break;
    spent += n;
    const doc_weight* pw = post_w[t.id].data();
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint32_t doc = pw[i].doc;
      const float v = pw[i].w;
      float& a = sc.acc[doc];
      if (a == 0) {
        if (v == 0) continue;  // a dead phrasing
        sc.touched[nt++] = doc;
      }
      a += v;
    }
  }
  std::uint32_t* const cand = sc.touched.data();
  const std::size_t keep = std::max(stage1_keep, k * 4);
  if (nt > keep)
    std::nth_element(cand, cand + keep, cand + nt, [&](std::uint32_t a, std::uint32_t b) { return sc.acc[a] > sc.acc[b]; });
  for (std::size_t i = 0; i < nt; ++i) sc.acc[cand[i]] = 0;  // all zero again for the next query
  const std::size_t ncand = std::min(nt, keep);
  // Stage 2: exact scores, best phrasing per entry, entries in force only.
  auto& best = sc.best;
  best.clear();
  const auto today = static_cast<std::int32_t>(on.time_since_epoch().count());
  for (std::size_t ci = 0; ci < ncand; ++ci) {
    const std::uint32_t d = cand[ci];
    const auto& p = phr[d];
    if (!p.alive || p.entry == exclude || today < p.from || today > p.until) continue;
    best.push_back(score_doc(q, d, sc.mark.data(), sc.gen));
  }
  std::sort(best.begin(), best.end(), [&](const scored& a, const scored& b) {
    if (a.score != b.score) return a.score > b.score;
    return phr[a.doc].entry < phr[b.doc].entry;
  });
  out.reserve(std::min(k, best.size()));
  for (const auto& s : best) {
    const auto e = phr[s.doc].entry;
    if (std::any_of(out.begin(), out.end(), [&](const scored& o) { return phr[o.doc].entry == e; })) continue;
    out.push_back(s);
    if (out.size() >= k) break;
  }
  return out;
}

auto knowledge_base::impl::feature_vector(const std::vector<scored>& r, std::size_t i) const -> std::array<double, n_features> {
  const auto& s = r[i];
  const doc_counts& dc = dcount[s.doc];
  const double next = i + 1 < r.size() ? r[i + 1].score : 0.0;
  const double top = r[0].score;
  return {s.cov_q, s.cov_d, std::sqrt(s.cov_q * s.cov_d), s.score > 0 ? (s.score - next) / s.score : 0.0,
          s.shared_intents ? 1.0 : 0.0, top > 0 ? s.score / top : 0.0, s.intent_clash ? 1.0 : 0.0,
          std::log1p(static_cast<double>(s.unmatched_q)) / 4.0, std::log1p(static_cast<double>(s.unmatched_d)) / 4.0,
          std::min(1.5, static_cast<double>(s.selfn)),
          i + 1 < r.size() ? std::min(1.5, static_cast<double>(s.selfn - r[i + 1].selfn)) : std::min(1.5, static_cast<double>(s.selfn)),
          crowding(r, i), missing(s.q_uni, s.shared_uni), missing(dc.uni, s.shared_uni), missing(s.q_top, s.shared_top),
          missing(dc.top, s.shared_top)};
}

double knowledge_base::impl::missing(std::uint32_t n, std::uint32_t shared) {
  return n ? static_cast<double>(n - shared) / static_cast<double>(n) : 0.0;
}

double knowledge_base::impl::crowding(const std::vector<scored>& r, std::size_t i) {
  if (r[i].score <= 0) return 0;
  double c = 0;
  for (std::size_t j = i + 1; j < i + conf_depth && j < r.size(); ++j) c += r[j].score / r[i].score;
  return c / static_cast<double>(conf_depth - 1);
}

double knowledge_base::impl::confidence(const std::vector<scored>& r, std::size_t i) const {
  const auto f = feature_vector(r, i);
  double z = coef[0];
  for (std::size_t j = 0; j < n_features; ++j) z += coef[j + 1] * f[j];
  return sigmoid(z);
}

knowledge_hit knowledge_base::impl::make_hit(const std::vector<scored>& r, std::size_t i, double conf0, const std::vector<token>& ts,
                       bool explain) const {
  const auto& s = r[i];
  const auto& p = phr[s.doc];
  const auto& e = entries[p.entry].e;
  knowledge_hit h;
  h.id = e.id;
  h.score = s.score;
  h.confidence = i == 0 ? conf0 : std::min(confidence(r, i), conf0);
  h.category = e.category;
  h.topic = e.topic;
  h.phrasing = p.index;
  const std::size_t ns = e.similar.size();
  if (p.index == 0) h.matched = e.question;
  else if (p.index <= ns) h.matched = e.similar[p.index - 1];
  else if (p.index == ns + 1) {
    for (const auto& k : e.keywords) h.matched += (h.matched.empty() ? "" : "，") + k;
  } else h.matched = e.answer;
  if (s.shared_intents) h.intent = intent_defs()[static_cast<std::size_t>(std::countr_zero(s.shared_intents))].name;
  if (explain) {
    const query_info q = prepare(ts);
    const float K = kd[s.doc];
    const float scale = s.bm25 > 0 ? s.score / s.bm25 : 0;
    std::size_t qi = 0;
    for (std::uint32_t j = 0; j < p.term_count; ++j) {
      const std::uint32_t id = pterm[p.term_begin + j];
      while (qi < q.qs.size() && q.qs[qi].id < id) ++qi;
      if (qi < q.qs.size() && q.qs[qi].id == id) {
        const float tf = ptf[p.term_begin + j];
        const float v = idf_r[id] * tf * (k1 + 1) / (tf + K) * p.field_w * scale;
        h.terms.push_back({key_text(term_key[id]), v});
      }
    }
    std::sort(h.terms.begin(), h.terms.end(),
              [](const term_contribution& a, const term_contribution& b) { return a.weight > b.weight; });
  }
  return h;
}

std::string_view knowledge_base::impl::checked_query(std::string_view query) {
  if (query.size() > max_query_bytes) {
    std::size_t cut = max_query_bytes;
    while (cut > 0 && (static_cast<unsigned char>(query[cut]) & 0xC0) == 0x80) --cut;
    query = query.substr(0, cut);
  }
  const auto off = detail::invalid_utf8_offset(query);
  if (off != std::string_view::npos)
    throw invalid_argument_error("query: invalid UTF-8 at byte " + std::to_string(off));
  return query;
}

std::vector<token> knowledge_base::impl::query_tokens(std::string_view query) const {
  return tokens(checked_query(query));
}

std::vector<knowledge_hit> knowledge_base::match(std::string_view query, const match_options& opts) const {
  const day on = opts.on ? *opts.on : today_beijing();
  std::shared_lock lock(p_->mu);
  const auto ts = p_->query_tokens(query);
  // The confidence reads the list to a fixed depth whatever k is.
  const auto r = opts.k == 0 ? std::vector<impl::scored>{} : p_->rank(ts, std::max(opts.k, conf_depth), on);
  std::vector<knowledge_hit> hits;
  hits.reserve(r.size());
  const double conf0 = r.empty() ? 0.0 : p_->confidence(r, 0);
  for (std::size_t i = 0; i < r.size() && i < opts.k; ++i) hits.push_back(p_->make_hit(r, i, conf0, ts, opts.explain));
  return hits;
}

std::string knowledge_base::normalize(std::string_view text) const {
  text = impl::checked_query(text);  // the same cut and checks as a query
  std::shared_lock lock(p_->mu);
  word_dict local;
  const auto ts = p_->tokens(text, &local);
  std::string out;
  for (std::size_t i = 0; i < ts.size(); ++i) {
    const bool sep = i > 0 && ts[i] != boundary && ts[i - 1] != boundary && (is_word(ts[i]) || is_word(ts[i - 1]));
    if (sep) out += ' ';
    if (ts[i] == boundary) {
      out += ' ';
    } else if (is_word(ts[i])) {
      const auto it = local.find(ts[i]);
      out += it != local.end() ? it->second : p_->token_text(ts[i]);
    } else {
      append_utf8(out, static_cast<char32_t>(ts[i]));
    }
  }
  return out;
}

}  // namespace hotline
