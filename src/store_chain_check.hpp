// Private: the walk of verify() over the event log, whatever keeps it (store_verify.cpp
// on SQLite, store_pg_reads.cpp on PostgreSQL): every event re-hashed on the one before,
// signed heads and a receipt checked as the walk passes their counts (signed_head_log.hpp's
// head_walk).  The back end feeds it rows in id order and stops when a call returns false.
//
//   detail::chain_check c(key, heads, receipt);
//   if (c.start()) while (more rows) if (!c.block(first, order_id, seq, n, body, hashes)) break;
//   return c.finish();
#pragma once

#include "hotline/store.hpp"
#include "signed_head_log.hpp"
#include "store_chain.hpp"
#include "store_codec.hpp"
#include "store_sha256.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace hotline::detail {

class chain_check {
 public:
  chain_check(const ed25519_public_key* key, std::vector<head_receipt> heads, const head_receipt* receipt)
      : walk_(work_order_head_domain, {"event", "events"}, key, std::move(heads), receipt) {}

  /// Before the first event; false when the receipt's signature or a head at 0 fails.
  bool start() {
    if (!walk_.receipt_signature_holds()) {
      r_.ok = false;
      r_.reason = walk_.failure;
      done_ = true;
      return false;
    }
    return at_event(0, prev_);
  }

  /// A row of `events` (schemas 1-3) whose canonical bytes are `canonical` and stored hash `stored`.
  bool row(std::int64_t id, std::string_view canonical, std::string_view stored) {
    const auto d = sha256(prev_, canonical);
    ++r_.events_checked;
    if (std::string_view(reinterpret_cast<const char*>(d.data()), d.size()) != stored) return broken(id, mismatch);
    prev_.assign(stored);
    return at_event(id, prev_);
  }

  /// One event block (schema 4): each event hashed on its own, in id order.
  bool block(std::int64_t first, std::int64_t order_id, std::int64_t seq, std::int64_t n, std::string_view body,
             std::string_view hashes) {
    try {
      parse_block(body, evs_, slices_);
    } catch (const storage_error&) {
      ++r_.events_checked;
      return broken(first, "its block of events is malformed");
    }
    const auto layout = hash_layout_of(hashes.size(), slices_.size());
    if (static_cast<std::int64_t>(slices_.size()) != n || layout == hash_layout::invalid) {
      ++r_.events_checked;
      return broken(first, "its block's event count or hashes do not match its events");
    }
    for (std::size_t k = 0; k < slices_.size(); ++k) {
      const std::int64_t id = first + static_cast<std::int64_t>(k);
      const auto d = block_event_hash(prev_, id, order_id, seq + static_cast<std::int64_t>(k), slices_[k]);
      const std::string_view computed(reinterpret_cast<const char*>(d.data()), d.size());
      ++r_.events_checked;
      // A kept prefix is compared as far as it goes; the next event chains on the full
      // hash either way, so the block's last (full) hash covers every event before it.
      if (!hash_agrees(computed, stored_hash(hashes, layout, k, slices_.size()))) return broken(id, mismatch);
      prev_.assign(computed);
      if (!at_event(id, prev_)) return false;
    }
    return true;
  }

  /// The report; heads or a receipt beyond the end mean events deleted at the end.
  chain_report finish() {
    if (!done_ && !walk_.end(r_.events_checked)) {
      r_.ok = false;
      r_.first_broken = r_.events_checked + 1;
      r_.reason = walk_.failure;
    }
    return r_;
  }

 private:
  static constexpr const char* mismatch =
      "its hash does not match its content and the previous event's hash (changed, inserted or deleted before it)";
  bool broken(std::int64_t id, std::string why) {
    r_.ok = false;
    r_.first_broken = id;
    r_.reason = "event " + std::to_string(id) + ": " + why;
    done_ = true;
    return false;
  }
  // Checks what is due once event `id` (0: before the first) hashes to `hash`; a head or
  // the receipt that does not hold leaves the events after the last good signature unproven.
  bool at_event(std::int64_t id, std::string_view hash) {
    const bool held = walk_.at(id, hash);
    r_.heads_checked = walk_.heads_checked;
    r_.signed_through = walk_.signed_through;
    if (held) return true;
    r_.ok = false;
    r_.first_broken = r_.signed_through + 1;
    r_.reason = walk_.failure;
    done_ = true;
    return false;
  }

  head_walk walk_;
  chain_report r_;
  std::string prev_ = std::string(full_hash_bytes, '\0');
  std::vector<block_event> evs_;
  std::vector<std::string_view> slices_;
  bool done_ = false;
};

}  // namespace hotline::detail
