// Reports over the store at their edges: an empty period, units with no orders,
// one unit's scope, annex 7 receipts by half month (001 §3.2, annex 7).
#include "hotline/assessment_facts.hpp"
#include "hotline/report.hpp"
#include "hotline/store.hpp"
#include "hotline/timeliness.hpp"

#include <doctest/doctest.h>

#include "store_test_support.hpp"
#include "test_support.hpp"

#include <filesystem>

using namespace hotline;
namespace fs = std::filesystem;

namespace {

using test::fresh_db;

void units(store& db) {
  db.put_unit({"GZ-YX", "越秀区卫生健康局", unit_kind::district, "", {{"越秀区", ""}}, {}, true});
  db.put_unit({"YX-BJJ", "越秀区北京街社区卫生服务中心", unit_kind::institution, "GZ-YX", {{"越秀区", "北京街"}}, {}, true});
}

work_order order(const char* received, request_type t, const char* district = "越秀区") {
  work_order w;
  w.request_type = t;
  w.received_at = parse_instant(received);
  w.content = "来电人电话13812341234，反映问题";
  w.caller_phone = "13812341234";
  w.district = district;
  w.agent = "A017";
  return w;
}

const actor agent{"A017", role::agent, {}};

}  // namespace

TEST_CASE("an empty store: every report is empty, says so, and never divides by zero") {
  store db(fresh_db("empty"));
  units(db);
  const auto p = reporting_period::month(2026, 3);
  const auto m = monthly_statistics(db, p);
  CHECK(m.total == 0);
  CHECK_FALSE(m.report_flow.completion().value().has_value());
  CHECK(m.tables().size() == 4);
  const auto t = timeliness(db, p, p.to);
  CHECK(t.orders == 0);
  CHECK_FALSE(t.clock(clock_kind::reply).on_time().value().has_value());
  CHECK_FALSE(t.satisfaction().value().has_value());
  const auto tabs = t.tables();
  CHECK(tabs.back().notes.front() == "no clock in its warning window");
  const auto r = receipt_statistics_tables(receipt_statistics(db, p), p);
  REQUIRE(r.size() == 1);
  CHECK(r[0].notes.front() == "no orders received in the period");
  // Units with no orders are still assessed: full marks on deductions, "no data" on satisfaction.
  const auto scores = assess_units(rubric::preset("tianjin-12320"), db, p);
  REQUIRE(scores.size() == 2);
  for (const auto& s : scores)
    for (const auto& it : s.items) {
      if (it.item_id == "line.first_question") CHECK(it.points == 8);
      if (it.item_id == "satisfaction.callback") CHECK(it.explanation.find("no data") != std::string::npos);
    }
}

TEST_CASE("scope, half months and annex 7 receipts") {
  store db(fresh_db("scope"));
  units(db);
  const auto a = db.create(order("2026-03-15T23:59:59+08:00", request_type::complaint), agent);  // first half
  const auto b = db.create(order("2026-03-16T00:00:00+08:00", request_type::report), agent);     // second half
  db.create(order("2026-03-20T10:00:00+08:00", request_type::complaint, "海珠区"), agent);
  command d;
  d.action = action::dispatch;
  d.by = {"D02", role::dispatcher, {}};
  d.at = parse_instant("2026-03-17T09:00:00+08:00");
  d.unit = "YX-BJJ";
  db.apply(b.number, d);

  const auto first = reporting_period::half_month(2026, 3, 1), second = reporting_period::half_month(2026, 3, 2);
  CHECK(first.contains(a.received_at));
  CHECK_FALSE(second.contains(a.received_at));
  CHECK(second.contains(b.received_at));
  CHECK(second.to == reporting_period::month(2026, 3).to);
  CHECK_THROWS_AS(reporting_period::half_month(2026, 3, 3), invalid_argument_error);

  const auto r1 = receipt_statistics(db, first);
  REQUIRE(r1.size() == 1);
  CHECK(r1[0].number == a.number);
  CHECK(r1[0].content.find("13812341234") == std::string::npos);  // masked
  CHECK(r1[0].remark == "投诉; waiting_for_dispatch");
  const auto r2 = receipt_statistics(db, second);
  REQUIRE(r2.size() == 2);
  CHECK(r2[0].unit.empty());  // not dispatched: the centre's table comes first
  CHECK(r2[1].unit == "YX-BJJ");
  const auto tables = receipt_statistics_tables(r2, second);
  REQUIRE(tables.size() == 2);
  CHECK(tables[1].rows.size() == 1);
  CHECK(std::get<std::string>(tables[1].rows[0][3]) == "00:00:00");

  const auto p = reporting_period::month(2026, 3);
  CHECK(monthly_statistics(db, p).total == 3);
  CHECK(monthly_statistics(db, p, {.district = "海珠区", .unit = std::nullopt}).complaints == 1);
  const auto unit_only = monthly_statistics(db, p, {.district = std::nullopt, .unit = "YX-BJJ"});
  CHECK(unit_only.total == 1);
  CHECK(unit_only.report_flow.transferred == 1);
  // Timeliness as of a moment: the two undispatched orders' transfer clocks are
  // past due at the end of March, the dispatched one met its transfer clock.
  const auto t = timeliness(db, p, p.to);
  CHECK(t.clock(clock_kind::transfer).met == 1);
  CHECK(t.clock(clock_kind::transfer).overdue == 2);
  CHECK(t.clock(clock_kind::transfer).on_time().denominator == 3);
  CHECK(t.overdue.size() >= 2);
}
