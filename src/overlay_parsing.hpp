// Shared pieces of the overlay file parsers (CSV and iCalendar).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

namespace hotline::detail {

/// "holiday"/"closure"/"workday" (and the Chinese words centres write) to day_off; false if unknown.
bool parse_overlay_kind(std::string_view kind, bool& day_off);
/// "2027" or "2027-2028"; throws parse_error naming source and line.
std::pair<int, int> parse_year_range(std::string_view text, const std::string& source, std::size_t line);

}  // namespace hotline::detail
