// The registry's people and places: residents with their dated attributes, grades and
// households; institutions, teams, staff and packages (registry.hpp).
#include "hotline/masking.hpp"
#include "hotline/resident_id.hpp"
#include "registry_impl.hpp"

#include <algorithm>
#include <unordered_map>

namespace hotline::signing {

namespace {
std::string quoted(std::string_view s) { return "'" + std::string(s) + "'"; }
void require(bool ok, std::string_view where, std::string_view what) {
  if (!ok) throw invalid_argument_error(std::string(where) + ": " + std::string(what));
}
std::int32_t dn(day d) { return hotline::day_number(d); }
}  // namespace

registry::registry(policy p) : p_(std::make_unique<impl>()) {
  p.check();
  p_->rules = std::move(p);
}
registry::~registry() = default;
registry::registry(registry&&) noexcept = default;
registry& registry::operator=(registry&&) noexcept = default;
const policy& registry::rules() const noexcept { return p_->rules; }

// ---- look-ups ----------------------------------------------------------------
std::uint32_t registry::impl::resident_of(std::string_view id, std::string_view where) const {
  if (auto i = resident_ids.find(id)) return *i;
  throw not_found_error(std::string(where) + ": no resident " + quoted(id));
}
std::uint32_t registry::impl::team_of(std::string_view code, std::string_view where) const {
  if (auto i = team_ix.find(code)) return *i;
  throw not_found_error(std::string(where) + ": no team " + quoted(code));
}
std::uint32_t registry::impl::institution_of(std::string_view code, std::string_view where) const {
  if (auto i = institution_ix.find(code)) return *i;
  throw not_found_error(std::string(where) + ": no institution " + quoted(code));
}
std::uint32_t registry::impl::staff_of(std::string_view id, std::string_view where) const {
  if (auto i = staff_ix.find(id)) return *i;
  throw not_found_error(std::string(where) + ": no staff member " + quoted(id));
}

bool registry::impl::member_on(std::uint32_t t, std::uint32_t s, std::int32_t d) const {
  for (auto k : t_members[t]) {
    const auto& m = memberships[k];
    if (m.staff == s && m.from <= d && d < m.to) return true;
  }
  return false;
}
bool registry::impl::has_first_responsible_on(std::uint32_t t, std::int32_t d) const {
  // 002 §2.1 家庭医生为第一责任人; §2.10 a village doctor may be it in rural teams.
  for (auto k : t_members[t]) {
    const auto& m = memberships[k];
    if (m.from <= d && d < m.to && (m.role == team_role::family_doctor || m.role == team_role::village_doctor))
      return true;
  }
  return false;
}
bool registry::impl::attribute_on(std::uint32_t r, attribute a, std::int32_t d) const {
  auto it = r_attributes.find(r);
  if (it == r_attributes.end()) return false;
  for (auto k : it->second) {
    const auto& s = attributes[k];
    if (s.what == a && s.from <= d && d < s.to) return true;
  }
  return false;
}

// ---- residents -------------------------------------------------------------------
void registry::add_resident(const resident& in) {
  auto& p = *p_;
  const std::string where = "resident " + quoted(in.id);
  require(!in.id.empty(), "resident", "id is empty");
  if (p.resident_ids.find(in.id)) throw conflict_error(where + ": already registered");
  require(!in.district.empty(), where, "district is empty");
  require(static_cast<unsigned>(in.sex) <= 2, where, "unknown sex");
  std::optional<day> birth = in.birth;
  hotline::sex sx = in.sex;
  std::string number;
  if (!in.id_number.empty()) {
    const auto facts = read_id_number(in.id_number, where + " id_number");
    if (in.birth && *in.birth != facts.birth)
      throw invalid_argument_error(where + ": the birth date given disagrees with the one in id_number " +
                                   mask_id_number(facts.number) + " (dates not shown: personal data)");
    if (in.sex != hotline::sex::unknown && in.sex != facts.sex)
      throw invalid_argument_error(where + ": sex disagrees with id_number " + mask_id_number(facts.number));
    birth = facts.birth;
    sx = facts.sex;
    number = facts.number;
  } else {
    require(birth.has_value(), where, "needs a birth date when it has no id_number");
  }
  const auto i = p.resident_ids.intern(in.id);
  p.r_birth.push_back(dn(*birth));
  p.r_sex.push_back(static_cast<std::uint8_t>(sx));
  p.r_insured.push_back(in.insured ? 1 : 0);
  p.r_place.push_back(p.place_of(in.district, in.subdistrict, in.community));
  p.r_district.push_back(p.place_parts[p.r_place.back()].district);
  p.r_last_contract.push_back(detail::no_contract);
  p.set_scan(i);
  if (!in.name.empty() || !number.empty()) p.r_personal[i] = {in.name, number};
}

std::size_t registry::add_residents(const resident_rows& rows) {
  auto& p = *p_;
  const std::size_t n = rows.ids.size();
  auto bad = [](std::size_t i, const std::string& what) {
    throw invalid_argument_error("add_residents row " + std::to_string(i) + ": " + what);
  };
  if (rows.birth.size() != n || rows.place.size() != n) bad(0, "ids, birth and place must have the same length");
  if (!rows.sex.empty() && rows.sex.size() != n) bad(0, "sex must be empty or as long as ids");
  if (!rows.insured.empty() && rows.insured.size() != n) bad(0, "insured must be empty or as long as ids");
  for (std::size_t k = 0; k < rows.places.size(); ++k)
    if (rows.places[k][0].empty()) bad(0, "place " + std::to_string(k) + " has no district");
  for (std::size_t i = 0; i < n; ++i) {
    if (rows.ids[i].empty()) bad(i, "id is empty");
    if (rows.place[i] >= rows.places.size()) bad(i, "place " + std::to_string(rows.place[i]) + " is not in places");
    if (!rows.sex.empty() && static_cast<unsigned>(rows.sex[i]) > 2) bad(i, "unknown sex");
  }
  // The ids go in first, checked as they go: a repeat takes back the ones added (one
  // rebuild of the id table on the error path, none on the common one).
  const std::size_t before = p.resident_ids.size();
  p.resident_ids.reserve(before + n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto k = p.resident_ids.intern(rows.ids[i]);
    if (k < before + i) {
      p.resident_ids.pop_back(i);
      if (k < before)
        throw conflict_error("add_residents row " + std::to_string(i) + ": resident " + quoted(rows.ids[i]) +
                             " already registered");
      bad(i, "resident " + quoted(rows.ids[i]) + " repeats row " + std::to_string(k - before));
    }
  }
  std::vector<std::uint32_t> place_ix(rows.places.size());
  for (std::size_t k = 0; k < rows.places.size(); ++k)
    place_ix[k] = p.place_of(rows.places[k][0], rows.places[k][1], rows.places[k][2]);
  for (auto* v : {&p.r_district, &p.r_place}) v->reserve(v->size() + n);
  p.r_birth.reserve(p.r_birth.size() + n);
  for (std::size_t i = 0; i < n; ++i) {
    p.r_birth.push_back(dn(rows.birth[i]));
    p.r_sex.push_back(rows.sex.empty() ? 0 : static_cast<std::uint8_t>(rows.sex[i]));
    p.r_insured.push_back(rows.insured.empty() ? 1 : (rows.insured[i] ? 1 : 0));
    p.r_place.push_back(place_ix[rows.place[i]]);
    p.r_district.push_back(p.place_parts[p.r_place.back()].district);
    p.r_last_contract.push_back(detail::no_contract);
    p.set_scan(p.r_birth.size() - 1);
  }
  return n;
}

resident registry::find_resident(const std::string& id, bool reveal) const {
  const auto& p = *p_;
  const auto i = p.resident_of(id, "find_resident");
  resident r;
  r.id = id;
  r.birth = from_day_number(p.r_birth[i]);
  r.sex = static_cast<hotline::sex>(p.r_sex[i]);
  r.insured = p.r_insured[i] != 0;
  const auto& place = p.place_parts[p.r_place[i]];
  r.district = p.districts.str(place.district);
  r.subdistrict = p.subdistricts.str(place.subdistrict);
  r.community = p.communities.str(place.community);
  if (auto it = p.r_personal.find(i); it != p.r_personal.end()) {
    r.name = reveal ? it->second.name : mask_name(it->second.name);
    r.id_number = reveal ? it->second.id_number : mask_id_number(it->second.id_number);
  }
  return r;
}

std::size_t registry::resident_count() const noexcept { return p_->r_birth.size(); }

void registry::move_resident(const std::string& id, const std::string& district, const std::string& subdistrict,
                             const std::string& community) {
  auto& p = *p_;
  const auto i = p.resident_of(id, "move_resident");
  require(!district.empty(), "move_resident " + quoted(id), "district is empty");
  p.r_place[i] = p.place_of(district, subdistrict, community);
  p.set_scan(i);
  p.r_district[i] = p.place_parts[p.r_place[i]].district;
}

void registry::add_attribute(const std::string& resident, attribute a, day from, std::optional<day> to) {
  auto& p = *p_;
  const std::string where = "add_attribute " + quoted(resident) + " " + std::string(name(a));
  const auto r = p.resident_of(resident, where);
  if (name(a) == "?") throw invalid_argument_error(where + ": not an attribute");
  const std::int32_t f = dn(from), t = to ? dn(*to) : detail::open_end;
  require(f < t, where, "ends (" + (to ? format_day(*to) : std::string()) + ") on or before it starts (" +
                            format_day(from) + ")");
  require(f >= p.r_birth[r], where, "starts before the resident's birth");
  if (auto it = p.r_attributes.find(r); it != p.r_attributes.end())
    for (auto k : it->second) {
      const auto& s = p.attributes[k];
      if (s.what == a && s.from < t && f < s.to)
        throw conflict_error(where + ": overlaps the span from " + format_day(from_day_number(s.from)));
    }
  p.r_attributes[r].push_back(static_cast<std::uint32_t>(p.attributes.size()));
  p.attributes.push_back({r, a, f, t});
}

void registry::end_attribute(const std::string& resident, attribute a, day to) {
  auto& p = *p_;
  const std::string where = "end_attribute " + quoted(resident) + " " + std::string(name(a));
  const auto r = p.resident_of(resident, where);
  for (auto& s : p.attributes)  // rare: a scan is fine
    if (s.resident == r && s.what == a && s.to == detail::open_end) {
      require(dn(to) > s.from, where, "ends on or before it started (" + format_day(from_day_number(s.from)) + ")");
      s.to = dn(to);
      return;
    }
  throw not_found_error(where + ": no open span");
}

void registry::set_grade(const std::string& resident, elderly_grade g, day from) {
  auto& p = *p_;
  const std::string where = "set_grade " + quoted(resident);
  const auto r = p.resident_of(resident, where);
  if (name(g) == "?") throw invalid_argument_error(where + ": unknown grade");
  // 003 §2.2.1: the grading is of residents 65 and over.
  if (p.r_birth[r] > detail::latest_birth_for_age(from, 65))
    throw invalid_argument_error(where + ": the grading is for residents 65 and over (003 §2.2.1), and the "
                                 "resident is under 65 on " + format_day(from));
  for (const auto& e : p.grades)
    if (e.resident == r && e.from >= dn(from))
      throw conflict_error(where + ": a grade from " + format_day(from_day_number(e.from)) +
                           " is already recorded; grades are history, added in date order");
  p.grades.push_back({r, dn(from), g});
}

elderly_grade registry::grade_on(const std::string& resident, day on) const {
  const auto& p = *p_;
  const auto r = p.resident_of(resident, "grade_on");
  elderly_grade g = elderly_grade::none;
  std::int32_t best = INT32_MIN;
  for (const auto& e : p.grades)
    if (e.resident == r && e.from <= dn(on) && e.from > best) best = e.from, g = e.grade;
  return g;
}

std::vector<std::pair<day, elderly_grade>> registry::grade_history(const std::string& resident) const {
  const auto& p = *p_;
  const auto r = p.resident_of(resident, "grade_history");
  std::vector<std::pair<day, elderly_grade>> out;
  for (const auto& e : p.grades)
    if (e.resident == r) out.emplace_back(from_day_number(e.from), e.grade);
  return out;
}

std::uint16_t registry::key_populations_on(const std::string& resident, day on) const {
  const auto& p = *p_;
  const auto r = p.resident_of(resident, "key_populations_on");
  std::uint16_t bits = 0;
  const std::int32_t b = p.r_birth[r], d = dn(on);
  if (b <= detail::latest_birth_for_age(on, 65)) bits |= 1u << unsigned(key_population::elderly);
  if (b > detail::latest_birth_for_age(on, 7) && b <= d) bits |= 1u << unsigned(key_population::child);
  if (auto it = p.r_attributes.find(r); it != p.r_attributes.end())
    for (auto k : it->second) {
      const auto& s = p.attributes[k];
      if (s.from <= d && d < s.to) bits |= std::uint16_t(1u << unsigned(population_of(s.what)));
    }
  return bits;
}

// ---- households ------------------------------------------------------------------
void registry::join_household(const std::string& household, const std::string& resident, day from) {
  auto& p = *p_;
  const std::string where = "join_household " + quoted(household) + " " + quoted(resident);
  require(!household.empty(), where, "household is empty");
  const auto r = p.resident_of(resident, where);
  for (const auto& s : p.household_spans)
    if (s.resident == r && s.to > dn(from))
      throw conflict_error(where + ": the resident is in household " + quoted(p.households.str(s.household)) +
                           " on " + format_day(from) + "; leave it first");
  p.household_spans.push_back({p.households.intern(household), r, dn(from), detail::open_end});
}

void registry::leave_household(const std::string& household, const std::string& resident, day to) {
  auto& p = *p_;
  const std::string where = "leave_household " + quoted(household) + " " + quoted(resident);
  const auto r = p.resident_of(resident, where);
  const auto h = p.households.find(household);
  for (auto& s : p.household_spans)
    if (h && s.household == *h && s.resident == r && s.to == detail::open_end) {
      require(dn(to) > s.from, where, "leaves on or before joining");
      s.to = dn(to);
      return;
    }
  throw not_found_error(where + ": not a current member");
}

std::vector<std::string> registry::household_members(const std::string& household, day on) const {
  const auto& p = *p_;
  std::vector<std::string> out;
  const auto h = p.households.find(household);
  if (!h) throw not_found_error("household_members: no household " + quoted(household));
  for (const auto& s : p.household_spans)
    if (s.household == *h && s.from <= dn(on) && dn(on) < s.to) out.push_back(p.resident_ids.str(s.resident));
  return out;
}

// ---- institutions, teams, staff, packages ----------------------------------------------
void registry::add_institution(const institution& in) {
  auto& p = *p_;
  const std::string where = "institution " + quoted(in.code);
  require(!in.code.empty(), "institution", "code is empty");
  require(!in.district.empty(), where, "district is empty");
  if (name(in.kind) == "?") throw invalid_argument_error(where + ": unknown kind");
  if (!p.institution_ix.add(in.code)) throw conflict_error(where + ": already registered");
  p.institutions.push_back(in);
  p.i_district.push_back(p.districts.intern(in.district));
}

void registry::add_team(const team& t) {
  auto& p = *p_;
  const std::string where = "team " + quoted(t.code);
  require(!t.code.empty(), "team", "code is empty");
  const auto i = p.institution_of(t.institution, where);
  if (p.institutions[i].kind == institution_kind::hospital)
    throw invalid_argument_error(where + ": a hospital's doctors join a primary institution's team (003 §2.1.2); "
                                         "a team belongs to a primary institution or a clinic");
  if (!p.team_ix.add(t.code)) throw conflict_error(where + ": already registered");
  p.teams.push_back(t);
  p.t_institution.push_back(i);
  p.t_members.emplace_back();
}

void registry::add_staff(const staff_member& s) {
  auto& p = *p_;
  const std::string where = "staff " + quoted(s.id);
  require(!s.id.empty(), "staff", "id is empty");
  (void)p.institution_of(s.institution, where);
  if (!p.staff_ix.add(s.id)) throw conflict_error(where + ": already registered");
  p.staff.push_back(s);
}

void registry::join_team(const std::string& team, const std::string& staff, team_role role, day from) {
  auto& p = *p_;
  const std::string where = "join_team " + quoted(team) + " " + quoted(staff);
  const auto t = p.team_of(team, where);
  const auto s = p.staff_of(staff, where);
  if (name(role) == "?") throw invalid_argument_error(where + ": unknown role");
  for (auto k : p.t_members[t]) {
    const auto& m = p.memberships[k];
    if (m.staff == s && m.to > dn(from))
      throw conflict_error(where + ": already a member (" + std::string(name(m.role)) + ") on " + format_day(from));
  }
  if (p.teams[t].individual && role != team_role::family_doctor && role != team_role::village_doctor)
    throw invalid_argument_error(where + ": an individual doctor's signing (003 §2.1.4) has the doctor only");
  p.t_members[t].push_back(static_cast<std::uint32_t>(p.memberships.size()));
  p.memberships.push_back({t, s, role, dn(from), detail::open_end});
}

void registry::leave_team(const std::string& team, const std::string& staff, day to) {
  auto& p = *p_;
  const std::string where = "leave_team " + quoted(team) + " " + quoted(staff);
  const auto t = p.team_of(team, where);
  const auto s = p.staff_of(staff, where);
  for (auto& m : p.memberships)
    if (m.team == t && m.staff == s && m.to == detail::open_end) {
      require(dn(to) > m.from, where, "leaves on or before joining");
      m.to = dn(to);
      return;
    }
  throw not_found_error(where + ": not a current member");
}

std::vector<registry::member> registry::team_members(const std::string& team, std::optional<day> on) const {
  const auto& p = *p_;
  const auto t = p.team_of(team, "team_members");
  std::vector<member> out;
  for (const auto& m : p.memberships)
    if (m.team == t && (!on || (m.from <= dn(*on) && dn(*on) < m.to)))
      out.push_back({p.staff[m.staff].id, m.role, from_day_number(m.from),
                     m.to == detail::open_end ? std::nullopt : std::optional<day>(from_day_number(m.to))});
  return out;
}

void registry::add_package(const package& pk) {
  auto& p = *p_;
  const std::string where = "package " + quoted(pk.code);
  require(!pk.code.empty(), "package", "code is empty");
  if (name(pk.tier) == "?") throw invalid_argument_error(where + ": unknown tier");
  require(pk.fee_fen >= 0 && pk.insurance_fen >= 0 && pk.public_health_fen >= 0 && pk.resident_fen >= 0, where,
          "amounts must not be negative");
  // 002 §2.12: the annual fee is shared by insurance, public-health funds and the resident.
  if (pk.insurance_fen + pk.public_health_fen + pk.resident_fen != pk.fee_fen)
    throw invalid_argument_error(where + ": shares " + std::to_string(pk.insurance_fen) + " + " +
                                 std::to_string(pk.public_health_fen) + " + " + std::to_string(pk.resident_fen) +
                                 " fen do not add up to the fee of " + std::to_string(pk.fee_fen) + " fen");
  // 002 §2.12: the free package is free to the resident.
  if (pk.tier == package_tier::free_package && pk.resident_fen != 0)
    throw invalid_argument_error(where + ": a free package (免费服务包) charges the resident nothing (002 §2.12)");
  if (!p.package_ix.add(pk.code)) throw conflict_error(where + ": already registered");
  p.packages.push_back(pk);
}

// ---- surveys and slots ------------------------------------------------------------------
void registry::record_survey(const survey_answer& a) {
  auto& p = *p_;
  (void)p.contract_of(a.contract, "record_survey");
  if (!a.reached && (a.aware || a.satisfied || a.authentic))
    throw invalid_argument_error("record_survey " + quoted(a.contract) + ": a resident not reached has no answers");
  p.surveys.push_back(a);
}
std::span<const survey_answer> registry::surveys() const noexcept { return p_->surveys; }

void registry::record_slots(const specialist_slots& s) {
  auto& p = *p_;
  const std::string where = "record_slots " + quoted(s.hospital) + " " + s.month;
  const auto i = p.institution_of(s.hospital, where);
  if (p.institutions[i].kind != institution_kind::hospital)
    throw invalid_argument_error(where + ": specialist slots are a second- or third-level hospital's (002 §2.5)");
  require(s.month.size() == 7 && s.month[4] == '-', where, "month must read YYYY-MM");
  (void)parse_day(s.month + "-01");
  require(s.total >= 0 && s.opened_to_teams >= 0 && s.opened_to_teams <= s.total, where,
          "needs 0 <= opened_to_teams <= total");
  p.slots.push_back(s);
}
std::span<const specialist_slots> registry::slots() const noexcept { return p_->slots; }

}  // namespace hotline::signing
