// hotline/signing/service_record.hpp: one service a team gave a signed resident.
//
// Services are the only source of work points (004 §1.5: 工分 "只能通过提供服务由系统
// 自动生成", staff cannot edit them) and the evidence that a contract is served
// (003 §3.1 杜绝只签约不服务).  The registry (registry.hpp) records them as
// append-only events, each hash-chained to the one before; this header is only
// the record, so that work points and reports can read services without the registry.
//
//   hotline::signing::service_record s;
//   s.contract = "C000017"; s.staff = "D0101"; s.kind = hotline::signing::service_kind::home_visit;
//   s.on = hotline::make_day(2026, 3, 2);
#pragma once

#include "hotline/signing/vocabulary.hpp"
#include "hotline/time.hpp"

#include <array>
#include <cstdint>
#include <string>

namespace hotline::signing {

struct service_record {
  std::uint64_t seq = 0;        ///< position in the log, from 1 (set by the registry)
  std::string contract{};         ///< the contract served (valid on `on`)
  std::string resident{};         ///< filled in by the registry from the contract
  std::string team{};             ///< filled in by the registry from the contract
  std::string institution{};      ///< filled in by the registry from the team
  std::string staff{};            ///< who gave it: a member of the team on `on`
  service_kind kind = service_kind::consultation;
  day on{};                     ///< the day it was given
  // long_prescription (002 §2.6)
  int months = 0;                          ///< 1 or 2
  attribute condition = attribute::hypertension;  ///< the chronic condition it treats
  bool stable = false;                     ///< the doctor judged the condition stable
  // referral_up / referral_down (002 §2.5)
  referral_priority priority = referral_priority::none;
  std::string counterpart{};      ///< the hospital referred to, or referred from
  std::string note{};
  std::array<std::uint8_t, 32> hash{};  ///< SHA-256 chained to the previous record (set by the registry)
};

}  // namespace hotline::signing
