// Reports read from the service log and the surveys (reports.hpp): referrals year on year,
// standardised management of chronic patients, the workforce shares, contracts not
// served, red and yellow residents behind on home visits, the verification sample and
// the survey rates.
#include "hotline/signing/reports.hpp"
#include "registry_impl.hpp"

#include <algorithm>
#include <map>
#include <numeric>

namespace hotline::signing {

namespace {
std::int32_t dn(day d) { return hotline::day_number(d); }
int year_of(day d) { return static_cast<int>(date::year_month_day{d}.year()); }

/// Days since the last service of each contract up to and including `d` (INT32_MAX: none).
std::vector<std::int32_t> last_service_on_or_before(const registry::impl& p, std::int32_t d,
                                                    std::optional<service_kind> kind) {
  std::vector<std::int32_t> last(p.c_resident.size(), INT32_MIN);
  for (std::size_t i = 0; i < p.services.size(); ++i) {
    const auto& s = p.services[i];
    if (kind && s.kind != *kind) continue;
    const std::int32_t on = dn(s.on);
    if (on > d) continue;
    const auto c = p.s_contract[i];
    last[c] = std::max(last[c], on);
  }
  return last;
}
}  // namespace

std::vector<referral_row> referrals(const registry& r, int year) {
  const auto& p = r.data();
  std::map<std::string, referral_row> by;
  referral_row total;
  for (const auto& s : p.services) {
    if (s.kind != service_kind::referral_up && s.kind != service_kind::referral_down) continue;
    const int y = year_of(s.on);
    if (y != year && y != year - 1) continue;
    auto& row = by[s.institution];
    row.institution = s.institution;
    for (auto* t : {&row, &total}) {
      if (s.kind == service_kind::referral_up) {
        (y == year ? t->up : t->up_previous) += 1;
        if (y == year) t->up_by_priority[static_cast<std::size_t>(s.priority)] += 1;
      } else {
        (y == year ? t->down : t->down_previous) += 1;
      }
    }
  }
  std::vector<referral_row> out;
  for (auto& [k, v] : by) out.push_back(v);
  out.push_back(total);
  return out;
}

std::vector<management_row> chronic_management(const registry& r, day as_of) {
  const auto& p = r.data();
  const std::int32_t d = dn(as_of), from = d - 364;  // the 365 days ending on d
  // follow-ups per resident in the window
  std::unordered_map<std::uint32_t, int> follow_ups;
  for (std::size_t i = 0; i < p.services.size(); ++i) {
    const auto& s = p.services[i];
    const std::int32_t on = dn(s.on);
    if (s.kind == service_kind::follow_up && on >= from && on <= d) ++follow_ups[p.c_resident[p.s_contract[i]]];
  }
  std::vector<std::uint8_t> signed_on(p.r_birth.size(), 0);
  for (std::size_t c = 0; c < p.c_resident.size(); ++c)
    if (p.c_start[c] <= d && d < p.c_until[c]) signed_on[p.c_resident[c]] = 1;
  std::vector<management_row> out;
  for (attribute a : {attribute::hypertension, attribute::diabetes, attribute::tuberculosis,
                      attribute::severe_mental_disorder}) {
    management_row row;
    row.condition = a;
    std::vector<std::uint8_t> seen(p.r_birth.size(), 0);
    for (const auto& s : p.attributes) {
      if (s.what != a || s.from > d || d >= s.to || !signed_on[s.resident] || seen[s.resident]) continue;
      seen[s.resident] = 1;
      ++row.managed;
      auto it = follow_ups.find(s.resident);
      if (it != follow_ups.end() && it->second >= p.rules.standardised_follow_ups) ++row.standardised;
    }
    out.push_back(row);
  }
  return out;
}

workforce_figures workforce(const registry& r, day as_of) {
  const auto& p = r.data();
  workforce_figures w;
  const std::int32_t d = dn(as_of);
  for (std::uint32_t s = 0; s < p.staff.size(); ++s) {
    if (p.staff[s].qualification != team_role::village_doctor) continue;
    ++w.village_doctors;
    const bool in_team = std::any_of(p.memberships.begin(), p.memberships.end(),
                                     [&](const auto& m) { return m.staff == s && m.from <= d && d < m.to; });
    w.village_doctors_in_teams += in_team;
  }
  const std::string year = format_day(as_of).substr(0, 4), upto = format_day(as_of).substr(0, 7);
  for (const auto& s : p.slots)
    if (s.month.compare(0, 4, year) == 0 && s.month <= upto) {
      w.specialist_slots += s.total;
      w.specialist_slots_opened += s.opened_to_teams;
    }
  return w;
}

std::vector<not_served_row> not_served(const registry& r, day as_of) {
  const auto& p = r.data();
  const std::int32_t d = dn(as_of), window = p.rules.not_served_after_days;
  const auto last = last_service_on_or_before(p, d, std::nullopt);
  std::vector<not_served_row> rows(p.teams.size());
  for (std::size_t t = 0; t < rows.size(); ++t) {
    rows[t].team = p.teams[t].code;
    rows[t].institution = p.teams[t].institution;
  }
  for (std::size_t c = 0; c < p.c_resident.size(); ++c) {
    if (!(p.c_start[c] <= d && d < p.c_until[c])) continue;
    auto& row = rows[p.c_team[c]];
    ++row.valid;
    // A renewal continues the contract it renews: its service history counts too.
    std::int32_t first = p.c_start[c], seen = last[c];
    for (std::int32_t k = p.c_renewal_of[c]; k >= 0; k = p.c_renewal_of[std::size_t(k)]) {
      first = p.c_start[std::size_t(k)];
      seen = std::max(seen, last[std::size_t(k)]);
    }
    if (d - first >= window && (seen == INT32_MIN || d - seen >= window)) ++row.not_served;
  }
  return rows;
}

std::vector<visit_due> home_visits_behind(const registry& r, day as_of) {
  const auto& p = r.data();
  const std::int32_t d = dn(as_of);
  // the grade in force on d per resident, and the day it began
  std::unordered_map<std::uint32_t, std::pair<std::int32_t, elderly_grade>> grade;
  for (const auto& g : p.grades) {
    if (g.from > d) continue;
    auto& cur = grade[g.resident];
    if (g.from >= cur.first) cur = {g.from, g.grade};
  }
  std::unordered_map<std::uint32_t, std::int32_t> last_visit;
  for (std::size_t i = 0; i < p.services.size(); ++i) {
    const auto& s = p.services[i];
    if (s.kind != service_kind::home_visit || dn(s.on) > d) continue;
    auto& v = last_visit.try_emplace(p.c_resident[p.s_contract[i]], INT32_MIN).first->second;
    v = std::max(v, dn(s.on));
  }
  std::vector<visit_due> out;
  for (const auto& [res, g] : grade) {
    if (g.second != elderly_grade::red && g.second != elderly_grade::yellow) continue;
    std::int32_t c = -1;
    for (std::int32_t k = p.r_last_contract[res]; k >= 0; k = p.c_prev[std::size_t(k)])
      if (p.c_start[std::size_t(k)] <= d && d < p.c_until[std::size_t(k)]) c = k;
    if (c < 0) continue;
    const int every = g.second == elderly_grade::red ? p.rules.red_visit_every_days : p.rules.yellow_visit_every_days;
    auto it = last_visit.find(res);
    const bool visited = it != last_visit.end();
    const std::int32_t since = d - (visited ? it->second : g.first);
    if (since <= every) continue;
    visit_due v;
    v.resident = p.resident_ids.str(res);
    v.team = p.teams[p.c_team[std::size_t(c)]].code;
    v.contract = p.contract_id(std::uint32_t(c));
    v.grade = g.second;
    if (visited) v.last_visit = from_day_number(it->second);
    v.days_since = since;
    v.every_days = every;
    out.push_back(std::move(v));
  }
  std::sort(out.begin(), out.end(), [](const visit_due& a, const visit_due& b) {
    return std::tie(a.team, b.days_since, a.resident) < std::tie(b.team, a.days_since, b.resident);
  });
  return out;
}

std::vector<std::string> verification_sample(const registry& r, day as_of, std::size_t n, std::uint64_t seed) {
  const auto& p = r.data();
  const std::int32_t d = dn(as_of);
  std::vector<std::uint32_t> valid;
  for (std::uint32_t c = 0; c < p.c_resident.size(); ++c)
    if (p.c_start[c] <= d && d < p.c_until[c]) valid.push_back(c);
  // SplitMix64 (Steele, Lea, Flood 2014): fixed, portable, documented in reports.hpp.
  std::uint64_t state = seed;
  auto next = [&state] {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  };
  const std::size_t take = std::min(n, valid.size());
  // Fisher-Yates from the front: position i takes a uniformly chosen one of i..end.
  for (std::size_t i = 0; i < take; ++i) {
    const std::uint64_t span = valid.size() - i;
    // rejection sampling keeps the choice uniform (no modulo bias)
    const std::uint64_t limit = UINT64_MAX - UINT64_MAX % span;
    std::uint64_t x;
    do x = next();
    while (x >= limit);
    std::swap(valid[i], valid[i + std::size_t(x % span)]);
  }
  std::vector<std::string> out;
  for (std::size_t i = 0; i < take; ++i) out.push_back(p.contract_id(valid[i]));
  return out;
}

std::vector<survey_row> survey_results(const registry& r, day from, day to) {
  const auto& p = r.data();
  std::map<std::string, survey_row> by;
  survey_row total;
  for (const auto& a : p.surveys) {
    if (a.on < from || a.on > to) continue;
    const auto c = p.contract_of(a.contract, "survey");
    const auto& inst = p.institutions[p.t_institution[p.c_team[c]]].code;
    auto& row = by[inst];
    row.institution = inst;
    for (auto* t : {&row, &total}) {
      ++t->asked;
      t->reached += a.reached;
      t->aware += a.aware;
      t->satisfied += a.satisfied;
      t->authentic += a.authentic;
    }
  }
  std::vector<survey_row> out;
  for (auto& [k, v] : by) out.push_back(v);
  out.push_back(total);
  return out;
}

}  // namespace hotline::signing
