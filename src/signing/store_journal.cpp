// The signing store's journal (store.hpp): reading it back, verifying its chain and its
// signed heads, and signing a head.
#include "store_impl.hpp"

namespace hotline::signing {

// ---- the journal ---------------------------------------------------------------------

std::size_t signing_store::refresh() {
  auto& p = *p_;
  if (!p.broken.empty()) p.fail(p.broken);
  const auto before = p.applied;
  p.catch_up();
  return static_cast<std::size_t>(p.applied - before);
}

std::vector<journal_entry> signing_store::journal(std::uint64_t from_seq, std::size_t limit, bool reveal) const {
  auto& p = *p_;
  std::vector<journal_entry> out;
  try {
    SQLite::Statement st(p.db, R"(SELECT seq, at, "by", op, payload, hash FROM journal WHERE seq >= ? ORDER BY seq)");
    st.bind(1, static_cast<std::int64_t>(from_seq));
    while ((limit == 0 || out.size() < limit) && st.executeStep()) {
      journal_entry e;
      e.seq = static_cast<std::uint64_t>(st.getColumn(0).getInt64());
      try {
        e.at = parse_instant(st.getColumn(1).getString());
      } catch (const hotline::error&) {
        p.fail("journal row " + std::to_string(e.seq) + ": 'at' is not an ISO-8601 instant");
      }
      e.by = st.getColumn(2).getString();
      e.op = st.getColumn(3).getString();
      e.payload = st.getColumn(4).getString();
      if (!reveal) e.payload = signing::detail::masked_payload(e.op, e.payload);
      const auto h = st.getColumn(5);
      e.hash = signing::detail::to_hex(
          std::string_view(static_cast<const char*>(h.getBlob()), static_cast<std::size_t>(h.getBytes())));
      out.push_back(std::move(e));
    }
  } catch (const SQLite::Exception& e) {
    p.fail_sqlite("reading the journal", e);
  }
  return out;
}

journal_report signing_store::verify() const { return p_->verify(nullptr, nullptr); }
journal_report signing_store::verify(const ed25519_public_key& key) const { return p_->verify(&key, nullptr); }
journal_report signing_store::verify(const head_receipt& receipt) const { return p_->verify(nullptr, &receipt); }
journal_report signing_store::verify(const head_receipt& receipt, const ed25519_public_key& key) const {
  return p_->verify(&key, &receipt);
}

/// The journal re-hashed; with `key`, every signed head checked; with `receipt`, its head.
journal_report signing_store::impl::verify(const ed25519_public_key* key, const head_receipt* receipt) {
  journal_report rep;
  auto bad = [&](std::uint64_t seq, std::string why) {
    rep.ok = false;
    rep.first_bad_seq = seq;
    rep.reason = std::move(why);
  };
  try {
    hotline::detail::head_walk walk(signing_journal_head_domain, {"row", "rows"}, key,
                                    key && heads_table ? hotline::detail::read_signed_heads(db.getHandle())
                                                       : std::vector<head_receipt>{},
                                    receipt);
    // A head or the receipt that fails: the rows after the last good signature are unproven.
    auto unproven = [&] {
      rep.signed_through = walk.signed_through;
      rep.heads_checked = walk.heads_checked;
      bad(static_cast<std::uint64_t>(walk.signed_through) + 1, walk.failure);
    };
    if (!walk.receipt_signature_holds()) {
      rep.ok = false;
      rep.reason = walk.failure;
      return rep;
    }
    raw_stmt st(db.getHandle(), R"(SELECT seq, at, "by", op, payload, hash FROM journal ORDER BY seq)");
    std::string prev(32, '\0'), before_prev(32, '\0');
    std::uint64_t expected = 1;
    if (!walk.at(0, prev)) unproven();
    while (rep.ok && st.step(db.getHandle())) {
      const std::int64_t raw_seq = sqlite3_column_int64(st.st, 0);
      const auto at = raw_text(st.st, 1), by = raw_text(st.st, 2), op = raw_text(st.st, 3);
      const auto payload = raw_text(st.st, 4), stored = raw_blob(st.st, 5);
      if (raw_seq < 1) {
        bad(1, "a row numbered " + std::to_string(raw_seq) + " precedes row 1: it was inserted");
        break;
      }
      const auto seq = static_cast<std::uint64_t>(raw_seq);
      if (seq != expected) {
        bad(expected, seq == expected + 1 ? "row " + std::to_string(expected) + " is missing: it was removed"
                                          : "rows " + std::to_string(expected) + " to " + std::to_string(seq - 1) +
                                                " are missing: they were removed");
        break;
      }
      const auto h = signing::detail::row_hash(prev, seq, at, by, op, payload);
      if (stored != impl::as_view(h)) {
        // An original row moved up by one: a row was inserted before it (and had its hash made).
        if (seq >= 2 && stored == impl::as_view(signing::detail::row_hash(before_prev, seq - 1, at, by, op, payload)))
          bad(seq - 1, "row " + std::to_string(seq - 1) + " was inserted: row " + std::to_string(seq) +
                           " carries the hash it had as row " + std::to_string(seq - 1));
        else
          bad(seq, "row " + std::to_string(seq) + " does not match its hash: its at, by, op or payload was changed " +
                       "after it was written (or rows before it were removed and the rest renumbered)");
        break;
      }
      if (seq == 1 && op != "policy") {
        bad(1, "row 1 is not the policy");
        break;
      }
      before_prev = std::move(prev);
      prev.assign(stored);
      ++rep.rows;
      ++expected;
      if (!walk.at(static_cast<std::int64_t>(seq), prev)) unproven();
    }
    st.reset();
    if (rep.ok && expected == 1) bad(1, "the journal is empty: row 1 (the policy) is missing");
    if (rep.ok && !walk.end(static_cast<std::int64_t>(rep.rows))) bad(rep.rows + 1, walk.failure);
    rep.heads_checked = walk.heads_checked;
    rep.signed_through = walk.signed_through;
  } catch (const SQLite::Exception& e) {
    fail_sqlite("verifying the journal", e);
  }
  rep.services = reg.verify();
  if (rep.ok && !rep.services.ok) {
    rep.ok = false;
    rep.reason = "the view's service chain: " + rep.services.reason;
  }
  return rep;
}

// ---- signed heads ----------------------------------------------------------------------

head_receipt signing_store::head() const {
  auto& p = *p_;
  try {
    auto& st = *p.st_head;
    reset_on_exit reset(st);
    head_receipt r;
    if (st.step(p.db.getHandle())) {
      r.event_count = sqlite3_column_int64(st.st, 0);
      const auto h = raw_blob(st.st, 1);
      std::copy_n(h.data(), std::min(h.size(), r.head_hash.size()), reinterpret_cast<char*>(r.head_hash.data()));
    }
    st.reset();
    std::optional<head_receipt> signed_head;
    if (p.heads_table && r.event_count > 0) signed_head = hotline::detail::signed_head_at(p.db.getHandle(), r.event_count);
    if (signed_head && signed_head->head_hash == r.head_hash) return *signed_head;
    r.signed_at = impl::now();
    return r;
  } catch (const SQLite::Exception& e) {
    p.fail_sqlite("reading the journal's head", e);
  }
}

std::optional<head_receipt> signing_store::last_signed_head() const {
  auto& p = *p_;
  if (!p.heads_table) return std::nullopt;
  try {
    return hotline::detail::signed_head_at(p.db.getHandle(), -1);
  } catch (const SQLite::Exception& e) {
    p.fail_sqlite("reading the signed heads", e);
  }
}

head_receipt signing_store::sign_head() {
  auto& p = *p_;
  if (!p.opt.signer) throw invalid_argument_error("sign_head: this signing store has no head signer (options.signer)");
  p.writable("sign_head");
  {
    impl::tx t(p, "sign_head");
    p.commit_rows(t, "sign_head", [] {}, true);  // no rows; the commit signs the head if not yet signed
  }
  return head();
}

bool signing_store::signs_heads() const noexcept { return static_cast<bool>(p_->opt.signer); }

}  // namespace hotline::signing
