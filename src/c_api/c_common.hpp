// The C ABI's plumbing: thread-local last error and the catch-all guard.
#pragma once

#include "hotline/detail/utf8.hpp"
#include "hotline/error.hpp"
#include "hotline/hotline.h"

#include <cstdlib>
#include <cstring>
#include <exception>
#include <new>
#include <string>
#include <string_view>

namespace hotline::c_api {

inline std::string& last_error() {
  thread_local std::string message;
  return message;
}

/// The status of the last failed call on this thread, beside its message.
inline hotline_status& last_status() {
  thread_local hotline_status status = HOTLINE_OK;
  return status;
}

inline hotline_status status_of(errc c) {
  return static_cast<hotline_status>(-static_cast<int>(c));
}

/// A message as a host can decode it: a message may quote the input it refuses, and
/// that input may be the invalid UTF-8 it refuses; each byte that does not start a
/// well-formed sequence is written as the text \xHH (a strict decoder in Java or
/// .NET would otherwise fail on the message itself).
inline std::string valid_utf8_message(std::string_view m) {
  std::string out;
  out.reserve(m.size());
  while (!m.empty()) {
    const auto bad = hotline::detail::invalid_utf8_offset(m);
    if (bad == std::string_view::npos) {
      out += m;
      break;
    }
    out += m.substr(0, bad);
    static constexpr char hex[] = "0123456789ABCDEF";
    const auto b = static_cast<unsigned char>(m[bad]);
    out += {'\\', 'x', hex[b >> 4], hex[b & 15]};
    m.remove_prefix(bad + 1);
  }
  return out;
}

/// Runs f, turning every exception into a status and a message.
template <class F>
hotline_status guard(F&& f) noexcept {
  const auto fail = [](hotline_status s, const char* what) noexcept {
    try {
      last_error() = valid_utf8_message(what);
    } catch (...) {  // no memory for the message: the status still says what
    }
    last_status() = s;
    return s;
  };
  try {
    last_error().clear();
    last_status() = HOTLINE_OK;
    f();
    return HOTLINE_OK;
  } catch (const hotline::error& e) {
    return fail(status_of(e.code()), e.what());
  } catch (const std::bad_alloc&) {
    return fail(HOTLINE_E_INTERNAL, "out of memory");
  } catch (const std::exception& e) {
    return fail(HOTLINE_E_INTERNAL, e.what());
  } catch (...) {
    return fail(HOTLINE_E_INTERNAL, "unknown error");
  }
}

/// Text handed to the host through a `char** out`: malloc'ed, so that
/// hotline_free() (free) releases it whatever allocator the C++ side uses.
inline char* malloc_copy(std::string_view text) {
  auto* p = static_cast<char*>(std::malloc(text.size() + 1));
  if (!p) throw std::bad_alloc();
  std::memcpy(p, text.data(), text.size());
  p[text.size()] = '\0';
  return p;
}

/// A text or handle out-parameter is NULL until the call succeeds: a failed call
/// leaves nothing to free.
template <class T>
inline void null_out(T** out) noexcept {
  if (out) *out = nullptr;
}

/// The text of a UTF-8 argument (not NULL); invalid UTF-8 is HOTLINE_E_INVALID_ARGUMENT
/// naming the argument and the offset of the first bad byte (the same words as the
/// store's JSON arguments, store_json.cpp).
inline std::string_view text_arg(const char* text, std::string_view arg) {
  const std::string_view s(text);
  if (const auto off = detail::invalid_utf8_offset(s); off != std::string_view::npos)
    throw invalid_argument_error(std::string(arg) + ": not valid UTF-8 at byte " + std::to_string(off));
  return s;
}

/// Sets *out to a copy of text (out already checked non-NULL).
inline void set_text(char** out, std::string_view text) { *out = malloc_copy(text); }

#define HOTLINE_C_REQUIRE(cond, what)                                   \
  do {                                                                  \
    if (!(cond)) throw ::hotline::invalid_argument_error(what);         \
  } while (0)

}  // namespace hotline::c_api
