// The signing-fee settlements (settlement.hpp): the monthly insurance lump and the
// year-end settlement, read from the registry's columns (registry_impl.hpp) in one
// pass over the contracts; the money arithmetic is fees.hpp's.
#include "hotline/signing/settlement.hpp"

#include "registry_impl.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>

namespace hotline::signing {

namespace {

constexpr std::size_t tiers = 3;  // package_tier: free_package, basic, personalised
constexpr auto tier_index(package_tier t) { return static_cast<std::size_t>(t); }

/// What one team's fee years in a period add up to.
struct team_sums {
  bool any = false;
  std::int64_t signings = 0, renewals = 0, later_years = 0, insured = 0, uninsured = 0;
  std::int64_t lump = 0;  // basic packages' insurance share, insured residents (002 §2.13 二)
  std::array<std::int64_t, tiers> fee{}, insurance{}, public_health{}, resident{}, gap{};
};

/// Calls f(contract, k) for every fee year k (0: the first) beginning on a day in [from, to).
template <class F>
void for_each_fee_year(const registry::impl& p, std::int32_t from, std::int32_t to, F&& f) {
  const auto n = static_cast<std::uint32_t>(p.c_resident.size());
  for (std::uint32_t c = 0; c < n; ++c) {
    const std::int32_t s = p.c_start[c], e = p.c_end[c];
    if (s >= to || e <= from) continue;
    const std::int32_t valid_until = std::min(e, p.c_until[c]);  // a year begun after termination is not owed
    if (s >= from && s < valid_until) f(c, 0);
    if (e - s <= 366) continue;  // a 1-year term has no later year
    const day start = from_day_number(s);
    for (int k = 1;; ++k) {
      const std::int32_t a = day_number(term_end(start, k));
      if (a >= valid_until || a >= to) break;
      if (a >= from) f(c, k);
    }
  }
}

/// Adds up the fee years beginning in [from, to) per team.
std::vector<team_sums> sum_by_team(const registry::impl& p, std::int32_t from, std::int32_t to) {
  std::vector<team_sums> out(p.teams.size());
  for_each_fee_year(p, from, to, [&](std::uint32_t c, int k) {
    auto& t = out[p.c_team[c]];
    const bool insured = p.r_insured[p.c_resident[c]] != 0;
    t.any = true;
    ++t.signings;
    if (k == 0 && p.c_renewal_of[c] >= 0) ++t.renewals;
    if (k > 0) ++t.later_years;
    ++(insured ? t.insured : t.uninsured);
    for (const auto pk : p.package_sets[p.c_packages[c]]) {
      const package& x = p.packages[pk];
      const auto i = tier_index(x.tier);
      t.fee[i] += x.fee_fen;
      t.public_health[i] += x.public_health_fen;
      t.resident[i] += x.resident_fen;
      (insured ? t.insurance[i] : t.gap[i]) += x.insurance_fen;
      if (insured && x.tier == package_tier::basic) t.lump += x.insurance_fen;
    }
  });
  return out;
}

/// The teams with fee years, grouped by institution; institutions and teams by code.
std::vector<std::pair<std::uint32_t, std::vector<std::uint32_t>>> groups(const registry::impl& p,
                                                                         const std::vector<team_sums>& sums) {
  std::map<std::string, std::map<std::string, std::uint32_t>> by_code;
  for (std::uint32_t t = 0; t < sums.size(); ++t)
    if (sums[t].any) by_code[p.institutions[p.t_institution[t]].code][p.teams[t].code] = t;
  std::vector<std::pair<std::uint32_t, std::vector<std::uint32_t>>> out;
  for (const auto& [code, teams] : by_code) {
    auto& g = out.emplace_back(p.t_institution[teams.begin()->second], std::vector<std::uint32_t>{});
    for (const auto& [team_code, t] : teams) g.second.push_back(t);
  }
  return out;
}

statement_line team_line(const registry::impl& p, std::uint32_t t) {
  const auto& i = p.institutions[p.t_institution[t]];
  return statement_line{statement_level::team, i.code, i.name, p.teams[t].code, p.teams[t].name};
}
statement_line institution_line(const registry::impl& p, std::uint32_t i) {
  const auto& x = p.institutions[i];
  return statement_line{statement_level::institution, x.code, x.name, {}, {}};
}

void add_to(monthly_row& a, const monthly_row& b) {
  a.signings += b.signings;
  a.renewals += b.renewals;
  a.later_years += b.later_years;
  a.insured += b.insured;
  a.uninsured += b.uninsured;
  a.insurance_fen += b.insurance_fen;
}

void add_to(year_end_row& a, const year_end_row& b) {
  a.signings += b.signings;
  a.insured += b.insured;
  a.fee_fen += b.fee_fen;
  a.insurance_fen += b.insurance_fen;
  a.insurance_pooling_fen += b.insurance_pooling_fen;
  a.public_health_fen += b.public_health_fen;
  a.resident_fen += b.resident_fen;
  a.uninsured_gap_fen += b.uninsured_gap_fen;
  a.insurance_due_fen += b.insurance_due_fen;
  a.public_health_due_fen += b.public_health_due_fen;
  a.paid_monthly_fen += b.paid_monthly_fen;
  a.insurance_balance_fen += b.insurance_balance_fen;
  a.balance_fen += b.balance_fen;
  a.distributed_fen += b.distributed_fen;
  a.team_share_fen += b.team_share_fen;
  a.institution_share_fen += b.institution_share_fen;
}

/// "2017-06" -> the first day of that month; anything else names the text.
day parse_month(const std::string& text) {
  const auto digits = [&](std::size_t from, std::size_t n) {
    for (std::size_t i = from; i < from + n; ++i)
      if (text[i] < '0' || text[i] > '9') return false;
    return true;
  };
  if (text.size() != 7 || text[4] != '-' || !digits(0, 4) || !digits(5, 2))
    throw invalid_argument_error("monthly_insurance_settlement: month '" + text + "' is not YYYY-MM (e.g. 2017-06)");
  const int y = std::stoi(text.substr(0, 4));
  const int m = std::stoi(text.substr(5, 2));
  if (y < 1 || m < 1 || m > 12)
    throw invalid_argument_error("monthly_insurance_settlement: month '" + text + "' is not a month of a year");
  return make_day(y, static_cast<unsigned>(m), 1);
}

report_cell text(std::string s) { return report_cell{std::move(s)}; }
report_cell count(std::int64_t n) { return report_cell{static_cast<double>(n)}; }
report_cell money(std::int64_t fen) { return report_cell{yuan(fen)}; }

std::vector<report_cell> who_cells(const statement_line& w) {
  switch (w.level) {
    case statement_level::team:
      return {text(w.institution), text(w.institution_name), text(w.team), text(w.team_name)};
    case statement_level::institution:
      return {text(w.institution), text(w.institution_name), text(""), text("机构小计")};
    case statement_level::total:
      break;
  }
  return {text("合计"), text(""), text(""), text("")};
}

std::string share_text(double s) { return fmt::format("{:g}%", s * 100); }

}  // namespace

// ---- the monthly lump ------------------------------------------------------------------

monthly_statement monthly_insurance_settlement(const registry& r, std::string month) {
  const auto& p = r.data();
  monthly_statement out;
  out.first = parse_month(month);
  const date::year_month_day f{out.first};
  out.end = day{date::year_month_day{f.year(), f.month(), date::day{1}} + date::months{1}};
  out.month = std::move(month);
  const auto sums = sum_by_team(p, day_number(out.first), day_number(out.end));
  out.total.who.level = statement_level::total;
  for (const auto& [i, teams] : groups(p, sums)) {
    monthly_row inst;
    inst.who = institution_line(p, i);
    std::vector<monthly_row> team_rows;
    for (const auto t : teams) {
      const auto& s = sums[t];
      monthly_row row;
      row.who = team_line(p, t);
      row.signings = s.signings;
      row.renewals = s.renewals;
      row.later_years = s.later_years;
      row.insured = s.insured;
      row.uninsured = s.uninsured;
      row.insurance_fen = s.lump;
      add_to(inst, row);
      team_rows.push_back(std::move(row));
    }
    add_to(out.total, inst);
    out.rows.push_back(std::move(inst));
    for (auto& row : team_rows) out.rows.push_back(std::move(row));
  }
  return out;
}

report_table monthly_settlement_table(const monthly_statement& s) {
  report_table t{"医保签约服务费月度结算表（" + s.month + "）",
                 {"机构编码", "机构名称", "团队编码", "团队名称", "新增签约（年度）", "其中续约", "其中多年期续年",
                  "参保", "未参保", "医保一次性支付（分）", "医保一次性支付（元）"},
                 {},
                 {},
                 {},
                 "医保月度结算 " + s.month};
  const auto add = [&](const monthly_row& row) {
    auto cells = who_cells(row.who);
    for (auto v : {row.signings, row.renewals, row.later_years, row.insured, row.uninsured, row.insurance_fen})
      cells.push_back(count(v));
    cells.push_back(money(row.insurance_fen));
    t.rows.push_back(std::move(cells));
  };
  for (const auto& row : s.rows) add(row);
  add(s.total);
  t.notes.push_back(
      "依据：穗医改办〔2017〕36号 §2.13 二，医保基金按月度结算，对每月新增的参保居民签约数一次性支付基本服务包"
      "年签约服务费；年终按考核结果最终结算（见年终结算表）。");
  t.notes.push_back(
      "新增签约按签约年度计：新签、续约（续约即新一年度的签约，§2.2）以及多年期合同第二年起的各年度，"
      "年度起始日在 " +
      format_day(s.first) + " 至 " + format_day(s.end - date::days{1}) + " 的计入；已解约合同不计尚未开始的年度。");
  t.notes.push_back(
      "医保一次性支付 = 参保居民所签基本服务包的医保分担额；个性化服务包的医保部分按普通门诊统筹政策支付，"
      "不在本表（§2.12）；未参保居民医保不支付，其个人自付部分通过金融账户扣费或自费缴纳（§2.13 三）。");
  t.notes.push_back("参保状态为登记册中居民的现有状态；金额按分精确计算，元 = 分 ÷ 100。");
  return t;
}

// ---- the year-end settlement -----------------------------------------------------------

year_end_statement year_end_settlement(const registry& r, int year,
                                       const std::map<std::string, double>& assessment_factor) {
  const auto& p = r.data();
  const std::string where = "year_end_settlement " + std::to_string(year);
  const day first = make_day(year, 1, 1);
  const day end = day{date::year_month_day{date::year{year + 1}, date::January, date::day{1}}};
  const auto sums = sum_by_team(p, day_number(first), day_number(end));
  const auto grouped = groups(p, sums);

  // 002 §2.13 一 严禁未经考核打包支付: every factor checked before anything is computed.
  for (const auto& [code, f] : assessment_factor)
    if (!(f >= 0.0 && f <= 1.0))
      throw invalid_argument_error(where + ": institution '" + code + "' has assessment factor " +
                                   fmt::format("{}", f) + ", outside 0-1 (e.g. score / 100)");
  for (const auto& [i, teams] : grouped) {
    const auto& x = p.institutions[i];
    if (!assessment_factor.contains(x.code)) {
      std::int64_t n = 0;
      for (const auto t : teams) n += sums[t].signings;
      throw invalid_argument_error(where + ": institution '" + x.code + "' (" + x.name + ") has " + std::to_string(n) +
                                   " fee years in " + std::to_string(year) +
                                   " and no assessment factor; nothing is settled without an assessment "
                                   "(002 §2.13 严禁未经考核打包支付)");
    }
  }

  year_end_statement out;
  out.year = year;
  out.total.who.level = statement_level::total;
  for (const auto& institution : grouped) {
    // Not a structured binding: weigh() captures teams, which clang 14 does not allow for bindings (P1091).
    const auto i = institution.first;
    const auto& teams = institution.second;
    const double f = assessment_factor.at(p.institutions[i].code);
    const std::string& district = p.districts.str(p.i_district[i]);
    out.team_share_by_district[district] = p.rules.team_share_in(district, package_tier::basic);
    if (p.rules.personalised_team_share) out.personalised_team_share = p.rules.personalised_team_share;

    // Weighted per tier at the institution, then apportioned over its teams.
    const auto weigh = [&](auto member, std::size_t k) {
      std::vector<std::int64_t> base;
      std::int64_t sum = 0;
      for (const auto t : teams) {
        base.push_back((sums[t].*member)[k]);
        sum += base.back();
      }
      return apportion(rounded_share(sum, f), base);
    };
    std::array<std::vector<std::int64_t>, tiers> insurance_due, public_health_due;
    for (std::size_t k = 0; k < tiers; ++k) {
      insurance_due[k] = k == tier_index(package_tier::personalised) ? std::vector<std::int64_t>(teams.size(), 0)
                                                                     : weigh(&team_sums::insurance, k);
      public_health_due[k] = weigh(&team_sums::public_health, k);
    }

    year_end_row inst;
    inst.who = institution_line(p, i);
    inst.factor = f;
    std::vector<year_end_row> team_rows;
    for (std::size_t j = 0; j < teams.size(); ++j) {
      const auto& s = sums[teams[j]];
      year_end_row row;
      row.who = team_line(p, teams[j]);
      row.factor = f;
      row.signings = s.signings;
      row.insured = s.insured;
      for (std::size_t k = 0; k < tiers; ++k) {
        const auto tier = static_cast<package_tier>(k);
        const bool pooled = tier == package_tier::personalised;  // 002 §2.12: outpatient pooling
        row.fee_fen += s.fee[k];
        (pooled ? row.insurance_pooling_fen : row.insurance_fen) += s.insurance[k];
        row.public_health_fen += s.public_health[k];
        row.resident_fen += s.resident[k];
        row.uninsured_gap_fen += s.gap[k];
        row.insurance_due_fen += insurance_due[k][j];
        row.public_health_due_fen += public_health_due[k][j];
        const std::int64_t received = insurance_due[k][j] + public_health_due[k][j] + s.resident[k];
        const auto split = split_fee(received, p.rules.team_share_in(district, tier));  // 002 §2.14
        row.distributed_fen += received;
        row.team_share_fen += split.team;
        row.institution_share_fen += split.institution;
      }
      row.paid_monthly_fen = s.lump;
      row.insurance_balance_fen = row.insurance_due_fen - row.paid_monthly_fen;
      row.balance_fen = row.insurance_balance_fen + row.public_health_due_fen;
      add_to(inst, row);
      team_rows.push_back(std::move(row));
    }
    add_to(out.total, inst);
    out.rows.push_back(std::move(inst));
    for (auto& row : team_rows) out.rows.push_back(std::move(row));
  }
  return out;
}

report_table year_end_settlement_table(const year_end_statement& s) {
  report_table t{"家庭医生签约服务费年终结算表（" + std::to_string(s.year) + "年）",
                 {"机构编码",
                  "机构名称",
                  "团队编码",
                  "团队名称",
                  "考核系数",
                  "签约年度数",
                  "其中参保",
                  "年签约服务费（元）",
                  "医保基金（元）",
                  "个性化包医保·门诊统筹（元）",
                  "基本公卫经费（元）",
                  "个人自付（元）",
                  "未参保者医保份额·无支付方（元）",
                  "医保应付·考核后（元）",
                  "公卫应付·考核后（元）",
                  "医保已按月预付（元）",
                  "医保年终结算差额（元）",
                  "年终应拨付合计（元）",
                  "分配基数（元）",
                  "团队分配（元）",
                  "机构统筹（元）"},
                 {},
                 {4},
                 {},
                 "年终结算 " + std::to_string(s.year)};
  const auto add = [&](const year_end_row& row) {
    auto cells = who_cells(row.who);
    cells.push_back(row.factor ? report_cell{*row.factor} : text(""));
    cells.push_back(count(row.signings));
    cells.push_back(count(row.insured));
    for (auto v : {row.fee_fen, row.insurance_fen, row.insurance_pooling_fen, row.public_health_fen, row.resident_fen,
                   row.uninsured_gap_fen, row.insurance_due_fen, row.public_health_due_fen, row.paid_monthly_fen,
                   row.insurance_balance_fen, row.balance_fen, row.distributed_fen, row.team_share_fen,
                   row.institution_share_fen})
      cells.push_back(money(v));
    t.rows.push_back(std::move(cells));
  };
  for (const auto& row : s.rows) add(row);
  add(s.total);
  t.notes.push_back(
      "考核系数：调用方提供的各机构年度签约服务考核结果（如考核得分 ÷ 100，§2.16 考核结果与医保支付、"
      "基本公共卫生服务经费拨付挂钩）；无考核系数的机构不予结算（§2.13 一 严禁未经考核打包支付）。");
  t.notes.push_back(
      "医保应付 = 参保居民免费、基本服务包的医保分担额 × 考核系数；公卫应付 = 各服务包的基本公共卫生服务经费"
      "分担额 × 考核系数（§2.13 一、二）。按机构、服务包层级四舍五入到分，再按各团队未加权金额以最大余数法"
      "分摊，团队之和等于机构，机构之和等于合计。");
  t.notes.push_back(
      "医保已按月预付 = 本年各月医保月度结算表之和（§2.13 二）；医保年终结算差额为负表示应追回。公卫经费年终前"
      "未拨付，年终应拨付合计 = 医保年终结算差额 + 公卫应付。");
  t.notes.push_back(
      "个性化服务包的医保部分按普通门诊统筹政策支付（§2.12），不在结算与分配基数内；未参保居民的医保分担额"
      "无支付方（§2.13 三 仅规定其个人自付部分的缴纳方式）；个人自付部分全额计入，不按考核系数调整。");
  std::string shares;
  for (const auto& [district, share] : s.team_share_by_district)
    shares +=
        (shares.empty() ? "" : "，") + district + " 团队 " + share_text(share) + "、机构 " + share_text(1.0 - share);
  if (s.personalised_team_share) shares += "；个性化服务包团队 " + share_text(*s.personalised_team_share);
  t.notes.push_back(
      "分配（§2.14 免费服务包、基本服务包年签约服务费 80% 由全科医生及团队自主分配、20% 用于机构统筹，"
      "各区可适当调整）：分配基数 = 医保应付 + 公卫应付 + 个人自付，按团队、服务包层级拆分；本表比例：" +
      (shares.empty() ? std::string("无") : shares) + "。");
  t.notes.push_back(
      "签约年度：新签、续约及多年期合同第二年起的各年度，年度起始日在本年的计入；金额按分精确计算，"
      "元 = 分 ÷ 100。");
  return t;
}

}  // namespace hotline::signing
