// The library's results as JSON (results_json.hpp), shared by the command line and the C ABI.
#include "results_json.hpp"

#include "hotline/time.hpp"

#include <string>
#include <variant>

namespace hotline::detail {

using json = nlohmann::ordered_json;

json deadline_json(const deadline& d) {
  json stepped = json::array();
  for (const auto& s : d.stepped_over)
    stepped.push_back(json{{"date", format_day(s.date)},
                           {"kind", std::string(to_string(s.kind))},
                           {"name_zh", s.name_zh},
                           {"name_en", s.name_en}});
  json j{{"due", format_instant(d.due)},
         {"last_day", format_day(d.last_day)},
         {"last_day_number", day_number(d.last_day)},
         {"start", format_instant(d.start)},
         {"counting_start", format_instant(d.counting_start)},
         {"rule", d.rule},
         {"clock", d.clock},
         {"cite", d.cite},
         {"target", json{{"amount", d.target.amount}, {"unit", std::string(to_string(d.target.unit))}}},
         {"counting", std::string(to_string(d.counting))},
         {"due_rule", std::string(to_string(d.rule_of_due))},
         {"stepped_over", std::move(stepped)}};
  // Only a year resting on provisional days has assumptions to state.
  if (!d.calendar_assumptions.empty()) j["calendar_assumptions"] = d.calendar_assumptions;
  j["explanation"] = d.explain();
  return j;
}

json table_json(const report_table& t) {
  json rows = json::array();
  for (const auto& row : t.rows) {
    json r = json::array();
    for (const auto& c : row) {
      if (const auto* s = std::get_if<std::string>(&c))
        r.push_back(*s);
      else
        r.push_back(std::get<double>(c));
    }
    rows.push_back(std::move(r));
  }
  return json{{"title", t.title},
              {"columns", t.columns},
              {"rows", std::move(rows)},
              {"percent_columns", t.percent_columns},
              {"notes", t.notes}};
}

json gaps_json(const std::vector<rubric_gap>& gaps) {
  json out = json::array();
  for (const auto& g : gaps) out.push_back(json{{"where", g.where}, {"message", g.message}});
  return out;
}

json score_json(const unit_score& s) {
  json criteria = json::array();
  for (const auto& c : s.criteria)
    criteria.push_back(json{{"id", c.id}, {"title", c.title}, {"points", c.points}, {"max_points", c.max_points}});
  json items = json::array();
  for (const auto& i : s.items)
    items.push_back(json{{"criterion", i.criterion_id},
                         {"item", i.item_id},
                         {"title", i.title},
                         {"kind", std::string(to_string(i.kind))},
                         {"points", i.points},
                         {"max_points", i.max_points},
                         {"assessed", i.assessed},
                         {"explanation", i.explanation},
                         {"refs", i.refs}});
  json j{{"unit", s.unit}, {"total", s.total}, {"max_total", s.max_total}};
  if (s.declared_total) j["declared_total"] = *s.declared_total;
  j["criteria"] = std::move(criteria);
  j["items"] = std::move(items);
  j["gaps"] = gaps_json(s.gaps);
  return j;
}

json triage_json(const triage_result& t) {
  return json{{"urgent", t.urgent},
              {"kind", std::string(to_string(t.kind))},
              {"route", std::string(to_string(t.route))},
              {"confidence", t.confidence},
              {"evidence", t.evidence},
              {"line", t.line},
              {"advice", t.advice}};
}

json guess_json(const line_guess& g) {
  return json{{"line", g.line},
              {"topic", g.topic},
              {"confidence", g.confidence},
              {"channel", g.channel},
              {"cues", g.cues},
              {"request_type", g.request_type},
              {"request_type_confidence", g.request_type_confidence},
              {"triage", triage_json(g.triage)},
              {"suggestion", g.suggestion},
              {"suggestion_confidence", g.suggestion_confidence}};
}

}  // namespace hotline::detail
