// Unit kinds: names and parsing.
#include "hotline/error.hpp"
#include "hotline/units.hpp"

#include <array>

namespace hotline {

namespace {
constexpr std::array<std::string_view, 6> unit_kind_names{"institution", "district", "sub_district",
                                                          "service_line", "authority", "centre"};
}

std::string_view to_string(unit_kind k) noexcept {
  const auto i = static_cast<std::size_t>(k);
  return i < unit_kind_names.size() ? unit_kind_names[i] : std::string_view("?");
}

unit_kind parse_unit_kind(std::string_view text) {
  for (std::size_t i = 0; i < unit_kind_names.size(); ++i)
    if (unit_kind_names[i] == text) return static_cast<unit_kind>(i);
  std::string msg = "unknown unit_kind '";
  msg.append(text.substr(0, 40)).append("'; expected one of:");
  for (auto n : unit_kind_names) msg.append(" ").append(n);
  throw invalid_argument_error(msg);
}

}  // namespace hotline
