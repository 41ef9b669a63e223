// hotline._core: the compiled half of the Python package.
#include "bindings.hpp"
#include "casters.hpp"
#include "hotline/error.hpp"
#include "hotline/version.hpp"

#include <datetime.h>

#include <string>
#include <vector>

namespace py = pybind11;

namespace hotline::python {

py::object shanghai_tzinfo() {
  // Leaked on purpose: a module-lifetime object must not be destroyed after
  // the interpreter shuts down.
  static auto* tz = new py::object(py::module_::import("zoneinfo").attr("ZoneInfo")("Asia/Shanghai"));
  return *tz;
}

namespace {
std::int64_t days_from_ymd(int y, int m, int d) {
  return date::sys_days{date::year{y} / date::month{static_cast<unsigned>(m)} / date::day{static_cast<unsigned>(d)}}
      .time_since_epoch()
      .count();
}
}  // namespace

bool load_day(PyObject* src, hotline::day& out) {
  // A datetime is a date subclass: refuse it, a moment is not a day.
  if (!PyDate_Check(src) || PyDateTime_Check(src)) return false;
  out = hotline::day{date::days{days_from_ymd(PyDateTime_GET_YEAR(src), PyDateTime_GET_MONTH(src),
                                              PyDateTime_GET_DAY(src))}};
  return true;
}

PyObject* make_date(hotline::day d) {
  const date::year_month_day ymd{d};
  return PyDate_FromDate(int(ymd.year()), int(unsigned(ymd.month())), int(unsigned(ymd.day())));
}

static std::int64_t instant_seconds(PyObject* dt) {
  PyObject* tzinfo = PyDateTime_DATE_GET_TZINFO(dt);
  if (tzinfo == Py_None) throw py::type_error("a naive datetime is not an instant: give it a tzinfo (hotline.SHANGHAI)");
  py::object off = py::reinterpret_steal<py::object>(PyObject_CallMethod(dt, "utcoffset", nullptr));
  if (!off) throw py::error_already_set();
  if (off.is_none()) throw py::type_error("a naive datetime is not an instant: its tzinfo gives no UTC offset");
  const std::int64_t offset = std::int64_t{PyDateTime_DELTA_GET_DAYS(off.ptr())} * 86400 +
                              PyDateTime_DELTA_GET_SECONDS(off.ptr());
  const std::int64_t days = days_from_ymd(PyDateTime_GET_YEAR(dt), PyDateTime_GET_MONTH(dt), PyDateTime_GET_DAY(dt));
  const std::int64_t sod = PyDateTime_DATE_GET_HOUR(dt) * 3600 + PyDateTime_DATE_GET_MINUTE(dt) * 60 +
                           PyDateTime_DATE_GET_SECOND(dt);
  return days * 86400 + sod - offset;  // microseconds are dropped: instants are whole seconds
}

bool load_instant(PyObject* src, hotline::instant& out) {
  if (!PyDateTime_Check(src)) return false;
  out = hotline::instant{hotline::seconds{instant_seconds(src)}};
  return true;
}

PyObject* make_datetime(hotline::instant t) {
  const auto local = hotline::to_local(t);
  const auto dp = date::floor<date::days>(local);
  const date::year_month_day ymd{dp};
  const date::hh_mm_ss<hotline::seconds> tod{local - dp};
  const py::object tz = shanghai_tzinfo();
  return PyDateTimeAPI->DateTime_FromDateAndTime(
      int(ymd.year()), int(unsigned(ymd.month())), int(unsigned(ymd.day())), int(tod.hours().count()),
      int(tod.minutes().count()), int(tod.seconds().count()), 0, tz.ptr(), PyDateTimeAPI->DateTimeType);
}

void register_errors(py::module_& m) {
  // One Python class per errc, all under hotline.Error; the translator maps by
  // code() so that every C++ subclass, present or future, lands on its class.
  static py::exception<hotline::error> base(m, "Error");
  base.attr("__doc__") = "Every error of hotline (C++ hotline::error); its subclasses name the kind.";
  struct entry {
    hotline::errc code;
    const char* name;
    const char* doc;
  };
  static const entry entries[] = {
      {hotline::errc::invalid_argument, "InvalidArgumentError", "A value the function cannot take."},
      {hotline::errc::out_of_range, "OutOfRangeError", "A date or number outside what the data covers."},
      {hotline::errc::parse_error, "ParseError",
       "A malformed file or text; the message names the source, line and field."},
      {hotline::errc::conflict, "ConflictError", "Contradicting data, or a concurrent update (a stale version)."},
      {hotline::errc::not_found, "NotFoundError", "An unknown name, id, order or unit."},
      {hotline::errc::illegal_transition, "IllegalTransitionError",
       "An action the current state of a work order (or a pending request) does not allow."},
      {hotline::errc::permission_denied, "PermissionDeniedError", "An actor without the right to the action."},
      {hotline::errc::io_error, "IoError", "A file that cannot be read or written; the message names it."},
      {hotline::errc::storage_error, "StorageError",
       "The store's database failed (full disk, read-only or damaged file); the message says what was kept."},
  };
  static std::vector<std::pair<hotline::errc, py::object>> classes;
  for (const auto& e : entries) {
    py::object cls = py::reinterpret_steal<py::object>(
        PyErr_NewExceptionWithDoc((std::string("hotline._core.") + e.name).c_str(), e.doc, base.ptr(), nullptr));
    m.attr(e.name) = cls;
    classes.emplace_back(e.code, cls);
  }
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const hotline::error& e) {
      for (const auto& [code, cls] : classes)
        if (code == e.code()) {
          PyErr_SetString(cls.ptr(), e.what());
          return;
        }
      PyErr_SetString(base.ptr(), e.what());
    }
  });
}

}  // namespace hotline::python

PYBIND11_MODULE(_core, m) {
  m.doc() = "hotline: workday calendars, SLA clocks, work orders and reports for public-health hotlines";
  m.attr("__version__") = hotline::version_string;
  PyDateTime_IMPORT;
  if (!PyDateTimeAPI) throw py::error_already_set();
  hotline::python::register_errors(m);
  hotline::python::register_masking(m);
  hotline::python::register_calendar(m);
  hotline::python::register_statutory(m);
  hotline::python::register_sla(m);
  hotline::python::register_triage(m);
  hotline::python::register_knowledge(m);
  hotline::python::register_signed_heads(m);
  hotline::python::register_work_order(m);
  hotline::python::register_store(m);
  hotline::python::register_store_copy(m);
  hotline::python::register_reports(m);
  hotline::python::register_assessment(m);
  hotline::python::register_signing(m);
  hotline::python::register_signing_store(m);
  hotline::python::register_signing_analysis(m);
}
