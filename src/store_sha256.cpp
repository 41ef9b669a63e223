// SHA-256 (FIPS 180-4) through libsodium (crypto_hash_sha256, streaming over the parts).
#include "store_sha256.hpp"

#include <sodium.h>

namespace hotline::detail {

bool sodium_ready() noexcept {
  static const bool ok = sodium_init() >= 0;  // 0: initialised now, 1: already
  return ok;
}

sha256_digest sha256(std::initializer_list<std::string_view> parts) noexcept {
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  for (const auto part : parts)
    if (!part.empty())  // data() may be null for an empty view
      crypto_hash_sha256_update(&st, reinterpret_cast<const unsigned char*>(part.data()), part.size());
  sha256_digest d;
  crypto_hash_sha256_final(&st, d.data());
  return d;
}

sha256_digest sha256(std::string_view a, std::string_view b) noexcept { return sha256({a, b}); }

sha256_digest sha256(std::string_view data) noexcept { return sha256({data}); }

}  // namespace hotline::detail
