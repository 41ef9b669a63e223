// Fuzz target: the calendar overlay readers (CSV and iCalendar) on the same bytes,
// each overlay applied to the national calendar as a host would, and the CSV
// round trip that to_csv() promises (from_csv reads it back to the same days).
#include "fuzz_support.hpp"

#include "hotline/calendar.hpp"
#include "hotline/calendar_overlay.hpp"

#include <algorithm>
#include <optional>

namespace {

using hotline::calendar_overlay;

// The days of an overlay in date order, as to_csv writes them.
std::vector<hotline::overlay_entry> sorted(const calendar_overlay& ov) {
  auto e = ov.entries();
  std::stable_sort(e.begin(), e.end(), [](const auto& a, const auto& b) { return a.date < b.date; });
  return e;
}

void check_round_trip(const calendar_overlay& ov) {
  const auto back = hotline::fuzz::must([&] { return calendar_overlay::from_csv(ov.to_csv(), "round trip", ov.layer()); });
  const auto a = sorted(ov), b = sorted(back);
  HOTLINE_FUZZ_CHECK(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    HOTLINE_FUZZ_CHECK(a[i].date == b[i].date && a[i].day_off == b[i].day_off);
    HOTLINE_FUZZ_CHECK(a[i].name_zh == b[i].name_zh && a[i].name_en == b[i].name_en);
  }
  HOTLINE_FUZZ_CHECK(back.covers_first() == ov.covers_first() && back.covers_last() == ov.covers_last());
}

void apply(const calendar_overlay& ov) {
  static const auto national = hotline::calendar::china({.statutory_beyond_data = true});
  hotline::fuzz::only_library_errors([&] { (void)national.with(ov); });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = hotline::fuzz::text(data, size);
  const auto layer = size % 2 ? hotline::calendar_layer::organisation : hotline::calendar_layer::regional;
  std::optional<calendar_overlay> csv, ics;
  hotline::fuzz::only_library_errors([&] { csv = calendar_overlay::from_csv(text, "fuzz.csv", layer); });
  hotline::fuzz::only_library_errors([&] { ics = calendar_overlay::from_ics(text, "fuzz.ics", layer); });
  for (const auto* ov : {&csv, &ics})
    if (*ov) {
      check_round_trip(**ov);
      apply(**ov);
    }
  return 0;
}
