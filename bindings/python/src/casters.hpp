// Type casters between hotline's time vocabulary and Python's datetime.
//
// hotline::day     <-> datetime.date
// hotline::instant <-> timezone-aware datetime.datetime (out: in Asia/Shanghai)
//
// Written by hand rather than with pybind11/chrono.h, which goes through
// localtime and overflows sys_days.  A naive datetime where an instant is
// needed is refused with a TypeError naming the rule: an instant must say its
// zone.
#pragma once

#include "hotline/time.hpp"

#include <pybind11/pybind11.h>

namespace hotline::python {

// The datetime C API lives in a per-translation-unit static (datetime.h), so
// every use of it is in module.cpp, behind these functions.

/// The Python tzinfo for Asia/Shanghai (zoneinfo, the system's tzdata).
pybind11::object shanghai_tzinfo();

/// A datetime.date (not a datetime) as a day; false for anything else.
bool load_day(PyObject* src, hotline::day& out);
PyObject* make_date(hotline::day d);
/// An aware datetime as an instant; false when not a datetime, TypeError when naive.
bool load_instant(PyObject* src, hotline::instant& out);
/// An aware datetime in Asia/Shanghai.
PyObject* make_datetime(hotline::instant t);

}  // namespace hotline::python

namespace pybind11::detail {

template <>
struct type_caster<hotline::day> {
  PYBIND11_TYPE_CASTER(hotline::day, const_name("datetime.date"));
  bool load(handle src, bool) { return src && hotline::python::load_day(src.ptr(), value); }
  static handle cast(hotline::day d, return_value_policy, handle) { return hotline::python::make_date(d); }
};

template <>
struct type_caster<hotline::instant> {
  PYBIND11_TYPE_CASTER(hotline::instant, const_name("datetime.datetime"));
  bool load(handle src, bool) { return src && hotline::python::load_instant(src.ptr(), value); }
  static handle cast(hotline::instant t, return_value_policy, handle) { return hotline::python::make_datetime(t); }
};

}  // namespace pybind11::detail
