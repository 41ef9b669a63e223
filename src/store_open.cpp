// The work-order store's file: opening it on SQLite (pragmas, migrations) and the
// messages of its failures, every one naming the file (docs/store.md "Faults").
// SQLite-specific: a PostgreSQL back end opens, migrates and words its errors otherwise.
#include "store_impl.hpp"

#include "hotline/calendar.hpp"
#include "hotline/work_order_deadlines.hpp"
#include "store_connection.hpp"
#include "store_schema.hpp"

#include <sqlite3.h>

namespace hotline {

using detail::text_of;
using detail::throw_storage;

namespace {
/// A PostgreSQL location is named without its password in every message (`path`).
std::filesystem::path shown_location(const std::filesystem::path& p) {
  return detail::is_pg_location(p.string()) ? std::filesystem::path(detail::pg_redacted(p.string())) : p;
}
}  // namespace

store::impl::impl(const std::filesystem::path& p, store_options o)
    : path(shown_location(p)),
      opt(std::move(o)),
      db(detail::is_pg_location(p.string()) ? std::string(":memory:") : p.string(),
         detail::store_connection_flags(opt.read_only ? SQLite::OPEN_READONLY
                                                    : (SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE)),
         opt.busy_timeout_ms) {
  try {
    if (detail::is_pg_location(p.string())) {
      pg_location = p.string();
      pg_open();
      return;
    }
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

void store::impl::leave_file_as_it_is() noexcept {
  (void)sqlite3_db_config(db.getHandle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
}

void store::impl::open() {
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

int store::impl::user_version() {
  if (pg) return pg_user_version();
  SQLite::Statement st(db, "PRAGMA user_version");
  st.executeStep();
  return st.getColumn(0).getInt();
}

void store::impl::refuse_newer(int v) const {
  const int latest = static_cast<int>(detail::store_migrations().size());
  if (v > latest)
    throw storage_error(path.string() + ": the file has schema version " + std::to_string(v) +
                        ", newer than this library's " + std::to_string(latest) +
                        ": open it with a newer library (the file was left as it was)");
}

void store::impl::migrate() {
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

void store::impl::end_failed_migration() noexcept {
  try {
    if (sqlite3_get_autocommit(db.getHandle()) == 0) db.exec("ROLLBACK");
    db.exec("PRAGMA foreign_keys=ON");
  } catch (...) {
  }
  st_insert_order.reset();
}

// ---- errors ---------------------------------------------------------------------------

std::string store::impl::describe(const SQLite::Exception& e, std::string_view what) const {
  return detail::storage_message(path, what, e, sqlite3_system_errno(db.getHandle()));
}

std::string store::impl::describe_reader(const SQLite::Exception& e, std::string_view what) const {
  return detail::storage_message(path, what, e, sqlite3_system_errno(imp->reader.getHandle()));
}

void store::impl::rethrow_named(const storage_error& e, std::string_view after) const {
  const std::string_view what(e.what());
  const auto file = path.string();
  if (what.substr(0, file.size()) == file && after.empty()) throw e;
  std::string msg = what.substr(0, file.size()) == file ? std::string(what) : file + ": " + std::string(what);
  throw storage_error(msg.append(after));
}

bool store::impl::transaction_lost() const {
  if (pg) return in_tx && PQtransactionStatus(pg->conn.get()) != PQTRANS_INTRANS;
  return in_tx && sqlite3_get_autocommit(db.getHandle()) != 0;
}

void store::impl::writable(std::string_view what) const {
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

std::string store::impl::batch_failure(const SQLite::Exception& e, std::string_view what) const {
  auto msg = describe(e, what);
  if (transaction_lost()) {
    msg.append("; SQLite rolled the batch's transaction back: nothing of the batch will be written");
    batch_lost = msg;
  }
  return msg;
}

void store::impl::no_lost_batch() const {
  if (!batch_lost.empty()) throw storage_error(batch_lost);
}

void store::impl::no_batch_of_another_thread() const {
  if (batch_open && std::this_thread::get_id() != batch_thread)
    throw invalid_argument_error(
        "another thread has a batch open on this store: wait for it to commit, or open a second store on the same "
        "file for this thread");
}

void store::impl::no_import_open() const {
  if (imp || pg_imp)
    throw invalid_argument_error("an import is open on this store: call it through the importer, or finish() it first");
}

}  // namespace hotline
