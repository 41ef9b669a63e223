// signing_district: a synthetic district's 2017 of family-doctor signing, end to end.
//
// About 200,000 residents of a district (signing_district.hpp; seeded, so every run gives
// the same numbers) go into a signing registry with their teams, contracts and a year of
// services; then, as of 2017-12-31:
//   the signing tables (coverage by district, sub-district and team against the 2017
//   targets of 002 §1.2, referrals year on year, chronic management, workforce, contracts
//   not served, home visits behind, the verification survey) and December's work points
//   (004 §1.5), printed as text and written as one XLSX workbook with a chart of the
//   coverage of every sub-district against the targets.
//
//   signing_district [--seed 20171231] [--residents 200000] [--points data/signing/work_points.json]
//                    [signing_district.xlsx]
#include "signing_district.hpp"

#include <hotline/report_table.hpp>
#include <hotline/signing/coverage_chart.hpp>
#include <hotline/signing/reports.hpp>
#include <hotline/signing/work_points.hpp>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>

namespace {

int usage() {
  std::fputs("usage: signing_district [--seed N] [--residents N] [--points FILE] [OUT.xlsx]\n", stderr);
  return 2;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

/// The sub-district coverage of `district` only (residents who moved out of it are counted
/// where they live now, in other districts), its total and targets taken from the district's row.
hotline::signing::coverage_result only_district(hotline::signing::coverage_result by_sub,
                                                const hotline::signing::coverage_row& district) {
  std::erase_if(by_sub.rows, [&](const auto& r) { return r.district != district.group; });
  by_sub.total = district;
  by_sub.total.group = "合计";
  for (auto& t : by_sub.targets) {
    if (t.what == "全人群")
      t.rate = district.all.rate();
    else if (t.what == "重点人群")
      t.rate = district.key.rate();
    else
      continue;
    t.met = t.rate + 1e-12 >= t.required;
  }
  std::erase_if(by_sub.targets, [](const auto& t) { return t.what != "全人群" && t.what != "重点人群"; });
  return by_sub;
}

std::string pct(double v) { return fmt::format("{:.2f}%", v * 100); }

}  // namespace

int main(int argc, char** argv) {
  namespace sg = hotline::signing;
  std::uint64_t seed = district::default_seed;
  std::size_t residents = district::default_residents;
#ifdef HOTLINE_SOURCE_DIR
  std::string points_path = std::string(HOTLINE_SOURCE_DIR) + "/data/signing/work_points.json";
#else
  std::string points_path = "data/signing/work_points.json";
#endif
  std::string xlsx_path = "signing_district.xlsx";
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a.starts_with("--")) {
      if (i + 1 >= argc) return usage();
      const std::string v = argv[++i];
      if (a == "--seed")
        seed = std::strtoull(v.c_str(), nullptr, 10);
      else if (a == "--residents")
        residents = std::strtoull(v.c_str(), nullptr, 10);
      else if (a == "--points")
        points_path = v;
      else
        return usage();
    } else {
      xlsx_path = argv[i];
    }
  }

  try {
    const auto t0 = std::chrono::steady_clock::now();
    const auto d = district::generate(seed, residents);
    const double generated_in = seconds_since(t0);
    const auto& plan = d.plan;
    const auto& reg = d.registry;
    std::size_t renewals = 0, together = 0, by_line = 0, changed_team = 0;
    std::array<std::size_t, 4> ended{};
    for (const auto& c : plan.contracts) {
      if (c.renewal_of) {
        ++renewals;
        changed_team += plan.contracts[*c.renewal_of].team != c.team;
      }
      together += c.channel == sg::signing_channel::household;
      by_line += !c.application.empty();
      if (c.reason) ++ended[static_cast<std::size_t>(*c.reason)];
    }
    std::size_t communities = 0;
    for (const auto& s : plan.subdistricts) communities += s.communities.size();
    std::printf("signing_district --seed %llu --residents %zu: %s (synthetic), generated in %.2f s\n",
                static_cast<unsigned long long>(seed), residents, plan.district.c_str(), generated_in);
    std::printf("  %zu residents in %zu households; %zu sub-districts, %zu communities\n", plan.residents.size(),
                plan.households.size(), plan.subdistricts.size(), communities);
    std::printf("  %zu institutions, %zu teams, %zu staff, %zu packages\n", plan.institutions.size(), plan.teams.size(),
                plan.staff.size(), plan.packages.size());
    std::printf(
        "  %zu contracts: %zu renewals (%zu with another team), %zu signed by household, %zu from hotline "
        "applications (%zu applications, some still open)\n",
        plan.contracts.size(), renewals, changed_team, together, by_line, plan.applications.size());
    std::printf("  terminated: %zu moved away, %zu died, %zu on request, %zu team dissolved\n", ended[0], ended[1],
                ended[2], ended[3]);
    std::printf("  %zu services (hash chain %s), %zu survey answers, %zu slot months\n\n", reg.services().size(),
                reg.verify().ok ? "verified" : "BROKEN", plan.surveys.size(), plan.slots.size());

    const hotline::day as_of = district::as_of;
    std::vector<hotline::report_table> workbook = sg::signing_tables(reg, as_of);
    const auto table = sg::points_table::from_file(points_path);
    auto points = sg::points_report(sg::work_points(table, reg.services(), hotline::make_day(2017, 12, 1), as_of));
    points.title = "2017 年 12 月家庭医生工分（按机构、团队、成员）";
    points.sheet_name = "工分-2017-12";
    workbook.push_back(std::move(points));
    for (const auto& t : workbook) std::printf("%s\n", hotline::to_text(t).c_str());

    // The district's figures: the rows of residents who moved out of it are left out.
    const auto by_district = sg::coverage(reg, as_of, sg::grouping::district);
    const sg::coverage_row* home = nullptr;
    for (const auto& r : by_district.rows)
      if (r.group == plan.district) home = &r;
    if (!home) throw std::runtime_error("no coverage row for " + plan.district);
    const auto by_sub = only_district(sg::coverage(reg, as_of, sg::grouping::subdistrict), *home);
    std::printf("Coverage on %s, %s: %s overall (%lld of %lld), %s key populations (%lld of %lld)\n",
                hotline::format_day(as_of).c_str(), plan.district.c_str(), pct(home->all.rate()).c_str(),
                static_cast<long long>(home->all.signed_count), static_cast<long long>(home->all.population),
                pct(home->key.rate()).c_str(), static_cast<long long>(home->key.signed_count),
                static_cast<long long>(home->key.population));
    for (const auto& r : by_sub.rows)
      std::printf("  %-24s %s overall, %s key\n", r.group.c_str(), pct(r.all.rate()).c_str(),
                  pct(r.key.rate()).c_str());
    for (const auto& t : by_sub.targets)
      std::printf("  target %s %s: %s (%s)\n", t.what.c_str(), pct(t.required).c_str(), t.met ? "met" : "not met",
                  t.source.c_str());

    sg::write_coverage_workbook(workbook, by_sub, xlsx_path);
    std::printf("wrote %s (%zu table sheets and the coverage chart); %.2f s in all\n", xlsx_path.c_str(),
                workbook.size(), seconds_since(t0));
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "signing_district: %s\n", e.what());
    return 1;
  }
}
