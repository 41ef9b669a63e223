// Assessment facts computed from the store (see assessment_facts.hpp).
#include "hotline/assessment_facts.hpp"

#include "hotline/call_log.hpp"

#include <fmt/format.h>

#include <set>
#include <unordered_map>

namespace hotline {

std::map<std::string, unit_facts> assessment_facts(const store& db, const reporting_period& period,
                                                   const assessment_inputs& inputs) {
  std::map<std::string, unit_facts> out;
  const auto calls = db.calls(period.from, period.to);
  const staffed_hours hours = inputs.hours ? *inputs.hours : staffed_hours(calendar::china());
  for (auto& [unit, occ] : long_unanswered(calls, hours, inputs.long_unanswered))
    out[unit].occurrences["long_unanswered_calls"] = std::move(occ);

  // Which unit's line took the call behind each order.
  std::unordered_map<std::string, std::string> line_of;
  for (const auto& c : calls)
    if (!c.work_order.empty() && !c.unit.empty()) line_of.emplace(c.work_order, c.unit);

  constexpr auto transfer = static_cast<std::size_t>(clock_kind::transfer);
  db.scan_facts(report_scope{}.query(period), [&](const order_facts& o) {
    if (o.state == order_state::voided || o.state == order_state::merged) return;
    const auto outcome = o.clocks[transfer];
    const auto& due = o.due[transfer];
    const bool late = outcome == clock_outcome::missed ||
                      (outcome == clock_outcome::running && due && *due < period.to);
    if (late) {
      const auto it = line_of.find(std::string(o.number));
      const std::string unit = it == line_of.end() ? std::string() : it->second;
      std::string detail = fmt::format("received {}", format_instant(o.received_at));
      if (due) detail += fmt::format(", transfer due {}", format_instant(*due));
      detail += o.dispatched_at ? fmt::format(", transferred {}", format_instant(*o.dispatched_at))
                                : std::string(", not transferred by the end of the period");
      out[unit].occurrences["late_transfers"].push_back({std::string(o.number), std::move(detail)});
    }
    if (o.call_back != call_back_result::none)
      out[std::string(o.unit)].observations["callback_satisfaction"].push_back(
          {std::string(to_string(o.call_back)), std::string(o.number)});
  });
  return out;
}

std::vector<unit_score> assess_units(const rubric& r, const store& db, const reporting_period& period,
                                     const std::map<std::string, unit_facts>& entered,
                                     const assessment_inputs& inputs) {
  auto facts = assessment_facts(db, period, inputs);
  std::set<std::string> units;
  const auto directory = db.directory();
  for (const auto& u : directory.units()) units.insert(u.code);
  for (const auto& [u, f] : facts) units.insert(u);
  for (const auto& [u, f] : entered) units.insert(u);
  std::vector<unit_score> out;
  for (const auto& code : units) {
    unit_facts f = facts[code];
    if (const auto e = entered.find(code); e != entered.end()) {
      for (const auto& [k, v] : e->second.checks) f.checks[k] = v;
      for (const auto& [k, v] : e->second.scores) f.scores[k] = v;
      for (const auto& [k, v] : e->second.rates) f.rates[k] = v;
      for (const auto& [k, v] : e->second.occurrences) f.occurrences[k].insert(f.occurrences[k].end(), v.begin(), v.end());
      for (const auto& [k, v] : e->second.observations)
        f.observations[k].insert(f.observations[k].end(), v.begin(), v.end());
    }
    out.push_back(score(r, code.empty() ? std::string("(12320 centre)") : code, f));
  }
  return out;
}

}  // namespace hotline

namespace hotline {

std::vector<report_table> assessment_tables(const std::vector<unit_score>& scores, const reporting_period& period) {
  std::vector<report_table> out;
  report_table sum{fmt::format("{} 单位考核得分", period.label), {"单位"}, {}, {}, {}, "考核得分"};
  report_table items{fmt::format("{} 考核明细", period.label), {"单位", "项目", "得分", "满分", "说明", "依据"}, {}, {}, {},
                     "考核明细"};
  if (!scores.empty()) {
    for (const auto& c : scores.front().criteria) sum.columns.push_back(fmt::format("{}({})", c.title, detail::fmt_points(c.max_points)));
    sum.columns.push_back("合计");
    sum.columns.push_back("满分");
    for (const auto& g : scores.front().gaps) sum.notes.push_back(fmt::format("rubric gap at {}: {}", g.where, g.message));
  }
  for (const auto& s : scores) {
    std::vector<report_cell> row{s.unit};
    for (const auto& c : s.criteria) row.emplace_back(c.points);
    row.emplace_back(s.total);
    row.emplace_back(s.max_total);
    sum.rows.push_back(std::move(row));
    for (const auto& it : s.items) {
      std::string refs;
      for (const auto& r : it.refs) refs.append(refs.empty() ? "" : "; ").append(r);
      items.rows.push_back({s.unit, it.title, it.points, it.max_points, it.explanation, refs});
    }
  }
  if (scores.empty()) sum.notes.push_back("no units to assess");
  out.push_back(std::move(sum));
  out.push_back(std::move(items));
  return out;
}

}  // namespace hotline
