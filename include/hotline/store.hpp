// hotline/store.hpp: work orders kept as an append-only event log, in an SQLite file
// (the embedded default) or a PostgreSQL database (a centre of many hosts;
// docs/postgresql.md), with the same API, events, chain and reports on both.
//
// Every change is an event (who, role, unit, when, what, the state before and
// after, the fields changed old -> new, a comment); the current state of each
// order is a projection the store keeps in step inside the same transaction and
// can rebuild from the events.  Events are never updated or deleted (triggers
// refuse it); each carries a SHA-256 chained to the one before, and verify()
// names the first event whose chain breaks (data authenticity, 003 §3.1, 004 §1.5).
// With a signer (store_options::signer, signed_head.hpp) each commit also signs the
// chain head with a key the file never holds; verify(public_key) then catches even
// a rewrite whose author recomputed every hash, and head() gives the receipt a
// supervisor keeps.
//
//   hotline::store db("hotline.db");             // creates or migrates the file
//   hotline::store pg("postgresql://hotline@db.example/hotline");  // or a database
//   hotline::work_order in;
//   in.request_type = hotline::request_type::complaint;
//   in.received_at = hotline::parse_instant("2025-01-24T10:00:00+08:00");
//   in.content = "...";  in.caller_phone = "13812341234";
//   auto wo = db.create(in, {.id = "A017", .role = hotline::role::agent});
//   hotline::command c{.action = hotline::action::dispatch, .by = {"D02", hotline::role::dispatcher},
//                      .at = wo.received_at + std::chrono::hours(1), .unit = "YX-BJJ"};
//   wo = db.apply(wo.number, c);
//   auto late = db.orders(hotline::order_query{}.overdue(now));
//
// Storage rules:
//  * WAL journal, foreign keys on, synchronous=NORMAL (a committed transaction
//    survives a crash of the process; a power cut may lose the last few), a busy
//    timeout (default 10 s) so that several processes can share the file, and
//    every statement parameterised.
//  * Each write is one BEGIN IMMEDIATE transaction: the event(s) and the
//    projection commit together or not at all.  An expected version that the
//    order has moved past is a conflict_error (optimistic concurrency): a second
//    writer never silently overwrites the first.
//  * The schema carries its version (PRAGMA user_version); opening a file of an
//    older version applies the missing migrations in one transaction; a newer
//    version than this library knows is refused with storage_error.
//  * Faults (docs/store.md "Faults"): every storage_error names the file and says what
//    became of the write.  A write that fails (a full disk, a read-only file, a damaged
//    page) is rolled back whole and the store forgets what it had cached for it; once
//    the fault is gone the same store writes on (a file that was read-only when the
//    store opened it: reopen the store).  A batch whose transaction SQLite rolled back
//    by itself refuses its later calls and its commit.  An open that fails leaves the
//    file and its WAL as they were: a newer schema is refused before anything is written.
//  * Personal data is masked in what the store returns unless `reveal` is set.
//  * The chain detects a changed, inserted or deleted event before the last one;
//    deleting events at the end of the log is visible only as a shorter log.
//  * Since schema 4 the events one transaction appends to one order are stored as
//    one row (an event block; each event keeps its own id, seq and chained hash;
//    within a transaction ids run order by order), and the projection keeps as
//    columns only what queries and reports read (docs/store.md).  A block stores
//    its last event's hash whole and 8-byte prefixes of the others; event::hash
//    is always the full hash (src/store_chain.hpp).
//  * Signed heads (schema 6; signed_head.hpp for keys, receipts and what is signed):
//    with store_options::signer set, a commit that leaves at least
//    `sign_every_events` events after the last signed head (1: every commit that
//    appends events) signs the head (event count, last event's full hash, the time)
//    and writes it to `signed_heads` in the same transaction; that table is
//    append-only like the events.  The key is never written to the file: only its
//    key id and the signatures.  A store without a signer writes no heads and works
//    as before; head() then says the head is unsigned.  Events written unsigned (a
//    migrated file, a store without a key) are covered by the next signed head.
//    The callback runs under the store's lock inside the transaction (for an import,
//    on its writer thread): it must not call the store; an exception from it rolls
//    the write back.  Signing costs about 50 us a commit, 15 of them the signature (docs/store.md).
//  * verify(public_key) re-hashes the log and checks every signed head: its
//    signature with the key and its hash against the recomputed chain.  The first
//    head that fails ends the check: first_broken is then the first event after the
//    last good signed head (signed_through + 1), since whoever recomputed the hashes
//    after a change leaves no trace of which event among those it was.  A plain
//    change (hashes not recomputed) is still named exactly.  A signed head beyond
//    the log's end shows events deleted at the end.  Events after the last signed
//    head are not covered (events_checked - signed_through); deleting signed heads
//    goes unseen by verify(public_key): keep receipts, verify(receipt) sees it.
//
// On PostgreSQL (docs/postgresql.md) the rules hold with the server's means: each write
// is one transaction holding an advisory lock that keeps the chain one line across
// hosts; versions, numbers and the urgent hook (LISTEN/NOTIFY) work across hosts; the
// schema's version is a row of hotline_schema; signed heads are signed inside the
// commit, under that lock; the importer runs on one thread (the server inserts while
// the commit encodes).  copy_store (store_copy.hpp) moves a store between the two.
//
// Threads: one store may be shared by threads.  Each call holds the store's lock
// for its duration, so calls take turns (open a second store on the same file for
// work that must overlap: WAL lets readers run beside the writer).  A batch belongs
// to the thread that opened it; another thread's call is refused while it is open.
// The on_urgent hook runs after the call has let go of the lock, on the calling
// thread, and may call the store again.  The callbacks of scan_facts and count_facts
// run under the lock: they may call the store on their own thread, but must not wait
// for another thread that does.
#pragma once

#include "hotline/call_log.hpp"
#include "hotline/order_facts.hpp"
#include "hotline/signed_head.hpp"
#include "hotline/time.hpp"
#include "hotline/units.hpp"
#include "hotline/work_order.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hotline {

namespace detail {
struct store_access;  // the store's other translation units (src/store_access.hpp)
}

struct store_options {
  int busy_timeout_ms = 10000;
  /// When each clock is due; default calendar_deadlines over calendar::china().
  std::shared_ptr<const deadline_policy> deadlines;
  /// Reads only: every write (create, apply, put_unit, a batch, an import...) is
  /// invalid_argument_error naming the file; a file that needs migrations is refused.
  bool read_only = false;
  /// SQLite page cache in KiB (PRAGMA cache_size = -N).
  int cache_kib = 65536;
  /// PRAGMA page_size of a new file (ignored for an existing one); 0: SQLite's default
  /// (4096).  16 KiB pages make bulk ingest about 1.4x faster (fewer page splits and WAL
  /// frames) and the file a little smaller.
  int page_size = 16384;
  /// PRAGMA mmap_size: reads through a memory map (0 turns it off).
  std::int64_t mmap_bytes = std::int64_t{1} << 31;
  /// Signs the chain head at commits (see "Signed heads" above); empty: heads unsigned.
  head_signer signer;
  /// Sign when a commit leaves at least this many events after the last signed head
  /// (values below 1 count as 1: every commit that appends events).
  std::int64_t sign_every_events = 1;
};

/// One stored event.
struct event {
  std::int64_t id = 0;       ///< position in the log (1, 2, ...)
  std::string order;         ///< order number
  std::int64_t seq = 0;      ///< the order's version after this event
  hotline::action action = hotline::action::create;
  instant at{};              ///< when it happened (as told by the caller)
  instant recorded_at{};     ///< when the store wrote it
  std::string actor;
  hotline::role role = hotline::role::agent;
  std::string unit;          ///< the actor's unit
  std::optional<order_state> state_before;  ///< empty for create
  order_state state_after = order_state::draft;
  std::vector<field_change> changes;
  std::string comment;
  std::string hash;          ///< hex SHA-256 of the previous hash and this event
};

/// What verify() found.
struct chain_report {
  bool ok = true;
  std::int64_t events_checked = 0;
  std::optional<std::int64_t> first_broken;  ///< id of the first event whose hash does not match
  std::string reason;
  /// verify(public_key): signed heads whose signature and hash held.
  std::int64_t heads_checked = 0;
  /// verify(public_key): events 1..signed_through are covered by a good signed head.
  std::int64_t signed_through = 0;
};

/// A filter over the projection; members left empty do not filter.
struct order_query {
  std::optional<order_state> state;
  std::optional<std::string> unit;
  bool open_only = false;                 ///< not draft, not terminal
  std::optional<instant> overdue_as_of;   ///< open and a running clock due before this instant
  std::optional<instant> warned_as_of;    ///< open and a running clock's warning at or before it
  std::optional<std::string> caller_phone;
  std::optional<instant> received_from;   ///< received_at >= this
  std::optional<instant> received_before; ///< received_at < this
  std::size_t limit = 0;                  ///< 0: all
  bool reveal = false;                    ///< personal data unmasked

  // Chainable setters: order_query{}.in_unit("YX-BJJ").open().revealed()
  order_query& with_state(order_state s) { state = s; return *this; }
  order_query& in_unit(std::string u) { unit = std::move(u); return *this; }
  order_query& open(bool yes = true) { open_only = yes; return *this; }
  order_query& overdue(instant t) { overdue_as_of = t; return *this; }
  order_query& warned(instant t) { warned_as_of = t; return *this; }
  order_query& phone(std::string p) { caller_phone = std::move(p); return *this; }
  order_query& received(instant from, instant before) { received_from = from; received_before = before; return *this; }
  order_query& at_most(std::size_t n) { limit = n; return *this; }
  order_query& revealed(bool yes = true) { reveal = yes; return *this; }
};

/// What import_calls() did.
struct call_import {
  std::size_t added = 0;
  std::size_t already_stored = 0;     ///< identical to a stored call: skipped
  std::vector<std::string> warnings;  ///< from the CSV import and from here
};

/// Where an import's time went (store::importer::waits()): how long the calling thread
/// waited for the writer thread (the writer, SQLite and the disk, was the slower side)
/// and how long the writer waited for a transaction (the calling thread, the state
/// machine or the host's own reading, was).  For finding the bottleneck of an import
/// and sizing its transactions.
struct import_waits {
  double caller_s = 0;  ///< the calling thread waiting to hand over, and in finish()
  double writer_s = 0;  ///< the writer waiting for a transaction to write
};

/// The urgent-matter hook (000 art. 10): called after the commit that made an
/// order urgent (created urgent or marked urgent), with the order unmasked: the
/// host forwards it through its liaison platform.  An exception thrown by the
/// callback is swallowed (the order is already stored); it never undoes a write.
using urgent_callback = std::function<void(const work_order&)>;

/// Whether a store location names a PostgreSQL database rather than an SQLite file:
/// a postgresql:// or postgres:// URI, or a libpq key=value string that starts with
/// dbname=, host=, hostaddr=, service=, user= or port=.
[[nodiscard]] bool is_postgresql_location(std::string_view location) noexcept;
/// The location as it may be shown or logged: a PostgreSQL password replaced by "***".
[[nodiscard]] std::string redacted_location(std::string_view location);

class store {
 public:
  /// Opens or creates `file`, applying migrations.  storage_error when the file
  /// is not a database, is newer than this library, or cannot be opened (naming the
  /// file, which is left as it was).
  ///
  /// `file` may instead be a PostgreSQL location (is_postgresql_location): a
  /// "postgresql://user@host/db" URI or a libpq "host=... dbname=..." string.  The
  /// database must exist; its tables are created or migrated as a file's are.  Errors
  /// name the location with any password replaced by "***".
  ///
  /// SQLite in the process: the first store opened turns SQLite's memory statistics
  /// off (SQLITE_CONFIG_MEMSTATUS: each allocation in SQLite would take one
  /// process-wide mutex).  A host that wants sqlite3_memory_used(), sqlite3_status64()
  /// or a heap limit calls sqlite3_initialize() before opening a store: SQLite then
  /// keeps them.  The store's connections run in multi-thread mode; the store itself
  /// serialises the calls made on it.
  explicit store(const std::filesystem::path& file, store_options options = {});
  ~store();
  store(store&&) noexcept;
  store& operator=(store&&) noexcept;
  store(const store&) = delete;
  store& operator=(const store&) = delete;

  /// The schema version of the open file (the latest after migrations).
  [[nodiscard]] int schema_version() const;
  /// The schema version this library writes.
  static int latest_schema_version() noexcept;

  // ---- units and liaisons (001 §4.1, annex 4/5) ----------------------------
  /// Adds a unit or replaces it (same code).  invalid_argument_error on an empty
  /// code or broken text; not_found_error when the parent is unknown.
  void put_unit(const unit& u);
  [[nodiscard]] std::optional<unit> find_unit(std::string_view code) const;
  [[nodiscard]] unit_directory directory() const;
  /// Records `l` as the liaison in its slot from l.valid_from; the one serving
  /// before it is closed at that instant.  History is kept, never overwritten.
  void set_liaison(const liaison& l);
  /// The liaisons serving at `as_of` (all slots), or the current ones.
  [[nodiscard]] std::vector<liaison> liaisons(std::string_view unit, std::optional<instant> as_of = {},
                                              bool reveal = false) const;
  /// Every liaison the unit ever had, oldest first.
  [[nodiscard]] std::vector<liaison> liaison_history(std::string_view unit, bool reveal = false) const;

  // ---- orders ----------------------------------------------------------------
  /// Creates an order from the intake fields of `order` (see hotline::create);
  /// the number is given by the store when empty ("YYYYMMDD-NNNNNNNN": receipt
  /// day and order id; an id whose number an order was given by hand is passed
  /// over).  conflict_error when the number exists.
  work_order create(const work_order& order, const actor& by, bool draft = false);
  /// Applies a command (hotline::apply) to the order, appending one event.
  /// dispatch without a unit routes by place and topic (unit_directory::route).
  /// not_found_error for an unknown order, unit, co-unit or merge target.
  work_order apply(std::string_view number, const command& c);
  /// Splits one call into several orders (each gets split_from = number), and
  /// records the new numbers on the source order (a `split` event).
  std::vector<work_order> split(std::string_view number, const std::vector<work_order>& parts, const actor& by,
                                instant at);

  [[nodiscard]] std::optional<work_order> get(std::string_view number, bool reveal = false) const;
  /// Orders matching `q`: by id, except overdue lists (by due instant, most
  /// overdue first) and warned lists (by warning instant).
  [[nodiscard]] std::vector<work_order> orders(const order_query& q) const;
  [[nodiscard]] std::size_t count(const order_query& q) const;
  /// The events of one order, oldest first.
  [[nodiscard]] std::vector<event> events(std::string_view number, bool reveal = false) const;
  /// Events by position in the log: id in [from_id, from_id + limit).
  [[nodiscard]] std::vector<event> log(std::int64_t from_id, std::size_t limit, bool reveal = false) const;

  // ---- reports (report.hpp builds on these) ----------------------------------------
  /// Calls `f` once per order of `q` (voided and merged included: reports decide),
  /// in no particular order.  The report path: reads only the narrow columns it needs.
  void scan_facts(const facts_query& q, const std::function<void(const order_facts&)>& f) const;
  /// The same orders grouped: `f` gets each distinct combination of the facts that
  /// with_clocks = false reads (number and received_at stay empty) with how many
  /// orders share it.  Whole local days come from the running totals the store
  /// keeps in each write's transaction (table order_counts), the rest of the period
  /// from the orders, so a month of millions of orders reads a few thousand rows.
  /// Throws invalid_argument_error when q.with_clocks is set.
  void count_facts(const facts_query& q, const std::function<void(const order_facts&, std::int64_t)>& f) const;
  /// Counts of the actions that timeliness reports list, for the orders of `q`.
  [[nodiscard]] std::vector<action_tally> action_counts(const facts_query& q) const;

  // ---- the call log (001 annex 10 item 3) -------------------------------------------
  /// Stores the calls of `log` in one transaction.  A call already stored with the
  /// same content is skipped and counted; the same call id with different content
  /// is a conflict_error and nothing is stored.  Broken text is invalid_argument_error.
  call_import import_calls(const call_log& log);
  /// Calls that started in [from, to), by start then call id (unmasked: call ids,
  /// agents and units hold no personal data).
  [[nodiscard]] std::vector<call_record> calls(instant from, instant to) const;

  // ---- integrity --------------------------------------------------------------
  /// Re-hashes the whole log.
  [[nodiscard]] chain_report verify() const;
  /// Re-hashes the whole log and checks every signed head with `key` (see above).
  [[nodiscard]] chain_report verify(const ed25519_public_key& key) const;
  /// Re-hashes the whole log and checks that its first receipt.event_count events still
  /// hash to receipt.head_hash: the history up to the receipt was not rewritten.  A log
  /// shorter than the receipt fails (first_broken: the first missing event); a changed
  /// history names event 1 (nothing proves a later start).  The receipt's signature is
  /// not checked (no key): use the overload below.
  [[nodiscard]] chain_report verify(const head_receipt& receipt) const;
  /// Both: every signed head with `key`, the receipt (whose signature must be `key`'s
  /// when it has one); a changed history then names the event after the last good
  /// signed head before the receipt's count.
  [[nodiscard]] chain_report verify(const head_receipt& receipt, const ed25519_public_key& key) const;
  /// The current head: event count and last hash, with the signature when the last
  /// commit signed it (is_signed() false otherwise, e.g. a store without a signer, or
  /// sign_every_events not reached yet).
  [[nodiscard]] head_receipt head() const;
  /// The latest signed head in the file, if any.
  [[nodiscard]] std::optional<head_receipt> last_signed_head() const;
  /// Signs the current head now, if it is not signed yet (a migrated file, the tail
  /// left by sign_every_events), and returns it.  invalid_argument_error without a
  /// signer or inside a batch.
  head_receipt sign_head();
  /// Whether this store signs its heads (store_options::signer set).
  [[nodiscard]] bool signs_heads() const noexcept;
  /// Replaces the projection by a replay of the events (one transaction).
  /// Returns the number of orders rebuilt.
  std::size_t rebuild_projection();

  void on_urgent(urgent_callback cb);

  // ---- many writes in one transaction ---------------------------------------
  /// A batch: create()/apply() calls made while it is open share one transaction
  /// and one projection write per order; commit() makes them durable, the
  /// destructor without commit() rolls them all back.  One batch at a time.
  class batch {
   public:
    batch(batch&&) noexcept;
    batch& operator=(batch&&) = delete;
    ~batch();
    void commit();

   private:
    friend class store;
    explicit batch(store& s) : s_(&s) {}
    store* s_;
  };
  [[nodiscard]] batch begin_batch();

  // ---- bulk import on two threads --------------------------------------------
  /// An importer takes create()/apply() as the store does, for loading many orders at
  /// once (a migration from another system, a day's intake from a call platform).  The
  /// calling thread runs the state machine and hashes the events; each time
  /// `orders_per_transaction` orders have been touched, that transaction goes to a
  /// writer thread, which writes and commits it while the caller goes on with the next
  /// one (and hashes the events itself if another process appended to the log since).
  /// - A command that fails (illegal transition, unknown unit or order, broken text)
  ///   throws at once and changes nothing, as on the store.
  /// - A transaction that fails to write (disk full, another writer's conflicting
  ///   change) is rolled back, and a transaction queued behind it is not written; the
  ///   next call, or finish(), throws that error and the importer takes no more
  ///   commands.  Transactions committed before stay (they are whole: each is one
  ///   SQLite transaction); committed_orders() counts their orders.
  /// - finish() hands over the rest and returns once everything is committed.
  ///   Destroying an unfinished importer drops the commands not yet handed over.
  /// - While an importer is open the store takes no other call (invalid_argument_error):
  ///   its connection belongs to the writer thread.  Another process may read the file.
  /// - The WAL is checkpointed on a third thread with a connection of its own while the
  ///   writer goes on; it stays within four times SQLite's automatic-checkpoint size and
  ///   is emptied when the import ends (docs/store.md).
  /// Urgent orders reach the on_urgent callback on the calling thread after their
  /// transaction commits.  The store must outlive its importer.
  /// On PostgreSQL the same calls and promises on one thread: each transaction is
  /// committed at its orders_per_transaction-th order as a batch is (the server does
  /// the inserting), the transaction left open is dropped by an unfinished importer,
  /// and waits() stays zero (docs/postgresql.md).
  class importer {
   public:
    importer(importer&&) noexcept;
    importer& operator=(importer&&) = delete;
    ~importer();
    /// As store::create; returns the order's number.
    std::string create(const work_order& order, const actor& by, bool draft = false);
    /// As store::apply; returns the order's new version.
    std::int64_t apply(std::string_view number, const command& c);
    /// Writes what is left and waits for it; rethrows a writer error.
    void finish();
    /// Orders created through this importer whose transaction has committed.
    [[nodiscard]] std::int64_t committed_orders() const;
    /// How long each thread has waited for the other so far (final once finished).
    [[nodiscard]] import_waits waits() const;

   private:
    friend class store;
    explicit importer(store& s) : s_(&s) {}
    store* s_;
    std::int64_t done_ = 0;  ///< committed_orders() once finished
    import_waits waits_done_;  ///< waits() once finished
  };
  [[nodiscard]] importer begin_import(std::size_t orders_per_transaction = 10000);

  [[nodiscard]] const std::filesystem::path& path() const noexcept;

  struct impl;

 private:
  friend struct detail::store_access;
  std::unique_ptr<impl> p_;
};

}  // namespace hotline
