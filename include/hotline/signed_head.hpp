// hotline/signed_head.hpp: Ed25519 keys, signers and head receipts for the stores' hash chains.
//
// A hash chain shows that an event was changed only to someone who did not recompute
// the hashes after it; whoever can write the database file can.  So the stores sign
// the head of their chain (the number of events and the last event's hash) with a key
// the database never holds, as Certificate Transparency's logs sign their tree heads,
// and hand out receipts of those heads that a supervisor keeps elsewhere (data
// authenticity: 003 §3.1 杜绝弄虚作假; 004 §1.5 工分只能由系统自动生成).
//
//   auto key = hotline::generate_signing_key();
//   hotline::write_key_file("/etc/hotline/head.key", key);        // once; keep it off the database's disk
//   hotline::store_options o;
//   o.signer = hotline::head_signer::from_key(hotline::read_key_file("/etc/hotline/head.key"));
//   hotline::store db("hotline.db", o);                             // every commit signs the head
//   auto r = db.head();                                             // print it, mail it to the supervisor
//   std::string line = hotline::to_string(r);
//   // ... a month later, with the public half only:
//   auto rep = db.verify(key.public_key);                           // every hash and every signature
//   auto old = hotline::parse_receipt(line);
//   auto rep2 = db.verify(*old);                                    // history up to the receipt unchanged
//
// The rules, spelled out once:
//  * Ed25519 (RFC 8032) through libsodium.  A key pair is a 32-byte seed; the secret
//    key libsodium signs with is made from it.  A key file holds the seed as 64
//    lower-case hex digits and a newline (written with mode 0600); read_key_file also
//    takes a file of exactly 32 raw bytes.  Anything else is a parse_error naming the
//    file; a missing or unreadable file is an io error (hotline::error, errc::io_error).
//  * A public key travels as 64 hex digits (to_hex, parse_public_key).  Its key id is
//    the first 8 bytes of the SHA-256 of the 32 key bytes, as 16 hex digits: it names
//    the key in receipts and signed-head rows, it proves nothing by itself.
//  * What is signed (head_message): the domain text of the log ("hotline work-order
//    head v1" for the work-order store, "hotline signing journal head v1" for the
//    signing store), a zero byte, the event count as 8 bytes big-endian, the 32-byte
//    head hash, and the signing time as 8 bytes big-endian (seconds since the epoch,
//    UTC).  A head of one log never verifies as a head of the other.
//  * A signer callback (a hardware module, a signing service) gets that message and
//    returns the 64-byte detached signature; with it the host gives the public key, for
//    the key id.  The first signature a store makes is checked against the public key:
//    a signer that does not match its key is a storage_error then, not a surprise at
//    audit time.  The callback runs inside the write's transaction under the store's
//    lock (on the importer's writer thread for an import): it must not call the store.
//    An exception from it rolls the write back and propagates: events and their
//    signed head commit together or not at all.
//  * A receipt prints as one line of text (to_string) and parses back (parse_receipt):
//      hotline-head v1 events=<n> hash=<64 hex> at=<ISO-8601, +08:00> key=<id|-> sig=<128 hex|->
//    An unsigned receipt (a store without a key) has key=- and sig=-.
#pragma once

#include "hotline/time.hpp"

#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hotline {

using ed25519_public_key = std::array<std::uint8_t, 32>;
using ed25519_signature = std::array<std::uint8_t, 64>;
using sha256_hash = std::array<std::uint8_t, 32>;

/// An Ed25519 key pair: the seed (the secret) and the public key made from it.
struct signing_key {
  std::array<std::uint8_t, 32> seed{};
  ed25519_public_key public_key{};
};

/// A new key pair from the operating system's random source.
[[nodiscard]] signing_key generate_signing_key();
/// The key pair of a 32-byte seed (deterministic: for tests and for keys kept elsewhere).
[[nodiscard]] signing_key signing_key_from_seed(std::span<const std::uint8_t, 32> seed);
/// Writes the seed as 64 hex digits and a newline, the file made with mode 0600 (an
/// existing file is replaced).  hotline::error (errc::io_error) when it cannot be written.
void write_key_file(const std::filesystem::path& file, const signing_key& key);
/// Reads a key file (64 hex digits, surrounding whitespace allowed, or 32 raw bytes).
[[nodiscard]] signing_key read_key_file(const std::filesystem::path& file);

/// 64 lower-case hex digits of a public key.
[[nodiscard]] std::string to_hex(const ed25519_public_key& key);
/// A public key from 64 hex digits (either case); std::nullopt otherwise.
[[nodiscard]] std::optional<ed25519_public_key> parse_public_key(std::string_view hex);
/// The key id: 16 hex digits of the SHA-256 of the key.
[[nodiscard]] std::string key_id(const ed25519_public_key& key);

/// Signs a head message; returns the 64-byte detached Ed25519 signature.
using sign_callback = std::function<ed25519_signature(std::span<const std::uint8_t>)>;

/// What a store signs its heads with: the callback and the public key it signs for.
struct head_signer {
  ed25519_public_key public_key{};
  sign_callback sign;
  /// A signer holding `key` in memory (libsodium's crypto_sign_detached).
  [[nodiscard]] static head_signer from_key(const signing_key& key);
  explicit operator bool() const noexcept { return static_cast<bool>(sign); }
};

/// A chain head: how many events the log held, the last one's hash, and (when signed)
/// when, by which key, and the signature.
struct head_receipt {
  std::int64_t event_count = 0;
  sha256_hash head_hash{};  ///< all zero for an empty log
  instant signed_at{};      ///< when signed; for an unsigned head, when it was read
  std::string key_id;       ///< empty when unsigned
  std::optional<ed25519_signature> signature;  ///< empty: unsigned

  [[nodiscard]] bool is_signed() const noexcept { return signature.has_value(); }
  friend bool operator==(const head_receipt&, const head_receipt&) = default;
};

/// The receipt as one line (see the format above).
[[nodiscard]] std::string to_string(const head_receipt& r);
/// A receipt from its line (surrounding whitespace allowed); std::nullopt when malformed.
[[nodiscard]] std::optional<head_receipt> parse_receipt(std::string_view text);

/// The bytes a head is signed as, for a log of domain `domain` (see above).
[[nodiscard]] std::vector<std::uint8_t> head_message(std::string_view domain, std::int64_t event_count,
                                                     const sha256_hash& head_hash, instant signed_at);
/// Whether `r` carries a signature that `key` made over head_message(domain, r...).
[[nodiscard]] bool check_signature(std::string_view domain, const head_receipt& r, const ed25519_public_key& key);

/// The domains of the two stores' heads.
inline constexpr std::string_view work_order_head_domain = "hotline work-order head v1";
inline constexpr std::string_view signing_journal_head_domain = "hotline signing journal head v1";

}  // namespace hotline
