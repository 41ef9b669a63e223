// hotline/signing/reports.hpp: what a district, an institution or a team signed and served.
//
// Every report is computed as of a date from the registry (registry.hpp) and comes as
// plain rows, for Python and for tests, and as report tables (report_table.hpp) for text,
// CSV and XLSX:
//
//   auto cov = hotline::signing::coverage(reg, hotline::make_day(2017, 12, 31));
//   cov.total.all.rate();                  // signed-and-valid over the population
//   for (auto& t : cov.targets) ...        // 30 % / 60 % (002 §1.2) or +1-3 points (003 §1)
//   hotline::write_xlsx(hotline::signing::signing_tables(reg, as_of), "signing.xlsx");
//
// The definitions, spelled out once:
//  * Population on day D: the registered residents born on or before D and not dead
//    before D, counted where they live now (the registry keeps the current address).
//  * Signed on D: holding a contract valid on D (start <= D < end, not terminated).
//  * Key populations on D (002 §1.2, 003 §2.2.1): 65 and over and 0-6 from the birth
//    date (completed years), the others from attributes in force on D.  "Key
//    populations" together counts a resident once, however many groups hold him.
//  * Coverage by district, sub-district or community has a population and rates;
//    by institution or team it has the signed counts only (a team has no population
//    of its own: residents may sign across sub-districts, 002 §2.2).
//  * Targets: an absolute target (30 %) is met at or above it; a target relative to
//    the previous year (003 §1: +1-3 points) compares with the rate on the same day
//    a year before; a rise above the upper end is reported, not failed.
//  * Referrals (004 §2.2): services of kind referral_up / referral_down in a calendar
//    year, against the year before; the change is (this - last) / last.
//  * Standardised management (004 §2.3): among signed residents with a chronic
//    condition on D, those with at least policy.standardised_follow_ups follow-ups
//    in the 365 days ending on D.
//  * Not served (签而不约, 003 §3.1): contracts valid on D that started at least
//    policy.not_served_after_days before D with no service in that many days up to D.
//  * Home visits behind (003 §2.3.2): residents graded red or yellow on D with a valid
//    contract whose last home visit (or, with none, the day the grade began) is more
//    than the policy's interval before D.
//  * The verification sample (004 §1.5, 000 art. 8.5) is reproducible: the contracts
//    valid on D, in contract order, shuffled by Fisher-Yates driven by SplitMix64 from
//    the seed; the first n are taken.  The same registry, day, n and seed give the
//    same sample on every machine.
#pragma once

#include "hotline/report_table.hpp"
#include "hotline/signing/registry.hpp"

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hotline::signing {

enum class grouping : std::uint8_t { district, subdistrict, community, institution, team };

struct coverage_cell {
  std::int64_t population = 0, signed_count = 0;
  [[nodiscard]] double rate() const noexcept {
    return population > 0 ? double(signed_count) / double(population) : 0.0;
  }
};

struct coverage_row {
  std::string group;     ///< the district, sub-district, community, institution or team
  std::string district;  ///< the district it lies in
  coverage_cell all, key;
  std::array<coverage_cell, key_population_count> by_population{};
};

struct target_check {
  std::string what;       ///< 全人群 (overall), 重点人群 (key populations), or a key population's label
  double rate = 0;        ///< on the day
  std::optional<double> previous_rate;  ///< a year before, for relative targets
  double required = 0;    ///< the rate needed
  std::optional<double> upper;  ///< the upper end of a relative range
  bool met = false;
  std::string source;
};

struct coverage_result {
  day as_of{};
  grouping by = grouping::district;
  std::vector<coverage_row> rows;  ///< sorted by group
  coverage_row total;
  std::vector<target_check> targets;  ///< empty for institution and team groupings
};

coverage_result coverage(const registry& r, day as_of, grouping by = grouping::district);
report_table coverage_table(const coverage_result& c);

struct referral_row {
  std::string institution;  ///< "" for the total
  std::int64_t up = 0, down = 0, up_previous = 0, down_previous = 0;
  std::array<std::int64_t, 4> up_by_priority{};  ///< indexed by referral_priority
  [[nodiscard]] std::optional<double> up_change() const noexcept {
    return up_previous ? std::optional<double>(double(up - up_previous) / double(up_previous)) : std::nullopt;
  }
  [[nodiscard]] std::optional<double> down_change() const noexcept {
    return down_previous ? std::optional<double>(double(down - down_previous) / double(down_previous)) : std::nullopt;
  }
};
/// Referrals in `year` and `year - 1`, per institution and in total (the last row).
std::vector<referral_row> referrals(const registry& r, int year);
report_table referrals_table(const std::vector<referral_row>& rows, int year);

struct management_row {
  attribute condition = attribute::hypertension;
  std::int64_t managed = 0, standardised = 0;
  [[nodiscard]] double rate() const noexcept { return managed ? double(standardised) / double(managed) : 0.0; }
};
std::vector<management_row> chronic_management(const registry& r, day as_of);
report_table chronic_management_table(const std::vector<management_row>& rows, day as_of);

struct workforce_figures {
  std::int64_t village_doctors = 0, village_doctors_in_teams = 0;  ///< 002 §2.10 (90 % in 2017)
  std::int64_t specialist_slots = 0, specialist_slots_opened = 0;  ///< 002 §2.5 (at least 20 %)
  [[nodiscard]] double village_share() const noexcept {
    return village_doctors ? double(village_doctors_in_teams) / double(village_doctors) : 0.0;
  }
  [[nodiscard]] double slots_share() const noexcept {
    return specialist_slots ? double(specialist_slots_opened) / double(specialist_slots) : 0.0;
  }
};
/// Village doctors in a team on `as_of`; specialist slots of the months of as_of's year up to it.
workforce_figures workforce(const registry& r, day as_of);
report_table workforce_table(const workforce_figures& w, day as_of);

struct not_served_row {
  std::string team, institution;
  std::int64_t valid = 0, not_served = 0;
  [[nodiscard]] double rate() const noexcept { return valid ? double(not_served) / double(valid) : 0.0; }
};
std::vector<not_served_row> not_served(const registry& r, day as_of);
report_table not_served_table(const std::vector<not_served_row>& rows, day as_of, int after_days);

struct visit_due {
  std::string resident, team, contract;
  elderly_grade grade = elderly_grade::none;
  std::optional<day> last_visit;
  int days_since = 0, every_days = 0;
};
std::vector<visit_due> home_visits_behind(const registry& r, day as_of);
report_table home_visits_table(const std::vector<visit_due>& rows, day as_of);

/// The reproducible verification sample: contract ids (see the top of the file).
std::vector<std::string> verification_sample(const registry& r, day as_of, std::size_t n, std::uint64_t seed);

struct survey_row {
  std::string institution;  ///< "" for the total
  std::int64_t asked = 0, reached = 0, aware = 0, satisfied = 0, authentic = 0;
  [[nodiscard]] double awareness() const noexcept { return reached ? double(aware) / double(reached) : 0.0; }
  [[nodiscard]] double satisfaction() const noexcept { return reached ? double(satisfied) / double(reached) : 0.0; }
  [[nodiscard]] double authenticity() const noexcept { return reached ? double(authentic) / double(reached) : 0.0; }
};
/// Survey answers recorded from `from` to `to` (both included), per institution and in total.
std::vector<survey_row> survey_results(const registry& r, day from, day to);
report_table survey_table(const std::vector<survey_row>& rows, day from, day to);

/// Every table above as of `as_of` (coverage by district and by team, referrals of the
/// year, management, workforce, not served, home visits, surveys of the year).
std::vector<report_table> signing_tables(const registry& r, day as_of);

}  // namespace hotline::signing
