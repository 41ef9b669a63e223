// Private: the WHERE clause of an order_query over `orders`, with '?' parameters and
// their values, for either back end (SQLite binds them; PostgreSQL writes them $N).
// Back-end-neutral.
#pragma once

#include "hotline/store.hpp"
#include "store_values.hpp"

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace hotline::detail {

struct where_clause {
  std::string sql;  ///< "" or " WHERE ..."
  std::vector<std::variant<std::int64_t, std::string>> values;
};

inline where_clause build_where(const order_query& q) {
  where_clause w;
  std::vector<std::string> terms;
  if (q.open_only || q.overdue_as_of || q.warned_as_of) terms.emplace_back("open = 1");
  if (q.state) {
    terms.emplace_back("state = ?");
    w.values.emplace_back(std::string(to_string(*q.state)));
  }
  if (q.unit) {
    terms.emplace_back("unit = ?");
    w.values.emplace_back(*q.unit);
  }
  if (q.overdue_as_of) {
    terms.emplace_back("next_due < ?");
    w.values.emplace_back(secs(*q.overdue_as_of));
  }
  if (q.warned_as_of) {
    terms.emplace_back("next_warn <= ?");
    w.values.emplace_back(secs(*q.warned_as_of));
  }
  if (q.caller_phone) {
    terms.emplace_back("caller_phone = ?");
    w.values.emplace_back(*q.caller_phone);
  }
  if (q.received_from) {
    terms.emplace_back("received_at >= ?");
    w.values.emplace_back(secs(*q.received_from));
  }
  if (q.received_before) {
    terms.emplace_back("received_at < ?");
    w.values.emplace_back(secs(*q.received_before));
  }
  for (std::size_t i = 0; i < terms.size(); ++i) w.sql.append(i ? " AND " : " WHERE ").append(terms[i]);
  return w;
}

}  // namespace hotline::detail
