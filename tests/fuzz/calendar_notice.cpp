// Fuzz target: the State Council holiday notice reader (calendar_overlay::from_notice)
// on text as pasted from a web page.  A notice that reads must read the same when
// its year is given, and must apply to the national calendar or fail with a
// hotline::error.
#include "fuzz_support.hpp"

#include "hotline/calendar.hpp"
#include "hotline/calendar_overlay.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = hotline::fuzz::text(data, size);
  hotline::fuzz::only_library_errors([&] {
    const auto ov = hotline::calendar_overlay::from_notice(text);
    HOTLINE_FUZZ_CHECK(!ov.entries().empty());
    HOTLINE_FUZZ_CHECK(ov.covers_first() == ov.covers_last());
    const auto again = hotline::fuzz::must([&] { return hotline::calendar_overlay::from_notice(text, ov.covers_first()); });
    HOTLINE_FUZZ_CHECK(again.entries().size() == ov.entries().size());
    static const auto national = hotline::calendar::china({.statutory_beyond_data = true});
    hotline::fuzz::only_library_errors([&] { (void)national.with(ov); });
  });
  return 0;
}
