// Monthly statistics (001 annex 8) and the quarterly summary (000 art. 14).
#include "hotline/report.hpp"

#include <doctest/doctest.h>

#include "test_support.hpp"

#include <random>

using hotline::order_state;
using hotline::request_type;
using hotline::work_order;

namespace {
hotline::instant bj(int y, unsigned m, unsigned d, int hh, int mm, int ss = 0) {
  return hotline::from_local(hotline::make_day(y, m, d), std::chrono::seconds{hh * 3600 + mm * 60 + ss});
}
work_order order(request_type t, hotline::instant at, order_state s, bool dispatched, std::string subject = {},
                 std::string topic = {}, std::string sub = {}, std::string district = {}) {
  work_order o;
  o.request_type = t;
  o.received_at = at;
  o.state = s;
  if (dispatched) o.dispatched_at = at + std::chrono::hours{1};
  o.complaint_subject = std::move(subject);
  o.topic = std::move(topic);
  o.sub_topic = std::move(sub);
  o.district = std::move(district);
  return o;
}
}  // namespace

TEST_CASE("period bounds follow Beijing time: 23:59:59 on the last day belongs to the month") {
  const auto march = hotline::reporting_period::month(2026, 3);
  CHECK(march.contains(bj(2026, 3, 31, 23, 59, 59)));
  CHECK_FALSE(march.contains(bj(2026, 4, 1, 0, 0, 0)));
  CHECK(march.contains(bj(2026, 3, 1, 0, 0, 0)));
  CHECK_FALSE(march.contains(bj(2026, 2, 28, 23, 59, 59)));
  CHECK(hotline::reporting_period::month(2026, 12).to == bj(2027, 1, 1, 0, 0));
  CHECK(hotline::reporting_period::quarter(2026, 1).to == bj(2026, 4, 1, 0, 0));
  CHECK_THROWS_AS(hotline::reporting_period::month(2026, 13), hotline::invalid_argument_error);
}

TEST_CASE("annex 8 tables against counts made independently from random orders") {
  std::mt19937 rng(3);
  const auto p = hotline::reporting_period::month(2026, 3);
  const char* subjects[] = {"医疗服务", "food_safety_enforcement", "疾病预防", "unknown subject", ""};
  std::vector<work_order> orders;
  // Expected figures, counted as the orders are made.
  std::int64_t by_type[7] = {}, in_month = 0, void_or_merged = 0, rep_tr = 0, rep_done = 0, med = 0, med_tr = 0,
               med_tr_done = 0, med_centre = 0, other_subject = 0;
  std::map<std::string, std::int64_t> topics;
  const order_state states[] = {order_state::in_progress, order_state::closed, order_state::waiting_for_call_back,
                                order_state::answered_on_spot, order_state::voided, order_state::merged,
                                order_state::dispatched};
  for (int i = 0; i < 3000; ++i) {
    const auto t = static_cast<request_type>(rng() % 7);
    const auto at = bj(2026, 2, 20, 0, 0) + std::chrono::minutes{rng() % (60 * 24 * 50)};  // Feb 20 .. Apr 11
    auto s = states[rng() % 7];
    if (s == order_state::answered_on_spot && t != request_type::consultation) s = order_state::closed;
    const bool disp = s != order_state::answered_on_spot && rng() % 4 != 0;
    const std::string subject = subjects[rng() % 5];
    const std::string topic = (rng() % 2) ? "免疫规划" : "心理援助";
    orders.push_back(order(t, at, s, disp, subject, topic, "狂犬病"));
    if (!p.contains(at)) continue;
    if (s == order_state::voided || s == order_state::merged) {
      ++void_or_merged;
      continue;
    }
    ++in_month;
    ++by_type[static_cast<int>(t)];
    const bool done = s == order_state::closed || s == order_state::waiting_for_call_back;
    if (t == request_type::report && disp) {
      ++rep_tr;
      rep_done += done;
    }
    if (t == request_type::complaint) {
      if (subject == "医疗服务") {
        ++med;
        med_tr += disp;
        med_tr_done += disp && done;
        med_centre += !disp && (s == order_state::closed || s == order_state::answered_on_spot);
      }
      if (subject == "unknown subject" || subject.empty()) ++other_subject;
    }
    if (t == request_type::consultation) ++topics[topic];
  }
  const auto r = hotline::monthly_statistics(orders, p);
  CHECK(r.total == in_month);
  CHECK(r.left_out_void_or_merged == void_or_merged);
  CHECK(r.consultations == by_type[static_cast<int>(request_type::consultation)]);
  CHECK(r.complaints == by_type[static_cast<int>(request_type::complaint)]);
  CHECK(r.other == by_type[static_cast<int>(request_type::other)] + by_type[static_cast<int>(request_type::help_request)] +
                       by_type[static_cast<int>(request_type::praise)]);
  CHECK(r.reports + r.complaints + r.consultations + r.suggestions + r.other == r.total);
  CHECK(r.report_flow.transferred == rep_tr);
  CHECK(r.report_flow.completion().numerator == rep_done);
  const auto& m = r.complaints_by_subject[static_cast<std::size_t>(hotline::complaint_subject::medical_service)];
  CHECK(m.received == med);
  CHECK(m.transferred == med_tr);
  CHECK(m.transferred_completed == med_tr_done);
  CHECK(m.handled_by_centre == med_centre);
  CHECK(r.complaints_by_subject[static_cast<std::size_t>(hotline::complaint_subject::other)].received == other_subject);
  CHECK(r.consultations_by_topic.at("免疫规划").at("狂犬病") == topics["免疫规划"]);

  const auto tables = r.tables();
  REQUIRE(tables.size() == 4);
  CHECK(tables[0].columns == std::vector<std::string>{"举报", "投诉", "咨询", "建议", "其他", "合计"});
  CHECK(std::get<double>(tables[0].rows[0][5]) == static_cast<double>(in_month));
  CHECK(tables[2].rows.size() == 8);  // 7 subjects + 合计
}

TEST_CASE("an empty period gives zero counts and no rates, not 0% or 100%") {
  const auto r = hotline::monthly_statistics({}, hotline::reporting_period::month(2026, 3));
  CHECK(r.total == 0);
  CHECK_FALSE(r.report_flow.completion().value().has_value());
  const auto t = r.tables();
  CHECK(std::get<std::string>(t[1].rows[0][4]) == "-");
  CHECK(hotline::to_csv(t[1]).find("举报,0,0,0,-") != std::string::npos);
}

TEST_CASE("quarterly summary per district of complaints, reports and praise (000 art. 14)") {
  const auto q = hotline::reporting_period::quarter(2026, 1);
  std::vector<work_order> orders = {
      order(request_type::complaint, bj(2026, 1, 5, 9, 0), order_state::closed, true, "", "", "", "越秀区"),
      order(request_type::praise, bj(2026, 3, 31, 23, 59, 59), order_state::closed, false, "", "", "", "越秀区"),
      order(request_type::report, bj(2026, 2, 1, 9, 0), order_state::in_progress, true, "", "", "", "天河区"),
      order(request_type::consultation, bj(2026, 2, 1, 9, 0), order_state::closed, false, "", "", "", "天河区"),
      order(request_type::complaint, bj(2026, 4, 1, 0, 0), order_state::closed, true, "", "", "", "天河区"),
  };
  const auto rows = hotline::quarterly_summary(orders, q);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].district == "天河区");  // sorted by name
  CHECK(rows[0].reports == 1);
  CHECK(rows[0].complaints == 0);       // the April complaint is next quarter's
  CHECK(rows[0].completed == 0);
  CHECK(rows[1].complaints == 1);
  CHECK(rows[1].praise == 1);
  CHECK(rows[1].completed == 2);
  const auto t = hotline::quarterly_summary_table(rows, q);
  CHECK(t.rows.size() == 2);
}
