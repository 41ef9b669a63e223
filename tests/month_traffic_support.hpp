// The main job's month (examples/city_traffic.hpp: October 2025, seed 12320) for the tests
// that load it (test_month_example, test_store_backends): generated from the project's
// knowledge base, as hotline_month does.
#pragma once

#include "../examples/city_traffic.hpp"

#include "hotline/knowledge.hpp"

#include <string>

namespace hotline::test {

/// The month with `calls_per_working_day` calls a working day (city::generate's default: 60).
inline city::month_traffic generate_month(int calls_per_working_day = 60) {
  knowledge_base kb;
  kb.import_file(std::string(HOTLINE_SOURCE_DIR) + "/data/knowledge/family_doctor_kb.json");
  kb.load_synonyms(std::string(HOTLINE_SOURCE_DIR) + "/data/knowledge/synonyms.tsv");
  kb.calibrate();
  return city::generate(2025, 10, 12320, kb, calls_per_working_day);
}

}  // namespace hotline::test
