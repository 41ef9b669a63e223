// Python bindings of the workday calendar (hotline.Calendar).
#include "bindings.hpp"
#include "casters.hpp"
#include "hotline/calendar.hpp"

namespace py = pybind11;

namespace hotline::python {

void register_calendar(py::module_& m) {
  py::class_<hotline::calendar>(m, "Calendar")
      .def_static("china", [](bool beyond) { return hotline::calendar::china({.weekends_beyond_data = beyond}); },
                  py::arg("weekends_beyond_data") = false)
      .def("is_workday", [](const hotline::calendar& c, hotline::day d) { return c.is_workday(d); })
      .def("add_workdays", [](const hotline::calendar& c, hotline::day d, std::int64_t n) { return c.add_workdays(d, n); });
}

}  // namespace hotline::python
