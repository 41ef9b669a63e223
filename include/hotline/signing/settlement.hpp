// hotline/signing/settlement.hpp: paying the signing fee, month by month and at year end.
//
// Two statements, per institution and per family-doctor team, computed from the
// registry (registry.hpp) with the fee arithmetic of fees.hpp, as plain rows (exact
// fen, for Python and tests) and as report tables (yuan, for text, CSV and XLSX):
//
//   auto june = hotline::signing::monthly_insurance_settlement(reg, "2017-06");
//   june.total.insurance_fen;               // what insurance pays in one lump for June
//   std::map<std::string, double> factor{{"YX-BJ", 0.92}, {"YX-DS", 0.85}};  // score / 100
//   auto y = hotline::signing::year_end_settlement(reg, 2017, factor);
//   y.total.balance_fen;                    // still to pay (negative: to claw back)
//   hotline::write_xlsx({monthly_settlement_table(june), year_end_settlement_table(y)}, "fees.xlsx");
//
// The rules, spelled out once (seed 002 is 穗医改办〔2017〕36号):
//  * Fee years.  The fee is charged by the year (002 §2.12 按年收取签约服务费): a
//    contract owes one annual fee for each year of its term that begins while it is
//    valid.  Year 1 begins on the start day, year k+1 on term_end(start, k)
//    (policy.hpp).  A renewal is a new contract and so a new year's signing: its own
//    year 1 begins the day the renewed contract ends (002 §2.2 期满后可续约).  The later
//    years of a 1-3 year term (003 §2.1.5) are counted on their anniversaries like
//    renewals; the seeds say nothing about them and this is the library's reading
//    (with Guangzhou's 1-year terms there are none).  A year that has begun is owed
//    whole: a termination does not pro-rate it (the seeds have no refund rule); a
//    renewal terminated before it began (valid on no day) owes nothing.
//  * A fee year belongs to the month, and the year, in which it begins, and to the
//    contract's team and the team's institution.
//  * The monthly insurance lump (002 §2.13 二): 医保经办机构对于每月新增的参保居民签约数
//    一次性支付基本服务包年签约服务费.  For every fee year beginning in the month of a
//    resident registered as insured (resident::insured), insurance pays the
//    insurance share (package::insurance_fen) of the contract's basic-tier packages,
//    at once and for the whole year.  Not in the lump: uninsured residents (insurance
//    pays nothing for them; their personal part is paid by bank debit or in cash,
//    002 §2.13 三), free packages' insurance share (settled at year end), and
//    personalised packages' insurance share, which is paid as ordinary outpatient
//    pooling for the services given (002 §2.12 个性化服务项目 ... 属于医疗保险普通门诊
//    统筹政策范围内的，按规定由医疗保险基金和参保人个人承担), never as a signing fee.
//  * Insured status is the resident's as registered now: the registry keeps no
//    history of it, so a statement rerun after a change of status differs.
//  * Year-end settlement (002 §2.13 一、二; §2.16 考核结果与医保支付、基本公共卫生服务
//    经费拨付挂钩): the fee years beginning in the year, their fees by payer, then what
//    the two funds owe after the assessment:
//      insurance due     = insurance share of free and basic packages of insured
//                          residents × the institution's assessment factor;
//      public health due = public-health share of every package × the factor.
//    Each is rounded (fees.hpp rounded_share) per institution and package tier,
//    then apportioned over the institution's teams by their unweighted amounts
//    (fees.hpp apportion), so that team rows add up to the institution row exactly.
//    Insurance has already paid the monthly lumps of the year (the sum of the twelve
//    monthly statements); its balance is due − paid and may be negative (money
//    recovered).  Public-health funds have paid nothing before the assessment
//    (严禁未经考核打包支付), so all their due is owed at year end.  balance = the
//    insurance balance + the public-health due.
//  * The assessment factor is given per institution code, in [0, 1] (e.g. the
//    assessment score / 100, from the district's assessment under 002 §2.16).  An
//    institution with fee years in the year and no factor, or any factor outside
//    [0, 1], is an invalid_argument_error naming the institution: nothing is
//    settled without an assessment (002 §2.13 严禁未经考核打包支付).  Codes of
//    institutions not in the registry are ignored (a city-wide map may be given).
//  * The resident's part is paid in full (from the insurance personal account, or by
//    bank or in cash, 002 §2.13 三) and is not weighted.  The insurance share of an
//    uninsured resident has no payer and is shown as such (uninsured_gap_fen).
//  * Distribution (002 §2.14): what the institution receives for a team's fee years
//    in a tier (insurance due + public-health due + the resident's part) is split
//    with split_fee at policy.team_share_in(the institution's district, tier): by
//    default 80 % to the team, 20 % to the institution, for every tier unless the
//    policy sets personalised_team_share.  The institution row is the sum of its
//    team rows.  Personalised packages' outpatient-pooling money is not in the base.
//  * Rows: for each institution with a fee year in the period, by code, its row
//    (level institution) and then its teams' rows (level team), by code; the total
//    (level total) is kept apart and printed last.  In every count and money
//    column, team rows add up to their institution row and institution rows to the
//    total, exactly, in fen.  Within a row:
//      fee = insurance + insurance_pooling + public_health + resident + uninsured_gap;
//      distributed = insurance_due + public_health_due + resident = team_share + institution_share.
#pragma once

#include "hotline/report_table.hpp"
#include "hotline/signing/fees.hpp"
#include "hotline/signing/registry.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hotline::signing {

enum class statement_level : std::uint8_t { team, institution, total };

/// Who a statement row is about: a team, an institution (team empty) or everyone (both empty).
struct statement_line {
  statement_level level = statement_level::team;
  std::string institution, institution_name;
  std::string team, team_name;
};

/// One row of the monthly insurance lump (002 §2.13 二).
struct monthly_row {
  statement_line who;
  std::int64_t signings = 0;                ///< fee years beginning in the month (new contracts, renewals, later years)
  std::int64_t renewals = 0;                ///< of which the first year of a renewal
  std::int64_t later_years = 0;             ///< of which the second or later year of a multi-year term
  std::int64_t insured = 0, uninsured = 0;  ///< signings split by the resident's insurance
  std::int64_t insurance_fen = 0;           ///< the lump: basic packages' insurance share, insured residents
};

struct monthly_statement {
  std::string month;              ///< "2017-06"
  day first{}, end{};             ///< the fee years beginning on first .. end - 1
  std::vector<monthly_row> rows;  ///< institution, its teams, next institution ...
  monthly_row total;
};

/// The insurance lump for the fee years beginning in `month` ("YYYY-MM"; anything else
/// is an invalid_argument_error naming the text).
monthly_statement monthly_insurance_settlement(const registry& r, std::string month);
/// 医保签约服务费月度结算表: codes, names, counts, the lump in fen and in yuan.
report_table monthly_settlement_table(const monthly_statement& s);

/// One row of the year-end settlement (002 §2.13, §2.14).  Money in fen.
struct year_end_row {
  statement_line who;
  std::optional<double> factor;  ///< the institution's assessment factor; none on the total row
  std::int64_t signings = 0, insured = 0;
  // the fees of the year, by payer
  std::int64_t fee_fen = 0;                ///< 年签约服务费, every package
  std::int64_t insurance_fen = 0;          ///< 医保基金: free and basic packages, insured residents
  std::int64_t insurance_pooling_fen = 0;  ///< personalised packages' insurance share: outpatient pooling, not here
  std::int64_t public_health_fen = 0;      ///< 基本公共卫生服务经费, every package and resident
  std::int64_t resident_fen = 0;           ///< 个人自付
  std::int64_t uninsured_gap_fen = 0;      ///< insurance share of uninsured residents: no payer
  // the settlement
  std::int64_t insurance_due_fen = 0;      ///< insurance_fen weighted by the factor
  std::int64_t public_health_due_fen = 0;  ///< public_health_fen weighted by the factor
  std::int64_t paid_monthly_fen = 0;       ///< the monthly lumps of the year
  std::int64_t insurance_balance_fen = 0;  ///< insurance_due - paid_monthly (negative: recovered)
  std::int64_t balance_fen = 0;            ///< insurance_balance + public_health_due
  // the distribution (002 §2.14)
  std::int64_t distributed_fen = 0;  ///< insurance_due + public_health_due + resident
  std::int64_t team_share_fen = 0, institution_share_fen = 0;
};

struct year_end_statement {
  int year = 0;
  std::map<std::string, double> team_share_by_district;  ///< the free and basic packages' team share used
  std::optional<double> personalised_team_share;         ///< when the policy sets one
  std::vector<year_end_row> rows;                        ///< institution, its teams, next institution ...
  year_end_row total;
};

/// The year-end settlement of `year`, weighted by each institution's assessment factor
/// (institution code -> factor in [0, 1]); see the top for the rules and the errors.
year_end_statement year_end_settlement(const registry& r, int year,
                                       const std::map<std::string, double>& assessment_factor);
/// 家庭医生签约服务费年终结算表: fees by payer, dues after assessment, balance, distribution (yuan).
report_table year_end_settlement_table(const year_end_statement& s);

}  // namespace hotline::signing
