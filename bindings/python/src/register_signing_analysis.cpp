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
#include "bindings.hpp"
#include "signing_rows.hpp"

namespace py = pybind11;

namespace hotline::python {

using namespace signing_rows;

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

  register_signing_payments(m);  // work points, fees, settlements
}

}  // namespace hotline::python
