// Python: what the signing registry says.  Reports (signing/reports.hpp), work points
// (work_points.hpp), fee arithmetic and settlements (fees.hpp, settlement.hpp), each
// result with .rows, .table() (the ReportTable a health commission files) and
// .to_pandas() (one row per group, ASCII column names, numbers as numbers; money in
// integer fen).  Names are prefixed as register_signing.cpp says.
//
//   cov = hotline.signing_coverage(reg, datetime.date(2026, 6, 30))
//   cov.to_pandas()                                  # group, district, population, signed, rate, ...
//   hotline.signing_year_end_settlement(reg, 2017, {"YX-01": 0.92}).to_pandas()
//   hotline.write_xlsx(hotline.signing_tables(reg, as_of), "signing.xlsx")
//
// Every call that runs over the registry releases the GIL (see the thread note in
// register_signing.cpp).  Frames come from pandas.DataFrame.from_records over the
// rows' to_dict(), the work-order store's way.
#include "bindings.hpp"
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

namespace py = pybind11;

namespace hotline::python {
namespace {

using namespace hotline::signing;

// ---- results and frames -----------------------------------------------------------------

/// A pandas DataFrame from row dicts (the work-order store's helper, for these rows).
py::object frame(const py::list& rows, const py::list& columns) {
  py::object pd;
  try {
    pd = py::module_::import("pandas");
  } catch (py::error_already_set&) {
    throw py::import_error("pandas is not installed (Debian: apt install python3-pandas); use .rows instead");
  }
  return pd.attr("DataFrame").attr("from_records")(rows, py::arg("columns") = columns);
}

template <class Row, class F>
py::object frame_of(const std::vector<Row>& rows, F to_dict) {
  py::list dicts;
  for (const auto& r : rows) dicts.append(to_dict(r));
  py::list columns;
  if (!rows.empty())
    for (auto k : py::dict(dicts[0]).attr("keys")()) columns.append(k);
  else
    for (auto k : to_dict(Row{}).attr("keys")()) columns.append(k);
  return frame(dicts, columns);
}

py::object opt_day(const std::optional<day>& d) { return d ? py::cast(*d) : py::none(); }
py::object opt_num(const std::optional<double>& v) { return v ? py::object(py::float_(*v)) : py::none(); }

template <class E, std::size_t N, class T>
py::dict by_enum(const std::array<T, N>& values) {
  py::dict d;
  for (std::size_t k = 0; k < N; ++k) d[py::cast(static_cast<E>(k))] = values[k];
  return d;
}

py::dict coverage_dict(const coverage_row& r) {
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

py::dict referral_dict(const referral_row& r) {
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

py::dict management_dict(const management_row& r) {
  py::dict d;
  d["condition"] = std::string(name(r.condition));
  d["managed"] = r.managed;
  d["standardised"] = r.standardised;
  d["rate"] = r.rate();
  return d;
}

py::dict workforce_dict(const workforce_figures& w) {
  py::dict d;
  d["village_doctors"] = w.village_doctors;
  d["village_doctors_in_teams"] = w.village_doctors_in_teams;
  d["village_share"] = w.village_share();
  d["specialist_slots"] = w.specialist_slots;
  d["specialist_slots_opened"] = w.specialist_slots_opened;
  d["slots_share"] = w.slots_share();
  return d;
}

py::dict not_served_dict(const not_served_row& r) {
  py::dict d;
  d["team"] = r.team;
  d["institution"] = r.institution;
  d["valid"] = r.valid;
  d["not_served"] = r.not_served;
  d["rate"] = r.rate();
  return d;
}

py::dict visit_dict(const visit_due& v) {
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

py::dict survey_dict(const survey_row& r) {
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
void put_services(py::dict& d, const Row& r) {
  for (std::size_t k = 0; k < service_kind_count; ++k)
    d[py::str(std::string(name(static_cast<service_kind>(k))))] = r.services[k];
}

py::dict points_dict(const points_row& r) {
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

py::dict points_total_dict(const points_total& r) {
  py::dict d;
  d["month"] = r.month;
  d["institution"] = r.institution;
  d["team"] = r.team;
  put_services(d, r);
  d["points"] = r.points;
  d["share_of_institution"] = r.share_of_institution;
  return d;
}

void put_line(py::dict& d, const statement_line& w) {
  static const char* const levels[] = {"team", "institution", "total"};
  d["level"] = levels[static_cast<std::size_t>(w.level)];
  d["institution"] = w.institution;
  d["institution_name"] = w.institution_name;
  d["team"] = w.team;
  d["team_name"] = w.team_name;
}

py::dict monthly_dict(const monthly_row& r) {
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

py::dict year_end_dict(const year_end_row& r) {
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
py::object statement_frame(const Statement& s, F to_dict) {
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

points_table::version make_version(std::string id, day from, const std::map<service_kind, double>& points) {
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

}  // namespace

void register_signing_analysis(py::module_& m) {
  // ---- coverage ----
  py::enum_<grouping>(m, "SigningGrouping",
                      R"pbdoc(How coverage is grouped: by residence (with a population) or by who signed.)pbdoc")
      .value("DISTRICT", grouping::district, "区")
      .value("SUBDISTRICT", grouping::subdistrict, "街道（镇）: group 'district sub-district'")
      .value("COMMUNITY", grouping::community, "社区（村）: group 'district sub-district community'")
      .value("INSTITUTION", grouping::institution, "机构: signed counts only")
      .value("TEAM", grouping::team, "团队: signed counts only");

  py::class_<coverage_cell>(m, "SigningCoverageCell", R"pbdoc(A population and how many of it are signed.)pbdoc")
      .def_readonly("population", &coverage_cell::population,
                    "Residents of the population on the day (0 when grouped by institution or team).")
      .def_readonly("signed", &coverage_cell::signed_count, "Of them, those holding a contract valid on the day.")
      .def_property_readonly("rate", &coverage_cell::rate, "signed / population; 0 when the population is 0")
      .def("__repr__", [](const coverage_cell& c) {
        return "<SigningCoverageCell " + std::to_string(c.signed_count) + "/" + std::to_string(c.population) + ">";
      });

  py::class_<coverage_row>(
      m, "SigningCoverageRow",
      R"pbdoc(Coverage of one group: everyone, key populations together, each key population.)pbdoc")
      .def_readonly("group", &coverage_row::group,
                    "The district, sub-district, community, institution or team code; 合计 on the total row.")
      .def_readonly("district", &coverage_row::district, "The district the group lies in (empty on the total row).")
      .def_readonly("all", &coverage_row::all, "Everyone in the group (SigningCoverageCell).")
      .def_readonly("key", &coverage_row::key, "key populations together, each resident once")
      .def_property_readonly(
          "by_population", [](const coverage_row& r) { return by_enum<key_population>(r.by_population); },
          "{SigningKeyPopulation: SigningCoverageCell}")
      .def("to_dict", &coverage_dict, "The row as to_pandas() lays it out.")
      .def("__repr__", [](const coverage_row& r) {
        return "<SigningCoverageRow " + r.group + ": " + std::to_string(r.all.signed_count) + "/" +
               std::to_string(r.all.population) + ">";
      });

  py::class_<target_check>(m, "SigningTargetCheck",
                           R"pbdoc(A coverage target and whether it is met (002 §1.2; 003 §1).)pbdoc")
      .def_readonly("what", &target_check::what, "The target's group: 全人群, 重点人群 or a key population's label.")
      .def_readonly("rate", &target_check::rate, "The coverage rate on the day (0.30 = 30 %).")
      .def_readonly("previous_rate", &target_check::previous_rate, "a year before, for relative targets")
      .def_readonly("required", &target_check::required,
                    "The rate needed: the absolute target, or previous_rate plus the rise.")
      .def_readonly("upper", &target_check::upper, "the upper end of a relative range")
      .def_readonly("met", &target_check::met,
                    "True when rate reaches required (a rise above upper is reported, not failed).")
      .def_readonly("source", &target_check::source, "The article the target comes from.")
      .def("__repr__",
           [](const target_check& t) { return "<SigningTargetCheck " + t.what + (t.met ? " met>" : " not met>"); });

  py::class_<coverage_result>(m, "SigningCoverage",
                              R"pbdoc(Coverage as of a day (reports.hpp): rows by group, the total, the targets.)pbdoc")
      .def_readonly("as_of", &coverage_result::as_of, "The day coverage is counted on (datetime.date).")
      .def_readonly("by", &coverage_result::by, "How the rows are grouped (SigningGrouping).")
      .def_readonly("rows", &coverage_result::rows, "sorted by group")
      .def_readonly("total", &coverage_result::total, "All groups together (SigningCoverageRow, group 合计).")
      .def_readonly("targets", &coverage_result::targets, "empty for the institution and team groupings")
      .def(
          "table", [](const coverage_result& c) { return coverage_table(c); },
          "The coverage table (家庭医生签约覆盖率) as a ReportTable.")
      .def(
          "to_pandas", [](const coverage_result& c) { return frame_of(c.rows, coverage_dict); },
          R"pbdoc(One row per group (the total is .total): group, district, population, signed, rate,
key_population, key_signed, key_rate, then <code>_population, <code>_signed and <code>_rate
for each key population (elderly, child, ...).)pbdoc")
      .def("__repr__", [](const coverage_result& c) {
        return "<SigningCoverage " + format_day(c.as_of) + ": " + std::to_string(c.rows.size()) + " rows>";
      });

  m.def(
      "signing_coverage",
      [](const registry& r, day as_of, grouping by) { return released([&] { return coverage(r, as_of, by); }); },
      py::arg("registry"), py::arg("as_of"), py::arg("by") = grouping::district,
      R"pbdoc(Coverage as of a day, by district, sub-district, community, institution or team (GIL released).)pbdoc");

  // ---- referrals ----
  py::class_<referral_row>(
      m, "SigningReferralRow",
      R"pbdoc(Upward and downward referrals of an institution ("" for the total) in a year and the year before.)pbdoc")
      .def_readonly("institution", &referral_row::institution,
                    "Code of the institution whose teams referred; \"\" on the total row.")
      .def_readonly("up", &referral_row::up, "Upward referrals in the year.")
      .def_readonly("down", &referral_row::down, "Downward referrals in the year.")
      .def_readonly("up_previous", &referral_row::up_previous, "Upward referrals in the year before.")
      .def_readonly("down_previous", &referral_row::down_previous, "Downward referrals in the year before.")
      .def_property_readonly("up_by_priority",
                             [](const referral_row& r) { return by_enum<referral_priority>(r.up_by_priority); },
                             "The year's upward referrals by priority: {SigningReferralPriority: count}.")
      .def("up_change", &referral_row::up_change, "(up - up_previous) / up_previous; None without a previous year")
      .def("down_change", &referral_row::down_change,
           "(down - down_previous) / down_previous; None without a previous year")
      .def("to_dict", &referral_dict, "The row as a dict, as to_pandas() lays it out.");
  py::class_<referrals_result>(
      m, "SigningReferrals",
      R"pbdoc(Referrals in a year against the year before (004 §2.2); the total is the last row.)pbdoc")
      .def_readonly("year", &referrals_result::year, "The year reported (compared with year - 1).")
      .def_readonly("rows", &referrals_result::rows, "One SigningReferralRow per institution, by code, then the total.")
      .def(
          "table", [](const referrals_result& r) { return referrals_table(r.rows, r.year); },
          "The table as the commission files it (a ReportTable, Chinese headers), for write_xlsx.")
      .def(
          "to_pandas", [](const referrals_result& r) { return frame_of(r.rows, referral_dict); },
          "The rows as a pandas DataFrame, one row per to_dict().")
      .def("__len__", [](const referrals_result& r) { return r.rows.size(); });
  m.def(
      "signing_referrals",
      [](const registry& r, int year) { return released([&] {
                                          return referrals_result{year, referrals(r, year)};
                                        }); },
      py::arg("registry"), py::arg("year"),
      R"pbdoc(Referrals in `year` and `year - 1`, per institution and in total.)pbdoc");

  // ---- standardised management ----
  py::class_<management_row>(m, "SigningManagementRow",
                             R"pbdoc(Signed chronic patients and those managed to standard (004 §2.3).)pbdoc")
      .def_readonly("condition", &management_row::condition, "The chronic condition (SigningAttribute).")
      .def_readonly("managed", &management_row::managed, "Signed residents with the condition on the day.")
      .def_readonly("standardised", &management_row::standardised,
                    "Of them, those with at least standardised_follow_ups follow-ups in 365 days.")
      .def_property_readonly("rate", &management_row::rate, "standardised / managed; 0 when none are managed.")
      .def("to_dict", &management_dict, "The row as a dict, as to_pandas() lays it out.");
  py::class_<management_result>(m, "SigningChronicManagement",
                                R"pbdoc(Standardised management of chronic patients as of a day.)pbdoc")
      .def_readonly("as_of", &management_result::as_of, "The day reported on (datetime.date).")
      .def_readonly("rows", &management_result::rows, "One SigningManagementRow per chronic condition.")
      .def(
          "table", [](const management_result& r) { return chronic_management_table(r.rows, r.as_of); },
          "The table as the commission files it (a ReportTable, Chinese headers), for write_xlsx.")
      .def(
          "to_pandas", [](const management_result& r) { return frame_of(r.rows, management_dict); },
          "The rows as a pandas DataFrame, one row per to_dict().")
      .def("__len__", [](const management_result& r) { return r.rows.size(); });
  m.def(
      "signing_chronic_management",
      [](const registry& r, day as_of) {
        return released([&] { return management_result{as_of, chronic_management(r, as_of)}; });
      },
      py::arg("registry"), py::arg("as_of"),
      R"pbdoc(Standardised management on as_of (004 §2.3), one row per chronic condition: the signed
residents with the condition, and those with at least the policy's standardised_follow_ups
follow-ups in the 365 days ending on as_of.)pbdoc");

  // ---- workforce ----
  py::class_<workforce_result>(
      m, "SigningWorkforce",
      R"pbdoc(Village doctors in teams (002 §2.10) and specialist slots opened to teams (002 §2.5).)pbdoc")
      .def_readonly("as_of", &workforce_result::as_of, "The day reported on (datetime.date).")
      .def_property_readonly("village_doctors", [](const workforce_result& w) { return w.figures.village_doctors; },
                             "Staff qualified as village doctors (002 §2.10).")
      .def_property_readonly("village_doctors_in_teams",
                             [](const workforce_result& w) { return w.figures.village_doctors_in_teams; },
                             "Of them, those in a team on as_of.")
      .def_property_readonly("specialist_slots", [](const workforce_result& w) { return w.figures.specialist_slots; },
                             "Hospitals' specialist slots in the months of as_of's year up to it (002 §2.5).")
      .def_property_readonly("specialist_slots_opened",
                             [](const workforce_result& w) { return w.figures.specialist_slots_opened; },
                             "Of those slots, the ones opened to family-doctor teams.")
      .def_property_readonly("village_share", [](const workforce_result& w) { return w.figures.village_share(); },
                             "village_doctors_in_teams / village_doctors; 0 without village doctors.")
      .def_property_readonly("slots_share", [](const workforce_result& w) { return w.figures.slots_share(); },
                             "specialist_slots_opened / specialist_slots; 0 without slots.")
      .def(
          "table", [](const workforce_result& w) { return workforce_table(w.figures, w.as_of); },
          "The table as the commission files it (a ReportTable, Chinese headers), for write_xlsx.")
      .def(
          "to_pandas",
          [](const workforce_result& w) { return frame_of(std::vector<workforce_figures>{w.figures}, workforce_dict); },
          "One row.");
  m.def(
      "signing_workforce",
      [](const registry& r, day as_of) {
        return released([&] { return workforce_result{as_of, workforce(r, as_of)}; });
      },
      py::arg("registry"), py::arg("as_of"),
      R"pbdoc(Village doctors in a team on as_of (002 §2.10) and the specialist slots opened to teams in
the months of as_of's year up to it (002 §2.5).)pbdoc");

  // ---- not served ----
  py::class_<not_served_row>(m, "SigningNotServedRow",
                             R"pbdoc(A team's valid contracts and those not served (签而不约, 003 §3.1).)pbdoc")
      .def_readonly("team", &not_served_row::team, "The team's code.")
      .def_readonly("institution", &not_served_row::institution, "Code of the team's institution.")
      .def_readonly("valid", &not_served_row::valid, "The team's contracts valid on the day.")
      .def_readonly("not_served", &not_served_row::not_served, "Of them, contracts signed but not served (签而不约).")
      .def_property_readonly("rate", &not_served_row::rate, "not_served / valid; 0 without valid contracts.")
      .def("to_dict", &not_served_dict, "The row as a dict, as to_pandas() lays it out.");
  py::class_<not_served_result>(m, "SigningNotServed", R"pbdoc(Contracts not served as of a day, per team.)pbdoc")
      .def_readonly("as_of", &not_served_result::as_of, "The day reported on (datetime.date).")
      .def_readonly("after_days", &not_served_result::after_days, "the policy's not_served_after_days")
      .def_readonly("rows", &not_served_result::rows, "One SigningNotServedRow per team.")
      .def(
          "table", [](const not_served_result& r) { return not_served_table(r.rows, r.as_of, r.after_days); },
          "The table as the commission files it (a ReportTable, Chinese headers), for write_xlsx.")
      .def(
          "to_pandas", [](const not_served_result& r) { return frame_of(r.rows, not_served_dict); },
          "The rows as a pandas DataFrame, one row per to_dict().")
      .def("__len__", [](const not_served_result& r) { return r.rows.size(); });
  m.def(
      "signing_not_served",
      [](const registry& r, day as_of) {
        return released([&] {
          return not_served_result{as_of, r.rules().not_served_after_days, not_served(r, as_of)};
        });
      },
      py::arg("registry"), py::arg("as_of"),
      R"pbdoc(Contracts signed but not served (签而不约, 003 §3.1), per team: valid on as_of, started at
least the policy's not_served_after_days before it, and without a service in that many days
up to as_of (a renewal carries its predecessor's history).)pbdoc");

  // ---- home visits ----
  py::class_<visit_due>(m, "SigningVisitDue",
                        R"pbdoc(A red or yellow graded resident whose home visit is behind (003 §2.3.2).)pbdoc")
      .def_readonly("resident", &visit_due::resident, "Id of the resident behind on home visits.")
      .def_readonly("team", &visit_due::team, "Code of the team of the resident's valid contract.")
      .def_readonly("contract", &visit_due::contract, "Id of that contract.")
      .def_readonly("grade", &visit_due::grade, "The resident's grade on the day: RED or YELLOW (SigningElderlyGrade).")
      .def_readonly("last_visit", &visit_due::last_visit, "Day of the last home visit, or None when there was none.")
      .def_readonly("days_since", &visit_due::days_since,
                    "Days since the last visit (with none, since the grade began).")
      .def_readonly("every_days", &visit_due::every_days,
                    "The policy's visit interval for the grade, in days (a placeholder).")
      .def("to_dict", &visit_dict, "The row as a dict, as to_pandas() lays it out.");
  py::class_<home_visits_result>(
      m, "SigningHomeVisits",
      R"pbdoc(Home visits behind as of a day (the intervals are the policy's placeholders).)pbdoc")
      .def_readonly("as_of", &home_visits_result::as_of, "The day reported on (datetime.date).")
      .def_readonly("rows", &home_visits_result::rows, "SigningVisitDue rows by team, longest since a visit first.")
      .def(
          "table", [](const home_visits_result& r) { return home_visits_table(r.rows, r.as_of); },
          "The table as the commission files it (a ReportTable, Chinese headers), for write_xlsx.")
      .def(
          "to_pandas", [](const home_visits_result& r) { return frame_of(r.rows, visit_dict); },
          "The rows as a pandas DataFrame, one row per to_dict().")
      .def("__len__", [](const home_visits_result& r) { return r.rows.size(); });
  m.def(
      "signing_home_visits_behind",
      [](const registry& r, day as_of) {
        return released([&] { return home_visits_result{as_of, home_visits_behind(r, as_of)}; });
      },
      py::arg("registry"), py::arg("as_of"),
      R"pbdoc(Residents graded red or yellow on as_of with a valid contract whose last home visit (with
none, the day the grade began) is more than the policy's interval before as_of (003 §2.3.2).)pbdoc");

  // ---- verification sample and surveys ----
  m.def(
      "signing_verification_sample",
      [](const registry& r, day as_of, std::size_t n, std::uint64_t seed) {
        return released([&] { return verification_sample(r, as_of, n, seed); });
      },
      py::arg("registry"), py::arg("as_of"), py::arg("n"), py::arg("seed"),
      R"pbdoc(Contract ids of the reproducible verification sample (004 §1.5): the contracts valid on
as_of, shuffled by Fisher-Yates driven by SplitMix64 from the seed; the first n.)pbdoc");

  py::class_<survey_row>(m, "SigningSurveyRow", R"pbdoc(Verification calls of an institution ("" for the total).)pbdoc")
      .def_readonly("institution", &survey_row::institution,
                    "Code of the contract's institution; \"\" on the total row.")
      .def_readonly("asked", &survey_row::asked, "Verification calls recorded.")
      .def_readonly("reached", &survey_row::reached, "Calls that reached the resident (the rates' denominator).")
      .def_readonly("aware", &survey_row::aware, "Answers saying the resident knew of the signing (知晓).")
      .def_readonly("satisfied", &survey_row::satisfied, "Answers saying the resident was satisfied (满意).")
      .def_readonly("authentic", &survey_row::authentic, "Answers confirming the signing is real (真实).")
      .def_property_readonly("awareness", &survey_row::awareness, "aware / reached (知晓率); 0 when none reached.")
      .def_property_readonly("satisfaction", &survey_row::satisfaction,
                             "satisfied / reached (满意度); 0 when none reached.")
      .def_property_readonly("authenticity", &survey_row::authenticity,
                             "authentic / reached (真实率); 0 when none reached.")
      .def("to_dict", &survey_dict, "The row as a dict, as to_pandas() lays it out.");
  py::class_<survey_result>(m, "SigningSurveyResults",
                            R"pbdoc(Survey answers recorded from from_ to to (both included).)pbdoc")
      .def_property_readonly("from_", [](const survey_result& r) { return r.from; },
                             "First day of the survey period (datetime.date, included).")
      .def_readonly("to", &survey_result::to, "Last day of the survey period (datetime.date, included).")
      .def_readonly("rows", &survey_result::rows, "One SigningSurveyRow per institution, by code, then the total.")
      .def(
          "table", [](const survey_result& r) { return survey_table(r.rows, r.from, r.to); },
          "The table as the commission files it (a ReportTable, Chinese headers), for write_xlsx.")
      .def(
          "to_pandas", [](const survey_result& r) { return frame_of(r.rows, survey_dict); },
          "The rows as a pandas DataFrame, one row per to_dict().")
      .def("__len__", [](const survey_result& r) { return r.rows.size(); });
  m.def(
      "signing_survey_results",
      [](const registry& r, day from, day to) {
        return released([&] { return survey_result{from, to, survey_results(r, from, to)}; });
      },
      py::arg("registry"), py::arg("from_"), py::arg("to"),
      R"pbdoc(Verification-call answers recorded from from_ to to (both included), per institution and in
total: awareness, satisfaction and authenticity over those reached (000 art. 8.5).)pbdoc");

  m.def(
      "signing_tables", [](const registry& r, day as_of) { return released([&] { return signing_tables(r, as_of); }); },
      py::arg("registry"), py::arg("as_of"),
      R"pbdoc(Every signing table as of a day (coverage by district and by team, referrals, management,
workforce, not served, home visits, surveys of the year), for write_xlsx.)pbdoc");

  // ---- work points (work_points.hpp) ----
  py::class_<points_table::version>(m, "SigningPointsVersion",
                                    R"pbdoc(What each kind of service is worth from a day on.)pbdoc")
      .def(py::init(&make_version), py::kw_only(), py::arg("id"), py::arg("from_"), py::arg("points"),
           "points: {SigningServiceKind: points >= 0}, every kind once.")
      .def_readonly("id", &points_table::version::id, "The version's id, e.g. \"2023-v1\".")
      .def_property_readonly("from_", [](const points_table::version& v) { return v.from; },
                             "First day the version applies (inclusive), until the next version's from_.")
      .def_property_readonly("points", [](const points_table::version& v) { return by_enum<service_kind>(v.points); },
                             "Points per service kind: {SigningServiceKind: points >= 0}.")
      .def(
          "__getitem__", [](const points_table::version& v, service_kind k) { return v[k]; }, py::arg("kind"))
      .def("__eq__", [](const points_table::version& a, const points_table::version& b) { return a == b; })
      .def("__repr__", [](const points_table::version& v) {
        return "<SigningPointsVersion " + v.id + " from " + format_day(v.from) + ">";
      });

  py::class_<points_table>(m, "SigningPointsTable",
                           R"pbdoc(Points per service kind in dated versions (work_points.hpp).)pbdoc")
      .def(py::init<std::string, std::vector<points_table::version>>(), py::arg("name"), py::arg("versions"))
      .def_static("from_json", &points_table::from_json, py::arg("text"), py::arg("source") = "<json>",
                  "Parses the JSON form; ParseError naming the source, the line and the path otherwise.")
      .def_static("from_file", &points_table::from_file, py::arg("path"),
                  "Reads and parses a file as from_json(); IoError naming the path when it cannot be read.")
      .def_property_readonly("name", &points_table::name, "The table's name (may be empty).")
      .def_property_readonly("versions",
                             [](const points_table& t) {
                               return std::vector<points_table::version>(t.versions().begin(), t.versions().end());
                             },
                             "All versions (list of SigningPointsVersion), in increasing from_ order.")
      .def("version_on", &points_table::version_on, py::arg("on"), py::return_value_policy::copy,
           "The version in force on `on`; OutOfRangeError before the first.")
      .def("points", &points_table::points, py::arg("kind"), py::arg("on"),
           "The points of a service kind in the version in force on `on`.")
      .def("__eq__", [](const points_table& a, const points_table& b) { return a == b; })
      .def("__repr__", [](const points_table& t) {
        return "<SigningPointsTable " + t.name() + ": " + std::to_string(t.versions().size()) + " versions>";
      });

  py::enum_<points_level>(m, "SigningPointsLevel", R"pbdoc(The level of a rollup of work points.)pbdoc")
      .value("TEAM", points_level::team)
      .value("INSTITUTION", points_level::institution);

  py::class_<points_row>(m, "SigningPointsRow", R"pbdoc(One member's work points for a month.)pbdoc")
      .def_readonly("month", &points_row::month, "\"YYYY-MM\": the month the services were given in.")
      .def_readonly("institution", &points_row::institution, "Institution code, from the service records.")
      .def_readonly("team", &points_row::team, "Team code, from the service records.")
      .def_readonly("staff", &points_row::staff, "Id of the member who gave the services.")
      .def_property_readonly("services", [](const points_row& r) { return by_enum<service_kind>(r.services); },
                             "Services given in the month: {SigningServiceKind: count}.")
      .def_readonly("points", &points_row::points, "Work points (工分) of those services, each priced on its own day.")
      .def_readonly("share_of_team", &points_row::share_of_team,
                    "points / the team's points that month (0 if those are 0).")
      .def_readonly("share_of_institution", &points_row::share_of_institution,
                    "points / the institution's points that month (0 if those are 0).")
      .def_readonly("versions", &points_row::versions,
                    "Ids of the table versions that priced these services, in table order.")
      .def("to_dict", &points_dict, "The row as a dict, as to_pandas() lays it out.");
  py::class_<points_total>(m, "SigningPointsTotal",
                           R"pbdoc(A team's (or an institution's) work points for a month.)pbdoc")
      .def_readonly("month", &points_total::month, "\"YYYY-MM\": the month of the services.")
      .def_readonly("institution", &points_total::institution, "Institution code.")
      .def_readonly("team", &points_total::team, "Team code; empty at SigningPointsLevel.INSTITUTION.")
      .def_property_readonly("services", [](const points_total& r) { return by_enum<service_kind>(r.services); },
                             "Services given in the month: {SigningServiceKind: count}.")
      .def_readonly("points", &points_total::points, "Work points (工分) of the team (or institution) that month.")
      .def_readonly("share_of_institution", &points_total::share_of_institution,
                    "The team's points / the institution's (1 at institution level, 0 if 0).")
      .def("to_dict", &points_total_dict, "The row as a dict, as to_pandas() lays it out.");
  py::class_<points_result>(m, "SigningWorkPoints", R"pbdoc(Work points per (month, institution, team, staff).)pbdoc")
      .def_readonly("rows", &points_result::rows,
                    "One SigningPointsRow per (month, institution, team, staff), sorted by those keys.")
      .def(
          "table", [](const points_result& r) { return points_report(r.rows); },
          "The table as the commission files it (a ReportTable, Chinese headers), for write_xlsx.")
      .def(
          "totals", [](const points_result& r, points_level level) { return points_totals(r.rows, level); },
          py::arg("level") = points_level::team,
          "The rows summed per (month, institution[, team]), sorted by those keys.")
      .def(
          "to_pandas", [](const points_result& r) { return frame_of(r.rows, points_dict); },
          "The rows as a pandas DataFrame, one row per to_dict().")
      .def("__len__", [](const points_result& r) { return r.rows.size(); });
  m.def(
      "signing_work_points",
      [](const points_table& t, const registry& r, day from, day to) {
        return released([&] { return points_result{work_points(t, r.services(), from, to)}; });
      },
      py::arg("table"), py::arg("services"), py::arg("from_"), py::arg("to"),
      R"pbdoc(Work points of the services given from from_ to to (both included), each priced by the
version in force on its day; services: a SigningRegistry or a list of SigningServiceRecord.)pbdoc");
  m.def(
      "signing_work_points",
      [](const points_table& t, const std::vector<service_record>& services, day from, day to) {
        return released([&] { return points_result{work_points(t, services, from, to)}; });
      },
      py::arg("table"), py::arg("services"), py::arg("from_"), py::arg("to"));

  // ---- fees (fees.hpp) ----
  py::class_<fee_split>(
      m, "SigningFeeSplit",
      R"pbdoc(A fee split between the team and the institution (002 §2.14); they add up to the fee.)pbdoc")
      .def_readonly("team", &fee_split::team, "fen the team distributes")
      .def_readonly("institution", &fee_split::institution, "fen the institution pools")
      .def("__eq__", [](const fee_split& a, const fee_split& b) { return a == b; })
      .def("__repr__", [](const fee_split& f) {
        return "<SigningFeeSplit team " + std::to_string(f.team) + ", institution " + std::to_string(f.institution) +
               ">";
      });
  m.def(
      "signing_rounded_share", &rounded_share, py::arg("fen"), py::arg("share"),
      R"pbdoc(fen × share rounded to the fen, a half fen away from zero; the share read to 1e-9 (50 × 0.29 = 15).)pbdoc");
  m.def("signing_split_fee", &split_fee, py::arg("fee_fen"), py::arg("team_share"),
        R"pbdoc(The team's rounded share of the fee and the institution's rest (002 §2.14).)pbdoc");
  m.def(
      "signing_apportion",
      [](std::int64_t total, const std::vector<std::int64_t>& weights) { return apportion(total, weights); },
      py::arg("total"), py::arg("weights"),
      R"pbdoc(`total` in parts proportional to the weights that add up exactly (largest remainder).)pbdoc");
  m.def("signing_yuan", &yuan, py::arg("fen"), R"pbdoc(Fen as yuan, for display only.)pbdoc");

  // ---- settlements (settlement.hpp) ----
  py::enum_<statement_level>(m, "SigningStatementLevel", R"pbdoc(Who a statement row is about.)pbdoc")
      .value("TEAM", statement_level::team)
      .value("INSTITUTION", statement_level::institution)
      .value("TOTAL", statement_level::total);
  py::class_<statement_line>(m, "SigningStatementLine",
                             R"pbdoc(A team, an institution (team empty) or everyone (both empty).)pbdoc")
      .def_readonly("level", &statement_line::level,
                    "Who the row is about: TEAM, INSTITUTION or TOTAL (SigningStatementLevel).")
      .def_readonly("institution", &statement_line::institution, "Institution code; empty on the total row.")
      .def_readonly("institution_name", &statement_line::institution_name, "Institution name; empty on the total row.")
      .def_readonly("team", &statement_line::team, "Team code; empty on institution and total rows.")
      .def_readonly("team_name", &statement_line::team_name, "Team name; empty on institution and total rows.");
  py::class_<monthly_row>(m, "SigningMonthlyRow", R"pbdoc(One row of the monthly insurance lump (002 §2.13 二).)pbdoc")
      .def_readonly("who", &monthly_row::who, "The team, institution or total the row is about (SigningStatementLine).")
      .def_readonly("signings", &monthly_row::signings, "fee years beginning in the month")
      .def_readonly("renewals", &monthly_row::renewals, "Of the signings, first years of a renewal.")
      .def_readonly("later_years", &monthly_row::later_years,
                    "Of the signings, second or later years of a multi-year term.")
      .def_readonly("insured", &monthly_row::insured, "Signings of residents registered as insured.")
      .def_readonly("uninsured", &monthly_row::uninsured, "Signings of residents registered as uninsured.")
      .def_readonly("insurance_fen", &monthly_row::insurance_fen, "the lump")
      .def("to_dict", &monthly_dict, "The row as a dict, as to_pandas() lays it out.");
  py::class_<monthly_statement>(m, "SigningMonthlyStatement",
                                R"pbdoc(The insurance lump for the fee years beginning in a month.)pbdoc")
      .def_readonly("month", &monthly_statement::month, "The month settled, \"YYYY-MM\".")
      .def_readonly("first", &monthly_statement::first, "First day of the month (datetime.date).")
      .def_readonly("end", &monthly_statement::end, "the first day after the month")
      .def_readonly("rows", &monthly_statement::rows, "institution, its teams, next institution ...")
      .def_readonly("total", &monthly_statement::total, "All rows together (SigningMonthlyRow, level TOTAL).")
      .def(
          "table", [](const monthly_statement& s) { return monthly_settlement_table(s); },
          "The table as the commission files it (a ReportTable, Chinese headers), for write_xlsx.")
      .def(
          "to_pandas", [](const monthly_statement& s) { return statement_frame(s, monthly_dict); },
          "The rows, then the total (level 'total').");
  m.def(
      "signing_monthly_insurance_settlement",
      [](const registry& r, std::string month) {
        return released([&] { return monthly_insurance_settlement(r, std::move(month)); });
      },
      py::arg("registry"), py::arg("month"), R"pbdoc(The insurance lump of a month ("YYYY-MM").)pbdoc");
  py::class_<year_end_row>(m, "SigningYearEndRow",
                           R"pbdoc(One row of the year-end settlement (002 §2.13, §2.14); money in fen.)pbdoc")
      .def_readonly("who", &year_end_row::who,
                    "The team, institution or total the row is about (SigningStatementLine).")
      .def_readonly("factor", &year_end_row::factor, "the assessment factor; None on the total row")
      .def_readonly("signings", &year_end_row::signings, "Fee years beginning in the year.")
      .def_readonly("insured", &year_end_row::insured, "Of them, fee years of residents registered as insured.")
      .def_readonly("fee_fen", &year_end_row::fee_fen, "Annual signing fees (年签约服务费) of every package, in fen.")
      .def_readonly("insurance_fen", &year_end_row::insurance_fen,
                    "医保基金 share of free and basic packages of insured residents, in fen.")
      .def_readonly("insurance_pooling_fen", &year_end_row::insurance_pooling_fen,
                    "Personalised packages' insurance share (outpatient pooling, not settled here), fen.")
      .def_readonly("public_health_fen", &year_end_row::public_health_fen,
                    "基本公共卫生服务经费 share of every package and resident, in fen.")
      .def_readonly("resident_fen", &year_end_row::resident_fen, "The residents' own part (个人自付), in fen.")
      .def_readonly("uninsured_gap_fen", &year_end_row::uninsured_gap_fen,
                    "Insurance share of uninsured residents, which has no payer, in fen.")
      .def_readonly("insurance_due_fen", &year_end_row::insurance_due_fen,
                    "insurance_fen weighted by the assessment factor, in fen.")
      .def_readonly("public_health_due_fen", &year_end_row::public_health_due_fen,
                    "public_health_fen weighted by the assessment factor, in fen.")
      .def_readonly("paid_monthly_fen", &year_end_row::paid_monthly_fen,
                    "The monthly insurance lumps already paid for the year, in fen.")
      .def_readonly("insurance_balance_fen", &year_end_row::insurance_balance_fen,
                    "insurance_due - paid_monthly, in fen (negative: to recover).")
      .def_readonly("balance_fen", &year_end_row::balance_fen,
                    "Still to pay: insurance_balance + public_health_due, in fen (negative: to recover).")
      .def_readonly("distributed_fen", &year_end_row::distributed_fen,
                    "insurance_due + public_health_due + resident: what is split, in fen (002 §2.14).")
      .def_readonly("team_share_fen", &year_end_row::team_share_fen,
                    "The part of distributed_fen that goes to the team, in fen.")
      .def_readonly("institution_share_fen", &year_end_row::institution_share_fen,
                    "The part of distributed_fen the institution keeps, in fen.")
      .def("to_dict", &year_end_dict, "The row as a dict, as to_pandas() lays it out.");
  py::class_<year_end_statement>(m, "SigningYearEndStatement",
                                 R"pbdoc(The year-end settlement of a year, weighted by the assessment.)pbdoc")
      .def_readonly("year", &year_end_statement::year, "The year settled.")
      .def_readonly("team_share_by_district", &year_end_statement::team_share_by_district,
                    "{district: team share} used for free and basic packages.")
      .def_readonly("personalised_team_share", &year_end_statement::personalised_team_share,
                    "Team share used for personalised packages when the policy sets one, else None.")
      .def_readonly("rows", &year_end_statement::rows, "institution, its teams, next institution ...")
      .def_readonly("total", &year_end_statement::total, "All rows together (SigningYearEndRow, level TOTAL).")
      .def(
          "table", [](const year_end_statement& s) { return year_end_settlement_table(s); },
          "The table as the commission files it (a ReportTable, Chinese headers), for write_xlsx.")
      .def(
          "to_pandas", [](const year_end_statement& s) { return statement_frame(s, year_end_dict); },
          "The rows, then the total (level 'total').");
  m.def(
      "signing_year_end_settlement",
      [](const registry& r, int year, const std::map<std::string, double>& factors) {
        return released([&] { return year_end_settlement(r, year, factors); });
      },
      py::arg("registry"), py::arg("year"), py::arg("assessment_factor"),
      R"pbdoc(The year-end settlement of `year`; assessment_factor: {institution code: factor in 0-1}.)pbdoc");
}

}  // namespace hotline::python
