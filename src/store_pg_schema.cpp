// The work-order store's schema on PostgreSQL and its migrations (store_pg.hpp).
//
// Versioned like the SQLite file's (PRAGMA user_version there, the one row of
// hotline_schema here), on the same numbers: a PostgreSQL database at version v holds
// what a SQLite file at v holds, so schema_version() means the same on both.  The
// first entry creates version 6 at once (PostgreSQL support came with it); each later
// SQLite migration gets its PostgreSQL twin here with the same target.  Never edit an
// entry once released: add a new one.
//
// The tables are SQLite's of version 6 with PostgreSQL's types: bigint for INTEGER,
// bytea for BLOB; the append-only rules are triggers that raise, as SQLite's do.  Order
// numbers compare byte by byte (COLLATE "C", SQLite's BINARY), whatever the database's
// locale: lists sort as on SQLite, and the write path reads a range of a day's numbers
// through their index (store::impl::pg_number_in_file).
#include "store_pg.hpp"

namespace hotline::detail {

const std::vector<pg_migration>& pg_store_migrations() {
  static const std::vector<pg_migration> m = {
      {6, R"sql(
CREATE TABLE units(
  code text PRIMARY KEY,
  name text NOT NULL,
  kind text NOT NULL,
  parent text REFERENCES units(code),
  active integer NOT NULL DEFAULT 1
);
CREATE TABLE unit_coverage(
  unit text NOT NULL REFERENCES units(code),
  district text NOT NULL,
  sub_district text NOT NULL DEFAULT '',
  PRIMARY KEY(unit, district, sub_district)
);
CREATE INDEX unit_coverage_place ON unit_coverage(district, sub_district);
CREATE TABLE unit_topics(
  unit text NOT NULL REFERENCES units(code),
  topic text NOT NULL,
  PRIMARY KEY(unit, topic)
);
CREATE TABLE liaisons(
  id bigserial PRIMARY KEY,
  unit text NOT NULL REFERENCES units(code),
  slot text NOT NULL,
  name text NOT NULL,
  title text NOT NULL DEFAULT '',
  department text NOT NULL DEFAULT '',
  office_phone text NOT NULL DEFAULT '',
  mobile text NOT NULL DEFAULT '',
  email text NOT NULL DEFAULT '',
  valid_from bigint NOT NULL,
  valid_to bigint,
  reported_by text NOT NULL DEFAULT ''
);
CREATE INDEX liaisons_unit ON liaisons(unit, slot, valid_from);

CREATE FUNCTION hotline_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '%', TG_ARGV[0];
END $$;
CREATE TRIGGER liaisons_no_delete BEFORE DELETE ON liaisons
  FOR EACH ROW EXECUTE FUNCTION hotline_refuse('liaison history is kept: liaisons are never deleted');

CREATE TABLE orders(
  id bigint PRIMARY KEY,
  number text COLLATE "C" NOT NULL UNIQUE,
  version bigint NOT NULL,
  state text NOT NULL,
  open integer NOT NULL,
  next_due bigint,
  next_warn bigint,
  received_at bigint NOT NULL,
  caller_phone text NOT NULL,
  district text NOT NULL,
  unit text REFERENCES units(code),
  request_type text NOT NULL, topic text NOT NULL, sub_topic text NOT NULL, complaint_subject text NOT NULL,
  dispatched_at bigint, call_back text NOT NULL, reopen_count integer NOT NULL, supervision text NOT NULL,
  extension_days integer NOT NULL,
  transfer_outcome text NOT NULL, transfer_due bigint, transfer_warn bigint,
  sign_for_outcome text NOT NULL, sign_for_due bigint, sign_for_warn bigint,
  reply_outcome text NOT NULL, reply_due bigint, reply_warn bigint,
  completion_outcome text NOT NULL, completion_due bigint, completion_warn bigint,
  call_back_outcome text NOT NULL, call_back_due bigint, call_back_warn bigint,
  actions text,
  rest bytea NOT NULL
);
CREATE INDEX orders_state ON orders(state);
CREATE INDEX orders_open_unit ON orders(unit, next_due) WHERE open = 1;
CREATE INDEX orders_open_due ON orders(next_due) WHERE open = 1;
CREATE INDEX orders_open_warn ON orders(next_warn) WHERE open = 1;
CREATE INDEX orders_caller_phone ON orders(caller_phone);
CREATE INDEX orders_received ON orders(received_at);

CREATE TABLE event_blocks(
  first_id bigint PRIMARY KEY,
  order_id bigint NOT NULL REFERENCES orders(id) DEFERRABLE INITIALLY DEFERRED,
  first_seq bigint NOT NULL,
  n bigint NOT NULL,
  body bytea NOT NULL,
  hashes bytea NOT NULL,
  UNIQUE(order_id, first_seq)
);
CREATE TRIGGER event_blocks_no_update BEFORE UPDATE ON event_blocks
  FOR EACH ROW EXECUTE FUNCTION hotline_refuse('events are append-only: never updated');
CREATE TRIGGER event_blocks_no_delete BEFORE DELETE ON event_blocks
  FOR EACH ROW EXECUTE FUNCTION hotline_refuse('events are append-only: never deleted');
CREATE TRIGGER event_blocks_no_truncate BEFORE TRUNCATE ON event_blocks
  FOR EACH STATEMENT EXECUTE FUNCTION hotline_refuse('events are append-only: never truncated');

CREATE TABLE calls(
  id bigserial PRIMARY KEY,
  call_id text NOT NULL UNIQUE,
  started_at bigint NOT NULL,
  answered integer NOT NULL,
  wait_seconds bigint NOT NULL,
  agent text NOT NULL,
  ivr_key integer NOT NULL,
  line text NOT NULL,
  unit text NOT NULL,
  work_order text NOT NULL
);
CREATE INDEX calls_started ON calls(started_at);
CREATE INDEX calls_work_order ON calls(work_order) WHERE work_order <> '';
CREATE TRIGGER calls_no_update BEFORE UPDATE ON calls
  FOR EACH ROW EXECUTE FUNCTION hotline_refuse('calls are append-only: never updated');
CREATE TRIGGER calls_no_delete BEFORE DELETE ON calls
  FOR EACH ROW EXECUTE FUNCTION hotline_refuse('calls are append-only: never deleted');

CREATE TABLE order_counts(
  day integer NOT NULL,
  district text NOT NULL,
  unit text NOT NULL,
  request_type text NOT NULL,
  state text NOT NULL,
  transferred integer NOT NULL,
  complaint_subject text NOT NULL,
  topic text NOT NULL,
  sub_topic text NOT NULL,
  n bigint NOT NULL,
  PRIMARY KEY(day, district, unit, request_type, state, transferred, complaint_subject, topic, sub_topic)
);

CREATE TABLE signed_heads(
  event_count bigint PRIMARY KEY,
  head_hash bytea NOT NULL,
  signed_at bigint NOT NULL,
  key_id text NOT NULL,
  signature bytea NOT NULL
);
CREATE TRIGGER signed_heads_no_update BEFORE UPDATE ON signed_heads
  FOR EACH ROW EXECUTE FUNCTION hotline_refuse('signed heads are append-only: never updated');
CREATE TRIGGER signed_heads_no_delete BEFORE DELETE ON signed_heads
  FOR EACH ROW EXECUTE FUNCTION hotline_refuse('signed heads are append-only: never deleted');
)sql"},
  };
  return m;
}

}  // namespace hotline::detail
