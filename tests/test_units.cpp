// Units, liaisons with their history (001 §4.1, annex 4/5), and routing.
#include "hotline/store.hpp"
#include "hotline/units.hpp"
#include "test_support.hpp"

#include <filesystem>
#include <unistd.h>

using namespace hotline;
namespace fs = std::filesystem;

namespace {
instant at(const char* s) { return parse_instant(s); }

unit_directory sample() {
  return unit_directory({
      {"YX-BJJ", "北京街社区卫生服务中心", unit_kind::institution, "GZ-YX", {{"越秀区", "北京街"}}, {}, true},
      {"GZ-YX", "越秀区卫生健康局", unit_kind::district, "", {{"越秀区", ""}}, {}, true},
      {"CDC-IMM", "预防接种热线", unit_kind::service_line, "", {}, {"immunization"}, true},
      {"OLD", "已撤销的中心", unit_kind::institution, "", {{"越秀区", "大塘街"}}, {}, false},
  });
}

liaison person(const char* name, const char* from, const char* slot = "A") {
  liaison l;
  l.unit = "YX-BJJ";
  l.slot = slot;
  l.name = name;
  l.mobile = "13900001111";
  l.valid_from = at(from);
  l.reported_by = "YX-BJJ office";
  return l;
}
}  // namespace

TEST_CASE("routing: topic to the service line, then place, then district (001 §6)") {
  const auto d = sample();
  CHECK(d.find("GZ-YX") != nullptr);
  CHECK(d.find("NONE") == nullptr);
  CHECK(d.route({"越秀区", "北京街", {}}, "immunization")->unit == "CDC-IMM");
  CHECK(d.route({"越秀区", "北京街", {}}, "immunization")->reason == "topic");
  CHECK(d.route({"越秀区", "北京街", {}})->unit == "YX-BJJ");
  CHECK(d.route({"越秀区", "北京街", {}}, "unknown-topic")->reason == "place");
  // The inactive unit covering 大塘街 is skipped: the district takes it.
  CHECK(d.route({"越秀区", "大塘街", {}})->unit == "GZ-YX");
  CHECK(d.route({"越秀区", "大塘街", {}})->reason == "district");
  CHECK_FALSE(d.route({"天河区", "石牌街", {}}).has_value());
  CHECK(to_string(unit_kind::service_line) == "service_line");
  CHECK(parse_unit_kind("district") == unit_kind::district);
  CHECK_THROWS_AS(parse_unit_kind("hospital"), invalid_argument_error);
}

TEST_CASE("liaison changes are kept as history, never overwritten: 001 §4.1") {
  const fs::path dir = fs::path(HOTLINE_BINARY_DIR) / "test_units_tmp" / std::to_string(::getpid());
  fs::remove_all(dir);
  fs::create_directories(dir);
  store db(dir / "u.db");
  for (const auto& u : {sample().units()[1], sample().units()[3], sample().units()[0], sample().units()[2]}) {
    auto copy = u;
    if (copy.parent == "GZ-YX") copy.parent = "GZ-YX";
    db.put_unit(copy);
  }
  CHECK(db.directory().units().size() == 4);
  CHECK(db.find_unit("CDC-IMM")->topics == std::vector<std::string>{"immunization"});
  CHECK_THROWS_AS(db.put_unit({"X", "x", unit_kind::institution, "NO-PARENT", {}, {}, true}), not_found_error);
  CHECK_THROWS_AS(db.set_liaison([] { auto l = person("某人", "2024-01-01T00:00:00+08:00"); l.unit = "NOPE"; return l; }()),
                  not_found_error);

  db.set_liaison(person("李一", "2024-01-01T00:00:00+08:00"));
  db.set_liaison(person("陈二", "2024-01-01T00:00:00+08:00", "B"));
  db.set_liaison(person("张三", "2025-02-01T09:00:00+08:00"));
  // A change must come after the current liaison's start.
  CHECK_THROWS_AS(db.set_liaison(person("王四", "2024-06-01T00:00:00+08:00")), invalid_argument_error);

  const auto now = db.liaisons("YX-BJJ", std::nullopt, true);
  REQUIRE(now.size() == 2);
  CHECK(now[0].name == "张三");
  CHECK(now[1].name == "陈二");
  const auto then = db.liaisons("YX-BJJ", at("2024-12-31T12:00:00+08:00"), true);
  REQUIRE(then.size() == 2);
  CHECK(then[0].name == "李一");
  const auto hist = db.liaison_history("YX-BJJ", true);
  REQUIRE(hist.size() == 3);
  CHECK(hist[0].name == "李一");
  CHECK(hist[0].valid_to == at("2025-02-01T09:00:00+08:00"));
  CHECK_FALSE(hist[2].valid_to.has_value());
  // Masked by default.
  CHECK(db.liaisons("YX-BJJ")[0].name == "张*");
  CHECK(db.liaisons("YX-BJJ")[0].mobile == "139****1111");
}
