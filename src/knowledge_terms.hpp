// The index's vocabulary: 64-bit keys of the terms (unigrams, bigrams, and the
// trigrams and ICU words that are off by default) and a small open-addressing
// map from keys to term ids.
#pragma once

#include "knowledge_params.hpp"
#include "knowledge_text.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace hotline::detail::kb {

class term_map {
 public:
  term_map() : keys_(1024, 0), vals_(1024, 0) {}
  std::uint32_t find(std::uint64_t k) const noexcept {
    std::size_t m = keys_.size() - 1, i = mix(k) & m;
    while (keys_[i] != 0) {
      if (keys_[i] == k) return vals_[i];
      i = (i + 1) & m;
    }
    return npos;
  }
  std::uint32_t insert(std::uint64_t k, std::uint32_t v) {
    if ((size_ + 1) * 2 > keys_.size()) grow();
    std::size_t m = keys_.size() - 1, i = mix(k) & m;
    while (keys_[i] != 0) {
      if (keys_[i] == k) return vals_[i];
      i = (i + 1) & m;
    }
    keys_[i] = k;
    vals_[i] = v;
    ++size_;
    return v;
  }
  void clear() {
    std::fill(keys_.begin(), keys_.end(), 0);
    size_ = 0;
  }
  static constexpr std::uint32_t npos = 0xFFFFFFFFu;

 private:
  static std::size_t mix(std::uint64_t k) noexcept {
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    return static_cast<std::size_t>(k);
  }
  void grow() {
    std::vector<std::uint64_t> ok;
    std::vector<std::uint32_t> ov;
    ok.swap(keys_);
    ov.swap(vals_);
    keys_.assign(ok.size() * 2, 0);
    vals_.assign(ok.size() * 2, 0);
    size_ = 0;
    for (std::size_t i = 0; i < ok.size(); ++i)
      if (ok[i] != 0) insert(ok[i], ov[i]);
  }
  std::vector<std::uint64_t> keys_;
  std::vector<std::uint32_t> vals_;
  std::size_t size_ = 0;
};

// Term keys: a unigram is its token; a bigram both tokens (never 0 in the high half).
inline std::uint64_t uni_key(token a) { return a; }
inline std::uint64_t bi_key(token a, token b) { return (std::uint64_t{a} << 32) | b; }
// A trigram: a hash, marked by the top bits 0x7FF (no bigram of code points or words has them).
inline std::uint64_t tri_key(token a, token b, token c) {
  std::uint64_t h = (std::uint64_t{a} * 0x9E3779B97F4A7C15ULL) ^ (std::uint64_t{b} * 0xC2B2AE3D27D4EB4FULL) ^
                    (std::uint64_t{c} * 0x165667B19E3779F9ULL);
  h ^= h >> 29;
  return (h & 0x001FFFFFFFFFFFFFULL) | 0x7FF0000000000000ULL;
}

// A word of several Han tokens: a hash marked by the top bits 0x7FE.
inline std::uint64_t word_key(const std::vector<token>& ts, std::size_t b, std::size_t e) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (std::size_t i = b; i < e; ++i) h = (h ^ ts[i]) * 0x100000001b3ULL;
  h ^= h >> 31;
  return (h & 0x001FFFFFFFFFFFFFULL) | 0x7FE0000000000000ULL;
}
inline bool is_word_key(std::uint64_t k) { return (k >> 53) == 0x3FF; }

// Calls f(key, kind weight) for each feature of a token sequence: unigrams
// and bigrams (not across a boundary), and (when w_word > 0) the words of two
// or more characters ICU's word break iterator finds in each run of Han
// characters, which on_word(key, begin, end) sees first.
template <class F, class G>
void features_ex(const std::vector<token>& ts, F&& f, G&& on_word) {
  for (std::size_t i = 0; i < ts.size(); ++i) {
    if (ts[i] == boundary) continue;
    f(uni_key(ts[i]), w_unigram);
    if (i + 1 < ts.size() && ts[i + 1] != boundary) {
      f(bi_key(ts[i], ts[i + 1]), w_bigram);
      if (w_trigram > 0 && i + 2 < ts.size() && ts[i + 2] != boundary) f(tri_key(ts[i], ts[i + 1], ts[i + 2]), w_trigram);
    }
  }
  if (w_word > 0)
    han_words(ts, [&](std::size_t b, std::size_t e) {
      const std::uint64_t k = word_key(ts, b, e);
      on_word(k, b, e);
      f(k, w_word);
    });
}

// features_ex without the word callback.
template <class F>
void features(const std::vector<token>& ts, F&& f) {
  features_ex(ts, f, [](std::uint64_t, std::size_t, std::size_t) {});
}

}  // namespace hotline::detail::kb
