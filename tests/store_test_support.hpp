// Helpers shared by the store's suites (test_store_orders, test_store_import, ...): a fresh
// directory per test, the units of Yuexiu district that the cases dispatch to, and a
// complaint to start from.
#pragma once

#include "hotline/store.hpp"

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unistd.h>

namespace hotline::test {

/// A fresh directory under the build tree for one test's database.
inline std::filesystem::path fresh_dir(const std::string& name) {
  const auto d = std::filesystem::path(HOTLINE_BINARY_DIR) / "test_store_tmp" / (name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(d);
  std::filesystem::create_directories(d);
  return d;
}

/// Whether the store suites run on PostgreSQL: HOTLINE_STORE_BACKEND=postgresql, set by
/// ctest's *_pg runs inside a throwaway cluster (tests/pg/throwaway_cluster.sh, which also
/// sets HOTLINE_PG and the PG* variables createdb reads).
inline bool on_pg() {
  const char* b = std::getenv("HOTLINE_STORE_BACKEND");
  return b && std::string_view(b) == "postgresql";
}

/// Where a case's store lives: the file `dir`/`file` on SQLite; on PostgreSQL a database
/// of its own named after them, created (fresh) the first time this process asks.
inline std::string location(const std::filesystem::path& dir, const std::string& file = "h.db") {
  if (!on_pg()) return (dir / file).string();
  std::string name = "hl_";
  for (const char c : dir.filename().string() + "_" + file)
    name += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(static_cast<unsigned char>(c))) : '_';
  static std::set<std::string> made;
  if (made.insert(name).second &&
      std::system(("dropdb --if-exists " + name + " >/dev/null 2>&1; createdb " + name).c_str()) != 0)
    throw std::runtime_error("createdb " + name + " failed (is the throwaway cluster running?)");
  const char* base = std::getenv("HOTLINE_PG");
  if (!base) throw std::runtime_error("HOTLINE_PG is not set");
  std::string uri = base;  // postgresql:///postgres?host=...
  const auto slash = uri.find(":///");
  const auto q = uri.find('?');
  return uri.substr(0, slash + 4) + name + (q == std::string::npos ? "" : uri.substr(q));
}

/// A database file in a fresh directory.
inline std::filesystem::path fresh_db(const std::string& name) { return fresh_dir(name) / "hotline.db"; }

/// The district bureau, two of its community health centres, and a service line.
inline void seed_units(store& db) {
  db.put_unit({"GZ-YX", "越秀区卫生健康局", unit_kind::district, "", {{"越秀区", ""}}, {}, true});
  db.put_unit({"YX-BJJ", "越秀区北京街社区卫生服务中心", unit_kind::institution, "GZ-YX", {{"越秀区", "北京街"}}, {}, true});
  db.put_unit({"YX-DS", "越秀区大塘街社区卫生服务中心", unit_kind::institution, "GZ-YX", {{"越秀区", "大塘街"}}, {}, true});
  db.put_unit({"CDC-IMM", "市疾控中心预防接种热线", unit_kind::service_line, "", {}, {"immunization"}, true});
}

/// A complaint taken on the line: the order most store cases start from.
inline work_order intake(const char* received = "2025-03-03T10:00:00+08:00") {
  work_order w;
  w.request_type = request_type::complaint;
  w.received_at = parse_instant(received);
  w.content = "家庭医生未按约定上门随访";
  w.caller_name = "王小明";
  w.caller_phone = "13812341234";
  w.district = "越秀区";
  w.sub_district = "北京街";
  return w;
}

}  // namespace hotline::test
