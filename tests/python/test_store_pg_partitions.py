"""Monthly partitions of the event table on PostgreSQL (issue 21, item 6), for real: a store
written through hotline.Store, its event_blocks converted by tools/pg/partition_event_blocks.sql
while the same Store stays open, written on, rolled over by tools/pg/event_blocks_next_month.sql
(one month with events, one without), written on again; then the chain, the head, every
order's events, the append-only rules on the table and on its partitions, a copy out to
SQLite with the same head and reports.

Runs inside a throwaway cluster (tests/pg/throwaway_cluster.sh sets HOTLINE_PG and the PG*
variables psql and createdb read); skipped without one."""
import datetime as dt
import os
import pathlib
import random
import subprocess
import time

import pytest

import hotline

pytestmark = pytest.mark.skipif(not os.environ.get("HOTLINE_PG"),
                                reason="needs a PostgreSQL server: runs as python_tests_on_pg in a throwaway cluster")

SH = hotline.SHANGHAI
TOOLS = pathlib.Path(__file__).resolve().parents[2] / "tools" / "pg"
CONVERT = TOOLS / "partition_event_blocks.sql"
ROLLOVER = TOOLS / "event_blocks_next_month.sql"
# pg_write_lock_key (src/store_pg.hpp): the bytes of "hotline1", big-endian.
WRITE_LOCK_KEY = int.from_bytes(b"hotline1", "big")


def database(name):
    """A fresh database on the throwaway server, as a store location."""
    subprocess.run(["dropdb", "--if-exists", name], check=True, capture_output=True)
    subprocess.run(["createdb", name], check=True)
    head, _, query = os.environ["HOTLINE_PG"].partition("?")  # postgresql:///postgres?host=...
    return head[: head.index(":///") + 4] + name + ("?" + query if query else "")


def run_script(location, script, env=None, **variables):
    """A script run as the database administrator runs it: psql -v ON_ERROR_STOP=1 -f."""
    args = ["psql", "-X", "-v", "ON_ERROR_STOP=1"]
    for k, v in variables.items():
        args += ["-v", f"{k}={v}"]
    return subprocess.run(args + ["-f", str(script), location], capture_output=True, text=True,
                          env={**os.environ, **(env or {})})


def sql(location, query):
    """Rows of one query, as tuples of text."""
    r = subprocess.run(["psql", "-X", "-v", "ON_ERROR_STOP=1", "-At", "-F", "\t", "-c", query, location],
                       capture_output=True, text=True, check=True)
    return [tuple(line.split("\t")) for line in r.stdout.splitlines()]


def refused(location, statement):
    """The server's error for a statement that must fail (and did)."""
    r = subprocess.run(["psql", "-X", "-v", "ON_ERROR_STOP=1", "-c", statement, location],
                       capture_output=True, text=True)
    assert r.returncode != 0, f"{statement!r} was not refused: {r.stdout}"
    return r.stderr


def at(month, day, hour, minute=0):
    return dt.datetime(2025, month, day, hour, minute, tzinfo=SH)


# An order's life, one command a step (the steps of test_store_pg.fill).
STEPS = [
    lambda s, no, t: s.dispatch(no, unit="YX-BJJ", actor="D02", at=t),
    lambda s, no, t: s.sign_for(no, actor="L1", actor_unit="YX-BJJ", at=t),
    lambda s, no, t: s.reply(no, actor="L1", actor_unit="YX-BJJ", text="已处理", finding="true", resolved=True,
                             means="phone", at=t),
    lambda s, no, t: s.accept_reply(no, actor="R1", at=t),
    lambda s, no, t: s.call_back(no, actor="C1", result="satisfied", at=t),
    lambda s, no, t: s.close(no, actor="C1", at=t),
]
TYPES = ["consultation", "complaint", "report", "help_request", "suggestion"]


class Writer:
    """Orders written through a Store, counting the events written (each command's new
    versions: an order's version is the number of its events)."""

    def __init__(self, store):
        self.s = store
        self.version = {}
        self.stage = {}
        self.events = 0

    def note(self, number, version):
        self.events += version - self.version.get(number, 0)
        self.version[number] = version

    def units(self):
        self.s.add_unit("GZ-YX", "越秀区卫生健康局", kind="district", covers=[("越秀区", "")])
        self.s.add_unit("YX-BJJ", "越秀区北京街社区卫生服务中心", parent="GZ-YX", covers=[("越秀区", "北京街")])

    def create(self, received, i):
        kind = TYPES[i % len(TYPES)]
        wo = self.s.create(request_type=kind, received=received, content=f"第{i}号来电", caller_phone="13812341234",
                           agent="A017", district="越秀区", sub_district="北京街",
                           complaint_subject="医疗服务" if kind == "complaint" else "",
                           topic="免疫规划" if kind == "consultation" else "")
        self.note(wo.number, wo.version)
        self.stage[wo.number] = 0
        return wo.number

    def advance(self, number, t):
        k = self.stage[number]
        if k < len(STEPS):
            self.note(number, STEPS[k](self.s, number, t).version)
            self.stage[number] = k + 1

    def month(self, month, new_orders, rng, first=0, day=1):
        """Every order moved on by 0 to 2 steps on `day`, and new orders received in `month`
        (moved on by 0 to 3 steps on the 23rd)."""
        for number in list(self.stage):
            for step in range(rng.randrange(3)):
                self.advance(number, at(month, day, 9 + step))
        for i in range(new_orders):
            number = self.create(at(month, 2 + i % 20, 9 + i % 7, i % 50), first + i)
            for step in range(rng.randrange(4)):
                self.advance(number, at(month, 23, 9 + step))

    def split(self, month, first):
        """An order split in two: one transaction appends three orders' blocks."""
        number = self.create(at(month, 5, 10), first)
        for wo in self.s.split(number, ["第一件事", "第二件事"], actor="D02", at=at(month, 5, 11)):
            self.note(wo.number, wo.version)
            self.stage[wo.number] = 0
        self.note(number, self.s.get(number).version)


def partitions(location):
    """event_blocks' partitions: name -> bound."""
    return dict(sql(location, "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i "
                              "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'event_blocks'::regclass"))


def rows_digest(location):
    return sql(location, "SELECT count(*), sum(n), md5(string_agg(first_id || ':' || order_id || ':' || first_seq "
                         "|| ':' || n || ':' || md5(body) || ':' || md5(hashes), ',' ORDER BY first_id)) "
                         "FROM event_blocks")[0]


def tables(s):
    out = []
    for month in (3, 4, 5, 6):
        p = hotline.ReportingPeriod.month(2025, month)
        out += hotline.monthly_statistics(s, p).tables()
        out += hotline.timeliness(s, p, p.end).tables()
    for quarter in (1, 2):
        out.append(hotline.quarterly_summary_table(s, hotline.ReportingPeriod.quarter(2025, quarter)))
    return [(x.title, x.columns, x.rows, x.notes) for x in out]


def test_a_partitioned_event_table_keeps_the_store_whole(tmp_path):
    location = database("py_partitions")
    rng = random.Random(6)
    w = Writer(hotline.Store(location))
    w.units()
    w.month(3, 24, rng)
    r = run_script(location, ROLLOVER, month="2025_04")
    assert r.returncode != 0 and "not partitioned yet" in r.stderr
    before = rows_digest(location)
    filenode = sql(location, "SELECT pg_relation_filenode('event_blocks')")[0][0]

    # The conversion, with the Store still open (a province converts while the centre runs).
    r = run_script(location, CONVERT, env={"PGOPTIONS": "-c client_min_messages=debug1"}, month="2025_04")
    assert r.returncode == 0, r.stderr
    assert sql(location, "SELECT count(*) FROM pg_partitioned_table "
                         "WHERE partrelid = 'event_blocks'::regclass") == [("1",)]
    assert rows_digest(location) == before
    # No copy: the old rows are the first partition's file; ATTACH did not scan them.
    assert sql(location, "SELECT pg_relation_filenode('event_blocks_before_2025_04')")[0][0] == filenode
    assert 'partition constraint for table "event_blocks_before_2025_04" is implied by existing constraints' in r.stderr
    bound = int(sql(location, "SELECT max(first_id + n) FROM event_blocks")[0][0])  # where the log ends
    assert partitions(location) == {"event_blocks_before_2025_04": f"FOR VALUES FROM (MINVALUE) TO ('{bound}')",
                                    "event_blocks_2025_04": f"FOR VALUES FROM ('{bound}') TO (MAXVALUE)"}
    # Run twice: nothing changes.
    again = run_script(location, CONVERT, month="2025_05")
    assert again.returncode == 0 and "already partitioned" in again.stderr
    assert len(partitions(location)) == 2

    # April through the same Store: new orders, one split, March's moved on.
    w.month(4, 16, rng, first=100)
    w.split(4, first=200)
    r = run_script(location, ROLLOVER, env={"PGOPTIONS": "-c client_min_messages=debug1"}, month="2025_05")
    assert r.returncode == 0, r.stderr
    assert 'partition constraint for table "event_blocks_2025_04" is implied by existing constraints' in r.stderr
    # No event in May: nothing to close, the open partition goes on as June's.
    r = run_script(location, ROLLOVER, month="2025_06")
    assert r.returncode == 0, r.stderr
    assert "no event since event_blocks_2025_05 opened" in r.stderr
    r = run_script(location, ROLLOVER, month="2025_06")  # a retry: nothing to do
    assert r.returncode == 0 and "is the open partition already" in r.stderr
    r = run_script(location, ROLLOVER, month="2025_04")  # a wrong month: a closed one's name
    assert r.returncode != 0 and "exists already and is not the open partition" in r.stderr

    # June: the old Store and one opened now.
    w.month(6, 10, rng, first=300)
    w.s = hotline.Store(location)
    w.month(6, 6, rng, first=400, day=28)

    parts = partitions(location)
    assert set(parts) == {"event_blocks_before_2025_04", "event_blocks_2025_04", "event_blocks_2025_06"}
    assert parts["event_blocks_2025_06"].endswith("TO (MAXVALUE)")
    spread = dict(sql(location, "SELECT tableoid::regclass::text, count(*) FROM event_blocks GROUP BY 1"))
    assert len(spread) >= 3 and all(int(n) > 0 for n in spread.values()), spread
    spanning = sql(location, "SELECT count(*) FROM (SELECT order_id FROM event_blocks GROUP BY order_id "
                             "HAVING count(DISTINCT tableoid) >= 2) x")
    assert int(spanning[0][0]) >= 10  # orders whose events lie in two or three months' partitions

    # The chain, the head, every order's events, from the old Store and a new one.
    for s in (w.s, hotline.Store(location)):
        check = s.verify()
        assert check.ok, check.reason
        assert check.events_checked == s.head().event_count == w.events
        assert sum(w.version.values()) == w.events
        for number, version in w.version.items():
            assert [e.seq for e in s.events(number)] == list(range(1, version + 1)), number

    # The rules of the original table, on the parent and on every partition.
    for table in ["event_blocks", *parts]:
        assert "events are append-only: never updated" in refused(
            location, f"UPDATE {table} SET n = n WHERE first_id = (SELECT min(first_id) FROM {table})")
        assert "events are append-only: never deleted" in refused(
            location, f"DELETE FROM {table} WHERE first_id = (SELECT min(first_id) FROM {table})")
        assert "events are append-only: never truncated" in refused(location, f"TRUNCATE {table}")
    # A row moved across partitions is refused before it moves.
    assert "never updated" in refused(
        location, "UPDATE event_blocks SET first_id = first_id + 1000000 WHERE first_id = 1")
    assert "foreign key" in refused(
        location, "INSERT INTO event_blocks VALUES (1000000000, 999999, 1, 1, ''::bytea, ''::bytea)")
    # Every partition's foreign key is the parent's (adopted, not a second one validated).
    assert sql(location, "SELECT count(*) FILTER (WHERE conparentid = 0), count(*) FROM pg_constraint "
                         "WHERE contype = 'f' AND conrelid IN (SELECT inhrelid FROM pg_inherits "
                         "WHERE inhparent = 'event_blocks'::regclass)") == [("0", "3")]
    assert sql(location, "SELECT condeferrable, condeferred FROM pg_constraint "
                         "WHERE conrelid = 'event_blocks'::regclass AND contype = 'f'") == [("t", "t")]
    assert sql(location, "SELECT indexdef FROM pg_indexes WHERE tablename = 'event_blocks' ORDER BY 1") == [
        ("CREATE INDEX event_blocks_order_id_first_seq_idx ON ONLY public.event_blocks "
         "USING btree (order_id, first_seq)",),
        ("CREATE UNIQUE INDEX event_blocks_pkey ON ONLY public.event_blocks USING btree (first_id)",)]
    assert w.s.verify().ok and w.s.head().event_count == w.events

    # The projection's replay reads the blocks by (order, first event) across partitions.
    states = {o.number: (o.version, o.state) for o in w.s.orders(limit=0)}
    assert w.s.rebuild_projection() == len(w.version)
    assert {o.number: (o.version, o.state) for o in w.s.orders(limit=0)} == states

    # Copied out: the same chain and the same reports.
    lite = str(tmp_path / "copy.db")
    rep = hotline.copy_store(location, lite)
    source, copy = hotline.Store(location), hotline.Store(lite)
    assert rep.head.head_hash == source.head().head_hash and rep.events == w.events
    assert copy.verify().ok
    for number in w.version:
        assert [e.hash for e in copy.events(number)] == [e.hash for e in source.events(number)]
    assert tables(copy) == tables(source)
    assert len(tables(source)) >= 10


def wait_for(location, query, what):
    deadline = time.monotonic() + 10
    while sql(location, query) != [("1",)]:
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def test_the_rollover_waits_for_writers_and_readers_and_is_the_one_that_gives_up():
    """The rollover takes the lock the store's writers take: held elsewhere, the rollover
    times out having changed nothing, and a store's write waits for it the same way.  A
    reader holding orders and then reading event_blocks (as copy_store's snapshot does)
    is waited for, neither deadlocked nor cancelled."""
    location = database("py_partitions_lock")
    w = Writer(hotline.Store(location))
    w.units()
    w.month(3, 4, random.Random(1))
    assert run_script(location, CONVERT, month="2025_04").returncode == 0
    w.month(4, 3, random.Random(2), first=10)
    opened = partitions(location)

    # A writer's transaction elsewhere: the store's advisory lock.
    holder = subprocess.Popen(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c",
                               f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY}), pg_sleep(4)", location],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(location, f"SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                           f"AND classid = {WRITE_LOCK_KEY >> 32} AND objid = {WRITE_LOCK_KEY & 0xffffffff} "
                           f"AND objsubid = 1", "the holder never got the lock")
        r = run_script(location, ROLLOVER, month="2025_05", lock_timeout="500ms")
        assert r.returncode != 0 and "lock timeout" in r.stderr
        assert partitions(location) == opened
        started = time.monotonic()
        w.create(at(4, 20, 9), 20)  # waits for the holder's transaction
        assert time.monotonic() - started > 1
    finally:
        holder.wait(timeout=30)
    assert holder.returncode == 0, holder.stderr.read()

    # A reader's snapshot: orders first, event_blocks four seconds later.
    reader = subprocess.Popen(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c",
                               "SELECT count(*) FROM orders; SELECT pg_sleep(4); SELECT count(*) FROM event_blocks",
                               location], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(location, "SELECT count(*) FROM pg_locks WHERE relation = 'orders'::regclass AND granted "
                           "AND pid <> pg_backend_pid() AND mode = 'AccessShareLock'", "the reader never read orders")
        r = run_script(location, ROLLOVER, month="2025_05", lock_timeout="500ms")
        assert r.returncode != 0 and "still in use after lock_timeout" in r.stderr  # gave up, changed nothing
        assert partitions(location) == opened
        started = time.monotonic()
        r = run_script(location, ROLLOVER, month="2025_05", lock_timeout="20s")
        assert r.returncode == 0, r.stderr
        assert time.monotonic() - started > 0.5  # it waited for the reader
    finally:
        out, err = reader.communicate(timeout=30)
    assert reader.returncode == 0, err  # not cancelled, not deadlocked
    assert set(partitions(location)) == {"event_blocks_before_2025_04", "event_blocks_2025_04", "event_blocks_2025_05"}

    w.month(5, 2, random.Random(3), first=30)
    check = w.s.verify()
    assert check.ok and check.events_checked == w.events == w.s.head().event_count
