// The library's results as JSON, one shape for every host that prints JSON: the command
// line's --json output and the C ABI's text results (and through it Java and .NET).
// Private to the library's own programs: nlohmann's ordered_json keeps the keys in the
// order written, so that output reads in the order the docs list.
#pragma once

#include "hotline/assessment.hpp"
#include "hotline/knowledge.hpp"
#include "hotline/report_table.hpp"
#include "hotline/sla_policy.hpp"
#include "hotline/triage.hpp"

#include <nlohmann/json.hpp>

#include <vector>

namespace hotline::detail {

/// A deadline with how it was counted: due, last day (text and day number), rule,
/// article, target, counting, the days stepped over and the explanation.
nlohmann::ordered_json deadline_json(const deadline& d);

/// A report table: title, columns, rows (text or numbers), percent columns, notes.
nlohmann::ordered_json table_json(const report_table& t);

/// A rubric's gaps (where, message).
nlohmann::ordered_json gaps_json(const std::vector<rubric_gap>& gaps);

/// A unit's score: totals, criteria, every item with its explanation and refs, gaps.
nlohmann::ordered_json score_json(const unit_score& s);

/// Crisis triage: urgent, kind, route, confidence, evidence, line, advice.
nlohmann::ordered_json triage_json(const triage_result& t);

/// The service line guessed for a caller's words, with the request type and the triage.
nlohmann::ordered_json guess_json(const line_guess& g);

}  // namespace hotline::detail
