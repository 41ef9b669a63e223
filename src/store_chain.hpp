// Private: how an event block keeps its events' chained hashes (the `hashes` column).
//
// Every event is hashed on the previous event's full 32-byte hash, so the chain is only
// as strong as its full hashes, and a block only needs one of them: its last event's,
// from which the next block goes on.  The events before it keep the first 8 bytes of
// theirs, enough for verify() to name the event a change was made to, not only its
// block (a change matches a stale 8-byte prefix by chance once in 2^64).  That is
// 8 * (n - 1) + 32 bytes for n events instead of 32 * n: about 140 bytes less per
// order of a typical life (docs/store.md).  Blocks written before keep 32 bytes per
// event; the two layouts differ in size for every n > 1 and are the same bytes for
// n = 1, so the size tells them apart and no file needs rewriting.
//
// Back-end-neutral: the layout and the hashing of a block (hash_block, store_chain.cpp)
// are the same whatever keeps the bytes; where the log ends is read by the SQLite side
// (chain_end_before, store_log.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hotline::detail {

inline constexpr std::size_t full_hash_bytes = 32;
inline constexpr std::size_t kept_hash_prefix = 8;

enum class hash_layout { full, compact, invalid };

/// Size of the compact layout for `n` events.
constexpr std::size_t compact_hashes_size(std::size_t n) noexcept {
  return n == 0 ? 0 : kept_hash_prefix * (n - 1) + full_hash_bytes;
}

/// Which layout `stored` bytes of hashes are for a block of `n` events.
constexpr hash_layout hash_layout_of(std::size_t stored, std::size_t n) noexcept {
  if (n == 0) return hash_layout::invalid;
  if (stored == compact_hashes_size(n)) return hash_layout::compact;  // also n == 1
  if (stored == full_hash_bytes * n) return hash_layout::full;
  return hash_layout::invalid;
}

/// What the block keeps of event k's hash: all 32 bytes, or its first 8.
constexpr std::string_view stored_hash(std::string_view hashes, hash_layout layout, std::size_t k,
                                       std::size_t n) noexcept {
  if (layout == hash_layout::full) return hashes.substr(full_hash_bytes * k, full_hash_bytes);
  if (k + 1 == n) return hashes.substr(kept_hash_prefix * k, full_hash_bytes);
  return hashes.substr(kept_hash_prefix * k, kept_hash_prefix);
}

/// Whether a recomputed full hash agrees with what the block keeps of it.
constexpr bool hash_agrees(std::string_view computed, std::string_view stored) noexcept {
  return computed.substr(0, stored.size()) == stored;
}

/// Where the event log stands before some event id: the id after the last event there
/// and that event's full hash (the last of a block, or of the rows of `events`, whose
/// ids all come first; or 1 and the chain's zero start).
struct chain_end {
  std::int64_t next_id = 1;
  std::string hash = std::string(full_hash_bytes, '\0');
};

/// The hashes of a block of `ends.size()` events whose bytes are `body` (event k ends
/// at ends[k]), numbered from `first_id`, of order `order_id` from `first_seq`: each
/// event hashed on the one before, starting from `last_hash` (the full hash before the
/// block; on return the block's last).  Written to `hashes` in the compact layout
/// (above): prefixes, then the last event's full hash.
void hash_block(std::string_view body, const std::vector<std::uint32_t>& ends, std::int64_t first_id,
                std::int64_t order_id, std::int64_t first_seq, std::string& last_hash, std::string& hashes);

}  // namespace hotline::detail
