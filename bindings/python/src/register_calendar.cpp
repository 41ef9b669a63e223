// Python bindings of the workday calendar and staffed hours:
// hotline.Calendar, DayKind, CalendarLayer, SpecialDay, CalendarOverlay,
// StaffedSchedule, StaffedHours, ServiceMode.
//
//   cal = hotline.Calendar.china()
//   cal.add_workdays(datetime.date(2025, 1, 25), 2)        # datetime.date(2025, 1, 27)
//   cal.add_workdays(np.array(["2025-01-24"], "M8[D]"), 3)  # array(['2025-02-05'], dtype='datetime64[D]')
//
// Speed: the per-day methods are registered once each, taking py::handle, and
// dispatch by hand.  A datetime.date (and a Python int count) takes a fast path
// straight into the C++ table look-up; everything else goes through numpy as a
// datetime64[D] array (int64 days since 1970-01-01) and a C++ batch loop run
// without the GIL.  pybind11's overload resolution would cost more than the
// look-up itself.
//
// Accepted as a date: datetime.date (not datetime.datetime: a moment is not a
// day), numpy.datetime64 scalars and arrays of unit D or coarser (Y, M, W:
// converted exactly), and lists / object arrays of those.  Finer units
// (datetime64[s] and the like) are refused: truncating a moment to a day is a
// time-zone decision the caller must make.  NaT is refused with an
// InvalidArgumentError naming the element: a missing date has no deadline.
// Array results keep the broadcast shape; all-scalar inputs give a scalar
// (datetime.date when a datetime.date went in, numpy scalars otherwise).
#include "bindings.hpp"
#include "casters.hpp"
#include "hotline/calendar.hpp"
#include "hotline/calendar_overlay.hpp"
#include "hotline/staffed_hours.hpp"

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

namespace py = pybind11;

namespace hotline::python {
namespace {

constexpr std::int64_t k_nat = std::numeric_limits<std::int64_t>::min();
constexpr py::ssize_t k_release_gil_from = 2048;  // elements: below this, releasing costs more than it frees

// ---- Python objects used on the slow paths, imported once and leaked on
// purpose (module-lifetime objects must not die after the interpreter).
struct py_types {
  py::object datetime_type, time_type, timedelta_type, fspath;
};
const py_types& types() {
  static const py_types* t = [] {
    auto dt = py::module_::import("datetime");
    return new py_types{dt.attr("datetime"), dt.attr("time"), dt.attr("timedelta"),
                        py::module_::import("os").attr("fspath")};
  }();
  return *t;
}

struct np_api {
  py::object asarray, broadcast_shapes, broadcast_to, datetime_data, datetime64_type;
  py::dtype day_dtype, i64_dtype, bool_dtype;
};
const np_api& np();
/// np.asarray(a, order="C"): unlike np.ascontiguousarray it keeps 0-d arrays 0-d.
py::array contiguous(py::handle a) { return np().asarray(a, py::arg("order") = "C"); }

const np_api& np() {
  static const np_api* a = [] {
    auto m = py::module_::import("numpy");
    return new np_api{m.attr("asarray"),
                      m.attr("broadcast_shapes"),
                      m.attr("broadcast_to"),
                      m.attr("datetime_data"),
                      m.attr("datetime64"),
                      py::dtype::from_args(py::str("datetime64[D]")),
                      py::dtype::of<std::int64_t>(),
                      py::dtype::of<bool>()};
  }();
  return *a;
}

std::string type_name(py::handle h) { return py::str(py::type::handle_of(h).attr("__qualname__")); }

[[noreturn]] void refuse_day(py::handle obj, const char* arg, const std::string& why = {}) {
  throw py::type_error(std::string(arg) + ": expected a datetime.date, a numpy.datetime64 or an array/list of them, got " +
                       type_name(obj) + (why.empty() ? std::string() : " (" + why + ")"));
}

[[noreturn]] void refuse_datetime(const char* arg, const std::string& where = {}) {
  throw py::type_error(std::string(arg) + where +
                       ": a datetime.datetime is a moment, not a day; pass its .date() in Beijing time, e.g. "
                       "dt.astimezone(hotline.SHANGHAI).date()");
}

std::vector<py::ssize_t> shape_of(const py::array& a) { return {a.shape(), a.shape() + a.ndim()}; }

/// A C-contiguous datetime64[D] array, and whether it stands for a scalar.
struct day_array {
  py::array a;
  bool from_date = false;  ///< a datetime.date went in: a 0-d result goes back as a datetime.date
  [[nodiscard]] std::span<const std::int64_t> span() const {
    return {static_cast<const std::int64_t*>(a.data()), static_cast<std::size_t>(a.size())};
  }
};

day_array to_day_array(py::handle obj, const char* arg) {
  const auto& n = np();
  hotline::day d;
  if (load_day(obj.ptr(), d)) {
    py::array a(n.day_dtype, std::vector<py::ssize_t>{});
    *static_cast<std::int64_t*>(a.mutable_data()) = day_number(d);
    return {a, true};
  }
  if (py::isinstance(obj, types().datetime_type)) refuse_datetime(arg);
  if (py::isinstance<py::str>(obj) || py::isinstance<py::bytes>(obj)) refuse_day(obj, arg, "parse text with datetime.date.fromisoformat");
  py::array a = n.asarray(obj);
  const char kind = a.dtype().kind();
  if (kind == 'M') {
    const auto unit = n.datetime_data(a.dtype()).cast<py::tuple>()[0].cast<std::string>();
    if (unit != "D" && unit != "W" && unit != "M" && unit != "Y" && unit != "generic")  // generic: NaT only
      throw py::type_error(std::string(arg) + ": datetime64[" + unit +
                           "] holds moments, not days; convert with .astype('datetime64[D]') once you have decided "
                           "which day (time zone) each moment belongs to");
    if (!a.dtype().equal(n.day_dtype)) a = a.attr("astype")(n.day_dtype);
    return {contiguous(a), false};
  }
  if (kind == 'O') {
    // Lists of datetime.date (numpy leaves them as objects): convert one by one, exactly.
    py::array flat = a.attr("ravel")();
    py::array out(n.day_dtype, shape_of(a));
    auto* o = static_cast<std::int64_t*>(out.mutable_data());
    for (py::ssize_t i = 0; i < flat.size(); ++i) {
      py::object e = flat.attr("__getitem__")(i);
      const std::string where = " element " + std::to_string(i);
      if (load_day(e.ptr(), d)) {
        o[i] = day_number(d);
      } else if (py::isinstance(e, n.datetime64_type)) {
        auto one = to_day_array(e, arg);
        o[i] = one.span()[0];
      } else if (py::isinstance(e, types().datetime_type)) {
        refuse_datetime(arg, where);
      } else {
        throw py::type_error(std::string(arg) + where + ": expected a datetime.date or numpy.datetime64, got " +
                             type_name(e));
      }
    }
    return {out, false};
  }
  if (a.size() == 0 && kind == 'f') return {py::array(n.day_dtype, shape_of(a)), false};  // np.asarray([])
  refuse_day(obj, arg, "dtype " + std::string(py::str(a.dtype())));
}

/// A C-contiguous int64 array of counts.
py::array to_count_array(py::handle obj, const char* arg) {
  const auto& n = np();
  py::array a = n.asarray(obj);
  const char kind = a.dtype().kind();
  if (kind == 'i' || kind == 'u') {
    if (!a.dtype().equal(n.i64_dtype)) a = a.attr("astype")(n.i64_dtype);
    return contiguous(a);
  }
  if (a.size() == 0 && kind == 'f') return py::array(n.i64_dtype, shape_of(a));
  throw py::type_error(std::string(arg) + ": expected an int or an array of integers, got " + type_name(obj) +
                       " (dtype " + std::string(py::str(a.dtype())) + ")");
}

/// Broadcast shape of two arrays (numpy's rules; ValueError when they do not fit).
std::vector<py::ssize_t> broadcast_shape(const py::array& a, const py::array& b) {
  py::tuple s = np().broadcast_shapes(a.attr("shape"), b.attr("shape"));
  std::vector<py::ssize_t> v;
  for (auto x : s) v.push_back(x.cast<py::ssize_t>());
  return v;
}
py::array expand(const py::array& a, const std::vector<py::ssize_t>& shape) {
  if (shape_of(a) == shape) return a;
  return contiguous(np().broadcast_to(a, py::tuple(py::cast(shape))));
}

/// Turns a failed batch into the clearest error: NaT gets its own message.
[[noreturn]] void rethrow_with_nat(std::span<const std::int64_t> days, const char* arg) {
  for (std::size_t i = 0; i < days.size(); ++i)
    if (days[i] == k_nat)
      throw hotline::invalid_argument_error(std::string(arg) + " element " + std::to_string(i) +
                                            " is NaT: a missing date has no working days; drop or fill it first");
  throw;  // the batch's own error, which names the element
}

/// A 0-d result back as a scalar: datetime.date when a date went in, else numpy's scalar.
py::object finish_days(py::array out, bool from_date) {
  if (out.ndim() != 0) return out;
  const auto v = *static_cast<const std::int64_t*>(out.data());
  if (from_date) return py::reinterpret_steal<py::object>(make_date(from_day_number(v)));
  return out.attr("__getitem__")(py::tuple());
}
py::object finish_scalar(py::array out) {
  if (out.ndim() != 0) return out;
  return out.attr("__getitem__")(py::tuple());
}

/// A Python int (not bool) as int64; false for anything else.
bool load_count(py::handle h, std::int64_t& out) {
  if (!PyLong_Check(h.ptr()) || PyBool_Check(h.ptr())) return false;
  const long long v = PyLong_AsLongLong(h.ptr());
  if (v == -1 && PyErr_Occurred()) throw py::error_already_set();
  out = v;
  return true;
}

/// One day from a datetime.date or a numpy.datetime64 scalar.
hotline::day scalar_day(py::handle obj, const char* arg) {
  hotline::day d;
  if (load_day(obj.ptr(), d)) return d;
  if (py::isinstance(obj, types().datetime_type)) refuse_datetime(arg);
  if (!py::isinstance(obj, np().datetime64_type)) refuse_day(obj, arg, "this method takes one day");
  const auto a = to_day_array(obj, arg);
  const auto v = a.span()[0];
  if (v == k_nat) throw hotline::invalid_argument_error(std::string(arg) + " is NaT: a missing date has no calendar answer");
  return from_day_number(v);
}

// ---- the array forms --------------------------------------------------------

py::object add_workdays_array(const calendar& c, py::handle d, py::handle n, const char* arg = "d") {
  auto days = to_day_array(d, arg);
  py::array counts = to_count_array(n, "n");
  const auto shape = broadcast_shape(days.a, counts);
  py::array dd = expand(days.a, shape);
  if (counts.size() != 1 || counts.ndim() > static_cast<py::ssize_t>(shape.size())) counts = expand(counts, shape);
  py::array out(np().day_dtype, shape);
  const std::span<const std::int64_t> in{static_cast<const std::int64_t*>(dd.data()), static_cast<std::size_t>(dd.size())};
  const std::span<const std::int64_t> k{static_cast<const std::int64_t*>(counts.data()),
                                        static_cast<std::size_t>(counts.size())};
  const std::span<std::int64_t> o{static_cast<std::int64_t*>(out.mutable_data()), in.size()};
  try {
    if (dd.size() >= k_release_gil_from) {
      py::gil_scoped_release nogil;
      c.add_workdays(in, k, o);
    } else {
      c.add_workdays(in, k, o);
    }
  } catch (const hotline::out_of_range_error&) {
    rethrow_with_nat(in, arg);
  }
  return finish_days(out, days.from_date && counts.ndim() == 0);
}

py::object this_or_next_array(const calendar& c, py::handle d) {
  auto days = to_day_array(d, "d");
  py::array out(np().day_dtype, shape_of(days.a));
  const auto in = days.span();
  auto* o = static_cast<std::int64_t*>(out.mutable_data());
  const auto& t = c.table();
  const auto loop = [&] {
    for (std::size_t i = 0; i < in.size(); ++i) {
      try {
        // cum[x] working days lie before d, so workdays[cum[x]] is the first on or after d.
        const auto x = static_cast<std::size_t>(detail::table_index(t, in[i]));
        const auto k = static_cast<std::size_t>(t.cum[x]);
        if (k >= t.workdays.size()) detail::throw_result_uncovered(t, in[i], 1);
        o[i] = t.workdays[k];
      } catch (const hotline::out_of_range_error& e) {
        throw hotline::out_of_range_error("element " + std::to_string(i) + ": " + e.what());
      }
    }
  };
  try {
    if (days.a.size() >= k_release_gil_from) {
      py::gil_scoped_release nogil;
      loop();
    } else {
      loop();
    }
  } catch (const hotline::out_of_range_error&) {
    rethrow_with_nat(in, "d");
  }
  return finish_days(out, days.from_date);
}

py::object is_workday_array(const calendar& c, py::handle d) {
  auto days = to_day_array(d, "d");
  py::array out(np().bool_dtype, shape_of(days.a));
  const auto in = days.span();
  // numpy's bool is one byte holding 0 or 1, which is what the batch writes.
  const std::span<std::uint8_t> o{static_cast<std::uint8_t*>(out.mutable_data()), in.size()};
  try {
    if (days.a.size() >= k_release_gil_from) {
      py::gil_scoped_release nogil;
      c.is_workday(in, o);
    } else {
      c.is_workday(in, o);
    }
  } catch (const hotline::out_of_range_error&) {
    rethrow_with_nat(in, "d");
  }
  if (out.ndim() == 0 && days.from_date) return py::bool_(o[0] != 0);
  return finish_scalar(out);
}

py::object workdays_between_array(const calendar& c, py::handle a, py::handle b) {
  auto da = to_day_array(a, "a");
  auto db = to_day_array(b, "b");
  const auto shape = broadcast_shape(da.a, db.a);
  py::array xa = expand(da.a, shape), xb = expand(db.a, shape);
  py::array out(np().i64_dtype, shape);
  const auto n = static_cast<std::size_t>(xa.size());
  const std::span<const std::int64_t> sa{static_cast<const std::int64_t*>(xa.data()), n};
  const std::span<const std::int64_t> sb{static_cast<const std::int64_t*>(xb.data()), n};
  const std::span<std::int64_t> o{static_cast<std::int64_t*>(out.mutable_data()), n};
  try {
    if (xa.size() >= k_release_gil_from) {
      py::gil_scoped_release nogil;
      c.workdays_between(sa, sb, o);
    } else {
      c.workdays_between(sa, sb, o);
    }
  } catch (const hotline::out_of_range_error&) {
    for (std::size_t i = 0; i < n; ++i)
      if (sa[i] == k_nat || sb[i] == k_nat)
        throw hotline::invalid_argument_error("element " + std::to_string(i) +
                                              " is NaT: a missing date has no working days; drop or fill it first");
    throw;
  }
  if (out.ndim() == 0 && da.from_date && db.from_date) return py::int_(o[0]);
  return finish_scalar(out);
}

// ---- staffed-hours conversions ---------------------------------------------

/// A datetime.time (naive, whole seconds) or a datetime.timedelta as seconds after midnight.
std::int64_t time_of_day(py::handle h, const char* what) {
  const auto& t = types();
  if (py::isinstance(h, t.time_type)) {
    if (!h.attr("tzinfo").is_none())
      throw hotline::invalid_argument_error(std::string(what) + ": staffed hours are Beijing wall-clock times; give a naive datetime.time");
    if (h.attr("microsecond").cast<int>() != 0)
      throw hotline::invalid_argument_error(std::string(what) + ": staffed hours are whole seconds");
    return h.attr("hour").cast<std::int64_t>() * 3600 + h.attr("minute").cast<std::int64_t>() * 60 +
           h.attr("second").cast<std::int64_t>();
  }
  if (py::isinstance(h, t.timedelta_type)) {
    if (h.attr("microseconds").cast<int>() != 0)
      throw hotline::invalid_argument_error(std::string(what) + ": staffed hours are whole seconds");
    return h.attr("days").cast<std::int64_t>() * 86400 + h.attr("seconds").cast<std::int64_t>();
  }
  throw py::type_error(std::string(what) + ": expected a datetime.time or datetime.timedelta, got " + type_name(h));
}

std::vector<time_interval> to_intervals(py::handle seq) {
  std::vector<time_interval> v;
  std::size_t k = 0;
  for (auto item : py::iter(seq)) {
    if (!py::isinstance<py::sequence>(item) || py::len(item) != 2)
      throw py::type_error("interval " + std::to_string(k) + ": expected a pair (open, close)");
    const auto pair = py::reinterpret_borrow<py::sequence>(item);
    const std::string what = "interval " + std::to_string(k);
    v.push_back({seconds{time_of_day(pair[0], what.c_str())}, seconds{time_of_day(pair[1], what.c_str())}});
    ++k;
  }
  return v;
}

py::object timedelta(std::int64_t s) { return types().timedelta_type(0, s); }

py::list from_intervals(const std::vector<time_interval>& v) {
  py::list out;
  for (const auto& iv : v) out.append(py::make_tuple(timedelta(iv.begin.count()), timedelta(iv.end.count())));
  return out;
}

/// Python's weekday numbering (date.weekday(): 0 = Monday ... 6 = Sunday) as date::weekday.
date::weekday to_weekday(int wd) {
  if (wd < 0 || wd > 6)
    throw hotline::invalid_argument_error("weekday " + std::to_string(wd) +
                                          " is not 0 (Monday) .. 6 (Sunday), Python's date.weekday() numbering; "
                                          "for date.isoweekday() subtract 1");
  return date::weekday{static_cast<unsigned>((wd + 1) % 7)};
}

std::int64_t whole_seconds(py::handle td) {
  if (!py::isinstance(td, types().timedelta_type))
    throw py::type_error("expected a datetime.timedelta, got " + type_name(td));
  if (td.attr("microseconds").cast<int>() != 0)
    throw hotline::invalid_argument_error("business time is counted in whole seconds; round the timedelta first");
  return td.attr("days").cast<std::int64_t>() * 86400 + td.attr("seconds").cast<std::int64_t>();
}

std::string repr_day(hotline::day d) { return format_day(d); }

}  // namespace

void register_calendar(py::module_& m) {
  py::enum_<day_kind>(m, "DayKind", R"pbdoc(The kind of a day.

A weekend day inside a holiday span is a HOLIDAY (it carries the holiday's name);
a weekend day that is worked (调休) is an ADJUSTED_WORKING_DAY.)pbdoc")
      .value("WORKING_DAY", day_kind::working_day, "Monday-Friday, nothing special")
      .value("REST_DAY", day_kind::rest_day, "Saturday or Sunday, nothing special")
      .value("HOLIDAY", day_kind::holiday, "a day off by a notice or an overlay (closures included)")
      .value("ADJUSTED_WORKING_DAY", day_kind::adjusted_working_day, "a day worked that would otherwise be off (调休)")
      .def_property_readonly("is_working", [](day_kind k) { return is_working(k); },
                             "True for WORKING_DAY and ADJUSTED_WORKING_DAY");

  py::enum_<calendar_layer>(m, "CalendarLayer", R"pbdoc(Where a special day comes from; later layers override earlier ones.)pbdoc")
      .value("WEEKLY", calendar_layer::weekly, "the Monday-Friday rule, no special day")
      .value("NATIONAL", calendar_layer::national, "the State Council's holiday notice")
      .value("REGIONAL", calendar_layer::regional, "a province's own days, e.g. Guangxi 壮族三月三")
      .value("ORGANISATION", calendar_layer::organisation, "one centre's closures and extra working days")
      .value("STATUTORY", calendar_layer::statutory,
             "a statutory day computed from the 放假办法 for a year without its notice: provisional");

  py::enum_<year_basis>(m, "YearBasis", R"pbdoc(What a year's days rest on.)pbdoc")
      .value("NONE", year_basis::none, "the calendar cannot answer for the year")
      .value("DATA", year_basis::data, "holiday notices, built in or loaded")
      .value("STATUTORY", year_basis::statutory, "statutory days computed from the 放假办法: provisional")
      .value("WEEKENDS_ONLY", year_basis::weekends_only, "the plain Monday-Friday rule, opted in");

  py::class_<special_day>(m, "SpecialDay", R"pbdoc(A day some layer names: a holiday or an adjusted working day.)pbdoc")
      .def_property_readonly("date", [](const special_day& s) { return s.date; }, "The day (datetime.date).")
      .def_readonly("kind", &special_day::kind, "HOLIDAY or ADJUSTED_WORKING_DAY (DayKind).")
      .def_readonly("name_zh", &special_day::name_zh, "The day's Chinese name, e.g. 春节.")
      .def_readonly("name_en", &special_day::name_en, "The day's English name, e.g. Spring Festival (may be empty).")
      .def_readonly("layer", &special_day::layer, "The layer that names the day (CalendarLayer).")
      .def("__eq__", [](const special_day& a, const special_day& b) {
        return a.date == b.date && a.kind == b.kind && a.name_zh == b.name_zh && a.name_en == b.name_en &&
               a.layer == b.layer;
      })
      .def("__repr__", [](const special_day& s) {
        return "SpecialDay(" + repr_day(s.date) + ", " + std::string(to_string(s.kind)) + ", " +
               std::string(py::repr(py::str(s.name_zh))) + ", " + std::string(py::repr(py::str(s.name_en))) + ", " +
               std::string(to_string(s.layer)) + ")";
      });

  py::class_<calendar_overlay>(m, "CalendarOverlay", R"pbdoc(A layer of dated days off and working days.

    ov = hotline.CalendarOverlay("centre closures", hotline.CalendarLayer.ORGANISATION)
    ov.add_day_off(datetime.date(2025, 3, 3), "停诊", "Closure")
    cal = hotline.Calendar.china().with_overlay(ov)

Files: CSV ``date,kind,name[,name_en]`` (kind holiday | closure | workday; optional
header; ``#`` comments; ``# covers: 2027`` declares fully listed years) and
iCalendar (.ics) all-day VEVENTs with the kind in CATEGORIES or X-HOTLINE-KIND.
A malformed file raises ParseError naming the file and line; a date listed twice
(or as both a day off and a working day) raises ConflictError naming both lines.)pbdoc")
      .def(py::init<std::string, calendar_layer>(), py::arg("source"), py::arg("layer"),
           R"pbdoc(An empty overlay; `source` names it in error messages.)pbdoc")
      .def(
          "add_day_off",
          [](calendar_overlay& o, py::handle d, std::string zh, std::string en) -> calendar_overlay& {
            return o.add_day_off(scalar_day(d, "d"), std::move(zh), std::move(en));
          },
          py::arg("d"), py::arg("name_zh"), py::arg("name_en") = "", py::return_value_policy::reference_internal,
          R"pbdoc(A holiday or closure; returns self.  ConflictError if the date is already listed.)pbdoc")
      .def(
          "add_working_day",
          [](calendar_overlay& o, py::handle d, std::string zh, std::string en) -> calendar_overlay& {
            return o.add_working_day(scalar_day(d, "d"), std::move(zh), std::move(en));
          },
          py::arg("d"), py::arg("name_zh"), py::arg("name_en") = "", py::return_value_policy::reference_internal,
          R"pbdoc(A day worked that would otherwise be off (调休), or an extra working day; returns self.)pbdoc")
      .def("covers", &calendar_overlay::covers, py::arg("first_year"), py::arg("last_year"),
           py::return_value_policy::reference_internal,
           R"pbdoc(Declares that the overlay lists every special day of [first_year, last_year]; returns self.)pbdoc")
      .def_static(
          "from_csv",
          [](py::handle path, calendar_layer layer) {
            return calendar_overlay::from_csv_file(types().fspath(path).cast<std::string>(), layer);
          },
          py::arg("path"), py::arg("layer"), R"pbdoc(Reads a CSV overlay file (UTF-8).)pbdoc")
      .def_static(
          "from_csv_text",
          [](std::string_view text, std::string source, calendar_layer layer) {
            return calendar_overlay::from_csv(text, std::move(source), layer);
          },
          py::arg("text"), py::arg("source"), py::arg("layer"), R"pbdoc(Parses CSV text; `source` names it in errors.)pbdoc")
      .def_static(
          "from_ics",
          [](py::handle path, calendar_layer layer) {
            return calendar_overlay::from_ics_file(types().fspath(path).cast<std::string>(), layer);
          },
          py::arg("path"), py::arg("layer"), R"pbdoc(Reads an iCalendar (.ics) overlay file.)pbdoc")
      .def_static(
          "from_ics_text",
          [](std::string_view text, std::string source, calendar_layer layer) {
            return calendar_overlay::from_ics(text, std::move(source), layer);
          },
          py::arg("text"), py::arg("source"), py::arg("layer"), R"pbdoc(Parses iCalendar text; `source` names it in errors.)pbdoc")
      .def_static(
          "from_notice",
          [](std::string_view text, std::optional<int> year, std::string source) {
            return calendar_overlay::from_notice(text, year, std::move(source));
          },
          py::arg("text"), py::arg("year") = py::none(), py::arg("source") = "notice",
          R"pbdoc(A national overlay from the State Council's yearly holiday notice as published
(国务院办公厅关于YYYY年部分节假日安排的通知), page clutter and all.  ``year`` is read from the
text when None.  A weekday in brackets that does not match its date, a 共N天 that differs from
the days counted, a worked day that is not a weekend day, a day both off and worked, or no
recognisable item raises ParseError naming the item; nothing is half-loaded.

    ov = hotline.CalendarOverlay.from_notice(open("2027.txt", encoding="utf-8").read())
    cal = hotline.Calendar.china().with_overlay(ov)     # 2027 now covered)pbdoc")
      .def_static(
          "from_notice_file",
          [](py::handle path, std::optional<int> year) {
            return calendar_overlay::from_notice_file(types().fspath(path).cast<std::string>(), year);
          },
          py::arg("path"), py::arg("year") = py::none(), R"pbdoc(Reads a notice from a UTF-8 text file.)pbdoc")
      .def("to_csv", &calendar_overlay::to_csv,
           R"pbdoc(The overlay as the CSV overlay format (with '# covers:' when it declares years), which
from_csv reads back to the same days.)pbdoc")
      .def_property_readonly("source", &calendar_overlay::source,
                             "Where the overlay comes from: the name given, or the file path it was read from.")
      .def_property_readonly("layer", &calendar_overlay::layer,
                             "The layer the overlay's days belong to (CalendarLayer).")
      .def_property_readonly(
          "covered_years",
          [](const calendar_overlay& o) -> py::object {
            if (o.covers_first() > o.covers_last()) return py::none();
            return py::make_tuple(o.covers_first(), o.covers_last());
          },
          "(first, last) years the overlay declares it lists completely, or None")
      .def_property_readonly(
          "entries",
          [](const calendar_overlay& o) {
            py::list out;
            for (const auto& e : o.entries())
              out.append(py::make_tuple(e.date, e.day_off, e.name_zh, e.name_en, e.line));
            return out;
          },
          "[(date, day_off, name_zh, name_en, line)] in the order given")
      .def("__len__", [](const calendar_overlay& o) { return o.entries().size(); })
      .def("__repr__", [](const calendar_overlay& o) {
        return "CalendarOverlay(" + std::string(py::repr(py::str(o.source()))) + ", " + std::string(to_string(o.layer())) +
               ", " + std::to_string(o.entries().size()) + " entries)";
      });

  py::class_<calendar>(m, "Calendar", R"pbdoc(A workday calendar: China's national calendar plus overlays.

Rules (see calendar.hpp):
  * add_workdays(d, n), n >= 1, is the n-th working day strictly after d, whatever
    d is ("n working days from the day after receipt", 000 art. 12); n <= -1 the
    |n|-th strictly before d; n == 0 gives d.
  * workdays_between(a, b) counts the working days in (a, b], so
    workdays_between(d, add_workdays(d, n)) == n; negative when b < a.
  * A date in a year without data raises OutOfRangeError naming the year, unless
    the calendar was built with weekends_beyond_data=True.

Per-day methods take a datetime.date (fast path), a numpy.datetime64 scalar, or
arrays/lists (datetime64[D] in, datetime64[D] out, computed without the GIL).
NaT raises InvalidArgumentError naming the element; datetime64 units finer
than a day (e.g. [s]) raise TypeError.)pbdoc")
      .def_static(
          "china",
          [](bool beyond, bool statutory) {
            return calendar::china({.weekends_beyond_data = beyond, .statutory_beyond_data = statutory});
          },
          py::arg("weekends_beyond_data") = false, py::arg("statutory_beyond_data") = false,
          R"pbdoc(China's national calendar, 2004-2026 built in.

A later year without data raises OutOfRangeError naming three ways forward: load the year's
notice (CalendarOverlay.from_notice, Calendar.with_notices), or opt in here:
statutory_beyond_data=True takes the statutory days of the 全国年节及纪念日放假办法 in force
each year (lunar dates computed; provisional: no 补假 or 调休 guessed; their layer is
STATUTORY and loading the notice replaces them); weekends_beyond_data=True the plain
Monday-Friday rule (beyond the statutory years when both are given).)pbdoc")
      .def_static(
          "weekly",
          [](int y0, int y1, bool beyond) { return calendar::weekly(y0, y1, {.weekends_beyond_data = beyond}); },
          py::arg("first_year"), py::arg("last_year"), py::arg("weekends_beyond_data") = false,
          R"pbdoc(The Monday-Friday rule alone over [first_year, last_year].)pbdoc")
      .def("with_overlay", &calendar::with, py::arg("overlay"),
           R"pbdoc(A new calendar with `overlay` on top (this one is unchanged).  Raises ConflictError /
OutOfRangeError naming the entry's line when the overlay cannot apply.  A national overlay
that covers a year (a notice) replaces that year's provisional statutory days.)pbdoc")
      .def(
          "with_notices",
          [](const calendar& c, py::handle folder) { return c.with_notices(types().fspath(folder).cast<std::string>()); },
          py::arg("folder"),
          R"pbdoc(Every notice in a folder on top, in the order of their years: ``*.txt`` notices as
published, ``*.csv`` overlay files with '# covers:' (python -m hotline.notice writes them).
The first file that fails raises an error naming it, and nothing is loaded.)pbdoc")
      .def("with_region", &calendar::with_region, py::arg("name"),
           R"pbdoc(A region's own days on top, by name (Calendar.regions()): "guangxi" adds 壮族三月三.)pbdoc")
      .def_static("regions", &calendar::regions, R"pbdoc(The names with_region knows.)pbdoc")
      .def("basis", &calendar::basis, py::arg("year"),
           R"pbdoc(What the days of `year` rest on: YearBasis.DATA, STATUTORY, WEEKENDS_ONLY or NONE.)pbdoc")
      .def(
          "is_provisional", [](const calendar& c, py::handle d) { return c.is_provisional(scalar_day(d, "d")); },
          py::arg("d"), R"pbdoc(True when d's year rests on computed statutory days or on weekends only.)pbdoc")
      .def(
          "assumptions",
          [](const calendar& c, py::handle a, py::handle b) {
            return c.assumptions(scalar_day(a, "start"), scalar_day(b, "end"));
          },
          py::arg("start"), py::arg("end"),
          R"pbdoc(What was assumed for the years of [start, end] not backed by notices ("" when none).)pbdoc")
      .def(
          "is_workday",
          [](const calendar& c, py::handle d) -> py::object {
            hotline::day x;
            if (load_day(d.ptr(), x)) return py::bool_(c.is_workday(x));
            return is_workday_array(c, d);
          },
          py::arg("d"), R"pbdoc(True on a working day (WORKING_DAY or ADJUSTED_WORKING_DAY); arrays give bool arrays.)pbdoc")
      .def(
          "add_workdays",
          [](const calendar& c, py::handle d, py::handle n) -> py::object {
            hotline::day x;
            std::int64_t k;
            if (load_day(d.ptr(), x) && load_count(n, k))
              return py::reinterpret_steal<py::object>(make_date(c.add_workdays(x, k)));
            return add_workdays_array(c, d, n);
          },
          py::arg("d"), py::arg("n"),
          R"pbdoc(The n-th working day strictly after d (n >= 1), strictly before d (n <= -1), d itself (n == 0).

Receipt on Friday 2025-01-24 with n=2 gives Monday 01-27 (Sunday 01-26 is worked);
n=3 gives 02-05, past the Spring Festival.  d and n broadcast as numpy arrays.)pbdoc")
      .def(
          "next_workday",
          [](const calendar& c, py::handle d) -> py::object {
            hotline::day x;
            if (load_day(d.ptr(), x)) return py::reinterpret_steal<py::object>(make_date(c.next_workday(x)));
            return add_workdays_array(c, d, py::int_(1));
          },
          py::arg("d"), R"pbdoc(The first working day strictly after d.)pbdoc")
      .def(
          "prev_workday",
          [](const calendar& c, py::handle d) -> py::object {
            hotline::day x;
            if (load_day(d.ptr(), x)) return py::reinterpret_steal<py::object>(make_date(c.prev_workday(x)));
            return add_workdays_array(c, d, py::int_(-1));
          },
          py::arg("d"), R"pbdoc(The last working day strictly before d.)pbdoc")
      .def(
          "this_or_next_workday",
          [](const calendar& c, py::handle d) -> py::object {
            hotline::day x;
            if (load_day(d.ptr(), x)) return py::reinterpret_steal<py::object>(make_date(c.this_or_next_workday(x)));
            return this_or_next_array(c, d);
          },
          py::arg("d"), R"pbdoc(d itself if it is a working day, else the next working day.)pbdoc")
      .def(
          "workdays_between",
          [](const calendar& c, py::handle a, py::handle b) -> py::object {
            hotline::day x, y;
            if (load_day(a.ptr(), x) && load_day(b.ptr(), y)) return py::int_(c.workdays_between(x, y));
            return workdays_between_array(c, a, b);
          },
          py::arg("a"), py::arg("b"),
          R"pbdoc(Working days in (a, b]: strictly after a, up to and including b; negative when b < a.)pbdoc")
      .def(
          "kind", [](const calendar& c, py::handle d) { return c.kind(scalar_day(d, "d")); }, py::arg("d"),
          R"pbdoc(The DayKind of one day.)pbdoc")
      .def(
          "holiday_name",
          [](const calendar& c, py::handle d, bool english) -> py::object {
            const auto n = c.holiday_name(scalar_day(d, "d"), english);
            if (!n) return py::none();
            return py::str(n->data(), n->size());
          },
          py::arg("d"), py::arg("english") = false,
          R"pbdoc(The holiday's (or adjustment's) name, e.g. 春节 / "Spring Festival"; None on an ordinary day.)pbdoc")
      .def(
          "layer", [](const calendar& c, py::handle d) { return c.layer(scalar_day(d, "d")); }, py::arg("d"),
          R"pbdoc(The CalendarLayer that decided the day (WEEKLY for an ordinary day).)pbdoc")
      .def(
          "special_days",
          [](const calendar& c, py::handle from, py::handle to) {
            return c.special_days(scalar_day(from, "start"), scalar_day(to, "end"));
          },
          py::arg("start"), py::arg("end"),
          R"pbdoc(Every named day (holidays and adjusted working days) in [start, end], both included.)pbdoc")
      .def("holidays", &calendar::holidays, py::arg("year"), R"pbdoc(The holidays (days off) of a year.)pbdoc")
      .def_property_readonly("first_covered_year", &calendar::first_covered_year, "first year backed by data")
      .def_property_readonly("last_covered_year", &calendar::last_covered_year, "last year backed by data")
      .def_property_readonly("weekends_beyond_data", &calendar::weekends_beyond_data,
                             "True when uncovered years follow the plain Monday-Friday rule")
      .def_property_readonly("last_statutory_year", &calendar::last_statutory_year,
                             "the last year answered by provisional statutory days (below the covered years when none)")
      .def_property_readonly("first_day", &calendar::first_day, "the first day the calendar can answer for")
      .def_property_readonly("last_day", &calendar::last_day, "the last day the calendar can answer for")
      .def("__repr__", [](const calendar& c) {
        return "<hotline.Calendar covering " + std::to_string(c.first_covered_year()) + "-" +
               std::to_string(c.last_covered_year()) +
               (c.last_statutory_year() > c.last_covered_year()
                    ? ", statutory to " + std::to_string(c.last_statutory_year())
                    : std::string()) +
               (c.weekends_beyond_data() ? ", weekends beyond" : "") + ">";
      });

  py::enum_<service_mode>(m, "ServiceMode", R"pbdoc(Who answers the line (001 §3.1).)pbdoc")
      .value("HUMAN", service_mode::human, "agents answer (staffed hours)")
      .value("AUTOMATED_VOICE", service_mode::automated_voice, "the automated voice answers");

  py::class_<staffed_schedule>(m, "StaffedSchedule", R"pbdoc(Opening hours by weekday for working days, and for days off.

Weekdays use Python's date.weekday() numbering: 0 = Monday ... 6 = Sunday.
Intervals are half-open [open, close) Beijing wall-clock times, given as
(datetime.time, datetime.time) or (timedelta, timedelta) pairs (timedelta(hours=24)
for midnight at the end of the day); sorted, non-overlapping.)pbdoc")
      .def(py::init<>(), R"pbdoc(No staffed hours at all.)pbdoc")
      .def_static("standard", &staffed_schedule::standard,
                  R"pbdoc(08:30-16:30 on every working day, adjusted working weekend days included (001 §3.1).)pbdoc")
      .def(
          "set_working_day",
          [](staffed_schedule& s, int wd, py::handle iv) -> staffed_schedule& {
            return s.set_working_day(to_weekday(wd), to_intervals(iv));
          },
          py::arg("weekday"), py::arg("intervals"), py::return_value_policy::reference_internal,
          R"pbdoc(Intervals for working days falling on `weekday` (0 = Monday); returns self.)pbdoc")
      .def(
          "set_working_days",
          [](staffed_schedule& s, py::handle iv) -> staffed_schedule& { return s.set_working_days(to_intervals(iv)); },
          py::arg("intervals"), py::return_value_policy::reference_internal,
          R"pbdoc(Intervals for every working day; returns self.)pbdoc")
      .def(
          "set_days_off",
          [](staffed_schedule& s, py::handle iv) -> staffed_schedule& { return s.set_days_off(to_intervals(iv)); },
          py::arg("intervals"), py::return_value_policy::reference_internal,
          R"pbdoc(Intervals on rest days and holidays (default none); returns self.)pbdoc")
      .def(
          "working_day", [](const staffed_schedule& s, int wd) { return from_intervals(s.working_day(to_weekday(wd))); },
          py::arg("weekday"), R"pbdoc([(open, close)] as timedeltas after midnight for working days on `weekday`.)pbdoc")
      .def_property_readonly(
          "days_off", [](const staffed_schedule& s) { return from_intervals(s.days_off()); },
          "[(open, close)] as timedeltas after midnight on days off");

  py::class_<staffed_hours>(m, "StaffedHours", R"pbdoc(When agents answer (human service) and business time, 001 §3.1.

    hours = hotline.StaffedHours(hotline.Calendar.china())
    hours.is_staffed(datetime.datetime(2025, 1, 27, 9, tzinfo=hotline.SHANGHAI))   # True

Instants are timezone-aware datetimes (a naive one raises TypeError); results
come back in Asia/Shanghai.  At a closing time (16:30:00) the line is closed.)pbdoc")
      .def(py::init<calendar, staffed_schedule>(), py::arg("calendar"),
           py::arg("schedule") = staffed_schedule::standard())
      .def("is_staffed", &staffed_hours::is_staffed, py::arg("t"), R"pbdoc(Human service at instant t?)pbdoc")
      .def("mode", &staffed_hours::mode, py::arg("t"), R"pbdoc(ServiceMode.HUMAN or ServiceMode.AUTOMATED_VOICE at t.)pbdoc")
      .def("next_opening", &staffed_hours::next_opening, py::arg("t"), R"pbdoc(t when staffed, else the next opening.)pbdoc")
      .def("next_closing", &staffed_hours::next_closing, py::arg("t"),
           R"pbdoc(The end of the staffed interval containing t, or of the next one.)pbdoc")
      .def(
          "business_time", [](const staffed_hours& h, instant a, instant b) { return timedelta(h.business_time(a, b).count()); },
          py::arg("a"), py::arg("b"), R"pbdoc(Staffed time in [a, b) as a timedelta; negative when b < a.)pbdoc")
      .def(
          "add_business_time",
          [](const staffed_hours& h, instant t, py::handle d) { return h.add_business_time(t, seconds{whole_seconds(d)}); },
          py::arg("t"), py::arg("d"),
          R"pbdoc(The earliest instant at which `d` (a non-negative timedelta, whole seconds) of staffed time has
passed since t; a result at a closing moment is that closing instant.)pbdoc")
      .def(
          "intervals",
          [](const staffed_hours& h, py::handle d) { return h.intervals(scalar_day(d, "d")); }, py::arg("d"),
          R"pbdoc(The staffed intervals of a day as [(open, close)] aware datetimes.)pbdoc")
      .def(
          "closing_of", [](const staffed_hours& h, py::handle d) { return h.closing_of(scalar_day(d, "d")); },
          py::arg("d"), R"pbdoc(When the day's last staffed interval closes; None when the day has none.)pbdoc")
      .def_property_readonly("calendar", &staffed_hours::workdays, "the workday calendar")
      .def_property_readonly("schedule", &staffed_hours::schedule, "the weekly schedule");
}

}  // namespace hotline::python
