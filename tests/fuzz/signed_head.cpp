// Fuzz target: the text forms of signed chain heads (signed_head.hpp): a receipt
// line (parse_receipt), a public key (parse_public_key) and a key file
// (read_key_file), each on the same bytes.  A receipt that parses prints back to
// a line that parses to the same receipt, and its signature is checked against
// the key that the same bytes give, as a supervisor's audit would.
#include "fuzz_support.hpp"

#include "hotline/signed_head.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = hotline::fuzz::text(data, size);
  const auto key = hotline::parse_public_key(text);
  if (key) HOTLINE_FUZZ_CHECK(hotline::parse_public_key(hotline::to_hex(*key)) == key);

  if (const auto r = hotline::parse_receipt(text)) {
    const auto back = hotline::parse_receipt(hotline::to_string(*r));
    HOTLINE_FUZZ_CHECK(back.has_value() && *back == *r);
    (void)hotline::check_signature(hotline::work_order_head_domain, *r, key.value_or(hotline::ed25519_public_key{}));
  }

  static hotline::fuzz::scratch_file file(".key");
  hotline::fuzz::only_library_errors([&] {
    const auto k = hotline::read_key_file(file.write(text));
    HOTLINE_FUZZ_CHECK(hotline::signing_key_from_seed(k.seed).public_key == k.public_key);
  });
  return 0;
}
