// Helpers shared by the store's suites (test_store_orders, test_store_import, ...): a fresh
// directory per test, the units of Yuexiu district that the cases dispatch to, and a
// complaint to start from.
#pragma once

#include "hotline/store.hpp"

#include <filesystem>
#include <string>
#include <unistd.h>

namespace hotline::test {

/// A fresh directory under the build tree for one test's database.
inline std::filesystem::path fresh_dir(const std::string& name) {
  const auto d = std::filesystem::path(HOTLINE_BINARY_DIR) / "test_store_tmp" / (name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(d);
  std::filesystem::create_directories(d);
  return d;
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
