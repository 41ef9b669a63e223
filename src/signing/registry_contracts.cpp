// The registry's contracts and applications: sign, sign a household, renew, terminate
// (registry.hpp; the rules in policy.hpp).  Every operation checks first and changes
// nothing when it throws; a batch that fails part-way takes back what it added.
#include "registry_impl.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>

namespace hotline::signing {

namespace {
std::string quoted(std::string_view s) { return "'" + std::string(s) + "'"; }
std::int32_t dn(day d) { return hotline::day_number(d); }
std::string fd(std::int32_t n) { return format_day(from_day_number(n)); }
constexpr std::uint8_t not_terminated = 255;

/// The number n of an automatic id "C0000123" (n = 123), or 0 when `id` is not one.
std::uint32_t auto_number(std::string_view id) {
  if (id.size() < 2 || id[0] != 'C') return 0;
  std::uint32_t n = 0;
  auto [ptr, ec] = std::from_chars(id.data() + 1, id.data() + id.size(), n);
  if (ec != std::errc{} || ptr != id.data() + id.size()) return 0;
  return n;
}
}  // namespace

std::string registry::impl::contract_id(std::uint32_t c) const {
  if (auto it = c_custom.find(c); it != c_custom.end()) return custom_contract_ids.str(it->second);
  char buf[16];
  std::snprintf(buf, sizeof buf, "C%07u", c + 1);
  return buf;
}

std::uint32_t registry::impl::contract_of(std::string_view id, std::string_view where) const {
  if (auto i = custom_contract_ids.find(id)) return custom_contract[*i];
  const auto n = auto_number(id);
  if (n >= 1 && n <= c_resident.size() && !c_custom.contains(n - 1) && contract_id(n - 1) == id) return n - 1;
  throw not_found_error(std::string(where) + ": no contract " + quoted(id));
}

contract registry::impl::contract_at(std::uint32_t c) const {
  contract out;
  out.id = contract_id(c);
  out.resident = resident_ids.str(c_resident[c]);
  out.team = teams[c_team[c]].code;
  out.institution = institutions[t_institution[c_team[c]]].code;
  for (auto k : package_sets[c_packages[c]]) out.packages.push_back(packages[k].code);
  out.start = from_day_number(c_start[c]);
  out.end = from_day_number(c_end[c]);
  if (c_reason[c] != not_terminated) {
    out.terminated_on = from_day_number(c_until[c]);
    out.reason = static_cast<termination_reason>(c_reason[c]);
  }
  if (c_renewal_of[c] >= 0) out.renewal_of = contract_id(static_cast<std::uint32_t>(c_renewal_of[c]));
  out.channel = static_cast<signing_channel>(c_channel[c]);
  if (auto it = c_application.find(c); it != c_application.end()) out.application = applications[it->second].order;
  return out;
}

std::uint32_t registry::impl::package_set(const std::vector<std::string>& codes, std::string_view where) {
  if (codes.empty()) throw invalid_argument_error(std::string(where) + ": names no package (002 §2.12)");
  std::string key;
  std::vector<std::uint32_t> set;
  for (const auto& code : codes) {
    auto k = package_ix.find(code);
    if (!k) throw not_found_error(std::string(where) + ": no package " + quoted(code));
    if (std::find(set.begin(), set.end(), *k) != set.end())
      throw invalid_argument_error(std::string(where) + ": package " + quoted(code) + " named twice");
    set.push_back(*k);
  }
  std::sort(set.begin(), set.end());
  for (auto k : set) key.append(std::to_string(k)).push_back(',');
  auto [it, fresh] = package_set_ix.try_emplace(key, static_cast<std::uint32_t>(package_sets.size()));
  if (fresh) package_sets.push_back(std::move(set));
  return it->second;
}

registry::impl::checked registry::impl::check_sign(const sign_request& req, std::string_view context,
                                                   std::size_t index) {
  // The message prefix is built only when something is wrong: ingest checks millions.
  auto where_of = [&] {
    std::string w(context);
    if (index != SIZE_MAX) w.append(" request ").append(std::to_string(index));
    return w + " resident " + quoted(req.resident);
  };
  checked c{};
  if (auto r = resident_ids.find(req.resident)) c.resident = *r;
  else throw not_found_error(where_of() + ": no resident " + quoted(req.resident));
  if (auto t = team_ix.find(req.team)) c.team = *t;
  else throw not_found_error(where_of() + ": no team " + quoted(req.team));
  // 002 §2.2 在本行政区范围内跨区域选择: the team's institution in the resident's district.
  if (team_district(c.team) != r_district[c.resident])
    throw invalid_argument_error(where_of() + ": team " + quoted(req.team) + " is in " +
                                 districts.str(team_district(c.team)) + ", outside the resident's district " +
                                 districts.str(r_district[c.resident]) + " (002 §2.2)");
  if (!rules.allows_term(req.years)) {
    const auto where = where_of();
    std::string allowed;
    for (int t : rules.terms_years) allowed.append(allowed.empty() ? "" : ", ").append(std::to_string(t));
    throw invalid_argument_error(where + ": a term of " + std::to_string(req.years) + " years is not allowed by " +
                                 rules.name + " (allowed: " + allowed + "; 002 §2.2, 003 §2.1.5)");
  }
  c.start = req.start;
  c.end = term_end(req.start, req.years);
  if (!last_package_codes.empty() && req.packages == last_package_codes) {
    c.packages = last_package_set;  // the common case: every request names the same packages
  } else {
    c.packages = package_set(req.packages, where_of());
    last_package_codes = req.packages;
    last_package_set = c.packages;
  }
  const std::int32_t s = dn(c.start), e = dn(c.end);
  if (s < r_birth[c.resident]) throw invalid_argument_error(where_of() + ": starts before the resident's birth");
  if (auto it = r_died.find(c.resident); it != r_died.end() && s >= it->second)
    throw invalid_argument_error(where_of() + ": the resident died before " + fd(it->second));
  if (!has_first_responsible_on(c.team, s))
    throw invalid_argument_error(where_of() + ": team " + quoted(req.team) + " has no family doctor on " +
                                 format_day(c.start) + " (002 §2.1 第一责任人)");
  // 002 §2.2: one team (003 §2.1.4: or one doctor) at a time.
  for (std::int32_t k = r_last_contract[c.resident]; k >= 0; k = c_prev[k])
    if (c_start[k] < e && s < c_until[k])
      throw invalid_argument_error(where_of() + ": already holds contract " + contract_id(std::uint32_t(k)) +
                                   " valid " + fd(c_start[k]) + " to " + fd(c_until[k] - 1) +
                                   "; one valid contract at a time (002 §2.2)");
  if (!req.application.empty()) {
    auto it = application_ix.find(req.application);
    if (it == application_ix.end()) throw not_found_error(where_of() + ": no application " + quoted(req.application));
    const auto& a = applications[it->second];
    if (!a.contract.empty())
      throw invalid_argument_error(where_of() + ": application " + quoted(a.order) + " is already closed by contract " +
                                   a.contract);
    if (a.resident != req.resident)
      throw invalid_argument_error(where_of() + ": application " + quoted(a.order) + " is resident " + quoted(a.resident) +
                                   "'s");
    c.application = static_cast<std::int32_t>(it->second);
  }
  if (!req.id.empty()) {
    const auto n = auto_number(req.id);
    if (custom_contract_ids.find(req.id) || (n >= 1 && n <= c_resident.size() && contract_id(n - 1) == req.id))
      throw invalid_argument_error(where_of() + ": contract id " + quoted(req.id) + " is taken");
    if (n != 0 && n != c_resident.size() + 1)
      throw invalid_argument_error(where_of() + ": contract id " + quoted(req.id) +
                                   " has the form of the registry's own numbers (C + digits); choose another");
  }
  if (name(req.channel) == "?") throw invalid_argument_error(where_of() + ": unknown channel");
  return c;
}

std::uint32_t registry::impl::append_contract(std::uint32_t r, std::uint32_t t, std::uint32_t pk, day start, day end,
                                              signing_channel ch, std::int32_t renewal_of, std::string_view custom) {
  const auto c = static_cast<std::uint32_t>(c_resident.size());
  c_resident.push_back(r);
  c_team.push_back(t);
  c_packages.push_back(pk);
  c_start.push_back(dn(start));
  c_end.push_back(dn(end));
  c_until.push_back(dn(end));
  c_prev.push_back(r_last_contract[r]);
  c_renewal_of.push_back(renewal_of);
  c_channel.push_back(static_cast<std::uint8_t>(ch));
  c_reason.push_back(not_terminated);
  r_last_contract[r] = static_cast<std::int32_t>(c);
  if (!custom.empty() && custom != contract_id(c)) {
    c_custom[c] = custom_contract_ids.intern(custom);
    custom_contract.push_back(c);
  }
  return c;
}

std::uint32_t registry::impl::apply_sign(const checked& k, const sign_request& req, std::int32_t renewal_of) {
  const auto c = append_contract(k.resident, k.team, k.packages, k.start, k.end, req.channel, renewal_of, req.id);
  if (k.application >= 0) {
    c_application[c] = static_cast<std::uint32_t>(k.application);
    applications[std::size_t(k.application)].contract = contract_id(c);
  }
  return c;
}

void registry::impl::truncate_contracts(std::size_t n) {
  std::size_t customs = 0;
  while (c_resident.size() > n) {
    const auto c = static_cast<std::uint32_t>(c_resident.size() - 1);
    r_last_contract[c_resident[c]] = c_prev[c];
    if (auto it = c_application.find(c); it != c_application.end()) {
      applications[it->second].contract.clear();
      c_application.erase(it);
    }
    if (c_custom.erase(c)) ++customs;
    for (auto* v : {&c_resident, &c_team, &c_packages}) v->pop_back();
    for (auto* v : {&c_start, &c_end, &c_until, &c_prev, &c_renewal_of}) v->pop_back();
    c_channel.pop_back();
    c_reason.pop_back();
  }
  custom_contract_ids.pop_back(customs);  // custom ids are interned in contract order
  custom_contract.resize(custom_contract.size() - customs);
}

contract registry::sign(const sign_request& req) {
  auto& p = *p_;
  const auto k = p.check_sign(req, "sign");
  return p.contract_at(p.apply_sign(k, req));
}

std::size_t registry::sign_all(std::span<const sign_request> reqs) {
  auto& p = *p_;
  const std::size_t before = p.c_resident.size();
  const std::size_t reserve = before + reqs.size();
  for (auto* v : {&p.c_resident, &p.c_team, &p.c_packages}) v->reserve(reserve);
  for (auto* v : {&p.c_start, &p.c_end, &p.c_until, &p.c_prev, &p.c_renewal_of}) v->reserve(reserve);
  p.c_channel.reserve(reserve);
  p.c_reason.reserve(reserve);
  std::size_t i = 0;
  try {
    for (; i < reqs.size(); ++i) p.apply_sign(p.check_sign(reqs[i], "sign_all", i), reqs[i]);
  } catch (...) {
    p.truncate_contracts(before);  // all or none
    throw;
  }
  return reqs.size();
}

std::vector<contract> registry::sign_household(const std::string& household, const sign_request& req) {
  auto& p = *p_;
  const auto members = household_members(household, req.start);
  if (members.empty())
    throw invalid_argument_error("sign_household " + quoted(household) + ": no members on " + format_day(req.start));
  const std::size_t before = p.c_resident.size();
  std::vector<contract> out;
  try {
    for (const auto& m : members) {
      sign_request r = req;
      r.resident = m;
      r.id.clear();
      if (req.channel == signing_channel::in_person) r.channel = signing_channel::household;
      if (!req.application.empty() && m != p.applications[p.application_ix.at(req.application)].resident)
        r.application.clear();  // the application closes with its own resident's contract
      out.push_back(p.contract_at(p.apply_sign(p.check_sign(r, "sign_household " + quoted(household)), r)));
    }
  } catch (const std::out_of_range&) {
    p.truncate_contracts(before);
    throw not_found_error("sign_household " + quoted(household) + ": no application " + quoted(req.application));
  } catch (...) {
    p.truncate_contracts(before);  // 003 §2.2.2 in one act: all members or none
    throw;
  }
  return out;
}

contract registry::renew(const std::string& contract_id, int years, const std::string& team,
                         std::vector<std::string> packages) {
  auto& p = *p_;
  const std::string where = "renew " + quoted(contract_id);
  const auto c = p.contract_of(contract_id, where);
  if (p.c_reason[c] != not_terminated)
    throw illegal_transition_error(where + ": terminated on " + fd(p.c_until[c]) + "; a terminated contract is not renewed");
  for (std::int32_t k = p.r_last_contract[p.c_resident[c]]; k >= 0; k = p.c_prev[k])
    if (p.c_renewal_of[k] == static_cast<std::int32_t>(c))
      throw illegal_transition_error(where + ": already renewed by " + p.contract_id(std::uint32_t(k)));
  sign_request req;
  req.resident = p.resident_ids.str(p.c_resident[c]);
  req.team = team.empty() ? p.teams[p.c_team[c]].code : team;  // 002 §2.2 续约或另行选择其他团队
  if (packages.empty())
    for (auto k : p.package_sets[p.c_packages[c]]) packages.push_back(p.packages[k].code);
  req.packages = std::move(packages);
  req.start = from_day_number(p.c_end[c]);
  req.years = years;
  req.channel = static_cast<signing_channel>(p.c_channel[c]);
  if (req.channel == signing_channel::hotline_application) req.channel = signing_channel::in_person;
  const auto k = p.check_sign(req, where);
  return p.contract_at(p.apply_sign(k, req, static_cast<std::int32_t>(c)));
}

contract registry::terminate(const std::string& contract_id, day on, termination_reason why) {
  auto& p = *p_;
  const std::string where = "terminate " + quoted(contract_id);
  const auto c = p.contract_of(contract_id, where);
  if (name(why) == "?") throw invalid_argument_error(where + ": unknown reason");
  if (p.c_reason[c] != not_terminated)
    throw illegal_transition_error(where + ": already terminated on " + fd(p.c_until[c]));
  const std::int32_t d = dn(on);
  if (d < p.c_start[c] || d >= p.c_end[c])
    throw invalid_argument_error(where + ": " + format_day(on) + " is outside its term " + fd(p.c_start[c]) + " to " +
                                 fd(p.c_end[c] - 1) + " (the day given is the first day it no longer holds)");
  const auto r = p.c_resident[c];
  if (why == termination_reason::death) {
    if (auto it = p.r_died.find(r); it != p.r_died.end() && it->second != d)
      throw conflict_error(where + ": the resident's death is already recorded from " + fd(it->second));
  }
  p.c_until[c] = d;
  p.c_reason[c] = static_cast<std::uint8_t>(why);
  // A renewal signed ahead that has not started lapses with the contract it renews.
  for (std::int32_t k = p.r_last_contract[r]; k >= 0; k = p.c_prev[k])
    if (p.c_start[k] >= d && p.c_reason[k] == not_terminated && k != static_cast<std::int32_t>(c)) {
      p.c_until[k] = p.c_start[k];
      p.c_reason[k] = static_cast<std::uint8_t>(why);
    }
  if (why == termination_reason::death) p.r_died[r] = d;
  return p.contract_at(c);
}

contract registry::find_contract(const std::string& id) const {
  const auto& p = *p_;
  return p.contract_at(p.contract_of(id, "find_contract"));
}

std::optional<contract> registry::contract_on(const std::string& resident, day on) const {
  const auto& p = *p_;
  const auto r = p.resident_of(resident, "contract_on");
  for (std::int32_t k = p.r_last_contract[r]; k >= 0; k = p.c_prev[k])
    if (p.c_start[k] <= dn(on) && dn(on) < p.c_until[k]) return p.contract_at(std::uint32_t(k));
  return std::nullopt;
}

std::size_t registry::contract_count() const noexcept { return p_->c_resident.size(); }

// ---- applications ------------------------------------------------------------------
void registry::receive_application(const application& a) {
  auto& p = *p_;
  const std::string where = "application " + quoted(a.order);
  if (a.order.empty()) throw invalid_argument_error("application: order number is empty");
  (void)p.resident_of(a.resident, where);
  (void)p.institution_of(a.institution, where);
  if (!a.contract.empty()) throw invalid_argument_error(where + ": a new application has no contract yet");
  if (p.application_ix.contains(a.order)) throw conflict_error(where + ": already received");
  p.application_ix.emplace(a.order, static_cast<std::uint32_t>(p.applications.size()));
  p.applications.push_back(a);
}

std::vector<application> registry::applications(bool open_only) const {
  std::vector<application> out;
  for (const auto& a : p_->applications)
    if (!open_only || a.contract.empty()) out.push_back(a);
  return out;
}

}  // namespace hotline::signing
