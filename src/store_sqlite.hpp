// Private: prepared statements and column reads through SQLite's C API, shared by
// the store's SQLite translation units (store_write.cpp, store_queries.cpp, store_log.cpp,
// store_facts.cpp...).  The hot paths use
// these instead of SQLiteCpp's Statement to avoid a shared_ptr copy per column.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <string>
#include <string_view>

namespace hotline::detail {

struct raw_stmt {
  sqlite3_stmt* st = nullptr;
  raw_stmt(sqlite3* db, const std::string& sql) {
    if (sqlite3_prepare_v2(db, sql.c_str(), static_cast<int>(sql.size()), &st, nullptr) != SQLITE_OK)
      throw SQLite::Exception(db, sqlite3_errcode(db));
  }
  raw_stmt(const raw_stmt&) = delete;
  raw_stmt& operator=(const raw_stmt&) = delete;
  ~raw_stmt() { sqlite3_finalize(st); }
  /// Runs a statement that returns no rows, then resets it (also on an error).
  void exec(sqlite3* db) {
    const int rc = sqlite3_step(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
      SQLite::Exception e(db, rc);
      sqlite3_reset(st);
      throw e;
    }
    sqlite3_reset(st);
  }
  /// True while rows come; throws on an error.
  bool step(sqlite3* db) {
    const int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw SQLite::Exception(db, rc);
  }
  void reset() { sqlite3_reset(st); }
};

/// Resets a kept statement when the scope that steps through it ends, also on an
/// exception (a statement left mid-rows keeps its read transaction open).
class reset_on_exit {
 public:
  explicit reset_on_exit(raw_stmt& s) : s_(s) {}
  reset_on_exit(const reset_on_exit&) = delete;
  reset_on_exit& operator=(const reset_on_exit&) = delete;
  ~reset_on_exit() { s_.reset(); }

 private:
  raw_stmt& s_;
};

inline std::string_view raw_text(sqlite3_stmt* st, int i) {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st, i));
  return p ? std::string_view(p, static_cast<std::size_t>(sqlite3_column_bytes(st, i))) : std::string_view();
}
inline std::string_view raw_blob(sqlite3_stmt* st, int i) {
  const auto* p = static_cast<const char*>(sqlite3_column_blob(st, i));
  return p ? std::string_view(p, static_cast<std::size_t>(sqlite3_column_bytes(st, i))) : std::string_view();
}

/// A column of SQLiteCpp's Statement as text ("" for NULL), its bytes as stored.
inline std::string text_of(const SQLite::Column& c) {
  if (c.isNull()) return {};
  const char* p = static_cast<const char*>(c.getBlob());
  return std::string(p ? p : "", static_cast<std::size_t>(c.getBytes()));
}

}  // namespace hotline::detail
