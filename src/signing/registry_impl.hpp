// Private: the registry's columns (registry.hpp), shared by its translation units and
// the reports.  Residents and contracts are column vectors indexed by a dense number,
// so that a coverage report is a pass over arrays rather than a walk over records.
#pragma once

#include "hotline/signing/registry.hpp"

#include <climits>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace hotline::signing {

namespace detail {

/// Codes to dense numbers and back.  The map's nodes keep the strings in place, so
/// the reverse table can point at them.
class interner {
 public:
  [[nodiscard]] std::optional<std::uint32_t> find(std::string_view s) const {
    auto it = ix_.find(std::string(s));
    if (it == ix_.end()) return std::nullopt;
    return it->second;
  }
  /// The number of `s`, adding it when new.
  std::uint32_t intern(std::string_view s) {
    auto [it, fresh] = ix_.try_emplace(std::string(s), static_cast<std::uint32_t>(names_.size()));
    if (fresh) names_.push_back(&it->first);
    return it->second;
  }
  /// Adds `s`; false when it is already there.
  bool add(std::string_view s) {
    const auto before = names_.size();
    intern(s);
    return names_.size() != before;
  }
  /// Removes the last `n` names added (rollback of a failed batch).
  void pop_back(std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
      ix_.erase(*names_.back());
      names_.pop_back();
    }
  }
  [[nodiscard]] const std::string& name(std::uint32_t i) const { return *names_[i]; }
  [[nodiscard]] std::size_t size() const noexcept { return names_.size(); }
  void reserve(std::size_t n) { ix_.reserve(n); names_.reserve(n); }

 private:
  std::unordered_map<std::string, std::uint32_t> ix_;
  std::vector<const std::string*> names_;
};

inline constexpr std::int32_t open_end = INT32_MAX;
inline constexpr std::int32_t no_contract = -1;

/// The latest birth day of someone who is at least `years` old on `on` (completed
/// years; a 29 February birthday is reached on 1 March in a year without one).
inline std::int32_t latest_birth_for_age(day on, int years) {
  const date::year_month_day d{on};
  date::year_month_day b{d.year() - date::years(years), d.month(), d.day()};
  if (!b.ok()) b = date::year_month_day{b.year(), date::February, date::day{28}};  // on = 29 Feb
  return hotline::day_number(day{b});
}

}  // namespace detail

struct registry::impl {
  signing::policy rules;

  // places
  detail::interner districts, subdistricts, communities;

  // residents
  detail::interner resident_ids;
  std::vector<std::int32_t> r_birth;
  std::vector<std::uint8_t> r_sex, r_insured;
  std::vector<std::uint32_t> r_district;  ///< the district (region checks)
  std::vector<std::uint32_t> r_place;     ///< the (district, sub-district, community) of residence
  /// Distinct places of residence; each one's district, sub-district and community numbers.
  detail::interner places;
  struct place { std::uint32_t district, subdistrict, community; };
  std::vector<place> place_parts;
  std::uint32_t place_of(std::string_view district, std::string_view subdistrict, std::string_view community) {
    std::string key;
    key.append(district).push_back('\x1f');
    key.append(subdistrict).push_back('\x1f');
    key.append(community);
    const auto before = places.size();
    const auto i = places.intern(key);
    if (places.size() != before)
      place_parts.push_back({districts.intern(district), subdistricts.intern(subdistrict), communities.intern(community)});
    return i;
  }
  std::vector<std::int32_t> r_last_contract;  ///< newest contract of the resident, or no_contract
  std::unordered_map<std::uint32_t, std::int32_t> r_died;  ///< first day no longer alive
  struct personal { std::string name, id_number; };
  std::unordered_map<std::uint32_t, personal> r_personal;  ///< sparse: most bulk rows carry none

  struct attribute_span { std::uint32_t resident; attribute what; std::int32_t from, to; };
  std::vector<attribute_span> attributes;
  std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> r_attributes;  ///< per resident, its spans
  struct grade_entry { std::uint32_t resident; std::int32_t from; elderly_grade grade; };
  std::vector<grade_entry> grades;
  struct household_span { std::uint32_t household, resident; std::int32_t from, to; };
  detail::interner households;
  std::vector<household_span> household_spans;

  // institutions, teams, staff, packages
  detail::interner institution_ix, team_ix, staff_ix, package_ix;
  std::vector<institution> institutions;
  std::vector<std::uint32_t> i_district;
  std::vector<team> teams;
  std::vector<std::uint32_t> t_institution;
  std::vector<staff_member> staff;
  struct membership { std::uint32_t team, staff; team_role role; std::int32_t from, to; };
  std::vector<membership> memberships;
  std::vector<std::vector<std::uint32_t>> t_members;  ///< per team, its memberships (signing checks it)
  std::vector<package> packages;
  /// Distinct package sets, so that a contract keeps one number for its packages.
  std::vector<std::vector<std::uint32_t>> package_sets;
  std::unordered_map<std::string, std::uint32_t> package_set_ix;

  // contracts
  std::vector<std::uint32_t> c_resident, c_team, c_packages;
  std::vector<std::int32_t> c_start, c_end, c_until, c_prev, c_renewal_of;
  std::vector<std::uint8_t> c_channel, c_reason;  ///< reason 255: not terminated
  detail::interner custom_contract_ids;           ///< ids given by the caller
  std::unordered_map<std::uint32_t, std::uint32_t> c_custom;  ///< contract -> custom id number
  std::vector<std::uint32_t> custom_contract;                  ///< custom id number -> contract
  std::unordered_map<std::uint32_t, std::uint32_t> c_application;  ///< contract -> application
  std::uint32_t next_auto = 1;

  // the rest
  std::vector<application> applications;
  std::unordered_map<std::string, std::uint32_t> application_ix;
  std::vector<service_record> services;
  std::vector<std::uint32_t> s_contract;  ///< each service's contract number, for the reports
  std::vector<survey_answer> surveys;
  std::vector<specialist_slots> slots;

  // ---- look-ups that throw not_found_error naming what is missing ----------
  [[nodiscard]] std::uint32_t resident_of(std::string_view id, std::string_view where) const;
  [[nodiscard]] std::uint32_t team_of(std::string_view code, std::string_view where) const;
  [[nodiscard]] std::uint32_t institution_of(std::string_view code, std::string_view where) const;
  [[nodiscard]] std::uint32_t staff_of(std::string_view id, std::string_view where) const;
  [[nodiscard]] std::uint32_t contract_of(std::string_view id, std::string_view where) const;

  [[nodiscard]] std::string contract_id(std::uint32_t c) const;
  [[nodiscard]] contract contract_at(std::uint32_t c) const;
  [[nodiscard]] std::uint32_t team_district(std::uint32_t t) const { return i_district[t_institution[t]]; }
  /// Whether `staff` holds a role in `team` on day `d` (any role, or one of `roles`).
  [[nodiscard]] bool member_on(std::uint32_t team, std::uint32_t staff, std::int32_t d) const;
  [[nodiscard]] bool has_first_responsible_on(std::uint32_t team, std::int32_t d) const;
  [[nodiscard]] bool attribute_on(std::uint32_t resident, attribute a, std::int32_t d) const;
  /// Key-population bits of every resident on `d` (elderly and child from the birth dates).
  [[nodiscard]] std::vector<std::uint16_t> key_bits_on(day d) const;

  /// Adds a contract after its checks; returns its number.
  std::uint32_t append_contract(std::uint32_t resident, std::uint32_t team, std::uint32_t packages, day start,
                                day end, signing_channel ch, std::int32_t renewal_of, std::string_view custom_id);
  /// Takes back contracts numbered n and above (a failed batch).
  void truncate_contracts(std::size_t n);
  /// Checks a sign request against everything but other requests of the same batch.
  struct checked { std::uint32_t resident, team, packages; day start, end; std::int32_t application = -1; };
  checked check_sign(const sign_request& req, std::string_view where);
  std::uint32_t package_set(const std::vector<std::string>& codes, std::string_view where);
  std::uint32_t apply_sign(const checked& c, const sign_request& req, std::int32_t renewal_of = -1);
};

}  // namespace hotline::signing
