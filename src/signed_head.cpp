// Ed25519 keys, signers and head receipts (signed_head.hpp), through libsodium.
#include "hotline/signed_head.hpp"

#include "hotline/error.hpp"
#include "store_sha256.hpp"

#include <sodium.h>

#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace hotline {

namespace {

void need_sodium() {
  if (!detail::sodium_ready()) throw error(errc::io_error, "libsodium could not initialise (sodium_init failed)");
}

constexpr char digits[] = "0123456789abcdef";

std::string hex_of(const std::uint8_t* p, std::size_t n) {
  std::string s(2 * n, '0');
  for (std::size_t i = 0; i < n; ++i) {
    s[2 * i] = digits[p[i] >> 4];
    s[2 * i + 1] = digits[p[i] & 15];
  }
  return s;
}

int nibble(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

template <std::size_t N>
std::optional<std::array<std::uint8_t, N>> unhex(std::string_view s) {
  if (s.size() != 2 * N) return std::nullopt;
  std::array<std::uint8_t, N> out{};
  for (std::size_t i = 0; i < N; ++i) {
    const int hi = nibble(s[2 * i]), lo = nibble(s[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

void put_be(std::vector<std::uint8_t>& out, std::uint64_t v) {
  for (int i = 7; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

}  // namespace

signing_key signing_key_from_seed(std::span<const std::uint8_t, 32> seed) {
  need_sodium();
  signing_key k;
  std::copy(seed.begin(), seed.end(), k.seed.begin());
  unsigned char sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_seed_keypair(k.public_key.data(), sk, k.seed.data());
  sodium_memzero(sk, sizeof sk);
  return k;
}

signing_key generate_signing_key() {
  need_sodium();
  std::array<std::uint8_t, 32> seed;
  randombytes_buf(seed.data(), seed.size());
  auto k = signing_key_from_seed(seed);
  sodium_memzero(seed.data(), seed.size());
  return k;
}

void write_key_file(const std::filesystem::path& file, const signing_key& key) {
  const std::string text = hex_of(key.seed.data(), key.seed.size()) + "\n";
  // Made 0600 from the start (no window in which another user could read it).
  const std::string tmp = file.string() + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw error(errc::io_error, "cannot write the key file " + file.string() + ": " + std::strerror(errno));
  const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), file.c_str()) != 0) {
    ::unlink(tmp.c_str());
    throw error(errc::io_error, "cannot write the key file " + file.string() + ": " + std::strerror(errno));
  }
}

signing_key read_key_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw error(errc::io_error, "cannot read the key file " + file.string());
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (bytes.size() == 32) {
    std::array<std::uint8_t, 32> seed;
    std::memcpy(seed.data(), bytes.data(), 32);
    auto k = signing_key_from_seed(seed);
    sodium_memzero(seed.data(), seed.size());
    sodium_memzero(bytes.data(), bytes.size());
    return k;
  }
  auto seed = unhex<32>(trim(bytes));
  sodium_memzero(bytes.data(), bytes.size());
  if (!seed)
    throw parse_error(file.string(), 0,
                      "a key file holds an Ed25519 seed as 64 hex digits (or 32 raw bytes); this one does not");
  auto k = signing_key_from_seed(*seed);
  sodium_memzero(seed->data(), seed->size());
  return k;
}

std::string to_hex(const ed25519_public_key& key) { return hex_of(key.data(), key.size()); }

std::optional<ed25519_public_key> parse_public_key(std::string_view hex) { return unhex<32>(trim(hex)); }

std::string key_id(const ed25519_public_key& key) {
  const auto d = detail::sha256(std::string_view(reinterpret_cast<const char*>(key.data()), key.size()));
  return hex_of(d.data(), 8);
}

head_signer head_signer::from_key(const signing_key& key) {
  need_sodium();
  // The expanded secret key is kept by the callback (libsodium signs with it).
  auto sk = std::make_shared<std::array<unsigned char, crypto_sign_SECRETKEYBYTES>>();
  ed25519_public_key pk;
  crypto_sign_seed_keypair(pk.data(), sk->data(), key.seed.data());
  head_signer s;
  s.public_key = pk;
  s.sign = [sk](std::span<const std::uint8_t> msg) {
    ed25519_signature sig;
    crypto_sign_detached(sig.data(), nullptr, msg.data(), msg.size(), sk->data());
    return sig;
  };
  return s;
}

std::vector<std::uint8_t> head_message(std::string_view domain, std::int64_t event_count, const sha256_hash& head_hash,
                                       instant signed_at) {
  std::vector<std::uint8_t> m(domain.begin(), domain.end());
  m.push_back(0);
  put_be(m, static_cast<std::uint64_t>(event_count));
  m.insert(m.end(), head_hash.begin(), head_hash.end());
  put_be(m, static_cast<std::uint64_t>(signed_at.time_since_epoch().count()));
  return m;
}

bool check_signature(std::string_view domain, const head_receipt& r, const ed25519_public_key& key) {
  if (!r.signature) return false;
  need_sodium();
  const auto m = head_message(domain, r.event_count, r.head_hash, r.signed_at);
  return crypto_sign_verify_detached(r.signature->data(), m.data(), m.size(), key.data()) == 0;
}

std::string to_string(const head_receipt& r) {
  std::string s = "hotline-head v1 events=" + std::to_string(r.event_count);
  s += " hash=" + hex_of(r.head_hash.data(), r.head_hash.size());
  s += " at=" + format_instant(r.signed_at);
  s += " key=" + (r.key_id.empty() ? std::string("-") : r.key_id);
  s += " sig=" + (r.signature ? hex_of(r.signature->data(), r.signature->size()) : std::string("-"));
  return s;
}

std::optional<head_receipt> parse_receipt(std::string_view text) {
  text = trim(text);
  std::vector<std::string_view> words;
  while (!text.empty()) {
    const auto sp = text.find(' ');
    words.push_back(text.substr(0, sp));
    if (sp == std::string_view::npos) break;
    text = trim(text.substr(sp + 1));
  }
  if (words.size() != 7 || words[0] != "hotline-head" || words[1] != "v1") return std::nullopt;
  auto field = [&](std::size_t i, std::string_view name) -> std::optional<std::string_view> {
    const auto w = words[i];
    if (w.size() <= name.size() || w.substr(0, name.size()) != name || w[name.size()] != '=') return std::nullopt;
    return w.substr(name.size() + 1);
  };
  const auto events = field(2, "events"), hash = field(3, "hash"), at = field(4, "at"), key = field(5, "key"),
             sig = field(6, "sig");
  if (!events || !hash || !at || !key || !sig) return std::nullopt;
  head_receipt r;
  const auto [p, ec] = std::from_chars(events->data(), events->data() + events->size(), r.event_count);
  if (ec != std::errc() || p != events->data() + events->size() || r.event_count < 0) return std::nullopt;
  const auto h = unhex<32>(*hash);
  if (!h) return std::nullopt;
  r.head_hash = *h;
  try {
    r.signed_at = parse_instant(*at);
  } catch (const error&) {
    return std::nullopt;
  }
  if (*key != "-") {
    if (key->size() != 16 || !unhex<8>(*key)) return std::nullopt;
    r.key_id = std::string(*key);
  }
  if (*sig != "-") {
    auto s = unhex<64>(*sig);
    if (!s) return std::nullopt;
    r.signature = *s;
  }
  if (r.key_id.empty() != !r.signature) return std::nullopt;  // both or neither
  return r;
}

}  // namespace hotline
