// hotline/signing/fees.hpp: signing-fee arithmetic in integer fen.
//
// The annual signing fee (年签约服务费) is money, so it is counted in fen (1/100 yuan)
// in std::int64_t and never in double.  This header holds the three operations the
// settlements (settlement.hpp) are built from: a share of an amount rounded to the fen,
// the team / institution split of 002 §2.14, and apportioning a total over weights so
// that the parts add up exactly:
//
//   using namespace hotline::signing;
//   split_fee(12000, 0.8);                 // {9600, 2400}: 002 §2.14 80 % team, 20 % institution
//   split_fee(12001, 0.8);                 // {9601, 2400}: 9600.8 rounds to 9601; the rest is 2400
//   rounded_share(50, 0.29);               // 15: 14.5 rounds away from zero
//   std::vector<std::int64_t> w{1, 1, 1};
//   apportion(100, w);                     // {34, 33, 33}: the left-over fen to the first tie
//   yuan(12345);                           // 123.45, for report tables only
//
// The rules, spelled out once:
//  * Who pays (002 §2.12): the annual fee of each package (免费服务包, 基本服务包,
//    个性化服务包) is shared by the basic medical insurance fund (医保基金), the basic
//    public-health service funds (基本公共卫生服务经费) and the resident (个人自付);
//    registry::add_package checks that the three shares add up to the fee.
//  * A share of an amount, rounded_share(fen, s), is fen × s rounded to the nearest fen,
//    a half fen away from zero (12001 × 0.8 = 9600.8 -> 9601; 15 × 0.5 = 7.5 -> 8;
//    -15 × 0.5 = -7.5 -> -8).  The share is read to nine decimal places (to the
//    nearest billionth: 0.8 is 800 000 000 / 10^9) and the product is then exact
//    integer arithmetic, so the decimal written in a notice is what is applied:
//    50 fen × 0.29 is exactly 14.5 and gives 15, where a double product
//    (14.499999999999998) would give 14.  A share outside [0, 1] or NaN is an
//    invalid_argument_error.  The same rounding weighs a fund's payment by an
//    assessment factor (settlement.hpp).
//  * Distribution (002 §2.14): of the free and basic packages' annual fee, 80 % is
//    distributed by the general practitioner and the team (全科医生及团队自主分配)
//    and 20 % is pooled by the institution (基层医疗卫生机构统筹); a district may change
//    the proportion (各区可根据实际情况，适当调整分配比例): policy::team_share_in gives
//    the share for a district and package tier, personalised packages (priced by the
//    district or the institution, 002 §2.12) included.  split_fee(fee, s) gives the
//    team rounded_share(fee, s) and the institution everything else, fee − team, so
//    the two always add up to the fee, to the fen, whatever the rounding did.
//  * Apportioning (statements whose team rows must add up to their institution row):
//    apportion(total, weights) gives part i = total × w_i / Σw by the largest-remainder
//    (Hamilton) method: each part first gets its quota rounded down, then the fen
//    still missing go one each to the parts with the largest remainders; equal
//    remainders go to the earlier index.  So the parts add up to the total exactly,
//    each part is its exact quota rounded down or up, and a zero weight gets 0.  A
//    negative total is apportioned as its absolute value and negated.  A negative
//    weight, or a non-zero total over weights that are all 0, is an
//    invalid_argument_error.  Arithmetic is exact in 128-bit integers.
#pragma once

#include "hotline/error.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <numeric>
#include <span>
#include <string>
#include <vector>

namespace hotline::signing {

namespace detail {
__extension__ typedef __int128 fee_int128;  // exact products of fen and billionths (GCC, Clang)

/// A share in [0, 1] as billionths (0.8 -> 800000000); outside [0, 1] or NaN throws.
constexpr std::int64_t share_billionths(double share, const char* what) {
  if (!(share >= 0.0 && share <= 1.0)) {
    char text[32];
    const auto end = std::to_chars(text, text + sizeof text, share).ptr;  // shortest form: 1.2, nan
    throw invalid_argument_error(std::string(what) + ": share " + std::string(text, end) + " is outside 0-1");
  }
  return static_cast<std::int64_t>(share * 1e9 + 0.5);
}
}  // namespace detail

/// fen × share, rounded to the fen, a half fen away from zero; share read to 1e-9 (see the top).
constexpr std::int64_t rounded_share(std::int64_t fen, double share) {
  using i128 = detail::fee_int128;
  const std::int64_t b = detail::share_billionths(share, "rounded_share");
  const i128 magnitude = fen < 0 ? -static_cast<i128>(fen) : static_cast<i128>(fen);
  const i128 part = (magnitude * b + 500'000'000) / 1'000'000'000;  // half away from zero
  return static_cast<std::int64_t>(fen < 0 ? -part : part);
}

/// A fee split between the team and the institution (002 §2.14); team + institution == the fee.
struct fee_split {
  std::int64_t team = 0;         ///< 全科医生及团队自主分配
  std::int64_t institution = 0;  ///< 基层医疗卫生机构统筹
  friend constexpr bool operator==(const fee_split&, const fee_split&) = default;
};

/// The team's rounded share of `fee_fen` and the institution's rest (see the top).
constexpr fee_split split_fee(std::int64_t fee_fen, double team_share) {
  detail::share_billionths(team_share, "split_fee");  // names the function in the error
  const std::int64_t team = rounded_share(fee_fen, team_share);
  return fee_split{team, fee_fen - team};
}

/// `total` in parts proportional to `weights`, adding up exactly (largest remainder; see the top).
inline std::vector<std::int64_t> apportion(std::int64_t total, std::span<const std::int64_t> weights) {
  using i128 = detail::fee_int128;
  i128 sum = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (weights[i] < 0)
      throw invalid_argument_error("apportion: weight " + std::to_string(i) + " is negative (" +
                                   std::to_string(weights[i]) + ")");
    sum += weights[i];
  }
  std::vector<std::int64_t> parts(weights.size(), 0);
  if (total == 0) return parts;
  if (sum == 0)
    throw invalid_argument_error("apportion: " + std::to_string(total) + " over " + std::to_string(weights.size()) +
                                 " weights that are all 0");
  const i128 magnitude = total < 0 ? -static_cast<i128>(total) : static_cast<i128>(total);
  std::vector<i128> remainder(weights.size());
  i128 given = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const i128 q = magnitude * weights[i];
    parts[i] = static_cast<std::int64_t>(q / sum);
    remainder[i] = q % sum;
    given += parts[i];
  }
  // Fewer fen are missing than there are parts with a remainder, so one each suffices.
  std::vector<std::size_t> order(weights.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return remainder[a] > remainder[b]; });
  for (std::size_t k = 0; given < magnitude; ++k, ++given) ++parts[order[k]];
  if (total < 0)
    for (auto& p : parts) p = -p;
  return parts;
}

/// Fen as yuan, for report tables (a double with two decimals; never for arithmetic).
constexpr double yuan(std::int64_t fen) noexcept { return static_cast<double>(fen) / 100.0; }

}  // namespace hotline::signing
