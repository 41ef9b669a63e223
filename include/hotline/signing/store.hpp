// hotline/signing/store.hpp: the signing registry kept in an append-only SQLite journal.
//
// A centre's signing data must survive restarts and must not be quietly edited
// (003 §3.1 杜绝工作数据弄虚作假; 004 §1.5 工分 "只能通过提供服务由系统自动生成").  The
// store records every call that changes the registry (registry.hpp) as one journal
// row, who made it and when, and replays the journal into a registry when it opens:
// the registry is the read model, the journal the record.
//
//   using namespace hotline::signing;
//   signing_store db("signing.db", policy::guangzhou_2017());   // creates or opens
//   db.add_institution({"clerk-07"}, {"GZ-YX-01", "北京街社区卫生服务中心",
//                                     institution_kind::community_health_centre, "越秀区", "北京街"});
//   ...
//   auto c = db.sign({"D01"}, {.resident = "R1", .team = "T01", .packages = {"BASIC"},
//                              .start = hotline::make_day(2017, 3, 1)});
//   db.view().contract_on("R1", hotline::make_day(2017, 6, 1));   // reads go to the registry
//   auto rep = db.verify();                                         // rep.ok, rep.first_bad_seq
//
// The rules, spelled out once:
//  * One call, one transaction (BEGIN IMMEDIATE).  The registry checks the call and
//    throws before changing anything; the store then rolls back and rethrows the
//    registry's error unchanged, so nothing is stored.  A call that the registry
//    accepts is written as one row (sign_all and add_residents: one row per
//    contract or resident, all in one transaction) and committed.  Should SQLite
//    fail after the registry accepted the call (a full disk, a lock held past the
//    busy timeout), the store rolls back, rebuilds its view from the file, and
//    throws storage_error: the view never shows what the file does not hold.
//    (Should that rebuild fail too, every later write is refused with
//    storage_error: reopen the store.)
//  * Text must be valid UTF-8 (invalid_argument_error naming the call and the
//    field); every other check is the registry's.  Days are written as
//    "YYYY-MM-DD" (years 1-9999; any other day as its day number).
//  * Every row names who made it (`stamp::by`, required) and when (`stamp::at`,
//    default now).  `at` is what the caller says; the journal's order is seq.
//  * The journal: journal(seq INTEGER PRIMARY KEY, at TEXT (ISO-8601 instant),
//    by TEXT, op TEXT (the call's name), payload TEXT (JSON: the call's arguments,
//    and its results: contract ids, a service's seq and hash), hash BLOB).
//    hash = SHA-256(previous row's hash || seq as 8 bytes big-endian || len(at) || at
//    || len(by) || by || len(op) || op || payload), lengths as 4 bytes big-endian
//    (so that no two rows hash the same bytes), the previous hash of row 1 being 32
//    zero bytes.  Triggers refuse UPDATE and DELETE ('journal is append-only').
//  * Row 1 (op "policy") holds the policy as JSON; it is the file's policy for
//    good (the registry has no call that changes a policy: a new policy is a new
//    file).  On opening an existing file, `options.policy_from_file` (the default)
//    takes the stored policy and ignores the one given; with it off, the policy
//    given must equal the stored one in every field, or the open is a
//    conflict_error naming both and the first field that differs.
//  * Replay checks what the journal says a call produced: a contract id, a
//    household's contract ids, a service's sequence and hash.  A row that does not
//    parse, an unknown op, a row the registry refuses or a result that differs is a
//    storage_error naming the row's seq (the file changed since, or the rules: a
//    journal replays through the checks of the library that opens it).  Opening
//    replays about 300 000 rows a second; sign_all writes about 250 000 contracts
//    a second (a 2-core AMD EPYC, 2026-12).
//  * verify() recomputes the chain and names the first row that was changed, or
//    where rows were removed or inserted; it also checks the registry's service
//    chain.  What a chain without a key cannot show: someone with the file who
//    rewrites a row and recomputes every later hash, or who deletes rows at the
//    end.  Sign the heads to catch those (below), or keep the last row's hash
//    (journal(last_seq(), 1)) outside the file, in the monthly report, to anchor it.
//  * Signed heads, as the work-order store's (signed_head.hpp; store.hpp "Signed
//    heads"): with options.signer set, a write that leaves at least
//    `sign_every_rows` rows after the last signed head (1: every write) signs the
//    journal's head (row count, last row's hash, the time) under the domain
//    signing_journal_head_domain and writes it to `signed_heads` in the same
//    transaction.  The key never reaches the file.  A signer that throws, or whose
//    first signature does not verify with its public key, rolls the write back:
//    the file and the view hold neither the rows nor the head.  verify(public_key)
//    re-hashes the journal and checks every signed head: a row rewritten with every
//    later hash recomputed is caught, and first_bad_seq is the first row after the
//    last good signed head; a head beyond the end shows rows deleted at the end.
//    head() is the receipt to keep elsewhere; verify(receipt) proves the journal up
//    to it unchanged.  Version-1 files gain the (empty) table when opened for
//    writing; their rows are covered by the next signed head.
//  * Schema version in PRAGMA user_version (2), the file marked as a signing store
//    by PRAGMA application_id 0x484C5347 ("HLSG").  A newer version is refused
//    with storage_error; so is a file that is not a signing store (another
//    database, a text file), naming the path.  An empty or missing file becomes
//    a new store.
//  * Personal data: the journal holds residents' names and identity numbers as
//    given (it is the record).  What the store returns and throws shows them
//    masked: view().find_resident masks unless asked, journal() masks unless
//    `reveal`, and errors never quote a payload.
//  * Storage: WAL, synchronous=NORMAL (a committed call survives a crash of the
//    process; a power cut may lose the last few), a busy timeout so that several
//    processes can share the file.  Another process's rows are replayed into
//    this store's view before each of its writes, and by refresh().
//  * Threads: like the registry, a store is used by one thread at a time; view()
//    hands out the registry itself.
#pragma once

#include "hotline/signed_head.hpp"
#include "hotline/signing/policy.hpp"
#include "hotline/signing/registry.hpp"
#include "hotline/time.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace hotline::signing {

struct signing_store_options {
  int busy_timeout_ms = 10000;
  /// An existing file keeps its stored policy (true), or must be opened with an equal one.
  bool policy_from_file = true;
  /// Reads only: the view and refresh(); a write is invalid_argument_error.  A missing
  /// file is a storage_error.
  bool read_only = false;
  /// Who row 1 (the policy) names, when the store creates the file.
  std::string created_by = "hotline";
  /// SQLite page cache in KiB (PRAGMA cache_size = -N).
  int cache_kib = 65536;
  /// Signs the journal's head at writes (see "Signed heads" above); empty: heads unsigned.
  head_signer signer{};
  /// Sign when a write leaves at least this many rows after the last signed head (1: every write).
  std::int64_t sign_every_rows = 1;
};

/// Who made a change, and when: each journal row's `by` and `at`.
///   db.sign({"D01"}, req);                    // now
///   db.sign({"D01", received_at}, req);       // an instant the caller knows
struct stamp {
  std::string by{};             ///< required (invalid_argument_error when empty)
  std::optional<instant> at{};  ///< empty: the system clock, to the second
};

/// One row of the journal, as journal() returns it.
struct journal_entry {
  std::uint64_t seq = 0;
  instant at{};
  std::string by, op;
  std::string payload;  ///< JSON; residents' names and identity numbers masked unless revealed
  std::string hash;     ///< lower-case hex of the row's SHA-256
};

/// What verify() found.
struct journal_report {
  bool ok = true;
  std::uint64_t rows = 0;           ///< rows checked (all of them when ok)
  std::uint64_t first_bad_seq = 0;  ///< the first row that is wrong, or a missing one; 0 when ok
  std::string reason;               ///< what is wrong there
  service_chain_report services;    ///< registry::verify() of the view
  /// verify(public_key): signed heads whose signature and hash held.
  std::int64_t heads_checked = 0;
  /// verify(public_key) or verify(receipt): rows 1..signed_through are proven by a good
  /// signed head or the receipt.
  std::int64_t signed_through = 0;
};

class signing_store {
 public:
  /// Opens `file`, or creates it with policy `p`, and replays the journal.
  /// storage_error: not a signing store, a newer schema, a row that does not replay.
  /// conflict_error: options.policy_from_file off and `p` differs from the stored policy.
  explicit signing_store(const std::filesystem::path& file, policy p = policy::guangzhou_2017(),
                         signing_store_options options = {});
  ~signing_store();
  signing_store(signing_store&&) noexcept;
  signing_store& operator=(signing_store&&) noexcept;
  signing_store(const signing_store&) = delete;
  signing_store& operator=(const signing_store&) = delete;

  /// The registry as the journal leaves it (after this store's writes and its last refresh).
  [[nodiscard]] const registry& view() const noexcept;
  [[nodiscard]] const std::filesystem::path& path() const noexcept;
  /// The schema version this library writes (PRAGMA user_version).
  static constexpr int schema_version = 2;

  // ---- the registry's calls, journalled (see registry.hpp for each) ---------------
  void add_resident(const stamp& who, const resident& r);
  /// One transaction; one row per resident (op "add_residents": id, birth, the place's
  /// index, sex and insured when given, its index and the call's size; the first row also
  /// holds `places`).  A replay gathers the rows and makes the same call.
  std::size_t add_residents(const stamp& who, const resident_rows& rows);
  void move_resident(const stamp& who, const std::string& id, const std::string& district,
                     const std::string& subdistrict, const std::string& community);
  void add_attribute(const stamp& who, const std::string& resident, attribute a, day from, std::optional<day> to = {});
  void end_attribute(const stamp& who, const std::string& resident, attribute a, day to);
  void set_grade(const stamp& who, const std::string& resident, elderly_grade g, day from);
  void join_household(const stamp& who, const std::string& household, const std::string& resident, day from);
  void leave_household(const stamp& who, const std::string& household, const std::string& resident, day to);

  void add_institution(const stamp& who, const institution& i);
  void add_team(const stamp& who, const team& t);
  void add_staff(const stamp& who, const staff_member& s);
  void join_team(const stamp& who, const std::string& team, const std::string& staff, team_role role, day from);
  void leave_team(const stamp& who, const std::string& team, const std::string& staff, day to);
  void add_package(const stamp& who, const package& p);

  contract sign(const stamp& who, const sign_request& req);
  /// One transaction; one row per contract (op "sign_all", its index and the batch size
  /// in the payload).  All or none, in memory and in the file.
  std::size_t sign_all(const stamp& who, std::span<const sign_request> reqs);
  std::vector<contract> sign_household(const stamp& who, const std::string& household, const sign_request& req);
  contract renew(const stamp& who, const std::string& contract_id, int years, const std::string& team = {},
                 std::vector<std::string> packages = {});
  contract terminate(const stamp& who, const std::string& contract_id, day on, termination_reason why);

  void receive_application(const stamp& who, const application& a);
  /// The record as the registry completed it (valid until the next write or refresh).
  const service_record& record_service(const stamp& who, service_record s);
  void record_survey(const stamp& who, const survey_answer& a);
  void record_slots(const stamp& who, const specialist_slots& s);

  // ---- the journal -------------------------------------------------------------
  /// Replays rows other processes appended since; returns how many.
  std::size_t refresh();
  /// The seq of the last row this store has read or written.
  [[nodiscard]] std::uint64_t last_seq() const noexcept;
  /// Rows seq >= from_seq, at most `limit` of them (0: all), oldest first.
  [[nodiscard]] std::vector<journal_entry> journal(std::uint64_t from_seq, std::size_t limit,
                                                   bool reveal = false) const;
  /// Recomputes the chain of the whole file and the view's service chain.
  [[nodiscard]] journal_report verify() const;
  /// verify(), and every signed head checked with `key` (see "Signed heads").
  [[nodiscard]] journal_report verify(const ed25519_public_key& key) const;
  /// verify(), and the journal's first receipt.event_count rows still hash to the
  /// receipt's head (a shorter journal fails, naming its first missing row).
  [[nodiscard]] journal_report verify(const head_receipt& receipt) const;
  /// Both: every signed head with `key`, and the receipt, whose signature must be `key`'s.
  [[nodiscard]] journal_report verify(const head_receipt& receipt, const ed25519_public_key& key) const;

  // ---- signed heads ------------------------------------------------------------
  /// The journal's head now: row count and last row's hash, with the signature when a
  /// signed head covers exactly those rows (is_signed() false otherwise).
  [[nodiscard]] head_receipt head() const;
  /// The latest signed head in the file, if any.
  [[nodiscard]] std::optional<head_receipt> last_signed_head() const;
  /// Signs the current head now if it is not signed yet (a migrated file, a new file's
  /// policy row, the tail left by sign_every_rows) and returns it.
  /// invalid_argument_error without a signer or on a read-only store.
  head_receipt sign_head();
  /// Whether this store signs its heads (options.signer set).
  [[nodiscard]] bool signs_heads() const noexcept;

  struct impl;

 private:
  std::unique_ptr<impl> p_;
};

}  // namespace hotline::signing
