#!/usr/bin/env python3
"""bench_store.py: hotline.Store (C++) against Python's sqlite3 with executemany.

Runs the C++ benchmark (bench_store) as a subprocess, which ingests N work orders
with their events through hotline::store into fresh files -- once through batches on
one thread, once through the importer on two -- and times the overdue-as-of and
open-orders-by-unit queries on the importer's file.  Then, in the same run, the peer:
the very same rows (read back from that file, reading untimed) inserted with
sqlite3.executemany into a fresh file with the same schema and pragmas, and the
same two queries through sqlite3.  The peer does strictly less work (no state
machine, no deadlines, no hashing, no encoding): it is the floor of "these rows into
SQLite from Python".  Since schema 4 the rows are one projection row and one event
block (the order's events of that transaction) per order.  The C++ program also
inserts those rows again by SQLite alone from C++ (sqlite_replay.hpp): the floor
under the importer on this machine, printed beside it.

    python3 benchmarks/bench_store.py --bench build-store/benchmarks/bench_store [--orders N]
"""
import argparse
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

from bench_common import cpu_model  # noqa: E402  (benchmarks/ is on sys.path as the script dir)




def best_ms(runs, fn):
    best = float("inf")
    out = None
    for _ in range(runs):
        t = time.perf_counter()
        out = fn()
        best = min(best, (time.perf_counter() - t) * 1000)
    return best, out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", required=True, help="path of the bench_store executable")
    ap.add_argument("--orders", type=int, default=1_000_000)
    ap.add_argument("--chunk", type=int, default=10_000)
    ap.add_argument("--dir", default=None, help="working directory (default: a fresh temp dir)")
    args = ap.parse_args()

    work = args.dir or tempfile.mkdtemp(prefix="hotline-bench-store-py-")
    os.makedirs(work, exist_ok=True)
    print("command:", " ".join([sys.executable] + sys.argv))
    print(f"machine: nproc={os.cpu_count()}, cpu={cpu_model()}, python {platform.python_version()}, "
          f"sqlite3 module on SQLite {sqlite3.sqlite_version}")
    cxx_dir = os.path.join(work, "cxx")
    proc = subprocess.run([args.bench, "--orders", str(args.orders), "--dir", cxx_dir, "--keep"],
                          check=True, capture_output=True, text=True)
    print("---- C++ (bench_store) output ----")
    print(proc.stdout.rstrip())
    cxx = json.loads([l for l in proc.stdout.splitlines() if l.startswith("JSON ")][-1][5:])
    src_path = cxx["file"]
    as_of = cxx["as_of"]

    # ---- the peer: the same rows through sqlite3.executemany --------------------
    peer_path = os.path.join(work, "peer.db")
    for leftover in (peer_path, peer_path + "-wal", peer_path + "-shm"):
        if os.path.exists(leftover):
            os.remove(leftover)
    src = sqlite3.connect(src_path)
    peer = sqlite3.connect(peer_path, isolation_level=None)
    # The same page size as the C++ file (set before WAL: it cannot change after).
    peer.execute(f"PRAGMA page_size={int(src.execute('PRAGMA page_size').fetchone()[0])}")
    for pragma in ("journal_mode=WAL", "foreign_keys=ON", "synchronous=NORMAL", "cache_size=-65536",
                   "temp_store=MEMORY"):
        peer.execute("PRAGMA " + pragma)
    schema = src.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' "
                         "ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 ELSE 2 END, rowid").fetchall()
    peer.execute("BEGIN")
    for (sql,) in schema:
        peer.execute(sql)
    for table in ("units", "unit_coverage", "unit_topics", "liaisons"):
        rows = src.execute(f"SELECT * FROM {table}").fetchall()
        if rows:
            marks = ",".join("?" * len(rows[0]))
            peer.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
    peer.execute("COMMIT")
    # The rows the C++ side wrote: the projection, and the events (schema 4: one block
    # row per order and transaction in event_blocks; `events` holds rows of older files).
    order_cols = len(src.execute("SELECT * FROM orders LIMIT 1").fetchone())
    block_cols = len(src.execute("SELECT * FROM event_blocks LIMIT 1").fetchone())
    ins_orders = f"INSERT INTO orders VALUES ({','.join('?' * order_cols)})"
    ins_blocks = f"INSERT INTO event_blocks VALUES ({','.join('?' * block_cols)})"
    max_id = src.execute("SELECT MAX(id) FROM orders").fetchone()[0]
    os.sync()  # start on a quiet disk, as each phase of bench_store does
    insert_s = 0.0
    n_events = 0
    n_rows = 0
    for lo in range(1, max_id + 1, args.chunk):
        hi = lo + args.chunk - 1
        orders = src.execute("SELECT * FROM orders WHERE id BETWEEN ? AND ? ORDER BY id", (lo, hi)).fetchall()
        blocks = src.execute("SELECT * FROM event_blocks WHERE order_id BETWEEN ? AND ? ORDER BY first_id",
                             (lo, hi)).fetchall()
        n_events += sum(b[3] for b in blocks)
        n_rows += len(orders) + len(blocks)
        t = time.perf_counter()
        peer.execute("BEGIN")
        peer.executemany(ins_orders, orders)
        peer.executemany(ins_blocks, blocks)
        peer.execute("COMMIT")
        insert_s += time.perf_counter() - t
    src.close()

    overdue_sql = "SELECT * FROM orders WHERE open = 1 AND next_due < ? ORDER BY next_due, id"
    unit_sql = "SELECT * FROM orders WHERE open = 1 AND unit = ? ORDER BY id"
    overdue_ms, rows_o = best_ms(5, lambda: peer.execute(overdue_sql, (as_of,)).fetchall())
    unit_ms, rows_u = best_ms(5, lambda: peer.execute(unit_sql, ("U1007",)).fetchall())
    peer.close()
    size = lambda p: os.path.getsize(p) / 1e6 if os.path.exists(p) else 0.0
    peer_mb, peer_wal = size(peer_path), size(peer_path + "-wal")

    n = cxx["orders"]
    cxx_rate = n / (cxx["ingest_ms"] / 1000)
    batch_rate = n / (cxx["batch_ms"] / 1000) if cxx.get("batch_ms") else None
    py_rate = n / insert_s
    print("\n---- same run, side by side ----")
    print(f"{'measure':44} {'C++ hotline.Store':>18} {'py sqlite3 executemany':>23} {'C++/py':>8}")
    print(f"{'orders':44} {n:>18,} {n:>23,}")
    print(f"{'events':44} {cxx['events']:>18,} {n_events:>23,}")
    print(f"{'rows inserted (orders + event blocks)':44} {'':>18} {n_rows:>23,}")
    print(f"{'ingest s (C++: store::importer)':44} {cxx['ingest_ms'] / 1000:>18.1f} {insert_s:>23.1f}")
    print(f"{'orders with their events / s':44} {cxx_rate:>18,.0f} {py_rate:>23,.0f} {cxx_rate / py_rate:>8.2f}")
    if batch_rate:
        print(f"{'  C++ store::batch, one thread: ingest s':44} {cxx['batch_ms'] / 1000:>18.1f}")
        print(f"{'  orders with their events / s':44} {batch_rate:>18,.0f} {'':>23} {batch_rate / py_rate:>8.2f}")
    if cxx.get("floor_ms"):
        floor_rate = n / (cxx["floor_ms"] / 1000)
        print(f"{'  C++ SQLite alone, same rows: insert s':44} {cxx['floor_ms'] / 1000:>18.1f}")
        print(f"{'  orders with their events / s':44} {floor_rate:>18,.0f} {'':>23} {floor_rate / py_rate:>8.2f}")
        print(f"{'  importer / SQLite alone':44} {cxx_rate / floor_rate:>18.2f}")
    print(f"{'overdue-as-of query ms (rows fetched)':44} {cxx['overdue_ms']:>18.1f} {overdue_ms:>23.1f} "
          f"{overdue_ms / max(cxx['overdue_ms'], 1e-9):>8.2f}")
    print(f"{'  rows':44} {cxx['overdue_rows']:>18,} {len(rows_o):>23,}")
    print(f"{'open-orders-by-unit query ms':44} {cxx['unit_ms']:>18.2f} {unit_ms:>23.2f} "
          f"{unit_ms / max(cxx['unit_ms'], 1e-9):>8.2f}")
    print(f"{'  rows':44} {cxx['unit_rows']:>18,} {len(rows_u):>23,}")
    print(f"{'file MB (main + WAL)':44} {cxx['db_mb'] + cxx['wal_mb']:>18.1f} {peer_mb + peer_wal:>23.1f}")
    print("(C++/py for queries: how many times faster the C++ side is; the C++ query builds WorkOrder objects)")
    print(f"targets: >= 100,000 orders/s in C++: {'met' if cxx_rate >= 100_000 else 'NOT met'}; "
          f"queries < 100 ms: {'met' if max(cxx['overdue_ms'], cxx['unit_ms']) < 100 else 'NOT met'}")
    if not args.dir:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
