// Python bindings of signed chain heads (hotline/signed_head.hpp, issue 22):
// hotline.HeadReceipt, generate_key_file, public_key_of_key_file.  Store.head(),
// Store.verify(public_key=, receipt=) and Store(key_file=) are in register_store.cpp.
//
//   pub = hotline.generate_key_file("/etc/hotline/head.key")
//   store = hotline.Store("hotline.db", key_file="/etc/hotline/head.key")
//   str(store.head()); store.verify(public_key=pub)
#include "bindings.hpp"
#include "casters.hpp"
#include "hotline/error.hpp"
#include "hotline/signed_head.hpp"
#include "signer.hpp"

#include <pybind11/stl.h>

#include <memory>

namespace py = pybind11;

namespace hotline::python {

namespace {

std::string hex_bytes(const std::uint8_t* p, std::size_t n) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string s(2 * n, '0');
  for (std::size_t i = 0; i < n; ++i) {
    s[2 * i] = digits[p[i] >> 4];
    s[2 * i + 1] = digits[p[i] & 15];
  }
  return s;
}

/// A Python callable kept by a signer that may be copied to, used on and dropped by
/// threads without the GIL (the importer's writer thread): the GIL is taken for each.
struct python_callable {
  py::object f;
  explicit python_callable(py::object fn) : f(std::move(fn)) {}
  python_callable(const python_callable&) = delete;
  python_callable& operator=(const python_callable&) = delete;
  ~python_callable() {
    py::gil_scoped_acquire gil;
    f = py::object();
  }
};

}  // namespace

ed25519_public_key public_key_arg(const std::string& hex) {
  const auto key = parse_public_key(hex);
  if (!key) throw py::value_error("public_key must be 64 hex digits (an Ed25519 public key)");
  return *key;
}

head_signer signer_of(const std::optional<std::string>& key_file, const py::object& signer,
                      const std::optional<std::string>& public_key) {
  const bool callback = !signer.is_none();
  if (key_file && callback) throw py::value_error("give key_file or signer, not both");
  if (key_file) {
    if (public_key) throw py::value_error("public_key goes with signer=; a key file holds its own");
    return head_signer::from_key(read_key_file(*key_file));
  }
  if (!callback) {
    if (public_key) throw py::value_error("public_key without signer=: give the signer too");
    return {};
  }
  if (!PyCallable_Check(signer.ptr())) throw py::type_error("signer must be callable: signer(message: bytes) -> bytes");
  if (!public_key) throw py::value_error("signer= needs public_key= (64 hex digits): the key it signs for");
  head_signer s;
  s.public_key = public_key_arg(*public_key);
  auto fn = std::make_shared<python_callable>(signer);
  s.sign = [fn](std::span<const std::uint8_t> msg) {
    py::gil_scoped_acquire gil;
    // A Python exception passes through the store, which rolls the write back, and
    // reaches the caller as itself.
    const py::object out = fn->f(py::bytes(reinterpret_cast<const char*>(msg.data()), msg.size()));
    if (!PyBytes_Check(out.ptr()) && !PyByteArray_Check(out.ptr()))
      throw invalid_argument_error("the head signer returned " + std::string(py::str(py::type::of(out).attr("__name__"))) +
                                   ", not bytes: it must return the 64-byte Ed25519 signature");
    const std::string bytes = PyBytes_Check(out.ptr()) ? out.cast<std::string>()
                                                       : std::string(PyByteArray_AsString(out.ptr()),
                                                                     static_cast<std::size_t>(PyByteArray_Size(out.ptr())));
    ed25519_signature sig{};
    if (bytes.size() != sig.size())
      throw invalid_argument_error("the head signer returned " + std::to_string(bytes.size()) +
                                   " bytes: an Ed25519 signature is 64");
    std::copy(bytes.begin(), bytes.end(), reinterpret_cast<char*>(sig.data()));
    return sig;
  };
  return s;
}

void register_signed_heads(py::module_& m) {
  py::class_<head_receipt>(m, "HeadReceipt", R"pbdoc(
A chain head: the event count, the last event's hash and, when signed, the time,
key id and Ed25519 signature.  str() gives the one-line form a supervisor keeps;
HeadReceipt.parse() reads it back.)pbdoc")
      .def_readonly("event_count", &head_receipt::event_count, "How many events the log held at this head.")
      .def_property_readonly(
          "head_hash", [](const head_receipt& r) { return hex_bytes(r.head_hash.data(), r.head_hash.size()); },
          "The last event's SHA-256 as 64 lower-case hex digits; all zeros for an empty log.")
      .def_readonly("signed_at", &head_receipt::signed_at,
                    "When signed (aware datetime, Asia/Shanghai); for an unsigned head, when it was read.")
      .def_readonly("key_id", &head_receipt::key_id,
                    "Id of the signing key (16 hex digits of its SHA-256); empty when unsigned.")
      .def_property_readonly("signature",
                             [](const head_receipt& r) -> std::optional<std::string> {
                               if (!r.signature) return std::nullopt;
                               return hex_bytes(r.signature->data(), r.signature->size());
                             },
                             "The Ed25519 signature as 128 lower-case hex digits, or None when unsigned.")
      .def_property_readonly("is_signed", &head_receipt::is_signed, "True when the head carries a signature.")
      .def_static(
          "parse",
          [](const std::string& text) {
            auto r = parse_receipt(text);
            if (!r) throw py::value_error("not a head receipt: " + text.substr(0, 80));
            return *r;
          },
          py::arg("text"), R"pbdoc(A receipt from its str() line; ValueError when malformed.)pbdoc")
      .def("__str__", [](const head_receipt& r) { return to_string(r); })
      .def("__eq__", [](const head_receipt& a, const head_receipt& b) { return a == b; })
      .def("__repr__", [](const head_receipt& r) { return "HeadReceipt('" + to_string(r) + "')"; });

  m.def(
      "generate_key_file",
      [](const std::string& path) {
        const auto k = generate_signing_key();
        write_key_file(path, k);
        return to_hex(k.public_key);
      },
      py::arg("path"), R"pbdoc(Writes a new Ed25519 key file (the seed as 64 hex digits, mode 0600)
and returns its public key as 64 hex digits.  Keep the file away from the database.)pbdoc");
  m.def(
      "public_key_of_key_file", [](const std::string& path) { return to_hex(read_key_file(path).public_key); },
      py::arg("path"), R"pbdoc(The public key (64 hex digits) of a key file.)pbdoc");
}

}  // namespace hotline::python
