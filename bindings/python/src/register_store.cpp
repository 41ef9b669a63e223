// Python bindings of the work-order store (hotline.Store, Import); the values it returns
// (WorkOrder, Event, ChainReport) are in register_work_order.cpp.
//
//   store = hotline.Store("hotline.db")
//   wo = store.create(request_type="complaint", received=dt, content="...", caller_phone="138...", agent="A017")
//   store.dispatch(wo.number, unit="YX-BJJ", actor="D02")
//   store.orders(state="in_progress")            # list of WorkOrder (personal data masked)
//   store.orders_frame(overdue_as_of=dt)         # pandas.DataFrame
//   pub = hotline.generate_key_file("/etc/hotline/head.key")   # signed heads (signed_head.hpp)
//   store = hotline.Store("hotline.db", key_file="/etc/hotline/head.key")
//   str(store.head()); store.verify(public_key=pub)
//
// Vocabularies (states, roles, actions, request types...) cross as their
// English names (hotline::to_string).  Store calls release the GIL.
#include "bindings.hpp"
#include "casters.hpp"
#include "hotline/store.hpp"
#include "hotline/work_order_deadlines.hpp"
#include "signer.hpp"
#include "work_order_dicts.hpp"

#include <pybind11/stl.h>

#include <memory>

namespace py = pybind11;

namespace hotline::python {

namespace {

py::dict liaison_dict(const liaison& l) {
  py::dict d;
  d["unit"] = l.unit;
  d["slot"] = l.slot;
  d["name"] = l.name;
  d["title"] = l.title;
  d["department"] = l.department;
  d["office_phone"] = l.office_phone;
  d["mobile"] = l.mobile;
  d["email"] = l.email;
  d["valid_from"] = py::cast(l.valid_from);
  d["valid_to"] = opt_dt(l.valid_to);
  d["reported_by"] = l.reported_by;
  return d;
}

/// A pandas DataFrame from row dicts (columns in the dicts' order); ImportError
/// with a hint when pandas is not installed.
py::object frame(const py::list& rows, const py::list& columns) {
  py::object pd;
  try {
    pd = py::module_::import("pandas");
  } catch (py::error_already_set&) {
    throw py::import_error("pandas is not installed (Debian: apt install python3-pandas); use the list form instead");
  }
  return pd.attr("DataFrame").attr("from_records")(rows, py::arg("columns") = columns);
}

instant now_instant() {
  return std::chrono::time_point_cast<seconds>(std::chrono::system_clock::now());
}

order_query make_query(const std::optional<std::string>& state, const std::optional<std::string>& unit, bool open,
                       const std::optional<instant>& overdue_as_of, const std::optional<instant>& warned_as_of,
                       const std::optional<std::string>& caller_phone, const std::optional<instant>& received_from,
                       const std::optional<instant>& received_before, std::size_t limit, bool reveal) {
  order_query q;
  if (state) q.state = parse_enum<order_state>(*state);
  q.unit = unit;
  q.open_only = open;
  q.overdue_as_of = overdue_as_of;
  q.warned_as_of = warned_as_of;
  q.caller_phone = caller_phone;
  q.received_from = received_from;
  q.received_before = received_before;
  q.limit = limit;
  q.reveal = reveal;
  return q;
}

std::string join_units(const py::handle& v) {
  if (v.is_none()) return {};
  if (py::isinstance<py::str>(v)) return v.cast<std::string>();
  std::string s;
  for (auto x : v) {
    if (!s.empty()) s.push_back(',');
    s.append(py::cast<std::string>(x));
  }
  return s;
}

/// The payload keywords of a command (see hotline::command).
void fill_payload(command& c, const py::kwargs& kw) {
  for (auto item : kw) {
    const auto key = py::cast<std::string>(item.first);
    const py::handle v = item.second;
    if (key == "unit") c.unit = v.is_none() ? std::string() : v.cast<std::string>();
    else if (key == "co_units") c.co_units = join_units(v);
    else if (key == "liaison") c.liaison = v.cast<std::string>();
    else if (key == "means") c.means = parse_enum<transfer_means>(v.cast<std::string>());
    else if (key == "answer") c.answer = v.cast<std::string>();
    else if (key == "kb_entries") c.kb_entries = join_units(v);
    else if (key == "reason") c.reason = v.cast<std::string>();
    else if (key == "extension_days" || key == "days") c.extension_days = v.cast<int>();
    else if (key == "finding") c.finding = parse_enum<finding>(v.cast<std::string>());
    else if (key == "resolved") c.resolved = v.cast<bool>();
    else if (key == "reply_text" || key == "text") c.reply_text = v.cast<std::string>();
    else if (key == "call_back" || key == "result") c.call_back = parse_enum<call_back_result>(v.cast<std::string>());
    else if (key == "level") c.level = parse_enum<supervision_level>(v.cast<std::string>());
    else if (key == "warning") c.warning = v.cast<bool>();
    else if (key == "overdue") c.overdue = v.cast<bool>();
    else if (key == "target" || key == "into") c.target = v.cast<std::string>();
    else if (key == "amendments" || key == "fields") {
      for (auto f : v.cast<py::dict>()) {
        const py::handle val = f.second;
        std::string text;
        if (py::isinstance<py::bool_>(val)) text = val.cast<bool>() ? "1" : "0";
        else text = py::str(val).cast<std::string>();
        c.amendments.emplace_back(py::cast<std::string>(f.first), text);
      }
    } else {
      throw py::type_error("unexpected keyword argument '" + key + "' for " + std::string(to_string(c.action)));
    }
  }
}

/// Default role of each action when the caller does not say.
role default_role(action a) {
  switch (a) {
    case action::dispatch: case action::approve_return: case action::reject_return: return role::dispatcher;
    case action::sign_for: case action::request_return: case action::request_extension: case action::reply:
      return role::liaison;
    case action::accept_reply: case action::reject_reply: return role::reviewer;
    case action::call_back: case action::close: return role::call_back_agent;
    case action::approve_extension: case action::reject_extension: case action::suspend: case action::resume:
    case action::reopen: case action::supervise: return role::supervisor;
    case action::flag: return role::system;
    default: return role::agent;
  }
}

}  // namespace

// Store.create and Import.create take the same keywords: their C++ parameters, the same
// names as values, and (INTAKE_ARGS) their pybind11 names and defaults, in one order.
#define INTAKE_PARAMS                                                                                               \
  const std::string &request_type, instant received, const std::string &content, const std::string &agent,        \
      const std::string &line, const std::string &channel, const std::string &caller_name,                         \
      const std::string &caller_phone, const std::string &callback_phone, const std::string &caller_id_number,     \
      const std::string &district, const std::string &sub_district, const std::string &address,                    \
      const std::string &topic, const std::string &sub_topic, const std::string &complaint_subject, bool urgent,   \
      bool complex, bool anonymous, bool confidential, const std::string &respondent,                              \
      const std::string &feedback_route, const std::string &call_ref, const std::string &number, bool draft,       \
      const std::string &role_name
#define INTAKE_VALUES                                                                                               \
  request_type, received, content, agent, line, channel, caller_name, caller_phone, callback_phone,                \
      caller_id_number, district, sub_district, address, topic, sub_topic, complaint_subject, urgent, complex,      \
      anonymous, confidential, respondent, feedback_route, call_ref, number, draft, role_name

/// What Store.create and Import.create pass on to the C++ create().
struct intake {
  work_order order;
  actor by;
  bool draft = false;
};

intake make_intake(INTAKE_PARAMS) {
  intake in;
  work_order& w = in.order;
  w.request_type = parse_enum<hotline::request_type>(request_type);
  w.received_at = received;
  w.content = content;
  w.agent = agent;
  w.line = line;
  w.channel = parse_enum<hotline::channel>(channel);
  w.caller_name = caller_name;
  w.caller_phone = caller_phone;
  w.callback_phone = callback_phone;
  w.caller_id_number = caller_id_number;
  w.district = district;
  w.sub_district = sub_district;
  w.address = address;
  w.topic = topic;
  w.sub_topic = sub_topic;
  w.complaint_subject = complaint_subject;
  w.urgency = urgent ? urgency::urgent : urgency::normal;
  w.complex = complex;
  w.anonymous = anonymous;
  w.confidential = confidential;
  w.respondent = respondent;
  w.feedback_route = parse_enum<hotline::feedback_route>(feedback_route);
  w.call_ref = call_ref;
  w.number = number;
  in.by = {agent, parse_enum<role>(role_name), {}};
  in.draft = draft;
  return in;
}

#define INTAKE_ARGS                                                                                                \
  py::kw_only(), py::arg("request_type"), py::arg("received"), py::arg("content"), py::arg("agent"),               \
      py::arg("line") = "12320", py::arg("channel") = "phone", py::arg("caller_name") = "",                        \
      py::arg("caller_phone") = "", py::arg("callback_phone") = "", py::arg("caller_id_number") = "",              \
      py::arg("district") = "", py::arg("sub_district") = "", py::arg("address") = "", py::arg("topic") = "",      \
      py::arg("sub_topic") = "", py::arg("complaint_subject") = "", py::arg("urgent") = false,                     \
      py::arg("complex") = false, py::arg("anonymous") = false, py::arg("confidential") = false,                   \
      py::arg("respondent") = "", py::arg("feedback_route") = "unit_replies", py::arg("call_ref") = "",            \
      py::arg("number") = "", py::arg("draft") = false, py::arg("role") = "agent"

/// A store::importer for Python: a context manager that finishes on a clean exit and
/// drops what it had not handed over when the block raises.
struct py_import {
  std::optional<store::importer> imp;
  std::int64_t committed = 0;
  import_waits waits;  ///< once finished
  store::importer& live() {
    if (!imp) throw invalid_argument_error("the import is finished");
    return *imp;
  }
  /// finish() without the GIL (it waits for the writer); the import is over either way.
  void finish() {
    auto& i = live();
    {
      py::gil_scoped_release release;
      try {
        i.finish();
      } catch (...) {
        committed = i.committed_orders();
        waits = i.waits();
        py::gil_scoped_acquire gil;
        imp.reset();
        throw;
      }
    }
    committed = i.committed_orders();
    waits = i.waits();
    imp.reset();
  }
};

void register_store(py::module_& m) {
  auto cls = py::class_<store>(m, "Store", R"pbdoc(
Work orders in a SQLite file or a PostgreSQL database: an append-only, hash-chained
event log and a projection kept in the same transaction.  Opening creates or migrates
the file (or the database's tables; the database itself must exist).
Personal data is masked in what is returned unless reveal=True.)pbdoc");
  cls.def(py::init([](const std::string& path, int busy_timeout_ms, const std::optional<std::string>& sla_preset,
                       const std::optional<std::string>& key_file, std::int64_t sign_every_events,
                       const py::object& signer, const std::optional<std::string>& public_key) {
            store_options o;
            o.busy_timeout_ms = busy_timeout_ms;
            if (sla_preset) o.deadlines = std::make_shared<sla_deadlines>(sla_policy::preset(*sla_preset));
            o.signer = signer_of(key_file, signer, public_key);
            o.sign_every_events = sign_every_events;
            py::gil_scoped_release release;
            return std::make_unique<store>(path, o);
          }),
          py::arg("path"), py::arg("busy_timeout_ms") = 10000, py::arg("sla_preset") = py::none(),
          py::arg("key_file") = py::none(), py::arg("sign_every_events") = 1, py::kw_only(),
          py::arg("signer") = py::none(), py::arg("public_key") = py::none(),
          R"pbdoc(Opens or creates the file; path may instead be a PostgreSQL location
("postgresql://user@host/db" or "host=... dbname=..."; docs/postgresql.md).  sla_preset names an SLA policy preset
(hotline.sla_policy presets, e.g. "guangzhou-family-doctor") for the order clocks;
by default the working-day rules of calendar_deadlines (000 art. 12, 001 §3.4).
key_file: an Ed25519 key file (generate_key_file); the store then signs its chain
head at each commit that leaves sign_every_events new events (docs/store.md).
signer, public_key: instead of a key file, a callable signer(message: bytes) -> bytes
returning the 64-byte Ed25519 signature (a hardware module, a signing service), and
the public key it signs for (64 hex digits).  It runs inside the commit: an exception
from it rolls the write back and reaches the caller.)pbdoc")
      .def_property_readonly("schema_version",
                             [](const store& s) {
                               py::gil_scoped_release release;
                               return s.schema_version();
                             },
                             "Schema version of the open file (the latest after migrations).")
      .def_property_readonly("path", [](const store& s) { return s.path().string(); },
                             "The SQLite file's path, or the PostgreSQL location with any password as ***, as a str.")
      .def(
          "create",
          [](store& s, INTAKE_PARAMS, bool reveal) {
            const auto in = make_intake(INTAKE_VALUES);
            work_order out;
            {
              py::gil_scoped_release release;
              out = s.create(in.order, in.by, in.draft);
            }
            return reveal ? out : out.masked();
          },
          INTAKE_ARGS, py::arg("reveal") = false,
          R"pbdoc(Creates a work order (waiting for dispatch, or a draft) and returns it.)pbdoc")
      .def(
          "apply",
          [](store& s, const std::string& number, const std::string& action_name, const std::string& actor_id,
             const std::optional<std::string>& role_name, const std::string& actor_unit, std::optional<instant> at,
             std::optional<std::int64_t> expected_version, const std::string& comment, bool reveal,
             const py::kwargs& kw) {
            command c;
            c.action = parse_enum<action>(action_name);
            c.by = {actor_id, role_name ? parse_enum<role>(*role_name) : default_role(c.action), actor_unit};
            c.at = at ? *at : now_instant();
            c.expected_version = expected_version;
            c.comment = comment;
            fill_payload(c, kw);
            work_order out;
            {
              py::gil_scoped_release release;
              out = s.apply(number, c);
            }
            return reveal ? out : out.masked();
          },
          py::arg("number"), py::arg("action"), py::kw_only(), py::arg("actor"), py::arg("role") = py::none(),
          py::arg("actor_unit") = "", py::arg("at") = py::none(), py::arg("expected_version") = py::none(),
          py::arg("comment") = "", py::arg("reveal") = false,
          R"pbdoc(Applies an action by name (dispatch, sign_for, reply, ...); payload as keywords.)pbdoc")
      .def(
          "split",
          [](store& s, const std::string& number, const std::vector<std::string>& contents, const std::string& actor_id,
             std::optional<instant> at) {
            std::optional<work_order> src;
            {
              py::gil_scoped_release release;
              src = s.get(number, true);
            }
            if (!src) throw not_found_error("no work order numbered '" + number + "'");
            std::vector<work_order> parts;
            for (const auto& c : contents) {
              work_order p = *src;
              p.number.clear();
              p.content = c;
              p.related.clear();
              parts.push_back(p);
            }
            std::vector<work_order> out;
            {
              py::gil_scoped_release release;
              out = s.split(number, parts, {actor_id, role::agent, {}}, at ? *at : now_instant());
            }
            for (auto& o : out) o = o.masked();
            return out;
          },
          py::arg("number"), py::arg("contents"), py::kw_only(), py::arg("actor"), py::arg("at") = py::none(),
          R"pbdoc(Splits one call into several orders, one per content text.)pbdoc")
      .def(
          "get",
          [](const store& s, const std::string& number, bool reveal) {
            py::gil_scoped_release release;
            return s.get(number, reveal);
          },
          py::arg("number"), py::arg("reveal") = false)
      .def(
          "orders",
          [](const store& s, std::optional<std::string> state, std::optional<std::string> unit, bool open,
             std::optional<instant> overdue_as_of, std::optional<instant> warned_as_of,
             std::optional<std::string> caller_phone, std::optional<instant> received_from,
             std::optional<instant> received_before, std::size_t limit, bool reveal) {
            const auto q = make_query(state, unit, open, overdue_as_of, warned_as_of, caller_phone, received_from,
                                      received_before, limit, reveal);
            py::gil_scoped_release release;
            return s.orders(q);
          },
          py::kw_only(), py::arg("state") = py::none(), py::arg("unit") = py::none(), py::arg("open") = false,
          py::arg("overdue_as_of") = py::none(), py::arg("warned_as_of") = py::none(),
          py::arg("caller_phone") = py::none(), py::arg("received_from") = py::none(),
          py::arg("received_before") = py::none(), py::arg("limit") = 0, py::arg("reveal") = false)
      .def(
          "orders_frame",
          [](const store& s, std::optional<std::string> state, std::optional<std::string> unit, bool open,
             std::optional<instant> overdue_as_of, std::optional<instant> warned_as_of,
             std::optional<std::string> caller_phone, std::optional<instant> received_from,
             std::optional<instant> received_before, std::size_t limit, bool reveal) {
            const auto q = make_query(state, unit, open, overdue_as_of, warned_as_of, caller_phone, received_from,
                                      received_before, limit, reveal);
            std::vector<work_order> v;
            {
              py::gil_scoped_release release;
              v = s.orders(q);
            }
            py::list rows;
            for (const auto& o : v) rows.append(order_dict(o));
            py::list columns;
            for (auto k : order_dict(work_order{})) columns.append(k.first);
            return frame(rows, columns);
          },
          py::kw_only(), py::arg("state") = py::none(), py::arg("unit") = py::none(), py::arg("open") = false,
          py::arg("overdue_as_of") = py::none(), py::arg("warned_as_of") = py::none(),
          py::arg("caller_phone") = py::none(), py::arg("received_from") = py::none(),
          py::arg("received_before") = py::none(), py::arg("limit") = 0, py::arg("reveal") = false,
          R"pbdoc(The same filter as orders(), as a pandas.DataFrame (ImportError without pandas).)pbdoc")
      .def(
          "count",
          [](const store& s, std::optional<std::string> state, std::optional<std::string> unit, bool open,
             std::optional<instant> overdue_as_of, std::optional<instant> warned_as_of,
             std::optional<std::string> caller_phone, std::optional<instant> received_from,
             std::optional<instant> received_before) {
            const auto q = make_query(state, unit, open, overdue_as_of, warned_as_of, caller_phone, received_from,
                                      received_before, 0, false);
            py::gil_scoped_release release;
            return s.count(q);
          },
          py::kw_only(), py::arg("state") = py::none(), py::arg("unit") = py::none(), py::arg("open") = false,
          py::arg("overdue_as_of") = py::none(), py::arg("warned_as_of") = py::none(),
          py::arg("caller_phone") = py::none(), py::arg("received_from") = py::none(),
          py::arg("received_before") = py::none())
      .def(
          "events",
          [](const store& s, const std::string& number, bool reveal) {
            py::gil_scoped_release release;
            return s.events(number, reveal);
          },
          py::arg("number"), py::arg("reveal") = false)
      .def(
          "events_frame",
          [](const store& s, const std::string& number, bool reveal) {
            std::vector<event> v;
            {
              py::gil_scoped_release release;
              v = s.events(number, reveal);
            }
            py::list rows;
            for (const auto& e : v) rows.append(event_dict(e));
            py::list columns;
            for (auto k : event_dict(event{})) columns.append(k.first);
            return frame(rows, columns);
          },
          py::arg("number"), py::arg("reveal") = false)
      .def(
          "verify",
          [](const store& s, const std::optional<std::string>& public_key, const std::optional<head_receipt>& receipt) {
            std::optional<ed25519_public_key> key;
            if (public_key) {
              key = parse_public_key(*public_key);
              if (!key) throw py::value_error("public_key must be 64 hex digits");
            }
            py::gil_scoped_release release;
            if (key && receipt) return s.verify(*receipt, *key);
            if (key) return s.verify(*key);
            if (receipt) return s.verify(*receipt);
            return s.verify();
          },
          py::kw_only(), py::arg("public_key") = py::none(), py::arg("receipt") = py::none(),
          R"pbdoc(Re-hashes the event log; reports the first event whose chain breaks.
With public_key (64 hex digits): also checks every signed head; first_broken
is then the first event after the last good signature.  With receipt: checks that the
history up to the receipt still hashes to its head.)pbdoc")
      .def(
          "head",
          [](const store& s) {
            py::gil_scoped_release release;
            return s.head();
          },
          R"pbdoc(The current head (is_signed False when this commit's head was not signed).)pbdoc")
      .def(
          "last_signed_head",
          [](const store& s) {
            py::gil_scoped_release release;
            return s.last_signed_head();
          })
      .def(
          "sign_head",
          [](store& s) {
            py::gil_scoped_release release;
            return s.sign_head();
          },
          R"pbdoc(Signs the current head now if it is not yet signed (needs key_file).)pbdoc")
      .def_property_readonly("signs_heads", &store::signs_heads,
                             "True when this store signs its chain heads (key_file= or signer= given).")
      .def(
          "rebuild_projection",
          [](store& s) {
            py::gil_scoped_release release;
            return s.rebuild_projection();
          })
      .def(
          "add_unit",
          [](store& s, const std::string& code, const std::string& name, const std::string& kind,
             const std::string& parent, const std::vector<std::pair<std::string, std::string>>& covers,
             const std::vector<std::string>& topics, bool active) {
            unit u{code, name, parse_unit_kind(kind), parent, {}, topics, active};
            for (const auto& [d, sd] : covers) u.covers.push_back({d, sd});
            py::gil_scoped_release release;
            s.put_unit(u);
          },
          py::arg("code"), py::arg("name"), py::kw_only(), py::arg("kind") = "institution", py::arg("parent") = "",
          py::arg("covers") = std::vector<std::pair<std::string, std::string>>{},
          py::arg("topics") = std::vector<std::string>{}, py::arg("active") = true,
          R"pbdoc(Adds or replaces a unit; covers is a list of (district, sub_district) pairs.)pbdoc")
      .def("units",
           [](const store& s) {
             unit_directory dir;
             {
               py::gil_scoped_release release;
               dir = s.directory();
             }
             py::list out;
             for (const auto& u : dir.units()) {
               py::dict d;
               d["code"] = u.code;
               d["name"] = u.name;
               d["kind"] = std::string(to_string(u.kind));
               d["parent"] = u.parent;
               py::list covers;
               for (const auto& c : u.covers) covers.append(py::make_tuple(c.district, c.sub_district));
               d["covers"] = covers;
               d["topics"] = u.topics;
               d["active"] = u.active;
               out.append(d);
             }
             return out;
           })
      .def(
          "route",
          [](const store& s, const std::string& district, const std::string& sub_district,
             const std::string& topic) -> std::optional<std::pair<std::string, std::string>> {
            py::gil_scoped_release release;
            const auto r = s.directory().route({district, sub_district, {}}, topic);
            if (!r) return std::nullopt;
            return std::make_pair(r->unit, r->reason);
          },
          py::arg("district"), py::arg("sub_district") = "", py::arg("topic") = "",
          R"pbdoc((unit code, reason) where an order should go, or None.)pbdoc")
      .def(
          "set_liaison",
          [](store& s, const std::string& unit_code, const std::string& name, const std::string& slot,
             const std::string& title, const std::string& department, const std::string& office_phone,
             const std::string& mobile, const std::string& email, std::optional<instant> valid_from,
             const std::string& reported_by) {
            liaison l;
            l.unit = unit_code;
            l.name = name;
            l.slot = slot;
            l.title = title;
            l.department = department;
            l.office_phone = office_phone;
            l.mobile = mobile;
            l.email = email;
            l.valid_from = valid_from ? *valid_from : now_instant();
            l.reported_by = reported_by;
            py::gil_scoped_release release;
            s.set_liaison(l);
          },
          py::arg("unit"), py::arg("name"), py::kw_only(), py::arg("slot") = "A", py::arg("title") = "",
          py::arg("department") = "", py::arg("office_phone") = "", py::arg("mobile") = "", py::arg("email") = "",
          py::arg("valid_from") = py::none(), py::arg("reported_by") = "")
      .def(
          "liaisons",
          [](const store& s, const std::string& unit_code, std::optional<instant> as_of, bool reveal) {
            std::vector<liaison> ls;
            {
              py::gil_scoped_release release;
              ls = s.liaisons(unit_code, as_of, reveal);
            }
            py::list out;
            for (const auto& l : ls) out.append(liaison_dict(l));
            return out;
          },
          py::arg("unit"), py::arg("as_of") = py::none(), py::arg("reveal") = false)
      .def(
          "liaison_history",
          [](const store& s, const std::string& unit_code, bool reveal) {
            std::vector<liaison> ls;
            {
              py::gil_scoped_release release;
              ls = s.liaison_history(unit_code, reveal);
            }
            py::list out;
            for (const auto& l : ls) out.append(liaison_dict(l));
            return out;
          },
          py::arg("unit"), py::arg("reveal") = false)
      .def(
          "on_urgent",
          [](store& s, py::object fn) {
            if (fn.is_none()) {
              s.on_urgent({});
              return;
            }
            // Held in a shared_ptr whose deleter takes the GIL: the store may drop it without.
            std::shared_ptr<py::object> held(new py::object(std::move(fn)), [](py::object* p) {
              py::gil_scoped_acquire gil;
              delete p;
            });
            s.on_urgent([held](const work_order& o) {
              py::gil_scoped_acquire gil;
              (*held)(o);
            });
          },
          py::arg("callback"),
          R"pbdoc(Registers callback(order) for urgent matters (000 art. 10); order unmasked.)pbdoc");

  // Named actions: store.dispatch(number, unit=..., actor=...), store.sign_for(...), ...
  for (std::size_t i = 0; i < action_count; ++i) {
    const auto a = static_cast<action>(i);
    if (a == action::create || a == action::split) continue;
    std::string name(to_string(a));
    if (name == "void") name = "void_order";
    cls.def(
        name.c_str(),
        [a](store& s, const std::string& number, const std::string& actor_id, const std::optional<std::string>& role_name,
            const std::string& actor_unit, std::optional<instant> at, std::optional<std::int64_t> expected_version,
            const std::string& comment, bool reveal, const py::kwargs& kw) {
          command c;
          c.action = a;
          c.by = {actor_id, role_name ? parse_enum<role>(*role_name) : default_role(a), actor_unit};
          c.at = at ? *at : now_instant();
          c.expected_version = expected_version;
          c.comment = comment;
          fill_payload(c, kw);
          work_order out;
          {
            py::gil_scoped_release release;
            out = s.apply(number, c);
          }
          return reveal ? out : out.masked();
        },
        py::arg("number"), py::kw_only(), py::arg("actor"), py::arg("role") = py::none(),
        py::arg("actor_unit") = "", py::arg("at") = py::none(), py::arg("expected_version") = py::none(),
        py::arg("comment") = "", py::arg("reveal") = false);
  }

  py::class_<py_import>(m, "Import", R"pbdoc(
A bulk import (store::importer): create() and apply() as on the Store, written on a
thread of the store's own, 10,000 orders per transaction by default.  Use it as a
context manager; a clean exit finishes it (everything committed), an exception drops
the commands not yet handed to the writer.  The Store takes no other call meanwhile.)pbdoc")
      .def(
          "create",
          [](py_import& self, INTAKE_PARAMS) {
            const auto in = make_intake(INTAKE_VALUES);
            auto& imp = self.live();
            py::gil_scoped_release release;
            return imp.create(in.order, in.by, in.draft);
          },
          INTAKE_ARGS, R"pbdoc(As Store.create; returns the new order's number.)pbdoc")
      .def(
          "apply",
          [](py_import& self, const std::string& number, const std::string& action_name, const std::string& actor_id,
             const std::optional<std::string>& role_name, const std::string& actor_unit, std::optional<instant> at,
             const std::string& comment, const py::kwargs& kw) {
            command c;
            c.action = parse_enum<action>(action_name);
            c.by = {actor_id, role_name ? parse_enum<role>(*role_name) : default_role(c.action), actor_unit};
            c.at = at ? *at : now_instant();
            c.comment = comment;
            fill_payload(c, kw);
            auto& imp = self.live();
            py::gil_scoped_release release;
            return imp.apply(number, c);
          },
          py::arg("number"), py::arg("action"), py::kw_only(), py::arg("actor"), py::arg("role") = py::none(),
          py::arg("actor_unit") = "", py::arg("at") = py::none(), py::arg("comment") = "",
          R"pbdoc(As Store.apply (payload as keywords); returns the order's new version.)pbdoc")
      .def(
          "finish",
          [](py_import& self) { self.finish(); },
          R"pbdoc(Hands over the rest and waits until everything is committed; raises the writer's error.)pbdoc")
      .def_property_readonly(
          "committed_orders",
          [](const py_import& self) { return self.imp ? self.imp->committed_orders() : self.committed; },
          R"pbdoc(Orders created through the import whose transaction has committed.)pbdoc")
      .def_property_readonly(
          "waits",
          [](const py_import& self) {
            const auto w = self.imp ? self.imp->waits() : self.waits;
            py::dict d;
            d["caller_s"] = w.caller_s;
            d["writer_s"] = w.writer_s;
            return d;
          },
          R"pbdoc(Seconds each thread waited for the other: {"caller_s": the calling thread for the writer
(SQLite and the disk were the slower side), "writer_s": the writer for work (the caller was)}.)pbdoc")
      .def("__enter__", [](py_import& self) -> py_import& { return self; }, py::return_value_policy::reference)
      .def("__exit__", [](py_import& self, const py::object& exc_type, const py::object&, const py::object&) {
        if (!self.imp) return false;
        if (exc_type.is_none()) {
          self.finish();
        } else {
          py::gil_scoped_release release;  // waits for the transaction in flight
          self.imp.reset();  // (its waits() are not kept: the import did not finish)
        }
        return false;
      });

  cls.def(
      "bulk",
      [](store& s, std::size_t orders_per_transaction) {
        auto p = std::make_unique<py_import>();
        py::gil_scoped_release release;
        p->imp.emplace(s.begin_import(orders_per_transaction));
        return p;
      },
      py::arg("orders_per_transaction") = 10000, py::keep_alive<0, 1>(),
      R"pbdoc(Starts a bulk import (an Import: use it in a with block): a writer thread commits on SQLite; on PostgreSQL each transaction commits on the calling thread at its orders_per_transaction-th order.)pbdoc");
}

}  // namespace hotline::python
