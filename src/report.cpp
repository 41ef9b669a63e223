// Annex 8 monthly statistics and the quarterly district summary.
#include "hotline/report.hpp"

#include "hotline/error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

namespace hotline {
namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, complaint_subject_count> k_subjects{{
    {"food_safety_enforcement", "食品安全执法"},
    {"public_health_enforcement", "其他公共卫生执法"},
    {"medical_service", "医疗服务"},
    {"disease_prevention", "疾病预防"},
    {"administration", "行政管理"},
    {"other_sectors", "其他部门"},
    {"other", "其他"},
}};


std::string rate_note(std::string_view what, const rate& r) {
  return fmt::format("{} = {}/{}{}", what, r.numerator, r.denominator,
                     r.denominator ? "" : " (no transfers: no rate)");
}

instant month_start(int y, unsigned m) { return from_local(day{date::year{y} / date::month{m} / 1}, seconds{0}); }

}  // namespace

std::string_view to_string(complaint_subject s) noexcept { return k_subjects[static_cast<std::size_t>(s)].first; }
std::string_view chinese_name(complaint_subject s) noexcept { return k_subjects[static_cast<std::size_t>(s)].second; }

complaint_subject classify_complaint_subject(std::string_view text) noexcept {
  for (std::size_t i = 0; i < k_subjects.size(); ++i)
    if (text == k_subjects[i].first || text == k_subjects[i].second) return static_cast<complaint_subject>(i);
  return complaint_subject::other;
}

reporting_period reporting_period::month(int year, unsigned m) {
  if (m < 1 || m > 12 || year < 1900 || year > 2199)
    throw invalid_argument_error(fmt::format("invalid month {}-{}", year, m));
  const int ny = m == 12 ? year + 1 : year;
  const unsigned nm = m == 12 ? 1 : m + 1;
  return {month_start(year, m), month_start(ny, nm), fmt::format("{:04}-{:02}", year, m)};
}

reporting_period reporting_period::half_month(int year, unsigned m, unsigned half) {
  if (half != 1 && half != 2) throw invalid_argument_error(fmt::format("invalid half {} of month {}-{}: 1 or 2", half, year, m));
  const auto whole = month(year, m);
  const instant mid = from_local(day{date::year{year} / date::month{m} / 16}, seconds{0});
  return half == 1 ? reporting_period{whole.from, mid, fmt::format("{}上半月", whole.label)}
                   : reporting_period{mid, whole.to, fmt::format("{}下半月", whole.label)};
}

reporting_period reporting_period::quarter(int year, unsigned q) {
  if (q < 1 || q > 4 || year < 1900 || year > 2199)
    throw invalid_argument_error(fmt::format("invalid quarter {}Q{}", year, q));
  const unsigned m = (q - 1) * 3 + 1;
  return {month_start(year, m), q == 4 ? month_start(year + 1, 1) : month_start(year, m + 3),
          fmt::format("{:04}Q{}", year, q)};
}

namespace {

// `n` orders with the facts `o` into the annex 8 counts.
void add_to(monthly_statistics_result& r, const order_facts& o, std::int64_t n = 1) {
  if (!detail::counted(o)) {
    r.left_out_void_or_merged += n;
    return;
  }
  r.total += n;
  const std::int64_t tr = detail::transferred(o) ? n : 0, done = tr && detail::completed(o) ? n : 0;
  auto add_flow = [&](monthly_statistics_result::flow& f) {
    f.received += n;
    f.transferred += tr;
    f.completed += done;
  };
  switch (o.request_type) {
    case request_type::report:
      r.reports += n;
      add_flow(r.report_flow);
      break;
    case request_type::suggestion:
      r.suggestions += n;
      add_flow(r.suggestion_flow);
      break;
    case request_type::complaint: {
      r.complaints += n;
      auto& row = r.complaints_by_subject[static_cast<std::size_t>(classify_complaint_subject(o.complaint_subject))];
      row.received += n;
      row.handled_by_centre += detail::handled_by_centre(o) ? n : 0;
      row.transferred += tr;
      row.transferred_completed += done;
      break;
    }
    case request_type::consultation: {
      // Most rows repeat the previous topic: look the map up only when it changes.
      auto t = r.consultations_by_topic.find(o.topic);
      if (t == r.consultations_by_topic.end()) t = r.consultations_by_topic.emplace(std::string(o.topic), std::map<std::string, std::int64_t, std::less<>>{}).first;
      auto st = t->second.find(o.sub_topic);
      if (st == t->second.end()) st = t->second.emplace(std::string(o.sub_topic), 0).first;
      r.consultations += n;
      st->second += n;
      break;
    }
    case request_type::help_request:
      r.other += n;
      r.other_help_requests += n;
      break;
    case request_type::praise:
      r.other += n;
      r.other_praise += n;
      break;
    case request_type::other:
      r.other += n;
      break;
  }
}

void add_to(std::map<std::string, district_summary, std::less<>>& by, const order_facts& o, std::int64_t n = 1) {
  if (!detail::counted(o)) return;
  const auto t = o.request_type;
  if (t != request_type::complaint && t != request_type::report && t != request_type::praise) return;
  auto it = by.find(o.district);
  if (it == by.end()) {
    it = by.emplace(std::string(o.district), district_summary{}).first;
    it->second.district = std::string(o.district);
  }
  auto& s = it->second;
  (t == request_type::complaint ? s.complaints : t == request_type::report ? s.reports : s.praise) += n;
  if (detail::completed(o) || detail::handled_by_centre(o)) s.completed += n;
}

std::vector<district_summary> values_of(std::map<std::string, district_summary, std::less<>>& by) {
  std::vector<district_summary> out;
  out.reserve(by.size());
  for (auto& [k, v] : by) out.push_back(std::move(v));
  return out;
}

}  // namespace

monthly_statistics_result monthly_statistics(std::span<const work_order> orders, const reporting_period& p,
                                             const report_scope& scope) {
  monthly_statistics_result r;
  r.period = p;
  for (const auto& o : orders) {
    if (!p.contains(o.received_at)) continue;
    const auto f = facts_of(o);
    if (scope.contains(f)) add_to(r, f);
  }
  return r;
}

monthly_statistics_result monthly_statistics(const store& db, const reporting_period& p, const report_scope& scope) {
  monthly_statistics_result r;
  r.period = p;
  auto q = scope.query(p);
  q.with_clocks = false;
  db.count_facts(q, [&](const order_facts& f, std::int64_t n) { add_to(r, f, n); });
  return r;
}

std::vector<report_table> monthly_statistics_result::tables() const {
  std::vector<report_table> out;
  const auto n = [](std::int64_t v) { return report_cell{static_cast<double>(v)}; };
  {
    report_table t{fmt::format("表1 {} 受理来电按类型统计", period.label), {"举报", "投诉", "咨询", "建议", "其他", "合计"},
                   {}, {}, {}, "表1"};
    t.rows.push_back({n(reports), n(complaints), n(consultations), n(suggestions), n(other), n(total)});
    t.notes.push_back(fmt::format("其他 includes {} help requests (求助) and {} praise (表扬), which annex 8 does not list",
                                  other_help_requests, other_praise));
    if (left_out_void_or_merged)
      t.notes.push_back(fmt::format("{} voided or merged orders are not counted", left_out_void_or_merged));
    out.push_back(std::move(t));
  }
  {
    report_table t{fmt::format("表2 {} 举报、建议办理情况", period.label), {"类型", "受理", "转办", "办结", "办结率"},
                   {}, {4}, {}, "表2"};
    for (const auto& [name, f] : {std::pair{"举报", report_flow}, std::pair{"建议", suggestion_flow}}) {
      t.rows.push_back({std::string(name), n(f.received), n(f.transferred), n(f.completed), f.completion().cell()});
      t.notes.push_back(rate_note(std::string(name) + " 办结率 = 办结/转办", f.completion()));
    }
    out.push_back(std::move(t));
  }
  {
    report_table t{fmt::format("表3 {} 投诉按内容统计", period.label),
                   {"投诉内容", "受理", "12320处理", "转出", "转出办结", "办结率"}, {}, {5}, {}, "表3"};
    complaint_row sum;
    for (std::size_t i = 0; i < complaint_subject_count; ++i) {
      const auto& c = complaints_by_subject[i];
      t.rows.push_back({std::string(k_subjects[i].second), n(c.received), n(c.handled_by_centre), n(c.transferred),
                        n(c.transferred_completed), c.completion().cell()});
      sum.received += c.received;
      sum.handled_by_centre += c.handled_by_centre;
      sum.transferred += c.transferred;
      sum.transferred_completed += c.transferred_completed;
    }
    t.rows.push_back({std::string("合计"), n(sum.received), n(sum.handled_by_centre), n(sum.transferred),
                      n(sum.transferred_completed), sum.completion().cell()});
    t.notes.push_back(rate_note("合计 办结率 = 转出办结/转出", sum.completion()));
    out.push_back(std::move(t));
  }
  {
    report_table t{fmt::format("表4 {} 咨询按内容统计", period.label), {"咨询类别", "咨询内容", "数量"}, {}, {}, {}, "表4"};
    for (const auto& [topic, subs] : consultations_by_topic)
      for (const auto& [sub, count] : subs)
        t.rows.push_back({topic.empty() ? std::string("(未分类)") : topic, sub.empty() ? std::string("(未分类)") : sub,
                          n(count)});
    out.push_back(std::move(t));
  }
  return out;
}

std::vector<district_summary> quarterly_summary(std::span<const work_order> orders, const reporting_period& p) {
  std::map<std::string, district_summary, std::less<>> by;
  for (const auto& o : orders)
    if (p.contains(o.received_at)) add_to(by, facts_of(o));
  return values_of(by);
}

std::vector<district_summary> quarterly_summary(const store& db, const reporting_period& p) {
  std::map<std::string, district_summary, std::less<>> by;
  auto q = report_scope{}.query(p);
  q.with_clocks = false;
  db.count_facts(q, [&](const order_facts& f, std::int64_t n) { add_to(by, f, n); });
  return values_of(by);
}

report_table quarterly_summary_table(const std::vector<district_summary>& rows, const reporting_period& p) {
  report_table t{fmt::format("{} 投诉、举报、表扬季度汇总（按区）", p.label), {"区", "投诉", "举报", "表扬", "合计", "办结"},
                 {}, {}, {}, "季度汇总"};
  for (const auto& r : rows)
    t.rows.push_back({r.district.empty() ? std::string("(未填)") : r.district, static_cast<double>(r.complaints),
                      static_cast<double>(r.reports), static_cast<double>(r.praise),
                      static_cast<double>(r.complaints + r.reports + r.praise), static_cast<double>(r.completed)});
  if (rows.empty()) t.notes.push_back("no complaints, reports or praise in the period");
  return t;
}

}  // namespace hotline

// ---- annex 7: receipt statistics -----------------------------------------------

namespace hotline {
namespace {

std::string_view chinese_type(request_type t) noexcept {
  switch (t) {
    case request_type::consultation: return "咨询";
    case request_type::complaint: return "投诉";
    case request_type::report: return "举报";
    case request_type::help_request: return "求助";
    case request_type::praise: return "表扬";
    case request_type::suggestion: return "建议";
    case request_type::other: return "其他";
  }
  return "其他";
}

}  // namespace

std::vector<receipt_row> receipt_statistics(const store& db, const reporting_period& p, const report_scope& scope) {
  order_query q;
  q.received(p.from, p.to);
  if (scope.unit) q.in_unit(*scope.unit);
  std::vector<receipt_row> out;
  for (const auto& o : db.orders(q)) {  // masked: the store reveals personal data only when asked
    if (scope.district && o.district != *scope.district) continue;
    out.push_back({o.unit, o.number, o.received_at, o.content,
                   fmt::format("{}; {}", chinese_type(o.request_type), to_string(o.state))});
  }
  std::stable_sort(out.begin(), out.end(), [](const receipt_row& a, const receipt_row& b) {
    return std::tie(a.unit, a.received_at) < std::tie(b.unit, b.received_at);
  });
  return out;
}

std::vector<report_table> receipt_statistics_tables(const std::vector<receipt_row>& rows, const reporting_period& p) {
  std::vector<report_table> out;
  for (std::size_t i = 0; i < rows.size();) {
    const std::string& unit = rows[i].unit;
    const std::string shown = unit.empty() ? std::string("12320中心") : unit;
    report_table t{fmt::format("{} 受理登记 {}", p.label, shown), {"序号", "受理编号", "日期", "时间", "内容", "备注"},
                   {}, {}, {}, fmt::format("受理{}", shown)};
    std::size_t n = 0;
    for (; i < rows.size() && rows[i].unit == unit; ++i) {
      const auto& r = rows[i];
      const std::string when = format_instant(r.received_at);  // 2026-03-02T09:15:04+08:00
      t.rows.push_back({static_cast<double>(++n), r.number, when.substr(0, 10), when.substr(11, 8), r.content, r.remark});
    }
    out.push_back(std::move(t));
  }
  if (out.empty()) {
    report_table t{fmt::format("{} 受理登记", p.label), {"序号", "受理编号", "日期", "时间", "内容", "备注"}, {}, {}, {},
                   "受理登记"};
    t.notes.push_back("no orders received in the period");
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace hotline
