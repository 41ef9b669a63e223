// bench_sla: due instants of work orders under the Guangzhou preset, one thread.
//
//   <build>/benchmarks/bench_sla [count=1000000] [repeats=7] [--dump FILE]
//
// Issue 3's workload: `count` work orders with random receipt instants from
// 2005-01-01 to 2026-11-30 (receipts in December 2026 would fall due in 2027,
// which the national calendar data does not cover) and mixed request types
// (consultation, complaint, report, help request, praise), the
// guangzhou-family-doctor preset (000 art. 12).  Prints the best of `repeats`
// runs of sla_policy::due_many and of the one-by-one sla_policy::due, a checksum,
// and a machine-readable line "batch_rate=<orders/s>" that bench_sla.py reads.
// --dump writes "type received due" (int64 seconds) lines for a cross-check.
// Target (issue 3): at least 20 million due instants per second on one thread.
#include "hotline/sla.hpp"

#include "bench_common.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

using hotline::bench::best_seconds;
using hotline::bench::cpu_model;

int main(int argc, char** argv) {
  std::size_t count = 1'000'000;
  int repeats = 7;
  const char* dump = nullptr;
  int pos = 0;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--dump") == 0 && i + 1 < argc) {
      dump = argv[++i];
    } else if (pos++ == 0) {
      count = std::strtoull(argv[i], nullptr, 10);
    } else {
      repeats = std::atoi(argv[i]);
    }
  }
  if (count == 0 || repeats <= 0) {
    std::fprintf(stderr, "usage: bench_sla [count>0] [repeats>0] [--dump FILE]\n");
    return 2;
  }
  const auto policy = hotline::sla_policy::preset("guangzhou-family-doctor");
  const std::int64_t lo = hotline::from_local(hotline::make_day(2005, 1, 1), std::chrono::seconds{0}).time_since_epoch().count();
  const std::int64_t hi = hotline::from_local(hotline::make_day(2026, 11, 30), std::chrono::seconds{0}).time_since_epoch().count();
  std::mt19937_64 rng(20250930);
  std::uniform_int_distribution<std::int64_t> when(lo, hi - 1);
  const hotline::request_type kinds[] = {hotline::request_type::consultation, hotline::request_type::complaint,
                                         hotline::request_type::report, hotline::request_type::help_request,
                                         hotline::request_type::praise};
  std::vector<hotline::request_type> types(count);
  std::vector<std::int64_t> received(count), due(count);
  for (std::size_t i = 0; i < count; ++i) {
    types[i] = kinds[rng() % 5];
    received[i] = when(rng);
  }

  const double batch = best_seconds(repeats, [&] { policy.due_many(types, received, due); });
  std::int64_t checksum = 0;
  for (auto d : due) checksum ^= d;

  // The one-by-one form (rule matching, explanation data and all) on a slice.
  const std::size_t slice = std::min<std::size_t>(count, 100'000);
  std::int64_t check2 = 0;
  const double single = best_seconds(std::max(1, repeats / 3), [&] {
    for (std::size_t i = 0; i < slice; ++i) {
      hotline::order_attributes o;
      o.type = types[i];
      check2 ^= policy.due(o, hotline::instant{std::chrono::seconds{received[i]}}).due.time_since_epoch().count();
    }
  });
  for (std::size_t i = 0; i < slice; ++i)
    if (check2 == -1) std::printf("%lld\n", static_cast<long long>(due[i]));  // keeps check2 alive

  if (dump) {
    std::ofstream out(dump);
    for (std::size_t i = 0; i < count; ++i)
      out << static_cast<int>(types[i]) << ' ' << received[i] << ' ' << due[i] << '\n';
  }

  const double rate = static_cast<double>(count) / batch;
  std::printf("bench_sla: %zu work orders, receipts 2005-01-01..2026-11-30, 5 request types, guangzhou-family-doctor\n",
              count);
  std::printf("machine: nproc %u, %s\n", std::thread::hardware_concurrency(), cpu_model().c_str());
  std::printf("sla_policy::due_many (one thread)  %12.0f due instants/s  (%.2f ms, best of %d)  target >= 20e6: %s\n",
              rate, batch * 1e3, repeats, rate >= 20e6 ? "met" : "NOT met");
  std::printf("sla_policy::due one by one         %12.0f due instants/s  (%zu orders, with explanations)\n",
              static_cast<double>(slice) / single, slice);
  std::printf("checksum %016llx\n", static_cast<unsigned long long>(checksum));
  std::printf("batch_rate=%.0f\n", rate);
  return 0;
}
