// Fuzz target: SLA policy JSON (sla_policy::from_json, src/sla_json.cpp).  A policy
// that reads must write JSON that reads back to an equal policy (to_json's promise),
// and must answer "when is it due?" for every request type or say why not.
#include "fuzz_support.hpp"

#include "hotline/sla.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  hotline::fuzz::only_library_errors([&] {
    const auto p = hotline::sla_policy::from_json(hotline::fuzz::text(data, size), "fuzz.json");
    const auto back = hotline::fuzz::must([&] { return hotline::sla_policy::from_json(p.to_json(), "round trip"); });
    HOTLINE_FUZZ_CHECK(back == p);
    // 2025-09-30 15:00 +08:00: the afternoon before the National Day holidays.
    const auto received = hotline::parse_instant("2025-09-30T15:00:00+08:00");
    for (int t = 0; t <= static_cast<int>(hotline::request_type::other); ++t) {
      hotline::order_attributes o;
      o.type = static_cast<hotline::request_type>(t);
      if (p.match(o) == nullptr) continue;
      hotline::fuzz::only_library_errors([&] { (void)p.due(o, received).explain(); });
    }
  });
  return 0;
}
