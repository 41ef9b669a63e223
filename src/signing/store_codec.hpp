// Private: the journal rows of the signing store (store.hpp): the JSON of each call,
// written by hand (sign_all writes a row per contract) and read with nlohmann::json,
// the replay of a row into a registry, and the chained hash of a row.
#pragma once

#include "../store_sha256.hpp"
#include "hotline/signing/registry.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hotline::signing::detail {

/// hotline::sex in a payload (the writer and the replay share the spelling).
inline constexpr std::string_view sex_names[] = {"unknown", "male", "female"};

/// Writes one JSON object into `out`, keys in the order given.  Text is checked for
/// UTF-8 (invalid_argument_error naming the call and the field, never the value).
/// An enumerator outside its enumeration is written as its number: the registry
/// refuses it or keeps it, and a replay then does the same.
class json_out {
 public:
  /// `call` (and `index`, when >= 0) name the call in errors: "sign_all request 3".
  json_out(std::string& out, std::string_view call, std::ptrdiff_t index = -1);
  json_out& text(std::string_view key, std::string_view v);
  json_out& text_if(std::string_view key, std::string_view v);  ///< omitted when empty
  json_out& number(std::string_view key, std::int64_t v);
  json_out& flag(std::string_view key, bool v);
  json_out& date(std::string_view key, day d);
  json_out& texts(std::string_view key, const std::vector<std::string>& v);
  json_out& triples(std::string_view key, const std::vector<std::array<std::string, 3>>& v);
  json_out& hash(std::string_view key, const std::array<std::uint8_t, 32>& h);
  json_out& word(std::string_view key, hotline::sex v);
  template <class E>
  json_out& word(std::string_view key, E v) {
    const std::string_view n = name(v);
    if (n == "?") return number(key, static_cast<std::int64_t>(v));
    put_key(key);
    s_.push_back('"');
    s_.append(n);
    s_.push_back('"');
    return *this;
  }
  void close() { s_.push_back('}'); }

 private:
  void put_key(std::string_view k);
  void put_text(std::string_view key, std::string_view v);
  std::string& s_;
  std::string_view call_;
  std::ptrdiff_t index_;
  bool first_ = true;
};

// The arguments of the calls that take a record (the others are written field by field).
void put(json_out& j, const resident& r);
void put(json_out& j, const institution& i);
void put(json_out& j, const team& t);
void put(json_out& j, const staff_member& s);
void put(json_out& j, const package& p);
void put(json_out& j, const sign_request& r);  ///< resident, team, packages, start, years, channel, application, id
void put(json_out& j, const application& a);
void put(json_out& j, const service_record& s);  ///< every field, seq and hash included
void put(json_out& j, const survey_answer& a);
void put(json_out& j, const specialist_slots& s);

/// Row i of add_residents: id, birth, place (an index into `places`, which row 0 carries
/// whole, so that a replay makes the same call), sex and insured when given, i and n.
void put_row(json_out& j, const resident_rows& rows, std::size_t i);

/// Checks the text of a request as put() would, without writing it (sign_all's first pass).
void check_text(const sign_request& r, std::string_view call, std::ptrdiff_t index);
/// Checks the ids and places of add_residents.
void check_text(const resident_rows& rows, std::string_view call);

/// The policy as JSON (nlohmann, keys sorted).  invalid_argument_error on text that is not UTF-8.
std::string encode_policy(const policy& p);
/// The policy of row 1; storage_error naming the row when it does not read.
policy decode_policy(std::string_view payload);
/// The first field in which two policies differ ("terms_years"), or empty when they are equal.
std::string policy_difference(const policy& a, const policy& b);

/// Applies journal rows to a registry, in seq order: decodes each call, makes it, and
/// checks that its results are what the row says.  storage_error naming the row's seq
/// when any of that fails.  The rows of one add_residents call are gathered and made
/// one call again (its places numbered as the caller numbered them).
class journal_replay {
 public:
  explicit journal_replay(registry& r) : r_(r) {}
  void row(std::uint64_t seq, std::string_view op, std::string_view payload);
  /// Throws when the journal ends inside an add_residents call (its last rows removed).
  void end() const;

 private:
  void flush();
  registry& r_;
  resident_rows pending_;            ///< an add_residents call being gathered
  std::uint64_t pending_first_ = 0;  ///< its first row; 0: none
  std::size_t pending_n_ = 0;
};

/// The payload with residents' names and identity numbers masked (mask_name,
/// mask_id_number) and the digit runs of a service's note (mask_text); a payload
/// that does not parse becomes a note saying so.
std::string masked_payload(std::string_view op, std::string_view payload);

/// The row's hash (store.hpp): SHA-256(prev || seq (8 bytes BE) || len(at) (4 BE) || at
/// || len(by) || by || len(op) || op || payload).
::hotline::detail::sha256_digest row_hash(std::string_view prev, std::uint64_t seq, std::string_view at,
                                          std::string_view by, std::string_view op, std::string_view payload) noexcept;

std::string to_hex(std::string_view bytes);

}  // namespace hotline::signing::detail
