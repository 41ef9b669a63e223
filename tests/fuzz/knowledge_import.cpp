// Fuzz target: knowledge-base files (src/knowledge_io.cpp): bulk import of the
// same bytes as TSV, CSV and JSON, and the synonym file.  Import is all or
// nothing (knowledge.hpp): after a failure the base holds what it held before,
// synonyms included.  After a success the imported questions are matched, as
// the agent's screen does at once (match(), not answer(): classify() is the
// classify target's, and its model would be trained in every process).
#include "fuzz_support.hpp"

#include "hotline/knowledge.hpp"

namespace {

using hotline::knowledge_base;

// A base as a centre has it before the import: one entry of its own.
void seed(knowledge_base& kb) {
  hotline::knowledge_entry e;
  e.id = "FD-000";
  e.question = "家庭医生怎么签约？";
  e.answer = "到社区卫生服务中心签约。";
  e.category = "family-doctor";
  kb.add(e);
}

void import_as(std::string_view text, hotline::import_format format) {
  knowledge_base kb;
  seed(kb);
  const auto before_synonyms = kb.synonyms().size();
  std::size_t n = 0;
  if (!hotline::fuzz::only_library_errors([&] { n = kb.import_text(text, format, "fuzz"); })) {
    HOTLINE_FUZZ_CHECK(kb.size() == 1 && kb.get("FD-000")->version == 1);
    HOTLINE_FUZZ_CHECK(kb.synonyms().size() == before_synonyms);
    return;
  }
  HOTLINE_FUZZ_CHECK(kb.size() <= n + 1);
  for (const auto& e : kb.entries()) (void)kb.match(e.question);  // valid UTF-8: must not throw
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = hotline::fuzz::text(data, size);
  import_as(text, hotline::import_format::tsv);
  import_as(text, hotline::import_format::csv);
  import_as(text, hotline::import_format::json);

  static hotline::fuzz::scratch_file file(".tsv");
  knowledge_base kb;
  seed(kb);
  hotline::fuzz::only_library_errors([&] {
    kb.load_synonyms(file.write(text).string());
    (void)kb.match("签约医生怎么签");
  });
  return 0;
}
