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

/// Codes to dense numbers and back.  Ten million resident ids must intern in a second
/// or two and fit in little memory, so the strings live end to end in one arena and an
/// open-addressing table (linear probing, at most half full) maps them to their numbers:
/// no allocation per code, as a node-based map would make.
class interner {
 public:
  [[nodiscard]] std::optional<std::uint32_t> find(std::string_view s) const {
    if (slots_.empty()) return std::nullopt;
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = hash(s) & mask;; i = (i + 1) & mask) {
      const std::uint32_t k = slots_[i];
      if (k == 0) return std::nullopt;
      if (name(k - 1) == s) return k - 1;
    }
  }
  /// The number of `s`, adding it when new.
  std::uint32_t intern(std::string_view s) {
    if ((size() + 1) * 2 > slots_.size()) grow();
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = hash(s) & mask;
    for (;; i = (i + 1) & mask) {
      const std::uint32_t k = slots_[i];
      if (k == 0) break;
      if (name(k - 1) == s) return k - 1;
    }
    const auto n = static_cast<std::uint32_t>(size());
    ends_.push_back(arena_.size() + s.size());
    arena_.append(s);
    slots_[i] = n + 1;
    return n;
  }
  /// Adds `s`; false when it is already there.
  bool add(std::string_view s) {
    const auto before = size();
    intern(s);
    return size() != before;
  }
  /// Removes the last `n` names added (rollback of a failed batch; rare, so it rebuilds).
  void pop_back(std::size_t n) {
    if (n == 0) return;
    ends_.resize(size() - n);
    arena_.resize(ends_.empty() ? 0 : ends_.back());
    rehash(slots_.size());
  }
  [[nodiscard]] std::string_view name(std::uint32_t i) const {
    const std::size_t b = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(arena_).substr(b, ends_[i] - b);
  }
  [[nodiscard]] std::string str(std::uint32_t i) const { return std::string(name(i)); }
  [[nodiscard]] std::size_t size() const noexcept { return ends_.size(); }
  void reserve(std::size_t n) {
    ends_.reserve(n);
    std::size_t cap = slots_.empty() ? 16 : slots_.size();
    while (cap < 2 * n) cap *= 2;
    if (cap > slots_.size()) rehash(cap);
  }

 private:
  static std::size_t hash(std::string_view s) noexcept {
    std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a, then a final mix for the low bits
    for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ULL;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return static_cast<std::size_t>(h);
  }
  void grow() { rehash(slots_.empty() ? 16 : slots_.size() * 2); }
  void rehash(std::size_t cap) {
    slots_.assign(cap, 0);
    const std::size_t mask = cap - 1;
    for (std::uint32_t k = 0; k < size(); ++k) {
      std::size_t i = hash(name(k)) & mask;
      while (slots_[i] != 0) i = (i + 1) & mask;
      slots_[i] = k + 1;
    }
  }
  std::string arena_;
  std::vector<std::size_t> ends_;     ///< where each name ends in the arena
  std::vector<std::uint32_t> slots_;  ///< number + 1, 0 for empty
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
  /// The coverage scan's copy of place and birth in one word (place << 16 | days since
  /// 1900-01-01), so that the pass over ten million residents reads 4 bytes instead of 8:
  /// it is bound by memory bandwidth.  Valid while every place number and birth fits 16
  /// bits (scan_compact); the scan falls back to the full columns otherwise.
  std::vector<std::uint32_t> r_scan;
  bool scan_compact = true;
  static constexpr std::int32_t scan_epoch = -25567;  ///< 1900-01-01 as a day number
  void set_scan(std::size_t i) {
    const std::int64_t b = std::int64_t(r_birth[i]) - scan_epoch;
    const std::uint32_t pl = r_place[i];
    if (b < 0 || b > 0xFFFF || pl > 0xFFFF) scan_compact = false;
    const std::uint32_t word = (pl << 16) | std::uint32_t(b & 0xFFFF);
    if (i < r_scan.size()) r_scan[i] = word;
    else r_scan.push_back(word);
  }
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

  /// Adds a contract after its checks; returns its number.
  std::uint32_t append_contract(std::uint32_t resident, std::uint32_t team, std::uint32_t packages, day start,
                                day end, signing_channel ch, std::int32_t renewal_of, std::string_view custom_id);
  /// Takes back contracts numbered n and above (a failed batch).
  void truncate_contracts(std::size_t n);
  /// Checks a sign request against everything but other requests of the same batch.
  struct checked { std::uint32_t resident, team, packages; day start, end; std::int32_t application = -1; };
  checked check_sign(const sign_request& req, std::string_view context, std::size_t index = SIZE_MAX);
  std::vector<std::string> last_package_codes;  ///< the package list of the last request, and its set
  std::uint32_t last_package_set = 0;
  std::uint32_t package_set(const std::vector<std::string>& codes, std::string_view where);
  std::uint32_t apply_sign(const checked& c, const sign_request& req, std::int32_t renewal_of = -1);
};

}  // namespace hotline::signing
