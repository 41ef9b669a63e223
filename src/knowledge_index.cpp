// The knowledge base's index (knowledge_base::impl, knowledge_impl.hpp):
// phrasings to terms and postings as entries come and go, and the derived
// statistics (IDF, length norms, per-posting scores, the category spread and
// topic characters) recomputed once after a change, never on the query path.
#include "knowledge_impl.hpp"

#include "knowledge_intents.hpp"

#include <algorithm>
#include <cmath>

namespace hotline {

using namespace detail::kb;

// --- text ------------------------------------------------------------------

std::vector<token> knowledge_base::impl::tokens(std::string_view text, word_dict* dict) const {
  std::vector<token> ts;
  tokenize(text, ts, dict);
  convert_numerals(ts, dict);
  return tidy(syn.apply_once(ts));
}

std::string knowledge_base::impl::token_text(token t) const {
  if (t == boundary) return " ";
  if (!is_word(t)) {
    std::string s;
    append_utf8(s, static_cast<char32_t>(t));
    return s;
  }
  const auto it = words.find(t);
  return it == words.end() ? std::string("?") : it->second;
}

std::string knowledge_base::impl::key_text(std::uint64_t k) const {
  if (is_word_key(k)) {
    const auto it = word_text.find(k);
    return it == word_text.end() ? std::string("?") : it->second;
  }
  const token a = static_cast<token>(k >> 32), b = static_cast<token>(k & 0xFFFFFFFFu);
  if (a == 0) return token_text(b);
  std::string s = token_text(a);
  if (is_word(a) && is_word(b)) s += ' ';
  return s + token_text(b);
}

// --- index -----------------------------------------------------------------

std::uint32_t knowledge_base::impl::add_phrasing(std::uint32_t entry, std::uint32_t index, const std::string& text, float field_w) {
  const auto ts = tokens(text, &words);
  std::vector<std::pair<std::uint32_t, std::uint16_t>> tf;
  float len = 0;
  features_ex(ts, [&](std::uint64_t k, float w) {
    std::uint32_t id = terms.find(k);
    if (id == term_map::npos) {
      id = static_cast<std::uint32_t>(postings.size());
      terms.insert(k, id);
      postings.emplace_back();
      df.push_back(0);
      term_w.push_back(w);
      term_key.push_back(k);
    }
    tf.emplace_back(id, 1);
    len += w;
  }, [&](std::uint64_t k, std::size_t b, std::size_t e) {
    if (word_text.count(k)) return;
    std::string t;
    for (std::size_t i = b; i < e; ++i) t += token_text(ts[i]);
    word_text.emplace(k, std::move(t));
  });
  std::sort(tf.begin(), tf.end());
  std::vector<std::pair<std::uint32_t, std::uint16_t>> merged;
  for (const auto& [id, n] : tf) {
    if (!merged.empty() && merged.back().first == id) {
      if (merged.back().second < 0xFFFF) ++merged.back().second;
    } else {
      merged.emplace_back(id, n);
    }
  }
  const auto doc = static_cast<std::uint32_t>(phr.size());
  const auto& ent = entries[entry].e;
  phrasing_rec r{entry, static_cast<std::uint32_t>(pterm.size()), static_cast<std::uint32_t>(merged.size()),
                 len, field_w, intents_of(ts), index, true,
                 ent.valid_from ? static_cast<std::int32_t>(ent.valid_from->time_since_epoch().count()) : INT32_MIN,
                 ent.valid_until ? static_cast<std::int32_t>(ent.valid_until->time_since_epoch().count()) : INT32_MAX};
  for (const auto& [id, n] : merged) {
    pterm.push_back(id);
    ptf.push_back(n);
    postings[id].push_back({doc, n});
    ++df[id];
  }
  phr.push_back(r);
  stale.store(true, std::memory_order_relaxed);
  ++alive;
  total_len += len;
  return doc;
}

void knowledge_base::impl::index_entry(std::uint32_t ei) {
  auto& rec = entries[ei];
  rec.phrasings.clear();
  if (rec.e.retired) return;
  std::uint32_t idx = 0;
  rec.phrasings.push_back(add_phrasing(ei, idx++, rec.e.question, 1.0f));
  for (const auto& s : rec.e.similar)
    if (!s.empty()) rec.phrasings.push_back(add_phrasing(ei, idx, s, 1.0f)), ++idx;
    else ++idx;
  if (!rec.e.keywords.empty()) {
    std::string kw;
    for (const auto& k : rec.e.keywords) kw += k + "，";
    rec.phrasings.push_back(add_phrasing(ei, idx, kw, 0.6f));
  }
  ++idx;
  if (!rec.e.answer.empty()) rec.phrasings.push_back(add_phrasing(ei, idx, rec.e.answer, 0.3f));
}

void knowledge_base::impl::unindex_entry(std::uint32_t ei) {
  for (auto d : entries[ei].phrasings) {
    auto& p = phr[d];
    if (!p.alive) continue;
    p.alive = false;
    for (std::uint32_t i = 0; i < p.term_count; ++i) --df[pterm[p.term_begin + i]];
    --alive;
    ++dead;
    stale.store(true, std::memory_order_relaxed);
    total_len -= p.len;
  }
  entries[ei].phrasings.clear();
  if (dead > 1024 && dead > alive) rebuild();
}

void knowledge_base::impl::rebuild() {
  phr.clear();
  pterm.clear();
  ptf.clear();
  postings.clear();
  df.clear();
  term_w.clear();
  term_key.clear();
  terms.clear();
  alive = dead = 0;
  total_len = 0;
  for (std::uint32_t i = 0; i < entries.size(); ++i) index_entry(i);
}

void knowledge_base::impl::set_synonyms_locked(std::vector<synonym> table) {
  syn_table = std::move(table);
  syn.build(syn_table, words);
  intent_cues.clear();
  for (const auto& d : intent_defs()) {
    std::vector<std::vector<token>> cues;
    for (const auto& c : d.cues) {
      std::string u8;
      for (char32_t ch : c) append_utf8(u8, ch);
      cues.push_back(tokens(u8, &words));
    }
    intent_cues.push_back(std::move(cues));
  }
  intent_first.clear();
  for (std::uint32_t i = 0; i < intent_cues.size(); ++i) {
    for (std::uint32_t c = 0; c < intent_cues[i].size(); ++c)
      if (!intent_cues[i][c].empty()) intent_first[intent_cues[i][c][0]].emplace_back(i, c);
  }
  set_lines_locked(lines);
  rebuild();
}

void knowledge_base::impl::set_lines_locked(std::vector<service_line> ls) {
  lines = std::move(ls);
  line_cues.clear();
  for (const auto& l : lines) {
    std::vector<std::vector<token>> cs;
    for (const auto& c : l.cues) {
      auto t = tokens(c, &words);
      if (!t.empty()) cs.push_back(std::move(t));
    }
    line_cues.push_back(std::move(cs));
  }
}

void knowledge_base::impl::fresh() const {
  if (!stale.load(std::memory_order_acquire)) return;
  std::lock_guard g(stats_mu);
  if (!stale.load(std::memory_order_relaxed)) return;
  idf_w.resize(df.size());
  idf_r.resize(df.size());
  term_cls.resize(df.size());
  for (std::size_t t = 0; t < df.size(); ++t) {
    const float i = idf(df[t]);
    idf_w[t] = i * term_w[t];
    idf_r[t] = std::pow(i, idf_power) * term_w[t];
    term_cls[t] = (term_key[t] >> 32) == 0 ? term_unigram | term_topic : 0;
  }
  damp_spread_terms();
  hot.resize(df.size());
  for (std::size_t t = 0; t < df.size(); ++t)
    hot[t] = {idf_r[t], idf_w[t],
              ((term_cls[t] & term_unigram) ? 1u : 0u) | ((term_cls[t] & term_topic) ? 1u << 16 : 0u)};
  idf_r_unseen = std::pow(idf(0), idf_power);
  idf_unseen = idf(0);
  avgdl = alive ? static_cast<float>(total_len / static_cast<double>(alive)) : 1.0f;
  kd.resize(phr.size());
  dcount.resize(phr.size());
  for (std::size_t d = 0; d < phr.size(); ++d) {
    const auto& p = phr[d];
    kd[d] = k1 * (1 - bm25_b + bm25_b * p.len / avgdl);
    float m = 0;
    std::uint32_t nu = 0, nt = 0;
    for (std::uint32_t j = 0; j < p.term_count; ++j) {
      const std::uint32_t id = pterm[p.term_begin + j];
      m += idf_w[id];
      nu += (term_cls[id] & term_unigram) != 0;
      nt += term_cls[id] == (term_unigram | term_topic);
    }
    nu = std::min<std::uint32_t>(nu, 0xFFFF);
    nt = std::min<std::uint32_t>(nt, 0xFFFF);
    dcount[d] = {static_cast<std::uint16_t>(nu), static_cast<std::uint16_t>(nt), nt ? 1.0f / static_cast<float>(nt) : 0.0f,
                 m, m > 0 ? 1.0f / m : 0.0f, kd[d], (k1 + 1) / (1 + kd[d])};
  }
  post_w.resize(postings.size());
  for (std::size_t t = 0; t < postings.size(); ++t) {
    auto& w = post_w[t];
    w.resize(postings[t].size());
    for (std::size_t i = 0; i < postings[t].size(); ++i) {
      const auto& pst = postings[t][i];
      const auto& p = phr[pst.doc];
      const float tf = static_cast<float>(pst.tf);
      w[i] = {pst.doc, p.alive ? idf_r[t] * tf * (k1 + 1) / (tf + kd[pst.doc]) * p.field_w : 0.0f};
    }
  }
  stale.store(false, std::memory_order_release);
}

void knowledge_base::impl::damp_spread_terms() const {
  std::unordered_map<std::string_view, std::uint32_t> cat_id;
  std::vector<std::uint32_t> doc_cat(phr.size());
  for (std::size_t d = 0; d < phr.size(); ++d) {
    if (!phr[d].alive) continue;
    const std::string_view c = entries[phr[d].entry].e.category;
    doc_cat[d] = cat_id.emplace(c, static_cast<std::uint32_t>(cat_id.size())).first->second;
  }
  topic_marks = cat_id.size() >= 2;
  if (!topic_marks) return;
  const double ln_c = std::log(static_cast<double>(cat_id.size()));
  std::vector<std::uint32_t> cnt(cat_id.size());
  for (std::size_t t = 0; t < postings.size(); ++t) {
    std::fill(cnt.begin(), cnt.end(), 0u);
    std::uint32_t n = 0;
    for (const auto& pst : postings[t])
      if (phr[pst.doc].alive) ++cnt[doc_cat[pst.doc]], ++n;
    if (n < 2) continue;
    double h = 0;
    for (const auto c : cnt)
      if (c > 0) {
        const double share = static_cast<double>(c) / n;
        h -= share * std::log(share);
      }
    idf_r[t] *= static_cast<float>(1.0 - spread_damp * std::pow(h / ln_c, spread_power));
    if (h / ln_c >= topic_spread_cut) term_cls[t] &= static_cast<std::uint8_t>(~term_topic);
  }
}

}  // namespace hotline
