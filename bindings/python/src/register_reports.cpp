// Python: report tables, reporting periods, the annex 7/8 reports, the
// quarterly summary and the timeliness report (report.hpp, timeliness.hpp),
// and the call log in the store.
#include "bindings.hpp"
#include "casters.hpp"

#include <hotline/report.hpp>
#include <hotline/report_table.hpp>
#include <hotline/store.hpp>
#include <hotline/timeliness.hpp>

#include <pybind11/stl.h>

namespace py = pybind11;

namespace hotline::python {
namespace {

py::object cell_to_py(const report_cell& c) {
  if (const auto* s = std::get_if<std::string>(&c)) return py::str(*s);
  return py::float_(std::get<double>(c));
}

py::list rows_to_py(const report_table& t) {
  py::list rows;
  for (const auto& r : t.rows) {
    py::list row;
    for (const auto& c : r) row.append(cell_to_py(c));
    rows.append(row);
  }
  return rows;
}

report_scope scope_of(const std::optional<std::string>& district, const std::optional<std::string>& unit) {
  return report_scope{district, unit};
}

py::dict rate_dict(const rate& r) {
  py::dict d;
  d["numerator"] = r.numerator;
  d["denominator"] = r.denominator;
  d["value"] = r.value() ? py::object(py::float_(*r.value())) : py::object(py::none());
  return d;
}

py::dict clock_dict(const clock_timeliness& c) {
  py::dict d;
  d["clock"] = std::string(to_string(c.clock));
  d["met"] = c.met;
  d["missed"] = c.missed;
  d["overdue"] = c.overdue;
  d["running"] = c.running;
  d["paused"] = c.paused;
  d["voided"] = c.voided;
  d["not_started"] = c.not_started;
  d["on_time"] = rate_dict(c.on_time());
  return d;
}

py::list late_list(const std::vector<late_clock>& v) {
  py::list out;
  for (const auto& l : v) {
    py::dict d;
    d["number"] = l.number;
    d["unit"] = l.unit;
    d["clock"] = std::string(to_string(l.clock));
    d["due"] = py::cast(l.due);
    d["warn"] = py::cast(l.warn);
    out.append(d);
  }
  return out;
}

py::dict call_dict(const call_record& c) {
  py::dict d;
  d["call_id"] = c.call_id;
  d["started_at"] = py::cast(c.started_at);
  d["answered"] = c.answered;
  d["wait_seconds"] = c.wait.count();
  d["agent"] = c.agent;
  d["ivr_key"] = c.ivr_key;
  d["line"] = c.line;
  d["unit"] = c.unit;
  d["work_order"] = c.work_order;
  return d;
}

}  // namespace

void register_reports(py::module_& m) {
  py::class_<report_table>(m, "ReportTable", R"pbdoc(A report laid out like its annex: Chinese headers, rows, notes.)pbdoc")
      .def_readonly("title", &report_table::title, "The table's title, e.g. 表1 受理来电按类型统计.")
      .def_readonly("columns", &report_table::columns, "The header row (Chinese, as the centre files them).")
      .def_property_readonly("rows", &rows_to_py, R"pbdoc(Rows of str and float cells; rates as fractions.)pbdoc")
      .def_readonly("percent_columns", &report_table::percent_columns,
                    "Indexes of the columns whose numbers are rates (shown as percentages).")
      .def_readonly("notes", &report_table::notes,
                    "Lines printed under the table: numerators and denominators of rates, gaps.")
      .def_readonly("sheet_name", &report_table::sheet_name,
                    "XLSX sheet name (<= 31 chars); empty: write_xlsx names the sheet 表N by position.")
      .def("to_csv", [](const report_table& t) { return to_csv(t); }, R"pbdoc(CSV text (RFC 4180).)pbdoc")
      .def("to_text", [](const report_table& t) { return to_text(t); }, R"pbdoc(Aligned text for terminals.)pbdoc")
      .def(
          "write_csv", [](const report_table& t, const std::string& path) { write_csv(t, path); }, py::arg("path"),
          R"pbdoc(Writes CSV with a UTF-8 BOM (what Excel expects for Chinese text).)pbdoc")
      .def(
          "to_pandas",
          [](const report_table& t) {
            return py::module_::import("pandas").attr("DataFrame")(rows_to_py(t), py::arg("columns") = t.columns);
          },
          R"pbdoc(A pandas DataFrame with the table's columns (pandas must be installed).)pbdoc")
      .def("__str__", [](const report_table& t) { return to_text(t); })
      .def("__repr__", [](const report_table& t) {
        return "<ReportTable " + t.title + ": " + std::to_string(t.rows.size()) + " rows>";
      });

  m.def(
      "write_xlsx", [](const std::vector<report_table>& tables, const std::string& path) { write_xlsx(tables, path); },
      py::arg("tables"), py::arg("path"), R"pbdoc(One workbook, a sheet per table, titles and notes included.)pbdoc");

  py::class_<reporting_period>(m, "ReportingPeriod", R"pbdoc([start, end) of a report, in Asia/Shanghai.)pbdoc")
      .def_static("month", &reporting_period::month, py::arg("year"), py::arg("month"),
                  R"pbdoc(The calendar month, midnight to midnight in Beijing time.)pbdoc")
      .def_static("quarter", &reporting_period::quarter, py::arg("year"), py::arg("quarter"),
                  R"pbdoc(Quarter 1-4 of the year, midnight to midnight in Beijing time.)pbdoc")
      .def_static("half_month", &reporting_period::half_month, py::arg("year"), py::arg("month"), py::arg("half"),
                  R"pbdoc(Half 1: days 1-15; half 2: the 16th to the end (annex 7).)pbdoc")
      .def_property_readonly("start", [](const reporting_period& p) { return p.from; },
                             "First instant of the period (aware datetime in Asia/Shanghai), inclusive.")
      .def_property_readonly("end", [](const reporting_period& p) { return p.to; },
                             "End of the period (aware datetime in Asia/Shanghai), exclusive.")
      .def_readonly("label", &reporting_period::label, "The period's label, e.g. 2026-03, 2026Q1, 2026-03上半月.")
      .def("__contains__", [](const reporting_period& p, instant t) { return p.contains(t); })
      .def("__repr__", [](const reporting_period& p) { return "<ReportingPeriod " + p.label + ">"; });

  py::class_<monthly_statistics_result>(m, "MonthlyStatistics", R"pbdoc(001 annex 8, tables 1-4.)pbdoc")
      .def_readonly("period", &monthly_statistics_result::period, "The reporting period (ReportingPeriod).")
      .def_readonly("reports", &monthly_statistics_result::reports,
                    "Reports (举报) received in the period (annex 8 table 1).")
      .def_readonly("complaints", &monthly_statistics_result::complaints,
                    "Complaints (投诉) received in the period (annex 8 table 1).")
      .def_readonly("consultations", &monthly_statistics_result::consultations,
                    "Consultations (咨询) received in the period (annex 8 table 1).")
      .def_readonly("suggestions", &monthly_statistics_result::suggestions,
                    "Suggestions (建议) received in the period (annex 8 table 1).")
      .def_readonly("other", &monthly_statistics_result::other,
                    "Other orders (其他), help requests and praise included (annex 8 table 1).")
      .def_readonly("total", &monthly_statistics_result::total,
                    "All orders received in the period (annex 8 table 1, 合计); voided and merged left out.")
      .def_readonly("other_help_requests", &monthly_statistics_result::other_help_requests,
                    "Help requests (求助) counted inside `other`.")
      .def_readonly("other_praise", &monthly_statistics_result::other_praise, "Praise (表扬) counted inside `other`.")
      .def_readonly("left_out_void_or_merged", &monthly_statistics_result::left_out_void_or_merged,
                    "Voided or merged orders of the period, not counted in the tables.")
      .def_property_readonly(
          "flows",
          [](const monthly_statistics_result& r) {
            py::dict d;
            for (const auto& [name, f] : {std::pair{"report", r.report_flow}, std::pair{"suggestion", r.suggestion_flow}}) {
              py::dict x;
              x["received"] = f.received;
              x["transferred"] = f.transferred;
              x["completed"] = f.completed;
              x["completion"] = rate_dict(f.completion());
              d[name] = x;
            }
            return d;
          },
          R"pbdoc(Table 2: {"report"|"suggestion": {received, transferred, completed, completion}}.)pbdoc")
      .def_property_readonly(
          "complaints_by_subject",
          [](const monthly_statistics_result& r) {
            py::dict d;
            for (std::size_t i = 0; i < complaint_subject_count; ++i) {
              const auto& c = r.complaints_by_subject[i];
              py::dict x;
              x["received"] = c.received;
              x["handled_by_centre"] = c.handled_by_centre;
              x["transferred"] = c.transferred;
              x["transferred_completed"] = c.transferred_completed;
              x["completion"] = rate_dict(c.completion());
              d[py::str(std::string(to_string(static_cast<complaint_subject>(i))))] = x;
            }
            return d;
          },
          R"pbdoc(Table 3 by subject key (food_safety_enforcement, ..., other).)pbdoc")
      .def_property_readonly(
          "consultations_by_topic",
          [](const monthly_statistics_result& r) {
            py::dict d;
            for (const auto& [topic, subs] : r.consultations_by_topic) {
              py::dict x;
              for (const auto& [sub, n] : subs) x[py::str(sub)] = n;
              d[py::str(topic)] = x;
            }
            return d;
          },
          R"pbdoc(Table 4: {topic: {sub_topic: count}}.)pbdoc")
      .def("tables", &monthly_statistics_result::tables, R"pbdoc(The four annex tables.)pbdoc")
      .def("__repr__", [](const monthly_statistics_result& r) {
        return "<MonthlyStatistics " + r.period.label + ": " + std::to_string(r.total) + " orders>";
      });

  m.def(
      "monthly_statistics",
      [](const store& db, const reporting_period& p, const std::optional<std::string>& district,
         const std::optional<std::string>& unit) {
        py::gil_scoped_release release;
        return monthly_statistics(db, p, scope_of(district, unit));
      },
      py::arg("store"), py::arg("period"), py::kw_only(), py::arg("district") = py::none(), py::arg("unit") = py::none(),
      R"pbdoc(001 annex 8 from the store, for the city, one district or one unit.)pbdoc");

  m.def(
      "quarterly_summary",
      [](const store& db, const reporting_period& p) {
        std::vector<district_summary> rows;
        {
          py::gil_scoped_release release;
          rows = quarterly_summary(db, p);
        }
        py::list out;
        for (const auto& r : rows) {
          py::dict d;
          d["district"] = r.district;
          d["complaints"] = r.complaints;
          d["reports"] = r.reports;
          d["praise"] = r.praise;
          d["completed"] = r.completed;
          out.append(d);
        }
        return out;
      },
      py::arg("store"), py::arg("period"), R"pbdoc(000 art. 14: complaints, reports and praise per district.)pbdoc");
  m.def(
      "quarterly_summary_table",
      [](const store& db, const reporting_period& p) {
        py::gil_scoped_release release;
        return quarterly_summary_table(quarterly_summary(db, p), p);
      },
      py::arg("store"), py::arg("period"), R"pbdoc(The quarterly summary as a ReportTable.)pbdoc");

  m.def(
      "receipt_statistics",
      [](const store& db, const reporting_period& p, const std::optional<std::string>& district,
         const std::optional<std::string>& unit) {
        py::gil_scoped_release release;
        return receipt_statistics_tables(receipt_statistics(db, p, scope_of(district, unit)), p);
      },
      py::arg("store"), py::arg("period"), py::kw_only(), py::arg("district") = py::none(), py::arg("unit") = py::none(),
      R"pbdoc(001 annex 7: one table per unit of each receipt (content masked).)pbdoc");

  py::class_<timeliness_result>(m, "Timeliness", R"pbdoc(On-time rates, overdue and warned lists, actions, satisfaction.)pbdoc")
      .def_readonly("period", &timeliness_result::period, "The reporting period (ReportingPeriod).")
      .def_readonly("as_of", &timeliness_result::as_of,
                    "The instant the report is computed as of (aware datetime in Asia/Shanghai).")
      .def_readonly("orders", &timeliness_result::orders, "Orders counted (not voided or merged).")
      .def_property_readonly("clocks",
                             [](const timeliness_result& r) {
                               py::dict d;
                               for (const auto& c : r.clocks) d[py::str(std::string(to_string(c.clock)))] = clock_dict(c);
                               return d;
                             },
                             R"pbdoc({clock: {met, missed, overdue, running, ..., on_time}}.)pbdoc")
      .def_property_readonly(
          "overdue", [](const timeliness_result& r) { return late_list(r.overdue); },
          "Running clocks past due at as_of, most overdue first: [{number, unit, clock, due, warn}].")
      .def_property_readonly(
          "warned", [](const timeliness_result& r) { return late_list(r.warned); },
          "Running clocks past their warning but not yet due, earliest warning first; dicts as overdue.")
      .def_property_readonly("actions",
                             [](const timeliness_result& r) {
                               py::dict d;
                               for (const auto& a : r.actions)
                                 d[py::str(std::string(to_string(a.action)))] = py::make_tuple(a.events, a.orders);
                               return d;
                             },
                             R"pbdoc({action: (events, orders)} for returns, extensions, supervisions, rework, reopens.)pbdoc")
      .def_property_readonly("call_backs",
                             [](const timeliness_result& r) {
                               py::dict d;
                               for (std::size_t i = 1; i < r.call_backs.size(); ++i)
                                 d[py::str(std::string(to_string(static_cast<call_back_result>(i))))] = r.call_backs[i];
                               return d;
                             },
                             "{result: count}: satisfied, basically_satisfied, dissatisfied, unreachable call-backs.")
      .def_property_readonly(
          "satisfaction", [](const timeliness_result& r) { return rate_dict(r.satisfaction()); },
          "(Basically) satisfied / call-backs that reached the caller: {numerator, denominator, value}.")
      .def_property_readonly("by_unit",
                             [](const timeliness_result& r) {
                               py::list out;
                               for (const auto& u : r.by_unit) {
                                 py::dict d;
                                 d["unit"] = u.unit;
                                 d["orders"] = u.orders;
                                 d["reply"] = clock_dict(u.reply);
                                 d["completion"] = clock_dict(u.completion);
                                 out.append(d);
                               }
                               return out;
                             },
                             "Per handling unit: [{unit, orders, reply, completion}]; unit \"\" = not dispatched.")
      .def_readonly("supervised_orders", &timeliness_result::supervised_orders,
                    "Counted orders with a supervision level (催办, 督办, 黄牌 or 红牌).")
      .def_readonly("reopened_orders", &timeliness_result::reopened_orders, "Counted orders reopened at least once.")
      .def_readonly("extended_orders", &timeliness_result::extended_orders,
                    "Counted orders granted an extension (extension days > 0).")
      .def("tables", &timeliness_result::tables,
           R"pbdoc(Tables with Chinese headers: clocks, units, actions and satisfaction, the overdue
list, the warned list.)pbdoc");

  m.def(
      "timeliness",
      [](const store& db, const reporting_period& p, instant as_of, const std::optional<std::string>& district,
         const std::optional<std::string>& unit) {
        py::gil_scoped_release release;
        return timeliness(db, p, as_of, scope_of(district, unit));
      },
      py::arg("store"), py::arg("period"), py::arg("as_of"), py::kw_only(), py::arg("district") = py::none(),
      py::arg("unit") = py::none(), R"pbdoc(The timeliness report of the period's orders as of an instant.)pbdoc");

  // ---- the call log, on the Store class registered by register_store ----
  auto cls = py::reinterpret_borrow<py::class_<store>>(m.attr("Store"));
  cls.def(
         "import_calls",
         [](store& s, const std::string& path) {
           const auto log = call_log::from_csv_file(path);
           call_import r;
           {
             py::gil_scoped_release release;
             r = s.import_calls(log);
           }
           py::dict d;
           d["added"] = r.added;
           d["already_stored"] = r.already_stored;
           d["warnings"] = r.warnings;
           return d;
         },
         py::arg("path"),
         R"pbdoc(Imports a call-log CSV (call_log.hpp) in one transaction: {added, already_stored, warnings}.)pbdoc")
      .def(
          "calls",
          [](const store& s, instant start, instant end) {
            std::vector<call_record> calls;
            {
              py::gil_scoped_release release;
              calls = s.calls(start, end);
            }
            py::list out;
            for (const auto& c : calls) out.append(call_dict(c));
            return out;
          },
          py::arg("start"), py::arg("end"), R"pbdoc(Calls that started in [start, end), as dicts.)pbdoc");
}

}  // namespace hotline::python
