// Orders through the store: a full life, numbers, report facts, queries and masking,
// optimistic versions, bad and hostile input, the urgent hook, routing, merge and split,
// and a batch that commits whole or not at all.
#include "hotline/store.hpp"
#include "store_cases_support.hpp"
#include "test_support.hpp"

#include "../src/work_order_fields.hpp"

#include <filesystem>
#include <set>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

using namespace hotline;
using namespace hotline::test::store_cases;
namespace fs = std::filesystem;

TEST_CASE("a full life: events, projection, hash chain, rebuild") {
  const auto dir = fresh_dir("life");
  store db(test::location(dir));
  seed_units(db);
  const auto number = full_life(db);
  const auto wo = db.get(number, true);
  REQUIRE(wo);
  CHECK(wo->state == order_state::closed);
  CHECK(wo->version == 7);
  CHECK(wo->unit == "YX-BJJ");
  CHECK(wo->caller_phone == "13812341234");
  const auto evs = db.events(number, true);
  REQUIRE(evs.size() == 7);
  const action expected[] = {action::create, action::dispatch, action::sign_for, action::reply,
                             action::accept_reply, action::call_back, action::close};
  for (std::size_t i = 0; i < evs.size(); ++i) {
    CHECK(evs[i].action == expected[i]);
    CHECK(evs[i].seq == static_cast<std::int64_t>(i + 1));
    CHECK(evs[i].hash.size() == 64);
  }
  CHECK_FALSE(evs[0].state_before.has_value());
  CHECK(evs[1].state_before == order_state::waiting_for_dispatch);
  CHECK(evs[1].state_after == order_state::dispatched);
  CHECK(evs[2].actor == "L1");
  CHECK(evs[2].unit == "YX-BJJ");
  const auto rep = db.verify();
  CHECK(rep.ok);
  CHECK(rep.events_checked == 7);

  // Rebuilding from the events gives the same projection.
  const auto before = db.orders(order_query{}.revealed());
  CHECK(db.rebuild_projection() == 1);
  CHECK(db.orders(order_query{}.revealed()) == before);
}

TEST_CASE("a generated number passes over one an order was given by hand, in single calls, a batch and an import") {
  const auto dir = fresh_dir("hand-numbers");
  store db(test::location(dir));
  seed_units(db);
  auto by_hand = [](const char* number) {
    auto w = intake();
    w.number = number;
    return w;
  };
  // The first order (id 1) takes the number the store would give the second.
  CHECK(db.create(by_hand("20250303-00000002"), agent).number == "20250303-00000002");
  std::set<std::string> numbers{"20250303-00000002"};
  const auto a = db.create(intake(), agent).number;  // would have been 20250303-00000002
  CHECK(a == "20250303-00000003");
  numbers.insert(a);
  // In a batch: one taken in the file, one by an order of the same transaction.
  {
    auto b = db.begin_batch();
    CHECK(db.create(by_hand("20250303-00000005"), agent).number == "20250303-00000005");  // id 4
    numbers.insert("20250303-00000005");
    numbers.insert(db.create(intake(), agent).number);  // id 5 taken here: 6
    b.commit();
  }
  CHECK(numbers.count("20250303-00000006") == 1);
  // In an import: taken in the file, in flight, and in the transaction being built.
  CHECK(db.create(by_hand("20250303-00000008"), agent).number == "20250303-00000008");  // id 7
  numbers.insert("20250303-00000008");
  {
    auto imp = db.begin_import(2);
    numbers.insert(imp.create(intake(), agent));                      // id 8 is in the file: 9
    numbers.insert(imp.create(by_hand("20250303-00000020"), agent));  // id 10; hands over 9 and 10
    for (int i = 11; i <= 19; ++i)  // the hand-over of 13 and 14 finds 9 and 10 committed: out of the cache
      CHECK(imp.create(intake(), agent) == "20250303-000000" + std::to_string(i));
    numbers.insert(imp.create(intake(), agent));                      // id 20 given by hand: 21
    numbers.insert(imp.create(by_hand("20250303-00000023"), agent));  // id 22
    numbers.insert(imp.create(intake(), agent));                      // id 23 in this transaction: 24
    imp.finish();
  }
  CHECK(numbers.size() == 10);  // every create made a number of its own
  for (const char* n : {"20250303-00000009", "20250303-00000021", "20250303-00000024"}) CHECK(numbers.count(n) == 1);
  CHECK(db.count(order_query{}) == 19);
  CHECK(db.verify().ok);
}

TEST_CASE("report facts and action counts come from the projection") {
  const auto dir = fresh_dir("facts");
  store db(test::location(dir));
  seed_units(db);
  const auto closed = full_life(db);
  auto a = db.create(intake("2025-03-04T09:00:00+08:00"), agent);
  auto d = cmd(action::dispatch, dispatcher, "2025-03-04T10:00:00+08:00");
  d.unit = "YX-DS";
  db.apply(a.number, d);
  auto sup = cmd(action::supervise, {"S1", role::supervisor, {}}, "2025-03-04T11:00:00+08:00");
  sup.level = supervision_level::reminder;
  db.apply(a.number, sup);
  sup.level = supervision_level::supervision;
  db.apply(a.number, sup);
  auto reopen = cmd(action::reopen, {"R1", role::reviewer, {}}, "2025-03-06T10:00:00+08:00");
  db.apply(closed, reopen);
  db.create(intake("2025-04-01T09:00:00+08:00"), agent);  // outside the period
  facts_query q;
  q.from = at("2025-03-01T00:00:00+08:00");
  q.to = at("2025-04-01T00:00:00+08:00");
  auto check_counts = [&] {
    const auto counts = db.action_counts(q);
    REQUIRE(counts.size() == 2);
    CHECK(counts[0].action == action::reopen);
    CHECK(counts[0].events == 1);
    CHECK(counts[0].orders == 1);
    CHECK(counts[1].action == action::supervise);
    CHECK(counts[1].events == 2);
    CHECK(counts[1].orders == 1);
    q.unit = "YX-DS";
    CHECK(db.action_counts(q).size() == 1);
    q.unit.reset();
  };
  check_counts();
  std::vector<std::string> numbers;
  std::size_t matched = 0;
  db.scan_facts(q, [&](const order_facts& f) {
    numbers.emplace_back(f.number);
    const auto o = db.get(f.number, true);
    REQUIRE(o);
    const auto e = facts_of(*o);
    CHECK(f.received_at == e.received_at);
    CHECK(f.state == e.state);
    CHECK(f.unit == e.unit);
    CHECK(f.district == e.district);
    CHECK(f.transferred == e.transferred);
    CHECK(f.dispatched_at == e.dispatched_at);
    CHECK(f.clocks == e.clocks);
    CHECK(f.due == e.due);
    CHECK(f.warn == e.warn);
    CHECK(f.supervision == e.supervision);
    CHECK(f.reopen_count == e.reopen_count);
    CHECK(f.call_back == e.call_back);
    ++matched;
  });
  CHECK(matched == 2);
  CHECK(numbers == std::vector<std::string>{closed, a.number});
  // The counts are part of the projection: a rebuild gives them back.
  db.rebuild_projection();
  check_counts();
}

TEST_CASE("queries: by unit, state, overdue and warned as of, caller number; masked unless revealed") {
  const auto dir = fresh_dir("query");
  store db(test::location(dir));
  seed_units(db);
  full_life(db);  // closed
  auto a = db.create(intake("2025-03-03T09:00:00+08:00"), agent);
  auto b = db.create(intake("2025-03-03T09:30:00+08:00"), agent);
  auto d = cmd(action::dispatch, dispatcher, "2025-03-03T10:00:00+08:00");
  d.unit = "YX-DS";
  db.apply(a.number, d);
  CHECK(db.count(order_query{}.in_unit("YX-DS").open()) == 1);
  CHECK(db.count(order_query{}.with_state(order_state::waiting_for_dispatch)) == 1);
  CHECK(db.count(order_query{}.open()) == 2);
  CHECK(db.count(order_query{}) == 3);
  // b waits for dispatch: 001 annex 10, due at the end of Tue 03-04; a is dispatched and
  // its sign-for clock (1 working day) is due at the same instant.
  CHECK(db.count(order_query{}.overdue(at("2025-03-04T23:59:59+08:00"))) == 0);
  const auto late = db.orders(order_query{}.overdue(at("2025-03-05T00:00:01+08:00")));
  CHECK(late.size() == 2);
  CHECK(db.count(order_query{}.warned(at("2025-03-04T00:00:00+08:00"))) == 2);
  CHECK(db.count(order_query{}.warned(at("2025-03-03T23:59:59+08:00"))) == 0);
  const auto mine = db.orders(order_query{}.phone("13812341234"));
  CHECK(mine.size() == 3);
  CHECK(mine[0].caller_phone == "138****1234");
  CHECK(mine[0].caller_name == "王**");
  CHECK(db.orders(order_query{}.phone("13812341234").revealed())[0].caller_phone == "13812341234");
  CHECK(db.orders(order_query{}.at_most(1)).size() == 1);
  // Events are masked too, in their field changes.
  const auto evs = db.events(b.number);
  bool masked_phone = false;
  for (const auto& c : evs[0].changes) masked_phone |= c.field == "caller_phone" && c.after == "138****1234";
  CHECK(masked_phone);
}

TEST_CASE("optimistic versions: the second of two writers gets a conflict, nothing is lost") {
  const auto dir = fresh_dir("conflict");
  store s1(test::location(dir));
  seed_units(s1);
  store s2(test::location(dir));
  const auto wo = s1.create(intake(), agent);
  const auto seen1 = s1.get(wo.number)->version;
  const auto seen2 = s2.get(wo.number)->version;
  auto c1 = cmd(action::amend, agent, "2025-03-03T10:05:00+08:00");
  c1.amendments = {{"content", "第一位坐席的修改"}};
  c1.expected_version = seen1;
  s1.apply(wo.number, c1);
  auto c2 = c1;
  c2.amendments = {{"content", "第二位坐席的修改"}};
  c2.expected_version = seen2;
  CHECK_THROWS_AS(s2.apply(wo.number, c2), conflict_error);
  const auto now = s2.get(wo.number, true);
  CHECK(now->content == "第一位坐席的修改");
  CHECK(now->version == 2);
  CHECK(s2.events(wo.number).size() == 2);
  // Without an expected version the second writer acts on the fresh state: a second
  // dispatch of the same order is an illegal transition, not an overwrite.
  auto d = cmd(action::dispatch, dispatcher, "2025-03-03T11:00:00+08:00");
  d.unit = "YX-BJJ";
  s1.apply(wo.number, d);
  CHECK_THROWS_AS(s2.apply(wo.number, d), illegal_transition_error);
}

TEST_CASE("bad input: illegal transitions, unknown units, broken UTF-8, over-long fields leave data as it was") {
  const auto dir = fresh_dir("bad");
  store db(test::location(dir));
  seed_units(db);
  const auto wo = db.create(intake(), agent);
  const auto before = db.orders(order_query{}.revealed());
  const auto events_before = db.log(1, 1000).size();

  CHECK_THROWS_AS(db.apply(wo.number, cmd(action::sign_for, {"L1", role::liaison, "YX-BJJ"}, "2025-03-03T11:00:00+08:00")),
                  illegal_transition_error);
  CHECK_THROWS_AS(db.apply(wo.number, cmd(action::dispatch, {"L1", role::liaison, "YX-BJJ"}, "2025-03-03T11:00:00+08:00")),
                  permission_denied_error);
  auto d = cmd(action::dispatch, dispatcher, "2025-03-03T11:00:00+08:00");
  d.unit = "NO-SUCH-UNIT";
  try {
    db.apply(wo.number, d);
    FAIL("no throw");
  } catch (const not_found_error& e) {
    CHECK(std::string(e.what()).find("NO-SUCH-UNIT") != std::string::npos);
  }
  d.unit = "YX-BJJ";
  d.co_units = "YX-DS,GHOST";
  CHECK_THROWS_AS(db.apply(wo.number, d), not_found_error);
  CHECK_THROWS_AS(db.apply("NO-SUCH-ORDER", d), not_found_error);

  auto w = intake();
  w.content = std::string("坏的\xe4\xb8 UTF-8");
  try {
    db.create(w, agent);
    FAIL("no throw");
  } catch (const invalid_argument_error& e) {
    CHECK(std::string(e.what()).find("content") != std::string::npos);
    CHECK(std::string(e.what()).find("UTF-8") != std::string::npos);
  }
  w = intake();
  w.caller_name = std::string(300, 'x');
  CHECK_THROWS_AS(db.create(w, agent), invalid_argument_error);
  w = intake();
  w.caller_phone = std::string("138\0" "1234", 8);
  CHECK_THROWS_AS(db.create(w, agent), invalid_argument_error);
  auto a = cmd(action::amend, agent, "2025-03-03T10:30:00+08:00");
  a.amendments = {{"address", std::string(20001, 'a')}};
  try {
    db.apply(wo.number, a);
    FAIL("no throw");
  } catch (const invalid_argument_error& e) {
    CHECK(std::string(e.what()).find("address") != std::string::npos);
    CHECK(std::string(e.what()).find("20001") != std::string::npos);
  }
  CHECK(db.orders(order_query{}.revealed()) == before);
  CHECK(db.log(1, 1000).size() == events_before);
  CHECK(db.verify().ok);
}

TEST_CASE("broken UTF-8 and over-long text in every text field: an error naming the field, nothing stored") {
  const auto dir = fresh_dir("every");
  store db(test::location(dir));
  const std::string broken = std::string("\xe5\xbc") + "abc";  // a cut-off 3-byte sequence
  std::vector<std::string> names;
  {
    work_order w;
    detail::for_each_field(w, [&](const char* n, auto& v, auto) {
      if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::string>) names.emplace_back(n);
    });
  }
  CHECK(names.size() > 20);
  for (const auto& name : names) {
    for (const std::string& bad : {broken, std::string(20001, 'x')}) {
      work_order w = intake();
      detail::for_each_field(w, [&](const char* n, auto& v, auto) {
        if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::string>)
          if (name == n) v = bad;
      });
      try {
        db.create(w, agent);
        FAIL("accepted bad text in " << name);
      } catch (const invalid_argument_error& e) {
        CHECK_MESSAGE(std::string(e.what()).find(name) != std::string::npos, e.what());
      } catch (const not_found_error&) {
        CHECK((name == "split_from"));  // a link is checked after the text
      }
    }
  }
  CHECK(db.count(order_query{}) == 0);
  CHECK(db.log(1, 10).empty());
}

TEST_CASE("SQL metacharacters in every text field are stored verbatim") {
  const auto dir = fresh_dir("meta");
  store db(test::location(dir));
  const std::string evil = "'); DROP TABLE events; -- \" %_ \\ ` ; SELECT * FROM orders WHERE 1=1 OR '1'='1";
  db.put_unit({evil, evil, unit_kind::institution, "", {{evil, evil}}, {evil}, true});
  work_order w;
  detail::for_each_field(w, [&](const char*, auto& v, auto) {
    if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::string>) v = evil;
  });
  w.number = evil;
  w.split_from.clear();  // a link must name an existing order
  w.received_at = at("2025-03-03T10:00:00+08:00");
  w.request_type = request_type::other;
  const auto wo = db.create(w, {evil, role::agent, evil});
  auto d = cmd(action::dispatch, {evil, role::dispatcher, evil}, "2025-03-03T11:00:00+08:00");
  d.unit = evil;
  d.comment = evil;
  db.apply(evil, d);
  const auto back = db.get(evil, true);
  REQUIRE(back);
  CHECK(back->content == evil);
  CHECK(back->caller_phone == evil);
  CHECK(back->unit == evil);
  CHECK(back->number == evil);
  CHECK(db.events(evil, true).back().comment == evil);
  CHECK(db.count(order_query{}.in_unit(evil)) == 1);
  CHECK(db.find_unit(evil)->covers[0].sub_district == evil);
  CHECK(db.verify().ok);
  CHECK(wo.agent == evil);
}

TEST_CASE("urgent matters call the host's hook after commit: 000 art. 10") {
  const auto dir = fresh_dir("urgent");
  store db(test::location(dir));
  seed_units(db);
  std::vector<std::string> seen;
  db.on_urgent([&](const work_order& o) {
    seen.push_back(o.number + ":" + o.caller_phone);
    throw std::runtime_error("a failing hook must not undo the write");
  });
  auto w = intake();
  w.urgency = urgency::urgent;
  const auto u = db.create(w, agent);
  REQUIRE(seen.size() == 1);
  CHECK(seen[0] == u.number + ":13812341234");  // unmasked: the host forwards it
  const auto n = db.create(intake(), agent);
  CHECK(seen.size() == 1);
  db.apply(n.number, cmd(action::mark_urgent, agent, "2025-03-03T10:10:00+08:00"));
  CHECK(seen.size() == 2);
  db.apply(n.number, cmd(action::mark_urgent, agent, "2025-03-03T10:11:00+08:00"));  // already urgent
  CHECK(seen.size() == 2);
  CHECK(db.get(n.number)->urgent());
}

TEST_CASE("dispatch without a unit routes by topic, then by place; merge and split keep links") {
  const auto dir = fresh_dir("route");
  store db(test::location(dir));
  seed_units(db);
  db.set_liaison({"YX-BJJ", "A", "李联络", "科员", "公卫科", "", "13900002222", "", at("2024-01-01T00:00:00+08:00"), std::nullopt, "A017"});
  auto w = intake();
  const auto a = db.create(w, agent);
  db.apply(a.number, cmd(action::dispatch, dispatcher, "2025-03-03T11:00:00+08:00"));
  const auto ra = db.get(a.number, true);
  CHECK(ra->unit == "YX-BJJ");     // by place
  CHECK(ra->liaison == "李联络");  // the unit's liaison at dispatch (001 annex 9 联络人)
  CHECK(db.get(a.number)->liaison == "李**");
  w.topic = "immunization";
  const auto b = db.create(w, agent);
  db.apply(b.number, cmd(action::dispatch, dispatcher, "2025-03-03T11:00:00+08:00"));
  CHECK(db.get(b.number)->unit == "CDC-IMM");  // by topic (001 §6)
  w.topic.clear();
  w.district = "天河区";
  w.sub_district = "石牌街";
  const auto c = db.create(w, agent);
  CHECK_THROWS_AS(db.apply(c.number, cmd(action::dispatch, dispatcher, "2025-03-03T11:00:00+08:00")), not_found_error);

  auto m = cmd(action::merge, dispatcher, "2025-03-03T11:30:00+08:00");
  m.target = "NOPE";
  CHECK_THROWS_AS(db.apply(c.number, m), not_found_error);
  m.target = a.number;
  CHECK(db.apply(c.number, m).state == order_state::merged);
  CHECK(db.get(c.number)->merged_into == a.number);

  const auto src = db.create(intake(), agent);
  const auto parts = db.split(src.number, {intake(), intake()}, agent, at("2025-03-03T12:00:00+08:00"));
  REQUIRE(parts.size() == 2);
  CHECK(parts[0].split_from == src.number);
  CHECK(db.get(src.number)->related == parts[0].number + "," + parts[1].number);
  CHECK(db.verify().ok);
}

TEST_CASE("a batch commits together or not at all") {
  const auto dir = fresh_dir("batch");
  store db(test::location(dir));
  seed_units(db);
  std::string kept;
  {
    auto b = db.begin_batch();
    kept = db.create(intake(), agent).number;
    auto d = cmd(action::dispatch, dispatcher, "2025-03-03T11:00:00+08:00");
    d.unit = "YX-BJJ";
    db.apply(kept, d);
    db.apply(kept, cmd(action::sign_for, {"L1", role::liaison, "YX-BJJ"}, "2025-03-03T12:00:00+08:00"));
    b.commit();
  }
  {
    auto b = db.begin_batch();
    db.create(intake(), agent);
    // no commit: rolled back
  }
  CHECK(db.count(order_query{}) == 1);
  CHECK(db.get(kept)->state == order_state::in_progress);
  CHECK(db.get(kept)->version == 3);
  CHECK(db.verify().ok);
  const auto before = db.orders(order_query{}.revealed());
  db.rebuild_projection();
  CHECK(db.orders(order_query{}.revealed()) == before);
}
