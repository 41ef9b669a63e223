// The events of a stored block (store_block_events.hpp).  Back-end-neutral.
#include "store_block_events.hpp"

#include "store_chain.hpp"
#include "store_codec.hpp"
#include "store_masking.hpp"
#include "store_values.hpp"

namespace hotline::detail {

void read_block_events(const stored_block& blk, bool reveal, std::vector<event>& out, std::string& prev,
                       const std::function<std::string(std::int64_t)>& hash_before, std::int64_t from_id,
                       std::size_t limit) {
  std::vector<block_event> evs;
  std::vector<std::string_view> slices;
  parse_block(blk.body, evs, slices);
  const auto layout = hash_layout_of(blk.hashes.size(), evs.size());
  if (layout == hash_layout::invalid) throw storage_error("an event block's hashes do not match its events");
  const bool recompute = layout == hash_layout::compact && evs.size() > 1;
  if (recompute && prev.empty()) prev = hash_before(blk.first_id);
  for (std::size_t k = 0; k < evs.size(); ++k) {
    if (limit && out.size() >= limit) break;
    const std::int64_t id = blk.first_id + static_cast<std::int64_t>(k);
    std::string_view hash = stored_hash(blk.hashes, layout, k, evs.size());
    if (recompute && k + 1 < evs.size()) {
      const auto d =
          block_event_hash(prev, id, blk.order_id, blk.first_seq + static_cast<std::int64_t>(k), slices[k]);
      prev.assign(reinterpret_cast<const char*>(d.data()), d.size());
      hash = prev;
    }
    if (id < from_id) continue;
    const auto& b = evs[k];
    event e;
    e.id = id;
    e.order = std::string(blk.number);
    e.seq = blk.first_seq + static_cast<std::int64_t>(k);
    e.action = parse_enum<action>(b.action);
    e.at = at_secs(b.at);
    e.recorded_at = at_secs(b.recorded_at);
    e.actor = std::string(b.actor);
    e.role = parse_enum<role>(b.role);
    e.unit = std::string(b.unit);
    if (b.state_before) e.state_before = parse_enum<order_state>(*b.state_before);
    e.state_after = parse_enum<order_state>(b.state_after);
    if (b.changes) decode_changes_v2(*b.changes, b.at, e.changes);
    e.comment = std::string(b.comment);
    e.hash = hex(hash);
    finish_event(e, reveal);
    out.push_back(std::move(e));
  }
  prev.assign(blk.hashes.substr(blk.hashes.size() - full_hash_bytes));
}


}  // namespace hotline::detail
