// Python bindings of the masking rules (hotline/masking.hpp, docs/privacy.md), for hosts
// that show personal data of their own and for the package's guard of exception messages
// (hotline/_privacy.py).
//
//   hotline.mask_phone("13812341234")              # "138****1234"
//   hotline.mask_text("请回电13812341234")          # "请回电138****1234"
#include "bindings.hpp"
#include "hotline/masking.hpp"

#include <string>
#include <string_view>

namespace py = pybind11;

namespace hotline::python {

void register_masking(py::module_& m) {
  m.def(
      "mask_phone", [](std::string_view s) { return mask_phone(s); }, py::arg("text"),
      R"pbdoc("138****1234": 11 or more characters keep the first 3 and the last 4; 5 to 10 keep the
last 4; 4 or fewer are all masked.)pbdoc");
  m.def(
      "mask_id_number", [](std::string_view s) { return mask_id_number(s); }, py::arg("text"),
      R"pbdoc("110101********123X": 15 or more characters keep the first 6 and the last 4; shorter
ones are masked as phone numbers.)pbdoc");
  m.def(
      "mask_name", [](std::string_view s) { return mask_name(s); }, py::arg("text"),
      R"pbdoc("张**": the first character kept, every other one a '*'.)pbdoc");
  m.def(
      "mask_text", [](std::string_view s) { return mask_text(s); }, py::arg("text"),
      R"pbdoc(Every run of 7 or more ASCII digits masked: 11 digits starting with 1 as a mobile
number, 15 or 18 (a final X included) as an identity number, any other as a phone number.)pbdoc");
}

}  // namespace hotline::python
