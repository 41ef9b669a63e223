// The signing example (examples/signing_district.cpp): a seeded district's 2017 of signing
// through the registry into the reports.  Every figure the reports give is checked against
// counts this test makes itself from the generator's own record (its residents,
// contracts, services, grades and surveys), never from the report code; the definitions
// recounted are reports.hpp's, written out again below.  The figures are also checked
// against the seeds' proportions (002 §1.2 targets; 004 Wuzhou 2017), the run against a
// second run with the same seed, and the workbook for its chart.
#include "../examples/signing_district.hpp"

#include <doctest/doctest.h>

#include "hotline/error.hpp"
#include "hotline/signing/coverage_chart.hpp"
#include "hotline/signing/reports.hpp"
#include "hotline/signing/work_points.hpp"

#include <unistd.h>
#include <algorithm>
#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>

using namespace hotline;
namespace sg = hotline::signing;
namespace fs = std::filesystem;

namespace {

const district::generated& built() {
  static const district::generated d = district::generate();  // once per test binary
  return d;
}
const district::record& plan() { return built().plan; }
const sg::registry& reg() { return built().registry; }
constexpr day D = district::as_of;

// ---- the rules, recounted ---------------------------------------------------------

/// Completed years on `on` (a 29 February birthday is reached on 1 March).
int years_on(day birth, day on) {
  const date::year_month_day b{birth}, o{on};
  int a = int(o.year()) - int(b.year());
  if (unsigned(o.month()) < unsigned(b.month()) || (o.month() == b.month() && unsigned(o.day()) < unsigned(b.day())))
    --a;
  return a;
}
/// Population on d: born on or before d, not recorded dead on or before d.
bool counted_on(const district::resident_record& r, day d) { return r.birth <= d && !(r.died && *r.died <= d); }
bool signed_on(const district::resident_record& r, day d) {
  return std::any_of(r.contracts.begin(), r.contracts.end(),
                     [&](std::size_t c) { return plan().contracts[c].valid_on(d); });
}
bool has(const district::resident_record& r, sg::attribute a, day d) {
  return std::any_of(r.attributes.begin(), r.attributes.end(),
                     [&](const auto& s) { return s.what == a && s.from <= d && (!s.to || d < *s.to); });
}
/// Key populations on d as bits over key_population: 65+ and 0-6 by age, the rest by attribute.
unsigned key_bits(const district::resident_record& r, day d) {
  unsigned bits = 0;
  const int age = years_on(r.birth, d);
  if (age >= 65) bits |= 1u << unsigned(sg::key_population::elderly);
  if (r.birth <= d && age <= 6) bits |= 1u << unsigned(sg::key_population::child);
  for (const auto& s : r.attributes)
    if (s.from <= d && (!s.to || d < *s.to)) bits |= 1u << unsigned(sg::population_of(s.what));
  return bits;
}

struct tally {
  std::int64_t pop = 0, sig = 0, key_pop = 0, key_sig = 0;
  std::array<std::int64_t, sg::key_population_count> by_pop{}, by_sig{};
};

std::map<std::string, tally> coverage_by(bool subdistrict, tally& total) {
  std::map<std::string, tally> out;
  for (const auto& r : plan().residents) {
    if (!counted_on(r, D)) continue;
    const bool s = signed_on(r, D);
    const unsigned bits = key_bits(r, D);
    for (tally* t : {&out[subdistrict ? r.district + " " + r.subdistrict : r.district], &total}) {
      ++t->pop;
      t->sig += s;
      if (bits) ++t->key_pop, t->key_sig += s;
      for (std::size_t k = 0; k < sg::key_population_count; ++k)
        if (bits & (1u << k)) ++t->by_pop[k], t->by_sig[k] += s;
    }
  }
  return out;
}

void check_row(const sg::coverage_row& got, const tally& want) {
  INFO("group " << got.group);
  CHECK(got.all.population == want.pop);
  CHECK(got.all.signed_count == want.sig);
  CHECK(got.key.population == want.key_pop);
  CHECK(got.key.signed_count == want.key_sig);
  for (std::size_t k = 0; k < sg::key_population_count; ++k) {
    INFO(sg::name(static_cast<sg::key_population>(k)));
    CHECK(got.by_population[k].population == want.by_pop[k]);
    CHECK(got.by_population[k].signed_count == want.by_sig[k]);
  }
}

const sg::coverage_row& district_row(const sg::coverage_result& c) {
  auto it = std::find_if(c.rows.begin(), c.rows.end(), [](const auto& r) { return r.group == plan().district; });
  REQUIRE(it != c.rows.end());
  return *it;
}

int year_of(day d) { return int(date::year_month_day{d}.year()); }

/// The days of the services of each resident's contracts, by kind.
std::vector<std::vector<const district::service_entry*>> services_by_resident() {
  std::vector<std::vector<const district::service_entry*>> out(plan().residents.size());
  for (const auto& s : plan().services) out[plan().contracts[s.contract].resident].push_back(&s);
  return out;
}

/// The central directory of a ZIP file: the names of its entries.
std::vector<std::string> zip_entries(const std::string& bytes) {
  auto u16 = [&](std::size_t at) {
    return std::size_t(std::uint8_t(bytes[at])) | std::size_t(std::uint8_t(bytes[at + 1])) << 8;
  };
  auto u32 = [&](std::size_t at) { return u16(at) | u16(at + 2) << 16; };
  const auto eocd = bytes.rfind(std::string("PK\x05\x06", 4));
  REQUIRE(eocd != std::string::npos);
  REQUIRE(eocd + 22 <= bytes.size());
  const std::size_t count = u16(eocd + 10);
  std::size_t at = u32(eocd + 16);
  std::vector<std::string> names;
  for (std::size_t i = 0; i < count; ++i) {
    REQUIRE(at + 46 <= bytes.size());
    REQUIRE(bytes.compare(at, 4, std::string("PK\x01\x02", 4)) == 0);
    const std::size_t n = u16(at + 28), m = u16(at + 30), k = u16(at + 32);
    names.push_back(bytes.substr(at + 46, n));
    at += 46 + n + m + k;
  }
  return names;
}

fs::path scratch_dir() {
  const fs::path dir = fs::path(HOTLINE_BINARY_DIR) / "test_signing_example_tmp" / std::to_string(::getpid());
  fs::create_directories(dir);
  return dir;
}

}  // namespace

TEST_CASE("the generated district has the shape and proportions the example claims") {
  const auto& p = plan();
  CHECK(p.residents.size() == district::default_residents);
  CHECK(p.subdistricts.size() == 10);
  std::size_t communities = 0;
  for (const auto& s : p.subdistricts) communities += s.communities.size();
  CHECK(communities == 60);
  CHECK(p.teams.size() >= 50);
  CHECK(p.teams.size() <= 65);
  // Loops count what is wrong and check the count once: a million CHECKs would be slow.
  CHECK(std::count_if(p.households.begin(), p.households.end(),
                      [](const auto& h) { return h.members.empty() || h.members.size() > 5; }) == 0);
  // The age pyramid: about 12 % aged 65+ and 8-9 % aged 0-6 (China 2017), births 1925-2017.
  std::size_t old = 0, young = 0, adults35 = 0, ht = 0, dm = 0, born_outside = 0;
  for (const auto& r : p.residents) {
    born_outside += year_of(r.birth) < 1925 || r.birth > D;
    const int age = years_on(r.birth, D);
    old += age >= 65;
    young += age <= 6;
    if (age >= 35) {
      ++adults35;
      ht += has(r, sg::attribute::hypertension, D);
      dm += has(r, sg::attribute::diabetes, D);
    }
  }
  CHECK(born_outside == 0);
  const double n = double(p.residents.size());
  CHECK(double(old) / n == doctest::Approx(0.12).epsilon(0.25));
  CHECK(double(young) / n == doctest::Approx(0.085).epsilon(0.3));
  CHECK(double(ht) / double(adults35) == doctest::Approx(0.12).epsilon(0.25));
  CHECK(double(dm) / double(adults35) == doctest::Approx(0.05).epsilon(0.3));

  // Every way of signing and ending, team changes at renewal, open applications.
  std::map<sg::signing_channel, int> channels;
  std::map<sg::termination_reason, int> reasons;
  int changed_team = 0, open = 0;
  for (const auto& c : p.contracts) {
    ++channels[c.channel];
    if (c.reason) ++reasons[*c.reason];
    if (c.renewal_of && p.contracts[*c.renewal_of].team != c.team) ++changed_team;
  }
  for (auto ch : {sg::signing_channel::in_person, sg::signing_channel::online, sg::signing_channel::hotline_application,
                  sg::signing_channel::household})
    CHECK_MESSAGE(channels[ch] > 0, sg::name(ch));
  for (auto why : {sg::termination_reason::moved_away, sg::termination_reason::death,
                   sg::termination_reason::resident_request, sg::termination_reason::team_dissolved})
    CHECK_MESSAGE(reasons[why] > 0, sg::name(why));
  CHECK(changed_team > 0);
  for (const auto& a : p.applications) open += !a.contract;
  CHECK(open > 0);
  CHECK(reg().applications(true).size() == std::size_t(open));

  // Services: every kind; long prescriptions only of 1-2 months for stable chronic patients (002 §2.6).
  std::map<sg::service_kind, int> kinds;
  std::size_t off_contract = 0, bad_prescriptions = 0;
  for (const auto& s : p.services) {
    ++kinds[s.kind];
    const auto& c = p.contracts[s.contract];
    off_contract += !c.valid_on(s.on);
    if (s.kind == sg::service_kind::long_prescription)
      bad_prescriptions +=
          !s.stable || s.months < 1 || s.months > 2 || !has(p.residents[c.resident], s.condition, s.on);
  }
  CHECK(off_contract == 0);
  CHECK(bad_prescriptions == 0);
  for (std::size_t k = 0; k < sg::service_kind_count; ++k)
    CHECK_MESSAGE(kinds[static_cast<sg::service_kind>(k)] > 0, sg::name(static_cast<sg::service_kind>(k)));
  // The registry holds the same services, in the same order, hash-chained.
  REQUIRE(reg().services().size() == p.services.size());
  CHECK(reg().verify().ok);
  for (std::size_t i = 0; i < p.services.size(); i += 997) {
    const auto& got = reg().services()[i];
    CHECK(got.contract == p.contracts[p.services[i].contract].id);
    CHECK(got.staff == p.services[i].staff);
    CHECK(got.on == p.services[i].on);
  }
  CHECK(reg().contract_count() == p.contracts.size());
  CHECK(reg().resident_count() == p.residents.size());
}

TEST_CASE("coverage by district, sub-district and key population matches the record") {
  const auto& p = plan();
  tally total_d, total_s;
  const auto want_d = coverage_by(false, total_d);
  const auto want_s = coverage_by(true, total_s);
  const auto by_d = sg::coverage(reg(), D, sg::grouping::district);
  const auto by_s = sg::coverage(reg(), D, sg::grouping::subdistrict);
  REQUIRE(by_d.rows.size() == want_d.size());
  REQUIRE(by_s.rows.size() == want_s.size());
  for (const auto& r : by_d.rows) check_row(r, want_d.at(r.group));
  for (const auto& r : by_s.rows) check_row(r, want_s.at(r.group));
  check_row(by_d.total, total_d);
  check_row(by_s.total, total_s);
  CHECK(total_d.pop == total_s.pop);

  // Realistic (004: Wuzhou 44.66 % overall, 70.32 % key; 002 §1.2 targets 30 % / 60 %).
  const auto& home = district_row(by_d);
  CHECK(home.all.rate() > 0.35);
  CHECK(home.all.rate() < 0.55);
  CHECK(home.key.rate() > 0.60);
  CHECK(home.key.rate() < 0.80);
  CHECK(home.key.rate() > home.all.rate() + 0.15);
  // Residents who moved out are counted where they live now, outside the district.
  CHECK(by_d.rows.size() > 1);
  for (const auto& r : by_d.rows)
    if (r.group != p.district) CHECK(r.all.population < home.all.population / 100);
  int in_district = 0;
  for (const auto& r : by_s.rows) {
    if (r.district != p.district) continue;
    ++in_district;
    INFO(r.group);
    CHECK(r.all.rate() > 0.25);
    CHECK(r.all.rate() < 0.65);
  }
  CHECK(in_district == 10);
  // The 2017 targets are checked on the total (002 §1.2).
  REQUIRE(by_d.targets.size() >= 2);
  CHECK(by_d.targets[0].what == "全人群");
  CHECK(by_d.targets[0].required == doctest::Approx(0.30));
  CHECK(by_d.targets[0].met == (double(total_d.sig) / double(total_d.pop) >= 0.30));
  CHECK(by_d.targets[1].met == (double(total_d.key_sig) / double(total_d.key_pop) >= 0.60));

  // By team: the signed on D of each team, recounted.
  std::map<std::string, std::int64_t> per_team;
  for (const auto& r : p.residents)
    if (counted_on(r, D))
      for (auto c : r.contracts)
        if (p.contracts[c].valid_on(D)) ++per_team[p.contracts[c].team];
  const auto by_t = sg::coverage(reg(), D, sg::grouping::team);
  CHECK(by_t.rows.size() == p.teams.size());
  for (const auto& r : by_t.rows) CHECK_MESSAGE(r.all.signed_count == per_team[r.group], r.group);
}

TEST_CASE("referrals year on year match the record and Wuzhou's proportions") {
  const auto& p = plan();
  std::map<std::string, sg::referral_row> want;
  sg::referral_row total;
  for (const auto& s : p.services) {
    const bool up = s.kind == sg::service_kind::referral_up;
    if (!up && s.kind != sg::service_kind::referral_down) continue;
    const int y = year_of(s.on);
    for (auto* row : {&want[p.contracts[s.contract].institution], &total}) {
      if (up)
        (y == 2017 ? row->up : row->up_previous) += 1;
      else
        (y == 2017 ? row->down : row->down_previous) += 1;
      if (up && y == 2017) row->up_by_priority[static_cast<std::size_t>(s.priority)] += 1;
    }
  }
  const auto got = sg::referrals(reg(), 2017);
  REQUIRE(got.size() == want.size() + 1);
  for (std::size_t i = 0; i + 1 < got.size(); ++i) {
    const auto& w = want.at(got[i].institution);
    INFO(got[i].institution);
    CHECK(got[i].up == w.up);
    CHECK(got[i].down == w.down);
    CHECK(got[i].up_previous == w.up_previous);
    CHECK(got[i].down_previous == w.down_previous);
    CHECK(got[i].up_by_priority == w.up_by_priority);
  }
  const auto& t = got.back();
  CHECK(t.institution.empty());
  CHECK(t.up == total.up);
  CHECK(t.down == total.down);
  CHECK(t.up_previous == total.up_previous);
  CHECK(t.down_previous == total.down_previous);
  CHECK(t.up_by_priority == total.up_by_priority);
  // 004 二(二), scaled from Wuzhou's 3.0 million residents to 200,000: about 678 up (-12.32 %)
  // and 206 down (+51.28 %).
  CHECK(t.up == doctest::Approx(678).epsilon(0.12));
  CHECK(t.down == doctest::Approx(206).epsilon(0.2));
  REQUIRE(t.up_change());
  REQUIRE(t.down_change());
  CHECK(*t.up_change() < 0);
  CHECK(*t.down_change() > 0.2);
  CHECK(t.up_by_priority[std::size_t(sg::referral_priority::specialist_appointment)] >
        t.up_by_priority[std::size_t(sg::referral_priority::admission)]);
}

TEST_CASE("chronic management, contracts not served and home visits behind match the record") {
  const auto& p = plan();
  const auto services = services_by_resident();
  const auto window_from = D - date::days{364};  // the 365 days ending on D
  const int every_follow_ups = reg().rules().standardised_follow_ups;

  SUBCASE("standardised management (004 二(三))") {
    const auto got = sg::chronic_management(reg(), D);
    REQUIRE(got.size() == 4);
    for (const auto& row : got) {
      std::int64_t managed = 0, standardised = 0;
      for (std::size_t i = 0; i < p.residents.size(); ++i) {
        const auto& r = p.residents[i];
        if (!signed_on(r, D) || !has(r, row.condition, D)) continue;
        ++managed;
        const auto n = std::count_if(services[i].begin(), services[i].end(), [&](const auto* s) {
          return s->kind == sg::service_kind::follow_up && s->on >= window_from && s->on <= D;
        });
        standardised += n >= every_follow_ups;
      }
      INFO(sg::name(row.condition));
      CHECK(row.managed == managed);
      CHECK(row.standardised == standardised);
      if (row.condition == sg::attribute::hypertension || row.condition == sg::attribute::diabetes) {
        // Wuzhou 2017: 77.9 % and 75.9 % (004 二(三)); most patients 4+, some fewer.
        CHECK(row.rate() > 0.55);
        CHECK(row.rate() < 0.92);
      }
    }
  }

  SUBCASE("not served (003 三(一)): 180 days without a service, renewals counting their history") {
    const int window = reg().rules().not_served_after_days;
    std::vector<day> last(p.contracts.size(), day{});
    std::vector<bool> any(p.contracts.size(), false);
    for (const auto& s : p.services)
      if (s.on <= D) {
        if (!any[s.contract] || last[s.contract] < s.on) last[s.contract] = s.on;
        any[s.contract] = true;
      }
    std::map<std::string, std::pair<std::int64_t, std::int64_t>> want;  // team -> valid, not served
    for (std::size_t c = 0; c < p.contracts.size(); ++c) {
      const auto& k = p.contracts[c];
      if (!k.valid_on(D)) continue;
      auto& [valid, idle] = want[k.team];
      ++valid;
      day first = k.start;
      bool seen = any[c];
      day latest = last[c];
      for (auto prev = k.renewal_of; prev; prev = p.contracts[*prev].renewal_of) {
        first = p.contracts[*prev].start;
        if (any[*prev] && (!seen || latest < last[*prev])) latest = last[*prev];
        seen = seen || any[*prev];
      }
      if ((D - first).count() >= window && (!seen || (D - latest).count() >= window)) ++idle;
    }
    const auto got = sg::not_served(reg(), D);
    CHECK(got.size() == p.teams.size());
    std::int64_t valid = 0, idle = 0;
    for (const auto& row : got) {
      INFO(row.team);
      CHECK(row.valid == want[row.team].first);
      CHECK(row.not_served == want[row.team].second);
      valid += row.valid;
      idle += row.not_served;
    }
    CHECK(idle > 0);
    CHECK(double(idle) / double(valid) < 0.4);
  }

  SUBCASE("red and yellow residents behind on home visits (003 二(三)2)") {
    std::map<std::string, int> want;  // resident -> days since
    for (std::size_t i = 0; i < p.residents.size(); ++i) {
      const auto& r = p.residents[i];
      if (r.grades.empty() || !signed_on(r, D)) continue;
      const auto [from, grade] = r.grades.back();  // every grade is from before D
      if (grade != sg::elderly_grade::red && grade != sg::elderly_grade::yellow) continue;
      std::optional<day> visit;
      for (const auto* s : services[i])
        if (s->kind == sg::service_kind::home_visit && s->on <= D && (!visit || *visit < s->on)) visit = s->on;
      const int since = int((D - (visit ? *visit : from)).count());
      const int every =
          grade == sg::elderly_grade::red ? reg().rules().red_visit_every_days : reg().rules().yellow_visit_every_days;
      if (since > every) want[r.id] = since;
    }
    const auto got = sg::home_visits_behind(reg(), D);
    CHECK(!got.empty());
    CHECK(got.size() == want.size());
    for (const auto& v : got) {
      INFO(v.resident);
      REQUIRE(want.count(v.resident) == 1);
      CHECK(v.days_since == want[v.resident]);
    }
  }
}

TEST_CASE("workforce, the verification survey and December's work points match the record") {
  const auto& p = plan();
  // Village doctors in a team on D (002 §2.10: 90 %), slots opened (002 §2.5: at least 20 %).
  std::int64_t village = 0, in_team = 0, slots = 0, opened = 0;
  for (const auto& s : p.staff) {
    if (s.qualification != sg::team_role::village_doctor) continue;
    ++village;
    in_team += std::any_of(p.memberships.begin(), p.memberships.end(),
                           [&](const auto& m) { return m.staff == s.id && m.from <= D && (!m.to || D < *m.to); });
  }
  for (const auto& s : p.slots)
    if (s.month.starts_with("2017")) slots += s.total, opened += s.opened_to_teams;
  const auto w = sg::workforce(reg(), D);
  CHECK(w.village_doctors == village);
  CHECK(w.village_doctors_in_teams == in_team);
  CHECK(w.specialist_slots == slots);
  CHECK(w.specialist_slots_opened == opened);
  CHECK(w.village_share() == doctest::Approx(0.9));
  CHECK(w.slots_share() > 0.15);
  CHECK(w.slots_share() < 0.30);

  // The survey of the verification sample: 200 contracts valid on the sample day.
  REQUIRE(p.surveys.size() == district::sample_size);
  std::map<std::string, std::size_t> index;
  for (std::size_t c = 0; c < p.contracts.size(); ++c) index[p.contracts[c].id] = c;
  std::map<std::string, std::array<std::int64_t, 5>> want;
  std::array<std::int64_t, 5> total{};
  for (const auto& a : p.surveys) {
    const auto& k = p.contracts.at(index.at(a.contract));
    CHECK(k.valid_on(district::sample_day));
    for (auto* row : {&want[k.institution], &total}) {
      (*row)[0] += 1;
      (*row)[1] += a.reached;
      (*row)[2] += a.aware;
      (*row)[3] += a.satisfied;
      (*row)[4] += a.authentic;
    }
  }
  const auto got = sg::survey_results(reg(), make_day(2017, 1, 1), D);
  REQUIRE(got.size() == want.size() + 1);
  for (const auto& row : got) {
    const auto& x = row.institution.empty() ? total : want.at(row.institution);
    INFO(row.institution);
    CHECK(row.asked == x[0]);
    CHECK(row.reached == x[1]);
    CHECK(row.aware == x[2]);
    CHECK(row.satisfied == x[3]);
    CHECK(row.authentic == x[4]);
  }
  CHECK(got.back().awareness() > 0.7);
  CHECK(got.back().authenticity() > 0.85);

  // December's work points: the services of December, priced by the table (004 §1.5).
  const auto table = sg::points_table::from_file(std::string(HOTLINE_SOURCE_DIR) + "/data/signing/work_points.json");
  const auto rows = sg::work_points(table, reg().services(), make_day(2017, 12, 1), D);
  std::map<std::string, std::pair<std::uint32_t, double>> by_staff;  // staff -> services, points
  for (const auto& s : p.services)
    if (s.on >= make_day(2017, 12, 1) && s.on <= D) {
      auto& [n, pts] = by_staff[p.contracts[s.contract].team + "/" + s.staff];
      ++n;
      pts += table.points(s.kind, s.on);
    }
  REQUIRE(rows.size() == by_staff.size());
  for (const auto& r : rows) {
    const auto& [n, pts] = by_staff.at(r.team + "/" + r.staff);
    std::uint32_t count = 0;
    for (auto k : r.services) count += k;
    CHECK(count == n);
    CHECK(r.points == doctest::Approx(pts));
  }
}

TEST_CASE("the run is reproducible: the same seed gives the same district and figures") {
  // Two runs of a smaller district with the same seed (the same code path; the size only
  // stops the loops sooner) agree in every contract, service and figure; another seed
  // gives another district.
  constexpr std::size_t n = 20'000;
  const auto a = district::generate(district::default_seed, n);
  const auto b = district::generate(district::default_seed, n);
  REQUIRE(a.plan.contracts.size() == b.plan.contracts.size());
  REQUIRE(a.plan.services.size() == b.plan.services.size());
  std::size_t differ = 0;
  for (std::size_t i = 0; i < a.plan.contracts.size(); ++i) {
    const auto &x = a.plan.contracts[i], &y = b.plan.contracts[i];
    differ += x.id != y.id || x.resident != y.resident || x.team != y.team || x.start != y.start ||
              x.terminated_on != y.terminated_on || x.packages != y.packages;
  }
  for (std::size_t i = 0; i < a.plan.services.size(); ++i) {
    const auto &x = a.plan.services[i], &y = b.plan.services[i];
    differ += x.contract != y.contract || x.staff != y.staff || x.kind != y.kind || x.on != y.on;
  }
  CHECK(differ == 0);
  CHECK(a.registry.services().back().hash == b.registry.services().back().hash);  // the whole chain agrees
  const auto x = sg::coverage(a.registry, D, sg::grouping::subdistrict),
             y = sg::coverage(b.registry, D, sg::grouping::subdistrict);
  REQUIRE(x.rows.size() == y.rows.size());
  for (std::size_t i = 0; i < x.rows.size(); ++i) {
    CHECK(x.rows[i].all.signed_count == y.rows[i].all.signed_count);
    CHECK(x.rows[i].key.signed_count == y.rows[i].key.signed_count);
  }
  const auto ra = sg::referrals(a.registry, 2017), rb = sg::referrals(b.registry, 2017);
  CHECK(ra.back().up == rb.back().up);
  CHECK(a.plan.surveys.size() == b.plan.surveys.size());
  CHECK(sg::verification_sample(a.registry, D, 50, 7) == sg::verification_sample(b.registry, D, 50, 7));

  const auto other = district::generate(district::default_seed + 1, n);
  CHECK(other.plan.residents.size() == n);
  CHECK((other.plan.contracts.size() != a.plan.contracts.size() ||
         other.registry.services().back().hash != a.registry.services().back().hash));
}

TEST_CASE("the workbook has the tables and the coverage chart") {
  const auto dir = scratch_dir();
  const std::string path = (dir / "signing.xlsx").string();
  auto by_sub = sg::coverage(reg(), D, sg::grouping::subdistrict);
  const auto tables = sg::signing_tables(reg(), D);
  sg::write_coverage_workbook(tables, by_sub, path);
  REQUIRE(fs::exists(path));
  CHECK(fs::file_size(path) > 10'000);
  std::ifstream f(path, std::ios::binary);
  const std::string bytes{std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
  REQUIRE(bytes.size() == fs::file_size(path));
  CHECK(bytes.compare(0, 4, std::string("PK\x03\x04", 4)) == 0);
  const auto names = zip_entries(bytes);
  const std::set<std::string> entries(names.begin(), names.end());
  CHECK(entries.count("xl/charts/chart1.xml") == 1);
  CHECK(entries.count("xl/charts/chart2.xml") == 0);  // one chart
  CHECK(entries.count("xl/drawings/drawing1.xml") == 1);
  // a sheet per table and the chart's sheet
  CHECK(entries.count("xl/worksheets/sheet" + std::to_string(tables.size() + 1) + ".xml") == 1);
  CHECK(entries.count("xl/worksheets/sheet" + std::to_string(tables.size() + 2) + ".xml") == 0);

  // Without rows there is no chart, and a path that cannot be written is an error naming it.
  by_sub.rows.clear();
  const std::string bare = (dir / "bare.xlsx").string();
  sg::write_coverage_workbook(tables, by_sub, bare);
  std::ifstream g(bare, std::ios::binary);
  const auto bare_names = zip_entries(std::string{std::istreambuf_iterator<char>(g), std::istreambuf_iterator<char>()});
  CHECK(std::count(bare_names.begin(), bare_names.end(), "xl/charts/chart1.xml") == 0);
  const std::string nowhere = (dir / "missing" / "x.xlsx").string();
  try {
    sg::write_coverage_workbook(tables, by_sub, nowhere);
    FAIL("no error for " << nowhere);
  } catch (const hotline::error& e) {
    CHECK(std::string(e.what()).find(nowhere) != std::string::npos);
  }
  fs::remove_all(dir);
}
