// Private: the signed heads of a hash-chained log kept in SQLite, shared by the two
// stores (the work-order store's events, the signing store's journal).  Both keep a
// table
//   signed_heads(event_count INTEGER PRIMARY KEY, head_hash BLOB, signed_at INTEGER
//                (seconds, UTC), key_id TEXT, signature BLOB)
// (for the journal, event_count counts its rows), and check it the same way while
// their own code re-hashes the log: head_walk below.
#pragma once

#include "hotline/error.hpp"
#include "hotline/signed_head.hpp"
#include "store_sqlite.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hotline::detail {

/// The signed-heads table and its append-only triggers (the same in both stores).
inline constexpr const char* signed_heads_schema_sql = R"sql(
CREATE TABLE signed_heads(
  event_count INTEGER PRIMARY KEY,
  head_hash BLOB NOT NULL,
  signed_at INTEGER NOT NULL,
  key_id TEXT NOT NULL,
  signature BLOB NOT NULL
);
CREATE TRIGGER signed_heads_no_update BEFORE UPDATE ON signed_heads
  BEGIN SELECT RAISE(ABORT, 'signed heads are append-only: never updated'); END;
CREATE TRIGGER signed_heads_no_delete BEFORE DELETE ON signed_heads
  BEGIN SELECT RAISE(ABORT, 'signed heads are append-only: never deleted'); END;
)sql";

/// A head as stored (either back end's row): a hash or signature of the wrong size
/// never matches or verifies.
inline head_receipt stored_head(std::int64_t count, std::string_view hash, std::int64_t signed_at,
                                std::string_view key, std::string_view sig) {
  head_receipt r;
  r.event_count = count;
  std::copy_n(hash.data(), std::min(hash.size(), r.head_hash.size()), reinterpret_cast<char*>(r.head_hash.data()));
  if (hash.size() != r.head_hash.size()) r.head_hash.fill(0xFF);  // never matches a chain hash by accident
  r.signed_at = instant{std::chrono::seconds{signed_at}};
  r.key_id = std::string(key);
  ed25519_signature s{};
  std::copy_n(sig.data(), std::min(sig.size(), s.size()), reinterpret_cast<char*>(s.data()));
  r.signature = s;  // a signature of the wrong size fails its check
  return r;
}

/// The current row of a `SELECT event_count, head_hash, signed_at, key_id, signature`.
inline head_receipt head_of_row(sqlite3_stmt* st) {
  return stored_head(sqlite3_column_int64(st, 0), raw_blob(st, 1), sqlite3_column_int64(st, 2), raw_text(st, 3),
                     raw_blob(st, 4));
}

/// Every signed head, oldest first.
inline std::vector<head_receipt> read_signed_heads(sqlite3* h) {
  std::vector<head_receipt> out;
  raw_stmt st(h, "SELECT event_count, head_hash, signed_at, key_id, signature FROM signed_heads ORDER BY event_count");
  while (st.step(h)) out.push_back(head_of_row(st.st));
  return out;
}

/// The signed head at exactly `count`, or the latest one (count < 0).
inline std::optional<head_receipt> signed_head_at(sqlite3* h, std::int64_t count) {
  raw_stmt st(h, count < 0 ? "SELECT event_count, head_hash, signed_at, key_id, signature FROM signed_heads "
                             "ORDER BY event_count DESC LIMIT 1"
                           : "SELECT event_count, head_hash, signed_at, key_id, signature FROM signed_heads "
                             "WHERE event_count = ?");
  if (count >= 0) sqlite3_bind_int64(st.st, 1, count);
  if (!st.step(h)) return std::nullopt;
  return head_of_row(st.st);
}

/// How many items the latest signed head covers (0: none); `kept` holds the prepared
/// statement between calls (it runs at every write).
inline std::int64_t last_signed_count(sqlite3* h, std::optional<raw_stmt>& kept) {
  if (!kept) kept.emplace(h, "SELECT COALESCE(MAX(event_count), 0) FROM signed_heads");
  const reset_on_exit done(*kept);
  kept->step(h);
  return sqlite3_column_int64(kept->st, 0);
}

/// Signs the head of `count` items whose last hash is `hash` (32 bytes), now.  The
/// first signature of a store is checked against the signer's public key (`checked`).
inline head_receipt sign_head_of(std::string_view domain, const head_signer& signer, std::int64_t count,
                                 std::string_view hash, bool& checked) {
  head_receipt r;
  r.event_count = count;
  std::copy_n(hash.data(), std::min(hash.size(), r.head_hash.size()), reinterpret_cast<char*>(r.head_hash.data()));
  r.signed_at = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  r.signature = signer.sign(head_message(domain, r.event_count, r.head_hash, r.signed_at));
  r.key_id = key_id(signer.public_key);
  if (!checked) {
    if (!check_signature(domain, r, signer.public_key))
      throw storage_error("the head signer's signature does not verify with its public key (key id " + r.key_id +
                          "): nothing was written");
    checked = true;
  }
  return r;
}

/// Writes a signed head with `insert` (prepared from insert_head_sql).
inline constexpr const char* insert_head_sql =
    "INSERT INTO signed_heads(event_count, head_hash, signed_at, key_id, signature) VALUES(?,?,?,?,?)";
inline void insert_head(sqlite3* h, raw_stmt& insert, const head_receipt& r) {
  sqlite3_bind_int64(insert.st, 1, r.event_count);
  sqlite3_bind_blob(insert.st, 2, r.head_hash.data(), static_cast<int>(r.head_hash.size()), SQLITE_STATIC);
  sqlite3_bind_int64(insert.st, 3, r.signed_at.time_since_epoch().count());
  sqlite3_bind_text(insert.st, 4, r.key_id.data(), static_cast<int>(r.key_id.size()), SQLITE_STATIC);
  sqlite3_bind_blob(insert.st, 5, r.signature->data(), static_cast<int>(r.signature->size()), SQLITE_STATIC);
  insert.exec(h);
}

/// "event 7" / "rows 3..9": `noun` is the log's item, singular and plural.
inline std::string item_range(std::pair<const char*, const char*> noun, std::int64_t from, std::int64_t to) {
  return from == to ? std::string(noun.first) + " " + std::to_string(from)
                    : std::string(noun.second) + " " + std::to_string(from) + ".." + std::to_string(to);
}

/// Checks a log's signed heads (with a key) and a receipt while the log's own code
/// re-hashes it: at(n, hash) after item n (0: before the first), end(n) after the last.
/// A head or receipt that fails stops the walk; `failure` says why, and the items up
/// to `signed_through` are those a good signature still proves.
class head_walk {
 public:
  head_walk(std::string_view domain, std::pair<const char*, const char*> noun, const ed25519_public_key* key,
            std::vector<head_receipt> heads, const head_receipt* receipt)
      : domain_(domain), noun_(noun), key_(key), heads_(std::move(heads)), receipt_(receipt) {
    if (key_) key_id_ = key_id(*key_);
  }

  std::int64_t signed_through = 0;  ///< items 1..signed_through are covered by a good signed head
  std::int64_t heads_checked = 0;
  std::string failure;  ///< why the walk stopped; empty while it holds

  /// Before the walk: a receipt that names a signature `key` did not make.
  bool receipt_signature_holds() {
    if (!receipt_ || !key_ || !receipt_->is_signed() || check_signature(domain_, *receipt_, *key_)) return true;
    failure = "the receipt of " + std::to_string(receipt_->event_count) + " " + noun_.second +
              " is not signed by key " + key_id_ +
              (receipt_->key_id.empty() ? std::string() : " (it names key " + receipt_->key_id + ")");
    return false;
  }

  /// After item `n` re-hashed to `hash` (32 bytes); false when a head or the receipt fails.
  bool at(std::int64_t n, std::string_view hash) {
    const std::int64_t before = signed_through;
    for (; next_ < heads_.size() && heads_[next_].event_count <= n; ++next_) {
      const auto& hd = heads_[next_];
      if (hd.event_count != n) {
        failure = "a signed head names " + std::to_string(hd.event_count) + " " + noun_.second +
                  ", which is no place in the log";
        return false;
      }
      const std::string_view signed_hash(reinterpret_cast<const char*>(hd.head_hash.data()), hd.head_hash.size());
      const std::string what = "the head of " + std::to_string(n) + " " + noun_.second + " signed at " +
                               format_instant(hd.signed_at);
      if (!check_signature(domain_, hd, *key_)) {
        failure = what + " does not carry a valid signature of key " + key_id_ +
                  (hd.key_id != key_id_ ? " (it names key " + hd.key_id + ")" : std::string(" (the head was altered)")) +
                  ": " + item_range(noun_, signed_through + 1, n) + " are not proven";
        return false;
      }
      if (signed_hash != hash) {
        failure = what + " does not match the log: " + item_range(noun_, signed_through + 1, n) +
                  " were changed and every later hash recomputed (the " + noun_.second +
                  " up to the last good signed head, " + std::to_string(signed_through) + ", are as signed)";
        return false;
      }
      ++heads_checked;
      signed_through = n;
    }
    if (receipt_ && receipt_->event_count == n) {
      const std::string_view kept(reinterpret_cast<const char*>(receipt_->head_hash.data()), receipt_->head_hash.size());
      if (kept != hash) {
        signed_through = before;
        failure = "the log's first " + std::to_string(n) + " " + noun_.second + " do not hash to the receipt's head (" +
                  format_instant(receipt_->signed_at) + "): " + item_range(noun_, before + 1, n) +
                  " are not those of the receipt (changed, and every later hash recomputed)";
        return false;
      }
    }
    return true;
  }

  /// After the last item (`held` in the log): heads or a receipt beyond the end show
  /// items deleted at the end.
  bool end(std::int64_t held) {
    std::int64_t named = 0;
    const char* by = nullptr;
    if (next_ < heads_.size()) named = heads_.back().event_count, by = "a signed head";
    else if (receipt_ && receipt_->event_count > held) named = receipt_->event_count, by = "the receipt";
    if (!by) return true;
    failure = std::string(by) + " names " + std::to_string(named) + " " + noun_.second + "; the log holds " +
              std::to_string(held) + ": " + noun_.second + " were deleted at its end";
    return false;
  }

 private:
  std::string_view domain_;
  std::pair<const char*, const char*> noun_;
  const ed25519_public_key* key_;
  std::vector<head_receipt> heads_;
  const head_receipt* receipt_;
  std::string key_id_;
  std::size_t next_ = 0;
};

}  // namespace hotline::detail
