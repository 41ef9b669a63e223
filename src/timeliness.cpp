// The timeliness report (see timeliness.hpp).
#include "hotline/timeliness.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <tuple>

namespace hotline {
namespace {

constexpr std::array<std::string_view, clock_count> k_clock_names{"转办", "签收", "答复", "办结", "回访"};

void count_clock(clock_timeliness& c, clock_outcome outcome, const std::optional<instant>& due, instant as_of) {
  switch (outcome) {
    case clock_outcome::met: ++c.met; break;
    case clock_outcome::missed: ++c.missed; break;
    case clock_outcome::running:
      if (due && *due < as_of) ++c.overdue;
      else ++c.running;
      break;
    case clock_outcome::paused: ++c.paused; break;
    case clock_outcome::voided: ++c.voided; break;
    case clock_outcome::not_started: ++c.not_started; break;
  }
}

class accumulator {
 public:
  accumulator(timeliness_result& r) : r_(r) {
    for (std::size_t k = 0; k < clock_count; ++k) r_.clocks[k].clock = static_cast<clock_kind>(k);
  }

  void add(const order_facts& o) {
    if (o.state == order_state::voided || o.state == order_state::merged) return;
    ++r_.orders;
    auto u = units_.find(o.unit);
    if (u == units_.end()) {
      u = units_.emplace(std::string(o.unit), unit_timeliness{}).first;
      u->second.unit = std::string(o.unit);
      u->second.reply.clock = clock_kind::reply;
      u->second.completion.clock = clock_kind::completion;
    }
    ++u->second.orders;
    for (std::size_t k = 0; k < clock_count; ++k) {
      count_clock(r_.clocks[k], o.clocks[k], o.due[k], r_.as_of);
      if (o.clocks[k] != clock_outcome::running || !o.due[k]) continue;
      const late_clock l{std::string(o.number), std::string(o.unit), static_cast<clock_kind>(k), *o.due[k],
                         o.warn[k].value_or(*o.due[k])};
      if (*o.due[k] < r_.as_of) r_.overdue.push_back(l);
      else if (o.warn[k] && *o.warn[k] <= r_.as_of) r_.warned.push_back(l);
    }
    const auto reply = static_cast<std::size_t>(clock_kind::reply);
    const auto completion = static_cast<std::size_t>(clock_kind::completion);
    count_clock(u->second.reply, o.clocks[reply], o.due[reply], r_.as_of);
    count_clock(u->second.completion, o.clocks[completion], o.due[completion], r_.as_of);
    ++r_.call_backs[static_cast<std::size_t>(o.call_back)];
    r_.supervised_orders += o.supervision != supervision_level::none;
    r_.reopened_orders += o.reopen_count > 0;
    r_.extended_orders += o.extension_days > 0;
  }

  void finish() {
    for (auto& [k, v] : units_) r_.by_unit.push_back(std::move(v));
    std::sort(r_.overdue.begin(), r_.overdue.end(), [](const late_clock& a, const late_clock& b) {
      return std::tie(a.due, a.number, a.clock) < std::tie(b.due, b.number, b.clock);
    });
    std::sort(r_.warned.begin(), r_.warned.end(), [](const late_clock& a, const late_clock& b) {
      return std::tie(a.warn, a.number, a.clock) < std::tie(b.warn, b.number, b.clock);
    });
  }

 private:
  timeliness_result& r_;
  std::map<std::string, unit_timeliness, std::less<>> units_;
};

report_cell n(std::int64_t v) { return static_cast<double>(v); }

std::string_view action_name(action a) {
  switch (a) {
    case action::request_return: return "申请退回";
    case action::approve_return: return "退回（批准）";
    case action::reject_return: return "退回（驳回）";
    case action::request_extension: return "申请延期";
    case action::approve_extension: return "延期（批准）";
    case action::reject_extension: return "延期（驳回）";
    case action::suspend: return "挂起";
    case action::reject_reply: return "重办";
    case action::supervise: return "督办";
    case action::reopen: return "重启";
    case action::mark_urgent: return "标记紧急";
    default: return to_string(a);
  }
}

}  // namespace

rate timeliness_result::satisfaction() const {
  const auto s = call_backs_of(call_back_result::satisfied) + call_backs_of(call_back_result::basically_satisfied);
  return {s, s + call_backs_of(call_back_result::dissatisfied)};
}

timeliness_result timeliness(const store& db, const reporting_period& period, instant as_of, const report_scope& scope) {
  timeliness_result r;
  r.period = period;
  r.as_of = as_of;
  accumulator acc(r);
  db.scan_facts(scope.query(period), [&](const order_facts& f) { acc.add(f); });
  acc.finish();
  r.actions = db.action_counts(scope.query(period));
  return r;
}

timeliness_result timeliness(std::span<const work_order> orders, const reporting_period& period, instant as_of,
                             const report_scope& scope) {
  timeliness_result r;
  r.period = period;
  r.as_of = as_of;
  accumulator acc(r);
  for (const auto& o : orders) {
    if (!period.contains(o.received_at)) continue;
    const auto f = facts_of(o);
    if (scope.contains(f)) acc.add(f);
  }
  acc.finish();
  return r;
}

std::vector<report_table> timeliness_result::tables() const {
  std::vector<report_table> out;
  const std::string as_of_text = format_instant(as_of);
  {
    report_table t{fmt::format("{} 时效统计（截至 {}）", period.label, as_of_text),
                   {"时限", "按时", "超时", "在办已超时", "在办未超时", "暂停", "作废", "未开始", "按时率"},
                   {}, {8}, {}, "时效"};
    for (const auto& c : clocks) {
      t.rows.push_back({std::string(k_clock_names[static_cast<std::size_t>(c.clock)]), n(c.met), n(c.missed),
                        n(c.overdue), n(c.running), n(c.paused), n(c.voided), n(c.not_started), c.on_time().cell()});
      t.notes.push_back(fmt::format("{} 按时率 = 按时/(按时+超时+在办已超时) = {}/{}",
                                    k_clock_names[static_cast<std::size_t>(c.clock)], c.met, c.decided()));
    }
    t.notes.push_back(fmt::format("{} orders counted (voided and merged left out)", orders));
    out.push_back(std::move(t));
  }
  {
    report_table t{fmt::format("{} 各单位答复按时率", period.label),
                   {"单位", "工单", "答复按时", "答复超时", "答复在办已超时", "答复按时率", "办结按时率"}, {}, {5, 6}, {}, "单位时效"};
    for (const auto& u : by_unit)
      t.rows.push_back({u.unit.empty() ? std::string("(未转办)") : u.unit, n(u.orders), n(u.reply.met), n(u.reply.missed),
                        n(u.reply.overdue), u.reply.on_time().cell(), u.completion.on_time().cell()});
    if (by_unit.empty()) t.notes.push_back("no orders in the period");
    out.push_back(std::move(t));
  }
  {
    report_table t{fmt::format("{} 退回、延期、督办、重办与满意度", period.label), {"项目", "次数", "工单数"}, {}, {}, {}, "过程与满意度"};
    for (const auto& a : actions) t.rows.push_back({std::string(action_name(a.action)), n(a.events), n(a.orders)});
    if (actions.empty()) t.notes.push_back("no returns, extensions, supervisions, rework or reopens in the event log");
    t.rows.push_back({std::string("督办中的工单"), std::string("-"), n(supervised_orders)});
    t.rows.push_back({std::string("重启过的工单"), std::string("-"), n(reopened_orders)});
    t.rows.push_back({std::string("获延期的工单"), std::string("-"), n(extended_orders)});
    const std::array<std::pair<std::string_view, call_back_result>, 4> cb{{{"回访：满意", call_back_result::satisfied},
                                                                          {"回访：基本满意", call_back_result::basically_satisfied},
                                                                          {"回访：不满意", call_back_result::dissatisfied},
                                                                          {"回访：联系不上", call_back_result::unreachable}}};
    for (const auto& [name, v] : cb) t.rows.push_back({std::string(name), n(call_backs_of(v)), std::string("-")});
    const auto s = satisfaction();
    t.notes.push_back(fmt::format("满意率 = (满意+基本满意)/(满意+基本满意+不满意) = {}/{}{}", s.numerator, s.denominator,
                                  s.value() ? fmt::format(" = {:.2f}%", *s.value() * 100) : std::string(" (no rate)")));
    out.push_back(std::move(t));
  }
  for (const auto* list : {&overdue, &warned}) {
    const bool late = list == &overdue;
    report_table t{fmt::format("{} {}（截至 {}）", period.label, late ? "超时工单" : "预警工单", as_of_text),
                   {"工单编号", "单位", "时限", late ? "应完成" : "预警时间"}, {}, {}, {}, late ? "超时清单" : "预警清单"};
    for (const auto& l : *list)
      t.rows.push_back({l.number, l.unit, std::string(k_clock_names[static_cast<std::size_t>(l.clock)]),
                        format_instant(late ? l.due : l.warn)});
    if (list->empty()) t.notes.push_back(late ? "no clock past due" : "no clock in its warning window");
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace hotline
