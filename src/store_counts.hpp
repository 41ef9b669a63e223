// Private: the `order_counts` table (schema 5), the store's running totals of
// orders per received day and per combination of the facts the annex tables
// and the quarterly summary count.
//
// Why: the monthly report over ten million orders has to answer in well under
// two seconds, and decoding ten million rows costs several.  The counts are
// kept in the projection's own transaction (store::impl::flush, store_write.cpp), so a report
// reads a few thousand rows and is exact by construction: an order moves from
// its old group to its new one in the same commit that changes it.
#pragma once

#include "hotline/order_facts.hpp"
#include "hotline/work_order.hpp"
#include "store_sqlite.hpp"

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>

namespace hotline::detail {

/// The group an order counts in: what with_clocks = false facts carry, plus the
/// local day (Asia/Shanghai) it was received.  The complaint subject is kept for
/// complaints only, topic and sub-topic for consultations only, so that the
/// table stays small.
struct count_key {
  std::int32_t day = 0;  ///< days since 1970-01-01, local
  request_type type = request_type::consultation;
  order_state state = order_state::draft;
  bool transferred = false;
  std::string district, unit, subject, topic, sub_topic;

  friend bool operator==(const count_key&, const count_key&) = default;
};

count_key count_key_of(const work_order& o);

struct count_key_hash {
  std::size_t operator()(const count_key& k) const noexcept;
};

/// The changes of one transaction, netted per group (an order created and
/// closed in one batch adds one to its final group only).  Written at commit.
class count_deltas {
 public:
  void add(const count_key& k, std::int64_t n) { d_[k] += n; }
  /// Upserts every non-zero delta into order_counts, then forgets them.  The
  /// statement is prepared once per connection: this runs in every commit.
  void write(sqlite3* db);
  /// f(key, n) for every non-zero delta (another back end's write).
  template <class F>
  void for_each(F&& f) const {
    for (const auto& [k, n] : d_)
      if (n != 0) f(k, n);
  }
  void clear() noexcept { d_.clear(); }

 private:
  std::unordered_map<count_key, std::int64_t, count_key_hash> d_;
  std::optional<raw_stmt> upsert_;
};

/// Recomputes order_counts from the projection (after a migration or a replay).
void rebuild_counts(sqlite3* db);

/// The groups of order_counts for whole local days [from_day, to_day), optionally
/// one district or unit: `f` gets the facts of the group and how many orders
/// share them (never zero).
void scan_counts(sqlite3* db, std::int32_t from_day, std::int32_t to_day, const facts_query& q,
                 const std::function<void(const order_facts&, std::int64_t)>& f);

}  // namespace hotline::detail
