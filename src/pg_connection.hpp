// Private: one PostgreSQL connection through libpq (Debian's libpq-dev), for the stores'
// PostgreSQL back end (store_pg.hpp).  libpq rather than libpqxx: the store needs a
// handful of calls (parameterised statements, COPY, LISTEN/NOTIFY, the error's SQLSTATE),
// and libpq is already what psql and every driver link, with a C API that has stayed the
// same since PostgreSQL 7.4; libpqxx 6 would add a second C++ exception hierarchy to
// translate for the same calls.
//
//   detail::pg_connection c("postgresql:///hotline?host=/run/postgresql", "connecting");
//   auto r = c.exec("SELECT number FROM orders WHERE id = $1", {pg_param(42)});
//   for (int i = 0; i < r.rows(); ++i) use(r.text(i, 0));
//
// Every failure becomes a hotline error saying what was being done and the server's
// words: a unique key taken or a serialization failure is a conflict_error, anything
// else (the server gone, a permission, a full disk) a storage_error.  A connection that
// broke is re-established by the next call (reset_if_broken), so the call after the
// server came back works.
#pragma once

#include "hotline/error.hpp"

#include <libpq-fe.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hotline::detail {

/// One parameter of a statement: NULL, text, or bytes (sent in binary: bytea).
struct pg_param {
  std::optional<std::string> value;
  bool binary = false;
  pg_param() = default;  ///< NULL
  pg_param(std::string v) : value(std::move(v)) {}
  pg_param(std::string_view v) : value(std::string(v)) {}
  pg_param(const char* v) : value(std::string(v)) {}
  pg_param(std::int64_t v) : value(std::to_string(v)) {}
  pg_param(int v) : value(std::to_string(v)) {}
  static pg_param bytes(std::string_view b) {
    pg_param p{std::string(b)};
    p.binary = true;
    return p;
  }
  static pg_param null() { return {}; }
};

/// A result of one statement (text format).  Owns the PGresult.
class pg_result {
 public:
  pg_result() = default;
  explicit pg_result(PGresult* r) : r_(r) {}
  pg_result(pg_result&& o) noexcept : r_(o.r_) { o.r_ = nullptr; }
  pg_result& operator=(pg_result&& o) noexcept {
    if (this != &o) {
      if (r_) PQclear(r_);
      r_ = o.r_;
      o.r_ = nullptr;
    }
    return *this;
  }
  pg_result(const pg_result&) = delete;
  pg_result& operator=(const pg_result&) = delete;
  ~pg_result() {
    if (r_) PQclear(r_);
  }

  [[nodiscard]] int rows() const { return r_ ? PQntuples(r_) : 0; }
  [[nodiscard]] bool null(int row, int col) const { return PQgetisnull(r_, row, col) != 0; }
  [[nodiscard]] std::string_view text(int row, int col) const {
    return {PQgetvalue(r_, row, col), static_cast<std::size_t>(PQgetlength(r_, row, col))};
  }
  [[nodiscard]] std::int64_t int64(int row, int col) const;
  [[nodiscard]] std::optional<std::int64_t> opt_int64(int row, int col) const {
    if (null(row, col)) return std::nullopt;
    return int64(row, col);
  }
  /// A bytea column in text format ("\x" and hex pairs), decoded into `out`.
  void bytes(int row, int col, std::string& out) const;
  [[nodiscard]] std::string bytes(int row, int col) const {
    std::string s;
    bytes(row, col, s);
    return s;
  }
  /// Rows changed by an INSERT, UPDATE or DELETE.
  [[nodiscard]] std::int64_t affected() const;
  [[nodiscard]] PGresult* get() const { return r_; }

 private:
  PGresult* r_ = nullptr;
};

class pg_connection {
 public:
  /// Connects to `conninfo` (a libpq URI or key=value string); storage_error naming
  /// `where` (the location with any password removed) when the server cannot be reached.
  pg_connection(const std::string& conninfo, std::string where);
  pg_connection(const pg_connection&) = delete;
  pg_connection& operator=(const pg_connection&) = delete;
  ~pg_connection();

  /// Runs one statement; `what` says what for the error.  No parameters: the simple
  /// protocol, which also runs several statements separated by ';'.
  pg_result exec(std::string_view sql, std::string_view what);
  pg_result exec(const std::string& sql, const std::vector<pg_param>& params, std::string_view what);
  /// A statement prepared once per connection under `name` (the write path's).
  pg_result exec_prepared(const char* name, const std::string& sql, const std::vector<pg_param>& params,
                          std::string_view what);

  /// COPY table(columns) FROM STDIN in text format: rows of tab-separated fields, escaped
  /// with copy_text/copy_bytes, each ending in '\n'.
  void copy_in(const std::string& copy_sql, std::string_view data, std::string_view what);
  /// The same COPY in pieces, sent as they are made: the server parses and inserts one
  /// while the caller makes the next.  copy_end sends the end and returns at once (the
  /// server may still be inserting); copy_finish waits for its result.  Between
  /// copy_begin and copy_finish the connection takes no other command; copy_abort ends
  /// the COPY unwritten (after the caller's own failure).
  void copy_begin(const std::string& copy_sql, std::string_view what);
  void copy_put(std::string_view data, std::string_view what);
  void copy_end(std::string_view what);
  void copy_finish(std::string_view what);
  void copy_abort() noexcept;

  /// After a failure: whether the connection itself broke (the server gone).
  [[nodiscard]] bool broken() const { return lost_ || PQstatus(c_) != CONNECTION_OK; }
  /// Re-establishes a broken connection (the prepared statements are prepared again
  /// when next used); storage_error when the server is still away.
  void reset_if_broken(std::string_view what);
  /// Whether a transaction is open on the server (BEGIN without COMMIT/ROLLBACK yet).
  [[nodiscard]] bool in_transaction() const;

  /// The notifications received so far (LISTEN); consumes input without blocking.
  std::vector<std::pair<std::string, std::string>> notifications(int* sender_pid = nullptr);
  [[nodiscard]] int socket() const { return PQsocket(c_); }
  [[nodiscard]] int backend_pid() const { return PQbackendPID(c_); }
  [[nodiscard]] const std::string& where() const { return where_; }
  [[nodiscard]] PGconn* get() const { return c_; }

 private:
  pg_result check(PGresult* r, std::string_view what);
  void configure();
  PGconn* c_ = nullptr;
  std::string where_;
  std::vector<std::string> prepared_;  ///< names prepared on this connection
  bool lost_ = false;  ///< a failure said the connection is gone (libpq may not know yet)
};

/// f() inside one snapshot: a REPEATABLE READ read-only transaction of its own, or the
/// transaction already open (a batch's), so that reads made in pages or in several
/// statements see one state of the database while writers go on.
template <class F>
void pg_snapshot(pg_connection& c, std::string_view what, F&& f) {
  if (c.in_transaction()) {
    f();
    return;
  }
  c.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", what);
  try {
    f();
  } catch (...) {
    if (!c.broken()) {
      try {
        c.exec("ROLLBACK", what);
      } catch (...) {
      }
    }
    throw;
  }
  c.exec("COMMIT", what);
}

/// `conninfo` with its password (URI or key=value) replaced by "***", for messages.
std::string pg_redacted(std::string_view conninfo);
/// Whether a store location names a PostgreSQL database rather than a SQLite file:
/// a postgresql:// or postgres:// URI, or a libpq key=value string (starting with
/// dbname=, host=, hostaddr=, service=, user= or port=).
bool is_pg_location(std::string_view location);

/// Appends `v` escaped for COPY's text format (backslash, tab, newline, carriage return).
void copy_text(std::string& out, std::string_view v);
/// Appends bytes as a bytea field in COPY's text format ("\\x" and hex).
void copy_bytes(std::string& out, std::string_view b);

/// COPY's binary format ("COPY ... FROM STDIN (FORMAT binary)"), for rows of bigint and
/// bytea only (the event blocks): the server takes the fields as they are, without
/// parsing digits or decoding hex (0.6 of the text format's time for the blocks,
/// measured).  A stream is a header, rows (a field count, then each field as a 32-bit
/// length and its bytes, big-endian), and a trailer.
void copy_binary_header(std::string& out);
void copy_binary_row(std::string& out, std::int16_t fields);
void copy_binary_int8(std::string& out, std::int64_t v);
void copy_binary_bytes(std::string& out, std::string_view b);
void copy_binary_trailer(std::string& out);

}  // namespace hotline::detail
