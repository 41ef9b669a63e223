// Private: the events of one stored block as the API shows them (event), whatever keeps
// the block (store_log.cpp on SQLite, store_pg_reads.cpp on PostgreSQL).  A compact
// block keeps only prefixes of its events' hashes but the last (store_chain.hpp), so
// those are recomputed from the chain, as verify() does: `hash_before(first_id)` gives
// the full hash of the event before the block when the caller does not know it.
#pragma once

#include "hotline/store.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace hotline::detail {

/// One block of events as read back: where it sits in the log and its stored bytes.
struct stored_block {
  std::int64_t first_id, order_id, first_seq;
  std::string_view number, body, hashes;
};

/// The events of `blk`, from event id `from_id` on, until `out` holds `limit` (0: all).
/// `prev` is the full hash of the event before the block, or empty where the caller does
/// not know it; on return it is the block's last hash.
void read_block_events(const stored_block& blk, bool reveal, std::vector<event>& out, std::string& prev,
                       const std::function<std::string(std::int64_t)>& hash_before, std::int64_t from_id = 0,
                       std::size_t limit = 0);

}  // namespace hotline::detail
