// Private: the store's migrations (store_schema.cpp).
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace hotline::detail {

/// migrations[i] takes a file from schema version i to i + 1.
const std::vector<std::string_view>& store_migrations();
/// Whether migrations[index] leaves the projection (`orders`) empty, to be rebuilt from
/// the events in the same transaction.
bool migration_rebuilds_projection(std::size_t index);
/// Whether migrations[index] creates order_counts, to be filled from the projection.
bool migration_fills_counts(std::size_t index);

}  // namespace hotline::detail
