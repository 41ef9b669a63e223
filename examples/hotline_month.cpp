// hotline_month: the README's main job, end to end on the embedded default.
//
// A month of synthetic but realistic traffic for a city's 12320 line (see
// city_traffic.hpp; seeded, so every run gives the same numbers) goes into a
// fresh SQLite file through the store; then, from that file:
//   the annex 8 monthly tables (001), the quarterly district summary (000 art. 14),
//   the timeliness report (on-time rates, overdue list, returns, extensions,
//   satisfaction), and the assessment of every unit on the Tianjin rubric
//   (001 annex 10) with every deduction explained;
// all printed as text and written as one XLSX workbook.
//
//   hotline_month [--month 2025-10] [--seed 12320] [--db hotline-month.db] [--xlsx hotline-month.xlsx]
//                 [--kb-dir data/knowledge] [--calls-per-day 60]
#include "city_traffic.hpp"

#include <hotline/hotline.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

namespace {

int usage() {
  std::fputs("usage: hotline_month [--month YYYY-MM] [--seed N] [--db FILE] [--xlsx FILE] [--kb-dir DIR] "
             "[--calls-per-day N]\n",
             stderr);
  return 2;
}

// Printed tables keep long cells short (the lists of orders behind a deduction);
// the workbook has them whole.
void print(std::vector<hotline::report_table> tables) {
  for (auto& t : tables) {
    for (auto& row : t.rows)
      for (auto& cell : row)
        if (auto* s = std::get_if<std::string>(&cell); s && s->size() > 120) {
          std::size_t cut = 100;
          while (cut > 0 && (static_cast<unsigned char>((*s)[cut]) & 0xC0) == 0x80) --cut;  // a code-point boundary
          *s = s->substr(0, cut) + "…";
        }
    std::printf("%s\n", hotline::to_text(t).c_str());
  }
}

// What an assessor enters for each unit (001 annex 10 items 1, 2, 4 and the
// attitude score): made up for the example, seeded like the traffic.
std::map<std::string, hotline::unit_facts> assessor_entries(const city::month_traffic& t) {
  std::map<std::string, hotline::unit_facts> out;
  std::size_t i = 0;
  std::vector<std::string> codes{""};  // "": the centre's own line, assessed like the units' lines
  for (const auto& u : t.units) codes.push_back(u.code);
  for (const auto& code : codes) {
    auto& f = out[code];
    ++i;
    f.checks["has_lead"] = true;
    f.checks["has_handling_department"] = true;
    f.checks["has_fixed_liaison"] = true;
    f.checks["has_hotline"] = i % 5 != 0;
    f.checks["has_trained_staff"] = i % 3 != 0;
    f.scores["records_quality"] = 7.0 + static_cast<double>(i % 4);
    f.scores["reports_timely"] = 8.0 + static_cast<double>(i % 3);
    f.scores["attitude"] = 3.0 + static_cast<double>(i % 2);
    f.scores["training"] = 10.0 + static_cast<double>(i % 6);
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  int year = 2025;
  unsigned month = 10;  // October 2025: the National Day and Mid-Autumn holidays, two adjusted working days
  std::uint64_t seed = 12320;
  int calls_per_day = 60;
  std::string db_path = "hotline-month.db", xlsx_path = "hotline-month.xlsx";
#ifdef HOTLINE_SOURCE_DIR
  std::string kb_dir = std::string(HOTLINE_SOURCE_DIR) + "/data/knowledge";
#else
  std::string kb_dir = "data/knowledge";
#endif
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (i + 1 >= argc) return usage();
    const std::string v = argv[++i];
    if (a == "--month") {
      if (std::sscanf(v.c_str(), "%d-%u", &year, &month) != 2) return usage();
    } else if (a == "--seed") {
      seed = std::strtoull(v.c_str(), nullptr, 10);
    } else if (a == "--db") {
      db_path = v;
    } else if (a == "--xlsx") {
      xlsx_path = v;
    } else if (a == "--kb-dir") {
      kb_dir = v;
    } else if (a == "--calls-per-day") {
      calls_per_day = std::atoi(v.c_str());
    } else {
      return usage();
    }
  }

  try {
    // The knowledge base the agents answer from (the project's own family-doctor base).
    hotline::knowledge_base kb;
    kb.import_file(kb_dir + "/family_doctor_kb.json");
    kb.load_synonyms(kb_dir + "/synonyms.tsv");
    kb.calibrate();

    const auto traffic = city::generate(year, month, seed, kb, calls_per_day);

    // A fresh file: the example always starts from nothing.
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db_path + suffix);
    hotline::store db(db_path);
    city::load(db, traffic);
    const auto chain = db.verify();
    std::printf("%s: %zu calls, %zu work orders, %lld events; hash chain %s\n\n", db_path.c_str(),
                traffic.calls.calls.size(), traffic.stories.size(), static_cast<long long>(chain.events_checked),
                chain.ok ? "verified" : "BROKEN");

    const auto& period = traffic.period;
    std::vector<hotline::report_table> workbook;
    auto add = [&](std::vector<hotline::report_table> tables) {
      print(tables);
      workbook.insert(workbook.end(), tables.begin(), tables.end());
    };

    add(hotline::monthly_statistics(db, period).tables());
    const unsigned quarter = (month - 1) / 3 + 1;
    const auto q = hotline::reporting_period::quarter(year, quarter);
    add({hotline::quarterly_summary_table(hotline::quarterly_summary(db, q), q)});
    add(hotline::timeliness(db, period, traffic.as_of).tables());

    hotline::assessment_inputs inputs;
    inputs.long_unanswered = std::chrono::seconds{60};
    const auto scores = hotline::assess_units(hotline::rubric::preset("tianjin-12320"), db, period,
                                              assessor_entries(traffic), inputs);
    add(hotline::assessment_tables(scores, period));

    hotline::write_xlsx(workbook, xlsx_path);
    std::printf("wrote %s (%zu sheets) and %s\n", xlsx_path.c_str(), workbook.size(), db_path.c_str());
    return chain.ok ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hotline_month: %s\n", e.what());
    return 1;
  }
}
