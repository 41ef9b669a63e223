// Private: the work-order store's values as JSON text and records from JSON text, for the
// command line's --json output (src/cli/cli_store.cpp) and the C ABI (src/c_api/c_store*.cpp).
// nlohmann::json stays inside store_json.cpp: these take and give std::string.
//
//   auto f = hotline::detail::json_object_fields(R"({"action":"dispatch",...})", "action_json");
//   auto a = hotline::detail::action_from_fields(f, {"action_json", 0, "", false});
//   std::string out = hotline::detail::order_json(db.apply(a.number, a.c));
//
// JSON into records (store_records.hpp): an object's values become text as in the
// command line's import files -- strings as they are, numbers as written, true/false as
// 1/0, null as "", an array of strings joined by ';' (by ',' for co_units and
// kb_entries, which the order keeps comma-separated); an object {"amend": {"f": "v"}}
// becomes the fields amend.f.  Errors: text that is not UTF-8 is an invalid_argument_error
// naming the argument and the byte; malformed JSON, a top level of the wrong kind or a
// field holding an object is a parse_error naming the argument, the line and byte, or the
// field.
#pragma once

#include "store_records.hpp"

#include "hotline/signed_head.hpp"
#include "hotline/store.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace hotline::detail {

/// Throws invalid_argument_error "<argument>: not valid UTF-8 at byte N" (or "contains a
/// NUL byte") unless `text` is clean.
void check_utf8_argument(std::string_view text, std::string_view argument);

/// How a JSON array of texts becomes one field: the lists an order keeps are
/// comma-separated (co_units, kb_entries), the others ';'-separated (a unit's covers,
/// topics).  One rule for every reader of order and unit records.
inline char list_separator(std::string_view key) { return key == "co_units" || key == "kb_entries" ? ',' : ';'; }

/// One JSON object as text fields (see the file comment).
[[nodiscard]] text_fields json_object_fields(std::string_view text, std::string_view argument);
/// A JSON array of objects as text fields, one record a element.
[[nodiscard]] std::vector<text_fields> json_array_fields(std::string_view text, std::string_view argument);

// ---- values out ---------------------------------------------------------------------
/// Every field of the order but the clocks' own, instants in ISO-8601 (Beijing time), and
/// "clocks": {"transfer": {"outcome", "start", "due", "warn", "stopped"}, ...}.
[[nodiscard]] std::string order_json(const work_order& w);
/// {"orders": [order...], "count": n}
[[nodiscard]] std::string orders_json(const std::vector<work_order>& orders);
/// id, order, seq, action, at, recorded_at, actor, role, unit, state_before, state_after,
/// changes [{field, before, after}], comment, hash.
[[nodiscard]] std::string event_json(const event& e);
/// {"order": number, "events": [event...]}
[[nodiscard]] std::string events_json(std::string_view number, const std::vector<event>& events);
/// ok, events_checked, first_broken (when broken), reason (when any), heads_checked, signed_through.
[[nodiscard]] std::string chain_json(const chain_report& r);
/// event_count, head_hash (hex), signed_at, key_id, signed, receipt (the one-line form).
[[nodiscard]] std::string receipt_json(const head_receipt& r);
/// [{code, name, kind, parent, covers: ["district/sub_district"...], topics: [...], active}]
[[nodiscard]] std::string units_json(const std::vector<unit>& units);
/// [{unit, slot, name, title, department, office_phone, mobile, email, valid_from, valid_to, reported_by}]
[[nodiscard]] std::string liaisons_json(const std::vector<liaison>& liaisons);
/// {added, already_stored, warnings: [...]}
[[nodiscard]] std::string call_import_json(const call_import& r);

// ---- the store from JSON ----------------------------------------------------------------
/// Options of a store: busy_timeout_ms, read_only, cache_kib, page_size, mmap_bytes,
/// sla_preset (sla_policy::preset), key_file (signed heads), sign_every_events, and
/// must_exist (not a store option: whether a missing file is an error; set into *must_exist).
[[nodiscard]] store_options store_options_from_json(std::string_view text, std::string_view argument, bool& must_exist);

/// A bulk import: `text` a JSON array whose elements are orders (order fields) or actions
/// (action fields: an element with an "action" is one), in order, all in one batch: the
/// store is unchanged unless every element is stored.  Returns {"created": n, "applied":
/// m, "numbers": [the created orders' numbers]}.  Errors name "<argument>[i]".
[[nodiscard]] std::string import_json(store& db, std::string_view text, std::string_view argument);

}  // namespace hotline::detail
