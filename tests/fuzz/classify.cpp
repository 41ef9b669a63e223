// Fuzz target: what runs on a caller's words as the agent types them, on arbitrary
// bytes: knowledge_base::classify (never throws on text: the service line, the
// request type and the crisis), the intake classifier behind it, triage() and the
// matcher (which refuses invalid UTF-8 with an invalid_argument_error, nothing else).
#include "fuzz_support.hpp"

#include "hotline/intake_classifier.hpp"
#include "hotline/knowledge.hpp"
#include "hotline/triage.hpp"

#include <cmath>

namespace {

bool probability(double p) { return std::isfinite(p) && p >= 0 && p <= 1; }

// A small base: classify() and answer() also read the base's own entries.
const hotline::knowledge_base& base() {
  static const auto kb = [] {
    hotline::knowledge_base b;
    b.import_text(
        "id\tquestion\tanswer\tcategory\tsimilar\n"
        "FD-001\t家庭医生怎么签约？\t到社区卫生服务中心签约。\tfamily-doctor\t怎么签家庭医生|去哪里办理家庭医生签约\n"
        "IM-001\t九价HPV疫苗在哪里打？\t到社区卫生服务中心预约接种。\timmunization\t九价在哪打\n"
        "CP-001\t医生态度不好怎么投诉？\t请说明医院和时间，我们登记工单转办。\tmedical-service-complaint\t投诉医生\n",
        hotline::import_format::tsv, "classify base");
    return b;
  }();
  return kb;
}

}  // namespace

// The builtin model trains at first use (about 5 s in a release build, ten times
// that under ASan and the fuzzer's coverage). libFuzzer's -timeout is per input,
// so train it here, before the first input, where no alarm runs: otherwise the
// first seed is charged with the training and a slow machine calls it a hang.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)hotline::intake_classifier::builtin();
  (void)base();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = hotline::fuzz::text(data, size);

  const auto g = base().classify(text);  // no try: classify must not throw on any text
  HOTLINE_FUZZ_CHECK(!g.line.empty());
  HOTLINE_FUZZ_CHECK(probability(g.confidence) && probability(g.request_type_confidence));
  HOTLINE_FUZZ_CHECK(probability(g.triage.confidence));

  const auto m = hotline::intake_classifier::builtin().classify(text);
  double total = 0;
  for (const auto& l : m.lines) total += l.probability;
  HOTLINE_FUZZ_CHECK(!m.readable || std::abs(total - 1) < 1e-6);

  const auto t = hotline::triage(text);
  HOTLINE_FUZZ_CHECK(t.urgent == (t.kind != hotline::crisis_kind::none));

  hotline::fuzz::only_library_errors([&] {
    hotline::match_options o;
    o.explain = true;
    o.on = hotline::make_day(2026, 3, 2);
    const auto d = base().answer(text, o);
    for (const auto& h : d.hits) HOTLINE_FUZZ_CHECK(probability(h.confidence));
    (void)base().normalize(text);
  });
  return 0;
}
