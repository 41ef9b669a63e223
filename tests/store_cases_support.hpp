// Helpers shared by the store's core suites (test_store_orders, _chain, _encoding,
// _schema, _concurrency): the actors, a command at a given time, a dispatch to
// YX-BJJ, and one typical life of an order.
#pragma once

#include "hotline/store.hpp"
#include "store_test_support.hpp"

#include <string>
#include <utility>

namespace hotline::test::store_cases {

using test::fresh_dir;
using test::intake;
using test::seed_units;

inline instant at(const char* s) { return parse_instant(s); }

inline const actor agent{"A017", role::agent, {}};
inline const actor dispatcher{"D02", role::dispatcher, {}};

inline command cmd(action a, actor by, const char* when) {
  command c;
  c.action = a;
  c.by = std::move(by);
  c.at = at(when);
  return c;
}

/// D02 dispatches to YX-BJJ at 11:00 on 3 March 2025.
inline command dispatch_to_bjj() {
  auto d = cmd(action::dispatch, dispatcher, "2025-03-03T11:00:00+08:00");
  d.unit = "YX-BJJ";
  return d;
}

/// Runs one typical life through the store; returns the order number.
inline std::string full_life(store& db, const char* received = "2025-03-03T10:00:00+08:00") {
  auto wo = db.create(intake(received), agent);
  auto d = cmd(action::dispatch, dispatcher, "2025-03-03T11:00:00+08:00");
  d.unit = "YX-BJJ";
  db.apply(wo.number, d);
  db.apply(wo.number, cmd(action::sign_for, {"L1", role::liaison, "YX-BJJ"}, "2025-03-03T12:00:00+08:00"));
  auto r = cmd(action::reply, {"L1", role::liaison, "YX-BJJ"}, "2025-03-04T09:00:00+08:00");
  r.reply_text = "已致电居民，安排下周上门";
  db.apply(wo.number, r);
  db.apply(wo.number, cmd(action::accept_reply, {"R1", role::reviewer, {}}, "2025-03-04T10:00:00+08:00"));
  auto cb = cmd(action::call_back, {"C1", role::call_back_agent, {}}, "2025-03-05T10:00:00+08:00");
  cb.call_back = call_back_result::satisfied;
  db.apply(wo.number, cb);
  db.apply(wo.number, cmd(action::close, {"C1", role::call_back_agent, {}}, "2025-03-05T10:01:00+08:00"));
  return wo.number;
}

}  // namespace hotline::test::store_cases
