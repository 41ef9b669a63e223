// Private: what the store and signing parts of the C ABI share beyond c_common.hpp --
// text arguments checked for UTF-8, flags checked for unknown bits, a text out cleared
// before the call.
#pragma once

#include "../store_json.hpp"
#include "c_common.hpp"

#include <string>
#include <string_view>

namespace hotline::c_api {

/// `text` (not NULL) as a string_view; invalid_argument_error naming `name` when it is
/// not UTF-8.
inline std::string_view utf8_arg(const char* text, std::string_view name) { return text_arg(text, name); }

/// invalid_argument_error when `flags` holds bits outside `known`.
inline void check_flags(int flags, int known) {
  if ((flags & ~known) != 0) throw invalid_argument_error("flags: unknown bits " + std::to_string(flags & ~known));
}

/// The origin of a record read from the JSON argument `name` (errors: invalid_argument_error).
inline ::hotline::detail::record_origin argument_origin(std::string_view name) {
  return {std::string(name), 0, std::string(), false};
}

}  // namespace hotline::c_api
