// sqlite_replay.hpp (bench_store): the floor under the store's ingest.
//
// The rows a store file holds for its orders (the projection and the event blocks)
// inserted again into a fresh file with the same schema and pragmas, from C++ through
// prepared statements, `chunk` orders per transaction, and nothing else: no state
// machine, no encoding, no hashing, no report totals.  The Python sqlite3 peer does
// the same through executemany (bench_store.py); this is what SQLite alone costs for
// those rows on this machine, so that the importer's rate can be read against it.
#pragma once

#include "hotline/store.hpp"

#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace hotline::bench {

/// One chunk of rows of one table, read from the source before the timer starts.
class row_chunk {
 public:
  /// Reads every row `st` returns (each column's type and bytes as stored).
  void read(sqlite3_stmt* st) {
    types_.clear();
    ints_.clear();
    bytes_.clear();
    rows_ = 0;
    cols_ = sqlite3_column_count(st);
    while (sqlite3_step(st) == SQLITE_ROW) {
      for (int i = 0; i < cols_; ++i) {
        const int t = sqlite3_column_type(st, i);
        types_.push_back(t);
        if (t == SQLITE_INTEGER) {
          ints_.push_back(sqlite3_column_int64(st, i));
        } else if (t == SQLITE_FLOAT) {
          const double d = sqlite3_column_double(st, i);
          std::int64_t bits;
          std::memcpy(&bits, &d, sizeof bits);
          ints_.push_back(bits);
        } else if (t == SQLITE_TEXT || t == SQLITE_BLOB) {
          const auto* p = static_cast<const char*>(t == SQLITE_TEXT ? static_cast<const void*>(sqlite3_column_text(st, i))
                                                                    : sqlite3_column_blob(st, i));
          const auto n = static_cast<std::size_t>(sqlite3_column_bytes(st, i));
          ints_.push_back(static_cast<std::int64_t>(bytes_.size()));
          ints_.push_back(static_cast<std::int64_t>(n));
          bytes_.append(p ? p : "", n);
        }
      }
      ++rows_;
    }
    sqlite3_reset(st);
  }
  /// Inserts every row through `ins` (one placeholder per column).
  void insert(sqlite3* db, sqlite3_stmt* ins) const {
    std::size_t t = 0, k = 0;
    for (std::size_t r = 0; r < rows_; ++r) {
      for (int i = 1; i <= cols_; ++i) {
        switch (types_[t++]) {
          case SQLITE_INTEGER: sqlite3_bind_int64(ins, i, ints_[k++]); break;
          case SQLITE_FLOAT: {
            double d;
            std::memcpy(&d, &ints_[k++], sizeof d);
            sqlite3_bind_double(ins, i, d);
            break;
          }
          case SQLITE_TEXT:
          case SQLITE_BLOB: {
            const auto off = static_cast<std::size_t>(ints_[k]), n = static_cast<std::size_t>(ints_[k + 1]);
            k += 2;
            if (types_[t - 1] == SQLITE_TEXT)
              sqlite3_bind_text(ins, i, bytes_.data() + off, static_cast<int>(n), SQLITE_STATIC);
            else
              sqlite3_bind_blob(ins, i, bytes_.data() + off, static_cast<int>(n), SQLITE_STATIC);
            break;
          }
          default: sqlite3_bind_null(ins, i);
        }
      }
      if (sqlite3_step(ins) != SQLITE_DONE) throw std::runtime_error(sqlite3_errmsg(db));
      sqlite3_reset(ins);
    }
  }
  int columns() const { return cols_; }

 private:
  std::vector<int> types_;
  std::vector<std::int64_t> ints_;  ///< integers, doubles' bits; for text and blobs offset and length in bytes_
  std::string bytes_;
  std::size_t rows_ = 0;
  int cols_ = 0;
};

inline void exec_or_throw(sqlite3* db, const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    const std::string m = err ? err : "sqlite3_exec failed";
    sqlite3_free(err);
    throw std::runtime_error(m + " in: " + sql);
  }
}

inline sqlite3_stmt* prepare_or_throw(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) throw std::runtime_error(sqlite3_errmsg(db));
  return st;
}

/// Milliseconds spent inserting the orders and event blocks of `src` into a fresh
/// store file `dst` (schema and pragmas from hotline::store; units copied first,
/// untimed), `chunk` orders per transaction.
inline double sqlite_replay_ms(const std::filesystem::path& src, const std::filesystem::path& dst, long chunk,
                               const store_options& options) {
  { store created(dst, options); }  // the schema, page size and WAL of a new store file
  sqlite3* db = nullptr;
  if (sqlite3_open(dst.string().c_str(), &db) != SQLITE_OK) throw std::runtime_error("cannot open " + dst.string());
  struct closer {
    sqlite3* db;
    ~closer() { sqlite3_close_v2(db); }
  } close_db{db};
  // The store's own pragmas for a write connection (store.cpp).
  exec_or_throw(db, "PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-" +
                        std::to_string(options.cache_kib) + "; PRAGMA temp_store=MEMORY; PRAGMA mmap_size=" +
                        std::to_string(options.mmap_bytes));
  exec_or_throw(db, "ATTACH DATABASE '" + src.string() + "' AS src");
  exec_or_throw(db, "BEGIN; INSERT INTO units SELECT * FROM src.units; INSERT INTO unit_coverage SELECT * FROM "
                    "src.unit_coverage; INSERT INTO unit_topics SELECT * FROM src.unit_topics; INSERT INTO liaisons "
                    "SELECT * FROM src.liaisons; COMMIT");
  sqlite3_stmt* sel_orders = prepare_or_throw(db, "SELECT * FROM src.orders WHERE id BETWEEN ? AND ? ORDER BY id");
  sqlite3_stmt* sel_blocks =
      prepare_or_throw(db, "SELECT * FROM src.event_blocks WHERE order_id BETWEEN ? AND ? ORDER BY first_id");
  sqlite3_stmt* max_id = prepare_or_throw(db, "SELECT COALESCE(MAX(id), 0) FROM src.orders");
  sqlite3_step(max_id);
  const std::int64_t last = sqlite3_column_int64(max_id, 0);
  sqlite3_finalize(max_id);
  row_chunk orders, blocks;
  sqlite3_stmt* ins_orders = nullptr;
  sqlite3_stmt* ins_blocks = nullptr;
  auto insert_sql = [](const char* table, int n) {
    std::string s = std::string("INSERT INTO ") + table + " VALUES(?";
    for (int i = 1; i < n; ++i) s += ",?";
    return s + ")";
  };
  double ms = 0;
  for (std::int64_t lo = 1; lo <= last; lo += chunk) {
    for (sqlite3_stmt* st : {sel_orders, sel_blocks}) {
      sqlite3_bind_int64(st, 1, lo);
      sqlite3_bind_int64(st, 2, lo + chunk - 1);
    }
    orders.read(sel_orders);
    blocks.read(sel_blocks);
    if (!ins_orders) {
      ins_orders = prepare_or_throw(db, insert_sql("main.orders", orders.columns()));
      ins_blocks = prepare_or_throw(db, insert_sql("main.event_blocks", blocks.columns()));
    }
    const auto t = std::chrono::steady_clock::now();
    exec_or_throw(db, "BEGIN IMMEDIATE");
    orders.insert(db, ins_orders);
    blocks.insert(db, ins_blocks);
    exec_or_throw(db, "COMMIT");
    ms += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
  }
  for (sqlite3_stmt* st : {sel_orders, sel_blocks, ins_orders, ins_blocks}) sqlite3_finalize(st);
  exec_or_throw(db, "DETACH DATABASE src");
  return ms;
}

}  // namespace hotline::bench
