// Private: the store's cache of the orders a transaction (or an import's transactions
// in flight) works on, by order number.
//
// Entries live in slots that stay put and are reused with their buffers (an order with
// its event block is about 1.5 KB, past the sizes malloc keeps ready per thread); the
// numbers are found through an open-addressing index of 8-byte buckets (linear probing,
// at most half full).  A node-based map put every lookup, and every entry dropped after
// an import's hand-over, on a walk through 1.5 KB nodes: a cache miss each.  Here a
// lookup that misses (every new order) reads one line of the index, and dropping the
// entries of committed transactions reads a compact array of hand-over numbers.
//
// An import hands entries to its writer thread by address (store_import.cpp, import_handoff):
// such an entry is not changed again.  When its order is used again while the
// transaction is in flight, the store copies it into a new entry and `detach`es the old
// one, which leaves the index but keeps its slot until `drop_handed` sees its
// transaction committed.
//
// Entry needs `std::string_view key() const` (the order number, which no command
// changes) and a `std::uint32_t cache_slot` member that only this class sets.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <string_view>
#include <utility>
#include <vector>

namespace hotline::detail {

template <class Entry>
class order_cache {
 public:
  /// The entry for `number`, or null.
  Entry* find(std::string_view number) {
    if (last_ && last_->key() == number) return last_;
    const auto b = locate(number, hash(number));
    if (!b.found) return nullptr;
    last_ = &entries_[index_[b.pos].slot()];
    return last_;
  }

  /// The entry for `number`: `value`, moved into a slot, when there was none (`fresh`);
  /// else the one there, and `value` is left as it was.  `number` may be `value`'s own
  /// key: it is read before `value` is moved.
  std::pair<Entry*, bool> emplace(std::string_view number, Entry&& value) {
    const std::size_t h = hash(number);
    const auto b = locate(number, h);
    if (b.found) return {last_ = &entries_[index_[b.pos].slot()], false};
    std::uint32_t slot;
    if (!free_.empty()) {
      slot = free_.back();
      free_.pop_back();
      entries_[slot] = std::move(value);
    } else {
      slot = static_cast<std::uint32_t>(entries_.size());
      entries_.push_back(std::move(value));
      hash_.push_back(0);
      handoff_.push_back(0);
      state_.push_back(slot_state::free);
    }
    entries_[slot].cache_slot = slot;
    hash_[slot] = h;
    handoff_[slot] = 0;
    state_[slot] = slot_state::indexed;
    if (2 * (indexed_ + 1) > index_.size()) {
      grow();
      insert_bucket(h, slot);
    } else {
      index_[b.pos] = bucket::of(h, slot);
    }
    ++indexed_;
    return {last_ = &entries_[slot], true};
  }

  /// Records that `e` went to the writer with transaction `no` (1, 2, …).
  void handed(Entry& e, std::int64_t no) { handoff_[e.cache_slot] = no; }
  /// The transaction `e` last went to the writer with; 0: none since it was made.
  std::int64_t handoff_of(const Entry& e) const { return handoff_[e.cache_slot]; }

  /// Takes `e` out of the index (its number can be given a new entry) and keeps its slot
  /// until drop_handed drops it.
  void detach(Entry& e) {
    const std::uint32_t slot = e.cache_slot;
    if (state_[slot] != slot_state::indexed) return;
    erase_bucket(locate_slot(slot));
    state_[slot] = slot_state::retired;
    if (last_ == &e) last_ = nullptr;
  }

  /// Drops every entry whose last hand-over is at most `written` (0: never handed over),
  /// indexed or detached; their slots are reused.
  void drop_handed(std::int64_t written) {
    last_ = nullptr;
    for (std::uint32_t slot = 0; slot < state_.size(); ++slot) {
      if (state_[slot] == slot_state::free || handoff_[slot] > written) continue;
      if (state_[slot] == slot_state::indexed) erase_bucket(locate_slot(slot));
      state_[slot] = slot_state::free;
      free_.push_back(slot);
    }
  }

  /// Drops every entry; keeps a few slots' memory for the next transaction.
  void clear() noexcept {
    last_ = nullptr;
    if (entries_.size() > kept_when_cleared) {
      entries_ = {};
      hash_ = {};
      handoff_ = {};
      state_ = {};
      index_ = {};
      free_ = {};
    } else {
      std::fill(index_.begin(), index_.end(), bucket{});
      free_.clear();
      for (std::uint32_t slot = static_cast<std::uint32_t>(state_.size()); slot-- > 0;) {
        state_[slot] = slot_state::free;
        free_.push_back(slot);
      }
    }
    indexed_ = 0;
  }

  /// Entries in the index (detached ones not counted).
  std::size_t size() const noexcept { return indexed_; }

 private:
  static constexpr std::size_t kept_when_cleared = 64;
  enum class slot_state : std::uint8_t { free, indexed, retired };

  /// A bucket: the slot + 1 (0: empty) and the high half of the number's hash, which
  /// rules out nearly every other number without reading its entry.
  struct bucket {
    std::uint32_t tag = 0, slot_plus_1 = 0;
    static bucket of(std::size_t h, std::uint32_t slot) { return {tag_of(h), slot + 1}; }
    bool empty() const { return slot_plus_1 == 0; }
    std::uint32_t slot() const { return slot_plus_1 - 1; }
  };
  /// The high half of a 64-bit hash (0 where size_t has 32 bits: the full hash decides).
  static std::uint32_t tag_of(std::size_t h) { return static_cast<std::uint32_t>(std::uint64_t{h} >> 32); }
  static std::size_t hash(std::string_view s) { return std::hash<std::string_view>{}(s); }

  struct probe {
    std::size_t pos;
    bool found;
  };
  /// Where `number` is, or the empty bucket where it would go.
  probe locate(std::string_view number, std::size_t h) const {
    if (index_.empty()) return {0, false};
    const std::size_t mask = index_.size() - 1;
    const std::uint32_t tag = tag_of(h);
    for (std::size_t i = h & mask;; i = (i + 1) & mask) {
      const bucket& b = index_[i];
      if (b.empty()) return {i, false};
      if (b.tag == tag && hash_[b.slot()] == h && entries_[b.slot()].key() == number) return {i, true};
    }
  }
  /// The bucket of an indexed slot.
  std::size_t locate_slot(std::uint32_t slot) const {
    const std::size_t mask = index_.size() - 1;
    for (std::size_t i = hash_[slot] & mask;; i = (i + 1) & mask)
      if (index_[i].slot_plus_1 == slot + 1) return i;
  }
  void insert_bucket(std::size_t h, std::uint32_t slot) {
    const std::size_t mask = index_.size() - 1;
    std::size_t i = h & mask;
    while (!index_[i].empty()) i = (i + 1) & mask;
    index_[i] = bucket::of(h, slot);
  }
  /// Empties bucket `i` and moves later buckets of its run back, so that every number
  /// stays reachable from its home bucket without tombstones.
  void erase_bucket(std::size_t i) {
    const std::size_t mask = index_.size() - 1;
    for (std::size_t j = (i + 1) & mask; !index_[j].empty(); j = (j + 1) & mask) {
      const std::size_t home = hash_[index_[j].slot()] & mask;
      // Bucket j may move to i unless its home lies cyclically in (i, j].
      const bool stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
      if (stays) continue;
      index_[i] = index_[j];
      i = j;
    }
    index_[i] = bucket{};
    --indexed_;
  }
  void grow() {
    std::vector<bucket> old(std::max<std::size_t>(16, 2 * index_.size()));
    old.swap(index_);
    for (const bucket& b : old)
      if (!b.empty()) insert_bucket(hash_[b.slot()], b.slot());
  }

  std::deque<Entry> entries_;  ///< stay put as the deque grows
  std::vector<std::size_t> hash_;
  std::vector<std::int64_t> handoff_;
  std::vector<slot_state> state_;
  std::vector<std::uint32_t> free_;
  std::vector<bucket> index_;  ///< a power of two buckets, at most half full
  std::size_t indexed_ = 0;
  Entry* last_ = nullptr;  ///< the entry found or made last (an import uses one order many times in a row)
};

}  // namespace hotline::detail
