// hotline/store_copy.hpp: moving a centre's store between back ends (issue 21 item 4).
//
//   hotline::copy_store("hotline.db", "postgresql://hotline@db.example/hotline");   // up
//   hotline::copy_store("postgresql://hotline@db.example/hotline", "back.db");      // and back
//
// The rows are copied as they are stored (the events' blocks byte for byte, their
// hashes, the projection, the running report counts, units and liaison history, the
// call log, signed heads), so the copy is the same chain, not a replay that would hash
// anew.  Then the copy proves it: the target is re-hashed from its first event, and the
// source is checked against the target's head as a receipt (store::verify(receipt)):
// the source's log begins with exactly the events the target holds.
#pragma once

#include "hotline/signed_head.hpp"

#include <cstdint>
#include <filesystem>

namespace hotline {

/// What copy_store() wrote, table by table, and the target's head after it.
struct copy_report {
  std::int64_t units = 0;
  std::int64_t liaisons = 0;      ///< liaison rows, history included
  std::int64_t orders = 0;
  std::int64_t events = 0;        ///< the target's event count (its head)
  std::int64_t event_blocks = 0;  ///< rows of events (one per order per transaction)
  std::int64_t calls = 0;
  std::int64_t signed_heads = 0;
  /// The target's head, unsigned (signed_at: when it was read); its event count and hash
  /// are the source's when nobody wrote to the source meanwhile.
  head_receipt head;
};

/// Copies the store at `from` into the store at `to`: each an SQLite file or a
/// PostgreSQL location (as the store's constructor takes them), either direction.
/// - The target is created or migrated like any store, and must hold nothing
///   (invalid_argument_error naming what it holds otherwise).
/// - The source is read in one snapshot (writers may go on; what they write after it
///   is not copied) and verified first: a broken chain is not copied
///   (storage_error naming the first broken event).
/// - Everything is written in one transaction on the target: a failure (the server
///   gone, a full disk, a permission) leaves it empty.
/// - After the commit the target is verified and the source checked against its head;
///   storage_error if either fails (the target then holds the copy, for inspection).
/// - An SQLite file that still holds events in its pre-version-4 table (files made
///   before block storage) is refused: PostgreSQL stores blocks only.
copy_report copy_store(const std::filesystem::path& from, const std::filesystem::path& to);

}  // namespace hotline
