// The projection's columns and their binding (store_rows.hpp): apart so that the write
// path, the replay and the queries share one definition of a row.  SQLite-specific.
#include "store_rows.hpp"

#include "store_codec.hpp"
#include "store_sqlite.hpp"
#include "store_values.hpp"
#include "work_order_fields.hpp"

#include <optional>
#include <string_view>
#include <type_traits>

namespace hotline::detail {

const std::vector<std::string>& column_field_names() {
  static const std::vector<std::string> v = [] {
    std::vector<std::string> r;
    work_order o;
    std::size_t pos = 0;
    for_each_field(o, [&](const char* n, auto&, personal) {
      if (is_projection_column(pos++)) r.emplace_back(n);
    });
    return r;
  }();
  return v;
}
int actions_column() { return fixed_columns + static_cast<int>(column_field_names().size()); }
int rest_column() { return actions_column() + 1; }

const std::string& order_columns() {
  static const std::string s = [] {
    std::string r = "id, number, version, state, open, next_due, next_warn";
    for (const auto& n : column_field_names()) r.append(", \"").append(n).append("\"");
    r.append(", actions, rest");
    return r;
  }();
  return s;
}

std::string insert_order_sql() {
  std::string sql = "INSERT INTO orders(" + order_columns() + ") VALUES(?";
  for (int i = 1; i <= rest_column(); ++i) sql.append(",?");
  sql.append(")");
  return sql;
}

std::string update_order_sql() {
  // Same binding order as the insert: id first, then every column.
  std::string sql = "UPDATE orders SET number = ?2, version = ?3, state = ?4, open = ?5, next_due = ?6, next_warn = ?7";
  int i = fixed_columns + 1;
  for (const auto& n : column_field_names()) sql.append(", \"").append(n).append("\" = ?").append(std::to_string(i++));
  sql.append(", actions = ?").append(std::to_string(i++));
  sql.append(", rest = ?").append(std::to_string(i++));
  sql.append(" WHERE id = ?1 AND version = ?").append(std::to_string(i));
  return sql;
}

namespace {

void read_raw(sqlite3_stmt* st, int i, std::string& v) { v.assign(raw_text(st, i)); }
void read_raw(sqlite3_stmt* st, int i, bool& v) { v = sqlite3_column_int64(st, i) != 0; }
void read_raw(sqlite3_stmt* st, int i, int& v) { v = static_cast<int>(sqlite3_column_int64(st, i)); }
void read_raw(sqlite3_stmt* st, int i, instant& v) { v = at_secs(sqlite3_column_int64(st, i)); }
void read_raw(sqlite3_stmt* st, int i, std::optional<instant>& v) {
  if (sqlite3_column_type(st, i) == SQLITE_NULL) v.reset();
  else v = at_secs(sqlite3_column_int64(st, i));
}
template <class E, std::enable_if_t<std::is_enum_v<E>, int> = 0>
void read_raw(sqlite3_stmt* st, int i, E& v) {
  v = hotline::parse_enum<E>(raw_text(st, i));
}

void raw_bind(sqlite3_stmt* st, int i, const std::string& v) {
  sqlite3_bind_text(st, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
}
void raw_bind(sqlite3_stmt* st, int i, bool v) { sqlite3_bind_int(st, i, v ? 1 : 0); }
void raw_bind(sqlite3_stmt* st, int i, int v) { sqlite3_bind_int(st, i, v); }
void raw_bind(sqlite3_stmt* st, int i, instant v) { sqlite3_bind_int64(st, i, secs(v)); }
void raw_bind(sqlite3_stmt* st, int i, const std::optional<instant>& v) {
  if (v) sqlite3_bind_int64(st, i, secs(*v));
  else sqlite3_bind_null(st, i);
}
template <class E, std::enable_if_t<std::is_enum_v<E>, int> = 0>
void raw_bind(sqlite3_stmt* st, int i, E v) {
  const auto name = to_string(v);  // names are NUL-terminated literals
  sqlite3_bind_text(st, i, name.data(), static_cast<int>(name.size()), SQLITE_STATIC);
}

}  // namespace

std::int64_t read_order_raw(sqlite3_stmt* st, work_order& o, std::string* actions) {
  o.number.assign(raw_text(st, 1));
  o.version = sqlite3_column_int64(st, 2);
  o.state = hotline::parse_enum<order_state>(raw_text(st, 3));
  int i = fixed_columns;
  std::size_t pos = 0;
  for_each_field(o, [&](const char*, auto& v, personal) {
    if (is_projection_column(pos++)) read_raw(st, i++, v);
  });
  if (actions) actions->assign(raw_text(st, actions_column()));
  decode_rest(raw_blob(st, rest_column()), o);
  return sqlite3_column_int64(st, 0);
}

void bind_order(sqlite3_stmt* st, const work_order& o, std::int64_t id, const std::string& actions,
                const std::string& rest) {
  sqlite3_bind_int64(st, 1, id);
  raw_bind(st, 2, o.number);
  sqlite3_bind_int64(st, 3, o.version);
  raw_bind(st, 4, o.state);
  sqlite3_bind_int(st, 5, is_open(o.state) ? 1 : 0);
  raw_bind(st, 6, o.next_due());
  raw_bind(st, 7, o.next_warn());
  int i = fixed_columns + 1;
  std::size_t pos = 0;
  for_each_field(o, [&](const char* n, const auto& v, personal) {
    if (!is_projection_column(pos++)) return;
    if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::string>) {
      if (v.empty() && n[0] == 'u' && std::string_view(n) == "unit") {  // NULL: no unit (foreign key)
        sqlite3_bind_null(st, i++);
        return;
      }
    }
    raw_bind(st, i++, v);
  });
  if (actions.empty()) sqlite3_bind_null(st, i++);
  else sqlite3_bind_text(st, i++, actions.data(), static_cast<int>(actions.size()), SQLITE_STATIC);
  sqlite3_bind_blob(st, i, rest.data(), static_cast<int>(rest.size()), SQLITE_STATIC);
}

}  // namespace hotline::detail
