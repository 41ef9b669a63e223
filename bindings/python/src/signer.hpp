// Python bindings: the head signer of a Store or SigningStore from its keyword
// arguments (register_signed_heads.cpp).
//
//   hotline.Store("hotline.db", key_file="/etc/hotline/head.key")
//   hotline.Store("hotline.db", signer=hsm.sign, public_key=hsm_public_hex)
#pragma once

#include "hotline/signed_head.hpp"

#include <pybind11/pybind11.h>

#include <optional>
#include <string>

namespace hotline::python {

/// key_file: an Ed25519 key file; or signer, a callable taking the head's bytes and
/// returning the 64-byte signature, with public_key (64 hex digits) for its key id and
/// the check of its first signature.  Both given, or signer without public_key, is a
/// ValueError; neither gives an empty signer (heads unsigned).
head_signer signer_of(const std::optional<std::string>& key_file, const pybind11::object& signer,
                      const std::optional<std::string>& public_key);

/// The public key parsed from 64 hex digits; ValueError otherwise.
ed25519_public_key public_key_arg(const std::string& hex);

}  // namespace hotline::python
