-- Monthly partitions of the work-order store's event table (issue 21, item 6), step 2 of 2:
-- the monthly rollover.  Closes the open partition of event_blocks (the one that goes to
-- MAXVALUE) at the end of the event log and opens the next month's.  Step 1, once:
-- tools/pg/partition_event_blocks.sql.
--
--   psql -X -v ON_ERROR_STOP=1 -v month=2025_05 -f tools/pg/event_blocks_next_month.sql \
--        'postgresql:///hotline?host=/run/postgresql'
--
--   month         the month that begins (YYYY_MM): the new open partition is
--                 event_blocks_<month>.  By default the current month in the session's
--                 TimeZone, so that a run at 00:00 on the 1st names the month it opens:
--                   0 0 1 * *  psql -X -v ON_ERROR_STOP=1 -f /path/to/event_blocks_next_month.sql 'postgresql:///hotline?...'
--                 in a crontab whose clock is the centre's (CRON_TZ=Asia/Shanghai), with
--                 the database's TimeZone the same.  With pg_cron, which runs SQL and not
--                 psql: schedule the transaction's SET LOCAL lock_timeout and the DO block
--                 below as one command, in the store's database
--                 (cron.schedule_in_database(..., '0 0 1 * *', $$...$$, 'hotline'));
--                 cron.timezone says when midnight is, and the block takes the month from
--                 now() as above.  (Not tested here: pg_cron is not installed.)
--   lock_timeout  how long to wait for the store's writers and readers (default 10s).
--
-- What it does, in one transaction under the store's advisory write lock (no writer
-- appends meanwhile, so the end of the log cannot move):
--   * the open partition holds events: DETACH it, add CHECK (its ids lie below the end of
--     the log), ATTACH it again with that end as its upper bound (the CHECK spares ATTACH
--     its scan), and create event_blocks_<month> from that end to MAXVALUE;
--   * the open partition is empty (no event since it was opened): there is nothing to
--     close, and a range partition cannot be empty (FROM x TO x is refused), so it is
--     renamed event_blocks_<month> and stays open: a month without events has no partition;
--   * the open partition is event_blocks_<month> already (run twice, or a retry): nothing.
-- A failure (lock timeout, a name taken) changes nothing; run it again.  When a run is
-- late, the closed partition simply holds the first events of the new month too.
--
-- Locks and how long: the advisory lock (writers wait: the store sets no timeout of its
-- own), ACCESS EXCLUSIVE on event_blocks (readers of events wait: events(), log, verify,
-- copy) and on orders (get, lists, reports wait), all three from the start of the
-- transaction to COMMIT; and ACCESS EXCLUSIVE on the two partitions touched (the one
-- closed, the one created), none on the older months.  DETACH takes ACCESS EXCLUSIVE on
-- event_blocks and ATTACH on orders (adopting the partition's foreign key again drops
-- the triggers DETACH gave it on orders; PostgreSQL 15): they are taken together at the
-- start, NOWAIT and retried, because waiting for one while holding the other deadlocks
-- with a reader holding the other, and PostgreSQL then cancels the reader (seen in
-- testing with a reader that reads orders, then event_blocks, as copy_store does).  The
-- time is the CHECK's validation, one sequential scan of the closing month's heap (no
-- index is built, no row copied); the rest is catalog work.  By docs/postgresql.md's
-- sizes (about 840 bytes of event_blocks an order) a province of 60,000 orders a day
-- closes about 1.5 GB a month: seconds, at the quietest hour.  DETACH ... CONCURRENTLY
-- would not lock readers out, but cannot run inside a transaction, and between its two
-- transactions readers would find the month missing.  A verify() or copy_store running
-- at midnight holds its tables for its whole snapshot: the rollover then gives up after
-- lock_timeout, having changed nothing; run it again.
--
-- Needs PostgreSQL 13 or later (BEFORE row triggers on a partitioned table, cloned to
-- each new partition), on a current minor release: older ones left the cloned triggers
-- on a detached partition (fixed upstream by "Fix detaching partitions with cloned row
-- triggers", back-patched to 11), so attaching it again failed with "trigger ... already
-- exists" (rolled back, nothing lost, but no rollover).  Tested on 15
-- (tests/python/test_store_pg_partitions.py).
\set ON_ERROR_STOP on

\if :{?lock_timeout}
\else
\set lock_timeout 10s
\endif

BEGIN;
SET LOCAL lock_timeout = :'lock_timeout';
-- psql does not substitute variables inside the DO block's dollar quotes: the month goes
-- in as a setting of this transaction (unset, the block takes the current month).
\if :{?month}
SET LOCAL hotline.month = :'month';
\endif

DO $rollover$
DECLARE
  month     constant text := coalesce(nullif(current_setting('hotline.month', true), ''), to_char(now(), 'YYYY_MM'));
  newname   constant text := 'event_blocks_' || month;
  parent    regclass;
  nsp       name;
  owner     name;
  open      regclass;
  openname  name;
  lower     text;   -- the open partition's lower bound as PostgreSQL writes it: '156' or MINVALUE
  bound     bigint;
  n_open    integer;
  r         record;
  orders    regclass;
  deadline  timestamptz;
BEGIN
  IF month !~ '^[0-9]{4}_(0[1-9]|1[0-2])$' THEN
    RAISE EXCEPTION 'month "%" is not YYYY_MM (psql -v month=2025_05)', month;
  END IF;

  -- The store's write lock (pg_write_lock_key, the bytes of "hotline1"): every writer
  -- takes it before it reads where the log ends, so from here to COMMIT the end of the
  -- log stays where it is read below.
  PERFORM pg_advisory_xact_lock(x'686f746c696e6531'::bigint);

  parent := to_regclass('event_blocks');
  IF parent IS NULL THEN
    RAISE EXCEPTION 'no table event_blocks on the search path (%): is this a hotline store''s database?',
      current_setting('search_path');
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_partitioned_table WHERE partrelid = parent) THEN
    RAISE EXCEPTION 'event_blocks is not partitioned yet: run tools/pg/partition_event_blocks.sql once first';
  END IF;
  SELECT n.nspname, pg_get_userbyid(c.relowner) INTO nsp, owner
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = parent;

  SELECT confrelid::regclass INTO orders FROM pg_constraint
   WHERE conrelid = parent AND contype = 'f' AND conname = 'event_blocks_order_id_fkey';
  IF orders IS NULL THEN
    RAISE EXCEPTION 'event_blocks has no foreign key event_blocks_order_id_fkey to orders: not as partition_event_blocks.sql left it';
  END IF;

  -- ACCESS EXCLUSIVE on event_blocks (DETACH takes it) and on orders (ATTACH takes it
  -- when it adopts the partition's foreign key again).  Both at once, before any work,
  -- and NOWAIT, retried until lock_timeout: waiting for one while holding the other
  -- deadlocks with a reader holding the other (a statement locks event_blocks then
  -- orders, copy_store's snapshot orders then event_blocks), and PostgreSQL then cancels
  -- the reader.  This way the rollover is the one that gives up, having done nothing.
  -- ONLY: the parent, not every month's partition (readers come through the parent).
  -- The same loop as in partition_event_blocks.sql, on purpose: each DO block stands alone (pg_cron
  -- runs the rollover's without psql, so no \ir include or session function).
  deadline := clock_timestamp() + coalesce(nullif(current_setting('lock_timeout'), '0')::interval, interval '100 years');
  LOOP
    BEGIN
      EXECUTE format('LOCK TABLE ONLY %s, %s IN ACCESS EXCLUSIVE MODE NOWAIT', parent, orders);
      EXIT;
    EXCEPTION WHEN lock_not_available THEN
      IF clock_timestamp() > deadline THEN
        RAISE EXCEPTION 'event_blocks and orders are still in use after lock_timeout (%): nothing was changed; run it again in a quieter moment',
          current_setting('lock_timeout') USING ERRCODE = 'lock_not_available';
      END IF;
      PERFORM pg_sleep(0.05);
    END;
  END LOOP;

  -- The open partition: the one whose range goes to MAXVALUE.
  SELECT count(*) INTO n_open FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
   WHERE i.inhparent = parent AND pg_get_expr(c.relpartbound, c.oid) ~ 'TO \(MAXVALUE\)$';
  IF n_open <> 1 THEN
    RAISE EXCEPTION 'event_blocks has % partitions open to MAXVALUE, expected one: %', n_open,
      (SELECT string_agg(format('%s %s', i.inhrelid::regclass, pg_get_expr(c.relpartbound, c.oid)), '; ')
         FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = parent);
  END IF;
  SELECT c.oid::regclass, c.relname, substring(pg_get_expr(c.relpartbound, c.oid) FROM '^FOR VALUES FROM \((.*)\) TO \(MAXVALUE\)$')
    INTO open, openname, lower
    FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
   WHERE i.inhparent = parent AND pg_get_expr(c.relpartbound, c.oid) ~ 'TO \(MAXVALUE\)$';

  IF openname = newname THEN
    RAISE NOTICE '% is the open partition already: nothing to do', newname;
    RETURN;
  END IF;
  IF to_regclass(format('%I.%I', nsp, newname)) IS NOT NULL THEN
    RAISE EXCEPTION 'a table % exists already and is not the open partition (that is %): is month % right?',
      newname, openname, month;
  END IF;

  -- The end of the log: the id the next block will get.  Read from the open partition's
  -- own primary key (ONLY: no other partition): no row there means no event since it opened.
  EXECUTE format('SELECT first_id + n FROM ONLY %s ORDER BY first_id DESC LIMIT 1', open) INTO bound;

  IF bound IS NULL THEN
    -- Nothing to close.  The open partition carries on as the new month's, its indexes
    -- renamed with it so that names keep saying which month they belong to.
    EXECUTE format('ALTER TABLE %s RENAME TO %I', open, newname);
    FOR r IN SELECT i.indexrelid::regclass AS idx, c.relname
               FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
              WHERE i.indrelid = open AND left(c.relname, length(openname) + 1) = openname || '_'
    LOOP
      EXECUTE format('ALTER INDEX %s RENAME TO %I', r.idx, newname || substr(r.relname, length(openname) + 1));
    END LOOP;
    RAISE NOTICE 'no event since % opened: renamed it %, still open from % on', openname, newname, lower;
    RETURN;
  END IF;

  -- Close it.  DETACH leaves the table whole with its rows and indexes; its foreign key
  -- becomes its own and the cloned row triggers go, until ATTACH adopts the key and
  -- clones the triggers again.  Nobody sees it away or unguarded: the parent is locked
  -- and this is one transaction.
  EXECUTE format('ALTER TABLE %s DETACH PARTITION %s', parent, open);
  -- The CHECK implies the new bound, so ATTACH does not scan; its own validation is the
  -- one scan of the month.
  EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I CHECK (%s first_id < %s)', open, openname || '_bound',
                 CASE WHEN lower = 'MINVALUE' THEN '' ELSE format('first_id >= %s AND', lower) END, bound);
  EXECUTE format('ALTER TABLE %s ATTACH PARTITION %s FOR VALUES FROM (%s) TO (%s)', parent, open, lower, bound);
  EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', open, openname || '_bound');

  -- The next month: the key, index, foreign key and row triggers come from the parent;
  -- the TRUNCATE trigger is a statement trigger, not cloned: its own.
  EXECUTE format('CREATE TABLE %I.%I PARTITION OF %s FOR VALUES FROM (%s) TO (MAXVALUE)', nsp, newname, parent, bound);
  EXECUTE format($sql$CREATE TRIGGER event_blocks_no_truncate BEFORE TRUNCATE ON %1$I.%2$I
    FOR EACH STATEMENT EXECUTE FUNCTION %1$I.hotline_refuse('events are append-only: never truncated')$sql$, nsp, newname);
  -- Owned like the parent: the store's migrations, run as the owner, alter all partitions.
  EXECUTE format('ALTER TABLE %I.%I OWNER TO %I', nsp, newname, owner);

  RAISE NOTICE 'closed % at % (ids from % below %), opened % from % on', openname, bound, lower, bound, newname, bound;
END
$rollover$;

COMMIT;
