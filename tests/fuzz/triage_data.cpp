// Fuzz target: the triage data files on the same bytes: a labelled corpus in the
// format of data/triage/corpus.tsv (read_labelled_utterances, then a short
// training run on what it read, as a centre training on its own transcripts
// would) and a crisis cue file (triage_cues::from_json, then triage() with it).
#include "fuzz_support.hpp"

#include "hotline/intake_classifier.hpp"
#include "hotline/triage.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = hotline::fuzz::text(data, size);
  hotline::fuzz::only_library_errors([&] {
    const auto rows = hotline::read_labelled_utterances(text, "corpus.tsv");
    // Short and uncalibrated: the point is what train() does with odd rows, not the model.
    hotline::intake_training_options o;
    o.epochs = 2;
    o.calibration_folds = 0;
    const auto m = hotline::intake_classifier::train(rows, o);
    for (const auto& r : rows) (void)m.classify(r.text);
  });
  hotline::fuzz::only_library_errors([&] {
    const auto cues = hotline::triage_cues::from_json(text, "cues.json");
    for (std::string_view s : {"我不想活了，药都攒好了", "孩子被狗咬了，流了好多血", "单位食堂好多人吃完饭上吐下泻"})
      (void)hotline::triage(s, cues);
    (void)hotline::triage(text, cues);
  });
  return 0;
}
