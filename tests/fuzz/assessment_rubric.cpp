// Fuzz target: assessment rubric JSON (rubric::from_json, src/assessment.cpp).  A
// rubric that reads is checked for gaps and scored twice, as an assessor's first
// look at a new rubric would: on no facts, and on a fact for every item it names.
#include "fuzz_support.hpp"

#include "hotline/assessment.hpp"

namespace {

// A plausible fact for each item: half marks, two occurrences, a rate of 9/10,
// every mapped value observed once.
hotline::unit_facts facts_for(const hotline::rubric& r) {
  hotline::unit_facts f;
  for (const auto& c : r.criteria)
    for (const auto& i : c.items) {
      f.checks[i.fact] = true;
      f.scores[i.fact] = i.max_points / 2;
      f.occurrences[i.fact] = {{"WO-1", "late"}, {"CALL-2", "unanswered"}};
      f.rates[i.fact] = {9, 10};
      for (const auto& [value, points] : i.mapping) f.observations[i.fact].push_back({value, "WO-3"});
    }
  return f;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  hotline::fuzz::only_library_errors([&] {
    const auto r = hotline::rubric::from_json(hotline::fuzz::text(data, size), "fuzz.json");
    (void)r.gaps();
    hotline::fuzz::only_library_errors([&] { r.validate(); });
    hotline::fuzz::only_library_errors([&] { (void)hotline::score(r, "某社区卫生服务中心", {}).lines(); });
    hotline::fuzz::only_library_errors([&] { (void)hotline::score(r, "某社区卫生服务中心", facts_for(r)).lines(); });
  });
  return 0;
}
