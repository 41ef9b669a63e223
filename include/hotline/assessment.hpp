// hotline/assessment.hpp: scoring units against an assessment rubric.
//
// A rubric is data: criteria, each with items of five kinds (checklist, an
// assessor's score within bounds, a deduction per occurrence with a cap, a rate
// with thresholds, a mapping of values to points).  The engine scores a unit's
// facts exactly as the rubric is written and explains every point given or
// taken, with the orders or calls behind each deduction.  What does not add up
// in the rubric itself is reported as a gap, never silently repaired.
//
//   auto r = hotline::rubric::preset("tianjin-12320");          // 001 annex 10
//   hotline::unit_facts f;
//   f.checks["has_lead"] = true;
//   f.occurrences["late_transfers"] = {{"WO-2026-0001", "transferred after 2 working days"}};
//   auto s = hotline::score(r, "某社区卫生服务中心", f);
//   for (auto& line : s.lines()) std::puts(line.c_str());
//
// Rules, decided once:
//  * A deduction item starts from its maximum and loses `per_occurrence` for
//    each occurrence, at most `cap` in all (001 annex 10 item 3: -0.2 per long
//    unanswered call, at most 3 of 8; -2 per transfer not made within 1 working
//    day, at most 8).  A cap below the maximum leaves a floor; that is a note.
//  * A mapping item maps each observed value (one per call-back) to points and
//    takes the mean; values the rubric does not map are left out of the mean
//    and counted in the explanation.  No observation: the item scores 0 with
//    "no data", which is different from a low score.
//  * A rate item gives the points of the highest threshold the rate reaches;
//    a zero denominator scores 0 with "no data".
//  * A missing fact (a checklist answer or an assessor's score not entered)
//    scores 0 and says "not assessed"; a score outside its bounds is an error.
#pragma once

#include "hotline/error.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hotline {

enum class item_kind : std::uint8_t { checklist, assessor_score, deduction, rate, mapping };
std::string_view to_string(item_kind k) noexcept;
/// "checklist", "assessor_score", "deduction", "rate", "mapping"; throws invalid_argument_error otherwise.
item_kind parse_item_kind(std::string_view text);

struct rate_threshold {
  double min_rate;  ///< in [0, 1]
  double points;
};

struct rubric_item {
  std::string id;     ///< unique within the rubric, e.g. "line.first_question"
  std::string title;  ///< as written in the source, e.g. 实行首问负责制
  item_kind kind = item_kind::checklist;
  double max_points = 0;
  std::string fact;   ///< the key of the unit's fact this item reads
  // deduction
  double per_occurrence = 0;
  double cap = 0;  ///< most that may be taken off in all
  // rate
  std::vector<rate_threshold> thresholds;  ///< ascending min_rate
  // mapping
  std::map<std::string, double> mapping;
  std::string source;  ///< where the rule comes from, e.g. "001 annex 10 item 3"
};

struct rubric_criterion {
  std::string id;
  std::string title;
  double max_points = 0;  ///< as declared
  std::vector<rubric_item> items;
};

/// Something in the rubric that does not add up.
struct rubric_gap {
  std::string where;    ///< rubric, criterion or item id
  std::string message;  ///< e.g. "criteria sum to 80 of a declared total of 100"
};

class rubric {
 public:
  std::string name;
  std::optional<double> declared_total;  ///< the scale the rubric claims, if it claims one
  std::vector<rubric_criterion> criteria;

  /// The shipped presets: "tianjin-12320" (001 annex 10).
  static rubric preset(std::string_view name);
  static std::vector<std::string> preset_names();
  /// Loads a rubric from JSON (docs/assessment.md); errors name the JSON path
  /// of the bad field, e.g. "rubric.json: criteria[2].items[0].kind: unknown item kind 'bonus'".
  static rubric from_json(std::string_view text, const std::string& source = "<json>");
  static rubric from_json_file(const std::string& path);

  /// Checks ids and bounds; throws invalid_argument_error naming the item.
  void validate() const;
  /// What does not add up: sums against declared maxima, mappings that cannot
  /// reach their maximum, caps that leave a floor.
  [[nodiscard]] std::vector<rubric_gap> gaps() const;
  /// Sum of the criteria's declared maxima.
  [[nodiscard]] double criteria_total() const {
    double s = 0;
    for (const auto& c : criteria) s += c.max_points;
    return s;
  }
};

/// One order or call behind a deduction.
struct occurrence {
  std::string ref;     ///< work-order number or call id
  std::string detail;  ///< e.g. "received 2026-03-02, transferred 2026-03-05 (2 working days late)"
};

/// An observed value for a mapping item, e.g. one call-back's satisfaction.
struct observation {
  std::string value;  ///< e.g. "satisfied"
  std::string ref;
};

/// What is known about a unit for a period: entered by an assessor or computed
/// from the store (report.hpp).
struct unit_facts {
  std::map<std::string, bool> checks;
  std::map<std::string, double> scores;
  std::map<std::string, std::vector<occurrence>> occurrences;
  std::map<std::string, std::pair<double, double>> rates;  ///< numerator, denominator
  std::map<std::string, std::vector<observation>> observations;
};

/// One item's result.
struct item_score {
  std::string criterion_id, item_id, title;
  item_kind kind;
  double points = 0, max_points = 0;
  std::string explanation;
  std::vector<std::string> refs;  ///< the orders or calls behind a deduction
  bool assessed = true;           ///< false when the fact was missing
};

struct criterion_score {
  std::string id, title;
  double points = 0, max_points = 0;  ///< max_points: the sum of its items' (not the criterion's declared one)
};

struct unit_score {
  std::string unit;
  double total = 0;
  double max_total = 0;  ///< what the rubric's items can give
  std::optional<double> declared_total;
  std::vector<criterion_score> criteria;
  std::vector<item_score> items;
  std::vector<rubric_gap> gaps;

  /// The breakdown as text lines, one per item, then the gaps.
  [[nodiscard]] std::vector<std::string> lines() const;
};

namespace detail {
inline double round2(double x) { return std::round(x * 100.0) / 100.0; }
std::string fmt_points(double x);
}  // namespace detail

/// Scores one unit's facts on a rubric.
[[nodiscard]] unit_score score(const rubric& r, const std::string& unit, const unit_facts& facts);

// ---- inline scoring --------------------------------------------------------

inline item_score score_item(const rubric_item& it, const unit_facts& f) {
  item_score s;
  s.item_id = it.id;
  s.title = it.title;
  s.kind = it.kind;
  s.max_points = it.max_points;
  using detail::fmt_points;
  switch (it.kind) {
    case item_kind::checklist: {
      const auto c = f.checks.find(it.fact);
      if (c == f.checks.end()) {
        s.assessed = false;
        s.explanation = "not assessed (no answer for '" + it.fact + "')";
      } else {
        s.points = c->second ? it.max_points : 0;
        s.explanation = c->second ? "yes" : "no";
      }
      break;
    }
    case item_kind::assessor_score: {
      const auto c = f.scores.find(it.fact);
      if (c == f.scores.end()) {
        s.assessed = false;
        s.explanation = "not assessed (no score entered for '" + it.fact + "')";
      } else {
        if (!(c->second >= 0 && c->second <= it.max_points))
          throw invalid_argument_error("item " + it.id + ": assessor's score " + fmt_points(c->second) +
                                       " is outside 0.." + fmt_points(it.max_points));
        s.points = c->second;
        s.explanation = "assessor's score";
      }
      break;
    }
    case item_kind::deduction: {
      const auto c = f.occurrences.find(it.fact);
      const std::size_t n = c == f.occurrences.end() ? 0 : c->second.size();
      const double raw = it.per_occurrence * static_cast<double>(n);
      const double off = std::min(raw, it.cap);
      s.points = detail::round2(std::max(0.0, it.max_points - off));
      s.explanation = std::to_string(n) + " × −" + fmt_points(it.per_occurrence) + " = −" + fmt_points(raw) +
                      (raw > it.cap ? ", capped at −" + fmt_points(it.cap) : std::string());
      if (c != f.occurrences.end())
        for (const auto& o : c->second) s.refs.push_back(o.ref + (o.detail.empty() ? "" : ": " + o.detail));
      break;
    }
    case item_kind::rate: {
      const auto c = f.rates.find(it.fact);
      if (c == f.rates.end() || c->second.second <= 0) {
        s.assessed = c != f.rates.end();
        s.explanation = "no data (" + it.fact + ": denominator 0)";
        break;
      }
      const double rate = c->second.first / c->second.second;
      for (const auto& t : it.thresholds)
        if (rate + 1e-12 >= t.min_rate) s.points = t.points;
      s.explanation = fmt_points(c->second.first) + "/" + fmt_points(c->second.second) + " = " +
                      fmt_points(rate * 100) + "%";
      break;
    }
    case item_kind::mapping: {
      const auto c = f.observations.find(it.fact);
      double sum = 0;
      std::size_t used = 0, unmapped = 0;
      std::map<std::string, std::size_t> counts;
      if (c != f.observations.end())
        for (const auto& o : c->second) {
          ++counts[o.value];
          const auto m = it.mapping.find(o.value);
          if (m == it.mapping.end()) {
            ++unmapped;
            continue;
          }
          sum += m->second;
          ++used;
        }
      s.points = used ? detail::round2(sum / static_cast<double>(used)) : 0;
      std::string parts;
      for (const auto& [v, k] : counts) {
        const auto m = it.mapping.find(v);
        parts += (parts.empty() ? "" : ", ") + std::to_string(k) + " " + v +
                 (m == it.mapping.end() ? " (not in the rubric, left out)" : " → " + fmt_points(m->second));
      }
      s.explanation = used ? "mean of " + std::to_string(used) + " (" + parts + ")"
                           : (unmapped ? "no mapped observation (" + parts + ")" : "no data");
      break;
    }
  }
  return s;
}

}  // namespace hotline
