-- Monthly partitions of the work-order store's event table (issue 21, item 6), step 1 of 2:
-- turns an existing store database's event_blocks into a table PARTITIONED BY RANGE
-- (first_id), once.  Step 2, every month: tools/pg/event_blocks_next_month.sql.
--
--   psql -X -v ON_ERROR_STOP=1 -v month=2025_04 -f tools/pg/partition_event_blocks.sql \
--        'postgresql:///hotline?host=/run/postgresql'
--
--   month         the month the open partition collects from now on (YYYY_MM); by default
--                 the current month in the session's TimeZone.  The rows already there
--                 become event_blocks_before_<month>, the open partition event_blocks_<month>.
--   lock_timeout  how long to wait for the store's writers and readers (default 10s); when
--                 it passes, nothing has changed and the script can simply be run again.
--
-- Why by first_id: event_blocks has no time column, but every writer appends under one
-- advisory lock with first_id = the next event id (src/store_pg.hpp), so ids grow with
-- time and a month is a range of ids.  The open partition is [start, MAXVALUE); the
-- monthly rollover closes it where the log ends and opens the next one.  The bounds are
-- where the log ends (the last block's first_id + n, the id the next block gets), not
-- max(first_id) + 1: the same table, but a partition's range is then exactly the ids of
-- its events, and a month without events is recognisable (an empty open partition).
--
-- Run it as the table's owner or a superuser, with the search_path the store uses (the
-- tables are found by their plain names, as the store finds them).  Not with psql -1 /
-- --single-transaction: the index below is built CONCURRENTLY, outside the transaction.
-- Run twice, the second run says the table is already partitioned and changes nothing.
--
-- Needs PostgreSQL 13 or later: BEFORE row triggers on a partitioned table, cloned to its
-- partitions (13); foreign keys from a partitioned table (12); ATTACH PARTITION that
-- adopts the partition's matching index and foreign key instead of building or
-- validating them again (11).  The monthly rollover wants a current minor release (its
-- header says why).  Tested on 15 (tests/python/test_store_pg_partitions.py).
--
-- Locks and how long: the store's advisory write lock (writers wait: the store sets no
-- timeout of its own), and ACCESS EXCLUSIVE on event_blocks and on orders (readers wait
-- too: events(), log, verify, copy, and get, lists and reports for orders), all from the
-- start of the transaction to COMMIT.  The time is one sequential scan of the table's
-- heap, the CHECK constraint's validation below, plus catalog changes: no row is copied
-- and no index is built inside the transaction (the one new index is built before it,
-- CONCURRENTLY, while the store runs).  At docs/postgresql.md's sizes (about 840 bytes of
-- event_blocks an order) that is seconds for a city's year and minutes for a province's
-- years: convert early (at go-live, or the first quiet night).
\set ON_ERROR_STOP on

\if :{?lock_timeout}
\else
\set lock_timeout 10s
\endif

-- Outside the transaction, while the store keeps running: the old table's index on
-- (order_id, first_seq) is UNIQUE, and a partitioned table's index cannot be (below), so
-- the parent's plain index would not adopt it and ATTACH would build a new one with the
-- table locked.  Built here CONCURRENTLY (writers and readers go on), ATTACH adopts it.
-- Skipped when the table is already partitioned or missing (the transaction says which).
SELECT coalesce((SELECT relkind = 'r' FROM pg_class WHERE oid = to_regclass('event_blocks')), false)
       AS hotline_plain_table \gset
\if :hotline_plain_table
CREATE INDEX CONCURRENTLY IF NOT EXISTS event_blocks_order_seq_prebuilt ON event_blocks (order_id, first_seq);
\endif

BEGIN;
SET LOCAL lock_timeout = :'lock_timeout';
-- psql does not substitute variables inside the DO block's dollar quotes: the month goes
-- in as a setting of this transaction (unset, the block takes the current month).
\if :{?month}
SET LOCAL hotline.month = :'month';
\endif

DO $convert$
DECLARE
  month   constant text := coalesce(nullif(current_setting('hotline.month', true), ''), to_char(now(), 'YYYY_MM'));
  tbl     regclass;
  nsp     name;
  owner   name;
  kind    "char";
  version integer;
  bound   bigint;
  before  constant text := 'event_blocks_before_' || month;
  open    constant text := 'event_blocks_' || month;
  orders  regclass;
  pkey    name;
  pre     regclass;
  r       record;
  deadline timestamptz;
BEGIN
  IF month !~ '^[0-9]{4}_(0[1-9]|1[0-2])$' THEN
    RAISE EXCEPTION 'month "%" is not YYYY_MM (psql -v month=2025_04)', month;
  END IF;

  -- The store's write lock (pg_write_lock_key, the bytes of "hotline1"), taken first as
  -- every writer takes it: no writer is between reading where the log ends and
  -- appending while the table is swapped, and two runs of this script go one by one.
  PERFORM pg_advisory_xact_lock(x'686f746c696e6531'::bigint);

  tbl := to_regclass('event_blocks');
  IF tbl IS NULL THEN
    RAISE EXCEPTION 'no table event_blocks on the search path (%): is this a hotline store''s database?',
      current_setting('search_path');
  END IF;
  SELECT c.relkind, n.nspname, pg_get_userbyid(c.relowner) INTO kind, nsp, owner
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = tbl;
  IF kind = 'p' THEN
    RAISE NOTICE 'event_blocks is already partitioned (%): nothing to do; the monthly rollover is event_blocks_next_month.sql',
      (SELECT string_agg(inhrelid::regclass::text, ', ' ORDER BY inhrelid) FROM pg_inherits WHERE inhparent = tbl);
    RETURN;
  END IF;
  IF kind <> 'r' THEN
    RAISE EXCEPTION 'event_blocks is not a table (relkind %)', kind;
  END IF;

  -- What is rebuilt below is event_blocks as the store's schema 6 defines it
  -- (src/store_pg_schema.cpp); a later schema may have changed it.
  IF to_regclass(format('%I.hotline_schema', nsp)) IS NULL THEN
    RAISE EXCEPTION 'no table hotline_schema next to event_blocks: is this a hotline store''s database?';
  END IF;
  EXECUTE format('SELECT max(version) FROM %I.hotline_schema', nsp) INTO version;
  IF version IS DISTINCT FROM 6 THEN
    RAISE EXCEPTION 'the store has schema version %, this script knows event_blocks of version 6 only: check the migrations since then before partitioning', version;
  END IF;
  IF to_regclass(format('%I.%I', nsp, before)) IS NOT NULL OR to_regclass(format('%I.%I', nsp, open)) IS NOT NULL THEN
    RAISE EXCEPTION 'a table named % or % exists already: choose another month or move it away', before, open;
  END IF;
  -- A publication that lists the table by name would go on publishing the old table only.
  IF EXISTS (SELECT 1 FROM pg_publication_rel WHERE prrelid = tbl) THEN
    RAISE EXCEPTION 'event_blocks is in publication(s) %: take it out first, add the partitioned table back after (publish_via_partition_root)',
      (SELECT string_agg(p.pubname, ', ') FROM pg_publication_rel pr JOIN pg_publication p ON p.oid = pr.prpubid WHERE pr.prrelid = tbl);
  END IF;

  SELECT confrelid::regclass INTO orders FROM pg_constraint
   WHERE conrelid = tbl AND contype = 'f' AND conname = 'event_blocks_order_id_fkey';
  IF orders IS NULL THEN
    RAISE EXCEPTION 'event_blocks has no foreign key event_blocks_order_id_fkey to orders: not the store''s schema 6';
  END IF;

  -- ACCESS EXCLUSIVE on event_blocks (renamed under its readers) and on orders: ATTACH
  -- takes it on orders anyway when it adopts the old foreign key (it drops the key's
  -- own triggers on orders, and dropping a trigger locks its table so; PostgreSQL 15).
  -- Both at once, before any work, and NOWAIT, retried until lock_timeout: waiting for
  -- one while holding the other deadlocks with a reader holding the other (copy_store's
  -- snapshot reads orders, then event_blocks), and PostgreSQL then cancels the reader
  -- ("deadlock detected").  This way the script is the one that gives up, having done
  -- nothing.
  -- The same loop as in event_blocks_next_month.sql, on purpose: each DO block stands alone (pg_cron
  -- runs the rollover's without psql, so no \ir include or session function).
  deadline := clock_timestamp() + coalesce(nullif(current_setting('lock_timeout'), '0')::interval, interval '100 years');
  LOOP
    BEGIN
      EXECUTE format('LOCK TABLE ONLY %s, %s IN ACCESS EXCLUSIVE MODE NOWAIT', tbl, orders);
      EXIT;
    EXCEPTION WHEN lock_not_available THEN
      IF clock_timestamp() > deadline THEN
        RAISE EXCEPTION 'event_blocks and orders are still in use after lock_timeout (%): nothing was changed; run it again in a quieter moment',
          current_setting('lock_timeout') USING ERRCODE = 'lock_not_available';
      END IF;
      PERFORM pg_sleep(0.05);
    END;
  END LOOP;

  -- The end of the log: the id the next block will get (its last block's first_id + n),
  -- so the partition's range is exactly the ids of its events.
  EXECUTE format('SELECT first_id + n FROM %s ORDER BY first_id DESC LIMIT 1', tbl) INTO bound;
  bound := coalesce(bound, 1);  -- an empty store: ids start at 1

  -- The CHECK that lets ATTACH skip its own scan: it implies the partition's bound
  -- (first_id is NOT NULL).  Its validation is the one scan of the old rows.
  EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I CHECK (first_id < %s)', tbl, before || '_bound', bound);

  -- UNIQUE (order_id, first_seq) cannot be kept: a partitioned table's unique index must
  -- contain the partition key (first_id), and a per-partition one would not see the
  -- other months.  The store's writer keeps it: under the advisory lock it gives an
  -- order's next block first_seq = the order's version + 1, read in the same transaction
  -- (and the version-checked UPDATE of the order refuses a stale one).  The plain index
  -- stays for the reads by order (events(), the projection's replay).
  pre := to_regclass(format('%I.event_blocks_order_seq_prebuilt', nsp));
  IF pre IS NOT NULL AND NOT (SELECT indisvalid FROM pg_index WHERE indexrelid = pre) THEN
    -- A CREATE INDEX CONCURRENTLY that failed leaves an invalid index: ATTACH builds one.
    EXECUTE format('DROP INDEX %s', pre);
    pre := NULL;
  END IF;
  FOR r IN SELECT conname FROM pg_constraint
           WHERE conrelid = tbl AND contype = 'u'
             AND conkey = ARRAY[(SELECT attnum FROM pg_attribute WHERE attrelid = tbl AND attname = 'order_id'),
                                (SELECT attnum FROM pg_attribute WHERE attrelid = tbl AND attname = 'first_seq')]::int2[]
  LOOP
    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', tbl, r.conname);
  END LOOP;

  -- The row triggers come back as clones of the parent's (below) when the table is
  -- attached; two of the same name would collide.  Nothing can write meanwhile: the
  -- table is locked and this is one transaction.
  EXECUTE format('DROP TRIGGER IF EXISTS event_blocks_no_update ON %s', tbl);
  EXECUTE format('DROP TRIGGER IF EXISTS event_blocks_no_delete ON %s', tbl);
  -- The TRUNCATE trigger stays: statement triggers are not cloned, each partition needs
  -- its own (a TRUNCATE of the parent fires the parent's and every partition's).

  -- The names the parent takes (index names are unique in a schema) move to the
  -- partition's own.
  SELECT conname INTO pkey FROM pg_constraint WHERE conrelid = tbl AND contype = 'p';
  EXECUTE format('ALTER TABLE %s RENAME CONSTRAINT %I TO %I', tbl, pkey, before || '_pkey');
  IF pre IS NOT NULL THEN
    EXECUTE format('ALTER INDEX %s RENAME TO %I', pre, before || '_order_id_first_seq_idx');
  END IF;
  EXECUTE format('ALTER TABLE %s RENAME TO %I', tbl, before);

  -- The partitioned table: the columns, key and foreign key of schema 6.  The foreign
  -- key is the original's to the letter (deferrable, initially deferred: the projection's
  -- replay deletes the orders and writes them back in one transaction), so that ATTACH
  -- adopts the old table's constraint instead of validating a new one.
  EXECUTE format($sql$
    CREATE TABLE %I.event_blocks(
      first_id bigint NOT NULL,
      order_id bigint NOT NULL,
      first_seq bigint NOT NULL,
      n bigint NOT NULL,
      body bytea NOT NULL,
      hashes bytea NOT NULL,
      CONSTRAINT event_blocks_pkey PRIMARY KEY (first_id),
      CONSTRAINT event_blocks_order_id_fkey FOREIGN KEY (order_id) REFERENCES %s(id) DEFERRABLE INITIALLY DEFERRED
    ) PARTITION BY RANGE (first_id)$sql$, nsp, orders);
  EXECUTE format('CREATE INDEX event_blocks_order_id_first_seq_idx ON %I.event_blocks (order_id, first_seq)', nsp);
  -- Row triggers on a partitioned table are cloned to every partition, present and
  -- future (PostgreSQL 13+): an UPDATE or DELETE through the parent or straight on a
  -- partition is refused.  An UPDATE that would move a row to another partition is
  -- refused before it moves anything (BEFORE UPDATE fires first).
  EXECUTE format($sql$CREATE TRIGGER event_blocks_no_update BEFORE UPDATE ON %1$I.event_blocks
    FOR EACH ROW EXECUTE FUNCTION %1$I.hotline_refuse('events are append-only: never updated')$sql$, nsp);
  EXECUTE format($sql$CREATE TRIGGER event_blocks_no_delete BEFORE DELETE ON %1$I.event_blocks
    FOR EACH ROW EXECUTE FUNCTION %1$I.hotline_refuse('events are append-only: never deleted')$sql$, nsp);
  EXECUTE format($sql$CREATE TRIGGER event_blocks_no_truncate BEFORE TRUNCATE ON %1$I.event_blocks
    FOR EACH STATEMENT EXECUTE FUNCTION %1$I.hotline_refuse('events are append-only: never truncated')$sql$, nsp);

  -- The old rows, where they lie: no copy.  ATTACH adopts the old primary key's index,
  -- the prebuilt index and the foreign key, and skips its scan thanks to the CHECK.
  EXECUTE format('ALTER TABLE %I.event_blocks ATTACH PARTITION %I.%I FOR VALUES FROM (MINVALUE) TO (%s)',
                 nsp, nsp, before, bound);
  -- The partition bound says the same now; PostgreSQL's documentation advises dropping it.
  EXECUTE format('ALTER TABLE %I.%I DROP CONSTRAINT %I', nsp, before, before || '_bound');

  -- The open partition: every block from the next one on.
  EXECUTE format('CREATE TABLE %I.%I PARTITION OF %I.event_blocks FOR VALUES FROM (%s) TO (MAXVALUE)',
                 nsp, open, nsp, bound);
  EXECUTE format($sql$CREATE TRIGGER event_blocks_no_truncate BEFORE TRUNCATE ON %1$I.%2$I
    FOR EACH STATEMENT EXECUTE FUNCTION %1$I.hotline_refuse('events are append-only: never truncated')$sql$, nsp, open);

  -- The store's role keeps what it had: the tables belong to the old table's owner (the
  -- store's own migrations alter them as that role), and the old table's grants go to the
  -- parent, through which the store reads and writes.
  EXECUTE format('ALTER TABLE %I.event_blocks OWNER TO %I', nsp, owner);
  EXECUTE format('ALTER TABLE %I.%I OWNER TO %I', nsp, open, owner);
  FOR r IN SELECT a.grantee, a.privilege_type, a.is_grantable
             FROM pg_class c, aclexplode(c.relacl) a
            WHERE c.oid = format('%I.%I', nsp, before)::regclass
  LOOP
    EXECUTE format('GRANT %s ON %I.event_blocks TO %s%s', r.privilege_type, nsp,
                   CASE WHEN r.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(r.grantee)) END,
                   CASE WHEN r.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END);
  END LOOP;

  RAISE NOTICE 'event_blocks is partitioned by range of first_id: % holds the ids below %, % the ids from % on',
    before, bound, open, bound;
END
$convert$;

COMMIT;

-- Autovacuum analyzes the partitions but never a partitioned table itself: the planner's
-- statistics of the whole come from here.  Outside the transaction: reads and writes go on.
\if :hotline_plain_table
ANALYZE event_blocks;
\endif
