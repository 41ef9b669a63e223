// The assessment rubric engine and the Tianjin preset (001 annex 10).
#include "hotline/assessment.hpp"

#include <doctest/doctest.h>

#include "test_support.hpp"

#include <algorithm>

namespace {
const hotline::item_score& item(const hotline::unit_score& s, const std::string& id) {
  const auto it = std::find_if(s.items.begin(), s.items.end(), [&](const auto& i) { return i.item_id == id; });
  REQUIRE(it != s.items.end());
  return *it;
}
std::vector<hotline::occurrence> n_occurrences(int n, const std::string& prefix) {
  std::vector<hotline::occurrence> v;
  for (int i = 0; i < n; ++i) v.push_back({prefix + std::to_string(i + 1), ""});
  return v;
}
}  // namespace

TEST_CASE("the Tianjin rubric as written: 5 criteria, 80 points, and its gaps (001 annex 10)") {
  const auto r = hotline::rubric::preset("tianjin-12320");
  REQUIRE(r.criteria.size() == 5);
  CHECK(r.criteria_total() == doctest::Approx(80));  // 10 + 20 + 20 + 15 + 15
  const auto gaps = r.gaps();
  auto has = [&](const std::string& where, const std::string& text) {
    return std::any_of(gaps.begin(), gaps.end(), [&](const hotline::rubric_gap& g) {
      return g.where == where && g.message.find(text) != std::string::npos;
    });
  };
  CHECK(has("tianjin-12320", "criteria sum to 80 of a declared total of 100"));
  CHECK(has("satisfaction.callback", "gives at most 10 of the item's 15 points"));  // item 5: satisfied 10
  CHECK(has("line.answered", "never scores below 5 of 8"));                          // item 3: at most 3 off
  CHECK_FALSE(has("line.first_question", "never scores below"));                   // cap 8 of 8: no floor
  CHECK(gaps.size() == 3);
}

TEST_CASE("deductions: -0.2 per long unanswered call at most 3; -2 per late transfer at most 8 (001 annex 10 item 3)") {
  const auto r = hotline::rubric::preset("tianjin-12320");
  struct row { int unanswered, late; double answered, first_question; };
  const row rows[] = {{0, 0, 8, 8}, {1, 1, 7.8, 6}, {5, 3, 7, 2}, {15, 4, 5, 0}, {40, 9, 5, 0}};
  for (const auto& rw : rows) {
    hotline::unit_facts f;
    f.occurrences["long_unanswered_calls"] = n_occurrences(rw.unanswered, "CALL-");
    f.occurrences["late_transfers"] = n_occurrences(rw.late, "WO-");
    const auto s = hotline::score(r, "unit", f);
    INFO(rw.unanswered, " unanswered, ", rw.late, " late");
    CHECK(item(s, "line.answered").points == doctest::Approx(rw.answered));
    CHECK(item(s, "line.first_question").points == doctest::Approx(rw.first_question));
    CHECK(item(s, "line.first_question").refs.size() == static_cast<std::size_t>(rw.late));
  }
}

TEST_CASE("a full score with every point explained") {
  const auto r = hotline::rubric::preset("tianjin-12320");
  hotline::unit_facts f;
  for (const char* k : {"has_lead", "has_handling_department", "has_fixed_liaison", "has_hotline", "has_trained_staff"})
    f.checks[k] = true;
  f.checks["has_fixed_liaison"] = false;  // item 1: no fixed liaison, -2
  f.scores["records_quality"] = 9;
  f.scores["reports_timely"] = 10;
  f.scores["attitude"] = 4;
  f.scores["training"] = 12;
  f.occurrences["long_unanswered_calls"] = {{"CALL-17", "rang 95 s unanswered at 10:02"}};
  f.occurrences["late_transfers"] = {{"WO-2026-0042", "received 03-02, transferred 03-04"}};
  f.observations["callback_satisfaction"] = {{"satisfied", "WO-1"}, {"satisfied", "WO-2"}, {"dissatisfied", "WO-3"},
                                             {"basically_satisfied", "WO-4"}};
  const auto s = hotline::score(r, "河西区某社区卫生服务中心", f);
  // 8 (org) + 19 + (7.8 + 4 + 6) + 12 + mean(10, 10, 0) = 8 + 19 + 17.8 + 12 + 6.67
  CHECK(s.criteria[0].points == doctest::Approx(8));
  CHECK(s.criteria[2].points == doctest::Approx(17.8));
  CHECK(item(s, "satisfaction.callback").points == doctest::Approx(6.67));
  CHECK(item(s, "satisfaction.callback").explanation.find("1 basically_satisfied (not in the rubric, left out)") !=
        std::string::npos);
  CHECK(s.total == doctest::Approx(63.47));
  CHECK(s.max_total == doctest::Approx(80));
  const auto lines = s.lines();
  const auto joined = [&] {
    std::string j;
    for (const auto& l : lines) j += l + "\n";
    return j;
  }();
  CHECK(joined.find("WO-2026-0042: received 03-02, transferred 03-04") != std::string::npos);
  CHECK(joined.find("organisation.liaison 确定固定联络员: 0 / 2 (no)") != std::string::npos);
  CHECK(joined.find("gap in the rubric") != std::string::npos);
}

TEST_CASE("missing facts are 'not assessed', not silently zero; bad scores are errors") {
  const auto r = hotline::rubric::preset("tianjin-12320");
  const auto s = hotline::score(r, "unit", {});
  CHECK_FALSE(item(s, "organisation.lead").assessed);
  CHECK(item(s, "training.participation").explanation.find("not assessed") == 0);
  CHECK(item(s, "satisfaction.callback").explanation == "no data");
  CHECK(item(s, "line.answered").points == doctest::Approx(8));  // no occurrence: nothing taken
  hotline::unit_facts f;
  f.scores["attitude"] = 5;  // above the item's 4
  CHECK_THROWS_WITH_AS((void)hotline::score(r, "unit", f), doctest::Contains("line.attitude"),
                       hotline::invalid_argument_error);
}

TEST_CASE("rate items and rubrics from JSON, with errors naming the field path") {
  const std::string text = R"({"name": "on-time", "criteria": [{"id": "t", "title": "时效", "max_points": 10, "items": [
     {"id": "t.rate", "kind": "rate", "max_points": 10, "fact": "on_time",
      "thresholds": [{"min_rate": 0.8, "points": 5}, {"min_rate": 0.95, "points": 10}]}]}]})";
  const auto r = hotline::rubric::from_json(text, "r.json");
  CHECK(r.gaps().empty());
  hotline::unit_facts f;
  f.rates["on_time"] = {90, 100};
  CHECK(hotline::score(r, "u", f).total == doctest::Approx(5));
  f.rates["on_time"] = {95, 100};
  CHECK(hotline::score(r, "u", f).total == doctest::Approx(10));
  f.rates["on_time"] = {0, 0};
  CHECK(hotline::score(r, "u", f).items[0].explanation.find("no data") == 0);

  auto err = [](const std::string& t) {
    try {
      (void)hotline::rubric::from_json(t, "bad.json");
    } catch (const hotline::parse_error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(err(R"({"name": "x", "criteria": [{"id": "c", "max_points": 1, "items": [{"id": "i", "kind": "bonus", "max_points": 1, "fact": "f"}]}]})")
            .find("bad.json: criteria[0].items[0].kind: unknown item kind 'bonus'") == 0);
  CHECK(err(R"({"name": "x", "criteria": [{"id": "c", "max_points": "ten", "items": []}]})")
            .find("bad.json: criteria[0].max_points: expected a number") == 0);
  CHECK(err(R"({"name": "x", "criteria": [{"id": "c", "max_points": 1, "items": [{"id": "c", "kind": "checklist", "max_points": 1, "fact": "f"}]}]})")
            .find("duplicate id 'c'") != std::string::npos);
  CHECK(err(R"({"name": "x", "criteria": [)").find("bad.json: not valid JSON") == 0);
  CHECK_THROWS_AS((void)hotline::rubric::preset("beijing"), hotline::not_found_error);
}
