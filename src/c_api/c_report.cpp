// The C ABI for the reports: the monthly tables, the quarterly summary, the
// timeliness report and the receipt statistics, from the store or from work
// orders given as JSON, written out as JSON, CSV, XLSX or text.
#include "c_common.hpp"
#include "c_handles.hpp"
#include "c_json.hpp"
#include "hotline/report.hpp"
#include "hotline/sla_policy.hpp"
#include "hotline/timeliness.hpp"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

using hotline::c_api::guard;
using hotline::c_api::jnode;
using hotline::c_api::json;

namespace {

using namespace hotline;
using c_api::period_json;
using c_api::rate_json;

/// Work orders from a JSON array of field-name objects (set_field's text forms).
std::vector<work_order> orders_arg(const char* orders_json) {
  const json j = c_api::json_arg(orders_json, "orders_json");
  const jnode list{j, "orders_json"};
  if (!j.is_array()) list.fail("expected an array of work orders");
  std::vector<work_order> out;
  out.reserve(j.size());
  for (std::size_t i = 0; i < j.size(); ++i) {
    const jnode o = list.at(i);
    if (!o.v.is_object()) o.fail("expected a work order (an object of fields)");
    work_order w;
    for (auto it = o.v.begin(); it != o.v.end(); ++it) {
      const jnode f{it.value(), o.path + "." + it.key()};
      if (it.key() == "state") {
        w.state = f.name(parse_enum<order_state>);
        continue;
      }
      if (it.key() == "request_type") {  // the English names or 咨询, 投诉, ... (as the store takes them)
        w.request_type = f.name(parse_request_type);
        continue;
      }
      if (it.key() == "version") {
        w.version = f.integer(0, INT64_MAX);
        continue;
      }
      std::string text;
      if (f.v.is_string()) text = f.v.get<std::string>();
      else if (f.v.is_boolean()) text = f.v.get<bool>() ? "1" : "0";
      else if (f.v.is_number_integer()) text = std::to_string(f.integer(INT32_MIN, INT32_MAX));
      else if (!f.v.is_null()) f.fail("expected a string, an integer, true/false or null");
      bool known = false;
      try {
        known = set_field(w, it.key(), text);
      } catch (const invalid_argument_error& e) {
        f.refuse(e.what());
      }
      if (!known) f.fail("unknown work-order field");
    }
    out.push_back(std::move(w));
  }
  return out;
}

json clock_json(const clock_timeliness& c) {
  return json{{"met", c.met},         {"missed", c.missed}, {"overdue", c.overdue},
              {"running", c.running}, {"paused", c.paused}, {"voided", c.voided},
              {"not_started", c.not_started}, {"on_time", rate_json(c.on_time())}};
}

json late_json(const std::vector<late_clock>& list) {
  json out = json::array();
  for (const auto& l : list)
    out.push_back(json{{"number", l.number},
                       {"unit", l.unit},
                       {"clock", std::string(to_string(l.clock))},
                       {"due", format_instant(l.due)},
                       {"warn", format_instant(l.warn)}});
  return out;
}

hotline_report* monthly_report(const monthly_statistics_result& m) {
  auto r = std::make_unique<hotline_report>();
  r->doc = json{{"report", "monthly"},
                {"period", period_json(m.period)},
                {"summary", json{{"total", m.total},
                                 {"consultations", m.consultations},
                                 {"complaints", m.complaints},
                                 {"reports", m.reports},
                                 {"suggestions", m.suggestions},
                                 {"other", m.other},
                                 {"other_help_requests", m.other_help_requests},
                                 {"other_praise", m.other_praise},
                                 {"left_out_void_or_merged", m.left_out_void_or_merged}}}};
  r->tables = m.tables();
  return r.release();
}

hotline_report* quarterly_report(const std::vector<district_summary>& rows, const reporting_period& p) {
  auto r = std::make_unique<hotline_report>();
  json districts = json::array();
  for (const auto& d : rows)
    districts.push_back(json{{"district", d.district},
                             {"complaints", d.complaints},
                             {"reports", d.reports},
                             {"praise", d.praise},
                             {"completed", d.completed}});
  r->doc = json{{"report", "quarterly"}, {"period", period_json(p)}, {"districts", std::move(districts)}};
  r->tables = {quarterly_summary_table(rows, p)};
  return r.release();
}

hotline_report* timeliness_report(const timeliness_result& t) {
  auto r = std::make_unique<hotline_report>();
  json clocks = json::object();
  for (const auto& c : t.clocks) clocks[std::string(to_string(c.clock))] = clock_json(c);
  json actions = json::array();
  for (const auto& a : t.actions)
    actions.push_back(json{{"action", std::string(to_string(a.action))}, {"events", a.events}, {"orders", a.orders}});
  json units = json::array();
  for (const auto& u : t.by_unit)
    units.push_back(json{{"unit", u.unit},
                         {"orders", u.orders},
                         {"reply", clock_json(u.reply)},
                         {"completion", clock_json(u.completion)}});
  json call_backs = json::object();
  for (std::size_t i = 1; i < t.call_backs.size(); ++i)
    call_backs[std::string(to_string(static_cast<call_back_result>(i)))] = t.call_backs[i];
  r->doc = json{{"report", "timeliness"},
                {"period", period_json(t.period)},
                {"as_of", format_instant(t.as_of)},
                {"orders", t.orders},
                {"clocks", std::move(clocks)},
                {"overdue", late_json(t.overdue)},
                {"warned", late_json(t.warned)},
                {"actions", std::move(actions)},
                {"supervised_orders", t.supervised_orders},
                {"reopened_orders", t.reopened_orders},
                {"extended_orders", t.extended_orders},
                {"call_backs", std::move(call_backs)},
                {"satisfaction", rate_json(t.satisfaction())},
                {"units", std::move(units)}};
  r->tables = t.tables();
  return r.release();
}

std::string numbered(const std::string& path, std::size_t i) {
  const std::filesystem::path p(path);
  return (p.parent_path() / (p.stem().string() + "-" + std::to_string(i + 1) + p.extension().string())).string();
}

}  // namespace

extern "C" {

hotline_status hotline_report_monthly(hotline_report** out, const hotline_store* store, const char* period,
                                      const char* scope_json) {
  return guard([&] {
    c_api::null_out(out);
    HOTLINE_C_REQUIRE(out && store && period, "out, store and period must not be NULL");
    const auto p = c_api::period_arg(period, "period");
    const auto sc = c_api::scope_arg(scope_json, "scope_json");
    *out = monthly_report(monthly_statistics(store->db, p, sc));
  });
}

hotline_status hotline_report_quarterly(hotline_report** out, const hotline_store* store, const char* period) {
  return guard([&] {
    c_api::null_out(out);
    HOTLINE_C_REQUIRE(out && store && period, "out, store and period must not be NULL");
    const auto p = c_api::period_arg(period, "period");
    *out = quarterly_report(quarterly_summary(store->db, p), p);
  });
}

hotline_status hotline_report_timeliness(hotline_report** out, const hotline_store* store, const char* period,
                                         const char* as_of, const char* scope_json) {
  return guard([&] {
    c_api::null_out(out);
    HOTLINE_C_REQUIRE(out && store && period && as_of, "out, store, period and as_of must not be NULL");
    const auto p = c_api::period_arg(period, "period");
    const auto at = c_api::instant_arg(as_of, "as_of");
    const auto sc = c_api::scope_arg(scope_json, "scope_json");
    *out = timeliness_report(timeliness(store->db, p, at, sc));
  });
}

hotline_status hotline_report_receipts(hotline_report** out, const hotline_store* store, const char* period,
                                       const char* scope_json) {
  return guard([&] {
    c_api::null_out(out);
    HOTLINE_C_REQUIRE(out && store && period, "out, store and period must not be NULL");
    const auto p = c_api::period_arg(period, "period");
    const auto sc = c_api::scope_arg(scope_json, "scope_json");
    const auto rows = receipt_statistics(store->db, p, sc);
    auto r = std::make_unique<hotline_report>();
    json list = json::array();
    for (const auto& row : rows)
      list.push_back(json{{"unit", row.unit},
                          {"number", row.number},
                          {"received_at", format_instant(row.received_at)},
                          {"content", row.content},
                          {"remark", row.remark}});
    r->doc = json{{"report", "receipts"}, {"period", period_json(p)}, {"rows", std::move(list)}};
    r->tables = receipt_statistics_tables(rows, p);
    *out = r.release();
  });
}

hotline_status hotline_report_monthly_from_orders(hotline_report** out, const char* orders_json, const char* period,
                                                  const char* scope_json) {
  return guard([&] {
    c_api::null_out(out);
    HOTLINE_C_REQUIRE(out && orders_json && period, "out, orders_json and period must not be NULL");
    const auto p = c_api::period_arg(period, "period");
    const auto sc = c_api::scope_arg(scope_json, "scope_json");
    const auto orders = orders_arg(orders_json);
    *out = monthly_report(monthly_statistics(orders, p, sc));
  });
}

hotline_status hotline_report_quarterly_from_orders(hotline_report** out, const char* orders_json,
                                                    const char* period) {
  return guard([&] {
    c_api::null_out(out);
    HOTLINE_C_REQUIRE(out && orders_json && period, "out, orders_json and period must not be NULL");
    const auto p = c_api::period_arg(period, "period");
    const auto orders = orders_arg(orders_json);
    *out = quarterly_report(quarterly_summary(orders, p), p);
  });
}

hotline_status hotline_report_timeliness_from_orders(hotline_report** out, const char* orders_json,
                                                     const char* period, const char* as_of, const char* scope_json) {
  return guard([&] {
    c_api::null_out(out);
    HOTLINE_C_REQUIRE(out && orders_json && period && as_of, "out, orders_json, period and as_of must not be NULL");
    const auto p = c_api::period_arg(period, "period");
    const auto at = c_api::instant_arg(as_of, "as_of");
    const auto sc = c_api::scope_arg(scope_json, "scope_json");
    const auto orders = orders_arg(orders_json);
    *out = timeliness_report(timeliness(orders, p, at, sc));
  });
}

void hotline_report_free(hotline_report* report) { delete report; }

hotline_status hotline_report_table_count(size_t* out, const hotline_report* report) {
  return guard([&] {
    HOTLINE_C_REQUIRE(out && report, "out and report must not be NULL");
    *out = report->tables.size();
  });
}

hotline_status hotline_report_to_json(char** out, const hotline_report* report) {
  return guard([&] {
    c_api::null_out(out);
    HOTLINE_C_REQUIRE(out && report, "out and report must not be NULL");
    json doc = report->doc;
    json tables = json::array();
    for (const auto& t : report->tables) tables.push_back(hotline::detail::table_json(t));
    doc["tables"] = std::move(tables);
    c_api::set_text(out, c_api::dump(doc));
  });
}

hotline_status hotline_report_to_csv(char** out, const hotline_report* report, size_t index) {
  return guard([&] {
    c_api::null_out(out);
    HOTLINE_C_REQUIRE(out && report, "out and report must not be NULL");
    if (index >= report->tables.size())
      throw out_of_range_error("table " + std::to_string(index) + " of a report with " +
                               std::to_string(report->tables.size()) + " table(s)");
    c_api::set_text(out, to_csv(report->tables[index]));
  });
}

hotline_status hotline_report_to_text(char** out, const hotline_report* report) {
  return guard([&] {
    c_api::null_out(out);
    HOTLINE_C_REQUIRE(out && report, "out and report must not be NULL");
    std::string all;
    for (const auto& t : report->tables) all += to_text(t) + "\n";
    c_api::set_text(out, all);
  });
}

hotline_status hotline_report_write_csv(const hotline_report* report, const char* path) {
  return guard([&] {
    HOTLINE_C_REQUIRE(report && path, "report and path must not be NULL");
    const std::string p(c_api::text_arg(path, "path"));
    if (report->tables.size() == 1) {
      write_csv(report->tables[0], p);
      return;
    }
    for (std::size_t i = 0; i < report->tables.size(); ++i) write_csv(report->tables[i], numbered(p, i));
  });
}

hotline_status hotline_report_write_xlsx(const hotline_report* report, const char* path) {
  return guard([&] {
    HOTLINE_C_REQUIRE(report && path, "report and path must not be NULL");
    write_xlsx(report->tables, std::string(c_api::text_arg(path, "path")));
  });
}

}  // extern "C"
