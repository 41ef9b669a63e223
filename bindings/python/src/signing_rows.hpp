// The signing reports' rows as Python dicts and pandas frames, and the small result
// types the bindings wrap: shared by register_signing_analysis.cpp (coverage, referrals,
// management, workforce, service, visits, surveys) and register_signing_payments.cpp
// (work points, fees, settlements).
#pragma once

#include "casters.hpp"

#include <hotline/report_table.hpp>
#include <hotline/signing/fees.hpp>
#include <hotline/signing/registry.hpp>
#include <hotline/signing/reports.hpp>
#include <hotline/signing/settlement.hpp>
#include <hotline/signing/work_points.hpp>
#include <hotline/work_order.hpp>

#include <pybind11/stl.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>


namespace hotline::python::signing_rows {

namespace py = pybind11;

using namespace hotline::signing;

// ---- results and frames -----------------------------------------------------------------

/// A pandas DataFrame from row dicts (the work-order store's helper, for these rows).
inline py::object frame(const py::list& rows, const py::list& columns) {
  py::object pd;
  try {
    pd = py::module_::import("pandas");
  } catch (py::error_already_set&) {
    throw py::import_error("pandas is not installed (Debian: apt install python3-pandas); use .rows instead");
  }
  return pd.attr("DataFrame").attr("from_records")(rows, py::arg("columns") = columns);
}

template <class Row, class F>
inline py::object frame_of(const std::vector<Row>& rows, F to_dict) {
  py::list dicts;
  for (const auto& r : rows) dicts.append(to_dict(r));
  py::list columns;
  if (!rows.empty())
    for (auto k : py::dict(dicts[0]).attr("keys")()) columns.append(k);
  else
    for (auto k : to_dict(Row{}).attr("keys")()) columns.append(k);
  return frame(dicts, columns);
}

inline py::object opt_day(const std::optional<day>& d) { return d ? py::cast(*d) : py::none(); }
inline py::object opt_num(const std::optional<double>& v) { return v ? py::object(py::float_(*v)) : py::none(); }

template <class E, std::size_t N, class T>
inline py::dict by_enum(const std::array<T, N>& values) {
  py::dict d;
  for (std::size_t k = 0; k < N; ++k) d[py::cast(static_cast<E>(k))] = values[k];
  return d;
}

inline py::dict coverage_dict(const coverage_row& r) {
  py::dict d;
  d["group"] = r.group;
  d["district"] = r.district;
  d["population"] = r.all.population;
  d["signed"] = r.all.signed_count;
  d["rate"] = r.all.rate();
  d["key_population"] = r.key.population;
  d["key_signed"] = r.key.signed_count;
  d["key_rate"] = r.key.rate();
  for (std::size_t k = 0; k < key_population_count; ++k) {
    const std::string code(name(static_cast<key_population>(k)));
    d[py::str(code + "_population")] = r.by_population[k].population;
    d[py::str(code + "_signed")] = r.by_population[k].signed_count;
    d[py::str(code + "_rate")] = r.by_population[k].rate();
  }
  return d;
}

inline py::dict referral_dict(const referral_row& r) {
  py::dict d;
  d["institution"] = r.institution;
  d["up"] = r.up;
  d["down"] = r.down;
  d["up_previous"] = r.up_previous;
  d["down_previous"] = r.down_previous;
  d["up_change"] = opt_num(r.up_change());
  d["down_change"] = opt_num(r.down_change());
  for (std::size_t k = 1; k < r.up_by_priority.size(); ++k)
    d[py::str("up_" + std::string(name(static_cast<referral_priority>(k))))] = r.up_by_priority[k];
  return d;
}

inline py::dict management_dict(const management_row& r) {
  py::dict d;
  d["condition"] = std::string(name(r.condition));
  d["managed"] = r.managed;
  d["standardised"] = r.standardised;
  d["rate"] = r.rate();
  return d;
}

inline py::dict workforce_dict(const workforce_figures& w) {
  py::dict d;
  d["village_doctors"] = w.village_doctors;
  d["village_doctors_in_teams"] = w.village_doctors_in_teams;
  d["village_share"] = w.village_share();
  d["specialist_slots"] = w.specialist_slots;
  d["specialist_slots_opened"] = w.specialist_slots_opened;
  d["slots_share"] = w.slots_share();
  return d;
}

inline py::dict not_served_dict(const not_served_row& r) {
  py::dict d;
  d["team"] = r.team;
  d["institution"] = r.institution;
  d["valid"] = r.valid;
  d["not_served"] = r.not_served;
  d["rate"] = r.rate();
  return d;
}

inline py::dict visit_dict(const visit_due& v) {
  py::dict d;
  d["resident"] = v.resident;
  d["team"] = v.team;
  d["contract"] = v.contract;
  d["grade"] = std::string(name(v.grade));
  d["last_visit"] = opt_day(v.last_visit);
  d["days_since"] = v.days_since;
  d["every_days"] = v.every_days;
  return d;
}

inline py::dict survey_dict(const survey_row& r) {
  py::dict d;
  d["institution"] = r.institution;
  d["asked"] = r.asked;
  d["reached"] = r.reached;
  d["aware"] = r.aware;
  d["satisfied"] = r.satisfied;
  d["authentic"] = r.authentic;
  d["awareness"] = r.awareness();
  d["satisfaction"] = r.satisfaction();
  d["authenticity"] = r.authenticity();
  return d;
}

template <class Row>
inline void put_services(py::dict& d, const Row& r) {
  for (std::size_t k = 0; k < service_kind_count; ++k)
    d[py::str(std::string(name(static_cast<service_kind>(k))))] = r.services[k];
}

inline py::dict points_dict(const points_row& r) {
  py::dict d;
  d["month"] = r.month;
  d["institution"] = r.institution;
  d["team"] = r.team;
  d["staff"] = r.staff;
  put_services(d, r);
  d["points"] = r.points;
  d["share_of_team"] = r.share_of_team;
  d["share_of_institution"] = r.share_of_institution;
  std::string versions;
  for (const auto& v : r.versions) versions.append(versions.empty() ? "" : ",").append(v);
  d["versions"] = versions;
  return d;
}

inline py::dict points_total_dict(const points_total& r) {
  py::dict d;
  d["month"] = r.month;
  d["institution"] = r.institution;
  d["team"] = r.team;
  put_services(d, r);
  d["points"] = r.points;
  d["share_of_institution"] = r.share_of_institution;
  return d;
}

inline void put_line(py::dict& d, const statement_line& w) {
  static const char* const levels[] = {"team", "institution", "total"};
  d["level"] = levels[static_cast<std::size_t>(w.level)];
  d["institution"] = w.institution;
  d["institution_name"] = w.institution_name;
  d["team"] = w.team;
  d["team_name"] = w.team_name;
}

inline py::dict monthly_dict(const monthly_row& r) {
  py::dict d;
  put_line(d, r.who);
  d["signings"] = r.signings;
  d["renewals"] = r.renewals;
  d["later_years"] = r.later_years;
  d["insured"] = r.insured;
  d["uninsured"] = r.uninsured;
  d["insurance_fen"] = r.insurance_fen;
  return d;
}

inline py::dict year_end_dict(const year_end_row& r) {
  py::dict d;
  put_line(d, r.who);
  d["factor"] = opt_num(r.factor);
  d["signings"] = r.signings;
  d["insured"] = r.insured;
  d["fee_fen"] = r.fee_fen;
  d["insurance_fen"] = r.insurance_fen;
  d["insurance_pooling_fen"] = r.insurance_pooling_fen;
  d["public_health_fen"] = r.public_health_fen;
  d["resident_fen"] = r.resident_fen;
  d["uninsured_gap_fen"] = r.uninsured_gap_fen;
  d["insurance_due_fen"] = r.insurance_due_fen;
  d["public_health_due_fen"] = r.public_health_due_fen;
  d["paid_monthly_fen"] = r.paid_monthly_fen;
  d["insurance_balance_fen"] = r.insurance_balance_fen;
  d["balance_fen"] = r.balance_fen;
  d["distributed_fen"] = r.distributed_fen;
  d["team_share_fen"] = r.team_share_fen;
  d["institution_share_fen"] = r.institution_share_fen;
  return d;
}

/// A statement's rows and then its total, as one frame (level tells them apart).
template <class Statement, class F>
inline py::object statement_frame(const Statement& s, F to_dict) {
  auto rows = s.rows;
  rows.push_back(s.total);
  return frame_of(rows, to_dict);
}

// Reports that come as bare rows in C++ get the period they were asked for, so that
// .table() can title them.
struct referrals_result {
  int year = 0;
  std::vector<referral_row> rows;
};
struct management_result {
  day as_of{};
  std::vector<management_row> rows;
};
struct workforce_result {
  day as_of{};
  workforce_figures figures;
};
struct not_served_result {
  day as_of{};
  int after_days = 0;
  std::vector<not_served_row> rows;
};
struct home_visits_result {
  day as_of{};
  std::vector<visit_due> rows;
};
struct survey_result {
  day from{}, to{};
  std::vector<survey_row> rows;
};
struct points_result {
  std::vector<points_row> rows;
};

/// Runs `f` without the GIL and returns its result.
template <class F>
auto released(F f) {
  py::gil_scoped_release release;
  return f();
}

inline points_table::version make_version(std::string id, day from, const std::map<service_kind, double>& points) {
  points_table::version v;
  v.id = std::move(id);
  v.from = from;
  for (std::size_t k = 0; k < service_kind_count; ++k) {
    const auto kind = static_cast<service_kind>(k);
    auto it = points.find(kind);
    if (it == points.end())
      throw hotline::invalid_argument_error("points table version '" + v.id + "': no points for '" +
                                            std::string(name(kind)) + "' (every service kind needs its points)");
    v.points[k] = it->second;
  }
  return v;
}

}  // namespace hotline::python::signing_rows
