// Faults of the file system under the stores (issue 22 item 3): a full file system and a
// read-only one (a read-only mount, the read_only option, an immutable file), for the
// work-order store and then the signing store; see store_faults_support.hpp.
#include "hotline/signing/store.hpp"
#include "hotline/store.hpp"
#include "store_faults_support.hpp"
#include "store_test_support.hpp"
#include "test_support.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

using namespace hotline;
using namespace hotline::test::faults;

// ======================================================================================
// The work-order store

TEST_CASE("store faults: a full file system refuses the write whole, naming the file; freed space lets the same store write again") {
  SKIP_WITHOUT_MOUNTS();
  const auto dir = fresh_dir("faults-full");
  tmpfs_mount disk(dir / "disk", disk_bytes);
  const auto file = disk.path() / "hotline.db";
  store db(file, signed_options());
  seed_units(db);
  for (int i = 0; i < 3; ++i) db.create(long_intake(i), agent);
  const auto before = snap(db, true);
  REQUIRE(before.chain_ok);
  REQUIRE(before.signed_through == before.events);
  filler space(disk.path() / "filler");

  SUBCASE("single calls") {
    std::string err = "no error";
    std::int64_t made = 0;
    for (; made < 200; ++made) {
      err = thrown<storage_error>([&] { db.create(long_intake(100 + static_cast<int>(made)), agent); });
      if (err != "no error") break;
    }
    REQUIRE_MESSAGE(err != "no error", "the file system never filled up");
    check_storage_error(err, file);
    CHECK(has(err, "full"));
    const auto after = snap(db, true);
    CHECK(after.orders == before.orders + static_cast<std::size_t>(made));
    CHECK(after.events == before.events + made);
    CHECK(after.chain_ok);
    CHECK(after.signed_through == after.events);  // no head signed for events the file lacks
    CHECK(after == snap_reopened(file, true));
    // A dispatch meets the full disk too, and leaves the order as it was.
    const auto number = db.orders(order_query{}.at_most(1)).at(0).number;
    auto d = dispatch_to_bjj();
    d.comment = std::string(3000, 'c');
    check_storage_error(thrown<storage_error>([&] { db.apply(number, d); }), file);
    CHECK(db.get(number)->version == 1);
    CHECK(snap(db, true) == after);

    space.release();
    db.create(long_intake(999), agent);  // the same store writes again
    db.apply(number, d);
    const auto freed = snap(db, true);
    CHECK(freed.orders == after.orders + 1);
    CHECK(freed.events == after.events + 2);
    CHECK(freed.chain_ok);
    CHECK(freed == snap_reopened(file, true));
  }

  SUBCASE("a batch") {
    std::string err;
    {
      auto b = db.begin_batch();
      for (int i = 0; i < 60; ++i) db.create(long_intake(200 + i), agent);
      err = thrown<storage_error>([&] { b.commit(); });
    }
    check_storage_error(err, file);
    CHECK(snap(db, true) == before);  // none of the 60
    CHECK(snap_reopened(file, true) == before);

    space.release();
    {
      auto b = db.begin_batch();
      for (int i = 0; i < 60; ++i) db.create(long_intake(200 + i), agent);
      b.commit();
    }
    const auto freed = snap(db, true);
    CHECK(freed.orders == before.orders + 60);
    CHECK(freed.chain_ok);
    CHECK(freed == snap_reopened(file, true));
  }

  SUBCASE("a batch whose transaction SQLite rolls back by itself") {
    // A page cache of one page: the calls' rows spill into the WAL mid-statement, and a
    // spill that meets the full disk makes SQLite roll the whole transaction back.
    store_options small = signed_options();
    small.cache_kib = 16;
    store other(file, small);
    std::string lost, after_loss, at_commit;
    {
      auto b = other.begin_batch();
      other.create(long_intake(500), agent);
      call_log calls;
      for (int i = 0; i < 4000; ++i) {
        call_record c;
        c.call_id = "C" + std::to_string(100000 + i) + std::string(200, 'x');
        c.started_at = parse_instant("2025-03-03T10:00:00+08:00") + std::chrono::seconds(i);
        c.answered = true;
        c.agent = "A017";
        c.line = "12320";
        calls.calls.push_back(c);
      }
      lost = thrown<storage_error>([&] { (void)other.import_calls(calls); });
      space.release();  // the fault goes while the batch is still open: what is left of it must not be written
      after_loss = thrown<storage_error>([&] { other.create(long_intake(501), agent); });
      at_commit = thrown<storage_error>([&] { b.commit(); });
    }
    check_storage_error(lost, file);
    CHECK(has(lost, "rolled the batch's transaction back"));
    check_storage_error(after_loss, file);
    check_storage_error(at_commit, file);
    CHECK(snap(other, true) == before);  // not one statement of the batch ran on its own
    CHECK(snap(db, true) == before);
    CHECK(other.calls(parse_instant("2025-03-03T00:00:00+08:00"), parse_instant("2025-03-04T00:00:00+08:00")).empty());
    other.create(long_intake(502), agent);
    CHECK(snap(other, true) == snap(db, true));
    CHECK(snap(db, true).orders == before.orders + 1);
  }

  SUBCASE("an import") {
    std::string err = "no error";
    std::int64_t committed = 0;
    {
      auto imp = db.begin_import(4);
      for (int i = 0; i < 400 && err == "no error"; ++i)
        err = thrown<storage_error>([&] { imp.create(long_intake(300 + i), agent); });
      const auto at_finish = thrown<storage_error>([&] { imp.finish(); });
      if (err == "no error") err = at_finish;
      else CHECK(at_finish == err);  // finish() throws the writer's error again
      committed = imp.committed_orders();
    }
    REQUIRE_MESSAGE(err != "no error", "the file system never filled up");
    check_storage_error(err, file);
    // Transactions are whole: every committed order with its event, nothing of the others.
    const auto after = snap(db, true);
    CHECK(after.orders == before.orders + static_cast<std::size_t>(committed));
    CHECK(after.events == before.events + committed);
    CHECK(after.chain_ok);
    CHECK(after.signed_through == after.events);
    CHECK(after == snap_reopened(file, true));

    space.release();
    db.create(long_intake(998), agent);
    {
      auto imp = db.begin_import(4);
      for (int i = 0; i < 10; ++i) imp.create(long_intake(700 + i), agent);
      imp.finish();
      CHECK(imp.committed_orders() == 10);
    }
    const auto freed = snap(db, true);
    CHECK(freed.orders == after.orders + 11);
    CHECK(freed.chain_ok);
    CHECK(freed == snap_reopened(file, true));
  }
}

TEST_CASE("store faults: a store closed on a full file system leaves its WAL; the file opens, and is whole, once there is space") {
  SKIP_WITHOUT_MOUNTS();
  const auto dir = fresh_dir("faults-close");
  tmpfs_mount disk(dir / "disk", disk_bytes);
  const auto file = disk.path() / "hotline.db";
  std::optional<filler> space;
  snapshot before;
  {
    store db(file, signed_options());
    seed_units(db);
    for (int i = 0; i < 12; ++i) db.create(long_intake(i), agent);
    before = snap(db, true);
    space.emplace(disk.path() / "filler");
  }  // the last connection: its checkpoint cannot grow the file, so the WAL stays
  REQUIRE(fs::exists(wal_of(file)));
  CHECK(fs::file_size(wal_of(file)) > fs::file_size(file));
  {
    const store db(file);  // its -shm is still there: it opens, and reads through the WAL
    CHECK(snap(db, true) == before);
  }
  space.reset();
  CHECK(snap_reopened(file, true) == before);
  CHECK_FALSE(fs::exists(wal_of(file)));  // copied into the file at last
  store db(file);
  db.create(long_intake(99), agent);
  CHECK(db.verify().ok);
}

TEST_CASE("store faults: a migration on a full file system leaves the file at its old schema") {
  SKIP_WITHOUT_MOUNTS();
  const auto dir = fresh_dir("faults-migrate");
  tmpfs_mount disk(dir / "disk", disk_bytes);
  const auto file = disk.path() / "hotline.db";
  {
    store db(file);
    seed_units(db);
    for (int i = 0; i < 3; ++i) db.create(long_intake(i), agent);
  }
  // As the library of schema 5 left it: no signed_heads.  The connection stays open: on
  // a full file system SQLite cannot make the WAL's index (-shm) for a file that has
  // none, and the open would fail before the migration (a storage_error too).
  SQLite::Database raw(file.string(), SQLite::OPEN_READWRITE);
  raw.exec("DROP TABLE signed_heads");
  raw.exec("PRAGMA user_version = 5");
  filler space(disk.path() / "filler");
  const auto err = thrown<storage_error>([&] { store db(file); });
  check_storage_error(err, file);
  CHECK(has(err, "migrating"));
  CHECK(raw.execAndGet("PRAGMA user_version").getInt() == 5);
  CHECK(raw.execAndGet("SELECT count(*) FROM sqlite_master WHERE name = 'signed_heads'").getInt() == 0);
  space.release();
  store db(file);
  CHECK(db.schema_version() == store::latest_schema_version());
  CHECK(db.count(order_query{}) == 3);
  CHECK(db.verify().ok);
}

TEST_CASE("store faults: a read-only file refuses writes, naming the file; writable again once the file system is") {
  SKIP_WITHOUT_MOUNTS();
  const auto dir = fresh_dir("faults-ro");
  tmpfs_mount disk(dir / "disk", disk_bytes);
  const auto file = disk.path() / "hotline.db";
  std::string number;
  {
    store db(file);
    seed_units(db);
    number = db.create(intake(), agent).number;
  }
  const auto before = snap_reopened(file);
  REQUIRE(before.chain_ok);
  const auto d = dispatch_to_bjj();

  SUBCASE("the file system is read-only when the store opens") {
    const auto image = read_bytes(file);
    REQUIRE(disk.set_read_only(true));
    check_storage_error(thrown<storage_error>([&] { store db(file); }), file);
    check_storage_error(thrown<storage_error>([&] { store db(file, read_only()); }), file);
    REQUIRE(disk.set_read_only(false));
    CHECK(read_bytes(file) == image);
    store db(file);
    CHECK(snap(db) == before);
    db.apply(number, d);
    CHECK(db.verify().ok);
  }

  SUBCASE("a read-only mount of the file while a writer holds it open elsewhere") {
    store writer(file);
    // The file system cannot go read-only under a file open for writing (EBUSY): a
    // read-only mount of the same files can.
    bind_mount ro(disk.path(), dir / "ro", true);
    const auto ro_file = ro.path() / "hotline.db";
    store reader(ro_file);
    CHECK(snap(reader) == before);
    check_storage_error(thrown<storage_error>([&] { reader.create(intake(), agent); }), ro_file);
    check_storage_error(thrown<storage_error>([&] { reader.apply(number, d); }), ro_file);
    check_storage_error(thrown<storage_error>([&] { seed_units(reader); }), ro_file);
    check_storage_error(thrown<storage_error>([&] { (void)reader.begin_batch(); }), ro_file);
    check_storage_error(thrown<storage_error>([&] { (void)reader.begin_import(); }), ro_file);
    check_storage_error(thrown<storage_error>([&] { (void)reader.rebuild_projection(); }), ro_file);
    CHECK(snap(reader) == before);
    CHECK(snap(writer) == before);
    // The writer goes on; the reader sees it.
    writer.apply(number, d);
    CHECK(reader.get(number)->state == writer.get(number)->state);
    CHECK(snap(reader) == snap(writer));
    REQUIRE(ro.set_read_only(false));
    store again(ro_file);  // SQLite keeps the read-only handle it opened: reopen
    again.create(intake(), agent);
    CHECK(snap(again) == snap(writer));
    CHECK(snap(again).chain_ok);
  }

  SUBCASE("the store's read_only option") {
    store reader(file, read_only());
    for (const auto& err : {thrown<invalid_argument_error>([&] { reader.create(intake(), agent); }),
                            thrown<invalid_argument_error>([&] { reader.apply(number, d); }),
                            thrown<invalid_argument_error>([&] { seed_units(reader); }),
                            thrown<invalid_argument_error>([&] { (void)reader.begin_batch(); }),
                            thrown<invalid_argument_error>([&] { (void)reader.begin_import(); })}) {
      INFO("message: " << err);
      CHECK(has(err, file.string()));
      CHECK(has(err, "read-only"));
    }
    CHECK(snap(reader) == before);
  }

  SUBCASE("an immutable file (chattr +i)") {
    if (!set_immutable(file, true)) {
      MESSAGE("skipped: chattr +i is not possible here: " << errno_text());
      return;
    }
    immutable_guard undo{file};
    const auto image = read_bytes(file);
    {
      store db(file);  // SQLite opens it for reading only
      CHECK(snap(db) == before);
      check_storage_error(thrown<storage_error>([&] { db.apply(number, d); }), file);
      check_storage_error(thrown<storage_error>([&] { db.create(intake(), agent); }), file);
      CHECK(snap(db) == before);
    }
    CHECK(read_bytes(file) == image);
    REQUIRE(set_immutable(file, false));
    store db(file);
    db.apply(number, d);
    CHECK(db.verify().ok);
    CHECK(db.get(number)->version == 2);
  }
}

// ======================================================================================
// The signing store

TEST_CASE("signing store faults: a full file system refuses the call whole, the view as the file; freed space lets it write again") {
  SKIP_WITHOUT_MOUNTS();
  const auto dir = fresh_dir("faults-signing-full");
  tmpfs_mount disk(dir / "disk", disk_bytes);
  const auto file = disk.path() / "signing.db";
  signing_store db(file);
  populate(db, 3);
  const auto before = state_of(db);
  REQUIRE(before.ok);
  filler space(disk.path() / "filler");

  SUBCASE("single calls") {
    std::string err = "no error";
    int made = 0;
    for (; made < 300; ++made) {
      err = thrown<storage_error>([&] { db.add_resident(clerk(), resident_no(100 + made)); });
      if (err != "no error") break;
    }
    REQUIRE_MESSAGE(err != "no error", "the file system never filled up");
    check_storage_error(err, file);
    CHECK(has(err, "full"));
    const auto after = state_of(db);
    CHECK(after.residents == before.residents + static_cast<std::size_t>(made));
    CHECK(after.ok);
    CHECK(after == state_reopened(file));
    space.release();
    db.add_resident(clerk(), resident_no(100 + made));  // the same call, the same store
    const auto freed = state_of(db);
    CHECK(freed.residents == after.residents + 1);
    CHECK(freed.ok);
    CHECK(freed == state_reopened(file));
  }

  SUBCASE("sign_all: all or none") {
    {
      space.release();
      for (int i = 4; i <= 400; ++i) db.add_resident(clerk(), resident_no(i));
    }
    const auto ready = state_of(db);
    filler again(disk.path() / "filler2");
    std::vector<signing::sign_request> reqs;
    for (int i = 2; i <= 400; ++i) reqs.push_back(signing_of(i));
    const auto err = thrown<storage_error>([&] { db.sign_all(clerk(), reqs); });
    check_storage_error(err, file);
    CHECK(state_of(db) == ready);
    CHECK(state_reopened(file) == ready);
    again.release();
    CHECK(db.sign_all(clerk(), reqs) == reqs.size());
    const auto freed = state_of(db);
    CHECK(freed.contracts == ready.contracts + reqs.size());
    CHECK(freed.ok);
    CHECK(freed == state_reopened(file));
  }
}

TEST_CASE("signing store faults: a read-only file refuses writes, naming the file; the view stays as the file") {
  SKIP_WITHOUT_MOUNTS();
  const auto dir = fresh_dir("faults-signing-ro");
  tmpfs_mount disk(dir / "disk", disk_bytes);
  const auto file = disk.path() / "signing.db";
  {
    signing_store db(file);
    populate(db, 3);
  }
  const auto before = state_reopened(file);

  SUBCASE("the file system is read-only when the store opens") {
    REQUIRE(disk.set_read_only(true));
    check_storage_error(thrown<storage_error>([&] { signing_store db(file); }), file);
    REQUIRE(disk.set_read_only(false));
    signing_store db(file);
    CHECK(state_of(db) == before);
    db.add_resident(clerk(), resident_no(50));
    CHECK(state_of(db).ok);
  }

  SUBCASE("a read-only mount of the file while a writer holds it open elsewhere") {
    signing_store writer(file);
    bind_mount ro(disk.path(), dir / "ro", true);
    const auto ro_file = ro.path() / "signing.db";
    signing_store reader(ro_file);
    CHECK(state_of(reader) == before);
    check_storage_error(thrown<storage_error>([&] { reader.add_resident(clerk(), resident_no(50)); }), ro_file);
    check_storage_error(thrown<storage_error>([&] { reader.sign(clerk(), signing_of(2)); }), ro_file);
    CHECK(state_of(reader) == before);
    writer.add_resident(clerk(), resident_no(51));
    CHECK(reader.refresh() == 1);
    CHECK(state_of(reader) == state_of(writer));
    REQUIRE(ro.set_read_only(false));
    signing_store again(ro_file);
    again.add_resident(clerk(), resident_no(52));
    CHECK(state_of(again).ok);
  }
}
