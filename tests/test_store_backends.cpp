// The two back ends side by side (issue 21 items 3 and 4): the main job's month
// (examples/city_traffic.hpp, what hotline_month loads) gives the same report tables on
// SQLite and on PostgreSQL, and a store moved between them (copy_store) is the same
// store: every order, every event with its hash, the head, the liaison history, the call
// log, signed heads, and every report.
//
// Run twice by ctest: on SQLite alone (the "target" is a second file: the copy's own
// rules) and as test_store_backends_on_pg in a throwaway cluster, where the target is a
// PostgreSQL database (test::location).
#include "month_traffic_support.hpp"

#include "hotline/hotline.hpp"
#include "hotline/store_copy.hpp"
#include "store_test_support.hpp"
#include "test_support.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

using namespace hotline;
namespace fs = std::filesystem;

namespace {

const city::month_traffic& traffic() {
  static const city::month_traffic t = test::generate_month(30);
  return t;
}

/// Every table the main job prints (hotline_month.cpp), as CSV with titles and notes.
std::vector<std::string> every_table(const store& db) {
  const auto& t = traffic();
  std::vector<report_table> all = monthly_statistics(db, t.period).tables();
  const auto q = reporting_period::quarter(2025, 4);
  all.push_back(quarterly_summary_table(quarterly_summary(db, q), q));
  for (auto& x : timeliness(db, t.period, t.as_of).tables()) all.push_back(std::move(x));
  std::map<std::string, unit_facts> entries;
  for (const auto& u : t.units) entries[u.code].checks["has_lead"] = true;
  assessment_inputs inputs;
  inputs.long_unanswered = std::chrono::seconds{60};
  for (auto& x : assessment_tables(assess_units(rubric::preset("tianjin-12320"), db, t.period, entries, inputs), t.period))
    all.push_back(std::move(x));
  std::vector<std::string> out;
  for (const auto& x : all) {
    std::string s = x.title + "\n" + to_csv(x);
    for (const auto& n : x.notes) s += n + "\n";
    out.push_back(std::move(s));
  }
  return out;
}

/// The report path's raw facts, in number order, as text (order_facts holds views).
std::vector<std::string> every_fact(const store& db) {
  std::map<std::string, std::string> by_number;
  facts_query q;
  q.from = traffic().period.from;
  q.to = traffic().period.to;
  db.scan_facts(q, [&](const order_facts& f) {
    std::string s = std::string(f.number) + "|" + std::string(to_string(f.state)) + "|" + std::string(f.unit) + "|" +
                    std::string(f.district) + "|" + std::to_string(f.transferred) + "|" + std::to_string(f.reopen_count);
    for (std::size_t c = 0; c < clock_count; ++c)
      s += "|" + std::to_string(static_cast<int>(f.clocks[c])) + "@" + (f.due[c] ? format_instant(*f.due[c]) : "-");
    by_number[std::string(f.number)] = s;
  });
  std::vector<std::string> out;
  for (auto& [n, s] : by_number) out.push_back(std::move(s));
  for (const auto& a : db.action_counts(q))
    out.push_back(std::string(to_string(a.action)) + "=" + std::to_string(a.events) + "/" + std::to_string(a.orders));
  return out;
}

void same_events(const event& a, const event& b) {
  CHECK(a.id == b.id);
  CHECK(a.order == b.order);
  CHECK(a.seq == b.seq);
  CHECK(a.action == b.action);
  CHECK(a.at == b.at);
  CHECK(a.recorded_at == b.recorded_at);
  CHECK(a.actor == b.actor);
  CHECK(a.role == b.role);
  CHECK(a.unit == b.unit);
  CHECK(a.state_before == b.state_before);
  CHECK(a.state_after == b.state_after);
  CHECK(a.changes == b.changes);
  CHECK(a.comment == b.comment);
  CHECK(a.hash == b.hash);
}

/// The same store, read through the API: orders, events, log, head, units, liaisons, calls.
void same_store(const store& a, const store& b) {
  const auto oa = a.orders({}), ob = b.orders({});
  REQUIRE(oa.size() == ob.size());
  for (std::size_t i = 0; i < oa.size(); ++i) {
    CHECK(*a.get(oa[i].number, true) == *b.get(ob[i].number, true));
  }
  const auto la = a.log(1, 1'000'000, true), lb = b.log(1, 1'000'000, true);
  REQUIRE(la.size() == lb.size());
  for (std::size_t i = 0; i < la.size(); ++i) same_events(la[i], lb[i]);
  CHECK(a.head().event_count == b.head().event_count);
  CHECK(a.head().head_hash == b.head().head_hash);
  const auto da = a.directory(), db_ = b.directory();
  CHECK(da.units() == db_.units());
  for (const auto& u : traffic().units) CHECK(a.liaison_history(u.code, true) == b.liaison_history(u.code, true));
  const auto& p = traffic().period;
  CHECK(a.calls(p.from, p.to) == b.calls(p.from, p.to));
}

const std::string& month_file() {
  static const std::string f = [] {
    const auto dir = test::fresh_dir("backends-month");
    const auto path = (dir / "month.db").string();
    store s(path);
    city::load(s, traffic());
    return path;
  }();
  return f;
}

}  // namespace

TEST_CASE("the main job's month, loaded on SQLite and on PostgreSQL, gives the same figures in every table") {
  if (!test::on_pg()) {
    MESSAGE("SQLite only: the comparison with PostgreSQL runs as test_store_backends_on_pg");
    return;
  }
  const store sqlite(month_file());
  store pg(test::location(test::fresh_dir("backends-load"), "month"));
  city::load(pg, traffic());
  CHECK(pg.verify().ok);
  CHECK(pg.count({}) == sqlite.count({}));
  CHECK(pg.count({}) == traffic().stories.size());
  const auto ta = every_table(sqlite), tb = every_table(pg);
  REQUIRE(ta.size() == tb.size());
  CHECK(ta.size() >= 10);
  for (std::size_t i = 0; i < ta.size(); ++i) CHECK(ta[i] == tb[i]);
  CHECK(every_fact(sqlite) == every_fact(pg));
  // The orders are the same too (the events' hashes differ: each store recorded them at
  // its own wall-clock time, which the hash covers).
  for (const auto& w : sqlite.orders(order_query{}.revealed(true))) CHECK(*pg.get(w.number, true) == w);
}

TEST_CASE("a store moved to the other back end and back is the same store, chain and reports included") {
  const auto dir = test::fresh_dir("backends-copy");
  const auto target = test::location(dir, "moved");
  const auto back = (dir / "back.db").string();

  const auto up = copy_store(month_file(), target);
  CHECK(up.orders == static_cast<std::int64_t>(traffic().stories.size()));
  CHECK(up.units == static_cast<std::int64_t>(traffic().units.size()));
  CHECK(up.liaisons == static_cast<std::int64_t>(traffic().liaisons.size()));
  CHECK(up.calls == static_cast<std::int64_t>(traffic().calls.calls.size()));
  CHECK(up.event_blocks == up.orders);  // the month went in one batch: one block an order
  const auto down = copy_store(target, back);
  // The same head (head_receipt::signed_at is when each was read: an unsigned head's).
  CHECK(down.head.head_hash == up.head.head_hash);
  CHECK(down.head.event_count == up.head.event_count);
  CHECK(down.events == up.events);

  const store source(month_file()), moved(target), returned(back);
  CHECK(up.events == source.head().event_count);
  CHECK(moved.verify().ok);
  CHECK(returned.verify().ok);
  same_store(source, moved);
  same_store(source, returned);
  const auto tables = every_table(source);
  CHECK(every_table(moved) == tables);
  CHECK(every_table(returned) == tables);
  CHECK(every_fact(moved) == every_fact(source));

  // The moved store goes on: the next order takes the next id, liaisons and calls their
  // next rows (PostgreSQL's sequences were moved past the copied ids), and the chain holds.
  store next(target);
  test::seed_units(next);
  auto w = test::intake("2025-11-03T09:00:00+08:00");
  const auto created = next.create(w, actor{"A01", role::agent, ""});
  const auto id = std::to_string(up.orders + 1);
  CHECK(created.number == "20251103-" + std::string(8 - id.size(), '0') + id);
  const auto before = next.liaison_history("YX-BJJ").size();
  liaison l;
  l.unit = "YX-BJJ";
  l.name = "新联络员";
  l.mobile = "13900001111";
  l.valid_from = parse_instant("2025-11-01T00:00:00+08:00");
  next.set_liaison(l);
  CHECK(next.liaison_history("YX-BJJ").size() == before + 1);
  call_log more;
  call_record c = traffic().calls.calls.front();
  c.call_id = "after-the-move";
  c.started_at = parse_instant("2025-11-03T09:00:00+08:00");
  more.calls.push_back(c);
  CHECK(next.import_calls(more).added == 1);
  CHECK(next.verify().ok);
  CHECK(next.head().event_count == up.events + 1);
}

TEST_CASE("copy_store refuses what it cannot copy whole, and a copy that fails leaves the target empty") {
  const auto dir = test::fresh_dir("backends-refuse");
  // The source: a few orders with signed heads (SQLite signs; the heads travel as rows).
  const auto src = (dir / "src.db").string();
  {
    store s(src);
    test::seed_units(s);
    for (int i = 0; i < 3; ++i) s.create(test::intake(), actor{"A01", role::agent, ""});
  }
  SUBCASE("the same location, a missing source") {
    CHECK_THROWS_AS(copy_store(src, src), invalid_argument_error);
    CHECK_THROWS_WITH_AS(copy_store((dir / "none.db").string(), (dir / "t.db").string()),
                         doctest::Contains("no such store"), not_found_error);
    CHECK_FALSE(fs::exists(dir / "t.db"));  // a missing source creates nothing
  }
  SUBCASE("a target that holds anything is left as it was") {
    const auto target = test::location(dir, "full");
    {
      store t(target);
      test::seed_units(t);
      t.create(test::intake(), actor{"A02", role::agent, ""});
    }
    CHECK_THROWS_WITH_AS(copy_store(src, target), doctest::Contains("the target is not empty (table units holds 4 rows)"),
                         invalid_argument_error);
    const store t(target);
    CHECK(t.count({}) == 1);
    CHECK(t.head().event_count == 1);
  }
  SUBCASE("a broken chain is not copied") {
    {
      SQLite::Database raw(src, SQLite::OPEN_READWRITE);
      raw.exec("DROP TRIGGER event_blocks_no_update");
      raw.exec("UPDATE event_blocks SET hashes = zeroblob(length(hashes)) WHERE first_id = 2");
    }
    const auto target = test::location(dir, "from-broken");
    CHECK_THROWS_WITH_AS(copy_store(src, target), doctest::Contains("the event chain is broken at event 2"),
                         storage_error);
    CHECK(store(target).count({}) == 0);
  }
  SUBCASE("a failure half-way through the copy rolls it all back") {
    // The target refuses call rows (a trigger the test adds): the copy fails after the
    // units, liaisons, orders and events went in, in the same transaction.
    const auto target = test::location(dir, "refusing");
    { store t(target); }
    call_log one;
    one.calls.push_back(traffic().calls.calls.front());
    {
      store s(src);
      s.import_calls(one);
    }
    if (test::on_pg()) {
      REQUIRE(std::system(("psql -q -v ON_ERROR_STOP=1 '" + target +
                           "' -c \"CREATE TRIGGER no_calls BEFORE INSERT ON calls FOR EACH ROW EXECUTE FUNCTION "
                           "hotline_refuse('the test refuses calls')\" >/dev/null")
                              .c_str()) == 0);
    } else {
      SQLite::Database raw(target, SQLite::OPEN_READWRITE);
      raw.exec("CREATE TRIGGER no_calls BEFORE INSERT ON calls BEGIN SELECT RAISE(ABORT, 'the test refuses calls'); END");
    }
    CHECK_THROWS_WITH_AS(copy_store(src, target), doctest::Contains("the test refuses calls"), storage_error);
    const store t(target);
    CHECK(t.count({}) == 0);
    CHECK(t.head().event_count == 0);
    CHECK(t.directory().units().empty());
  }
}

TEST_CASE("signed heads travel with the copy and still verify with the key on the way back") {
  const auto dir = test::fresh_dir("backends-heads");
  const auto src = (dir / "signed.db").string();
  std::array<std::uint8_t, 32> seed;
  seed.fill(7);
  const auto key = signing_key_from_seed(seed);
  {
    store_options o;
    o.signer = head_signer::from_key(key);
    store s(src, o);
    test::seed_units(s);
    for (int i = 0; i < 4; ++i) s.create(test::intake(), actor{"A01", role::agent, ""});
  }
  const auto target = test::location(dir, "heads");
  const auto up = copy_store(src, target);
  CHECK(up.signed_heads == 4);
  const auto back = (dir / "back.db").string();
  CHECK(copy_store(target, back).signed_heads == 4);
  const store b(back);
  const auto r = b.verify(key.public_key);
  CHECK(r.ok);
  CHECK(r.heads_checked == 4);
  CHECK(r.signed_through == 4);
  CHECK(b.last_signed_head() == store(src).last_signed_head());
}
