// The store's hash chain: events are append-only, tampering is found and named, blocks
// of one order and one transaction, and the compact layout of their hashes.
#include "hotline/store.hpp"
#include "store_cases_support.hpp"
#include "test_support.hpp"

#include "../src/store_codec.hpp"
#include "../src/store_sha256.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

using namespace hotline;
using namespace hotline::test::store_cases;
namespace fs = std::filesystem;

TEST_CASE("events are append-only and tampering is found: 003 §3.1, 004 §1.5") {
  const auto dir = fresh_dir("tamper");
  const auto file = dir / "h.db";
  {
    store db(file);
    seed_units(db);
    full_life(db);
    full_life(db);  // events 8..14, each its own transaction: one block each
  }
  {
    SQLite::Database raw(file.string(), SQLite::OPEN_READWRITE);
    CHECK_THROWS(raw.exec("UPDATE event_blocks SET n = 1 WHERE first_id = 3"));
    CHECK_THROWS(raw.exec("DELETE FROM event_blocks WHERE first_id = 3"));
    // Someone with the file and sqlite3 drops the guard and rewrites event 9 (D02 dispatched).
    raw.exec("DROP TRIGGER event_blocks_no_update");
    raw.exec("UPDATE event_blocks SET body = CAST(replace(CAST(body AS TEXT), 'D02', 'D99') AS BLOB) WHERE first_id = 9");
  }
  store db(file);
  const auto rep = db.verify();
  CHECK_FALSE(rep.ok);
  CHECK(rep.first_broken == 9);
  CHECK(rep.events_checked == 9);
  CHECK(rep.reason.find("event 9") != std::string::npos);
}

/// Runs `sql` on the file past the append-only trigger on event_blocks, as someone
/// editing the file directly would; then what verify() says about it, opened afresh.
chain_report tamper_and_verify(const std::filesystem::path& file, const std::string& sql) {
  {
    SQLite::Database raw(file.string(), SQLite::OPEN_READWRITE);
    raw.exec("DROP TRIGGER IF EXISTS event_blocks_no_update");
    raw.exec(sql);
  }
  store db(file);
  return db.verify();
}

/// One batch: order a created, dispatched to YX-BJJ and signed for (a block of three
/// events, ids 1-3), order b created (a block of one, id 4).  Returns {a, b}.
std::pair<std::string, std::string> two_orders_in_one_batch(store& db) {
  seed_units(db);
  auto batch = db.begin_batch();
  std::string a = db.create(intake(), agent).number;
  std::string b = db.create(intake("2025-03-03T10:30:00+08:00"), agent).number;
  db.apply(a, dispatch_to_bjj());
  db.apply(a, cmd(action::sign_for, {"L1", role::liaison, "YX-BJJ"}, "2025-03-03T12:00:00+08:00"));
  batch.commit();
  return {a, b};
}

TEST_CASE("a block holds the events of one order and one transaction; each event is still chained on its own") {
  const auto dir = fresh_dir("blocks");
  const auto file = dir / "h.db";
  std::string a, b;
  {
    store db(file);
    std::tie(a, b) = two_orders_in_one_batch(db);
    const auto d = dispatch_to_bjj();
    // Numbered order by order within the transaction: a's three events, then b's.
    const auto ea = db.events(a, true), eb = db.events(b, true);
    REQUIRE(ea.size() == 3);
    REQUIRE(eb.size() == 1);
    CHECK(ea[0].id == 1);
    CHECK(ea[1].id == 2);
    CHECK(ea[2].id == 3);
    CHECK(eb[0].id == 4);
    CHECK(ea[1].actor == "D02");
    CHECK(ea[2].seq == 3);
    CHECK(ea[1].hash != ea[2].hash);
    const auto lg = db.log(2, 2, true);
    REQUIRE(lg.size() == 2);
    CHECK(lg[0].id == 2);
    CHECK(lg[0].order == a);
    CHECK(lg[0].action == action::dispatch);
    CHECK(lg[1].id == 3);
    CHECK(db.log(4, 10, true).at(0).order == b);
    CHECK(db.log(5, 10).empty());
    // Later transactions continue the chain.
    db.apply(b, d);
    CHECK(db.events(b).back().id == 5);
    CHECK(db.log(1, 100).size() == 5);
    CHECK(db.verify().ok);
    CHECK(db.verify().events_checked == 5);
    SQLite::Database raw(file.string(), SQLite::OPEN_READONLY);
    CHECK(raw.execAndGet("SELECT count(*) FROM event_blocks").getInt() == 3);
    CHECK(raw.execAndGet("SELECT n FROM event_blocks WHERE first_id = 1").getInt() == 3);
  }
  {
    // The middle event of a's block is changed: verify names it, not the block's first.
    const auto rep = tamper_and_verify(
        file, "UPDATE event_blocks SET body = CAST(replace(CAST(body AS TEXT), 'D02', 'D03') AS BLOB) WHERE first_id = 1");
    CHECK_FALSE(rep.ok);
    CHECK(rep.first_broken == 2);
    CHECK(rep.events_checked == 2);
  }
  {
    // A whole block deleted: the next event no longer chains.
    SQLite::Database raw(file.string(), SQLite::OPEN_READWRITE);
    raw.exec("UPDATE event_blocks SET body = CAST(replace(CAST(body AS TEXT), 'D03', 'D02') AS BLOB) WHERE first_id = 1");
    raw.exec("DROP TRIGGER event_blocks_no_delete");
    raw.exec("PRAGMA foreign_keys = OFF");
    raw.exec("DELETE FROM event_blocks WHERE first_id = 4");
  }
  store db(file);
  const auto rep = db.verify();
  CHECK_FALSE(rep.ok);
  CHECK(rep.first_broken == 5);
}

TEST_CASE("a block keeps its last event's hash whole and 8-byte prefixes of the others; 32-byte blocks still read and verify") {
  // store_chain.hpp: every event is still chained on the previous event's full hash.
  const auto file = fresh_dir("compact-hashes") / "h.db";
  std::string a, b;
  {
    store db(file);
    std::tie(a, b) = two_orders_in_one_batch(db);
    auto later = db.begin_batch();  // b's next two events: a block whose chain starts in b's first
    db.apply(b, dispatch_to_bjj());
    db.apply(b, cmd(action::sign_for, {"L1", role::liaison, "YX-BJJ"}, "2025-03-03T12:30:00+08:00"));
    later.commit();
  }
  // The chain recomputed here from the raw blocks, independently of the store's reader.
  struct raw_block {
    std::int64_t first_id, order_id, first_seq;
    std::string body, hashes;
  };
  auto read_blocks = [&] {
    std::vector<raw_block> out;
    SQLite::Database raw(file.string(), SQLite::OPEN_READONLY);
    SQLite::Statement st(raw, "SELECT first_id, order_id, first_seq, body, hashes FROM event_blocks ORDER BY first_id");
    while (st.executeStep())
      out.push_back({st.getColumn(0).getInt64(), st.getColumn(1).getInt64(), st.getColumn(2).getInt64(),
                     std::string(static_cast<const char*>(st.getColumn(3).getBlob()), st.getColumn(3).getBytes()),
                     std::string(static_cast<const char*>(st.getColumn(4).getBlob()), st.getColumn(4).getBytes())});
    return out;
  };
  const auto blocks = read_blocks();
  REQUIRE(blocks.size() == 3);
  CHECK(blocks[0].hashes.size() == 8 * 2 + 32);  // a's create, dispatch, sign-for
  CHECK(blocks[1].hashes.size() == 32);          // b's create alone: the same either way
  CHECK(blocks[2].hashes.size() == 8 + 32);      // b's dispatch and sign-for
  std::vector<std::string> full;                 // every event's full hash, in id order
  std::vector<std::string> old_layout;           // each block's hashes, 32 bytes per event
  std::string prev(32, '\0'), canonical;
  for (const auto& blk : blocks) {
    old_layout.emplace_back();
    std::vector<hotline::detail::block_event> evs;
    std::vector<std::string_view> slices;
    hotline::detail::parse_block(blk.body, evs, slices);
    for (std::size_t k = 0; k < slices.size(); ++k) {
      hotline::detail::block_canonical(blk.first_id + static_cast<std::int64_t>(k), blk.order_id,
                                       blk.first_seq + static_cast<std::int64_t>(k), slices[k], canonical);
      const auto dg = hotline::detail::sha256(prev, canonical);
      prev.assign(reinterpret_cast<const char*>(dg.data()), dg.size());
      full.push_back(prev);
      old_layout.back() += prev;
      const bool last = k + 1 == slices.size();
      CHECK(blk.hashes.substr(8 * k, last ? 32 : 8) == prev.substr(0, last ? 32 : 8));
    }
  }
  REQUIRE(full.size() == 6);
  auto hex = [](const std::string& bytes) {
    std::string h;
    for (unsigned char c : bytes) {
      h += "0123456789abcdef"[c >> 4];
      h += "0123456789abcdef"[c & 15];
    }
    return h;
  };
  // Both readers give each event its full hash: log() chains block to block, events()
  // finds the hash before each of the order's blocks.
  auto check_hashes = [&](const store& db) {
    const auto lg = db.log(1, 100, true);
    REQUIRE(lg.size() == 6);
    for (std::size_t i = 0; i < 6; ++i) CHECK(lg[i].hash == hex(full[i]));
    const auto eb = db.events(b, true);
    REQUIRE(eb.size() == 3);
    CHECK(eb[1].hash == hex(full[4]));
    CHECK(eb[2].hash == hex(full[5]));
    CHECK(db.log(5, 1, true).at(0).hash == hex(full[4]));  // paging into the middle of the chain
  };
  {
    store db(file);
    check_hashes(db);
    CHECK(db.verify().ok);
    CHECK(db.verify().events_checked == 6);
  }
  {
    // A kept prefix altered on its own: verify names its event.
    const auto rep = tamper_and_verify(file, "UPDATE event_blocks SET hashes = zeroblob(8) || substr(hashes, 9) WHERE first_id = 5");
    CHECK_FALSE(rep.ok);
    CHECK(rep.first_broken == 5);
  }
  {
    // Rewritten as a file of schema 5 before the compact layout had it: 32 bytes per event.
    SQLite::Database raw(file.string(), SQLite::OPEN_READWRITE);
    SQLite::Statement up(raw, "UPDATE event_blocks SET hashes = ? WHERE first_id = ?");
    for (std::size_t i = 0; i < blocks.size(); ++i) {
      up.bind(1, old_layout[i].data(), static_cast<int>(old_layout[i].size()));
      up.bind(2, blocks[i].first_id);
      up.exec();
      up.reset();
    }
  }
  CHECK(read_blocks()[0].hashes.size() == 3 * 32);
  {
    store db(file);
    check_hashes(db);
    CHECK(db.verify().ok);
    CHECK(db.verify().events_checked == 6);
    // New events go on in the compact layout, chained on the old block's last hash.
    auto batch = db.begin_batch();
    auto r = cmd(action::reply, {"L1", role::liaison, "YX-BJJ"}, "2025-03-04T09:00:00+08:00");
    r.reply_text = "已致电居民";
    db.apply(a, r);
    db.apply(a, cmd(action::accept_reply, {"R1", role::reviewer, {}}, "2025-03-04T10:00:00+08:00"));
    batch.commit();
    CHECK(db.verify().ok);
    CHECK(db.verify().events_checked == 8);
  }
  CHECK(read_blocks().back().hashes.size() == 8 + 32);
  // The middle event of the old-layout block changed: verify still names it.
  const auto rep = tamper_and_verify(
      file, "UPDATE event_blocks SET body = CAST(replace(CAST(body AS TEXT), 'D02', 'D03') AS BLOB) WHERE first_id = 1");
  CHECK_FALSE(rep.ok);
  CHECK(rep.first_broken == 2);
}
