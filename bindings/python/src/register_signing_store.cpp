// Python: getting signing data in.  The journalled signing store (signing/store.hpp) as
// hotline.SigningStore, and bulk loading from columns (numpy arrays, lists, pandas
// Series) into a SigningRegistry or a SigningStore: add_residents (registry.hpp's
// resident_rows) and sign_many (sign_all over columns).  Names are prefixed as
// register_signing.cpp says.
//
//   db = hotline.SigningStore("signing.db", hotline.SigningPolicy.guangzhou_2017())
//   db.add_institution(inst, by="clerk-07")                # one journal row, committed
//   db.add_residents(ids, birth, place, places, by="import")  # one transaction
//   hotline.signing_coverage(db.view(), datetime.date(2026, 6, 30))
//
// Every store call and every bulk call runs its C++ work without the GIL: the columns
// are read first (they are Python objects), then released.  A store, like a registry,
// is used by one thread at a time.  Each write names who made it (by=..., required) and
// when (at=, an aware datetime; default: now, to the second).
#include "bindings.hpp"
#include "casters.hpp"
#include "signer.hpp"

#include <hotline/masking.hpp>
#include <hotline/signing/registry.hpp>
#include <hotline/signing/store.hpp>
#include <hotline/work_order.hpp>

#include <pybind11/numpy.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace py = pybind11;

namespace hotline::python {
namespace {

using namespace hotline::signing;

hotline::sex sex_of(const std::string& s) { return hotline::parse_enum<hotline::sex>(s); }

// ---- columns from Python: lists, tuples, numpy arrays, pandas Series ---------------------

std::string type_name(py::handle h) { return py::str(py::type::handle_of(h).attr("__qualname__")); }

py::array as_array(py::handle obj) { return py::module_::import("numpy").attr("asarray")(obj); }

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::string str_item(py::handle item, const char* arg, std::size_t i) {
  if (!PyUnicode_Check(item.ptr()))
    throw py::type_error(std::string(arg) + " element " + std::to_string(i) + ": expected str, got " + type_name(item));
  Py_ssize_t size = 0;
  const char* s = PyUnicode_AsUTF8AndSize(item.ptr(), &size);
  if (!s) throw py::error_already_set();
  return {s, static_cast<std::size_t>(size)};
}

/// Text column: a list or tuple of str, or a numpy array of str ('U'), bytes ('S', read
/// as UTF-8) or objects (str each); a pandas Series goes through numpy.
std::vector<std::string> str_column(py::handle obj, const char* arg) {
  std::vector<std::string> out;
  if (PyList_Check(obj.ptr()) || PyTuple_Check(obj.ptr())) {
    py::sequence seq = py::reinterpret_borrow<py::sequence>(obj);
    const auto n = static_cast<std::size_t>(py::len(seq));
    out.reserve(n);
    PyObject** items = PySequence_Fast_ITEMS(obj.ptr());
    for (std::size_t i = 0; i < n; ++i) out.push_back(str_item(items[i], arg, i));
    return out;
  }
  if (PyUnicode_Check(obj.ptr()))
    throw py::type_error(std::string(arg) + ": expected a list or array of str, got one str");
  py::array a = as_array(obj);
  if (a.ndim() != 1) throw py::value_error(std::string(arg) + ": expected a one-dimensional column");
  a = py::module_::import("numpy").attr("ascontiguousarray")(a);
  const auto n = static_cast<std::size_t>(a.size());
  out.reserve(n);
  const char kind = a.dtype().kind();
  const auto width = static_cast<std::size_t>(a.itemsize());
  const auto* base = static_cast<const char*>(a.data());
  if (kind == 'S') {
    for (std::size_t i = 0; i < n; ++i) {
      const char* p = base + i * width;
      std::size_t len = width;
      while (len > 0 && p[len - 1] == '\0') --len;
      out.emplace_back(p, len);
    }
  } else if (kind == 'U') {
    const std::size_t chars = width / 4;
    for (std::size_t i = 0; i < n; ++i) {
      const auto* p = reinterpret_cast<const std::uint32_t*>(base + i * width);
      std::size_t len = chars;
      while (len > 0 && p[len - 1] == 0) --len;
      std::string s;
      s.reserve(len);
      for (std::size_t k = 0; k < len; ++k) append_utf8(s, p[k]);
      out.push_back(std::move(s));
    }
  } else if (kind == 'O') {
    for (std::size_t i = 0; i < n; ++i) out.push_back(str_item(a[py::int_(i)], arg, i));
  } else if (n == 0) {
  } else {
    throw py::type_error(std::string(arg) + ": expected str values, got dtype " + std::string(py::str(a.dtype())));
  }
  return out;
}

/// Integer column (any integer dtype), broadcast from a scalar int when `n` is given.
std::vector<std::int64_t> int_column(py::handle obj, const char* arg, std::optional<std::size_t> n = {}) {
  if (n && (PyLong_Check(obj.ptr()) || py::isinstance(obj, py::module_::import("numpy").attr("integer"))) &&
      !PyBool_Check(obj.ptr()))
    return std::vector<std::int64_t>(*n, obj.cast<std::int64_t>());
  py::array a = as_array(obj);
  const char kind = a.dtype().kind();
  if (a.ndim() != 1) throw py::value_error(std::string(arg) + ": expected a one-dimensional column");
  if (a.size() > 0 && kind != 'i' && kind != 'u' && kind != 'b')
    throw py::type_error(std::string(arg) + ": expected integers, got dtype " + std::string(py::str(a.dtype())));
  auto ints = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>::ensure(a);
  if (!ints) throw py::error_already_set();
  std::vector<std::int64_t> out(ints.data(), ints.data() + ints.size());
  if (n && out.size() != *n)
    throw py::value_error(std::string(arg) + ": " + std::to_string(out.size()) + " values for " + std::to_string(*n) +
                          " rows");
  return out;
}

/// Day column: a numpy datetime64 array of unit D (or W, M, Y: exact), integer day numbers
/// since 1970-01-01, or a list of datetime.date; a single datetime.date is broadcast
/// when `n` is given.  NaT and finer units are refused naming the column.
std::vector<hotline::day> day_column(py::handle obj, const char* arg, std::optional<std::size_t> n = {}) {
  hotline::day one;
  if (load_day(obj.ptr(), one)) {
    if (!n) throw py::type_error(std::string(arg) + ": expected a column of days, got one datetime.date");
    return std::vector<hotline::day>(*n, one);
  }
  auto np = py::module_::import("numpy");
  py::array a = as_array(obj);
  if (a.ndim() != 1) throw py::value_error(std::string(arg) + ": expected a one-dimensional column");
  const char kind = a.dtype().kind();
  std::vector<std::int64_t> numbers;
  if (kind == 'M') {
    const auto unit = np.attr("datetime_data")(a.dtype()).cast<py::tuple>()[0].cast<std::string>();
    if (unit != "D" && unit != "W" && unit != "M" && unit != "Y")
      throw py::type_error(std::string(arg) + ": datetime64[" + unit +
                           "] holds moments, not days; convert with .astype('datetime64[D]') once you have decided "
                           "which day (time zone) each moment belongs to");
    py::array d = np.attr("ascontiguousarray")(a.attr("astype")("datetime64[D]"));
    const auto* p = static_cast<const std::int64_t*>(d.data());
    numbers.assign(p, p + d.size());
    for (std::size_t i = 0; i < numbers.size(); ++i)
      if (numbers[i] == std::numeric_limits<std::int64_t>::min())
        throw hotline::invalid_argument_error(std::string(arg) + " element " + std::to_string(i) +
                                              " is NaT: every row needs its day");
  } else if (kind == 'i' || kind == 'u') {
    numbers = int_column(a, arg);
  } else if (kind == 'O') {
    numbers.reserve(static_cast<std::size_t>(a.size()));
    for (py::ssize_t i = 0; i < a.size(); ++i) {
      py::object e = a[py::int_(i)];
      if (!load_day(e.ptr(), one))
        throw py::type_error(std::string(arg) + " element " + std::to_string(i) +
                             ": expected a datetime.date (not a datetime), got " + type_name(e));
      numbers.push_back(hotline::day_number(one));
    }
  } else if (a.size() != 0) {
    throw py::type_error(std::string(arg) + ": expected datetime64[D] or integer day numbers, got dtype " +
                         std::string(py::str(a.dtype())));
  }
  if (n && numbers.size() != *n)
    throw py::value_error(std::string(arg) + ": " + std::to_string(numbers.size()) + " values for " +
                          std::to_string(*n) + " rows");
  std::vector<hotline::day> out;
  out.reserve(numbers.size());
  for (std::size_t i = 0; i < numbers.size(); ++i) {
    if (numbers[i] < std::numeric_limits<std::int32_t>::min() / 2 ||
        numbers[i] > std::numeric_limits<std::int32_t>::max() / 2)
      throw hotline::invalid_argument_error(std::string(arg) + " element " + std::to_string(i) + ": day number " +
                                            std::to_string(numbers[i]) + " is out of range");
    out.push_back(hotline::from_day_number(numbers[i]));
  }
  return out;
}

std::vector<std::uint32_t> code_column(py::handle obj, const char* arg, std::size_t n, std::size_t limit,
                                       const char* of) {
  const auto v = int_column(obj, arg, n);
  std::vector<std::uint32_t> out(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i] < 0 || static_cast<std::uint64_t>(v[i]) >= limit)
      throw hotline::invalid_argument_error(std::string(arg) + " element " + std::to_string(i) + ": code " +
                                            std::to_string(v[i]) + " is not an index into " + of + " (" +
                                            std::to_string(limit) + " entries)");
    out[i] = static_cast<std::uint32_t>(v[i]);
  }
  return out;
}

// ---- bulk loading ------------------------------------------------------------------------

/// registry.hpp's resident_rows from Python columns (see SigningResidentRows' docstring).
resident_rows rows_of_columns(py::handle ids, py::handle birth, py::handle place,
                              std::vector<std::array<std::string, 3>> places, py::handle sex, py::handle insured) {
  resident_rows rows;
  rows.ids = str_column(ids, "ids");
  const std::size_t n = rows.ids.size();
  rows.birth = day_column(birth, "birth", n);
  // Codes outside places are the registry's error (it names the row); only the type is checked here.
  const auto p = int_column(place, "place", n);
  rows.place.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (p[i] < 0 || p[i] > std::numeric_limits<std::uint32_t>::max())
      throw hotline::invalid_argument_error("add_residents row " + std::to_string(i) + ": place " +
                                            std::to_string(p[i]) + " is not in places");
    rows.place[i] = static_cast<std::uint32_t>(p[i]);
  }
  rows.places = std::move(places);
  if (!sex.is_none()) {
    py::array a = as_array(sex);
    const char kind = a.dtype().kind();
    rows.sex.resize(n);
    if (kind == 'U' || kind == 'S' || kind == 'O') {
      const auto names = str_column(a, "sex");
      if (names.size() != n)
        throw py::value_error("sex: " + std::to_string(names.size()) + " values for " + std::to_string(n) + " rows");
      for (std::size_t i = 0; i < n; ++i) rows.sex[i] = sex_of(names[i]);
    } else {
      const auto codes = int_column(a, "sex", n);
      for (std::size_t i = 0; i < n; ++i) {
        if (codes[i] < 0 || codes[i] > 2)
          throw hotline::invalid_argument_error("add_residents row " + std::to_string(i) + ": unknown sex " +
                                                std::to_string(codes[i]) + " (0 unknown, 1 male, 2 female)");
        rows.sex[i] = static_cast<hotline::sex>(codes[i]);
      }
    }
  }
  if (!insured.is_none()) {
    const auto v = int_column(insured, "insured", n);
    rows.insured.assign(v.begin(), v.end());
    for (auto& x : rows.insured) x = x ? 1 : 0;
  }
  return rows;
}

/// sign_many's columns, read while holding the GIL.
struct request_columns {
  std::vector<std::string> residents, teams;
  std::vector<std::uint32_t> team_index;  ///< empty: teams has one code per row
  std::vector<day> start;
  std::vector<std::int64_t> years;
};

request_columns read_request_columns(py::handle residents, py::handle teams, py::handle start, py::handle years,
                                     py::handle team_index) {
  request_columns c;
  c.residents = str_column(residents, "residents");
  const std::size_t n = c.residents.size();
  c.teams = str_column(teams, "teams");
  if (!team_index.is_none())
    c.team_index = code_column(team_index, "team_index", n, c.teams.size(), "teams");
  else if (c.teams.size() != n)
    throw py::value_error("teams: " + std::to_string(c.teams.size()) + " values for " + std::to_string(n) +
                          " residents (or give team_index with the distinct team codes)");
  c.start = day_column(start, "start", n);
  c.years = int_column(years, "years", n);
  return c;
}

/// The requests of the columns (no Python objects touched: runs without the GIL).
std::vector<sign_request> requests_of(request_columns& c, const std::vector<std::string>& packages,
                                      signing_channel channel) {
  std::vector<sign_request> reqs(c.residents.size());
  for (std::size_t i = 0; i < reqs.size(); ++i) {
    auto& r = reqs[i];
    r.resident = std::move(c.residents[i]);
    r.team = c.team_index.empty() ? std::move(c.teams[i]) : c.teams[c.team_index[i]];
    r.packages = packages;
    r.start = c.start[i];
    // a term outside int is no term the policy allows: the registry says so, naming the row
    const bool fits = c.years[i] >= std::numeric_limits<int>::min() && c.years[i] <= std::numeric_limits<int>::max();
    r.years = fits ? static_cast<int>(c.years[i]) : 0;
    r.channel = channel;
  }
  return reqs;
}

/// Runs `f` without the GIL and returns what it returns.
template <class F>
auto released(F f) {
  py::gil_scoped_release release;
  return f();
}

using when = std::optional<instant>;

const char* const add_residents_doc = R"pbdoc(Adds residents as columns, all or none; returns how many.

ids: list or numpy array of str; birth: datetime64[D] array or int day numbers since
1970-01-01; place: integer codes into places, a list of (district, sub-district,
community); sex: None, codes 0/1/2 (unknown, male, female) or names; insured: None (all
insured) or booleans.  Names and identity numbers are not bulk data: add_resident checks
those one by one.)pbdoc";

const char* const sign_many_doc =
    R"pbdoc(Signs many residents at once: sign_all over columns, all or none; returns how many.

residents: list or numpy array of str.  teams: one team code per row, or with
team_index (integer codes, one per row) the distinct team codes they index.  start:
datetime64[D] array, int day numbers or one datetime.date for all; years: an int or an
integer array; packages: the package codes every contract takes.  Contracts are numbered
C0000001 ... in row order, after those already there; the error names the row.)pbdoc";

}  // namespace

void register_signing_store(py::module_& m) {
  // ---- bulk loading, on the SigningRegistry class of register_signing ----
  auto reg = py::reinterpret_borrow<py::class_<registry>>(m.attr("SigningRegistry"));
  reg.def(
      "add_residents",
      [](registry& r, py::handle ids, py::handle birth, py::handle place,
         std::vector<std::array<std::string, 3>> places, py::handle sex, py::handle insured) {
        const auto rows = rows_of_columns(ids, birth, place, std::move(places), sex, insured);
        return released([&] { return r.add_residents(rows); });
      },
      py::arg("ids"), py::arg("birth"), py::arg("place"), py::arg("places"), py::arg("sex") = py::none(),
      py::arg("insured") = py::none(), add_residents_doc);
  reg.def(
      "sign_many",
      [](registry& r, py::handle residents, py::handle teams, py::handle start, py::handle years,
         const std::vector<std::string>& packages, py::handle team_index, signing_channel channel) {
        auto cols = read_request_columns(residents, teams, start, years, team_index);
        return released([&] { return r.sign_all(requests_of(cols, packages, channel)); });
      },
      py::arg("residents"), py::arg("teams"), py::arg("start"), py::arg("years") = 1,
      py::arg("packages") = std::vector<std::string>{}, py::kw_only(), py::arg("team_index") = py::none(),
      py::arg("channel") = signing_channel::in_person, sign_many_doc);

  // ---- the journal store (store.hpp) ----
  py::class_<journal_entry>(m, "SigningJournalEntry", R"pbdoc(One row of the signing journal.)pbdoc")
      .def_readonly("seq", &journal_entry::seq, "The row's position in the journal, from 1.")
      .def_readonly("at", &journal_entry::at,
                    "When the call was made (aware datetime, Asia/Shanghai): the stamp's at= or the clock.")
      .def_readonly("by", &journal_entry::by, "Who made the call (the stamp's by=).")
      .def_readonly("op", &journal_entry::op, "the call's name: 'sign', 'add_residents' ...")
      .def_readonly("payload", &journal_entry::payload, "JSON; names and identity numbers masked unless revealed")
      .def_readonly("hash", &journal_entry::hash, "lower-case hex of the row's SHA-256")
      .def("__repr__", [](const journal_entry& e) {
        return "<SigningJournalEntry " + std::to_string(e.seq) + " " + e.op + " by " + e.by + ">";
      });

  py::class_<journal_report>(m, "SigningJournalReport", R"pbdoc(What SigningStore.verify() found.)pbdoc")
      .def_readonly("ok", &journal_report::ok, "True when every row and the view's service chain checked out.")
      .def_readonly("rows", &journal_report::rows, "Journal rows checked (all of them when ok).")
      .def_readonly("first_bad_seq", &journal_report::first_bad_seq, "0 when ok")
      .def_readonly("reason", &journal_report::reason, "What is wrong (the first defect found); empty when ok.")
      .def_readonly("services", &journal_report::services, "the view's service chain")
      .def_readonly("heads_checked", &journal_report::heads_checked,
                    "verify(public_key=): signed heads whose signature and hash held")
      .def_readonly("signed_through", &journal_report::signed_through,
                    "rows 1..signed_through are proven by a good signed head or the receipt")
      .def("__bool__", [](const journal_report& r) { return r.ok; });

  py::class_<signing_store> store(m, "SigningStore",
                                  R"pbdoc(The signing registry kept in an append-only SQLite journal (store.hpp).

Every write is one transaction and one journal row naming who made it (by=) and when
(at=); the registry checks it first and nothing is stored when it raises.  view() is the
registry the journal leaves: read it (find_*, reports); never write through it, for a
write there is not journalled.)pbdoc");
  store.attr("schema_version") = signing_store::schema_version;
  store
      .def(py::init([](const std::filesystem::path& path, policy p, int busy_timeout_ms, bool policy_from_file,
                       bool read_only, std::string created_by, int cache_kib, const std::optional<std::string>& key_file,
                       const py::object& signer, const std::optional<std::string>& public_key,
                       std::int64_t sign_every_rows) {
             signing_store_options o;
             o.busy_timeout_ms = busy_timeout_ms;
             o.policy_from_file = policy_from_file;
             o.read_only = read_only;
             o.created_by = std::move(created_by);
             o.cache_kib = cache_kib;
             o.signer = signer_of(key_file, signer, public_key);
             o.sign_every_rows = sign_every_rows;
             return released([&] { return std::make_unique<signing_store>(path, std::move(p), std::move(o)); });
           }),
           py::arg("path"), py::arg("policy") = policy::guangzhou_2017(), py::kw_only(),
           py::arg("busy_timeout_ms") = 10000, py::arg("policy_from_file") = true, py::arg("read_only") = false,
           py::arg("created_by") = "hotline", py::arg("cache_kib") = 65536, py::arg("key_file") = py::none(),
           py::arg("signer") = py::none(), py::arg("public_key") = py::none(), py::arg("sign_every_rows") = 1,
           R"pbdoc(Opens the file, or creates it with the policy, and replays the journal.

key_file (an Ed25519 key file, hotline.generate_key_file), or signer (a callable
signer(message: bytes) -> 64-byte signature) with public_key (64 hex digits): the store
then signs the journal's head at each write that leaves sign_every_rows new rows, in the
same transaction; an exception from the signer rolls the write back (docs/signing.md).)pbdoc")
      .def("view", &signing_store::view, py::return_value_policy::reference_internal,
           "The registry as the journal leaves it; valid while the store lives.  Read only.")
      .def_property_readonly("path", [](const signing_store& s) { return s.path().string(); },
                             "The journal file's path, as a str.")
      .def_property_readonly("signs_heads", &signing_store::signs_heads,
                             "True when this store signs its heads (key_file= or signer= given).")
      .def(
          "head", [](const signing_store& s) { return released([&] { return s.head(); }); },
          R"pbdoc(The journal's head now (a HeadReceipt; is_signed False when no signed head covers it).)pbdoc")
      .def(
          "last_signed_head", [](const signing_store& s) { return released([&] { return s.last_signed_head(); }); },
          R"pbdoc(The latest signed head in the file, or None.)pbdoc")
      .def(
          "sign_head", [](signing_store& s) { return released([&] { return s.sign_head(); }); },
          R"pbdoc(Signs the current head now if it is not yet signed; needs a signer.)pbdoc")
      .def(
          "add_resident",
          [](signing_store& s, const resident& r, const std::string& by, when at) {
            released([&] { s.add_resident({by, at}, r); });
          },
          py::arg("resident"), py::kw_only(), py::arg("by"), py::arg("at") = py::none())
      .def(
          "add_residents",
          [](signing_store& s, py::handle ids, py::handle birth, py::handle place,
             std::vector<std::array<std::string, 3>> places, py::handle sex, py::handle insured, const std::string& by,
             when at) {
            const auto rows = rows_of_columns(ids, birth, place, std::move(places), sex, insured);
            return released([&] { return s.add_residents({by, at}, rows); });
          },
          py::arg("ids"), py::arg("birth"), py::arg("place"), py::arg("places"), py::arg("sex") = py::none(),
          py::arg("insured") = py::none(), py::kw_only(), py::arg("by"), py::arg("at") = py::none(), add_residents_doc)
      .def(
          "move_resident",
          [](signing_store& s, const std::string& id, const std::string& district, const std::string& subdistrict,
             const std::string& community, const std::string& by, when at) {
            released([&] { s.move_resident({by, at}, id, district, subdistrict, community); });
          },
          py::arg("id"), py::arg("district"), py::arg("subdistrict"), py::arg("community"), py::kw_only(),
          py::arg("by"), py::arg("at") = py::none())
      .def(
          "add_attribute",
          [](signing_store& s, const std::string& resident, attribute a, day from, std::optional<day> to,
             const std::string& by, when at) { released([&] {
                                                 s.add_attribute({by, at}, resident, a, from, to);
                                               }); },
          py::arg("resident"), py::arg("attribute"), py::arg("from_"), py::arg("to") = py::none(), py::kw_only(),
          py::arg("by"), py::arg("at") = py::none())
      .def(
          "end_attribute",
          [](signing_store& s, const std::string& resident, attribute a, day to, const std::string& by, when at) {
            released([&] { s.end_attribute({by, at}, resident, a, to); });
          },
          py::arg("resident"), py::arg("attribute"), py::arg("to"), py::kw_only(), py::arg("by"),
          py::arg("at") = py::none())
      .def(
          "set_grade",
          [](signing_store& s, const std::string& resident, elderly_grade g, day from, const std::string& by, when at) {
            released([&] { s.set_grade({by, at}, resident, g, from); });
          },
          py::arg("resident"), py::arg("grade"), py::arg("from_"), py::kw_only(), py::arg("by"),
          py::arg("at") = py::none())
      .def(
          "join_household",
          [](signing_store& s, const std::string& household, const std::string& resident, day from,
             const std::string& by, when at) {
            released([&] { s.join_household({by, at}, household, resident, from); });
          },
          py::arg("household"), py::arg("resident"), py::arg("from_"), py::kw_only(), py::arg("by"),
          py::arg("at") = py::none())
      .def(
          "leave_household",
          [](signing_store& s, const std::string& household, const std::string& resident, day to, const std::string& by,
             when at) { released([&] {
                          s.leave_household({by, at}, household, resident, to);
                        }); },
          py::arg("household"), py::arg("resident"), py::arg("to"), py::kw_only(), py::arg("by"),
          py::arg("at") = py::none())
      .def(
          "add_institution",
          [](signing_store& s, const institution& i, const std::string& by, when at) {
            released([&] { s.add_institution({by, at}, i); });
          },
          py::arg("institution"), py::kw_only(), py::arg("by"), py::arg("at") = py::none())
      .def(
          "add_team",
          [](signing_store& s, const team& t, const std::string& by, when at) {
            released([&] { s.add_team({by, at}, t); });
          },
          py::arg("team"), py::kw_only(), py::arg("by"), py::arg("at") = py::none())
      .def(
          "add_staff",
          [](signing_store& s, const staff_member& x, const std::string& by, when at) {
            released([&] { s.add_staff({by, at}, x); });
          },
          py::arg("staff"), py::kw_only(), py::arg("by"), py::arg("at") = py::none())
      .def(
          "join_team",
          [](signing_store& s, const std::string& team, const std::string& staff, team_role role, day from,
             const std::string& by, when at) { released([&] {
                                                 s.join_team({by, at}, team, staff, role, from);
                                               }); },
          py::arg("team"), py::arg("staff"), py::arg("role"), py::arg("from_"), py::kw_only(), py::arg("by"),
          py::arg("at") = py::none())
      .def(
          "leave_team",
          [](signing_store& s, const std::string& team, const std::string& staff, day to, const std::string& by,
             when at) { released([&] {
                          s.leave_team({by, at}, team, staff, to);
                        }); },
          py::arg("team"), py::arg("staff"), py::arg("to"), py::kw_only(), py::arg("by"), py::arg("at") = py::none())
      .def(
          "add_package",
          [](signing_store& s, const package& p, const std::string& by, when at) {
            released([&] { s.add_package({by, at}, p); });
          },
          py::arg("package"), py::kw_only(), py::arg("by"), py::arg("at") = py::none())
      .def(
          "sign",
          [](signing_store& s, const sign_request& req, const std::string& by, when at) {
            return released([&] { return s.sign({by, at}, req); });
          },
          py::arg("request"), py::kw_only(), py::arg("by"), py::arg("at") = py::none())
      .def(
          "sign_all",
          [](signing_store& s, const std::vector<sign_request>& reqs, const std::string& by, when at) {
            return released([&] { return s.sign_all({by, at}, reqs); });
          },
          py::arg("requests"), py::kw_only(), py::arg("by"), py::arg("at") = py::none(),
          "One transaction, one row per contract; all or none, in memory and in the file.")
      .def(
          "sign_many",
          [](signing_store& s, py::handle residents, py::handle teams, py::handle start, py::handle years,
             const std::vector<std::string>& packages, py::handle team_index, signing_channel channel,
             const std::string& by, when at) {
            auto cols = read_request_columns(residents, teams, start, years, team_index);
            return released([&] { return s.sign_all({by, at}, requests_of(cols, packages, channel)); });
          },
          py::arg("residents"), py::arg("teams"), py::arg("start"), py::arg("years") = 1,
          py::arg("packages") = std::vector<std::string>{}, py::kw_only(), py::arg("team_index") = py::none(),
          py::arg("channel") = signing_channel::in_person, py::arg("by"), py::arg("at") = py::none(), sign_many_doc)
      .def(
          "sign_household",
          [](signing_store& s, const std::string& household, const sign_request& req, const std::string& by, when at) {
            return released([&] { return s.sign_household({by, at}, household, req); });
          },
          py::arg("household"), py::arg("request"), py::kw_only(), py::arg("by"), py::arg("at") = py::none())
      .def(
          "renew",
          [](signing_store& s, const std::string& contract, int years, const std::string& team,
             std::vector<std::string> packages, const std::string& by, when at) {
            return released([&] { return s.renew({by, at}, contract, years, team, std::move(packages)); });
          },
          py::arg("contract"), py::arg("years"), py::arg("team") = "", py::arg("packages") = std::vector<std::string>{},
          py::kw_only(), py::arg("by"), py::arg("at") = py::none())
      .def(
          "terminate",
          [](signing_store& s, const std::string& contract, day on, termination_reason why, const std::string& by,
             when at) { return released([&] {
                          return s.terminate({by, at}, contract, on, why);
                        }); },
          py::arg("contract"), py::arg("on"), py::arg("reason"), py::kw_only(), py::arg("by"),
          py::arg("at") = py::none())
      .def(
          "receive_application",
          [](signing_store& s, const application& a, const std::string& by, when at) {
            released([&] { s.receive_application({by, at}, a); });
          },
          py::arg("application"), py::kw_only(), py::arg("by"), py::arg("at") = py::none())
      .def(
          "record_service",
          [](signing_store& s, service_record x, const std::string& by, when at, bool reveal) {
            auto done = released([&] { return service_record(s.record_service({by, at}, std::move(x))); });
            if (!reveal) done.note = mask_text(done.note);
            return done;
          },
          py::arg("service"), py::kw_only(), py::arg("by"), py::arg("at") = py::none(), py::arg("reveal") = false,
          "Records a service and returns it as completed by the registry; digit runs in the note masked unless "
          "reveal (docs/privacy.md).")
      .def(
          "record_survey",
          [](signing_store& s, const survey_answer& a, const std::string& by, when at) {
            released([&] { s.record_survey({by, at}, a); });
          },
          py::arg("answer"), py::kw_only(), py::arg("by"), py::arg("at") = py::none())
      .def(
          "record_slots",
          [](signing_store& s, const specialist_slots& x, const std::string& by, when at) {
            released([&] { s.record_slots({by, at}, x); });
          },
          py::arg("slots"), py::kw_only(), py::arg("by"), py::arg("at") = py::none())
      .def(
          "refresh", [](signing_store& s) { return released([&] { return s.refresh(); }); },
          "Replays rows other processes appended since; returns how many.")
      .def("last_seq", &signing_store::last_seq)
      .def(
          "journal",
          [](const signing_store& s, std::uint64_t from_seq, std::size_t limit, bool reveal) {
            return released([&] { return s.journal(from_seq, limit, reveal); });
          },
          py::arg("from_seq") = 1, py::arg("limit") = 0, py::arg("reveal") = false,
          "Rows seq >= from_seq, at most limit of them (0: all), oldest first.")
      .def(
          "verify",
          [](const signing_store& s, const std::optional<std::string>& public_key,
             const std::optional<head_receipt>& receipt) {
            std::optional<ed25519_public_key> key;
            if (public_key) key = public_key_arg(*public_key);
            return released([&] {
              if (key && receipt) return s.verify(*receipt, *key);
              if (key) return s.verify(*key);
              if (receipt) return s.verify(*receipt);
              return s.verify();
            });
          },
          py::kw_only(), py::arg("public_key") = py::none(), py::arg("receipt") = py::none(),
          R"pbdoc(Recomputes the chain of the whole file and the view's service chain.
With public_key (64 hex digits): also checks every signed head; first_bad_seq is then
the first row after the last good signature.  With receipt (a HeadReceipt kept
elsewhere): checks that the journal up to it still hashes to its head.)pbdoc")
      .def("__repr__", [](const signing_store& s) {
        return "<SigningStore " + s.path().string() + ": " + std::to_string(s.last_seq()) + " rows>";
      });
}

}  // namespace hotline::python
