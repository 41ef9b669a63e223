// Python bindings of sla (filled in by the sla work).
#include "bindings.hpp"

namespace hotline::python {

void register_sla(pybind11::module_&) {}

}  // namespace hotline::python
