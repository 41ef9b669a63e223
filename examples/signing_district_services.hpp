// examples/signing_district_services.hpp: the synthetic district's grades and services: red / yellow / green
// grades of residents 65 and over, follow-ups, home visits, consultations, long prescriptions,
// referrals, specialist slots and the verification survey.
// Members of signing_district.hpp's builder, defined out of the class; included at the end of
// signing_district.hpp, not on their own.
#pragma once

namespace district::detail {

inline std::optional<std::size_t> builder::contract_on(const resident_record& rr, day d) const {
  for (auto c : rr.contracts)
    if (p_.contracts[c].valid_on(d)) return c;
  return std::nullopt;
}

inline void builder::grades() {
  for (auto& rr : p_.residents) {
    if (rr.contracts.empty() || age_on(rr.birth, as_of) < 65 || !r_.chance(0.35)) continue;
    const day from = std::max({y2017, years_after(rr.birth, 65), p_.contracts[rr.contracts.front()].start});
    const day last = as_of - date::days{14};
    if (from > last) continue;
    std::optional<day> on;
    for (int tries = 0; tries < 6 && !on; ++tries) {
      const day d = r_.day_in(from, last);
      if (contract_on(rr, d)) on = d;
    }
    if (!on) continue;
    const double x = r_.unit();
    const auto g = x < 0.60 ? sg::elderly_grade::green : x < 0.88 ? sg::elderly_grade::yellow : sg::elderly_grade::red;
    reg_.set_grade(rr.id, g, *on);
    rr.grades.emplace_back(*on, g);
    if (g != sg::elderly_grade::red && r_.chance(0.08) && *on + date::days{30} < as_of) {
      const day later = r_.day_in(*on + date::days{30}, as_of);
      const auto worse = g == sg::elderly_grade::green ? sg::elderly_grade::yellow : sg::elderly_grade::red;
      reg_.set_grade(rr.id, worse, later);
      rr.grades.emplace_back(later, worse);
    }
  }
}

inline std::string builder::staff_for(const std::string& team, day on, std::initializer_list<sg::team_role> roles) {
  std::vector<const std::string*> pick, leads;
  for (auto k : members_of_[team]) {
    const auto& m = p_.memberships[k];
    if (m.from > on || (m.to && on >= *m.to)) continue;
    if (roles.size() == 0 || std::find(roles.begin(), roles.end(), m.role) != roles.end()) pick.push_back(&m.staff);
    if (m.role == sg::team_role::family_doctor || m.role == sg::team_role::village_doctor) leads.push_back(&m.staff);
  }
  if (pick.empty()) pick = leads;
  if (pick.empty()) fail("team " + team + " has nobody on " + hotline::format_day(on));
  return *pick[r_.below(pick.size())];
}

inline void builder::add(std::size_t c, sg::service_kind kind, day on, std::initializer_list<sg::team_role> roles) {
  service_entry s;
  s.contract = c;
  s.kind = kind;
  s.on = on;
  s.staff = staff_for(p_.contracts[c].team, on, roles);
  pending_.push_back(std::move(s));
}

template <class Step, class Each>
inline void builder::every(day first, day last, Step step, Each each) {
  for (day d = first; d <= last; d += date::days{step()}) each(d);
}

inline void builder::services() {
  using sg::service_kind;
  using sg::team_role;
  for (std::size_t k = 0; k < p_.memberships.size(); ++k) members_of_[p_.memberships[k].team].push_back(k);
  struct span {
    std::size_t contract;
    day from, to;
    double weight;
  };                                            // [from, to) within one year
  std::array<std::vector<span>, 2> year_spans;  // 2016, 2017
  for (std::size_t i = 0; i < p_.residents.size(); ++i) {
    const auto& rr = p_.residents[i];
    if (rr.contracts.empty()) continue;
    const int age = age_on(rr.birth, as_of);
    const bool chronic = chronic_ever(rr);
    auto valid = [&](day d) { return contract_on(rr, d); };  // every d generated is <= as_of
    // per contract: an assessment near the start, consultations, referral spans
    for (auto c : rr.contracts) {
      const auto& k = p_.contracts[c];
      const day to = std::min(k.valid_until(), as_of + date::days{1});
      if (to <= k.start) continue;
      if (r_.chance(0.8)) {
        const day d = k.start + date::days{r_.between(0, 45)};
        if (d < to)
          add(c, service_kind::health_assessment, d,
              {team_role::public_health_doctor, team_role::community_nurse, team_role::family_doctor});
      }
      const double years = double((to - k.start).count()) / 365.0;
      const int n = r_.poisson((1.0 + (chronic ? 0.8 : 0) + (age >= 65 ? 0.4 : 0)) * years);
      for (int j = 0; j < n; ++j) add(c, service_kind::consultation, r_.day_in(k.start, to - date::days{1}), {});
      if (age >= 65 && rr.grades.empty() && r_.chance(0.2 * years))
        add(c, service_kind::home_visit, r_.day_in(k.start, to - date::days{1}),
            {team_role::family_doctor, team_role::community_nurse, team_role::village_doctor});
      const double w = 1.0 + (chronic ? 1.5 : 0) + (age >= 65 ? 1.0 : 0);
      for (int y = 0; y < 2; ++y) {
        const day a = std::max(k.start, y == 0 ? y2016 : y2017), b = std::min(to, y == 0 ? y2017 : y2018);
        if (a < b) year_spans[std::size_t(y)].push_back({c, a, b, w});
      }
    }
    // chronic follow-ups (hypertension, diabetes, severe mental disorder): most about quarterly
    std::optional<day> first_dx;
    for (const auto& s : rr.attributes)
      if (s.what == sg::attribute::hypertension || s.what == sg::attribute::diabetes ||
          s.what == sg::attribute::severe_mental_disorder)
        first_dx = first_dx ? std::min(*first_dx, s.from) : s.from;
    const day first_start = p_.contracts[rr.contracts.front()].start;
    if (first_dx) {
      const bool regular = r_.chance(0.9);
      auto interval = [&] { return regular ? r_.between(80, 91) : r_.between(110, 200); };
      // A patient newly signed or diagnosed in 2017 is followed up within a month.
      const day anchor = std::max(first_start, *first_dx);
      const day t0 = anchor + date::days{anchor >= y2017 ? r_.between(0, 30) : r_.between(0, regular ? 79 : 109)};
      every(t0, as_of, interval, [&](day d) {
        if (auto c = valid(d))
          add(*c, service_kind::follow_up, d,
              {team_role::public_health_doctor, team_role::family_doctor, team_role::community_nurse,
               team_role::village_doctor});
      });
    }
    // tuberculosis: monthly during the treatment
    for (const auto& s : rr.attributes) {
      if (s.what != sg::attribute::tuberculosis) continue;
      every(
          s.from + date::days{r_.between(0, 10)}, std::min(*s.to - date::days{1}, as_of),
          [&] { return r_.between(26, 34); },
          [&](day d) {
            if (auto c = valid(d))
              add(*c, service_kind::follow_up, d, {team_role::public_health_doctor, team_role::family_doctor});
          });
    }
    // long prescriptions: stable hypertension or diabetes patients only (002 §2.6)
    if (uses_long_rx_[i]) {
      std::optional<day> eligible;
      for (const auto& s : rr.attributes)
        if (s.what == sg::attribute::hypertension || s.what == sg::attribute::diabetes)
          eligible = eligible ? std::min(*eligible, s.from) : s.from;
      int months = 1;
      every(
          std::max(first_start, *eligible) + date::days{r_.between(0, 60)}, as_of,
          [&] { return 30 * months + r_.between(-3, 10); },
          [&](day d) {
            months = r_.chance(0.6) ? 2 : 1;
            const auto c = valid(d);
            if (!c) return;
            const auto cond =
                in_force(rr, sg::attribute::hypertension, d) ? sg::attribute::hypertension : sg::attribute::diabetes;
            if (!in_force(rr, cond, d)) return;
            service_entry s;
            s.contract = *c;
            s.kind = service_kind::long_prescription;
            s.on = d;
            s.months = months;
            s.condition = cond;
            s.stable = true;
            s.staff = staff_for(p_.contracts[*c].team, d, {team_role::family_doctor, team_role::village_doctor});
            pending_.push_back(std::move(s));
          });
    }
    // home visits by grade (003 §2.3.2); some red and yellow residents fall behind
    for (std::size_t g = 0; g < rr.grades.size(); ++g) {
      const auto [from, grade] = rr.grades[g];
      const day until = g + 1 < rr.grades.size() ? rr.grades[g + 1].first - date::days{1} : as_of;
      const int lo = grade == sg::elderly_grade::red ? 3 : grade == sg::elderly_grade::yellow ? 15 : 60;
      const int hi = grade == sg::elderly_grade::red ? 7 : grade == sg::elderly_grade::yellow ? 30 : 120;
      const int owed = grade == sg::elderly_grade::red ? 7 : 30;
      day stop = until;
      if (g + 1 == rr.grades.size() && grade != sg::elderly_grade::green && r_.chance(0.12))
        stop = as_of - date::days{r_.between(owed + 3, owed + 60)};
      every(
          from + date::days{r_.between(0, lo)}, stop, [&] { return r_.between(lo, hi); },
          [&](day d) {
            if (auto c = valid(d))
              add(*c, service_kind::home_visit, d,
                  {team_role::family_doctor, team_role::community_nurse, team_role::village_doctor});
          });
    }
  }
  // Referrals: numbers scaled from Wuzhou's (004 二(二)) to this district, spread over the
  // signed residents' days in proportion to need.
  const double pop = double(p_.residents.size()), wuzhou = 1'339'400 / 0.4466;
  const std::array<double, 2> up{pop * 10163 / 0.8768 / wuzhou, pop * 10163 / wuzhou};
  const std::array<double, 2> down{pop * 3083 / 1.5128 / wuzhou, pop * 3083 / wuzhou};
  for (std::size_t y = 0; y < 2; ++y) {
    double total = 0;
    for (const auto& s : year_spans[y]) total += s.weight * double((s.to - s.from).count());
    for (const auto& s : year_spans[y]) {
      const double share = s.weight * double((s.to - s.from).count()) / total;
      for (int dir = 0; dir < 2; ++dir) {
        const double e = (dir == 0 ? up[y] : down[y]) * share;
        const int n = int(e) + (r_.chance(e - std::floor(e)) ? 1 : 0);
        for (int j = 0; j < n; ++j) {
          service_entry x;
          x.contract = s.contract;
          x.on = r_.day_in(s.from, s.to - date::days{1});
          x.kind = dir == 0 ? service_kind::referral_up : service_kind::referral_down;
          x.counterpart = p_.institutions[hospitals_[r_.chance(0.65) ? 0 : 1]].code;
          if (dir == 0) {
            const double q = r_.unit();
            x.priority = q < 0.48   ? sg::referral_priority::specialist_appointment
                         : q < 0.78 ? sg::referral_priority::examination
                         : q < 0.95 ? sg::referral_priority::admission
                                    : sg::referral_priority::none;
          }
          x.staff = staff_for(p_.contracts[s.contract].team, x.on,
                              {team_role::family_doctor, team_role::specialist, team_role::village_doctor});
          pending_.push_back(std::move(x));
        }
      }
    }
  }
  std::stable_sort(pending_.begin(), pending_.end(),
                   [](const service_entry& a, const service_entry& b) { return a.on < b.on; });
  for (auto& s : pending_) {
    sg::service_record x;
    x.contract = p_.contracts[s.contract].id;
    x.staff = s.staff;
    x.kind = s.kind;
    x.on = s.on;
    x.months = s.months;
    x.condition = s.condition;
    x.stable = s.stable;
    x.priority = s.priority;
    x.counterpart = s.counterpart;
    reg_.record_service(std::move(x));
  }
  p_.services = std::move(pending_);
}

inline void builder::slots() {
  for (auto h : hospitals_) {
    const auto& code = p_.institutions[h].code;
    for (unsigned m = 1; m <= 12; ++m) {
      sg::specialist_slots s;
      s.hospital = code;
      s.month = fmt::format("2017-{:02}", m);
      s.total = h == hospitals_[0] ? r_.between(2600, 3200) : r_.between(1000, 1400);
      const double share = h == hospitals_[0] ? 0.19 + 0.08 * r_.unit() : 0.14 + 0.08 * r_.unit();
      s.opened_to_teams = std::int64_t(std::floor(double(s.total) * share));
      reg_.record_slots(s);
      p_.slots.push_back(s);
    }
  }
}

inline void builder::surveys() {
  // The verification calls (000 art. 8.5; 004 §1.5): residents whose contract had no
  // service are less often aware of it, and some of those contracts are not authentic.
  std::vector<std::size_t> served(p_.contracts.size(), 0);
  for (const auto& s : p_.services)
    if (s.on <= sample_day) ++served[s.contract];
  std::map<std::string, std::size_t> by_id;
  for (std::size_t c = 0; c < p_.contracts.size(); ++c) by_id.emplace(p_.contracts[c].id, c);
  for (const auto& id : sg::verification_sample(reg_, sample_day, sample_size, seed_)) {
    const auto it = by_id.find(id);
    if (it == by_id.end()) fail("the sample names an unknown contract " + id);
    const std::size_t c = it->second;
    bool any = false;
    for (std::optional<std::size_t> k = c; k; k = p_.contracts[*k].renewal_of) any = any || served[*k] > 0;
    sg::survey_answer a;
    a.contract = id;
    a.on = sample_day + date::days{r_.between(0, 20)};
    a.reached = r_.chance(0.86);
    if (a.reached) {
      a.aware = r_.chance(any ? 0.93 : 0.55);
      a.satisfied = r_.chance(a.aware ? 0.92 : 0.60);
      a.authentic = r_.chance(any ? 0.985 : 0.75);
    }
    reg_.record_survey(a);
    p_.surveys.push_back(a);
  }
}

}  // namespace district::detail
