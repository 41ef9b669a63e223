// Text as the matcher reads it: ICU's NFKC with case folding and its
// Traditional-Simplified transliterator, run once per process over the Basic
// Multilingual Plane into a table (queries never call ICU on the hot path);
// tokens; Chinese numerals before a measure word; ICU's dictionary word breaks.
#include "knowledge_text.hpp"

#include <unicode/brkiter.h>
#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>

#include <memory>
#include <unordered_map>

namespace hotline::detail::kb {

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

// Any script's digit reads as the ASCII one (٣ and ３ as 3).
char32_t ascii_digit(char32_t c) {
  const int v = u_charDigitValue(static_cast<UChar32>(c));
  return v >= 0 && v <= 9 ? static_cast<char32_t>(U'0' + v) : c;
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
        if (ci.cls == cls_digit) ci.to = ascii_digit(cps[0]);
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

// The value of a Chinese numeral character, or -1.
int han_digit(token t) {
  switch (t) {
    case U'零': case U'〇': return 0;
    case U'一': return 1; case U'二': case U'两': return 2; case U'三': return 3;
    case U'四': return 4; case U'五': return 5; case U'六': return 6; case U'七': return 7;
    case U'八': return 8; case U'九': return 9; case U'十': return 10; case U'百': return 100;
    default: return -1;
  }
}

// A measure word a numeral counts (价 针 剂 次 岁 ...).
bool is_measure(token t) {
  static const std::u32string m = U"价针剂次岁个天周月年号期度粒片支颗倍级型种毫克斤位名例顿遍胎代";
  return !is_word(t) && t != boundary && m.find(static_cast<char32_t>(t)) != std::u32string::npos;
}

}  // namespace

void load_char_tables() { (void)tables(); }

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
          const auto k = classify_cp(static_cast<UChar32>(x));
          if (k == cls_digit) x = ascii_digit(x);
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

std::vector<token> tidy(std::vector<token> ts) {
  std::size_t o = 0;
  for (std::size_t i = 0; i < ts.size(); ++i) {
    if (ts[i] == boundary && (o == 0 || ts[o - 1] == boundary)) continue;
    ts[o++] = ts[i];
  }
  ts.resize(o);
  if (!ts.empty() && ts.back() == boundary) ts.pop_back();
  return ts;
}

void han_words(const std::vector<token>& ts, const std::function<void(std::size_t, std::size_t)>& f) {
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

}  // namespace hotline::detail::kb
