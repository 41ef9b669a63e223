// Fuzz target: the switch's call-log CSV (call_log::from_csv, src/call_log.cpp),
// then the long-unanswered count the assessment takes from it.  The import's
// promises are checked: calls come out sorted by start, with unique ids.
#include "fuzz_support.hpp"

#include "hotline/call_log.hpp"

#include <set>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  hotline::fuzz::only_library_errors([&] {
    const auto log = hotline::call_log::from_csv(hotline::fuzz::text(data, size), "calls.csv");
    std::set<std::string> ids;
    for (std::size_t i = 0; i < log.calls.size(); ++i) {
      HOTLINE_FUZZ_CHECK(i == 0 || !(log.calls[i].started_at < log.calls[i - 1].started_at));
      HOTLINE_FUZZ_CHECK(ids.insert(log.calls[i].call_id).second);
    }
    static const hotline::staffed_hours hours(hotline::calendar::china());
    hotline::fuzz::only_library_errors([&] { (void)hotline::long_unanswered(log.calls, hours, std::chrono::seconds{60}); });
  });
  return 0;
}
