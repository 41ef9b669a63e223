// Signed chain heads of the work-order store (issue 22, part 1): Ed25519 keys and key
// files, receipts, signing at each commit or every N events, verify(public_key) and
// verify(receipt), and a rewrite whose author recomputed every hash with the library's
// own hashing code.  Data authenticity: records not editable by staff (004 §1.5),
// 杜绝工作数据弄虚作假 (003 §3.1).
#include "hotline/signed_head.hpp"
#include "hotline/store.hpp"
#include "hotline/store_copy.hpp"
#include "pg_test_support.hpp"
#include "store_test_support.hpp"
#include "test_support.hpp"

#include "../src/store_chain.hpp"
#include "../src/store_codec.hpp"
#include "../src/store_sha256.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <type_traits>

using namespace hotline;
namespace fs = std::filesystem;

namespace {

instant at(const char* s) { return parse_instant(s); }

const actor agent{"A017", role::agent, {}};
const actor dispatcher{"D02", role::dispatcher, {}};
const actor liaison_l1{"L1", role::liaison, "YX-BJJ"};

using test::intake;

command cmd(action a, actor by, const char* when) {
  command c;
  c.action = a;
  c.by = std::move(by);
  c.at = at(when);
  return c;
}

command dispatch_to_bjj(const char* when = "2025-03-03T11:00:00+08:00") {
  auto d = cmd(action::dispatch, dispatcher, when);
  d.unit = "YX-BJJ";
  return d;
}

/// A fixed key: the same signatures on every run.
signing_key test_key(std::uint8_t fill = 7) {
  std::array<std::uint8_t, 32> seed;
  seed.fill(fill);
  return signing_key_from_seed(seed);
}

store_options signed_options(const signing_key& k, std::int64_t every = 1) {
  store_options o;
  o.signer = head_signer::from_key(k);
  o.sign_every_events = every;
  return o;
}

/// Three commits of two events each (an order created and dispatched in one batch):
/// events 1-2, 3-4, 5-6, a signed head after each.  Returns the three numbers.
std::vector<std::string> three_commits(store& db) {
  std::vector<std::string> numbers;
  const char* received[] = {"2025-03-03T10:00:00+08:00", "2025-03-03T10:30:00+08:00", "2025-03-03T11:30:00+08:00"};
  for (const char* r : received) {
    auto b = db.begin_batch();
    numbers.push_back(db.create(intake(r), agent).number);
    db.apply(numbers.back(), dispatch_to_bjj("2025-03-03T12:00:00+08:00"));
    b.commit();
  }
  return numbers;
}

std::int64_t signed_heads_in(const fs::path& file) {
  SQLite::Database raw(file.string(), SQLite::OPEN_READONLY);
  return raw.execAndGet("SELECT count(*) FROM signed_heads").getInt64();
}

/// What someone with the file and this library's source does: changes event `target`
/// and recomputes its hash and every hash after it with the library's own hashing
/// (detail::block_event_hash, the compact layout of store_chain.hpp), past the
/// append-only triggers.  Returns nothing: the file now holds a consistent chain.
void rewrite_and_rehash(const fs::path& file, std::int64_t target, const std::string& from, const std::string& to) {
  SQLite::Database raw(file.string(), SQLite::OPEN_READWRITE);
  raw.exec("DROP TRIGGER event_blocks_no_update");
  struct row {
    std::int64_t first_id, order_id, first_seq;
    std::string body;
  };
  std::vector<row> rows;
  {
    SQLite::Statement st(raw, "SELECT first_id, order_id, first_seq, body FROM event_blocks ORDER BY first_id");
    while (st.executeStep())
      rows.push_back({st.getColumn(0).getInt64(), st.getColumn(1).getInt64(), st.getColumn(2).getInt64(),
                      std::string(static_cast<const char*>(st.getColumn(3).getBlob()),
                                  static_cast<std::size_t>(st.getColumn(3).getBytes()))});
  }
  std::string prev(detail::full_hash_bytes, '\0');
  bool changed = false;
  SQLite::Statement up(raw, "UPDATE event_blocks SET body = ?, hashes = ? WHERE first_id = ?");
  for (auto& r : rows) {
    std::vector<detail::block_event> evs;
    std::vector<std::string_view> slices;
    detail::parse_block(r.body, evs, slices);
    const auto n = static_cast<std::int64_t>(slices.size());
    if (target >= r.first_id && target < r.first_id + n) {
      const auto pos = r.body.find(from, static_cast<std::size_t>(slices[static_cast<std::size_t>(target - r.first_id)].data() - r.body.data()));
      REQUIRE(pos != std::string::npos);
      REQUIRE(from.size() == to.size());  // same length: the block's offsets stay right
      r.body.replace(pos, from.size(), to);
      detail::parse_block(r.body, evs, slices);
      changed = true;
    }
    std::string hashes;
    for (std::size_t k = 0; k < slices.size(); ++k) {
      const auto i = static_cast<std::int64_t>(k);
      const auto d = detail::block_event_hash(prev, r.first_id + i, r.order_id, r.first_seq + i, slices[k]);
      prev.assign(reinterpret_cast<const char*>(d.data()), d.size());
      hashes.append(prev, 0, k + 1 == slices.size() ? detail::full_hash_bytes : detail::kept_hash_prefix);
    }
    up.bind(1, r.body.data(), static_cast<int>(r.body.size()));
    up.bind(2, hashes.data(), static_cast<int>(hashes.size()));
    up.bind(3, r.first_id);
    up.exec();
    up.reset();
  }
  REQUIRE(changed);
}

}  // namespace

static_assert(std::is_nothrow_move_constructible_v<head_receipt>);
static_assert(std::is_copy_constructible_v<head_signer>);

TEST_CASE("keys: seeds, key files (hex or raw, mode 0600), public keys and key ids") {
  const auto dir = test::fresh_dir("heads-keys");
  const auto k = test_key();
  CHECK(test_key().public_key == k.public_key);  // deterministic from the seed
  CHECK(test_key(8).public_key != k.public_key);
  // RFC 8032 test 1: the public key of seed 9d61b19d...7f60.
  {
    const auto seed = *parse_public_key("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
    CHECK(to_hex(signing_key_from_seed(seed).public_key) ==
          "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  }
  const auto g1 = generate_signing_key(), g2 = generate_signing_key();
  CHECK(g1.seed != g2.seed);
  CHECK(signing_key_from_seed(g1.seed).public_key == g1.public_key);

  write_key_file(dir / "head.key", k);
  struct stat st {};
  REQUIRE(::stat((dir / "head.key").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  {
    std::ifstream in(dir / "head.key");
    std::string line;
    std::getline(in, line);
    CHECK(line.size() == 64);
  }
  CHECK(read_key_file(dir / "head.key").public_key == k.public_key);
  {  // 32 raw bytes
    std::ofstream out(dir / "raw.key", std::ios::binary);
    out.write(reinterpret_cast<const char*>(k.seed.data()), 32);
  }
  CHECK(read_key_file(dir / "raw.key").public_key == k.public_key);
  { std::ofstream(dir / "bad.key") << "not a key\n"; }
  CHECK_THROWS_AS((void)read_key_file(dir / "bad.key"), parse_error);
  CHECK(test::error_of([&] { (void)read_key_file(dir / "bad.key"); }).find("bad.key") != std::string::npos);
  CHECK_THROWS_AS((void)read_key_file(dir / "missing.key"), error);

  CHECK(parse_public_key(to_hex(k.public_key)) == k.public_key);
  CHECK_FALSE(parse_public_key("abc").has_value());
  CHECK(key_id(k.public_key).size() == 16);
  CHECK(key_id(k.public_key) != key_id(test_key(8).public_key));
}

TEST_CASE("receipts print as one line and parse back; a head of one log is not a head of the other") {
  const auto k = test_key();
  const auto signer = head_signer::from_key(k);
  head_receipt r;
  r.event_count = 42;
  r.head_hash.fill(0xAB);
  r.signed_at = at("2025-03-03T12:00:00+08:00");
  r.key_id = key_id(k.public_key);
  r.signature = signer.sign(head_message(work_order_head_domain, r.event_count, r.head_hash, r.signed_at));
  CHECK(check_signature(work_order_head_domain, r, k.public_key));
  CHECK_FALSE(check_signature(signing_journal_head_domain, r, k.public_key));
  CHECK_FALSE(check_signature(work_order_head_domain, r, test_key(8).public_key));
  auto other = r;
  other.event_count = 43;
  CHECK_FALSE(check_signature(work_order_head_domain, other, k.public_key));

  const auto line = to_string(r);
  CHECK(line.rfind("hotline-head v1 events=42 hash=abab", 0) == 0);
  CHECK(line.find(" at=2025-03-03T12:00:00+08:00 ") != std::string::npos);
  CHECK(line.find("key=" + key_id(k.public_key)) != std::string::npos);
  CHECK(parse_receipt(line) == r);
  CHECK(parse_receipt("  " + line + "\n") == r);
  head_receipt u;
  u.event_count = 0;
  u.signed_at = r.signed_at;
  CHECK(to_string(u).find("key=- sig=-") != std::string::npos);
  CHECK(parse_receipt(to_string(u)) == u);
  CHECK_FALSE(parse_receipt("hotline-head v2 events=1").has_value());
  CHECK_FALSE(parse_receipt(line.substr(0, line.size() - 2)).has_value());  // a signature one byte short
  auto no_key = line;
  no_key.replace(no_key.find("key=") + 4, 16, "-");
  CHECK_FALSE(parse_receipt(no_key).has_value());  // a signature without a key id
}

TEST_CASE("a store with a signer signs its head at each commit that appends events; verify(public_key) checks them") {
  // 004 §1.5: records come from the system and are not editable; the signature is what
  // shows it to someone who does not trust the file's holder.
  const auto file = test::fresh_db("heads-each");
  const auto k = test_key();
  store db(file, signed_options(k));
  CHECK(db.signs_heads());
  test::seed_units(db);  // no events: nothing to sign
  CHECK(signed_heads_in(file) == 0);
  CHECK(db.head().event_count == 0);
  CHECK_FALSE(db.head().is_signed());
  const auto numbers = three_commits(db);
  CHECK(signed_heads_in(file) == 3);
  auto h = db.head();
  CHECK(h.event_count == 6);
  CHECK(h.is_signed());
  CHECK(h.key_id == key_id(k.public_key));
  CHECK(check_signature(work_order_head_domain, h, k.public_key));
  CHECK(db.last_signed_head() == h);
  CHECK(db.events(numbers[2]).back().hash.size() == 64);
  {  // the head hash is the last event's full hash
    std::string hx;
    char b[3];
    for (auto x : h.head_hash) {
      std::snprintf(b, sizeof b, "%02x", x);
      hx += b;
    }
    CHECK(db.log(6, 1).at(0).hash == hx);
  }
  // One more command: one more head.
  db.apply(numbers[0], cmd(action::sign_for, liaison_l1, "2025-03-03T13:00:00+08:00"));
  CHECK(signed_heads_in(file) == 4);
  auto rep = db.verify(k.public_key);
  CHECK(rep.ok);
  CHECK(rep.events_checked == 7);
  CHECK(rep.heads_checked == 4);
  CHECK(rep.signed_through == 7);
  CHECK(db.verify().ok);  // the plain chain check is unchanged
  // Another key's public half: the first head fails, nothing is proven.
  rep = db.verify(test_key(8).public_key);
  CHECK_FALSE(rep.ok);
  CHECK(rep.first_broken == 1);
  CHECK(rep.signed_through == 0);
  CHECK(rep.reason.find("does not carry a valid signature") != std::string::npos);
  // The signed heads are append-only.
  SQLite::Database raw(file.string(), SQLite::OPEN_READWRITE);
  CHECK_THROWS(raw.exec("UPDATE signed_heads SET signed_at = 0"));
  CHECK_THROWS(raw.exec("DELETE FROM signed_heads"));
  // The key never reaches the file: neither the seed nor the expanded secret key.
  const std::string seed_bytes(reinterpret_cast<const char*>(k.seed.data()), k.seed.size());
  for (const auto& f : {file, fs::path(file.string() + "-wal")}) {
    std::ifstream in(f, std::ios::binary);
    const std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(all.find(seed_bytes) == std::string::npos);
    CHECK(all.find(to_hex(k.public_key)) == std::string::npos);
  }
}

TEST_CASE("a rewrite with every hash recomputed passes verify() but not verify(public_key), which names the event after the last good signature") {
  // 003 §3.1: work data must not be falsified.  The forger has the file, sqlite3 and this
  // library's hashing code, not the key.
  const auto file = test::fresh_db("heads-tamper");
  const auto k = test_key();
  std::string receipt_line;
  {
    store db(file, signed_options(k));
    test::seed_units(db);
    three_commits(db);  // heads at 2, 4, 6 events
    receipt_line = to_string(db.head());
    CHECK(db.verify(k.public_key).ok);
  }
  // Event 4 (the second order's dispatch, by D02) now says D99 dispatched it.
  rewrite_and_rehash(file, 4, "D02", "D99");
  store db(file);  // opened without a key: reading and the plain check still work
  CHECK_FALSE(db.signs_heads());
  CHECK(db.log(4, 1).at(0).actor == "D99");
  const auto plain = db.verify();
  CHECK(plain.ok);  // the hash chain alone cannot see it
  CHECK(plain.events_checked == 6);
  auto rep = db.verify(k.public_key);
  CHECK_FALSE(rep.ok);
  CHECK(rep.first_broken == 3);  // the head of 2 events holds; events 3-4 are not proven
  CHECK(rep.signed_through == 2);
  CHECK(rep.heads_checked == 1);
  CHECK(rep.reason.find("events 3..4") != std::string::npos);
  // The receipt the supervisor kept (6 events) does not match either.
  const auto receipt = parse_receipt(receipt_line);
  REQUIRE(receipt);
  rep = db.verify(*receipt);
  CHECK_FALSE(rep.ok);
  CHECK(rep.first_broken == 1);  // without a key nothing narrows it
  rep = db.verify(*receipt, k.public_key);
  CHECK_FALSE(rep.ok);
  CHECK(rep.first_broken == 3);

  // The forger also rewrites the signed heads' hashes: now the signatures fail.
  {
    SQLite::Database raw(file.string(), SQLite::OPEN_READWRITE);
    raw.exec("DROP TRIGGER signed_heads_no_update");
    SQLite::Statement st(raw, "SELECT event_count FROM signed_heads ORDER BY event_count");
    std::vector<std::int64_t> counts;
    while (st.executeStep()) counts.push_back(st.getColumn(0).getInt64());
    for (auto c : counts) {
      const auto e = db.log(c, 1).at(0);
      std::string bytes;
      for (std::size_t i = 0; i < e.hash.size(); i += 2) bytes.push_back(static_cast<char>(std::stoi(e.hash.substr(i, 2), nullptr, 16)));
      SQLite::Statement up(raw, "UPDATE signed_heads SET head_hash = ? WHERE event_count = ?");
      up.bind(1, bytes.data(), static_cast<int>(bytes.size()));
      up.bind(2, c);
      up.exec();
    }
  }
  rep = db.verify(k.public_key);
  CHECK_FALSE(rep.ok);
  CHECK(rep.first_broken == 3);
  CHECK(rep.reason.find("the head was altered") != std::string::npos);
}

TEST_CASE("a plain edit is still named exactly; deleted events at the end show against a signed head or a receipt") {
  const auto file = test::fresh_db("heads-end");
  const auto k = test_key();
  std::optional<head_receipt> after4;
  {
    store db(file, signed_options(k));
    test::seed_units(db);
    auto b = db.begin_batch();
    const auto a = db.create(intake(), agent).number;
    db.apply(a, dispatch_to_bjj());
    b.commit();
    auto b2 = db.begin_batch();
    const auto c = db.create(intake("2025-03-03T10:30:00+08:00"), agent).number;
    db.apply(c, dispatch_to_bjj());
    b2.commit();
    after4 = db.head();
    db.apply(a, cmd(action::sign_for, liaison_l1, "2025-03-03T12:00:00+08:00"));  // event 5, its own block
  }
  {
    SQLite::Database raw(file.string(), SQLite::OPEN_READWRITE);
    raw.exec("DROP TRIGGER event_blocks_no_delete");
    raw.exec("DELETE FROM event_blocks WHERE first_id = 5");
  }
  store db(file);
  CHECK(db.verify().ok);  // a shorter log is still a valid chain
  auto rep = db.verify(k.public_key);
  CHECK_FALSE(rep.ok);
  CHECK(rep.first_broken == 5);
  CHECK(rep.signed_through == 4);
  CHECK(rep.reason.find("deleted at its end") != std::string::npos);
  CHECK(db.verify(*after4).ok);  // the history up to the receipt is intact
  CHECK(db.verify(*after4, k.public_key).ok == false);  // but the head of 5 events is missing from the log
  // A receipt of more events than the log holds.
  auto longer = *after4;
  longer.event_count = 9;
  rep = db.verify(longer);
  CHECK_FALSE(rep.ok);
  CHECK(rep.first_broken == 5);
  // A plain edit (no hashes recomputed): verify(public_key) names the event itself.
  {
    SQLite::Database raw(file.string(), SQLite::OPEN_READWRITE);
    raw.exec("DROP TRIGGER event_blocks_no_update");
    raw.exec("UPDATE event_blocks SET body = CAST(replace(CAST(body AS TEXT), 'D02', 'D03') AS BLOB) WHERE first_id = 3");
  }
  rep = db.verify(k.public_key);
  CHECK_FALSE(rep.ok);
  CHECK(rep.first_broken == 4);
  CHECK(rep.signed_through == 2);
}

TEST_CASE("a store without a key works and says its heads are unsigned; a signer signs what came before") {
  const auto file = test::fresh_db("heads-unsigned");
  const auto k = test_key();
  {
    store db(file);
    CHECK_FALSE(db.signs_heads());
    test::seed_units(db);
    three_commits(db);
    const auto h = db.head();
    CHECK(h.event_count == 6);
    CHECK_FALSE(h.is_signed());
    CHECK(h.key_id.empty());
    CHECK(to_string(h).find("key=- sig=-") != std::string::npos);
    CHECK_FALSE(db.last_signed_head().has_value());
    CHECK_THROWS_AS(db.sign_head(), invalid_argument_error);
    const auto rep = db.verify(k.public_key);
    CHECK(rep.ok);  // nothing signed to contradict the chain...
    CHECK(rep.signed_through == 0);  // ...and nothing proven by a key
    CHECK(rep.events_checked == 6);
    CHECK(db.verify(h).ok);  // an unsigned receipt still pins the history
  }
  CHECK(signed_heads_in(file) == 0);
  store db(file, signed_options(k));
  CHECK_FALSE(db.head().is_signed());
  const auto h = db.sign_head();  // vouches for the six unsigned events
  CHECK(h.is_signed());
  CHECK(h.event_count == 6);
  CHECK(db.sign_head() == h);  // already signed: nothing new
  CHECK(signed_heads_in(file) == 1);
  const auto rep = db.verify(k.public_key);
  CHECK(rep.ok);
  CHECK(rep.signed_through == 6);
}

TEST_CASE("sign_every_events: a head every N events, the tail unsigned until then") {
  const auto file = test::fresh_db("heads-every");
  const auto k = test_key();
  store db(file, signed_options(k, 4));
  test::seed_units(db);
  auto a = db.create(intake(), agent).number;  // 1 event: not yet
  db.apply(a, dispatch_to_bjj());              // 2
  db.apply(a, cmd(action::sign_for, liaison_l1, "2025-03-03T12:00:00+08:00"));  // 3
  CHECK(signed_heads_in(file) == 0);
  CHECK_FALSE(db.head().is_signed());
  auto r = cmd(action::reply, liaison_l1, "2025-03-04T09:00:00+08:00");
  r.reply_text = "已致电居民";
  db.apply(a, r);  // 4: signed
  CHECK(signed_heads_in(file) == 1);
  CHECK(db.head().is_signed());
  db.apply(a, cmd(action::accept_reply, {"R1", role::reviewer, {}}, "2025-03-04T10:00:00+08:00"));  // 5
  CHECK(signed_heads_in(file) == 1);
  const auto rep = db.verify(k.public_key);
  CHECK(rep.ok);
  CHECK(rep.signed_through == 4);
  CHECK(rep.events_checked == 5);
  CHECK(db.last_signed_head()->event_count == 4);
}

TEST_CASE("a signer callback: its signatures are stored; a signer that does not match its key or fails writes nothing") {
  const auto k = test_key();
  int calls = 0;
  store_options o;
  o.signer.public_key = k.public_key;
  auto inner = head_signer::from_key(k);
  o.signer.sign = [&](std::span<const std::uint8_t> msg) {
    ++calls;
    // The message is the domain, a zero byte, the count, the hash and the time.
    CHECK(msg.size() == work_order_head_domain.size() + 1 + 8 + 32 + 8);
    return inner.sign(msg);
  };
  {
    const auto file = test::fresh_db("heads-callback");
    store db(file, o);
    test::seed_units(db);
    db.create(intake(), agent);
    CHECK(calls == 1);
    CHECK(db.verify(k.public_key).ok);
  }
  {  // signs with another key than it claims
    const auto file = test::fresh_db("heads-mismatch");
    auto wrong = o;
    wrong.signer.sign = head_signer::from_key(test_key(8)).sign;
    store db(file, wrong);
    test::seed_units(db);
    CHECK_THROWS_AS(db.create(intake(), agent), storage_error);
    CHECK(db.head().event_count == 0);  // the order was rolled back with its head
    CHECK(db.orders(order_query{}).empty());
  }
  {  // a failing signer (a hardware module away): the write is rolled back
    const auto file = test::fresh_db("heads-failing");
    auto failing = o;
    failing.signer.sign = [](std::span<const std::uint8_t>) -> ed25519_signature {
      throw std::runtime_error("HSM not reachable");
    };
    store db(file, failing);
    test::seed_units(db);
    CHECK_THROWS_WITH_AS(db.create(intake(), agent), "HSM not reachable", std::runtime_error);
    CHECK(db.head().event_count == 0);
  }
}

TEST_CASE("an import signs the head of each of its transactions") {
  const auto file = test::fresh_db("heads-import");
  const auto k = test_key();
  store db(file, signed_options(k));
  test::seed_units(db);
  auto imp = db.begin_import(3);
  for (int i = 0; i < 7; ++i) imp.create(intake(), agent);
  imp.finish();
  CHECK(signed_heads_in(file) == 3);  // 3 + 3 + 1 orders
  const auto rep = db.verify(k.public_key);
  CHECK(rep.ok);
  CHECK(rep.signed_through == 7);
  CHECK(rep.heads_checked == 3);
}

TEST_CASE("a file of schema 5 migrates to signed heads; its events are covered by the first signed head") {
  const auto file = test::fresh_db("heads-migrate");
  const auto k = test_key();
  {
    store db(file);
    test::seed_units(db);
    three_commits(db);
  }
  {  // as the library of schema 5 left it: no signed_heads table
    SQLite::Database raw(file.string(), SQLite::OPEN_READWRITE);
    raw.exec("DROP TABLE signed_heads");
    raw.exec("PRAGMA user_version = 5");
  }
  store db(file, signed_options(k));
  CHECK(db.schema_version() == store::latest_schema_version());
  CHECK(store::latest_schema_version() == 6);
  CHECK(db.verify().ok);
  CHECK(db.verify(k.public_key).signed_through == 0);
  db.apply(db.orders(order_query{}).at(0).number, cmd(action::sign_for, liaison_l1, "2025-03-03T13:00:00+08:00"));
  const auto rep = db.verify(k.public_key);
  CHECK(rep.ok);
  CHECK(rep.signed_through == 7);
  CHECK(rep.heads_checked == 1);
}

TEST_CASE("SHA-256 through libsodium: the FIPS 180-4 vectors, and the parts hash as their concatenation") {
  auto hx = [](const detail::sha256_digest& d) {
    std::string s;
    char b[3];
    for (auto x : d) {
      std::snprintf(b, sizeof b, "%02x", x);
      s += b;
    }
    return s;
  };
  CHECK(hx(detail::sha256("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(hx(detail::sha256(std::string_view{})) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(hx(detail::sha256({"a", "", "bc"})) == hx(detail::sha256("abc")));
}

TEST_CASE("on PostgreSQL: each commit signs the head under the write lock, from every host; a rehashed forgery fails verify(public_key)") {
  // The same heads as in a file (the table of signed_head_log.hpp, bigint and bytea):
  // signed in the transaction that appends, under the advisory lock that keeps the
  // chain one line, so that two hosts' heads fall on the one chain.
  if (!test::on_pg()) return;
  const auto dir = test::fresh_dir("heads-pg");
  const auto loc = test::location(dir);
  const auto k = test_key();
  std::string receipt_line;
  {
    store db(loc, signed_options(k));
    CHECK(db.signs_heads());
    test::seed_units(db);
    CHECK_FALSE(db.head().is_signed());
    CHECK_FALSE(db.last_signed_head().has_value());
    three_commits(db);
    const auto h = db.head();
    CHECK(h.event_count == 6);
    CHECK(h.is_signed());
    CHECK(h.key_id == key_id(k.public_key));
    CHECK(check_signature(work_order_head_domain, h, k.public_key));
    CHECK(db.last_signed_head() == h);
    auto rep = db.verify(k.public_key);
    CHECK(rep.ok);
    CHECK(rep.heads_checked == 3);
    CHECK(rep.signed_through == 6);
    CHECK(db.verify(h, k.public_key).ok);
    rep = db.verify(test_key(8).public_key);
    CHECK_FALSE(rep.ok);
    CHECK(rep.signed_through == 0);
    receipt_line = to_string(h);
    // Append-only on the server too.
    CHECK(test::psql(loc, "UPDATE signed_heads SET signed_at = 0") != 0);
    CHECK(test::psql(loc, "DELETE FROM signed_heads") != 0);

    // A second host with the key: its commits and this one's sign the one chain.
    store other(loc, signed_options(k));
    const auto n = other.create(intake("2025-03-04T09:00:00+08:00"), agent).number;  // event 7
    db.apply(n, dispatch_to_bjj("2025-03-04T10:00:00+08:00"));                        // event 8
    rep = other.verify(k.public_key);
    CHECK(rep.ok);
    CHECK(rep.heads_checked == 5);
    CHECK(rep.signed_through == 8);
  }
  {  // A host without the key writes unsigned; sign_head() with the key vouches for it.
    store plain(loc);
    plain.create(intake("2025-03-05T09:00:00+08:00"), agent);  // event 9
    CHECK_FALSE(plain.head().is_signed());
    store signer(loc, signed_options(k, 4));
    const auto h = signer.sign_head();
    CHECK(h.event_count == 9);
    CHECK(h.is_signed());
    CHECK(signer.verify(k.public_key).signed_through == 9);
  }
  {  // An import signs each of its transactions' heads.
    store db(loc, signed_options(k));
    auto imp = db.begin_import(3);
    for (int i = 0; i < 7; ++i) imp.create(intake("2025-03-06T09:00:00+08:00"), agent);
    imp.finish();
    const auto rep = db.verify(k.public_key);
    CHECK(rep.ok);
    CHECK(rep.heads_checked == 6 + 3);
    CHECK(rep.signed_through == 16);
  }
  {  // A signer that fails (a hardware module away): the commit is rolled back whole.
    auto failing = signed_options(k);
    failing.signer.sign = [](std::span<const std::uint8_t>) -> ed25519_signature {
      throw std::runtime_error("HSM not reachable");
    };
    store db(loc, failing);
    CHECK_THROWS_WITH_AS(db.create(intake("2025-03-07T09:00:00+08:00"), agent), "HSM not reachable", std::runtime_error);
    CHECK(db.head().event_count == 16);
    CHECK(db.count(order_query{}) == 3 + 1 + 1 + 7);
  }
  // The forger has the server's rows and this library's hashing code: the rows copied
  // out, event 4 rewritten with every later hash recomputed, copied into a database of
  // its own.  The chain alone holds; the signatures do not.
  copy_store(loc, dir / "out.db");
  rewrite_and_rehash(dir / "out.db", 4, "D02", "D99");
  const auto forged = test::location(dir, "forged");
  copy_store(dir / "out.db", forged);
  store db(forged);
  CHECK(db.log(4, 1).at(0).actor == "D99");
  CHECK(db.verify().ok);
  auto rep = db.verify(k.public_key);
  CHECK_FALSE(rep.ok);
  CHECK(rep.first_broken == 3);
  CHECK(rep.signed_through == 2);
  CHECK(rep.reason.find("events 3..4") != std::string::npos);
  const auto receipt = parse_receipt(receipt_line);
  REQUIRE(receipt);
  CHECK_FALSE(db.verify(*receipt, k.public_key).ok);
}
