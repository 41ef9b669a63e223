// A small signing region for the signing suites: one district with two sub-districts,
// a community health centre with two teams, a station in the next sub-district, a
// hospital, a clinic in another district, and the packages of 002 §2.12.
#pragma once

#include "hotline/signing/registry.hpp"
#include "test_support.hpp"

namespace hotline::test {

inline day d(int y, unsigned m, unsigned dd) { return make_day(y, m, dd); }

inline void add_region(signing::registry& r) {
  using namespace hotline::signing;
  r.add_institution({"YX-BJ", "北京街社区卫生服务中心", institution_kind::community_health_centre, "越秀区", "北京街"});
  r.add_institution({"YX-DS", "大塘街社区卫生服务站", institution_kind::community_health_station, "越秀区", "大塘街"});
  r.add_institution({"HZ-01", "海珠某社区卫生服务中心", institution_kind::community_health_centre, "海珠区", "江南中街"});
  r.add_institution({"H-ZY", "市第一人民医院", institution_kind::hospital, "越秀区", "北京街"});
  r.add_team({"T1", "YX-BJ", "王医生团队"});
  r.add_team({"T2", "YX-DS", "李医生团队"});
  r.add_team({"T9", "HZ-01", "海珠团队"});
  r.add_staff({"D1", "王医生", "YX-BJ", team_role::family_doctor});
  r.add_staff({"N1", "陈护士", "YX-BJ", team_role::community_nurse});
  r.add_staff({"D2", "李医生", "YX-DS", team_role::family_doctor});
  r.add_staff({"D9", "赵医生", "HZ-01", team_role::family_doctor});
  r.join_team("T1", "D1", team_role::family_doctor, d(2016, 1, 1));
  r.join_team("T1", "N1", team_role::community_nurse, d(2016, 1, 1));
  r.join_team("T2", "D2", team_role::family_doctor, d(2016, 1, 1));
  r.join_team("T9", "D9", team_role::family_doctor, d(2016, 1, 1));
  r.add_package({"FREE", "免费服务包", package_tier::free_package, {"健康档案", "健康教育"}, 0, 0, 0, 0});
  r.add_package({"BASIC", "基本服务包", package_tier::basic, {"健康评估", "随访"}, 12000, 8000, 2000, 2000});
  r.add_package({"PERS", "个性化服务包", package_tier::personalised, {"家庭病床"}, 30000, 10000, 0, 20000});
}

inline signing::resident resident_at(std::string id, std::optional<day> birth, std::string subdistrict = "北京街",
                                     std::string district = "越秀区") {
  signing::resident r;
  r.id = std::move(id);
  r.birth = birth;
  r.district = std::move(district);
  r.subdistrict = std::move(subdistrict);
  r.community = "仰忠社区";
  return r;
}

inline signing::sign_request signing_of(std::string resident, std::string team, day start, int years = 1) {
  signing::sign_request q;
  q.resident = std::move(resident);
  q.team = std::move(team);
  q.packages = {"FREE", "BASIC"};
  q.start = start;
  q.years = years;
  return q;
}

/// Whether f() throws a hotline::error whose message contains `part`.
inline bool contains_error(auto&& f, const std::string& part) {
  return error_of(f).find(part) != std::string::npos;
}

inline signing::service_record service_of(std::string contract, std::string staff, signing::service_kind kind,
                                          day on) {
  signing::service_record s;
  s.contract = std::move(contract);
  s.staff = std::move(staff);
  s.kind = kind;
  s.on = on;
  return s;
}

}  // namespace hotline::test
