// The signing store (store.hpp): the registry's calls in an append-only SQLite journal,
// replayed into the registry on open.  The rows' JSON and replay are in store_codec.cpp.
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

std::string in_quotes(std::string_view s) { return "'" + std::string(s) + "'"; }

std::string sqlite_note(const SQLite::Exception& e) {
  std::string m = e.what();
  if (e.getErrorCode() == SQLITE_BUSY || e.getErrorCode() == SQLITE_LOCKED)
    m += " (another connection held the file past the busy timeout)";
  return m;
}

SQLite::Database open_db(const std::filesystem::path& file, const signing_store_options& o) {
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

// ---- construction ------------------------------------------------------------------

signing_store::signing_store(const std::filesystem::path& file, policy p, signing_store_options options)
    : p_(std::make_unique<impl>(file, std::move(options))) {
  auto& s = *p_;
  try {
    const bool created = s.identify_or_create(p);
    s.configure();
    policy stored = s.stored_policy();
    if (!created && !s.opt.policy_from_file) {
      if (const auto field = signing::detail::policy_difference(stored, p); !field.empty())
        throw conflict_error("signing store " + file.string() + ": the file's policy is " + in_quotes(stored.name) +
                             " and the one given is " + in_quotes(p.name) + " (field '" + field +
                             "' differs); open it with the stored policy, or with options.policy_from_file");
    }
    s.reg = registry(std::move(stored));
    s.applied = s.replay(s.reg, 1);
    if (created && s.opt.signer) sign_head();  // a new file is signed from its first row
  } catch (...) {
    // A file refused here stays as it was: no checkpoint when the connection closes,
    // which would copy the WAL (of a newer schema, say) into the file and delete it.
    (void)sqlite3_db_config(s.db.getHandle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
    throw;
  }
}

signing_store::~signing_store() = default;
signing_store::signing_store(signing_store&&) noexcept = default;
signing_store& signing_store::operator=(signing_store&&) noexcept = default;

const registry& signing_store::view() const noexcept { return p_->reg; }
const std::filesystem::path& signing_store::path() const noexcept { return p_->path; }
std::uint64_t signing_store::last_seq() const noexcept { return p_->applied; }

// ---- the calls ---------------------------------------------------------------------

void signing_store::add_resident(const stamp& who, const resident& r) {
  auto j = p_->begin("add_resident", who);
  signing::detail::put(j, r);
  j.close();
  p_->write("add_resident", who, [&] { p_->reg.add_resident(r); });
}

std::size_t signing_store::add_residents(const stamp& who, const resident_rows& rows) {
  auto& p = *p_;
  p.writable("add_residents");
  impl::check_stamp("add_residents", who);
  signing::detail::check_text(rows, "add_residents");
  if (rows.ids.empty()) {
    // Nothing to record; the registry's own error when the other columns are not empty too.
    if (!rows.birth.empty() || !rows.place.empty() || !rows.sex.empty() || !rows.insured.empty())
      return p.reg.add_residents(rows);
    return 0;
  }
  const std::string at = format_instant(who.at ? *who.at : impl::now());
  impl::tx t(p, "add_residents");
  p.reg.add_residents(rows);  // all or none; its error passes unchanged
  p.commit_rows(t, "add_residents", [&] {
    for (std::size_t i = 0; i < rows.ids.size(); ++i) {
      p.buf.clear();
      json_out j(p.buf, "add_residents", static_cast<std::ptrdiff_t>(i));
      signing::detail::put_row(j, rows, i);
      j.close();
      t.append(at, who.by, "add_residents", p.buf);
    }
  });
  return rows.ids.size();
}

void signing_store::move_resident(const stamp& who, const std::string& id, const std::string& district,
                                  const std::string& subdistrict, const std::string& community) {
  auto j = p_->begin("move_resident", who);
  j.text("id", id).text("district", district).text("subdistrict", subdistrict).text("community", community).close();
  p_->write("move_resident", who, [&] { p_->reg.move_resident(id, district, subdistrict, community); });
}

void signing_store::add_attribute(const stamp& who, const std::string& resident, attribute a, day from,
                                  std::optional<day> to) {
  auto j = p_->begin("add_attribute", who);
  j.text("resident", resident).word("attribute", a).date("from", from);
  if (to) j.date("to", *to);
  j.close();
  p_->write("add_attribute", who, [&] { p_->reg.add_attribute(resident, a, from, to); });
}

void signing_store::end_attribute(const stamp& who, const std::string& resident, attribute a, day to) {
  auto j = p_->begin("end_attribute", who);
  j.text("resident", resident).word("attribute", a).date("to", to).close();
  p_->write("end_attribute", who, [&] { p_->reg.end_attribute(resident, a, to); });
}

void signing_store::set_grade(const stamp& who, const std::string& resident, elderly_grade g, day from) {
  auto j = p_->begin("set_grade", who);
  j.text("resident", resident).word("grade", g).date("from", from).close();
  p_->write("set_grade", who, [&] { p_->reg.set_grade(resident, g, from); });
}

void signing_store::join_household(const stamp& who, const std::string& household, const std::string& resident,
                                   day from) {
  auto j = p_->begin("join_household", who);
  j.text("household", household).text("resident", resident).date("from", from).close();
  p_->write("join_household", who, [&] { p_->reg.join_household(household, resident, from); });
}

void signing_store::leave_household(const stamp& who, const std::string& household, const std::string& resident,
                                    day to) {
  auto j = p_->begin("leave_household", who);
  j.text("household", household).text("resident", resident).date("to", to).close();
  p_->write("leave_household", who, [&] { p_->reg.leave_household(household, resident, to); });
}

void signing_store::add_institution(const stamp& who, const institution& i) {
  auto j = p_->begin("add_institution", who);
  signing::detail::put(j, i);
  j.close();
  p_->write("add_institution", who, [&] { p_->reg.add_institution(i); });
}

void signing_store::add_team(const stamp& who, const team& t) {
  auto j = p_->begin("add_team", who);
  signing::detail::put(j, t);
  j.close();
  p_->write("add_team", who, [&] { p_->reg.add_team(t); });
}

void signing_store::add_staff(const stamp& who, const staff_member& s) {
  auto j = p_->begin("add_staff", who);
  signing::detail::put(j, s);
  j.close();
  p_->write("add_staff", who, [&] { p_->reg.add_staff(s); });
}

void signing_store::join_team(const stamp& who, const std::string& team, const std::string& staff, team_role role,
                              day from) {
  auto j = p_->begin("join_team", who);
  j.text("team", team).text("staff", staff).word("role", role).date("from", from).close();
  p_->write("join_team", who, [&] { p_->reg.join_team(team, staff, role, from); });
}

void signing_store::leave_team(const stamp& who, const std::string& team, const std::string& staff, day to) {
  auto j = p_->begin("leave_team", who);
  j.text("team", team).text("staff", staff).date("to", to).close();
  p_->write("leave_team", who, [&] { p_->reg.leave_team(team, staff, to); });
}

void signing_store::add_package(const stamp& who, const package& p) {
  auto j = p_->begin("add_package", who);
  signing::detail::put(j, p);
  j.close();
  p_->write("add_package", who, [&] { p_->reg.add_package(p); });
}

contract signing_store::sign(const stamp& who, const sign_request& req) {
  auto j = p_->begin("sign", who);
  signing::detail::put(j, req);
  return p_->write("sign", who, [&] {
    contract c = p_->reg.sign(req);
    j.text("contract", c.id).close();
    return c;
  });
}

std::size_t signing_store::sign_all(const stamp& who, std::span<const sign_request> reqs) {
  auto& p = *p_;
  p.writable("sign_all");
  impl::check_stamp("sign_all", who);
  for (std::size_t i = 0; i < reqs.size(); ++i)
    signing::detail::check_text(reqs[i], "sign_all", static_cast<std::ptrdiff_t>(i));
  if (reqs.empty()) return 0;
  const std::string at = format_instant(who.at ? *who.at : impl::now());
  impl::tx t(p, "sign_all");
  const auto first = static_cast<std::uint32_t>(p.reg.contract_count());
  p.reg.sign_all(reqs);  // all or none; its error passes unchanged
  p.commit_rows(t, "sign_all", [&] {
    const auto& data = p.reg.data();
    const auto n = static_cast<std::int64_t>(reqs.size());
    for (std::size_t i = 0; i < reqs.size(); ++i) {
      p.buf.clear();
      json_out j(p.buf, "sign_all", static_cast<std::ptrdiff_t>(i));
      signing::detail::put(j, reqs[i]);
      j.number("i", static_cast<std::int64_t>(i)).number("n", n);
      j.text("contract", data.contract_id(first + static_cast<std::uint32_t>(i))).close();
      t.append(at, who.by, "sign_all", p.buf);
    }
  });
  return reqs.size();
}

std::vector<contract> signing_store::sign_household(const stamp& who, const std::string& household,
                                                    const sign_request& req) {
  auto j = p_->begin("sign_household", who);
  j.text("household", household);
  signing::detail::put(j, req);
  return p_->write("sign_household", who, [&] {
    auto cs = p_->reg.sign_household(household, req);
    std::vector<std::string> ids;
    ids.reserve(cs.size());
    for (const auto& c : cs) ids.push_back(c.id);
    j.texts("contracts", ids).close();
    return cs;
  });
}

contract signing_store::renew(const stamp& who, const std::string& contract_id, int years, const std::string& team,
                              std::vector<std::string> packages) {
  auto j = p_->begin("renew", who);
  j.text("contract", contract_id).number("years", years).text_if("team", team);
  if (!packages.empty()) j.texts("packages", packages);
  return p_->write("renew", who, [&] {
    contract c = p_->reg.renew(contract_id, years, team, std::move(packages));
    j.text("renewal", c.id).close();
    return c;
  });
}

contract signing_store::terminate(const stamp& who, const std::string& contract_id, day on, termination_reason why) {
  auto j = p_->begin("terminate", who);
  j.text("contract", contract_id).date("on", on).word("reason", why).close();
  return p_->write("terminate", who, [&] { return p_->reg.terminate(contract_id, on, why); });
}

void signing_store::receive_application(const stamp& who, const application& a) {
  auto j = p_->begin("receive_application", who);
  signing::detail::put(j, a);
  j.close();
  p_->write("receive_application", who, [&] { p_->reg.receive_application(a); });
}

const service_record& signing_store::record_service(const stamp& who, service_record s) {
  // The payload is the record as the registry completed it (seq, hash, the resident,
  // team and institution): the text is checked here, before the registry takes it.
  {
    auto check = p_->begin("record_service", who);
    check.text("contract", s.contract).text("staff", s.staff).text("counterpart", s.counterpart).text("note", s.note);
  }
  return p_->write("record_service", who, [&]() -> const service_record& {
    const service_record& done = p_->reg.record_service(std::move(s));
    p_->buf.clear();
    json_out j(p_->buf, "record_service");
    signing::detail::put(j, done);
    j.close();
    return done;
  });
}

void signing_store::record_survey(const stamp& who, const survey_answer& a) {
  auto j = p_->begin("record_survey", who);
  signing::detail::put(j, a);
  j.close();
  p_->write("record_survey", who, [&] { p_->reg.record_survey(a); });
}

void signing_store::record_slots(const stamp& who, const specialist_slots& s) {
  auto j = p_->begin("record_slots", who);
  signing::detail::put(j, s);
  j.close();
  p_->write("record_slots", who, [&] { p_->reg.record_slots(s); });
}

// ---- the journal ---------------------------------------------------------------------

std::size_t signing_store::refresh() {
  auto& p = *p_;
  if (!p.broken.empty()) p.fail(p.broken);
  const auto before = p.applied;
  p.catch_up();
  return static_cast<std::size_t>(p.applied - before);
}

std::vector<journal_entry> signing_store::journal(std::uint64_t from_seq, std::size_t limit, bool reveal) const {
  auto& p = *p_;
  std::vector<journal_entry> out;
  try {
    SQLite::Statement st(p.db, R"(SELECT seq, at, "by", op, payload, hash FROM journal WHERE seq >= ? ORDER BY seq)");
    st.bind(1, static_cast<std::int64_t>(from_seq));
    while ((limit == 0 || out.size() < limit) && st.executeStep()) {
      journal_entry e;
      e.seq = static_cast<std::uint64_t>(st.getColumn(0).getInt64());
      try {
        e.at = parse_instant(st.getColumn(1).getString());
      } catch (const hotline::error&) {
        p.fail("journal row " + std::to_string(e.seq) + ": 'at' is not an ISO-8601 instant");
      }
      e.by = st.getColumn(2).getString();
      e.op = st.getColumn(3).getString();
      e.payload = st.getColumn(4).getString();
      if (!reveal) e.payload = signing::detail::masked_payload(e.op, e.payload);
      const auto h = st.getColumn(5);
      e.hash = signing::detail::to_hex(
          std::string_view(static_cast<const char*>(h.getBlob()), static_cast<std::size_t>(h.getBytes())));
      out.push_back(std::move(e));
    }
  } catch (const SQLite::Exception& e) {
    p.fail_sqlite("reading the journal", e);
  }
  return out;
}

journal_report signing_store::verify() const { return p_->verify(nullptr, nullptr); }
journal_report signing_store::verify(const ed25519_public_key& key) const { return p_->verify(&key, nullptr); }
journal_report signing_store::verify(const head_receipt& receipt) const { return p_->verify(nullptr, &receipt); }
journal_report signing_store::verify(const head_receipt& receipt, const ed25519_public_key& key) const {
  return p_->verify(&key, &receipt);
}

/// The journal re-hashed; with `key`, every signed head checked; with `receipt`, its head.
journal_report signing_store::impl::verify(const ed25519_public_key* key, const head_receipt* receipt) {
  journal_report rep;
  auto bad = [&](std::uint64_t seq, std::string why) {
    rep.ok = false;
    rep.first_bad_seq = seq;
    rep.reason = std::move(why);
  };
  try {
    hotline::detail::head_walk walk(signing_journal_head_domain, {"row", "rows"}, key,
                                    key && heads_table ? hotline::detail::read_signed_heads(db.getHandle())
                                                       : std::vector<head_receipt>{},
                                    receipt);
    // A head or the receipt that fails: the rows after the last good signature are unproven.
    auto unproven = [&] {
      rep.signed_through = walk.signed_through;
      rep.heads_checked = walk.heads_checked;
      bad(static_cast<std::uint64_t>(walk.signed_through) + 1, walk.failure);
    };
    if (!walk.receipt_signature_holds()) {
      rep.ok = false;
      rep.reason = walk.failure;
      return rep;
    }
    raw_stmt st(db.getHandle(), R"(SELECT seq, at, "by", op, payload, hash FROM journal ORDER BY seq)");
    std::string prev(32, '\0'), before_prev(32, '\0');
    std::uint64_t expected = 1;
    if (!walk.at(0, prev)) unproven();
    while (rep.ok && st.step(db.getHandle())) {
      const std::int64_t raw_seq = sqlite3_column_int64(st.st, 0);
      const auto at = raw_text(st.st, 1), by = raw_text(st.st, 2), op = raw_text(st.st, 3);
      const auto payload = raw_text(st.st, 4), stored = raw_blob(st.st, 5);
      if (raw_seq < 1) {
        bad(1, "a row numbered " + std::to_string(raw_seq) + " precedes row 1: it was inserted");
        break;
      }
      const auto seq = static_cast<std::uint64_t>(raw_seq);
      if (seq != expected) {
        bad(expected, seq == expected + 1 ? "row " + std::to_string(expected) + " is missing: it was removed"
                                          : "rows " + std::to_string(expected) + " to " + std::to_string(seq - 1) +
                                                " are missing: they were removed");
        break;
      }
      const auto h = signing::detail::row_hash(prev, seq, at, by, op, payload);
      if (stored != impl::as_view(h)) {
        // An original row moved up by one: a row was inserted before it (and had its hash made).
        if (seq >= 2 && stored == impl::as_view(signing::detail::row_hash(before_prev, seq - 1, at, by, op, payload)))
          bad(seq - 1, "row " + std::to_string(seq - 1) + " was inserted: row " + std::to_string(seq) +
                           " carries the hash it had as row " + std::to_string(seq - 1));
        else
          bad(seq, "row " + std::to_string(seq) + " does not match its hash: its at, by, op or payload was changed " +
                       "after it was written (or rows before it were removed and the rest renumbered)");
        break;
      }
      if (seq == 1 && op != "policy") {
        bad(1, "row 1 is not the policy");
        break;
      }
      before_prev = std::move(prev);
      prev.assign(stored);
      ++rep.rows;
      ++expected;
      if (!walk.at(static_cast<std::int64_t>(seq), prev)) unproven();
    }
    st.reset();
    if (rep.ok && expected == 1) bad(1, "the journal is empty: row 1 (the policy) is missing");
    if (rep.ok && !walk.end(static_cast<std::int64_t>(rep.rows))) bad(rep.rows + 1, walk.failure);
    rep.heads_checked = walk.heads_checked;
    rep.signed_through = walk.signed_through;
  } catch (const SQLite::Exception& e) {
    fail_sqlite("verifying the journal", e);
  }
  rep.services = reg.verify();
  if (rep.ok && !rep.services.ok) {
    rep.ok = false;
    rep.reason = "the view's service chain: " + rep.services.reason;
  }
  return rep;
}

// ---- signed heads ----------------------------------------------------------------------

head_receipt signing_store::head() const {
  auto& p = *p_;
  try {
    auto& st = *p.st_head;
    reset_on_exit reset(st);
    head_receipt r;
    if (st.step(p.db.getHandle())) {
      r.event_count = sqlite3_column_int64(st.st, 0);
      const auto h = raw_blob(st.st, 1);
      std::copy_n(h.data(), std::min(h.size(), r.head_hash.size()), reinterpret_cast<char*>(r.head_hash.data()));
    }
    st.reset();
    std::optional<head_receipt> signed_head;
    if (p.heads_table && r.event_count > 0) signed_head = hotline::detail::signed_head_at(p.db.getHandle(), r.event_count);
    if (signed_head && signed_head->head_hash == r.head_hash) return *signed_head;
    r.signed_at = impl::now();
    return r;
  } catch (const SQLite::Exception& e) {
    p.fail_sqlite("reading the journal's head", e);
  }
}

std::optional<head_receipt> signing_store::last_signed_head() const {
  auto& p = *p_;
  if (!p.heads_table) return std::nullopt;
  try {
    return hotline::detail::signed_head_at(p.db.getHandle(), -1);
  } catch (const SQLite::Exception& e) {
    p.fail_sqlite("reading the signed heads", e);
  }
}

head_receipt signing_store::sign_head() {
  auto& p = *p_;
  if (!p.opt.signer) throw invalid_argument_error("sign_head: this signing store has no head signer (options.signer)");
  p.writable("sign_head");
  {
    impl::tx t(p, "sign_head");
    p.commit_rows(t, "sign_head", [] {}, true);  // no rows; the commit signs the head if not yet signed
  }
  return head();
}

bool signing_store::signs_heads() const noexcept { return static_cast<bool>(p_->opt.signer); }

}  // namespace hotline::signing
