// Fuzz target: the C ABI's entry points that take JSON (include/hotline/c/*.h), fed the
// same bytes: an SLA policy, an order's attributes and a clock evaluation, an order to
// create and an action to apply in a store, a query, knowledge options and an entry, the
// orders of a monthly report, a rubric, a signing-journal call.  As for c_api.cpp: no
// exception may cross the ABI, and HOTLINE_E_INTERNAL (something other than a
// hotline::error thrown inside) is a finding; every result is freed (leaks are findings).
#include "fuzz_support.hpp"

#include "hotline/hotline.h"

#include <cstring>
#include <filesystem>
#include <string>

#include <unistd.h>

namespace {

void check(hotline_status s) {
  HOTLINE_FUZZ_CHECK(s != HOTLINE_E_INTERNAL);
  HOTLINE_FUZZ_CHECK(s == HOTLINE_OK || std::strlen(hotline_last_error()) > 0);
}

/// A text result: checked, then freed.
void text_result(hotline_status s, char* out) {
  check(s);
  HOTLINE_FUZZ_CHECK(s == HOTLINE_OK ? out != nullptr : out == nullptr);
  hotline_free(out);
}

/// The handles every input reuses: made once, in a folder of this process.
struct world {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / ("hotline-fuzz-json-" + std::to_string(::getpid()));
  hotline_sla_policy* policy = nullptr;
  hotline_store* store = nullptr;
  hotline_knowledge_base* kb = nullptr;
  hotline_signing_store* journal = nullptr;
  std::string number;

  world() {
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    HOTLINE_FUZZ_CHECK(hotline_sla_policy_new_preset(&policy, "guangzhou-family-doctor") == HOTLINE_OK);
    HOTLINE_FUZZ_CHECK(hotline_store_open(&store, (dir / "h.db").c_str(), nullptr) == HOTLINE_OK);
    HOTLINE_FUZZ_CHECK(hotline_store_put_unit(store, R"({"code": "YX-BJJ", "name": "北京街"})") == HOTLINE_OK);
    char* order = nullptr;
    HOTLINE_FUZZ_CHECK(hotline_store_create(&order, store,
                                            R"({"number": "F-1", "request_type": "complaint", )"
                                            R"("received_at": "2025-10-09T09:00:00+08:00", "content": "x"})",
                                            R"({"id": "A1", "role": "agent"})", 0) == HOTLINE_OK);
    hotline_free(order);
    number = "F-1";
    HOTLINE_FUZZ_CHECK(hotline_knowledge_base_new(&kb) == HOTLINE_OK);
    HOTLINE_FUZZ_CHECK(hotline_knowledge_base_add(kb, R"({"id": "K1", "question": "家庭医生怎么签约", )"
                                                      R"("answer": "到社区卫生服务中心签约"})") == HOTLINE_OK);
    HOTLINE_FUZZ_CHECK(hotline_signing_store_open(&journal, (dir / "s.db").c_str(), nullptr) == HOTLINE_OK);
  }
  ~world() {
    hotline_signing_store_free(journal);
    hotline_knowledge_base_free(kb);
    hotline_store_free(store);
    hotline_sla_policy_free(policy);
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static world w;
  const std::string json(hotline::fuzz::text(data, size));  // a C string: up to the first NUL
  const char* j = json.c_str();

  hotline_sla_policy* p = nullptr;
  check(hotline_sla_policy_from_json(&p, j));
  hotline_sla_policy_free(p);
  char* out = nullptr;
  std::int64_t last = 0;
  text_result(hotline_sla_policy_due(&out, &last, w.policy, nullptr, j, "2025-09-30T15:00:00+08:00", nullptr), out);
  text_result(hotline_sla_policy_evaluate(&out, w.policy, nullptr, j), out);

  text_result(hotline_store_create(&out, w.store, j, nullptr, 0), out);
  text_result(hotline_store_apply(&out, w.store, w.number.c_str(), j, 0), out);
  text_result(hotline_store_orders(&out, w.store, j, 0), out);
  text_result(hotline_store_import(&out, w.store, j), out);

  text_result(hotline_knowledge_base_match(&out, w.kb, "家庭医生", j), out);
  check(hotline_knowledge_base_upsert(w.kb, j));

  hotline_report* r = nullptr;
  check(hotline_report_monthly_from_orders(&r, j, "2025-10", nullptr));
  if (r) {
    text_result(hotline_report_to_json(&out, r), out);
    hotline_report_free(r);
  }
  hotline_rubric* rubric = nullptr;
  check(hotline_rubric_from_json(&rubric, j));
  hotline_rubric_free(rubric);

  text_result(hotline_signing_store_apply(&out, w.journal, j, 0), out);
  return 0;
}
