// Private: SHA-256 for the event hash chain (FIPS 180-4), with the x86 SHA
// extensions when the CPU has them (checked once at run time).
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
/// Whether the hardware path is in use (for the benchmark's report).
bool sha256_uses_sha_ni() noexcept;

}  // namespace hotline::detail
