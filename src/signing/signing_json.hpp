// Private: the signing store's calls and reads as JSON text, for the C ABI
// (src/c_api/c_signing.cpp).  nlohmann::json stays inside signing_json.cpp.
//
//   std::string r = hotline::signing::detail::apply_json(db,
//       R"({"op":"sign","by":"D01","resident":"R1","team":"T01","packages":["BASIC"],"start":"2017-03-01"})",
//       "call_json", false);                          // {"op":"sign","seq":12,"contract":{...}}
//
// A call is one JSON object: "op" (the signing_store call: add_resident, sign,
// record_service, ...), "by" (who, required), "at" (an instant; default now), and the
// call's arguments under the names the journal writes them (store_codec.cpp): dates
// "YYYY-MM-DD", vocabularies by their ASCII names (vocabulary.hpp).  An unknown op or
// field, a missing field or a value of the wrong type is an invalid_argument_error naming
// the argument and the field; malformed JSON a parse_error naming the line and byte.
#pragma once

#include "hotline/signing/reports.hpp"
#include "hotline/signing/store.hpp"

#include <string>
#include <string_view>

namespace hotline::signing::detail {

/// Options: policy ("guangzhou_2017", "guangxi_2023"), busy_timeout_ms, policy_from_file,
/// read_only, created_by, cache_kib, key_file (signed heads), sign_every_rows.
/// The policy given (or guangzhou_2017) goes to *p.
[[nodiscard]] signing_store_options signing_options_from_json(std::string_view text, std::string_view argument,
                                                              policy& p);

/// Makes the call (see the file comment); returns {"op", "seq" (the journal's last row),
/// and "contract" (sign, renew, terminate), "contracts" (sign_household) or "service"
/// (record_service; its note masked unless `reveal`)}.
[[nodiscard]] std::string apply_json(signing_store& db, std::string_view text, std::string_view argument, bool reveal);

/// A resident: id, name, id_number (masked unless `reveal`), birth, sex, district,
/// subdistrict, community, insured.  not_found_error for an unknown one.
[[nodiscard]] std::string resident_json(const registry& r, const std::string& id, bool reveal);
/// {"resident", "contracts": [contract...]}, oldest first; not_found_error for an unknown resident.
[[nodiscard]] std::string contracts_json(const registry& r, const std::string& resident);
/// The coverage as of a day by a grouping ("district", "subdistrict", "community",
/// "institution", "team"): {as_of, by, rows: [...], total, targets: [...]}.
[[nodiscard]] std::string coverage_json(const registry& r, day as_of, std::string_view by);
/// signing_tables(r, as_of) as [{title, columns, rows, percent_columns, notes}].
[[nodiscard]] std::string tables_json(const registry& r, day as_of);
/// ok, rows, first_bad_seq, reason, services {ok, services, first_bad_seq, reason},
/// heads_checked, signed_through.
[[nodiscard]] std::string journal_report_json(const journal_report& r);
/// [{seq, at, by, op, payload (an object), hash}]
[[nodiscard]] std::string journal_json(const std::vector<journal_entry>& rows);

}  // namespace hotline::signing::detail
