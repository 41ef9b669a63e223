// Coverage as of a date against the policy's targets (reports.hpp; 002 §1.2, 003 §1).
//
// One pass over the contracts marks who is signed (and with which team), one pass over
// the residents adds each to its place of residence; places then roll up to the grouping
// asked for.  Ten million residents take a few tens of milliseconds.
#include "hotline/signing/reports.hpp"
#include "registry_impl.hpp"

#include <algorithm>
#include <bit>
#include <map>

namespace hotline::signing {

namespace {

constexpr std::size_t kp = key_population_count;

/// Counters of one place or team: population and signed, overall, key, and per population.
struct tally {
  std::int64_t pop = 0, sig = 0, key_pop = 0, key_sig = 0;
  std::array<std::int64_t, kp> by_pop{}, by_sig{};
  void add(const tally& o) {
    pop += o.pop, sig += o.sig, key_pop += o.key_pop, key_sig += o.key_sig;
    for (std::size_t k = 0; k < kp; ++k) by_pop[k] += o.by_pop[k], by_sig[k] += o.by_sig[k];
  }
};

coverage_row row_of(std::string group, std::string district, const tally& t) {
  coverage_row r;
  r.group = std::move(group);
  r.district = std::move(district);
  r.all = {t.pop, t.sig};
  r.key = {t.key_pop, t.key_sig};
  for (std::size_t k = 0; k < kp; ++k) r.by_population[k] = {t.by_pop[k], t.by_sig[k]};
  return r;
}

/// The counts of every place (residence groupings) or of every team (service groupings).
struct counted {
  std::vector<tally> per_place, per_team;
};

counted count(const registry::impl& p, day as_of) {
  const std::int32_t d = hotline::day_number(as_of);
  const std::size_t n = p.r_birth.size();
  // Who is signed on d, and with which team (+1; 0: not signed).
  std::vector<std::uint32_t> team_of(n, 0);
  const std::size_t nc = p.c_resident.size();
  const std::int32_t* start = p.c_start.data();
  const std::int32_t* until = p.c_until.data();
  for (std::size_t c = 0; c < nc; ++c)
    if (start[c] <= d && d < until[c]) team_of[p.c_resident[c]] = p.c_team[c] + 1;
  const auto bits = p.key_bits_on(as_of);
  counted out;
  out.per_place.resize(p.places.size());
  out.per_team.resize(p.teams.size());
  const bool any_dead = !p.r_died.empty();
  for (std::size_t i = 0; i < n; ++i) {
    if (p.r_birth[i] > d) continue;  // not born yet
    if (any_dead) {
      auto it = p.r_died.find(static_cast<std::uint32_t>(i));
      if (it != p.r_died.end() && it->second <= d) continue;
    }
    const bool s = team_of[i] != 0;
    auto& t = out.per_place[p.r_place[i]];
    ++t.pop;
    t.sig += s;
    const unsigned b = bits[i];
    if (b) {
      ++t.key_pop;
      t.key_sig += s;
      for (unsigned m = b; m; m &= m - 1) {
        const auto k = static_cast<std::size_t>(std::countr_zero(m));
        ++t.by_pop[k];
        t.by_sig[k] += s;
      }
    }
    if (s) {
      auto& u = out.per_team[team_of[i] - 1];
      ++u.pop;
      ++u.sig;
      if (b) {
        ++u.key_pop, ++u.key_sig;
        for (unsigned m = b; m; m &= m - 1) {
          const auto k = static_cast<std::size_t>(std::countr_zero(m));
          ++u.by_pop[k], ++u.by_sig[k];
        }
      }
    }
  }
  return out;
}

coverage_result assemble(const registry::impl& p, day as_of, grouping by, const counted& c) {
  coverage_result res;
  res.as_of = as_of;
  res.by = by;
  std::map<std::pair<std::string, std::string>, tally> groups;  // (group, district)
  tally total;
  if (by == grouping::institution || by == grouping::team) {
    for (std::size_t t = 0; t < c.per_team.size(); ++t) {
      const auto i = p.t_institution[t];
      const std::string& group = by == grouping::team ? p.teams[t].code : p.institutions[i].code;
      groups[{group, p.institutions[i].district}].add(c.per_team[t]);
      total.add(c.per_team[t]);
    }
    for (auto& [k, t] : groups) t.pop = 0, t.key_pop = 0, t.by_pop.fill(0);  // no population of their own
    total.pop = 0, total.key_pop = 0, total.by_pop.fill(0);
  } else {
    for (std::size_t pl = 0; pl < c.per_place.size(); ++pl) {
      const auto& parts = p.place_parts[pl];
      const std::string& district = p.districts.str(parts.district);
      std::string group = district;
      if (by == grouping::subdistrict) group.append(" ").append(p.subdistricts.str(parts.subdistrict));
      if (by == grouping::community)
        group.append(" ").append(p.subdistricts.str(parts.subdistrict)).append(" ").append(p.communities.str(parts.community));
      groups[{group, district}].add(c.per_place[pl]);
      total.add(c.per_place[pl]);
    }
  }
  for (const auto& [k, t] : groups) res.rows.push_back(row_of(k.first, k.second, t));
  res.total = row_of("合计", "", total);
  return res;
}

target_check check(std::string what, const coverage_target& t, const coverage_cell& now,
                   const std::optional<coverage_cell>& before) {
  target_check c;
  c.what = std::move(what);
  c.rate = now.rate();
  c.source = t.source;
  if (t.at_least) {
    c.required = *t.at_least;
    c.met = c.rate + 1e-12 >= c.required;
  } else if (t.points_over_previous && before) {
    c.previous_rate = before->rate();
    c.required = *c.previous_rate + *t.points_over_previous;
    if (t.points_over_previous_max) c.upper = *c.previous_rate + *t.points_over_previous_max;
    c.met = c.rate + 1e-12 >= c.required;
  }
  return c;
}

}  // namespace

coverage_result coverage(const registry& r, day as_of, grouping by) {
  const auto& p = r.data();
  auto res = assemble(p, as_of, by, count(p, as_of));
  if (by == grouping::institution || by == grouping::team) return res;
  const auto& rules = p.rules;
  const bool relative = rules.overall.points_over_previous || rules.key_populations.points_over_previous;
  std::optional<coverage_row> before;
  if (relative) {
    const date::year_month_day ymd{as_of};
    date::year_month_day prev{ymd.year() - date::years(1), ymd.month(), ymd.day()};
    if (!prev.ok()) prev = date::year_month_day{prev.year(), date::February, date::day{28}};
    before = assemble(p, day{prev}, grouping::district, count(p, day{prev})).total;
  }
  auto prior = [&](auto pick) -> std::optional<coverage_cell> {
    if (!before) return std::nullopt;
    return pick(*before);
  };
  if (rules.overall.at_least || rules.overall.points_over_previous)
    res.targets.push_back(check("全人群", rules.overall, res.total.all, prior([](auto& b) { return b.all; })));
  if (rules.key_populations.at_least || rules.key_populations.points_over_previous)
    res.targets.push_back(check("重点人群", rules.key_populations, res.total.key, prior([](auto& b) { return b.key; })));
  for (const auto& [k, t] : rules.per_population) {
    const auto i = static_cast<std::size_t>(k);
    res.targets.push_back(check(std::string(label(k)), t, res.total.by_population[i],
                                prior([i](auto& b) { return b.by_population[i]; })));
  }
  return res;
}

}  // namespace hotline::signing
