// Private: the columns of the projection `orders` (schema 4) and how a work_order is
// read from and bound to them (store_rows.cpp), for the write path, the replay and the
// queries.  SQLite-specific (statements of its C API); which fields are columns is the
// codec's (detail::is_projection_column), the same for any back end.
//
//   raw_stmt st(h, "SELECT " + order_columns() + " FROM orders WHERE number = ?");
//   ... read_order_raw(st.st, o);
#pragma once

#include "hotline/work_order.hpp"

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <vector>

namespace hotline::detail {

/// id, number, version, state, open, next_due, next_warn; then the column fields (those
/// of for_each_field that is_projection_column names, in its order), actions, rest.
inline constexpr int fixed_columns = 7;

/// The names of the column fields, in column order.
const std::vector<std::string>& column_field_names();
/// 0-based positions of `actions` and `rest` in order_columns().
int actions_column();
int rest_column();
/// "id, number, ..., actions, rest", for a SELECT of whole rows.
const std::string& order_columns();

/// INSERT of every column, id at ?1 (bind_order's numbering).
std::string insert_order_sql();
/// UPDATE of every column by id (?1) and expected version (the parameter after rest),
/// with bind_order's numbering.
std::string update_order_sql();

/// Reads a row of order_columns() into `o` (default-constructed); returns the id.
std::int64_t read_order_raw(sqlite3_stmt* st, work_order& o, std::string* actions = nullptr);

/// Binds every column for INSERT (id at 1) or UPDATE (same numbering).  Text is bound
/// without a copy: `o`, `actions` and `rest` outlive the statement's step.
void bind_order(sqlite3_stmt* st, const work_order& o, std::int64_t id, const std::string& actions,
                const std::string& rest);

}  // namespace hotline::detail
