// hotline.copy_store and CopyReport: moving a store between SQLite and PostgreSQL
// (hotline/store_copy.hpp).
#include "bindings.hpp"
#include "casters.hpp"
#include "hotline/store_copy.hpp"

namespace py = pybind11;

namespace hotline::python {

void register_store_copy(py::module_& m) {
  py::class_<copy_report>(m, "CopyReport", R"pbdoc(
What copy_store() wrote, table by table, and the target's head after it.)pbdoc")
      .def_readonly("units", &copy_report::units)
      .def_readonly("liaisons", &copy_report::liaisons, "Liaison rows, history included.")
      .def_readonly("orders", &copy_report::orders)
      .def_readonly("events", &copy_report::events, "The target's event count (its head).")
      .def_readonly("event_blocks", &copy_report::event_blocks,
                    "Rows of events (one per order per transaction that touched it).")
      .def_readonly("calls", &copy_report::calls)
      .def_readonly("signed_heads", &copy_report::signed_heads)
      .def_readonly("head", &copy_report::head, "The target's head (a HeadReceipt), equal to the source's.")
      .def("__repr__", [](const copy_report& r) {
        return "CopyReport(orders=" + std::to_string(r.orders) + ", events=" + std::to_string(r.events) +
               ", units=" + std::to_string(r.units) + ", liaisons=" + std::to_string(r.liaisons) +
               ", calls=" + std::to_string(r.calls) + ", signed_heads=" + std::to_string(r.signed_heads) + ")";
      });

  m.def(
      "copy_store",
      [](const std::string& source, const std::string& target) {
        py::gil_scoped_release release;
        return copy_store(source, target);
      },
      py::arg("source"), py::arg("target"),
      R"pbdoc(Copies the store at `source` into the new, empty store at `target`: each an SQLite
file or a PostgreSQL location ("postgresql://user@host/db" or "host=... dbname=..."),
either direction.  Every row as stored (the events' blocks and hashes, the projection,
report counts, units and liaison history, calls, signed heads), in one transaction on
the target; then the target is re-hashed and the source checked against its head.
InvalidArgumentError when the target holds anything; NotFoundError for a missing
source file; StorageError for a broken source chain or a failed write (the target
then holds nothing).)pbdoc");
}

}  // namespace hotline::python
