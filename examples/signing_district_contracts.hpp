// examples/signing_district_contracts.hpp: the signing year of the synthetic district: which team each resident
// chooses, packages, signing (in person, online, on the hotline, as a household), renewals
// and changes of team at expiry, terminations, moves and applications.
// Members of signing_district.hpp's builder, defined out of the class; included at the end of
// signing_district.hpp, not on their own.
#pragma once

namespace district::detail {

inline std::size_t builder::choose_team(std::size_t i, day on, std::optional<std::size_t> not_this) {
  const auto& rr = p_.residents[i];
  const bool town = k_subdistricts[rr.home].town;
  auto ok = [&](std::size_t t) { return !not_this || *not_this != t; };
  if (!town && on < dissolution_day && r_.chance(0.012) && ok(private_team_)) return private_team_;
  if (r_.chance(0.08)) {  // across sub-districts within the district (002 §2.2)
    for (int tries = 0; tries < 8; ++tries) {
      const auto s = static_cast<std::size_t>(r_.below(teams_of_sub_.size()));
      if (s == rr.home) continue;
      const auto t = teams_of_sub_[s][r_.below(teams_of_sub_[s].size())];
      if (ok(t)) return t;
    }
  }
  std::vector<std::size_t> candidates;
  for (const auto& [community, t] : village_teams_)
    if (community == rr.community && ok(t)) candidates.push_back(t), candidates.push_back(t), candidates.push_back(t);
  for (auto t : teams_of_sub_[rr.home])
    if (ok(t)) candidates.push_back(t);
  return candidates[r_.below(candidates.size())];
}

inline std::vector<std::string> builder::choose_packages(std::size_t i) {
  const auto& rr = p_.residents[i];
  std::vector<std::string> out{"FREE"};
  if (r_.chance(rr.insured ? 0.9 : 0.6)) out.push_back("BASIC");
  const int age = age_on(rr.birth, as_of);
  if (chronic_ever(rr) && r_.chance(0.15))
    out.push_back("P-CHRONIC");
  else if (age >= 65 && r_.chance(0.10))
    out.push_back("P-ELDER");
  else if (age <= 6 && r_.chance(0.20))
    out.push_back("P-CHILD");
  else {
    for (const auto& s : rr.attributes)
      if (s.what == sg::attribute::pregnant_or_postpartum && r_.chance(0.3)) {
        out.push_back("P-MATERNAL");
        break;
      }
  }
  return out;
}

inline void builder::check_same(const sg::contract& c, const contract_record& k) {
  if (c.start != k.start || c.end != k.end || c.team != k.team || c.resident != p_.residents[k.resident].id)
    fail("the registry's contract " + c.id + " is not the one the generator asked for");
}

inline std::size_t builder::remember(const sg::contract& c, contract_record k) {
  k.id = c.id;
  check_same(c, k);
  const auto idx = p_.contracts.size();
  p_.residents[k.resident].contracts.push_back(idx);
  p_.contracts.push_back(std::move(k));
  return idx;
}

inline std::string builder::open_application(std::size_t i, const std::string& institution, day received) {
  const date::year_month_day d{received};
  application_record a;
  a.order = fmt::format("12320-{:04}{:02}{:02}-{:05}", int(d.year()), unsigned(d.month()), unsigned(d.day()),
                        ++application_no_);
  a.resident = i;
  a.institution = institution;
  a.received = received;
  reg_.receive_application({a.order, p_.residents[i].id, institution, received, ""});
  p_.applications.push_back(a);
  return a.order;
}

inline std::size_t builder::sign(std::size_t i, std::size_t team, day start, sg::signing_channel ch) {
  contract_record k;
  k.resident = i;
  k.team = p_.teams[team].code;
  k.institution = p_.teams[team].institution;
  k.packages = packages_of_[i];
  k.start = start;
  k.end = years_after(start, 1);
  k.channel = ch;
  if (ch == sg::signing_channel::hotline_application)
    k.application =
        open_application(i, k.institution, std::max(start - date::days{r_.between(1, 7)}, p_.residents[i].birth));
  sg::sign_request q;
  q.resident = p_.residents[i].id;
  q.team = k.team;
  q.packages = k.packages;
  q.start = start;
  q.years = 1;
  q.channel = ch;
  q.application = k.application;
  const auto idx = remember(reg_.sign(q), k);
  if (!k.application.empty()) p_.applications.back().contract = idx;
  return idx;
}

inline std::size_t builder::renew(std::size_t c, std::optional<std::size_t> team) {
  const contract_record prev = p_.contracts[c];
  contract_record k = prev;
  k.terminated_on.reset();
  k.reason.reset();
  k.application.clear();
  k.renewal_of = c;
  k.start = prev.end;
  k.end = years_after(k.start, 1);
  if (team) {
    k.team = p_.teams[*team].code;
    k.institution = p_.teams[*team].institution;
  }
  // 002 §2.2 续约: a hotline application was for the first signing only.
  if (k.channel == sg::signing_channel::hotline_application) k.channel = sg::signing_channel::in_person;
  return remember(reg_.renew(prev.id, 1, team ? k.team : std::string()), k);
}

inline void builder::end_contract(std::size_t c, day on, sg::termination_reason why) {
  auto& k = p_.contracts[c];
  const auto got = reg_.terminate(k.id, on, why);
  if (!got.terminated_on || *got.terminated_on != on) fail("termination of " + k.id + " not as asked");
  k.terminated_on = on;
  k.reason = why;
  if (why == sg::termination_reason::death) p_.residents[k.resident].died = on;
}

inline sg::signing_channel builder::new_channel() {
  const double x = r_.unit();
  return x < 0.05   ? sg::signing_channel::hotline_application
         : x < 0.30 ? sg::signing_channel::online
                    : sg::signing_channel::in_person;
}

inline void builder::follow(std::size_t i, std::size_t c, bool expiry_decided) {
  const contract_record k = p_.contracts[c];
  auto& ev = event_[i];
  std::optional<day> diss;
  if (k.team == p_.teams[private_team_].code && k.start <= dissolution_day && dissolution_day < k.end)
    diss = dissolution_day;
  if (ev.kind != event_kind::none && k.start <= ev.on && ev.on < k.end && (!diss || ev.on < *diss)) {
    end_contract(c, ev.on,
                 ev.kind == event_kind::death        ? sg::termination_reason::death
                 : ev.kind == event_kind::moved_away ? sg::termination_reason::moved_away
                                                     : sg::termination_reason::resident_request);
    return;
  }
  if (diss) {
    end_contract(c, *diss, sg::termination_reason::team_dissolved);
    if (r_.chance(0.85))
      follow(i, sign(i, choose_team(i, *diss, private_team_), *diss, sg::signing_channel::in_person), true);
    return;
  }
  if (k.end > as_of || expiry_decided) return;
  std::size_t team_now = 0;
  for (std::size_t t = 0; t < p_.teams.size(); ++t)
    if (p_.teams[t].code == k.team) team_now = t;
  switch (path_[i]) {
    case path::renewed:  // with the same team, unless it no longer exists
      follow(i,
             renew(c, team_now == private_team_ && k.end >= dissolution_day
                          ? std::optional(choose_team(i, k.end, team_now))
                          : std::nullopt),
             true);
      return;
    case path::renewed_other_team:
      follow(i, renew(c, choose_team(i, k.end, team_now)), true);
      return;
    case path::lapsed_resigned: {
      const day next = k.end + date::days{r_.between(20, 150)};
      if (next > as_of || (ev.stops() && ev.on <= next)) return;
      follow(i, sign(i, choose_team(i, next), next, new_channel()), true);
      return;
    }
    default:
      return;  // lapsed: not renewed
  }
}

inline void builder::decide() {
  const std::size_t n = p_.residents.size();
  path_.assign(n, path::never);
  event_.assign(n, {});
  packages_of_.resize(n);
  const day late_2016 = ymd(2016, 12, 1);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& rr = p_.residents[i];
    const int age = age_on(rr.birth, as_of);
    const bool key = key_on(rr, as_of), chronic = chronic_ever(rr);
    double p = key ? 0.70 : 0.345;
    p *= k_subdistricts[rr.home].uptake;
    for (const auto& s : rr.attributes) {
      if (s.what == sg::attribute::special_family_planning) p = std::max(p, 0.96);
      if (s.what == sg::attribute::poverty_alleviated) p = std::max(p, 0.90);
    }
    p = std::min(p, 0.97);
    const bool before_2016_end = rr.birth < late_2016;
    if (r_.chance(p)) {
      // Chronic patients were the first signed (in 2016) and renew most.
      if (before_2016_end && r_.chance(chronic ? 0.68 : key ? 0.60 : 0.52))
        path_[i] = r_.chance(0.1) ? path::renewed_other_team : path::renewed;
      else if (before_2016_end && r_.chance(0.08))
        path_[i] = path::lapsed_resigned;
      else
        path_[i] = path::new_2017;
    } else {
      path_[i] = before_2016_end && r_.chance(0.13) ? path::lapsed : path::never;
    }
    const double death = age < 50 ? 0.001 : age < 65 ? 0.005 : age < 75 ? 0.015 : age < 85 ? 0.04 : 0.10;
    const double x = r_.unit();
    life_event& ev = event_[i];
    if (x < death)
      ev.kind = event_kind::death;
    else if (x < death + 0.008)
      ev.kind = event_kind::moved_away;
    else if (x < death + 0.008 + 0.006)
      ev.kind = event_kind::request;
    if (rr.birth >= as_of) ev.kind = event_kind::none;  // born on the last day: nothing happens to them
    if (ev.kind != event_kind::none) ev.on = r_.day_in(std::max(y2017, rr.birth + date::days{1}), as_of);
    packages_of_[i] = choose_packages(i);
  }
}

inline void builder::households_signing_together() {
  for (auto& h : p_.households) {
    if (h.members.size() < 2 || !r_.chance(0.06)) continue;
    day latest_birth = p_.residents[h.members.front()].birth;
    for (auto m : h.members) latest_birth = std::max(latest_birth, p_.residents[m].birth);
    if (latest_birth >= ymd(2017, 11, 30)) continue;
    const day start = r_.day_in(std::max(y2017, latest_birth + date::days{1}), as_of);
    const auto head = h.members.front();
    const auto team = choose_team(head, start);
    h.signed_together = true;
    for (auto m : h.members) {
      path_[m] = path::household;
      reg_.join_household(h.id, p_.residents[m].id, std::max(y2016, p_.residents[m].birth));
      if (event_[m].stops() && event_[m].on <= start) event_[m] = {};  // alive and here on the day of the act
      packages_of_[m] = packages_of_[head];
    }
    sg::sign_request q;
    q.team = p_.teams[team].code;
    q.packages = packages_of_[head];
    q.start = start;
    q.years = 1;
    q.channel = sg::signing_channel::household;
    std::optional<std::size_t> app;
    if (r_.chance(0.1)) {
      q.application = open_application(head, p_.teams[team].institution, start - date::days{r_.between(1, 7)});
      app = p_.applications.size() - 1;
    }
    const auto got = reg_.sign_household(h.id, q);
    if (got.size() != h.members.size())
      fail("household " + h.id + " signed " + std::to_string(got.size()) + " members");
    for (std::size_t k = 0; k < got.size(); ++k) {
      contract_record c;
      c.resident = h.members[k];
      c.team = q.team;
      c.institution = p_.teams[team].institution;
      c.packages = q.packages;
      c.start = start;
      c.end = years_after(start, 1);
      c.channel = sg::signing_channel::household;
      if (k == 0 && app) c.application = q.application;
      if (got[k].resident != p_.residents[h.members[k]].id) fail("household " + h.id + " signed out of order");
      const auto idx = remember(got[k], c);
      if (k == 0 && app) p_.applications[*app].contract = idx;
    }
  }
}

inline void builder::timelines() {
  for (std::size_t i = 0; i < p_.residents.size(); ++i) {
    const auto& rr = p_.residents[i];
    const auto& ev = event_[i];
    switch (path_[i]) {
      case path::household:
        follow(i, p_.residents[i].contracts.front(), false);
        break;
      case path::renewed:
      case path::renewed_other_team:
      case path::lapsed:
      case path::lapsed_resigned: {
        const day start = r_.day_in(std::max(y2016, rr.birth), ymd(2016, 12, 31));
        follow(i,
               sign(i, choose_team(i, start), start,
                    r_.chance(0.2) ? sg::signing_channel::online : sg::signing_channel::in_person),
               false);
        break;
      }
      case path::new_2017: {
        // Chronic patients new to signing mostly sign early in the year.
        const day first = std::max(y2017, rr.birth);
        const bool early = chronic_ever(rr) && first < ymd(2017, 4, 20) && r_.chance(0.75);
        const day start = r_.day_in(first, early ? ymd(2017, 4, 20) : as_of);
        if (ev.stops() && ev.on <= start) break;
        follow(i, sign(i, choose_team(i, start), start, new_channel()), false);
        break;
      }
      case path::never:
        break;
    }
    if (ev.kind == event_kind::moved_away) {  // leaves the district, signed or not
      auto& r = p_.residents[i];
      const auto& to = k_elsewhere[r_.below(k_elsewhere.size())];
      reg_.move_resident(r.id, to[0], to[1], to[2]);
      r.district = to[0], r.subdistrict = to[1], r.community = to[2];
    }
  }
}

inline void builder::moves_within_district() {
  for (std::size_t i = 0; i < p_.residents.size(); ++i) {
    auto& rr = p_.residents[i];
    if (rr.district != p_.district || !r_.chance(0.005)) continue;
    const auto s = static_cast<std::size_t>(r_.below(p_.subdistricts.size()));
    const auto& sd = p_.subdistricts[s];
    rr.subdistrict = sd.name;
    rr.community = sd.communities[r_.below(sd.communities.size())];
    reg_.move_resident(rr.id, rr.district, rr.subdistrict, rr.community);
  }
}

inline void builder::open_applications() {
  // Applications taken on the line in late December and not yet signed.
  int opened = 0;
  for (std::size_t i = 0; i < p_.residents.size() && opened < 25; i += 997) {
    const auto& rr = p_.residents[i];
    if (!rr.contracts.empty() || rr.district != p_.district || rr.birth > ymd(2017, 12, 1)) continue;
    const auto team = teams_of_sub_[rr.home].front();
    open_application(i, p_.teams[team].institution, r_.day_in(ymd(2017, 12, 10), as_of));
    ++opened;
  }
}

}  // namespace district::detail
