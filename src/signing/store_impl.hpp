// The signing store's private state (signing_store::impl), shared by store.cpp (opening
// and the calls) and store_journal.cpp (reading, verifying and signing the journal).
// Private to src/signing: nothing outside includes it.
#pragma once

#include "hotline/signing/store.hpp"

#include "../signed_head_log.hpp"
#include "../store_connection.hpp"
#include "../store_errors.hpp"
#include "../store_sqlite.hpp"
#include "hotline/detail/utf8.hpp"
#include "registry_impl.hpp"
#include "store_codec.hpp"

#include <chrono>
#include <type_traits>
#include <utility>

namespace hotline::signing {

namespace {

using hotline::detail::raw_blob;
using hotline::detail::raw_stmt;
using hotline::detail::raw_text;
using hotline::detail::reset_on_exit;
using signing::detail::json_out;

/// PRAGMA application_id of a signing store: "HLSG".
constexpr int store_application_id = 0x484C5347;

constexpr const char* schema_sql = R"sql(
CREATE TABLE journal(
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  "by" TEXT NOT NULL,
  op TEXT NOT NULL,
  payload TEXT NOT NULL,
  hash BLOB NOT NULL
);
CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
  BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;
CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
  BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;
)sql";
// Schema 2 adds hotline::detail::signed_heads_schema_sql (signed_head_log.hpp).

inline std::string in_quotes(std::string_view s) { return "'" + std::string(s) + "'"; }

inline std::string sqlite_note(const SQLite::Exception& e) {
  std::string m = e.what();
  if (e.getErrorCode() == SQLITE_BUSY || e.getErrorCode() == SQLITE_LOCKED)
    m += " (another connection held the file past the busy timeout)";
  return m;
}

inline SQLite::Database open_db(const std::filesystem::path& file, const signing_store_options& o) {
  try {
    return SQLite::Database(file.string(),
                            hotline::detail::store_connection_flags(
                                o.read_only ? SQLite::OPEN_READONLY : (SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE)),
                            o.busy_timeout_ms);
  } catch (const SQLite::Exception& e) {
    throw storage_error("signing store " + file.string() + ": cannot open it: " + e.what());
  }
}

}  // namespace

struct signing_store::impl {
  std::filesystem::path path;
  signing_store_options opt;
  SQLite::Database db;
  registry reg;
  std::uint64_t applied = 0;  ///< the last row replayed into or written through `reg`
  std::string broken;         ///< why the view no longer matches the file (a failed rebuild)
  std::optional<raw_stmt> st_insert, st_head, st_rows;
  std::string buf;  ///< the payload being written
  // Signed heads (store.hpp "Signed heads").
  bool heads_table = true;      ///< false: a version-1 file opened read-only
  bool signer_checked = false;  ///< the signer's first signature was checked against its key
  std::int64_t signed_count = 0;  ///< rows covered by the file's last signed head (read at each write)
  std::optional<raw_stmt> st_signed_count, st_insert_head;

  impl(const std::filesystem::path& p, signing_store_options o) : path(p), opt(std::move(o)), db(open_db(p, opt)) {}

  [[noreturn]] void fail(const std::string& what) const {
    throw storage_error("signing store " + path.string() + ": " + what);
  }
  [[noreturn]] void fail_sqlite(std::string_view doing, const SQLite::Exception& e) const {
    fail(std::string(doing) + ": " + sqlite_note(e) + os_note(e));
  }
  /// What the operating system says where SQLite met the file (a read-only file system, an
  /// immutable file: src/store_errors.hpp); read before anything else runs on the connection.
  std::string os_note(const SQLite::Exception& e) const {
    return hotline::detail::file_system_note(path, e.getErrorCode(), sqlite3_system_errno(db.getHandle()));
  }

  // ---- opening ---------------------------------------------------------------------
  /// Ends a failed transaction (SQLite may have rolled it back already: a full disk)
  /// without throwing over the error that got here.
  void roll_back_quietly() noexcept {
    try {
      if (sqlite3_get_autocommit(db.getHandle()) == 0) db.exec("ROLLBACK");
    } catch (...) {
    }
  }

  int pragma(const char* name) { return db.execAndGet(std::string("PRAGMA ") + name).getInt(); }

  /// Checks that the file is a signing store (or empty), creating the schema in an empty
  /// one.  Returns true when it created it.
  bool identify_or_create(const policy& p) {
    int app = 0, version = 0, objects = 0;
    try {
      objects = db.execAndGet("SELECT count(*) FROM sqlite_master").getInt();  // a text file fails here
      app = pragma("application_id");
      version = pragma("user_version");
    } catch (const SQLite::Exception& e) {
      // Only SQLITE_NOTADB says what the file is; a file SQLite cannot open or read (a
      // read-only file system, a damaged page) is that failure, not "another file".
      if (e.getErrorCode() == SQLITE_NOTADB) fail("is not a signing store: " + std::string(e.what()));
      fail_sqlite("reading its header", e);
    }
    if (app == 0 && version == 0 && objects == 0) {
      if (opt.read_only) fail("is empty, not a signing store (opened read-only, so it was not created)");
      if (create(p)) return true;
      return identify_or_create(p);  // another process created it first: check it as any file
    }
    if (app != store_application_id)
      fail("is not a signing store (an SQLite database of another application: application_id " + std::to_string(app) +
           ", " + std::to_string(objects) + " schema objects)");
    if (version > schema_version)
      fail("has schema version " + std::to_string(version) + ", newer than this library's " +
           std::to_string(schema_version));
    if (version < 1) fail("is a damaged signing store: schema version " + std::to_string(version));
    if (db.execAndGet("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'journal'").getInt() != 1)
      fail("is a damaged signing store: it has no journal table");
    if (version < 2) migrate_to_2();
    return false;
  }

  /// Version 1 -> 2: the signed_heads table (empty: the rows wait for the next signed
  /// head).  Read-only, the file stays as it is and has no heads.
  void migrate_to_2() {
    if (opt.read_only) {
      heads_table = false;
      return;
    }
    try {
      db.exec("BEGIN IMMEDIATE");
      try {
        if (pragma("user_version") < 2) {  // another process may have migrated it meanwhile
          db.exec(hotline::detail::signed_heads_schema_sql);
          db.exec("PRAGMA user_version=2");
        }
        db.exec("COMMIT");
      } catch (...) {
        roll_back_quietly();
        throw;
      }
    } catch (const SQLite::Exception& e) {
      fail_sqlite("migrating it from schema version 1 to 2 (nothing was changed)", e);
    }
  }

  /// Creates the schema and row 1 in an empty file; false when another process did first.
  bool create(const policy& p) {
    p.check();
    const std::string payload = signing::detail::encode_policy(p);
    if (opt.created_by.empty()) throw invalid_argument_error("signing_store: options.created_by is empty");
    try {
      db.exec("PRAGMA journal_mode=WAL");
      db.exec("BEGIN IMMEDIATE");
      try {
        // Another process may have created it meanwhile.
        const bool empty = db.execAndGet("SELECT count(*) FROM sqlite_master").getInt() == 0;
        if (empty) {
          db.exec(schema_sql);
          db.exec(hotline::detail::signed_heads_schema_sql);
          db.exec("PRAGMA application_id=" + std::to_string(store_application_id));
          db.exec("PRAGMA user_version=" + std::to_string(schema_version));
          const std::string at = format_instant(now());
          const std::array<std::uint8_t, 32> zero{};
          const auto h = signing::detail::row_hash(as_view(zero), 1, at, opt.created_by, "policy", payload);
          SQLite::Statement ins(db,
                                R"(INSERT INTO journal(seq, at, "by", op, payload, hash) VALUES(1, ?, ?, ?, ?, ?))");
          ins.bind(1, at);
          ins.bind(2, opt.created_by);
          ins.bind(3, "policy");
          ins.bind(4, payload);
          ins.bind(5, h.data(), static_cast<int>(h.size()));
          ins.exec();
        }
        db.exec("COMMIT");
        return empty;
      } catch (...) {
        roll_back_quietly();
        throw;
      }
    } catch (const SQLite::Exception& e) {
      fail_sqlite("creating it", e);
    }
  }

  void configure() {
    try {
      if (!opt.read_only) db.exec("PRAGMA journal_mode=WAL");
      db.exec("PRAGMA synchronous=NORMAL");
      db.exec("PRAGMA cache_size=-" + std::to_string(opt.cache_kib));
      db.exec("PRAGMA temp_store=MEMORY");
      st_head.emplace(db.getHandle(), "SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1");
      st_rows.emplace(db.getHandle(), "SELECT seq, op, payload FROM journal WHERE seq > ? ORDER BY seq");
      if (!opt.read_only)
        st_insert.emplace(db.getHandle(),
                          R"(INSERT INTO journal(seq, at, "by", op, payload, hash) VALUES(?, ?, ?, ?, ?, ?))");
    } catch (const SQLite::Exception& e) {
      fail_sqlite("preparing it", e);
    }
  }

  /// The stored policy (row 1).
  policy stored_policy() {
    try {
      SQLite::Statement st(db, "SELECT op, payload FROM journal WHERE seq = 1");
      if (!st.executeStep()) fail("is a damaged signing store: row 1 (the policy) is missing");
      if (st.getColumn(0).getString() != "policy") fail("is a damaged signing store: row 1 is not the policy");
      try {
        return signing::detail::decode_policy(st.getColumn(1).getString());
      } catch (const storage_error& e) {
        fail(e.what());
      }
    } catch (const SQLite::Exception& e) {
      fail_sqlite("reading the policy", e);
    }
  }

  /// Replays rows after `from` into `r`; returns the last seq replayed (or `from`).
  std::uint64_t replay(registry& r, std::uint64_t from) {
    auto& st = *st_rows;
    reset_on_exit reset(st);
    sqlite3_bind_int64(st.st, 1, static_cast<sqlite3_int64>(from));
    std::uint64_t last = from;
    signing::detail::journal_replay rows(r);
    try {
      while (st.step(db.getHandle())) {
        const auto seq = static_cast<std::uint64_t>(sqlite3_column_int64(st.st, 0));
        rows.row(seq, raw_text(st.st, 1), raw_text(st.st, 2));
        last = seq;
      }
      rows.end();
    } catch (const storage_error& e) {
      fail(e.what());
    } catch (const SQLite::Exception& e) {
      fail_sqlite("reading the journal", e);
    }
    return last;
  }

  /// Replays the rows other processes appended into the view.  A row that does not
  /// replay leaves the view part-way: later writes are refused until the store is reopened.
  void catch_up() {
    try {
      applied = replay(reg, applied);
    } catch (const std::exception& e) {
      broken = std::string("the view stopped at a row it could not replay (") + e.what() + "): reopen the store";
      throw;
    }
  }

  /// A registry replayed from the whole file.
  std::pair<registry, std::uint64_t> replay_all() {
    registry r(stored_policy());
    const auto last = replay(r, 1);
    return {std::move(r), last};
  }

  // ---- writing ---------------------------------------------------------------------
  static instant now() { return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()); }
  static std::string_view as_view(const std::array<std::uint8_t, 32>& h) {
    return {reinterpret_cast<const char*>(h.data()), h.size()};
  }

  void writable(std::string_view call) const {
    if (opt.read_only) throw invalid_argument_error(std::string(call) + ": the signing store is open read-only");
    if (!broken.empty()) fail(broken);
  }

  static void check_stamp(std::string_view call, const stamp& who) {
    if (who.by.empty())
      throw invalid_argument_error(std::string(call) + ": 'by' is empty: every journal row names who made it");
    if (const auto bad = hotline::detail::invalid_utf8_offset(who.by); bad != std::string_view::npos)
      throw invalid_argument_error(std::string(call) + ": 'by' is not valid UTF-8 (byte " + std::to_string(bad + 1) +
                                   ")");
  }

  /// One write transaction: BEGIN IMMEDIATE, then the rows other processes appended
  /// replayed into the view, so that the view and the chain go on from the file's end.
  class tx {
   public:
    tx(impl& p, std::string_view call) : p_(p) {
      try {
        p_.db.exec("BEGIN IMMEDIATE");
      } catch (const SQLite::Exception& e) {
        p_.fail_sqlite(std::string(call) + ": beginning the transaction", e);
      }
      open_ = true;
      try {
        auto& st = *p_.st_head;
        reset_on_exit reset(st);
        std::uint64_t last = 0;
        if (st.step(p_.db.getHandle())) {
          last = static_cast<std::uint64_t>(sqlite3_column_int64(st.st, 0));
          prev_.assign(raw_blob(st.st, 1));
        }
        if (last < p_.applied)
          p_.fail("the journal ends at row " + std::to_string(last) + " but this store has read up to row " +
                  std::to_string(p_.applied) + ": rows were removed from the file");
        if (last > p_.applied) p_.catch_up();  // another process's rows
        next_ = last + 1;
        if (p_.opt.signer) p_.signed_count = p_.last_signed_count();
      } catch (const SQLite::Exception& e) {
        rollback();
        p_.fail_sqlite(std::string(call) + ": reading the journal's end", e);
      } catch (...) {
        rollback();
        throw;
      }
    }
    tx(const tx&) = delete;
    tx& operator=(const tx&) = delete;
    ~tx() { rollback(); }

    void append(std::string_view at, std::string_view by, std::string_view op, std::string_view payload) {
      const auto h = signing::detail::row_hash(prev_, next_, at, by, op, payload);
      sqlite3_stmt* st = p_.st_insert->st;
      sqlite3_bind_int64(st, 1, static_cast<sqlite3_int64>(next_));
      sqlite3_bind_text(st, 2, at.data(), static_cast<int>(at.size()), SQLITE_STATIC);
      sqlite3_bind_text(st, 3, by.data(), static_cast<int>(by.size()), SQLITE_STATIC);
      sqlite3_bind_text(st, 4, op.data(), static_cast<int>(op.size()), SQLITE_STATIC);
      sqlite3_bind_text(st, 5, payload.data(), static_cast<int>(payload.size()), SQLITE_STATIC);
      sqlite3_bind_blob(st, 6, h.data(), static_cast<int>(h.size()), SQLITE_TRANSIENT);
      p_.st_insert->exec(p_.db.getHandle());
      prev_.assign(as_view(h));
      ++next_;
    }
    /// Signs the head first when it is due (or `sign_now` and not yet signed), so that the
    /// rows and their signed head commit together.
    void commit(bool sign_now = false) {
      p_.maybe_sign(next_ - 1, prev_, sign_now);
      p_.db.exec("COMMIT");
      open_ = false;
      p_.applied = next_ - 1;
    }
    void rollback() noexcept {
      if (!open_) return;
      open_ = false;
      try {
        p_.db.exec("ROLLBACK");
      } catch (...) {  // the transaction ends with the connection anyway
      }
    }

   private:
    impl& p_;
    std::string prev_ = std::string(32, '\0');
    std::uint64_t next_ = 1;
    bool open_ = false;
  };

  // ---- signed heads ----------------------------------------------------------------
  std::int64_t last_signed_count() { return hotline::detail::last_signed_count(db.getHandle(), st_signed_count); }

  /// Inside a write, before COMMIT: signs the head of `count` rows (last hash `hash`)
  /// when sign_every_rows says it is due, or when `now` and it is not signed yet.
  void maybe_sign(std::uint64_t rows, std::string_view hash, bool now) {
    if (!opt.signer) return;
    const auto count = static_cast<std::int64_t>(rows);
    if (count <= signed_count) return;
    if (!now && count - signed_count < std::max<std::int64_t>(1, opt.sign_every_rows)) return;
    const auto r = hotline::detail::sign_head_of(signing_journal_head_domain, opt.signer, count, hash, signer_checked);
    sqlite3* h = db.getHandle();
    if (!st_insert_head) st_insert_head.emplace(h, hotline::detail::insert_head_sql);
    hotline::detail::insert_head(h, *st_insert_head, r);
    signed_count = count;
  }

  // ---- failed writes ---------------------------------------------------------------
  /// The view rebuilt from the file after a write the file did not take; `why` is
  /// kept as the reason later writes are refused should the rebuild fail too.
  void restore_view(const std::string& why) {
    try {
      auto [r, last] = replay_all();
      reg = std::move(r);
      applied = last;
    } catch (const std::exception& again) {
      broken = why + "; the view could not be rebuilt (" + again.what() + "): reopen the store";
    }
  }

  /// After the registry took a call that the file did not: the view is rebuilt from the
  /// file, and the SQLite error reported.
  [[noreturn]] void write_failed(std::string_view call, const SQLite::Exception& e) {
    const std::string msg =
        std::string(call) + ": writing the journal failed, nothing was stored: " + sqlite_note(e) + os_note(e);
    restore_view(msg);
    fail(msg);
  }

  /// Writes the call's rows (`rows` appends them to `t`) and commits.  Whatever fails
  /// after the registry took the call (SQLite, the head signer) rolls the file back and
  /// rebuilds the view from it; a signer's own exception then propagates unchanged.
  template <class Rows>
  void commit_rows(tx& t, std::string_view call, Rows&& rows, bool sign_now = false) {
    try {
      rows();
      t.commit(sign_now);
    } catch (const SQLite::Exception& e) {
      t.rollback();
      write_failed(call, e);
    } catch (...) {
      t.rollback();
      restore_view(std::string(call) + ": the head signer failed, nothing was stored");
      throw;
    }
  }

  /// The write path of every call but sign_all: the payload written so far in `buf`
  /// (the call's arguments, an open object), `apply` makes the call on the registry and
  /// finishes the payload with the call's results.  A registry error passes unchanged.
  template <class Apply>
  auto write(std::string_view op, const stamp& who, Apply&& apply) -> decltype(apply()) {
    const std::string at = format_instant(who.at ? *who.at : now());
    tx t(*this, op);
    if constexpr (std::is_void_v<decltype(apply())>) {
      apply();
      finish(t, op, at, who.by);
    } else {
      decltype(auto) result = apply();
      finish(t, op, at, who.by);
      return result;
    }
  }
  void finish(tx& t, std::string_view op, std::string_view at, std::string_view by) {
    commit_rows(t, op, [&] { t.append(at, by, op, buf); });
  }

  journal_report verify(const ed25519_public_key* key, const head_receipt* receipt);

  /// Starts a payload: checks the call may write and who made it.
  json_out begin(std::string_view call, const stamp& who) {
    writable(call);
    check_stamp(call, who);
    buf.clear();
    return json_out(buf, call);
  }
};

}  // namespace hotline::signing
