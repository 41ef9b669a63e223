// Private: the store's migrations (store_schema.cpp).
#pragma once

#include <string_view>
#include <vector>

namespace hotline::detail {

/// migrations[i] takes a file from schema version i to i + 1.
const std::vector<std::string_view>& store_migrations();

}  // namespace hotline::detail
