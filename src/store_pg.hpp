// Private: the work-order store's PostgreSQL back end (issue 21): what store::impl holds
// when it was opened from a "postgresql://..." location (store_impl.hpp, member `pg`).
//
// The state machine, the clocks, the event codec, the hash chain and the masking are the
// SQLite store's own, unchanged (store_commands.cpp, store_codec, store_chain,
// store_masking); only the six look-ups the commands make and the write path differ,
// and the public reads.  Files: store_pg_schema.cpp (the tables and their versions),
// store_pg_open.cpp (connecting, migrating, the urgent listener), store_pg_write.cpp
// (transactions, the projection's rows, the event blocks, the counts), store_pg_reads.cpp
// (orders, events, the chain's verification), store_pg_units.cpp (units, liaisons),
// store_pg_rows.cpp (a work order to and from a row); the report path and the call log
// have their PostgreSQL branches beside SQLite's (store_facts.cpp, store_calls.cpp,
// through store_access), and store_copy.cpp moves a store between the two.
//
// Many writers on many hosts (docs/postgresql.md):
// - The event log stays one linear chain: every write transaction takes one
//   transaction-scoped advisory lock (pg_advisory_xact_lock(pg_write_lock_key)) before
//   it reads where the log ends, so writers append one after another, as SQLite's
//   BEGIN IMMEDIATE makes them; the lock goes with the COMMIT or ROLLBACK, and with the
//   session when a host dies.  Reads take no lock.
// - Order ids and numbers come from MAX(id) + 1 under that lock: no two processes get
//   the same, and a number given by hand is still checked against the UNIQUE key.
// - Optimistic versions: UPDATE ... WHERE id = $1 AND version = $expected; 0 rows is a
//   conflict_error, as on SQLite.
// - The urgent hook: the committing transaction runs NOTIFY hotline_urgent with the
//   order number; every store that has an on_urgent callback LISTENs on a connection
//   of its own and a thread that calls the callback with the order read back, for the
//   urgent orders of other connections (its own are announced as on SQLite).
#pragma once

#include "hotline/store.hpp"
#include "pg_connection.hpp"

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace hotline::detail {

struct pg_migration {
  int to;                ///< the schema version after it (the SQLite file's numbering)
  std::string_view sql;  ///< run in one transaction with the version's update
};
/// The PostgreSQL migrations, oldest first (store_pg_schema.cpp).
const std::vector<pg_migration>& pg_store_migrations();

/// The advisory lock every write transaction of a work-order store takes (the bytes
/// of "hotline1" read as a big-endian integer).
inline constexpr std::int64_t pg_write_lock_key = 0x686f746c696e6531;
/// The channel of the urgent hook's notifications (payload: the order number).
inline constexpr const char* pg_urgent_channel = "hotline_urgent";

/// The urgent hook's listener: a connection of its own LISTENing, and a thread waiting
/// on its socket that hands each other connection's urgent order to `deliver`.
class pg_listener {
 public:
  pg_listener(const std::string& conninfo, const std::string& where, int own_pid,
              std::function<void(const std::string&)> deliver);
  pg_listener(const pg_listener&) = delete;
  pg_listener& operator=(const pg_listener&) = delete;
  ~pg_listener();

 private:
  void run();
  pg_connection conn_;
  int own_pid_;
  std::function<void(const std::string&)> deliver_;
  int wake_[2] = {-1, -1};  ///< a pipe: the destructor writes to stop the thread's poll
  std::thread thread_;
};

/// What store::impl holds on PostgreSQL.
struct pg_state {
  std::string conninfo;
  pg_connection conn;
  int schema_version = 0;
  /// The rows of this transaction's flush, sent as COPY (new orders, blocks).
  std::string copy_orders, copy_blocks;
  std::vector<std::string> urgent_numbers;  ///< NOTIFY at commit
  /// For this transaction's receipt days ("YYYYMMDD"), from which number on the
  /// database's numbers of the day were read, and those numbers: what a generated number
  /// can meet (store::impl::pg_number_in_file).  Cleared at BEGIN: valid under the lock.
  std::unordered_map<std::string, std::string> hand_from;
  std::unordered_set<std::string> hand_numbers;
  std::unique_ptr<pg_listener> listener;
  pg_state(std::string info, std::string where) : conninfo(std::move(info)), conn(conninfo, std::move(where)) {}
};

/// A work order's projection row as COPY text (order_columns() order, store_rows.hpp).
void append_order_copy_row(std::string& out, const work_order& o, std::int64_t id, const std::string& actions,
                           const std::string& rest);
/// The same row as parameters $1.. (id first), for INSERT or UPDATE (insert_order_sql's
/// numbering, with '?n' written '$n').
std::vector<pg_param> order_params(const work_order& o, std::int64_t id, const std::string& actions,
                                   const std::string& rest);
/// Reads row `row` of a SELECT of order_columns() into `o`; returns the id.
std::int64_t read_order_pg(const pg_result& r, int row, work_order& o, std::string* actions = nullptr);
/// SQLite's statement text with its ?N and ? parameters written $N.
std::string pg_sql(std::string_view sqlite_sql);

}  // namespace hotline::detail
