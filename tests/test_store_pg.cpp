// The work-order store on PostgreSQL (issue 21), what is its own: many hosts (the urgent
// hook through LISTEN/NOTIFY, order numbers and the chain under concurrent writers), and
// the faults of a server (a lost connection, the server gone mid-transaction and back, a
// role without privileges, a newer schema, a password kept out of messages, a full disk),
// and reports on a streaming replica.  The store's
// common suites run on PostgreSQL too (ctest's *_on_pg).  Each case returns at once
// outside a throwaway cluster (HOTLINE_STORE_BACKEND unset).
#include "hotline/report.hpp"
#include "hotline/store.hpp"
#include "pg_test_support.hpp"
#include "store_cases_support.hpp"
#include "test_support.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

using namespace hotline;
using namespace hotline::test::store_cases;

namespace {

using test::drop_connections;
using test::psql;

int server(const char* verb) {
  return std::system((std::string(HOTLINE_SOURCE_DIR) + "/tests/pg/server_ctl.sh " + verb).c_str());
}

template <class Pred>
bool wait_for(Pred p) {
  for (int i = 0; i < 100; ++i) {
    if (p()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return p();
}

}  // namespace

TEST_CASE("a PostgreSQL location opens a store on the server: the same life, events and chain as on SQLite") {
  if (!test::on_pg()) return;
  const auto loc = test::location(fresh_dir("pg-open"));
  store db(loc);
  CHECK(db.schema_version() == store::latest_schema_version());
  seed_units(db);
  const auto n = full_life(db);
  CHECK(db.get(n)->state == order_state::closed);
  CHECK(db.events(n).size() == 7);
  CHECK(db.log(1, 100).size() == 7);
  CHECK(db.verify().ok);
  CHECK(db.head().event_count == 7);
  CHECK(db.rebuild_projection() == 1);
  CHECK(db.get(n, true)->version == 7);
  // The append-only rule is the database's, not only the library's.
  CHECK(psql(loc, "DELETE FROM event_blocks") != 0);
  CHECK(psql(loc, "UPDATE event_blocks SET n = n") != 0);
  CHECK(db.verify().ok);
}

TEST_CASE("many writers on one database: numbers never collide, the chain stays one line, no update is lost") {
  if (!test::on_pg()) return;
  const auto loc = test::location(fresh_dir("pg-writers"));
  {
    store db(loc);
    seed_units(db);
  }
  // Four hosts' worth of connections creating and moving orders at once.
  std::vector<std::thread> hosts;
  std::mutex m;
  std::set<std::string> numbers;
  std::atomic<int> failures{0};
  for (int h = 0; h < 4; ++h)
    hosts.emplace_back([&] {
      try {
        store db(loc);
        for (int i = 0; i < 40; ++i) {
          const auto wo = db.create(intake(), agent);
          db.apply(wo.number, dispatch_to_bjj());
          const std::lock_guard<std::mutex> l(m);
          numbers.insert(wo.number);
        }
      } catch (...) {
        ++failures;
      }
    });
  for (auto& t : hosts) t.join();
  CHECK(failures == 0);
  CHECK(numbers.size() == 160);
  store db(loc);
  CHECK(db.count(order_query{}) == 160);
  const auto rep = db.verify();
  CHECK(rep.ok);
  CHECK(rep.events_checked == 320);
  // Event ids are 1..320 without a gap or a repeat.
  const auto all = db.log(1, 1000);
  REQUIRE(all.size() == 320);
  for (std::size_t i = 0; i < all.size(); ++i) CHECK(all[i].id == static_cast<std::int64_t>(i + 1));
}

TEST_CASE("the urgent hook reaches every connected host (LISTEN/NOTIFY), each order once") {
  if (!test::on_pg()) return;
  const auto loc = test::location(fresh_dir("pg-urgent"));
  store a(loc);
  seed_units(a);
  store b(loc);
  std::mutex m;
  std::vector<std::string> seen_a, seen_b;
  a.on_urgent([&](const work_order& o) {
    const std::lock_guard<std::mutex> l(m);
    seen_a.push_back(o.number);
  });
  b.on_urgent([&](const work_order& o) {
    const std::lock_guard<std::mutex> l(m);
    seen_b.push_back(o.number + ":" + o.caller_phone);
  });
  auto w = intake();
  w.urgency = urgency::urgent;
  const auto u = a.create(w, agent);
  const auto plain = a.create(intake(), agent);  // not urgent: no one hears of it
  a.apply(plain.number, cmd(action::mark_urgent, agent, "2025-03-03T10:10:00+08:00"));
  CHECK(wait_for([&] {
    const std::lock_guard<std::mutex> l(m);
    return seen_b.size() >= 2;
  }));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // nothing more arrives
  const std::lock_guard<std::mutex> l(m);
  CHECK(seen_a == std::vector<std::string>{u.number, plain.number});  // its own, once, at commit
  REQUIRE(seen_b.size() == 2);
  CHECK(seen_b[0] == u.number + ":13812341234");  // unmasked, read back on b's connection
  CHECK(seen_b[1] == plain.number + ":13812341234");
}

TEST_CASE("a lost connection: the next call reconnects; the server gone mid-transaction commits nothing") {
  if (!test::on_pg()) return;
  const auto loc = test::location(fresh_dir("pg-lost"));
  store db(loc);
  seed_units(db);
  const auto first = db.create(intake(), agent);
  // The server ended the session between two calls: the write reconnects before BEGIN.
  drop_connections(loc);
  CHECK_NOTHROW(db.create(intake(), agent));
  // Mid-batch: the commit fails with a storage_error, nothing of the batch is there.
  {
    auto b = db.begin_batch();
    db.create(intake(), agent);
    db.apply(first.number, dispatch_to_bjj());
    drop_connections(loc);
    try {
      b.commit();
      FAIL("the commit went through a dropped connection");
    } catch (const storage_error& e) {
      const std::string msg = e.what();
      CHECK(msg.find("nothing of it was written") != std::string::npos);
      CHECK(msg.find("connection") != std::string::npos);
    }
  }
  CHECK(db.count(order_query{}) == 2);
  CHECK(db.get(first.number)->state == order_state::waiting_for_dispatch);
  CHECK(db.verify().ok);
  // The server stopped: a clear error naming the server; started again: calls work.
  REQUIRE(server("stop") == 0);
  try {
    db.create(intake(), agent);
    FAIL("a write with the server down succeeded");
  } catch (const storage_error& e) {
    const std::string msg = e.what();
    INFO(msg);
    CHECK(msg.find("cannot be reached") != std::string::npos);
    CHECK(msg.find("postgresql://") == 0);
  }
  REQUIRE(server("start") == 0);
  const auto after = db.create(intake(), agent);
  CHECK(db.get(after.number));
  CHECK(db.count(order_query{}) == 3);
  CHECK(db.verify().ok);
}

TEST_CASE("a newer schema, a role without privileges, a password: clear errors, nothing changed") {
  if (!test::on_pg()) return;
  const auto loc = test::location(fresh_dir("pg-refuse"));
  {
    store db(loc);
    seed_units(db);
    db.create(intake(), agent);
  }
  // A database migrated by a newer library is refused before anything is written.
  REQUIRE(psql(loc, "UPDATE hotline_schema SET version = 99") == 0);
  try {
    store db(loc);
    FAIL("a newer schema was opened");
  } catch (const storage_error& e) {
    CHECK(std::string(e.what()).find("schema version 99, newer than this library's") != std::string::npos);
  }
  REQUIRE(psql(loc, "UPDATE hotline_schema SET version = " + std::to_string(store::latest_schema_version())) == 0);
  // A role that may read but not write: the write fails naming the privilege, and the
  // order is not half there.
  REQUIRE(psql(loc, "DROP ROLE IF EXISTS hl_clerk; CREATE ROLE hl_clerk LOGIN; "
                    "GRANT SELECT ON ALL TABLES IN SCHEMA public TO hl_clerk") == 0);
  auto clerk_loc = loc;
  clerk_loc.replace(clerk_loc.find("user="), std::string::npos, "user=hl_clerk");
  {
    store clerk(clerk_loc);
    CHECK(clerk.count(order_query{}) == 1);
    try {
      clerk.create(intake(), agent);
      FAIL("a role without INSERT wrote an order");
    } catch (const storage_error& e) {
      INFO(e.what());
      CHECK(std::string(e.what()).find("lacks a privilege") != std::string::npos);
    }
  }
  store db(loc);
  CHECK(db.count(order_query{}) == 1);
  CHECK(db.verify().ok);
  // A password given in the location never appears in a message.
  try {
    store bad("postgresql://hl_clerk:s3cret-word@/nowhere?host=/nonexistent-socket-dir");
    FAIL("opened a store on a missing server");
  } catch (const storage_error& e) {
    const std::string msg = e.what();
    CHECK(msg.find("s3cret-word") == std::string::npos);
    CHECK(msg.find("hl_clerk:***@") != std::string::npos);
  }
}

TEST_CASE("a full disk on the server: the batch fails whole with a clear error, and writes go on once there is room") {
  if (!test::on_pg()) return;
  const auto dir = fresh_dir("pg-full");
  const std::string disk = (dir / "disk").string(), ctl = std::string(HOTLINE_SOURCE_DIR) + "/tests/pg/small_disk.sh ";
  if (std::system((ctl + "mount " + disk + " 1m").c_str()) != 0) {
    MESSAGE("skipped: a full disk needs a small tmpfs, which only root may mount (CI runs as root)");
    return;
  }
  const auto loc = test::location(dir, "full");
  const auto db_name = loc.substr(loc.find(":///") + 4, loc.find('?') - loc.find(":///") - 4);
  struct cleanup {  // whatever happens below: no database on the tablespace, no mount left
    std::string loc, db_name, disk, ctl;
    ~cleanup() {
      auto admin = loc;
      admin.replace(admin.find(db_name), db_name.size(), "postgres");
      psql(admin, "DROP DATABASE IF EXISTS " + db_name + " WITH (FORCE)");
      psql(admin, "DROP TABLESPACE IF EXISTS hl_small_disk");
      (void)std::system((ctl + "umount " + disk).c_str());
    }
  } guard{loc, db_name, disk, ctl};
  {
    store db(loc);
    seed_units(db);
  }
  // The tables that grow with every write live on the small disk.
  REQUIRE(psql(loc, "CREATE TABLESPACE hl_small_disk LOCATION '" + disk + "'") == 0);
  REQUIRE(psql(loc, "ALTER TABLE orders SET TABLESPACE hl_small_disk; "
                    "ALTER TABLE event_blocks SET TABLESPACE hl_small_disk") == 0);
  store db(loc);
  std::int64_t stored = 0;
  std::string failure;
  for (int b = 0; b < 500 && failure.empty(); ++b) {
    try {
      auto batch = db.begin_batch();
      for (int i = 0; i < 50; ++i) db.create(intake(), agent);
      batch.commit();
      stored += 50;
    } catch (const storage_error& e) {
      failure = e.what();
    }
  }
  INFO(failure);
  REQUIRE_FALSE(failure.empty());
  CHECK(failure.find("the server's disk is full") != std::string::npos);
  CHECK(failure.find("nothing of it was written") != std::string::npos);
  CHECK(stored > 0);
  // Nothing of the failed batch is there, and what was committed is whole.
  CHECK(db.count(order_query{}) == static_cast<std::size_t>(stored));
  CHECK(db.verify().ok);
  CHECK(db.head().event_count == stored);
  // Room again: the same store writes on.
  REQUIRE(std::system((ctl + "grow " + disk + " 64m").c_str()) == 0);
  const auto next = db.create(intake(), agent);
  CHECK(db.get(next.number).has_value());
  CHECK(db.count(order_query{}) == static_cast<std::size_t>(stored + 1));
  CHECK(db.verify().ok);
}

TEST_CASE("reports on a streaming replica: the same tables as on the primary, and the replica refuses writes") {
  if (!test::on_pg()) return;
  const auto loc = test::location(fresh_dir("pg-replica"));
  store primary(loc);
  seed_units(primary);
  for (int i = 0; i < 20; ++i) full_life(primary);
  for (int i = 0; i < 10; ++i) primary.create(intake(), agent);
  // The replica: a base backup of the primary, streaming from it (tests/pg/standby_ctl.sh).
  const std::string ctl = std::string(HOTLINE_SOURCE_DIR) + "/tests/pg/standby_ctl.sh ";
  std::string replica_base;
  {
    FILE* p = ::popen((ctl + "start").c_str(), "r");
    REQUIRE(p != nullptr);
    char buf[512];
    while (std::fgets(buf, sizeof buf, p)) replica_base += buf;
    REQUIRE(::pclose(p) == 0);
  }
  struct stop_replica {
    std::string ctl;
    ~stop_replica() { (void)std::system((ctl + "stop").c_str()); }
  } guard{ctl};
  while (!replica_base.empty() && replica_base.back() == '\n') replica_base.pop_back();
  // The same database name on the replica's port.
  const auto name = loc.substr(loc.find(":///") + 4, loc.find('?') - loc.find(":///") - 4);
  auto replica_loc = replica_base;
  replica_loc.replace(replica_loc.find("/postgres?"), 10, "/" + name + "?");
  store_options ro;
  ro.read_only = true;
  store replica(replica_loc, ro);
  // Orders written after the backup arrive by streaming.
  primary.create(intake("2025-03-20T10:00:00+08:00"), agent);
  REQUIRE(wait_for([&] { return replica.count(order_query{}) == primary.count(order_query{}); }));
  const auto p = reporting_period::month(2025, 3);
  const auto a = monthly_statistics(primary, p).tables(), b = monthly_statistics(replica, p).tables();
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) CHECK(to_csv(a[i]) == to_csv(b[i]));
  CHECK(replica.verify().ok);
  CHECK(replica.head().event_count == primary.head().event_count);
  CHECK_THROWS_AS(replica.create(intake(), agent), invalid_argument_error);  // read_only: refused before the server
  // Opened without read_only, a write reaches the server, which refuses it.
  store writer(replica_loc);
  try {
    writer.create(intake(), agent);
    FAIL("a hot standby took a write");
  } catch (const storage_error& e) {
    const std::string msg = e.what();
    INFO(msg);
    CHECK(msg.find("a replica in recovery; write to the primary") != std::string::npos);
  }
}
