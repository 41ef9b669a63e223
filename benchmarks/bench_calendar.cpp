// bench_calendar: add_workdays on one thread, the batch form and a scalar loop.
//
//   <build>/benchmarks/bench_calendar [count=1000000] [repeats=7]
//
// Issue 2's workload: `count` random receipt dates in 2005-2026 and n in 1..30,
// against China's national calendar.  Prints the best of `repeats` runs as
// calls per second and a checksum (so the work cannot be optimised away), plus
// one machine-readable line "batch_rate=<calls/s>" that bench_calendar.py reads.
// Target (issue 2): at least 100 million per second on one thread.
#include "hotline/calendar.hpp"

#include "bench_common.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

using hotline::bench::best_seconds;
using hotline::bench::cpu_model;

int main(int argc, char** argv) {
  const std::size_t count = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1'000'000;
  const int repeats = argc > 2 ? std::atoi(argv[2]) : 7;
  if (count == 0 || repeats <= 0) {
    std::fprintf(stderr, "usage: %s [count>0] [repeats>0]\n", argv[0]);
    return 2;
  }

  const auto cal = hotline::calendar::china();
  const std::int64_t lo = hotline::day_number(hotline::make_day(2005, 1, 1));
  // The last start whose 30th working day is still covered (2026-11-18): later
  // starts would be out-of-range errors, not deadlines.
  const auto last = cal.last_day();
  const auto last_workday = cal.is_workday(last) ? last : cal.prev_workday(last);
  const std::int64_t hi = hotline::day_number(cal.add_workdays(last_workday, -30));
  std::mt19937_64 rng(20250125);
  std::uniform_int_distribution<std::int64_t> pick_day(lo, hi), pick_n(1, 30);
  std::vector<std::int64_t> days(count), n(count), out(count);
  for (std::size_t i = 0; i < count; ++i) {
    days[i] = pick_day(rng);
    n[i] = pick_n(rng);
  }

  const double batch = best_seconds(repeats, [&] { cal.add_workdays(days, n, out); });
  std::int64_t batch_sum = 0;
  for (auto v : out) batch_sum += v;

  std::int64_t scalar_sum = 0;
  const double scalar = best_seconds(repeats, [&] {
    std::int64_t s = 0;
    for (std::size_t i = 0; i < count; ++i)
      s += hotline::day_number(cal.add_workdays(hotline::from_day_number(days[i]), n[i]));
    scalar_sum = s;
  });
  if (scalar_sum != batch_sum) {
    std::fprintf(stderr, "batch and scalar disagree: %lld vs %lld\n", static_cast<long long>(batch_sum),
                 static_cast<long long>(scalar_sum));
    return 1;
  }

  const double batch_rate = static_cast<double>(count) / batch;
  const double scalar_rate = static_cast<double>(count) / scalar;
  std::printf("bench_calendar: %zu add_workdays, starts 2005-01-01..%s, n in 1..30, best of %d, one thread\n", count,
              hotline::format_day(hotline::from_day_number(hi)).c_str(), repeats);
  std::printf("machine: %s, nproc %u\n", cpu_model().c_str(), std::max(1u, std::thread::hardware_concurrency()));
  std::printf("  %-34s %14.0f /s  (%.2f ns each)\n", "C++ batch add_workdays(span...)", batch_rate, 1e9 / batch_rate);
  std::printf("  %-34s %14.0f /s  (%.2f ns each)\n", "C++ scalar loop add_workdays(d, n)", scalar_rate,
              1e9 / scalar_rate);
  std::printf("  checksum %lld; target >= 100,000,000 /s: %s\n", static_cast<long long>(batch_sum),
              batch_rate >= 1e8 ? "met" : "NOT met");
  std::printf("batch_rate=%.0f\nscalar_rate=%.0f\n", batch_rate, scalar_rate);
  return 0;
}
