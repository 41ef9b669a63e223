// Private: small conversions of the work-order store, the same whatever the back end
// (store_values.cpp): instants as the seconds a file keeps, hashes shown as hex, lists
// joined by commas, and the less usual actions an order's projection counts (`actions`).
// Back-end-neutral: nothing here knows SQLite, so a second back end can share it.
//
//   detail::count_action(c.actions, "transfer");   // {"transfer":1}
#pragma once

#include "hotline/time.hpp"
#include "hotline/work_order.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace hotline::detail {

/// Instants are kept as whole seconds since the epoch (UTC).
inline std::int64_t secs(instant t) { return t.time_since_epoch().count(); }
inline instant at_secs(std::int64_t s) { return instant{seconds{s}}; }

/// Lower-case hex of `bytes` (how events show their hashes).
std::string hex(std::string_view bytes);

/// "a,b,c" (a split's targets); comma_split drops empty items.
std::string comma_join(const std::vector<std::string>& v);
std::vector<std::string> comma_split(std::string_view s);

// ---- the less usual actions, counted in the projection (`actions`, JSON) ----------
/// The actions of the usual life of an order are not counted (most orders have no others).
inline bool counted_action(action a) {
  switch (a) {
    case action::create:
    case action::dispatch:
    case action::sign_for:
    case action::reply:
    case action::accept_reply:
    case action::call_back:
    case action::close: return false;
    default: return true;
  }
}
/// Adds one to `name` in `actions` (a JSON object, or empty for none yet).
void count_action(std::string& actions, std::string_view name);
/// The `actions` of a replayed order from its counts ("" when there are none).
std::string counted_actions_json(const std::map<std::string, int>& counts);

}  // namespace hotline::detail
