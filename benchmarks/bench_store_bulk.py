#!/usr/bin/env python3
"""bench_store_bulk.py: hotline.Store.bulk() against single Store calls, from Python.

The same lives (create, dispatch, sign for) of N orders into two fresh files: once
through single calls (a transaction each), once through an Import (the store's
importer: 10,000 orders per transaction, written on its own thread).  Both in the same
run; the rate is orders with their events per second, Python's own overhead included.

    PYTHONPATH=build/python /usr/bin/python3 benchmarks/bench_store_bulk.py [--orders N]
"""
import argparse
import datetime as dt
import os
import shutil
import tempfile
import time

import hotline

SH = hotline.SHANGHAI


def store_at(path):
    s = hotline.Store(path)
    s.add_unit("GZ-YX", "越秀区卫生健康局", kind="district", covers=[("越秀区", "")])
    s.add_unit("YX-BJJ", "越秀区北京街社区卫生服务中心", parent="GZ-YX", covers=[("越秀区", "北京街")])
    s.set_liaison("YX-BJJ", "李联络", mobile="13900002222", valid_from=dt.datetime(2024, 1, 1, tzinfo=SH))
    return s


def lives(n, create, apply):
    t0 = dt.datetime(2025, 3, 3, 9, tzinfo=SH)
    for i in range(n):
        rec = t0 + dt.timedelta(seconds=25 * i)
        no = create(request_type="complaint", received=rec, agent="A017", content="家庭医生未按约定上门随访",
                    caller_phone=f"138{10000000 + i}", district="越秀区", sub_district="北京街")
        apply(no, "dispatch", actor="D02", at=rec + dt.timedelta(minutes=10), unit="YX-BJJ")
        apply(no, "sign_for", actor="L1", actor_unit="YX-BJJ", at=rec + dt.timedelta(hours=1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--orders", type=int, default=20000)
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="hotline-bench-bulk-")
    try:
        single = store_at(os.path.join(work, "single.db"))
        t = time.perf_counter()
        lives(args.orders, lambda **kw: single.create(**kw).number, lambda no, a, **kw: single.apply(no, a, **kw))
        single_s = time.perf_counter() - t
        bulk = store_at(os.path.join(work, "bulk.db"))
        t = time.perf_counter()
        with bulk.bulk() as imp:
            lives(args.orders, imp.create, imp.apply)
        bulk_s = time.perf_counter() - t
        assert bulk.count() == single.count() == args.orders and bulk.verify().ok
        n = args.orders
        print(f"{'measure':40} {'Store.bulk()':>14} {'single calls':>14} {'ratio':>7}")
        print(f"{'orders (3 events each)':40} {n:>14,} {n:>14,}")
        print(f"{'seconds':40} {bulk_s:>14.2f} {single_s:>14.2f}")
        print(f"{'orders with their events / s':40} {n / bulk_s:>14,.0f} {n / single_s:>14,.0f} "
              f"{single_s / bulk_s:>7.1f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
