// The work-order model: the transition table, roles, clocks, deadlines, masking.
#include "hotline/masking.hpp"
#include "hotline/work_order.hpp"
#include "hotline/work_order_deadlines.hpp"
#include "test_support.hpp"

#include <type_traits>

using namespace hotline;

static_assert(std::is_copy_constructible_v<work_order> && std::is_nothrow_move_constructible_v<work_order>);
static_assert(std::is_trivially_copyable_v<order_clock> || std::is_copy_constructible_v<order_clock>);
static_assert(is_terminal(order_state::answered_on_spot) && is_terminal(order_state::merged));
static_assert(!is_open(order_state::draft) && is_open(order_state::suspended));
static_assert(role_may(action::sign_for, role::liaison) && !role_may(action::sign_for, role::agent));
static_assert(next_state(action::supervise, order_state::replied) == order_state::replied);

namespace {
instant at(const char* s) { return parse_instant(s); }

const calendar_deadlines& policy() {
  static const calendar_deadlines p(calendar::china());
  return p;
}

work_order intake(request_type t = request_type::complaint, const char* received = "2025-01-24T10:00:00+08:00") {
  work_order w;
  w.number = "T-1";
  w.request_type = t;
  w.received_at = at(received);
  w.content = "社区卫生服务中心拒绝签约";
  w.caller_name = "张三丰";
  w.caller_phone = "13812341234";
  w.district = "越秀区";
  w.sub_district = "北京街";
  return w;
}

command cmd(action a, role r, const char* when, std::string unit = {}) {
  command c;
  c.action = a;
  c.by = {"X1", r, std::move(unit)};
  c.at = at(when);
  return c;
}
}  // namespace

TEST_CASE("the transition table: each row is its action, every state reachable") {
  bool reached[order_state_count] = {};
  reached[static_cast<std::size_t>(order_state::draft)] = true;
  reached[static_cast<std::size_t>(order_state::waiting_for_dispatch)] = true;  // create
  for (const auto& t : transitions)
    if (!t.same) reached[static_cast<std::size_t>(t.to)] = true;
  for (std::size_t i = 0; i < order_state_count; ++i) CHECK_MESSAGE(reached[i], to_string(static_cast<order_state>(i)));
  // Terminal states allow nothing but relate.
  for (const auto& t : transitions)
    for (auto s : {order_state::answered_on_spot, order_state::voided, order_state::merged})
      if (t.act != action::relate) CHECK_FALSE(allowed_from(t.act, s));
}

TEST_CASE("check_transition names the action and the state, or the role") {
  try {
    check_transition(action::sign_for, order_state::closed, role::liaison);
    FAIL("no throw");
  } catch (const illegal_transition_error& e) {
    CHECK(e.code() == errc::illegal_transition);
    CHECK(std::string(e.what()).find("sign_for") != std::string::npos);
    CHECK(std::string(e.what()).find("closed") != std::string::npos);
  }
  try {
    check_transition(action::sign_for, order_state::dispatched, role::agent);
    FAIL("no throw");
  } catch (const permission_denied_error& e) {
    CHECK(e.code() == errc::permission_denied);
    CHECK(std::string(e.what()).find("role agent") != std::string::npos);
    CHECK(std::string(e.what()).find("liaison") != std::string::npos);
  }
  CHECK_NOTHROW(check_transition(action::dispatch, order_state::waiting_for_dispatch, role::agent));  // 001 §3.3
}

TEST_CASE("create starts the transfer and completion clocks; 000 art. 12 and 001 annex 10") {
  auto w = intake(request_type::consultation);
  w.line = "family_doctor";
  const auto r = create(w, {"A017", role::agent, {}}, false, policy());
  CHECK(r.order.state == order_state::waiting_for_dispatch);
  CHECK(r.order.version == 1);
  CHECK(r.order.agent == "A017");  // the first-question owner
  // 001 annex 10 item 3: transfer within 1 working day.  Received Fri 2025-01-24;
  // Sun 01-26 is an adjusted working day, so the transfer is due at the end of 01-26.
  CHECK(*r.order.clock(clock_kind::transfer).due == at("2025-01-27T00:00:00+08:00"));
  CHECK(*r.order.clock(clock_kind::transfer).warn == at("2025-01-26T00:00:00+08:00"));
  // completion: 2 (000 art. 12 consultation) + 1 transfer day = 3 working days: Sun 26, Mon 27, then
  // the Spring Festival 01-28..02-04, so Wed 02-05.
  CHECK(*r.order.clock(clock_kind::completion).due == at("2025-02-06T00:00:00+08:00"));
  CHECK(r.changes.front().field == "number");
  bool has_phone = false;
  for (const auto& c : r.changes) has_phone |= c.field == "caller_phone" && c.after == "13812341234";
  CHECK(has_phone);
  CHECK_THROWS_AS((void)create(w, {"A017", role::liaison, {}}, false, policy()), permission_denied_error);
  w.content.clear();
  CHECK_THROWS_AS((void)create(w, {"A017", role::agent, {}}, false, policy()), invalid_argument_error);
}

TEST_CASE("deadlines: 000 art. 12 (family doctor) and 001 §3.4 (simple 7, complex 30)") {
  const auto& p = policy();
  work_order w = intake(request_type::consultation);
  w.line = "family_doctor";
  CHECK(p.working_days(clock_kind::reply, w) == 2);
  w.request_type = request_type::praise;
  CHECK(p.working_days(clock_kind::reply, w) == 10);
  w.line = "12320";
  CHECK(p.working_days(clock_kind::reply, w) == 7);
  w.complex = true;
  CHECK(p.working_days(clock_kind::reply, w) == 30);
  CHECK(p.working_days(clock_kind::transfer, w) == 1);
  // 000 art. 12: from the day after receipt.  Dispatched Fri 2025-09-26 -> 2 working days:
  // Sun 09-28 (adjusted working day) and Mon 09-29 -> due at the end of 09-29.
  w.line = "family_doctor";
  w.request_type = request_type::consultation;
  const auto d = p.due(clock_kind::reply, w, at("2025-09-26T16:00:00+08:00"));
  CHECK(d.due == at("2025-09-30T00:00:00+08:00"));
}

TEST_CASE("a full life: dispatch, sign for, reply, accept, call back, close") {
  auto r = create(intake(), {"A017", role::agent, {}}, false, policy());
  auto c = cmd(action::dispatch, role::dispatcher, "2025-01-24T11:00:00+08:00");
  c.unit = "YX-BJJ";
  r = apply(r.order, c, policy());
  CHECK(r.order.state == order_state::dispatched);
  CHECK(r.order.clock(clock_kind::transfer).outcome == clock_outcome::met);
  CHECK(r.order.clock(clock_kind::reply).outcome == clock_outcome::running);
  // 001 §3.4, simple request: 7 working days from the day after dispatch (Fri 01-24):
  // 26, 27, then after the festival 02-05, 06, 07, 08 (adjusted Saturday), 10 -> end of 02-10.
  CHECK(*r.order.clock(clock_kind::reply).due == at("2025-02-11T00:00:00+08:00"));

  // A liaison of another unit may not sign for it.
  CHECK_THROWS_AS((void)apply(r.order, cmd(action::sign_for, role::liaison, "2025-01-24T12:00:00+08:00", "OTHER"), policy()),
                  permission_denied_error);
  r = apply(r.order, cmd(action::sign_for, role::liaison, "2025-01-24T12:00:00+08:00", "YX-BJJ"), policy());
  CHECK(r.order.state == order_state::in_progress);
  CHECK(r.order.signed_at == at("2025-01-24T12:00:00+08:00"));

  auto rep = cmd(action::reply, role::liaison, "2025-01-27T09:00:00+08:00", "YX-BJJ");
  rep.reply_text = "已联系居民并完成签约";
  rep.finding = finding::true_finding;
  rep.resolved = true;
  rep.means = transfer_means::phone;
  r = apply(r.order, rep, policy());
  CHECK(r.order.state == order_state::replied);
  CHECK(r.order.clock(clock_kind::reply).outcome == clock_outcome::met);

  r = apply(r.order, cmd(action::accept_reply, role::reviewer, "2025-01-27T10:00:00+08:00"), policy());
  CHECK(r.order.state == order_state::waiting_for_call_back);
  CHECK(r.order.clock(clock_kind::call_back).outcome == clock_outcome::running);
  auto cb = cmd(action::call_back, role::call_back_agent, "2025-01-27T15:00:00+08:00");
  CHECK_THROWS_AS((void)apply(r.order, cb, policy()), invalid_argument_error);  // needs a result
  cb.call_back = call_back_result::satisfied;
  r = apply(r.order, cb, policy());
  r = apply(r.order, cmd(action::close, role::call_back_agent, "2025-01-27T15:05:00+08:00"), policy());
  CHECK(r.order.state == order_state::closed);
  CHECK(r.order.version == 7);
  CHECK(r.order.clock(clock_kind::completion).outcome == clock_outcome::met);
  CHECK_FALSE(r.order.next_due().has_value());
  CHECK_FALSE(r.order.overdue_as_of(at("2026-01-01T00:00:00+08:00")));

  // Reopen: a new cycle, reply clock restarts at the reopen instant.
  r = apply(r.order, cmd(action::reopen, role::supervisor, "2025-02-10T09:00:00+08:00"), policy());
  CHECK(r.order.state == order_state::in_progress);
  CHECK(r.order.reopen_count == 1);
  CHECK(*r.order.clock(clock_kind::reply).start == at("2025-02-10T09:00:00+08:00"));
  CHECK(r.order.clock(clock_kind::call_back).outcome == clock_outcome::not_started);
}

TEST_CASE("answered on the spot only for consultations: 000 art. 11") {
  auto r = create(intake(request_type::complaint), {"A017", role::agent, {}}, false, policy());
  CHECK_THROWS_AS((void)apply(r.order, cmd(action::answer, role::agent, "2025-01-24T10:05:00+08:00"), policy()),
                  illegal_transition_error);
  auto q = create(intake(request_type::consultation), {"A017", role::agent, {}}, true, policy());
  CHECK(q.order.state == order_state::draft);
  auto a = cmd(action::answer, role::agent, "2025-01-24T10:05:00+08:00");
  a.answer = "签约可在社区卫生服务中心办理";
  a.kb_entries = "KB-12";
  q = apply(q.order, a, policy());
  CHECK(q.order.state == order_state::answered_on_spot);
  CHECK(q.order.clock(clock_kind::completion).outcome == clock_outcome::met);
}

TEST_CASE("return approved voids the unit's clocks; rejected reply keeps the due; extension and suspension move it") {
  auto r = create(intake(), {"A017", role::agent, {}}, false, policy());
  auto d = cmd(action::dispatch, role::dispatcher, "2025-03-03T09:00:00+08:00");
  d.unit = "U1";
  r = apply(r.order, d, policy());
  auto ret = cmd(action::request_return, role::liaison, "2025-03-03T10:00:00+08:00", "U1");
  CHECK_THROWS_AS((void)apply(r.order, ret, policy()), invalid_argument_error);  // needs a reason
  ret.reason = "不属于本中心辖区";
  r = apply(r.order, ret, policy());
  CHECK(r.order.state == order_state::return_requested);
  r = apply(r.order, cmd(action::approve_return, role::dispatcher, "2025-03-03T11:00:00+08:00"), policy());
  CHECK(r.order.state == order_state::waiting_for_dispatch);
  CHECK(r.order.unit.empty());
  CHECK(r.order.clock(clock_kind::reply).outcome == clock_outcome::voided);
  CHECK(r.order.clock(clock_kind::transfer).outcome == clock_outcome::running);
  CHECK(*r.order.clock(clock_kind::transfer).start == at("2025-03-03T11:00:00+08:00"));

  d.unit = "U2";
  d.at = at("2025-03-03T12:00:00+08:00");
  r = apply(r.order, d, policy());
  r = apply(r.order, cmd(action::sign_for, role::liaison, "2025-03-03T13:00:00+08:00", "U2"), policy());
  const instant due0 = *r.order.clock(clock_kind::reply).due;  // 7 working days: end of Wed 03-12
  CHECK(due0 == at("2025-03-13T00:00:00+08:00"));

  // Extension: 001 §3.4 allows complex handling; approved 3 working days -> end of 03-17.
  CHECK_THROWS_AS((void)apply(r.order, cmd(action::approve_extension, role::supervisor, "2025-03-04T09:00:00+08:00"), policy()),
                  illegal_transition_error);  // nothing pending
  r = apply(r.order, cmd(action::request_extension, role::liaison, "2025-03-04T09:00:00+08:00", "U2"), policy());
  CHECK(r.order.extension_pending);
  auto ok = cmd(action::approve_extension, role::supervisor, "2025-03-04T10:00:00+08:00");
  ok.extension_days = 3;
  r = apply(r.order, ok, policy());
  CHECK(*r.order.clock(clock_kind::reply).due == at("2025-03-18T00:00:00+08:00"));

  // Suspended Wed 03-05 to Mon 03-10: (03-05, 03-10] holds 3 working days (06, 07, 10).
  r = apply(r.order, cmd(action::suspend, role::supervisor, "2025-03-05T09:00:00+08:00"), policy());
  CHECK(r.order.clock(clock_kind::reply).outcome == clock_outcome::paused);
  CHECK_FALSE(r.order.overdue_as_of(at("2025-12-01T00:00:00+08:00")));  // paused clocks are not overdue
  r = apply(r.order, cmd(action::resume, role::supervisor, "2025-03-10T09:00:00+08:00"), policy());
  CHECK(*r.order.clock(clock_kind::reply).due == at("2025-03-21T00:00:00+08:00"));

  auto rep = cmd(action::reply, role::liaison, "2025-03-25T09:00:00+08:00", "U2");
  rep.reply_text = "已处理";
  r = apply(r.order, rep, policy());
  CHECK(r.order.clock(clock_kind::reply).outcome == clock_outcome::missed);
  CHECK(r.order.overdue);
  r = apply(r.order, cmd(action::reject_reply, role::reviewer, "2025-03-25T10:00:00+08:00"), policy());  // 重办
  CHECK(r.order.state == order_state::in_progress);
  CHECK(r.order.clock(clock_kind::reply).outcome == clock_outcome::running);
  CHECK(*r.order.clock(clock_kind::reply).due == at("2025-03-21T00:00:00+08:00"));
  CHECK(r.order.overdue_as_of(at("2025-03-25T11:00:00+08:00")));
}

TEST_CASE("amend records old -> new and refuses fields that move by their own action") {
  auto r = create(intake(), {"A017", role::agent, {}}, false, policy());
  auto a = cmd(action::amend, role::agent, "2025-01-24T10:10:00+08:00");
  a.amendments = {{"caller_phone", "13900001111"}, {"content", "内容'; DROP TABLE orders; --"}};
  r = apply(r.order, a, policy());
  REQUIRE(r.changes.size() == 2);
  CHECK(r.changes[0].before == "13812341234");
  CHECK(r.changes[0].after == "13900001111");
  CHECK(r.order.content == "内容'; DROP TABLE orders; --");
  for (const char* f : {"state", "agent", "unit", "reply_due", "number", "nonsense"}) {
    a.amendments = {{f, "x"}};
    CHECK_THROWS_AS((void)apply(r.order, a, policy()), invalid_argument_error);
  }
  a.amendments = {{"content", std::string("bad \xff utf8")}};
  CHECK_THROWS_AS((void)apply(r.order, a, policy()), invalid_argument_error);
  a.amendments = {{"content", std::string(20001, 'x')}};
  CHECK_THROWS_AS((void)apply(r.order, a, policy()), invalid_argument_error);
  a.expected_version = 1;
  a.amendments = {{"content", "x"}};
  CHECK_THROWS_AS((void)apply(r.order, a, policy()), conflict_error);  // it is at version 2
}

TEST_CASE("field text forms round-trip through set_field / get_field") {
  auto r = create(intake(), {"A017", role::agent, {}}, false, policy());
  work_order copy;
  for (const auto& name : work_order_field_names()) {
    const auto v = get_field(r.order, name);
    REQUIRE(v.has_value());
    CHECK(set_field(copy, name, *v));
  }
  copy.version = r.order.version;
  copy.state = r.order.state;
  CHECK(copy == r.order);
  CHECK_FALSE(set_field(copy, "no_such_field", "1"));
}

TEST_CASE("masking: phone, name, ID number, free text") {
  CHECK(mask_phone("13812341234") == "138****1234");
  CHECK(mask_phone("24333662") == "****3662");  // 001 annex 3's office number
  CHECK(mask_phone("1234") == "****");
  CHECK(mask_name("张三丰") == "张**");
  CHECK(mask_name("李") == "*");
  CHECK(mask_name("") == "");
  CHECK(mask_id_number("11010119900307123X") == "110101********123X");
  CHECK(mask_text("请回电13812341234，身份证110101199003071234") == "请回电138****1234，身份证110101********1234");
  CHECK(mask_text("2025年1月24日 3 次") == "2025年1月24日 3 次");
  auto w = intake();
  w.caller_id_number = "110101199003071234";
  const auto m = w.masked();
  CHECK(m.caller_phone == "138****1234");
  CHECK(m.caller_name == "张**");
  CHECK(m.caller_id_number == "110101********1234");
  CHECK(m.content == w.content);
}

TEST_CASE("the SLA policy behind the seam: 000 art. 12 via the guangzhou preset, 001 annex 10 via tianjin") {
  const sla_deadlines gz(sla_policy::preset("guangzhou-family-doctor"));
  auto w = intake(request_type::consultation, "2025-09-30T15:00:00+08:00");
  w.line = "family_doctor";
  // 000 art. 12: consultation 2 working days from the day after receipt; the reply clock of
  // the preset starts at receipt whatever the dispatch instant (National Day stepped over).
  const auto d = gz.due(clock_kind::reply, w, at("2025-10-09T09:00:00+08:00"));
  CHECK(d.due == at("2025-10-11T00:00:00+08:00"));
  CHECK(d.warn < d.due);
  // No transfer clock in the preset: the calendar rule (001 annex 10: 1 working day) answers.
  CHECK(gz.due(clock_kind::transfer, w, w.received_at).due == at("2025-10-10T00:00:00+08:00"));
  const sla_deadlines tj(sla_policy::preset("tianjin-12320"));
  w.line = "12320";
  // 001 annex 10 item 3 read as 8 staffed hours from the next opening: received Tue 15:00,
  // 1.5 h that day, 6.5 h on Wed 09-31... the preset says exactly when.
  const auto tr = tj.due(clock_kind::transfer, w, w.received_at);
  CHECK(tr.due > w.received_at);
  CHECK(tr.due == sla_policy::preset("tianjin-12320").due(order_attributes::of(w), w.received_at, "transfer").due);
  // 001 §3.4 simple: 7 working days from the day after the transfer (the "handle" clock).
  const auto h = tj.due(clock_kind::reply, w, at("2025-03-03T10:00:00+08:00"));
  CHECK(h.due == at("2025-03-13T00:00:00+08:00"));
}
