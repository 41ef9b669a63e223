// The C ABI's plumbing: thread-local last error and the catch-all guard.
#pragma once

#include "hotline/error.hpp"
#include "hotline/hotline.h"

#include <exception>
#include <new>
#include <string>

namespace hotline::c_api {

inline std::string& last_error() {
  thread_local std::string message;
  return message;
}

inline hotline_status status_of(errc c) {
  return static_cast<hotline_status>(-static_cast<int>(c));
}

/// Runs f, turning every exception into a status and a message.
template <class F>
hotline_status guard(F&& f) noexcept {
  try {
    last_error().clear();
    f();
    return HOTLINE_OK;
  } catch (const hotline::error& e) {
    last_error() = e.what();
    return status_of(e.code());
  } catch (const std::bad_alloc&) {
    last_error() = "out of memory";
    return HOTLINE_E_INTERNAL;
  } catch (const std::exception& e) {
    last_error() = e.what();
    return HOTLINE_E_INTERNAL;
  } catch (...) {
    last_error() = "unknown error";
    return HOTLINE_E_INTERNAL;
  }
}

#define HOTLINE_C_REQUIRE(cond, what)                                   \
  do {                                                                  \
    if (!(cond)) throw ::hotline::invalid_argument_error(what);         \
  } while (0)

}  // namespace hotline::c_api
