// Reading the projection `orders` on SQLite: one order, lists and counts by an
// order_query (its WHERE clause), and the look-ups by number the commands need.
// SQLite-specific; the columns are store_rows.hpp's, the masking back-end-neutral.
#include "store_impl.hpp"

#include "store_rows.hpp"
#include "store_where.hpp"
#include "store_values.hpp"
#include "work_order_fields.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <variant>

namespace hotline {

using detail::raw_stmt;
using detail::raw_text;
using detail::reset_on_exit;
using detail::secs;

// ---- what the commands read (store_commands.cpp) ----------------------------------

bool store::impl::select_order(std::string_view number, cached& c) {
  if (pg) return pg_select_order(number, c);
  auto& sel = imp ? imp->select_order : st_select_order;
  sqlite3* h = rdb().getHandle();
  if (!sel) sel.emplace(h, "SELECT " + detail::order_columns() + " FROM orders WHERE number = ?");
  sqlite3_stmt* st = sel->st;
  sqlite3_bind_text(st, 1, number.data(), static_cast<int>(number.size()), SQLITE_STATIC);
  const reset_on_exit done(*sel);
  if (!sel->step(h)) return false;
  c.id = detail::read_order_raw(st, c.order, &c.actions);
  return true;
}

bool store::impl::number_in_file(std::string_view number) {
  if (pg) return pg_number_in_file(number);
  auto& sel = st_select_number;
  sqlite3* h = rdb().getHandle();
  if (!sel) sel.emplace(h, "SELECT 1 FROM orders WHERE number = ?");
  sqlite3_bind_text(sel->st, 1, number.data(), static_cast<int>(number.size()), SQLITE_STATIC);
  const reset_on_exit done(*sel);
  return sel->step(h);
}

void store::impl::read_hand_numbers(std::string_view prefix) {
  auto& s = *imp;
  if (!s.days_read.emplace(prefix).second) return;
  sqlite3* h = s.reader.getHandle();
  if (!s.select_hand_numbers)
    s.select_hand_numbers.emplace(
        h, "SELECT number FROM orders WHERE number > ? AND number < ? AND CAST(substr(number, 10) AS INTEGER) >= ?");
  sqlite3_stmt* st = s.select_hand_numbers->st;
  const std::string from = std::string(prefix) + '-', to = std::string(prefix) + '.';  // '.' sorts right after '-'
  sqlite3_bind_text(st, 1, from.data(), static_cast<int>(from.size()), SQLITE_STATIC);
  sqlite3_bind_text(st, 2, to.data(), static_cast<int>(to.size()), SQLITE_STATIC);
  sqlite3_bind_int64(st, 3, next_order_id);
  const reset_on_exit done(*s.select_hand_numbers);
  while (s.select_hand_numbers->step(h)) {
    const auto n = raw_text(st, 0);
    if (const auto id = generated_id(n); id && *id >= next_order_id) s.hand_numbers.emplace(n);
  }
}

// ---- the public reads ----------------------------------------------------------

std::optional<work_order> store::get(std::string_view number, bool reveal) const {
  const auto guard = p_->guard();
  return p_->read("reading a work order", [&]() -> std::optional<work_order> {
    if (p_->pg) return p_->pg_get(number, reveal);
    sqlite3* h = p_->db.getHandle();
    raw_stmt st(h, "SELECT " + detail::order_columns() + " FROM orders WHERE number = ?");
    sqlite3_bind_text(st.st, 1, number.data(), static_cast<int>(number.size()), SQLITE_STATIC);
    if (!st.step(h)) return std::nullopt;
    work_order o;
    detail::read_order_raw(st.st, o);
    if (!reveal) detail::mask_in_place(o);
    return o;
  });
}

namespace {
void bind_where(const detail::where_clause& w, sqlite3_stmt* st) {
  for (std::size_t i = 0; i < w.values.size(); ++i) {
    const int k = static_cast<int>(i + 1);
    if (const auto* n = std::get_if<std::int64_t>(&w.values[i])) sqlite3_bind_int64(st, k, *n);
    else {
      const auto& t = std::get<std::string>(w.values[i]);
      sqlite3_bind_text(st, k, t.data(), static_cast<int>(t.size()), SQLITE_TRANSIENT);
    }
  }
}
}  // namespace

std::vector<work_order> store::orders(const order_query& q) const {
  const auto guard = p_->guard();
  return p_->read("querying work orders", [&] {
    if (p_->pg) return p_->pg_orders(q);
    const auto w = detail::build_where(q);
    // Overdue and warned lists come most urgent first, which is also the order of
    // their partial indexes (ORDER BY id would make SQLite scan the whole table).
    const char* order_by = q.overdue_as_of ? " ORDER BY next_due, id"
                           : q.warned_as_of ? " ORDER BY next_warn, id"
                                            : " ORDER BY id";
    std::string sql = "SELECT " + detail::order_columns() + " FROM orders" + w.sql + order_by;
    if (q.limit) sql.append(" LIMIT ").append(std::to_string(q.limit));
    sqlite3* h = p_->db.getHandle();
    raw_stmt st(h, sql);
    bind_where(w, st.st);
    std::vector<work_order> out;
    {
      // One allocation for the result (a count over the same index is ~0.1 ms):
      // growing a vector of ~1 KB orders costs more than the rows themselves.
      raw_stmt cnt(h, "SELECT COUNT(*) FROM orders" + w.sql);
      bind_where(w, cnt.st);
      cnt.step(h);
      auto n = static_cast<std::size_t>(sqlite3_column_int64(cnt.st, 0));
      if (q.limit) n = std::min(n, q.limit);
      out.reserve(n);
    }
    while (st.step(h)) {
      work_order& o = out.emplace_back();
      detail::read_order_raw(st.st, o);
      if (!q.reveal) detail::mask_in_place(o);
    }
    return out;
  });
}

std::size_t store::count(const order_query& q) const {
  const auto guard = p_->guard();
  return p_->read("counting work orders", [&] {
    if (p_->pg) return p_->pg_count(q);
    const auto w = detail::build_where(q);
    sqlite3* h = p_->db.getHandle();
    raw_stmt st(h, "SELECT COUNT(*) FROM orders" + w.sql);
    bind_where(w, st.st);
    st.step(h);
    return static_cast<std::size_t>(sqlite3_column_int64(st.st, 0));
  });
}

}  // namespace hotline
