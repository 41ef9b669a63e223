// Python bindings of SLA policies and clocks (hotline.SlaPolicy, Deadline, ClockStatus, ReportDue).
//
//   policy = hotline.SlaPolicy.preset("guangzhou-family-doctor")
//   policy.due(request_type="consultation", received=datetime.datetime(2025, 9, 30, 15, tzinfo=hotline.SHANGHAI))
//   policy.due_many(types, received)          # numpy datetime64 in, datetime64[s] out, GIL released
//
// numpy's datetime64 has no time zone: arrays are read and written as UTC, the
// numpy convention.  Datetimes must be aware (a naive one is a TypeError).
#include "bindings.hpp"
#include "casters.hpp"
#include "hotline/sla.hpp"

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <cstring>

namespace py = pybind11;

namespace hotline::python {
namespace {

struct py_status {
  clock_status s;
  std::string explanation;
};

order_attributes attributes(const std::string& type, const std::string& complexity_name,
                            const std::string& urgency_name, const std::optional<std::string>& channel_name,
                            const std::optional<std::string>& service_line) {
  order_attributes o;
  o.type = parse_request_type(type);
  o.complexity = parse_complexity(complexity_name);
  o.urgency = parse_urgency(urgency_name);
  if (channel_name) o.channel = parse_channel(*channel_name);
  if (service_line) o.service_line = *service_line;
  return o;
}

instant start_of(const std::optional<instant>& received, const std::optional<instant>& start) {
  if (received && start) throw py::type_error("give received= or start=, not both");
  if (!received && !start) throw py::type_error("give the clock's start instant: received= (or start=)");
  return received ? *received : *start;
}

/// An aware datetime, a list of them, or a numpy datetime64 array -> int64 UTC seconds.
std::vector<std::int64_t> instants_of(const py::handle& obj, const char* what) {
  py::module_ np = py::module_::import("numpy");
  std::vector<std::int64_t> out;
  if (py::isinstance<py::array>(obj) && py::cast<std::string>(obj.attr("dtype").attr("kind")) == "M") {
    py::array a = obj.attr("astype")("datetime64[s]").attr("view")("int64").attr("ravel")();
    const auto v = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>::ensure(a);
    out.assign(v.data(), v.data() + v.size());
    for (std::size_t i = 0; i < out.size(); ++i)
      if (out[i] == sla_policy::no_time)
        throw invalid_argument_error(std::string(what) + ": element " + std::to_string(i) + " is NaT");
    return out;
  }
  if (py::isinstance<py::array>(obj) && py::cast<std::string>(obj.attr("dtype").attr("kind")) != "O")
    throw py::type_error(std::string(what) + ": expected numpy datetime64 values or aware datetimes");
  for (const auto& item : obj) {
    if (item.is_none()) {
      out.push_back(sla_policy::no_time);
      continue;
    }
    out.push_back(py::cast<instant>(item).time_since_epoch().count());
  }
  return out;
}

/// A request-type name, a list/array of names, or an integer array of codes (0-6).
std::vector<request_type> types_of(const py::handle& obj) {
  std::vector<request_type> out;
  if (py::isinstance<py::str>(obj)) {
    out.push_back(parse_request_type(py::cast<std::string>(obj)));
    return out;
  }
  py::module_ np = py::module_::import("numpy");
  py::array a = np.attr("asarray")(obj);
  const std::string kind = py::cast<std::string>(a.attr("dtype").attr("kind"));
  if (kind == "i" || kind == "u") {
    const auto v = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>::ensure(a.attr("ravel")());
    out.resize(static_cast<std::size_t>(v.size()));
    for (std::size_t i = 0; i < out.size(); ++i) {
      const auto c = v.data()[i];
      if (c < 0 || c >= static_cast<std::int64_t>(request_type_count))
        throw invalid_argument_error("request_types: element " + std::to_string(i) + ": code " + std::to_string(c) +
                                     " is not one of 0-6");
      out[i] = static_cast<request_type>(c);
    }
    return out;
  }
  // Names: map each distinct name once.
  py::tuple u = np.attr("unique")(a.attr("ravel")(), py::arg("return_inverse") = true);
  std::vector<request_type> names;
  for (const auto& n : u[0]) names.push_back(parse_request_type(py::cast<std::string>(py::str(n))));
  const auto inv = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>::ensure(u[1]);
  out.resize(static_cast<std::size_t>(inv.size()));
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = names[static_cast<std::size_t>(inv.data()[i])];
  return out;
}

py::array datetime64_s(std::vector<std::int64_t>&& v) {
  py::array_t<std::int64_t> a(static_cast<py::ssize_t>(v.size()));
  if (!v.empty()) std::memcpy(a.mutable_data(), v.data(), v.size() * sizeof(std::int64_t));
  return a.attr("view")("datetime64[s]");
}

std::vector<clock_event> events_of(const py::iterable& events) {
  std::vector<clock_event> out;
  std::size_t i = 0;
  for (const auto& item : events) {
    const auto t = py::cast<py::tuple>(item);
    if (t.size() < 2 || t.size() > 3)
      throw invalid_argument_error("events[" + std::to_string(i) + "]: expected (kind, datetime[, reason or amount])");
    clock_event e;
    e.kind = parse_clock_event_kind(py::cast<std::string>(t[0]));
    e.at = py::cast<instant>(t[1]);
    if (e.kind == clock_event_kind::pause) {
      if (t.size() == 3) e.reason = parse_pause_reason(py::cast<std::string>(t[2]));
    } else if (e.kind == clock_event_kind::extend) {
      if (t.size() != 3) throw invalid_argument_error("events[" + std::to_string(i) + "]: an extend needs an amount");
      e.amount = py::cast<std::int32_t>(t[2]);
    } else if (t.size() == 3) {
      throw invalid_argument_error("events[" + std::to_string(i) + "]: a " + std::string(to_string(e.kind)) +
                                   " takes no third item");
    }
    out.push_back(e);
    ++i;
  }
  return out;
}

double in_units(std::int64_t measure, clock_unit u) {
  return static_cast<double>(measure) / static_cast<double>(unit_seconds(u));
}

}  // namespace

void register_sla(py::module_& m) {
  py::class_<deadline>(m, "Deadline", R"pbdoc(When a work order's clock falls due, and how that was reached.

``due`` is the first instant at which the order is late (a reply strictly before it is
in time); for "end of the last working day" it is the next midnight, Beijing time.)pbdoc")
      .def_readonly("due", &deadline::due, "First instant at which the order is late (aware datetime, Asia/Shanghai).")
      .def_readonly("start", &deadline::start, "The clock's start event (aware datetime, Asia/Shanghai).")
      .def_readonly("counting_start", &deadline::counting_start,
                    "Where counting began (aware datetime, Asia/Shanghai).")
      .def_readonly("last_day", &deadline::last_day, "the last day the clock runs on")
      .def_readonly("rule", &deadline::rule, "Name of the policy rule that matched.")
      .def_readonly("clock", &deadline::clock, "Name of the clock within the rule.")
      .def_readonly("cite", &deadline::cite, "The article the clock comes from, e.g. \"000 art. 12\".")
      .def_property_readonly(
          "target",
          [](const deadline& d) { return py::make_tuple(d.target.amount, std::string(to_string(d.target.unit))); },
          "(amount, unit): unit 'working_days', 'working_hours' or 'calendar_days'.")
      .def_property_readonly("stepped_over", [](const deadline& d) {
        py::list out;
        for (const auto& s : d.stepped_over)
          out.append(py::make_tuple(s.date, s.name_zh, s.name_en, std::string(to_string(s.kind))));
        return out;
      }, "(date, name_zh, name_en, kind) of each holiday and adjusted working day between start and due")
      .def_readonly("calendar_assumptions", &deadline::calendar_assumptions,
                    "what the calendar assumed for years not backed by a notice (provisional statutory days, or "
                    "weekends only); empty when every year counted rests on notices")
      .def("explain", &deadline::explain,
           "A paragraph on how the due instant was reached: the rule, its article, the days counted and stepped over.")
      .def("__repr__", [](const deadline& d) {
        return "<Deadline " + d.rule + "/" + d.clock + " due " + format_instant(d.due) + ">";
      });

  py::class_<py_status>(m, "ClockStatus", R"pbdoc(A clock evaluated as of an instant.

Measures (elapsed, remaining, paused, overdue) are in the target's unit: working days,
working (staffed) hours or calendar days.)pbdoc")
      .def_property_readonly("state", [](const py_status& p) { return std::string(to_string(p.s.state)); },
                             "'running', 'paused', 'met' or 'breached'.")
      .def_property_readonly("due", [](const py_status& p) { return p.s.due; },
                             "First instant at which the clock is late (aware datetime, Asia/Shanghai).")
      .def_property_readonly("start", [](const py_status& p) { return p.s.start; },
                             "The start (or reopen) event of this cycle (aware datetime, Asia/Shanghai).")
      .def_property_readonly("counting_start", [](const py_status& p) { return p.s.counting_start; },
                             "Where the measure starts counting (aware datetime, Asia/Shanghai).")
      .def_property_readonly("stopped", [](const py_status& p) { return p.s.stopped; },
                             "The stop event, if any as of the instant; None otherwise.")
      .def_property_readonly("warning", [](const py_status& p) { return p.s.warning; },
                             "When the warning fires; None when the clock has no warning.")
      .def_property_readonly("warned", [](const py_status& p) { return p.s.warned; },
                             "True when the warning instant has passed and the clock did not stop before it.")
      .def_property_readonly("unit", [](const py_status& p) { return std::string(to_string(p.s.unit)); },
                             "The target's unit: 'working_days', 'working_hours' or 'calendar_days'.")
      .def_property_readonly("elapsed", [](const py_status& p) { return in_units(p.s.elapsed, p.s.unit); },
                             "Counted time up to the instant (or the stop), in `unit`.")
      .def_property_readonly("remaining", [](const py_status& p) { return in_units(p.s.remaining, p.s.unit); },
                             "Counted time left until due, in `unit` (>= 0).")
      .def_property_readonly("paused", [](const py_status& p) { return in_units(p.s.paused, p.s.unit); },
                             "Time not counted because of pauses, in `unit`.")
      .def_property_readonly("overdue", [](const py_status& p) { return in_units(p.s.overdue, p.s.unit); },
                             "Counted time past due when breached, in `unit`; 0 otherwise.")
      .def_property_readonly("late_by_seconds", [](const py_status& p) { return p.s.late_by.count(); },
                             "Wall-clock seconds past due when breached; 0 otherwise.")
      .def_property_readonly("extensions", [](const py_status& p) { return p.s.extensions; },
                             "Target units added by extensions.")
      .def("explain", [](const py_status& p) { return p.explanation; }, "A paragraph on how the status was reached.")
      .def("__repr__", [](const py_status& p) {
        return "<ClockStatus " + std::string(to_string(p.s.state)) + " due " + format_instant(p.s.due) + ">";
      });

  py::class_<report_due>(m, "ReportDue", "One periodic report: its period and due date.")
      .def_readonly("period_first", &report_due::period_first, "First day of the report's period (datetime.date).")
      .def_readonly("period_last", &report_due::period_last,
                    "Last day of the report's period (datetime.date, included).")
      .def_readonly("due", &report_due::due, "The day the report is due (datetime.date).")
      .def("__repr__", [](const report_due& r) {
        return "<ReportDue " + format_day(r.period_first) + ".." + format_day(r.period_last) + " due " +
               format_day(r.due) + ">";
      });

  py::class_<sla_policy>(m, "SlaPolicy", R"pbdoc(An SLA policy: rules that give work orders their deadline clocks.

Build one from a preset (``SlaPolicy.preset("guangzhou-family-doctor")``), from JSON text, a
path or a dict (``SlaPolicy.from_json``); the format is docs/sla.md.)pbdoc")
      .def_static("preset", [](const std::string& name) { return sla_policy::preset(name); }, py::arg("name"),
                  R"pbdoc(A shipped policy by name (SlaPolicy.presets() lists them; docs/sla.md).)pbdoc")
      .def_static("presets", &sla_policy::preset_names, "The names SlaPolicy.preset() accepts.")
      .def_static("from_json", [](const py::object& src) {
        if (py::isinstance<py::dict>(src) || py::isinstance<py::list>(src))
          return sla_policy::from_json(py::cast<std::string>(py::module_::import("json").attr("dumps")(src)), "<dict>");
        py::module_ os = py::module_::import("os");
        if (py::isinstance(src, os.attr("PathLike")))
          return sla_policy::from_json_file(py::cast<std::string>(os.attr("fspath")(src)));
        const auto text = py::cast<std::string>(src);
        const auto first = text.find_first_not_of(" \t\r\n");
        if (first != std::string::npos && text[first] == '{') return sla_policy::from_json(text);
        return sla_policy::from_json_file(text);
      }, py::arg("path_or_text"), R"pbdoc(A policy from JSON text (starts with "{"), a path, or a dict.
A bad policy raises hotline.ParseError naming the file and the path to the bad field.)pbdoc")
      .def("to_json", &sla_policy::to_json, "The policy as JSON that from_json() reads back to an equal policy.")
      .def("with_calendar", &sla_policy::with_calendar, py::arg("calendar"),
           R"pbdoc(The same rules counted on another calendar: a loaded notice, a region, or one of the
opt-ins beyond the data (Calendar.china(statutory_beyond_data=True)).)pbdoc")
      .def_property_readonly("name", &sla_policy::name, "The policy's name.")
      .def_property_readonly("rules", [](const sla_policy& p) {
        py::list out;
        for (const auto& r : p.rules()) {
          py::list clocks;
          for (const auto& c : r.clocks) clocks.append(c.name);
          out.append(py::make_tuple(r.name, clocks, r.cite));
        }
        return out;
      }, "(name, clock names, cite) of each rule")
      .def_property_readonly("reports", [](const sla_policy& p) {
        py::list out;
        for (const auto& r : p.reports()) out.append(r.name);
        return out;
      }, "Names of the periodic reports the policy schedules.")
      .def("rule_for", [](const sla_policy& p, const std::string& type, const std::string& cx, const std::string& ur,
                          const std::optional<std::string>& ch, const std::optional<std::string>& line) {
        return p.rule_for(attributes(type, cx, ur, ch, line)).name;
      }, py::kw_only(), py::arg("request_type"), py::arg("complexity") = "simple", py::arg("urgency") = "normal",
         py::arg("channel") = py::none(), py::arg("service_line") = py::none(),
         "The name of the rule an order with these attributes falls under; NotFoundError when none matches.")
      .def("due", [](const sla_policy& p, const std::string& type, const std::optional<instant>& received,
                     const std::optional<instant>& start, const std::string& clock, const std::string& cx,
                     const std::string& ur, const std::optional<std::string>& ch, const std::optional<std::string>& line) {
        return p.due(attributes(type, cx, ur, ch, line), start_of(received, start), clock).due;
      }, py::kw_only(), py::arg("request_type"), py::arg("received") = py::none(), py::arg("start") = py::none(),
         py::arg("clock") = "", py::arg("complexity") = "simple", py::arg("urgency") = "normal",
         py::arg("channel") = py::none(), py::arg("service_line") = py::none(),
         R"pbdoc(When the order's clock (its rule's first clock unless ``clock`` names another) falls due, as a
timezone-aware datetime in Beijing time; the clock starts at ``received`` (an aware datetime; ``start``
is the same for clocks started by other events).  ``deadline()`` gives the same with its explanation.)pbdoc")
      .def("deadline", [](const sla_policy& p, const std::string& type, const std::optional<instant>& received,
                     const std::optional<instant>& start, const std::string& clock, const std::string& cx,
                     const std::string& ur, const std::optional<std::string>& ch, const std::optional<std::string>& line) {
        return p.due(attributes(type, cx, ur, ch, line), start_of(received, start), clock);
      }, py::kw_only(), py::arg("request_type"), py::arg("received") = py::none(), py::arg("start") = py::none(),
         py::arg("clock") = "", py::arg("complexity") = "simple", py::arg("urgency") = "normal",
         py::arg("channel") = py::none(), py::arg("service_line") = py::none(),
         R"pbdoc(The deadline of ``due()`` with how it was reached: the rule, its article, the last working
day, the holidays stepped over, ``explain()``.)pbdoc")
      .def("due_many", [](const sla_policy& p, const py::object& types, const py::object& received,
                          const std::string& clock, const std::string& cx, const std::string& ur,
                          const std::optional<std::string>& ch, const std::optional<std::string>& line) {
        const auto base = attributes("consultation", cx, ur, ch, line);
        const auto t = types_of(types);
        const auto s = instants_of(received, "received");
        std::vector<std::int64_t> out(s.size());
        {
          py::gil_scoped_release release;
          p.due_many(t, s, out, base, clock);
        }
        return datetime64_s(std::move(out));
      }, py::arg("request_types"), py::arg("received"), py::kw_only(), py::arg("clock") = "",
         py::arg("complexity") = "simple", py::arg("urgency") = "normal", py::arg("channel") = py::none(),
         py::arg("service_line") = py::none(),
         R"pbdoc(Due instants of many orders as numpy datetime64[s] (UTC).  ``request_types``: one name, a
list or array of names, or an integer array of codes (0 consultation ... 6 other);
``received``: a datetime64 array (UTC) or a list of aware datetimes.  Runs without the GIL.)pbdoc")
      .def("evaluate", [](const sla_policy& p, const std::string& type, const py::iterable& events, instant as_of,
                          const std::string& clock, const std::string& cx, const std::string& ur,
                          const std::optional<std::string>& ch, const std::optional<std::string>& line) {
        const auto o = attributes(type, cx, ur, ch, line);
        const auto ev = events_of(events);
        const auto& spec = p.rule_for(o).clock(clock);
        py_status r{p.evaluate(o, ev, as_of, clock), {}};
        r.explanation = explain(spec, r.s, p.hours());
        return r;
      }, py::kw_only(), py::arg("request_type"), py::arg("events"), py::arg("as_of"), py::arg("clock") = "",
         py::arg("complexity") = "simple", py::arg("urgency") = "normal", py::arg("channel") = py::none(),
         py::arg("service_line") = py::none(),
         R"pbdoc(The clock's current cycle as of ``as_of``.  ``events``: (kind, datetime[, extra]) tuples,
kind one of start, pause (extra: waiting_for_caller | suspended_with_approval), resume,
extend (extra: target units), stop, reopen (starts a new cycle).)pbdoc")
      .def("evaluate_cycles", [](const sla_policy& p, const std::string& type, const py::iterable& events, instant as_of,
                                 const std::string& clock, const std::string& cx, const std::string& ur,
                                 const std::optional<std::string>& ch, const std::optional<std::string>& line) {
        const auto o = attributes(type, cx, ur, ch, line);
        const auto ev = events_of(events);
        const auto& spec = p.rule_for(o).clock(clock);
        std::vector<py_status> out;
        for (const auto& s : evaluate_cycles(spec, p.hours(), ev, as_of)) out.push_back({s, explain(spec, s, p.hours())});
        return out;
      }, py::kw_only(), py::arg("request_type"), py::arg("events"), py::arg("as_of"), py::arg("clock") = "",
         py::arg("complexity") = "simple", py::arg("urgency") = "normal", py::arg("channel") = py::none(),
         py::arg("service_line") = py::none(),
         R"pbdoc(Every cycle of the clock as of ``as_of``, a ClockStatus each: ``events`` as for evaluate(),
where each reopen after a stop starts a new cycle and earlier cycles keep their outcome.)pbdoc")
      .def("evaluate_many", [](const sla_policy& p, const py::object& types, const py::object& start,
                               const py::object& stop, const py::object& extensions, instant as_of,
                               const std::string& clock, const std::string& cx, const std::string& ur,
                               const std::optional<std::string>& ch, const std::optional<std::string>& line) {
        const auto base = attributes("consultation", cx, ur, ch, line);
        const auto t = types_of(types);
        const auto s = instants_of(start, "start");
        std::vector<std::int64_t> st = stop.is_none() ? std::vector<std::int64_t>{} : instants_of(stop, "stop");
        std::vector<std::int32_t> ext;
        if (!extensions.is_none()) {
          const auto a = py::array_t<std::int32_t, py::array::c_style | py::array::forcecast>::ensure(
              py::module_::import("numpy").attr("asarray")(extensions));
          if (!a) throw py::type_error("extensions: expected integers");
          ext.assign(a.data(), a.data() + a.size());
        }
        const auto n = s.size();
        std::vector<std::uint8_t> state(n);
        std::vector<std::int64_t> due(n), rem(n), late(n);
        {
          py::gil_scoped_release release;
          p.evaluate_many(t, s, st, ext, as_of.time_since_epoch().count(), {state, due, rem, late}, base, clock);
        }
        py::array_t<std::uint8_t> state_a(static_cast<py::ssize_t>(n));
        if (n) std::memcpy(state_a.mutable_data(), state.data(), n);
        py::dict out;
        out["state"] = py::module_::import("numpy").attr("array")(
            py::make_tuple("running", "paused", "met", "breached")).attr("__getitem__")(state_a);
        out["due"] = datetime64_s(std::move(due));
        out["remaining_seconds"] = py::array_t<std::int64_t>(static_cast<py::ssize_t>(n), rem.data());
        out["late_by"] = py::array_t<std::int64_t>(static_cast<py::ssize_t>(n), late.data()).attr("view")("timedelta64[s]");
        return out;
      }, py::arg("request_types"), py::arg("start"), py::arg("stop") = py::none(), py::arg("extensions") = py::none(),
         py::kw_only(), py::arg("as_of"), py::arg("clock") = "", py::arg("complexity") = "simple",
         py::arg("urgency") = "normal", py::arg("channel") = py::none(), py::arg("service_line") = py::none(),
         R"pbdoc(Many clocks as of one instant (dashboards): a dict of numpy arrays ``state`` (str),
``due`` (datetime64[s], UTC), ``remaining_seconds`` (measure seconds) and ``late_by`` (timedelta64[s]).
``stop``: NaT/None where not stopped; ``extensions``: target units granted.  Runs without the GIL.)pbdoc")
      .def("report_due_dates", [](const sla_policy& p, const std::string& name, day from, day to) {
        return p.report(name).due_dates(from, to, &p.workdays());
      }, py::arg("report"), py::arg("first"), py::arg("last"), "Reports due in [first, last], in order.")
      .def("report_for", [](const sla_policy& p, const std::string& name, day d) {
        return p.report(name).for_period_containing(d, &p.workdays());
      }, py::arg("report"), py::arg("day"), "The report for the period containing ``day``.")
      .def("__repr__", [](const sla_policy& p) { return "<SlaPolicy " + p.name() + ">"; });
}

}  // namespace hotline::python
