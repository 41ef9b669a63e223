// Python bindings of the statutory holidays and the lunisolar calendar:
// hotline.HolidayRules, holiday_rules_in_force, statutory_days, lunar_new_year,
// lunar_to_gregorian, gregorian_to_lunar, solar_term.
//
//   hotline.statutory_days(2027)[1]          # (datetime.date(2027, 2, 5), '春节', 'Spring Festival')
//   hotline.lunar_new_year(2027)             # datetime.date(2027, 2, 6)
#include "bindings.hpp"
#include "casters.hpp"
#include "hotline/lunisolar.hpp"
#include "hotline/statutory_holidays.hpp"

#include <pybind11/stl.h>

#include <optional>
#include <string>

namespace py = pybind11;

namespace hotline::python {

void register_statutory(py::module_& m) {
  py::enum_<holiday_rules>(m, "HolidayRules", R"pbdoc(A version of the 全国年节及纪念日放假办法, by the year it took effect.)pbdoc")
      .value("RULES_1999", holiday_rules::rules_1999, "国务院令第270号: 10 days (春节 初一-初三, 劳动节 and 国庆节 3 each)")
      .value("RULES_2008", holiday_rules::rules_2008,
             "国务院令第513号, from 2008: 11 days (除夕-初二, 清明, 劳动节 1, 端午, 中秋, 国庆节 3)")
      .value("RULES_2014", holiday_rules::rules_2014, "国务院令第644号, from 2014: 11 days (春节 初一-初三)")
      .value("RULES_2025", holiday_rules::rules_2025, "国务院令第795号, from 2025: 13 days (春节 除夕-初三, 劳动节 2)")
      .def_property_readonly("citation", [](holiday_rules r) { return std::string(citation(r)); },
                             "the State Council order that made the version");

  m.def("holiday_rules_in_force", &holiday_rules_in_force, py::arg("year"),
        R"pbdoc(The version of the 放假办法 in force throughout `year` (2000 and later).)pbdoc");
  m.def(
      "statutory_days",
      [](int year, std::optional<holiday_rules> rules) {
        const auto days = rules ? statutory_days(year, *rules) : statutory_days(year);
        py::list out;
        for (const auto& s : days)
          out.append(py::make_tuple(s.date, std::string(name_zh(s.which)), std::string(name_en(s.which))));
        return out;
      },
      py::arg("year"), py::arg("rules") = py::none(),
      R"pbdoc([(date, name_zh, name_en)]: the statutory days off of `year` under `rules` (default: those in
force that year), in date order.  No 补假 and no 调休: those come with the year's notice.)pbdoc");

  m.def("lunar_new_year", &lunisolar::new_year, py::arg("year"),
        R"pbdoc(正月初一 of the lunar year that begins in Gregorian `year` (Beijing time, GB/T 33661-2017).)pbdoc");
  m.def("lunar_to_gregorian", &lunisolar::to_gregorian, py::arg("year"), py::arg("month"), py::arg("day"),
        py::arg("leap") = false,
        R"pbdoc(The Gregorian date of a lunar date; `year` is the Gregorian year its 正月初一 falls in.
InvalidArgumentError for a day that does not exist (a leap month the year lacks, the 30th of a
29-day month); OutOfRangeError outside the years answered.)pbdoc");
  m.def(
      "gregorian_to_lunar",
      [](py::handle d) {
        hotline::day x;
        if (!load_day(d.ptr(), x)) throw py::type_error("gregorian_to_lunar: expected a datetime.date");
        const auto l = lunisolar::from_gregorian(x);
        return py::make_tuple(l.year, l.month, l.leap, l.day);
      },
      py::arg("d"), R"pbdoc((year, month, leap, day) of the lunar date on `d`.)pbdoc");
  m.def("solar_term", &lunisolar::solar_term, py::arg("year"), py::arg("longitude"),
        R"pbdoc(The Beijing day on which the Sun's apparent longitude reaches `longitude` degrees (a multiple
of 15) in Gregorian `year`: 15 is 清明, 270 the winter solstice.)pbdoc");
  m.attr("LUNAR_FIRST_YEAR") = lunisolar::first_year;
  m.attr("LUNAR_LAST_YEAR") = lunisolar::last_year;
}

}  // namespace hotline::python
