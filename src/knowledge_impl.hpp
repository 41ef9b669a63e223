// The knowledge base in memory (knowledge_base::impl): entries, the inverted
// index over their phrasings, the derived statistics, and the query path.
// Definitions: knowledge_index.cpp (the index and its statistics),
// knowledge_rank.cpp (ranking, confidence, hits), knowledge_calibrate.cpp,
// knowledge_classify.cpp; the public calls in knowledge_base.cpp; files and
// SQLite in knowledge_io.cpp, the built-in synonyms and service lines in
// knowledge_data.cpp.
//
// Matching in two stages:
//  1. candidates: BM25 (k1 1.2, b 0.75, terms weighed by IDF^0.6) accumulated
//     term-at-a-time over the query's selective terms (bigrams under 6%
//     document frequency, unigrams under 1%, at most 30,000 postings, always
//     the two rarest), from precomputed per-posting (phrasing, score) pairs;
//     the top max(16, 4k) phrasings go on (a term spread evenly over the
//     base's categories weighs less: see spread_damp);
//  2. exact scoring of those: the same BM25 over every query term (the query's
//     terms marked in a per-thread table, no merge), times 1.04 when both ask
//     the same type of question (intent cues), 0.95 when both ask different
//     ones, and times 1 - 0.2 x the share of the phrasing's topic characters
//     (see topic_spread_cut) the query lacks; the shares of the query's and of
//     the phrasing's (plain) IDF mass they have in common, and of their
//     distinct characters and topic characters, feed the confidence.  An entry
//     takes the score of its best phrasing.
// No allocation per posting; the per-thread scratch (stage-1 scores, which are
// all zero between queries, and the query-term marks) is shared by the bases
// a thread queries.
#pragma once

#include "hotline/knowledge.hpp"
#include "knowledge_params.hpp"
#include "knowledge_synonyms.hpp"
#include "knowledge_terms.hpp"
#include "knowledge_text.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace hotline {

namespace detail::kb {

inline day today_beijing() { return local_day(date::floor<seconds>(std::chrono::system_clock::now())); }

inline double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// A term of a query, with what stage 2 and the confidence read of it.
struct qterm {
  std::uint64_t key;
  std::uint32_t id;  // term_map::npos when not in the base
  float w;           // field weight of its kind
  float idf;
  float ridf;        // IDF^idf_power, for ranking
};

}  // namespace detail::kb

struct knowledge_base::impl {
  using token = detail::kb::token;
  using qterm = detail::kb::qterm;
  mutable std::shared_mutex mu;

  struct entry_rec {
    knowledge_entry e;
    std::vector<std::uint32_t> phrasings;
  };
  std::vector<entry_rec> entries;
  std::unordered_map<std::string, std::uint32_t> by_id;
  std::size_t active = 0;

  struct phrasing_rec {
    std::uint32_t entry;
    std::uint32_t term_begin;  // into pterm / ptf
    std::uint32_t term_count;
    float len;                 // BM25 document length (weighted term count)
    float field_w;             // field weight: question 1, similar 1, keywords .6, answer .3
    std::uint32_t intents;
    std::uint32_t index;       // which phrasing of its entry
    bool alive;
    std::int32_t from, until;  // the entry's validity (days since 1970, inclusive), for the hot path
  };
  std::vector<phrasing_rec> phr;
  std::vector<std::uint32_t> pterm;  // sorted term ids per phrasing
  std::vector<std::uint16_t> ptf;
  struct posting {
    std::uint32_t doc;
    std::uint32_t tf;
  };
  std::vector<std::vector<posting>> postings;
  std::vector<std::uint32_t> df;
  std::vector<float> term_w;        // kind weight of each term
  std::vector<std::uint64_t> term_key;
  detail::kb::term_map terms;
  std::size_t alive = 0, dead = 0;
  double total_len = 0;

  // Derived statistics, recomputed lazily after a change (see fresh()).
  mutable std::atomic<bool> stale{true};
  mutable std::mutex stats_mu;
  mutable std::vector<float> idf_w;  // per term: field-kind weight x IDF (coverage, confidence)
  mutable std::vector<float> idf_r;  // per term: field-kind weight x IDF^idf_power (ranking)
  mutable float idf_r_unseen = 0;
  mutable std::vector<float> kd;     // per phrasing: BM25 length norm k1 (1 - b + b len / avgdl)
  mutable std::vector<std::uint8_t> term_cls;  // per term: term_unigram | term_topic (see topic_spread_cut)
  // Stage 2's reads per matched term, side by side: idf_r, idf_w, and the
  // term's class as two counters in one word (1 for a unigram, 1 << 16 for a
  // topic character).
  struct term_hot {
    float r, w;
    std::uint32_t count;
  };
  mutable std::vector<term_hot> hot;
  // Per phrasing, what stage 2 reads of it besides phr: its distinct unigrams
  // and topic characters, IDF mass and length norm, and what it would otherwise
  // divide by.
  struct doc_counts {
    std::uint16_t uni, top;
    float inv_top;   // 1 / top (0 for none)
    float mass;      // sum of its terms' idf_w
    float inv_mass;  // 1 / mass (0 for none)
    float K;         // kd
    float sat1;      // BM25's tf part for tf 1: (k1 + 1) / (1 + kd)
  };
  mutable std::vector<doc_counts> dcount;
  mutable bool topic_marks = false;  // two categories or more: term_topic tells topic from other characters
  mutable float idf_unseen = 0;
  mutable float avgdl = 1;
  struct doc_weight {
    std::uint32_t doc;
    float w;
  };
  mutable std::vector<std::vector<doc_weight>> post_w;  // per posting: its phrasing and whole BM25 term score (0 when dead)

  detail::kb::word_dict words;
  std::unordered_map<std::uint64_t, std::string> word_text;  // ICU words of the base, for explain
  std::vector<synonym> syn_table;
  detail::kb::synonym_rules syn;
  std::vector<std::vector<std::vector<token>>> intent_cues;  // [intent][cue] tokens
  std::unordered_map<token, std::vector<std::pair<std::uint32_t, std::uint32_t>>> intent_first;  // first token -> (intent, cue)
  std::vector<service_line> lines;
  std::vector<std::vector<std::vector<token>>> line_cues;

  // Confidence: logistic regression over features (docs/knowledge.md).
  std::array<double, detail::kb::n_features + 1> coef{-4.0, 5.0, 3.0, 3.0, 0.8, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0};

  // --- text (knowledge_index.cpp) ------------------------------------------
  // Text to tokens: normalised, numerals converted, synonyms and fillers
  // applied; the text of word tokens goes into `dict` when given (`words` at
  // index time, for explanations).
  std::vector<token> tokens(std::string_view text, detail::kb::word_dict* dict = nullptr) const;
  std::string token_text(token t) const;
  std::string key_text(std::uint64_t k) const;
  // The question types whose cues occur in ts (cues looked up by their first token).
  std::uint32_t intents_of(const std::vector<token>& ts) const {
    std::uint32_t m = 0;
    for (std::size_t i = 0; i < ts.size(); ++i) {
      const auto it = intent_first.find(ts[i]);
      if (it == intent_first.end()) continue;
      for (const auto& [intent, cue] : it->second) {
        const auto& c = intent_cues[intent][cue];
        if ((m >> intent) & 1u || i + c.size() > ts.size()) continue;
        if (std::equal(c.begin(), c.end(), ts.begin() + static_cast<std::ptrdiff_t>(i))) m |= 1u << intent;
      }
    }
    return m;
  }

  // --- index (knowledge_index.cpp) -----------------------------------------
  std::uint32_t add_phrasing(std::uint32_t entry, std::uint32_t index, const std::string& text, float field_w);
  void index_entry(std::uint32_t ei);
  void unindex_entry(std::uint32_t ei);  // compacts when dead phrasings outnumber live ones
  void rebuild();
  void set_synonyms_locked(std::vector<synonym> table);
  void set_lines_locked(std::vector<service_line> ls);

  float idf(std::uint32_t d) const {
    const double n = static_cast<double>(alive);
    return static_cast<float>(std::log(1.0 + (n - d + 0.5) / (d + 0.5)));
  }
  // Brings the derived statistics up to date.  Readers hold the shared lock,
  // so changes (which set `stale` under the exclusive lock) cannot run at the
  // same time; concurrent readers serialise on stats_mu for the recompute only.
  void fresh() const;
  // Scales idf_r by the category spread of each term (see spread_damp), and
  // clears the topic mark of unigrams spread over the categories (see
  // topic_spread_cut).  Part of fresh(): runs once after a change, never on
  // the query path.
  void damp_spread_terms() const;

  // --- ranking (knowledge_rank.cpp) ----------------------------------------
  struct scored {
    std::uint32_t doc;
    float score;
    float bm25, cov_q, cov_d, unmatched_q, unmatched_d, selfn;
    std::uint32_t shared_intents;
    // Distinct characters (unigram terms) both sides have, and topic characters;
    // the query's counts of each (the phrasing's are in dcount).
    std::uint16_t shared_uni, shared_top, q_uni, q_top;
    bool intent_clash;
  };

  struct query_info {
    std::vector<qterm> qs;  // sorted by id, de-duplicated
    float qmass = 0, qself = 0;
    std::uint32_t intents = 0;
    std::size_t ntokens = 0;
    std::uint16_t nuni = 0, ntop = 0;  // distinct unigram terms; those that are topic characters (or unseen)
    float inv_mass = 0, inv_self = 0;  // 1 / qmass, 1 / qself (0 for none)
  };

  // Per thread, reused from query to query (knowledge_rank.cpp).
  struct scratch {
    std::vector<float> acc;  // per phrasing: stage-1 score, 0 outside a query
    std::uint32_t gen = 0;
    std::vector<std::uint32_t> touched;
    std::vector<std::uint32_t> mark;  // per term: gen when the query has it
    std::vector<const qterm*> order;  // stage 1's terms
    std::vector<scored> best;         // stage 2's phrasings
  };

  query_info prepare(const std::vector<token>& ts) const;
  // Stage 2: the exact score of one phrasing.
  // `mark[t] == gen` for the query's terms t (a table as large as the vocabulary).
  scored score_doc(const query_info& q, std::uint32_t doc, const std::uint32_t* mark, std::uint32_t gen) const;
  // All entries ranked for a token sequence; `exclude` an entry to leave out (calibration).
  std::vector<scored> rank(const std::vector<token>& ts, std::size_t k, day on,
                           std::uint32_t exclude = 0xFFFFFFFFu) const;

  std::array<double, detail::kb::n_features> feature_vector(const std::vector<scored>& r, std::size_t i) const;
  // The share of n distinct characters the other side lacks (0 for none).
  static double missing(std::uint32_t n, std::uint32_t shared);
  // How close the next hits come: the mean of their scores over this one's (0 for missing ones).
  static double crowding(const std::vector<scored>& r, std::size_t i);
  double confidence(const std::vector<scored>& r, std::size_t i) const;
  // conf0: the confidence of r[0] (no hit is surer than the first).
  knowledge_hit make_hit(const std::vector<scored>& r, std::size_t i, double conf0, const std::vector<token>& ts,
                         bool explain) const;
  // The query cut to max_query_bytes at a code point; invalid_argument_error
  // naming the byte offset of invalid UTF-8.
  static std::string_view checked_query(std::string_view query);
  // checked_query() as tokens.
  std::vector<token> query_tokens(std::string_view query) const;
};

}  // namespace hotline
