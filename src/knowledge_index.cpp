// The knowledge base in memory: text normalisation (ICU), the inverted index
// over character n-grams and words, two-stage ranking, confidence and the
// service-line classifier.  Files and SQLite are in knowledge_io.cpp, the
// built-in synonyms and service lines in knowledge_data.cpp.
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
#include "hotline/detail/utf8.hpp"
#include "hotline/error.hpp"
#include "hotline/knowledge.hpp"

#include <unicode/brkiter.h>
#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <numeric>
#include <random>
#include <shared_mutex>
#include <unordered_map>
#include <unordered_set>

namespace hotline {

namespace {

// ---------------------------------------------------------------------------
// Characters: one table for the Basic Multilingual Plane, built once per
// process from ICU: NFKC with case folding (full width to half width, case,
// compatibility forms), then the "Traditional-Simplified" transliterator on
// Han characters.  Hot paths read the table; ICU runs only at start-up.

enum char_class : std::uint8_t { cls_boundary = 0, cls_han = 1, cls_letter = 2, cls_digit = 3, cls_ignore = 4 };

struct char_info {
  char32_t to = 0;  // the code point it reads as (when multi == 0)
  std::uint8_t cls = cls_boundary;
  bool multi = false;  // reads as several code points: see char_tables::multi
};

std::uint8_t classify_cp(UChar32 c) {
  if (c <= 0) return cls_boundary;
  UErrorCode st = U_ZERO_ERROR;
  const UScriptCode sc = uscript_getScript(c, &st);
  if (U_SUCCESS(st) && sc == USCRIPT_HAN) return cls_han;
  const auto gc = u_charType(c);
  if (gc == U_NON_SPACING_MARK || gc == U_ENCLOSING_MARK || gc == U_FORMAT_CHAR) return cls_ignore;
  if (u_isdigit(c)) return cls_digit;
  if (u_isalpha(c)) return cls_letter;
  return cls_boundary;
}

struct char_tables {
  std::vector<char_info> bmp;
  std::unordered_map<char32_t, std::u32string> multi;
  std::string icu_status;  // empty when ICU gave everything

  char_tables() : bmp(0x10000) {
    UErrorCode st = U_ZERO_ERROR;
    const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCCasefoldInstance(st);
    if (U_FAILURE(st)) nfkc = nullptr;
    std::vector<icu::UnicodeString> folded(0x10000);
    for (UChar32 c = 0; c < 0x10000; ++c) {
      if (c >= 0xD800 && c <= 0xDFFF) continue;
      icu::UnicodeString s(c);
      if (nfkc) {
        UErrorCode e = U_ZERO_ERROR;
        icu::UnicodeString r = nfkc->normalize(s, e);
        if (U_SUCCESS(e)) s = r;
      }
      folded[static_cast<std::size_t>(c)] = s;
    }
    // Traditional to simplified, one Han character per line in one call.
    UErrorCode te = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> t2s(
        icu::Transliterator::createInstance("Traditional-Simplified", UTRANS_FORWARD, te));
    if (U_FAILURE(te) || !t2s) {
      icu_status = "ICU transliterator Traditional-Simplified unavailable";
    } else {
      std::vector<UChar32> hans;
      icu::UnicodeString batch;
      for (UChar32 c = 0x3400; c < 0x10000; ++c) {
        const auto& f = folded[static_cast<std::size_t>(c)];
        if (f.countChar32() == 1 && classify_cp(f.char32At(0)) == cls_han) {
          hans.push_back(c);
          batch.append(f).append(static_cast<UChar>(u'\n'));
        }
      }
      t2s->transliterate(batch);
      std::vector<icu::UnicodeString> parts;
      int32_t start = 0;
      for (int32_t i = 0; i < batch.length(); ++i)
        if (batch.charAt(i) == u'\n') {
          parts.emplace_back(batch, start, i - start);
          start = i + 1;
        }
      if (parts.size() == hans.size()) {
        for (std::size_t i = 0; i < hans.size(); ++i) folded[static_cast<std::size_t>(hans[i])] = parts[i];
      } else {  // a multi-character rule fired across lines: fall back to one call per character
        for (UChar32 c : hans) t2s->transliterate(folded[static_cast<std::size_t>(c)]);
      }
    }
    for (UChar32 c = 0; c < 0x10000; ++c) {
      auto& ci = bmp[static_cast<std::size_t>(c)];
      if (c >= 0xD800 && c <= 0xDFFF) continue;
      const auto& f = folded[static_cast<std::size_t>(c)];
      std::u32string cps;
      for (int32_t i = 0; i < f.length();) {
        const UChar32 x = f.char32At(i);
        i += U16_LENGTH(x);
        const auto k = classify_cp(x);
        if (k == cls_ignore) continue;
        cps.push_back(static_cast<char32_t>(x));
      }
      if (c < 0x20 || (c >= 0x7F && c < 0xA0)) cps.clear();  // control characters: a boundary
      if (cps.empty()) {
        ci.cls = (f.length() == 0 || classify_cp(c) == cls_ignore) ? cls_ignore : cls_boundary;
        if (c < 0x20 || (c >= 0x7F && c < 0xA0)) ci.cls = cls_boundary;
        continue;
      }
      if (cps.size() == 1) {
        ci.to = cps[0];
        ci.cls = classify_cp(static_cast<UChar32>(cps[0]));
        if (ci.cls == cls_digit) {  // any script's digit reads as the ASCII one
          const int v = u_charDigitValue(static_cast<UChar32>(cps[0]));
          if (v >= 0 && v <= 9) ci.to = static_cast<char32_t>(U'0' + v);
        }
      } else {
        ci.multi = true;
        ci.cls = cls_letter;  // resolved per code point when read
        multi.emplace(static_cast<char32_t>(c), cps);
      }
    }
  }
};

const char_tables& tables() {
  static const char_tables t;
  return t;
}

// ---------------------------------------------------------------------------
// Tokens: a Han character is its code point; a run of letters or of digits is
// a word token (FNV-1a hash with the top bit set, never a code point); 0 is a
// boundary (punctuation, space, symbols, emoji, control characters).

using token = std::uint32_t;
constexpr token boundary = 0;

token word_token(std::string_view w) {
  std::uint32_t h = 2166136261u;
  for (unsigned char ch : w) h = (h ^ ch) * 16777619u;
  return 0x80000000u | (h & 0x7FFFFFFFu);
}
bool is_word(token t) { return (t & 0x80000000u) != 0; }

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) out.push_back(static_cast<char>(c));
  else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (c >> 18)));
    out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

// Decodes valid UTF-8 (checked before).
char32_t next_cp(std::string_view s, std::size_t& i) {
  const auto b = static_cast<unsigned char>(s[i]);
  if (b < 0x80) { ++i; return b; }
  std::size_t len = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
  char32_t c = b & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
  for (std::size_t k = 1; k < len && i + k < s.size(); ++k) c = (c << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  i += len;
  return c;
}

using word_dict = std::unordered_map<token, std::string>;

// Text to tokens: normalised characters, letter and digit runs as words.
void tokenize(std::string_view text, std::vector<token>& out, word_dict* dict) {
  const auto& t = tables();
  std::string word;
  std::uint8_t word_cls = 0;
  auto flush = [&] {
    if (word.empty()) return;
    const token w = word_token(word);
    if (dict) dict->emplace(w, word);
    out.push_back(w);
    word.clear();
    word_cls = 0;
  };
  auto put = [&](char32_t c, std::uint8_t k) {
    if (k == cls_ignore) return;
    if (k == cls_letter || k == cls_digit) {
      if (word_cls != k) flush();
      word_cls = k;
      append_utf8(word, c);
      return;
    }
    flush();
    if (k == cls_han) out.push_back(static_cast<token>(c));
    else if (out.empty() || out.back() != boundary) out.push_back(boundary);
  };
  for (std::size_t i = 0; i < text.size();) {
    const char32_t c = next_cp(text, i);
    if (c < 0x10000) {
      const auto& ci = t.bmp[c];
      if (ci.multi) {
        for (char32_t x : t.multi.at(c)) {
          auto k = classify_cp(static_cast<UChar32>(x));
          if (k == cls_digit) {
            const int v = u_charDigitValue(static_cast<UChar32>(x));
            if (v >= 0 && v <= 9) x = static_cast<char32_t>(U'0' + v);
          }
          put(x, k);
        }
      } else {
        put(ci.to, ci.cls);
      }
    } else {
      const auto k = classify_cp(static_cast<UChar32>(c));  // Han extensions, emoji, ...
      put(c, k == cls_han ? cls_han : (k == cls_ignore ? cls_ignore : cls_boundary));
    }
  }
  flush();
  while (!out.empty() && out.back() == boundary) out.pop_back();
  if (!out.empty() && out.front() == boundary) out.erase(out.begin());
}

// Chinese numerals before a measure word (九价 -> 9价, 两个月 -> 2个月, 第三针 -> 第3针).
int han_digit(token t) {
  switch (t) {
    case U'零': case U'〇': return 0;
    case U'一': return 1; case U'二': case U'两': return 2; case U'三': return 3;
    case U'四': return 4; case U'五': return 5; case U'六': return 6; case U'七': return 7;
    case U'八': return 8; case U'九': return 9; case U'十': return 10; case U'百': return 100;
    default: return -1;
  }
}
bool is_measure(token t) {
  static const std::u32string m = U"价针剂次岁个天周月年号期度粒片支颗倍级型种毫克斤位名例顿遍胎代";
  return !is_word(t) && t != boundary && m.find(static_cast<char32_t>(t)) != std::u32string::npos;
}
void convert_numerals(std::vector<token>& ts, word_dict* dict) {
  std::vector<token> out;
  out.reserve(ts.size());
  for (std::size_t i = 0; i < ts.size();) {
    if (han_digit(ts[i]) < 0) { out.push_back(ts[i++]); continue; }
    std::size_t j = i;
    while (j < ts.size() && han_digit(ts[j]) >= 0) ++j;
    const bool after_di = i > 0 && ts[i - 1] == U'第';
    if ((j < ts.size() && is_measure(ts[j])) || after_di) {
      long value = 0, section = 0, digit = -1;
      bool ok = true;
      for (std::size_t k = i; k < j; ++k) {
        const int d = han_digit(ts[k]);
        if (d == 10 || d == 100) {
          section += (digit < 0 ? 1 : digit) * d;
          digit = -1;
        } else {
          if (digit >= 0) { ok = false; break; }  // 一二 is not a number
          digit = d;
        }
      }
      if (ok) {
        value = section + (digit < 0 ? 0 : digit);
        const std::string txt = std::to_string(value);
        const token w = word_token(txt);
        if (dict) dict->emplace(w, txt);
        out.push_back(w);
        i = j;
        continue;
      }
    }
    for (; i < j; ++i) out.push_back(ts[i]);
  }
  ts.swap(out);
}

// ---------------------------------------------------------------------------
// Synonyms: longest match first, left to right, on token sequences.

struct synonym_rules {
  struct rule {
    std::vector<token> from, to;
  };
  std::unordered_map<token, std::vector<rule>> by_first;  // longest first
  std::size_t max_len = 0;

  void build(const std::vector<synonym>& table, word_dict& dict) {
    by_first.clear();
    max_len = 0;
    std::unordered_map<std::string, std::size_t> seen;
    std::vector<rule> all;
    for (const auto& s : table) {
      rule r;
      tokenize(s.variant, r.from, &dict);
      convert_numerals(r.from, &dict);
      tokenize(s.canonical, r.to, &dict);
      convert_numerals(r.to, &dict);
      if (r.from.empty()) continue;  // an identity rule stays: it shields a longer word (家医院 from 家医)
      if (std::find(r.from.begin(), r.from.end(), boundary) != r.from.end()) continue;
      all.push_back(std::move(r));
    }
    // Chains (a -> b, b -> c) resolve to the last word: apply the rules to each target.
    for (auto& r : all) max_len = std::max(max_len, r.from.size());
    for (auto& r : all) by_first[r.from[0]].push_back(r);
    for (auto& [k, v] : by_first)
      std::stable_sort(v.begin(), v.end(), [](const rule& a, const rule& b) { return a.from.size() > b.from.size(); });
    for (int pass = 0; pass < 3; ++pass)
      for (auto& [k, v] : by_first)
        for (auto& r : v) {
          auto t = apply_once(r.to);
          if (t != r.from) r.to = std::move(t);
        }
  }

  std::vector<token> apply_once(const std::vector<token>& ts) const {
    if (by_first.empty()) return ts;
    std::vector<token> out;
    out.reserve(ts.size() + 4);
    for (std::size_t i = 0; i < ts.size();) {
      const auto it = by_first.find(ts[i]);
      bool done = false;
      if (it != by_first.end()) {
        for (const auto& r : it->second) {
          if (i + r.from.size() > ts.size()) continue;
          if (!std::equal(r.from.begin(), r.from.end(), ts.begin() + static_cast<std::ptrdiff_t>(i))) continue;
          out.insert(out.end(), r.to.begin(), r.to.end());
          i += r.from.size();
          done = true;
          break;
        }
      }
      if (!done) out.push_back(ts[i++]);
    }
    return out;
  }
};

// ---------------------------------------------------------------------------
// Question types (intent cues), from the language: what the caller asks about
// an object, not the object.  A phrasing may carry several.

struct intent_def {
  const char* name;
  std::vector<std::u32string> cues;
};
const std::vector<intent_def>& intent_defs() {
  static const std::vector<intent_def> d = {
      {"cost", {U"价格", U"费用", U"收费", U"贵", U"便宜", U"报销", U"免费", U"钱"}},
      {"where", {U"哪里", U"哪家", U"哪个医院", U"买到", U"买得到", U"购买", U"去哪", U"地址"}},
      {"how-many", {U"几针", U"几次", U"多少次", U"几天", U"多久", U"疗程", U"几个月", U"几年", U"几岁", U"多大"}},
      {"dosage", {U"用量", U"剂量", U"用法", U"吃多少", U"用多少", U"几粒", U"几片", U"一次吃", U"一天吃"}},
      {"why", {U"为什么", U"原因", U"引起", U"导致", U"怎么回事", U"诱因"}},
      {"side-effect", {U"副作用", U"危害", U"伤害", U"后遗症"}},
      {"symptom", {U"症状", U"感觉", U"会不会得", U"有什么表现"}},
      {"effect", {U"效果", U"有效", U"管用", U"见效", U"好用", U"疗效", U"功效", U"作用", U"主治", U"功能"}},
      {"diet", {U"饮食", U"忌口", U"食物", U"能吃什么", U"吃什么好", U"喝酒", U"水果", U"营养"}},
      {"contagious", {U"传染", U"遗传", U"隔离", U"传播"}},
      {"compare", {U"区别", U"哪个好", U"不同", U"一样吗", U"还是"}},
      {"when", {U"什么时候", U"何时", U"时间", U"多长时间", U"期限"}},
      {"can", {U"可以", U"是否", U"要不要", U"需要", U"必须"}},
      {"how", {U"怎么办", U"怎么治疗", U"治疗方法", U"治疗", U"怎么", U"方法"}},
      {"treat-drug", {U"吃什么药", U"药物", U"什么药"}},
      {"prevent", {U"预防", U"避免", U"防止"}},
      {"cure", {U"治好", U"根治", U"治愈", U"痊愈", U"好转", U"恢复"}},
      {"pregnancy", {U"孕期", U"孕妇", U"怀孕", U"哺乳期", U"备孕"}},
      {"child", {U"孩子", U"婴儿", U"新生儿"}},
      {"check", {U"检查", U"化验", U"拍片", U"确诊", U"诊断", U"ct"}},
      {"validity", {U"有效期", U"到期", U"续约", U"期满"}},
      {"signing", {U"签约", U"签", U"解约"}},
      {"material", {U"带什么", U"材料", U"证件", U"身份证"}},
  };
  return d;
}

// ---------------------------------------------------------------------------
// A small open-addressing map from 64-bit term keys to term ids.

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
std::uint64_t uni_key(token a) { return a; }
std::uint64_t bi_key(token a, token b) { return (std::uint64_t{a} << 32) | b; }
// A trigram: a hash, marked by the top bits 0x7FF (no bigram of code points or words has them).
std::uint64_t tri_key(token a, token b, token c) {
  std::uint64_t h = (std::uint64_t{a} * 0x9E3779B97F4A7C15ULL) ^ (std::uint64_t{b} * 0xC2B2AE3D27D4EB4FULL) ^
                    (std::uint64_t{c} * 0x165667B19E3779F9ULL);
  h ^= h >> 29;
  return (h & 0x001FFFFFFFFFFFFFULL) | 0x7FF0000000000000ULL;
}

// A word of several Han tokens: a hash marked by the top bits 0x7FE.
std::uint64_t word_key(const std::vector<token>& ts, std::size_t b, std::size_t e) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (std::size_t i = b; i < e; ++i) h = (h ^ ts[i]) * 0x100000001b3ULL;
  h ^= h >> 31;
  return (h & 0x001FFFFFFFFFFFFFULL) | 0x7FE0000000000000ULL;
}
bool is_word_key(std::uint64_t k) { return (k >> 53) == 0x3FF; }

// ICU's word break iterator (dictionary-based for Chinese), one per thread.
icu::BreakIterator* word_breaker() {
  thread_local std::unique_ptr<icu::BreakIterator> bi = [] {
    UErrorCode st = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> b(icu::BreakIterator::createWordInstance(icu::Locale::getChinese(), st));
    if (U_FAILURE(st)) b.reset();
    return b;
  }();
  return bi.get();
}

// Calls f(begin, end) for each ICU word of two or more tokens within the runs
// of Han tokens of ts.
template <class F>
void han_words(const std::vector<token>& ts, F&& f) {
  icu::BreakIterator* bi = nullptr;
  thread_local icu::UnicodeString u;
  thread_local std::vector<std::uint32_t> at;  // UTF-16 offset -> token index
  for (std::size_t i = 0; i < ts.size();) {
    if (ts[i] == boundary || is_word(ts[i])) { ++i; continue; }
    std::size_t j = i;
    while (j < ts.size() && ts[j] != boundary && !is_word(ts[j])) ++j;
    if (j - i >= 2) {
      if (!bi && !(bi = word_breaker())) return;
      u.remove();
      at.clear();
      for (std::size_t k = i; k < j; ++k) {
        at.push_back(static_cast<std::uint32_t>(k));
        if (ts[k] > 0xFFFF) at.push_back(static_cast<std::uint32_t>(k));
        u.append(static_cast<UChar32>(ts[k]));
      }
      at.push_back(static_cast<std::uint32_t>(j));
      bi->setText(u);
      std::int32_t a = bi->first();
      for (std::int32_t b = bi->next(); b != icu::BreakIterator::DONE; a = b, b = bi->next()) {
        const std::size_t ta = at[static_cast<std::size_t>(a)], tb = at[static_cast<std::size_t>(b)];
        if (tb - ta >= 2) f(ta, tb);
      }
    }
    i = j;
  }
}

struct qterm {
  std::uint64_t key;
  std::uint32_t id;  // term_map::npos when not in the base
  float w;           // field weight of its kind
  float idf;
  float ridf;        // IDF^idf_power, for ranking
};

// Ranking constants (docs/knowledge.md).  BM25 as usual; unigrams weigh 2
// against bigrams' 1 (paraphrases share characters more than pairs; 2 chosen on
// dev-A among 1.3 ... 2.5 once the category spread damping was in); stage 1
// keeps max(16, 4k) phrasings, leaves unigrams commoner than 1% and any term commoner
// than 6% of the phrasings to stage 2, and reads at most 30,000 postings.
constexpr float k1 = 1.2f, bm25_b = 0.75f;
// ICU words (w_word, ICU's dictionary word breaks at index and query time):
// measured on dev-A with IDF^0.6 at weight 1 (bigrams 0.7) they moved top-1 by
// +0.002, R@5 by +0.010 and AUROC by -0.006, and cost a quarter of the speed
// (ICU takes about 6 us a query; looking the base's ICU words up in the query
// instead cost 15% and lost top-1): off, kept one constant away.  Trigrams:
// off (they lowered top-1).  Skip bigrams (a_c) lowered top-1 too.
constexpr float w_unigram = 2.0f, w_bigram = 1.0f, w_trigram = 0.0f, w_word = 0.0f;
// Ranking weighs a term by IDF^0.6, flatter than BM25's IDF: question words
// (多少钱, 怎么办, 在哪) are common yet tell same-topic entries apart.  Chosen on
// dev-A among 0.3 ... 2 (0.6: top-1 +0.007, R@5 +0.005, AUROC -0.003 against 1).
// The coverage shares and unmatched masses of the confidence keep plain IDF.
constexpr float idf_power = 0.6f;
constexpr std::size_t stage1_keep = 16;
constexpr float kn_cut = 0.06f, kn_unicut = 0.01f, kn_budget = 30000;
// Question-type agreement: 1.08 / 0.9 until the topic characters came (below);
// with them, re-chosen on dev-A among 1.0 ... 1.12 and 0.85 ... 1.0: 1.04 / 0.95
// (top-1 0.697 -> 0.701, AUROC 0.771 -> 0.775; the topic scaling now does part
// of what the clash factor did).
constexpr float intent_bonus = 1.04f, intent_clash_f = 0.95f;
// Category spread: a term found evenly across the base's categories (service
// lines) says how a question is asked more than what it is about; its ranking
// weight is scaled by 1 - spread_damp * (H / ln C)^spread_power, H the entropy of
// its phrasings' categories, C the number of categories (no effect with one).
// Chosen on dev-A among damp -1 (a boost) ... 0.9 and power 0.5 ... 4: 0.5 and 3
// (top-1 +0.007 on dev-A, +0.016 on dev-B; a boost lowered top-1 by up to 0.02).
constexpr double spread_damp = 0.5, spread_power = 3.0;
// Topic characters: a unigram whose phrasings' categories have a normalised
// entropy H / ln C under topic_spread_cut (or that is in a single phrasing, or
// any unigram when the base has one category) names what a question is about
// (哮, 喘, 虾, 孕) rather than how it is asked.  Stage 2 scales a phrasing's score
// by 1 - topic_miss_damp x the share of its distinct topic characters the
// query lacks (an entry about something the caller did not name; not in a base
// of one category, where that would be every character: scaling by the share of
// all characters lowered dev-A top-1 by 0.004 to 0.010); the shares
// missing on each side, of all distinct characters and of topic characters, are
// confidence features.  Both chosen on dev-A: the cut among 0.1 ... 0.85 (AUROC
// 0.767 ... 0.770; 0.3 best), the damping among 0 ... 0.7 (top-1 0.693 at 0,
// 0.697 at 0.2, 0.687 at 0.7); penalising the query's missing topic characters
// or either side's missing non-topic ones lowered dev-A top-1.
constexpr double topic_spread_cut = 0.3;
constexpr float topic_miss_damp = 0.2f;
// Calibration: a pseudo-query of an entry without other phrasings is its
// question with tokens dropped and others put in.  A paraphrase keeps what a
// question is about and rewords how it is asked: topic characters (see
// topic_spread_cut) are dropped less often than the others, and
// insert_ask_tokens characters that are not topic ones, each from the question
// of a random entry, go in at random places.  Chosen on dev-A (the rule: the
// best AUROC that keeps answer-or-reject accuracy at the 0.5 threshold no lower
// than before, 0.548): drops among 0 ... 55 % and 40 ... 85 %, insertions among
// 0 ... 4.  One share of 55 % for all tokens, no insertion, before: AUROC 0.771
// with the new features; 15 / 70 % without insertion 0.778 but accuracy at 0.5
// 0.451 (pseudo-queries that only lose characters make real paraphrases, which
// also bring new ones, look unanswered); with 2 insertions 0.771 and 0.553 (all
// with the intent factors of the time, 1.08 / 0.9; 0.775 and 0.551 with today's).
// A base of one category has no topic marks to go by: 55 % of all tokens are
// dropped and none put in, as before.
constexpr std::uint32_t drop_topic_pct = 15, drop_ask_pct = 70, insert_ask_tokens = 2, drop_flat_pct = 55;

day today_beijing() {
  return local_day(date::floor<seconds>(std::chrono::system_clock::now()));
}

void check_text(std::string_view s, const char* field, const std::string& id) {
  const auto off = detail::invalid_utf8_offset(s);
  if (off != std::string_view::npos)
    throw invalid_argument_error("knowledge entry '" + id + "': field " + field + ": invalid UTF-8 at byte " +
                                 std::to_string(off));
}

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// Confidence features of a ranked list (see docs/knowledge.md).
constexpr std::size_t n_features = 16;
// How many hits the confidence features read (match() ranks at least this many).
constexpr std::size_t conf_depth = 5;
// Term classes (impl::term_cls): a unigram (one character or word token); a
// topic character (a unigram too).
constexpr std::uint8_t term_unigram = 1, term_topic = 2;

}  // namespace

// ===========================================================================

struct knowledge_base::impl {
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
  term_map terms;
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

  word_dict words;
  std::unordered_map<std::uint64_t, std::string> word_text;  // ICU words of the base, for explain
  std::vector<synonym> syn_table;
  synonym_rules syn;
  std::vector<std::vector<std::vector<token>>> intent_cues;  // [intent][cue] tokens
  std::unordered_map<token, std::vector<std::pair<std::uint32_t, std::uint32_t>>> intent_first;  // first token -> (intent, cue)
  std::vector<service_line> lines;
  std::vector<std::vector<std::vector<token>>> line_cues;

  // Confidence: logistic regression over features (docs/knowledge.md).
  std::array<double, n_features + 1> coef{-4.0, 5.0, 3.0, 3.0, 0.8, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0};

  // --- text --------------------------------------------------------------
  std::vector<token> to_tokens(std::string_view text, bool record) {
    std::vector<token> ts;
    tokenize(text, ts, record ? &words : nullptr);
    convert_numerals(ts, record ? &words : nullptr);
    return tidy(syn.apply_once(ts));
  }
  // No boundary at either end or twice in a row (a removed filler leaves one).
  static std::vector<token> tidy(std::vector<token> ts) {
    std::size_t o = 0;
    for (std::size_t i = 0; i < ts.size(); ++i) {
      if (ts[i] == boundary && (o == 0 || ts[o - 1] == boundary)) continue;
      ts[o++] = ts[i];
    }
    ts.resize(o);
    if (!ts.empty() && ts.back() == boundary) ts.pop_back();
    return ts;
  }
  std::vector<token> to_tokens_const(std::string_view text) const {
    std::vector<token> ts;
    tokenize(text, ts, nullptr);
    convert_numerals(ts, nullptr);
    return tidy(syn.apply_once(ts));
  }
  std::string token_text(token t) const {
    if (t == boundary) return " ";
    if (!is_word(t)) {
      std::string s;
      append_utf8(s, static_cast<char32_t>(t));
      return s;
    }
    const auto it = words.find(t);
    return it == words.end() ? std::string("?") : it->second;
  }
  std::string key_text(std::uint64_t k) const {
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

  static bool contains(const std::vector<token>& ts, const std::vector<token>& cue) {
    if (cue.empty() || cue.size() > ts.size()) return false;
    return std::search(ts.begin(), ts.end(), cue.begin(), cue.end()) != ts.end();
  }
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

  // Features of a token sequence: unigrams and bigrams (not across a boundary),
  // and the words of two or more characters ICU's word break iterator finds in
  // each run of Han characters.
  template <class F>
  static void features(const std::vector<token>& ts, F&& f) {
    features_ex(ts, f, [](std::uint64_t, std::size_t, std::size_t) {});
  }
  template <class F, class G>
  static void features_ex(const std::vector<token>& ts, F&& f, G&& on_word) {
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

  // --- index -------------------------------------------------------------
  std::uint32_t add_phrasing(std::uint32_t entry, std::uint32_t index, const std::string& text, float field_w) {
    const auto ts = to_tokens(text, true);
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

  void index_entry(std::uint32_t ei) {
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

  void unindex_entry(std::uint32_t ei) {
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

  void rebuild() {
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

  void set_synonyms_locked(std::vector<synonym> table) {
    syn_table = std::move(table);
    syn.build(syn_table, words);
    intent_cues.clear();
    for (const auto& d : intent_defs()) {
      std::vector<std::vector<token>> cues;
      for (const auto& c : d.cues) {
        std::string u8;
        for (char32_t ch : c) append_utf8(u8, ch);
        cues.push_back(to_tokens(u8, true));
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
  void set_lines_locked(std::vector<service_line> ls) {
    lines = std::move(ls);
    line_cues.clear();
    for (const auto& l : lines) {
      std::vector<std::vector<token>> cs;
      for (const auto& c : l.cues) {
        auto t = to_tokens(c, true);
        if (!t.empty()) cs.push_back(std::move(t));
      }
      line_cues.push_back(std::move(cs));
    }
  }

  // --- matching ------------------------------------------------------------
  float idf(std::uint32_t d) const {
    const double n = static_cast<double>(alive);
    return static_cast<float>(std::log(1.0 + (n - d + 0.5) / (d + 0.5)));
  }

  // Brings the derived statistics up to date.  Readers hold the shared lock,
  // so changes (which set `stale` under the exclusive lock) cannot run at the
  // same time; concurrent readers serialise on stats_mu for the recompute only.
  void fresh() const {
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

  // Scales idf_r by the category spread of each term (see spread_damp), and
  // clears the topic mark of unigrams spread over the categories (see
  // topic_spread_cut).  Part of fresh(): runs once after a change, never on
  // the query path.
  void damp_spread_terms() const {
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

  query_info prepare(const std::vector<token>& ts) const {
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

  // Stage 2: the exact score of one phrasing.
  // `mark[t] == gen` for the query's terms t (a table as large as the vocabulary).
  scored score_doc(const query_info& q, std::uint32_t doc, const std::uint32_t* mark, std::uint32_t gen) const {
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

  struct scratch {
    std::vector<float> acc;  // per phrasing: stage-1 score, 0 outside a query
    std::uint32_t gen = 0;
    std::vector<std::uint32_t> touched;
    std::vector<std::uint32_t> mark;  // per term: gen when the query has it
    std::vector<const qterm*> order;  // stage 1's terms, reused from query to query
    std::vector<scored> best;         // stage 2's phrasings, reused likewise
  };

  // All entries ranked for a token sequence; `exclude` an entry to leave out (calibration).
  std::vector<scored> rank(const std::vector<token>& ts, std::size_t k, day on,
                           std::uint32_t exclude = 0xFFFFFFFFu) const {
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

  std::array<double, n_features> feature_vector(const std::vector<scored>& r, std::size_t i) const {
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
  // The share of n distinct characters the other side lacks (0 for none).
  static double missing(std::uint32_t n, std::uint32_t shared) {
    return n ? static_cast<double>(n - shared) / static_cast<double>(n) : 0.0;
  }
  // How close the next hits come: the mean of their scores over this one's (0 for missing ones).
  static double crowding(const std::vector<scored>& r, std::size_t i) {
    if (r[i].score <= 0) return 0;
    double c = 0;
    for (std::size_t j = i + 1; j < i + conf_depth && j < r.size(); ++j) c += r[j].score / r[i].score;
    return c / static_cast<double>(conf_depth - 1);
  }
  double confidence(const std::vector<scored>& r, std::size_t i) const {
    const auto f = feature_vector(r, i);
    double z = coef[0];
    for (std::size_t j = 0; j < n_features; ++j) z += coef[j + 1] * f[j];
    return sigmoid(z);
  }

  // conf0: the confidence of r[0] (no hit is surer than the first).
  knowledge_hit make_hit(const std::vector<scored>& r, std::size_t i, double conf0, const std::vector<token>& ts,
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

  std::vector<token> query_tokens(std::string_view query) const {
    if (query.size() > max_query_bytes) {
      std::size_t cut = max_query_bytes;
      while (cut > 0 && (static_cast<unsigned char>(query[cut]) & 0xC0) == 0x80) --cut;
      query = query.substr(0, cut);
    }
    const auto off = detail::invalid_utf8_offset(query);
    if (off != std::string_view::npos)
      throw invalid_argument_error("query: invalid UTF-8 at byte " + std::to_string(off));
    return to_tokens_const(query);
  }
};

// ===========================================================================

knowledge_base::knowledge_base() : p_(std::make_unique<impl>()) {
  (void)tables();
  p_->lines = builtin_service_lines();
  p_->set_synonyms_locked(builtin_synonyms());
}
knowledge_base::~knowledge_base() = default;
knowledge_base::knowledge_base(knowledge_base&&) noexcept = default;
knowledge_base& knowledge_base::operator=(knowledge_base&&) noexcept = default;

namespace {
void validate(const knowledge_entry& e) {
  if (e.id.empty()) throw invalid_argument_error("knowledge entry: empty id");
  check_text(e.id, "id", "");
  for (unsigned char c : e.id)
    if (c < 0x20 || c == 0x7F) throw invalid_argument_error("knowledge entry '" + e.id + "': field id: control character");
  check_text(e.question, "question", e.id);
  if (e.question.empty()) throw invalid_argument_error("knowledge entry '" + e.id + "': field question: empty");
  for (const auto& s : e.similar) check_text(s, "similar", e.id);
  for (const auto& s : e.keywords) check_text(s, "keywords", e.id);
  check_text(e.answer, "answer", e.id);
  check_text(e.category, "category", e.id);
  check_text(e.topic, "topic", e.id);
  if (e.valid_from && e.valid_until && *e.valid_until < *e.valid_from)
    throw invalid_argument_error("knowledge entry '" + e.id + "': field valid_until: before valid_from");
}
}  // namespace

void knowledge_base::add(knowledge_entry e) {
  validate(e);
  std::unique_lock lock(p_->mu);
  if (p_->by_id.count(e.id)) throw conflict_error("knowledge entry '" + e.id + "' already exists");
  e.version = 1;
  e.retired = false;
  if (storage_) detail::storage_put(*storage_, e);
  const auto ei = static_cast<std::uint32_t>(p_->entries.size());
  p_->by_id.emplace(e.id, ei);
  p_->entries.push_back({std::move(e), {}});
  p_->index_entry(ei);
  ++p_->active;
}

void knowledge_base::update(knowledge_entry e, std::optional<std::int64_t> expected_version) {
  validate(e);
  std::unique_lock lock(p_->mu);
  const auto it = p_->by_id.find(e.id);
  if (it == p_->by_id.end()) throw not_found_error("knowledge entry '" + e.id + "' not found");
  auto& rec = p_->entries[it->second];
  if (expected_version && *expected_version != rec.e.version)
    throw conflict_error("knowledge entry '" + e.id + "': version " + std::to_string(rec.e.version) +
                         " stored, " + std::to_string(*expected_version) + " expected");
  e.version = rec.e.version + 1;
  const bool was_retired = rec.e.retired;
  e.retired = false;
  if (storage_) detail::storage_put(*storage_, e);
  const auto ei = it->second;
  p_->unindex_entry(ei);
  p_->entries[ei].e = std::move(e);
  p_->index_entry(ei);
  if (was_retired) ++p_->active;
}

void knowledge_base::upsert(knowledge_entry e) {
  bool exists;
  {
    std::shared_lock lock(p_->mu);
    exists = p_->by_id.count(e.id) != 0;
  }
  if (exists) update(std::move(e));
  else add(std::move(e));
}

void knowledge_base::retire(std::string_view id) {
  std::unique_lock lock(p_->mu);
  const auto it = p_->by_id.find(std::string(id));
  if (it == p_->by_id.end()) throw not_found_error("knowledge entry '" + std::string(id) + "' not found");
  auto& rec = p_->entries[it->second];
  if (rec.e.retired) return;
  knowledge_entry e = rec.e;
  e.retired = true;
  e.version += 1;
  if (storage_) detail::storage_put(*storage_, e);
  p_->unindex_entry(it->second);
  p_->entries[it->second].e = std::move(e);
  --p_->active;
}

std::optional<knowledge_entry> knowledge_base::get(std::string_view id) const {
  std::shared_lock lock(p_->mu);
  const auto it = p_->by_id.find(std::string(id));
  if (it == p_->by_id.end()) return std::nullopt;
  return p_->entries[it->second].e;
}

std::size_t knowledge_base::size() const {
  std::shared_lock lock(p_->mu);
  return p_->active;
}

std::vector<knowledge_entry> knowledge_base::entries() const {
  std::shared_lock lock(p_->mu);
  std::vector<knowledge_entry> out;
  out.reserve(p_->entries.size());
  for (const auto& r : p_->entries) out.push_back(r.e);
  return out;
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
  std::shared_lock lock(p_->mu);
  (void)p_->query_tokens(text);  // the same checks and cut as a query
  if (text.size() > max_query_bytes) {
    std::size_t cut = max_query_bytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    text = text.substr(0, cut);
  }
  word_dict local;
  std::vector<token> ts;
  tokenize(text, ts, &local);
  convert_numerals(ts, &local);
  ts = impl::tidy(p_->syn.apply_once(ts));
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

void knowledge_base::set_answer_threshold(double t) {
  if (!(t >= 0.0 && t <= 1.0)) throw invalid_argument_error("answer threshold must be within [0, 1]");
  threshold_ = t;
}

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
      q = I.to_tokens_const(texts[1 + rng() % (texts.size() - 1)]);
    } else {
      auto ts = I.to_tokens_const(e.question);
      for (auto t : ts) {
        const auto id = t == boundary ? term_map::npos : I.terms.find(uni_key(t));
        const bool topic = id != term_map::npos && (I.term_cls[id] & term_topic) != 0;
        if (rng() % 100 >= (!I.topic_marks ? drop_flat_pct : topic ? drop_topic_pct : drop_ask_pct)) q.push_back(t);
      }
      for (std::uint32_t k = 0; I.topic_marks && k < insert_ask_tokens; ++k) {
        const auto other = I.to_tokens_const(I.entries[ids[rng() % ids.size()]].e.question);
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
      if (I.to_tokens_const(other.question) == I.to_tokens_const(e.question)) continue;
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

void knowledge_base::restore(std::vector<knowledge_entry> es, std::optional<std::vector<synonym>> table) {
  std::unique_lock lock(p_->mu);
  auto& I = *p_;
  I.entries.clear();
  I.by_id.clear();
  I.active = 0;
  for (auto& e : es) {
    validate(e);
    if (I.by_id.count(e.id)) throw conflict_error("knowledge entry '" + e.id + "' stored twice");
    I.by_id.emplace(e.id, static_cast<std::uint32_t>(I.entries.size()));
    if (!e.retired) ++I.active;
    I.entries.push_back({std::move(e), {}});
  }
  if (table) I.set_synonyms_locked(std::move(*table));  // re-indexes
  else I.rebuild();
}

// ---- synonyms and lines -----------------------------------------------------

void knowledge_base::set_synonyms(std::vector<synonym> table) {
  for (const auto& s : table) {
    check_text(s.variant, "variant", "synonym");
    check_text(s.canonical, "canonical", "synonym");
  }
  std::unique_lock lock(p_->mu);
  p_->set_synonyms_locked(std::move(table));
  if (storage_) detail::storage_put_synonyms(*storage_, p_->syn_table);
}

void knowledge_base::add_synonyms(const std::vector<synonym>& table) {
  std::vector<synonym> all = synonyms();
  all.insert(all.end(), table.begin(), table.end());
  set_synonyms(std::move(all));
}

std::vector<synonym> knowledge_base::synonyms() const {
  std::shared_lock lock(p_->mu);
  return p_->syn_table;
}

void knowledge_base::set_service_lines(std::vector<service_line> lines) {
  std::unique_lock lock(p_->mu);
  p_->set_lines_locked(std::move(lines));
}

const std::vector<service_line>& knowledge_base::service_lines() const noexcept { return p_->lines; }

// ---- classification ---------------------------------------------------------

line_guess knowledge_base::classify(std::string_view query) const {
  std::shared_lock lock(p_->mu);
  const auto& I = *p_;
  const auto ts = I.query_tokens(query);
  line_guess g;
  std::vector<double> score(I.lines.size(), 0.0);
  std::vector<std::vector<std::string>> cues(I.lines.size());
  for (std::size_t l = 0; l < I.lines.size(); ++l)
    for (std::size_t c = 0; c < I.line_cues[l].size(); ++c)
      if (impl::contains(ts, I.line_cues[l][c])) {
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
