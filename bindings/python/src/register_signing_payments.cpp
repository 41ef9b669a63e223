// Python: work points (work_points.hpp), fee arithmetic and settlements (fees.hpp,
// settlement.hpp) from the signing registry; the reports are in
// register_signing_analysis.cpp.  Calls over the registry release the GIL.
#include "bindings.hpp"
#include "signing_rows.hpp"

namespace py = pybind11;

namespace hotline::python {

using namespace signing_rows;

void register_signing_payments(py::module_& m) {
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
