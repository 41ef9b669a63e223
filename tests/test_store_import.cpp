// store::importer: the bulk path (two threads on SQLite, one on PostgreSQL; the suite runs on
// both, ctest's test_store_import_on_pg).  Whatever the import writes must be
// what the same commands write through the store's single calls (orders, events, the
// report totals, the hash chain); a failing command changes nothing; a failing
// transaction stops the import with the transactions before it whole.
#include "hotline/store.hpp"
#include "hotline/work_order_deadlines.hpp"
#include "pg_test_support.hpp"
#include "store_test_support.hpp"
#include "test_support.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <future>
#include <map>
#include <random>
#include <thread>
#include <tuple>
#include <unistd.h>

using namespace hotline;
namespace fs = std::filesystem;

namespace {

instant at(const char* s) { return parse_instant(s); }

using test::fresh_dir;

void seed_units(store& db) {
  test::seed_units(db);
  db.set_liaison({"YX-BJJ", "A", "李联络", "科员", "公卫科", "", "13900002222", "", at("2024-01-01T00:00:00+08:00"),
                  std::nullopt, "A017"});
}

const actor agent{"A017", role::agent, {}};
const actor dispatcher{"D02", role::dispatcher, {}};

work_order intake(int i) {
  work_order w;
  w.request_type = static_cast<request_type>(i % 5);
  w.received_at = at("2025-03-03T08:00:00+08:00") + seconds{i * 3607};
  w.content = "居民反映第" + std::to_string(i) + "号问题：家庭医生未按约定上门随访";
  w.caller_name = "王小明";
  w.caller_phone = "1381234" + std::to_string(1000 + i);
  w.district = "越秀区";
  w.sub_district = i % 2 ? "北京街" : "大塘街";
  if (w.request_type == request_type::consultation) w.topic = "family_doctor";
  if (i % 17 == 3) w.urgency = urgency::urgent;
  return w;
}

command cmd(action a, actor by, instant t) {
  command c;
  c.action = a;
  c.by = std::move(by);
  c.at = t;
  return c;
}

/// One step of an order's life, or nothing when the order is done.
std::optional<command> next_step(const work_order& o, int step, std::mt19937& rng) {
  const instant t = o.received_at + seconds{3600 * (step + 1)};
  const std::string unit = o.sub_district == "北京街" ? "YX-BJJ" : "YX-DS";
  const actor liaison{"L-" + unit, role::liaison, unit};
  switch (step) {
    case 0: {
      auto c = cmd(action::dispatch, dispatcher, t);
      c.unit = unit;
      return c;
    }
    case 1: return cmd(action::sign_for, liaison, t);
    case 2: {
      if (rng() % 4 == 0) return cmd(action::request_extension, liaison, t);
      auto c = cmd(action::supervise, {"S1", role::supervisor, {}}, t);
      c.level = supervision_level::reminder;
      return c;
    }
    case 3: {
      auto c = cmd(action::reply, liaison, t);
      c.reply_text = "已联系居民并处理";
      c.resolved = true;
      return c;
    }
    case 4: return cmd(action::accept_reply, {"R1", role::reviewer, {}}, t);
    case 5: {
      auto c = cmd(action::call_back, {"C1", role::call_back_agent, {}}, t);
      c.call_back = rng() % 3 ? call_back_result::satisfied : call_back_result::dissatisfied;
      return c;
    }
    case 6: return cmd(action::close, {"C1", role::call_back_agent, {}}, t);
    default: return std::nullopt;
  }
}

/// The same script against either write path: orders are created in waves and moved a
/// step at a time in shuffled order, so that one order's commands fall into different
/// transactions of the importer (in flight, committed, or the one being built).
template <class Create, class Apply>
void script(Create&& create, Apply&& apply, std::map<std::string, work_order>& model) {
  std::mt19937 rng(20251123);
  std::vector<std::pair<std::string, int>> live;  // number, next step
  for (int wave = 0, i = 0; wave < 6; ++wave) {
    for (int k = 0; k < 9; ++k, ++i) {
      const auto w = intake(i);
      const std::string no = create(w);
      model[no] = w;
      live.emplace_back(no, 0);
    }
    std::shuffle(live.begin(), live.end(), rng);
    for (auto& [no, step] : live) {
      if (step > 6 || rng() % 3 == 0) continue;
      std::mt19937 r2(static_cast<unsigned>(std::hash<std::string>{}(no)) + static_cast<unsigned>(step));
      if (auto c = next_step(model[no], step, r2)) apply(no, *c);
      ++step;
    }
  }
  for (auto& [no, step] : live)
    for (; step <= 6; ++step) {
      std::mt19937 r2(static_cast<unsigned>(std::hash<std::string>{}(no)) + static_cast<unsigned>(step));
      if (auto c = next_step(model[no], step, r2)) apply(no, *c);
    }
}

/// What an event says, without when it was recorded and its hash (both differ by run)
/// and its position in the log (a transaction's events go in order by order).
auto event_content(const event& e) {
  return std::make_tuple(e.order, e.seq, e.action, e.at, e.actor, e.role, e.unit, e.state_before, e.state_after,
                         e.changes, e.comment);
}

std::map<std::string, std::int64_t> totals(const store& db) {
  std::map<std::string, std::int64_t> out;
  facts_query q;
  q.from = at("2025-01-01T00:00:00+08:00");
  q.to = at("2026-01-01T00:00:00+08:00");
  q.with_clocks = false;
  db.count_facts(q, [&](const order_facts& f, std::int64_t n) {
    out[std::string(to_string(f.request_type)) + "|" + std::string(to_string(f.state)) + "|" +
        (f.transferred ? "t" : "-") + "|" + std::string(f.unit) + "|" + std::string(f.topic)] += n;
  });
  return out;
}

}  // namespace

TEST_CASE("an import writes exactly what the same commands write through single calls") {
  const auto dir = fresh_dir("import-same");
  store one(test::location(dir, "one.db")), two(test::location(dir, "two.db"));
  seed_units(one);
  seed_units(two);
  std::map<std::string, work_order> m1, m2;
  script([&](const work_order& w) { return one.create(w, agent).number; },
         [&](const std::string& no, const command& c) { one.apply(no, c); }, m1);

  const auto caller = std::this_thread::get_id();
  std::vector<std::string> urgent_seen;
  two.on_urgent([&](const work_order& o) {
    CHECK(std::this_thread::get_id() == caller);  // the host's thread, not the writer's
    urgent_seen.push_back(o.number);
  });
  std::int64_t committed = 0;
  {
    auto imp = two.begin_import(4);  // small transactions: commands cross them all the time
    script([&](const work_order& w) { return imp.create(w, agent); },
           [&](const std::string& no, const command& c) {
             const auto v = imp.apply(no, c);
             CHECK(v >= 2);
           },
           m2);
    imp.finish();
    committed = imp.committed_orders();
    CHECK_THROWS_AS(imp.create(intake(0), agent), invalid_argument_error);  // finished
  }
  CHECK(committed == 54);
  REQUIRE(m1.size() == m2.size());

  const auto o1 = one.orders(order_query{}.revealed()), o2 = two.orders(order_query{}.revealed());
  REQUIRE(o1.size() == 54);
  CHECK(o1 == o2);
  for (const auto& o : o1) {
    const auto e1 = one.events(o.number, true), e2 = two.events(o.number, true);
    REQUIRE(e1.size() == e2.size());
    CHECK(static_cast<std::int64_t>(e2.size()) == o.version);
    for (std::size_t k = 0; k < e1.size(); ++k) CHECK(event_content(e1[k]) == event_content(e2[k]));
  }
  CHECK(one.log(1, 100000).size() == two.log(1, 100000).size());
  CHECK(two.verify().ok);
  CHECK(totals(one) == totals(two));
  CHECK(!totals(two).empty());

  // Urgent orders (000 art. 10) were announced once each, as the single calls do.
  std::vector<std::string> urgent_orders;
  for (const auto& o : o2)
    if (o.urgent()) urgent_orders.push_back(o.number);
  std::sort(urgent_seen.begin(), urgent_seen.end());
  CHECK(urgent_seen == urgent_orders);
  CHECK(!urgent_seen.empty());

  // The projection the import wrote is the one its events replay to.
  two.rebuild_projection();
  CHECK(two.orders(order_query{}.revealed()) == o2);
}

TEST_CASE("during an import a failing command throws at once and changes nothing") {
  const auto dir = fresh_dir("import-bad");
  store db(test::location(dir));
  seed_units(db);
  auto imp = db.begin_import(3);
  const auto a = imp.create(intake(1), agent);
  const auto b = imp.create(intake(2), agent);
  // Illegal transition, wrong role, unknown unit and order, broken UTF-8, an empty request.
  CHECK_THROWS_AS(imp.apply(a, cmd(action::sign_for, {"L", role::liaison, "YX-BJJ"}, at("2025-03-03T12:00:00+08:00"))),
                  illegal_transition_error);
  CHECK_THROWS_AS(imp.apply(a, cmd(action::dispatch, {"C1", role::call_back_agent, {}}, at("2025-03-03T12:00:00+08:00"))),
                  permission_denied_error);
  auto d = cmd(action::dispatch, dispatcher, at("2025-03-03T12:00:00+08:00"));
  d.unit = "NO-SUCH-UNIT";
  CHECK_THROWS_AS(imp.apply(a, d), not_found_error);
  CHECK_THROWS_AS(imp.apply("20250303-99999999", d), not_found_error);
  auto w = intake(3);
  w.caller_name = std::string("王\xff");
  CHECK_THROWS_AS(imp.create(w, agent), invalid_argument_error);
  w = intake(3);
  w.content.clear();
  CHECK_THROWS_AS(imp.create(w, agent), invalid_argument_error);
  // Failing half-way, after a field has changed: the command is applied to the cached
  // order itself, so what it changed must be set back (the content stays the intake's).
  auto am = cmd(action::amend, agent, at("2025-03-03T11:00:00+08:00"));
  am.amendments = {{"content", "改过的内容"}, {"state", "closed"}};
  CHECK_THROWS_AS(imp.apply(a, am), invalid_argument_error);
  am.amendments = {{"address", "新地址"}, {"content", "改过的内容"}, {"ivr_key", "not a number"}};
  CHECK_THROWS_AS(imp.apply(a, am), invalid_argument_error);
  d.unit = "YX-BJJ";
  CHECK(imp.apply(a, d) == 2);
  imp.finish();
  CHECK(imp.committed_orders() == 2);

  const auto oa = db.get(a, true);
  REQUIRE(oa);
  CHECK(oa->state == order_state::dispatched);
  CHECK(oa->version == 2);
  CHECK(oa->liaison == "李联络");  // the unit's liaison, read through the import's reader
  CHECK(oa->content == intake(1).content);
  CHECK(oa->address == intake(1).address);
  CHECK(oa->ivr_key == intake(1).ivr_key);
  CHECK(db.get(b)->state == order_state::waiting_for_dispatch);
  CHECK(db.count(order_query{}) == 2);
  CHECK(db.events(a).size() == 2);
  CHECK(db.verify().ok);
}

TEST_CASE("while an import is open the store takes no other call; after it, every call works") {
  const auto dir = fresh_dir("import-excl");
  store db(test::location(dir));
  seed_units(db);
  {
    auto imp = db.begin_import();
    imp.create(intake(1), agent);
    CHECK_THROWS_AS(db.create(intake(2), agent), invalid_argument_error);
    CHECK_THROWS_AS((void)db.get("x"), invalid_argument_error);
    CHECK_THROWS_AS((void)db.count(order_query{}), invalid_argument_error);
    CHECK_THROWS_AS((void)db.begin_batch(), invalid_argument_error);
    CHECK_THROWS_AS((void)db.begin_import(), invalid_argument_error);
    imp.finish();
  }
  CHECK(db.count(order_query{}) == 1);
  {
    auto b = db.begin_batch();
    CHECK_THROWS_AS((void)db.begin_import(), invalid_argument_error);
    b.commit();
  }
  CHECK_THROWS_AS((void)db.begin_import(0), invalid_argument_error);
  db.create(intake(3), agent);
  CHECK(db.count(order_query{}) == 2);
  CHECK(db.verify().ok);
}

TEST_CASE("a transaction that fails to write stops the import; the ones before stay whole, none after is written") {
  // SQLite: the writer thread waits for another writer's lock with transactions queued.
  // On PostgreSQL the import holds the write lock for its whole transaction (the case
  // "on PostgreSQL, a transaction the server loses stops the import" below).
  if (test::on_pg()) return;
  const auto dir = fresh_dir("import-conflict");
  store db(test::location(dir));
  seed_units(db);
  const auto x = db.create(intake(9), agent).number;

  store other(test::location(dir));  // another writer on the same file (a second process would be the same)
  auto imp = db.begin_import(2);
  const auto a = imp.create(intake(1), agent);
  const auto b = imp.create(intake(2), agent);  // transaction 1: a, b
  for (int i = 0; i < 5000 && imp.committed_orders() < 2; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  REQUIRE(imp.committed_orders() == 2);
  std::string c;
  std::vector<std::string> later;
  {
    // The other writer holds the file's write lock: the import's writer waits for it with
    // transaction 2 in hand while transaction 3 queues behind (two are in flight).
    auto other_batch = other.begin_batch();
    auto d = cmd(action::dispatch, dispatcher, at("2025-03-03T12:00:00+08:00"));
    d.unit = "YX-DS";
    CHECK(imp.apply(x, d) == 2);  // expects x at version 1 in the file
    c = imp.create(intake(3), agent);  // transaction 2: x, c -- to be refused by the version check
    later.push_back(imp.create(intake(4), agent));
    later.push_back(imp.create(intake(5), agent));  // transaction 3
    auto amend = cmd(action::amend, agent, at("2025-03-03T12:30:00+08:00"));
    amend.amendments = {{"content", "居民补充：要求当面答复"}};
    CHECK(other.apply(x, amend).version == 2);  // ... but the other writer moves it first
    other_batch.commit();
  }
  CHECK_THROWS_AS(imp.finish(), conflict_error);
  CHECK(imp.committed_orders() == 2);

  CHECK(db.get(a));
  CHECK(db.get(b));
  CHECK(!db.get(c));  // none of transaction 2
  for (const auto& no : later) CHECK(!db.get(no));  // nor of transaction 3, queued behind it
  const auto ox = db.get(x, true);
  REQUIRE(ox);
  CHECK(ox->state == order_state::waiting_for_dispatch);  // the other writer's amendment, not the dispatch
  CHECK(ox->content == "居民补充：要求当面答复");
  CHECK(db.events(x).size() == 2);
  CHECK(db.verify().ok);
  // The report totals kept nothing of the failed transaction: recomputing them from
  // the events changes nothing.
  const auto kept = totals(db);
  CHECK(kept.size() >= 1);
  db.rebuild_projection();
  CHECK(totals(db) == kept);
}

TEST_CASE("an importer tells how long each thread waited for the other") {
  if (test::on_pg()) return;  // one thread on PostgreSQL: waits() is zero (the case below)
  const auto dir = fresh_dir("import-waits");
  store db(test::location(dir));
  seed_units(db);
  SUBCASE("a slow caller: the writer waits") {
    auto imp = db.begin_import(1);
    for (int i = 0; i < 4; ++i) {
      imp.create(intake(i), agent);
      std::this_thread::sleep_for(std::chrono::milliseconds(40));  // the host reading its source
    }
    imp.finish();
    const auto w = imp.waits();
    CHECK(w.writer_s >= 0.1);
    CHECK(w.caller_s < w.writer_s);
  }
  SUBCASE("a slow writer: the caller waits") {
    // Another writer holds the file's write lock for 300 ms: the import's writer waits
    // for it with transaction 1, transaction 2 queues, and handing over the third waits.
    store other(test::location(dir));
    std::promise<void> locked;
    std::thread holder([&] {
      auto b = other.begin_batch();
      locked.set_value();
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      b.commit();
    });
    locked.get_future().wait();
    auto imp = db.begin_import(1);
    for (int i = 0; i < 3; ++i) imp.create(intake(i), agent);
    const auto during = imp.waits();
    imp.finish();
    holder.join();
    const auto w = imp.waits();
    CHECK(during.caller_s >= 0.15);
    CHECK(w.caller_s >= during.caller_s);
    CHECK(imp.committed_orders() == 3);
  }
}

TEST_CASE("events another writer appends between an import's transactions keep the chain whole") {
  // The calling thread hashes each transaction's events on the log as its own
  // transactions leave it; another store appending in between moves the log's end, and
  // the writer must then hash on the file as it is.
  const auto dir = fresh_dir("import-chain");
  store db(test::location(dir));
  seed_units(db);
  const auto before = db.create(intake(0), agent).number;
  store other(test::location(dir));
  auto imp = db.begin_import(2);
  imp.create(intake(1), agent);
  imp.create(intake(2), agent);  // the first transaction goes to the writer
  for (int i = 0; i < 500 && imp.committed_orders() < 2; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  REQUIRE(imp.committed_orders() == 2);
  auto d = cmd(action::dispatch, dispatcher, at("2025-03-03T12:00:00+08:00"));
  d.unit = "YX-BJJ";
  other.apply(before, d);  // an event after the import's first transaction
  std::vector<std::string> later;
  for (int i = 3; i < 9; ++i) later.push_back(imp.create(intake(i), agent));
  imp.finish();
  CHECK(imp.committed_orders() == 8);
  const auto v = db.verify();
  CHECK(v.ok);
  CHECK(db.count(order_query{}) == 9);
  CHECK(db.events(before).size() == 2);
  CHECK(db.events(later.back()).size() == 1);
}

/// The calendar's deadlines, except that a reply clock started from `cutoff` on has none
/// (as when the calendar's data runs out before its deadline).
class reply_cutoff final : public deadline_policy {
 public:
  explicit reply_cutoff(instant cutoff) : cutoff_(cutoff) {}
  due_times due(clock_kind k, const work_order& o, instant start) const override {
    if (k == clock_kind::reply && start >= cutoff_) throw out_of_range_error("no calendar data for the reply deadline");
    return cal_.due(k, o, start);
  }
  due_times resumed(clock_kind k, const work_order& o, due_times before, instant paused, instant resumed) const override {
    return cal_.resumed(k, o, before, paused, resumed);
  }
  due_times extended(clock_kind k, const work_order& o, due_times before, int days) const override {
    return cal_.extended(k, o, before, days);
  }

 private:
  calendar_deadlines cal_{calendar::china()};
  instant cutoff_;
};

TEST_CASE("a command that fails after a clock changed leaves the cached order as it was") {
  // The dispatch stops the transfer clock and starts the sign-for clock, and then the
  // reply clock's deadline cannot be computed: it fails half-way and everything it
  // changed must be set back.
  const auto dir = fresh_dir("import-undo-clock");
  store_options o;
  o.deadlines = std::make_shared<reply_cutoff>(at("2025-03-10T00:00:00+08:00"));
  store db(test::location(dir), o);
  seed_units(db);
  auto imp = db.begin_import(10);
  const auto a = imp.create(intake(1), agent);
  auto d = cmd(action::dispatch, dispatcher, at("2025-03-10T10:00:00+08:00"));
  d.unit = "YX-BJJ";
  CHECK_THROWS_AS(imp.apply(a, d), out_of_range_error);
  d.at = at("2025-03-04T10:00:00+08:00");
  CHECK(imp.apply(a, d) == 2);
  imp.finish();
  const auto got = db.get(a, true);
  REQUIRE(got);
  CHECK(got->dispatched_at == d.at);
  CHECK(got->clock(clock_kind::transfer).stopped == d.at);
  CHECK(got->clock(clock_kind::sign_for).start == d.at);
  CHECK(got->clock(clock_kind::reply).start == d.at);
  CHECK(db.events(a).size() == 2);
  CHECK(db.verify().ok);
}

TEST_CASE("an import checkpoints on a thread of its own and keeps the WAL bounded") {
  if (test::on_pg()) return;  // SQLite's WAL
  // Small pages, so that a few thousand orders fill many times the WAL's bound (four
  // times SQLite's automatic checkpoint of 1,000 pages, plus the transaction in hand).
  const auto dir = fresh_dir("import-wal");
  store_options o;
  o.page_size = 1024;
  store db(test::location(dir), o);
  seed_units(db);
  const int n = 25000;
  const std::uintmax_t frame = 1024 + 24, bound = (4000 + 1000) * frame;
  std::vector<std::string> numbers;
  std::uintmax_t wal_during = 0;
  {
    auto imp = db.begin_import(500);
    for (int i = 0; i < n; ++i) numbers.push_back(imp.create(intake(i % 4000), agent));  // received in 2025
    // All but the last two transactions handed over are written by now (two in flight at most).
    wal_during = fs::file_size(dir / "h.db-wal");
    imp.finish();
    CHECK(imp.committed_orders() == n);
  }
  CHECK(fs::file_size(dir / "h.db") > 3 * bound);  // the import wrote far more than the bound
  CHECK(wal_during <= bound);
  CHECK(fs::file_size(dir / "h.db-wal") == 0);  // emptied once the import is over
  CHECK(db.count(order_query{}) == n);
  CHECK(db.get(numbers.back())->content == intake((n - 1) % 4000).content);
  CHECK(db.verify().ok);
}

TEST_CASE("an importer dropped without finish() keeps what it handed over and nothing else") {
  const auto dir = fresh_dir("import-drop");
  store db(test::location(dir));
  seed_units(db);
  std::string a, b, c;
  {
    auto imp = db.begin_import(2);
    a = imp.create(intake(1), agent);
    b = imp.create(intake(2), agent);  // handed over
    c = imp.create(intake(3), agent);  // not yet
  }
  CHECK(db.get(a));
  CHECK(db.get(b));
  CHECK(!db.get(c));
  CHECK(db.verify().ok);
  // The store goes on: the next order takes the next free number.
  const auto d = db.create(intake(4), agent);
  CHECK(d.number != a);
  CHECK(d.number != b);
  CHECK(db.count(order_query{}) == 3);
}

TEST_CASE("a dispatch names the liaison in office at its instant, in one transaction before and after a change (001 §4.1)") {
  // Historical orders imported in one go span liaison changes: each dispatch must get
  // the liaison whose term covers its own instant, not the first one looked up.
  const auto dir = fresh_dir("import-liaison-change");
  const instant change = at("2025-03-10T00:00:00+08:00");
  auto setup = [&](store& db) {
    seed_units(db);  // 李联络 from 2024-01-01
    db.set_liaison({"YX-BJJ", "A", "赵联络", "科员", "公卫科", "", "13900003333", "", change, std::nullopt, "A017"});
    // A second slot is never the answer while slot A has someone in office.
    db.set_liaison({"YX-BJJ", "B", "钱联络", "", "", "", "", "", at("2024-01-01T00:00:00+08:00"), std::nullopt, "A017"});
  };
  const instant days[] = {at("2025-03-03T09:00:00+08:00"), at("2025-03-09T23:59:59+08:00"), change,
                          at("2025-04-01T09:00:00+08:00"), at("2025-03-05T09:00:00+08:00")};
  const char* expected[] = {"李联络", "李联络", "赵联络", "赵联络", "李联络"};
  auto run = [&](auto& w, auto&& number_of) {
    std::vector<std::string> numbers;
    for (std::size_t k = 0; k < std::size(days); ++k) {
      auto o = intake(1);
      o.received_at = days[k] - seconds{3600};
      numbers.push_back(number_of(w.create(o, agent)));
      auto c = cmd(action::dispatch, dispatcher, days[k]);
      c.unit = "YX-BJJ";
      w.apply(numbers.back(), c);
    }
    return numbers;
  };
  SUBCASE("importer") {
    store db(test::location(dir, "imp.db"));
    setup(db);
    auto imp = db.begin_import(100);  // all in one transaction
    const auto numbers = run(imp, [](std::string n) { return n; });
    imp.finish();
    for (std::size_t k = 0; k < numbers.size(); ++k) CHECK(db.get(numbers[k], true)->liaison == expected[k]);
  }
  SUBCASE("batch") {
    store db(test::location(dir, "batch.db"));
    setup(db);
    auto b = db.begin_batch();
    const auto numbers = run(db, [](const work_order& o) { return o.number; });
    b.commit();
    for (std::size_t k = 0; k < numbers.size(); ++k) CHECK(db.get(numbers[k], true)->liaison == expected[k]);
  }
  SUBCASE("single calls") {
    store db(test::location(dir, "single.db"));
    setup(db);
    const auto numbers = run(db, [](const work_order& o) { return o.number; });
    for (std::size_t k = 0; k < numbers.size(); ++k) CHECK(db.get(numbers[k], true)->liaison == expected[k]);
  }
}

TEST_CASE("on PostgreSQL, a transaction the server loses stops the import; the ones committed before stay whole") {
  if (!test::on_pg()) return;
  const auto dir = fresh_dir("import-pg-lost");
  const auto loc = test::location(dir);
  store db(loc);
  seed_units(db);
  auto imp = db.begin_import(2);
  const auto a = imp.create(intake(1), agent);
  const auto b = imp.create(intake(2), agent);  // the first transaction commits with its second order
  CHECK(imp.committed_orders() == 2);
  CHECK(imp.waits().caller_s == 0);  // one thread: nobody waits for another
  const auto c = imp.create(intake(3), agent);  // the second transaction, open on the server
  test::drop_connections(loc);                  // the server ends the import's session
  try {
    imp.create(intake(4), agent);
    FAIL("a command went through a dropped connection");
  } catch (const storage_error& e) {
    const std::string msg = e.what();
    INFO(msg);
    CHECK(msg.find("the import stopped") != std::string::npos);
    CHECK(msg.find("postgresql://") == 0);
  }
  CHECK_THROWS_AS(imp.create(intake(5), agent), storage_error);  // the import takes no more
  CHECK_THROWS_AS(imp.finish(), storage_error);
  CHECK(imp.committed_orders() == 2);
  CHECK(db.get(a));
  CHECK(db.get(b));
  CHECK(!db.get(c));
  CHECK(db.count(order_query{}) == 2);
  CHECK(db.verify().ok);
  // The store reconnects and goes on; so does a new import.
  auto again = db.begin_import(10);
  const auto d = again.create(intake(6), agent);
  again.finish();
  CHECK(again.committed_orders() == 1);
  CHECK(db.get(d));
  CHECK(db.verify().ok);
}
