// Shared by the benchmark programs: the machine line and best-of-N timing.
#pragma once

#include <algorithm>
#include <chrono>
#include <fstream>
#include <string>

namespace hotline::bench {

/// The CPU model from /proc/cpuinfo, for the "machine:" line every benchmark prints.
inline std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  return "unknown";
}

/// The fastest of `repeats` runs of f, in seconds (the least disturbed by other load).
template <class F>
double best_seconds(int repeats, F&& f) {
  double best = 1e300;
  for (int r = 0; r < repeats; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    const auto t1 = std::chrono::steady_clock::now();
    best = std::min(best, std::chrono::duration<double>(t1 - t0).count());
  }
  return best;
}

}  // namespace hotline::bench
