// The signing reports as tables (reports.hpp): Chinese titles and headers as a health
// commission files them, rates as percentages, the definitions in the notes.
#include "hotline/signing/reports.hpp"
#include "registry_impl.hpp"

#include <fmt/format.h>

namespace hotline::signing {

namespace {
report_cell num(std::int64_t v) { return static_cast<double>(v); }
report_cell rate_or_dash(std::int64_t den, double rate) {
  return den > 0 ? report_cell(rate) : report_cell(std::string("—"));
}
std::string pct(double v) { return fmt::format("{:.2f}%", v * 100); }
int year_of(day d) { return static_cast<int>(date::year_month_day{d}.year()); }
const char* grouping_label(grouping g) {
  switch (g) {
    case grouping::district: return "区";
    case grouping::subdistrict: return "街道（镇）";
    case grouping::community: return "社区（村）";
    case grouping::institution: return "机构";
    case grouping::team: return "团队";
  }
  return "?";
}
}  // namespace

report_table coverage_table(const coverage_result& c) {
  const bool residence = c.by != grouping::institution && c.by != grouping::team;
  report_table t;
  t.title = fmt::format("家庭医生签约覆盖率（截至 {}，按{}）", format_day(c.as_of), grouping_label(c.by));
  t.sheet_name = fmt::format("签约覆盖-{}", grouping_label(c.by));
  t.columns = {grouping_label(c.by), "常住人口", "签约人数", "签约率", "重点人群", "重点人群签约", "重点人群签约率"};
  for (std::size_t k = 0; k < key_population_count; ++k) {
    const auto name = std::string(label(static_cast<key_population>(k)));
    t.columns.push_back(name + "人数");
    t.columns.push_back(name + "签约率");
  }
  t.percent_columns = {3, 6};
  for (std::size_t k = 0; k < key_population_count; ++k) t.percent_columns.push_back(8 + 2 * k);
  auto put = [&](const coverage_row& r) {
    std::vector<report_cell> row{r.group};
    if (residence) {
      row.insert(row.end(), {num(r.all.population), num(r.all.signed_count), rate_or_dash(r.all.population, r.all.rate()),
                             num(r.key.population), num(r.key.signed_count), rate_or_dash(r.key.population, r.key.rate())});
      for (const auto& k : r.by_population) {
        row.push_back(num(k.population));
        row.push_back(rate_or_dash(k.population, k.rate()));
      }
    } else {
      // a team or institution has signed counts only (reports.hpp)
      row.insert(row.end(), {std::string("—"), num(r.all.signed_count), std::string("—"), std::string("—"),
                             num(r.key.signed_count), std::string("—")});
      for (const auto& k : r.by_population) {
        row.push_back(num(k.signed_count));
        row.push_back(std::string("—"));
      }
    }
    t.rows.push_back(std::move(row));
  };
  for (const auto& r : c.rows) put(r);
  put(c.total);
  t.notes.push_back("签约：截至当日持有效签约协议（起始日 ≤ 当日 < 终止日）；人口：当日已出生、未死亡的登记居民，按现住址计。");
  if (!residence) t.notes.push_back("按机构、团队统计时只列签约人数：居民可在本区内跨街道签约（002 §2.2），团队没有自己的人口。"
                                    "按团队统计时，各重点人群列为该人群签约人数。");
  for (const auto& g : c.targets) {
    std::string line = fmt::format("目标（{}）：{} {}，要求 {}", g.source, g.what, pct(g.rate), pct(g.required));
    if (g.previous_rate) line += fmt::format("（上年同日 {}{}）", pct(*g.previous_rate),
                                             g.upper ? fmt::format("，区间上限 {}", pct(*g.upper)) : "");
    line += g.met ? "，达标" : "，未达标";
    if (g.upper && g.rate > *g.upper + 1e-12) line += "（超过区间上限）";
    t.notes.push_back(line);
  }
  return t;
}

report_table referrals_table(const std::vector<referral_row>& rows, int year) {
  report_table t;
  t.title = fmt::format("{} 年双向转诊（与 {} 年比较）", year, year - 1);
  t.sheet_name = "双向转诊";
  t.columns = {"机构", "上转人次", "上年上转", "上转同比", "下转人次", "上年下转", "下转同比",
               "优先预约专家门诊", "优先安排辅助检查", "优先安排住院"};
  t.percent_columns = {3, 6};
  for (const auto& r : rows) {
    auto change = [](std::optional<double> v) { return v ? report_cell(*v) : report_cell(std::string("—")); };
    t.rows.push_back({r.institution.empty() ? std::string("合计") : r.institution, num(r.up), num(r.up_previous),
                      change(r.up_change()), num(r.down), num(r.down_previous), change(r.down_change()),
                      num(r.up_by_priority[1]), num(r.up_by_priority[2]), num(r.up_by_priority[3])});
  }
  t.notes.push_back("同比 = (本年 - 上年) / 上年；上转为基层转往二、三级医院，下转为二、三级医院转回基层（004 二(二)）。");
  t.notes.push_back("“三个优先”：优先预约专家门诊、优先安排辅助检查、优先安排住院（002 §2.5）。");
  return t;
}

report_table chronic_management_table(const std::vector<management_row>& rows, day as_of) {
  report_table t;
  t.title = fmt::format("慢性病签约居民规范化管理率（截至 {}）", format_day(as_of));
  t.sheet_name = "规范化管理";
  t.columns = {"疾病", "签约管理人数", "规范管理人数", "规范化管理率"};
  t.percent_columns = {3};
  for (const auto& r : rows)
    t.rows.push_back({std::string(label(r.condition)), num(r.managed), num(r.standardised), rate_or_dash(r.managed, r.rate())});
  t.notes.push_back("规范管理：当日前 365 天内随访次数达到政策要求（默认 4 次，国家基本公共卫生服务规范第三版）；004 二(三) 报告梧州 2017 年高血压 77.9%、糖尿病 75.9%、结核病 99.7%。");
  return t;
}

report_table workforce_table(const workforce_figures& w, day as_of) {
  report_table t;
  t.title = fmt::format("乡村医生参与团队与专家号源开放（截至 {}）", format_day(as_of));
  t.sheet_name = "队伍与号源";
  t.columns = {"指标", "分子", "分母", "比例", "目标"};
  t.percent_columns = {3, 4};
  t.rows.push_back({std::string("乡村医生参与签约团队"), num(w.village_doctors_in_teams), num(w.village_doctors),
                    rate_or_dash(w.village_doctors, w.village_share()), 0.90});
  t.rows.push_back({std::string("二、三级医院向团队开放专家号源"), num(w.specialist_slots_opened), num(w.specialist_slots),
                    rate_or_dash(w.specialist_slots, w.slots_share()), 0.20});
  t.notes.push_back("目标：2017 年 90% 的乡村医生参与签约服务团队（002 §2.10）；开放的专家号源不低于 20%（002 §2.5）。");
  t.notes.push_back(fmt::format("号源为 {} 年截至当月的合计。", year_of(as_of)));
  return t;
}

report_table not_served_table(const std::vector<not_served_row>& rows, day as_of, int after_days) {
  report_table t;
  t.title = fmt::format("签而不约（截至 {}，{} 天内无服务记录）", format_day(as_of), after_days);
  t.sheet_name = "签而不约";
  t.columns = {"团队", "机构", "有效签约", "无服务", "比例"};
  t.percent_columns = {4};
  for (const auto& r : rows)
    t.rows.push_back({r.team, r.institution, num(r.valid), num(r.not_served), rate_or_dash(r.valid, r.rate())});
  t.notes.push_back("坚决杜绝只签约不服务（003 三(一)）：有效签约满期限而期限内无任何服务记录者计入；续约的协议连同其前一协议的服务一并计算。");
  return t;
}

report_table home_visits_table(const std::vector<visit_due>& rows, day as_of) {
  report_table t;
  t.title = fmt::format("红、黄标识老年人巡诊逾期（截至 {}）", format_day(as_of));
  t.sheet_name = "巡诊逾期";
  t.columns = {"团队", "居民", "协议", "标识", "最近巡诊", "间隔天数", "要求天数"};
  for (const auto& v : rows)
    t.rows.push_back({v.team, v.resident, v.contract, std::string(label(v.grade)),
                      v.last_visit ? format_day(*v.last_visit) : std::string("无"), num(v.days_since), num(v.every_days)});
  t.notes.push_back("巡诊频次按国家、自治区要求（003 二(三)2）；种子文件未给出天数，本库默认红色 7 天、黄色 30 天，可在 policy 中改为本地要求。");
  return t;
}

report_table survey_table(const std::vector<survey_row>& rows, day from, day to) {
  report_table t;
  t.title = fmt::format("签约居民回访调查（{} 至 {}）", format_day(from), format_day(to));
  t.sheet_name = "回访调查";
  t.columns = {"机构", "抽查", "接通", "知晓", "满意", "真实", "知晓率", "满意度", "真实率"};
  t.percent_columns = {6, 7, 8};
  for (const auto& r : rows)
    t.rows.push_back({r.institution.empty() ? std::string("合计") : r.institution, num(r.asked), num(r.reached),
                      num(r.aware), num(r.satisfied), num(r.authentic), rate_or_dash(r.reached, r.awareness()),
                      rate_or_dash(r.reached, r.satisfaction()), rate_or_dash(r.reached, r.authenticity())});
  t.notes.push_back("率的分母为接通人数；家庭医生签约知晓率、满意度及真实性问卷调查（000 第八条(五)），抽查签约居民个案（004 一(五)）。");
  return t;
}

std::vector<report_table> signing_tables(const registry& r, day as_of) {
  const int y = year_of(as_of);
  const day jan1 = day{date::year{y} / date::January / 1};
  std::vector<report_table> out;
  out.push_back(coverage_table(coverage(r, as_of, grouping::district)));
  out.push_back(coverage_table(coverage(r, as_of, grouping::subdistrict)));
  out.push_back(coverage_table(coverage(r, as_of, grouping::team)));
  out.push_back(referrals_table(referrals(r, y), y));
  out.push_back(chronic_management_table(chronic_management(r, as_of), as_of));
  out.push_back(workforce_table(workforce(r, as_of), as_of));
  out.push_back(not_served_table(not_served(r, as_of), as_of, r.rules().not_served_after_days));
  out.push_back(home_visits_table(home_visits_behind(r, as_of), as_of));
  out.push_back(survey_table(survey_results(r, jan1, as_of), jan1, as_of));
  return out;
}

}  // namespace hotline::signing
