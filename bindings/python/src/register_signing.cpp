// Python bindings of family-doctor signing (hotline/signing/*.hpp) and of identity
// numbers (resident_id.hpp): the vocabulary, the policy, the records and the registry.
// Bulk loading from columns and the journal store are in register_signing_store.cpp;
// reports, work points and fees in register_signing_analysis.cpp.
//
//   import datetime, hotline
//   reg = hotline.SigningRegistry(hotline.SigningPolicy.guangzhou_2017())
//   reg.add_institution(hotline.SigningInstitution(code="YX-01", name="北京街社区卫生服务中心",
//                                                  district="越秀区", subdistrict="北京街"))
//   reg.add_team(hotline.SigningTeam(code="T01", institution="YX-01"))
//   reg.sign(hotline.SigningSignRequest(resident="R1", team="T01", packages=["BASIC"],
//                                       start=datetime.date(2017, 3, 1)))
//
// Names: everything of hotline::signing is prefixed in hotline._core, classes and enums
// with "Signing" (SigningRegistry, SigningServiceKind), functions with "signing_"
// (signing_coverage); the pure-Python module hotline.signing gives the same objects
// without the prefix (hotline.signing.Registry is hotline.SigningRegistry).
// Identity numbers are not signing's: hotline.read_id_number, hotline.age_on.
//
// Enumerations: members are the C++ enumerators in upper case (SigningServiceKind.HOME_VISIT);
// .code is the ASCII name files and JSON use ("home_visit"), .label the Chinese one
// reports print ("巡诊"), and parse() reads either.  Sex crosses as "unknown", "male" or
// "female", as in the work-order store.  Keyword arguments named from_ stand for the
// C++ parameter `from` (a Python keyword); so does the property SigningTeamMember.from_.
//
// Threads: a registry is used by one thread at a time (registry.hpp).  The bulk calls
// and the reports release the GIL so that other Python threads run meanwhile; those
// threads must not use the same registry until the call returns.
#include "bindings.hpp"
#include "casters.hpp"

#include <hotline/resident_id.hpp>
#include <hotline/signing/policy.hpp>
#include <hotline/signing/registry.hpp>
#include <hotline/signing/service_record.hpp>
#include <hotline/signing/vocabulary.hpp>
#include <hotline/work_order.hpp>

#include <pybind11/stl.h>

#include <cstdint>
#include <string>
#include <vector>

namespace py = pybind11;

namespace hotline::python {
namespace {

using namespace hotline::signing;

// ---- small conversions --------------------------------------------------------------

std::string sex_name(hotline::sex s) { return std::string(hotline::to_string(s)); }
hotline::sex sex_of(const std::string& s) { return hotline::parse_enum<hotline::sex>(s); }

/// A py::enum_ over a vocabulary.hpp enumeration: members named after the C++
/// enumerators (upper case), each documented by its Chinese label; .code, .label, parse().
template <class E>
py::enum_<E> vocabulary_enum(py::module_& m, const char* name, const char* doc,
                             std::initializer_list<std::pair<const char*, E>> members) {
  py::enum_<E> e(m, name, doc);
  for (const auto& [member, value] : members) e.value(member, value, std::string(label(value)).c_str());
  e.def_property_readonly(
      "code", [](E v) { return std::string(signing::name(v)); },
      "the ASCII name files, JSON and frames use, e.g. 'home_visit'");
  e.def_property_readonly(
      "label", [](E v) { return std::string(signing::label(v)); }, "the Chinese label reports print, e.g. '巡诊'");
  e.def_static(
      "parse", [](const std::string& text) { return parse<E>(text, "parse"); }, py::arg("text"),
      "The member named by its ASCII code or its Chinese label; InvalidArgumentError listing the codes otherwise.");
  return e;
}

py::list key_population_list(std::uint16_t bits) {
  py::list out;
  for (std::size_t k = 0; k < key_population_count; ++k)
    if (bits & (1u << k)) out.append(py::cast(static_cast<key_population>(k)));
  return out;
}

}  // namespace

void register_signing(py::module_& m) {
  // ---- identity numbers (resident_id.hpp) ----
  py::class_<id_number_facts>(m, "IdNumberFacts", R"pbdoc(What an identity number says (GB 11643-1999).)pbdoc")
      .def_readonly("number", &id_number_facts::number, "the normalised 18-character number (upper-case X)")
      .def_readonly("region_code", &id_number_facts::region_code, "the 6-digit address code (GB/T 2260)")
      .def_readonly("birth", &id_number_facts::birth, "The birth date (datetime.date) the number encodes.")
      .def_property_readonly(
          "sex", [](const id_number_facts& f) { return sex_name(f.sex); },
          "'male' for an odd sequence code, 'female' for an even one")
      .def_readonly("was_15_digit", &id_number_facts::was_15_digit, "read from the 15-digit first-generation format")
      .def("__eq__", [](const id_number_facts& a, const id_number_facts& b) { return a == b; })
      .def("__repr__", [](const id_number_facts& f) {
        return "<IdNumberFacts " + mask_id_number(f.number) + " " + f.region_code + " " + sex_name(f.sex) + ">";
      });
  m.def("read_id_number", &read_id_number, py::arg("text"), py::arg("where") = "id_number",
        R"pbdoc(Reads a 15- or 18-character identity number (GB 11643-1999, resident_id.hpp).

InvalidArgumentError naming `where`, the first defect (length, character, address code,
birth date, birth year, check character) and the number masked, e.g.
"resident R17 id_number: wrong check character: got '1', expected 'X' (110105********0021)".)pbdoc");
  m.def("try_read_id_number", &try_read_id_number, py::arg("text"),
        R"pbdoc(The facts of a valid number, or None on any defect.)pbdoc");
  m.def("upgrade_to_18", &upgrade_to_18, py::arg("text"), py::arg("where") = "id_number",
        R"pbdoc(The normalised 18-character form (a 15-digit number upgraded); errors as read_id_number.)pbdoc");
  m.def(
      "id_check_character",
      [](const std::string& first17) {
        const char c = id_check_character(first17);
        if (c == '\0') throw hotline::invalid_argument_error("id_check_character: expected 17 ASCII digits");
        return std::string(1, c);
      },
      py::arg("first17"), R"pbdoc(The ISO 7064 MOD 11-2 check character ('0'-'9' or 'X') of 17 digits.)pbdoc");
  m.def("age_on", &age_on, py::arg("birth"), py::arg("on"),
        R"pbdoc(Age in completed years on `on`, the birthday itself included (29 February: 1 March in
other years).  InvalidArgumentError when the birth is after `on`.)pbdoc");

  // ---- the vocabulary (vocabulary.hpp) ----
  vocabulary_enum<institution_kind>(m, "SigningInstitutionKind",
                                    "Kinds of institution that sign residents (002 §1.2, §2.3; 003 §2.1.2).",
                                    {{"COMMUNITY_HEALTH_CENTRE", institution_kind::community_health_centre},
                                     {"COMMUNITY_HEALTH_STATION", institution_kind::community_health_station},
                                     {"TOWNSHIP_HOSPITAL", institution_kind::township_hospital},
                                     {"VILLAGE_CLINIC", institution_kind::village_clinic},
                                     {"PRIVATE_CLINIC", institution_kind::private_clinic},
                                     {"HOSPITAL", institution_kind::hospital}});
  vocabulary_enum<team_role>(m, "SigningTeamRole", "Roles in a family-doctor team (002 §2.2; 003 §2.1.1).",
                             {{"FAMILY_DOCTOR", team_role::family_doctor},
                              {"COMMUNITY_NURSE", team_role::community_nurse},
                              {"PUBLIC_HEALTH_DOCTOR", team_role::public_health_doctor},
                              {"TCM_DOCTOR", team_role::tcm_doctor},
                              {"SPECIALIST", team_role::specialist},
                              {"PHARMACIST", team_role::pharmacist},
                              {"HEALTH_MANAGER", team_role::health_manager},
                              {"VILLAGE_DOCTOR", team_role::village_doctor},
                              {"OTHER", team_role::other}});
  vocabulary_enum<key_population>(m, "SigningKeyPopulation",
                                  "Key populations (002 §1.2; 003 §2.2.1), derived as of a date.",
                                  {{"ELDERLY", key_population::elderly},
                                   {"CHILD", key_population::child},
                                   {"MATERNAL", key_population::maternal},
                                   {"DISABLED", key_population::disabled},
                                   {"HYPERTENSION", key_population::hypertension},
                                   {"DIABETES", key_population::diabetes},
                                   {"TUBERCULOSIS", key_population::tuberculosis},
                                   {"SEVERE_MENTAL_DISORDER", key_population::severe_mental_disorder},
                                   {"POVERTY_ALLEVIATED", key_population::poverty_alleviated},
                                   {"MONITORED", key_population::monitored},
                                   {"SPECIAL_FAMILY_PLANNING", key_population::special_family_planning}});
  vocabulary_enum<attribute>(
      m, "SigningAttribute",
      "A dated fact about a resident from which a key population is derived (same numbering as SigningKeyPopulation).",
      {{"PREGNANT_OR_POSTPARTUM", attribute::pregnant_or_postpartum},
       {"DISABLED", attribute::disabled},
       {"HYPERTENSION", attribute::hypertension},
       {"DIABETES", attribute::diabetes},
       {"TUBERCULOSIS", attribute::tuberculosis},
       {"SEVERE_MENTAL_DISORDER", attribute::severe_mental_disorder},
       {"POVERTY_ALLEVIATED", attribute::poverty_alleviated},
       {"MONITORED", attribute::monitored},
       {"SPECIAL_FAMILY_PLANNING", attribute::special_family_planning}})
      .def_property_readonly(
          "population", [](attribute a) { return population_of(a); },
          "the key population the attribute puts a resident in")
      .def_property_readonly(
          "is_chronic", [](attribute a) { return is_chronic(a); },
          "a chronic condition a long prescription may be written for (002 §2.6)");
  vocabulary_enum<elderly_grade>(m, "SigningElderlyGrade",
                                 "The red / yellow / green grading of residents 65 and over (003 §2.2.1).",
                                 {{"NONE", elderly_grade::none},
                                  {"GREEN", elderly_grade::green},
                                  {"YELLOW", elderly_grade::yellow},
                                  {"RED", elderly_grade::red}});
  vocabulary_enum<package_tier>(m, "SigningPackageTier", "Service packages (002 §2.12); FREE_PACKAGE's code is 'free'.",
                                {{"FREE_PACKAGE", package_tier::free_package},
                                 {"BASIC", package_tier::basic},
                                 {"PERSONALISED", package_tier::personalised}});
  vocabulary_enum<termination_reason>(m, "SigningTerminationReason", "Why a contract ended before its term.",
                                      {{"MOVED_AWAY", termination_reason::moved_away},
                                       {"DEATH", termination_reason::death},
                                       {"RESIDENT_REQUEST", termination_reason::resident_request},
                                       {"TEAM_DISSOLVED", termination_reason::team_dissolved}});
  vocabulary_enum<signing_channel>(m, "SigningChannel", "How a signing came about (004 §1.1; 000 art. 8.2).",
                                   {{"IN_PERSON", signing_channel::in_person},
                                    {"ONLINE", signing_channel::online},
                                    {"HOTLINE_APPLICATION", signing_channel::hotline_application},
                                    {"HOUSEHOLD", signing_channel::household}});
  vocabulary_enum<service_kind>(m, "SigningServiceKind",
                                "Services recorded against a contract (002 §2.4-2.6; 003 §2.3).",
                                {{"FOLLOW_UP", service_kind::follow_up},
                                 {"HEALTH_ASSESSMENT", service_kind::health_assessment},
                                 {"HOME_VISIT", service_kind::home_visit},
                                 {"CONSULTATION", service_kind::consultation},
                                 {"LONG_PRESCRIPTION", service_kind::long_prescription},
                                 {"REFERRAL_UP", service_kind::referral_up},
                                 {"REFERRAL_DOWN", service_kind::referral_down}});
  vocabulary_enum<referral_priority>(m, "SigningReferralPriority",
                                     "The three priorities of an upward referral (002 §2.5).",
                                     {{"NONE", referral_priority::none},
                                      {"SPECIALIST_APPOINTMENT", referral_priority::specialist_appointment},
                                      {"EXAMINATION", referral_priority::examination},
                                      {"ADMISSION", referral_priority::admission}});

  // ---- the policy (policy.hpp) ----
  py::class_<coverage_target>(m, "SigningCoverageTarget",
                              R"pbdoc(A coverage target: an absolute rate or a rise over the previous year.)pbdoc")
      .def(py::init([](std::optional<double> at_least, std::optional<double> points_over_previous,
                       std::optional<double> points_over_previous_max, std::string source) {
             return coverage_target{at_least, points_over_previous, points_over_previous_max, std::move(source)};
           }),
           py::kw_only(), py::arg("at_least") = py::none(), py::arg("points_over_previous") = py::none(),
           py::arg("points_over_previous_max") = py::none(), py::arg("source") = "")
      .def_readwrite("at_least", &coverage_target::at_least, "an absolute rate (0.30)")
      .def_readwrite("points_over_previous", &coverage_target::points_over_previous,
                     "a rise over last year (0.01 = 1 point)")
      .def_readwrite("points_over_previous_max", &coverage_target::points_over_previous_max, "the upper end of a range")
      .def_readwrite("source", &coverage_target::source, "the article it comes from")
      .def("__repr__", [](const coverage_target& t) { return "<SigningCoverageTarget " + t.source + ">"; });

  py::class_<policy>(m, "SigningPolicy", R"pbdoc(The rules a city or region sets for signing (policy.hpp).

Start from a preset and change what a district's notice changes; containers are copied
in and out, so assign a whole new value (p.team_share_by_district = {...}).)pbdoc")
      .def(py::init<>(), "The library's defaults (1-year terms, 80 % team share, no targets); prefer a preset.")
      .def_static("guangzhou_2017", &policy::guangzhou_2017, "穗医改办〔2017〕36号: 1-year terms, 30 % / 60 % targets.")
      .def_static("guangxi_2023", &policy::guangxi_2023,
                  "广西 2023: 1-3 year terms, +1-3 points, 100 % 脱贫 and 监测对象.")
      .def_readwrite("name", &policy::name, "The policy's name, e.g. \"广州 2017\".")
      .def_readwrite("terms_years", &policy::terms_years, "the terms (years) a contract may have")
      .def_readwrite("team_share", &policy::team_share, "the team's share of free and basic fees (002 §2.14)")
      .def_readwrite("team_share_by_district", &policy::team_share_by_district,
                     "{district: team share} where a district sets its own share (002 §2.14).")
      .def_readwrite("personalised_team_share", &policy::personalised_team_share,
                     "Team share of personalised packages' fees; None: the same share as the other tiers.")
      .def_readwrite("long_prescription_min_months", &policy::long_prescription_min_months,
                     "Shortest long prescription allowed, in months (002 §2.6).")
      .def_readwrite("long_prescription_max_months", &policy::long_prescription_max_months,
                     "Longest long prescription allowed, in months (002 §2.6).")
      .def_readwrite("red_visit_every_days", &policy::red_visit_every_days, "placeholder: the seeds give no number")
      .def_readwrite("yellow_visit_every_days", &policy::yellow_visit_every_days,
                     "placeholder: the seeds give no number")
      .def_readwrite("not_served_after_days", &policy::not_served_after_days,
                     "Days without a service after which a valid contract counts as not served (签而不约).")
      .def_readwrite("standardised_follow_ups", &policy::standardised_follow_ups,
                     "Follow-ups a year a chronic patient needs to count as standardised (004 §2.3).")
      .def_readwrite("overall", &policy::overall, "Coverage target for the whole population (SigningCoverageTarget).")
      .def_readwrite("key_populations", &policy::key_populations,
                     "Coverage target for all key populations together (SigningCoverageTarget).")
      .def_readwrite("per_population", &policy::per_population,
                     "{SigningKeyPopulation: SigningCoverageTarget} for single key populations.")
      .def_readwrite("citation", &policy::citation, "The document the policy comes from, e.g. 穗医改办〔2017〕36号.")
      .def("allows_term", &policy::allows_term, py::arg("years"),
           "Whether the policy allows a term of that many years.")
      .def("team_share_in", &policy::team_share_in, py::arg("district"), py::arg("tier"),
           "The share of a fee the team distributes in `district` (002 §2.14).")
      .def("check", &policy::check, "InvalidArgumentError naming the policy and the field when a value is impossible.")
      .def("__repr__", [](const policy& p) { return "<SigningPolicy " + p.name + ">"; });
  m.def("signing_term_end", &term_end, py::arg("start"), py::arg("years"),
        R"pbdoc(The first day after a term of `years` starting on `start` (29 February: 1 March).)pbdoc");

  // ---- records (registry.hpp, service_record.hpp) ----
  py::class_<resident>(m, "SigningResident",
                       R"pbdoc(A resident: keyed by id; birth and sex read from id_number when given.)pbdoc")
      .def(py::init([](std::string id, std::string name, std::string id_number, std::optional<day> birth,
                       const std::string& sex, std::string district, std::string subdistrict, std::string community,
                       bool insured) {
             return resident{std::move(id),       std::move(name),        std::move(id_number), birth,  sex_of(sex),
                             std::move(district), std::move(subdistrict), std::move(community), insured};
           }),
           py::kw_only(), py::arg("id") = "", py::arg("name") = "", py::arg("id_number") = "",
           py::arg("birth") = py::none(), py::arg("sex") = "unknown", py::arg("district") = "",
           py::arg("subdistrict") = "", py::arg("community") = "", py::arg("insured") = true)
      .def_readwrite("id", &resident::id, "The resident's key (health-record number or similar).")
      .def_readwrite("name", &resident::name, "The resident's name.")
      .def_readwrite("id_number", &resident::id_number, "公民身份号码; empty when the resident has none")
      .def_readwrite("birth", &resident::birth, "required without an id_number")
      .def_property(
          "sex", [](const resident& r) { return sex_name(r.sex); },
          [](resident& r, const std::string& s) { r.sex = sex_of(s); }, "'unknown', 'male' or 'female'")
      .def_readwrite("district", &resident::district, "District of residence.")
      .def_readwrite("subdistrict", &resident::subdistrict, "Sub-district of residence.")
      .def_readwrite("community", &resident::community, "Community of residence.")
      .def_readwrite("insured", &resident::insured, "basic medical insurance (002 §2.13)")
      .def("__repr__", [](const resident& r) {
        return "<SigningResident " + r.id + " " + r.district + " " + r.subdistrict + " " + r.community + ">";
      });

  py::class_<institution>(m, "SigningInstitution", R"pbdoc(An institution that signs residents, in a district.)pbdoc")
      .def(py::init([](std::string code, std::string name, institution_kind kind, std::string district,
                       std::string subdistrict) {
             return institution{std::move(code), std::move(name), kind, std::move(district), std::move(subdistrict)};
           }),
           py::kw_only(), py::arg("code") = "", py::arg("name") = "",
           py::arg("kind") = institution_kind::community_health_centre, py::arg("district") = "",
           py::arg("subdistrict") = "")
      .def_readwrite("code", &institution::code, "The institution's code, its key in the registry.")
      .def_readwrite("name", &institution::name, "The institution's name, e.g. 北京街社区卫生服务中心.")
      .def_readwrite("kind", &institution::kind, "What kind of institution it is (SigningInstitutionKind).")
      .def_readwrite("district", &institution::district, "The district the institution is in.")
      .def_readwrite("subdistrict", &institution::subdistrict, "The sub-district the institution is in.")
      .def("__repr__", [](const institution& i) { return "<SigningInstitution " + i.code + " " + i.district + ">"; });

  py::class_<team>(m, "SigningTeam",
                   R"pbdoc(A family-doctor team of an institution (individual: one doctor alone, 003 §2.1.4).)pbdoc")
      .def(py::init([](std::string code, std::string institution, std::string name, bool individual) {
             return team{std::move(code), std::move(institution), std::move(name), individual};
           }),
           py::kw_only(), py::arg("code") = "", py::arg("institution") = "", py::arg("name") = "",
           py::arg("individual") = false)
      .def_readwrite("code", &team::code, "The team's code, its key in the registry.")
      .def_readwrite("institution", &team::institution, "Code of the institution the team belongs to.")
      .def_readwrite("name", &team::name, "The team's name, e.g. 王医生团队.")
      .def_readwrite("individual", &team::individual,
                     "True for a doctor signing alone rather than a team (003 §2.1.4).")
      .def("__repr__", [](const team& t) { return "<SigningTeam " + t.code + " of " + t.institution + ">"; });

  py::class_<staff_member>(m, "SigningStaffMember",
                           R"pbdoc(A person who may serve in teams; qualification is what the person is.)pbdoc")
      .def(py::init([](std::string id, std::string name, std::string institution, team_role qualification) {
             return staff_member{std::move(id), std::move(name), std::move(institution), qualification};
           }),
           py::kw_only(), py::arg("id") = "", py::arg("name") = "", py::arg("institution") = "",
           py::arg("qualification") = team_role::family_doctor)
      .def_readwrite("id", &staff_member::id, "The person's id, their key in the registry.")
      .def_readwrite("name", &staff_member::name, "The person's name.")
      .def_readwrite("institution", &staff_member::institution, "Code of the institution the person works for.")
      .def_readwrite("qualification", &staff_member::qualification,
                     "What the person is (SigningTeamRole; village doctors: 002 §2.10).")
      .def("__repr__", [](const staff_member& s) { return "<SigningStaffMember " + s.id + ">"; });

  py::class_<package>(m, "SigningPackage",
                      R"pbdoc(A service package; annual fee in fen and who pays it (002 §2.12-2.13).)pbdoc")
      .def(py::init([](std::string code, std::string name, package_tier tier, std::vector<std::string> items,
                       std::int64_t fee_fen, std::int64_t insurance_fen, std::int64_t public_health_fen,
                       std::int64_t resident_fen) {
             return package{std::move(code), std::move(name),   tier,        std::move(items), fee_fen,
                            insurance_fen,   public_health_fen, resident_fen};
           }),
           py::kw_only(), py::arg("code") = "", py::arg("name") = "", py::arg("tier") = package_tier::basic,
           py::arg("items") = std::vector<std::string>{}, py::arg("fee_fen") = 0, py::arg("insurance_fen") = 0,
           py::arg("public_health_fen") = 0, py::arg("resident_fen") = 0)
      .def_readwrite("code", &package::code, "The package's code, its key in the registry, e.g. \"BASIC\".")
      .def_readwrite("name", &package::name, "The package's name, e.g. 基本服务包.")
      .def_readwrite("tier", &package::tier, "Free, basic or personalised (SigningPackageTier).")
      .def_readwrite("items", &package::items, "The services the package includes, e.g. [\"健康评估\"].")
      .def_readwrite("fee_fen", &package::fee_fen, "Annual fee in fen (1/100 yuan).")
      .def_readwrite("insurance_fen", &package::insurance_fen, "医保基金")
      .def_readwrite("public_health_fen", &package::public_health_fen, "基本公共卫生服务经费")
      .def_readwrite("resident_fen", &package::resident_fen, "个人自付")
      .def("__repr__",
           [](const package& p) { return "<SigningPackage " + p.code + " " + std::to_string(p.fee_fen) + " fen>"; });

  py::class_<sign_request>(m, "SigningSignRequest",
                           R"pbdoc(A request to sign: resident, team, packages, start, term in years.)pbdoc")
      .def(py::init([](std::string resident, std::string team, std::vector<std::string> packages, day start, int years,
                       signing_channel channel, std::string application, std::string id) {
             return sign_request{std::move(resident),    std::move(team), std::move(packages), start, years, channel,
                                 std::move(application), std::move(id)};
           }),
           py::kw_only(), py::arg("resident"), py::arg("team"), py::arg("packages"), py::arg("start"),
           py::arg("years") = 1, py::arg("channel") = signing_channel::in_person, py::arg("application") = "",
           py::arg("id") = "")
      .def_readwrite("resident", &sign_request::resident, "Id of the resident to sign.")
      .def_readwrite("team", &sign_request::team, "Code of the team to sign with.")
      .def_readwrite("packages", &sign_request::packages, "Codes of the packages signed.")
      .def_readwrite("start", &sign_request::start, "First day of the contract (datetime.date).")
      .def_readwrite("years", &sign_request::years, "The term in years (one the policy allows).")
      .def_readwrite("channel", &sign_request::channel, "How the signing came about (SigningChannel).")
      .def_readwrite("application", &sign_request::application, "the work order of a hotline application, if any")
      .def_readwrite("id", &sign_request::id, "the contract id; empty: the registry numbers it (C0000001 ...)")
      .def("__repr__", [](const sign_request& r) {
        return "<SigningSignRequest " + r.resident + " with " + r.team + " from " + format_day(r.start) + ">";
      });

  py::class_<contract>(m, "SigningContract",
                       R"pbdoc(A contract: valid from start to end - 1, or to terminated_on - 1.)pbdoc")
      .def(py::init([](std::string id, std::string resident, std::string team, std::string institution,
                       std::vector<std::string> packages, day start, day end, std::optional<day> terminated_on,
                       std::optional<termination_reason> reason, std::string renewal_of, signing_channel channel,
                       std::string application) {
             return contract{std::move(id),
                             std::move(resident),
                             std::move(team),
                             std::move(institution),
                             std::move(packages),
                             start,
                             end,
                             terminated_on,
                             reason,
                             std::move(renewal_of),
                             channel,
                             std::move(application)};
           }),
           py::kw_only(), py::arg("id") = "", py::arg("resident") = "", py::arg("team") = "",
           py::arg("institution") = "", py::arg("packages") = std::vector<std::string>{}, py::arg("start"),
           py::arg("end"), py::arg("terminated_on") = py::none(), py::arg("reason") = py::none(),
           py::arg("renewal_of") = "", py::arg("channel") = signing_channel::in_person, py::arg("application") = "")
      .def_readwrite("id", &contract::id, "The contract's id, e.g. C0000001.")
      .def_readwrite("resident", &contract::resident, "Id of the signed resident.")
      .def_readwrite("team", &contract::team, "Code of the team signed with.")
      .def_readwrite("institution", &contract::institution, "Code of the team's institution.")
      .def_readwrite("packages", &contract::packages, "Codes of the packages signed.")
      .def_readwrite("start", &contract::start, "First day the contract is valid (datetime.date).")
      .def_readwrite("end", &contract::end, "the first day after the term")
      .def_readwrite("terminated_on", &contract::terminated_on, "the first day it no longer holds, when ended early")
      .def_readwrite("reason", &contract::reason, "Why it ended before its term (SigningTerminationReason), or None.")
      .def_readwrite("renewal_of", &contract::renewal_of,
                     "Id of the contract this one renews; empty when not a renewal.")
      .def_readwrite("channel", &contract::channel, "How the signing came about (SigningChannel).")
      .def_readwrite("application", &contract::application,
                     "Work-order number of the hotline application it came from; empty if none.")
      .def("valid_until", &contract::valid_until, "The first day it is no longer valid.")
      .def("valid_on", &contract::valid_on, py::arg("day"),
           "Started on or before the day, and the day before valid_until() (its end or termination).")
      .def("__repr__", [](const contract& c) {
        return "<SigningContract " + c.id + " " + c.resident + " with " + c.team + " " + format_day(c.start) + " to " +
               format_day(c.valid_until()) + ">";
      });

  py::class_<application>(m, "SigningApplication",
                          R"pbdoc(A hotline signing application (000 art. 8.2): open until a contract names it.)pbdoc")
      .def(py::init([](std::string order, std::string resident, std::string institution, day received,
                       std::string contract) {
             return application{std::move(order), std::move(resident), std::move(institution), received,
                                std::move(contract)};
           }),
           py::kw_only(), py::arg("order"), py::arg("resident"), py::arg("institution"), py::arg("received"),
           py::arg("contract") = "")
      .def_readwrite("order", &application::order, "Number of the work order that carries the application.")
      .def_readwrite("resident", &application::resident, "Id of the resident who applied.")
      .def_readwrite("institution", &application::institution, "Code of the institution applied to.")
      .def_readwrite("received", &application::received, "Day the application was received (datetime.date).")
      .def_readwrite("contract", &application::contract, "empty while open")
      .def("__repr__", [](const application& a) { return "<SigningApplication " + a.order + ">"; });

  py::class_<survey_answer>(m, "SigningSurveyAnswer",
                            R"pbdoc(A verification call's answers (000 art. 8.5; 004 §1.5).)pbdoc")
      .def(py::init([](std::string contract, day on, bool reached, bool aware, bool satisfied, bool authentic) {
             return survey_answer{std::move(contract), on, reached, aware, satisfied, authentic};
           }),
           py::kw_only(), py::arg("contract"), py::arg("on"), py::arg("reached") = true, py::arg("aware") = false,
           py::arg("satisfied") = false, py::arg("authentic") = false)
      .def_readwrite("contract", &survey_answer::contract, "Id of the contract the verification call was about.")
      .def_readwrite("on", &survey_answer::on, "Day of the call (datetime.date).")
      .def_readwrite("reached", &survey_answer::reached, "Whether the resident was reached.")
      .def_readwrite("aware", &survey_answer::aware, "The resident knew of the signing (知晓).")
      .def_readwrite("satisfied", &survey_answer::satisfied, "The resident was satisfied (满意).")
      .def_readwrite("authentic", &survey_answer::authentic, "The resident confirmed the signing is real (真实).")
      .def("__repr__",
           [](const survey_answer& a) { return "<SigningSurveyAnswer " + a.contract + " " + format_day(a.on) + ">"; });

  py::class_<specialist_slots>(
      m, "SigningSpecialistSlots",
      R"pbdoc(A hospital's specialist slots in a month and those opened to teams (002 §2.5).)pbdoc")
      .def(py::init([](std::string hospital, std::string month, std::int64_t total, std::int64_t opened) {
             return specialist_slots{std::move(hospital), std::move(month), total, opened};
           }),
           py::kw_only(), py::arg("hospital"), py::arg("month"), py::arg("total") = 0, py::arg("opened_to_teams") = 0)
      .def_readwrite("hospital", &specialist_slots::hospital, "Code of the hospital (an institution of kind HOSPITAL).")
      .def_readwrite("month", &specialist_slots::month, "'YYYY-MM'")
      .def_readwrite("total", &specialist_slots::total, "The hospital's specialist slots in the month.")
      .def_readwrite("opened_to_teams", &specialist_slots::opened_to_teams,
                     "Of those, the slots opened to family-doctor teams.")
      .def("__repr__",
           [](const specialist_slots& s) { return "<SigningSpecialistSlots " + s.hospital + " " + s.month + ">"; });

  py::class_<service_record>(m, "SigningServiceRecord",
                             R"pbdoc(One service a team gave a signed resident (service_record.hpp).

seq, resident, team, institution and hash are filled in by the registry.)pbdoc")
      .def(py::init([](std::string contract, std::string staff, service_kind kind, day on, int months,
                       attribute condition, bool stable, referral_priority priority, std::string counterpart,
                       std::string note) {
             service_record s;
             s.contract = std::move(contract);
             s.staff = std::move(staff);
             s.kind = kind;
             s.on = on;
             s.months = months;
             s.condition = condition;
             s.stable = stable;
             s.priority = priority;
             s.counterpart = std::move(counterpart);
             s.note = std::move(note);
             return s;
           }),
           py::kw_only(), py::arg("contract"), py::arg("staff"), py::arg("kind"), py::arg("on"), py::arg("months") = 0,
           py::arg("condition") = attribute::hypertension, py::arg("stable") = false,
           py::arg("priority") = referral_priority::none, py::arg("counterpart") = "", py::arg("note") = "")
      .def_readwrite("seq", &service_record::seq, "position in the log, from 1")
      .def_readwrite("contract", &service_record::contract, "Id of the contract served (valid on `on`).")
      .def_readwrite("resident", &service_record::resident,
                     "Id of the resident; filled in by the registry from the contract.")
      .def_readwrite("team", &service_record::team, "Code of the team; filled in by the registry from the contract.")
      .def_readwrite("institution", &service_record::institution,
                     "Code of the institution; filled in by the registry from the team.")
      .def_readwrite("staff", &service_record::staff, "Id of who gave the service: a member of the team on `on`.")
      .def_readwrite("kind", &service_record::kind, "What service it was (SigningServiceKind).")
      .def_readwrite("on", &service_record::on, "The day the service was given (datetime.date).")
      .def_readwrite("months", &service_record::months, "a long prescription's months (1 or 2)")
      .def_readwrite("condition", &service_record::condition, "the chronic condition a long prescription treats")
      .def_readwrite("stable", &service_record::stable, "Long prescription: the doctor judged the condition stable.")
      .def_readwrite("priority", &service_record::priority,
                     "Upward referral's priority (SigningReferralPriority; 002 §2.5).")
      .def_readwrite("counterpart", &service_record::counterpart, "the hospital referred to, or referred from")
      .def_readwrite("note", &service_record::note, "Free-text note.")
      .def_property_readonly(
          "hash",
          [](const service_record& s) {
            return py::bytes(reinterpret_cast<const char*>(s.hash.data()), s.hash.size());
          },
          "SHA-256 chained to the previous record (32 bytes)")
      .def("__repr__", [](const service_record& s) {
        return "<SigningServiceRecord " + std::to_string(s.seq) + " " + std::string(name(s.kind)) + " " + s.contract +
               " " + format_day(s.on) + ">";
      });

  py::class_<service_chain_report>(m, "SigningServiceChainReport", R"pbdoc(What Registry.verify() found.)pbdoc")
      .def_readonly("ok", &service_chain_report::ok, "True when every service matched its sequence number and hash.")
      .def_readonly("services", &service_chain_report::services, "Services checked (all of them when ok).")
      .def_readonly("first_bad_seq", &service_chain_report::first_bad_seq,
                    "Sequence number of the first service that failed; 0 when ok.")
      .def_readonly("reason", &service_chain_report::reason, "What is wrong with that service; empty when ok.")
      .def("__bool__", [](const service_chain_report& r) { return r.ok; });

  py::class_<registry::member>(m, "SigningTeamMember",
                               R"pbdoc(A dated membership of a team: [from_, to), to None while open.)pbdoc")
      .def_readonly("staff", &registry::member::staff, "Id of the staff member.")
      .def_readonly("role", &registry::member::role, "The member's role in the team (SigningTeamRole).")
      .def_property_readonly("from_", [](const registry::member& x) { return x.from; },
                             "First day of the membership (datetime.date).")
      .def_readonly("to", &registry::member::to,
                    "First day the person is no longer a member; None while the membership is open.")
      .def("__repr__", [](const registry::member& x) {
        return "<SigningTeamMember " + x.staff + " " + std::string(name(x.role)) + ">";
      });

  // ---- the registry (registry.hpp) ----
  py::class_<registry>(m, "SigningRegistry", R"pbdoc(One region's residents, teams, contracts and services, in memory.

Every call checks first and changes nothing when it raises; the error names what was
wrong and where.  A registry is used by one thread at a time: the bulk calls release
the GIL, and other threads must not use the same registry until they return.)pbdoc")
      .def(py::init<policy>(), py::arg("policy") = policy::guangzhou_2017())
      .def_property_readonly(
          "rules", [](const registry& r) { return policy(r.rules()); }, "a copy of the policy")
      // people and places
      .def("add_resident", &registry::add_resident, py::arg("resident"))
      .def("find_resident", &registry::find_resident, py::arg("id"), py::arg("reveal") = false,
           "The resident as stored; name and id_number masked unless reveal.")
      .def("resident_count", &registry::resident_count)
      .def("move_resident", &registry::move_resident, py::arg("id"), py::arg("district"), py::arg("subdistrict"),
           py::arg("community"))
      .def("add_attribute", &registry::add_attribute, py::arg("resident"), py::arg("attribute"), py::arg("from_"),
           py::arg("to") = py::none(), "A dated attribute [from_, to); to None: open.")
      .def("end_attribute", &registry::end_attribute, py::arg("resident"), py::arg("attribute"), py::arg("to"))
      .def("set_grade", &registry::set_grade, py::arg("resident"), py::arg("grade"), py::arg("from_"))
      .def("grade_on", &registry::grade_on, py::arg("resident"), py::arg("on"))
      .def("grade_history", &registry::grade_history, py::arg("resident"))
      .def(
          "key_populations_on",
          [](const registry& r, const std::string& resident, day on) {
            return key_population_list(r.key_populations_on(resident, on));
          },
          py::arg("resident"), py::arg("on"), "The key populations the resident is in on `on`, in enumeration order.")
      .def("join_household", &registry::join_household, py::arg("household"), py::arg("resident"), py::arg("from_"))
      .def("leave_household", &registry::leave_household, py::arg("household"), py::arg("resident"), py::arg("to"))
      .def("household_members", &registry::household_members, py::arg("household"), py::arg("on"))
      // institutions and teams
      .def("add_institution", &registry::add_institution, py::arg("institution"))
      .def("add_team", &registry::add_team, py::arg("team"))
      .def("add_staff", &registry::add_staff, py::arg("staff"))
      .def("join_team", &registry::join_team, py::arg("team"), py::arg("staff"), py::arg("role"), py::arg("from_"))
      .def("leave_team", &registry::leave_team, py::arg("team"), py::arg("staff"), py::arg("to"))
      .def("team_members", &registry::team_members, py::arg("team"), py::arg("on") = py::none())
      .def("add_package", &registry::add_package, py::arg("package"))
      // contracts
      .def("sign", &registry::sign, py::arg("request"))
      .def("sign_household", &registry::sign_household, py::arg("household"), py::arg("request"),
           "Signs every current member in one act: all or none (003 §2.2.2).")
      .def("renew", &registry::renew, py::arg("contract"), py::arg("years"), py::arg("team") = "",
           py::arg("packages") = std::vector<std::string>{})
      .def("terminate", &registry::terminate, py::arg("contract"), py::arg("on"), py::arg("reason"))
      .def("find_contract", &registry::find_contract, py::arg("id"))
      .def("contract_on", &registry::contract_on, py::arg("resident"), py::arg("on"))
      .def("contract_count", &registry::contract_count)
      .def(
          "sign_all",
          [](registry& r, const std::vector<sign_request>& reqs) {
            py::gil_scoped_release release;
            return r.sign_all(reqs);
          },
          py::arg("requests"), "sign() for each request in order, all or none; the error names the request's index.")
      // applications
      .def("receive_application", &registry::receive_application, py::arg("application"))
      .def("applications", &registry::applications, py::arg("open_only") = false)
      // services
      .def(
          "record_service",
          [](registry& r, service_record s, bool reveal) {
            service_record done = r.record_service(std::move(s));
            if (!reveal) done.note = mask_text(done.note);
            return done;
          },
          py::arg("service"), py::kw_only(), py::arg("reveal") = false,
          "Records a service (checked, hash-chained) and returns it as completed by the registry; "
          "digit runs in the note masked unless reveal (docs/privacy.md).")
      .def(
          "services",
          [](const registry& r, bool reveal) {
            std::vector<service_record> out(r.services().begin(), r.services().end());
            if (!reveal)
              for (auto& s : out) s.note = mask_text(s.note);
            return out;
          },
          py::kw_only(), py::arg("reveal") = false,
          "Every service, oldest first; digit runs in the notes (phone and identity numbers) masked unless reveal.")
      .def("verify", &registry::verify, "Recomputes the services' hash chain.")
      // surveys and slots
      .def("record_survey", &registry::record_survey, py::arg("answer"))
      .def("surveys",
           [](const registry& r) { return std::vector<survey_answer>(r.surveys().begin(), r.surveys().end()); })
      .def("record_slots", &registry::record_slots, py::arg("slots"))
      .def("slots", [](const registry& r) { return std::vector<specialist_slots>(r.slots().begin(), r.slots().end()); })
      .def("__repr__", [](const registry& r) {
        return "<SigningRegistry " + r.rules().name + ": " + std::to_string(r.resident_count()) + " residents, " +
               std::to_string(r.contract_count()) + " contracts>";
      });
}

}  // namespace hotline::python
