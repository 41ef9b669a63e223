// Fuzz target: the family-doctor work-points table JSON (signing/work_points.hpp,
// src/signing/work_points_json.cpp).  A table that reads is one the constructor
// accepts (from_json checks what it checks) and answers the points of every
// service kind on its versions' days, or says none is in force.
#include "fuzz_support.hpp"

#include "hotline/signing/work_points.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace s = hotline::signing;
  hotline::fuzz::only_library_errors([&] {
    const auto t = s::points_table::from_json(hotline::fuzz::text(data, size), "points.json");
    const auto versions = t.versions();
    HOTLINE_FUZZ_CHECK(!versions.empty());
    const auto again = hotline::fuzz::must([&] { return s::points_table(t.name(), {versions.begin(), versions.end()}); });
    HOTLINE_FUZZ_CHECK(again == t);
    for (const auto& v : versions)
      for (std::size_t k = 0; k < s::service_kind_count; ++k) {
        HOTLINE_FUZZ_CHECK(hotline::fuzz::must([&] { return t.points(static_cast<s::service_kind>(k), v.from); }) ==
                           v.points[k]);
        hotline::fuzz::only_library_errors([&] { (void)t.points(static_cast<s::service_kind>(k), v.from - date::days{1}); });
      }
  });
  return 0;
}
