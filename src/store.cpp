// hotline::store: the SQLite event log and its projection (see store.hpp).
//
// Since schema 4 the events of one order appended in one transaction are one row of
// `event_blocks` (each event still hashed on its own, ids consecutive), and the
// projection `orders` keeps as columns only what queries, indexes and reports read;
// the byte formats are in store_codec.cpp.  Rows of `events` (schemas 1-3) stay where
// they are and are read, verified and replayed before the blocks.
#include "hotline/store.hpp"

#include "hotline/calendar.hpp"
#include "hotline/detail/utf8.hpp"
#include "hotline/masking.hpp"
#include "hotline/work_order_deadlines.hpp"
#include "signed_head_log.hpp"
#include "store_access.hpp"
#include "store_chain.hpp"
#include "store_checkpointer.hpp"
#include "store_codec.hpp"
#include "store_connection.hpp"
#include "store_counts.hpp"
#include "store_errors.hpp"
#include "store_order_cache.hpp"
#include "store_schema.hpp"
#include "store_sha256.hpp"
#include "store_sqlite.hpp"
#include "work_order_fields.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <nlohmann/json.hpp>

#include <atomic>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <limits>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <variant>

#include <pthread.h>

namespace hotline {

namespace {

using detail::personal;

// ---- errors: every one names the file (docs/store.md "Faults") ---------------------------

/// "<file>: storage error while <what>: <SQLite's words>", with the operating system's
/// where SQLite met the file system (store_errors.hpp; `sys_errno`: sqlite3_system_errno,
/// read before any other call on the connection).
std::string storage_message(const std::filesystem::path& file, std::string_view what, const SQLite::Exception& e,
                            int sys_errno) {
  const int code = e.getErrorCode();
  std::string msg = file.string();
  msg.append(": storage error while ").append(what).append(": ").append(e.what());
  msg.append(detail::file_system_note(file, code, sys_errno));
  if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
    msg.append(" (another connection held the database past the busy timeout)");
  return msg;
}

/// conflict_error for a unique key that is taken, storage_error for the rest.
[[noreturn]] void throw_storage(const SQLite::Exception& e, const std::string& msg) {
  if (e.getErrorCode() == SQLITE_CONSTRAINT && (e.getExtendedErrorCode() == SQLITE_CONSTRAINT_UNIQUE ||
                                                e.getExtendedErrorCode() == SQLITE_CONSTRAINT_PRIMARYKEY))
    throw conflict_error(msg);
  throw storage_error(msg);
}

using detail::check_text;

std::string text_of(const SQLite::Column& c) {
  if (c.isNull()) return {};
  const char* p = static_cast<const char*>(c.getBlob());
  return std::string(p ? p : "", static_cast<std::size_t>(c.getBytes()));
}

std::int64_t secs(instant t) { return t.time_since_epoch().count(); }
instant at_secs(std::int64_t s) { return instant{seconds{s}}; }

using detail::raw_blob;
using detail::raw_stmt;
using detail::reset_on_exit;
using detail::raw_text;

// ---- the projection's columns (schema 4) ----------------------------------------------
// id, number, version, state, open, next_due, next_warn, the column fields (those of
// for_each_field that detail::is_projection_column names, in its order), actions, rest.
constexpr int fixed_columns = 7;

const std::vector<std::string>& column_field_names() {
  static const std::vector<std::string> v = [] {
    std::vector<std::string> r;
    work_order o;
    std::size_t pos = 0;
    detail::for_each_field(o, [&](const char* n, auto&, personal) {
      if (detail::is_projection_column(pos++)) r.emplace_back(n);
    });
    return r;
  }();
  return v;
}
int actions_column() { return fixed_columns + static_cast<int>(column_field_names().size()); }
int rest_column() { return actions_column() + 1; }

const std::string& order_columns() {
  static const std::string s = [] {
    std::string r = "id, number, version, state, open, next_due, next_warn";
    for (const auto& n : column_field_names()) r.append(", \"").append(n).append("\"");
    r.append(", actions, rest");
    return r;
  }();
  return s;
}

void read_raw(sqlite3_stmt* st, int i, std::string& v) { v.assign(raw_text(st, i)); }
void read_raw(sqlite3_stmt* st, int i, bool& v) { v = sqlite3_column_int64(st, i) != 0; }
void read_raw(sqlite3_stmt* st, int i, int& v) { v = static_cast<int>(sqlite3_column_int64(st, i)); }
void read_raw(sqlite3_stmt* st, int i, instant& v) { v = at_secs(sqlite3_column_int64(st, i)); }
void read_raw(sqlite3_stmt* st, int i, std::optional<instant>& v) {
  if (sqlite3_column_type(st, i) == SQLITE_NULL) v.reset();
  else v = at_secs(sqlite3_column_int64(st, i));
}
template <class E, std::enable_if_t<std::is_enum_v<E>, int> = 0>
void read_raw(sqlite3_stmt* st, int i, E& v) {
  v = hotline::parse_enum<E>(raw_text(st, i));
}

/// Reads a row of order_columns() into `o` (default-constructed); returns the id.
std::int64_t read_order_raw(sqlite3_stmt* st, work_order& o, std::string* actions = nullptr) {
  o.number.assign(raw_text(st, 1));
  o.version = sqlite3_column_int64(st, 2);
  o.state = hotline::parse_enum<order_state>(raw_text(st, 3));
  int i = fixed_columns;
  std::size_t pos = 0;
  detail::for_each_field(o, [&](const char*, auto& v, personal) {
    if (detail::is_projection_column(pos++)) read_raw(st, i++, v);
  });
  if (actions) actions->assign(raw_text(st, actions_column()));
  detail::decode_rest(raw_blob(st, rest_column()), o);
  return sqlite3_column_int64(st, 0);
}

/// Binds every column for INSERT (id at 1) or UPDATE (same numbering).  Text is bound
/// without a copy: `o`, `actions` and `rest` outlive the statement's step.
void raw_bind(sqlite3_stmt* st, int i, const std::string& v) {
  sqlite3_bind_text(st, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
}
void raw_bind(sqlite3_stmt* st, int i, bool v) { sqlite3_bind_int(st, i, v ? 1 : 0); }
void raw_bind(sqlite3_stmt* st, int i, int v) { sqlite3_bind_int(st, i, v); }
void raw_bind(sqlite3_stmt* st, int i, instant v) { sqlite3_bind_int64(st, i, secs(v)); }
void raw_bind(sqlite3_stmt* st, int i, const std::optional<instant>& v) {
  if (v) sqlite3_bind_int64(st, i, secs(*v));
  else sqlite3_bind_null(st, i);
}
template <class E, std::enable_if_t<std::is_enum_v<E>, int> = 0>
void raw_bind(sqlite3_stmt* st, int i, E v) {
  const auto name = to_string(v);  // names are NUL-terminated literals
  sqlite3_bind_text(st, i, name.data(), static_cast<int>(name.size()), SQLITE_STATIC);
}

void bind_order(sqlite3_stmt* st, const work_order& o, std::int64_t id, const std::string& actions,
                const std::string& rest) {
  sqlite3_bind_int64(st, 1, id);
  raw_bind(st, 2, o.number);
  sqlite3_bind_int64(st, 3, o.version);
  raw_bind(st, 4, o.state);
  sqlite3_bind_int(st, 5, is_open(o.state) ? 1 : 0);
  raw_bind(st, 6, o.next_due());
  raw_bind(st, 7, o.next_warn());
  int i = fixed_columns + 1;
  std::size_t pos = 0;
  detail::for_each_field(o, [&](const char* n, const auto& v, personal) {
    if (!detail::is_projection_column(pos++)) return;
    if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::string>) {
      if (v.empty() && n[0] == 'u' && std::string_view(n) == "unit") {  // NULL: no unit (foreign key)
        sqlite3_bind_null(st, i++);
        return;
      }
    }
    raw_bind(st, i++, v);
  });
  if (actions.empty()) sqlite3_bind_null(st, i++);
  else sqlite3_bind_text(st, i++, actions.data(), static_cast<int>(actions.size()), SQLITE_STATIC);
  sqlite3_bind_blob(st, i, rest.data(), static_cast<int>(rest.size()), SQLITE_STATIC);
}

// ---- the less usual actions, counted in the projection (`actions`, JSON) ----------
/// The actions of the usual life of an order are not counted (most orders have no others).
bool counted_action(action a) {
  switch (a) {
    case action::create:
    case action::dispatch:
    case action::sign_for:
    case action::reply:
    case action::accept_reply:
    case action::call_back:
    case action::close: return false;
    default: return true;
  }
}
void count_action(std::string& actions, std::string_view name) {
  auto j = actions.empty() ? nlohmann::json::object() : nlohmann::json::parse(actions);
  const std::string key(name);
  j[key] = j.value(key, 0) + 1;
  actions = j.dump();
}

std::string hex(std::string_view bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string s;
  s.reserve(bytes.size() * 2);
  for (char c : bytes) {
    s.push_back(digits[(static_cast<unsigned char>(c) >> 4) & 0xF]);
    s.push_back(digits[static_cast<unsigned char>(c) & 0xF]);
  }
  return s;
}

personal personal_kind(std::string_view field) {
  static const std::unordered_map<std::string, personal> m = [] {
    std::unordered_map<std::string, personal> r;
    work_order o;
    detail::for_each_field(o, [&](const char* n, auto&, personal p) { r.emplace(n, p); });
    return r;
  }();
  const auto it = m.find(std::string(field));
  return it == m.end() ? personal::none : it->second;
}

std::string mask_as(personal p, const std::string& v) {
  switch (p) {
    case personal::none: return v;
    case personal::name: return mask_name(v);
    case personal::phone: return mask_phone(v);
    case personal::id_number: return mask_id_number(v);
    case personal::free_text: return mask_text(v);
  }
  return v;
}

/// Changes shown readable (instants ISO-8601) and masked unless `reveal`.
void finish_event(event& e, bool reveal) {
  for (auto& c : e.changes) {  // stored compact, shown readable
    if (c.field.size() > 6 && c.field.compare(c.field.size() - 6, 6, "_clock") == 0) {
      c.before = detail::clock_display(c.before);
      c.after = detail::clock_display(c.after);
    } else if (detail::is_instant_field(c.field)) {
      for (auto* v : {&c.before, &c.after}) {
        std::optional<instant> t;
        detail::from_text(c.field, *v, t);
        if (t) *v = detail::format_instant_fast(*t);
      }
    }
  }
  if (!reveal) {
    for (auto& c : e.changes) {
      const auto p = personal_kind(c.field);
      c.before = mask_as(p, c.before);
      c.after = mask_as(p, c.after);
    }
    e.comment = mask_text(e.comment);
  }
}

liaison masked(liaison l) {
  l.name = mask_name(l.name);
  l.office_phone = mask_phone(l.office_phone);
  l.mobile = mask_phone(l.mobile);
  l.email = mask_text(l.email);  // a mailbox named by a phone number (13812341234@163.com)
  return l;
}

std::string comma_join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) {
    if (!s.empty()) s.push_back(',');
    s.append(x);
  }
  return s;
}
std::vector<std::string> comma_split(std::string_view s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < s.size()) {
    const auto j = std::min(s.find(',', i), s.size());
    if (j > i) out.emplace_back(s.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

constexpr const char* legacy_event_columns =
    "e.id, o.number, e.seq, e.action, e.at, e.recorded_at, e.actor, e.role, e.unit, e.state_before, "
    "e.state_after, e.changes, e.comment, e.hash";

/// Events of a schema 1-3 `events` row set (legacy_event_columns).
void read_legacy_events(SQLite::Statement& st, bool reveal, std::vector<event>& out, std::size_t limit = 0) {
  while ((limit == 0 || out.size() < limit) && st.executeStep()) {
    event e;
    e.id = st.getColumn(0).getInt64();
    e.order = text_of(st.getColumn(1));
    e.seq = st.getColumn(2).getInt64();
    e.action = parse_enum<action>(st.getColumn(3).getText());
    e.at = at_secs(st.getColumn(4).getInt64());
    e.recorded_at = at_secs(st.getColumn(5).getInt64());
    e.actor = text_of(st.getColumn(6));
    e.role = parse_enum<role>(st.getColumn(7).getText());
    e.unit = text_of(st.getColumn(8));
    if (!st.getColumn(9).isNull()) e.state_before = parse_enum<order_state>(st.getColumn(9).getText());
    e.state_after = parse_enum<order_state>(st.getColumn(10).getText());
    e.changes = detail::parse_changes(text_of(st.getColumn(11)));
    e.comment = text_of(st.getColumn(12));
    e.hash = hex(text_of(st.getColumn(13)));
    finish_event(e, reveal);
    out.push_back(std::move(e));
  }
}

/// Where the event log stands before event id `before`: the id after the last event
/// there and that event's full hash (the last of a block, or of the rows of `events`,
/// whose ids all come first; or 1 and the chain's zero start).
struct chain_end {
  std::int64_t next_id = 1;
  std::string hash = std::string(detail::full_hash_bytes, '\0');
};
chain_end chain_end_before(sqlite3* h, std::int64_t before) {
  {
    raw_stmt st(h,
                "SELECT first_id + n, substr(hashes, -32) FROM event_blocks WHERE first_id < ? "
                "ORDER BY first_id DESC LIMIT 1");
    sqlite3_bind_int64(st.st, 1, before);
    if (st.step(h)) return {sqlite3_column_int64(st.st, 0), std::string(raw_blob(st.st, 1))};
  }
  raw_stmt st(h, "SELECT id + 1, hash FROM events ORDER BY id DESC LIMIT 1");
  if (st.step(h)) return {sqlite3_column_int64(st.st, 0), std::string(raw_blob(st.st, 1))};
  return {};
}

/// The hashes of a block of `ends.size()` events whose bytes are `body` (event k ends
/// at ends[k]), numbered from `first_id`, of order `order_id` from `first_seq`: each
/// event hashed on the one before, starting from `last_hash` (the full hash before the
/// block; on return the block's last).  Written to `hashes` in the compact layout
/// (store_chain.hpp): prefixes, then the last event's full hash.
void hash_block(std::string_view body, const std::vector<std::uint32_t>& ends, std::int64_t first_id,
                std::int64_t order_id, std::int64_t first_seq, std::string& last_hash, std::string& hashes) {
  const std::size_t n = ends.size();
  hashes.clear();
  std::size_t start = 1;  // after the format byte
  for (std::size_t k = 0; k < n; ++k) {
    const auto i = static_cast<std::int64_t>(k);
    const auto digest = detail::block_event_hash(last_hash, first_id + i, order_id, first_seq + i,
                                                 body.substr(start, ends[k] - start));
    last_hash.assign(reinterpret_cast<const char*>(digest.data()), digest.size());
    hashes.append(last_hash, 0, k + 1 == n ? detail::full_hash_bytes : detail::kept_hash_prefix);
    start = ends[k];
  }
}

/// One block of events as read back: where it sits in the log and its stored bytes.
struct stored_block {
  std::int64_t first_id, order_id, first_seq;
  std::string_view number, body, hashes;
};

/// The events of one block, from event id `from_id` on, until `out` holds `limit` (0: all).
/// `prev` is the full hash of the event before the block, or empty where the caller does
/// not know it (then it is read when needed); on return it is the block's last hash.  A
/// compact block (store_chain.hpp) keeps only prefixes of its events' hashes but the
/// last, so those are recomputed from the chain, as verify() does.
void read_block_events(sqlite3* h, const stored_block& blk, bool reveal, std::vector<event>& out, std::string& prev,
                       std::int64_t from_id = 0, std::size_t limit = 0) {
  std::vector<detail::block_event> evs;
  std::vector<std::string_view> slices;
  detail::parse_block(blk.body, evs, slices);
  const auto layout = detail::hash_layout_of(blk.hashes.size(), evs.size());
  if (layout == detail::hash_layout::invalid) throw storage_error("an event block's hashes do not match its events");
  const bool recompute = layout == detail::hash_layout::compact && evs.size() > 1;
  if (recompute && prev.empty()) prev = chain_end_before(h, blk.first_id).hash;
  for (std::size_t k = 0; k < evs.size(); ++k) {
    if (limit && out.size() >= limit) break;
    const std::int64_t id = blk.first_id + static_cast<std::int64_t>(k);
    std::string_view hash = detail::stored_hash(blk.hashes, layout, k, evs.size());
    if (recompute && k + 1 < evs.size()) {
      const auto d =
          detail::block_event_hash(prev, id, blk.order_id, blk.first_seq + static_cast<std::int64_t>(k), slices[k]);
      prev.assign(reinterpret_cast<const char*>(d.data()), d.size());
      hash = prev;
    }
    if (id < from_id) continue;
    const auto& b = evs[k];
    event e;
    e.id = id;
    e.order = std::string(blk.number);
    e.seq = blk.first_seq + static_cast<std::int64_t>(k);
    e.action = parse_enum<action>(b.action);
    e.at = at_secs(b.at);
    e.recorded_at = at_secs(b.recorded_at);
    e.actor = std::string(b.actor);
    e.role = parse_enum<role>(b.role);
    e.unit = std::string(b.unit);
    if (b.state_before) e.state_before = parse_enum<order_state>(*b.state_before);
    e.state_after = parse_enum<order_state>(b.state_after);
    if (b.changes) detail::decode_changes_v2(*b.changes, b.at, e.changes);
    e.comment = std::string(b.comment);
    e.hash = hex(hash);
    finish_event(e, reveal);
    out.push_back(std::move(e));
  }
  prev.assign(blk.hashes.substr(blk.hashes.size() - detail::full_hash_bytes));
}

}  // namespace

// ============================================================================
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
    std::optional<chain_end> chain;
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
    std::optional<raw_stmt> select_order, select_liaisons;  ///< on `reader`
    /// Numbers given by hand in the form the store generates, for ids it has not given
    /// yet (number_taken): the file's, read a receipt day at a time (`days_read`: the
    /// "YYYYMMDD" of the days read so far), and those given during the import.
    std::unordered_set<std::string> hand_numbers;
    std::unordered_set<std::string> days_read;
    std::optional<raw_stmt> select_hand_numbers;  ///< on `reader`
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
    chain_end predicted;
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

  std::optional<raw_stmt> st_select_order, st_insert_block, st_insert_order, st_update_order;  ///< the write hot path
  std::optional<raw_stmt> st_select_liaisons, st_select_number;
  std::optional<raw_stmt> st_signed_count, st_insert_head;  ///< signed heads (with a signer)
  std::unique_ptr<import_state> imp;  ///< set while an importer is open
  std::vector<import_tx> spare;       ///< import: written transactions, for their memory

  impl(const std::filesystem::path& p, store_options o)
      : path(p),
        opt(std::move(o)),
        db(p.string(),
           detail::store_connection_flags(opt.read_only ? SQLite::OPEN_READONLY
                                                      : (SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE)),
           opt.busy_timeout_ms) {
    try {
      open();
    } catch (const SQLite::Exception& e) {
      const auto msg = describe(e, "opening it");
      leave_file_as_it_is();
      throw_storage(e, msg);
    } catch (...) {
      leave_file_as_it_is();
      throw;
    }
  }

  /// A file refused at opening stays as it was: no checkpoint when the connection closes,
  /// which would copy the WAL (of a newer schema, say) into the file and delete it.
  void leave_file_as_it_is() noexcept {
    (void)sqlite3_db_config(db.getHandle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
  }

  void open() {
    deadlines = opt.deadlines ? opt.deadlines : std::make_shared<calendar_deadlines>(calendar::china());
    // Verify it is a database before changing anything (a text file fails here).
    const int objects = db.execAndGet("SELECT count(*) FROM sqlite_master").getInt();
    // A newer schema is refused before anything is written (a file in rollback-journal
    // mode is not switched to WAL on the way to the refusal).
    refuse_newer(user_version());
    // The page size of a new file (it cannot change once the file is in WAL mode).
    if (!opt.read_only && opt.page_size > 0 && objects == 0)
      db.exec("PRAGMA page_size=" + std::to_string(opt.page_size));
    if (!opt.read_only) db.exec("PRAGMA journal_mode=WAL");
    db.exec("PRAGMA foreign_keys=ON");
    db.exec("PRAGMA synchronous=NORMAL");
    db.exec("PRAGMA cache_size=-" + std::to_string(opt.cache_kib));
    db.exec("PRAGMA temp_store=MEMORY");
    // Reads through a memory map instead of a pread per page (capped by SQLite's build).
    db.exec("PRAGMA mmap_size=" + std::to_string(opt.mmap_bytes));
    migrate();
  }

  int user_version() {
    SQLite::Statement st(db, "PRAGMA user_version");
    st.executeStep();
    return st.getColumn(0).getInt();
  }

  /// storage_error when the file's schema `v` is newer than this library's.
  void refuse_newer(int v) const {
    const int latest = static_cast<int>(detail::store_migrations().size());
    if (v > latest)
      throw storage_error(path.string() + ": the file has schema version " + std::to_string(v) +
                          ", newer than this library's " + std::to_string(latest) +
                          ": open it with a newer library (the file was left as it was)");
  }

  void migrate() {
    const auto& m = detail::store_migrations();
    const int latest = static_cast<int>(m.size());
    int v = user_version();
    refuse_newer(v);
    if (v == latest) return;
    if (opt.read_only)
      throw storage_error(path.string() + ": the file has schema version " + std::to_string(v) +
                          " and needs migrations to " + std::to_string(latest) + ", but was opened read-only");
    // Foreign keys are checked once at the end: a migration may drop and rebuild the
    // projection that the events refer to (PRAGMA foreign_keys is fixed inside a transaction).
    db.exec("PRAGMA foreign_keys=OFF");
    db.exec("BEGIN IMMEDIATE");
    const int from = v;
    try {
      v = user_version();  // another process may have migrated meanwhile
      refuse_newer(v);
      bool rebuild = false, fill_counts = false;
      for (; v < latest; ++v) {
        db.exec(std::string(m[static_cast<std::size_t>(v)]));
        rebuild = rebuild || detail::migration_rebuilds_projection(static_cast<std::size_t>(v));
        fill_counts = fill_counts || detail::migration_fills_counts(static_cast<std::size_t>(v));
      }
      if (rebuild) replay_projection();
      if (rebuild || fill_counts) detail::rebuild_counts(db.getHandle());
      {
        SQLite::Statement fk(db, "PRAGMA foreign_key_check");
        if (fk.executeStep())
          throw storage_error(path.string() + ": migrating it: table " + text_of(fk.getColumn(0)) +
                              " refers to a missing row of " + text_of(fk.getColumn(2)));
      }
      db.exec("PRAGMA user_version=" + std::to_string(latest));
      db.exec("COMMIT");
    } catch (const SQLite::Exception& e) {
      auto msg = describe(e, "migrating it from schema version " + std::to_string(from) + " to " + std::to_string(latest));
      end_failed_migration();
      throw_storage(e, msg + "; the file keeps its schema");
    } catch (...) {
      end_failed_migration();
      throw;
    }
    db.exec("PRAGMA foreign_keys=ON");
    st_insert_order.reset();  // prepared against the schema of the migration
  }

  /// After a migration failed: its transaction rolled back (SQLite may have done so
  /// already: a full disk), foreign keys back on.  Never throws over the first error.
  void end_failed_migration() noexcept {
    try {
      if (sqlite3_get_autocommit(db.getHandle()) == 0) db.exec("ROLLBACK");
      db.exec("PRAGMA foreign_keys=ON");
    } catch (...) {
    }
    st_insert_order.reset();
  }

  // ---- errors ---------------------------------------------------------------------------
  /// The message for a SQLite failure while doing `what`; call it before anything else
  /// runs on the connection (the operating system's error is read from it).
  std::string describe(const SQLite::Exception& e, std::string_view what) const {
    return storage_message(path, what, e, sqlite3_system_errno(db.getHandle()));
  }

  /// As describe(), for a failure on the import's calling thread (its reads go through
  /// `reader`: the writer thread owns `db`).
  std::string describe_reader(const SQLite::Exception& e, std::string_view what) const {
    return storage_message(path, what, e, sqlite3_system_errno(imp->reader.getHandle()));
  }

  /// `e` again, naming the file if it does not yet (the codec's "stored bytes are
  /// malformed", a head signer's failure).
  [[noreturn]] void rethrow_named(const storage_error& e, std::string_view after = {}) const {
    const std::string_view what(e.what());
    const auto file = path.string();
    if (what.substr(0, file.size()) == file && after.empty()) throw e;
    std::string msg = what.substr(0, file.size()) == file ? std::string(what) : file + ": " + std::string(what);
    throw storage_error(msg.append(after));
  }

  /// Whether SQLite ended the open transaction by itself (it does on some full-disk and
  /// I/O errors): what runs next would run outside it, one statement at a time.
  bool transaction_lost() const { return in_tx && sqlite3_get_autocommit(db.getHandle()) != 0; }

  /// Refuses a write before it starts: the store opened read-only (the caller's choice:
  /// invalid_argument_error) or a file SQLite could open for reading only (a read-only
  /// file system, an immutable file: storage_error).
  void writable(std::string_view what) const {
    if (opt.read_only)
      throw invalid_argument_error(path.string() + ": the store is open read-only (store_options::read_only): " +
                                   std::string(what) + " would write");
    if (sqlite3_db_readonly(db.getHandle(), "main") == 1) {
      auto why = detail::write_refusal(path);
      if (why.empty()) why = "SQLite could open it for reading only when the store opened it: reopen the store";
      throw storage_error(path.string() + ": storage error while " + std::string(what) + ": the file is read-only (" +
                          why + "); nothing was written");
    }
  }

  // ---- transactions ---------------------------------------------------------
  void begin() {
    begin_tx();
    {
      SQLite::Statement st(db, "SELECT COALESCE(MAX(id), 0) FROM orders");
      st.executeStep();
      next_order_id = st.getColumn(0).getInt64() + 1;
    }
    current_liaison.clear();
  }

  /// BEGIN IMMEDIATE, and where the event log ends (the next id and the hash to chain to).
  void begin_tx() {
    db.exec("BEGIN IMMEDIATE");
    in_tx = true;
    auto end = chain_end_before(db.getHandle(), std::numeric_limits<std::int64_t>::max());
    next_event_id = end.next_id;
    last_hash = std::move(end.hash);
    if (opt.signer) signed_count = last_signed_count();
  }

  // ---- signed heads (schema 6) ----------------------------------------------------
  std::int64_t last_signed_count() { return detail::last_signed_count(db.getHandle(), st_signed_count); }

  /// Before COMMIT: signs the head when the policy says it is due (store.hpp).
  void maybe_sign() {
    if (!opt.signer) return;
    const std::int64_t count = next_event_id - 1;
    if (count <= signed_count || count - signed_count < std::max<std::int64_t>(1, opt.sign_every_events)) return;
    sign_head_now(count);
  }

  /// Signs the head at `count` events (last_hash is its hash) and writes it.
  head_receipt sign_head_now(std::int64_t count) {
    auto r = detail::sign_head_of(work_order_head_domain, opt.signer, count, last_hash, signer_checked);
    sqlite3* h = db.getHandle();
    if (!st_insert_head) st_insert_head.emplace(h, detail::insert_head_sql);
    detail::insert_head(h, *st_insert_head, r);
    signed_count = count;
    return r;
  }

  /// Inserts or updates the order's row (`file`: what the file holds of it, made to
  /// agree), and moves it between order_counts groups when a counted fact changed.
  void write_projection(const cached& c, in_file& file) {
    detail::encode_rest(c.order, rest_buf);
    if (file.version == 0) {
      auto& st = insert_order_stmt();
      bind_order(st.st, c.order, c.id, c.actions, rest_buf);
      st.exec(db.getHandle());
    } else {
      auto& st = update_order_stmt();
      bind_order(st.st, c.order, c.id, c.actions, rest_buf);
      sqlite3_bind_int64(st.st, rest_column() + 2, file.version);
      st.exec(db.getHandle());
      const int n = sqlite3_changes(db.getHandle());
      if (n != 1)
        throw conflict_error("conflict: order " + c.order.number + " was changed by another writer (expected version " +
                             std::to_string(file.version) + ")");
    }
    file.version = c.order.version;
    auto k = detail::count_key_of(c.order);
    if (!file.key || *file.key != k) {
      if (file.key) count_changes.add(*file.key, -1);
      count_changes.add(k, 1);
      file.key = std::move(k);
    }
  }

  /// The order's events of this transaction as one block: ids from next_event_id, each
  /// event hashed on the previous event's full hash, kept in the compact layout.
  /// `hashed`: the block's hashes were made at the hand-over (c.hashes) on the chain as
  /// the file stands (the writer checked it); otherwise they are made here.
  void write_block(const cached& c, bool hashed = false) {
    const auto n = static_cast<std::int64_t>(c.ends.size());
    const std::string* hashes = &c.hashes;
    if (hashed) {
      last_hash.assign(c.hashes, c.hashes.size() - detail::full_hash_bytes, detail::full_hash_bytes);
    } else {
      hash_block(c.body, c.ends, next_event_id, c.id, c.first_seq, last_hash, hashes_buf);
      hashes = &hashes_buf;
    }
    sqlite3_stmt* st = insert_block_stmt().st;
    sqlite3_bind_int64(st, 1, next_event_id);
    sqlite3_bind_int64(st, 2, c.id);
    sqlite3_bind_int64(st, 3, c.first_seq);
    sqlite3_bind_int64(st, 4, n);
    sqlite3_bind_blob(st, 5, c.body.data(), static_cast<int>(c.body.size()), SQLITE_STATIC);
    sqlite3_bind_blob(st, 6, hashes->data(), static_cast<int>(hashes->size()), SQLITE_STATIC);
    insert_block_stmt().exec(db.getHandle());
    next_event_id += n;
  }

  void flush() {
    for (cached* c : touched) {
      write_projection(*c, c->file);
      write_block(*c);
      c->body.clear();
      c->ends.clear();
      c->touched = false;
    }
    touched.clear();
    count_changes.write(db.getHandle());
  }

  void commit() {
    flush();
    maybe_sign();
    db.exec("COMMIT");
    in_tx = false;
    cache.clear();
    fire_urgent();
  }

  /// Ends the open transaction, if any, and forgets its report-total changes.
  void rollback_tx() noexcept {
    if (in_tx) {
      try {
        db.exec("ROLLBACK");
      } catch (...) {
      }
    }
    in_tx = false;
    count_changes.clear();
  }

  void rollback() noexcept {
    rollback_tx();
    touched.clear();
    cache.clear();
    urgent_pending.clear();
    known_units.clear();
    batch_lost.clear();
  }

  /// Queues the urgent orders of the committed transaction for on_urgent, which the
  /// outermost call_guard calls once it has let go of the store.
  void fire_urgent() {
    for (auto& o : urgent_pending) to_announce.push_back(std::move(o));
    urgent_pending.clear();
  }

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

  /// A batch belongs to the thread that opened it: another thread's call would join it
  /// (a write) or see its uncommitted changes (a read).
  void no_batch_of_another_thread() const {
    if (batch_open && std::this_thread::get_id() != batch_thread)
      throw invalid_argument_error(
          "another thread has a batch open on this store: wait for it to commit, or open a second store on the same "
          "file for this thread");
  }

  void no_import_open() const {
    if (imp)
      throw invalid_argument_error("an import is open on this store: call it through the importer, or finish() it first");
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
        throw_storage(e, batch_failure(e, what));
      } catch (const storage_error& e) {
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
      throw_storage(e, msg + "; nothing was written");
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
      return f();
    } catch (const SQLite::Exception& e) {
      if (batch_open) throw_storage(e, batch_failure(e, what));
      throw_storage(e, describe(e, what));
    } catch (const storage_error& e) {
      rethrow_named(e);
    }
  }

  /// The message for a SQLite failure inside the open batch.  Should SQLite have rolled
  /// the batch's transaction back by itself, the batch is lost: every later call in it,
  /// and its commit, is refused with this message (nothing may run outside it).
  std::string batch_failure(const SQLite::Exception& e, std::string_view what) const {
    auto msg = describe(e, what);
    if (transaction_lost()) {
      msg.append("; SQLite rolled the batch's transaction back: nothing of the batch will be written");
      batch_lost = msg;
    }
    return msg;
  }

  void no_lost_batch() const {
    if (!batch_lost.empty()) throw storage_error(batch_lost);
  }

  // ---- statements -------------------------------------------------------------
  raw_stmt& insert_order_stmt() {
    if (!st_insert_order) {
      std::string sql = "INSERT INTO orders(" + order_columns() + ") VALUES(?";
      for (int i = 1; i <= rest_column(); ++i) sql.append(",?");
      sql.append(")");
      st_insert_order.emplace(db.getHandle(), sql);
    }
    return *st_insert_order;
  }
  raw_stmt& update_order_stmt() {
    if (!st_update_order) {
      // Same binding order as the insert: id first, then every column.
      std::string sql = "UPDATE orders SET number = ?2, version = ?3, state = ?4, open = ?5, next_due = ?6, next_warn = ?7";
      int i = fixed_columns + 1;
      for (const auto& n : column_field_names()) sql.append(", \"").append(n).append("\" = ?").append(std::to_string(i++));
      sql.append(", actions = ?").append(std::to_string(i++));
      sql.append(", rest = ?").append(std::to_string(i++));
      sql.append(" WHERE id = ?1 AND version = ?").append(std::to_string(i));
      st_update_order.emplace(db.getHandle(), sql);
    }
    return *st_update_order;
  }
  raw_stmt& insert_block_stmt() {
    if (!st_insert_block)
      st_insert_block.emplace(db.getHandle(),
                              "INSERT INTO event_blocks(first_id, order_id, first_seq, n, body, hashes) VALUES(?,?,?,?,?,?)");
    return *st_insert_block;
  }

  // ---- orders -------------------------------------------------------------------
  /// The connection the state machine reads through: the reader while an import is open.
  SQLite::Database& rdb() { return imp ? imp->reader : db; }

  cached* load(std::string_view number) {
    if (auto* c = cache.find(number)) {
      if (cache.handoff_of(*c) == 0) return c;
      // Handed to the writer (an import): that entry stays as it is.  A new one stands
      // for the file as it will be once the transaction commits.
      cached next(c->id, c->order);
      next.actions = c->actions;
      next.file = {c->file.version, detail::count_key_of(c->order)};
      cache.detach(*c);
      return cache.emplace(number, std::move(next)).first;
    }
    auto& sel = imp ? imp->select_order : st_select_order;
    sqlite3* h = rdb().getHandle();
    if (!sel) sel.emplace(h, "SELECT " + order_columns() + " FROM orders WHERE number = ?");
    sqlite3_stmt* st = sel->st;
    sqlite3_bind_text(st, 1, number.data(), static_cast<int>(number.size()), SQLITE_STATIC);
    cached c;
    {
      const reset_on_exit done(*sel);
      if (!sel->step(h)) return nullptr;
      c.id = read_order_raw(st, c.order, &c.actions);
    }
    c.file = {c.order.version, detail::count_key_of(c.order)};
    return cache.emplace(number, std::move(c)).first;  // fresh: not in the cache (above)
  }

  cached& must_load(std::string_view number) {
    check_text("order number", number);
    auto* c = load(number);
    if (!c) throw not_found_error("no work order numbered '" + std::string(number) + "'");
    return *c;
  }

  void require_unit(const std::string& code) {
    if (known_units.count(code)) return;
    SQLite::Statement st(rdb(), "SELECT 1 FROM units WHERE code = ? AND active = 1");
    st.bind(1, code);
    if (!st.executeStep()) throw not_found_error("unknown or inactive unit '" + code + "'");
    known_units.insert(code);
  }

  /// The liaison of `unit` at `at`: the name in the row of the lowest slot valid then.
  /// A batch or an import keeps each unit's rows (a few) for its transaction, so that
  /// orders dispatched at any instant, before or after a liaison change, get the right one.
  std::string liaison_of(const std::string& unit, instant at) {
    const std::int64_t t = secs(at);
    auto it = current_liaison.find(unit);
    if (it == current_liaison.end()) {
      auto& sel = imp ? imp->select_liaisons : st_select_liaisons;
      sqlite3* h = rdb().getHandle();
      if (!sel)
        sel.emplace(h, "SELECT slot, valid_from, valid_to, name FROM liaisons WHERE unit = ? ORDER BY slot, valid_from");
      sqlite3_stmt* st = sel->st;
      sqlite3_bind_text(st, 1, unit.data(), static_cast<int>(unit.size()), SQLITE_STATIC);
      std::vector<liaison_row> rows;
      {
        const reset_on_exit done(*sel);
        while (sel->step(h))
          rows.push_back({std::string(raw_text(st, 0)), sqlite3_column_int64(st, 1),
                          sqlite3_column_type(st, 2) == SQLITE_NULL ? std::optional<std::int64_t>()
                                                                    : std::optional<std::int64_t>(sqlite3_column_int64(st, 2)),
                          std::string(raw_text(st, 3))});
      }
      if (!batch_open && !imp) return liaison_at(rows, t);
      it = current_liaison.emplace(unit, std::move(rows)).first;
    }
    return liaison_at(it->second, t);
  }

  static std::string liaison_at(const std::vector<liaison_row>& rows, std::int64_t t) {
    for (const auto& r : rows)  // ordered by slot
      if (r.valid_from <= t && (!r.valid_to || *r.valid_to > t)) return r.name;
    return {};
  }

  /// Adds an event to the order's block of this transaction (written and hashed at flush).
  /// `changes`: its changes as encode_changes_v2 writes them (empty: none); `t` is `at`
  /// in seconds, the reference they were encoded against.
  void append_event(cached& c, std::int64_t seq, action a, const actor& by, std::int64_t t,
                    std::optional<order_state> before, order_state after, std::string_view changes,
                    const std::string& comment) {
    const std::int64_t recorded =
        std::chrono::duration_cast<seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    const detail::block_event e{to_string(a),
                                t,
                                recorded,
                                by.id,
                                to_string(by.role),
                                by.unit,
                                before ? std::optional<std::string_view>(to_string(*before)) : std::nullopt,
                                to_string(after),
                                changes.empty() ? std::nullopt : std::optional<std::string_view>(changes),
                                comment,
                                detail::word_code(a),
                                detail::word_code(by.role),
                                before ? detail::word_code(*before) : std::uint8_t{0},
                                detail::word_code(after)};
    const bool first = c.ends.empty();
    if (first) {
      c.first_seq = seq;
      c.body.reserve(512);
    }
    detail::append_block_event(c.body, e, first ? 0 : c.last_at, first ? 0 : c.last_recorded);
    c.ends.push_back(static_cast<std::uint32_t>(c.body.size()));
    c.last_at = t;
    c.last_recorded = recorded;
    if (counted_action(a)) count_action(c.actions, to_string(a));
    if (!c.touched) {
      c.touched = true;
      touched.push_back(&c);
    }
  }

  /// The id in `number` when it has the form the store generates ("YYYYMMDD-" and the id
  /// as "%08lld" writes it).
  static std::optional<std::int64_t> generated_id(std::string_view number) {
    if (number.size() < 17 || number[8] != '-') return std::nullopt;
    for (std::size_t i = 0; i < number.size(); ++i)
      if (i != 8 && (number[i] < '0' || number[i] > '9')) return std::nullopt;
    const auto digits = number.substr(9);
    if (digits.size() > 8 && digits[0] == '0') return std::nullopt;  // %08lld pads to 8 only
    std::int64_t id = 0;
    if (std::from_chars(digits.data(), digits.data() + digits.size(), id).ec != std::errc()) return std::nullopt;
    return id;
  }

  /// Whether an order of this transaction or of the file has generated `number`.  An
  /// import asks only the numbers given by hand that a later
  /// generated number could be (read_hand_numbers): every other number it meets was
  /// generated for another id (a SELECT per create cost the import 5 %).
  bool number_taken(std::string_view number) {
    if (imp) {
      read_hand_numbers(number.substr(0, 8));
      return !imp->hand_numbers.empty() && imp->hand_numbers.count(std::string(number)) > 0;
    }
    if (cache.find(number)) return true;
    auto& sel = st_select_number;
    sqlite3* h = rdb().getHandle();
    if (!sel) sel.emplace(h, "SELECT 1 FROM orders WHERE number = ?");
    sqlite3_bind_text(sel->st, 1, number.data(), static_cast<int>(number.size()), SQLITE_STATIC);
    const reset_on_exit done(*sel);
    return sel->step(h);
  }

  /// "YYYYMMDD-<id>" for the next id; an id whose number an order was given by hand is
  /// passed over (ids need not be dense), or that number would stop every create of its
  /// day.
  std::string generate_number(instant received) {
    const date::year_month_day ymd{local_day(received)};
    char buf[40];
    for (;; ++next_order_id) {
      std::snprintf(buf, sizeof buf, "%04d%02u%02u-%08lld", int(ymd.year()), unsigned(ymd.month()), unsigned(ymd.day()),
                    static_cast<long long>(next_order_id));
      if (!number_taken(buf)) return buf;
    }
  }

  /// An import: the file's numbers of receipt day `prefix` ("YYYYMMDD") that were given
  /// by hand in the generated form for ids not given yet, once per day (a range of the
  /// number index: about 0.2 ms for 3,500 orders of a day).
  void read_hand_numbers(std::string_view prefix) {
    auto& s = *imp;
    if (!s.days_read.emplace(prefix).second) return;
    sqlite3* h = s.reader.getHandle();
    if (!s.select_hand_numbers)
      s.select_hand_numbers.emplace(
          h, "SELECT number FROM orders WHERE number > ? AND number < ? AND CAST(substr(number, 10) AS INTEGER) >= ?");
    sqlite3_stmt* st = s.select_hand_numbers->st;
    const std::string from = std::string(prefix) + '-', to = std::string(prefix) + '.';  // '.' sorts right after '-'
    sqlite3_bind_text(st, 1, from.data(), static_cast<int>(from.size()), SQLITE_STATIC);
    sqlite3_bind_text(st, 2, to.data(), static_cast<int>(to.size()), SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, next_order_id);
    const reset_on_exit done(*s.select_hand_numbers);
    while (s.select_hand_numbers->step(h)) {
      const auto n = raw_text(st, 0);
      if (const auto id = generated_id(n); id && *id >= next_order_id) s.hand_numbers.emplace(n);
    }
  }

  cached& do_create(const work_order& in, const actor& by, bool draft) {
    std::string number;
    if (in.number.empty()) {
      number = generate_number(in.received_at);
    } else {
      check_text("number", in.number);
      if (load(in.number)) throw conflict_error("a work order numbered '" + in.number + "' already exists");
      number = in.number;
      if (imp)  // a number a later generated one could be (number_taken)
        if (const auto id = generated_id(number); id && *id >= next_order_id) imp->hand_numbers.insert(number);
    }
    cached made(next_order_id, detail::created_order(in, std::move(number), by, draft, *deadlines));
    if (!made.order.split_from.empty() && !load(made.order.split_from))
      throw not_found_error("split_from names no work order: '" + made.order.split_from + "'");
    // Fresh: the number is in neither the cache nor the file (checked above).
    cached* slot = cache.emplace(made.order.number, std::move(made)).first;
    ++next_order_id;
    cached& c = *slot;
    // The create's changes straight from the order (the same bytes as its list of changes).
    const std::int64_t t = secs(c.order.received_at);
    changes_buf.clear();
    detail::encode_created_v2(changes_buf, c.order, t);
    append_event(c, c.order.version, action::create, by, t, std::nullopt, c.order.state, changes_buf, std::string());
    if (c.order.urgent()) urgent_pending.push_back(c.order);
    return c;
  }

  cached& do_apply(std::string_view number, const command& in) {
    auto& c = must_load(number);
    const command* cmd = &in;
    command routed;
    if (in.action == action::dispatch) {
      routed = in;
      if (routed.unit.empty()) {
        check_text("unit", routed.unit);
        const auto dir = load_directory();
        const auto r = dir.route({c.order.district, c.order.sub_district, {}}, c.order.topic);
        if (!r)
          throw not_found_error("no unit given and none covers the order's place and topic; choose a unit");
        routed.unit = r->unit;
      }
      check_text("unit", routed.unit);
      require_unit(routed.unit);
      for (const auto& u : comma_split(routed.co_units)) {
        check_text("co_units", u);
        require_unit(u);
      }
      if (routed.liaison.empty()) routed.liaison = liaison_of(routed.unit, routed.at);
      cmd = &routed;
    }
    if ((in.action == action::merge || in.action == action::relate) && !in.target.empty()) {
      check_text("target", in.target);
      if (in.target != c.order.number && !load(in.target))
        throw not_found_error("no work order numbered '" + in.target + "' to " + std::string(to_string(in.action)));
    }
    // On the cached order itself (apply() would copy it): left as it was if the command fails.
    const bool was_urgent = c.order.urgent();
    apply_changes.clear();
    apply_clocks.clear();
    const order_state before = detail::apply_in_place(c.order, *cmd, *deadlines, apply_changes, &apply_clocks);
    const std::int64_t t = secs(in.at);
    changes_buf.clear();
    detail::encode_changes_v2(changes_buf, apply_changes, t, &apply_clocks);
    append_event(c, c.order.version, in.action, in.by, t, before, c.order.state, changes_buf, in.comment);
    if (c.order.urgent() && !was_urgent) urgent_pending.push_back(c.order);
    return c;
  }

  unit_directory load_directory() {
    std::vector<unit> units;
    std::unordered_map<std::string, std::size_t> index;
    {
      SQLite::Statement st(rdb(), "SELECT code, name, kind, parent, active FROM units ORDER BY code");
      while (st.executeStep()) {
        unit u;
        u.code = text_of(st.getColumn(0));
        u.name = text_of(st.getColumn(1));
        u.kind = parse_unit_kind(st.getColumn(2).getText());
        u.parent = text_of(st.getColumn(3));
        u.active = st.getColumn(4).getInt() != 0;
        index.emplace(u.code, units.size());
        units.push_back(std::move(u));
      }
    }
    {
      SQLite::Statement st(rdb(), "SELECT unit, district, sub_district FROM unit_coverage ORDER BY unit, district, sub_district");
      while (st.executeStep())
        units[index.at(text_of(st.getColumn(0)))].covers.push_back({text_of(st.getColumn(1)), text_of(st.getColumn(2))});
    }
    {
      SQLite::Statement st(rdb(), "SELECT unit, topic FROM unit_topics ORDER BY unit, topic");
      while (st.executeStep()) units[index.at(text_of(st.getColumn(0)))].topics.push_back(text_of(st.getColumn(1)));
    }
    return unit_directory(std::move(units));
  }

  /// Replaces the projection by a replay of every event: the rows of `events`
  /// (schemas 1-3) and the blocks, merged by (order, seq).  Returns the orders written.
  std::size_t replay_projection() {
    db.exec("DELETE FROM orders");
    SQLite::Statement legacy(db, "SELECT order_id, seq, action, state_after, changes FROM events ORDER BY order_id, seq");
    SQLite::Statement blocks(db, "SELECT order_id, first_seq, body FROM event_blocks ORDER BY order_id, first_seq");
    bool has_legacy = legacy.executeStep(), has_block = blocks.executeStep();
    std::size_t n = 0;
    std::int64_t cur = -1;
    work_order o;
    std::map<std::string, int> counts;
    std::string actions;
    auto emit = [&] {
      if (cur < 0) return;
      actions.clear();
      if (!counts.empty()) {
        nlohmann::json j = nlohmann::json::object();
        for (const auto& [k, v] : counts) j[k] = v;
        actions = j.dump();
      }
      detail::encode_rest(o, rest_buf);
      auto& ins = insert_order_stmt();
      bind_order(ins.st, o, cur, actions, rest_buf);
      ins.exec(db.getHandle());
      ++n;
    };
    auto event_of = [&](std::int64_t id, std::int64_t seq, std::string_view act, std::string_view state,
                        const std::vector<field_change>& changes) {
      if (id != cur) {
        emit();
        cur = id;
        o = work_order{};
        counts.clear();
      }
      o.version = seq;
      o.state = parse_enum<order_state>(state);
      if (const auto a = parse_enum<action>(act); counted_action(a)) ++counts[std::string(act)];
      for (const auto& c : changes)
        if (!set_field(o, c.field, c.after))
          throw storage_error("event of order id " + std::to_string(id) + " changes an unknown field " + c.field);
    };
    std::vector<detail::block_event> evs;
    std::vector<std::string_view> slices;
    std::vector<field_change> changes;
    while (has_legacy || has_block) {
      const bool take_legacy =
          has_legacy && (!has_block || std::pair(legacy.getColumn(0).getInt64(), legacy.getColumn(1).getInt64()) <
                                           std::pair(blocks.getColumn(0).getInt64(), blocks.getColumn(1).getInt64()));
      if (take_legacy) {
        const std::string act = text_of(legacy.getColumn(2)), state = text_of(legacy.getColumn(3));
        event_of(legacy.getColumn(0).getInt64(), legacy.getColumn(1).getInt64(), act, state,
                 detail::parse_changes(text_of(legacy.getColumn(4))));
        has_legacy = legacy.executeStep();
        continue;
      }
      const std::int64_t id = blocks.getColumn(0).getInt64(), seq = blocks.getColumn(1).getInt64();
      const std::string body = text_of(blocks.getColumn(2));
      detail::parse_block(body, evs, slices);
      for (std::size_t k = 0; k < evs.size(); ++k) {
        changes.clear();
        if (evs[k].changes) detail::decode_changes_v2(*evs[k].changes, evs[k].at, changes);
        event_of(id, seq + static_cast<std::int64_t>(k), evs[k].action, evs[k].state_after, changes);
      }
      has_block = blocks.executeStep();
    }
    emit();
    return n;
  }

  // ---- bulk import: the calling thread's side ------------------------------------
  void import_rethrow() {
    if (!imp->failed.load(std::memory_order_acquire)) return;
    std::lock_guard<std::mutex> l(imp->m);
    std::rethrow_exception(imp->error);
  }

  /// Hands the orders touched since the last hand-over to the writer thread, once it
  /// has finished the previous transaction; throws the writer's error instead.
  void import_handoff() {
    auto& s = *imp;
    const std::int64_t no = s.handed + 1;
    // A transaction written before, back for its vectors' memory.
    import_tx tx;
    if (!spare.empty()) {
      tx = std::move(spare.back());
      spare.pop_back();
    }
    tx.no = no;
    tx.urgent.clear();
    tx.orders.clear();
    tx.new_orders = 0;
    for (cached* c : touched) {
      if (c->file.version == 0) ++tx.new_orders;
      tx.orders.push_back({c, {c->file.version, std::move(c->file.key)}});
      // The entry goes to the writer as it is; what the calling thread keeps of it stands
      // for the file once this transaction commits (the version the next update expects;
      // the counts group is made when the order is used again, load()).
      c->file.key.reset();
      c->file.version = c->order.version;
      c->touched = false;
      cache.handed(*c, no);
    }
    touched.clear();
    // Hash the blocks here, on the chain as it will stand when the writer gets to them.
    bool hash_here;
    {
      std::lock_guard<std::mutex> l(s.m);
      hash_here = !s.chain_diverged;
    }
    tx.chain.reset();
    if (hash_here) {
      tx.chain = s.predicted;
      for (const handed& h : tx.orders) {
        cached& c = *h.entry;
        hash_block(c.body, c.ends, s.predicted.next_id, c.id, c.first_seq, s.predicted.hash, c.hashes);
        s.predicted.next_id += static_cast<std::int64_t>(c.ends.size());
      }
    }
    tx.urgent = std::move(urgent_pending);
    urgent_pending.clear();
    std::int64_t written = 0;
    std::vector<import_tx> back;
    {
      std::unique_lock<std::mutex> l(s.m);
      timed_wait(l, s.waits.caller_s, [&] { return s.in_flight < import_max_in_flight || s.error; });
      if (s.error) std::rethrow_exception(s.error);
      s.pending.push_back(std::move(tx));
      ++s.in_flight;
      s.handed = no;
      written = s.written;
      back.swap(s.spent);
    }
    s.cv.notify_all();
    // The orders of committed transactions are in the file, where the reader finds them:
    // keep only the entries in flight (the writer is done with the others) and those of
    // the next transaction.
    cache.drop_handed(written);
    for (auto& t : back) spare.push_back(std::move(t));
    current_liaison.clear();
    import_announce();
  }

  /// Waits on the import's condition until `ready`, adding the time it took to `total`
  /// (the clock is read only when there is a wait).
  template <class Ready>
  void timed_wait(std::unique_lock<std::mutex>& l, double& total, Ready ready) {
    if (ready()) return;
    const auto t0 = std::chrono::steady_clock::now();
    imp->cv.wait(l, ready);
    total += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }

  void import_announce() {
    std::lock_guard<std::mutex> l(imp->m);
    for (auto& o : imp->announce) to_announce.push_back(std::move(o));
    imp->announce.clear();
  }

  /// Waits for the transaction in flight, stops and joins the writer, and closes the
  /// import.  Returns the writer's error, if any.
  std::exception_ptr import_close(std::int64_t& committed, import_waits& waits) {
    auto& s = *imp;
    {
      std::unique_lock<std::mutex> l(s.m);
      timed_wait(l, s.waits.caller_s, [&] { return s.in_flight == 0; });
      s.stop = true;
    }
    s.cv.notify_all();
    s.writer.join();
    s.checkpointer.reset();
    auto err = s.error;
    committed = s.committed;
    waits = s.waits;
    s.spent.clear();
    spare.clear();
    import_announce();
    imp.reset();
    cache.clear();
    touched.clear();
    urgent_pending.clear();
    current_liaison.clear();
    return err;
  }

  // ---- bulk import: the writer thread ----------------------------------------------
  static constexpr std::string_view import_stopped =
      "; that transaction was rolled back and the import stopped (the transactions committed before it stay)";

  void import_write_loop() {
    auto& s = *imp;
    pthread_setname_np(pthread_self(), "hotline-writer");  // as ps and perf show it
    for (;;) {
      import_tx tx;
      bool skip = false;    // a transaction before it failed: it is not written
      bool hashed = false;  // its blocks' hashes were made by the calling thread
      {
        std::unique_lock<std::mutex> l(s.m);
        timed_wait(l, s.waits.writer_s, [&] { return !s.pending.empty() || s.stop; });
        if (s.pending.empty()) return;
        tx = std::move(s.pending.front());
        s.pending.pop_front();
        skip = s.error != nullptr;
      }
      std::exception_ptr err;
      if (!skip) {
        try {
          try {
            s.checkpointer->before_begin();
            begin_tx();
            // The calling thread's hashes hold if the log ends where it took it to.
            hashed = tx.chain && tx.chain->next_id == next_event_id && tx.chain->hash == last_hash;
            for (handed& h : tx.orders) {
              write_projection(*h.entry, h.file);
              write_block(*h.entry, hashed);
            }
            count_changes.write(db.getHandle());
            maybe_sign();
            db.exec("COMMIT");
            in_tx = false;
          } catch (const SQLite::Exception& e) {
            throw_storage(e, describe(e, "importing work orders").append(import_stopped));
          } catch (const storage_error& e) {
            rethrow_named(e, import_stopped);
          }
        } catch (...) {
          err = std::current_exception();
          rollback_tx();
        }
      }
      {
        std::lock_guard<std::mutex> l(s.m);
        if (err) {
          s.error = err;
          s.failed.store(true, std::memory_order_release);
        } else if (!skip) {
          s.committed += tx.new_orders;
          s.written = tx.no;
          if (tx.chain && !hashed) s.chain_diverged = true;  // another writer appended: hash here from now on
          for (auto& o : tx.urgent) s.announce.push_back(std::move(o));
        }
        s.spent.push_back(std::move(tx));
        --s.in_flight;
      }
      s.cv.notify_all();
    }
  }
};

// ============================================================================
store::store(const std::filesystem::path& file, store_options options) {
  try {
    p_ = std::make_unique<impl>(file, std::move(options));
  } catch (const SQLite::Exception& e) {  // SQLite could not open the file at all
    throw_storage(e, storage_message(file, "opening it", e, 0));
  }
}
store::~store() {
  if (p_ && p_->imp) {
    std::int64_t n = 0;
    import_waits w;
    {
      const auto guard = p_->guard();  // announces what the import committed
      p_->import_close(n, w);
    }
  }
  if (p_) p_->rollback();
}
store::store(store&&) noexcept = default;
store& store::operator=(store&&) noexcept = default;

int store::schema_version() const {
  const auto guard = p_->guard();
  return p_->read("reading the schema version", [&] { return p_->user_version(); });
}
int store::latest_schema_version() noexcept { return static_cast<int>(detail::store_migrations().size()); }
const std::filesystem::path& store::path() const noexcept { return p_->path; }
void store::on_urgent(urgent_callback cb) {
  const auto guard = p_->guard();
  p_->urgent = std::move(cb);
}

// ---- units ---------------------------------------------------------------------

void store::put_unit(const unit& u) {
  const auto guard = p_->guard();
  if (u.code.empty()) throw invalid_argument_error("a unit needs a code");
  check_text("unit code", u.code);
  check_text("unit name", u.name);
  check_text("unit parent", u.parent);
  for (const auto& c : u.covers) {
    check_text("district", c.district);
    check_text("sub_district", c.sub_district);
  }
  for (const auto& t : u.topics) check_text("topic", t);
  if (p_->batch_open) throw invalid_argument_error("put_unit cannot run inside a batch");
  p_->write("storing a unit", [&] {
    if (!u.parent.empty()) {
      SQLite::Statement st(p_->db, "SELECT 1 FROM units WHERE code = ?");
      st.bind(1, u.parent);
      if (!st.executeStep()) throw not_found_error("unknown parent unit '" + u.parent + "'");
    }
    SQLite::Statement up(p_->db,
                         "INSERT INTO units(code, name, kind, parent, active) VALUES(?,?,?,?,?) "
                         "ON CONFLICT(code) DO UPDATE SET name = excluded.name, kind = excluded.kind, "
                         "parent = excluded.parent, active = excluded.active");
    up.bind(1, u.code);
    up.bind(2, u.name);
    up.bind(3, std::string(to_string(u.kind)));
    if (u.parent.empty()) up.bind(4);
    else up.bind(4, u.parent);
    up.bind(5, u.active ? 1 : 0);
    up.exec();
    SQLite::Statement d1(p_->db, "DELETE FROM unit_coverage WHERE unit = ?");
    d1.bind(1, u.code);
    d1.exec();
    SQLite::Statement d2(p_->db, "DELETE FROM unit_topics WHERE unit = ?");
    d2.bind(1, u.code);
    d2.exec();
    SQLite::Statement ic(p_->db, "INSERT OR IGNORE INTO unit_coverage(unit, district, sub_district) VALUES(?,?,?)");
    for (const auto& c : u.covers) {
      ic.bind(1, u.code);
      ic.bind(2, c.district);
      ic.bind(3, c.sub_district);
      ic.exec();
      ic.reset();
    }
    SQLite::Statement it(p_->db, "INSERT OR IGNORE INTO unit_topics(unit, topic) VALUES(?,?)");
    for (const auto& t : u.topics) {
      it.bind(1, u.code);
      it.bind(2, t);
      it.exec();
      it.reset();
    }
    p_->known_units.clear();
    return 0;
  });
}

std::optional<unit> store::find_unit(std::string_view code) const {
  const auto guard = p_->guard();
  const auto dir = p_->read("reading units", [&] { return p_->load_directory(); });
  const auto* u = dir.find(code);
  return u ? std::optional<unit>(*u) : std::nullopt;
}

unit_directory store::directory() const {
  const auto guard = p_->guard();
  return p_->read("reading units", [&] { return p_->load_directory(); });
}

void store::set_liaison(const liaison& l) {
  const auto guard = p_->guard();
  check_text("unit", l.unit);
  check_text("slot", l.slot);
  check_text("liaison name", l.name);
  check_text("title", l.title);
  check_text("department", l.department);
  check_text("office_phone", l.office_phone);
  check_text("mobile", l.mobile);
  check_text("email", l.email);
  check_text("reported_by", l.reported_by);
  if (l.name.empty()) throw invalid_argument_error("a liaison needs a name");
  if (p_->batch_open) throw invalid_argument_error("set_liaison cannot run inside a batch");
  p_->write("recording a liaison", [&] {
    p_->require_unit(l.unit);
    const auto from = static_cast<std::int64_t>(secs(l.valid_from));
    {
      SQLite::Statement st(p_->db, "SELECT valid_from FROM liaisons WHERE unit = ? AND slot = ? AND valid_to IS NULL");
      st.bind(1, l.unit);
      st.bind(2, l.slot);
      while (st.executeStep())
        if (st.getColumn(0).getInt64() >= from)
          throw invalid_argument_error("a liaison change for unit '" + l.unit + "' slot " + l.slot +
                                       " must start after the current liaison's start");
    }
    SQLite::Statement close(p_->db, "UPDATE liaisons SET valid_to = ? WHERE unit = ? AND slot = ? AND valid_to IS NULL");
    close.bind(1, from);
    close.bind(2, l.unit);
    close.bind(3, l.slot);
    close.exec();
    SQLite::Statement ins(p_->db,
                          "INSERT INTO liaisons(unit, slot, name, title, department, office_phone, mobile, email, "
                          "valid_from, valid_to, reported_by) VALUES(?,?,?,?,?,?,?,?,?,NULL,?)");
    ins.bind(1, l.unit);
    ins.bind(2, l.slot);
    ins.bind(3, l.name);
    ins.bind(4, l.title);
    ins.bind(5, l.department);
    ins.bind(6, l.office_phone);
    ins.bind(7, l.mobile);
    ins.bind(8, l.email);
    ins.bind(9, from);
    ins.bind(10, l.reported_by);
    ins.exec();
    return 0;
  });
}

namespace {
std::vector<liaison> read_liaisons(SQLite::Statement& st, bool reveal) {
  std::vector<liaison> out;
  while (st.executeStep()) {
    liaison l;
    l.unit = text_of(st.getColumn(0));
    l.slot = text_of(st.getColumn(1));
    l.name = text_of(st.getColumn(2));
    l.title = text_of(st.getColumn(3));
    l.department = text_of(st.getColumn(4));
    l.office_phone = text_of(st.getColumn(5));
    l.mobile = text_of(st.getColumn(6));
    l.email = text_of(st.getColumn(7));
    l.valid_from = at_secs(st.getColumn(8).getInt64());
    if (!st.getColumn(9).isNull()) l.valid_to = at_secs(st.getColumn(9).getInt64());
    l.reported_by = text_of(st.getColumn(10));
    out.push_back(reveal ? std::move(l) : masked(std::move(l)));
  }
  return out;
}
constexpr const char* liaison_select =
    "SELECT unit, slot, name, title, department, office_phone, mobile, email, valid_from, valid_to, reported_by "
    "FROM liaisons ";
}  // namespace

std::vector<liaison> store::liaisons(std::string_view unit_code, std::optional<instant> as_of, bool reveal) const {
  const auto guard = p_->guard();
  return p_->read("reading liaisons", [&] {
    const std::string u(unit_code);
    if (as_of) {
      SQLite::Statement st(p_->db, std::string(liaison_select) +
                                       "WHERE unit = ? AND valid_from <= ? AND (valid_to IS NULL OR valid_to > ?) "
                                       "ORDER BY slot");
      st.bind(1, u);
      st.bind(2, static_cast<std::int64_t>(secs(*as_of)));
      st.bind(3, static_cast<std::int64_t>(secs(*as_of)));
      return read_liaisons(st, reveal);
    }
    SQLite::Statement st(p_->db, std::string(liaison_select) + "WHERE unit = ? AND valid_to IS NULL ORDER BY slot");
    st.bind(1, u);
    return read_liaisons(st, reveal);
  });
}

std::vector<liaison> store::liaison_history(std::string_view unit_code, bool reveal) const {
  const auto guard = p_->guard();
  return p_->read("reading liaisons", [&] {
    SQLite::Statement st(p_->db, std::string(liaison_select) + "WHERE unit = ? ORDER BY valid_from, slot, id");
    st.bind(1, std::string(unit_code));
    return read_liaisons(st, reveal);
  });
}

// ---- orders --------------------------------------------------------------------

work_order store::create(const work_order& order, const actor& by, bool draft) {
  const auto guard = p_->guard();
  return p_->write("creating a work order", [&] { return p_->do_create(order, by, draft).order; });
}

work_order store::apply(std::string_view number, const command& c) {
  const auto guard = p_->guard();
  return p_->write("applying " + std::string(to_string(c.action)), [&] { return p_->do_apply(number, c).order; });
}

std::vector<work_order> store::split(std::string_view number, const std::vector<work_order>& parts, const actor& by,
                                     instant at) {
  const auto guard = p_->guard();
  if (parts.empty()) throw invalid_argument_error("split needs at least one part");
  return p_->write("splitting a work order", [&] {
    auto& src = p_->must_load(number);
    check_transition(action::split, src.order.state, by.role);
    const std::string source_number = src.order.number;
    std::vector<work_order> out;
    std::vector<std::string> numbers;
    for (auto part : parts) {
      part.split_from = source_number;
      out.push_back(p_->do_create(part, by, false).order);
      numbers.push_back(out.back().number);
    }
    command c;
    c.action = action::split;
    c.by = by;
    c.at = at;
    c.target = comma_join(numbers);
    p_->do_apply(source_number, c);
    return out;
  });
}

std::optional<work_order> store::get(std::string_view number, bool reveal) const {
  const auto guard = p_->guard();
  return p_->read("reading a work order", [&]() -> std::optional<work_order> {
    sqlite3* h = p_->db.getHandle();
    raw_stmt st(h, "SELECT " + order_columns() + " FROM orders WHERE number = ?");
    sqlite3_bind_text(st.st, 1, number.data(), static_cast<int>(number.size()), SQLITE_STATIC);
    if (!st.step(h)) return std::nullopt;
    work_order o;
    read_order_raw(st.st, o);
    if (!reveal) detail::mask_in_place(o);
    return o;
  });
}

namespace {
struct where_clause {
  std::string sql;
  std::vector<std::variant<std::int64_t, std::string>> values;
  void bind(sqlite3_stmt* st) const {
    for (std::size_t i = 0; i < values.size(); ++i) {
      const int k = static_cast<int>(i + 1);
      if (const auto* n = std::get_if<std::int64_t>(&values[i])) sqlite3_bind_int64(st, k, *n);
      else {
        const auto& t = std::get<std::string>(values[i]);
        sqlite3_bind_text(st, k, t.data(), static_cast<int>(t.size()), SQLITE_TRANSIENT);
      }
    }
  }
};
where_clause build_where(const order_query& q) {
  where_clause w;
  std::vector<std::string> terms;
  if (q.open_only || q.overdue_as_of || q.warned_as_of) terms.emplace_back("open = 1");
  if (q.state) {
    terms.emplace_back("state = ?");
    w.values.emplace_back(std::string(to_string(*q.state)));
  }
  if (q.unit) {
    terms.emplace_back("unit = ?");
    w.values.emplace_back(*q.unit);
  }
  if (q.overdue_as_of) {
    terms.emplace_back("next_due < ?");
    w.values.emplace_back(secs(*q.overdue_as_of));
  }
  if (q.warned_as_of) {
    terms.emplace_back("next_warn <= ?");
    w.values.emplace_back(secs(*q.warned_as_of));
  }
  if (q.caller_phone) {
    terms.emplace_back("caller_phone = ?");
    w.values.emplace_back(*q.caller_phone);
  }
  if (q.received_from) {
    terms.emplace_back("received_at >= ?");
    w.values.emplace_back(secs(*q.received_from));
  }
  if (q.received_before) {
    terms.emplace_back("received_at < ?");
    w.values.emplace_back(secs(*q.received_before));
  }
  for (std::size_t i = 0; i < terms.size(); ++i) w.sql.append(i ? " AND " : " WHERE ").append(terms[i]);
  return w;
}
}  // namespace

std::vector<work_order> store::orders(const order_query& q) const {
  const auto guard = p_->guard();
  return p_->read("querying work orders", [&] {
    const auto w = build_where(q);
    // Overdue and warned lists come most urgent first, which is also the order of
    // their partial indexes (ORDER BY id would make SQLite scan the whole table).
    const char* order_by = q.overdue_as_of ? " ORDER BY next_due, id"
                           : q.warned_as_of ? " ORDER BY next_warn, id"
                                            : " ORDER BY id";
    std::string sql = "SELECT " + order_columns() + " FROM orders" + w.sql + order_by;
    if (q.limit) sql.append(" LIMIT ").append(std::to_string(q.limit));
    sqlite3* h = p_->db.getHandle();
    raw_stmt st(h, sql);
    w.bind(st.st);
    std::vector<work_order> out;
    {
      // One allocation for the result (a count over the same index is ~0.1 ms):
      // growing a vector of ~1 KB orders costs more than the rows themselves.
      raw_stmt cnt(h, "SELECT COUNT(*) FROM orders" + w.sql);
      w.bind(cnt.st);
      cnt.step(h);
      auto n = static_cast<std::size_t>(sqlite3_column_int64(cnt.st, 0));
      if (q.limit) n = std::min(n, q.limit);
      out.reserve(n);
    }
    while (st.step(h)) {
      work_order& o = out.emplace_back();
      read_order_raw(st.st, o);
      if (!q.reveal) detail::mask_in_place(o);
    }
    return out;
  });
}

std::size_t store::count(const order_query& q) const {
  const auto guard = p_->guard();
  return p_->read("counting work orders", [&] {
    const auto w = build_where(q);
    sqlite3* h = p_->db.getHandle();
    raw_stmt st(h, "SELECT COUNT(*) FROM orders" + w.sql);
    w.bind(st.st);
    st.step(h);
    return static_cast<std::size_t>(sqlite3_column_int64(st.st, 0));
  });
}

std::vector<event> store::events(std::string_view number, bool reveal) const {
  const auto guard = p_->guard();
  return p_->read("reading events", [&] {
    std::vector<event> out;
    const std::string num(number);
    {  // written before schema 4
      SQLite::Statement st(p_->db, std::string("SELECT ") + legacy_event_columns +
                                       " FROM events e JOIN orders o ON o.id = e.order_id WHERE o.number = ? ORDER BY e.seq");
      st.bind(1, num);
      read_legacy_events(st, reveal, out);
    }
    sqlite3* h = p_->db.getHandle();
    raw_stmt st(h,
                "SELECT b.first_id, b.order_id, b.first_seq, b.body, b.hashes FROM event_blocks b "
                "WHERE b.order_id = (SELECT id FROM orders WHERE number = ?) ORDER BY b.first_seq");
    sqlite3_bind_text(st.st, 1, num.data(), static_cast<int>(num.size()), SQLITE_STATIC);
    while (st.step(h)) {
      std::string prev;  // an order's blocks are not next to each other in the log
      read_block_events(h,
                        {sqlite3_column_int64(st.st, 0), sqlite3_column_int64(st.st, 1), sqlite3_column_int64(st.st, 2),
                         num, raw_blob(st.st, 3), raw_blob(st.st, 4)},
                        reveal, out, prev);
    }
    return out;
  });
}

std::vector<event> store::log(std::int64_t from_id, std::size_t limit, bool reveal) const {
  const auto guard = p_->guard();
  return p_->read("reading events", [&] {
    std::vector<event> out;
    if (limit == 0) return out;
    {  // written before schema 4: their ids come before every block's
      SQLite::Statement st(p_->db, std::string("SELECT ") + legacy_event_columns +
                                       " FROM events e JOIN orders o ON o.id = e.order_id WHERE e.id >= ? ORDER BY e.id LIMIT ?");
      st.bind(1, static_cast<std::int64_t>(from_id));
      st.bind(2, static_cast<std::int64_t>(limit));
      read_legacy_events(st, reveal, out);
    }
    if (out.size() >= limit) return out;
    sqlite3* h = p_->db.getHandle();
    // From the block holding from_id (the last one starting at or before it) on.
    raw_stmt st(h,
                "SELECT b.first_id, b.order_id, b.first_seq, o.number, b.body, b.hashes FROM event_blocks b "
                "JOIN orders o ON o.id = b.order_id WHERE b.first_id >= "
                "(SELECT COALESCE(MAX(first_id), 0) FROM event_blocks WHERE first_id <= ?1) ORDER BY b.first_id");
    sqlite3_bind_int64(st.st, 1, from_id);
    std::string prev;  // the blocks come in log order: each chains on the one before
    while (out.size() < limit && st.step(h))
      read_block_events(h,
                        {sqlite3_column_int64(st.st, 0), sqlite3_column_int64(st.st, 1), sqlite3_column_int64(st.st, 2),
                         raw_text(st.st, 3), raw_blob(st.st, 4), raw_blob(st.st, 5)},
                        reveal, out, prev, from_id, limit);
    return out;
  });
}

// ---- integrity ------------------------------------------------------------------

namespace {

/// The chain of the whole log; with `key`, every signed head; with `receipt`, its head.
chain_report verify_log(SQLite::Database& db, const ed25519_public_key* key, const head_receipt* receipt) {
  chain_report r;
  std::string prev(32, '\0'), buf;
  auto broken = [&](std::int64_t id, std::string why) {
    r.ok = false;
    r.first_broken = id;
    r.reason = "event " + std::to_string(id) + ": " + why;
    return r;
  };
  constexpr const char* mismatch =
      "its hash does not match its content and the previous event's hash (changed, inserted or deleted before it)";
  sqlite3* h = db.getHandle();
  detail::head_walk walk(work_order_head_domain, {"event", "events"}, key,
                         key ? detail::read_signed_heads(h) : std::vector<head_receipt>{}, receipt);
  if (!walk.receipt_signature_holds()) {
    r.ok = false;
    r.reason = walk.failure;
    return r;
  }
  // Checks what is due once event `id` (0: before the first) hashes to `hash`.
  auto at_event = [&](std::int64_t id, std::string_view hash) -> bool {
    const bool held = walk.at(id, hash);
    r.heads_checked = walk.heads_checked;
    r.signed_through = walk.signed_through;
    return held;
  };
  // A head or the receipt that does not hold: the events after the last good signature are unproven.
  auto fail_signed = [&] {
    r.ok = false;
    r.first_broken = r.signed_through + 1;
    r.reason = walk.failure;
    return r;
  };
  if (!at_event(0, prev)) return fail_signed();
  {  // the rows of `events` (schemas 1-3)
    SQLite::Statement st(db,
                         "SELECT id, order_id, seq, action, at, recorded_at, actor, role, unit, state_before, "
                         "state_after, changes, comment, hash FROM events ORDER BY id");
    while (st.executeStep()) {
      const std::string action_s = text_of(st.getColumn(3)), actor_s = text_of(st.getColumn(6)),
                        role_s = text_of(st.getColumn(7)), unit_s = text_of(st.getColumn(8)),
                        before_s = text_of(st.getColumn(9)), after_s = text_of(st.getColumn(10)),
                        changes_s = text_of(st.getColumn(11)), comment_s = text_of(st.getColumn(12)),
                        stored = text_of(st.getColumn(13));
      detail::event_row row{st.getColumn(0).getInt64(), st.getColumn(1).getInt64(), st.getColumn(2).getInt64(),
                            action_s, st.getColumn(4).getInt64(), st.getColumn(5).getInt64(), actor_s, role_s, unit_s,
                            st.getColumn(9).isNull() ? std::nullopt : std::optional<std::string_view>(before_s),
                            after_s,
                            st.getColumn(11).isNull() ? std::nullopt : std::optional<std::string_view>(changes_s),
                            comment_s};
      detail::row_canonical(row, buf);
      const auto d = detail::sha256(prev, buf);
      ++r.events_checked;
      if (std::string_view(reinterpret_cast<const char*>(d.data()), d.size()) != stored) return broken(row.id, mismatch);
      prev = stored;
      if (!at_event(row.id, prev)) return fail_signed();
    }
  }
  // The blocks (schema 4): each event hashed on its own, in id order.
  raw_stmt st(h, "SELECT first_id, order_id, first_seq, n, body, hashes FROM event_blocks ORDER BY first_id");
  std::vector<detail::block_event> evs;
  std::vector<std::string_view> slices;
  while (st.step(h)) {
    const std::int64_t first = sqlite3_column_int64(st.st, 0), order_id = sqlite3_column_int64(st.st, 1),
                       seq = sqlite3_column_int64(st.st, 2), n = sqlite3_column_int64(st.st, 3);
    const auto hashes = raw_blob(st.st, 5);
    try {
      detail::parse_block(raw_blob(st.st, 4), evs, slices);
    } catch (const storage_error&) {
      ++r.events_checked;
      return broken(first, "its block of events is malformed");
    }
    const auto layout = detail::hash_layout_of(hashes.size(), slices.size());
    if (static_cast<std::int64_t>(slices.size()) != n || layout == detail::hash_layout::invalid) {
      ++r.events_checked;
      return broken(first, "its block's event count or hashes do not match its events");
    }
    for (std::size_t k = 0; k < slices.size(); ++k) {
      const std::int64_t id = first + static_cast<std::int64_t>(k);
      const auto d = detail::block_event_hash(prev, id, order_id, seq + static_cast<std::int64_t>(k), slices[k]);
      const std::string_view computed(reinterpret_cast<const char*>(d.data()), d.size());
      ++r.events_checked;
      // A kept prefix is compared as far as it goes; the next event chains on the full
      // hash either way, so the block's last (full) hash covers every event before it.
      if (!detail::hash_agrees(computed, detail::stored_hash(hashes, layout, k, slices.size())))
        return broken(id, mismatch);
      prev.assign(computed);
      if (!at_event(id, prev)) return fail_signed();
    }
  }
  // Heads or a receipt beyond the end: events were deleted at the end of the log.
  if (!walk.end(r.events_checked)) {
    r.ok = false;
    r.first_broken = r.events_checked + 1;
    r.reason = walk.failure;
  }
  return r;
}

}  // namespace

chain_report store::verify() const {
  const auto guard = p_->guard();
  return p_->read("verifying the event chain", [&] { return verify_log(p_->db, nullptr, nullptr); });
}

chain_report store::verify(const ed25519_public_key& key) const {
  const auto guard = p_->guard();
  return p_->read("verifying the event chain and its signed heads", [&] { return verify_log(p_->db, &key, nullptr); });
}

chain_report store::verify(const head_receipt& receipt) const {
  const auto guard = p_->guard();
  return p_->read("verifying the event chain against a receipt", [&] { return verify_log(p_->db, nullptr, &receipt); });
}

chain_report store::verify(const head_receipt& receipt, const ed25519_public_key& key) const {
  const auto guard = p_->guard();
  return p_->read("verifying the event chain against a receipt",
                  [&] { return verify_log(p_->db, &key, &receipt); });
}

head_receipt store::head() const {
  const auto guard = p_->guard();
  return p_->read("reading the chain head", [&] {
    sqlite3* h = p_->db.getHandle();
    const auto end = chain_end_before(h, std::numeric_limits<std::int64_t>::max());
    head_receipt r;
    r.event_count = end.next_id - 1;
    std::copy(end.hash.begin(), end.hash.end(), reinterpret_cast<char*>(r.head_hash.data()));
    std::optional<head_receipt> signed_head;
    if (r.event_count > 0) signed_head = detail::signed_head_at(h, r.event_count);
    if (signed_head && signed_head->head_hash == r.head_hash) return *signed_head;
    r.signed_at = std::chrono::floor<seconds>(std::chrono::system_clock::now());
    return r;
  });
}

std::optional<head_receipt> store::last_signed_head() const {
  const auto guard = p_->guard();
  return p_->read("reading the signed heads", [&]() -> std::optional<head_receipt> {
    return detail::signed_head_at(p_->db.getHandle(), -1);
  });
}

head_receipt store::sign_head() {
  const auto guard = p_->guard();
  if (!p_->opt.signer) throw invalid_argument_error("this store has no head signer (store_options::signer)");
  if (p_->batch_open) throw invalid_argument_error("sign_head cannot run inside a batch: commit it first");
  p_->write("signing the chain head", [&] {
    const std::int64_t count = p_->next_event_id - 1;
    if (count > 0 && count > p_->signed_count) p_->sign_head_now(count);
    return 0;
  });
  return head();
}

bool store::signs_heads() const noexcept { return static_cast<bool>(p_->opt.signer); }

std::size_t store::rebuild_projection() {
  const auto guard = p_->guard();
  if (p_->batch_open) throw invalid_argument_error("rebuild_projection cannot run inside a batch");
  return p_->write("rebuilding the projection", [&] {
    const auto n = p_->replay_projection();
    detail::rebuild_counts(p_->db.getHandle());
    return n;
  });
}

// ---- batches --------------------------------------------------------------------

store::batch store::begin_batch() {
  const auto guard = p_->guard();
  p_->no_import_open();
  if (p_->batch_open) throw invalid_argument_error("a batch is already open on this store");
  p_->writable("beginning a batch");
  try {
    p_->begin();
  } catch (const SQLite::Exception& e) {
    const auto msg = p_->describe(e, "beginning a batch");
    p_->rollback();
    throw_storage(e, msg);
  }
  p_->batch_open = true;
  p_->batch_thread = std::this_thread::get_id();
  return batch(*this);
}

store::batch::batch(batch&& o) noexcept : s_(o.s_) { o.s_ = nullptr; }

void store::batch::commit() {
  if (!s_) throw invalid_argument_error("the batch is already committed");
  auto* p = s_->p_.get();
  const auto guard = p->guard();
  try {
    p->batch_open = false;
    p->no_lost_batch();
    p->commit();
  } catch (const SQLite::Exception& e) {
    const auto msg = p->describe(e, "committing a batch");
    p->rollback();
    s_ = nullptr;
    throw_storage(e, msg + "; the batch was rolled back: nothing of it was written");
  } catch (const storage_error& e) {
    p->rollback();
    s_ = nullptr;
    p->rethrow_named(e);
  } catch (...) {
    p->rollback();
    s_ = nullptr;
    throw;
  }
  s_ = nullptr;
}

store::batch::~batch() {
  if (s_ && s_->p_) {
    const auto guard = s_->p_->guard();
    s_->p_->batch_open = false;
    s_->p_->rollback();
  }
}

// ---- bulk import ------------------------------------------------------------------

store::importer store::begin_import(std::size_t orders_per_transaction) {
  const auto guard = p_->guard();
  auto& p = *p_;
  p.no_import_open();
  if (p.batch_open) throw invalid_argument_error("a batch is open on this store: commit it before an import");
  if (orders_per_transaction == 0) throw invalid_argument_error("orders_per_transaction must be at least 1");
  p.writable("beginning an import");
  // Set up aside: a step that fails leaves the store without an import.
  std::unique_ptr<impl::import_state> imp;
  try {
    SQLite::Statement st(p.db, "SELECT COALESCE(MAX(id), 0) FROM orders");
    st.executeStep();
    p.next_order_id = st.getColumn(0).getInt64() + 1;
    imp = std::make_unique<impl::import_state>(p.path, orders_per_transaction, p.opt.busy_timeout_ms);
    imp->checkpointer.emplace(p.path, p.db.getHandle(), p.opt.busy_timeout_ms);
    imp->predicted = chain_end_before(p.db.getHandle(), std::numeric_limits<std::int64_t>::max());
  } catch (const SQLite::Exception& e) {
    throw_storage(e, p.describe(e, "beginning an import"));
  } catch (const storage_error& e) {
    p.rethrow_named(e);
  }
  p.imp = std::move(imp);
  p.cache.clear();
  p.touched.clear();
  p.urgent_pending.clear();
  p.current_liaison.clear();
  p.imp->writer = std::thread([&p] { p.import_write_loop(); });
  return importer(*this);
}

store::importer::importer(importer&& o) noexcept : s_(o.s_), done_(o.done_), waits_done_(o.waits_done_) {
  o.s_ = nullptr;
}

store::importer::~importer() {
  if (!s_ || !s_->p_ || !s_->p_->imp) return;
  // Unfinished: the commands not yet handed over are dropped, the one in flight ends.
  auto& p = *s_->p_;
  const auto guard = p.guard();
  p.touched.clear();
  p.urgent_pending.clear();
  p.import_close(done_, waits_done_);
}

std::string store::importer::create(const work_order& order, const actor& by, bool draft) {
  if (!s_) throw invalid_argument_error("the import is finished");
  auto& p = *s_->p_;
  const auto guard = p.guard();
  p.import_rethrow();
  try {
    std::string number = p.do_create(order, by, draft).order.number;
    if (p.touched.size() >= p.imp->per_tx) p.import_handoff();
    return number;
  } catch (const SQLite::Exception& e) {
    throw_storage(e, p.describe_reader(e, "creating a work order"));
  } catch (const storage_error& e) {
    p.rethrow_named(e);
  }
}

std::int64_t store::importer::apply(std::string_view number, const command& c) {
  if (!s_) throw invalid_argument_error("the import is finished");
  auto& p = *s_->p_;
  const auto guard = p.guard();
  p.import_rethrow();
  try {
    const std::int64_t version = p.do_apply(number, c).order.version;
    if (p.touched.size() >= p.imp->per_tx) p.import_handoff();
    return version;
  } catch (const SQLite::Exception& e) {
    throw_storage(e, p.describe_reader(e, "applying " + std::string(to_string(c.action))));
  } catch (const storage_error& e) {
    p.rethrow_named(e);
  }
}

void store::importer::finish() {
  if (!s_) throw invalid_argument_error("the import is already finished");
  auto& p = *s_->p_;
  const auto guard = p.guard();
  std::exception_ptr err;
  try {
    if (!p.touched.empty()) p.import_handoff();
  } catch (...) {
    err = std::current_exception();
  }
  const auto writer_err = p.import_close(done_, waits_done_);
  s_ = nullptr;
  if (writer_err) std::rethrow_exception(writer_err);
  if (err) std::rethrow_exception(err);
}

std::int64_t store::importer::committed_orders() const {
  if (!s_) return done_;
  const auto guard = s_->p_->guard();
  std::lock_guard<std::mutex> l(s_->p_->imp->m);
  return s_->p_->imp->committed;
}

import_waits store::importer::waits() const {
  if (!s_) return waits_done_;
  const auto guard = s_->p_->guard();
  std::lock_guard<std::mutex> l(s_->p_->imp->m);
  return s_->p_->imp->waits;
}

}  // namespace hotline

// ---- access for the store's other translation units (store_access.hpp) ----------

namespace hotline::detail {

void store_access::write(store& s, std::string_view what, const std::function<void(SQLite::Database&)>& f) {
  const auto guard = s.p_->guard();
  s.p_->write(what, [&] {
    f(s.p_->db);
    return 0;
  });
}

void store_access::read(const store& s, std::string_view what, const std::function<void(SQLite::Database&)>& f) {
  const auto guard = s.p_->guard();
  s.p_->read(what, [&] {
    f(s.p_->db);
    return 0;
  });
}

}  // namespace hotline::detail
