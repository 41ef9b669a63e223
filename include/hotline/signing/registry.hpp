// hotline/signing/registry.hpp: residents, teams, contracts and services of a region.
//
// The registry holds one administrative region's signing in memory, in columns,
// so that a coverage report over ten million residents is one pass.  Every call
// that changes it checks everything first and changes nothing when it throws: an
// error names what was wrong and where (the resident, the contract, the field).
// signing_store (store.hpp) keeps the same calls in an append-only SQLite journal.
//
//   using namespace hotline::signing;
//   registry r(policy::guangzhou_2017());
//   r.add_institution({"GZ-YX-01", "北京街社区卫生服务中心", institution_kind::community_health_centre,
//                      "越秀区", "北京街"});
//   r.add_team({"T01", "GZ-YX-01", "王医生团队"});
//   r.add_staff({"D01", "王某", "GZ-YX-01", team_role::family_doctor});
//   r.join_team("T01", "D01", team_role::family_doctor, hotline::make_day(2017, 1, 1));
//   r.add_resident({.id = "R1", .birth = hotline::make_day(1950, 5, 1), .district = "越秀区",
//                   .subdistrict = "北京街", .community = "仰忠社区"});
//   r.add_package({"BASIC", "基本服务包", package_tier::basic, {"健康评估"}, 12000, 8000, 2000, 2000});
//   auto c = r.sign({.resident = "R1", .team = "T01", .packages = {"BASIC"},
//                    .start = hotline::make_day(2017, 3, 1), .years = 1});
//   service_record s;
//   s.contract = c.id; s.staff = "D01"; s.kind = service_kind::home_visit;
//   s.on = hotline::make_day(2017, 4, 2);
//   r.record_service(s);
//
// The rules (policy.hpp spells out terms, region and the long prescription):
//  * Residents, institutions, teams, staff and packages are keyed by their codes;
//    a second record with the same code is a conflict_error.
//  * A resident's identity number, when given, must pass GB 11643 (resident_id.hpp);
//    birth date and sex are read from it, and a given birth date or sex that
//    disagrees with it is an error, so that a typing slip is caught at entry.
//    A resident without a number is allowed (children before registration,
//    foreigners) and then needs a birth date.
//  * Memberships (household, team) are dated spans [from, to); a person is in one
//    household at a time and holds one role in a team at a time.
//  * sign(): one valid contract per resident at a time; the team's institution in
//    the resident's district; a term the policy allows; packages that exist; a team
//    with a member on the start day.  A renewal starts the day the contract it
//    renews ends, with the same team or another (change of team at expiry).
//  * terminate(): ends a contract early, on a day within its term, with a reason.
//  * sign_household(): every current member of the household, in one act: all are
//    signed or none is.
//  * record_service(): on a contract valid that day, by a member of its team that
//    day; a long prescription of 1-2 months for a stable chronic patient only; a
//    referral names the hospital.  Services are append-only and hash-chained.
#pragma once

#include "hotline/error.hpp"
#include "hotline/signing/policy.hpp"
#include "hotline/signing/service_record.hpp"
#include "hotline/signing/vocabulary.hpp"
#include "hotline/time.hpp"
#include "hotline/work_order.hpp"  // hotline::sex

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace hotline::signing {

struct resident {
  std::string id{};          ///< the resident's key (health-record number or similar)
  std::string name{};
  std::string id_number{};   ///< 公民身份号码; empty when the resident has none
  std::optional<day> birth{};  ///< required without an id_number; read from it otherwise
  hotline::sex sex = hotline::sex::unknown;
  std::string district{}, subdistrict{}, community{};  ///< residence
  bool insured = true;     ///< basic medical insurance (002 §2.13: who pays the fee's insurance share)
};

struct institution {
  std::string code{}, name{};
  institution_kind kind = institution_kind::community_health_centre;
  std::string district{}, subdistrict{};
};

struct team {
  std::string code{}, institution{}, name{};
  bool individual = false;  ///< a doctor signing alone (003 §2.1.4)
};

struct staff_member {
  std::string id{}, name{}, institution{};
  team_role qualification = team_role::family_doctor;  ///< what the person is (village doctors: 002 §2.10)
};

/// A package's annual fee in fen (1/100 yuan) and who pays it (002 §2.12-2.13).
struct package {
  std::string code{}, name{};
  package_tier tier = package_tier::basic;
  std::vector<std::string> items{};
  std::int64_t fee_fen = 0;
  std::int64_t insurance_fen = 0;      ///< 医保基金
  std::int64_t public_health_fen = 0;  ///< 基本公共卫生服务经费
  std::int64_t resident_fen = 0;       ///< 个人自付 (payable from the insurance personal account)
};

struct sign_request {
  std::string resident{}, team{};
  std::vector<std::string> packages{};
  day start{};
  int years = 1;
  signing_channel channel = signing_channel::in_person;
  std::string application{};  ///< the work order of a hotline application (000 art. 8.2), if any
  std::string id{};           ///< the contract id; empty: the registry numbers it (C0000001 ...)
};

struct contract {
  std::string id{}, resident{}, team{}, institution{};
  std::vector<std::string> packages{};
  day start{}, end{};  ///< valid on start .. end - 1
  std::optional<day> terminated_on{};  ///< valid up to the day before
  std::optional<termination_reason> reason{};
  std::string renewal_of{};  ///< the contract this one renews
  signing_channel channel = signing_channel::in_person;
  std::string application{};
  /// The first day it is no longer valid.
  [[nodiscard]] day valid_until() const noexcept { return terminated_on ? *terminated_on : end; }
  [[nodiscard]] bool valid_on(day d) const noexcept { return start <= d && d < valid_until(); }
};

/// A hotline signing application (000 art. 8.2): open until a contract names it.
struct application {
  std::string order{}, resident{}, institution{};
  day received{};
  std::string contract{};  ///< empty while open
};

/// A survey answer of a verification call (000 art. 8.5 知晓率、满意度及真实性; 004 §1.5 抽查).
struct survey_answer {
  std::string contract{};
  day on{};
  bool reached = true;
  bool aware = false, satisfied = false, authentic = false;
};

/// Second- and third-level hospitals' specialist slots in a month, and how many were
/// opened to family-doctor teams (002 §2.5: at least 20 % in 2017).
struct specialist_slots {
  std::string hospital{};   ///< an institution of kind hospital
  std::string month{};      ///< "2017-06"
  std::int64_t total = 0, opened_to_teams = 0;
};

/// The result of verify(): the first service whose hash does not match, if any.
struct service_chain_report {
  bool ok = true;
  std::uint64_t services = 0;
  std::uint64_t first_bad_seq = 0;
  std::string reason{};
};

/// Many residents at once, as columns (a file or a DataFrame being loaded): no names or
/// identity numbers here (add_resident takes those one by one, checked), places coded.
struct resident_rows {
  std::vector<std::string> ids{};
  std::vector<day> birth{};
  std::vector<std::uint32_t> place{};  ///< index into `places`
  std::vector<std::array<std::string, 3>> places{};  ///< (district, sub-district, community)
  std::vector<hotline::sex> sex{};     ///< empty: unknown for all
  std::vector<std::uint8_t> insured{}; ///< empty: all insured
};

class registry {
 public:
  explicit registry(policy p = policy::guangzhou_2017());
  ~registry();
  registry(registry&&) noexcept;
  registry& operator=(registry&&) noexcept;
  registry(const registry&) = delete;
  registry& operator=(const registry&) = delete;

  [[nodiscard]] const signing::policy& rules() const noexcept;

  // ---- people and places ----------------------------------------------------
  void add_resident(const resident& r);
  /// A resident as stored; names and identity numbers masked unless `reveal`.
  [[nodiscard]] resident find_resident(const std::string& id, bool reveal = false) const;
  [[nodiscard]] std::size_t resident_count() const noexcept;
  /// Adds every row, checked first: all or none; an error names the row.
  std::size_t add_residents(const resident_rows& rows);
  /// Moves a resident to another address from `on` (contracts are not touched: a move
  /// out of the district is terminate(..., moved_away)).
  void move_resident(const std::string& id, const std::string& district, const std::string& subdistrict,
                     const std::string& community);
  /// A dated attribute (a diagnosis, a pregnancy, a poverty status): [from, to), `to` open when empty.
  void add_attribute(const std::string& resident, attribute a, day from, std::optional<day> to = {});
  /// Ends an open attribute on `to` (exclusive).
  void end_attribute(const std::string& resident, attribute a, day to);
  /// The red/yellow/green grade of a resident 65 and over from `from` on (003 §2.2.1); the
  /// history is kept; a grade before the 65th birthday is an error.
  void set_grade(const std::string& resident, elderly_grade g, day from);
  [[nodiscard]] elderly_grade grade_on(const std::string& resident, day on) const;
  [[nodiscard]] std::vector<std::pair<day, elderly_grade>> grade_history(const std::string& resident) const;
  /// The key populations the resident is in on `on`, as a bit set over key_population.
  [[nodiscard]] std::uint16_t key_populations_on(const std::string& resident, day on) const;

  void join_household(const std::string& household, const std::string& resident, day from);
  void leave_household(const std::string& household, const std::string& resident, day to);
  [[nodiscard]] std::vector<std::string> household_members(const std::string& household, day on) const;

  // ---- institutions and teams -----------------------------------------------
  void add_institution(const institution& i);
  void add_team(const team& t);
  void add_staff(const staff_member& s);
  void join_team(const std::string& team, const std::string& staff, team_role role, day from);
  void leave_team(const std::string& team, const std::string& staff, day to);
  struct member { std::string staff; team_role role; day from; std::optional<day> to; };
  [[nodiscard]] std::vector<member> team_members(const std::string& team, std::optional<day> on = {}) const;
  void add_package(const package& p);

  // ---- contracts ------------------------------------------------------------
  contract sign(const sign_request& req);
  /// Signs every member of `household` on `req.start` (003 §2.2.2): all or none.
  /// req.resident is ignored; the contracts are returned in member order.
  std::vector<contract> sign_household(const std::string& household, const sign_request& req);
  /// Renews `contract_id` from its end for `years`, with `team` (empty: the same team).
  contract renew(const std::string& contract_id, int years, const std::string& team = {},
                 std::vector<std::string> packages = {});
  contract terminate(const std::string& contract_id, day on, termination_reason why);
  [[nodiscard]] contract find_contract(const std::string& id) const;
  /// The resident's contract valid on `on`, if any.
  [[nodiscard]] std::optional<contract> contract_on(const std::string& resident, day on) const;
  [[nodiscard]] std::size_t contract_count() const noexcept;

  /// Bulk ingest: sign() for each request in order.  All or none: the first bad request
  /// is an error naming its index, and the contracts before it are taken back.
  std::size_t sign_all(std::span<const sign_request> reqs);

  // ---- applications (000 art. 8.2) --------------------------------------------
  void receive_application(const application& a);
  [[nodiscard]] std::vector<application> applications(bool open_only = false) const;

  // ---- services -------------------------------------------------------------
  const service_record& record_service(service_record s);
  [[nodiscard]] std::span<const service_record> services() const noexcept;
  [[nodiscard]] service_chain_report verify() const;

  // ---- surveys and slots ----------------------------------------------------
  void record_survey(const survey_answer& a);
  [[nodiscard]] std::span<const survey_answer> surveys() const noexcept;
  void record_slots(const specialist_slots& s);
  [[nodiscard]] std::span<const specialist_slots> slots() const noexcept;

  // ---- read access for reports (signing/reports.hpp) -------------------------
  struct impl;
  [[nodiscard]] const impl& data() const noexcept { return *p_; }

 private:
  std::unique_ptr<impl> p_;
};

}  // namespace hotline::signing
