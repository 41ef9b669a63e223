// Hashing a block of events onto the chain (store_chain.hpp).  Back-end-neutral: the
// bytes of a block and of its hashes are the same whatever back end keeps them.
#include "store_chain.hpp"

#include "store_codec.hpp"

namespace hotline::detail {

void hash_block(std::string_view body, const std::vector<std::uint32_t>& ends, std::int64_t first_id,
                std::int64_t order_id, std::int64_t first_seq, std::string& last_hash, std::string& hashes) {
  const std::size_t n = ends.size();
  hashes.clear();
  std::size_t start = 1;  // after the format byte
  for (std::size_t k = 0; k < n; ++k) {
    const auto i = static_cast<std::int64_t>(k);
    const auto digest = block_event_hash(last_hash, first_id + i, order_id, first_seq + i,
                                         body.substr(start, ends[k] - start));
    last_hash.assign(reinterpret_cast<const char*>(digest.data()), digest.size());
    hashes.append(last_hash, 0, k + 1 == n ? full_hash_bytes : kept_hash_prefix);
    start = ends[k];
  }
}

}  // namespace hotline::detail
