// hotline/report.hpp: the monthly statistics tables (001 annex 8) and the
// quarterly summary (000 art. 14), computed from work orders.
//
//   auto p = hotline::reporting_period::month(2026, 3);                 // Asia/Shanghai bounds
//   auto m = hotline::monthly_statistics(store, p);                    // or ({...}, p) over work orders
//   hotline::write_xlsx(m.tables(), "2026-03.xlsx");
//   auto t = hotline::timeliness(store, p, now);                        // on-time rates, overdue lists
//   auto r = hotline::receipt_statistics(store, hotline::reporting_period::half_month(2026, 3, 2));
//
// Rules, decided once:
//  * An order belongs to the period its receipt instant falls in, in Beijing time:
//    received at 23:59:59 on the last day of March, it is a March order.
//  * Voided and merged orders are not counted (they would count a call twice or
//    count a mistake); how many were left out is a note under table 1.
//  * Table 1 has the annex's five types; help requests and praise, which the
//    annex does not list, are counted under 其他 and the note says how many.
//  * "Transferred" (转办) means dispatched to a unit at least once.  "Completed"
//    (办结) means the unit's reply was accepted (waiting for call-back or closed).
//    "Handled by 12320" means closed or answered on the spot without a transfer.
//  * Every rate carries its numerator and denominator; a zero denominator gives
//    no rate (shown as "-"), never 0% or 100%.
//  * A report over the store reads the narrow order facts (store::scan_facts) in
//    one pass; the same report over work_order values converts each with facts_of,
//    so both give the same numbers.
//  * Scope: the whole city, one district (the order's place) or one handling unit.
#pragma once

#include "hotline/order_facts.hpp"
#include "hotline/report_table.hpp"
#include "hotline/store.hpp"
#include "hotline/time.hpp"
#include "hotline/work_order.hpp"

#include <array>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace hotline {

/// [from, to) in instants, with a label.
struct reporting_period {
  instant from;
  instant to;
  std::string label;  ///< e.g. 2026-03, 2026Q1

  /// A calendar month in Asia/Shanghai.
  static reporting_period month(int year, unsigned month);
  /// A quarter (1-4) in Asia/Shanghai.
  static reporting_period quarter(int year, unsigned q);
  /// Half a month (annex 7's receipt statistics, due on the 15th and the last
  /// day): half 1 is days 1-15, half 2 the 16th to the end of the month.
  static reporting_period half_month(int year, unsigned month, unsigned half);
  [[nodiscard]] bool contains(instant t) const noexcept { return t >= from && t < to; }
};

/// A rate with what it is made of.
struct rate {
  std::int64_t numerator = 0;
  std::int64_t denominator = 0;
  [[nodiscard]] std::optional<double> value() const {
    if (denominator == 0) return std::nullopt;
    return static_cast<double>(numerator) / static_cast<double>(denominator);
  }
  /// As a table cell: the fraction, or "-" when there is no denominator.
  [[nodiscard]] report_cell cell() const {
    if (const auto v = value()) return *v;
    return std::string("-");
  }
};

/// Annex 8 table 3's complaint subjects, in the annex's order.
enum class complaint_subject : std::uint8_t {
  food_safety_enforcement,     ///< 食品安全执法
  public_health_enforcement,   ///< 其他公共卫生执法
  medical_service,             ///< 医疗服务
  disease_prevention,          ///< 疾病预防
  administration,              ///< 行政管理
  other_sectors,               ///< 其他部门
  other,                       ///< 其他
};
inline constexpr std::size_t complaint_subject_count = 7;
std::string_view to_string(complaint_subject s) noexcept;     ///< English key, e.g. "medical_service"
std::string_view chinese_name(complaint_subject s) noexcept;  ///< e.g. 医疗服务
/// A work order's complaint_subject text (English key or Chinese name) to the
/// annex's subject; anything else is `other`.
complaint_subject classify_complaint_subject(std::string_view text) noexcept;

struct monthly_statistics_result {
  reporting_period period;
  // table 1: by type (annex 8 table 1)
  std::int64_t reports = 0, complaints = 0, consultations = 0, suggestions = 0, other = 0, total = 0;
  std::int64_t other_help_requests = 0, other_praise = 0;  ///< inside `other`
  std::int64_t left_out_void_or_merged = 0;
  // table 2: reports and suggestions
  struct flow {
    std::int64_t received = 0, transferred = 0, completed = 0;
    [[nodiscard]] rate completion() const { return {completed, transferred}; }
  };
  flow report_flow, suggestion_flow;
  // table 3: complaints by subject
  struct complaint_row {
    std::int64_t received = 0, handled_by_centre = 0, transferred = 0, transferred_completed = 0;
    [[nodiscard]] rate completion() const { return {transferred_completed, transferred}; }
  };
  std::array<complaint_row, complaint_subject_count> complaints_by_subject{};
  // table 4: consultations by topic and sub-topic ("" = not given)
  std::map<std::string, std::map<std::string, std::int64_t, std::less<>>, std::less<>> consultations_by_topic;

  /// The four tables laid out like annex 8, Chinese headers, rates with their parts in notes.
  [[nodiscard]] std::vector<report_table> tables() const;
};

/// Which orders a report covers besides the period; empty members do not filter.
struct report_scope {
  std::optional<std::string> district;  ///< the order's district
  std::optional<std::string> unit;      ///< the handling unit's code
  [[nodiscard]] facts_query query(const reporting_period& p) const { return {p.from, p.to, district, unit}; }
  [[nodiscard]] bool contains(const order_facts& f) const {
    return (!district || f.district == *district) && (!unit || f.unit == *unit);
  }
};

/// Annex 8 from the orders (any order outside the period or scope is ignored).
[[nodiscard]] monthly_statistics_result monthly_statistics(std::span<const work_order> orders,
                                                           const reporting_period& period,
                                                           const report_scope& scope = {});
/// Annex 8 from the store, in one pass over the period's orders.
[[nodiscard]] monthly_statistics_result monthly_statistics(const store& db, const reporting_period& period,
                                                           const report_scope& scope = {});

/// 000 art. 14: complaints, reports and praise per district for a quarter.
struct district_summary {
  std::string district;  ///< "" = not given
  std::int64_t complaints = 0, reports = 0, praise = 0;
  std::int64_t completed = 0;  ///< of the three, reply accepted or handled by the centre
};
[[nodiscard]] std::vector<district_summary> quarterly_summary(std::span<const work_order> orders,
                                                              const reporting_period& period);
[[nodiscard]] std::vector<district_summary> quarterly_summary(const store& db, const reporting_period& period);
[[nodiscard]] report_table quarterly_summary_table(const std::vector<district_summary>& rows,
                                                   const reporting_period& period);

/// 001 annex 7 (受理登记): one row per order received in the period, grouped by
/// handling unit ("" = not dispatched: the centre's own); content masked.
struct receipt_row {
  std::string unit;
  std::string number;
  instant received_at{};
  std::string content;  ///< personal data masked (138****1234)
  std::string remark;   ///< type and state, e.g. 投诉; closed
};
[[nodiscard]] std::vector<receipt_row> receipt_statistics(const store& db, const reporting_period& period,
                                                          const report_scope& scope = {});
/// One table per unit, laid out like annex 7 (序号, 受理编号, 日期, 时间, 内容, 备注).
[[nodiscard]] std::vector<report_table> receipt_statistics_tables(const std::vector<receipt_row>& rows,
                                                                  const reporting_period& period);

// ---- inline rules ------------------------------------------------------------

namespace detail {
inline bool counted(const order_facts& o) noexcept {
  return o.state != order_state::voided && o.state != order_state::merged;
}
inline bool transferred(const order_facts& o) noexcept { return o.transferred; }
inline bool completed(const order_facts& o) noexcept {
  return o.state == order_state::waiting_for_call_back || o.state == order_state::closed;
}
inline bool handled_by_centre(const order_facts& o) noexcept {
  return !transferred(o) && (o.state == order_state::closed || o.state == order_state::answered_on_spot);
}
}  // namespace detail

}  // namespace hotline
