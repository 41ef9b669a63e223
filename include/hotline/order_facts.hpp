// hotline/order_facts.hpp: the narrow view of a work order that reports read.
//
// The monthly tables, the quarterly summary, the timeliness report and the
// assessment count a dozen fields of each order.  store::scan_facts() streams
// them straight from the file (no work_order is built); facts_of() gives the same
// view of an in-memory work_order, so every report has one implementation.
#pragma once

#include "hotline/time.hpp"
#include "hotline/work_order.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hotline {

/// The narrow view of an order that reports read (report.hpp): what the annex
/// tables, the quarterly summary, the timeliness report and the assessment count.
/// Text members are valid only during the scan callback.
struct order_facts {
  std::string_view number;
  instant received_at{};
  hotline::request_type request_type = hotline::request_type::consultation;
  order_state state = order_state::draft;
  bool transferred = false;  ///< dispatched to a unit at least once
  std::string_view complaint_subject, topic, sub_topic, district, unit;
  std::optional<instant> dispatched_at;  ///< the last dispatch
  std::array<clock_outcome, clock_count> clocks{};  ///< by clock_kind
  std::array<std::optional<instant>, clock_count> due{};
  std::array<std::optional<instant>, clock_count> warn{};
  call_back_result call_back = call_back_result::none;
  int reopen_count = 0;
  supervision_level supervision = supervision_level::none;
  int extension_days = 0;
};

/// Which orders a report covers: received in [from, to), optionally one
/// district or one handling unit.
struct facts_query {
  instant from{};
  instant to{};
  std::optional<std::string> district;
  std::optional<std::string> unit;
  /// Read every fact (timeliness, assessment).  false: only what the annex tables
  /// and the quarterly summary count (request_type, state, transferred, district, unit;
  /// complaint_subject of complaints, topic and sub_topic of consultations), which
  /// reads a fraction of the columns; the other members stay empty.
  bool with_clocks = true;
};

/// How often an action happened to the orders of a facts_query (returns,
/// extensions, supervisions, rework, reopens): events and distinct orders.
struct action_tally {
  hotline::action action = hotline::action::create;
  std::int64_t events = 0;
  std::int64_t orders = 0;
};

/// The facts of an in-memory order; the views point into `o`.
inline order_facts facts_of(const work_order& o) {
  order_facts f;
  f.number = o.number;
  f.received_at = o.received_at;
  f.request_type = o.request_type;
  f.state = o.state;
  f.transferred = o.dispatched_at.has_value();
  f.complaint_subject = o.complaint_subject;
  f.topic = o.topic;
  f.sub_topic = o.sub_topic;
  f.district = o.district;
  f.unit = o.unit;
  f.dispatched_at = o.dispatched_at;
  for (std::size_t k = 0; k < clock_count; ++k) {
    f.clocks[k] = o.clocks[k].outcome;
    f.due[k] = o.clocks[k].due;
    f.warn[k] = o.clocks[k].warn;
  }
  f.call_back = o.call_back;
  f.reopen_count = o.reopen_count;
  f.supervision = o.supervision;
  f.extension_days = o.extension_days;
  return f;
}

}  // namespace hotline
