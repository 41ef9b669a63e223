// The registry's services: checked, then appended with a SHA-256 chained to the service
// before (registry.hpp; 003 §3.1 杜绝工作数据弄虚作假, 004 §1.5 工分由系统自动生成).
#include "../store_sha256.hpp"
#include "registry_impl.hpp"
#include "service_hash.hpp"

namespace hotline::signing {

namespace {
std::string quoted(std::string_view s) { return "'" + std::string(s) + "'"; }
std::int32_t dn(day d) { return hotline::day_number(d); }
std::string fd(std::int32_t n) { return format_day(from_day_number(n)); }
}  // namespace

const service_record& registry::record_service(service_record s) {
  auto& p = *p_;
  // The message prefix is built only on the error path: loading a year of services
  // records hundreds of thousands.
  const auto where_of = [&] { return "service on contract " + quoted(s.contract) + " " + format_day(s.on); };
  const auto c = p.contract_of(s.contract, "service");
  if (name(s.kind) == "?") throw invalid_argument_error(where_of() + ": unknown service kind");
  const std::int32_t d = dn(s.on);
  // 003 §3.1: a service belongs to a contract in force that day.
  if (d < p.c_start[c] || d >= p.c_until[c])
    throw invalid_argument_error(where_of() + ": the contract is not valid that day (valid " + fd(p.c_start[c]) + " to " +
                                 fd(p.c_until[c] - 1) + ")");
  std::uint32_t st = 0;
  if (auto k = p.staff_ix.find(s.staff)) st = *k;
  else throw not_found_error(where_of() + ": no staff member " + quoted(s.staff));
  const auto t = p.c_team[c];
  if (!p.member_on(t, st, d))
    throw invalid_argument_error(where_of() + ": staff " + quoted(s.staff) + " is not a member of team " +
                                 quoted(p.teams[t].code) + " that day");
  const auto r = p.c_resident[c];
  switch (s.kind) {
    case service_kind::long_prescription: {
      // 002 §2.6: 对病情较稳定、依从性较好的慢性病签约居民 ... 1 至 2 个月的长处方.
      const auto& rules = p.rules;
      if (s.months < rules.long_prescription_min_months || s.months > rules.long_prescription_max_months)
        throw invalid_argument_error(where_of() + ": a long prescription of " + std::to_string(s.months) +
                                     " months; the rule allows " + std::to_string(rules.long_prescription_min_months) +
                                     " to " + std::to_string(rules.long_prescription_max_months) + " (002 §2.6)");
      if (!is_chronic(s.condition))
        throw invalid_argument_error(where_of() + ": a long prescription is for a chronic condition, not " +
                                     std::string(name(s.condition)) + " (002 §2.6)");
      if (!p.attribute_on(r, s.condition, d))
        throw invalid_argument_error(where_of() + ": the resident has no recorded " + std::string(name(s.condition)) +
                                     " that day; a long prescription is for chronic patients only (002 §2.6)");
      if (!s.stable)
        throw invalid_argument_error(where_of() + ": the patient is not marked stable; a long prescription is for "
                                             "stable chronic patients only (002 §2.6)");
      break;
    }
    case service_kind::referral_up:
    case service_kind::referral_down: {
      const auto h = p.institution_of(s.counterpart, where_of() + " counterpart");
      if (p.institutions[h].kind != institution_kind::hospital)
        throw invalid_argument_error(where_of() + ": a referral's counterpart is a second- or third-level hospital; " +
                                     quoted(s.counterpart) + " is a " + std::string(label(p.institutions[h].kind)));
      if (s.kind == service_kind::referral_down && s.priority != referral_priority::none)
        throw invalid_argument_error(where_of() + ": the three priorities (002 §2.5) are for referrals up");
      if (name(s.priority) == "?") throw invalid_argument_error(where_of() + ": unknown referral priority");
      break;
    }
    default:
      if (s.months != 0 || s.priority != referral_priority::none || !s.counterpart.empty())
        throw invalid_argument_error(where_of() + ": months, priority and counterpart belong to long prescriptions "
                                             "and referrals, not to a " + std::string(name(s.kind)));
  }
  if (s.kind != service_kind::long_prescription) s.stable = false, s.condition = attribute::hypertension;
  s.resident = p.resident_ids.str(r);
  s.team = p.teams[t].code;
  s.institution = p.institutions[p.t_institution[t]].code;
  s.contract = p.contract_id(c);
  s.seq = p.services.size() + 1;
  const std::array<std::uint8_t, 32> zero{};
  s.hash = service_hash(p.services.empty() ? zero : p.services.back().hash, s);
  p.services.push_back(std::move(s));
  p.s_contract.push_back(c);
  return p.services.back();
}

std::span<const service_record> registry::services() const noexcept { return p_->services; }

service_chain_report registry::verify() const {
  return verify_services(p_->services);
}

}  // namespace hotline::signing
