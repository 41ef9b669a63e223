// hotline/units.hpp: handling units, their liaisons, and routing.
//
// Units are the grassroots institutions, districts, sub-districts and service
// lines a work order can be transferred to (001 §2.3, annex 4/5; 000 art. 3).
// Each names liaisons (联络员 A and B); a change of liaison must be reported
// (001 §4.1), so the store keeps every liaison with the interval it served.
//
//   hotline::unit_directory dir({u1, u2, line});
//   auto r = dir.route({.district = "越秀区", .sub_district = "北京街"}, "immunization");
//   if (r) dispatch_to(r->unit);                // r->reason: "topic" or "place"
//
// Routing, decided once:
//  1. By topic to the service line: an active unit of kind service_line that
//     lists the topic (001 §6: immunization to the CDC line, psychological aid
//     to the mental-health centre).  A topic nobody lists falls through.
//  2. By place: an active unit that covers the (district, sub_district) pair.
//  3. Else the active unit of kind district that covers the district.
//  4. Else no route (std::nullopt): the dispatcher chooses.
//  Ties go to the smallest unit code, so routing is deterministic.
#pragma once

#include "hotline/time.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hotline {

enum class unit_kind : std::uint8_t { institution, district, sub_district, service_line, authority, centre };
std::string_view to_string(unit_kind k) noexcept;
unit_kind parse_unit_kind(std::string_view text);  ///< throws invalid_argument_error

/// A place a unit covers: a whole district (sub_district empty) or one sub-district.
struct coverage {
  std::string district;
  std::string sub_district;
  friend bool operator==(const coverage&, const coverage&) = default;
};

struct unit {
  std::string code;  ///< unique, stable identifier (e.g. "YX-BJJ-CHC")
  std::string name;  ///< 越秀区北京街社区卫生服务中心
  unit_kind kind = unit_kind::institution;
  std::string parent;  ///< code of the parent unit, or empty
  std::vector<coverage> covers;
  std::vector<std::string> topics;  ///< topics a service line answers
  bool active = true;
  friend bool operator==(const unit&, const unit&) = default;
};

/// A liaison of a unit (001 annex 4/5: 联络员 A/B), valid over [valid_from, valid_to).
struct liaison {
  std::string unit;  ///< unit code
  std::string slot = "A";
  std::string name;
  std::string title;
  std::string department;
  std::string office_phone;
  std::string mobile;
  std::string email;
  instant valid_from{};
  std::optional<instant> valid_to;  ///< empty while serving
  std::string reported_by;          ///< who reported the change (001 §4.1)
  friend bool operator==(const liaison&, const liaison&) = default;
};

/// Where an order should go and why ("topic" or "place" or "district").
struct route_result {
  std::string unit;
  std::string reason;
};

struct place {
  std::string district;
  std::string sub_district;
  std::string address;
};

/// A snapshot of the unit directory; cheap look-ups and routing.
class unit_directory {
 public:
  unit_directory() = default;
  explicit unit_directory(std::vector<unit> units) : units_(std::move(units)) {
    std::sort(units_.begin(), units_.end(), [](const unit& a, const unit& b) { return a.code < b.code; });
  }

  [[nodiscard]] const std::vector<unit>& units() const noexcept { return units_; }
  [[nodiscard]] const unit* find(std::string_view code) const {
    const auto it = std::lower_bound(units_.begin(), units_.end(), code,
                                     [](const unit& u, std::string_view c) { return u.code < c; });
    return it != units_.end() && it->code == code ? &*it : nullptr;
  }

  /// See the file comment for the order of the rules.
  [[nodiscard]] std::optional<route_result> route(const place& p, std::string_view topic = {}) const {
    if (!topic.empty())
      for (const auto& u : units_)
        if (u.active && u.kind == unit_kind::service_line &&
            std::find(u.topics.begin(), u.topics.end(), topic) != u.topics.end())
          return route_result{u.code, "topic"};
    if (!p.sub_district.empty())
      for (const auto& u : units_)
        if (u.active)
          for (const auto& c : u.covers)
            if (c.district == p.district && c.sub_district == p.sub_district) return route_result{u.code, "place"};
    if (!p.district.empty())
      for (const auto& u : units_)
        if (u.active && u.kind == unit_kind::district)
          for (const auto& c : u.covers)
            if (c.district == p.district && c.sub_district.empty()) return route_result{u.code, "district"};
    return std::nullopt;
  }

 private:
  std::vector<unit> units_;
};

}  // namespace hotline
