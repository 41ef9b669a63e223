// Python bindings of the values the work-order store returns: WorkOrder, Event and
// ChainReport, and the dicts (to_dict(), the rows of the pandas frames) they become.
#include "bindings.hpp"
#include "casters.hpp"
#include "hotline/store.hpp"
#include "hotline/work_order_deadlines.hpp"
#include "work_order_dicts.hpp"

#include <pybind11/stl.h>

namespace py = pybind11;

namespace hotline::python {

namespace {

py::dict clock_dict(const order_clock& c) {
  py::dict d;
  d["outcome"] = std::string(to_string(c.outcome));
  d["start"] = opt_dt(c.start);
  d["due"] = opt_dt(c.due);
  d["warn"] = opt_dt(c.warn);
  d["stopped"] = opt_dt(c.stopped);
  return d;
}

}  // namespace

/// Every field of an order as a typed Python value, in column order.
py::dict order_dict(const work_order& o) {
  py::dict d;
  d["number"] = o.number;
  d["version"] = o.version;
  d["state"] = std::string(to_string(o.state));
  d["call_ref"] = o.call_ref;
  d["line"] = o.line;
  d["channel"] = std::string(to_string(o.channel));
  d["ivr_key"] = o.ivr_key;
  d["received_at"] = py::cast(o.received_at);
  d["agent"] = o.agent;
  d["caller_name"] = o.caller_name;
  d["caller_sex"] = std::string(to_string(o.caller_sex));
  d["anonymous"] = o.anonymous;
  d["confidential"] = o.confidential;
  d["caller_phone"] = o.caller_phone;
  d["callback_phone"] = o.callback_phone;
  d["caller_id_number"] = o.caller_id_number;
  d["district"] = o.district;
  d["sub_district"] = o.sub_district;
  d["address"] = o.address;
  d["request_type"] = std::string(to_string(o.request_type));
  d["topic"] = o.topic;
  d["sub_topic"] = o.sub_topic;
  d["complaint_subject"] = o.complaint_subject;
  d["content"] = o.content;
  d["urgency"] = std::string(to_string(o.urgency));
  d["complex"] = o.complex;
  d["respondent"] = o.respondent;
  d["kb_entries"] = o.kb_entries;
  d["answer"] = o.answer;
  d["feedback_route"] = std::string(to_string(o.feedback_route));
  d["review_opinion"] = o.review_opinion;
  d["unit"] = o.unit;
  d["co_units"] = o.co_units;
  d["liaison"] = o.liaison;
  d["dispatch_means"] = std::string(to_string(o.dispatch_means));
  d["dispatched_at"] = opt_dt(o.dispatched_at);
  d["signed_at"] = opt_dt(o.signed_at);
  d["finding"] = std::string(to_string(o.finding));
  d["resolved"] = o.resolved;
  d["reply_text"] = o.reply_text;
  d["replied_at"] = opt_dt(o.replied_at);
  d["reply_means"] = std::string(to_string(o.reply_means));
  d["called_back_at"] = opt_dt(o.called_back_at);
  d["call_back_means"] = std::string(to_string(o.call_back_means));
  d["call_back"] = std::string(to_string(o.call_back));
  d["reopen_count"] = o.reopen_count;
  d["merged_into"] = o.merged_into;
  d["split_from"] = o.split_from;
  d["related"] = o.related;
  d["supervision"] = std::string(to_string(o.supervision));
  d["warning"] = o.warning;
  d["overdue"] = o.overdue;
  d["extension_pending"] = o.extension_pending;
  d["extension_days"] = o.extension_days;
  d["return_reason"] = o.return_reason;
  d["next_due"] = opt_dt(o.next_due());
  for (std::size_t k = 0; k < clock_count; ++k) {
    const auto name = std::string(to_string(static_cast<clock_kind>(k)));
    const auto& c = o.clocks[k];
    d[(name + "_outcome").c_str()] = std::string(to_string(c.outcome));
    d[(name + "_due").c_str()] = opt_dt(c.due);
  }
  return d;
}

py::dict event_dict(const event& e) {
  py::dict d;
  d["id"] = e.id;
  d["order"] = e.order;
  d["seq"] = e.seq;
  d["action"] = std::string(to_string(e.action));
  d["at"] = py::cast(e.at);
  d["recorded_at"] = py::cast(e.recorded_at);
  d["actor"] = e.actor;
  d["role"] = std::string(to_string(e.role));
  d["unit"] = e.unit;
  d["state_before"] = e.state_before ? py::cast(std::string(to_string(*e.state_before))) : py::none();
  d["state_after"] = std::string(to_string(e.state_after));
  py::list ch;
  for (const auto& c : e.changes) ch.append(py::make_tuple(c.field, c.before, c.after));
  d["changes"] = ch;
  d["comment"] = e.comment;
  d["hash"] = e.hash;
  return d;
}

void register_work_order(py::module_& m) {
  py::class_<work_order>(m, "WorkOrder", R"pbdoc(A work order (工单) as stored; see WorkOrder.to_dict() for every field.)pbdoc")
      .def_property_readonly("number", [](const work_order& o) { return o.number; },
                             "Order number, e.g. 12320-20250124-000001 (given by the store unless set).")
      .def_property_readonly("version", [](const work_order& o) { return o.version; },
                             "1 after create, +1 per event (for expected_version, optimistic concurrency).")
      .def_property_readonly("state", [](const work_order& o) { return std::string(to_string(o.state)); },
                             "The order's state, e.g. 'dispatched', 'in_progress', 'closed'.")
      .def_property_readonly("line", [](const work_order& o) { return o.line; },
                             "Service line: \"12320\", \"family_doctor\", ...")
      .def_property_readonly("request_type", [](const work_order& o) { return std::string(to_string(o.request_type)); },
                             "consultation, complaint, report, help_request, praise, suggestion or other.")
      .def_property_readonly("received_at", [](const work_order& o) { return o.received_at; },
                             "When the call was received, 受理时间 (aware datetime, Asia/Shanghai).")
      .def_property_readonly("agent", [](const work_order& o) { return o.agent; },
                             "The receiving agent, the first-question owner (stays the owner).")
      .def_property_readonly("caller_name", [](const work_order& o) { return o.caller_name; },
                             "The caller's name; masked (张**) unless read with reveal=True.")
      .def_property_readonly("caller_phone", [](const work_order& o) { return o.caller_phone; },
                             "The caller's phone; masked (138****1234) unless read with reveal=True.")
      .def_property_readonly("content", [](const work_order& o) { return o.content; },
                             "What the caller asked or reported; digit runs masked unless read with reveal=True.")
      .def_property_readonly("urgent", [](const work_order& o) { return o.urgent(); },
                             "True when the order is marked urgent.")
      .def_property_readonly("unit", [](const work_order& o) { return o.unit; },
                             "Code of the handling unit, set at dispatch; empty before it or after an approved return.")
      .def_property_readonly("liaison", [](const work_order& o) { return o.liaison; },
                             "The unit's liaison at dispatch; masked unless read with reveal=True.")
      .def_property_readonly("reply_text", [](const work_order& o) { return o.reply_text; },
                             "The unit's reply; digit runs masked unless read with reveal=True.")
      .def_property_readonly("call_back", [](const work_order& o) { return std::string(to_string(o.call_back)); },
                             "Call-back result: none, satisfied, basically_satisfied, dissatisfied or unreachable.")
      .def_property_readonly("reopen_count", [](const work_order& o) { return o.reopen_count; },
                             "How many times the order was reopened.")
      .def_property_readonly("merged_into", [](const work_order& o) { return o.merged_into; },
                             "Number of the order this one was merged into; empty if none.")
      .def_property_readonly("split_from", [](const work_order& o) { return o.split_from; },
                             "Number of the order this one was split from; empty if none.")
      .def_property_readonly("related", [](const work_order& o) { return o.related; },
                             "Numbers of related orders, comma-separated; empty if none.")
      .def_property_readonly("overdue", [](const work_order& o) { return o.overdue; },
                             "The overdue flag as last set by a flag action; overdue_as_of() reads the clocks.")
      .def_property_readonly("next_due", [](const work_order& o) { return o.next_due(); },
                             "Earliest due instant of the running clocks (paused ones do not count), or None.")
      .def_property_readonly("clocks",
                             [](const work_order& o) {
                               py::dict d;
                               for (std::size_t k = 0; k < clock_count; ++k)
                                 d[py::str(std::string(to_string(static_cast<clock_kind>(k))))] = clock_dict(o.clocks[k]);
                               return d;
                             },
                             "{clock: {outcome, start, due, warn, stopped}} for transfer, sign_for, reply, ...")
      .def("overdue_as_of", &work_order::overdue_as_of, py::arg("t"),
           "Open, with a running clock whose due instant is before t (an aware datetime).")
      .def("to_dict", &order_dict, "The order as a dict, one key per property (the clocks as dicts).")
      .def("__repr__", [](const work_order& o) {
        return "WorkOrder(number='" + o.number + "', state='" + std::string(to_string(o.state)) + "', unit='" + o.unit +
               "', version=" + std::to_string(o.version) + ")";
      });

  py::class_<event>(m, "Event", R"pbdoc(One stored event of an order's history.)pbdoc")
      .def_property_readonly("id", [](const event& e) { return e.id; },
                             "Position of the event in the store's log (1, 2, ...).")
      .def_property_readonly("order", [](const event& e) { return e.order; },
                             "Number of the order the event belongs to.")
      .def_property_readonly("seq", [](const event& e) { return e.seq; }, "The order's version after this event.")
      .def_property_readonly("action", [](const event& e) { return std::string(to_string(e.action)); },
                             "What was done, e.g. 'create', 'dispatch', 'reply', 'close'.")
      .def_property_readonly("at", [](const event& e) { return e.at; },
                             "When it happened, as the caller gave it (aware datetime, Asia/Shanghai).")
      .def_property_readonly("recorded_at", [](const event& e) { return e.recorded_at; },
                             "When the store wrote it (aware datetime, Asia/Shanghai).")
      .def_property_readonly("actor", [](const event& e) { return e.actor; }, "Who acted.")
      .def_property_readonly("role", [](const event& e) { return std::string(to_string(e.role)); },
                             "The actor's role: agent, dispatcher, liaison, reviewer, call_back_agent, ...")
      .def_property_readonly("unit", [](const event& e) { return e.unit; }, "The actor's unit.")
      .def_property_readonly("state_before", [](const event& e) -> std::optional<std::string> {
        if (!e.state_before) return std::nullopt;
        return std::string(to_string(*e.state_before));
      }, "The order's state before the event; None for create.")
      .def_property_readonly("state_after", [](const event& e) { return std::string(to_string(e.state_after)); },
                             "The order's state after the event.")
      .def_property_readonly("changes", [](const event& e) {
        std::vector<std::tuple<std::string, std::string, std::string>> v;
        for (const auto& c : e.changes) v.emplace_back(c.field, c.before, c.after);
        return v;
      }, "Fields the event changed: [(field, before, after)] as text.")
      .def_property_readonly("comment", [](const event& e) { return e.comment; },
                             "The comment given with the action; empty if none.")
      .def_property_readonly("hash", [](const event& e) { return e.hash; },
                             "Hex SHA-256 of the previous event's hash and this event.")
      .def("to_dict", &event_dict, "The event as a dict, one key per property.")
      .def("__repr__", [](const event& e) {
        return "Event(id=" + std::to_string(e.id) + ", order='" + e.order + "', action='" +
               std::string(to_string(e.action)) + "', seq=" + std::to_string(e.seq) + ")";
      });

  py::class_<chain_report>(m, "ChainReport", R"pbdoc(What Store.verify() found.)pbdoc")
      .def_readonly("ok", &chain_report::ok,
                    "True when the whole log re-hashed (and signed heads and receipt held, when checked).")
      .def_readonly("events_checked", &chain_report::events_checked, "Events checked.")
      .def_readonly("first_broken", &chain_report::first_broken,
                    "Id of the first event not proven intact (see verify()); None when ok.")
      .def_readonly("reason", &chain_report::reason, "What is wrong; empty when ok.")
      .def_readonly("heads_checked", &chain_report::heads_checked,
                    "verify(public_key=): signed heads whose signature and hash held.")
      .def_readonly("signed_through", &chain_report::signed_through,
                    "verify(public_key=): events 1..signed_through are covered by a good signed head.")
      .def("__bool__", [](const chain_report& r) { return r.ok; })
      .def("__repr__", [](const chain_report& r) {
        return "ChainReport(ok=" + std::string(r.ok ? "True" : "False") +
               ", events_checked=" + std::to_string(r.events_checked) + ")";
      });
}

}  // namespace hotline::python
