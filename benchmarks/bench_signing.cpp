// bench_signing: contract ingest and the coverage report over a large region.
//
// Builds N residents (default 10,000,000) in 10 districts, 100 sub-districts and 1,000
// communities, 2,000 teams, and signs about 45 % of the residents (every request checked
// by the registry's rules: the district, the term, one valid contract, a family doctor
// on the start day), then times coverage as of a date by district.  Issue 18's targets:
// ingest at least 100,000 contracts/s, coverage under 1 s at 10 M residents (and at
// least 10x pandas on the same rows: bench_signing.py measures that side by side).
//
//   build/benchmarks/bench_signing [--residents N] [--seed S]
#include "bench_common.hpp"
#include "hotline/signing/registry.hpp"
#include "hotline/signing/reports.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

using namespace hotline;
using namespace hotline::signing;

int main(int argc, char** argv) {
  std::size_t n = 10'000'000;
  std::uint64_t seed = 20171231;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--residents")) n = std::strtoull(argv[i + 1], nullptr, 10);
    else if (!std::strcmp(argv[i], "--seed")) seed = std::strtoull(argv[i + 1], nullptr, 10);
  }
  std::printf("bench_signing --residents %zu --seed %llu\nmachine: %s\n", n, (unsigned long long)seed,
              bench::cpu_model().c_str());
  constexpr int districts = 10, subs_per = 10, comms_per = 10, teams = 2000;
  registry reg(policy::guangzhou_2017());
  for (int dd = 0; dd < districts; ++dd) {
    const std::string district = "区" + std::to_string(dd);
    reg.add_institution({"I" + std::to_string(dd), "中心" + std::to_string(dd), institution_kind::community_health_centre,
                         district, "街0"});
  }
  for (int t = 0; t < teams; ++t) {
    const std::string code = "T" + std::to_string(t), doctor = "D" + std::to_string(t);
    const std::string inst = "I" + std::to_string(t % districts);
    reg.add_team({code, inst, "团队" + std::to_string(t), false});
    reg.add_staff({doctor, "医生", inst, team_role::family_doctor});
    reg.join_team(code, doctor, team_role::family_doctor, make_day(2010, 1, 1));
  }
  reg.add_package({"BASIC", "基本服务包", package_tier::basic, {"健康评估"}, 12000, 8000, 2000, 2000});

  std::mt19937_64 gen(seed);
  resident_rows rows;
  for (int dd = 0; dd < districts; ++dd)
    for (int s = 0; s < subs_per; ++s)
      for (int c = 0; c < comms_per; ++c)
        rows.places.push_back({"区" + std::to_string(dd), "街" + std::to_string(s), "社区" + std::to_string(c)});
  rows.ids.reserve(n);
  rows.birth.reserve(n);
  rows.place.reserve(n);
  const std::int32_t first_birth = day_number(make_day(1920, 1, 1)), last_birth = day_number(make_day(2016, 6, 30));  // before the first start
  for (std::size_t i = 0; i < n; ++i) {
    rows.ids.push_back("R" + std::to_string(i));
    rows.birth.push_back(from_day_number(first_birth + std::int64_t(gen() % std::uint64_t(last_birth - first_birth))));
    rows.place.push_back(std::uint32_t(gen() % rows.places.size()));
  }
  const double t_res = bench::best_seconds(1, [&] { reg.add_residents(rows); });
  std::printf("residents loaded:   %10zu in %.2f s = %.0f residents/s\n", n, t_res, double(n) / t_res);

  // about 45 % signed; starts spread over 2017 so that some have expired by the report day
  std::vector<sign_request> reqs;
  reqs.reserve(n / 2);
  const std::int32_t jan1 = day_number(make_day(2017, 1, 1));
  for (std::size_t i = 0; i < n; ++i) {
    if (gen() % 100 >= 45) continue;
    const auto district = rows.place[i] / (subs_per * comms_per);
    sign_request q;
    q.resident = rows.ids[i];
    q.team = "T" + std::to_string(district + districts * (gen() % (teams / districts)));
    q.packages = {"BASIC"};
    q.start = from_day_number(jan1 + std::int64_t(gen() % 365) - 180);
    reqs.push_back(std::move(q));
  }
  const double t_sign = bench::best_seconds(1, [&] { reg.sign_all(reqs); });
  std::printf("contracts signed:   %10zu in %.2f s = %.0f contracts/s  (target >= 100,000/s: %s)\n", reqs.size(),
              t_sign, double(reqs.size()) / t_sign, double(reqs.size()) / t_sign >= 100'000 ? "met" : "NOT met");

  const day as_of = make_day(2017, 9, 30);
  coverage_result cov;
  const double t_cov = bench::best_seconds(3, [&] { cov = coverage(reg, as_of, grouping::district); });
  std::printf("coverage by district as of %s: %.3f s = %.0f residents/s  (target < 1 s: %s)\n",
              format_day(as_of).c_str(), t_cov, double(n) / t_cov, t_cov < 1.0 ? "met" : "NOT met");
  std::printf("  population %lld, signed %lld (%.2f%%), key populations %lld, signed %lld (%.2f%%)\n",
              (long long)cov.total.all.population, (long long)cov.total.all.signed_count, 100 * cov.total.all.rate(),
              (long long)cov.total.key.population, (long long)cov.total.key.signed_count, 100 * cov.total.key.rate());
  return 0;
}
