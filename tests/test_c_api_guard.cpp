// The C ABI's guard (src/c_api/c_common.hpp): every exception becomes a status and a
// message, and the message a host reads is valid UTF-8 even when the error quotes the
// broken input it refuses.
#include "../src/c_api/c_common.hpp"
#include "hotline/detail/utf8.hpp"

#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

using hotline::c_api::guard;
using hotline::c_api::last_error;
using hotline::c_api::last_status;
using hotline::c_api::valid_utf8_message;

TEST_CASE("c_api: a message quoting invalid UTF-8 is escaped byte by byte, the rest kept") {
  CHECK(valid_utf8_message("plain") == "plain");
  CHECK(valid_utf8_message("春节 ok") == "春节 ok");
  CHECK(valid_utf8_message("'2025-01-2\xFF' is not a date") == "'2025-01-2\\xFF' is not a date");
  // A lead byte without its continuation, an overlong form, a surrogate: each bad byte once.
  CHECK(valid_utf8_message("a\xE6\x98" "b") == "a\\xE6\\x98b");
  CHECK(valid_utf8_message("\xC0\xAF") == "\\xC0\\xAF");
  CHECK(valid_utf8_message("\xED\xA0\x80z") == "\\xED\\xA0\\x80z");
  CHECK(hotline::detail::is_valid_utf8(valid_utf8_message("\xFF\xFE\xFD 节\x80")));
}

TEST_CASE("c_api: guard maps each kind of exception to its status, the message made valid") {
  CHECK(guard([] { throw hotline::not_found_error("unit 'YX\xFF' is unknown"); }) == HOTLINE_E_NOT_FOUND);
  CHECK(last_error() == "unit 'YX\\xFF' is unknown");
  CHECK(last_status() == HOTLINE_E_NOT_FOUND);
  CHECK(guard([] { throw hotline::illegal_transition_error("closed"); }) == HOTLINE_E_ILLEGAL_TRANSITION);
  CHECK(guard([] { throw std::runtime_error("other"); }) == HOTLINE_E_INTERNAL);
  CHECK(last_error() == "other");
  CHECK(guard([] { throw 42; }) == HOTLINE_E_INTERNAL);
  CHECK(last_error() == "unknown error");
  CHECK(guard([] {}) == HOTLINE_OK);
  CHECK(last_error().empty());
  CHECK(last_status() == HOTLINE_OK);
}
