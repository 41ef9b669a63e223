// The work-order store's write path on SQLite: transactions, the projection's rows and
// the event blocks written at flush, signed heads at commit, and the projection replayed
// from the events.  SQLite-specific (statements and transactions of its C API); what is
// written comes from the back-end-neutral commands (store_commands.cpp) and codec.
#include "store_impl.hpp"

#include "signed_head_log.hpp"
#include "store_codec.hpp"
#include "store_rows.hpp"
#include "store_values.hpp"
#include "work_order_fields.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <limits>
#include <map>

namespace hotline {

using detail::raw_stmt;
using detail::text_of;

// ---- transactions ---------------------------------------------------------

void store::impl::begin() {
  if (pg) {
    pg_begin_tx();  // reads next_order_id under the write lock
    current_liaison.clear();
    return;
  }
  begin_tx();
  {
    SQLite::Statement st(db, "SELECT COALESCE(MAX(id), 0) FROM orders");
    st.executeStep();
    next_order_id = st.getColumn(0).getInt64() + 1;
  }
  current_liaison.clear();
}

void store::impl::begin_tx() {
  if (pg) return pg_begin_tx();
  db.exec("BEGIN IMMEDIATE");
  in_tx = true;
  auto end = detail::chain_end_before(db.getHandle(), std::numeric_limits<std::int64_t>::max());
  next_event_id = end.next_id;
  last_hash = std::move(end.hash);
  if (opt.signer) signed_count = last_signed_count();
}

// ---- signed heads (schema 6) ----------------------------------------------------

std::int64_t store::impl::last_signed_count() { return detail::last_signed_count(db.getHandle(), st_signed_count); }

void store::impl::maybe_sign() {
  if (!opt.signer) return;
  const std::int64_t count = next_event_id - 1;
  if (count <= signed_count || count - signed_count < std::max<std::int64_t>(1, opt.sign_every_events)) return;
  sign_head_now(count);
}

head_receipt store::impl::sign_head_now(std::int64_t count) {
  auto r = detail::sign_head_of(work_order_head_domain, opt.signer, count, last_hash, signer_checked);
  if (pg) {
    pg_insert_head(r);
    signed_count = count;
    return r;
  }
  sqlite3* h = db.getHandle();
  if (!st_insert_head) st_insert_head.emplace(h, detail::insert_head_sql);
  detail::insert_head(h, *st_insert_head, r);
  signed_count = count;
  return r;
}

// ---- the projection and the event blocks -------------------------------------------

void store::impl::write_projection(const cached& c, in_file& file) {
  detail::encode_rest(c.order, rest_buf);
  if (file.version == 0) {
    auto& st = insert_order_stmt();
    detail::bind_order(st.st, c.order, c.id, c.actions, rest_buf);
    st.exec(db.getHandle());
  } else {
    auto& st = update_order_stmt();
    detail::bind_order(st.st, c.order, c.id, c.actions, rest_buf);
    sqlite3_bind_int64(st.st, detail::rest_column() + 2, file.version);
    st.exec(db.getHandle());
    const int n = sqlite3_changes(db.getHandle());
    if (n != 1)
      throw conflict_error("conflict: order " + c.order.number + " was changed by another writer (expected version " +
                           std::to_string(file.version) + ")");
  }
  file.version = c.order.version;
  move_count(c, file);
}

void store::impl::move_count(const cached& c, in_file& file) {
  auto k = detail::count_key_of(c.order);
  if (!file.key || *file.key != k) {
    if (file.key) count_changes.add(*file.key, -1);
    count_changes.add(k, 1);
    file.key = std::move(k);
  }
}

void store::impl::write_block(const cached& c, bool hashed) {
  const auto n = static_cast<std::int64_t>(c.ends.size());
  const std::string* hashes = &c.hashes;
  if (hashed) {
    last_hash.assign(c.hashes, c.hashes.size() - detail::full_hash_bytes, detail::full_hash_bytes);
  } else {
    detail::hash_block(c.body, c.ends, next_event_id, c.id, c.first_seq, last_hash, hashes_buf);
    hashes = &hashes_buf;
  }
  sqlite3_stmt* st = insert_block_stmt().st;
  sqlite3_bind_int64(st, 1, next_event_id);
  sqlite3_bind_int64(st, 2, c.id);
  sqlite3_bind_int64(st, 3, c.first_seq);
  sqlite3_bind_int64(st, 4, n);
  sqlite3_bind_blob(st, 5, c.body.data(), static_cast<int>(c.body.size()), SQLITE_STATIC);
  sqlite3_bind_blob(st, 6, hashes->data(), static_cast<int>(hashes->size()), SQLITE_STATIC);
  insert_block_stmt().exec(db.getHandle());
  next_event_id += n;
}

void store::impl::flush() {
  if (pg) return pg_flush();
  for (cached* c : touched) {
    write_projection(*c, c->file);
    write_block(*c);
    c->body.clear();
    c->ends.clear();
    c->touched = false;
  }
  touched.clear();
  count_changes.write(db.getHandle());
}

void store::impl::commit() {
  if (pg) return pg_commit();
  flush();
  maybe_sign();
  db.exec("COMMIT");
  in_tx = false;
  cache.clear();
  fire_urgent();
}

void store::impl::rollback_tx() noexcept {
  if (pg) return pg_rollback_tx();
  if (in_tx) {
    try {
      db.exec("ROLLBACK");
    } catch (...) {
    }
  }
  in_tx = false;
  count_changes.clear();
}

void store::impl::rollback() noexcept {
  rollback_tx();
  touched.clear();
  cache.clear();
  urgent_pending.clear();
  known_units.clear();
  batch_lost.clear();
}

void store::impl::fire_urgent() {
  for (auto& o : urgent_pending) to_announce.push_back(std::move(o));
  urgent_pending.clear();
}

// ---- statements -------------------------------------------------------------

raw_stmt& store::impl::insert_order_stmt() {
  if (!st_insert_order) st_insert_order.emplace(db.getHandle(), detail::insert_order_sql());
  return *st_insert_order;
}

raw_stmt& store::impl::update_order_stmt() {
  if (!st_update_order) st_update_order.emplace(db.getHandle(), detail::update_order_sql());
  return *st_update_order;
}

raw_stmt& store::impl::insert_block_stmt() {
  if (!st_insert_block)
    st_insert_block.emplace(db.getHandle(),
                            "INSERT INTO event_blocks(first_id, order_id, first_seq, n, body, hashes) VALUES(?,?,?,?,?,?)");
  return *st_insert_block;
}

// ---- the replay -----------------------------------------------------------------

std::size_t store::impl::replay_projection() {
  db.exec("DELETE FROM orders");
  SQLite::Statement legacy(db, "SELECT order_id, seq, action, state_after, changes FROM events ORDER BY order_id, seq");
  SQLite::Statement blocks(db, "SELECT order_id, first_seq, body FROM event_blocks ORDER BY order_id, first_seq");
  bool has_legacy = legacy.executeStep(), has_block = blocks.executeStep();
  std::size_t n = 0;
  std::int64_t cur = -1;
  work_order o;
  std::map<std::string, int> counts;
  std::string actions;
  auto emit = [&] {
    if (cur < 0) return;
    actions = detail::counted_actions_json(counts);
    detail::encode_rest(o, rest_buf);
    auto& ins = insert_order_stmt();
    detail::bind_order(ins.st, o, cur, actions, rest_buf);
    ins.exec(db.getHandle());
    ++n;
  };
  auto event_of = [&](std::int64_t id, std::int64_t seq, std::string_view act, std::string_view state,
                      const std::vector<field_change>& changes) {
    if (id != cur) {
      emit();
      cur = id;
      o = work_order{};
      counts.clear();
    }
    o.version = seq;
    o.state = parse_enum<order_state>(state);
    if (const auto a = parse_enum<action>(act); detail::counted_action(a)) ++counts[std::string(act)];
    for (const auto& c : changes)
      if (!set_field(o, c.field, c.after))
        throw storage_error("event of order id " + std::to_string(id) + " changes an unknown field " + c.field);
  };
  std::vector<detail::block_event> evs;
  std::vector<std::string_view> slices;
  std::vector<field_change> changes;
  while (has_legacy || has_block) {
    const bool take_legacy =
        has_legacy && (!has_block || std::pair(legacy.getColumn(0).getInt64(), legacy.getColumn(1).getInt64()) <
                                         std::pair(blocks.getColumn(0).getInt64(), blocks.getColumn(1).getInt64()));
    if (take_legacy) {
      const std::string act = text_of(legacy.getColumn(2)), state = text_of(legacy.getColumn(3));
      event_of(legacy.getColumn(0).getInt64(), legacy.getColumn(1).getInt64(), act, state,
               detail::parse_changes(text_of(legacy.getColumn(4))));
      has_legacy = legacy.executeStep();
      continue;
    }
    const std::int64_t id = blocks.getColumn(0).getInt64(), seq = blocks.getColumn(1).getInt64();
    const std::string body = text_of(blocks.getColumn(2));
    detail::parse_block(body, evs, slices);
    for (std::size_t k = 0; k < evs.size(); ++k) {
      changes.clear();
      if (evs[k].changes) detail::decode_changes_v2(*evs[k].changes, evs[k].at, changes);
      event_of(id, seq + static_cast<std::int64_t>(k), evs[k].action, evs[k].state_after, changes);
    }
    has_block = blocks.executeStep();
  }
  emit();
  return n;
}

}  // namespace hotline
