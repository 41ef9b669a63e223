// Private: what the stores add to SQLite's words when it fails on the file itself (docs/
// store.md "Faults").  SQLite says "unable to open database file" or "attempt to write a
// readonly database"; the operating system knows why: a read-only file system, an
// immutable file, a missing directory.
//
//   msg.append(file_system_note(path, e.getErrorCode(), sqlite3_system_errno(h)));
//
// SQLite-specific, as the codes it reads are SQLite's.
#pragma once

#include "hotline/error.hpp"

#include <SQLiteCpp/Exception.h>
#include <sqlite3.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>

#include <unistd.h>

namespace hotline::detail {

// strerror_r comes in two flavours (GNU: returns the text; XSI: fills the buffer).
[[maybe_unused]] inline const char* errno_text(const char* gnu, const char*) { return gnu; }
[[maybe_unused]] inline const char* errno_text(int xsi, const char* buf) { return xsi == 0 ? buf : "unknown error"; }

inline std::string errno_string(int err) {
  char buf[128] = "";
  return errno_text(strerror_r(err, buf, sizeof buf), buf);
}

/// Why the operating system refuses to let this process write `file`, checked with
/// access(2), which also sees what root's permission checks skip: "its file system is
/// mounted read-only" (EROFS), "writing it is refused: Operation not permitted" (an
/// immutable file), ...; "" when it may write it, or the file does not exist.
inline std::string write_refusal(const std::filesystem::path& file) {
  if (::access(file.c_str(), F_OK) != 0 || ::access(file.c_str(), W_OK) == 0) return {};
  const int err = errno;
  if (err == EROFS) return "its file system is mounted read-only";
  return "writing it is refused: " + errno_string(err);
}

/// " (why)" for a SQLite failure `code` (primary code) on `file`, or "" when there is
/// nothing to add.  `sys_errno`: sqlite3_system_errno(), read before any other call on the
/// connection.
inline std::string file_system_note(const std::filesystem::path& file, int code, int sys_errno) {
  if (code == SQLITE_CANTOPEN || code == SQLITE_READONLY) {
    if (const auto why = write_refusal(file); !why.empty()) {
      if (code == SQLITE_CANTOPEN)  // a file in WAL mode without its -shm: SQLite must create it
        return " (" + why + ", and SQLite needs to create the file's -wal and -shm beside it even to read it)";
      return " (" + why + ")";
    }
  }
  if (sys_errno != 0 && (code == SQLITE_IOERR || code == SQLITE_FULL || code == SQLITE_CANTOPEN ||
                         code == SQLITE_READONLY || code == SQLITE_PERM))
    return " (" + errno_string(sys_errno) + ")";
  return {};
}

/// "<file>: storage error while <what>: <SQLite's words>", with the operating system's
/// where SQLite met the file system (`sys_errno`: sqlite3_system_errno, read before any
/// other call on the connection).  The work-order store's every error names the file
/// (docs/store.md "Faults").
inline std::string storage_message(const std::filesystem::path& file, std::string_view what,
                                   const SQLite::Exception& e, int sys_errno) {
  const int code = e.getErrorCode();
  std::string msg = file.string();
  msg.append(": storage error while ").append(what).append(": ").append(e.what());
  msg.append(file_system_note(file, code, sys_errno));
  if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
    msg.append(" (another connection held the database past the busy timeout)");
  return msg;
}

/// conflict_error for a unique key that is taken, storage_error for the rest.
[[noreturn]] inline void throw_storage(const SQLite::Exception& e, const std::string& msg) {
  if (e.getErrorCode() == SQLITE_CONSTRAINT && (e.getExtendedErrorCode() == SQLITE_CONSTRAINT_UNIQUE ||
                                                e.getExtendedErrorCode() == SQLITE_CONSTRAINT_PRIMARYKEY))
    throw conflict_error(msg);
  throw storage_error(msg);
}

}  // namespace hotline::detail
