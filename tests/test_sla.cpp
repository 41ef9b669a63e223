// SLA policies and deadline clocks (000 art. 12, 14; 001 §3.2, §3.4, annex 10).
//
// Expected dates are worked out by hand from the national calendar data
// (data/calendar/cn_national_2004_2026.csv), day by day; the comments show the count.
#include "hotline/sla.hpp"

#include <doctest/doctest.h>

#include "test_support.hpp"

#include <fstream>
#include <random>
#include <type_traits>

using hotline::clock_event;
using hotline::clock_state;
using hotline::instant;
using hotline::make_day;
using hotline::request_type;
using namespace std::chrono_literals;

namespace {
instant bj(int y, unsigned m, unsigned d, int hh = 0, int mm = 0, int ss = 0) {  // Beijing wall-clock time
  return hotline::from_local(make_day(y, m, d),
                             std::chrono::hours{hh} + std::chrono::minutes{mm} + std::chrono::seconds{ss});
}
hotline::order_attributes of(request_type t, hotline::complexity c = hotline::complexity::simple) {
  hotline::order_attributes o;
  o.type = t;
  o.complexity = c;
  return o;
}
const hotline::sla_policy& gz() {
  static const auto p = hotline::sla_policy::preset("guangzhou-family-doctor");
  return p;
}
const hotline::sla_policy& tj() {
  static const auto p = hotline::sla_policy::preset("tianjin-12320");
  return p;
}
}  // namespace

static_assert(std::is_nothrow_move_constructible_v<hotline::sla_policy>);
static_assert(std::regular<hotline::sla_target>);
static_assert(std::regular<hotline::clock_event>);
static_assert(std::regular<hotline::clock_spec>);
static_assert(std::regular<hotline::clock_status>);
static_assert(std::regular<hotline::report_due>);
static_assert(std::is_trivially_copyable_v<hotline::clock_event>);

TEST_CASE("Guangzhou preset: due instants by the article (000 art. 12)") {
  struct row {
    const char* what;
    request_type type;
    instant received;
    instant due;
  };
  const row rows[] = {
      // 000 art. 12 -- eve of National Day: 10-01..10-08 off; day 1 Thu 10-09, day 2 Fri 10-10.
      {"consultation on the eve of National Day", request_type::consultation, bj(2025, 9, 30, 15, 0), bj(2025, 10, 11)},
      // 000 art. 12 -- 10-09, 10-10, Sat 10-11 (worked), 10-13..17, 10-20, 10-21 = 10 working days.
      {"complaint on the eve of National Day", request_type::complaint, bj(2025, 9, 30, 15, 0), bj(2025, 10, 22)},
      {"report on the eve of National Day", request_type::report, bj(2025, 9, 30, 15, 0), bj(2025, 10, 22)},
      {"help request on the eve of National Day", request_type::help_request, bj(2025, 9, 30, 15, 0), bj(2025, 10, 22)},
      {"praise on the eve of National Day", request_type::praise, bj(2025, 9, 30, 15, 0), bj(2025, 10, 22)},
      // 000 art. 12 -- Friday: Sat 01-25 off, Sun 01-26 worked (day 1), Mon 01-27 (day 2).
      {"consultation on a Friday", request_type::consultation, bj(2025, 1, 24, 10, 0), bj(2025, 1, 28)},
      // 000 art. 12 -- 23:59 on Thursday: day 1 Fri 01-24, day 2 Sun 01-26 (worked).
      {"consultation at 23:59", request_type::consultation, bj(2025, 1, 23, 23, 59), bj(2025, 1, 27)},
      // 000 art. 12 -- a minute later it is Friday's receipt: due a day later.
      {"consultation at 00:00", request_type::consultation, bj(2025, 1, 24, 0, 0), bj(2025, 1, 28)},
      // 000 art. 12 -- received on the worked Saturday 02-08: Sun off, Mon 02-10, Tue 02-11.
      {"consultation on an adjusted working Saturday", request_type::consultation, bj(2025, 2, 8, 11, 0),
       bj(2025, 2, 12)},
      // 000 art. 12 -- received on the worked Sunday 09-28: Mon 09-29, Tue 09-30.
      {"consultation on an adjusted working Sunday", request_type::consultation, bj(2025, 9, 28, 9, 0),
       bj(2025, 10, 1)},
      // 000 art. 12 -- eve of Spring Festival 2025: 01-28..02-04 off; Wed 02-05, Thu 02-06.
      {"consultation on the eve of Spring Festival", request_type::consultation, bj(2025, 1, 27, 16, 0),
       bj(2025, 2, 7)},
      // 000 art. 12 -- Friday before Spring Festival 2026: Sat 02-14 worked (1), 02-15..23 off, Tue 02-24 (2).
      {"consultation before Spring Festival 2026", request_type::consultation, bj(2026, 2, 13, 14, 0),
       bj(2026, 2, 25)},
      // 000 art. 12 -- received on a holiday (National Day 2025-10-03): day 1 is 10-09.
      {"consultation on a holiday", request_type::consultation, bj(2025, 10, 3, 10, 0), bj(2025, 10, 11)},
      // 000 art. 12 -- across the year end: 2025-01-01 off, Thu 01-02, Fri 01-03.
      {"consultation on New Year's Eve 2024", request_type::consultation, bj(2024, 12, 31, 18, 0), bj(2025, 1, 4)},
      // 000 art. 12 -- 2026-01-01..03 off, Sun 01-04 worked (1), 01-05..09 (2-6), 01-12..15 (7-10).
      {"complaint on New Year's Eve 2025", request_type::complaint, bj(2025, 12, 31, 12, 0), bj(2026, 1, 16)},
  };
  for (const auto& r : rows) {
    INFO(r.what);
    const auto d = gz().due(of(r.type), r.received);
    CHECK(d.due == r.due);
    CHECK(d.cite == "000 art. 12");
  }
}

TEST_CASE("the explanation names the rule and the holidays stepped over") {
  const auto d = gz().due(of(request_type::consultation), bj(2025, 9, 30, 15, 0));
  CHECK(d.rule == "consultation");
  CHECK(d.clock == "reply");
  CHECK(d.last_day == make_day(2025, 10, 10));
  REQUIRE(d.stepped_over.size() == 8);  // 10-01..10-08, named (National Day, Mid-autumn on 10-06)
  CHECK(d.stepped_over.front().date == make_day(2025, 10, 1));
  CHECK(d.stepped_over.back().date == make_day(2025, 10, 8));
  const std::string text = d.explain();
  CHECK(text.find("000 art. 12") != std::string::npos);
  CHECK(text.find("National Day") != std::string::npos);
  CHECK(text.find("2025-10-11T00:00:00+08:00") != std::string::npos);
}

TEST_CASE("Tianjin preset: transfer within one working day, then 7 or 30 (001 §3.4, annex 10)") {
  // 001 annex 10 item 3: 8 staffed hours from the next opening.  15:00 Tue 09-30: 1.5 h that
  // day, 10-01..08 off, 6.5 h from 08:30 on 10-09 -> 15:00.
  CHECK(tj().due(of(request_type::consultation), bj(2025, 9, 30, 15, 0), "transfer").due == bj(2025, 10, 9, 15, 0));
  // After hours: counting starts at the next opening (08:30 10-09): the close, 16:30.
  CHECK(tj().due(of(request_type::consultation), bj(2025, 9, 30, 20, 0), "transfer").due == bj(2025, 10, 9, 16, 30));
  // 001 §3.4 simple: 10-09, 10-10, Sat 10-11, 10-13..16 = 7 working days.
  CHECK(tj().due(of(request_type::complaint), bj(2025, 9, 30, 15, 0)).due == bj(2025, 10, 17));
  // 001 §3.4 complex: from 2025-03-03, Mar 4-7 (4), 10-14 (9), 17-21 (14), 24-28 (19), 31 (20),
  // Apr 1-3 (23), Apr 4-6 Tomb-sweeping off, Apr 7-11 (28), 14 (29), 15 (30).
  CHECK(tj().due(of(request_type::report, hotline::complexity::complex), bj(2025, 3, 3, 10, 0)).due ==
        bj(2025, 4, 16));
  CHECK(tj().rule_for(of(request_type::other)).name == "simple");  // complexity defaults to simple
}

TEST_CASE("report schedules (001 §3.2, annex 8; 000 art. 14)") {
  const auto& rs = tj().report("receipt_statistics");  // 001 §3.2: 15th and last day of each month
  const auto feb = rs.due_dates(make_day(2025, 2, 1), make_day(2025, 2, 28));
  REQUIRE(feb.size() == 2);
  CHECK(feb[0].due == make_day(2025, 2, 15));
  CHECK(feb[1].due == make_day(2025, 2, 28));
  CHECK(rs.due_dates(make_day(2024, 2, 1), make_day(2024, 2, 29)).back().due == make_day(2024, 2, 29));  // leap year
  // 001 §3.2: monthly statistics before (by) the 7th of the next month.
  const auto m = tj().report("monthly_statistics").for_period_containing(make_day(2025, 1, 20));
  CHECK(m.period_first == make_day(2025, 1, 1));
  CHECK(m.period_last == make_day(2025, 1, 31));
  CHECK(m.due == make_day(2025, 2, 7));
  // 001 annex 8 header: by the 5th.
  const auto a8 = hotline::sla_policy::preset("tianjin-12320-annex8");
  CHECK(a8.report("monthly_statistics").for_period_containing(make_day(2025, 12, 3)).due == make_day(2026, 1, 5));
  // 000 art. 14: each quarter's summary by the quarter's last day.
  const auto q = gz().report("quarterly_summary").due_dates(make_day(2025, 1, 1), make_day(2025, 12, 31));
  REQUIRE(q.size() == 4);
  CHECK(q[2].due == make_day(2025, 9, 30));
  CHECK(q[3].period_first == make_day(2025, 10, 1));
  // Strict reading and rolling to a working day: 2025-02-07 is Friday; "before the 7th" strictly is 02-06.
  hotline::report_schedule strict = tj().report("monthly_statistics");
  strict.inclusive = false;
  CHECK(strict.for_period_containing(make_day(2025, 1, 9)).due == make_day(2025, 2, 6));
  strict.inclusive = true;
  strict.roll = hotline::report_roll::next_workday;
  const auto cal = hotline::calendar::china();
  CHECK(strict.for_period_containing(make_day(2025, 9, 9), &cal).due == make_day(2025, 10, 9));  // 10-07 off
}

TEST_CASE("clocks: pause spanning a holiday, extension, reopen (000 art. 12)") {
  const auto& reply10 = gz().rule_for(of(request_type::complaint)).clock();
  const auto& reply2 = gz().rule_for(of(request_type::consultation)).clock();
  const auto& h = gz().hours();
  const instant recv = bj(2025, 9, 26, 10, 0);  // Friday
  // Without a pause: Sun 09-28 worked (1), 29, 30 (3), 10-09, 10 (5), Sat 10-11 (6), 13..16 (10).
  std::vector<clock_event> ev{clock_event::start_at(recv)};
  CHECK(hotline::evaluate_clock(reply10, h, ev, recv).due == bj(2025, 10, 17));

  SUBCASE("a pause over National Day costs only the working time it took") {
    // 12:00 09-30 to 12:00 10-09: half of 09-30 and half of 10-09 = one working day.
    ev.push_back(clock_event::pause_at(bj(2025, 9, 30, 12, 0), hotline::pause_reason::waiting_for_caller));
    ev.push_back(clock_event::resume_at(bj(2025, 10, 9, 12, 0)));
    const auto s = hotline::evaluate_clock(reply10, h, ev, bj(2025, 10, 10, 9, 0));
    CHECK(s.due == bj(2025, 10, 18));
    CHECK(s.paused == 86400);
    CHECK(s.state == clock_state::running);
    // As of inside the pause: paused, due provisional (as if resumed now).
    const auto p = hotline::evaluate_clock(reply10, h, ev, bj(2025, 10, 5, 9, 0));
    CHECK(p.state == clock_state::paused);
    CHECK(p.due >= bj(2025, 10, 17));
  }
  SUBCASE("a three-hour pause moves an end-of-day due to the next day's end") {
    ev.push_back(clock_event::pause_at(bj(2025, 10, 13, 9, 0), hotline::pause_reason::suspended_with_approval));
    ev.push_back(clock_event::resume_at(bj(2025, 10, 13, 12, 0)));
    CHECK(hotline::evaluate_clock(reply10, h, ev, bj(2025, 10, 14)).due == bj(2025, 10, 18));
  }
  SUBCASE("an extension adds working days; limits and lateness are enforced") {
    // Consultation 09-30 15:00, +2: 10-09, 10-10, Sat 10-11, Mon 10-13.
    std::vector<clock_event> c{clock_event::start_at(bj(2025, 9, 30, 15, 0)),
                               clock_event::extend_at(bj(2025, 10, 9, 10, 0), 2)};
    const auto s = hotline::evaluate_clock(reply2, h, c, bj(2025, 10, 10, 12, 0));
    CHECK(s.due == bj(2025, 10, 14));
    CHECK(s.extensions == 2);
    auto twice = c;
    twice.push_back(clock_event::extend_at(bj(2025, 10, 10, 10, 0), 1));
    CHECK_THROWS_AS((void)hotline::evaluate_clock(reply2, h, twice, bj(2025, 10, 12)), hotline::illegal_transition_error);
    std::vector<clock_event> big{c[0], clock_event::extend_at(bj(2025, 10, 9, 10, 0), 3)};
    CHECK_THROWS_AS((void)hotline::evaluate_clock(reply2, h, big, bj(2025, 10, 12)), hotline::illegal_transition_error);
    std::vector<clock_event> late{c[0], clock_event::extend_at(bj(2025, 10, 11, 1, 0), 1)};
    CHECK_THROWS_AS((void)hotline::evaluate_clock(reply2, h, late, bj(2025, 10, 12)), hotline::illegal_transition_error);
  }
  SUBCASE("a reopen starts a new cycle; the old one keeps its outcome") {
    // Consultation Mon 2025-03-03 10:00 (no holidays in March): due end of Wed 03-05.
    std::vector<clock_event> c{clock_event::start_at(bj(2025, 3, 3, 10, 0)),
                               clock_event::stop_at(bj(2025, 3, 5, 9, 0)),
                               clock_event::reopen_at(bj(2025, 3, 10, 9, 0))};
    const auto cycles = hotline::evaluate_cycles(reply2, h, c, bj(2025, 3, 14, 12, 0));
    REQUIRE(cycles.size() == 2);
    CHECK(cycles[0].state == clock_state::met);
    CHECK(cycles[0].due == bj(2025, 3, 6));
    CHECK(cycles[1].due == bj(2025, 3, 13));  // Tue 03-11, Wed 03-12
    CHECK(cycles[1].state == clock_state::breached);
    CHECK(cycles[1].late_by == 36h);
    CHECK(cycles[1].overdue == 36 * 3600);  // Thursday and half of Friday, both working days
    CHECK(gz().evaluate(of(request_type::consultation), c, bj(2025, 3, 14, 12, 0)) == cycles[1]);
  }
}

TEST_CASE("clock states, remaining time and warnings") {
  const auto& reply2 = gz().rule_for(of(request_type::consultation)).clock();
  const auto& h = gz().hours();
  const std::vector<clock_event> ev{clock_event::start_at(bj(2025, 3, 3, 10, 0))};  // due 03-06T00:00
  auto s = hotline::evaluate_clock(reply2, h, ev, bj(2025, 3, 4, 6, 0));
  CHECK(s.state == clock_state::running);
  CHECK(s.elapsed == 6 * 3600);
  CHECK(s.remaining == 42 * 3600);
  REQUIRE(s.warning.has_value());
  CHECK(*s.warning == bj(2025, 3, 5));  // warning.before = 1 working day
  CHECK_FALSE(s.warned);
  s = hotline::evaluate_clock(reply2, h, ev, bj(2025, 3, 5, 23, 59, 59));
  CHECK(s.warned);
  CHECK(s.state == clock_state::running);  // the last second is still in time
  CHECK(hotline::evaluate_clock(reply2, h, ev, bj(2025, 3, 6)).state == clock_state::breached);
  auto stopped = ev;
  stopped.push_back(clock_event::stop_at(bj(2025, 3, 5, 23, 59, 59)));
  CHECK(hotline::evaluate_clock(reply2, h, stopped, bj(2025, 4, 1)).state == clock_state::met);
  // A stop not yet known as of is ignored.
  CHECK(hotline::evaluate_clock(reply2, h, stopped, bj(2025, 3, 4)).state == clock_state::running);
  const std::string text = hotline::explain(reply2, hotline::evaluate_clock(reply2, h, stopped, bj(2025, 4, 1)), h);
  CHECK(text.find("met") != std::string::npos);
}

TEST_CASE("due rules: close of staffed hours, exact, calendar days") {
  hotline::clock_spec c;
  c.target = {2, hotline::clock_unit::working_days};
  c.due = hotline::due_rule::close_of_staffed_hours;
  const hotline::staffed_hours h(hotline::calendar::china());
  const std::vector<clock_event> ev{clock_event::start_at(bj(2025, 9, 30, 15, 0))};
  CHECK(hotline::evaluate_clock(c, h, ev, ev[0].at).due == bj(2025, 10, 10, 16, 30));  // 001 §3.1 close
  c.counting = hotline::count_from::start_day;  // day 1 = Tue 09-30 itself, day 2 = Thu 10-09
  CHECK(hotline::evaluate_clock(c, h, ev, ev[0].at).due == bj(2025, 10, 9, 16, 30));
  c.target = {1, hotline::clock_unit::working_days};  // day 1 = 09-30, received 15:00: close 16:30
  CHECK(hotline::evaluate_clock(c, h, ev, ev[0].at).due == bj(2025, 9, 30, 16, 30));
  const std::vector<clock_event> late{clock_event::start_at(bj(2025, 9, 30, 17, 0))};  // after the close
  CHECK(hotline::evaluate_clock(c, h, late, late[0].at).due == bj(2025, 10, 9, 16, 30));  // never before the start
  hotline::clock_spec cd;
  cd.target = {7, hotline::clock_unit::calendar_days};
  CHECK(hotline::evaluate_clock(cd, h, ev, ev[0].at).due == bj(2025, 10, 8));  // 10-01..10-07
  cd.counting = hotline::count_from::start_instant;
  cd.due = hotline::due_rule::exact;
  CHECK(hotline::evaluate_clock(cd, h, ev, ev[0].at).due == bj(2025, 10, 7, 15, 0));
}

TEST_CASE("bad histories are clear errors") {
  const auto& reply2 = gz().rule_for(of(request_type::consultation)).clock();
  const auto& h = gz().hours();
  const instant t = bj(2025, 3, 3, 10, 0);
  using E = std::vector<clock_event>;
  const auto pr = hotline::pause_reason::waiting_for_caller;
  // stop before start
  try {
    (void)hotline::evaluate_clock(reply2, h, E{clock_event::start_at(t), clock_event::stop_at(t - 1h)}, t + 1h);
    FAIL("expected an error");
  } catch (const hotline::invalid_argument_error& e) {
    CHECK(std::string(e.what()).find("cannot stop before it started") != std::string::npos);
  }
  CHECK_THROWS_AS((void)hotline::evaluate_clock(reply2, h,
                                                E{clock_event::start_at(t), clock_event::pause_at(t + 1h, pr),
                                                  clock_event::pause_at(t + 2h, pr)},
                                                t + 3h),
                  hotline::illegal_transition_error);  // overlapping pauses
  CHECK_THROWS_AS((void)hotline::evaluate_clock(reply2, h, E{clock_event::start_at(t), clock_event::resume_at(t + 1h)}, t + 3h),
                  hotline::illegal_transition_error);
  CHECK_THROWS_AS((void)hotline::evaluate_clock(reply2, h,
                                                E{clock_event::start_at(t), clock_event::stop_at(t + 1h),
                                                  clock_event::extend_at(t + 2h, 1)},
                                                t + 3h),
                  hotline::illegal_transition_error);  // extension on a closed clock
  // ...even when "as of" is before the bad event: the whole history is checked.
  CHECK_THROWS_AS((void)hotline::evaluate_clock(reply2, h,
                                                E{clock_event::start_at(t), clock_event::stop_at(t + 1h),
                                                  clock_event::extend_at(t + 2h, 1)},
                                                t),
                  hotline::illegal_transition_error);
  CHECK_THROWS_AS((void)hotline::evaluate_clock(reply2, h, E{clock_event::stop_at(t)}, t), hotline::invalid_argument_error);
  CHECK_THROWS_AS((void)hotline::evaluate_cycles(reply2, h, E{clock_event::start_at(t), clock_event::reopen_at(t + 1h)}, t + 2h),
                  hotline::illegal_transition_error);  // reopen of a running clock
  CHECK_THROWS_AS((void)hotline::parse_request_type("inquiry"), hotline::invalid_argument_error);
  CHECK(hotline::parse_request_type("投诉") == request_type::complaint);
  CHECK_THROWS_AS((void)gz().due(of(request_type::suggestion), t), hotline::not_found_error);
  CHECK_THROWS_AS((void)gz().due(of(request_type::consultation), t, "nope"), hotline::not_found_error);
  CHECK_THROWS_AS((void)gz().due(of(request_type::complaint), bj(2026, 12, 28, 9, 0)), hotline::out_of_range_error);
  CHECK_THROWS_AS((void)hotline::sla_policy::preset("beijing"), hotline::not_found_error);
}

TEST_CASE("policies from JSON: round trip, and bad files name the field") {
  const auto back = hotline::sla_policy::from_json(gz().to_json(), "round-trip");
  CHECK(back == gz());
  CHECK(hotline::sla_policy::from_json(tj().to_json()) == tj());
  auto bad = [](const std::string& text) -> std::string {
    try {
      (void)hotline::sla_policy::from_json(text, "bad.json");
    } catch (const hotline::parse_error& e) {
      return e.what();
    }
    return "no error";
  };
  const std::string head = R"({"name": "x", "rules": [{"name": "r", "clocks": [)";
  CHECK(bad(head + R"({"name": "c"}]}]})") == "bad.json: rules[0].clocks[0]: a clock needs a target, e.g. {\"working_days\": 2}");
  CHECK(bad(head + R"({"name": "c", "target": {"working_days": 0}}]}]})").find("rules[0].clocks[0].target.working_days: 0 is outside") !=
        std::string::npos);
  CHECK(bad(head + R"({"name": "c", "target": {"working_days": 2}, "pauzes": []}]}]})").find("unknown key 'pauzes'") !=
        std::string::npos);
  CHECK(bad(R"({"name": "x", "rules": [{"name": "r", "when": {"request_type": "inquiry"}, "clocks": [{"name": "c", "target": {"working_days": 2}}]}]})")
            .find("rules[0].when.request_type: unknown request_type 'inquiry'") != std::string::npos);
  CHECK(bad("{\"name\": \"x\",\n \"rules\": [\n}").find("bad.json:3:") == 0);  // syntax error: the line
  // Two rules that both match complaints, neither more specific: ambiguous.
  const std::string clock = R"("clocks": [{"name": "c", "target": {"working_days": 2}}])";
  CHECK(bad(R"({"name": "x", "rules": [{"name": "a", "when": {"request_type": ["complaint", "report"]}, )" + clock +
            R"(}, {"name": "b", "when": {"request_type": ["complaint", "praise"]}, )" + clock + "}]}")
            .find("neither is more specific") != std::string::npos);
  // ... unless a third rule covers the overlap; then the most specific wins.
  const auto ok = hotline::sla_policy::from_json(
      R"({"name": "x", "rules": [{"name": "a", "when": {"request_type": ["complaint", "report"]}, )" + clock +
      R"(}, {"name": "b", "when": {"urgency": "urgent"}, )" + clock +
      R"(}, {"name": "ab", "when": {"request_type": ["complaint", "report"], "urgency": "urgent"}, )" + clock + "}]}");
  auto o = of(request_type::complaint);
  CHECK(ok.rule_for(o).name == "a");
  o.urgency = hotline::urgency::urgent;
  CHECK(ok.rule_for(o).name == "ab");
  o.type = request_type::praise;
  CHECK(ok.rule_for(o).name == "b");
  CHECK(bad(R"({"name": "x", "rules": [{"name": "a", )" + clock + R"(}, {"name": "b", )" + clock + "}]}")
            .find("match the same orders") != std::string::npos);
  // A policy file on disk.
  const std::string path = std::string(HOTLINE_BINARY_DIR) + "/test_sla_policy.json";
  std::ofstream(path) << gz().to_json();
  CHECK(hotline::sla_policy::from_json_file(path) == gz());
  CHECK_THROWS_AS((void)hotline::sla_policy::from_json_file(path + ".missing"), hotline::error);
}

TEST_CASE("batch due instants agree with the one-by-one form") {
  std::mt19937_64 rng(7);
  const std::int64_t lo = bj(2005, 1, 1).time_since_epoch().count();
  const std::int64_t hi = bj(2026, 11, 30).time_since_epoch().count();
  std::uniform_int_distribution<std::int64_t> when(lo, hi);
  const request_type kinds[] = {request_type::consultation, request_type::complaint, request_type::report,
                                request_type::help_request, request_type::praise};
  std::vector<request_type> types(5000);
  std::vector<std::int64_t> start(types.size()), out(types.size());
  for (std::size_t i = 0; i < types.size(); ++i) {
    types[i] = kinds[rng() % 5];
    start[i] = when(rng);
  }
  start[0] = bj(2025, 1, 23, 23, 59, 59).time_since_epoch().count();
  start[1] = bj(2025, 1, 24).time_since_epoch().count();
  gz().due_many(types, start, out);
  for (std::size_t i = 0; i < types.size(); ++i) {
    const auto d = gz().due(of(types[i]), instant{std::chrono::seconds{start[i]}});
    REQUIRE(out[i] == d.due.time_since_epoch().count());
    // Cross-check with the calendar: the n-th working day after the receipt's local day.
    const auto n = types[i] == request_type::consultation ? 2 : 10;
    REQUIRE(d.last_day == gz().workdays().add_workdays(hotline::local_day(d.start), n));
  }
  std::vector<request_type> bad_types{request_type::suggestion};
  std::vector<std::int64_t> one{lo}, one_out(1);
  CHECK_THROWS_AS(gz().due_many(bad_types, one, one_out), hotline::not_found_error);
  // Columns: state, due, remaining, lateness as of one instant.
  std::vector<std::int64_t> stop(types.size(), hotline::sla_policy::no_time);
  stop[0] = bj(2025, 1, 26, 23, 0).time_since_epoch().count();  // in time (due 01-27T00:00)
  std::vector<std::uint8_t> st(types.size());
  std::vector<std::int64_t> due(types.size()), rem(types.size()), late(types.size());
  gz().evaluate_many(types, start, stop, {}, bj(2025, 1, 27, 12, 0).time_since_epoch().count(), {st, due, rem, late});
  CHECK(st[0] == std::uint8_t(clock_state::met));
  CHECK(due[1] == out[1]);
}

TEST_CASE("invariants on random histories") {
  // Due never before the start; pausing never makes a clock due earlier; one more
  // working day never moves the due instant back.
  std::mt19937_64 rng(3);
  const auto& h = gz().hours();
  const std::int64_t lo = bj(2005, 1, 1).time_since_epoch().count();
  const std::int64_t hi = bj(2026, 6, 30).time_since_epoch().count();
  for (int k = 0; k < 2000; ++k) {
    hotline::clock_spec c;
    c.target = {static_cast<std::int32_t>(1 + rng() % 15), static_cast<hotline::clock_unit>(rng() % 3)};
    c.counting = static_cast<hotline::count_from>(rng() % 4);
    c.due = static_cast<hotline::due_rule>(rng() % 3);
    c.pause_on(hotline::pause_reason::waiting_for_caller);
    const instant s{std::chrono::seconds{lo + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(hi - lo))}};
    const std::vector<clock_event> ev{clock_event::start_at(s)};
    const auto d0 = hotline::evaluate_clock(c, h, ev, s).due;
    INFO(hotline::format_instant(s), " ", c.target.amount, " ", to_string(c.target.unit), " ", to_string(c.counting), " ",
         to_string(c.due));
    REQUIRE(d0 >= s);
    const auto p = s + std::chrono::seconds{static_cast<std::int64_t>(rng() % (20 * 86400))};
    const auto r = p + std::chrono::seconds{static_cast<std::int64_t>(rng() % (10 * 86400))};
    const std::vector<clock_event> paused{clock_event::start_at(s),
                                          clock_event::pause_at(p, hotline::pause_reason::waiting_for_caller),
                                          clock_event::resume_at(r)};
    REQUIRE(hotline::evaluate_clock(c, h, paused, r).due >= d0);
    auto c1 = c;
    ++c1.target.amount;
    REQUIRE(hotline::evaluate_clock(c1, h, ev, s).due >= d0);
  }
}
