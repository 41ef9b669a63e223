// What a host pays for the C ABI (issue 19): each call through hotline.h against the same
// work done through the C++ API it wraps (the peer), in the same run.  The C side parses
// its JSON arguments and writes JSON results; the C++ side takes and returns structs.
//   - working-day sums: hotline_calendar_add_workdays vs calendar::add_workdays;
//   - due dates: hotline_sla_policy_due (an order as JSON, an ISO instant) vs sla_policy::due;
//   - knowledge matching: hotline_knowledge_base_match (top 5 as JSON) vs knowledge_base::match;
//   - work orders: hotline_store_create + hotline_store_apply (dispatch) vs store::create + apply,
//     each its own transaction, into fresh files.
//
//   cmake --build build --target bench_c_api && ./build/benchmarks/bench_c_api [orders]
#include "bench_common.hpp"
#include "hotline/hotline.h"
#include "hotline/hotline.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include <unistd.h>

using namespace hotline;
namespace fs = std::filesystem;

namespace {

void ok(hotline_status s, const char* what) {
  if (s != HOTLINE_OK) throw std::runtime_error(std::string(what) + ": " + hotline_last_error());
}

void remove_db(const fs::path& f) {
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(f.string() + suffix);
}

void line(const char* what, double n, double c_seconds, double cpp_seconds, const char* unit) {
  std::printf("%-44s C ABI %10.0f %s   C++ %10.0f %s   C++/C %.2fx\n", what, n / c_seconds, unit, n / cpp_seconds,
              unit, c_seconds / cpp_seconds);
}

const char* questions[] = {"怎么签家庭医生", "家庭医生签约到期了要怎么续签", "狂犬疫苗一共要打几针",
                           "手机上可以签约家庭医生吗", "签约家庭医生要收费吗", "老人体检在哪里做"};

}  // namespace

int main(int argc, char** argv) {
  const int orders = argc > 1 ? std::atoi(argv[1]) : 2000;
  std::printf("machine: %s\n", bench::cpu_model().c_str());
  const std::string kb_file = std::string(HOTLINE_SOURCE_DIR) + "/data/knowledge/family_doctor_kb.json";

  // Working-day sums over 2004-2026.
  hotline_calendar* ccal = nullptr;
  ok(hotline_calendar_new_china(&ccal, 0), "calendar");
  const auto cal = calendar::china();
  const std::int64_t first = day_number(make_day(2004, 1, 1)), span = 8000;
  constexpr int sums = 2'000'000;
  std::int64_t sink = 0;
  const double c_add = bench::best_seconds(3, [&] {
    for (int i = 0; i < sums; ++i) {
      std::int64_t out = 0;
      hotline_calendar_add_workdays(&out, ccal, first + i % span, 1 + i % 10);
      sink += out;
    }
  });
  const double cpp_add = bench::best_seconds(3, [&] {
    for (int i = 0; i < sums; ++i)
      sink += day_number(cal.add_workdays(from_day_number(first + i % span), 1 + i % 10));
  });
  line("working-day sums", sums, c_add, cpp_add, "/s");

  // Due dates of a consultation received at varying instants.
  hotline_sla_policy* cpol = nullptr;
  ok(hotline_sla_policy_new_preset(&cpol, "guangzhou-family-doctor"), "policy");
  const auto pol = sla_policy::preset("guangzhou-family-doctor");
  constexpr int dues = 100'000;
  std::vector<std::string> starts;
  for (int i = 0; i < 1000; ++i)
    starts.push_back(format_instant(parse_instant("2025-01-02T09:00:00+08:00") + std::chrono::hours(7 * i)));
  const double c_due = bench::best_seconds(3, [&] {
    for (int i = 0; i < dues; ++i) {
      char* due = nullptr;
      std::int64_t last = 0;
      ok(hotline_sla_policy_due(&due, &last, cpol, nullptr, R"({"request_type": "consultation"})",
                                starts[i % starts.size()].c_str(), nullptr),
         "due");
      sink += last;
      hotline_free(due);
    }
  });
  order_attributes consultation;
  consultation.type = request_type::consultation;
  const double cpp_due = bench::best_seconds(3, [&] {
    for (int i = 0; i < dues; ++i) {
      const auto d = pol.due(consultation, parse_instant(starts[i % starts.size()]));
      sink += format_instant(d.due).size() + day_number(d.last_day);
    }
  });
  line("due dates (order JSON in, ISO text out)", dues, c_due, cpp_due, "/s");

  // Knowledge matching, the top 5.
  hotline_knowledge_base* ckb = nullptr;
  std::size_t n = 0;
  ok(hotline_knowledge_base_new(&ckb), "kb");
  ok(hotline_knowledge_base_import_file(&n, ckb, kb_file.c_str()), "kb import");
  ok(hotline_knowledge_base_calibrate(&n, ckb), "kb calibrate");
  knowledge_base kb;
  kb.import_file(kb_file);
  kb.calibrate();
  constexpr int matches = 50'000;
  const double c_match = bench::best_seconds(3, [&] {
    for (int i = 0; i < matches; ++i) {
      char* hits = nullptr;
      ok(hotline_knowledge_base_match(&hits, ckb, questions[i % 6], R"({"k": 5})"), "match");
      sink += hits[0];
      hotline_free(hits);
    }
  });
  match_options top5;
  top5.k = 5;
  const double cpp_match = bench::best_seconds(3, [&] {
    for (int i = 0; i < matches; ++i) sink += static_cast<std::int64_t>(kb.match(questions[i % 6], top5).size());
  });
  line("knowledge matches (top 5)", matches, c_match, cpp_match, "/s");

  // Work orders: create and dispatch, each call its own transaction.
  const fs::path dir = fs::temp_directory_path() / ("hotline-bench-c-api-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const auto c_file = dir / "c.db", cpp_file = dir / "cpp.db";
  remove_db(c_file);
  remove_db(cpp_file);
  const std::string unit_json = R"({"code": "YX-BJJ", "name": "北京街社区卫生服务中心"})";
  const std::string order_json = R"({"request_type": "complaint", "received_at": "2025-10-09T09:15:00+08:00", )"
                                 R"("caller_phone": "13812341234", "content": "诊所收费不合理"})";
  const std::string dispatch_json = R"({"action": "dispatch", "at": "2025-10-09T10:00:00+08:00", "by": "D02", )"
                                    R"("role": "dispatcher", "unit": "YX-BJJ"})";
  hotline_store* cs = nullptr;
  ok(hotline_store_open(&cs, c_file.c_str(), nullptr), "store");
  ok(hotline_store_put_unit(cs, unit_json.c_str()), "unit");
  const double c_orders = bench::best_seconds(1, [&] {
    for (int i = 0; i < orders; ++i) {
      char* out = nullptr;
      ok(hotline_store_create(&out, cs, order_json.c_str(), R"({"id": "A017", "role": "agent"})", 0), "create");
      const char* p = std::strstr(out, "\"number\":\"");
      const std::string number(p + 10, std::strchr(p + 10, '"'));
      hotline_free(out);
      ok(hotline_store_apply(nullptr, cs, number.c_str(), dispatch_json.c_str(), 0), "apply");
    }
  });
  hotline_store_free(cs);
  double cpp_orders = 0;
  {
    store db(cpp_file);
    unit u;
    u.code = "YX-BJJ";
    u.name = "北京街社区卫生服务中心";
    db.put_unit(u);
    work_order in;
    in.request_type = request_type::complaint;
    in.received_at = parse_instant("2025-10-09T09:15:00+08:00");
    in.caller_phone = "13812341234";
    in.content = "诊所收费不合理";
    command d;
    d.action = action::dispatch;
    d.by = actor{"D02", role::dispatcher, {}};
    d.at = parse_instant("2025-10-09T10:00:00+08:00");
    d.unit = "YX-BJJ";
    cpp_orders = bench::best_seconds(1, [&] {
      for (int i = 0; i < orders; ++i) {
        const auto wo = db.create(in, actor{"A017", role::agent, {}});
        sink += db.apply(wo.number, d).version;
      }
    });
  }
  line("orders created and dispatched", orders, c_orders, cpp_orders, "/s");
  fs::remove_all(dir);

  hotline_knowledge_base_free(ckb);
  hotline_sla_policy_free(cpol);
  hotline_calendar_free(ccal);
  std::printf("(checksum %lld; load average %.2f: a shared machine slows both sides alike)\n",
              static_cast<long long>(sink), [] {
                double l[1] = {0};
                return getloadavg(l, 1) == 1 ? l[0] : -1.0;
              }());
  return 0;
}
