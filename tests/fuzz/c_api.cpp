// Fuzz target: the C ABI's entry points that take text (include/hotline/hotline.h):
// hotline_parse_day, hotline_calendar_with_region, and the overlay (.csv, .ics)
// and notice files, written from the same bytes.  No exception may cross the
// ABI, and only hotline::error's statuses may come back: HOTLINE_E_INTERNAL
// means something else was thrown inside, a finding.  Every calendar made is
// asked for names into short and long buffers and freed.
#include "fuzz_support.hpp"

#include "hotline/hotline.h"

#include <array>
#include <cstring>
#include <string>

namespace {

void check_status(hotline_status s) {
  HOTLINE_FUZZ_CHECK(s != HOTLINE_E_INTERNAL);
  HOTLINE_FUZZ_CHECK(s == HOTLINE_OK || std::strlen(hotline_last_error()) > 0);
}

const hotline_calendar* national() {
  static hotline_calendar* cal = [] {
    hotline_calendar* c = nullptr;
    HOTLINE_FUZZ_CHECK(hotline_calendar_new_china(&c, HOTLINE_CALENDAR_STATUTORY_BEYOND_DATA) == HOTLINE_OK);
    return c;
  }();
  return cal;
}

// What a host does with a calendar it got: names of a few days, a batch, free.
void use_and_free(hotline_calendar* cal) {
  const std::int64_t days[] = {20454 /* 2026-01-01 */, 20500, 20727 /* 2026-10-01 */, 21184 /* 2028-01-01 */};
  for (std::int64_t d : days) {
    std::array<char, 4> small{};
    std::array<char, 256> big{};
    std::size_t needed = 0;
    const auto s = hotline_calendar_holiday_name(small.data(), small.size(), &needed, cal, d, 0);
    HOTLINE_FUZZ_CHECK(s == HOTLINE_OK || s == HOTLINE_E_BUFFER_TOO_SMALL || s == HOTLINE_E_OUT_OF_RANGE);
    const auto b = hotline_calendar_holiday_name(big.data(), big.size(), &needed, cal, d, 1);
    check_status(b);
    if (b == HOTLINE_OK) HOTLINE_FUZZ_CHECK(std::strlen(big.data()) + 1 == needed);
  }
  std::int64_t out[std::size(days)];
  const std::int64_t n = 3;
  check_status(hotline_calendar_add_workdays_batch(out, cal, days, std::size(days), &n, 1));
  hotline_calendar_free(cal);
}

void with_file(hotline::fuzz::scratch_file& f, std::string_view bytes, int layer) {
  hotline_calendar* cal = nullptr;
  const std::string path = f.write(bytes).string();
  const auto s = path.ends_with(".txt") ? hotline_calendar_with_notice_file(&cal, national(), path.c_str(), 0)
                                        : hotline_calendar_with_overlay_file(&cal, national(), path.c_str(), layer);
  check_status(s);
  if (s == HOTLINE_OK) use_and_free(cal);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto bytes = hotline::fuzz::text(data, size);
  const std::string text(bytes);  // a C string: up to the first NUL

  std::int64_t day = 0;
  check_status(hotline_parse_day(&day, text.c_str()));

  hotline_calendar* cal = nullptr;
  const auto s = hotline_calendar_with_region(&cal, national(), text.c_str());
  check_status(s);
  if (s == HOTLINE_OK) use_and_free(cal);

  static hotline::fuzz::scratch_file csv(".csv"), ics(".ics"), notice(".txt");
  const int layer = HOTLINE_LAYER_NATIONAL + static_cast<int>(size % 3);
  with_file(csv, bytes, layer);
  with_file(ics, bytes, layer);
  with_file(notice, bytes, 0);
  return 0;
}
