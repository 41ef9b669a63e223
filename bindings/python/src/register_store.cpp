// Python bindings of store (filled in by the store work).
#include "bindings.hpp"

namespace hotline::python {

void register_store(pybind11::module_&) {}

}  // namespace hotline::python
