// Private: the store's byte formats (store_codec.cpp).
//
//  * changes, schema 2 ("v1"): a BLOB 0x01, then per change a field code and two tagged
//    values (events rows of files written by schema 2 and 3);
//  * event blocks, schema 4: the events of one order written in one transaction, one
//    row of `event_blocks`, each event hashed on its own (see docs/store.md);
//  * the projection's remainder, schema 4: the fields of an order that are not columns
//    of `orders`, in one BLOB.
//
// Names are coded by frozen tables (never reorder them: stored bytes refer to positions;
// append only); a name a table does not hold is written out in full, so a field or an
// enum value added later is still stored and read back exactly.
#pragma once

#include "hotline/store.hpp"
#include "hotline/work_order.hpp"
#include "store_sha256.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hotline::detail {

// ---- primitives ----------------------------------------------------------------
void put_varint(std::string& out, std::uint64_t v);
inline std::uint64_t zigzag(std::int64_t v) {
  return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}
inline std::int64_t unzigzag(std::uint64_t v) {
  return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
}
void put_text(std::string& out, std::string_view s);

/// Reads the formats above; a malformed input throws storage_error.
struct byte_reader {
  std::string_view s;
  std::size_t i = 0;
  [[noreturn]] static void bad();
  bool done() const noexcept { return i >= s.size(); }
  unsigned char byte() {
    if (i >= s.size()) bad();
    return static_cast<unsigned char>(s[i++]);
  }
  std::uint64_t varint();
  std::int64_t svarint() { return unzigzag(varint()); }
  std::string_view text();
};

/// A decimal integer written exactly as std::to_string writes it.
bool canonical_int(std::string_view s, std::int64_t& v);

// ---- frozen vocabularies -------------------------------------------------------------
enum class vocab : std::uint8_t { field, action, role, state, value };
/// Writes `name` as one byte (1 + its position in the table) or 0 and the text.
void put_word(std::string& out, vocab v, std::string_view name);
std::string_view read_word(byte_reader& r, vocab v);

struct clock_change;  // work_order_fields.hpp

// ---- changes -------------------------------------------------------------------------
/// Schema 2/3 compact changes (tag 0x01 first); kept for reading and for tests.
constexpr char compact_changes_tag = '\x01';
void encode_changes_v1(std::string& out, const std::vector<field_change>& ch);
/// Decodes schema-1 JSON or schema-2 compact changes (as stored in `events`).
std::vector<field_change> parse_changes(std::string_view stored);

/// Schema 4 changes inside an event block; `at` is the event's instant (seconds),
/// the reference of the relative integer and clock forms.  Appends to `out`.
/// With `clocks` (apply_in_place's), the changes they index are encoded from their values.
void encode_changes_v2(std::string& out, const std::vector<field_change>& ch, std::int64_t at,
                       const std::vector<clock_change>* clocks = nullptr);
/// The changes of a create, as encode_changes_v2 writes create_numbered's list of them,
/// straight from the new order (for_each_created_change).
void encode_created_v2(std::string& out, const work_order& o, std::int64_t at);
void decode_changes_v2(std::string_view bytes, std::int64_t at, std::vector<field_change>& out);

// ---- event blocks ----------------------------------------------------------------------
constexpr char block_format = '\x02';

/// One event as an event block holds it (views into the block or the caller's data).
struct block_event {
  std::string_view action;
  std::int64_t at = 0, recorded_at = 0;
  std::string_view actor, role, unit;
  std::optional<std::string_view> state_before;
  std::string_view state_after;
  std::optional<std::string_view> changes;  ///< encoded v2; nullopt: no changes (NULL)
  std::string_view comment;
  /// The word_code()s of action, role and states when the writer knows them (0: the
  /// names are looked up); the bytes are the same either way.
  std::uint8_t action_code = 0, role_code = 0, before_code = 0, after_code = 0;
};

/// The byte put_word writes for the names of the enums' values (their codes in the
/// frozen vocabularies), looked up once: the write path spells them on every event.
std::uint8_t word_code(action a) noexcept;
std::uint8_t word_code(role r) noexcept;
std::uint8_t word_code(order_state s) noexcept;

/// Appends one event to a block body (`prev_at`/`prev_recorded`: those of the event
/// before it in the block, 0 for the first; the body starts with block_format).
void append_block_event(std::string& body, const block_event& e, std::int64_t prev_at, std::int64_t prev_recorded);
/// Splits a block body into its events; `slices` get each event's bytes (what its
/// hash covers).  Throws storage_error when malformed.
void parse_block(std::string_view body, std::vector<block_event>& events, std::vector<std::string_view>& slices);

/// The bytes a block event's hash covers: "<id>;<order_id>;<seq>;<length>:<event bytes>;".
void block_canonical(std::int64_t id, std::int64_t order_id, std::int64_t seq, std::string_view event_bytes,
                     std::string& out);
/// A block event's hash: SHA-256 of `prev` (the full hash of the event before it) and
/// its block_canonical bytes, fed to the hash in pieces instead of copied together.
sha256_digest block_event_hash(std::string_view prev, std::int64_t id, std::int64_t order_id, std::int64_t seq,
                               std::string_view event_bytes) noexcept;

/// The bytes a schema 1-3 event row's hash covers (every column but the hash).
struct event_row {
  std::int64_t id, order_id, seq;
  std::string_view action;
  std::int64_t at, recorded_at;
  std::string_view actor, role, unit;
  std::optional<std::string_view> state_before;
  std::string_view state_after;
  std::optional<std::string_view> changes;
  std::string_view comment;
};
void row_canonical(const event_row& e, std::string& out);

// ---- the projection ------------------------------------------------------------------------
/// Whether a field of for_each_field (by position) is a column of `orders` (schema 4).
bool is_projection_column(std::size_t field_position);
/// The fields that are not columns and differ from work_order{}'s, into `out` (cleared first).
void encode_rest(const work_order& o, std::string& out);
/// Sets the fields of `rest` on `o`, which holds work_order{}'s values for the others.
void decode_rest(std::string_view rest, work_order& o);

}  // namespace hotline::detail
