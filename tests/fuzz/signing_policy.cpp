// Fuzz target: the signing policy as the signing store keeps it in its journal's
// first row (encode_policy / decode_policy, src/signing/store_codec.cpp; a private
// header, so this target sees src/).  The text comes from the database file, which
// a fault or a hand can change: decode_policy must refuse what does not read with a
// storage_error, and a policy it accepts must encode and decode to the same policy.
#include "fuzz_support.hpp"

#include "signing/store_codec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace s = hotline::signing;
  hotline::fuzz::only_library_errors([&] {
    const auto p = s::detail::decode_policy(hotline::fuzz::text(data, size));
    const auto back = hotline::fuzz::must([&] { return s::detail::decode_policy(s::detail::encode_policy(p)); });
    HOTLINE_FUZZ_CHECK(s::detail::policy_difference(p, back).empty());
  });
  return 0;
}
