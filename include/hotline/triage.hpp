// hotline/triage.hpp: crisis and urgency triage of what a caller says, run
// before anything else (answer(), classify(), the work order): on a 12320 line
// a missed crisis or a missed outbreak report is the worst error the library
// can make (issue 20).
//
//   auto t = hotline::triage("我活着没什么意思了，不想活了");
//   if (t.urgent) {                       // t.kind == crisis_kind::suicide_self_harm
//     say(t.advice);                      // route: psychological_crisis_line
//     order.urgency = hotline::urgency::urgent;   // store.on_urgent() then notifies (000 art. 10)
//   }
//
// Decided once, here:
//  * Recall first.  An over-cautious flag costs an agent a few seconds; a miss
//    is a defect.  On the held-out rows of data/triage/corpus.tsv crisis recall
//    is at least 0.98 (tests/test_triage.cpp fails below it; precision is printed).
//  * Kinds and routes:
//      suicide_self_harm        -> psychological_crisis_line (心理援助热线的危机干预, 001 §6)
//      violence                 -> urgent_work_order, advice: call 110
//      outbreak_mass_poisoning  -> cdc_emergency_report_line (突发公共卫生事件举报热线, 001 §2)
//      medical_emergency        -> emergency_120
//      dangerous_exposure       -> urgent_work_order on animal-bite or hiv-vct
//    When several kinds fire, `kind` is the first in that order (intent over
//    symptom: an overdose taken to die is suicide_self_harm), but `route` is
//    emergency_120 whenever medical_emergency fires too: life first.
//  * The cues are data (data/triage/crisis_cues.json; a copy is compiled in and
//    used by triage(text)).  A cue pattern is normalised like the text; "(a|b)"
//    lists alternatives and "*" is a gap of at most max_gap characters.  Each
//    kind's score is the noisy-or of its matched cue weights; boosters (刚才,
//    突然, 冷汗 ...) join the noisy-or only when the kind already has a cue; the
//    result is then multiplied by each matched damper (general or past-tense
//    questions: 流程, 培训, 电视剧, 前几年 ...).  A kind fires at `threshold` (0.5).
//  * Text is read as the knowledge base reads it (docs/knowledge.md,
//    "Normalisation"): ICU NFKC with case folding and Traditional-Simplified, so
//    full-width and traditional characters match simplified cues.  Punctuation,
//    emoji and symbols are boundaries; a gap may cross one.
//  * Hard negatives are masks: a cue may not overlap 笑死, 饿死, 累死, 打疫苗,
//    打针, 打电话, 想死你 ...  A cue directly after 不/没/别 (不想死), or with
//    没有/不是/从没 ... within negation_window characters before it in the same
//    clause, counts negation_factor (0.3) of its weight.  For outbreak, medical
//    emergency and exposure, a cue after 如果/万一/一般 in the same clause counts
//    hypothetical_factor (0.3): "如果被狗咬了怎么办" asks about policy.
//  * Outbreaks need no keyword: a symptom (吐, 拉肚子, 发烧, 疹 ...) with a group
//    (好多, 一群, 全班 ...) or a spoken or written count of at least min_count
//    people (七八个, 十几个, 三十多个, 二十几个, 12 个, 几户) fires at weight_group;
//    a symptom with a collective place (学校, 食堂, 工地 ...) and a plural
//    marker (都, 们, 一起) fires at weight_place.  A count needs a measure word
//    (个 名 位 人 户 家 口 桌) not followed by a time unit (三个月 is no crowd).
//  * confidence: for a crisis, its kind's score in [threshold, 1]; for none,
//    how sure the absence is: (1 - the highest score) scaled down for very short
//    text (full at four or more Han characters or words).  Text with nothing
//    readable (empty, only digits, emoji, punctuation or invalid bytes) is none
//    with confidence 0: not a guess.
//  * Invalid UTF-8 bytes read as boundaries, not as an error: a transcript with
//    one bad byte that says 不想活了 is still a crisis.
//  * Latency: one pass over the text with cues indexed by first character.  A
//    corpus utterance takes about 5 us (Release, one thread, 2026-12: about
//    190,000 a second); a 1 MiB text about 45 ms.  Input past max_text_bytes
//    (1 MiB) is not read: a crisis said after the first MiB is missed.
//    The first call in a process builds the character table (about 0.1 s, shared
//    with knowledge_base); call triage_cues::builtin() at start-up to pay it early.
//  * Thread-safe: triage() only reads the cues.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace hotline {

/// What kind of crisis a caller's words point at; none when no kind fires.
enum class crisis_kind : std::uint8_t {
  none,
  suicide_self_harm,
  violence,
  outbreak_mass_poisoning,
  medical_emergency,
  dangerous_exposure
};

/// Where the call goes at once.
enum class triage_route : std::uint8_t {
  none,
  emergency_120,              ///< 120 ambulance
  psychological_crisis_line,  ///< the psychological aid line's crisis intervention (001 §6)
  cdc_emergency_report_line,  ///< 突发公共卫生事件举报热线 of the CDC (001 §2)
  urgent_work_order           ///< an urgent work order on `line` (000 art. 10), with `advice`
};

constexpr std::string_view to_string(crisis_kind k) noexcept {
  switch (k) {
    case crisis_kind::none: return "none";
    case crisis_kind::suicide_self_harm: return "suicide_self_harm";
    case crisis_kind::violence: return "violence";
    case crisis_kind::outbreak_mass_poisoning: return "outbreak_mass_poisoning";
    case crisis_kind::medical_emergency: return "medical_emergency";
    case crisis_kind::dangerous_exposure: return "dangerous_exposure";
  }
  return "none";
}

constexpr std::string_view to_string(triage_route r) noexcept {
  switch (r) {
    case triage_route::none: return "none";
    case triage_route::emergency_120: return "emergency_120";
    case triage_route::psychological_crisis_line: return "psychological_crisis_line";
    case triage_route::cdc_emergency_report_line: return "cdc_emergency_report_line";
    case triage_route::urgent_work_order: return "urgent_work_order";
  }
  return "none";
}

/// The crisis kind named by `s` ("violence"), or none for anything else.
constexpr crisis_kind parse_crisis_kind(std::string_view s) noexcept {
  for (auto k : {crisis_kind::suicide_self_harm, crisis_kind::violence, crisis_kind::outbreak_mass_poisoning,
                 crisis_kind::medical_emergency, crisis_kind::dangerous_exposure})
    if (to_string(k) == s) return k;
  return crisis_kind::none;
}

/// The verdict of triage().
struct triage_result {
  crisis_kind kind = crisis_kind::none;
  double confidence = 0;              ///< see the header comment; 0 for unreadable text
  std::vector<std::string> evidence;  ///< the cues of `kind` that matched, as written in the cue file
  triage_route route = triage_route::none;
  bool urgent = false;                ///< kind != none: create or mark the work order urgent
  std::string line;                   ///< the service line of the urgent order ("psychological-aid", "animal-bite", ...)
  std::string advice;                 ///< what the agent tells the caller at once
};

namespace detail::triage_impl {

inline constexpr std::size_t kind_count = 6;

/// One compiled alternative of a pattern: parts joined by gaps.
struct pattern {
  std::vector<std::u32string> parts;
};

struct cue {
  std::string text;          ///< as written in the cue file (evidence)
  std::vector<pattern> alts;
  double weight = 0;
};

struct kind_rules {
  crisis_kind kind = crisis_kind::none;
  triage_route route = triage_route::none;
  std::string line;
  std::string advice;
  bool hypothetical_applies = false;
  std::vector<cue> cues, boosters, dampers;              ///< dampers: weight is the factor
  std::vector<std::pair<cue, std::string>> lines;        ///< first match picks the line
};

struct outbreak_rules {
  double weight_group = 0.85, weight_place = 0.7;
  int min_count = 3;
  std::vector<std::u32string> symptoms, groups, places, plural, measures, not_after_measure;
};

}  // namespace detail::triage_impl

/// A compiled cue set (data/triage/crisis_cues.json).
class triage_cues {
 public:
  /// Parses the JSON text of a cue file; parse_error naming `source` and what is wrong.
  static triage_cues from_json(std::string_view json, const std::string& source = "<triage cues>");
  /// Reads and parses a cue file; parse_error (or not_found_error for a missing file).
  static triage_cues load(const std::string& path);
  /// The copy compiled into the library (src/triage_cues_data.cpp, generated by
  /// tools/gen_triage_cues.py from data/triage/crisis_cues.json).
  static const triage_cues& builtin();
  /// The JSON text of the compiled-in copy.
  static std::string_view builtin_json() noexcept;

  // Compiled rules, read by triage(); the order of `kinds` is the priority order.
  std::vector<detail::triage_impl::kind_rules> kinds;
  detail::triage_impl::outbreak_rules outbreak;
  std::vector<detail::triage_impl::cue> masks;
  std::vector<std::u32string> negators_adjacent, negators_window, hypotheticals;
  std::size_t max_gap = 6, negation_window = 4;
  double threshold = 0.5, negation_factor = 0.3, hypothetical_factor = 0.3;
  /// (kind index or mask marker, cue index) by the first code point of each alternative.
  struct cue_ref {
    std::uint16_t group;  ///< 0..kinds-1 cues, +64 boosters, +128 dampers, 255 masks, 254 line patterns
    std::uint16_t index;
    std::uint16_t alt;
  };
  std::unordered_map<char32_t, std::vector<cue_ref>> by_first;

  /// Fills by_first; from_json() calls it.
  void build_index();
};

/// Input beyond this many bytes is not read (cut at a code point boundary).
inline constexpr std::size_t max_text_bytes = std::size_t{1} << 20;

namespace detail::triage_impl {

/// The text as triage reads it (compiled: uses ICU's tables): simplified,
/// half-width, lower case, ASCII digits; every run of other characters and
/// every invalid byte one U' '.  `content` counts Han characters and words.
std::u32string normalize(std::string_view text, std::size_t& content);

inline bool starts_with_at(const std::u32string& s, std::size_t i, const std::u32string& p) {
  return i + p.size() <= s.size() && s.compare(i, p.size(), p) == 0;
}

/// Where alternative `a` matches starting at i (end in `end`), or false.
/// No matched part may touch a masked character.
inline bool match_at(const std::u32string& s, std::size_t i, const pattern& a, std::size_t max_gap,
                     const std::vector<char>* masked, std::size_t& end) {
  auto free_of_mask = [&](std::size_t b, std::size_t n) {
    if (!masked) return true;
    for (std::size_t k = b; k < b + n; ++k)
      if ((*masked)[k]) return false;
    return true;
  };
  if (a.parts.empty() || !starts_with_at(s, i, a.parts[0]) || !free_of_mask(i, a.parts[0].size())) return false;
  std::size_t pos = i + a.parts[0].size();
  for (std::size_t p = 1; p < a.parts.size(); ++p) {
    bool found = false;
    for (std::size_t g = 0; g <= max_gap && pos + g < s.size(); ++g) {
      if (starts_with_at(s, pos + g, a.parts[p]) && free_of_mask(pos + g, a.parts[p].size())) {
        pos += g + a.parts[p].size();
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  end = pos;
  return true;
}

inline bool is_boundary(char32_t c) { return c == U' '; }

/// The start of the clause holding position i (after the last boundary).
inline std::size_t clause_start(const std::u32string& s, std::size_t i) {
  while (i > 0 && !is_boundary(s[i - 1])) --i;
  return i;
}

inline bool contains_in(const std::u32string& s, std::size_t b, std::size_t e, const std::u32string& w) {
  if (w.empty() || e < b || e - b < w.size()) return false;
  return std::u32string_view(s).substr(b, e - b).find(w) != std::u32string_view::npos;
}

inline bool negated(const triage_cues& c, const std::u32string& s, std::size_t start) {
  if (start > 0)
    for (const auto& n : c.negators_adjacent)
      if (start >= n.size() && s.compare(start - n.size(), n.size(), n) == 0) return true;
  const std::size_t cs = clause_start(s, start);
  const std::size_t b = start - cs > c.negation_window ? start - c.negation_window : cs;
  for (const auto& n : c.negators_window)
    if (contains_in(s, b, start, n)) return true;
  return false;
}

inline bool hypothetical(const triage_cues& c, const std::u32string& s, std::size_t start) {
  const std::size_t cs = clause_start(s, start);
  for (const auto& h : c.hypotheticals)
    if (contains_in(s, cs, start, h)) return true;
  return false;
}

/// A Chinese or Arabic count ending just before position e, or -1.
/// 三 -> 3, 十二 -> 12, 二十 -> 20, 七八 -> 7, 十几 -> 10, 几十 -> 20, 好几/几 -> 3,
/// 三十多 -> 30, 12 -> 12.
inline long count_before(const std::u32string& s, std::size_t e) {
  std::size_t i = e;
  while (i > 0 && (s[i - 1] == U'多' || s[i - 1] == U'来' || s[i - 1] == U'余')) --i;
  std::size_t j = i;
  while (j > 0 && s[j - 1] >= U'0' && s[j - 1] <= U'9') --j;
  if (j < i) {
    long v = 0;
    for (std::size_t k = j; k < i && k < j + 7; ++k) v = v * 10 + static_cast<long>(s[k] - U'0');
    return v;
  }
  auto digit = [](char32_t c) -> int {
    switch (c) {
      case U'一': return 1; case U'二': case U'两': return 2; case U'三': return 3; case U'四': return 4;
      case U'五': return 5; case U'六': return 6; case U'七': return 7; case U'八': return 8; case U'九': return 9;
      case U'十': return 10; case U'百': return 100; case U'几': return -2;
      default: return -1;
    }
  };
  while (j > 0 && digit(s[j - 1]) != -1) --j;
  if (j == i) return -1;
  long value = 0, section = 0;
  int last = -1;
  for (std::size_t k = j; k < i; ++k) {
    int d = digit(s[k]);
    if (d == -2) d = (k > j && last == 10) ? 5 : 3;  // 十几 ~ 15, 几 / 好几 ~ 3; 几十 below
    if (d == 10 || d == 100) {
      value += (section == 0 ? 1 : section) * d;
      section = 0;
    } else if (last >= 1 && last <= 9 && d >= 1 && d <= 9) {
      // 七八: a range; keep the lower
    } else {
      section = d;
    }
    last = d;
  }
  return value + section;
}

}  // namespace detail::triage_impl

/// Triage with a given cue set.  Never throws for any input (bad UTF-8 included).
inline triage_result triage(std::string_view text, const triage_cues& c) {
  namespace ti = detail::triage_impl;
  triage_result r;
  if (text.size() > max_text_bytes) {
    std::size_t n = max_text_bytes;
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
    text = text.substr(0, n);
  }
  std::size_t content = 0;
  const std::u32string s = ti::normalize(text, content);
  if (content == 0) return r;  // nothing readable: none, confidence 0

  // 1. Masks: hard negatives no cue may overlap.
  std::vector<char> masked(s.size(), 0);
  const std::size_t nk = c.kinds.size();
  struct hit {
    double factor = 0;  // best factor of this cue (0: not matched)
  };
  std::vector<std::vector<hit>> cue_hits(nk), boost_hits(nk), damp_hits(nk);
  for (std::size_t k = 0; k < nk; ++k) {
    cue_hits[k].resize(c.kinds[k].cues.size());
    boost_hits[k].resize(c.kinds[k].boosters.size());
    damp_hits[k].resize(c.kinds[k].dampers.size());
  }
  std::vector<char> line_hit(0);
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto it = c.by_first.find(s[i]);
    if (it == c.by_first.end()) continue;
    for (const auto& ref : it->second) {
      if (ref.group != 255) continue;
      std::size_t end = 0;
      if (ti::match_at(s, i, c.masks[ref.index].alts[ref.alt], c.max_gap, nullptr, end))
        for (std::size_t k = i; k < end; ++k) masked[k] = 1;
    }
  }
  // 2. Cues, boosters and dampers, with negation and hypotheticals.
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto it = c.by_first.find(s[i]);
    if (it == c.by_first.end()) continue;
    for (const auto& ref : it->second) {
      if (ref.group >= 254) continue;
      const std::size_t k = ref.group % 64;
      const std::size_t role = ref.group / 64;  // 0 cue, 1 booster, 2 damper
      const auto& kr = c.kinds[k];
      const auto& cu = role == 0 ? kr.cues[ref.index] : role == 1 ? kr.boosters[ref.index] : kr.dampers[ref.index];
      std::size_t end = 0;
      if (!ti::match_at(s, i, cu.alts[ref.alt], c.max_gap, &masked, end)) continue;
      double f = 1;
      if (role != 2) {
        if (ti::negated(c, s, i)) f *= c.negation_factor;
        if (role == 0 && kr.hypothetical_applies && ti::hypothetical(c, s, i)) f *= c.hypothetical_factor;
        if (role == 1 && f < 1) continue;  // a negated booster (没出血) says nothing
      }
      auto& h = (role == 0 ? cue_hits : role == 1 ? boost_hits : damp_hits)[k][ref.index];
      h.factor = std::max(h.factor, f);
    }
  }
  // 3. Scores.
  std::vector<double> score(nk, 0);
  std::vector<std::vector<std::string>> ev(nk);
  for (std::size_t k = 0; k < nk; ++k) {
    const auto& kr = c.kinds[k];
    double miss = 1;
    for (std::size_t q = 0; q < kr.cues.size(); ++q)
      if (cue_hits[k][q].factor > 0) {
        miss *= 1 - kr.cues[q].weight * cue_hits[k][q].factor;
        if (cue_hits[k][q].factor >= 1) ev[k].push_back(kr.cues[q].text);
      }
    if (kr.kind == crisis_kind::outbreak_mass_poisoning) {
      // Outbreaks without a keyword: symptom + group or count, or symptom + place + plural.
      const auto& o = c.outbreak;
      auto any = [&](const std::vector<std::u32string>& ws, std::string* which) {
        for (const auto& w : ws) {
          std::size_t from = 0;
          while (true) {
            const auto p = s.find(w, from);
            if (p == std::u32string::npos) break;
            bool ok = true;
            for (std::size_t q = p; q < p + w.size(); ++q) ok = ok && !masked[q];
            if (ok && !ti::hypothetical(c, s, p)) {
              if (which) {
                which->clear();
                for (char32_t ch : w) {
                  // UTF-8 of a BMP code point (evidence only)
                  if (ch < 0x80) which->push_back(static_cast<char>(ch));
                  else if (ch < 0x800) { which->push_back(static_cast<char>(0xC0 | (ch >> 6))); which->push_back(static_cast<char>(0x80 | (ch & 0x3F))); }
                  else { which->push_back(static_cast<char>(0xE0 | (ch >> 12))); which->push_back(static_cast<char>(0x80 | ((ch >> 6) & 0x3F))); which->push_back(static_cast<char>(0x80 | (ch & 0x3F))); }
                }
              }
              return true;
            }
            from = p + 1;
          }
        }
        return false;
      };
      std::string sym;
      if (any(o.symptoms, &sym)) {
        long best = -1;
        for (const auto& m : o.measures) {
          for (std::size_t p = s.find(m); p != std::u32string::npos; p = s.find(m, p + 1)) {
            bool unit = false;
            for (const auto& t : o.not_after_measure) unit = unit || ti::starts_with_at(s, p + m.size(), t);
            if (unit) continue;
            best = std::max(best, ti::count_before(s, p));
          }
        }
        std::string grp;
        if (any(o.groups, &grp) || best >= o.min_count) {
          miss *= 1 - o.weight_group;
          ev[k].push_back(sym + "+" + (best >= o.min_count ? std::to_string(best) + "人" : grp));
        } else if (std::string place; any(o.places, &place) && any(o.plural, nullptr)) {
          miss *= 1 - o.weight_place;
          ev[k].push_back(sym + "+" + place);
        }
      }
    }
    double sc = 1 - miss;
    if (sc > 0) {  // boosters first, then dampers: a general or past-tense question stays damped
      double bmiss = 1 - sc;
      for (std::size_t q = 0; q < kr.boosters.size(); ++q)
        if (boost_hits[k][q].factor > 0) bmiss *= 1 - kr.boosters[q].weight;
      sc = 1 - bmiss;
      for (std::size_t q = 0; q < kr.dampers.size(); ++q)
        if (damp_hits[k][q].factor > 0) sc *= kr.dampers[q].weight;
    }
    score[k] = sc;
  }
  // 4. The verdict: the first kind (priority order) that fires.
  double top = 0;
  for (double x : score) top = std::max(top, x);
  std::size_t chosen = nk;
  for (std::size_t k = 0; k < nk && chosen == nk; ++k)
    if (score[k] >= c.threshold) chosen = k;
  if (chosen == nk) {
    r.confidence = (1 - top) * std::min(1.0, static_cast<double>(content) / 4.0);
    return r;
  }
  const auto& kr = c.kinds[chosen];
  r.kind = kr.kind;
  r.confidence = score[chosen];
  r.evidence = std::move(ev[chosen]);
  r.route = kr.route;
  r.urgent = true;
  r.line = kr.line;
  r.advice = kr.advice;
  for (const auto& [pat, line] : kr.lines) {
    bool m = false;
    for (std::size_t i = 0; i < s.size() && !m; ++i)
      for (const auto& a : pat.alts) {
        std::size_t end = 0;
        if (ti::match_at(s, i, a, c.max_gap, &masked, end)) { m = true; break; }
      }
    if (m) { r.line = line; break; }
  }
  for (std::size_t k = 0; k < nk; ++k)
    if (c.kinds[k].kind == crisis_kind::medical_emergency && score[k] >= c.threshold) {
      r.route = triage_route::emergency_120;
      if (r.kind != crisis_kind::medical_emergency) r.advice = c.kinds[k].advice + "；" + r.advice;
    }
  return r;
}

/// Triage with the compiled-in cues.
inline triage_result triage(std::string_view text) { return triage(text, triage_cues::builtin()); }

}  // namespace hotline
