// The end-to-end example (examples/hotline_month.cpp): a seeded month of traffic
// through the store into the reports.  Every figure the reports give is checked
// against counts this test makes itself from the generated traffic (the stories'
// commands and the call log), without the report code.
#include "month_traffic_support.hpp"

#include <doctest/doctest.h>

#include "test_support.hpp"

#include <filesystem>
#include <map>
#include <set>
#include <unistd.h>

using namespace hotline;
namespace fs = std::filesystem;

namespace {

const city::month_traffic& traffic() {
  static const city::month_traffic t = test::generate_month();
  return t;
}

store& loaded() {
  static store* db = [] {
    const fs::path dir = fs::path(HOTLINE_BINARY_DIR) / "test_month_tmp" / std::to_string(::getpid());
    fs::remove_all(dir);
    fs::create_directories(dir);
    auto* s = new store(dir / "month.db");
    city::load(*s, traffic());
    return s;
  }();
  return *db;
}

// The state an order ends in, read from its last state-changing command.
order_state final_state(const city::story& s) {
  order_state st = order_state::waiting_for_dispatch;
  for (const auto& c : s.steps) switch (c.action) {
      case action::answer: st = order_state::answered_on_spot; break;
      case action::void_: st = order_state::voided; break;
      case action::dispatch: st = order_state::dispatched; break;
      case action::sign_for: st = order_state::in_progress; break;
      case action::request_return: st = order_state::return_requested; break;
      case action::approve_return: st = order_state::waiting_for_dispatch; break;
      case action::reply: st = order_state::replied; break;
      case action::reject_reply: st = order_state::in_progress; break;
      case action::accept_reply: st = order_state::waiting_for_call_back; break;
      case action::close: st = order_state::closed; break;
      default: break;  // extension, supervision, call-back: the state stays
    }
  return st;
}

// Dispatched and not taken back by an approved return since.
bool transferred(const city::story& s) {
  bool t = false;
  for (const auto& c : s.steps) {
    if (c.action == action::dispatch) t = true;
    if (c.action == action::approve_return) t = false;
  }
  return t;
}

std::string final_unit(const city::story& s) {
  std::string u;
  for (const auto& c : s.steps) {
    if (c.action == action::dispatch) u = c.unit;
    if (c.action == action::approve_return) u.clear();
  }
  return u;
}

// The transfer rule written out (001 annex 10 item 3; 000 art. 12's counting):
// due at the end of the first working day after the day the clock started; the
// clock restarts when a return is approved.  Late: stopped after due, or still
// running past due at the end of the month.
bool late_transfer(const city::story& s, instant month_end) {
  const auto cal = calendar::china();
  const auto due_after = [&](instant start) {
    day d = local_day(start) + date::days{1};
    while (!cal.is_workday(d)) d += date::days{1};
    return from_local(d + date::days{1}, seconds{0});
  };
  instant start = s.intake.received_at;
  // The transfer's stop as a flag and an instant: GCC 12 warns that an optional's value
  // "may be used uninitialized" here (a false positive of -Wmaybe-uninitialized).
  bool stopped = false;
  instant stop{};
  for (const auto& c : s.steps) {
    if (c.action == action::dispatch || c.action == action::answer) {
      stopped = true;
      stop = c.at;
    }
    if (c.action == action::approve_return) {
      start = c.at;
      stopped = false;
    }
    if (c.action == action::void_) return false;
  }
  const instant due = due_after(start);
  return stopped ? stop > due : due < month_end;
}

}  // namespace

TEST_CASE("the month's traffic covers what the example claims") {
  const auto& t = traffic();
  std::map<action, int> actions;
  int on_spot = 0, out_of_hours = 0, unanswered_staffed = 0;
  for (const auto& s : t.stories) {
    on_spot += s.answered_on_spot;
    for (const auto& c : s.steps) ++actions[c.action];
  }
  const staffed_hours hours(calendar::china());
  for (const auto& c : t.calls.calls) {
    out_of_hours += !hours.is_staffed(c.started_at);
    unanswered_staffed += !c.answered && hours.is_staffed(c.started_at);
  }
  CHECK(on_spot > 0);
  CHECK(out_of_hours > 0);
  CHECK(unanswered_staffed > 0);
  for (auto a : {action::dispatch, action::approve_return, action::approve_extension, action::supervise,
                 action::reject_reply, action::call_back, action::close, action::void_})
    CHECK_MESSAGE(actions[a] > 0, to_string(a));
  // Seeded: a second generation is identical.
  knowledge_base kb;
  kb.import_file(std::string(HOTLINE_SOURCE_DIR) + "/data/knowledge/family_doctor_kb.json");
  kb.load_synonyms(std::string(HOTLINE_SOURCE_DIR) + "/data/knowledge/synonyms.tsv");
  kb.calibrate();
  const auto again = city::generate(2025, 10, 12320, kb);
  REQUIRE(again.stories.size() == t.stories.size());
  CHECK(again.calls.calls == t.calls.calls);
  CHECK(again.stories.back().intake.number == t.stories.back().intake.number);
}

TEST_CASE("annex 8 tables from the store match counts made from the traffic") {
  const auto& t = traffic();
  auto& db = loaded();
  CHECK(db.verify().ok);
  std::map<request_type, std::int64_t> by_type;
  std::int64_t left_out = 0, rep_tr = 0, rep_done = 0, sug_tr = 0, sug_done = 0;
  std::map<std::string, std::array<std::int64_t, 4>> subj;  // received, centre, transferred, transferred done
  std::map<std::pair<std::string, std::string>, std::int64_t> topics;
  for (const auto& s : t.stories) {
    const auto st = final_state(s);
    if (st == order_state::voided) {
      ++left_out;
      continue;
    }
    const auto type = s.intake.request_type;
    ++by_type[type];
    const bool tr = transferred(s);
    const bool done = st == order_state::closed || st == order_state::waiting_for_call_back;
    if (type == request_type::report) rep_tr += tr, rep_done += tr && done;
    if (type == request_type::suggestion) sug_tr += tr, sug_done += tr && done;
    if (type == request_type::complaint) {
      auto& row = subj[s.intake.complaint_subject];
      ++row[0];
      row[1] += !tr && (st == order_state::closed || st == order_state::answered_on_spot);
      row[2] += tr;
      row[3] += tr && done;
    }
    if (type == request_type::consultation) ++topics[{s.intake.topic, s.intake.sub_topic}];
  }
  const auto m = monthly_statistics(db, t.period);
  CHECK(m.left_out_void_or_merged == left_out);
  CHECK(m.reports == by_type[request_type::report]);
  CHECK(m.complaints == by_type[request_type::complaint]);
  CHECK(m.consultations == by_type[request_type::consultation]);
  CHECK(m.suggestions == by_type[request_type::suggestion]);
  CHECK(m.other_help_requests == by_type[request_type::help_request]);
  CHECK(m.other_praise == by_type[request_type::praise]);
  CHECK(m.other == by_type[request_type::help_request] + by_type[request_type::praise] + by_type[request_type::other]);
  CHECK(m.total == static_cast<std::int64_t>(t.stories.size()) - left_out);
  CHECK(m.report_flow.transferred == rep_tr);
  CHECK(m.report_flow.completed == rep_done);
  CHECK(m.suggestion_flow.transferred == sug_tr);
  CHECK(m.suggestion_flow.completed == sug_done);
  // Pairs, not structured bindings: doctest's INFO/CAPTURE/CHECK_MESSAGE capture in a lambda,
  // which clang 14 (the sanitize preset) does not allow for bindings (P1091).
  for (const auto& subject : subj) {
    const auto& name = subject.first;
    const auto& row = subject.second;
    const auto& got = m.complaints_by_subject[static_cast<std::size_t>(classify_complaint_subject(name))];
    CHECK_MESSAGE(got.received == row[0], name);
    CHECK(got.handled_by_centre == row[1]);
    CHECK(got.transferred == row[2]);
    CHECK(got.transferred_completed == row[3]);
  }
  std::int64_t topic_rows = 0;
  for (const auto& [key, n] : topics) {
    CHECK(m.consultations_by_topic.at(key.first).at(key.second) == n);
    ++topic_rows;
  }
  std::int64_t got_rows = 0;
  for (const auto& [k, subs] : m.consultations_by_topic) got_rows += static_cast<std::int64_t>(subs.size());
  CHECK(got_rows == topic_rows);

  // The same tables from the orders read back as values agree with the store's scan.
  const auto orders = db.orders(order_query{}.received(t.period.from, t.period.to));
  const auto m2 = monthly_statistics(orders, t.period);
  CHECK(m2.total == m.total);
  CHECK(m2.report_flow.completed == m.report_flow.completed);
  CHECK(m2.consultations_by_topic == m.consultations_by_topic);
}

TEST_CASE("quarterly summary, timeliness and assessment facts match the traffic") {
  const auto& t = traffic();
  auto& db = loaded();
  // Quarterly summary (000 art. 14) by district.
  std::map<std::string, std::array<std::int64_t, 3>> districts;
  std::map<call_back_result, std::int64_t> call_backs;
  std::map<action, std::int64_t> actions;
  std::map<std::string, std::size_t> late_by_line, satisfaction_by_unit;
  for (const auto& s : t.stories) {
    if (final_state(s) == order_state::voided) continue;
    const auto type = s.intake.request_type;
    if (type == request_type::complaint) ++districts[s.intake.district][0];
    if (type == request_type::report) ++districts[s.intake.district][1];
    if (type == request_type::praise) ++districts[s.intake.district][2];
    for (const auto& c : s.steps) {
      ++actions[c.action];
      if (c.action == action::call_back) {
        ++call_backs[c.call_back];
        ++satisfaction_by_unit[final_unit(s)];
      }
    }
    if (late_transfer(s, t.as_of)) ++late_by_line[s.line_unit];
  }
  const auto q = quarterly_summary(db, reporting_period::quarter(2025, 4));
  REQUIRE(q.size() == districts.size());
  for (const auto& row : q) {
    CHECK(row.complaints == districts[row.district][0]);
    CHECK(row.reports == districts[row.district][1]);
    CHECK(row.praise == districts[row.district][2]);
  }

  const auto tl = timeliness(db, t.period, t.as_of);
  for (auto r : {call_back_result::satisfied, call_back_result::basically_satisfied, call_back_result::dissatisfied,
                 call_back_result::unreachable})
    CHECK(tl.call_backs_of(r) == call_backs[r]);
  const auto sat = tl.satisfaction();
  CHECK(sat.numerator == call_backs[call_back_result::satisfied] + call_backs[call_back_result::basically_satisfied]);
  CHECK(sat.denominator == sat.numerator + call_backs[call_back_result::dissatisfied]);
  for (const auto& a : tl.actions) CHECK_MESSAGE(a.events == actions[a.action], to_string(a.action));
  CHECK(tl.clock(clock_kind::transfer).missed + tl.clock(clock_kind::transfer).overdue > 0);
  CHECK(!tl.overdue.empty());
  for (const auto& l : tl.overdue) CHECK(l.due < t.as_of);

  // Assessment facts: late transfers by the line that took the call, long-unanswered
  // calls (>= 60 s, staffed hours: working day 08:30-16:30), call-backs by handling unit.
  std::map<std::string, std::size_t> long_calls;
  const auto cal = calendar::china();
  for (const auto& c : t.calls.calls) {
    const auto d = local_day(c.started_at);
    const auto mins = std::chrono::duration_cast<std::chrono::minutes>(c.started_at - from_local(d, seconds{0})).count();
    if (!c.answered && c.wait >= seconds{60} && cal.is_workday(d) && mins >= 8 * 60 + 30 && mins < 16 * 60 + 30)
      ++long_calls[c.unit];
  }
  const auto facts = assessment_facts(db, t.period);
  std::size_t late_total = 0;
  // Pairs, not structured bindings: CHECK_MESSAGE captures in a lambda (clang 14, P1091).
  for (const auto& p : late_by_line) {
    late_total += p.second;
    CHECK_MESSAGE(facts.at(p.first).occurrences.at("late_transfers").size() == p.second, p.first);
  }
  CHECK(late_total > 0);
  for (const auto& p : long_calls)
    CHECK_MESSAGE(facts.at(p.first).occurrences.at("long_unanswered_calls").size() == p.second, p.first);
  for (const auto& p : satisfaction_by_unit)
    CHECK_MESSAGE(facts.at(p.first).observations.at("callback_satisfaction").size() == p.second, p.first);

  // The Tianjin rubric over every unit: deductions follow the counts and their caps.
  const auto scores = assess_units(rubric::preset("tianjin-12320"), db, t.period);
  CHECK(scores.size() == t.units.size() + 1);  // the directory and the centre
  for (const auto& s : scores) {
    const std::string code = s.unit == "(12320 centre)" ? "" : s.unit;
    for (const auto& it : s.items) {
      if (it.item_id == "line.first_question") {
        const double n = static_cast<double>(late_by_line.count(code) ? late_by_line[code] : 0);
        CHECK(it.points == doctest::Approx(std::max(0.0, 8 - std::min(2 * n, 8.0))));
      }
      if (it.item_id == "line.answered") {
        const double n = static_cast<double>(long_calls.count(code) ? long_calls[code] : 0);
        CHECK(it.points == doctest::Approx(8 - std::min(0.2 * n, 3.0)));
      }
    }
  }
}

TEST_CASE("the calls are stored once: importing the log again adds nothing") {
  const auto& t = traffic();
  auto& db = loaded();
  const auto again = db.import_calls(t.calls);
  CHECK(again.added == 0);
  CHECK(again.already_stored == t.calls.calls.size());
  CHECK(db.calls(t.period.from, t.period.to).size() == t.calls.calls.size());
  auto changed = t.calls;
  changed.calls.resize(1);
  changed.calls[0].wait += seconds{1};
  CHECK_THROWS_AS(db.import_calls(changed), conflict_error);
  CHECK(db.calls(t.period.from, t.period.to).front() == t.calls.calls.front());
}
