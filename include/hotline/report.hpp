// hotline/report.hpp: the monthly statistics tables (001 annex 8) and the
// quarterly summary (000 art. 14), computed from work orders.
//
//   auto p = hotline::reporting_period::month(2026, 3);                 // Asia/Shanghai bounds
//   auto orders = store.orders(hotline::order_query{}.received(p.from, p.to).revealed());
//   auto m = hotline::monthly_statistics(orders, p);
//   hotline::write_xlsx(m.tables(), "2026-03.xlsx");
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
#pragma once

#include "hotline/report_table.hpp"
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
  std::map<std::string, std::map<std::string, std::int64_t>> consultations_by_topic;

  /// The four tables laid out like annex 8, Chinese headers, rates with their parts in notes.
  [[nodiscard]] std::vector<report_table> tables() const;
};

/// Annex 8 from the orders (any order outside the period is ignored).
[[nodiscard]] monthly_statistics_result monthly_statistics(std::span<const work_order> orders,
                                                           const reporting_period& period);

/// 000 art. 14: complaints, reports and praise per district for a quarter.
struct district_summary {
  std::string district;  ///< "" = not given
  std::int64_t complaints = 0, reports = 0, praise = 0;
  std::int64_t completed = 0;  ///< of the three, reply accepted or handled by the centre
};
[[nodiscard]] std::vector<district_summary> quarterly_summary(std::span<const work_order> orders,
                                                              const reporting_period& period);
[[nodiscard]] report_table quarterly_summary_table(const std::vector<district_summary>& rows,
                                                   const reporting_period& period);

// ---- inline rules ------------------------------------------------------------

namespace detail {
inline bool counted(const work_order& o) noexcept {
  return o.state != order_state::voided && o.state != order_state::merged;
}
inline bool transferred(const work_order& o) noexcept { return o.dispatched_at.has_value(); }
inline bool completed(const work_order& o) noexcept {
  return o.state == order_state::waiting_for_call_back || o.state == order_state::closed;
}
inline bool handled_by_centre(const work_order& o) noexcept {
  return !transferred(o) && (o.state == order_state::closed || o.state == order_state::answered_on_spot);
}
}  // namespace detail

}  // namespace hotline
