// Report tables: CSV, aligned text and XLSX output.
#include "hotline/report_table.hpp"

#include "hotline/error.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace {
hotline::report_table sample() {
  hotline::report_table t{"表2 举报、建议办理情况", {"类型", "受理", "转办", "办结", "办结率"}, {}, {4}, {}, ""};
  t.rows.push_back({std::string("举报"), 16.0, 15.0, 12.0, 0.8});
  t.rows.push_back({std::string("建议, \"其他\""), 3.0, 0.0, 0.0, 0.0});
  t.notes.push_back("办结率 = 办结 / 转办: 12/15");
  return t;
}
std::string slurp(const std::string& p) {
  std::ifstream f(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), {}};
}
}  // namespace

TEST_CASE("CSV: header, quoting, rates as percentages") {
  const auto csv = hotline::to_csv(sample());
  CHECK(csv == "类型,受理,转办,办结,办结率\r\n举报,16,15,12,80.00%\r\n\"建议, \"\"其他\"\"\",3,0,0,0.00%\r\n");
}

TEST_CASE("text: aligned by display width, notes below") {
  const auto text = hotline::to_text(sample());
  CHECK(text.find("表2 举报、建议办理情况\n") == 0);
  CHECK(text.find("举报") != std::string::npos);
  CHECK(text.find("  办结率 = 办结 / 转办: 12/15\n") != std::string::npos);
}

TEST_CASE("files: CSV with a BOM, an XLSX workbook, and an unwritable path") {
  const auto dir = std::filesystem::temp_directory_path() / "hotline_test_report_table";
  std::filesystem::create_directories(dir);
  const auto csv = (dir / "t2.csv").string();
  hotline::write_csv(sample(), csv);
  CHECK(slurp(csv).rfind("\xEF\xBB\xBF类型,", 0) == 0);
  const auto xlsx = (dir / "monthly.xlsx").string();
  auto t1 = sample();
  t1.sheet_name = "表2";
  hotline::write_xlsx({t1, sample()}, xlsx);
  const auto bytes = slurp(xlsx);
  CHECK(bytes.size() > 1000);
  CHECK(bytes.rfind("PK", 0) == 0);  // a zip container, as XLSX is
  CHECK_THROWS_AS(hotline::write_csv(sample(), (dir / "no/such/dir/t.csv").string()), hotline::error);
  CHECK_THROWS_AS(hotline::write_xlsx({sample()}, (dir / "no/such/dir/t.xlsx").string()), hotline::error);
  std::filesystem::remove_all(dir);
}
