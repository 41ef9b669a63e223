// Assessment rubrics: validation, gaps, scoring totals, JSON and presets.
#include "hotline/assessment.hpp"

#include "text_file.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <set>

namespace hotline {
namespace {

// The Tianjin 12320 assessment standard, 001 annex 10, transcribed as written.
// The annex gives no total; assessments are on a 100-point scale (DOMAIN.md §6),
// which the criteria (10+20+20+15+15 = 80) do not reach: gaps() reports it.
constexpr std::string_view k_tianjin = R"json({
  "name": "tianjin-12320",
  "declared_total": 100,
  "criteria": [
    {"id": "organisation", "title": "组织机构及制度建设情况", "max_points": 10, "items": [
      {"id": "organisation.lead", "title": "设置有主管领导", "kind": "checklist", "max_points": 2, "fact": "has_lead", "source": "001 annex 10 item 1"},
      {"id": "organisation.department", "title": "确定承办科室", "kind": "checklist", "max_points": 2, "fact": "has_handling_department", "source": "001 annex 10 item 1"},
      {"id": "organisation.liaison", "title": "确定固定联络员", "kind": "checklist", "max_points": 2, "fact": "has_fixed_liaison", "source": "001 annex 10 item 1"},
      {"id": "organisation.hotline", "title": "有一部或多部卫生热线", "kind": "checklist", "max_points": 2, "fact": "has_hotline", "source": "001 annex 10 item 1"},
      {"id": "organisation.staff", "title": "有专业人员负责接听", "kind": "checklist", "max_points": 2, "fact": "has_trained_staff", "source": "001 annex 10 item 1"}
    ]},
    {"id": "reporting", "title": "信息的报送情况", "max_points": 20, "items": [
      {"id": "reporting.records", "title": "每次接听信息记录清晰，准确，详尽", "kind": "assessor_score", "max_points": 10, "fact": "records_quality", "source": "001 annex 10 item 2"},
      {"id": "reporting.timely", "title": "信息上报及时、准确", "kind": "assessor_score", "max_points": 10, "fact": "reports_timely", "source": "001 annex 10 item 2"}
    ]},
    {"id": "line", "title": "专线电话转接情况", "max_points": 20, "items": [
      {"id": "line.answered", "title": "工作时间内固定专线电话保证有人接听，接通率达100%", "kind": "deduction", "max_points": 8,
       "per_occurrence": 0.2, "cap": 3, "fact": "long_unanswered_calls", "source": "001 annex 10 item 3"},
      {"id": "line.attitude", "title": "接听电话做到态度热情，耐心细致", "kind": "assessor_score", "max_points": 4, "fact": "attitude", "source": "001 annex 10 item 3"},
      {"id": "line.first_question", "title": "实行首问负责制，不能当场解答的保证在1个工作日内转办", "kind": "deduction", "max_points": 8,
       "per_occurrence": 2, "cap": 8, "fact": "late_transfers", "source": "001 annex 10 item 3"}
    ]},
    {"id": "training", "title": "参加培训情况", "max_points": 15, "items": [
      {"id": "training.participation", "title": "积极参加市12320管理办公室组织的各类培训及交流活动", "kind": "assessor_score", "max_points": 15, "fact": "training", "source": "001 annex 10 item 4"}
    ]},
    {"id": "satisfaction", "title": "群众满意度调查", "max_points": 15, "items": [
      {"id": "satisfaction.callback", "title": "满意为10分，不满意为0分", "kind": "mapping", "max_points": 15,
       "mapping": {"satisfied": 10, "dissatisfied": 0}, "fact": "callback_satisfaction", "source": "001 annex 10 item 5"}
    ]}
  ]
})json";

using json = nlohmann::json;

struct reader {
  const std::string& source;
  [[noreturn]] void fail(const std::string& path, const std::string& why) const {
    throw parse_error(source, 0, fmt::format("{}: {}", path, why));
  }
  const json& field(const json& obj, const std::string& path, const char* key) const {
    if (!obj.is_object()) fail(path, "expected an object");
    const auto it = obj.find(key);
    if (it == obj.end()) fail(path + "." + key, "missing");
    return *it;
  }
  std::string str(const json& obj, const std::string& path, const char* key, bool required = true) const {
    if (!obj.contains(key)) {
      if (required) fail(path + "." + key, "missing");
      return {};
    }
    const auto& v = obj.at(key);
    if (!v.is_string()) fail(path + "." + key, "expected a string");
    return v.get<std::string>();
  }
  double num(const json& obj, const std::string& path, const char* key, std::optional<double> dflt = {}) const {
    if (!obj.contains(key)) {
      if (dflt) return *dflt;
      fail(path + "." + key, "missing");
    }
    const auto& v = obj.at(key);
    if (!v.is_number()) fail(path + "." + key, "expected a number");
    return v.get<double>();
  }
};

}  // namespace

namespace detail {
std::string fmt_points(double x) {
  std::string s = fmt::format("{:.2f}", x);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s == "-0" ? "0" : s;
}
}  // namespace detail

std::string_view to_string(item_kind k) noexcept {
  switch (k) {
    case item_kind::checklist: return "checklist";
    case item_kind::assessor_score: return "assessor_score";
    case item_kind::deduction: return "deduction";
    case item_kind::rate: return "rate";
    case item_kind::mapping: return "mapping";
  }
  return "unknown";
}

item_kind parse_item_kind(std::string_view s) {
  for (auto k : {item_kind::checklist, item_kind::assessor_score, item_kind::deduction, item_kind::rate,
                 item_kind::mapping})
    if (to_string(k) == s) return k;
  throw invalid_argument_error(fmt::format(
      "unknown item kind '{}' (checklist, assessor_score, deduction, rate or mapping)", s));
}

void rubric::validate() const {
  std::set<std::string> ids;
  for (const auto& c : criteria) {
    if (c.id.empty()) throw invalid_argument_error("a criterion has no id");
    if (!ids.insert(c.id).second) throw invalid_argument_error("duplicate id '" + c.id + "'");
    if (!(c.max_points >= 0)) throw invalid_argument_error("criterion " + c.id + ": max_points must be >= 0");
    for (const auto& it : c.items) {
      const std::string where = "item " + (it.id.empty() ? c.id + "[?]" : it.id);
      if (it.id.empty()) throw invalid_argument_error(where + ": no id");
      if (!ids.insert(it.id).second) throw invalid_argument_error("duplicate id '" + it.id + "'");
      if (!(it.max_points >= 0)) throw invalid_argument_error(where + ": max_points must be >= 0");
      if (it.fact.empty()) throw invalid_argument_error(where + ": no fact to read");
      switch (it.kind) {
        case item_kind::deduction:
          if (!(it.per_occurrence > 0)) throw invalid_argument_error(where + ": per_occurrence must be > 0");
          if (!(it.cap >= 0)) throw invalid_argument_error(where + ": cap must be >= 0");
          break;
        case item_kind::rate: {
          if (it.thresholds.empty()) throw invalid_argument_error(where + ": a rate item needs thresholds");
          double prev = -1;
          for (const auto& t : it.thresholds) {
            if (!(t.min_rate >= 0 && t.min_rate <= 1) || t.min_rate <= prev)
              throw invalid_argument_error(where + ": thresholds must rise within 0..1");
            if (!(t.points >= 0 && t.points <= it.max_points))
              throw invalid_argument_error(where + ": threshold points must be within 0..max_points");
            prev = t.min_rate;
          }
          break;
        }
        case item_kind::mapping:
          if (it.mapping.empty()) throw invalid_argument_error(where + ": a mapping item needs a mapping");
          for (const auto& [k, v] : it.mapping)
            if (!(v >= 0 && v <= it.max_points))
              throw invalid_argument_error(where + ": '" + k + "' maps outside 0..max_points");
          break;
        default:
          break;
      }
    }
  }
}

std::vector<rubric_gap> rubric::gaps() const {
  using detail::fmt_points;
  std::vector<rubric_gap> out;
  const double total = criteria_total();
  if (declared_total && std::abs(*declared_total - total) > 1e-9)
    out.push_back({name, fmt::format("criteria sum to {} of a declared total of {}: {} points cannot be earned",
                                     fmt_points(total), fmt_points(*declared_total),
                                     fmt_points(*declared_total - total))});
  for (const auto& c : criteria) {
    double items = 0;
    for (const auto& it : c.items) items += it.max_points;
    if (std::abs(items - c.max_points) > 1e-9)
      out.push_back({c.id, fmt::format("items sum to {} of the criterion's {}", fmt_points(items),
                                       fmt_points(c.max_points))});
    for (const auto& it : c.items) {
      if (it.kind == item_kind::mapping) {
        double best = 0;
        for (const auto& [k, v] : it.mapping) best = std::max(best, v);
        if (best < it.max_points)
          out.push_back({it.id, fmt::format("the mapping gives at most {} of the item's {} points", fmt_points(best),
                                            fmt_points(it.max_points))});
      } else if (it.kind == item_kind::rate) {
        if (it.thresholds.back().points < it.max_points)
          out.push_back({it.id, fmt::format("the thresholds give at most {} of the item's {} points",
                                            fmt_points(it.thresholds.back().points), fmt_points(it.max_points))});
      } else if (it.kind == item_kind::deduction && it.cap < it.max_points) {
        out.push_back({it.id, fmt::format("deductions stop at {}, so the item never scores below {} of {}",
                                          fmt_points(it.cap), fmt_points(it.max_points - it.cap),
                                          fmt_points(it.max_points))});
      }
    }
  }
  return out;
}

unit_score score(const rubric& r, const std::string& unit, const unit_facts& facts) {
  r.validate();
  unit_score s;
  s.unit = unit;
  s.declared_total = r.declared_total;
  s.gaps = r.gaps();
  for (const auto& c : r.criteria) {
    criterion_score cs{c.id, c.title, 0, 0};
    for (const auto& it : c.items) {
      auto is = score_item(it, facts);
      is.criterion_id = c.id;
      cs.points += is.points;
      cs.max_points += it.max_points;
      s.items.push_back(std::move(is));
    }
    cs.points = detail::round2(cs.points);
    s.total += cs.points;
    s.max_total += cs.max_points;
    s.criteria.push_back(std::move(cs));
  }
  s.total = detail::round2(s.total);
  return s;
}

std::vector<std::string> unit_score::lines() const {
  using detail::fmt_points;
  std::vector<std::string> out;
  out.push_back(fmt::format("{}: {} of {}{}", unit, fmt_points(total), fmt_points(max_total),
                            declared_total ? fmt::format(" (declared scale {})", fmt_points(*declared_total)) : ""));
  for (const auto& c : criteria) {
    out.push_back(fmt::format("  {} {}: {} / {}", c.id, c.title, fmt_points(c.points), fmt_points(c.max_points)));
    for (const auto& it : items) {
      if (it.criterion_id != c.id) continue;
      out.push_back(fmt::format("    {} {}: {} / {} ({})", it.item_id, it.title, fmt_points(it.points),
                                fmt_points(it.max_points), it.explanation));
      for (const auto& ref : it.refs) out.push_back("      - " + ref);
    }
  }
  for (const auto& g : gaps) out.push_back(fmt::format("  gap in the rubric ({}): {}", g.where, g.message));
  return out;
}

rubric rubric::from_json(std::string_view text, const std::string& source) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    throw parse_error(source, 0, fmt::format("not valid JSON at byte {}: {}", e.byte, e.what()));
  } catch (const json::out_of_range&) {  // a number beyond a double (1e999): nlohmann's error 406
    throw parse_error(source, 0, "not valid JSON: a number is too large to represent");
  }
  const reader rd{source};
  rubric r;
  r.name = rd.str(j, "rubric", "name");
  if (j.contains("declared_total")) r.declared_total = rd.num(j, "rubric", "declared_total");
  const auto& cs = rd.field(j, "rubric", "criteria");
  if (!cs.is_array()) rd.fail("criteria", "expected an array");
  for (std::size_t ci = 0; ci < cs.size(); ++ci) {
    const std::string cp = fmt::format("criteria[{}]", ci);
    const auto& cj = cs[ci];
    rubric_criterion c;
    c.id = rd.str(cj, cp, "id");
    c.title = rd.str(cj, cp, "title", false);
    c.max_points = rd.num(cj, cp, "max_points");
    const auto& is = rd.field(cj, cp, "items");
    if (!is.is_array()) rd.fail(cp + ".items", "expected an array");
    for (std::size_t ii = 0; ii < is.size(); ++ii) {
      const std::string ip = fmt::format("{}.items[{}]", cp, ii);
      const auto& ij = is[ii];
      rubric_item it;
      it.id = rd.str(ij, ip, "id");
      it.title = rd.str(ij, ip, "title", false);
      try {
        it.kind = parse_item_kind(rd.str(ij, ip, "kind"));
      } catch (const invalid_argument_error& e) {
        rd.fail(ip + ".kind", e.what());
      }
      it.max_points = rd.num(ij, ip, "max_points");
      it.fact = rd.str(ij, ip, "fact");
      it.source = rd.str(ij, ip, "source", false);
      if (it.kind == item_kind::deduction) {
        it.per_occurrence = rd.num(ij, ip, "per_occurrence");
        it.cap = rd.num(ij, ip, "cap", it.max_points);
      } else if (it.kind == item_kind::rate) {
        const auto& ts = rd.field(ij, ip, "thresholds");
        if (!ts.is_array()) rd.fail(ip + ".thresholds", "expected an array of {min_rate, points}");
        for (std::size_t ti = 0; ti < ts.size(); ++ti) {
          const std::string tp = fmt::format("{}.thresholds[{}]", ip, ti);
          it.thresholds.push_back({rd.num(ts[ti], tp, "min_rate"), rd.num(ts[ti], tp, "points")});
        }
      } else if (it.kind == item_kind::mapping) {
        const auto& m = rd.field(ij, ip, "mapping");
        if (!m.is_object()) rd.fail(ip + ".mapping", "expected an object of value: points");
        for (const auto& [k, v] : m.items()) {
          if (!v.is_number()) rd.fail(ip + ".mapping." + k, "expected a number");
          it.mapping[k] = v.get<double>();
        }
      }
      c.items.push_back(std::move(it));
    }
    r.criteria.push_back(std::move(c));
  }
  try {
    r.validate();
  } catch (const invalid_argument_error& e) {
    throw parse_error(source, 0, e.what());
  }
  return r;
}

rubric rubric::from_json_file(const std::string& path) { return from_json(detail::read_text_file(path), path); }

rubric rubric::preset(std::string_view name) {
  if (name == "tianjin-12320") return from_json(k_tianjin, "preset tianjin-12320");
  throw not_found_error(fmt::format("no rubric preset '{}' (presets: tianjin-12320)", name));
}

std::vector<std::string> rubric::preset_names() { return {"tianjin-12320"}; }

}  // namespace hotline
