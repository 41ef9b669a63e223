// Call log import and long-unanswered calls (001 annex 10 item 3).
#include "hotline/call_log.hpp"

#include <doctest/doctest.h>

#include "test_support.hpp"

using namespace std::chrono_literals;

namespace {
const std::string header = "call_id,started_at,answered,wait_seconds,agent,ivr_key,line,unit,work_order\n";
}

TEST_CASE("import: fields, sorting of out-of-order rows, duplicates reported") {
  const std::string csv = header +
                          "C1,2026-03-02T09:15:04+08:00,1,12,A017,1,12320,,WO-1\n"
                          "C3,2026-03-02T10:00:00+08:00,0,95,,2,12320,河西区卫健委,\n"
                          "C2,2026-03-02T09:30:00+08:00,0,20,,,12320,河西区卫健委,\n"
                          "C3,2026-03-02T10:00:00+08:00,0,95,,2,12320,河西区卫健委,\n";
  const auto log = hotline::call_log::from_csv(csv, "calls.csv");
  REQUIRE(log.calls.size() == 3);
  CHECK(log.calls[0].call_id == "C1");
  CHECK(log.calls[1].call_id == "C2");  // sorted by start
  CHECK(log.calls[2].ivr_key == 2);
  CHECK(log.calls[1].ivr_key == -1);
  REQUIRE(log.warnings.size() == 2);
  CHECK(log.warnings[0] == "calls.csv:4: call C2 starts before the previous row: rows sorted by start");
  CHECK(log.warnings[1] == "calls.csv:5: call C3 repeats line 3: skipped as a duplicate");
}

TEST_CASE("import errors name file, line and field") {
  auto err = [](const std::string& body) {
    try {
      (void)hotline::call_log::from_csv(header + body, "calls.csv");
    } catch (const hotline::error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(err("C1,2026-03-02T09:15:04,1,12,A017,1,12320,,\n").find("calls.csv:2: field 'started_at'") == 0);
  CHECK(err("C1,2026-03-02T09:15:04+08:00,maybe,12,A017,1,12320,,\n").find("calls.csv:2: field 'answered'") == 0);
  CHECK(err("C1,2026-03-02T09:15:04+08:00,1,-3,A017,1,12320,,\n").find("calls.csv:2: field 'wait_seconds'") == 0);
  CHECK(err("C1,2026-03-02T09:15:04+08:00,1,3,A017,12,12320,,\n").find("calls.csv:2: field 'ivr_key'") == 0);
  CHECK(err("C1,2026-03-02T09:15:04+08:00,1,3\n").find("calls.csv:2: expected 9 fields, found 4") == 0);
  CHECK(err("C1,2026-03-02T09:15:04+08:00,1,3,A,1,12320,,\nC1,2026-03-02T09:15:04+08:00,0,3,,1,12320,,\n")
            .find("call C1 was already given on line 2 with different content") != std::string::npos);
  CHECK_THROWS_WITH_AS((void)hotline::call_log::from_csv("", "calls.csv"), doctest::Contains("empty file"),
                       hotline::parse_error);
  CHECK_THROWS_WITH_AS((void)hotline::call_log::from_csv("id,when\n", "calls.csv"), doctest::Contains("calls.csv:1"),
                       hotline::parse_error);
}

TEST_CASE("long unanswered calls count only in staffed hours and past the threshold (001 annex 10 item 3)") {
  const std::string csv = header +
                          "C1,2026-03-02T09:00:00+08:00,0,95,,1,12320,U1,\n"   // staffed, long: counts
                          "C2,2026-03-02T09:05:00+08:00,0,30,,1,12320,U1,\n"   // too short
                          "C3,2026-03-02T18:00:00+08:00,0,300,,1,12320,U1,\n"  // after 16:30: automated voice
                          "C4,2026-10-01T10:00:00+08:00,0,300,,1,12320,U1,\n"  // National Day
                          "C5,2026-03-02T10:00:00+08:00,1,120,A1,1,12320,U1,\n" // answered
                          "C6,2026-03-02T16:29:00+08:00,0,60,,1,12320,U2,\n";  // staffed, exactly the threshold
  const auto log = hotline::call_log::from_csv(csv);
  const hotline::staffed_hours hours(hotline::calendar::china());
  const auto occ = hotline::long_unanswered(log.calls, hours, 60s);
  REQUIRE(occ.size() == 2);
  REQUIRE(occ.at("U1").size() == 1);
  CHECK(occ.at("U1")[0].ref == "C1");
  CHECK(occ.at("U2")[0].ref == "C6");
  // Into the Tianjin rubric: one occurrence is -0.2.
  hotline::unit_facts f;
  f.occurrences["long_unanswered_calls"] = occ.at("U1");
  const auto s = hotline::score(hotline::rubric::preset("tianjin-12320"), "U1", f);
  for (const auto& it : s.items)
    if (it.item_id == "line.answered") CHECK(it.points == doctest::Approx(7.8));  // 8 - 0.2
}
