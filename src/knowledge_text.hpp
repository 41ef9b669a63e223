// Text as the matcher reads it (docs/knowledge.md, "Normalisation"): tokens
// from normalised characters, Chinese numerals as Arabic ones, ICU's word
// breaks.  ICU stays inside knowledge_text.cpp; the index and the ranking see
// tokens only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace hotline::detail::kb {

// A Han character is its code point; a run of letters or of digits is a word
// token (FNV-1a hash with the top bit set, never a code point); 0 is a
// boundary (punctuation, space, symbols, emoji, control characters).
using token = std::uint32_t;
constexpr token boundary = 0;

inline token word_token(std::string_view w) {
  std::uint32_t h = 2166136261u;
  for (unsigned char ch : w) h = (h ^ ch) * 16777619u;
  return 0x80000000u | (h & 0x7FFFFFFFu);
}
inline bool is_word(token t) { return (t & 0x80000000u) != 0; }

// The text of each word token met, for explanations and normalize().
using word_dict = std::unordered_map<token, std::string>;

// Builds the per-process character table (ICU, about 0.1 s) now rather than
// on the first query.
void load_char_tables();

void append_utf8(std::string& out, char32_t c);

// Valid UTF-8 (checked before) to tokens: each code point read through the
// table (NFKC, case folding, traditional to simplified), Han characters as
// tokens, letter and digit runs as words (recorded in `dict` when given), one
// boundary for any run of the rest, none at either end.
void tokenize(std::string_view text, std::vector<token>& out, word_dict* dict);

// Chinese numerals before a measure word or after 第 become Arabic words
// (九价 -> 9价, 两个月 -> 2个月, 第三针 -> 第3针); 一直 stays.
void convert_numerals(std::vector<token>& ts, word_dict* dict);

// No boundary at either end or twice in a row (a removed filler leaves one).
std::vector<token> tidy(std::vector<token> ts);

// Calls f(begin, end) for each ICU dictionary word of two or more tokens
// within the runs of Han tokens of ts.
void han_words(const std::vector<token>& ts, const std::function<void(std::size_t, std::size_t)>& f);

}  // namespace hotline::detail::kb
