#!/usr/bin/env python3
"""bench_calendar.py: issue 2's add_workdays benchmark, every contender in one run.

    PYTHONPATH=<build>/python /usr/bin/python3 benchmarks/bench_calendar.py [--count 1000000]

Workload: `count` random receipt dates, uniform from 2005-01-01 to the last date
whose 30th working day is still covered (2026-11-19), and n uniform in 1..30;
each contender computes the n-th working day strictly after each date
(calendar.hpp: "n working days from the day after receipt", 000 art. 12).

Contenders, timed in this one run:
  * hotline C++ batch: the compiled benchmarks/bench_calendar program (run as a
    subprocess from the build directory that `import hotline` came from, with the
    same count; it draws its own samples from the same distribution and prints
    its best-of-7 rate);
  * hotline Python array form: Calendar.add_workdays(datetime64[D] array, int64 array);
  * hotline Python scalar form: a Python loop of Calendar.add_workdays(date, int);
  * numpy.busday_offset made exact for 调休: weekmask '1111111' (every day a
    business day) and holidays = every day off of the national calendar (statutory
    holidays, weekend days inside holiday spans) plus every weekend day that is not
    an adjusted working day.  Then the n-th working day strictly after d is
    busday_offset(d + 1, n - 1, roll='forward'): d + 1 rolls forward to the first
    working day after d, which is the 1st, and n - 1 more steps give the n-th.
    The day list comes from data/calendar/cn_national_2004_2026.csv, read here
    with the csv module, independent of hotline's tables;
    without the file it comes from hotline's own special_days (said so in the
    output).  The busdaycalendar is built once, outside the timing; the d + 1 and
    n - 1 are inside it;
  * workalendar's China calendar (Debian python3-workalendar), which only has data
    for 2018-2023 and raises CalendarError elsewhere: it is timed on a smaller
    sample (--workalendar-count, default 20,000) with starts in its covered years.

The script asserts that hotline agrees with numpy on every sample (and that the
Python scalar and array forms agree), and reports, rather than hides, any
disagreement with workalendar, listing the days on which the two calendars
differ.  (With workalendar 17.0.0 they are 2020-01-31 and 2020-02-01: the State
Council's notice of 2020-01-27 extended the Spring Festival holiday to 02-02 and
cancelled the worked Saturday 02-01; workalendar keeps the original notice.)
"""
import argparse
import csv
import datetime
import os
import pathlib
import platform
import re
import shlex
import subprocess
import sys
import time
import warnings

import numpy as np

from bench_common import cpu_model  # noqa: E402  (benchmarks/ is on sys.path as the script dir)

REPO_ROOT = pathlib.Path(__file__).resolve().parents[1]


def import_hotline():
    try:
        import hotline
    except ImportError:
        build = pathlib.Path(os.environ.get("HOTLINE_BUILD_DIR", REPO_ROOT / "build"))
        sys.path.insert(0, str(build / "python"))
        import hotline
    return hotline


def best_of(repeats, f):
    best, result = float("inf"), None
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = f()
        best = min(best, time.perf_counter() - t0)
    return best, result




def shared_csv():
    """The reference CSV the built-in calendar is generated from (data/calendar)."""
    p = REPO_ROOT / "data" / "calendar" / "cn_national_2004_2026.csv"
    return p if p.is_file() else None


def numpy_days_off(hotline, cal):
    """Day numbers numpy must treat as non-business days, and where the facts came from."""
    first = np.datetime64(cal.first_day, "D")
    last = np.datetime64(cal.last_day, "D")
    every = np.arange(first, last + np.timedelta64(1, "D"))
    weekend = ((every.astype(np.int64) + 3) % 7) >= 5  # 1970-01-01 was a Thursday
    path = shared_csv()
    if path is not None:
        holiday, workday = [], []
        with open(path, encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                (holiday if r["kind"] == "holiday" else workday).append(r["date"])
        source = f"{path.name} (independent of hotline)"
    else:
        specials = cal.special_days(cal.first_day, cal.last_day)
        holiday = [s.date for s in specials if s.kind == hotline.DayKind.HOLIDAY]
        workday = [s.date for s in specials if s.kind == hotline.DayKind.ADJUSTED_WORKING_DAY]
        source = "hotline's own special_days: data/calendar/cn_national_2004_2026.csv not found"
    holiday = np.array(holiday, dtype="datetime64[D]")
    workday = np.array(workday, dtype="datetime64[D]")
    off = (weekend & ~np.isin(every, workday)) | np.isin(every, holiday)
    return every[off], source


def run_cpp_bench(build_dir, count):
    exe = build_dir / "benchmarks" / "bench_calendar"
    if not exe.is_file():
        return None, f"{exe} not built (cmake --build <build> --target bench_calendar)"
    out = subprocess.run([str(exe), str(count)], check=True, capture_output=True, text=True).stdout
    m = re.search(r"^batch_rate=(\d+)", out, re.M)
    if not m:
        return None, "bench_calendar printed no batch_rate line:\n" + out
    return float(m.group(1)), out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=1_000_000)
    ap.add_argument("--workalendar-count", type=int, default=20_000)
    ap.add_argument("--seed", type=int, default=20250125)
    args = ap.parse_args()

    hotline = import_hotline()
    build_dir = pathlib.Path(hotline.__file__).resolve().parents[2]  # <build>/python/hotline/__init__.py
    cal = hotline.Calendar.china()

    # ---- samples ------------------------------------------------------------
    last = cal.last_day if cal.is_workday(cal.last_day) else cal.prev_workday(cal.last_day)
    hi = cal.add_workdays(last, -30)  # the last start whose 30th working day is covered
    lo = datetime.date(2005, 1, 1)
    rng = np.random.default_rng(args.seed)
    starts = (np.datetime64(lo, "D") + rng.integers(0, (hi - lo).days + 1, args.count)).astype("datetime64[D]")
    counts = rng.integers(1, 31, args.count).astype(np.int64)
    start_dates = starts.tolist()  # datetime.date objects for the scalar form
    count_ints = counts.tolist()

    rows = []  # (name, rate, note)

    # ---- hotline C++ batch ----------------------------------------------------
    cpp_rate, cpp_out = run_cpp_bench(build_dir, args.count)
    rows.append(("hotline C++ batch (bench_calendar)", cpp_rate,
                 "best of 7, one thread, own samples, same distribution" if cpp_rate else cpp_out))

    # ---- hotline Python array form ------------------------------------------
    cal.add_workdays(starts, counts)  # warm-up: first-touch of the output pages
    t_arr, res_arr = best_of(7, lambda: cal.add_workdays(starts, counts))
    assert res_arr.dtype == np.dtype("datetime64[D]") and res_arr.shape == starts.shape
    rows.append(("hotline Python array form", args.count / t_arr, "add_workdays(datetime64[D], int64), best of 7"))

    # ---- hotline Python scalar form -----------------------------------------
    f = cal.add_workdays

    def scalar_loop():
        return [f(d, n) for d, n in zip(start_dates, count_ints)]

    t_sc, res_sc = best_of(3, scalar_loop)
    rows.append(("hotline Python scalar form", args.count / t_sc, "[add_workdays(date, int) ...] loop, best of 3"))
    assert np.array_equal(np.array(res_sc, dtype="datetime64[D]"), res_arr), "scalar and array forms disagree"

    # ---- numpy.busday_offset, exact for 调休 -----------------------------------
    off, off_source = numpy_days_off(hotline, cal)
    bdc = np.busdaycalendar(weekmask="1111111", holidays=off)
    one = np.timedelta64(1, "D")
    t_np, res_np = best_of(3, lambda: np.busday_offset(starts + one, counts - 1, roll="forward", busdaycal=bdc))
    np_rate = args.count / t_np
    rows.append(("numpy.busday_offset (exact 调休 form)", np_rate, "weekmask 1111111 + day-off list, best of 3"))
    mismatch = np.flatnonzero(res_np != res_arr)
    if mismatch.size:
        for i in mismatch[:10]:
            print(f"MISMATCH numpy: start {starts[i]} n {counts[i]}: hotline {res_arr[i]} numpy {res_np[i]}")
    assert mismatch.size == 0, f"hotline disagrees with numpy on {mismatch.size} of {args.count} samples"

    # ---- workalendar ----------------------------------------------------------
    wk_rate, wk_note, wk_disagree = None, "", []
    try:
        import workalendar
        from workalendar.asia import China
        from workalendar.exceptions import CalendarError
    except ImportError:
        wk_note = "workalendar not installed (Debian: apt-get install python3-workalendar)"
    else:
        china = China()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # it warns "Support years 2018-2023" on every year it loads
            w_lo, w_hi = datetime.date(2018, 1, 1), datetime.date(2023, 11, 15)
            w_starts = (np.datetime64(w_lo, "D") + rng.integers(0, (w_hi - w_lo).days + 1, args.workalendar_count))
            w_dates = w_starts.astype("datetime64[D]").tolist()
            w_counts = rng.integers(1, 31, args.workalendar_count).tolist()
            t0 = time.perf_counter()
            w_res, no_data = [], 0
            for d, n in zip(w_dates, w_counts):
                try:
                    w_res.append(china.add_working_days(d, n))
                except CalendarError:
                    w_res.append(None)
                    no_data += 1
            t_wk = time.perf_counter() - t0
        wk_rate = args.workalendar_count / t_wk
        ours = [cal.add_workdays(d, n) for d, n in zip(w_dates, w_counts)]
        wk_disagree = [(d, n, o, w) for d, n, o, w in zip(w_dates, w_counts, ours, w_res) if w is not None and o != w]
        # Where the two calendars differ, day by day over workalendar's years: the cause of any disagreement.
        wk_days = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            d = datetime.date(2018, 1, 1)
            while d <= datetime.date(2023, 12, 31):
                if china.is_working_day(d) != cal.is_workday(d):
                    wk_days.append((d, china.is_working_day(d)))
                d += datetime.timedelta(days=1)
        wk_note = (f"v{workalendar.__version__}, {args.workalendar_count:,} samples with starts "
                   f"{w_lo}..{w_hi} (its data covers 2018-2023 only), one pass; {no_data} without data")
    rows.append(("workalendar China().add_working_days", wk_rate, wk_note))

    # ---- report ---------------------------------------------------------------
    print(f"bench_calendar.py: {args.count:,} add_workdays, starts {lo}..{hi}, n in 1..30, seed {args.seed}")
    print(f"machine: {cpu_model()}, nproc {os.cpu_count()}, Python {platform.python_version()}, "
          f"numpy {np.__version__}, hotline {hotline.__version__}")
    print(f"numpy day-off list from {off_source}: {off.size} days")
    print()
    print(f"{'contender':40} {'calls/s':>15} {'x numpy':>9} {'x workalendar':>14}")
    for name, rate, _ in rows:
        if rate is None:
            print(f"{name:40} {'n/a':>15}")
            continue
        vs_wk = f"{rate / wk_rate:14,.0f}" if wk_rate else f"{'n/a':>14}"
        print(f"{name:40} {rate:15,.0f} {rate / np_rate:9.2f} {vs_wk}")
    print()
    for name, _, note in rows:
        if note:
            print(f"  {name}: {note}")
    print()
    print(f"agreement: hotline == numpy exact form on all {args.count:,} samples; "
          f"Python scalar == array form on all {args.count:,}")
    if wk_rate:
        print(f"workalendar: {len(wk_disagree)} disagreements with hotline on the samples it could answer")
        for d, n, o, w in wk_disagree[:5]:
            print(f"  e.g. start {d} n {n}: hotline {o}, workalendar {w}")
        print(f"  the calendars differ on {len(wk_days)} days of 2018-2023 (hotline's kind and name):")
        for d, w_working in wk_days:
            print(f"    {d} {d.strftime('%a')}: hotline {cal.kind(d).name} {cal.holiday_name(d, True) or ''}, "
                  f"workalendar {'working' if w_working else 'day off'}")
    targets = [
        ("C++ batch >= 100 million/s", cpp_rate is not None and cpp_rate >= 100e6),
        ("Python array form >= 5x numpy", args.count / t_arr >= 5 * np_rate),
        ("Python scalar form >= 1 million/s", args.count / t_sc >= 1e6),
    ]
    print("targets (issue 2): " + "; ".join(f"{t}: {'met' if ok else 'NOT MET'}" for t, ok in targets))
    cmd = " ".join(shlex.quote(a) for a in sys.argv)
    pp = os.path.relpath(build_dir / "python", os.getcwd())
    print(f"reproduce: PYTHONPATH={pp} {sys.executable} {cmd}  "
          f"(from {os.path.relpath(REPO_ROOT, os.getcwd())}; build: cmake --build {os.path.relpath(build_dir, os.getcwd())} "
          f"--target _core bench_calendar)")
    if cpp_rate:
        print()
        print("bench_calendar (C++) said:")
        print("".join("  " + line + "\n" for line in cpp_out.splitlines() if "=" not in line), end="")


if __name__ == "__main__":
    main()
