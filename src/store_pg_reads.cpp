// Reading the work-order store on PostgreSQL (store_pg.hpp): the look-ups of the
// commands, orders and their counts, events, the log, the chain's verification and its
// head.  The rows, blocks and hashes are decoded by the same code as SQLite's.
#include "store_impl.hpp"

#include "signed_head_log.hpp"
#include "store_block_events.hpp"
#include "store_chain_check.hpp"
#include "store_masking.hpp"
#include "store_rows.hpp"
#include "store_values.hpp"
#include "store_where.hpp"

#include <algorithm>
#include <chrono>

namespace hotline {

using detail::pg_param;

namespace {

std::vector<pg_param> params_of(const detail::where_clause& w) {
  std::vector<pg_param> p;
  for (const auto& v : w.values) {
    if (const auto* n = std::get_if<std::int64_t>(&v)) p.emplace_back(*n);
    else p.emplace_back(std::get<std::string>(v));
  }
  return p;
}

/// The full hash of the event before `first_id` (the last of the block before it).
std::string hash_before(detail::pg_connection& c, std::int64_t first_id) {
  auto r = c.exec_prepared("hl_hash_before",
                           "SELECT substring(hashes from octet_length(hashes) - 31) FROM event_blocks "
                           "WHERE first_id < $1 ORDER BY first_id DESC LIMIT 1",
                           {pg_param(first_id)}, "reading the event chain");
  if (!r.rows()) return std::string(detail::full_hash_bytes, '\0');
  return r.bytes(0, 0);
}

}  // namespace

// ---- what the commands read (store_commands.cpp) ----------------------------------

bool store::impl::pg_select_order(std::string_view number, cached& c) {
  auto r = pg->conn.exec_prepared("hl_select_order", "SELECT " + detail::order_columns() + " FROM orders WHERE number = $1",
                                  {pg_param(number)}, "reading a work order");
  if (!r.rows()) return false;
  c.id = detail::read_order_pg(r, 0, c.order, &c.actions);
  return true;
}

bool store::impl::pg_number_in_file(std::string_view number) {
  auto& c = pg->conn;
  if (!in_tx)
    return c.exec_prepared("hl_number", "SELECT 1 FROM orders WHERE number = $1", {pg_param(number)},
                           "looking a number up")
               .rows() > 0;
  // generate_number asks about "YYYYMMDD-<next id>", the ids rising through the
  // transaction.  A round trip per create cost a batch 70 % of its time
  // (benchmarks/bench_store_pg.cpp), so the day's numbers from the first one asked on are
  // read once per transaction (under the write lock nobody adds one meanwhile): generated
  // numbers of lower ids sort below it, so what comes back is the few given by hand.  The
  // range runs through the number's index in byte order (the column is COLLATE "C").  A
  // number that sorts below the first one read (ids passing from 8 digits to 9) reads
  // the day again.
  const std::string receipt_day(number.substr(0, 8));
  auto [from, fresh] = pg->hand_from.try_emplace(receipt_day, number);
  if (fresh || number < from->second) {
    from->second = std::string(number);
    const auto r = c.exec_prepared("hl_hand_numbers", "SELECT number FROM orders WHERE number >= $1 AND number < $2",
                                   {pg_param(number), pg_param(receipt_day + '.')},  // '.' sorts right after '-'
                                   "reading the numbers given by hand");
    for (int row = 0; row < r.rows(); ++row) pg->hand_numbers.emplace(r.text(row, 0));
  }
  return pg->hand_numbers.count(std::string(number)) > 0;
}

// ---- orders ----------------------------------------------------------------------

std::optional<work_order> store::impl::pg_get(std::string_view number, bool reveal) {
  auto r = pg->conn.exec_prepared("hl_select_order", "SELECT " + detail::order_columns() + " FROM orders WHERE number = $1",
                                  {pg_param(number)}, "reading a work order");
  if (!r.rows()) return std::nullopt;
  work_order o;
  detail::read_order_pg(r, 0, o);
  if (!reveal) detail::mask_in_place(o);
  return o;
}

std::vector<work_order> store::impl::pg_orders(const order_query& q) {
  const auto w = detail::build_where(q);
  const char* order_by = q.overdue_as_of ? " ORDER BY next_due, id"
                         : q.warned_as_of ? " ORDER BY next_warn, id"
                                          : " ORDER BY id";
  std::string sql = "SELECT " + detail::order_columns() + " FROM orders" + w.sql + order_by;
  if (q.limit) sql.append(" LIMIT ").append(std::to_string(q.limit));
  auto r = pg->conn.exec(detail::pg_sql(sql), params_of(w), "querying work orders");
  std::vector<work_order> out(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) {
    detail::read_order_pg(r, i, out[static_cast<std::size_t>(i)]);
    if (!q.reveal) detail::mask_in_place(out[static_cast<std::size_t>(i)]);
  }
  return out;
}

std::size_t store::impl::pg_count(const order_query& q) {
  const auto w = detail::build_where(q);
  auto r = pg->conn.exec(detail::pg_sql("SELECT COUNT(*) FROM orders" + w.sql), params_of(w), "counting work orders");
  return static_cast<std::size_t>(r.int64(0, 0));
}

// ---- events ----------------------------------------------------------------------

std::vector<event> store::impl::pg_events(std::string_view number, bool reveal) {
  auto& c = pg->conn;
  auto r = c.exec_prepared("hl_order_blocks",
                           "SELECT b.first_id, b.order_id, b.first_seq, b.body, b.hashes FROM event_blocks b "
                           "WHERE b.order_id = (SELECT id FROM orders WHERE number = $1) ORDER BY b.first_seq",
                           {pg_param(number)}, "reading events");
  std::vector<event> out;
  std::string body, hashes;
  const std::string num(number);
  for (int i = 0; i < r.rows(); ++i) {
    r.bytes(i, 3, body);
    r.bytes(i, 4, hashes);
    std::string prev;  // an order's blocks are not next to each other in the log
    detail::read_block_events({r.int64(i, 0), r.int64(i, 1), r.int64(i, 2), num, body, hashes}, reveal, out, prev,
                              [&](std::int64_t first) { return hash_before(c, first); });
  }
  return out;
}

std::vector<event> store::impl::pg_log(std::int64_t from_id, std::size_t limit, bool reveal) {
  std::vector<event> out;
  if (limit == 0) return out;
  auto& c = pg->conn;
  // From the block holding from_id on; at most `limit` blocks (each holds at least one event).
  auto r = c.exec_prepared("hl_log",
                           "SELECT b.first_id, b.order_id, b.first_seq, o.number, b.body, b.hashes FROM event_blocks b "
                           "JOIN orders o ON o.id = b.order_id WHERE b.first_id >= "
                           "(SELECT COALESCE(MAX(first_id), 0) FROM event_blocks WHERE first_id <= $1) "
                           "ORDER BY b.first_id LIMIT $2",
                           {pg_param(from_id), pg_param(static_cast<std::int64_t>(limit) + 1)}, "reading events");
  std::string body, hashes, prev;  // the blocks come in log order: each chains on the one before
  for (int i = 0; i < r.rows() && out.size() < limit; ++i) {
    r.bytes(i, 4, body);
    r.bytes(i, 5, hashes);
    const std::string number(r.text(i, 3));
    detail::read_block_events({r.int64(i, 0), r.int64(i, 1), r.int64(i, 2), number, body, hashes}, reveal, out, prev,
                              [&](std::int64_t first) { return hash_before(c, first); }, from_id, limit);
  }
  return out;
}

// ---- integrity -------------------------------------------------------------------

chain_report store::impl::pg_verify(const head_receipt* receipt, const ed25519_public_key* key) {
  std::optional<detail::chain_check> check;
  auto& c = pg->conn;
  // In pages of blocks by id, so that a province's log is never in memory at once, in
  // one snapshot (the signed heads too), so that writers appending meanwhile are not
  // half seen.
  detail::pg_snapshot(c, "verifying the event chain", [&] {
    check.emplace(key, key ? pg_signed_heads() : std::vector<head_receipt>{}, receipt);
    if (!check->start()) return;
    std::int64_t after = 0;
    std::string body, hashes;
    for (bool more = true; more;) {
      auto r = c.exec_prepared("hl_verify_page",
                               "SELECT first_id, order_id, first_seq, n, body, hashes FROM event_blocks "
                               "WHERE first_id > $1 ORDER BY first_id LIMIT 20000",
                               {pg_param(after)}, "verifying the event chain");
      more = r.rows() == 20000;
      for (int i = 0; i < r.rows(); ++i) {
        r.bytes(i, 4, body);
        r.bytes(i, 5, hashes);
        after = r.int64(i, 0);
        if (!check->block(after, r.int64(i, 1), r.int64(i, 2), r.int64(i, 3), body, hashes)) {
          more = false;
          break;
        }
      }
    }
  });
  return check->finish();
}

head_receipt store::impl::pg_head() {
  auto r = pg->conn.exec_prepared("hl_head",
                                  "SELECT first_id + n - 1, substring(hashes from octet_length(hashes) - 31) "
                                  "FROM event_blocks ORDER BY first_id DESC LIMIT 1",
                                  {}, "reading the chain head");
  head_receipt h;
  if (r.rows()) {
    h.event_count = r.int64(0, 0);
    const auto hash = r.bytes(0, 1);
    std::copy(hash.begin(), hash.end(), reinterpret_cast<char*>(h.head_hash.data()));
  }
  if (h.event_count > 0)
    if (auto s = pg_signed_head_at(h.event_count); s && s->head_hash == h.head_hash) return *s;
  h.signed_at = std::chrono::floor<seconds>(std::chrono::system_clock::now());
  return h;
}

// ---- signed heads (the table of signed_head_log.hpp, bigint and bytea) ------------

namespace {

constexpr const char* head_columns = "SELECT event_count, head_hash, signed_at, key_id, signature FROM signed_heads ";

head_receipt head_of_row(const detail::pg_result& r, int i) {
  return detail::stored_head(r.int64(i, 0), r.bytes(i, 1), r.int64(i, 2), r.text(i, 3), r.bytes(i, 4));
}

}  // namespace

std::optional<head_receipt> store::impl::pg_signed_head_at(std::int64_t count) {
  auto r = count < 0 ? pg->conn.exec_prepared("hl_last_head", std::string(head_columns) + "ORDER BY event_count DESC LIMIT 1",
                                              {}, "reading the signed heads")
                     : pg->conn.exec_prepared("hl_head_at", std::string(head_columns) + "WHERE event_count = $1",
                                              {pg_param(count)}, "reading the signed heads");
  if (!r.rows()) return std::nullopt;
  return head_of_row(r, 0);
}

std::vector<head_receipt> store::impl::pg_signed_heads() {
  auto r = pg->conn.exec_prepared("hl_all_heads", std::string(head_columns) + "ORDER BY event_count", {},
                                  "reading the signed heads");
  std::vector<head_receipt> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) out.push_back(head_of_row(r, i));
  return out;
}

void store::impl::pg_insert_head(const head_receipt& h) {
  const std::string_view hash(reinterpret_cast<const char*>(h.head_hash.data()), h.head_hash.size());
  const std::string_view sig(reinterpret_cast<const char*>(h.signature->data()), h.signature->size());
  pg->conn.exec_prepared("hl_insert_head",
                         "INSERT INTO signed_heads(event_count, head_hash, signed_at, key_id, signature) "
                         "VALUES($1, $2, $3, $4, $5)",
                         {pg_param(h.event_count), pg_param::bytes(hash),
                          pg_param(static_cast<std::int64_t>(h.signed_at.time_since_epoch().count())),
                          pg_param(h.key_id), pg_param::bytes(sig)},
                         "writing a signed head");
}

}  // namespace hotline
