// Private: the hash chain over service records (registry_services.cpp, the store's
// journal check).  Each record is hashed on the previous record's full hash, in a
// canonical encoding of every field, so that a changed, inserted or removed record
// breaks the chain at that record.
#pragma once

#include "../store_sha256.hpp"
#include "hotline/signing/registry.hpp"

#include <string>

namespace hotline::signing {

/// The canonical bytes of a record: its fields in a fixed order, unit-separated.
inline std::string service_canonical(const service_record& s) {
  std::string b;
  b.reserve(128);
  auto put = [&](std::string_view v) { b.append(v).push_back('\x1f'); };
  put(std::to_string(s.seq));
  put(s.contract);
  put(s.resident);
  put(s.team);
  put(s.institution);
  put(s.staff);
  put(name(s.kind));
  put(format_day(s.on));
  put(std::to_string(s.months));
  put(name(s.condition));
  put(s.stable ? "1" : "0");
  put(name(s.priority));
  put(s.counterpart);
  put(s.note);
  return b;
}

inline std::array<std::uint8_t, 32> service_hash(const std::array<std::uint8_t, 32>& prev, const service_record& s) {
  const std::string body = service_canonical(s);
  const auto d = hotline::detail::sha256(
      std::string_view(reinterpret_cast<const char*>(prev.data()), prev.size()), body);
  std::array<std::uint8_t, 32> out{};
  for (std::size_t i = 0; i < 32; ++i) out[i] = d[i];
  return out;
}

/// Recomputes the chain; names the first record whose sequence or hash is wrong.
inline service_chain_report verify_services(std::span<const service_record> list) {
  service_chain_report rep;
  std::array<std::uint8_t, 32> prev{};
  for (const auto& s : list) {
    ++rep.services;
    if (s.seq != rep.services) {
      rep.ok = false;
      rep.first_bad_seq = rep.services;
      rep.reason = "service " + std::to_string(rep.services) + " carries sequence " + std::to_string(s.seq) +
                   ": a service was inserted or removed";
      return rep;
    }
    if (service_hash(prev, s) != s.hash) {
      rep.ok = false;
      rep.first_bad_seq = s.seq;
      rep.reason = "service " + std::to_string(s.seq) + " does not match its hash: it was changed after it was recorded";
      return rep;
    }
    prev = s.hash;
  }
  return rep;
}

}  // namespace hotline::signing
