// Triage cues (hotline/triage.hpp): the cue file's JSON into compiled patterns,
// and the text as triage reads it.  The characters are read through the
// knowledge base's ICU tables (knowledge_text.cpp), so triage and matching
// agree on what a traditional or full-width character is.
#include "hotline/error.hpp"
#include "hotline/triage.hpp"
#include "knowledge_text.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

namespace hotline {

namespace detail::triage_impl {

namespace {

// Copies valid UTF-8 and turns each invalid byte into a space (a boundary).
std::string sanitize_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    bool ok = n > 0 && i + n <= s.size();
    for (std::size_t k = 1; ok && k < n; ++k) ok = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    if (ok && n > 1) {  // overlong forms, surrogates and values past U+10FFFF
      char32_t cp = c & (0xFF >> (n + 1));
      for (std::size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
      const char32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
      ok = cp >= min[n] && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
    }
    if (c == 0) ok = false;
    if (!ok) {
      out.push_back(' ');
      ++i;
      continue;
    }
    out.append(s.substr(i, n));
    i += n;
  }
  return out;
}

void append_utf32(std::u32string& out, std::string_view w) {
  for (std::size_t i = 0; i < w.size();) {
    const auto c = static_cast<unsigned char>(w[i]);
    const std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : 4;
    char32_t cp = n == 1 ? c : static_cast<char32_t>(c & (0xFF >> (n + 1)));
    for (std::size_t k = 1; k < n && i + k < w.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(w[i + k]) & 0x3F);
    out.push_back(cp);
    i += n;
  }
}

}  // namespace

std::u32string normalize(std::string_view text, std::size_t& content) {
  content = 0;
  std::u32string out;
  if (text.empty()) return out;
  const std::string clean = sanitize_utf8(text);
  std::vector<kb::token> ts;
  ts.reserve(clean.size() / 2);
  kb::word_dict dict;
  kb::tokenize(clean, ts, &dict);
  out.reserve(ts.size());
  for (const auto t : ts) {
    if (t == kb::boundary) {
      out.push_back(U' ');
    } else if (kb::is_word(t)) {
      const auto it = dict.find(t);
      if (it == dict.end()) continue;
      if (!it->second.empty() && !(it->second[0] >= '0' && it->second[0] <= '9')) ++content;
      append_utf32(out, it->second);
    } else {
      ++content;
      out.push_back(static_cast<char32_t>(t));
    }
  }
  return out;
}

}  // namespace detail::triage_impl

namespace {

using json = nlohmann::json;
namespace ti = detail::triage_impl;

// Alternatives of one pattern, at most: groups multiply ("(a|b)" twenty times would
// be a million patterns); the shipped file's largest has 19.
constexpr std::size_t max_alternatives = 4096;

// "(a|b)c*d" -> {"ac*d", "bc*d"}; groups do not nest.
std::vector<std::string> expand(const std::string& p, const std::string& source) {
  const auto open = p.find('(');
  if (open == std::string::npos) return {p};
  const auto close = p.find(')', open);
  if (close == std::string::npos) throw parse_error(source, 0, "pattern \"" + p + "\": '(' without ')'");
  std::vector<std::string> out;
  const std::string body = p.substr(open + 1, close - open - 1);
  std::size_t b = 0;
  while (true) {
    const auto bar = body.find('|', b);
    const std::string opt = body.substr(b, bar == std::string::npos ? std::string::npos : bar - b);
    for (auto& rest : expand(p.substr(0, open) + opt + p.substr(close + 1), source)) out.push_back(std::move(rest));
    if (out.size() > max_alternatives)
      throw parse_error(source, 0, "pattern \"" + p + "\": more than " + std::to_string(max_alternatives) +
                                       " alternatives");
    if (bar == std::string::npos) break;
    b = bar + 1;
  }
  return out;
}

std::u32string norm_word(const std::string& w, const std::string& source) {
  std::size_t content = 0;
  std::u32string s = ti::normalize(w, content);
  if (s.empty()) throw parse_error(source, 0, "pattern part \"" + w + "\" has nothing matchable");
  return s;
}

ti::cue compile_cue(const std::string& text, double weight, const std::string& source) {
  ti::cue c;
  c.text = text;
  c.weight = weight;
  for (const auto& alt : expand(text, source)) {
    ti::pattern p;
    std::size_t b = 0;
    while (true) {
      const auto star = alt.find('*', b);
      const std::string part = alt.substr(b, star == std::string::npos ? std::string::npos : star - b);
      if (part.empty()) throw parse_error(source, 0, "pattern \"" + text + "\": empty part");
      p.parts.push_back(norm_word(part, source));
      if (star == std::string::npos) break;
      b = star + 1;
    }
    c.alts.push_back(std::move(p));
  }
  return c;
}

std::vector<ti::cue> cue_list(const json& j, const char* field, const std::string& where, bool need_weight) {
  std::vector<ti::cue> out;
  if (!j.contains(field)) return out;
  const auto& a = j.at(field);
  if (!a.is_array()) throw parse_error(where, 0, std::string(field) + ": expected an array");
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto& e = a[i];
    const std::string at = where + "." + field + "[" + std::to_string(i) + "]";
    if (e.is_string() && !need_weight) {
      out.push_back(compile_cue(e.get<std::string>(), 1.0, at));
    } else if (e.is_array() && e.size() == 2 && e[0].is_string() && e[1].is_number()) {
      const double w = e[1].get<double>();
      if (!(w >= 0 && w <= 1)) throw parse_error(at, 0, "weight outside [0, 1]");
      out.push_back(compile_cue(e[0].get<std::string>(), w, at));
    } else {
      throw parse_error(at, 0, need_weight ? "expected [\"pattern\", weight]" : "expected a pattern string");
    }
  }
  return out;
}

std::vector<std::u32string> word_list(const json& j, const char* field, const std::string& where) {
  std::vector<std::u32string> out;
  if (!j.contains(field)) return out;
  const auto& a = j.at(field);
  if (!a.is_array()) throw parse_error(where, 0, std::string(field) + ": expected an array of strings");
  for (const auto& e : a) {
    if (!e.is_string()) throw parse_error(where, 0, std::string(field) + ": expected strings");
    out.push_back(norm_word(e.get<std::string>(), where + "." + field));
  }
  return out;
}

/// A count of the file (max_gap, negation_window, min_count): a whole number in
/// [lo, hi], or `fallback` when absent.  Checked here because nlohmann casts a
/// number to an integer as is (1e300 into a size_t is undefined behaviour), and a
/// gap of millions would make every pattern with a '*' search the whole text.
template <class T>
T count_field(const json& j, const char* field, T fallback, T lo, T hi, const std::string& where) {
  const auto it = j.find(field);
  if (it == j.end()) return fallback;
  if (!it->is_number_integer() || it->get<std::int64_t>() < static_cast<std::int64_t>(lo) ||
      it->get<std::int64_t>() > static_cast<std::int64_t>(hi))
    throw parse_error(where, 0, std::string(field) + ": expected a whole number from " + std::to_string(lo) + " to " +
                                    std::to_string(hi));
  return static_cast<T>(it->get<std::int64_t>());
}

triage_route parse_route(const std::string& s, const std::string& where) {
  for (auto r : {triage_route::emergency_120, triage_route::psychological_crisis_line,
                 triage_route::cdc_emergency_report_line, triage_route::urgent_work_order})
    if (to_string(r) == s) return r;
  throw parse_error(where, 0, "unknown route \"" + s + "\"");
}

}  // namespace

void triage_cues::build_index() {
  by_first.clear();
  auto add = [&](std::uint16_t group, const std::vector<ti::cue>& cs) {
    for (std::size_t i = 0; i < cs.size(); ++i)
      for (std::size_t a = 0; a < cs[i].alts.size(); ++a)
        by_first[cs[i].alts[a].parts.front().front()].push_back(
            {group, static_cast<std::uint16_t>(i), static_cast<std::uint16_t>(a)});
  };
  for (std::size_t k = 0; k < kinds.size(); ++k) {
    add(static_cast<std::uint16_t>(k), kinds[k].cues);
    add(static_cast<std::uint16_t>(64 + k), kinds[k].boosters);
    add(static_cast<std::uint16_t>(128 + k), kinds[k].dampers);
  }
  add(255, masks);
}

triage_cues triage_cues::from_json(std::string_view text, const std::string& source) {
  json j;
  try {
    j = json::parse(text.begin(), text.end());
  } catch (const json::parse_error& e) {
    throw parse_error(source, 0, std::string("JSON: ") + e.what());
  } catch (const json::out_of_range&) {  // a number beyond a double (1e999): nlohmann's error 406
    throw parse_error(source, 0, "not valid JSON: a number is too large to represent");
  }
  if (!j.is_object() || j.value("format", "") != "hotline-triage-cues")
    throw parse_error(source, 0, "not a triage cue file (\"format\": \"hotline-triage-cues\")");
  triage_cues c;
  try {
    c.max_gap = count_field(j, "max_gap", std::size_t{6}, std::size_t{0}, std::size_t{100}, source);
    c.threshold = j.value("threshold", 0.5);
    c.negation_factor = j.value("negation_factor", 0.3);
    c.hypothetical_factor = j.value("hypothetical_factor", 0.3);
    c.negation_window = count_field(j, "negation_window", std::size_t{4}, std::size_t{0}, std::size_t{100}, source);
    c.negators_adjacent = word_list(j, "negators_adjacent", source);
    c.negators_window = word_list(j, "negators_window", source);
    c.hypotheticals = word_list(j, "hypotheticals", source);
    c.masks = cue_list(j, "masks", source, false);
    if (!j.contains("kinds") || !j.at("kinds").is_array() || j.at("kinds").empty())
      throw parse_error(source, 0, "kinds: expected a non-empty array");
    if (j.at("kinds").size() > 60) throw parse_error(source, 0, "kinds: at most 60");
    for (std::size_t i = 0; i < j.at("kinds").size(); ++i) {
      const auto& kj = j.at("kinds")[i];
      const std::string where = source + ": kinds[" + std::to_string(i) + "]";
      ti::kind_rules kr;
      const std::string name = kj.value("kind", "");
      kr.kind = parse_crisis_kind(name);
      if (kr.kind == crisis_kind::none) throw parse_error(where, 0, "unknown kind \"" + name + "\"");
      kr.route = parse_route(kj.value("route", ""), where);
      kr.line = kj.value("line", "");
      kr.advice = kj.value("advice", "");
      kr.hypothetical_applies = kj.value("hypothetical_applies", false);
      kr.cues = cue_list(kj, "cues", where, true);
      kr.boosters = cue_list(kj, "boosters", where, true);
      kr.dampers = cue_list(kj, "dampers", where, true);
      if (kj.contains("lines")) {
        for (const auto& l : kj.at("lines")) {
          if (!l.is_array() || l.size() != 2 || !l[0].is_string() || !l[1].is_string())
            throw parse_error(where, 0, "lines: expected [\"pattern\", \"line\"]");
          kr.lines.emplace_back(compile_cue(l[0].get<std::string>(), 1.0, where), l[1].get<std::string>());
        }
      }
      if (kr.cues.size() > 60000) throw parse_error(where, 0, "too many cues");
      c.kinds.push_back(std::move(kr));
    }
    if (j.contains("outbreak")) {
      const auto& o = j.at("outbreak");
      const std::string where = source + ": outbreak";
      c.outbreak.weight_group = o.value("weight_group", 0.85);
      c.outbreak.weight_place = o.value("weight_place", 0.7);
      if (!o.is_object()) throw parse_error(where, 0, "expected an object");
      c.outbreak.min_count = count_field(o, "min_count", 3, 1, 1000, where);
      c.outbreak.symptoms = word_list(o, "symptoms", where);
      c.outbreak.groups = word_list(o, "groups", where);
      c.outbreak.places = word_list(o, "places", where);
      c.outbreak.plural = word_list(o, "plural", where);
      c.outbreak.measures = word_list(o, "measures", where);
      c.outbreak.not_after_measure = word_list(o, "not_after_measure", where);
    }
  } catch (const json::exception& e) {
    throw parse_error(source, 0, std::string("field of the wrong type: ") + e.what());
  }
  c.build_index();
  return c;
}

triage_cues triage_cues::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw not_found_error("cannot open triage cue file " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return from_json(ss.str(), path);
}

namespace detail::triage_impl {
extern const char* const builtin_cues_json;
extern const std::size_t builtin_cues_json_size;
}  // namespace detail::triage_impl

std::string_view triage_cues::builtin_json() noexcept {
  return {ti::builtin_cues_json, ti::builtin_cues_json_size};
}

const triage_cues& triage_cues::builtin() {
  static const triage_cues c = from_json(builtin_json(), "builtin data/triage/crisis_cues.json");
  return c;
}

}  // namespace hotline
