// Fuzz target: the small text forms every file and event is made of: a date
// (parse_day), an instant with its offset (parse_instant), a resident identity
// number (read_id_number) and a work-order field as recorded in an event
// (set_field; the first byte picks the field, the rest is its text).  Each that
// reads must print back to text that reads to the same value.
#include "fuzz_support.hpp"

#include "hotline/resident_id.hpp"
#include "hotline/time.hpp"
#include "hotline/work_order.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = hotline::fuzz::text(data, size);
  using hotline::fuzz::must;
  hotline::day d{};
  if (hotline::fuzz::only_library_errors([&] { d = hotline::parse_day(text); }))
    HOTLINE_FUZZ_CHECK(must([&] { return hotline::parse_day(hotline::format_day(d)); }) == d);
  hotline::instant t{};
  if (hotline::fuzz::only_library_errors([&] { t = hotline::parse_instant(text); }))
    HOTLINE_FUZZ_CHECK(must([&] { return hotline::parse_instant(hotline::format_instant(t)); }) == t);

  const auto id = hotline::try_read_id_number(text);
  std::string n18;
  const bool read = hotline::fuzz::only_library_errors([&] { n18 = hotline::upgrade_to_18(text, "fuzz"); });
  HOTLINE_FUZZ_CHECK(read == id.has_value());
  if (read) {
    const auto again = hotline::try_read_id_number(n18);
    HOTLINE_FUZZ_CHECK(again.has_value() && again->number == n18);
    (void)hotline::mask_id_number(n18);
  }

  if (size == 0) return 0;
  const auto& names = hotline::work_order_field_names();
  const auto& field = names[data[0] % names.size()];
  hotline::work_order o;
  bool known = false;
  if (!hotline::fuzz::only_library_errors([&] { known = hotline::set_field(o, field, text.substr(1)); })) return 0;
  HOTLINE_FUZZ_CHECK(known);
  const auto shown = hotline::get_field(o, field);
  HOTLINE_FUZZ_CHECK(shown.has_value());
  hotline::work_order again;
  HOTLINE_FUZZ_CHECK(must([&] { return hotline::set_field(again, field, *shown); }));
  HOTLINE_FUZZ_CHECK(hotline::get_field(again, field) == shown);
  return 0;
}
