// Signed heads of the signing store's journal (issue 22: "the signing records (004) use
// the same"): signing at each write or every N rows, receipts, verify(public_key) and
// verify(receipt), a rewrite whose author recomputed every later hash with the library's
// own code, a signer that fails, and version-1 files.  Work points and records only from
// the system, not editable by staff (004 §1.5); 杜绝工作数据弄虚作假 (003 §3.1).
#include "hotline/signing/store.hpp"

#include "signing_test_support.hpp"

#include "../src/signing/store_codec.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>

#include <filesystem>
#include <stdexcept>
#include <string>

namespace {

using namespace hotline;
using namespace hotline::signing;
using hotline::test::d;
namespace fs = std::filesystem;

struct temp_dir : hotline::test::temp_dir {
  temp_dir() : hotline::test::temp_dir("hotline-signing-heads") {}
};

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

signing_key test_key(std::uint8_t fill = 9) {
  std::array<std::uint8_t, 32> seed;
  seed.fill(fill);
  return signing_key_from_seed(seed);
}

signing_store_options signed_by(const signing_key& k, std::int64_t every = 1) {
  signing_store_options o;
  o.signer = head_signer::from_key(k);
  o.sign_every_rows = every;
  return o;
}

const stamp clerk{"clerk-07", parse_instant("2017-03-01T09:00:00+08:00")};

/// A centre, a team with its doctor, a package and `n` residents each signed: 5 + 2n
/// writes, one row each (after the policy's row 1).
void populate(signing_store& db, int n) {
  db.add_institution(clerk, {"YX-BJ", "北京街社区卫生服务中心", institution_kind::community_health_centre, "越秀区",
                             "北京街"});
  db.add_team(clerk, {"T1", "YX-BJ", "王医生团队"});
  db.add_staff(clerk, {"D1", "王医生", "YX-BJ", team_role::family_doctor});
  db.join_team(clerk, "T1", "D1", team_role::family_doctor, d(2016, 1, 1));
  db.add_package(clerk, {"BASIC", "基本服务包", package_tier::basic, {"健康评估", "随访"}, 12000, 8000, 2000, 2000});
  for (int i = 1; i <= n; ++i) {
    const std::string id = "R" + std::to_string(i);
    db.add_resident(clerk, {.id = id, .birth = d(1950, 1, static_cast<unsigned>(i)), .district = "越秀区",
                            .subdistrict = "北京街", .community = "仰忠社区"});
    db.sign({"D1"}, {.resident = id, .team = "T1", .packages = {"BASIC"}, .start = d(2017, 3, 1)});
  }
}

std::int64_t count_of(const fs::path& file, const std::string& sql) {
  SQLite::Database raw(file.string(), SQLite::OPEN_READONLY);
  return raw.execAndGet(sql).getInt64();
}

/// What an insider with the file and this library's source can do: change row `seq`'s
/// payload and recompute its hash and every later one with the documented formula
/// (store_codec's row_hash), the triggers dropped first.
void rewrite_row(const fs::path& file, std::uint64_t seq, const std::string& from, const std::string& to) {
  SQLite::Database raw(file.string(), SQLite::OPEN_READWRITE);
  raw.exec("DROP TRIGGER journal_no_update");
  REQUIRE(raw.exec("UPDATE journal SET payload = replace(payload, '" + from + "', '" + to + "') WHERE seq = " +
                   std::to_string(seq)) == 1);
  std::string prev(32, '\0');
  SQLite::Statement rows(raw, R"(SELECT seq, at, "by", op, payload FROM journal ORDER BY seq)");
  SQLite::Statement set(raw, "UPDATE journal SET hash = ? WHERE seq = ?");
  while (rows.executeStep()) {
    const auto s = static_cast<std::uint64_t>(rows.getColumn(0).getInt64());
    const auto h = signing::detail::row_hash(prev, s, rows.getColumn(1).getString(), rows.getColumn(2).getString(),
                                             rows.getColumn(3).getString(), rows.getColumn(4).getString());
    prev.assign(reinterpret_cast<const char*>(h.data()), h.size());
    set.bind(1, h.data(), static_cast<int>(h.size()));
    set.bind(2, static_cast<std::int64_t>(s));
    set.exec();
    set.reset();
  }
}

/// The seq of the row that signed resident `id`'s contract.
std::uint64_t sign_row_of(const fs::path& file, const std::string& id) {
  return static_cast<std::uint64_t>(count_of(
      file, "SELECT seq FROM journal WHERE op = 'sign' AND payload LIKE '%\"resident\":\"" + id + "\"%'"));
}

}  // namespace

TEST_CASE("signing store heads: every write signs the head; verify(public_key) checks each") {
  temp_dir dir;
  const auto key = test_key();
  signing_store db(dir.file(), policy::guangzhou_2017(), signed_by(key));
  CHECK(db.signs_heads());
  // A new file is signed from its first row (the policy).
  REQUIRE(db.last_signed_head().has_value());
  CHECK(db.last_signed_head()->event_count == 1);
  populate(db, 5);
  const auto rows = static_cast<std::int64_t>(db.last_seq());
  CHECK(rows == 16);
  CHECK(count_of(dir.file(), "SELECT count(*) FROM signed_heads") == rows);  // one per write, the policy's too

  const auto h = db.head();
  CHECK(h.is_signed());
  CHECK(h.event_count == rows);
  CHECK(h.key_id == key_id(key.public_key));
  CHECK(check_signature(signing_journal_head_domain, h, key.public_key));
  // A journal head is no work-order head: the domains differ.
  CHECK_FALSE(check_signature(work_order_head_domain, h, key.public_key));

  const auto rep = db.verify(key.public_key);
  CHECK(rep.ok);
  CHECK(rep.heads_checked == rows);
  CHECK(rep.signed_through == rows);

  const auto other = test_key(10);
  const auto wrong = db.verify(other.public_key);
  CHECK_FALSE(wrong.ok);
  CHECK(wrong.first_bad_seq == 1);
  CHECK(has(wrong.reason, "does not carry a valid signature of key " + key_id(other.public_key)));
  CHECK(has(wrong.reason, "(it names key " + key_id(key.public_key) + ")"));
}

TEST_CASE("signing store heads: a row rewritten with every later hash recomputed fails verify(public_key)") {
  temp_dir dir;
  const auto key = test_key();
  const auto file = dir.file();
  std::uint64_t row = 0;
  {
    signing_store db(file, policy::guangzhou_2017(), signed_by(key, 4));
    populate(db, 6);  // 18 rows; heads at 1 (creation), then every 4 rows: 5, 9, 13, 17
    row = sign_row_of(file, "R3");
    REQUIRE(row == 12);
  }
  {
    SQLite::Database raw(file.string(), SQLite::OPEN_READONLY);
    CHECK(raw.execAndGet("SELECT group_concat(event_count) FROM (SELECT event_count FROM signed_heads ORDER BY 1)")
              .getString() == "1,5,9,13,17");
  }
  // The contract moves to another start: a falsified record.
  rewrite_row(file, row, "\"start\":\"2017-03-01\"", "\"start\":\"2017-02-01\"");
  signing_store db(file, policy::guangzhou_2017(), {.read_only = true});
  CHECK(db.view().contract_on("R3", d(2017, 2, 15)).has_value());  // it replays as written ...
  CHECK(db.verify().ok);                                            // ... and the bare chain holds
  const auto rep = db.verify(key.public_key);                       // but the signed heads do not
  CHECK_FALSE(rep.ok);
  CHECK(rep.signed_through == 9);
  CHECK(rep.first_bad_seq == 10);  // the first row after the last good signature
  CHECK(rep.heads_checked == 3);
  CHECK(has(rep.reason, "the head of 13 rows"));
  CHECK(has(rep.reason, "rows 10..13 were changed and every later hash recomputed"));
}

TEST_CASE("signing store heads: rows deleted at the end are seen by the signed heads and by a receipt") {
  temp_dir dir;
  const auto key = test_key();
  const auto file = dir.file();
  head_receipt kept;
  {
    signing_store db(file, policy::guangzhou_2017(), signed_by(key));
    populate(db, 3);
    kept = *parse_receipt(to_string(db.head()));  // what a supervisor keeps, as text
  }
  {
    SQLite::Database raw(file.string(), SQLite::OPEN_READWRITE);
    raw.exec("DROP TRIGGER journal_no_delete");
    raw.exec("DROP TRIGGER signed_heads_no_delete");
    REQUIRE(raw.exec("DELETE FROM journal WHERE seq > 10") == 2);  // R3's resident row and contract
    SUBCASE("the heads kept") {}
    SUBCASE("the heads deleted too: only the receipt sees it") {
      raw.exec("DELETE FROM signed_heads WHERE event_count > 10");
    }
  }
  signing_store db(file, policy::guangzhou_2017(), {.read_only = true});
  CHECK(db.verify().ok);  // a chain without a key cannot see rows cut off at the end
  const auto by_receipt = db.verify(kept);
  CHECK_FALSE(by_receipt.ok);
  CHECK(by_receipt.first_bad_seq == 11);
  CHECK(has(by_receipt.reason, "the receipt names 12 rows; the log holds 10"));
  const auto rep = db.verify(key.public_key);
  if (count_of(file, "SELECT count(*) FROM signed_heads") == 12) {
    CHECK_FALSE(rep.ok);
    CHECK(rep.first_bad_seq == 11);
    CHECK(has(rep.reason, "a signed head names 12 rows; the log holds 10: rows were deleted at its end"));
  } else {
    CHECK(rep.ok);  // what deleting the heads as well hides from the key: keep receipts
    CHECK(rep.signed_through == 10);
  }
}

TEST_CASE("signing store heads: verify(receipt) proves the journal up to the receipt unchanged") {
  temp_dir dir;
  const auto key = test_key();
  const auto file = dir.file();
  head_receipt kept;
  {
    signing_store db(file, policy::guangzhou_2017(), signed_by(key));
    populate(db, 2);
    kept = db.head();
    CHECK(kept.event_count == 10);
    db.add_resident(clerk, {.id = "R9", .birth = d(1960, 5, 5), .district = "越秀区"});
    const auto later = db.verify(kept, key.public_key);
    CHECK(later.ok);
    CHECK(later.signed_through == 11);
  }
  SUBCASE("a forged receipt") {
    auto forged = kept;
    forged.head_hash[0] ^= 1;
    signing_store db(file, policy::guangzhou_2017(), {.read_only = true});
    const auto rep = db.verify(forged, key.public_key);
    CHECK_FALSE(rep.ok);
    CHECK(has(rep.reason, "the receipt of 10 rows is not signed by key " + key_id(key.public_key)));
  }
  SUBCASE("history before the receipt rewritten (no key needed to see it)") {
    rewrite_row(file, sign_row_of(file, "R1"), "\"start\":\"2017-03-01\"", "\"start\":\"2017-04-01\"");
    signing_store db(file, policy::guangzhou_2017(), {.read_only = true});
    const auto rep = db.verify(kept);
    CHECK_FALSE(rep.ok);
    CHECK(rep.first_bad_seq == 1);
    CHECK(has(rep.reason, "the log's first 10 rows do not hash to the receipt's head"));
  }
}

TEST_CASE("signing store heads: a signer that fails stores nothing, in the file or the view") {
  temp_dir dir;
  const auto key = test_key();
  bool refuse = false;
  signing_store_options o;
  const auto inner = head_signer::from_key(key);
  o.signer.public_key = key.public_key;
  o.signer.sign = [&](std::span<const std::uint8_t> msg) {
    if (refuse) throw std::runtime_error("the signing service is unreachable");
    return inner.sign(msg);
  };
  signing_store db(dir.file(), policy::guangzhou_2017(), o);
  populate(db, 1);
  const auto rows = db.last_seq();
  const auto contracts = db.view().contract_count();
  const auto residents = db.view().resident_count();
  refuse = true;
  try {
    db.sign({"D1"}, {.resident = "R1", .team = "T1", .packages = {"BASIC"}, .start = d(2018, 3, 1)});
    FAIL("the write went through without its signed head");
  } catch (const std::runtime_error& e) {
    CHECK(std::string(e.what()) == "the signing service is unreachable");  // the signer's own error
  }
  // Rows and their head commit together or not at all; the view was rebuilt from the file.
  CHECK(db.last_seq() == rows);
  CHECK(count_of(dir.file(), "SELECT count(*) FROM journal") == static_cast<std::int64_t>(rows));
  CHECK(db.view().contract_count() == contracts);
  CHECK_FALSE(db.view().contract_on("R1", d(2018, 6, 1)).has_value());
  CHECK_THROWS_AS(db.add_resident(clerk, {.id = "R2", .birth = d(1950, 2, 2), .district = "越秀区"}),
                  std::runtime_error);
  CHECK(db.view().resident_count() == residents);
  refuse = false;
  db.add_resident(clerk, {.id = "R2", .birth = d(1950, 2, 2), .district = "越秀区"});
  CHECK(db.sign({"D1"}, {.resident = "R2", .team = "T1", .packages = {"BASIC"}, .start = d(2017, 3, 1)}).id ==
        "C0000002");
  CHECK(db.verify(key.public_key).ok);
}

TEST_CASE("signing store heads: a signer that does not match its public key is refused at its first signature") {
  temp_dir dir;
  signing_store_options o;
  o.signer = head_signer::from_key(test_key(1));
  o.signer.public_key = test_key(2).public_key;  // a configuration mistake
  const auto e = [&]() -> std::string {
    try {
      signing_store db(dir.file(), policy::guangzhou_2017(), o);
    } catch (const storage_error& x) {
      return x.what();
    }
    return "no error";
  }();
  CHECK(has(e, "does not verify with its public key"));
  // The file holds its policy row, unsigned; a store with the right signer signs it.
  signing_store db(dir.file(), policy::guangzhou_2017(), signed_by(test_key(1)));
  CHECK_FALSE(db.head().is_signed());
  CHECK(db.sign_head().is_signed());
  CHECK(db.verify(test_key(1).public_key).ok);
}

TEST_CASE("signing store heads: without a signer the store works and says its heads are unsigned") {
  temp_dir dir;
  signing_store db(dir.file());
  populate(db, 1);
  CHECK_FALSE(db.signs_heads());
  const auto h = db.head();
  CHECK_FALSE(h.is_signed());
  CHECK(h.event_count == 8);
  CHECK(has(to_string(h), "key=- sig=-"));
  CHECK_FALSE(db.last_signed_head().has_value());
  CHECK_THROWS_AS(db.sign_head(), invalid_argument_error);
  const auto rep = db.verify(test_key().public_key);
  CHECK(rep.ok);
  CHECK(rep.heads_checked == 0);
  CHECK(rep.signed_through == 0);  // nothing is proven by a signature
}

TEST_CASE("signing store heads: a version-1 file migrates when opened for writing, and is left alone read-only") {
  temp_dir dir;
  const auto file = dir.file();
  {
    signing_store db(file);
    populate(db, 2);
  }
  {  // make it the file a version-1 library wrote
    SQLite::Database raw(file.string(), SQLite::OPEN_READWRITE);
    raw.exec("DROP TABLE signed_heads");
    raw.exec("PRAGMA user_version = 1");
  }
  {
    signing_store ro(file, policy::guangzhou_2017(), {.read_only = true});
    CHECK_FALSE(ro.head().is_signed());
    CHECK(ro.verify(test_key().public_key).ok);
    CHECK(count_of(file, "PRAGMA user_version") == 1);
    CHECK(count_of(file, "SELECT count(*) FROM sqlite_master WHERE name = 'signed_heads'") == 0);
  }
  const auto key = test_key();
  signing_store db(file, policy::guangzhou_2017(), signed_by(key));
  CHECK(count_of(file, "PRAGMA user_version") == signing_store::schema_version);
  CHECK_FALSE(db.head().is_signed());  // the old rows wait for the next signed head
  const auto h = db.sign_head();
  CHECK(h.is_signed());
  CHECK(h.event_count == 10);
  const auto rep = db.verify(key.public_key);
  CHECK(rep.ok);
  CHECK(rep.signed_through == 10);
}
