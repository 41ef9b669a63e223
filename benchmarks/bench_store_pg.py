#!/usr/bin/env python3
"""bench_store_pg.py: hotline's PostgreSQL store (C++) against psycopg2 writing the same rows.

Runs inside a throwaway PostgreSQL cluster (tests/pg/throwaway_cluster.sh sets PGHOST,
PGPORT, PGUSER, PGDATABASE and HOTLINE_PG).  Makes fresh databases, runs the C++
benchmark (bench_store_pg) -- N orders with their events through store::begin_batch()
into one of them, the same orders into SQLite, the monthly report timed on both back
ends, concurrent writers on another database -- and then, in the same run, the peer
issue 21 names: Python with psycopg2 writing THE SAME ROWS the store wrote (the
projection's rows, the event blocks, the report counts), read back out of PostgreSQL
untimed, into fresh databases holding the store's own schema, in transactions of the
same size as the store's batches: once with psycopg2.extras.execute_values, once with
COPY FROM STDIN (cursor.copy_expert).  The peer does strictly less: no state machine,
no deadlines, no hash chain, no event encoding, no lock, no look-ups.  After the run,
untimed: how many number look-ups the store sent during its ingest (the server's index
statistics), with what one costs through the store (timed by the C++ side), to say
where the store's time went.

    tests/pg/throwaway_cluster.sh /usr/bin/python3 benchmarks/bench_store_pg.py \\
        --bench build/benchmarks/bench_store_pg [--orders N] [--batch B] [--rounds R] [--no-concurrency]
"""
import argparse
import contextlib
import io
import json
import os
import platform
import subprocess
import sys
import time

import psycopg2
import psycopg2.extras

from bench_common import cpu_model  # noqa: E402  (benchmarks/ is on sys.path as the script dir)

COUNT_COLUMNS = "day, district, unit, request_type, state, transferred, complaint_subject, topic, sub_topic"
# The groups of a batch's orders in order_counts, computed from the projection's columns
# as the store's count_key_of does (store_counts.cpp): the Beijing day of receipt, the
# subject kept for complaints only, topic and sub-topic for consultations only.
BATCH_COUNTS_SQL = f"""
SELECT ((received_at + 28800) / 86400)::integer, district, COALESCE(unit, ''), request_type, state,
       (dispatched_at IS NOT NULL)::integer,
       CASE WHEN request_type = 'complaint' THEN complaint_subject ELSE '' END,
       CASE WHEN request_type = 'consultation' THEN topic ELSE '' END,
       CASE WHEN request_type = 'consultation' THEN sub_topic ELSE '' END,
       count(*)
FROM orders WHERE id BETWEEN %s AND %s GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9"""
UPSERT_COUNTS_SQL = (f"INSERT INTO order_counts({COUNT_COLUMNS}, n) VALUES %s ON CONFLICT ({COUNT_COLUMNS}) "
                     "DO UPDATE SET n = order_counts.n + excluded.n")
SETUP_TABLES = ("units", "unit_coverage", "unit_topics", "liaisons")  # written before the clock starts
CHECKED_TABLES = ("orders", "event_blocks", "order_counts") + SETUP_TABLES


def uri_of(name):
    """The database `name` on the throwaway cluster, as tests/store_test_support.hpp's location()."""
    base = os.environ["HOTLINE_PG"]  # postgresql:///postgres?host=...
    slash, q = base.find(":///"), base.find("?")
    return base[:slash + 4] + name + ("" if q < 0 else base[q:])


def fresh_database(name):
    subprocess.run(["dropdb", "--if-exists", name], check=True, capture_output=True)
    subprocess.run(["createdb", name], check=True)
    return uri_of(name)


def checkpoint():
    """Each timed phase starts without the previous phase's dirty pages to write back."""
    # contextlib.closing: psycopg2's own `with connection` ends the transaction but keeps
    # the connection open.
    with contextlib.closing(psycopg2.connect(uri_of("postgres"))) as c, c.cursor() as cur:
        cur.execute("CHECKPOINT")


def copy_out(cur, sql):
    buf = io.BytesIO()
    cur.copy_expert(f"COPY ({sql}) TO STDOUT", buf)
    buf.seek(0)
    return buf


def table_digest(cur, table):
    """Row count and an order-free digest of every column of every row."""
    cur.execute(f"SELECT count(*), COALESCE(sum(hashtext(t::text)::bigint), 0) FROM {table} t")
    return cur.fetchone()


def run_peer(src, dst_uri, bench, how, batch, page_size):
    """Writes the source's rows into the fresh database at dst_uri, `batch` orders (their
    blocks and count groups) per transaction, by `how` ('values' or 'copy').  Reading
    the source is untimed; returns (seconds, transactions, rows written)."""
    subprocess.run([bench, "--create-only", dst_uri], check=True)  # the store's own DDL
    dst = psycopg2.connect(dst_uri)
    scur, dcur = src.cursor(), dst.cursor()
    for table in SETUP_TABLES:
        dcur.copy_expert(f"COPY {table} FROM STDIN", copy_out(scur, f"SELECT * FROM {table}"))
    dst.commit()
    scur.execute("SELECT COALESCE(MAX(id), 0) FROM orders")
    max_id = scur.fetchone()[0]
    src.commit()
    checkpoint()
    seconds = 0.0
    transactions = rows = 0
    for lo in range(1, max_id + 1, batch):
        hi = lo + batch - 1
        orders_sql = f"SELECT * FROM orders WHERE id BETWEEN {lo} AND {hi} ORDER BY id"
        blocks_sql = f"SELECT * FROM event_blocks WHERE order_id BETWEEN {lo} AND {hi} ORDER BY first_id"
        scur.execute(BATCH_COUNTS_SQL, (lo, hi))
        counts = scur.fetchall()
        if how == "copy":
            orders, blocks = copy_out(scur, orders_sql), copy_out(scur, blocks_sql)
            n_rows = orders.getvalue().count(b"\n") + blocks.getvalue().count(b"\n")
        else:
            scur.execute(orders_sql)
            orders = scur.fetchall()
            scur.execute(blocks_sql)
            blocks = scur.fetchall()
            n_rows = len(orders) + len(blocks)
        src.commit()
        t = time.perf_counter()
        if how == "copy":
            dcur.copy_expert("COPY orders FROM STDIN", orders)
            dcur.copy_expert("COPY event_blocks FROM STDIN", blocks)
        else:
            psycopg2.extras.execute_values(dcur, "INSERT INTO orders VALUES %s", orders, page_size=page_size)
            psycopg2.extras.execute_values(dcur, "INSERT INTO event_blocks VALUES %s", blocks, page_size=page_size)
        psycopg2.extras.execute_values(dcur, UPSERT_COUNTS_SQL, counts, page_size=page_size)
        dst.commit()
        seconds += time.perf_counter() - t
        transactions += 1
        rows += n_rows + len(counts)
    # The same rows as the store's, table by table (untimed).
    for table in CHECKED_TABLES:
        a, b = table_digest(scur, table), table_digest(dcur, table)
        if a != b:
            raise SystemExit(f"peer ({how}): table {table} differs from the store's: {a} != {b}")
    src.commit()
    dst.close()
    return seconds, transactions, rows


def load_average():
    """The machine's load: the figures mean little if something else ran beside them."""
    with open("/proc/loadavg", encoding="ascii") as f:
        return " ".join(f.read().split()[:3])


def number_lookups(uri, probes):
    """How many number look-ups the store sent during its ingest: the server's count of
    scans of the orders' number index, less the C++ side's own timed probes (nothing else
    in its run reads that index)."""
    with contextlib.closing(psycopg2.connect(uri)) as c, c.cursor() as cur:
        cur.execute("SELECT idx_scan FROM pg_stat_user_indexes WHERE indexrelname = 'orders_number_key'")
        return cur.fetchone()[0] - probes


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", required=True, help="path of the bench_store_pg executable")
    ap.add_argument("--orders", type=int, default=1_000_000)
    ap.add_argument("--batch", type=int, default=10_000, help="orders per transaction, both sides")
    ap.add_argument("--page-size", type=int, default=1000, help="execute_values' rows per statement")
    ap.add_argument("--seconds", type=float, default=3.0, help="each concurrent-writers run")
    ap.add_argument("--rounds", type=int, default=3, help="concurrent-writers rounds (the median is the figure)")
    ap.add_argument("--no-concurrency", action="store_true")
    ap.add_argument("--dir", default=None, help="the C++ side's SQLite directory (default: its temp dir)")
    args = ap.parse_args()
    if "HOTLINE_PG" not in os.environ or "PGHOST" not in os.environ:
        raise SystemExit("run inside a throwaway cluster: tests/pg/throwaway_cluster.sh /usr/bin/python3 " +
                         " ".join(sys.argv))

    print("command:", " ".join([sys.executable] + sys.argv))
    with contextlib.closing(psycopg2.connect(uri_of("postgres"))) as c, c.cursor() as cur:
        cur.execute("SHOW server_version")
        server = cur.fetchone()[0]
        cur.execute("SELECT name, current_setting(name) FROM pg_settings WHERE name IN "
                    "('shared_buffers', 'synchronous_commit', 'fsync', 'wal_level', 'max_wal_size') ORDER BY name")
        settings = ", ".join(f"{k}={v}" for k, v in cur.fetchall())
    print(f"machine: nproc={os.cpu_count()}, cpu={cpu_model()}, python {platform.python_version()}, "
          f"psycopg2 {psycopg2.__version__.split()[0]}, PostgreSQL {server} ({settings})")
    print(f"load average (1, 5, 15 min) at the start: {load_average()}")

    store_uri = fresh_database("hl_bench_store")
    writers_uri = fresh_database("hl_bench_writers")
    cmd = [args.bench, "--pg", store_uri, "--pg-writers", writers_uri, "--orders", str(args.orders),
           "--batch", str(args.batch), "--seconds", str(args.seconds), "--rounds", str(args.rounds)]
    if args.no_concurrency:
        cmd.append("--no-concurrency")
    if args.dir:
        cmd += ["--dir", args.dir]
    checkpoint()
    print("---- C++ (bench_store_pg) output ----", flush=True)
    lines = []
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, bufsize=1) as proc:
        for line in proc.stdout:
            print(line, end="", flush=True)
            lines.append(line)
    json_lines = [l for l in lines if l.startswith("JSON ")]
    if not json_lines:  # a failed check still prints its JSON: the run goes on and fails at the end
        raise SystemExit(f"bench_store_pg failed (exit status {proc.returncode})")
    cxx = json.loads(json_lines[-1][5:])
    lookups = number_lookups(cxx["pg"], cxx["lookup_probes"])

    # ---- the peer: the same rows through psycopg2 ---------------------------------------
    src = psycopg2.connect(cxx["pg"])
    peers = {}
    for how, name in (("values", "hl_bench_peer_values"), ("copy", "hl_bench_peer_copy")):
        peers[how] = run_peer(src, fresh_database(name), args.bench, how, args.batch, args.page_size)
        print(f"peer ({how}) done: {peers[how][0]:.2f} s, {peers[how][1]:,} transactions, "
              f"{peers[how][2]:,} rows", flush=True)
    src.close()

    n, ev = cxx["orders"], cxx["events"]
    hl_s = cxx["pg_ingest_s"]
    hl_rate = n / hl_s
    v_s, c_s = peers["values"][0], peers["copy"][0]
    print("\n---- same run, side by side (PostgreSQL, one connection, "
          f"{args.batch:,} orders per transaction) ----")
    print(f"{'measure':40} {'hotline store::batch':>21} {'execute_values':>15} {'COPY FROM STDIN':>16}")
    print(f"{'orders (3 events each)':40} {n:>21,} {n:>15,} {n:>16,}")
    print(f"{'transactions':40} {-(-n // cxx['batch']):>21,} {peers['values'][1]:>15,} {peers['copy'][1]:>16,}")
    print(f"{'rows written (orders, blocks, counts)':40} {'':>21} {peers['values'][2]:>15,} {peers['copy'][2]:>16,}")
    print(f"{'seconds':40} {hl_s:>21.2f} {v_s:>15.2f} {c_s:>16.2f}")
    print(f"{'orders with their events / s':40} {hl_rate:>21,.0f} {n / v_s:>15,.0f} {n / c_s:>16,.0f}")
    print(f"{'events / s':40} {ev / hl_s:>21,.0f} {ev / v_s:>15,.0f} {ev / c_s:>16,.0f}")
    print(f"{'hotline rate / peer rate':40} {'':>21} {v_s / hl_s:>15.2f} {c_s / hl_s:>16.2f}")
    print(f"{'  hotline: of which batch.commit() s':40} {cxx['pg_commit_s']:>21.2f}")
    print(f"{'  hotline: client CPU s':40} {cxx['pg_cpu_s']:>21.2f}")
    print("(hotline's figure includes running the state machine and the deadlines, hashing the chain and encoding\n"
          " the events, and its lock and look-ups in each transaction; the peer only writes the prepared rows,\n"
          f" read back from the store's database untimed; execute_values at page_size={args.page_size}; both peers'\n"
          " count groups are upserted with execute_values, as the store upserts its counts)")
    print(f"\n{'monthly report (annex 8), 2025-03':40} {'SQLite':>12} {'PostgreSQL':>12}")
    print(f"{'  seconds (best of 5)':40} {cxx['report_sqlite_s']:>12.4f} {cxx['report_pg_s']:>12.4f}")
    print(f"{'  tables equal cell by cell':40} {'yes' if cxx['report_equal'] else 'NO':>12}")
    print(f"{'ingest s (SQLite: importer, two threads)':40} {cxx['sqlite_ingest_s']:>12.2f} {hl_s:>12.2f}")
    print("\nwhere hotline's PostgreSQL ingest time goes:")
    print(f"  in create/apply (state machine, look-ups) {hl_s - cxx['pg_commit_s']:.2f} s; in batch.commit() (rows "
          f"encoded and hashed, COPY, counts, COMMIT) {cxx['pg_commit_s']:.2f} s; client CPU {cxx['pg_cpu_s']:.2f} s")
    print(f"  number look-ups sent during the ingest (scans of orders_number_key): {lookups:,} "
          f"({lookups / n:.2f} per order), one round trip each, waited for")
    print(f"  one look-up through the store, timed after the ingest: {cxx['lookup_us']:.0f} us; "
          f"all of them: ~{lookups * cxx['lookup_us'] / 1e6:.1f} s of the {hl_s:.1f} s")
    print(f"  the COPY peer wrote the same rows, counts and commits included, in {c_s:.2f} s")
    if cxx["writers"]:
        print("\nconcurrent writers (a store each, one order per transaction, advisory lock per transaction;"
              " median of the rounds):")
        print(f"{'threads':>8} {'rounds':>7} {'commits/s':>10} {'min..max':>14} {'vs 1 thread':>12} "
              f"{'ms per commit':>14} {'per-thread commits':>19}")
        by = {}
        for w in cxx["writers"]:
            by.setdefault(w["threads"], []).append(w)
        base = None
        for threads, ws in sorted(by.items()):
            rates = sorted(w["commits"] / w["seconds"] for w in ws)
            mid = len(rates) // 2
            median = rates[mid] if len(rates) % 2 else (rates[mid - 1] + rates[mid]) / 2
            base = base or median
            spread = f"{rates[0]:,.0f}..{rates[-1]:,.0f}"
            fair = f"{min(w['fewest'] for w in ws):,}..{max(w['most'] for w in ws):,}"
            print(f"{threads:>8} {len(ws):>7} {median:>10,.0f} {spread:>14} {median / base:>12.2f} "
                  f"{threads * 1000 / median:>14.2f} {fair:>19}")
    print(f"\nload average (1, 5, 15 min) at the end: {load_average()}")
    if not cxx["ok"] or proc.returncode != 0:
        raise SystemExit("the C++ side's checks failed (see above)")


if __name__ == "__main__":
    main()
