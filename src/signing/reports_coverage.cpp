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
#include <thread>

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

constexpr std::uint16_t signed_flag = 0x8000;
constexpr std::uint16_t population_bits = (1u << kp) - 1;

/// Adds (or, with sign -1, takes away) one resident with flags `f` to its tallies.
inline void count_one(tally& t, tally* team, std::uint16_t f, std::int64_t sign) {
  const std::int64_t s = (f & signed_flag) ? sign : 0;
  t.pop += sign;
  t.sig += s;
  unsigned k = f & population_bits;
  if (k) {
    t.key_pop += sign;
    t.key_sig += s;
  }
  if (team && s) {
    team->pop += sign, team->sig += s;
    if (k) team->key_pop += sign, team->key_sig += s;
  }
  for (; k; k &= k - 1) {
    const auto j = static_cast<std::size_t>(std::countr_zero(k));
    t.by_pop[j] += sign;
    t.by_sig[j] += s;
    if (team && s) team->by_pop[j] += sign, team->by_sig[j] += s;
  }
}

/// One pass over the contracts and the attribute spans leaves a flag word per resident
/// (bit 15: signed on the day; bits 0-10: the key populations from attributes); one pass
/// over the residents adds the age-based populations and counts each into its place,
/// split over the machine's cores; the few residents who died before the day are then
/// taken back out.  About 3 ns a resident (bench_signing).
counted count(const registry::impl& p, day as_of, bool need_teams) {
  const std::int32_t d = hotline::day_number(as_of);
  const std::size_t n = p.r_birth.size();
  // Scratch kept per thread from call to call: fresh pages cost more than the count itself
  // (a first 20 MB allocation faults in ~50 ms here, a reused one is cleared in ~1 ms).
  // (The lambdas below run on other threads: they must see this thread's buffers through
  // these references, not name the thread_local variables themselves.)
  thread_local std::vector<std::uint16_t> flags_scratch;
  thread_local std::vector<std::uint32_t> team_scratch;
  std::vector<std::uint16_t>& flags = flags_scratch;
  std::vector<std::uint32_t>& team_of = team_scratch;  // team + 1 of each signed resident, for team groupings
  flags.assign(n, 0);
  if (need_teams) team_of.assign(n, 0);
  for (const auto& sp : p.attributes)
    if (sp.from <= d && d < sp.to) flags[sp.resident] |= std::uint16_t(1u << unsigned(population_of(sp.what)));
  const std::size_t nc = p.c_resident.size();
  const std::int32_t* start = p.c_start.data();
  const std::int32_t* until = p.c_until.data();
  const std::uint32_t* who = p.c_resident.data();
  const unsigned cores = std::max(1u, std::min(4u, std::thread::hardware_concurrency()));
  // Split over the cores: at most one contract of a resident holds d (one valid contract
  // at a time), so no two threads write the same resident's word.
  auto in_parallel = [&](std::size_t count, auto&& body) {
    const std::size_t parts = count >= 1'000'000 ? cores : 1;
    std::vector<std::thread> threads;
    for (std::size_t k = 1; k < parts; ++k) threads.emplace_back(body, k, parts);
    body(std::size_t{0}, parts);
    for (auto& t : threads) t.join();
  };
  in_parallel(nc, [&](std::size_t part, std::size_t parts) {
    const std::size_t lo = nc * part / parts, hi = nc * (part + 1) / parts;
    for (std::size_t c = lo; c < hi; ++c)
      if (start[c] <= d && d < until[c]) {
        flags[who[c]] |= signed_flag;
        if (need_teams) team_of[who[c]] = p.c_team[c] + 1;
      }
  });
  const std::int32_t elderly_before = detail::latest_birth_for_age(as_of, 65);  // born on or before: 65+
  const std::int32_t child_after = detail::latest_birth_for_age(as_of, 7);      // born after: 0-6
  constexpr auto elderly_bit = std::uint16_t(1u << unsigned(key_population::elderly));
  constexpr auto child_bit = std::uint16_t(1u << unsigned(key_population::child));
  auto flags_of = [&](std::size_t i) {
    const std::int32_t b = p.r_birth[i];
    return std::uint16_t(flags[i] | (b <= elderly_before ? elderly_bit : 0) | (b > child_after ? child_bit : 0));
  };

  const std::size_t parts = n >= 1'000'000 ? cores : 1;
  std::vector<counted> partial(parts);
  // The residence groupings count classes: each distinct flag word (the key populations
  // and signed) a thread meets gets a small class number, and a resident costs one look-up
  // in an 8 KB table and one increment of its place's count for its class; a place's
  // figures are rebuilt from its class counts at the end.  Real data has tens of distinct
  // words, not thousands.  The team groupings, asked for rarely, take the plain path.
  auto run = [&](std::size_t part) {
    auto& out = partial[part];
    out.per_place.assign(p.places.size(), tally{});
    if (need_teams) out.per_team.assign(p.teams.size(), tally{});
    const std::size_t lo = n * part / parts, hi = n * (part + 1) / parts;
    const std::int32_t* birth = p.r_birth.data();
    const std::uint32_t* place = p.r_place.data();
    if (need_teams) {
      for (std::size_t i = lo; i < hi; ++i) {
        if (birth[i] > d) continue;  // not born yet
        tally* team = team_of[i] ? &out.per_team[team_of[i] - 1] : nullptr;
        count_one(out.per_place[place[i]], team, flags_of(i), 1);
      }
      return;
    }
    const std::size_t places = p.places.size();
    std::vector<std::uint16_t> class_of(1u << (kp + 1), 0xFFFF);  // by key-population bits and signed
    std::vector<std::uint16_t> words;                                // class -> flag word
    std::size_t cap = 32;
    std::vector<std::uint32_t> hist(places * cap, 0);
    auto count_class = [&](std::size_t pl, std::uint16_t f) {
      const unsigned key = (f & population_bits) | ((f >> 15) << kp);
      std::uint16_t c = class_of[key];
      if (c == 0xFFFF) {
        c = static_cast<std::uint16_t>(words.size());
        words.push_back(f);
        class_of[key] = c;
        if (words.size() > cap) {  // a new class beyond the rows' width: widen every row
          std::vector<std::uint32_t> wider(places * cap * 2, 0);
          for (std::size_t q = 0; q < places; ++q)
            std::copy_n(hist.begin() + std::ptrdiff_t(q * cap), cap, wider.begin() + std::ptrdiff_t(q * cap * 2));
          hist.swap(wider);
          cap *= 2;
        }
      }
      ++hist[pl * cap + c];
    };
    if (p.scan_compact) {
      // place and birth from one 4-byte word (registry_impl.hpp, r_scan)
      const std::uint32_t* scan = p.r_scan.data();
      const std::uint16_t* fl = flags.data();
      const std::int32_t e = registry::impl::scan_epoch;
      // thresholds in the word's units; they may fall outside 0-65535, births never do
      const std::int32_t born_by = d - e, old_by = elderly_before - e, young_after = child_after - e;
      for (std::size_t i = lo; i < hi; ++i) {
        const std::uint32_t w = scan[i];
        const auto b = std::int32_t(w & 0xFFFF);
        if (b > born_by) continue;  // not born yet
        const auto f = std::uint16_t(fl[i] | (b <= old_by ? elderly_bit : 0) | (b > young_after ? child_bit : 0));
        count_class(w >> 16, f);
      }
    } else {
      for (std::size_t i = lo; i < hi; ++i) {
        if (birth[i] > d) continue;  // not born yet
        count_class(place[i], flags_of(i));
      }
    }
    for (std::size_t pl = 0; pl < places; ++pl) {
      auto& t = out.per_place[pl];
      for (std::size_t c = 0; c < words.size(); ++c) {
        const std::uint32_t count = hist[pl * cap + c];
        if (count == 0) continue;
        const std::int64_t cnt = count, s = (words[c] & signed_flag) ? cnt : 0;
        t.pop += cnt, t.sig += s;
        unsigned k = words[c] & population_bits;
        if (k) t.key_pop += cnt, t.key_sig += s;
        for (; k; k &= k - 1) {
          const auto j = static_cast<std::size_t>(std::countr_zero(k));
          t.by_pop[j] += cnt, t.by_sig[j] += s;
        }
      }
    }
  };
  if (parts == 1) {
    run(0);
  } else {
    std::vector<std::thread> threads;
    for (std::size_t k = 1; k < parts; ++k) threads.emplace_back(run, k);
    run(0);
    for (auto& t : threads) t.join();
    for (std::size_t k = 1; k < parts; ++k) {
      for (std::size_t i = 0; i < partial[0].per_place.size(); ++i) partial[0].per_place[i].add(partial[k].per_place[i]);
      for (std::size_t i = 0; i < partial[0].per_team.size(); ++i) partial[0].per_team[i].add(partial[k].per_team[i]);
    }
  }
  counted out = std::move(partial[0]);
  // The dead are few: take back those who died on or before the day.
  for (const auto& [r, died] : p.r_died) {
    if (died > d || p.r_birth[r] > d) continue;
    tally* team = need_teams && team_of[r] ? &out.per_team[team_of[r] - 1] : nullptr;
    count_one(out.per_place[p.r_place[r]], team, flags_of(r), -1);
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
  const bool teams = by == grouping::institution || by == grouping::team;
  auto res = assemble(p, as_of, by, count(p, as_of, teams));
  if (by == grouping::institution || by == grouping::team) return res;
  const auto& rules = p.rules;
  const bool relative = rules.overall.points_over_previous || rules.key_populations.points_over_previous;
  std::optional<coverage_row> before;
  if (relative) {
    const date::year_month_day ymd{as_of};
    date::year_month_day prev{ymd.year() - date::years(1), ymd.month(), ymd.day()};
    if (!prev.ok()) prev = date::year_month_day{prev.year(), date::February, date::day{28}};
    before = assemble(p, day{prev}, grouping::district, count(p, day{prev}, false)).total;
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
