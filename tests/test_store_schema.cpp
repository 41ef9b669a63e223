// The store's schema: a new file's, a newer file refused, and files written by the
// libraries of schemas 1-3 migrated (old events still read and verify, the chain goes on).
#include "hotline/store.hpp"
#include "hotline/calendar.hpp"
#include "hotline/work_order_deadlines.hpp"
#include "store_cases_support.hpp"
#include "test_support.hpp"

#include "../src/store_codec.hpp"
#include "../src/store_schema.hpp"
#include "../src/store_sha256.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

using namespace hotline;
using namespace hotline::test::store_cases;
namespace fs = std::filesystem;

TEST_CASE("open creates the schema with WAL and foreign keys; reopen keeps it") {
  const auto dir = fresh_dir("open");
  const auto file = dir / "h.db";
  {
    store db(file);
    CHECK(db.schema_version() == store::latest_schema_version());
  }
  SQLite::Database raw(file.string(), SQLite::OPEN_READWRITE);
  CHECK(raw.execAndGet("PRAGMA journal_mode").getString() == "wal");
  CHECK(raw.execAndGet("PRAGMA user_version").getInt() == store::latest_schema_version());
  store again(file);
  CHECK(again.schema_version() == store::latest_schema_version());
  // A newer file than the library knows is refused.
  raw.exec("PRAGMA user_version = 99");
  CHECK_THROWS_AS(store{file}, storage_error);
  // A file that is not a database is a storage_error, not a crash.
  { std::ofstream(dir / "text.db") << "this is not a database, just some text that is long enough to matter\n"; }
  CHECK_THROWS_AS(store{dir / "text.db"}, storage_error);
}

namespace {

/// A file as a library of schema `version` (1..3) wrote it: the migrations up to it,
/// the orders' events as rows of `events` (JSON changes at schema 1, the compact
/// encoding 0x01 from schema 2) chained as that library chained them, and a
/// projection row per order.  Each life is a list of commands after the create.
struct legacy_life {
  work_order intake;
  std::vector<command> commands;
  work_order final;                       ///< what the state machine made of it
  std::vector<std::vector<field_change>> changes;  ///< per event
};

std::string json_changes(const std::vector<field_change>& ch) {
  auto q = [](const std::string& t) {
    std::string r = "\"";
    for (char c : t) {
      if (c == '"' || c == '\\') r.push_back('\\');
      r.push_back(c);
    }
    return r + "\"";
  };
  std::string r = "[";
  for (const auto& c : ch) r += (r.size() > 1 ? "," : "") + ("[" + q(c.field) + "," + q(c.before) + "," + q(c.after) + "]");
  return r + "]";
}

/// "<length>:<bytes>;" per text column, "<n>;" per number, "-;" per NULL: the row
/// hash of schemas 1-3 (written out here, not taken from the library).
struct row_hasher {
  std::string buf;
  void num(std::int64_t v) { buf += std::to_string(v) + ";"; }
  void text(std::string_view v) { buf += std::to_string(v.size()) + ":" + std::string(v) + ";"; }
  void null() { buf += "-;"; }
};

void write_legacy_file(const fs::path& file, int version, std::vector<legacy_life>& lives) {
  SQLite::Database raw(file.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  raw.exec("PRAGMA journal_mode=WAL");
  raw.exec("BEGIN");
  for (int v = 0; v < version; ++v) raw.exec(std::string(detail::store_migrations()[static_cast<std::size_t>(v)]));
  raw.exec("PRAGMA user_version=" + std::to_string(version));
  raw.exec("INSERT INTO units(code, name, kind, parent, active) VALUES('GZ-YX', '越秀区卫生健康局', 'district', NULL, 1)");
  raw.exec("INSERT INTO units(code, name, kind, parent, active) VALUES('YX-BJJ', '北京街', 'institution', 'GZ-YX', 1)");
  raw.exec("INSERT INTO unit_coverage(unit, district, sub_district) VALUES('YX-BJJ', '越秀区', '北京街')");
  // A projection row per order with every NOT NULL column filled (migration 4 rebuilds it).
  std::string cols = "id, number, version, state, open", vals = "?, ?, ?, ?, ?";
  {
    SQLite::Statement ti(raw, "PRAGMA table_info(orders)");
    while (ti.executeStep()) {
      const std::string n = ti.getColumn(1).getString(), type = ti.getColumn(2).getString();
      if (n == "id" || n == "number" || n == "version" || n == "state" || n == "open" || ti.getColumn(3).getInt() == 0)
        continue;
      cols += ", \"" + n + "\"";
      vals += type == "TEXT" ? ", ''" : ", 0";
    }
  }
  SQLite::Statement ins_order(raw, "INSERT INTO orders(" + cols + ") VALUES(" + vals + ")");
  SQLite::Statement ins_event(raw,
                              "INSERT INTO events(id, order_id, seq, action, at, recorded_at, actor, role, unit, "
                              "state_before, state_after, changes, comment, hash) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  calendar_deadlines deadlines(calendar::china());
  std::string prev(32, '\0');
  std::int64_t event_id = 0;
  for (std::size_t i = 0; i < lives.size(); ++i) {
    auto& life = lives[i];
    const auto order_id = static_cast<std::int64_t>(i + 1);
    life.intake.number = "LEGACY-" + std::to_string(order_id);
    auto r = create(life.intake, agent, false, deadlines);
    std::vector<std::pair<command, applied>> steps;
    command made;
    made.action = action::create;
    made.by = agent;
    made.at = life.intake.received_at;
    steps.push_back({made, r});
    for (const auto& c : life.commands) steps.push_back({c, apply(steps.back().second.order, c, deadlines)});
    for (std::size_t k = 0; k < steps.size(); ++k) {
      const auto& [c, a] = steps[k];
      ++event_id;
      const std::string act(to_string(c.action)), role_s(to_string(c.by.role)), after(to_string(a.order.state));
      const std::string before = k == 0 ? "" : std::string(to_string(a.before));
      std::string changes;
      if (version >= 2) detail::encode_changes_v1(changes, a.changes);
      else changes = json_changes(a.changes);
      const std::int64_t recorded = 1741000000 + event_id;
      row_hasher h;
      h.num(event_id);
      h.num(order_id);
      h.num(a.order.version);
      h.text(act);
      h.num(c.at.time_since_epoch().count());
      h.num(recorded);
      h.text(c.by.id);
      h.text(role_s);
      h.text(c.by.unit);
      if (k == 0) h.null();
      else h.text(before);
      h.text(after);
      h.text(changes);
      h.text(c.comment);
      const auto d = detail::sha256(prev, h.buf);
      prev.assign(reinterpret_cast<const char*>(d.data()), d.size());
      ins_event.bind(1, event_id);
      ins_event.bind(2, order_id);
      ins_event.bind(3, a.order.version);
      ins_event.bind(4, act);
      ins_event.bind(5, static_cast<std::int64_t>(c.at.time_since_epoch().count()));
      ins_event.bind(6, recorded);
      ins_event.bind(7, c.by.id);
      ins_event.bind(8, role_s);
      ins_event.bind(9, c.by.unit);
      if (k == 0) ins_event.bind(10);
      else ins_event.bind(10, before);
      ins_event.bind(11, after);
      if (version >= 2) ins_event.bind(12, changes.data(), static_cast<int>(changes.size()));
      else ins_event.bind(12, changes);
      ins_event.bind(13, c.comment);
      ins_event.bind(14, prev.data(), 32);
      ins_event.exec();
      ins_event.reset();
      life.changes.push_back(a.changes);
    }
    life.final = steps.back().second.order;
    ins_order.bind(1, order_id);
    ins_order.bind(2, life.final.number);
    ins_order.bind(3, life.final.version);
    ins_order.bind(4, std::string(to_string(life.final.state)));
    ins_order.bind(5, is_open(life.final.state) ? 1 : 0);
    ins_order.exec();
    ins_order.reset();
  }
  raw.exec("COMMIT");
}

std::vector<legacy_life> legacy_lives() {
  std::vector<legacy_life> lives(3);
  lives[0].intake = intake();
  lives[0].intake.content = "旧格式 \"引号\" \\ 反斜杠";
  lives[0].intake.caller_name = "0012";
  auto d = cmd(action::dispatch, dispatcher, "2025-03-03T11:00:00+08:00");
  d.unit = "YX-BJJ";
  d.liaison = "李联络";
  lives[0].commands = {d, cmd(action::sign_for, {"L1", role::liaison, "YX-BJJ"}, "2025-03-03T12:00:00+08:00")};
  auto r = cmd(action::reply, {"L1", role::liaison, "YX-BJJ"}, "2025-03-04T09:00:00+08:00");
  r.reply_text = "已致电居民";
  lives[0].commands.push_back(r);
  lives[1].intake = intake("2025-03-03T11:30:00+08:00");
  lives[1].intake.topic = "immunization";
  lives[2].intake = intake("2025-03-03T12:30:00+08:00");
  auto sup = cmd(action::supervise, {"S1", role::supervisor, {}}, "2025-03-03T13:00:00+08:00");
  sup.level = supervision_level::red;
  lives[2].commands = {d, sup};
  return lives;
}

}  // namespace

TEST_CASE("a schema-1 change list that is not JSON text pairs is a storage error, not a JSON exception") {
  // Schema 1 kept each event's changes as JSON [[field, before, after], ...]. A damaged
  // list (numbers where texts belong, or a number no double holds) is the file's error.
  for (const std::string bad : {"[[1,2,3]]", "[[\"content\",\"a\",1e999]]", "{\"content\":1}"}) {
    CAPTURE(bad);
    const auto dir = fresh_dir("legacy-bad");
    const auto file = dir / "h.db";
    auto lives = legacy_lives();
    write_legacy_file(file, 1, lives);
    {
      SQLite::Database raw(file.string(), SQLite::OPEN_READWRITE);
      raw.exec("DROP TRIGGER IF EXISTS events_no_update");
      SQLite::Statement st(raw, "UPDATE events SET changes = ? WHERE id = 2");
      st.bind(1, bad);
      REQUIRE(st.exec() == 1);
    }
    const auto what = hotline::test::thrown<storage_error>([&] { store db(file); });
    CHECK(what.find("change list") != std::string::npos);
  }
}

TEST_CASE("files of schemas 1, 2 and 3 migrate: old events still read and verify, the chain goes on") {
  for (int version = 1; version <= 3; ++version) {
    CAPTURE(version);
    const auto dir = fresh_dir("legacy" + std::to_string(version));
    const auto file = dir / "h.db";
    auto lives = legacy_lives();
    write_legacy_file(file, version, lives);
    store db(file);
    CHECK(db.schema_version() == store::latest_schema_version());
    auto rep = db.verify();
    CHECK(rep.ok);
    CHECK(rep.events_checked == 8);
    for (const auto& life : lives) {
      // The projection was rebuilt from the old events: the state machine's order.
      const auto o = db.get(life.final.number, true);
      REQUIRE(o);
      CHECK(*o == life.final);
      const auto evs = db.events(life.final.number, true);
      REQUIRE(evs.size() == life.changes.size());
      for (std::size_t k = 0; k < evs.size(); ++k) {
        REQUIRE(evs[k].changes.size() == life.changes[k].size());
        for (std::size_t j = 0; j < evs[k].changes.size(); ++j) CHECK(evs[k].changes[j].field == life.changes[k][j].field);
      }
    }
    CHECK(db.get(lives[0].final.number, true)->content == "旧格式 \"引号\" \\ 反斜杠");
    CHECK(db.count(order_query{}.with_state(order_state::in_progress)) == 0);
    CHECK(db.count(order_query{}.in_unit("YX-BJJ").open()) == 2);
    CHECK(db.count(order_query{}.phone("13812341234")) == 3);
    facts_query q;
    q.from = at("2025-03-01T00:00:00+08:00");
    q.to = at("2025-04-01T00:00:00+08:00");
    const auto counts = db.action_counts(q);
    REQUIRE(counts.size() == 1);
    CHECK(counts[0].action == action::supervise);
    // New events follow the old ones in the same chain.
    auto sign = cmd(action::sign_for, {"L1", role::liaison, "YX-BJJ"}, "2025-03-03T14:00:00+08:00");
    CHECK(db.apply(lives[2].final.number, sign).version == 4);
    const auto evs = db.events(lives[2].final.number, true);
    REQUIRE(evs.size() == 4);
    CHECK(evs[3].id == 9);
    CHECK(db.log(8, 5).size() == 2);
    rep = db.verify();
    CHECK(rep.ok);
    CHECK(rep.events_checked == 9);
    const auto before = db.orders(order_query{}.revealed());
    CHECK(db.rebuild_projection() == 3);
    CHECK(db.orders(order_query{}.revealed()) == before);
    {
      SQLite::Database raw(file.string(), SQLite::OPEN_READWRITE);
      raw.exec("DROP TRIGGER events_no_update");
      raw.exec("UPDATE events SET actor = 'FORGED' WHERE id = 6");
    }
    rep = db.verify();
    CHECK_FALSE(rep.ok);
    CHECK(rep.first_broken == 6);
  }
}
