// The work-order store's integrity on SQLite: the whole event chain re-hashed and
// checked (verify_log), against signed heads or a receipt, and the chain's head signed
// or read.  The checks themselves (store_chain, store_codec, signed_head_log.hpp's
// head_walk) are back-end-neutral; reading the rows is SQLite's.
#include "store_impl.hpp"

#include "signed_head_log.hpp"
#include "store_chain.hpp"
#include "store_codec.hpp"
#include "store_sha256.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <limits>

namespace hotline {

using detail::raw_blob;
using detail::raw_stmt;
using detail::text_of;

namespace {

/// The chain of the whole log; with `key`, every signed head; with `receipt`, its head.
chain_report verify_log(SQLite::Database& db, const ed25519_public_key* key, const head_receipt* receipt) {
  chain_report r;
  std::string prev(32, '\0'), buf;
  auto broken = [&](std::int64_t id, std::string why) {
    r.ok = false;
    r.first_broken = id;
    r.reason = "event " + std::to_string(id) + ": " + why;
    return r;
  };
  constexpr const char* mismatch =
      "its hash does not match its content and the previous event's hash (changed, inserted or deleted before it)";
  sqlite3* h = db.getHandle();
  detail::head_walk walk(work_order_head_domain, {"event", "events"}, key,
                         key ? detail::read_signed_heads(h) : std::vector<head_receipt>{}, receipt);
  if (!walk.receipt_signature_holds()) {
    r.ok = false;
    r.reason = walk.failure;
    return r;
  }
  // Checks what is due once event `id` (0: before the first) hashes to `hash`.
  auto at_event = [&](std::int64_t id, std::string_view hash) -> bool {
    const bool held = walk.at(id, hash);
    r.heads_checked = walk.heads_checked;
    r.signed_through = walk.signed_through;
    return held;
  };
  // A head or the receipt that does not hold: the events after the last good signature are unproven.
  auto fail_signed = [&] {
    r.ok = false;
    r.first_broken = r.signed_through + 1;
    r.reason = walk.failure;
    return r;
  };
  if (!at_event(0, prev)) return fail_signed();
  {  // the rows of `events` (schemas 1-3)
    SQLite::Statement st(db,
                         "SELECT id, order_id, seq, action, at, recorded_at, actor, role, unit, state_before, "
                         "state_after, changes, comment, hash FROM events ORDER BY id");
    while (st.executeStep()) {
      const std::string action_s = text_of(st.getColumn(3)), actor_s = text_of(st.getColumn(6)),
                        role_s = text_of(st.getColumn(7)), unit_s = text_of(st.getColumn(8)),
                        before_s = text_of(st.getColumn(9)), after_s = text_of(st.getColumn(10)),
                        changes_s = text_of(st.getColumn(11)), comment_s = text_of(st.getColumn(12)),
                        stored = text_of(st.getColumn(13));
      detail::event_row row{st.getColumn(0).getInt64(), st.getColumn(1).getInt64(), st.getColumn(2).getInt64(),
                            action_s, st.getColumn(4).getInt64(), st.getColumn(5).getInt64(), actor_s, role_s, unit_s,
                            st.getColumn(9).isNull() ? std::nullopt : std::optional<std::string_view>(before_s),
                            after_s,
                            st.getColumn(11).isNull() ? std::nullopt : std::optional<std::string_view>(changes_s),
                            comment_s};
      detail::row_canonical(row, buf);
      const auto d = detail::sha256(prev, buf);
      ++r.events_checked;
      if (std::string_view(reinterpret_cast<const char*>(d.data()), d.size()) != stored) return broken(row.id, mismatch);
      prev = stored;
      if (!at_event(row.id, prev)) return fail_signed();
    }
  }
  // The blocks (schema 4): each event hashed on its own, in id order.
  raw_stmt st(h, "SELECT first_id, order_id, first_seq, n, body, hashes FROM event_blocks ORDER BY first_id");
  std::vector<detail::block_event> evs;
  std::vector<std::string_view> slices;
  while (st.step(h)) {
    const std::int64_t first = sqlite3_column_int64(st.st, 0), order_id = sqlite3_column_int64(st.st, 1),
                       seq = sqlite3_column_int64(st.st, 2), n = sqlite3_column_int64(st.st, 3);
    const auto hashes = raw_blob(st.st, 5);
    try {
      detail::parse_block(raw_blob(st.st, 4), evs, slices);
    } catch (const storage_error&) {
      ++r.events_checked;
      return broken(first, "its block of events is malformed");
    }
    const auto layout = detail::hash_layout_of(hashes.size(), slices.size());
    if (static_cast<std::int64_t>(slices.size()) != n || layout == detail::hash_layout::invalid) {
      ++r.events_checked;
      return broken(first, "its block's event count or hashes do not match its events");
    }
    for (std::size_t k = 0; k < slices.size(); ++k) {
      const std::int64_t id = first + static_cast<std::int64_t>(k);
      const auto d = detail::block_event_hash(prev, id, order_id, seq + static_cast<std::int64_t>(k), slices[k]);
      const std::string_view computed(reinterpret_cast<const char*>(d.data()), d.size());
      ++r.events_checked;
      // A kept prefix is compared as far as it goes; the next event chains on the full
      // hash either way, so the block's last (full) hash covers every event before it.
      if (!detail::hash_agrees(computed, detail::stored_hash(hashes, layout, k, slices.size())))
        return broken(id, mismatch);
      prev.assign(computed);
      if (!at_event(id, prev)) return fail_signed();
    }
  }
  // Heads or a receipt beyond the end: events were deleted at the end of the log.
  if (!walk.end(r.events_checked)) {
    r.ok = false;
    r.first_broken = r.events_checked + 1;
    r.reason = walk.failure;
  }
  return r;
}

}  // namespace

chain_report store::verify() const {
  const auto guard = p_->guard();
  return p_->read("verifying the event chain", [&] { return verify_log(p_->db, nullptr, nullptr); });
}

chain_report store::verify(const ed25519_public_key& key) const {
  const auto guard = p_->guard();
  return p_->read("verifying the event chain and its signed heads", [&] { return verify_log(p_->db, &key, nullptr); });
}

chain_report store::verify(const head_receipt& receipt) const {
  const auto guard = p_->guard();
  return p_->read("verifying the event chain against a receipt", [&] { return verify_log(p_->db, nullptr, &receipt); });
}

chain_report store::verify(const head_receipt& receipt, const ed25519_public_key& key) const {
  const auto guard = p_->guard();
  return p_->read("verifying the event chain against a receipt",
                  [&] { return verify_log(p_->db, &key, &receipt); });
}

head_receipt store::head() const {
  const auto guard = p_->guard();
  return p_->read("reading the chain head", [&] {
    sqlite3* h = p_->db.getHandle();
    const auto end = detail::chain_end_before(h, std::numeric_limits<std::int64_t>::max());
    head_receipt r;
    r.event_count = end.next_id - 1;
    std::copy(end.hash.begin(), end.hash.end(), reinterpret_cast<char*>(r.head_hash.data()));
    std::optional<head_receipt> signed_head;
    if (r.event_count > 0) signed_head = detail::signed_head_at(h, r.event_count);
    if (signed_head && signed_head->head_hash == r.head_hash) return *signed_head;
    r.signed_at = std::chrono::floor<seconds>(std::chrono::system_clock::now());
    return r;
  });
}

std::optional<head_receipt> store::last_signed_head() const {
  const auto guard = p_->guard();
  return p_->read("reading the signed heads", [&]() -> std::optional<head_receipt> {
    return detail::signed_head_at(p_->db.getHandle(), -1);
  });
}

head_receipt store::sign_head() {
  const auto guard = p_->guard();
  if (!p_->opt.signer) throw invalid_argument_error("this store has no head signer (store_options::signer)");
  if (p_->batch_open) throw invalid_argument_error("sign_head cannot run inside a batch: commit it first");
  p_->write("signing the chain head", [&] {
    const std::int64_t count = p_->next_event_id - 1;
    if (count > 0 && count > p_->signed_count) p_->sign_head_now(count);
    return 0;
  });
  return head();
}

bool store::signs_heads() const noexcept { return static_cast<bool>(p_->opt.signer); }

}  // namespace hotline
