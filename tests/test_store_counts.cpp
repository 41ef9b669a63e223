// The store's running report totals (order_counts, schema 5) against the orders
// themselves: after every kind of write (single, batch, rolled back, conflict,
// amend that moves an order between groups), a migration from schema 4 and a
// rebuild, count_facts() must give exactly the groups a scan of the orders gives,
// for whole months and for periods that cut days in half (001 annex 8: an order
// received at 23:59:59 on the last day belongs to that month, Asia/Shanghai).
#include "hotline/report.hpp"
#include "hotline/store.hpp"

#include <doctest/doctest.h>

#include "store_test_support.hpp"
#include "test_support.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <filesystem>
#include <map>
#include <random>
#include <tuple>

using namespace hotline;
namespace fs = std::filesystem;

namespace {

using test::fresh_db;

void units(store& db) {
  db.put_unit({"GZ-YX", "越秀区卫生健康局", unit_kind::district, "", {{"越秀区", ""}}, {}, true});
  db.put_unit({"GZ-HZ", "海珠区卫生健康局", unit_kind::district, "", {{"海珠区", ""}}, {}, true});
  db.put_unit({"YX-BJJ", "越秀区北京街社区卫生服务中心", unit_kind::institution, "GZ-YX", {{"越秀区", "北京街"}}, {}, true});
}

// A group as the annex tables see it, written out from order_facts the way the
// test reads the rule, not through the store's code.
using group = std::tuple<std::string, std::string, request_type, order_state, bool, std::string, std::string, std::string>;
group group_of(const order_facts& f) {
  const bool complaint = f.request_type == request_type::complaint, consult = f.request_type == request_type::consultation;
  return {std::string(f.district), std::string(f.unit), f.request_type, f.state, f.transferred,
          complaint ? std::string(f.complaint_subject) : std::string(),
          consult ? std::string(f.topic) : std::string(), consult ? std::string(f.sub_topic) : std::string()};
}

std::map<group, std::int64_t> by_scan(const store& db, facts_query q) {
  q.with_clocks = true;  // the full path also reads the unit
  std::map<group, std::int64_t> m;
  db.scan_facts(q, [&](const order_facts& f) { ++m[group_of(f)]; });
  return m;
}
std::map<group, std::int64_t> by_counts(const store& db, facts_query q) {
  q.with_clocks = false;
  std::map<group, std::int64_t> m;
  db.count_facts(q, [&](const order_facts& f, std::int64_t n) {
    CHECK(n != 0);
    m[group_of(f)] += n;
  });
  std::erase_if(m, [](const auto& kv) { return kv.second == 0; });
  return m;
}

// The groups where two tallies differ, for the failure message.
std::string differences(const std::map<group, std::int64_t>& a, const std::map<group, std::int64_t>& b) {
  std::string out;
  const auto describe = [&](const group& g, std::int64_t x, std::int64_t y) {
    out += std::get<0>(g) + "/" + std::get<1>(g) + "/" + std::string(to_string(std::get<2>(g))) + "/" +
           std::string(to_string(std::get<3>(g))) + (std::get<4>(g) ? "/transferred" : "") + "/" + std::get<5>(g) +
           "/" + std::get<6>(g) + ": orders " + std::to_string(x) + ", totals " + std::to_string(y) + "; ";
  };
  for (const auto& [g, n] : a)
    if (auto it = b.find(g); it == b.end() || it->second != n) describe(g, n, it == b.end() ? 0 : it->second);
  for (const auto& [g, n] : b)
    if (!a.count(g)) describe(g, 0, n);
  return out;
}

// Whole months, a half month, periods cut mid-day, less than a day, one
// district, one unit, the unassigned unit "".
void check_agree(const store& db) {
  std::vector<facts_query> qs;
  const auto add = [&](const char* from, const char* to) {
    facts_query q;
    q.from = parse_instant(from);
    q.to = parse_instant(to);
    qs.push_back(q);
    q.district = "越秀区";
    qs.push_back(q);
    q.district.reset();
    q.unit = "YX-BJJ";
    qs.push_back(q);
    q.district = "海珠区";
    q.unit = "GZ-HZ";
    qs.push_back(q);
    q.district.reset();
    q.unit = "";
    qs.push_back(q);
  };
  add("2026-03-01T00:00:00+08:00", "2026-04-01T00:00:00+08:00");
  add("2026-02-01T00:00:00+08:00", "2026-05-01T00:00:00+08:00");
  add("2026-03-16T00:00:00+08:00", "2026-04-01T00:00:00+08:00");
  add("2026-03-10T13:30:00+08:00", "2026-03-20T08:15:00+08:00");
  add("2026-03-10T13:30:00Z", "2026-03-31T23:59:59+08:00");
  add("2026-03-12T09:00:00+08:00", "2026-03-12T18:00:00+08:00");
  add("2026-03-31T23:00:00+08:00", "2026-04-01T01:00:00+08:00");
  add("2026-03-20T00:00:00+08:00", "2026-03-10T00:00:00+08:00");  // reversed: empty
  std::int64_t seen = 0;
  for (const auto& q : qs) {
    const auto a = by_scan(db, q), b = by_counts(db, q);
    INFO("period ", format_instant(q.from), " .. ", format_instant(q.to), " district ", q.district.value_or("*"),
         " unit ", q.unit.value_or("*"), ": ", differences(a, b));
    CHECK(a == b);
    for (const auto& kv : a) seen += kv.second;
  }
  CHECK(seen > 0);  // the periods do hold orders
}

const actor agent{"A017", role::agent, {}};
const actor dispatcher{"D02", role::dispatcher, {}};
const actor liaison{"L1", role::liaison, "YX-BJJ"};
const actor reviewer{"R1", role::reviewer, {}};

command cmd(action a, actor by, instant t) {
  command c;
  c.action = a;
  c.by = std::move(by);
  c.at = t;
  c.reply_text = "已处理";
  return c;
}

// A random order and a random way along its life, in the store.
void random_life(store& db, std::mt19937& rng) {
  static const char* subjects[] = {"食品安全执法", "医疗服务", "其他"};
  static const char* topics[][2] = {{"免疫规划", "狂犬病"}, {"家庭医生", "签约"}, {"", ""}};
  work_order o;
  o.request_type = static_cast<request_type>(rng() % 7);
  // Receipt times cluster on day edges: 00:00:00, 23:59:59 and the UTC midnight.
  const int d = static_cast<int>(rng() % 70);  // 2026-02-10 .. 2026-04-20
  const day dd = day{date::year{2026} / 2 / 10} + date::days{d};
  const seconds tod[] = {seconds{0}, seconds{86399}, seconds{8 * 3600}, seconds{rng() % 86400}};
  o.received_at = from_local(dd, tod[rng() % 4]);
  o.content = "来电反映情况";
  o.agent = agent.id;
  o.district = rng() % 3 ? "越秀区" : "海珠区";
  if (o.request_type == request_type::complaint) o.complaint_subject = subjects[rng() % 3];
  if (o.request_type == request_type::consultation) {
    const auto& t = topics[rng() % 3];
    o.topic = t[0];
    o.sub_topic = t[1];
  }
  const auto wo = db.create(o, agent);
  const auto t0 = o.received_at;
  const int stage = static_cast<int>(rng() % 7);
  if (stage == 0) return;
  if (stage == 1) {
    db.apply(wo.number, cmd(action::void_, dispatcher, t0 + std::chrono::minutes{5}));
    return;
  }
  auto dsp = cmd(action::dispatch, dispatcher, t0 + std::chrono::hours{1});
  dsp.unit = o.district == "越秀区" ? "YX-BJJ" : "GZ-HZ";
  db.apply(wo.number, dsp);
  const actor unit_liaison{"L1", role::liaison, dsp.unit};
  if (stage == 2) return;
  if (stage == 3) {  // amended after dispatch: the order moves to another group
    auto am = cmd(action::amend, dispatcher, t0 + std::chrono::hours{2});
    am.amendments = {{"request_type", "complaint"}, {"complaint_subject", "医疗服务"}};
    db.apply(wo.number, am);
    return;
  }
  db.apply(wo.number, cmd(action::sign_for, unit_liaison, t0 + std::chrono::hours{2}));
  db.apply(wo.number, cmd(action::reply, unit_liaison, t0 + std::chrono::hours{20}));
  if (stage == 4) return;
  db.apply(wo.number, cmd(action::accept_reply, reviewer, t0 + std::chrono::hours{21}));
  if (stage == 5) return;
  db.apply(wo.number, cmd(action::close, reviewer, t0 + std::chrono::hours{22}));
}

}  // namespace

TEST_CASE("the running totals agree with the orders after single writes, batches, rollbacks and conflicts") {
  const auto file = test::location(test::fresh_dir("life"));
  store db(file);
  units(db);
  std::mt19937 rng(2026);
  for (int i = 0; i < 150; ++i) random_life(db, rng);  // one transaction per write
  check_agree(db);
  {
    auto b = db.begin_batch();
    for (int i = 0; i < 150; ++i) random_life(db, rng);  // created and moved within one transaction
    b.commit();
  }
  check_agree(db);
  const auto before = by_counts(db, {parse_instant("2026-01-01T00:00:00Z"), parse_instant("2026-06-01T00:00:00Z"), {}, {}, false});
  {
    auto b = db.begin_batch();
    for (int i = 0; i < 40; ++i) random_life(db, rng);
    // no commit: rolled back, the totals with it
  }
  CHECK(by_counts(db, {parse_instant("2026-01-01T00:00:00Z"), parse_instant("2026-06-01T00:00:00Z"), {}, {}, false}) ==
        before);
  // A conflict inside a batch: the stale write fails, the rest of the batch
  // commits, and only the writes that happened move the totals.
  {
    work_order o;
    o.request_type = request_type::report;
    o.received_at = parse_instant("2026-03-15T10:00:00+08:00");
    o.content = "举报";
    o.district = "越秀区";
    const auto wo = db.create(o, agent);
    store other(file);
    auto am = cmd(action::amend, dispatcher, o.received_at + std::chrono::minutes{30});
    am.amendments = {{"request_type", "complaint"}};
    other.apply(wo.number, am);
    auto b = db.begin_batch();
    const auto kept = db.create(o, agent);
    auto dsp = cmd(action::dispatch, dispatcher, o.received_at + std::chrono::hours{1});
    dsp.unit = "YX-BJJ";
    db.apply(kept.number, dsp);
    dsp.expected_version = 1;  // as seen before the other writer amended it
    CHECK_THROWS_AS(db.apply(wo.number, dsp), conflict_error);
    b.commit();
    CHECK(db.get(wo.number)->state == order_state::waiting_for_dispatch);
    CHECK(db.get(wo.number)->request_type == request_type::complaint);
    CHECK(db.get(kept.number)->state == order_state::dispatched);
  }
  check_agree(db);
  // The monthly tables read the totals; the same tables from the orders in memory agree.
  const auto p = reporting_period::month(2026, 3);
  const auto all = db.orders(order_query{}.received(p.from, p.to));
  const auto from_store = monthly_statistics(db, p), from_memory = monthly_statistics(all, p);
  CHECK(from_store.total == from_memory.total);
  CHECK(from_store.total > 100);
  CHECK(from_store.left_out_void_or_merged == from_memory.left_out_void_or_merged);
  CHECK(from_store.report_flow.completed == from_memory.report_flow.completed);
  CHECK(from_store.consultations_by_topic == from_memory.consultations_by_topic);
  for (std::size_t i = 0; i < complaint_subject_count; ++i) {
    CHECK(from_store.complaints_by_subject[i].received == from_memory.complaints_by_subject[i].received);
    CHECK(from_store.complaints_by_subject[i].transferred_completed ==
          from_memory.complaints_by_subject[i].transferred_completed);
  }
  const auto q_store = quarterly_summary(db, reporting_period::quarter(2026, 1));
  const auto q_memory = quarterly_summary(db.orders(order_query{}), reporting_period::quarter(2026, 1));
  REQUIRE(q_store.size() == q_memory.size());
  for (std::size_t i = 0; i < q_store.size(); ++i) {
    CHECK(q_store[i].district == q_memory[i].district);
    CHECK(q_store[i].complaints == q_memory[i].complaints);
    CHECK(q_store[i].completed == q_memory[i].completed);
  }
}

TEST_CASE("a schema-4 file gains its totals on open; a rebuild recomputes them") {
  if (test::on_pg()) return;  // a SQLite file's migration
  const auto file = fresh_db("migrate");
  {
    store db(file);
    units(db);
    std::mt19937 rng(7);
    for (int i = 0; i < 120; ++i) random_life(db, rng);
  }
  {  // back to schema 4 as an older library left it: no order_counts
    SQLite::Database raw(file.string(), SQLite::OPEN_READWRITE);
    raw.exec("DROP TABLE order_counts");
    raw.exec("DROP TABLE signed_heads");  // schema 6
    raw.exec("PRAGMA user_version=4");
  }
  store db(file);
  CHECK(db.schema_version() == store::latest_schema_version());
  check_agree(db);
  {  // totals damaged behind the store's back: rebuild_projection puts them right
    SQLite::Database raw(file.string(), SQLite::OPEN_READWRITE);
    raw.exec("UPDATE order_counts SET n = n + 5");
  }
  const facts_query march{parse_instant("2026-03-01T00:00:00+08:00"), parse_instant("2026-04-01T00:00:00+08:00"), {}, {},
                          false};
  CHECK(by_scan(db, march) != by_counts(db, march));
  db.rebuild_projection();
  check_agree(db);
}

TEST_CASE("count_facts reads the narrow facts only") {
  store db(test::location(test::fresh_dir("clocks")));
  facts_query q;
  q.with_clocks = true;
  CHECK_THROWS_AS(db.count_facts(q, [](const order_facts&, std::int64_t) {}), invalid_argument_error);
}
