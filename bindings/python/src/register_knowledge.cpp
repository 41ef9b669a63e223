// Python bindings of knowledge (filled in by the knowledge work).
#include "bindings.hpp"

namespace hotline::python {

void register_knowledge(pybind11::module_&) {}

}  // namespace hotline::python
