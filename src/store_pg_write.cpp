// The work-order store's write path on PostgreSQL (store_pg.hpp): a transaction under
// the store's advisory lock, the projection's rows (new orders by COPY, changed ones by
// a version-checked UPDATE), the event blocks by COPY, the running counts by one
// upsert, and NOTIFY for the urgent orders.  What is written is the same bytes as on
// SQLite: the blocks, their hashes and the rows come from the shared codec and chain.
#include "store_impl.hpp"

#include "store_chain.hpp"
#include "store_codec.hpp"
#include "store_rows.hpp"
#include "store_values.hpp"
#include "work_order_fields.hpp"

#include <map>

namespace hotline {

namespace {
constexpr const char* copy_orders_prefix = "COPY orders(";
const std::string& copy_orders_sql() {
  static const std::string s = std::string(copy_orders_prefix) + detail::order_columns() + ") FROM STDIN";
  return s;
}
const std::string& update_order_sql_pg() {
  static const std::string s = detail::pg_sql(detail::update_order_sql());
  return s;
}
}  // namespace

void store::impl::pg_begin_tx() {
  auto& c = pg->conn;
  c.reset_if_broken("beginning a transaction");
  // BEGIN and the write lock in one round trip (the simple protocol runs them in order):
  // writers one after another (store_pg.hpp), the lock held to COMMIT or ROLLBACK.
  const std::string begin =
      "BEGIN; SELECT pg_advisory_xact_lock(" + std::to_string(detail::pg_write_lock_key) + ")";
  try {
    c.exec(begin, "beginning a transaction and waiting for the write lock");
  } catch (const storage_error&) {
    if (c.in_transaction()) {  // BEGIN went through, the lock failed (cancelled, a timeout)
      in_tx = true;
      throw;
    }
    // A connection the server dropped since the last call (a restart, an idle timeout,
    // pg_terminate_backend) is only noticed now; nothing was sent yet: reconnect once.
    if (!c.broken()) throw;
    c.reset_if_broken("beginning a transaction");
    c.exec(begin, "beginning a transaction and waiting for the write lock");
  }
  in_tx = true;
  pg->hand_from.clear();
  pg->hand_numbers.clear();
  // Where the log ends and the last order id, read under the lock, in one round trip.
  auto r = c.exec_prepared(
      "hl_chain_end",
      "SELECT b.first_id + b.n, substring(b.hashes from octet_length(b.hashes) - 31), "
      "(SELECT COALESCE(MAX(id), 0) FROM orders), (SELECT COALESCE(MAX(event_count), 0) FROM signed_heads) "
      "FROM (SELECT 1) one LEFT JOIN (SELECT first_id, n, hashes FROM event_blocks ORDER BY first_id DESC LIMIT 1) b "
      "ON true",
      {}, "reading where the event log ends");
  if (!r.null(0, 0)) {
    next_event_id = r.int64(0, 0);
    r.bytes(0, 1, last_hash);
  } else {
    next_event_id = 1;
    last_hash.assign(detail::full_hash_bytes, '\0');
  }
  next_order_id = r.int64(0, 2) + 1;
  signed_count = r.int64(0, 3);
}

void store::impl::pg_flush() {
  auto& c = pg->conn;
  // 1. Orders already in the database: a version-checked UPDATE each.
  std::size_t made = 0;
  for (cached* e : touched) {
    if (e->file.version == 0) {
      ++made;
      continue;
    }
    detail::encode_rest(e->order, rest_buf);
    auto params = detail::order_params(e->order, e->id, e->actions, rest_buf);
    params.emplace_back(e->file.version);
    const auto r = c.exec_prepared("hl_update_order", update_order_sql_pg(), params, "updating a work order");
    if (r.affected() != 1)
      throw conflict_error("conflict: order " + e->order.number + " was changed by another writer (expected version " +
                           std::to_string(e->file.version) + ")");
  }
  // 2. The new orders by COPY, sent in pieces as they are encoded, and 3. the blocks
  // hashed on the chain as it stands under the lock while the server still inserts the
  // orders (copy_end returns once the rows are sent): the client's encoding and hashing
  // overlap the server's inserts instead of adding to them.
  constexpr std::size_t piece = 256u << 10;
  auto& rows = pg->copy_orders;
  auto& b = pg->copy_blocks;
  rows.clear();
  b.clear();
  try {
    if (made) {
      c.copy_begin(copy_orders_sql(), "writing new work orders");
      for (cached* e : touched) {
        if (e->file.version != 0) continue;
        detail::encode_rest(e->order, rest_buf);
        detail::append_order_copy_row(rows, e->order, e->id, e->actions, rest_buf);
        if (rows.size() >= piece) {
          c.copy_put(rows, "writing new work orders");
          rows.clear();
        }
      }
      c.copy_put(rows, "writing new work orders");
      c.copy_end("writing new work orders");
    }
    for (cached* e : touched) {
      e->file.version = e->order.version;
      move_count(*e, e->file);
      const auto n = static_cast<std::int64_t>(e->ends.size());
      detail::hash_block(e->body, e->ends, next_event_id, e->id, e->first_seq, last_hash, hashes_buf);
      if (b.empty()) detail::copy_binary_header(b);
      detail::copy_binary_row(b, 6);
      detail::copy_binary_int8(b, next_event_id);
      detail::copy_binary_int8(b, e->id);
      detail::copy_binary_int8(b, e->first_seq);
      detail::copy_binary_int8(b, n);
      detail::copy_binary_bytes(b, e->body);
      detail::copy_binary_bytes(b, hashes_buf);
      next_event_id += n;
      e->body.clear();
      e->ends.clear();
      e->touched = false;
    }
  } catch (...) {
    if (made) c.copy_abort();  // the connection back from the COPY for the ROLLBACK
    throw;
  }
  touched.clear();
  if (made) c.copy_finish("writing new work orders");
  if (!b.empty()) {
    detail::copy_binary_trailer(b);
    c.copy_in("COPY event_blocks(first_id, order_id, first_seq, n, body, hashes) FROM STDIN (FORMAT binary)", b,
              "appending events");
  }
  pg_write_counts();
}

void store::impl::pg_write_counts() {
  // One statement for the transaction's groups: arrays unnested into the upsert.
  std::vector<std::string> cols(10);
  std::size_t rows = 0;
  const auto add = [](std::string& arr, std::string_view v, bool quote) {
    arr += arr.empty() ? "{" : ",";
    if (!quote) {
      arr += v;
      return;
    }
    arr += '"';
    for (const char ch : v) {
      if (ch == '"' || ch == '\\') arr += '\\';
      arr += ch;
    }
    arr += '"';
  };
  count_changes.for_each([&](const detail::count_key& k, std::int64_t n) {
    add(cols[0], std::to_string(k.day), false);
    add(cols[1], k.district, true);
    add(cols[2], k.unit, true);
    add(cols[3], to_string(k.type), true);
    add(cols[4], to_string(k.state), true);
    add(cols[5], k.transferred ? "1" : "0", false);
    add(cols[6], k.subject, true);
    add(cols[7], k.topic, true);
    add(cols[8], k.sub_topic, true);
    add(cols[9], std::to_string(n), false);
    ++rows;
  });
  count_changes.clear();
  if (rows == 0) return;
  std::vector<detail::pg_param> params;
  for (auto& col : cols) params.emplace_back(col + "}");
  pg->conn.exec_prepared(
      "hl_counts",
      "INSERT INTO order_counts(day, district, unit, request_type, state, transferred, complaint_subject, topic, "
      "sub_topic, n) SELECT * FROM unnest($1::integer[], $2::text[], $3::text[], $4::text[], $5::text[], "
      "$6::integer[], $7::text[], $8::text[], $9::text[], $10::bigint[]) "
      "ON CONFLICT (day, district, unit, request_type, state, transferred, complaint_subject, topic, sub_topic) "
      "DO UPDATE SET n = order_counts.n + excluded.n",
      params, "updating the report counts");
}

void store::impl::pg_commit() {
  pg_flush();
  maybe_sign();  // the head as it stands under the lock: the signature is this commit's
  auto& c = pg->conn;
  for (const auto& o : urgent_pending)
    c.exec("SELECT pg_notify($1, $2)", {detail::pg_param(detail::pg_urgent_channel), detail::pg_param(o.number)},
           "announcing an urgent order");
  c.exec("COMMIT", "committing");
  in_tx = false;
  cache.clear();
  fire_urgent();
}

void store::impl::pg_rollback_tx() noexcept {
  if (in_tx) {
    try {
      if (!pg->conn.broken()) pg->conn.exec("ROLLBACK", "rolling back");
    } catch (...) {
    }
  }
  in_tx = false;
  count_changes.clear();
}

}  // namespace hotline

namespace hotline {

// ---- the replay (rebuild_projection) ---------------------------------------------

std::size_t store::impl::pg_replay_projection() {
  auto& c = pg->conn;
  // The blocks keep referring to the orders' ids: the foreign key is checked at COMMIT.
  c.exec("DELETE FROM orders", "rebuilding the projection");
  c.exec("DELETE FROM order_counts", "rebuilding the projection");
  std::size_t n = 0;
  std::int64_t cur = -1;
  work_order o;
  std::map<std::string, int> counts;
  std::string actions, copy;
  const auto emit = [&] {
    if (cur < 0) return;
    actions = detail::counted_actions_json(counts);
    detail::encode_rest(o, rest_buf);
    detail::append_order_copy_row(copy, o, cur, actions, rest_buf);
    count_changes.add(detail::count_key_of(o), 1);
    ++n;
    if (copy.size() > (8u << 20)) {
      c.copy_in(copy_orders_sql(), copy, "rebuilding the projection");
      copy.clear();
    }
  };
  std::vector<detail::block_event> evs;
  std::vector<std::string_view> slices;
  std::vector<field_change> changes;
  std::string body;
  // In pages of blocks by (order, first event), so that the log is never in memory at once.
  std::int64_t after_order = 0, after_seq = 0;
  for (bool more = true; more;) {
    auto r = c.exec_prepared("hl_replay_page",
                             "SELECT order_id, first_seq, body FROM event_blocks WHERE (order_id, first_seq) > ($1, $2) "
                             "ORDER BY order_id, first_seq LIMIT 20000",
                             {detail::pg_param(after_order), detail::pg_param(after_seq)}, "rebuilding the projection");
    more = r.rows() == 20000;
    for (int i = 0; i < r.rows(); ++i) {
      const std::int64_t id = r.int64(i, 0), seq = r.int64(i, 1);
      after_order = id;
      after_seq = seq;
      if (id != cur) {
        emit();
        cur = id;
        o = work_order{};
        counts.clear();
      }
      r.bytes(i, 2, body);
      detail::parse_block(body, evs, slices);
      for (std::size_t k = 0; k < evs.size(); ++k) {
        changes.clear();
        if (evs[k].changes) detail::decode_changes_v2(*evs[k].changes, evs[k].at, changes);
        o.version = seq + static_cast<std::int64_t>(k);
        o.state = parse_enum<order_state>(evs[k].state_after);
        if (const auto a = parse_enum<action>(evs[k].action); detail::counted_action(a)) ++counts[std::string(evs[k].action)];
        for (const auto& ch : changes)
          if (!set_field(o, ch.field, ch.after))
            throw storage_error("event of order id " + std::to_string(id) + " changes an unknown field " + ch.field);
      }
    }
  }
  emit();
  if (!copy.empty()) c.copy_in(copy_orders_sql(), copy, "rebuilding the projection");
  pg_write_counts();
  return n;
}

}  // namespace hotline
