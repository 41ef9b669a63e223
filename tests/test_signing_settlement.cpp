// The signing fee against 002 §2.12-2.14 (穗医改办〔2017〕36号): the 80/20 split and its
// rounding (fees.hpp), apportioning that adds up, the monthly insurance lump for newly
// signed insured residents (§2.13 二), and the year-end settlement weighted by the
// assessment (§2.13 一 严禁未经考核打包支付, §2.16).  Expected figures are counted by hand
// from the region each case builds (the comments show the sums), never from the code
// under test; the random region is recounted through the registry's public API.
#include "hotline/signing/fees.hpp"
#include "hotline/signing/settlement.hpp"
#include "signing_test_support.hpp"

#include <cmath>
#include <limits>
#include <random>
#include <type_traits>

using namespace hotline;
using namespace hotline::signing;
using hotline::test::add_region;
using hotline::test::d;
using hotline::test::error_of;
using hotline::test::resident_at;
using hotline::test::signing_of;

namespace {
bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

static_assert(split_fee(12000, 0.8) == fee_split{9600, 2400});  // the arithmetic is constexpr
static_assert(std::is_trivially_copyable_v<fee_split>);

resident insured_at(std::string id, bool insured, std::string district = "越秀区") {
  auto r = resident_at(std::move(id), d(1960, 1, 1), district == "越秀区" ? "北京街" : "江南中街", district);
  r.insured = insured;
  return r;
}

sign_request with_packages(sign_request q, std::vector<std::string> packages) {
  q.packages = std::move(packages);
  return q;
}

/// A second team at 北京街 (add_region has one per institution), so that an institution
/// row has two team rows to add up.
void add_second_team(registry& r) {
  r.add_team({"T3", "YX-BJ", "陈医生团队"});
  r.add_staff({"D3", "陈医生", "YX-BJ", team_role::family_doctor});
  r.join_team("T3", "D3", team_role::family_doctor, d(2016, 1, 1));
}

/// The region of the hand-counted cases (add_region's packages: FREE 0; BASIC 12000 =
/// insurance 8000 + public health 2000 + resident 2000; PERS 30000 = insurance 10000 +
/// resident 20000).  越秀区 has set the team's share to 75 % (002 §2.14 各区可调整).
registry june_region() {
  auto pol = policy::guangzhou_2017();
  pol.team_share_by_district["越秀区"] = 0.75;
  registry r(pol);
  add_region(r);
  add_second_team(r);
  for (const char* id : {"R1", "R3", "R4", "R5", "R6", "R8", "R9"}) r.add_resident(insured_at(id, true));
  r.add_resident(insured_at("R2", false));
  r.add_resident(insured_at("R7", true, "海珠区"));
  r.sign(signing_of("R1", "T1", d(2017, 6, 5)));                                             // June, insured
  r.sign(signing_of("R2", "T1", d(2017, 6, 10)));                                            // June, uninsured
  r.sign(with_packages(signing_of("R3", "T3", d(2017, 6, 30)), {"FREE", "BASIC", "PERS"}));  // June, personalised
  const auto r4 = r.sign(signing_of("R4", "T2", d(2016, 6, 15)));
  r.renew(r4.id, 1);                                                        // June 2017: a renewal
  r.sign(signing_of("R5", "T1", d(2017, 7, 1)));                            // July
  r.sign(signing_of("R6", "T1", d(2017, 5, 31)));                           // May
  r.sign(with_packages(signing_of("R7", "T9", d(2017, 6, 1)), {"BASIC"}));  // June, 海珠
  const auto r8 = r.sign(signing_of("R8", "T2", d(2017, 6, 20)));           // June, ended in August
  r.terminate(r8.id, d(2017, 8, 1), termination_reason::moved_away);
  const auto r9 = r.sign(signing_of("R9", "T3", d(2016, 7, 1)));
  r.renew(r9.id, 1);                                                        // would begin 2017-07-01, but ...
  r.terminate(r9.id, d(2017, 3, 1), termination_reason::resident_request);  // ... cancelled before it began
  return r;
}

const monthly_row& row_of(const monthly_statement& s, const std::string& institution, const std::string& team = {}) {
  for (const auto& row : s.rows)
    if (row.who.institution == institution && row.who.team == team) return row;
  FAIL("no row " << institution << " / " << team);
  return s.total;
}
const year_end_row& row_of(const year_end_statement& s, const std::string& institution, const std::string& team = {}) {
  for (const auto& row : s.rows)
    if (row.who.institution == institution && row.who.team == team) return row;
  FAIL("no row " << institution << " / " << team);
  return s.total;
}

/// Every team row adds up to its institution row and the institution rows to the total,
/// in every column given, exactly.
template <class Row, class Statement>
void check_adds_up(const Statement& s, std::initializer_list<std::int64_t Row::*> columns) {
  Row institutions_sum{};
  std::size_t k = 0;
  while (k < s.rows.size()) {
    const Row& inst = s.rows[k];
    REQUIRE(inst.who.level == statement_level::institution);
    Row teams_sum{};
    std::size_t teams = 0;
    for (++k; k < s.rows.size() && s.rows[k].who.level == statement_level::team; ++k, ++teams) {
      CHECK(s.rows[k].who.institution == inst.who.institution);
      for (auto c : columns) teams_sum.*c += s.rows[k].*c;
    }
    CHECK(teams >= 1);
    for (auto c : columns) {
      CHECK_MESSAGE(teams_sum.*c == inst.*c, inst.who.institution);
      institutions_sum.*c += inst.*c;
    }
  }
  CHECK(s.total.who.level == statement_level::total);
  for (auto c : columns) CHECK(institutions_sum.*c == s.total.*c);
}

void check_adds_up(const monthly_statement& s) {
  check_adds_up<monthly_row>(s, {&monthly_row::signings, &monthly_row::renewals, &monthly_row::later_years,
                                 &monthly_row::insured, &monthly_row::uninsured, &monthly_row::insurance_fen});
  for (const auto& row : s.rows) CHECK(row.insured + row.uninsured == row.signings);
}

void check_adds_up(const year_end_statement& s) {
  check_adds_up<year_end_row>(
      s, {&year_end_row::signings, &year_end_row::insured, &year_end_row::fee_fen, &year_end_row::insurance_fen,
          &year_end_row::insurance_pooling_fen, &year_end_row::public_health_fen, &year_end_row::resident_fen,
          &year_end_row::uninsured_gap_fen, &year_end_row::insurance_due_fen, &year_end_row::public_health_due_fen,
          &year_end_row::paid_monthly_fen, &year_end_row::insurance_balance_fen, &year_end_row::balance_fen,
          &year_end_row::distributed_fen, &year_end_row::team_share_fen, &year_end_row::institution_share_fen});
  auto rows = s.rows;
  rows.push_back(s.total);
  for (const auto& row : rows) {
    CHECK(row.fee_fen == row.insurance_fen + row.insurance_pooling_fen + row.public_health_fen + row.resident_fen +
                             row.uninsured_gap_fen);
    CHECK(row.distributed_fen == row.insurance_due_fen + row.public_health_due_fen + row.resident_fen);
    CHECK(row.distributed_fen == row.team_share_fen + row.institution_share_fen);
    CHECK(row.insurance_balance_fen == row.insurance_due_fen - row.paid_monthly_fen);
    CHECK(row.balance_fen == row.insurance_balance_fen + row.public_health_due_fen);
  }
}

std::string month_name(int y, int m) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04d-%02d", y, m);
  return buf;
}
}  // namespace

// ---- fees.hpp ---------------------------------------------------------------------------

TEST_CASE("002 §2.14: 80 % to the team, 20 % to the institution, rounded to the fen, adding up") {
  CHECK(split_fee(12000, 0.8) == fee_split{9600, 2400});
  CHECK(split_fee(12001, 0.8) == fee_split{9601, 2400});  // 9600.8 -> 9601
  CHECK(split_fee(12003, 0.8) == fee_split{9602, 2401});  // 9602.4 -> 9602
  CHECK(split_fee(15, 0.5) == fee_split{8, 7});           // a half fen goes away from zero, to the team
  CHECK(split_fee(-15, 0.5) == fee_split{-8, -7});        // a claw-back mirrors it
  CHECK(split_fee(1, 0.8) == fee_split{1, 0});
  CHECK(split_fee(50, 0.29) == fee_split{15, 35});  // 14.5 exactly; a double product gives 14.4999... -> 14
  CHECK(rounded_share(100, 0.29) == 29);
  CHECK(split_fee(12345, 0.0) == fee_split{0, 12345});
  CHECK(split_fee(12345, 1.0) == fee_split{12345, 0});
  CHECK(split_fee(0, 0.8) == fee_split{0, 0});
  CHECK(contains(error_of([] { (void)split_fee(100, 1.2); }), "split_fee: share 1.2 is outside 0-1"));
  CHECK(contains(error_of([] { (void)split_fee(100, -0.1); }), "outside 0-1"));
  CHECK(contains(error_of([] { (void)split_fee(100, std::numeric_limits<double>::quiet_NaN()); }), "outside 0-1"));

  std::mt19937_64 rng(20170601);
  std::uniform_int_distribution<std::int64_t> fee(-2'000'000'000'000, 2'000'000'000'000);
  std::uniform_int_distribution<int> permille(0, 1000);
  for (int i = 0; i < 1000; ++i) {
    const std::int64_t f = fee(rng);
    const double s = permille(rng) / 1000.0;
    const auto x = split_fee(f, s);
    CHECK(x.team + x.institution == f);
    // |team - fee × share| <= half a fen, checked exactly: share = m / 1000.
    const std::int64_t m = std::llround(s * 1000);
    const std::int64_t exact_thousandths = f / 1000 * m * 1000 + (f % 1000) * m;  // f × m, f = 1000q + r
    CHECK(std::llabs(x.team * 1000 - exact_thousandths) <= 500);
  }
}

TEST_CASE("002 §2.14 各区可适当调整分配比例: a district's share, personalised packages by policy") {
  auto p = policy::guangzhou_2017();
  p.team_share_by_district["越秀区"] = 0.75;
  CHECK(split_fee(12000, p.team_share_in("越秀区", package_tier::basic)) == fee_split{9000, 3000});
  CHECK(split_fee(12000, p.team_share_in("越秀区", package_tier::free_package)) == fee_split{9000, 3000});
  CHECK(split_fee(12000, p.team_share_in("海珠区", package_tier::basic)) == fee_split{9600, 2400});
  CHECK(split_fee(30000, p.team_share_in("越秀区", package_tier::personalised)) == fee_split{22500, 7500});
  p.personalised_team_share = 0.6;
  CHECK(split_fee(30000, p.team_share_in("越秀区", package_tier::personalised)) == fee_split{18000, 12000});
  CHECK(split_fee(12001, p.team_share_in("越秀区", package_tier::basic)) == fee_split{9001, 3000});  // 9000.75
}

TEST_CASE("apportion: largest remainder, parts add up exactly (1000 random cases)") {
  CHECK(apportion(100, std::vector<std::int64_t>{1, 1, 1}) == std::vector<std::int64_t>{34, 33, 33});
  CHECK(apportion(-100, std::vector<std::int64_t>{1, 1, 1}) == std::vector<std::int64_t>{-34, -33, -33});
  CHECK(apportion(10, std::vector<std::int64_t>{1, 0, 2}) == std::vector<std::int64_t>{3, 0, 7});  // 3.33, 6.67
  CHECK(apportion(27939, std::vector<std::int64_t>{24000, 8000}) == std::vector<std::int64_t>{20954, 6985});
  CHECK(apportion(0, std::vector<std::int64_t>{0, 0}) == std::vector<std::int64_t>{0, 0});
  CHECK(apportion(0, std::vector<std::int64_t>{}).empty());
  CHECK(contains(error_of([] { (void)apportion(5, std::vector<std::int64_t>{0, 0}); }), "all 0"));
  CHECK(contains(error_of([] { (void)apportion(5, std::vector<std::int64_t>{3, -1}); }), "weight 1 is negative"));
  // large amounts (a city's year in fen) do not overflow
  const std::int64_t big = 120'000'000'000;
  const auto parts = apportion(big - 1, std::vector<std::int64_t>{big, big / 3, 7});
  CHECK(parts[0] + parts[1] + parts[2] == big - 1);

  std::mt19937_64 rng(12320);
  std::uniform_int_distribution<int> count(1, 12);
  std::uniform_int_distribution<std::int64_t> weight(0, 1'000'000), total(-1'000'000, 1'000'000);
  std::bernoulli_distribution zero(0.2);
  for (int i = 0; i < 1000; ++i) {
    std::vector<std::int64_t> w(static_cast<std::size_t>(count(rng)));
    std::int64_t sum_w = 0;
    for (auto& x : w) sum_w += (x = zero(rng) ? 0 : weight(rng));
    if (sum_w == 0) w[0] = sum_w = 1;
    const std::int64_t t = total(rng);
    const auto p = apportion(t, w);
    REQUIRE(p.size() == w.size());
    std::int64_t sum_p = 0;
    for (std::size_t k = 0; k < w.size(); ++k) {
      sum_p += p[k];
      // each part is its exact quota |t| × w / Σw rounded down or up (fits in int64 here)
      const std::int64_t floor_q = std::llabs(t) * w[k] / sum_w;
      const bool exact = std::llabs(t) * w[k] % sum_w == 0;
      const std::int64_t got = std::llabs(p[k]);
      CHECK((got == floor_q || (!exact && got == floor_q + 1)));
      if (w[k] == 0) CHECK(p[k] == 0);
      if (t != 0 && p[k] != 0) CHECK((p[k] < 0) == (t < 0));
    }
    CHECK_MESSAGE(sum_p == t, "case " << i);
  }
}

// ---- the monthly lump ---------------------------------------------------------------------

TEST_CASE("002 §2.13 二: June 2017's insurance lump, counted by hand") {
  const auto r = june_region();
  const auto s = monthly_insurance_settlement(r, "2017-06");
  CHECK(s.first == d(2017, 6, 1));
  CHECK(s.end == d(2017, 7, 1));
  // YX-BJ: T1 R1 (insured, BASIC 8000) + R2 (uninsured, 0); T3 R3 (insured, BASIC 8000; PERS's 10000 is
  // outpatient pooling, 002 §2.12).  R6 (May 31), R5 (July 1) and R9's cancelled renewal are not June's.
  const auto& t1 = row_of(s, "YX-BJ", "T1");
  CHECK(t1.signings == 2);
  CHECK(t1.insured == 1);
  CHECK(t1.uninsured == 1);
  CHECK(t1.renewals == 0);
  CHECK(t1.insurance_fen == 8000);
  CHECK(t1.who.team_name == "王医生团队");
  CHECK(t1.who.institution_name == "北京街社区卫生服务中心");
  const auto& t3 = row_of(s, "YX-BJ", "T3");
  CHECK(t3.signings == 1);
  CHECK(t3.insurance_fen == 8000);
  const auto& bj = row_of(s, "YX-BJ");
  CHECK(bj.who.level == statement_level::institution);
  CHECK(bj.signings == 3);
  CHECK(bj.insured == 2);
  CHECK(bj.insurance_fen == 16000);
  // YX-DS: T2 R4's renewal of 2017-06-15 (a new year's signing) + R8 (terminated in August: the
  // year had begun) = 2 × 8000.
  const auto& t2 = row_of(s, "YX-DS", "T2");
  CHECK(t2.signings == 2);
  CHECK(t2.renewals == 1);
  CHECK(t2.insured == 2);
  CHECK(t2.insurance_fen == 16000);
  // HZ-01: T9 R7, BASIC only.
  CHECK(row_of(s, "HZ-01", "T9").insurance_fen == 8000);
  // institutions by code, each followed by its teams
  REQUIRE(s.rows.size() == 7);
  CHECK(s.rows[0].who.institution == "HZ-01");
  CHECK(s.rows[1].who.team == "T9");
  CHECK(s.rows[2].who.institution == "YX-BJ");
  CHECK(s.rows[3].who.team == "T1");
  CHECK(s.rows[4].who.team == "T3");
  CHECK(s.rows[5].who.level == statement_level::institution);
  CHECK(s.rows[6].who.team == "T2");
  CHECK(s.total.signings == 6);
  CHECK(s.total.renewals == 1);
  CHECK(s.total.insured == 5);
  CHECK(s.total.uninsured == 1);
  CHECK(s.total.insurance_fen == 40000);
  check_adds_up(s);

  // July: R5 (8000); R9's renewal was cancelled before it began, so it owes nothing.
  const auto july = monthly_insurance_settlement(r, "2017-07");
  CHECK(july.total.signings == 1);
  CHECK(july.total.insurance_fen == 8000);
  CHECK(monthly_insurance_settlement(r, "2017-05").total.insurance_fen == 8000);  // R6 on 31 May
  CHECK(monthly_insurance_settlement(r, "2017-01").rows.empty());

  const auto t = monthly_settlement_table(s);
  CHECK(t.title == "医保签约服务费月度结算表（2017-06）");
  REQUIRE(t.rows.size() == 8);
  CHECK(std::get<std::string>(t.rows.back()[0]) == "合计");
  CHECK(std::get<double>(t.rows.back()[9]) == 40000.0);  // fen
  CHECK(std::get<double>(t.rows.back()[10]) == 400.0);   // yuan
  CHECK(std::get<std::string>(t.rows[2][3]) == "机构小计");
  CHECK(contains(t.notes[0], "§2.13 二"));
  CHECK(contains(t.notes[2], "§2.12"));
}

TEST_CASE("a month is YYYY-MM") {
  registry r;
  for (const char* bad : {"2017-6", "2017-13", "2017-00", "June", "2017/06", "17-06"})
    CHECK(contains(error_of([&] { (void)monthly_insurance_settlement(r, bad); }), "month '" + std::string(bad) + "'"));
}

TEST_CASE("003 §2.1.5 multi-year terms: each year of the term is a fee year on its anniversary") {
  registry r(policy::guangxi_2023());
  add_region(r);
  r.add_resident(insured_at("A", true));
  r.add_resident(insured_at("B", true));
  r.sign(signing_of("A", "T1", d(2023, 3, 1), 3));                  // years begin 2023-03-01, 2024-03-01, 2025-03-01
  const auto b = r.sign(signing_of("B", "T1", d(2024, 2, 29), 3));  // 2024-02-29, 2025-03-01, 2026-03-01
  r.terminate(b.id, d(2025, 6, 1), termination_reason::death);      // the 2026 year never begins
  const auto lump = [&](const char* m) { return monthly_insurance_settlement(r, m).total; };
  CHECK(lump("2023-03").signings == 1);
  CHECK(lump("2023-03").later_years == 0);
  CHECK(lump("2024-02").signings == 1);     // B's first year
  CHECK(lump("2024-03").later_years == 1);  // A's second year
  CHECK(lump("2025-02").signings == 0);
  CHECK(lump("2025-03").signings == 2);  // A's third, B's second (28 February has no 29th)
  CHECK(lump("2025-03").insurance_fen == 16000);
  CHECK(lump("2026-03").signings == 0);  // A's term is over; B was terminated
}

// ---- the year-end settlement ---------------------------------------------------------------

TEST_CASE("002 §2.13-2.14: the 2017 year-end settlement, weighted by the assessment, counted by hand") {
  const auto r = june_region();
  const std::map<std::string, double> factor{{"YX-BJ", 0.87305}, {"YX-DS", 0.85}, {"HZ-01", 1.0}, {"ELSEWHERE", 0.5}};
  const auto s = year_end_settlement(r, 2017, factor);
  CHECK(s.year == 2017);
  // T1: R1, R2 (uninsured), R5, R6; FREE + BASIC each.
  const auto& t1 = row_of(s, "YX-BJ", "T1");
  CHECK(t1.signings == 4);
  CHECK(t1.insured == 3);
  CHECK(t1.fee_fen == 48000);           // 4 × 12000
  CHECK(t1.insurance_fen == 24000);     // 3 insured × 8000
  CHECK(t1.uninsured_gap_fen == 8000);  // R2's insurance share has no payer
  CHECK(t1.public_health_fen == 8000);  // 4 × 2000
  CHECK(t1.resident_fen == 8000);       // 4 × 2000
  CHECK(t1.paid_monthly_fen == 24000);  // May, June, July lumps
  // T3: R3 with FREE + BASIC + PERS (R9's renewal never began).
  const auto& t3 = row_of(s, "YX-BJ", "T3");
  CHECK(t3.signings == 1);
  CHECK(t3.fee_fen == 42000);
  CHECK(t3.insurance_fen == 8000);
  CHECK(t3.insurance_pooling_fen == 10000);
  CHECK(t3.public_health_fen == 2000);
  CHECK(t3.resident_fen == 22000);
  // YX-BJ × 0.87305: insurance (24000 + 8000) × 0.87305 = 27937.6 -> 27938 (rounding each team,
  // 20953.2 -> 20953 and 6984.4 -> 6984, would lose a fen), apportioned 3:1 as 20953.5 / 6984.5 ->
  // 20954 / 6984 (equal remainders: the left-over fen to the first team, by code);
  // public health (8000 + 2000) × 0.87305 = 8730.5 -> 8731 -> 6984.8 / 1746.2 -> 6985 / 1746.
  CHECK(t1.insurance_due_fen == 20954);
  CHECK(t3.insurance_due_fen == 6984);
  CHECK(t1.public_health_due_fen == 6985);
  CHECK(t3.public_health_due_fen == 1746);
  CHECK(t1.insurance_balance_fen == 20954 - 24000);
  CHECK(t1.balance_fen == 20954 - 24000 + 6985);
  const auto& bj = row_of(s, "YX-BJ");
  CHECK(bj.factor == 0.87305);
  CHECK(bj.insurance_due_fen == 27938);
  CHECK(bj.public_health_due_fen == 8731);
  CHECK(bj.paid_monthly_fen == 32000);
  CHECK(bj.insurance_balance_fen == -4062);
  CHECK(bj.balance_fen == 4669);
  // Distribution at 越秀区's 75 %: T1 basic 20954 + 6985 + 8000 = 35939 -> 26954.25 -> 26954 / 8985;
  // T3 basic 6984 + 1746 + 2000 = 10730 -> 8047.5 -> 8048 / 2682, personalised resident 20000 -> 15000 / 5000.
  CHECK(t1.distributed_fen == 35939);
  CHECK(t1.team_share_fen == 26954);
  CHECK(t1.institution_share_fen == 8985);
  CHECK(t3.distributed_fen == 30730);
  CHECK(t3.team_share_fen == 23048);
  CHECK(t3.institution_share_fen == 7682);
  // YX-DS × 0.85: T2 R4's renewal and R8: insurance 16000 -> 13600, public health 4000 -> 3400,
  // paid 16000; 13600 + 3400 + 4000 = 21000 -> 15750 / 5250.
  const auto& t2 = row_of(s, "YX-DS", "T2");
  CHECK(t2.signings == 2);
  CHECK(t2.insurance_due_fen == 13600);
  CHECK(t2.public_health_due_fen == 3400);
  CHECK(t2.insurance_balance_fen == -2400);
  CHECK(t2.balance_fen == 1000);
  CHECK(t2.team_share_fen == 15750);
  CHECK(t2.institution_share_fen == 5250);
  // HZ-01 × 1.0 at the default 80 %: 8000 + 2000 + 2000 = 12000 -> 9600 / 2400; nothing left to pay
  // insurance, public health 2000 still owed.
  const auto& t9 = row_of(s, "HZ-01", "T9");
  CHECK(t9.insurance_balance_fen == 0);
  CHECK(t9.balance_fen == 2000);
  CHECK(t9.team_share_fen == 9600);
  CHECK(t9.institution_share_fen == 2400);
  CHECK(s.total.signings == 8);
  CHECK(s.total.fee_fen == 126000);
  CHECK(s.total.balance_fen == 4669 + 1000 + 2000);
  CHECK(s.team_share_by_district.at("越秀区") == 0.75);
  CHECK(s.team_share_by_district.at("海珠区") == 0.8);
  check_adds_up(s);

  // the lumps already paid are the twelve monthly statements
  std::int64_t months = 0;
  for (int m = 1; m <= 12; ++m) months += monthly_insurance_settlement(r, month_name(2017, m)).total.insurance_fen;
  CHECK(months == s.total.paid_monthly_fen);

  const auto t = year_end_settlement_table(s);
  CHECK(t.title == "家庭医生签约服务费年终结算表（2017年）");
  REQUIRE(t.rows.size() == s.rows.size() + 1);
  CHECK(t.percent_columns == std::vector<std::size_t>{4});
  CHECK(std::get<double>(t.rows.back()[7]) == 1260.0);  // yuan
  CHECK(std::get<std::string>(t.rows.back()[4]).empty());
  std::string notes;
  for (const auto& n : t.notes) notes += n + "\n";
  CHECK(contains(notes, "严禁未经考核打包支付"));
  CHECK(contains(notes, "§2.16"));
  CHECK(contains(notes, "越秀区 团队 75%"));
}

TEST_CASE("严禁未经考核打包支付: no settlement without every institution's assessment factor") {
  const auto r = june_region();
  auto e = error_of([&] { (void)year_end_settlement(r, 2017, {{"YX-BJ", 0.9}, {"HZ-01", 1.0}}); });
  CHECK(contains(e, "institution 'YX-DS'"));
  CHECK(contains(e, "no assessment factor"));
  CHECK(contains(e, "严禁未经考核打包支付"));
  e = error_of([&] { (void)year_end_settlement(r, 2017, {{"YX-BJ", 1.2}, {"YX-DS", 0.9}, {"HZ-01", 1.0}}); });
  CHECK(contains(e, "institution 'YX-BJ' has assessment factor 1.2, outside 0-1"));
  e = error_of([&] {
    (void)year_end_settlement(r, 2017,
                              {{"YX-BJ", 0.9}, {"YX-DS", std::numeric_limits<double>::quiet_NaN()}, {"HZ-01", 1.0}});
  });
  CHECK(contains(e, "institution 'YX-DS'"));
  // a year without fee years needs no factor
  CHECK(year_end_settlement(r, 2015, {}).rows.empty());
  // factor 0: nothing from the funds; the monthly lumps all come back
  const auto zero = year_end_settlement(r, 2017, {{"YX-BJ", 0.0}, {"YX-DS", 0.0}, {"HZ-01", 0.0}});
  CHECK(zero.total.insurance_due_fen == 0);
  CHECK(zero.total.insurance_balance_fen == -zero.total.paid_monthly_fen);
  check_adds_up(zero);
}

TEST_CASE("statements add up for a random region (recounted through the public API)") {
  auto pol = policy::guangzhou_2017();
  pol.team_share_by_district["越秀区"] = 0.77;
  pol.personalised_team_share = 0.61;
  registry r(pol);
  add_region(r);
  add_second_team(r);
  r.add_team({"T4", "YX-DS", "周医生团队"});
  r.add_staff({"D4", "周医生", "YX-DS", team_role::family_doctor});
  r.join_team("T4", "D4", team_role::family_doctor, d(2016, 1, 1));
  r.add_package({"BASIC2", "基本服务包（慢病）", package_tier::basic, {"随访"}, 15001, 9001, 3333, 2667});
  r.add_package({"PERS2", "个性化服务包（康复）", package_tier::personalised, {"康复"}, 18003, 6001, 1001, 11001});

  std::mt19937_64 rng(36);
  const std::vector<std::string> teams{"T1", "T2", "T3", "T4"};
  const std::vector<std::vector<std::string>> sets{{"FREE", "BASIC"},   {"FREE", "BASIC2"}, {"FREE", "BASIC", "PERS"},
                                                   {"BASIC2", "PERS2"}, {"FREE"},           {"PERS2"}};
  for (int i = 0; i < 400; ++i) {
    const std::string id = "P" + std::to_string(i);
    r.add_resident(insured_at(id, std::bernoulli_distribution(0.8)(rng)));
    if (std::bernoulli_distribution(0.1)(rng)) continue;  // not signed
    const auto start = d(2017, 1, 1) + date::days{std::uniform_int_distribution<int>(0, 364)(rng)};
    const auto c = r.sign(with_packages(signing_of(id, teams[rng() % teams.size()], start), sets[rng() % sets.size()]));
    if (std::bernoulli_distribution(0.3)(rng)) r.renew(c.id, 1, teams[rng() % teams.size()]);
    if (std::bernoulli_distribution(0.1)(rng))
      r.terminate(c.id, start + date::days{std::uniform_int_distribution<int>(1, 300)(rng)},
                  termination_reason::resident_request);
  }
  // a 2018 institution row needs its factor: odd factors make rounding and apportioning work
  const std::map<std::string, double> factor{{"YX-BJ", 0.8737}, {"YX-DS", 0.9149}, {"HZ-01", 0.5}};

  // Recount through the public API: contracts by id, residents' insurance, the package table.
  std::map<std::string, std::int64_t> basic_insurance{{"BASIC", 8000}, {"BASIC2", 9001}};
  for (int year : {2017, 2018}) {
    const auto y = year_end_settlement(r, year, factor);
    check_adds_up(y);
    // insurance is in the basic tier only here (FREE's share is 0): the institution's due is its
    // own base weighted and rounded once, however many teams share it
    for (const auto& row : y.rows)
      if (row.who.level == statement_level::institution)
        CHECK(row.insurance_due_fen == rounded_share(row.insurance_fen, factor.at(row.who.institution)));
    std::int64_t signings = 0, lumps = 0;
    for (std::size_t k = 1; k <= r.contract_count(); ++k) {
      char id[16];
      std::snprintf(id, sizeof id, "C%07zu", k);
      const auto c = r.find_contract(id);
      const bool began = c.start < c.valid_until();
      if (!began || date::year_month_day{c.start}.year() != date::year{year}) continue;
      ++signings;
      if (!r.find_resident(c.resident).insured) continue;
      for (const auto& pk : c.packages)
        if (basic_insurance.contains(pk)) lumps += basic_insurance[pk];
    }
    CHECK(y.total.signings == signings);
    CHECK(y.total.paid_monthly_fen == lumps);
    std::int64_t months = 0;
    for (int m = 1; m <= 12; ++m) {
      const auto s = monthly_insurance_settlement(r, month_name(year, m));
      check_adds_up(s);
      months += s.total.insurance_fen;
    }
    CHECK(months == lumps);
  }
}
