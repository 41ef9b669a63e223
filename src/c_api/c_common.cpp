// The C ABI's shared entry points: the last error, versions, hotline_free.
#include "c_common.hpp"
#include "hotline/version.hpp"

#include <cstdlib>

extern "C" {

const char* hotline_last_error(void) { return hotline::c_api::last_error().c_str(); }
hotline_status hotline_last_error_code(void) { return hotline::c_api::last_status(); }

const char* hotline_status_name(hotline_status status) {
  switch (status) {
    case HOTLINE_OK: return "ok";
    case HOTLINE_E_INVALID_ARGUMENT: return "invalid_argument";
    case HOTLINE_E_OUT_OF_RANGE: return "out_of_range";
    case HOTLINE_E_PARSE: return "parse";
    case HOTLINE_E_CONFLICT: return "conflict";
    case HOTLINE_E_NOT_FOUND: return "not_found";
    case HOTLINE_E_ILLEGAL_TRANSITION: return "illegal_transition";
    case HOTLINE_E_PERMISSION: return "permission";
    case HOTLINE_E_IO: return "io";
    case HOTLINE_E_STORAGE: return "storage";
    case HOTLINE_E_BUFFER_TOO_SMALL: return "buffer_too_small";
    case HOTLINE_E_INTERNAL: return "internal";
  }
  return "unknown";
}

const char* hotline_version(void) { return hotline::version_string; }
int hotline_abi_version(void) { return HOTLINE_ABI_VERSION; }
void hotline_free(char* text) { std::free(text); }

}  // extern "C"
