// Private: SHA-256 for the event hash chains (FIPS 180-4), through libsodium's
// crypto_hash_sha256 (a vetted implementation; the bytes are the standard's, so files
// hashed by the hand-written code of earlier versions verify unchanged).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string_view>

namespace hotline::detail {

using sha256_digest = std::array<std::uint8_t, 32>;

/// SHA-256 of `data`.
sha256_digest sha256(std::string_view data) noexcept;
/// SHA-256 of a || b, without concatenating them first.
sha256_digest sha256(std::string_view a, std::string_view b) noexcept;
/// SHA-256 of the concatenation of `parts`, without concatenating them first.
sha256_digest sha256(std::initializer_list<std::string_view> parts) noexcept;
/// sodium_init(), once per process (thread-safe).  The hash above does not need it;
/// key generation and signatures (signed_head.cpp) call it first: it picks libsodium's
/// code paths for the CPU and readies the random source.  False when it failed.
bool sodium_ready() noexcept;

}  // namespace hotline::detail
