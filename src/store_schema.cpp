// The store's schema and its migrations (PRAGMA user_version counts them).
//
// Each entry of `migrations` takes the file from version i to i + 1 and runs in
// the same transaction as the user_version update.  Never edit an entry once
// released: add a new one.
#include "store_schema.hpp"

#include "signed_head_log.hpp"

namespace hotline::detail {

const std::vector<std::string_view>& store_migrations() {
  static const std::vector<std::string_view> m = {
      // 0 -> 1: units, liaisons, orders (the projection), events (the log).
      R"sql(
CREATE TABLE units(
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  parent TEXT REFERENCES units(code),
  active INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE unit_coverage(
  unit TEXT NOT NULL REFERENCES units(code),
  district TEXT NOT NULL,
  sub_district TEXT NOT NULL DEFAULT '',
  PRIMARY KEY(unit, district, sub_district)
) WITHOUT ROWID;
CREATE INDEX unit_coverage_place ON unit_coverage(district, sub_district);
CREATE TABLE unit_topics(
  unit TEXT NOT NULL REFERENCES units(code),
  topic TEXT NOT NULL,
  PRIMARY KEY(unit, topic)
) WITHOUT ROWID;
CREATE TABLE liaisons(
  id INTEGER PRIMARY KEY,
  unit TEXT NOT NULL REFERENCES units(code),
  slot TEXT NOT NULL,
  name TEXT NOT NULL,
  title TEXT NOT NULL DEFAULT '',
  department TEXT NOT NULL DEFAULT '',
  office_phone TEXT NOT NULL DEFAULT '',
  mobile TEXT NOT NULL DEFAULT '',
  email TEXT NOT NULL DEFAULT '',
  valid_from INTEGER NOT NULL,
  valid_to INTEGER,
  reported_by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX liaisons_unit ON liaisons(unit, slot, valid_from);
CREATE TRIGGER liaisons_no_delete BEFORE DELETE ON liaisons
  BEGIN SELECT RAISE(ABORT, 'liaison history is kept: liaisons are never deleted'); END;

CREATE TABLE orders(
  id INTEGER PRIMARY KEY,
  number TEXT NOT NULL UNIQUE,
  version INTEGER NOT NULL,
  state TEXT NOT NULL,
  open INTEGER NOT NULL,
  next_due INTEGER,
  next_warn INTEGER,
  call_ref TEXT NOT NULL, line TEXT NOT NULL, channel TEXT NOT NULL, ivr_key INTEGER NOT NULL,
  received_at INTEGER NOT NULL, agent TEXT NOT NULL,
  caller_name TEXT NOT NULL, caller_sex TEXT NOT NULL, anonymous INTEGER NOT NULL, confidential INTEGER NOT NULL,
  caller_phone TEXT NOT NULL, callback_phone TEXT NOT NULL, caller_id_number TEXT NOT NULL,
  district TEXT NOT NULL, sub_district TEXT NOT NULL, address TEXT NOT NULL,
  request_type TEXT NOT NULL, topic TEXT NOT NULL, sub_topic TEXT NOT NULL, complaint_subject TEXT NOT NULL,
  content TEXT NOT NULL, urgency TEXT NOT NULL, complex INTEGER NOT NULL, respondent TEXT NOT NULL,
  kb_entries TEXT NOT NULL, answer TEXT NOT NULL, feedback_route TEXT NOT NULL, review_opinion TEXT NOT NULL,
  unit TEXT REFERENCES units(code), co_units TEXT NOT NULL, liaison TEXT NOT NULL, dispatch_means TEXT NOT NULL,
  dispatched_at INTEGER, signed_at INTEGER,
  finding TEXT NOT NULL, resolved INTEGER NOT NULL, reply_text TEXT NOT NULL, replied_at INTEGER,
  reply_means TEXT NOT NULL, called_back_at INTEGER, call_back_means TEXT NOT NULL, call_back TEXT NOT NULL,
  reopen_count INTEGER NOT NULL, merged_into TEXT NOT NULL, split_from TEXT NOT NULL, related TEXT NOT NULL,
  supervision TEXT NOT NULL, warning INTEGER NOT NULL, overdue INTEGER NOT NULL, extension_pending INTEGER NOT NULL,
  extension_days INTEGER NOT NULL, return_reason TEXT NOT NULL,
  transfer_outcome TEXT NOT NULL, transfer_start INTEGER, transfer_due INTEGER, transfer_warn INTEGER, transfer_stopped INTEGER,
  sign_for_outcome TEXT NOT NULL, sign_for_start INTEGER, sign_for_due INTEGER, sign_for_warn INTEGER, sign_for_stopped INTEGER,
  reply_outcome TEXT NOT NULL, reply_start INTEGER, reply_due INTEGER, reply_warn INTEGER, reply_stopped INTEGER,
  completion_outcome TEXT NOT NULL, completion_start INTEGER, completion_due INTEGER, completion_warn INTEGER, completion_stopped INTEGER,
  call_back_outcome TEXT NOT NULL, call_back_start INTEGER, call_back_due INTEGER, call_back_warn INTEGER, call_back_stopped INTEGER
);
CREATE INDEX orders_state ON orders(state);
CREATE INDEX orders_open_unit ON orders(unit, next_due) WHERE open = 1;
CREATE INDEX orders_open_due ON orders(next_due) WHERE open = 1;
CREATE INDEX orders_open_warn ON orders(next_warn) WHERE open = 1;
CREATE INDEX orders_caller_phone ON orders(caller_phone);
CREATE INDEX orders_received ON orders(received_at);

CREATE TABLE events(
  id INTEGER PRIMARY KEY,
  order_id INTEGER NOT NULL REFERENCES orders(id) DEFERRABLE INITIALLY DEFERRED,
  seq INTEGER NOT NULL,
  action TEXT NOT NULL,
  at INTEGER NOT NULL,
  recorded_at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  role TEXT NOT NULL,
  unit TEXT NOT NULL,
  state_before TEXT,
  state_after TEXT NOT NULL,
  changes TEXT,
  comment TEXT NOT NULL,
  hash BLOB NOT NULL,
  UNIQUE(order_id, seq)
);
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
  BEGIN SELECT RAISE(ABORT, 'events are append-only: never updated'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
  BEGIN SELECT RAISE(ABORT, 'events are append-only: never deleted'); END;
)sql",
      // 1 -> 2: an event's `changes` may now be the compact encoding (a BLOB whose first
      // byte is 0x01; see encode_changes_v1 in store_codec.cpp) instead of JSON text.  Events of
      // schema 1 keep their JSON and stay readable and verifiable; no table changes.  The
      // version keeps an older library, which reads JSON only, from opening a newer file.
      R"sql(SELECT 1;)sql",
      // 2 -> 3: the call log (001 annex 10 item 3 counts long-unanswered calls; the
      // monthly report counts calls by IVR key).  Append-only like the events.
      R"sql(
CREATE TABLE calls(
  id INTEGER PRIMARY KEY,
  call_id TEXT NOT NULL UNIQUE,
  started_at INTEGER NOT NULL,
  answered INTEGER NOT NULL,
  wait_seconds INTEGER NOT NULL,
  agent TEXT NOT NULL,
  ivr_key INTEGER NOT NULL,
  line TEXT NOT NULL,
  unit TEXT NOT NULL,
  work_order TEXT NOT NULL
);
CREATE INDEX calls_started ON calls(started_at);
CREATE INDEX calls_work_order ON calls(work_order) WHERE work_order <> '';
CREATE TRIGGER calls_no_update BEFORE UPDATE ON calls
  BEGIN SELECT RAISE(ABORT, 'calls are append-only: never updated'); END;
CREATE TRIGGER calls_no_delete BEFORE DELETE ON calls
  BEGIN SELECT RAISE(ABORT, 'calls are append-only: never deleted'); END;
)sql",
      // 3 -> 4: event blocks and a narrow projection (bulk ingest ~4x faster, file ~2.5x
      // smaller).  New events go to `event_blocks`: the events one transaction appends to
      // one order, in one row, each event still hashed on its own (store_codec.hpp);
      // `events` keeps the rows written before, still read and verified.  The projection
      // keeps as columns what queries, indexes and reports read, the other fields in one
      // BLOB (`rest`), and the counts of the less usual actions (`actions`, JSON); it is
      // dropped here and rebuilt from the events in the same transaction (see
      // migration_rebuilds_projection).
      R"sql(
DROP TABLE orders;
CREATE TABLE orders(
  id INTEGER PRIMARY KEY,
  number TEXT NOT NULL UNIQUE,
  version INTEGER NOT NULL,
  state TEXT NOT NULL,
  open INTEGER NOT NULL,
  next_due INTEGER,
  next_warn INTEGER,
  received_at INTEGER NOT NULL,
  caller_phone TEXT NOT NULL,
  district TEXT NOT NULL,
  unit TEXT REFERENCES units(code),
  request_type TEXT NOT NULL, topic TEXT NOT NULL, sub_topic TEXT NOT NULL, complaint_subject TEXT NOT NULL,
  dispatched_at INTEGER, call_back TEXT NOT NULL, reopen_count INTEGER NOT NULL, supervision TEXT NOT NULL,
  extension_days INTEGER NOT NULL,
  transfer_outcome TEXT NOT NULL, transfer_due INTEGER, transfer_warn INTEGER,
  sign_for_outcome TEXT NOT NULL, sign_for_due INTEGER, sign_for_warn INTEGER,
  reply_outcome TEXT NOT NULL, reply_due INTEGER, reply_warn INTEGER,
  completion_outcome TEXT NOT NULL, completion_due INTEGER, completion_warn INTEGER,
  call_back_outcome TEXT NOT NULL, call_back_due INTEGER, call_back_warn INTEGER,
  actions TEXT,
  rest BLOB NOT NULL
);
CREATE INDEX orders_state ON orders(state);
CREATE INDEX orders_open_unit ON orders(unit, next_due) WHERE open = 1;
CREATE INDEX orders_open_due ON orders(next_due) WHERE open = 1;
CREATE INDEX orders_open_warn ON orders(next_warn) WHERE open = 1;
CREATE INDEX orders_caller_phone ON orders(caller_phone);
CREATE INDEX orders_received ON orders(received_at);

CREATE TABLE event_blocks(
  first_id INTEGER PRIMARY KEY,
  order_id INTEGER NOT NULL REFERENCES orders(id) DEFERRABLE INITIALLY DEFERRED,
  first_seq INTEGER NOT NULL,
  n INTEGER NOT NULL,
  body BLOB NOT NULL,
  hashes BLOB NOT NULL,
  UNIQUE(order_id, first_seq)
);
CREATE TRIGGER event_blocks_no_update BEFORE UPDATE ON event_blocks
  BEGIN SELECT RAISE(ABORT, 'events are append-only: never updated'); END;
CREATE TRIGGER event_blocks_no_delete BEFORE DELETE ON event_blocks
  BEGIN SELECT RAISE(ABORT, 'events are append-only: never deleted'); END;
)sql",
      // 4 -> 5: running totals per received day and report group (store_counts.hpp),
      // filled from the projection by the store (migration_fills_counts).
      R"sql(
CREATE TABLE order_counts(
  day INTEGER NOT NULL,
  district TEXT NOT NULL,
  unit TEXT NOT NULL,
  request_type TEXT NOT NULL,
  state TEXT NOT NULL,
  transferred INTEGER NOT NULL,
  complaint_subject TEXT NOT NULL,
  topic TEXT NOT NULL,
  sub_topic TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY(day, district, unit, request_type, state, transferred, complaint_subject, topic, sub_topic)
) WITHOUT ROWID;
)sql",
      // 5 -> 6: signed chain heads (signed_head.hpp): the event count a head covers, the
      // last event's full hash then, when it was signed (seconds, UTC), the key id and the
      // Ed25519 signature over head_message(work_order_head_domain, ...).  Append-only
      // like the events; the key itself is never stored.  Existing events stay unsigned
      // until the first signed head after them.
      detail::signed_heads_schema_sql,  // signed_head_log.hpp, shared with the signing store
  };
  return m;
}

bool migration_rebuilds_projection(std::size_t index) { return index == 3; }
bool migration_fills_counts(std::size_t index) { return index == 4; }

}  // namespace hotline::detail
