// SHA-256 (FIPS 180-4): a portable block function and one using the x86 SHA
// extensions (SHA-NI), chosen once at run time.
#include "store_sha256.hpp"

#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define HOTLINE_SHA_NI 1
#endif

namespace hotline::detail {

namespace {

constexpr std::uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

constexpr std::uint32_t rotr(std::uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

void blocks_portable(std::uint32_t* s, const std::uint8_t* p, std::size_t n) {
  for (; n > 0; --n, p += 64) {
    std::uint32_t w[64];
    for (int i = 0; i < 16; ++i)
      w[i] = std::uint32_t(p[4 * i]) << 24 | std::uint32_t(p[4 * i + 1]) << 16 | std::uint32_t(p[4 * i + 2]) << 8 |
             std::uint32_t(p[4 * i + 3]);
    for (int i = 16; i < 64; ++i) {
      const auto s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
      const auto s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    std::uint32_t a = s[0], b = s[1], c = s[2], d = s[3], e = s[4], f = s[5], g = s[6], h = s[7];
    for (int i = 0; i < 64; ++i) {
      const auto t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
      const auto t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
      h = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
    }
    s[0] += a; s[1] += b; s[2] += c; s[3] += d; s[4] += e; s[5] += f; s[6] += g; s[7] += h;
  }
}

#ifdef HOTLINE_SHA_NI
// The state is kept as ABEF / CDGH, the layout sha256rnds2 works on.
__attribute__((target("sha,sse4.1,ssse3"))) void blocks_sha_ni(std::uint32_t* s, const std::uint8_t* p,
                                                                std::size_t n) {
  const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
  __m128i tmp = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s));         // A B C D (low to high)
  __m128i st1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + 4));     // E F G H
  tmp = _mm_shuffle_epi32(tmp, 0xB1);                                          // B A D C
  st1 = _mm_shuffle_epi32(st1, 0x1B);                                          // H G F E
  __m128i st0 = _mm_alignr_epi8(tmp, st1, 8);                                  // F E B A = ABEF
  st1 = _mm_blend_epi16(st1, tmp, 0xF0);                                       // H G D C = CDGH
  for (; n > 0; --n, p += 64) {
    const __m128i save0 = st0, save1 = st1;
    __m128i m[4];
    for (int i = 0; i < 4; ++i)
      m[i] = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i)), bswap);
    for (int r = 0; r < 16; ++r) {
      __m128i& cur = m[r & 3];
      if (r >= 4) {
        // W[4r..4r+3] from the four previous groups (m[r&3] still holds group r-4).
        const __m128i prev1 = m[(r - 1) & 3], prev2 = m[(r - 2) & 3], prev3 = m[(r - 3) & 3];
        __m128i x = _mm_sha256msg1_epu32(cur, prev3);
        x = _mm_add_epi32(x, _mm_alignr_epi8(prev1, prev2, 4));
        cur = _mm_sha256msg2_epu32(x, prev1);
      }
      __m128i mk = _mm_add_epi32(cur, _mm_loadu_si128(reinterpret_cast<const __m128i*>(K + 4 * r)));
      st1 = _mm_sha256rnds2_epu32(st1, st0, mk);
      mk = _mm_shuffle_epi32(mk, 0x0E);
      st0 = _mm_sha256rnds2_epu32(st0, st1, mk);
    }
    st0 = _mm_add_epi32(st0, save0);
    st1 = _mm_add_epi32(st1, save1);
  }
  tmp = _mm_shuffle_epi32(st0, 0x1B);         // A B E F -> lanes E F? (reversed ABEF)
  st1 = _mm_shuffle_epi32(st1, 0xB1);         // reversed pairs of CDGH
  st0 = _mm_blend_epi16(tmp, st1, 0xF0);      // A B C D
  st1 = _mm_alignr_epi8(st1, tmp, 8);         // E F G H
  _mm_storeu_si128(reinterpret_cast<__m128i*>(s), st0);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(s + 4), st1);
}
#endif

using blocks_fn = void (*)(std::uint32_t*, const std::uint8_t*, std::size_t);

blocks_fn pick() {
#ifdef HOTLINE_SHA_NI
  __builtin_cpu_init();
  if (__builtin_cpu_supports("sha") && __builtin_cpu_supports("sse4.1") && __builtin_cpu_supports("ssse3"))
    return blocks_sha_ni;
#endif
  return blocks_portable;
}

const blocks_fn blocks = pick();

struct hasher {
  std::uint32_t s[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  std::uint8_t buf[64];
  std::size_t used = 0;
  std::uint64_t total = 0;

  void update(const std::uint8_t* p, std::size_t n) {
    if (n == 0) return;  // p may be null for empty input: memcpy(…, nullptr, 0) is undefined
    total += n;
    if (used) {
      const std::size_t take = std::min<std::size_t>(64 - used, n);
      std::memcpy(buf + used, p, take);
      used += take;
      p += take;
      n -= take;
      if (used < 64) return;
      blocks(s, buf, 1);
      used = 0;
    }
    if (n >= 64) {
      blocks(s, p, n / 64);
      p += n / 64 * 64;
      n %= 64;
    }
    std::memcpy(buf, p, n);
    used = n;
  }
  sha256_digest finish() {
    const std::uint64_t bits = total * 8;
    std::uint8_t pad[72] = {0x80};
    const std::size_t padlen = (used < 56 ? 56 - used : 120 - used);
    for (int i = 0; i < 8; ++i) pad[padlen + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(bits >> (56 - 8 * i));
    update(pad, padlen + 8);
    sha256_digest d;
    for (int i = 0; i < 8; ++i)
      for (int j = 0; j < 4; ++j) d[static_cast<std::size_t>(4 * i + j)] = static_cast<std::uint8_t>(s[i] >> (24 - 8 * j));
    return d;
  }
};

}  // namespace

sha256_digest sha256(std::initializer_list<std::string_view> parts) noexcept {
  hasher h;
  for (const auto part : parts) h.update(reinterpret_cast<const std::uint8_t*>(part.data()), part.size());
  return h.finish();
}

sha256_digest sha256(std::string_view a, std::string_view b) noexcept { return sha256({a, b}); }

sha256_digest sha256(std::string_view data) noexcept { return sha256(data, {}); }

bool sha256_uses_sha_ni() noexcept {
#ifdef HOTLINE_SHA_NI
  return blocks != blocks_portable;
#else
  return false;
#endif
}

}  // namespace hotline::detail
