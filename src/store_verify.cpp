// The work-order store's integrity on SQLite: the whole event chain re-hashed and
// checked (verify_log), against signed heads or a receipt, and the chain's head signed
// or read.  The checks themselves (store_chain, store_codec, signed_head_log.hpp's
// head_walk) are back-end-neutral; reading the rows is SQLite's.
#include "store_impl.hpp"

#include "signed_head_log.hpp"
#include "store_chain.hpp"
#include "store_chain_check.hpp"
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
  sqlite3* h = db.getHandle();
  detail::chain_check check(key, key ? detail::read_signed_heads(h) : std::vector<head_receipt>{}, receipt);
  if (!check.start()) return check.finish();
  std::string buf;
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
      if (!check.row(row.id, buf, stored)) return check.finish();
    }
  }
  // The blocks (schema 4).
  raw_stmt st(h, "SELECT first_id, order_id, first_seq, n, body, hashes FROM event_blocks ORDER BY first_id");
  while (st.step(h))
    if (!check.block(sqlite3_column_int64(st.st, 0), sqlite3_column_int64(st.st, 1), sqlite3_column_int64(st.st, 2),
                     sqlite3_column_int64(st.st, 3), raw_blob(st.st, 4), raw_blob(st.st, 5)))
      break;
  return check.finish();
}

}  // namespace

chain_report store::verify() const {
  const auto guard = p_->guard();
  return p_->read("verifying the event chain", [&] {
    if (p_->pg) return p_->pg_verify(nullptr);
    return verify_log(p_->db, nullptr, nullptr);
  });
}

chain_report store::verify(const ed25519_public_key& key) const {
  const auto guard = p_->guard();
  return p_->read("verifying the event chain and its signed heads", [&] {
    if (p_->pg) return p_->pg_verify(nullptr, &key);
    return verify_log(p_->db, &key, nullptr);
  });
}

chain_report store::verify(const head_receipt& receipt) const {
  const auto guard = p_->guard();
  return p_->read("verifying the event chain against a receipt", [&] {
    if (p_->pg) return p_->pg_verify(&receipt);
    return verify_log(p_->db, nullptr, &receipt);
  });
}

chain_report store::verify(const head_receipt& receipt, const ed25519_public_key& key) const {
  const auto guard = p_->guard();
  return p_->read("verifying the event chain against a receipt", [&] {
    if (p_->pg) return p_->pg_verify(&receipt, &key);
    return verify_log(p_->db, &key, &receipt);
  });
}

head_receipt store::head() const {
  const auto guard = p_->guard();
  return p_->read("reading the chain head", [&] {
    if (p_->pg) return p_->pg_head();
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
    if (p_->pg) return p_->pg_signed_head_at(-1);
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
