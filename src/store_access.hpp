// Private: how the store's other translation units (store_facts.cpp,
// store_calls.cpp) reach the connection and the transaction rules of store.cpp
// without seeing its internals.
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
