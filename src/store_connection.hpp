// Private: the flags every SQLite connection of a store opens with.
//
// Each of a store's connections is used by one thread at a time: the store's own under
// its call mutex (every public call holds it), the importer's reader on the calling
// thread under that mutex too, the writer's connection on the writer thread alone while
// an import is open, the checkpointer's on its thread.  So they open in SQLite's
// multi-thread mode (SQLITE_OPEN_NOMUTEX): Debian's SQLite is built serialized, which
// takes a connection's mutex around every bind, step and column read, for a guarantee
// the store already gives (about 0.6 us of an imported order's 19, docs/store.md run 11).
//
// Before the process's first connection, SQLite's memory statistics are turned off
// (SQLITE_CONFIG_MEMSTATUS), as Node's and better-sqlite3's builds of SQLite do and
// SQLite's own list of recommended options advises: with them on, every allocation in
// SQLite takes one process-wide mutex, and Debian's SQLite (built without lookaside
// memory) allocates on every statement; the importer's threads bounce that mutex
// between their cores (about 0.7 us an order).  What it turns off: sqlite3_memory_used,
// sqlite3_memory_highwater, sqlite3_status64 and the soft and hard heap limits.  A
// host that needs those calls sqlite3_initialize() before opening a store; SQLite then
// refuses the change (SQLITE_MISUSE, ignored) and keeps its statistics.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <mutex>

namespace hotline::detail {

/// `flags` (SQLite::OPEN_READONLY, OPEN_READWRITE | OPEN_CREATE…) with the store's own;
/// the first call in a process also asks SQLite to keep no memory statistics.
inline int store_connection_flags(int flags) {
  static std::once_flag once;
  std::call_once(once, [] { (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
  return flags | SQLite::OPEN_NOMUTEX;
}

}  // namespace hotline::detail
