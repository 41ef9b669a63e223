// The SQLite store: events and projection, hash chain, rebuild, queries, masking,
// optimistic versions, migrations, and the reliability cases of issue 4 (a
// writer killed with SIGKILL, two processes writing one file, hostile text).
//
// The multi-process cases re-run this executable as the child writer:
//   test_store -tc="store child process"   with HOTLINE_STORE_CHILD=<mode>:<db>[:<arg>]
#include "hotline/store.hpp"
#include "hotline/calendar.hpp"
#include "hotline/work_order_deadlines.hpp"
#include "store_test_support.hpp"
#include "test_support.hpp"

#include "../src/store_access.hpp"
#include "../src/store_codec.hpp"
#include "../src/store_schema.hpp"
#include "../src/store_sha256.hpp"
#include "../src/work_order_fields.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <spawn.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

using namespace hotline;
namespace fs = std::filesystem;

namespace {

instant at(const char* s) { return parse_instant(s); }

using test::fresh_dir;
using test::seed_units;

using test::intake;

const actor agent{"A017", role::agent, {}};
const actor dispatcher{"D02", role::dispatcher, {}};

command cmd(action a, actor by, const char* when) {
  command c;
  c.action = a;
  c.by = std::move(by);
  c.at = at(when);
  return c;
}

/// D02 dispatches to YX-BJJ at 11:00 on 3 March 2025.
command dispatch_to_bjj() {
  auto d = cmd(action::dispatch, dispatcher, "2025-03-03T11:00:00+08:00");
  d.unit = "YX-BJJ";
  return d;
}

/// Runs one typical life through the store; returns the order number.
std::string full_life(store& db, const char* received = "2025-03-03T10:00:00+08:00") {
  auto wo = db.create(intake(received), agent);
  auto d = cmd(action::dispatch, dispatcher, "2025-03-03T11:00:00+08:00");
  d.unit = "YX-BJJ";
  db.apply(wo.number, d);
  db.apply(wo.number, cmd(action::sign_for, {"L1", role::liaison, "YX-BJJ"}, "2025-03-03T12:00:00+08:00"));
  auto r = cmd(action::reply, {"L1", role::liaison, "YX-BJJ"}, "2025-03-04T09:00:00+08:00");
  r.reply_text = "已致电居民，安排下周上门";
  db.apply(wo.number, r);
  db.apply(wo.number, cmd(action::accept_reply, {"R1", role::reviewer, {}}, "2025-03-04T10:00:00+08:00"));
  auto cb = cmd(action::call_back, {"C1", role::call_back_agent, {}}, "2025-03-05T10:00:00+08:00");
  cb.call_back = call_back_result::satisfied;
  db.apply(wo.number, cb);
  db.apply(wo.number, cmd(action::close, {"C1", role::call_back_agent, {}}, "2025-03-05T10:01:00+08:00"));
  return wo.number;
}

std::string hex(const detail::sha256_digest& d) {
  std::string s;
  char b[3];
  for (auto x : d) {
    std::snprintf(b, sizeof b, "%02x", x);
    s += b;
  }
  return s;
}

/// Starts this executable as a child writer; returns its pid and the read end of its stdout.
pid_t spawn_child(const std::string& spec, int* out_fd) {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&fa, fds[0]);
  std::vector<std::string> env_s;
  for (char** e = environ; *e; ++e) env_s.emplace_back(*e);
  env_s.push_back("HOTLINE_STORE_CHILD=" + spec);
  std::vector<char*> envp;
  for (auto& s : env_s) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::string exe = fs::read_symlink("/proc/self/exe").string();
  std::string a1 = "--test-case=store child process", a2 = "--no-intro", a3 = "--no-version";
  char* argv[] = {exe.data(), a1.data(), a2.data(), a3.data(), nullptr};
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, exe.c_str(), &fa, nullptr, argv, envp.data());
  posix_spawn_file_actions_destroy(&fa);
  ::close(fds[1]);
  REQUIRE(rc == 0);
  *out_fd = fds[0];
  return pid;
}

int wait_exit(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

// ---------------------------------------------------------------------------

TEST_CASE("sha256 known answers (FIPS 180-4 examples)") {
  CHECK(hex(detail::sha256("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(hex(detail::sha256("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(hex(detail::sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")) ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(hex(detail::sha256(std::string(1000000, 'a'))) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  CHECK(hex(detail::sha256("ab", "c")) == hex(detail::sha256("abc")));
  // In pieces: every split of a 200-byte message into three, across block boundaries.
  std::string m;
  for (int i = 0; i < 200; ++i) m.push_back(static_cast<char>('a' + i % 26));
  const std::string_view v(m);
  const auto whole = hex(detail::sha256(v));
  for (std::size_t i = 0; i <= v.size(); i += 7)
    for (std::size_t j = i; j <= v.size(); j += 11)
      CHECK(hex(detail::sha256({v.substr(0, i), v.substr(i, j - i), v.substr(j)})) == whole);
}

TEST_CASE("a block event's hash is SHA-256 of the previous hash and its canonical bytes, however long") {
  std::mt19937_64 rng(7);
  std::string prev(32, '\0'), canonical, bytes;
  for (int t = 0; t < 500; ++t) {
    bytes.assign(rng() % 300, '\0');
    for (auto& c : bytes) c = static_cast<char>(rng());
    const auto id = static_cast<std::int64_t>(rng() >> (rng() % 64));
    const auto order_id = t % 2 ? -static_cast<std::int64_t>(rng() >> 1) - 1 : static_cast<std::int64_t>(rng() % 1000);
    const auto seq = static_cast<std::int64_t>(rng() % 100);
    detail::block_canonical(id, order_id, seq, bytes, canonical);
    CHECK(canonical == std::to_string(id) + ";" + std::to_string(order_id) + ";" + std::to_string(seq) + ";" +
                           std::to_string(bytes.size()) + ":" + bytes + ";");
    const auto d = detail::block_event_hash(prev, id, order_id, seq, bytes);
    CHECK(hex(d) == hex(detail::sha256(prev, canonical)));
    prev.assign(reinterpret_cast<const char*>(d.data()), d.size());
  }
  // The longest numbers there are.
  const auto lo = std::numeric_limits<std::int64_t>::min(), hi = std::numeric_limits<std::int64_t>::max();
  detail::block_canonical(lo, hi, lo, "x", canonical);
  CHECK(hex(detail::block_event_hash(prev, lo, hi, lo, "x")) == hex(detail::sha256(prev, canonical)));
}

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

TEST_CASE("a full life: events, projection, hash chain, rebuild") {
  const auto dir = fresh_dir("life");
  store db(dir / "h.db");
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

TEST_CASE("compact changes give back the exact text") {
  const auto dir = fresh_dir("compact");
  const auto file = dir / "h.db";
  std::string number;
  std::vector<work_order> before;
  {
    store db(file);
    seed_units(db);
    auto wo = db.create(intake(), agent);
    number = wo.number;
    // Values that look like numbers or clocks but are not canonical stay text.
    const std::vector<std::pair<std::string, std::string>> tricky = {
        {"content", "a 1 - 2 3"},  {"caller_name", "0012"}, {"address", "-0"},
        {"respondent", "x 01 - - -"}, {"topic", "-"},        {"sub_topic", "9223372036854775807"},
        {"call_ref", "-12"},       {"complaint_subject", "b - - - - -"}, {"kb_entries", "c 1 2 3 -5"}};
    auto a = cmd(action::amend, agent, "2025-03-03T10:05:00+08:00");
    a.amendments = tricky;
    db.apply(number, a);
    const auto evs = db.events(number, true);
    REQUIRE(evs.size() == 2);
    std::map<std::string, std::string> after;
    for (const auto& c : evs[1].changes) after[c.field] = c.after;
    for (const auto& [k, v] : tricky) CHECK(after[k] == v);
    before = db.orders(order_query{}.revealed());
    CHECK(db.rebuild_projection() == 1);
    CHECK(db.orders(order_query{}.revealed()) == before);
    CHECK(db.verify().ok);
  }
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

TEST_CASE("a clock's change given as values is encoded to the bytes of its texts") {
  // The store hands apply_in_place's clock changes to the encoder as values; the bytes
  // must be those of the texts (detail::clock_text), which a replay and verify() read.
  std::mt19937_64 rng(7);
  auto some_instant = [&]() -> std::optional<instant> {
    switch (rng() % 4) {
      case 0: return std::nullopt;
      case 1: return instant{seconds{1741000000 + std::int64_t(rng() % 4000000) - 2000000}};
      case 2: return instant{seconds{(std::int64_t{1} << 41) + std::int64_t(rng() % 1000)}};  // offset too large: as text
      default: return instant{seconds{-std::int64_t(rng() % 100000)}};
    }
  };
  auto some_clock = [&] {
    order_clock c;
    c.outcome = static_cast<clock_outcome>(rng() % 6);
    c.start = some_instant();
    c.due = some_instant();
    c.warn = some_instant();
    c.stopped = some_instant();
    return c;
  };
  for (int round = 0; round < 2000; ++round) {
    std::vector<field_change> as_text, as_values;
    std::vector<detail::clock_change> clocks;
    const int n = static_cast<int>(rng() % 5) + 1;
    for (int i = 0; i < n; ++i) {
      if (rng() % 3 == 0) {
        const field_change plain{"content", std::to_string(rng() % 100), "第" + std::to_string(rng() % 100) + "条"};
        as_text.push_back(plain);
        as_values.push_back(plain);
        continue;
      }
      const auto kind = static_cast<clock_kind>(rng() % clock_count);
      const auto before = rng() % 4 ? some_clock() : order_clock{}, after = some_clock();
      const std::string name = std::string(to_string(kind)) + "_clock";
      as_text.push_back({name, detail::clock_text(before), detail::clock_text(after)});
      clocks.push_back({as_values.size(), kind, before, after});
      as_values.push_back({name, {}, {}});
    }
    const std::int64_t at_s = 1741000000 + std::int64_t(rng() % 1000);
    std::string from_text, from_values;
    detail::encode_changes_v2(from_text, as_text, at_s);
    detail::encode_changes_v2(from_values, as_values, at_s, &clocks);
    REQUIRE(from_values == from_text);
    std::vector<field_change> back;
    detail::decode_changes_v2(from_values, at_s, back);
    CHECK(back == as_text);
  }
}

TEST_CASE("the words of actions, roles and states have codes, the bytes put_word writes") {
  auto byte_of = [](detail::vocab v, std::string_view name) {
    std::string out;
    detail::put_word(out, v, name);
    REQUIRE(out.size() == 1);  // every name is in its frozen vocabulary
    return static_cast<std::uint8_t>(out[0]);
  };
  for (std::size_t i = 0; i < action_count; ++i) {
    const auto a = static_cast<action>(i);
    CHECK(detail::word_code(a) == byte_of(detail::vocab::action, to_string(a)));
  }
  for (std::size_t i = 0; i < role_count; ++i) {
    const auto r = static_cast<role>(i);
    CHECK(detail::word_code(r) == byte_of(detail::vocab::role, to_string(r)));
  }
  for (std::size_t i = 0; i < order_state_count; ++i) {
    const auto st = static_cast<order_state>(i);
    CHECK(detail::word_code(st) == byte_of(detail::vocab::state, to_string(st)));
  }
}

TEST_CASE("a generated number passes over one an order was given by hand, in single calls, a batch and an import") {
  const auto dir = fresh_dir("hand-numbers");
  store db(dir / "h.db");
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

TEST_CASE("a create's changes encoded from the order are the bytes of its list of changes") {
  // The store encodes a create straight from the new order (encode_created_v2); a
  // replay, verify() and events() read those bytes as the changes create() lists.
  for (std::size_t k = 0; k < clock_count; ++k)
    CHECK(detail::clock_change_names[k] == std::string(to_string(static_cast<clock_kind>(k))) + "_clock");
  calendar_deadlines deadlines(calendar::china());
  std::mt19937_64 rng(11);
  const std::vector<std::string> texts = {"",           "0",         "12",     "-7",       "01",     "running",
                                          "met",        "phone",     "12320",  "越秀区",   "x y z",  "met 1 2 3 4",
                                          "13812341234", "9223372036854775807", "内容'; DROP TABLE orders; --"};
  auto text = [&] { return texts[rng() % texts.size()]; };
  for (int round = 0; round < 1000; ++round) {
    work_order w;
    w.call_ref = text();
    w.line = text();
    w.channel = static_cast<channel>(rng() % 4);
    w.ivr_key = static_cast<int>(rng() % 21) - 10;
    w.received_at = instant{seconds{1741000000 + std::int64_t(rng() % 30000000)}};
    w.agent = text();
    w.caller_name = text();
    w.caller_sex = static_cast<sex>(rng() % 3);
    w.anonymous = rng() % 2;
    w.confidential = rng() % 2;
    w.caller_phone = text();
    w.callback_phone = text();
    w.district = text();
    w.address = text();
    w.request_type = static_cast<request_type>(rng() % 7);
    w.topic = text();
    w.complaint_subject = text();
    w.content = "第" + std::to_string(round) + "条：" + text();
    w.urgency = static_cast<urgency>(rng() % 2);
    w.complex = rng() % 2;
    w.respondent = text();
    w.kb_entries = text();
    w.feedback_route = static_cast<feedback_route>(rng() % 3);
    w.review_opinion = text();
    const auto number = "2025-" + std::to_string(round);
    const auto listed = detail::create_numbered(w, number, agent, rng() % 2, deadlines);
    const auto made = detail::created_order(w, number, agent, false, deadlines);
    const std::int64_t t = w.received_at.time_since_epoch().count();
    std::string from_list, from_order;
    detail::encode_changes_v2(from_list, listed.changes, t);
    detail::encode_created_v2(from_order, listed.order, t);
    REQUIRE(from_order == from_list);
    CHECK(made.content == listed.order.content);
    std::vector<field_change> back;
    detail::decode_changes_v2(from_order, t, back);
    CHECK(back == listed.changes);
  }
}

TEST_CASE("the compact encodings give back exactly what they were given") {
  std::mt19937_64 rng(42);
  const std::vector<std::string> pieces = {"",         "0",       "-0",     "1",        "-",      "01",      "running",
                                           "met",      " ",       "1741000000", "-1741000000", "9223372036854775807",
                                           "phone",    "satisfied", "x",     "12320",    "中文",    "\"",      "--"};
  for (int round = 0; round < 3000; ++round) {
    std::vector<field_change> ch;
    const int n = static_cast<int>(rng() % 4) + 1;
    for (int i = 0; i < n; ++i) {
      auto value = [&] {
        std::string v;
        const int parts = static_cast<int>(rng() % 6);
        for (int p = 0; p < parts; ++p) {
          if (p) v += rng() % 5 ? " " : "";
          v += pieces[rng() % pieces.size()];
        }
        if (rng() % 3 == 0) {  // a clock-shaped value
          v = pieces[rng() % pieces.size()];
          for (int p = 0; p < 4; ++p) v += " " + (rng() % 3 ? std::to_string(1741000000 + std::int64_t(rng() % 2000000) - 1000000) : "-");
        }
        return v;
      };
      const char* fields[] = {"content", "transfer_clock", "reply_clock", "some_new_field", "dispatched_at", "number"};
      ch.push_back({fields[rng() % 6], value(), value()});
    }
    const std::int64_t at_s = 1741000000 + std::int64_t(rng() % 1000);
    std::string bytes;
    detail::encode_changes_v2(bytes, ch, at_s);
    std::vector<field_change> back;
    detail::decode_changes_v2(bytes, at_s, back);
    REQUIRE(back.size() == ch.size());
    for (std::size_t i = 0; i < ch.size(); ++i) {
      CHECK(back[i].field == ch[i].field);
      CHECK(back[i].before == ch[i].before);
      CHECK(back[i].after == ch[i].after);
    }
    std::string v1;
    detail::encode_changes_v1(v1, ch);
    const auto back1 = detail::parse_changes(v1);
    REQUIRE(back1.size() == ch.size());
    for (std::size_t i = 0; i < ch.size(); ++i) CHECK(back1[i].after == ch[i].after);
  }
  // The projection's remainder: every field set to something other than its default.
  work_order o;
  o.call_ref = "R1";
  o.line = "";
  o.channel = channel::wechat;
  o.ivr_key = -3;
  o.agent = "A1";
  o.caller_sex = sex::female;
  o.anonymous = o.confidential = o.complex = o.resolved = o.warning = o.overdue = o.extension_pending = true;
  o.callback_phone = "139";
  o.caller_id_number = "110101199001011234";
  o.sub_district = "街";
  o.address = "路 1 号";
  o.content = "内容";
  o.urgency = urgency::urgent;
  o.respondent = "某人";
  o.kb_entries = "K1,K2";
  o.answer = "答";
  o.feedback_route = feedback_route::centre_replies;
  o.review_opinion = "意见";
  o.co_units = "A,B";
  o.liaison = "联";
  o.dispatch_means = transfer_means::fax;
  o.signed_at = at("2025-03-03T12:00:00+08:00");
  o.finding = finding::partly_true;
  o.reply_text = "回复";
  o.replied_at = at("1969-12-31T23:00:00+08:00");
  o.reply_means = transfer_means::email;
  o.called_back_at = at("2025-03-05T10:00:00+08:00");
  o.call_back_means = transfer_means::letter;
  o.merged_into = "M";
  o.split_from = "S";
  o.related = "X,Y";
  o.return_reason = "不属于本单位";
  for (auto& c : o.clocks) {
    c.start = at("2025-03-03T10:00:00+08:00");
    c.stopped = at("2025-03-04T10:00:00+08:00");
  }
  std::string rest;
  detail::encode_rest(o, rest);
  work_order back;
  detail::decode_rest(rest, back);
  // The columns are not in the remainder: copy them over, then compare whole.
  std::size_t pos = 0;
  work_order expected = o;
  detail::for_each_field(expected, [&](const char*, auto& v, detail::personal) {
    using T = std::decay_t<decltype(v)>;
    if (detail::is_projection_column(pos++)) v = T{};
  });
  pos = 0;
  detail::for_each_field(back, [&](const char*, auto& v, detail::personal) {
    using T = std::decay_t<decltype(v)>;
    if (detail::is_projection_column(pos++)) v = T{};
  });
  CHECK(back == expected);
  detail::encode_rest(work_order{}, rest);
  CHECK(rest.empty());
}

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

TEST_CASE("report facts and action counts come from the projection") {
  const auto dir = fresh_dir("facts");
  store db(dir / "h.db");
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
  store db(dir / "h.db");
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
  store s1(dir / "h.db");
  seed_units(s1);
  store s2(dir / "h.db");
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
  store db(dir / "h.db");
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
  store db(dir / "h.db");
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
  store db(dir / "h.db");
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
  store db(dir / "h.db");
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

TEST_CASE("threads sharing one store: calls take turns, nothing is lost, on_urgent runs outside the store's lock") {
  // A hospital system's worker threads (or Python threads, which release the GIL) may
  // share one store object.  Each call runs whole before the next; the urgent hook may
  // call the store again, from its own thread, without deadlocking.
  const auto dir = fresh_dir("threads");
  store db(dir / "h.db");
  seed_units(db);
  std::atomic<int> urgent_seen{0}, urgent_read_back{0};
  db.on_urgent([&](const work_order& o) {
    ++urgent_seen;
    if (db.get(o.number)) ++urgent_read_back;  // re-entering the store from the hook
  });
  constexpr int n_threads = 4, per_thread = 60;
  std::vector<std::thread> threads;
  std::vector<std::vector<std::string>> numbers(n_threads);
  std::atomic<int> failures{0};
  for (int t = 0; t < n_threads; ++t)
    threads.emplace_back([&, t] {
      try {
        for (int i = 0; i < per_thread; ++i) {
          auto w = intake();
          w.received_at += seconds{60 * (t * per_thread + i)};
          if (i % 10 == 0) w.urgency = urgency::urgent;
          const auto o = db.create(w, agent);
          numbers[t].push_back(o.number);
          auto c = cmd(action::dispatch, dispatcher, "2025-03-04T10:00:00+08:00");
          c.unit = "YX-BJJ";
          CHECK(db.apply(o.number, c).version == 2);
          CHECK(db.get(o.number)->state == order_state::dispatched);
          (void)db.count(order_query{}.in_unit("YX-BJJ"));
        }
      } catch (...) {
        ++failures;
      }
    });
  for (auto& th : threads) th.join();
  CHECK(failures == 0);
  std::set<std::string> all;
  for (const auto& v : numbers) all.insert(v.begin(), v.end());
  CHECK(all.size() == std::size_t(n_threads * per_thread));  // every number distinct
  CHECK(db.count(order_query{}) == std::size_t(n_threads * per_thread));
  CHECK(db.count(order_query{}.with_state(order_state::dispatched)) == std::size_t(n_threads * per_thread));
  CHECK(urgent_seen == n_threads * per_thread / 10);
  CHECK(urgent_read_back == urgent_seen);
  const auto rep = db.verify();
  CHECK(rep.ok);
  CHECK(rep.events_checked == std::size_t(2 * n_threads * per_thread));
}

TEST_CASE("a batch belongs to the thread that opened it: another thread's call is refused, not folded in") {
  const auto dir = fresh_dir("batch-thread");
  store db(dir / "h.db");
  seed_units(db);
  auto b = db.begin_batch();
  const auto mine = db.create(intake(), agent);
  std::string other_error;
  std::thread([&] {
    try {
      db.create(intake(), agent);
    } catch (const invalid_argument_error& e) {
      other_error = e.what();
    }
  }).join();
  CHECK(other_error.find("another thread has a batch open") != std::string::npos);
  b.commit();
  CHECK(db.count(order_query{}) == 1);
  CHECK(db.get(mine.number));
  std::thread([&] { CHECK(db.create(intake(), agent).version == 1); }).join();  // after the commit: fine
  CHECK(db.count(order_query{}) == 2);
}

TEST_CASE("dispatch without a unit routes by topic, then by place; merge and split keep links") {
  const auto dir = fresh_dir("route");
  store db(dir / "h.db");
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
  store db(dir / "h.db");
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

// ---- the child writer (runs only when HOTLINE_STORE_CHILD is set) -------------

TEST_CASE("store child process") {
  const char* spec_c = std::getenv("HOTLINE_STORE_CHILD");
  if (!spec_c) return;  // a normal run: nothing to do
  const std::string spec = spec_c;
  const auto c1 = spec.find(':');
  const auto c2 = spec.find(':', c1 + 1);
  const std::string mode = spec.substr(0, c1);
  const std::string file = spec.substr(c1 + 1, c2 == std::string::npos ? std::string::npos : c2 - c1 - 1);
  const std::string arg = c2 == std::string::npos ? "" : spec.substr(c2 + 1);
  if (mode == "host-initialised") REQUIRE(sqlite3_initialize() == SQLITE_OK);  // as a host that wants the statistics
  store db(file);
  if (mode == "memory-statistics" || mode == "host-initialised") {
    // Some work through SQLite, then what its statistics say.
    full_life(db);
    std::printf("%lld\n", static_cast<long long>(sqlite3_memory_used()));
    return;
  }
  if (mode == "stream") {
    // Create and move orders for ever, reporting each committed order on stdout.
    for (long i = 0;; ++i) {
      auto wo = db.create(intake(), agent);
      auto d = cmd(action::dispatch, dispatcher, "2025-03-03T11:00:00+08:00");
      d.unit = "YX-BJJ";
      db.apply(wo.number, d);
      std::printf("%s\n", wo.number.c_str());
      std::fflush(stdout);
    }
  }
  if (mode == "import") {
    // The same stream through an importer; an order is reported once its transaction
    // has committed (transactions take orders in the order they were created).
    auto imp = db.begin_import(7);
    std::vector<std::string> made;
    std::size_t reported = 0;
    for (long i = 0;; ++i) {
      made.push_back(imp.create(intake(), agent));
      auto d = cmd(action::dispatch, dispatcher, "2025-03-03T11:00:00+08:00");
      d.unit = "YX-BJJ";
      imp.apply(made.back(), d);
      for (const auto n = static_cast<std::size_t>(imp.committed_orders()); reported < n; ++reported)
        std::printf("%s\n", made[reported].c_str());
      std::fflush(stdout);
    }
  }
  if (mode == "amend") {
    // Appends its marker to each order's content, read-modify-write with the
    // expected version, retrying on conflict: no append may be lost.
    const auto numbers = db.orders(order_query{});
    int conflicts = 0;
    for (int i = 0; i < 60; ++i) {
      const auto& number = numbers[static_cast<std::size_t>(i) % numbers.size()].number;
      for (;;) {
        const auto cur = *db.get(number, true);
        auto a = cmd(action::amend, agent, "2025-03-03T10:30:00+08:00");
        a.amendments = {{"content", cur.content + arg + std::to_string(i) + ";"}};
        a.expected_version = cur.version;
        try {
          db.apply(number, a);
          break;
        } catch (const conflict_error&) {
          ++conflicts;
        }
      }
    }
    std::printf("conflicts %d\n", conflicts);
  }
}

TEST_CASE("a store's connections: no SQLite mutex per call, no memory statistics unless the host initialised SQLite") {
  const auto dir = fresh_dir("connections");
  const auto file = dir / "h.db";
  {
    store db(file);
    seed_units(db);
    // Multi-thread mode: the store serialises its calls itself (store_connection.hpp).
    detail::store_access::read(db, "test", [](SQLite::Database& d) { CHECK(sqlite3_db_mutex(d.getHandle()) == nullptr); });
  }
  // Each in a process of its own: SQLite's configuration is the process's.
  auto memory_used = [&](const std::string& mode) {
    int fd = -1;
    const pid_t pid = spawn_child(mode + ":" + file.string(), &fd);
    FILE* in = ::fdopen(fd, "r");
    long long used = -1;
    CHECK(std::fscanf(in, "%lld", &used) == 1);
    std::fclose(in);
    CHECK(wait_exit(pid) == 0);
    return used;
  };
  CHECK(memory_used("memory-statistics") == 0);  // turned off by the first store of the process
  CHECK(memory_used("host-initialised") > 0);    // SQLite refused the change: the host keeps them
}

namespace {
/// A child writes orders for ever (`mode` stream: single calls; import: an importer)
/// and is killed with SIGKILL once it has reported 300 committed orders; the file is
/// then checked as a hospital system would reopen it.
void killed_writer(const std::string& mode) {
  const auto dir = fresh_dir("sigkill-" + mode);
  const auto file = dir / "h.db";
  {
    store db(file);
    seed_units(db);
  }
  int fd = -1;
  const pid_t pid = spawn_child(mode + ":" + file.string(), &fd);
  std::vector<std::string> committed;
  {
    FILE* in = ::fdopen(fd, "r");
    char line[128];
    while (committed.size() < 300 && std::fgets(line, sizeof line, in)) {
      std::string s(line);
      s.pop_back();
      committed.push_back(s);
    }
    ::kill(pid, SIGKILL);
    std::fclose(in);
  }
  CHECK(wait_exit(pid) == 128 + SIGKILL);
  REQUIRE(committed.size() == 300);

  store db(file);
  const auto rep = db.verify();
  CHECK(rep.ok);
  for (const auto& n : committed) {
    const auto o = db.get(n);
    REQUIRE(o);
    CHECK(o->state == order_state::dispatched);
  }
  // Nothing half-written: every order has exactly its events, versions agree.
  for (const auto& o : db.orders(order_query{})) {
    const auto evs = db.events(o.number);
    CHECK(static_cast<std::int64_t>(evs.size()) == o.version);
  }
  CHECK(db.count(order_query{}) >= committed.size());
  const auto before = db.orders(order_query{}.revealed());
  db.rebuild_projection();
  CHECK(db.orders(order_query{}.revealed()) == before);
}
}  // namespace

TEST_CASE("a writer killed with SIGKILL mid-stream: every committed order is there, the chain verifies") {
  killed_writer("stream");
}

TEST_CASE("an importer killed with SIGKILL: every committed transaction is there whole, the chain verifies") {
  killed_writer("import");
}

TEST_CASE("two processes writing one file: no lost update, no 'database is locked'") {
  const auto dir = fresh_dir("two");
  const auto file = dir / "h.db";
  {
    store db(file);
    seed_units(db);
    for (int i = 0; i < 4; ++i) db.create(intake(), agent);
  }
  int fa = -1, fb = -1;
  const pid_t a = spawn_child("amend:" + file.string() + ":a", &fa);
  const pid_t b = spawn_child("amend:" + file.string() + ":b", &fb);
  std::string out_a, out_b;
  char buf[256];
  for (ssize_t n; (n = ::read(fa, buf, sizeof buf)) > 0;) out_a.append(buf, static_cast<std::size_t>(n));
  for (ssize_t n; (n = ::read(fb, buf, sizeof buf)) > 0;) out_b.append(buf, static_cast<std::size_t>(n));
  ::close(fa);
  ::close(fb);
  CHECK(wait_exit(a) == 0);  // a storage_error ("database is locked") would fail the child
  CHECK(wait_exit(b) == 0);
  INFO(out_a, out_b);
  store db(file);
  std::size_t markers = 0;
  for (const auto& o : db.orders(order_query{}.revealed())) {
    for (char ch : o.content) markers += ch == ';';
    CHECK(db.events(o.number).size() == static_cast<std::size_t>(o.version));
  }
  CHECK(markers == 120);  // 60 appends from each process, none lost
  CHECK(db.verify().ok);
}
