#!/usr/bin/env python3
"""bench_report.py: the annex 8 monthly report, hotline (C++) against pandas.

Runs bench_report (which builds, or reuses, a store of N work orders received in
one month and times hotline::monthly_statistics over it), then in the same run
computes the same four tables with pandas from the same rows of the same file:
read with sqlite3 into a DataFrame (what an analyst's script does), then
value_counts / groupby.  Both figures are printed (pandas' load, and its
computation alone), the ratios against each, and the totals are compared.

    python3 benchmarks/bench_report.py --bench build/benchmarks/bench_report [--orders N] [--dir DIR]
"""
import argparse
import json
import os
import platform
import sqlite3
import subprocess
import sys
import time

from bench_common import cpu_model  # noqa: E402  (benchmarks/ is on sys.path as the script dir)

SUBJECTS = {"food_safety_enforcement": "食品安全执法", "public_health_enforcement": "其他公共卫生执法",
            "medical_service": "医疗服务", "disease_prevention": "疾病预防", "administration": "行政管理",
            "other_sectors": "其他部门", "other": "其他"}


def pandas_tables(df):
    """The four annex 8 tables as report.hpp defines them."""
    import pandas as pd

    counted = df[~df["state"].isin(["void", "merged"])]
    by_type = counted["request_type"].value_counts()
    completed = counted["state"].isin(["waiting_for_call_back", "closed"])
    transferred = counted["transferred"] == 1
    flows = {}
    for kind in ("report", "suggestion"):
        sel = counted["request_type"] == kind
        flows[kind] = (int(sel.sum()), int((sel & transferred).sum()), int((sel & transferred & completed).sum()))
    comp = counted[counted["request_type"] == "complaint"]
    names = set(SUBJECTS) | set(SUBJECTS.values())
    subject = comp["complaint_subject"].where(comp["complaint_subject"].isin(names), "其他")
    subject = subject.map(lambda s: SUBJECTS.get(s, s))
    ctr = transferred[comp.index]
    centre = (~ctr) & comp["state"].isin(["closed", "answered_on_spot"])
    table3 = pd.DataFrame({"received": 1, "handled_by_centre": centre.astype(int), "transferred": ctr.astype(int),
                           "transferred_completed": (ctr & completed[comp.index]).astype(int)}).groupby(subject).sum()
    cons = counted[counted["request_type"] == "consultation"]
    table4 = cons.groupby(["topic", "sub_topic"]).size()
    return {"total": int(len(counted)), "reports": int(by_type.get("report", 0)),
            "complaints": int(by_type.get("complaint", 0)), "consultations": int(by_type.get("consultation", 0)),
            "report_transferred": flows["report"][1], "report_completed": flows["report"][2],
            "table3_rows": len(table3), "table4_rows": len(table4)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", required=True, help="path of the bench_report executable")
    ap.add_argument("--orders", type=int, default=10_000_000)
    ap.add_argument("--dir", default="bench-report", help="where the store is built and kept between runs")
    args = ap.parse_args()
    import pandas as pd

    print("command:", " ".join([sys.executable] + sys.argv))
    print(f"machine: nproc={os.cpu_count()}, cpu={cpu_model()}, python {platform.python_version()}, "
          f"pandas {pd.__version__}, SQLite {sqlite3.sqlite_version}")
    proc = subprocess.run([args.bench, "--orders", str(args.orders), "--dir", args.dir], check=True,
                          capture_output=True, text=True)
    print("---- C++ (bench_report) output ----")
    print(proc.stdout.rstrip())
    cxx = json.loads([line for line in proc.stdout.splitlines() if line.startswith("JSON ")][-1][5:])

    print("---- pandas, same file, same rows ----")
    con = sqlite3.connect(f"file:{cxx['file']}?mode=ro", uri=True)
    t0 = time.perf_counter()
    df = pd.read_sql_query(
        "SELECT request_type, state, dispatched_at IS NOT NULL AS transferred, complaint_subject, topic, sub_topic "
        "FROM orders WHERE received_at >= ? AND received_at < ?", con, params=(cxx["from"], cxx["to"]))
    load = time.perf_counter() - t0
    best = float("inf")
    for _ in range(3):
        t1 = time.perf_counter()
        got = pandas_tables(df)
        best = min(best, time.perf_counter() - t1)
    print(f"pandas: read_sql_query {load:.3f} s ({len(df):,} rows), tables {best:.3f} s (best of 3), "
          f"together {load + best:.3f} s")
    for key in ("total", "reports", "complaints", "consultations", "report_transferred", "report_completed"):
        if got[key] != cxx[key]:
            print(f"MISMATCH {key}: hotline {cxx[key]} pandas {got[key]}")
            return 1
    print("same figures: total, reports, complaints, consultations, report transferred and completed")
    secs = cxx["seconds"]
    print(f"RESULT hotline {secs:.3f} s over {cxx['total']:,} orders; "
          f"{(load + best) / secs:.1f}x pandas (read + tables), {best / secs:.1f}x pandas (tables on a loaded frame); "
          f"target: >= 10x pandas and < 2 s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
