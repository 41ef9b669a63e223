// Private: how the store's translation units that need only the connection
// (store_facts.cpp, store_calls.cpp) reach it and the transaction rules of store::impl
// (store_impl.hpp) without seeing its internals.
#pragma once

#include "hotline/store.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <functional>
#include <string_view>

namespace hotline::detail {

struct store_access {
  /// `f` inside one BEGIN IMMEDIATE transaction (or inside the open batch);
  /// SQLite errors become storage_error / conflict_error naming `what`.
  static void write(store& s, std::string_view what, const std::function<void(SQLite::Database&)>& f);
  /// `f` with SQLite errors translated as above.
  static void read(const store& s, std::string_view what, const std::function<void(SQLite::Database&)>& f);
};

}  // namespace hotline::detail
