// Private: the work-order store's state, store::impl, shared by the files that make up
// the store (store.cpp and the store_*.cpp it points to below).  Private to src/: nothing
// outside the store includes it (the signing store has its own, signing/store_impl.hpp).
//
// The seam for another back end.  Back-end-neutral: the state machine's commands and the
// order cache (store_commands.cpp), the hand-over between an importer's two threads
// (store_import.cpp), and the helpers without SQLite (store_values, store_masking,
// store_chain, store_codec).  SQLite-specific: the connections and statements held here,
// the file's opening and errors (store_open.cpp), the write path (store_write.cpp), the
// projection's rows (store_rows), reads of orders, units and events (store_queries.cpp,
// store_units.cpp, store_log.cpp) and verification (store_verify.cpp).  The commands
// reach the file only through the few lookups marked "SQLite" below.
#pragma once

#include "hotline/store.hpp"

#include "store_chain.hpp"
#include "store_checkpointer.hpp"
#include "store_counts.hpp"
#include "store_errors.hpp"
#include "store_order_cache.hpp"
#include "store_pg.hpp"
#include "store_sqlite.hpp"
#include "work_order_fields.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace hotline {

namespace detail {
/// Where the event log ends before event id `before` (SQLite: store_log.cpp).
chain_end chain_end_before(sqlite3* h, std::int64_t before);
}  // namespace detail

struct store::impl {
  /// What the file holds of an order: its version (0: not inserted yet) and its
  /// order_counts group.
  struct in_file {
    std::int64_t version = 0;
    std::optional<detail::count_key> key;
  };
  struct cached {
    cached() = default;
    cached(std::int64_t id_, work_order order_) : id(id_), order(std::move(order_)) {}
    std::string_view key() const { return order.number; }  ///< for the order cache
    std::int64_t id = 0;
    work_order order;
    in_file file;
    bool touched = false;             ///< listed in `touched` (this transaction): it has new events
    std::string actions;              ///< the `actions` column (JSON; empty: NULL)
    // The events appended to this order in this transaction: one block at flush.
    std::string body;
    std::vector<std::uint32_t> ends;  ///< end offset of each event in `body`
    std::int64_t first_seq = 0, last_at = 0, last_recorded = 0;
    std::string hashes;  ///< import: the block's hashes, made at the hand-over (see import_tx::chain)
    std::uint32_t cache_slot = 0;  ///< set by the order cache
  };

  // ---- bulk import (store::importer) ---------------------------------------------
  /// An order handed to the writer: its cache entry, which from then on nobody changes
  /// (the calling thread copies it into a new entry to use the order again, load()),
  /// and what the writer needs of the file as it stands before the transaction.
  struct handed {
    cached* entry;
    in_file file;
  };
  /// A transaction handed to the writer thread: the orders it touched with their new
  /// events, and the urgent orders to announce once it commits.
  struct import_tx {
    std::int64_t no = 0;  ///< 1, 2, ... in the order handed over
    std::vector<handed> orders;
    std::vector<work_order> urgent;
    std::int64_t new_orders = 0;
    /// Where the calling thread took the event log to stand when it hashed this
    /// transaction's blocks (from the transactions handed over before it); empty when
    /// it did not hash them.  The writer uses those hashes only if the file agrees.
    std::optional<detail::chain_end> chain;
  };
  /// Transactions handed over and not yet written, the one being written included.  Two:
  /// the calling thread builds the next while the writer has one in hand and one queued,
  /// so that a transaction that takes one thread longer (a checkpoint on the writer) does
  /// not leave the other waiting.
  static constexpr int import_max_in_flight = 2;
  /// While an importer is open: the calling thread runs the state machine and reads
  /// through `reader`; the writer thread owns `db` (and the write path's buffers and
  /// statements).
  struct import_state {
    std::size_t per_tx;
    SQLite::Database reader;
    std::optional<detail::raw_stmt> select_order, select_liaisons;  ///< on `reader`
    /// Numbers given by hand in the form the store generates, for ids it has not given
    /// yet (number_taken): the file's, read a receipt day at a time (`days_read`: the
    /// "YYYYMMDD" of the days read so far), and those given during the import.
    std::unordered_set<std::string> hand_numbers;
    std::unordered_set<std::string> days_read;
    std::optional<detail::raw_stmt> select_hand_numbers;  ///< on `reader`
    std::mutex m;
    std::condition_variable cv;
    std::deque<import_tx> pending;  ///< handed over, not yet taken by the writer
    /// Written (or dropped after a failure), back to the calling thread, which reuses
    /// their memory for the next hand-overs: that memory came from the calling thread's
    /// malloc arena, and freeing it on the writer made the two threads contend for the
    /// arena's lock.
    std::vector<import_tx> spent;
    int in_flight = 0;  ///< pending, and the one being written
    bool stop = false;
    std::exception_ptr error;  ///< the writer's failure: the import is over
    /// Set with `error`: every command checks it, without taking `m` (most never fail).
    std::atomic<bool> failed{false};
    std::int64_t committed = 0, handed = 0;
    std::int64_t written = 0;  ///< the last transaction committed (they commit in order)
    import_waits waits;        ///< each thread's waits for the other
    std::vector<work_order> announce;  ///< urgent orders of committed transactions
    std::thread writer;
    std::optional<detail::wal_checkpointer> checkpointer;  ///< the writer's checkpoints, on a thread of their own
    /// The event log's end once the transactions handed over are written, as the calling
    /// thread hashes them (SHA-256 of every event, about 1.5 us an order: with SQLite's
    /// inserts on the writer, this evens the two threads out).  Another process appending
    /// events in between makes the writer find the file elsewhere: it hashes itself from
    /// then on (`chain_diverged`, under `m`).
    detail::chain_end predicted;
    bool chain_diverged = false;
    import_state(const std::filesystem::path& p, std::size_t n, int busy_ms)
        : per_tx(n), reader(p.string(), detail::store_connection_flags(SQLite::OPEN_READONLY), busy_ms) {}
  };

  std::filesystem::path path;
  store_options opt;
  std::shared_ptr<const deadline_policy> deadlines;
  SQLite::Database db;
  urgent_callback urgent;

  bool in_tx = false;
  bool batch_open = false;
  std::int64_t next_order_id = 1, next_event_id = 1;
  std::string last_hash;
  /// With a signer: the event count of the file's last signed head (read at begin_tx).
  std::int64_t signed_count = 0;
  bool signer_checked = false;  ///< the signer's first signature was checked against its key
  /// The orders read or written in this transaction (an import: in flight), by number
  /// (store_order_cache.hpp).
  detail::order_cache<cached> cache;
  std::vector<cached*> touched;  ///< orders written in this transaction, first touched first
  std::unordered_set<std::string> known_units;
  mutable std::string batch_lost;  ///< why the open batch can no longer commit (batch_failure)
  struct liaison_row {
    std::string slot;
    std::int64_t valid_from;
    std::optional<std::int64_t> valid_to;
    std::string name;
  };
  std::unordered_map<std::string, std::vector<liaison_row>> current_liaison;  ///< unit -> its rows (per transaction)
  std::vector<work_order> urgent_pending;
  detail::count_deltas count_changes;  ///< order_counts changes of this transaction
  std::string changes_buf, hashes_buf, rest_buf;  ///< reused by the write path
  std::vector<field_change> apply_changes;                        ///< do_apply's, reused
  std::vector<detail::clock_change> apply_clocks;                 ///< do_apply's clock changes, reused

  /// The write hot path.
  std::optional<detail::raw_stmt> st_select_order, st_insert_block, st_insert_order, st_update_order;
  std::optional<detail::raw_stmt> st_select_liaisons, st_select_number;
  std::optional<detail::raw_stmt> st_signed_count, st_insert_head;  ///< signed heads (with a signer)
  std::unique_ptr<import_state> imp;  ///< set while an importer is open (SQLite)
  /// The importer on PostgreSQL (store_pg_import.cpp): one thread.  Its transactions
  /// are the store's own, begun at the first command after a commit and committed each
  /// `per_tx` orders on the calling thread, as a batch's commit (pg_flush overlaps the
  /// encoding with the server's inserts).
  struct pg_import_state {
    std::size_t per_tx;
    std::int64_t committed = 0;  ///< orders created by committed transactions
    std::exception_ptr error;    ///< a transaction that failed to write: the import is over
  };
  std::unique_ptr<pg_import_state> pg_imp;  ///< set while an importer is open (PostgreSQL)
  /// Set when the store was opened on PostgreSQL (store_pg.hpp); `db` is then an empty
  /// in-memory SQLite connection that nothing uses: every call is routed to the pg_
  /// members below.
  std::unique_ptr<detail::pg_state> pg;
  std::string pg_location;  ///< the connection string as given (`path` has its password removed)
  std::vector<import_tx> spare;       ///< import: written transactions, for their memory

  // ---- opening the file (SQLite: store_open.cpp) -------------------------------------
  impl(const std::filesystem::path& p, store_options o);
  /// A file refused at opening stays as it was: no checkpoint when the connection closes,
  /// which would copy the WAL (of a newer schema, say) into the file and delete it.
  void leave_file_as_it_is() noexcept;
  void open();
  int user_version();
  /// storage_error when the file's schema `v` is newer than this library's.
  void refuse_newer(int v) const;
  void migrate();
  /// After a migration failed: its transaction rolled back (SQLite may have done so
  /// already: a full disk), foreign keys back on.  Never throws over the first error.
  void end_failed_migration() noexcept;

  // ---- errors (SQLite: store_open.cpp) -----------------------------------------------
  /// The message for a SQLite failure while doing `what`; call it before anything else
  /// runs on the connection (the operating system's error is read from it).
  std::string describe(const SQLite::Exception& e, std::string_view what) const;
  /// As describe(), for a failure on the import's calling thread (its reads go through
  /// `reader`: the writer thread owns `db`).
  std::string describe_reader(const SQLite::Exception& e, std::string_view what) const;
  /// `e` again, naming the file if it does not yet (the codec's "stored bytes are
  /// malformed", a head signer's failure).
  [[noreturn]] void rethrow_named(const storage_error& e, std::string_view after = {}) const;
  /// Whether SQLite ended the open transaction by itself (it does on some full-disk and
  /// I/O errors): what runs next would run outside it, one statement at a time.
  bool transaction_lost() const;
  /// Refuses a write before it starts: the store opened read-only (the caller's choice:
  /// invalid_argument_error) or a file SQLite could open for reading only (a read-only
  /// file system, an immutable file: storage_error).
  void writable(std::string_view what) const;
  /// The message for a SQLite failure inside the open batch.  Should SQLite have rolled
  /// the batch's transaction back by itself, the batch is lost: every later call in it,
  /// and its commit, is refused with this message (nothing may run outside it).
  std::string batch_failure(const SQLite::Exception& e, std::string_view what) const;
  void no_lost_batch() const;
  /// A batch belongs to the thread that opened it: another thread's call would join it
  /// (a write) or see its uncommitted changes (a read).
  void no_batch_of_another_thread() const;
  void no_import_open() const;

  // ---- transactions and the write path (SQLite: store_write.cpp) ---------------------
  void begin();
  /// BEGIN IMMEDIATE, and where the event log ends (the next id and the hash to chain to).
  void begin_tx();
  std::int64_t last_signed_count();
  /// Before COMMIT: signs the head when the policy says it is due (store.hpp).
  void maybe_sign();
  /// Signs the head at `count` events (last_hash is its hash) and writes it.
  head_receipt sign_head_now(std::int64_t count);
  /// Inserts or updates the order's row (`file`: what the file holds of it, made to
  /// agree), and moves it between order_counts groups when a counted fact changed.
  void write_projection(const cached& c, in_file& file);
  /// The order's events of this transaction as one block: ids from next_event_id, each
  /// event hashed on the previous event's full hash, kept in the compact layout.
  /// `hashed`: the block's hashes were made at the hand-over (c.hashes) on the chain as
  /// the file stands (the writer checked it); otherwise they are made here.
  void write_block(const cached& c, bool hashed = false);
  void flush();
  void commit();
  /// Ends the open transaction, if any, and forgets its report-total changes.
  void rollback_tx() noexcept;
  void rollback() noexcept;
  /// Queues the urgent orders of the committed transaction for on_urgent, which the
  /// outermost call_guard calls once it has let go of the store.
  void fire_urgent();
  detail::raw_stmt& insert_order_stmt();
  detail::raw_stmt& update_order_stmt();
  detail::raw_stmt& insert_block_stmt();
  /// Replaces the projection by a replay of every event: the rows of `events`
  /// (schemas 1-3) and the blocks, merged by (order, seq).  Returns the orders written.
  std::size_t replay_projection();

  /// Moves the order between order_counts groups when a counted fact changed (any back end).
  void move_count(const cached& c, in_file& file);

  // ---- PostgreSQL (store_pg_*.cpp; store_pg.hpp) ------------------------------------
  void pg_open();
  int pg_user_version();
  void pg_migrate();
  void refuse_newer_pg(int v, int latest) const;
  /// Starts the urgent hook's listener once a callback is set (store_pg_open.cpp).
  void pg_listen();
  void pg_begin_tx();
  void pg_flush();
  void pg_write_counts();
  void pg_commit();
  /// rebuild_projection on PostgreSQL: the orders and their counts replayed from the blocks.
  std::size_t pg_replay_projection();
  void pg_rollback_tx() noexcept;
  /// The importer on PostgreSQL: runs one command in the import's transaction, and
  /// commits it once it holds per_tx orders; finish (commit the rest), close.
  template <class F>
  auto pg_import_run(std::string_view what, F&& f);
  void pg_import_begin();
  void pg_import_commit();
  void pg_import_fail(std::string_view what, const std::exception_ptr& e);
  void pg_import_finish();
  void pg_import_close() noexcept;
  // The look-ups of the commands (store_pg_units.cpp, store_pg_reads.cpp).
  bool pg_select_order(std::string_view number, cached& c);
  bool pg_number_in_file(std::string_view number);
  bool pg_unit_active(const std::string& code);
  std::vector<liaison_row> pg_select_liaison_rows(const std::string& unit);
  unit_directory pg_load_directory();
  // The public reads and writes (store_pg_reads.cpp, store_pg_units.cpp; the report path in store_facts.cpp).
  std::optional<work_order> pg_get(std::string_view number, bool reveal);
  std::vector<work_order> pg_orders(const order_query& q);
  std::size_t pg_count(const order_query& q);
  std::vector<event> pg_events(std::string_view number, bool reveal);
  std::vector<event> pg_log(std::int64_t from_id, std::size_t limit, bool reveal);
  chain_report pg_verify(const head_receipt* receipt, const ed25519_public_key* key = nullptr);
  head_receipt pg_head();
  /// The signed head at exactly `count`, or the latest (count < 0); all of them (pg_signed_heads).
  std::optional<head_receipt> pg_signed_head_at(std::int64_t count);
  std::vector<head_receipt> pg_signed_heads();
  void pg_insert_head(const head_receipt& r);
  void pg_put_unit(const unit& u);
  void pg_set_liaison(const liaison& l);
  std::vector<liaison> pg_liaisons(std::string_view unit, std::optional<instant> as_of, bool reveal, bool history);
  void pg_scan_facts(const facts_query& q, const std::function<void(const order_facts&)>& f);
  void pg_count_facts(const facts_query& q, const std::function<void(const order_facts&, std::int64_t)>& f);
  std::vector<action_tally> pg_action_counts(const facts_query& q);
  call_import pg_import_calls(const call_log& log);
  std::vector<call_record> pg_calls(instant from, instant to);

  // ---- the state machine's commands (back-end-neutral: store_commands.cpp) -----------
  cached* load(std::string_view number);
  cached& must_load(std::string_view number);
  void require_unit(const std::string& code);
  /// The liaison of `unit` at `at`: the name in the row of the lowest slot valid then.
  /// A batch or an import keeps each unit's rows (a few) for its transaction, so that
  /// orders dispatched at any instant, before or after a liaison change, get the right one.
  std::string liaison_of(const std::string& unit, instant at);
  static std::string liaison_at(const std::vector<liaison_row>& rows, std::int64_t t);
  /// Adds an event to the order's block of this transaction (written and hashed at flush).
  /// `changes`: its changes as encode_changes_v2 writes them (empty: none); `t` is `at`
  /// in seconds, the reference they were encoded against.
  void append_event(cached& c, std::int64_t seq, action a, const actor& by, std::int64_t t,
                    std::optional<order_state> before, order_state after, std::string_view changes,
                    const std::string& comment);
  /// The id in `number` when it has the form the store generates ("YYYYMMDD-" and the id
  /// as "%08lld" writes it).
  static std::optional<std::int64_t> generated_id(std::string_view number);
  /// Whether an order of this transaction or of the file has generated `number`.  An
  /// import asks only the numbers given by hand that a later
  /// generated number could be (read_hand_numbers): every other number it meets was
  /// generated for another id (a SELECT per create cost the import 5 %).
  bool number_taken(std::string_view number);
  /// "YYYYMMDD-<id>" for the next id; an id whose number an order was given by hand is
  /// passed over (ids need not be dense), or that number would stop every create of its
  /// day.
  std::string generate_number(instant received);
  cached& do_create(const work_order& in, const actor& by, bool draft);
  cached& do_apply(std::string_view number, const command& in);

  // ---- what the commands read of the file (SQLite: store_queries.cpp, store_units.cpp) ---
  /// The connection the state machine reads through: the reader while an import is open.
  SQLite::Database& rdb() { return imp ? imp->reader : db; }
  /// The file's row of order `number` into `c` (id, order, actions); false if none.
  bool select_order(std::string_view number, cached& c);
  /// Whether the file has an order numbered `number`.
  bool number_in_file(std::string_view number);
  /// An import: the file's numbers of receipt day `prefix` ("YYYYMMDD") that were given
  /// by hand in the generated form for ids not given yet, once per day (a range of the
  /// number index: about 0.2 ms for 3,500 orders of a day).
  void read_hand_numbers(std::string_view prefix);
  /// Whether unit `code` exists and is active.
  bool unit_active(const std::string& code);
  /// The liaison rows of `unit`, by slot and start.
  std::vector<liaison_row> select_liaison_rows(const std::string& unit);
  unit_directory load_directory();

  // ---- bulk import (store_import.cpp; the writer thread's transaction is SQLite's) ---
  void import_rethrow();
  /// Hands the orders touched since the last hand-over to the writer thread, once it
  /// has finished the previous transaction; throws the writer's error instead.
  void import_handoff();
  /// Waits on the import's condition until `ready`, adding the time it took to `total`
  /// (the clock is read only when there is a wait).
  template <class Ready>
  void timed_wait(std::unique_lock<std::mutex>& l, double& total, Ready ready) {
    if (ready()) return;
    const auto t0 = std::chrono::steady_clock::now();
    imp->cv.wait(l, ready);
    total += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  void import_announce();
  /// Waits for the transaction in flight, stops and joins the writer, and closes the
  /// import.  Returns the writer's error, if any.
  std::exception_ptr import_close(std::int64_t& committed, import_waits& waits);
  void import_write_loop();

  static void announce(const urgent_callback& cb, const std::vector<work_order>& orders) {
    if (!cb) return;
    for (const auto& o : orders) {
      try {
        cb(o);
      } catch (...) {  // the order is stored; a failing hook must not look like a failed write
      }
    }
  }

  // ---- one call at a time ---------------------------------------------------------
  // A store may be shared by threads (a web service's workers, Python threads: the
  // bindings release the GIL); every public call holds `call_m` for its duration.  It is
  // recursive so that a call made from inside another on the same thread (a report
  // scanning the projection) goes through.  User code (on_urgent) never runs under it:
  // a callback that waits for something another caller holds (Python's GIL) would
  // deadlock.
  mutable std::recursive_mutex call_m;
  int call_depth = 0;                   ///< guards held (under call_m)
  std::vector<work_order> to_announce;  ///< for on_urgent, once the outermost guard lets go
  std::thread::id batch_thread;         ///< the thread that opened the batch

  class call_guard {
   public:
    explicit call_guard(const impl& p) : p_(const_cast<impl&>(p)) {
      p_.call_m.lock();
      ++p_.call_depth;
    }
    call_guard(const call_guard&) = delete;
    call_guard& operator=(const call_guard&) = delete;
    ~call_guard() {
      std::vector<work_order> due;
      urgent_callback cb;
      if (--p_.call_depth == 0 && !p_.to_announce.empty()) {
        due.swap(p_.to_announce);
        cb = p_.urgent;
      }
      p_.call_m.unlock();
      announce(cb, due);
    }

   private:
    impl& p_;
  };
  [[nodiscard]] call_guard guard() const { return call_guard(*this); }

  // ---- the transaction rules of every call (SQLite's exceptions translated) ----------
  /// A read outside a transaction on PostgreSQL: on a connection the server dropped
  /// since the last call (a restart, an idle timeout), reconnected and run again once
  /// (a read changes nothing, so running it twice is safe).
  template <class F>
  auto pg_read_reconnecting(std::string_view what, F& f) const {
    pg->conn.reset_if_broken(what);
    try {
      return f();
    } catch (const storage_error&) {
      if (!pg->conn.broken()) throw;
      pg->conn.reset_if_broken(what);
      return f();
    }
  }

  template <class F>
  auto write(std::string_view what, F&& f) {
    no_import_open();
    no_batch_of_another_thread();
    writable(what);
    if (batch_open) {
      no_lost_batch();
      try {
        return f();
      } catch (const SQLite::Exception& e) {
        detail::throw_storage(e, batch_failure(e, what));
      } catch (const storage_error& e) {
        if (pg && transaction_lost()) batch_lost = std::string(e.what()) + "; the server ended the batch's transaction: "
                                                                   "nothing of the batch will be written";
        rethrow_named(e);
      }
    }
    try {
      begin();
      auto r = f();
      commit();
      return r;
    } catch (const SQLite::Exception& e) {
      const auto msg = describe(e, what);
      rollback();
      detail::throw_storage(e, msg + "; nothing was written");
    } catch (const storage_error& e) {
      rollback();
      rethrow_named(e);
    } catch (...) {
      rollback();
      throw;
    }
  }

  template <class F>
  auto read(std::string_view what, F&& f) const {
    no_import_open();
    no_batch_of_another_thread();
    if (batch_open) no_lost_batch();
    try {
      if (pg && !in_tx) return pg_read_reconnecting(what, f);
      return f();
    } catch (const SQLite::Exception& e) {
      if (batch_open) detail::throw_storage(e, batch_failure(e, what));
      detail::throw_storage(e, describe(e, what));
    } catch (const storage_error& e) {
      rethrow_named(e);
    }
  }
};

template <class F>
auto store::impl::pg_import_run(std::string_view what, F&& f) {
  if (pg_imp->error) std::rethrow_exception(pg_imp->error);
  if (!in_tx) pg_import_begin();
  try {
    auto r = f();
    if (touched.size() >= pg_imp->per_tx) pg_import_commit();
    return r;
  } catch (...) {
    // A command's own error (an illegal transition, an unknown unit) changed nothing and
    // the import goes on; one that cost the server's transaction ends the import.
    if (in_tx && transaction_lost()) pg_import_fail(what, std::current_exception());
    throw;
  }
}

}  // namespace hotline
