// Private: checkpoints the WAL on a thread of its own while an import writes.
//
// SQLite's automatic checkpoint runs on the writing connection right after a COMMIT:
// it copies the transaction's pages from the WAL into the file and fsyncs both, and
// the import's writer thread waits for all of it.  During an import this class takes
// the writer's automatic checkpoints over: each COMMIT asks a thread with its own
// connection for a PASSIVE checkpoint, which copies while the writer inserts the next
// transaction.
//
// SQLite starts the WAL over only when a transaction begins on a WAL that is copied
// in full; a writer that always begins before the copy is done would let the WAL grow
// for the whole import.  So when the WAL has grown past `max_frames`, `before_begin`
// waits for the copy in progress: the next transaction then starts the WAL over.
#pragma once

#include "store_connection.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <algorithm>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>

#include <pthread.h>

namespace hotline::detail {

class wal_checkpointer {
 public:
  /// Takes over the automatic checkpoints of `writer` (a connection to `file`); the
  /// WAL may grow to `wal_growth` times the writer's automatic-checkpoint size.
  wal_checkpointer(const std::filesystem::path& file, sqlite3* writer, int busy_ms, int wal_growth = 4)
      : db_(file.string(), store_connection_flags(SQLite::OPEN_READWRITE), busy_ms), writer_(writer) {
    {
      SQLite::Statement st(db_, "PRAGMA wal_autocheckpoint");
      st.executeStep();
      autocheckpoint_ = st.getColumn(0).getInt();
    }
    max_frames_ = std::max(autocheckpoint_, 1000) * wal_growth;
    db_.exec("SELECT count(*) FROM sqlite_schema");  // the connection learns that the file is in WAL mode
    thread_ = std::thread([this] { run(); });
    sqlite3_wal_hook(writer_, &wal_checkpointer::on_commit, this);  // replaces the automatic checkpoints
  }
  wal_checkpointer(const wal_checkpointer&) = delete;
  wal_checkpointer& operator=(const wal_checkpointer&) = delete;

  /// Stops the thread (after the checkpoint in progress), gives the writer its automatic
  /// checkpoints back and empties the WAL: reads come from the file (and its memory
  /// map) again, and the WAL file is not left at its bound.  Never waits for a reader
  /// of another process: with one, the WAL is copied as far as it allows.
  ~wal_checkpointer() {
    sqlite3_wal_autocheckpoint(writer_, autocheckpoint_);  // also takes the hook back
    {
      std::lock_guard<std::mutex> l(m_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
    sqlite3_busy_timeout(db_.getHandle(), 0);
    (void)sqlite3_wal_checkpoint_v2(db_.getHandle(), nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
  }

  /// Called by the writer before it begins a transaction; see the file comment.
  void before_begin() {
    std::unique_lock<std::mutex> l(m_);
    if (frames_ > max_frames_) cv_.wait(l, [&] { return !wanted_ && !running_; });
  }

 private:
  /// SQLite's WAL hook: called on the writer's thread after each COMMIT.
  static int on_commit(void* self, sqlite3*, const char*, int frames) {
    auto& c = *static_cast<wal_checkpointer*>(self);
    {
      std::lock_guard<std::mutex> l(c.m_);
      c.frames_ = frames;
      c.wanted_ = true;
    }
    c.cv_.notify_all();
    return SQLITE_OK;
  }

  void run() {
    pthread_setname_np(pthread_self(), "hotline-ckpt");  // as ps and perf show it
    std::unique_lock<std::mutex> l(m_);
    for (;;) {
      cv_.wait(l, [&] { return wanted_ || stop_; });
      if (stop_) return;
      wanted_ = false;
      running_ = true;
      l.unlock();
      // PASSIVE: copies what no reader still needs and never blocks the writer.  A
      // failure is harmless: the pages stay in the WAL for the next checkpoint.
      (void)sqlite3_wal_checkpoint_v2(db_.getHandle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
      l.lock();
      running_ = false;
      cv_.notify_all();
    }
  }

  SQLite::Database db_;
  sqlite3* writer_;
  int autocheckpoint_ = 1000;
  int max_frames_ = 4000;
  std::mutex m_;
  std::condition_variable cv_;
  bool wanted_ = false, running_ = false, stop_ = false;
  int frames_ = 0;  ///< frames in the WAL after the writer's last COMMIT
  std::thread thread_;
};

}  // namespace hotline::detail
