// Private: orders, actions, units, calls and liaisons from records of text fields, the
// one parser behind the command line's import files (src/cli/cli_store_import.cpp) and
// the C ABI's JSON (src/c_api/c_store*.cpp).  A record is a list of (field, text) pairs:
// a CSV row, or a JSON object whose values became text (numbers as written, true/false
// as 1/0, null as "", an array of strings joined by list_separator: ',' for an order's
// co_units and kb_entries, ';' for the rest).
//
//   const hotline::detail::record_origin at{"actions.csv", 3, "", true};
//   auto a = hotline::detail::action_from_fields(row, at);   // number, command
//   db.apply(a.number, a.c);
//
// Errors name where the record came from and the field: with `as_parse_error` (a file)
// a parse_error "<source>:<line>: <prefix><field>: <message>", otherwise (an argument of
// a call) an invalid_argument_error "<source>: <prefix><field>: <message>".  Fields are
// the names of docs/cli.md "Import files"; the field lists below are the known ones.
#pragma once

#include "hotline/call_log.hpp"
#include "hotline/store.hpp"
#include "hotline/time.hpp"
#include "hotline/units.hpp"
#include "hotline/work_order.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hotline::detail {

using text_fields = std::vector<std::pair<std::string, std::string>>;

/// Where a record came from, for its errors (see the file comment).
struct record_origin {
  std::string source;    ///< a file's path, or the argument's name ("action_json")
  std::size_t line = 0;  ///< 0: not line-based
  std::string prefix;    ///< before the field's name: "[3]." for the fourth object of an array
  bool as_parse_error = true;
};

/// Throws the error of `at` naming `field` (see the file comment).
[[noreturn]] void fail_field(const record_origin& at, std::string_view field, const std::string& message);

/// The kinds of record, and the fields each knows (actions also take amend.<field>).
enum class record_kind { order, action, call, unit, liaison, query };
[[nodiscard]] bool is_known_field(record_kind k, std::string_view name);
/// "number, call_ref, ..." (and ", amend.<field>" for actions): for error messages.
[[nodiscard]] std::string known_fields_text(record_kind k);
/// Every field must be one the kind knows: fail_field naming the first that is not.
void check_fields(const text_fields& f, record_kind k, const record_origin& at);

/// The text of `name` ("" when absent).
[[nodiscard]] std::string field_text(const text_fields& f, std::string_view name);

/// "YYYY-MM-DD"; invalid_argument_error naming the text otherwise.
[[nodiscard]] day day_from_text(const std::string& text);
/// An instant: ISO-8601 with an offset, a local "YYYY-MM-DD[THH:MM[:SS]]" (or a space
/// for the T) in Beijing time (a date alone is 00:00), or "now".
[[nodiscard]] instant instant_from_text(const std::string& text);

/// What hotline::store::create takes.
struct order_intake {
  work_order order;
  actor by;  ///< the order's agent (or "import") as an agent
  bool draft = false;
};
/// received_at and request_type required (request types in English or Chinese).
[[nodiscard]] order_intake order_from_fields(const text_fields& f, const record_origin& at);

/// What hotline::store::apply takes.
struct action_record {
  std::string number;
  command c;
};
/// number, action, at, by and role required; amend.<field> fields become the amendments.
[[nodiscard]] action_record action_from_fields(const text_fields& f, const record_origin& at);

/// call_id and started_at required; source_line is set to at.line.
[[nodiscard]] call_record call_from_fields(const text_fields& f, const record_origin& at);

/// code required; covers "district/sub_district" or "district", ';'-separated; topics ';'-separated.
[[nodiscard]] unit unit_from_fields(const text_fields& f, const record_origin& at);

/// unit, name and valid_from required; slot "A" by default.
[[nodiscard]] liaison liaison_from_fields(const text_fields& f, const record_origin& at);

/// A filter: state, unit, open, overdue_as_of, warned_as_of, phone, from, to, limit.
[[nodiscard]] order_query query_from_fields(const text_fields& f, const record_origin& at);

}  // namespace hotline::detail
