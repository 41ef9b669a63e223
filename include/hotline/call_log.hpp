// hotline/call_log.hpp: the calls themselves, as the switch logs them.
//
// The assessment (001 annex 10 item 3) counts calls that rang long without an
// answer during staffed hours; the monthly report counts calls by IVR key.  A
// call log is imported from the telephony system's CSV export:
//
//   call_id,started_at,answered,wait_seconds,agent,ivr_key,line,unit,work_order
//   C-0001,2026-03-02T09:15:04+08:00,1,12,A017,1,12320,,WO-2026-000123
//
//   auto log = hotline::call_log::from_csv_file("calls.csv");
//   for (auto& w : log.warnings) std::puts(w.c_str());   // duplicates, out-of-order rows
//   auto late = hotline::long_unanswered(log.calls, hours, std::chrono::seconds{60});
//
// Import rules: a row identical to an earlier one with the same call_id is a
// duplicate export: skipped and reported.  The same call_id with different
// content is a conflict_error (which row is right cannot be known).  Rows out of
// time order are accepted, reported, and the calls sorted by start.
#pragma once

#include "hotline/assessment.hpp"
#include "hotline/staffed_hours.hpp"
#include "hotline/time.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hotline {

struct call_record {
  std::string call_id;
  instant started_at;
  bool answered = false;
  seconds wait{0};          ///< ringing/queue time before answer or hang-up
  std::string agent;        ///< empty when unanswered
  int ivr_key = -1;         ///< 001 §1.3: 1 consultation, 2 report, 3 appointment; -1 none
  std::string line;         ///< e.g. 12320
  std::string unit;         ///< the unit whose line rang (empty: the centre)
  std::string work_order;   ///< the order it led to, if any
  std::size_t source_line = 0;
  friend bool operator==(const call_record&, const call_record&) = default;
};

struct call_log {
  std::vector<call_record> calls;     ///< sorted by started_at
  std::vector<std::string> warnings;  ///< what the import noticed and handled

  static call_log from_csv(std::string_view text, const std::string& source = "<csv>");
  static call_log from_csv_file(const std::string& path);
};

/// Calls that rang at least `threshold` unanswered while the line was staffed,
/// per unit, as assessment occurrences (001 annex 10 item 3: 出现长时间无人接听的,
/// 每有一次扣0.2分).  "Long" is the policy's threshold.
[[nodiscard]] std::map<std::string, std::vector<occurrence>> long_unanswered(const std::vector<call_record>& calls,
                                                                              const staffed_hours& hours,
                                                                              seconds threshold);

}  // namespace hotline
