// Faults in the stores' files (issue 22 item 3): flipped bytes, a file cut short, a file
// or a WAL of a newer schema, for the work-order store and then the signing store; see
// store_faults_support.hpp.
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

TEST_CASE("store faults: flipped bytes and a truncated file are named errors or a broken chain; the restored file opens") {
  const auto dir = fresh_dir("faults-bytes");
  const auto file = dir / "hotline.db";
  const std::string marker = "FAULT-MARKER-0123456789";
  std::string number;
  {
    store db(file);
    seed_units(db);
    for (int i = 0; i < 8; ++i) db.create(long_intake(i), agent);
    number = db.create(intake(), agent).number;
    auto d = dispatch_to_bjj();
    d.comment = marker;
    db.apply(number, d);
  }
  REQUIRE_FALSE(fs::exists(wal_of(file)));  // the last close copied the WAL into the file
  const auto before = snap_reopened(file);
  REQUIRE(before.chain_ok);
  const auto original = read_bytes(file);
  const auto page_size = static_cast<std::size_t>((static_cast<unsigned char>(original[16]) << 8) |
                                                  static_cast<unsigned char>(original[17]));
  REQUIRE(page_size >= 512);
  auto root_page = [&](const char* name) {
    SQLite::Database raw(file.string(), SQLite::OPEN_READONLY);
    SQLite::Statement st(raw, "SELECT rootpage FROM sqlite_master WHERE name = ?");
    st.bind(1, name);
    REQUIRE(st.executeStep());
    return static_cast<std::size_t>(st.getColumn(0).getInt64());
  };
  /// The fault gone: the original bytes back, the file opens and writes, the chain holds.
  auto restored = [&] {
    write_bytes(file, original);
    store db(file);
    CHECK(snap(db) == before);
    db.create(intake(), agent);
    CHECK(db.verify().ok);
  };

  SUBCASE("the header's magic string") {
    auto bytes = original;
    for (int i = 0; i < 6; ++i) bytes[static_cast<std::size_t>(i)] ^= 0x20;
    write_bytes(file, bytes);
    check_storage_error(thrown<storage_error>([&] { store db(file); }), file);
    check_storage_error(thrown<storage_error>([&] { store db(file, read_only()); }), file);
    CHECK(read_bytes(file) == bytes);  // left as it was
    restored();
  }

  SUBCASE("the header's page size") {
    auto bytes = original;
    bytes[16] = 0x03;  // 768: not a power of two
    bytes[17] = 0x00;
    write_bytes(file, bytes);
    check_storage_error(thrown<storage_error>([&] { store db(file); }), file);
    CHECK(read_bytes(file) == bytes);
    restored();
  }

  SUBCASE("a b-tree page of the orders") {
    const auto page = root_page("orders");
    auto bytes = original;
    bytes[(page - 1) * page_size + (page == 1 ? 100 : 0)] = 0x7f;  // no such page type
    write_bytes(file, bytes);
    {
      store db(file);
      check_storage_error(thrown<storage_error>([&] { (void)db.orders(order_query{}); }), file);
      check_storage_error(thrown<storage_error>([&] { (void)db.get(number); }), file);
      check_storage_error(thrown<storage_error>([&] { db.create(intake(), agent); }), file);
      CHECK(db.head().event_count == before.events);  // the create left no event
    }
    CHECK(read_bytes(file) == bytes);
    restored();
  }

  SUBCASE("a b-tree page of the event log") {
    const auto page = root_page("event_blocks");
    auto bytes = original;
    bytes[(page - 1) * page_size + (page == 1 ? 100 : 0)] = 0x7f;
    write_bytes(file, bytes);
    {
      store db(file);
      check_storage_error(thrown<storage_error>([&] { (void)db.verify(); }), file);
      check_storage_error(thrown<storage_error>([&] { (void)db.events(number); }), file);
      // An import that cannot find the log's end does not begin (nor stay half open).
      check_storage_error(thrown<storage_error>([&] { (void)db.begin_import(); }), file);
      check_storage_error(thrown<storage_error>([&] { db.create(intake(), agent); }), file);
      CHECK(db.count(order_query{}) == before.orders);  // the create left no order
    }
    CHECK(read_bytes(file) == bytes);
    restored();
  }

  SUBCASE("an event's payload: verify() names the event") {
    const auto at = original.find(marker);
    REQUIRE(at != std::string::npos);
    REQUIRE(original.find(marker, at + 1) == std::string::npos);  // in the event only
    auto bytes = original;
    bytes[at + 6] = 'N';  // MARKER -> NARKER
    write_bytes(file, bytes);
    {
      store db(file);
      const auto evs = db.events(number, true);
      REQUIRE(evs.size() == 2);
      CHECK(evs[1].comment == "FAULT-NARKER-0123456789");
      const auto r = db.verify();
      CHECK_FALSE(r.ok);
      REQUIRE(r.first_broken);
      CHECK(*r.first_broken == evs[1].id);
      CHECK_FALSE(r.reason.empty());
      CHECK(db.count(order_query{}) == before.orders);
    }
    restored();
  }

  SUBCASE("a file cut short") {
    for (const std::size_t keep : {original.size() / 2 + 100, page_size}) {
      CAPTURE(keep);
      write_bytes(file, original.substr(0, keep));
      std::string err = thrown<storage_error>([&] {
        store db(file);
        (void)db.verify();
        (void)db.orders(order_query{});
        db.create(intake(), agent);
      });
      check_storage_error(err, file);
      CHECK(read_bytes(file) == original.substr(0, keep));
    }
    restored();
  }
}

TEST_CASE("store faults: a file or a WAL of a newer schema is refused, naming the file and both versions, and left byte for byte") {
  const auto dir = fresh_dir("faults-newer");
  const auto file = dir / "hotline.db";
  {
    store db(file);
    seed_units(db);
    db.create(intake(), agent);
  }
  const int latest = store::latest_schema_version();
  const int newer = latest + 1;
  auto set_version = [&](int v, bool keep_wal) {
    SQLite::Database raw(file.string(), SQLite::OPEN_READWRITE);
    if (keep_wal) sqlite3_db_config(raw.getHandle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
    raw.exec("PRAGMA user_version = " + std::to_string(v));
  };
  auto header_version = [&] {
    const auto b = read_bytes(file);
    return (static_cast<unsigned char>(b[60]) << 24) | (static_cast<unsigned char>(b[61]) << 16) |
           (static_cast<unsigned char>(b[62]) << 8) | static_cast<unsigned char>(b[63]);
  };
  auto refused = [&](const store_options& o) {
    const auto bytes = read_bytes(file);
    const bool had_wal = fs::exists(wal_of(file)) && fs::file_size(wal_of(file)) > 0;
    const auto wal = had_wal ? read_bytes(wal_of(file)) : std::string();
    const auto err = thrown<storage_error>([&] { store db(file, o); });
    check_storage_error(err, file);
    CHECK(has(err, "schema version " + std::to_string(newer)));
    CHECK(has(err, "this library's " + std::to_string(latest)));
    CHECK(read_bytes(file) == bytes);
    if (had_wal) CHECK(read_bytes(wal_of(file)) == wal);
    else CHECK((!fs::exists(wal_of(file)) || fs::file_size(wal_of(file)) == 0));
  };
  /// The fault gone (a library that knows the version wrote it back): opens and writes.
  auto back_to_latest = [&] {
    set_version(latest, false);
    store db(file);
    CHECK(db.schema_version() == latest);
    db.create(intake(), agent);
    CHECK(db.verify().ok);
    CHECK(db.count(order_query{}) == 2);
  };

  SUBCASE("in the file") {
    set_version(newer, false);
    REQUIRE(header_version() == newer);
    refused({});
    refused(read_only());
    back_to_latest();
  }

  SUBCASE("in the committed frames of the WAL, the file itself older") {
    set_version(newer, true);
    REQUIRE(fs::exists(wal_of(file)));
    REQUIRE(header_version() == latest);  // only the WAL says so
    refused({});
    refused(read_only());
    REQUIRE(header_version() == latest);
    back_to_latest();
  }

  SUBCASE("in a file in rollback-journal mode") {
    {
      SQLite::Database raw(file.string(), SQLite::OPEN_READWRITE);
      raw.exec("PRAGMA journal_mode = DELETE");
      raw.exec("PRAGMA user_version = " + std::to_string(newer));
    }
    refused({});  // not switched to WAL on the way to the refusal
    back_to_latest();
  }
}

// ======================================================================================
// The signing store

TEST_CASE("signing store faults: flipped bytes and a truncated file are named errors or a broken chain; the restored file opens") {
  const auto dir = fresh_dir("faults-signing-bytes");
  const auto file = dir / "signing.db";
  {
    signing_store db(file);
    populate(db, 30);
    auto r = resident_no(31);
    r.name = "FAULT-MARKER-0123456789";
    db.add_resident(clerk(), r);
    db.add_resident(clerk(), resident_no(32));
  }
  REQUIRE_FALSE(fs::exists(wal_of(file)));
  const auto before = state_reopened(file);
  REQUIRE(before.ok);
  const auto original = read_bytes(file);
  auto restored = [&] {
    write_bytes(file, original);
    signing_store db(file);
    CHECK(state_of(db) == before);
    db.add_resident(clerk(), resident_no(60));
    CHECK(state_of(db).ok);
  };

  SUBCASE("the header's magic string") {
    auto bytes = original;
    for (int i = 0; i < 6; ++i) bytes[static_cast<std::size_t>(i)] ^= 0x20;
    write_bytes(file, bytes);
    check_storage_error(thrown<storage_error>([&] { signing_store db(file); }), file);
    CHECK(read_bytes(file) == bytes);
    restored();
  }

  SUBCASE("a row's payload: verify() names the row") {
    const auto at = original.find("FAULT-MARKER-0123456789");
    REQUIRE(at != std::string::npos);
    auto bytes = original;
    bytes[at + 6] = 'N';
    write_bytes(file, bytes);
    {
      signing_store db(file);
      const auto r = db.verify();
      CHECK_FALSE(r.ok);
      CHECK(r.first_bad_seq == before.last_seq - 1);  // the row of resident 31
      CHECK_FALSE(r.reason.empty());
    }
    restored();
  }

  SUBCASE("a file cut short") {
    const std::size_t keep = original.size() / 2 + 100;
    write_bytes(file, original.substr(0, keep));
    check_storage_error(thrown<storage_error>([&] {
                          signing_store db(file);
                          (void)db.verify();
                        }),
                        file);
    CHECK(read_bytes(file) == original.substr(0, keep));
    restored();
  }
}

// The signing store: a refusing open must not checkpoint the WAL into the file as its
// connection closes, and a file SQLite cannot read is that, not "not a signing store".
TEST_CASE("signing store faults: a WAL of a newer schema is left byte for byte; unreadable files are not called other files") {
  const auto dir = fresh_dir("faults-signing-newer");
  const auto file = dir / "signing.db";
  {
    signing_store db(file);
    populate(db, 2);
  }
  const auto original = read_bytes(file);
  SUBCASE("a WAL of a newer schema") {
    const int newer = signing_store::schema_version + 1;
    {
      SQLite::Database raw(file.string(), SQLite::OPEN_READWRITE);
      sqlite3_db_config(raw.getHandle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
      raw.exec("PRAGMA user_version = " + std::to_string(newer));
    }
    REQUIRE(fs::exists(wal_of(file)));
    const auto bytes = read_bytes(file);
    const auto wal = read_bytes(wal_of(file));
    const auto err = thrown<storage_error>([&] { signing_store db(file); });
    check_storage_error(err, file);
    CHECK(has(err, "schema version " + std::to_string(newer)));
    CHECK(has(err, "this library's " + std::to_string(signing_store::schema_version)));
    CHECK(read_bytes(file) == bytes);
    CHECK(read_bytes(wal_of(file)) == wal);
  }
  SUBCASE("a file cut short") {
    write_bytes(file, original.substr(0, original.size() / 2 + 100));
    const auto err = thrown<storage_error>([&] { signing_store db(file); });
    check_storage_error(err, file);
    CHECK_FALSE(has(err, "not a signing store"));
  }
  SUBCASE("a read-only file system") {
    SKIP_WITHOUT_MOUNTS();
    tmpfs_mount disk(dir / "disk", disk_bytes);
    const auto on_disk = disk.path() / "signing.db";
    write_bytes(on_disk, original);
    REQUIRE(disk.set_read_only(true));
    const auto err = thrown<storage_error>([&] { signing_store db(on_disk); });
    check_storage_error(err, on_disk);
    CHECK_FALSE(has(err, "not a signing store"));
    CHECK(has(err, "read-only"));
  }
}
