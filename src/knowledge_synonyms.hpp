// Synonyms, abbreviations and fillers as the matcher applies them: each
// variant read as its canonical form, longest variant first, left to right,
// on token sequences (docs/knowledge.md, "Synonyms").
#pragma once

#include "hotline/knowledge.hpp"
#include "knowledge_text.hpp"

#include <algorithm>
#include <string>
#include <unordered_map>
#include <vector>

namespace hotline::detail::kb {

struct synonym_rules {
  struct rule {
    std::vector<token> from, to;
  };
  std::unordered_map<token, std::vector<rule>> by_first;  // longest first

  void build(const std::vector<synonym>& table, word_dict& dict) {
    by_first.clear();
    for (const auto& s : table) {
      rule r;
      tokenize(s.variant, r.from, &dict);
      convert_numerals(r.from, &dict);
      tokenize(s.canonical, r.to, &dict);
      convert_numerals(r.to, &dict);
      if (r.from.empty()) continue;  // an identity rule stays: it shields a longer word (家医院 from 家医)
      if (std::find(r.from.begin(), r.from.end(), boundary) != r.from.end()) continue;
      by_first[r.from[0]].push_back(std::move(r));
    }
    for (auto& [k, v] : by_first)
      std::stable_sort(v.begin(), v.end(), [](const rule& a, const rule& b) { return a.from.size() > b.from.size(); });
    // Chains (a -> b, b -> c) resolve to the last word: apply the rules to each target.
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

}  // namespace hotline::detail::kb
