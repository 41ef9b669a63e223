// Reading the work-order store's event log from SQLite: an order's events, the log
// from an id on, and where the log ends (the id and hash the next event chains on).
// Rows of `events` (schemas 1-3) come before the blocks (schema 4).  SQLite-specific
// reads; the blocks' bytes (store_codec), their hashes (store_chain) and how events are
// shown (store_masking) are back-end-neutral.
#include "store_impl.hpp"

#include "store_block_events.hpp"
#include "store_chain.hpp"
#include "store_codec.hpp"
#include "store_masking.hpp"
#include "store_values.hpp"

#include <sqlite3.h>

namespace hotline {

using detail::at_secs;
using detail::hex;
using detail::raw_blob;
using detail::raw_stmt;
using detail::raw_text;
using detail::text_of;

detail::chain_end detail::chain_end_before(sqlite3* h, std::int64_t before) {
  {
    raw_stmt st(h,
                "SELECT first_id + n, substr(hashes, -32) FROM event_blocks WHERE first_id < ? "
                "ORDER BY first_id DESC LIMIT 1");
    sqlite3_bind_int64(st.st, 1, before);
    if (st.step(h)) return {sqlite3_column_int64(st.st, 0), std::string(raw_blob(st.st, 1))};
  }
  raw_stmt st(h, "SELECT id + 1, hash FROM events ORDER BY id DESC LIMIT 1");
  if (st.step(h)) return {sqlite3_column_int64(st.st, 0), std::string(raw_blob(st.st, 1))};
  return {};
}

namespace {

constexpr const char* legacy_event_columns =
    "e.id, o.number, e.seq, e.action, e.at, e.recorded_at, e.actor, e.role, e.unit, e.state_before, "
    "e.state_after, e.changes, e.comment, e.hash";

/// Events of a schema 1-3 `events` row set (legacy_event_columns).
void read_legacy_events(SQLite::Statement& st, bool reveal, std::vector<event>& out, std::size_t limit = 0) {
  while ((limit == 0 || out.size() < limit) && st.executeStep()) {
    event e;
    e.id = st.getColumn(0).getInt64();
    e.order = text_of(st.getColumn(1));
    e.seq = st.getColumn(2).getInt64();
    e.action = parse_enum<action>(st.getColumn(3).getText());
    e.at = at_secs(st.getColumn(4).getInt64());
    e.recorded_at = at_secs(st.getColumn(5).getInt64());
    e.actor = text_of(st.getColumn(6));
    e.role = parse_enum<role>(st.getColumn(7).getText());
    e.unit = text_of(st.getColumn(8));
    if (!st.getColumn(9).isNull()) e.state_before = parse_enum<order_state>(st.getColumn(9).getText());
    e.state_after = parse_enum<order_state>(st.getColumn(10).getText());
    e.changes = detail::parse_changes(text_of(st.getColumn(11)));
    e.comment = text_of(st.getColumn(12));
    e.hash = hex(text_of(st.getColumn(13)));
    detail::finish_event(e, reveal);
    out.push_back(std::move(e));
  }
}

}  // namespace

std::vector<event> store::events(std::string_view number, bool reveal) const {
  const auto guard = p_->guard();
  return p_->read("reading events", [&] {
    if (p_->pg) return p_->pg_events(number, reveal);
    std::vector<event> out;
    const std::string num(number);
    {  // written before schema 4
      SQLite::Statement st(p_->db, std::string("SELECT ") + legacy_event_columns +
                                       " FROM events e JOIN orders o ON o.id = e.order_id WHERE o.number = ? ORDER BY e.seq");
      st.bind(1, num);
      read_legacy_events(st, reveal, out);
    }
    sqlite3* h = p_->db.getHandle();
    raw_stmt st(h,
                "SELECT b.first_id, b.order_id, b.first_seq, b.body, b.hashes FROM event_blocks b "
                "WHERE b.order_id = (SELECT id FROM orders WHERE number = ?) ORDER BY b.first_seq");
    sqlite3_bind_text(st.st, 1, num.data(), static_cast<int>(num.size()), SQLITE_STATIC);
    while (st.step(h)) {
      std::string prev;  // an order's blocks are not next to each other in the log
      detail::read_block_events(
                        {sqlite3_column_int64(st.st, 0), sqlite3_column_int64(st.st, 1), sqlite3_column_int64(st.st, 2),
                         num, raw_blob(st.st, 3), raw_blob(st.st, 4)},
        reveal, out, prev, [h](std::int64_t first) { return detail::chain_end_before(h, first).hash; });
    }
    return out;
  });
}

std::vector<event> store::log(std::int64_t from_id, std::size_t limit, bool reveal) const {
  const auto guard = p_->guard();
  return p_->read("reading events", [&] {
    if (p_->pg) return p_->pg_log(from_id, limit, reveal);
    std::vector<event> out;
    if (limit == 0) return out;
    {  // written before schema 4: their ids come before every block's
      SQLite::Statement st(p_->db, std::string("SELECT ") + legacy_event_columns +
                                       " FROM events e JOIN orders o ON o.id = e.order_id WHERE e.id >= ? ORDER BY e.id LIMIT ?");
      st.bind(1, static_cast<std::int64_t>(from_id));
      st.bind(2, static_cast<std::int64_t>(limit));
      read_legacy_events(st, reveal, out);
    }
    if (out.size() >= limit) return out;
    sqlite3* h = p_->db.getHandle();
    // From the block holding from_id (the last one starting at or before it) on.
    raw_stmt st(h,
                "SELECT b.first_id, b.order_id, b.first_seq, o.number, b.body, b.hashes FROM event_blocks b "
                "JOIN orders o ON o.id = b.order_id WHERE b.first_id >= "
                "(SELECT COALESCE(MAX(first_id), 0) FROM event_blocks WHERE first_id <= ?1) ORDER BY b.first_id");
    sqlite3_bind_int64(st.st, 1, from_id);
    std::string prev;  // the blocks come in log order: each chains on the one before
    while (out.size() < limit && st.step(h))
      detail::read_block_events(
                        {sqlite3_column_int64(st.st, 0), sqlite3_column_int64(st.st, 1), sqlite3_column_int64(st.st, 2),
                         raw_text(st.st, 3), raw_blob(st.st, 4), raw_blob(st.st, 5)},
        reveal, out, prev, [h](std::int64_t first) { return detail::chain_end_before(h, first).hash; }, from_id,
        limit);
    return out;
  });
}

}  // namespace hotline
