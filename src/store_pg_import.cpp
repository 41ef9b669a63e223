// The work-order store's importer (store::importer) on PostgreSQL: the same calls as on
// SQLite, on one thread.  Each `orders_per_transaction` orders the import's transaction
// commits as a batch does (store_pg_write.cpp: COPY of the new orders and of the event
// blocks, under the write lock, a signed head with a signer); the next command begins
// the next.  SQLite's importer needs a writer thread because its inserts run in this
// process; here the server does that work, and the commit overlaps its own encoding
// with it (pg_flush).  Ids are read under the write lock as each transaction begins, so
// other hosts create orders beside an import.
#include "store_impl.hpp"

namespace hotline {

namespace {
constexpr std::string_view import_stopped =
    "; that transaction was rolled back and the import stopped (the transactions committed before it stay)";
}  // namespace

void store::impl::pg_import_begin() {
  try {
    begin();
  } catch (const storage_error& e) {
    rollback();  // nothing was pending: the import goes on with the next call
    rethrow_named(e);
  } catch (...) {
    rollback();
    throw;
  }
}

void store::impl::pg_import_commit() {
  std::int64_t made = 0;
  for (const cached* c : touched) made += c->file.version == 0 ? 1 : 0;
  try {
    commit();  // announces its urgent orders when the call returns (call_guard)
  } catch (...) {
    pg_import_fail("importing work orders", std::current_exception());
  }
  pg_imp->committed += made;
}

void store::impl::pg_import_fail(std::string_view what, const std::exception_ptr& e) {
  // The kind of error stays (a conflict stays a conflict); the message says the import
  // is over and what of it stays.
  std::exception_ptr kept;
  try {
    std::rethrow_exception(e);
  } catch (const conflict_error& x) {
    kept = std::make_exception_ptr(conflict_error(std::string(x.what()).append(import_stopped)));
  } catch (const storage_error& x) {
    std::string msg(x.what());
    if (msg.rfind(path.string(), 0) != 0) msg = path.string() + ": " + std::string(what) + ": " + msg;
    kept = std::make_exception_ptr(storage_error(msg.append(import_stopped)));
  } catch (...) {
    kept = e;  // the signer's own exception, as on SQLite
  }
  rollback();
  pg_imp->error = kept;
  std::rethrow_exception(kept);
}

void store::impl::pg_import_finish() {
  if (pg_imp->error) std::rethrow_exception(pg_imp->error);
  if (!in_tx) return;
  if (touched.empty()) {  // every command since the last commit failed: nothing to write
    rollback();
    return;
  }
  pg_import_commit();
}

void store::impl::pg_import_close() noexcept {
  rollback();  // an unfinished import's open transaction: dropped
  pg_imp.reset();
}

}  // namespace hotline
