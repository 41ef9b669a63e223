"""bench_sla.py: due instants of 1,000,000 work orders, hotline against numpy and pandas.

    PYTHONPATH=<build>/python /usr/bin/python3 benchmarks/bench_sla.py [--build <build>] [--count N]

Issue 3's workload: random receipt instants 2005-01-01..2026-11-30 (later receipts would
fall due in 2027, beyond the calendar data), mixed request types (consultation 2, complaint,
report, help request, praise 10 working days, 000 art. 12), the guangzhou-family-doctor
preset.  The rule: the due instant is 00:00 Beijing time after the N-th working day
strictly after the receipt's local day.

Peers, each given the same calendar (holidays and adjusted working days, 调休) read from
the reference CSV (data/calendar/cn_national_2004_2026.csv, the source the built-in
calendar is generated from):
  * numpy busday_offset: it cannot add working weekend days, so the calendar is written
    as weekmask "1111111" with every day off (weekends not worked, and holidays) listed
    as a holiday; roll="backward" gives "the N-th working day after d" for any d.
    The plain form (weekmask Mon-Fri, holidays only) is also run to show what 调休 changes.
  * pandas CustomBusinessDay with the same weekmask and holidays: slow (per element), so
    it is timed on a sample and the sample size is printed.
  * the C++ bench binary (benchmarks/bench_sla), launched as a subprocess for its rate.
Every peer's answers are compared with hotline's on every element it computed.
"""
import argparse
import csv
import datetime
import os
import pathlib
import platform
import re
import subprocess
import sys
import time

import numpy as np

import hotline

from bench_common import cpu_model  # noqa: E402  (benchmarks/ is on sys.path as the script dir)

REPO = pathlib.Path(__file__).resolve().parents[1]
TYPES = ["consultation", "complaint", "report", "help_request", "praise"]
N_DAYS = np.array([2, 10, 10, 10, 10])  # 000 art. 12, by type code 0-4
OFFSET = np.timedelta64(8 * 3600, "s")  # Beijing time is UTC+8 throughout 2005-2026


def best(repeats, f):
    t = 1e300
    out = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = f()
        t = min(t, time.perf_counter() - t0)
    return t, out




def calendar_days_off(csv_path):
    """Every day off 2004-2026 (weekends not worked, and holidays), as datetime64[D]."""
    holiday, workday = set(), set()
    with open(csv_path, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            (holiday if row["kind"] == "holiday" else workday).add(np.datetime64(row["date"], "D"))
    days = np.arange(np.datetime64("2004-01-01"), np.datetime64("2027-01-01"))
    weekday = (days.astype(np.int64) + 3) % 7  # 0 = Monday
    off = [d for d, w in zip(days, weekday) if (w >= 5 and d not in workday) or d in holiday]
    return np.array(off, dtype="datetime64[D]"), np.array(sorted(holiday), dtype="datetime64[D]")


def numpy_due(received, codes, days_off, weekmask="1111111"):
    local_day = (received + OFFSET).astype("datetime64[D]")
    due_day = np.busday_offset(local_day, N_DAYS[codes], roll="backward", weekmask=weekmask, holidays=days_off)
    return (due_day + np.timedelta64(1, "D")).astype("datetime64[s]") - OFFSET


def pandas_due(received, codes, days_off):
    import pandas as pd
    local_day = pd.DatetimeIndex((received + OFFSET).astype("datetime64[D]"))
    out = np.empty(len(received), dtype="datetime64[s]")
    for n in np.unique(N_DAYS[codes]):
        sel = N_DAYS[codes] == n
        cbd = pd.offsets.CustomBusinessDay(n=int(n), weekmask="Mon Tue Wed Thu Fri Sat Sun",
                                           holidays=list(days_off.astype("datetime64[D]").astype(str)))
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # PerformanceWarning: applied element by element
            shifted = local_day[sel] + cbd
        out[sel] = (shifted.values.astype("datetime64[D]") + np.timedelta64(1, "D")).astype("datetime64[s]") - OFFSET
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--count", type=int, default=1_000_000)
    ap.add_argument("--pandas-sample", type=int, default=20_000)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--build", help="build directory holding benchmarks/bench_sla (default: beside hotline)")
    args = ap.parse_args()

    days_off, holidays_only = calendar_days_off(REPO / "data" / "calendar" / "cn_national_2004_2026.csv")

    rng = np.random.default_rng(20250930)
    lo = (np.datetime64("2005-01-01T00:00:00", "s") - OFFSET).astype(np.int64)
    hi = (np.datetime64("2026-11-30T00:00:00", "s") - OFFSET).astype(np.int64)
    received = rng.integers(lo, hi, args.count).astype("datetime64[s]")
    codes = rng.integers(0, 5, args.count).astype(np.uint8)
    names = np.array(TYPES)[codes]

    policy = hotline.SlaPolicy.preset("guangzhou-family-doctor")
    t_batch, ours = best(args.repeats, lambda: policy.due_many(codes, received))
    t_names, ours_by_name = best(args.repeats, lambda: policy.due_many(names, received))
    t_np, np_answer = best(args.repeats, lambda: numpy_due(received, codes, days_off))
    _, np_plain = best(1, lambda: numpy_due(received, codes, holidays_only, weekmask="1111100"))
    k = min(args.pandas_sample, args.count)
    t_pd, pd_answer = best(1, lambda: pandas_due(received[:k], codes[:k], days_off))

    # C++ on one thread, from the compiled bench in the same run.
    build = pathlib.Path(args.build) if args.build else pathlib.Path(hotline.__file__).resolve().parents[2]
    exe = build / "benchmarks" / "bench_sla"
    cpp_rate, cpp_note = None, ""
    if exe.exists():
        res = subprocess.run([str(exe), str(args.count)], capture_output=True, text=True, check=True)
        m = re.search(r"batch_rate=(\d+)", res.stdout)
        cpp_rate = float(m.group(1)) if m else None
    else:
        cpp_note = f"(not built: {exe.relative_to(build) if exe.is_relative_to(build) else exe})"

    # Spot checks through the scalar API with aware datetimes.
    for i in range(0, args.count, max(1, args.count // 200)):
        r = received[i].astype(datetime.datetime).replace(tzinfo=datetime.timezone.utc)
        d = policy.deadline(request_type=TYPES[codes[i]], received=r).due
        assert np.datetime64(d.astimezone(datetime.timezone.utc).replace(tzinfo=None), "s") == ours[i]

    n = args.count
    same_names = int((ours_by_name == ours).sum())
    same_np = int((np_answer == ours).sum())
    same_pd = int((pd_answer == ours[:k]).sum())
    same_plain = int((np_plain == ours).sum())
    rate = lambda t, m=n: m / t  # noqa: E731
    print("bench_sla.py: due instants of work orders, guangzhou-family-doctor preset (000 art. 12)")
    b = os.path.relpath(build, REPO)
    print(f"command: cmake --build {b} -j2 --target _core bench_sla && "
          f"PYTHONPATH={b}/python /usr/bin/python3 benchmarks/bench_sla.py --count {n}  (from the repository root)")
    print(f"machine: nproc {os.cpu_count()}, {cpu_model()}, Python {platform.python_version()}, "
          f"numpy {np.__version__}, pandas {__import__('pandas').__version__}")
    print(f"workload: {n:,} orders, receipts 2005-01-01..2026-11-30 (Beijing), types {', '.join(TYPES)}")
    print()
    print(f"{'form':58} {'due instants/s':>15} {'vs numpy':>9}  identical answers")
    rows = []
    if cpp_rate:
        rows.append(("C++ sla_policy::due_many, one thread (bench_sla)", cpp_rate,
                     "own random orders (batch == scalar checked in test_sla)"))
    rows += [
        ("Python SlaPolicy.due_many, int codes (GIL released)", rate(t_batch), f"{n:,}/{n:,} (reference)"),
        ("Python SlaPolicy.due_many, str names", rate(t_names), f"{same_names:,}/{n:,}"),
        ("numpy busday_offset, weekmask 1111111 + all days off", rate(t_np), f"{same_np:,}/{n:,}"),
        (f"pandas CustomBusinessDay, same calendar (sample {k:,})", rate(t_pd, k), f"{same_pd:,}/{k:,}"),
    ]
    for name, r, same in rows:
        print(f"{name:58} {r:15,.0f} {r / rate(t_np):8.1f}x  {same}")
    if not cpp_rate:
        print(f"{'C++ bench_sla':58} {cpp_note}")
    print()
    print(f"numpy busday_offset with the plain weekmask (Mon-Fri, holidays only) cannot express the adjusted "
          f"working days: {n - same_plain:,} of {n:,} answers differ.")
    py_ratio = rate(t_batch) / rate(t_np)
    print(f"target: Python batch >= 5x numpy: {py_ratio:.1f}x {'met' if py_ratio >= 5 else 'NOT met'}; "
          f"C++ >= 20e6/s: {'met' if cpp_rate and cpp_rate >= 20e6 else 'not measured' if not cpp_rate else 'NOT met'}")
    ok = same_names == n and same_np == n and same_pd == k
    print("all peers identical on every element they computed:", "yes" if ok else "NO")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
