// Private: how the store's translation units that need only the connection
// (store_facts.cpp, store_calls.cpp) reach it and the transaction rules of store::impl
// (store_impl.hpp) without seeing its internals.
#pragma once

#include "hotline/store.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <functional>
#include <string_view>

namespace hotline::detail {

class pg_connection;  // pg_connection.hpp (libpq's header stays out of this one)

struct store_access {
  /// `f` inside one BEGIN IMMEDIATE transaction (or inside the open batch);
  /// SQLite errors become storage_error / conflict_error naming `what`.
  static void write(store& s, std::string_view what, const std::function<void(SQLite::Database&)>& f);
  /// `f` with SQLite errors translated as above.
  static void read(const store& s, std::string_view what, const std::function<void(SQLite::Database&)>& f);
  /// On PostgreSQL (store_pg.hpp): `f` with the store's connection under the same
  /// rules (write: in one transaction holding the write lock), and true; on SQLite
  /// false, and `f` is not called.
  static bool pg_write(store& s, std::string_view what, const std::function<void(pg_connection&)>& f);
  /// Whether the store was opened on PostgreSQL.
  static bool on_pg(const store& s);
  static bool pg_read(const store& s, std::string_view what, const std::function<void(pg_connection&)>& f);
};

}  // namespace hotline::detail
