/* hotline/c/common.h: what every part of the C ABI shares (include hotline/hotline.h).
 *
 * Result codes, the thread-local last error, the version, and the one free
 * function for text the library allocates.
 *
 * Ownership: a `char** out` text result is allocated by the library (malloc) and
 * the caller frees it with hotline_free(); a handle from hotline_<noun>_new/_open
 * is freed with its own hotline_<noun>_free().  Input strings are UTF-8, borrowed
 * for the call only.  NULL where a pointer is required is HOTLINE_E_INVALID_ARGUMENT.
 *
 * Threads: the last error is per thread.  A handle may be used by several threads
 * at once where its section says so; otherwise one thread at a time.
 */
#ifndef HOTLINE_C_COMMON_H
#define HOTLINE_C_COMMON_H

#include <stddef.h>
#include <stdint.h>

#if defined(HOTLINE_BUILDING_C_API)
#define HOTLINE_API __attribute__((visibility("default")))
#else
#define HOTLINE_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* The version of the C ABI: raised when a host must be rebuilt (a function
 * removed or changed); new functions alone do not raise it.  The shared
 * library's symbols carry the version node HOTLINE_<n>. */
#define HOTLINE_ABI_VERSION 1

typedef enum hotline_status {
  HOTLINE_OK = 0,
  HOTLINE_E_INVALID_ARGUMENT = -1,
  HOTLINE_E_OUT_OF_RANGE = -2,
  HOTLINE_E_PARSE = -3,
  HOTLINE_E_CONFLICT = -4,
  HOTLINE_E_NOT_FOUND = -5,
  HOTLINE_E_ILLEGAL_TRANSITION = -6,
  HOTLINE_E_PERMISSION = -7,
  HOTLINE_E_IO = -8,
  HOTLINE_E_STORAGE = -9,
  HOTLINE_E_BUFFER_TOO_SMALL = -20,
  HOTLINE_E_INTERNAL = -99
} hotline_status;

/* The message of the last failed call on this thread ("" if none). */
HOTLINE_API const char* hotline_last_error(void);
/* The status of the last failed call on this thread (HOTLINE_OK if none): the
 * error's kind, for a host that keeps only the message around. */
HOTLINE_API hotline_status hotline_last_error_code(void);
/* A stable name of a status: "ok", "invalid_argument", "parse", ... */
HOTLINE_API const char* hotline_status_name(hotline_status status);
/* The library's version ("0.9.0") and the ABI's (HOTLINE_ABI_VERSION of the
 * library loaded, which a host compares with the header it was built with). */
HOTLINE_API const char* hotline_version(void);
HOTLINE_API int hotline_abi_version(void);
/* Frees text the library returned through a `char** out`; NULL is fine. */
HOTLINE_API void hotline_free(char* text);

#ifdef __cplusplus
}
#endif

#endif /* HOTLINE_C_COMMON_H */
