#!/usr/bin/env python3
"""bench_signing.py: signing coverage, hotline (C++ through Python) against pandas.

Builds N residents and their contracts with numpy from a fixed seed (10 districts,
100 sub-districts, 1000 communities; births 1920-2026; ~8 % with a key-population
attribute span; ~45 % signed on the day, some contracts expired, renewed or ended
early, a few by death; 2000 teams in 200 institutions, each resident signing with a
team of the district), loads them into a hotline SigningRegistry (timed: the resident
load and the contract ingest, in rows/s), then times coverage by district as of a day
with hotline and with pandas over the same rows in the same run: the same numpy arrays
as DataFrames of integer codes, vectorised, no Python loops.  Every figure of the two
tables (population, signed, key populations together and each of the 11) is compared
per district before any ratio is printed.

    PYTHONPATH=build/python python3 benchmarks/bench_signing.py [--residents N] [--seed S]

Targets (issue 18): coverage >= 10x pandas and < 1 s at 10 M residents; ingest
>= 100 000 contracts/s.
"""
import argparse
import datetime
import os
import platform
import resource
import sys
import time

from bench_common import cpu_model  # noqa: E402  (benchmarks/ is on sys.path as the script dir)

DISTRICTS, SUBS_PER_DISTRICT, COMMUNITIES_PER_SUB = 10, 10, 10
INSTITUTIONS_PER_DISTRICT, TEAMS_PER_INSTITUTION = 20, 10
KEY_POPULATIONS = ("elderly", "child", "maternal", "disabled", "hypertension", "diabetes", "tuberculosis",
                   "severe_mental_disorder", "poverty_alleviated", "monitored", "special_family_planning")
OPEN_END = 2**31 - 1  # an attribute or a life without an end


def peak_rss_gib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20


def id_strings(np, prefix, numbers, width):
    """Fixed-width byte strings prefix + zero-padded numbers, built without a Python loop."""
    digits = np.empty((len(numbers), width), dtype=np.uint8)
    rest = numbers.astype(np.int64)
    for k in range(width - 1, -1, -1):
        digits[:, k] = 48 + rest % 10
        rest //= 10
    out = np.empty((len(numbers), len(prefix) + width), dtype=np.uint8)
    out[:, :len(prefix)] = np.frombuffer(prefix.encode(), dtype=np.uint8)
    out[:, len(prefix):] = digits
    return out.view(f"S{len(prefix) + width}").ravel()


def one_year_later(np, start):
    """term_end(start, 1) for a datetime64[D] array: the same date a year later, 29 February -> 1 March."""
    month = start.astype("datetime64[M]")
    return (month + 12).astype("datetime64[D]") + (start - month.astype("datetime64[D]"))


def generate(np, n, seed, as_of):
    """Every row the benchmark loads, as numpy arrays (the hotline load and pandas read the same ones)."""
    rng = np.random.default_rng(seed)
    g: dict = {}
    places = DISTRICTS * SUBS_PER_DISTRICT * COMMUNITIES_PER_SUB
    g["place"] = rng.integers(0, places, n).astype(np.uint32)
    g["district"] = (g["place"] // (SUBS_PER_DISTRICT * COMMUNITIES_PER_SUB)).astype(np.int16)
    first, last = np.datetime64("1920-01-01"), np.datetime64("2026-12-31")
    g["birth"] = first + rng.integers(0, int((last - first).astype(np.int64)) + 1, n).astype("timedelta64[D]")
    g["ids"] = id_strings(np, "R", np.arange(n), 8)

    # contracts: ~51 % of residents hold one that started in the 450 days up to the day (so
    # ~19 % of those have expired); half of the expired ones were renewed from their end
    holder = np.flatnonzero(rng.random(n) < 0.51)
    start = as_of - rng.integers(0, 450, len(holder)).astype("timedelta64[D]")
    start = np.maximum(start, g["birth"][holder])
    end = one_year_later(np, start)
    expired = np.flatnonzero((end <= as_of) & (rng.random(len(holder)) < 0.5))
    c_res = np.concatenate([holder, holder[expired]])
    c_start = np.concatenate([start, end[expired]])
    c_end = one_year_later(np, c_start)
    # a team of the resident's district: institution and team drawn within the district
    teams_per_district = INSTITUTIONS_PER_DISTRICT * TEAMS_PER_INSTITUTION
    c_team = g["district"][c_res].astype(np.int64) * teams_per_district + rng.integers(0, teams_per_district, len(c_res))
    renewal_team = rng.random(len(expired)) < 0.7  # most renew with the same team
    c_team[len(holder):] = np.where(renewal_team, c_team[expired], c_team[len(holder):])

    # ~5 % of the residents' last contracts end early, a quarter of those by death
    last_contract = np.arange(len(holder))
    last_contract[expired] = len(holder) + np.arange(len(expired))
    ended = last_contract[rng.random(len(holder)) < 0.05]
    on = c_start[ended] + rng.integers(0, 365, len(ended)).astype("timedelta64[D]")
    death = rng.random(len(ended)) < 0.25
    c_until = c_end.copy()
    c_until[ended] = on
    died = np.full(n, OPEN_END, dtype=np.int64)
    died[c_res[ended[death]]] = on[death].astype(np.int64)
    g.update(c_res=c_res, c_start=c_start, c_end=c_end, c_until=c_until, c_team=c_team, ended=ended, ended_on=on,
             death=death, died=died)

    # ~8 % of residents with one attribute span (a chronic condition or another key population)
    who = np.flatnonzero(rng.random(n) < 0.08)
    a_from = np.maximum(g["birth"][who], np.datetime64("2010-01-01")) + rng.integers(0, 6000, len(who)).astype(
        "timedelta64[D]")
    a_to = np.where(rng.random(len(who)) < 0.2, (a_from + rng.integers(1, 1500, len(who))).astype(np.int64), OPEN_END)
    g.update(a_res=who, a_code=rng.integers(2, 11, len(who)).astype(np.int8), a_from=a_from, a_to=a_to)
    return g


def place_names():
    places = []
    for d in range(DISTRICTS):
        for s in range(SUBS_PER_DISTRICT):
            for c in range(COMMUNITIES_PER_SUB):
                places.append((f"第{d:02d}区", f"第{d:02d}区{s:02d}街道", f"社区{d:02d}{s:02d}{c:02d}"))
    return places


def load_hotline(hotline, np, g, as_of):
    """The registry, institutions and teams, then residents and contracts (timed), then
    attributes and early ends, which have no bulk call (one Python call each)."""
    S = hotline
    reg = S.SigningRegistry(S.SigningPolicy.guangzhou_2017())
    places = place_names()
    team_codes: list[str] = []
    for d in range(DISTRICTS):
        for i in range(INSTITUTIONS_PER_DISTRICT):
            inst = f"I{d:02d}{i:02d}"
            reg.add_institution(S.SigningInstitution(code=inst, name=f"社区卫生服务中心{inst}", district=f"第{d:02d}区",
                                                     subdistrict=f"第{d:02d}区{i % SUBS_PER_DISTRICT:02d}街道"))
            for t in range(TEAMS_PER_INSTITUTION):
                code = f"T{len(team_codes):04d}"
                reg.add_team(S.SigningTeam(code=code, institution=inst))
                reg.add_staff(S.SigningStaffMember(id="D" + code, institution=inst))
                reg.join_team(code, "D" + code, S.SigningTeamRole.FAMILY_DOCTOR, datetime.date(1990, 1, 1))
                team_codes.append(code)
    reg.add_package(S.SigningPackage(code="BASIC", name="基本服务包", tier=S.SigningPackageTier.BASIC, fee_fen=12000,
                                     insurance_fen=8000, public_health_fen=2000, resident_fen=2000))
    times = {}
    t0 = time.perf_counter()
    reg.add_residents(g["ids"], g["birth"], g["place"], places)
    times["residents"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    reg.sign_many(g["ids"][g["c_res"]], team_codes, g["c_start"], 1, ["BASIC"], team_index=g["c_team"])
    times["contracts"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    attributes = list(S.SigningAttribute.__members__.values())
    by_code: dict = {int(a.value): a for a in attributes}
    ids = g["a_res"].tolist()
    names = g["ids"]
    for r, code, f, to in zip(ids, g["a_code"].tolist(), g["a_from"].tolist(), g["a_to"].tolist()):
        reg.add_attribute(names[r].decode(), by_code[code], f,
                          None if to == OPEN_END else datetime.date(1970, 1, 1) + datetime.timedelta(days=to))
    times["attributes"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    death, request = S.SigningTerminationReason.DEATH, S.SigningTerminationReason.RESIDENT_REQUEST
    for c, on, died in zip(g["ended"].tolist(), g["ended_on"].tolist(), g["death"].tolist()):
        reg.terminate(f"C{c + 1:07d}", on, death if died else request)
    times["terminations"] = time.perf_counter() - t0
    return reg, times


def latest_birth_for_age(as_of, years):
    """The latest birth day (number) of someone at least `years` old on as_of (29 Feb: 1 March)."""
    try:
        b = as_of.replace(year=as_of.year - years)
    except ValueError:
        b = as_of.replace(year=as_of.year - years, day=28)
    return (b - datetime.date(1970, 1, 1)).days


def pandas_coverage(np, pd, frames, as_of):
    """Coverage by district as reports.hpp defines it, in pandas' best form."""
    res, con, att = frames["residents"], frames["contracts"], frames["attributes"]
    d = (as_of - datetime.date(1970, 1, 1)).days
    birth = res["birth"].to_numpy()
    alive = (birth <= d) & (res["died"].to_numpy() > d)
    valid = (con["start"].to_numpy() <= d) & (d < con["until"].to_numpy())
    signed = np.zeros(len(res), dtype=bool)
    signed[con["resident"].to_numpy()[valid]] = True
    elderly = birth <= latest_birth_for_age(as_of, 65)
    child = (birth > latest_birth_for_age(as_of, 7)) & (birth <= d)
    in_force = (att["from"].to_numpy() <= d) & (d < att["to"].to_numpy())
    a_res = att["resident"].to_numpy()[in_force]
    key = elderly | child
    key[a_res] = True
    s = alive & signed
    per_resident = pd.DataFrame({
        "district": res["district"], "population": alive, "signed": s, "key_population": alive & key,
        "key_signed": s & key, "elderly_population": alive & elderly, "elderly_signed": s & elderly,
        "child_population": alive & child, "child_signed": s & child})
    table = per_resident.groupby("district").sum()
    spans = pd.DataFrame({"district": res["district"].to_numpy()[a_res], "attr": att["attr"].to_numpy()[in_force],
                          "population": alive[a_res], "signed": s[a_res]})
    by_attr = spans.groupby(["district", "attr"])[["population", "signed"]].sum()
    return table, by_attr


def compare(np, cov, table, by_attr):
    """Every figure of every district, hotline against pandas; the first difference or None."""
    index = {f"第{int(k):02d}区": k for k in table.index}
    if sorted(index) != [r.group for r in cov.rows]:
        return f"districts differ: hotline {[r.group for r in cov.rows]} pandas {sorted(index)}"
    attr = by_attr.reset_index()
    for r in cov.rows:
        k = index[r.group]
        p = table.loc[k]
        want = {"population": r.all.population, "signed": r.all.signed, "key_population": r.key.population,
                "key_signed": r.key.signed}
        cells = list(r.by_population.values())
        for i, name in enumerate(KEY_POPULATIONS):
            want[f"{name}_population"] = cells[i].population
            want[f"{name}_signed"] = cells[i].signed
        here = attr[attr["district"] == k].set_index("attr")
        got = {c: int(p[c]) for c in ("population", "signed", "key_population", "key_signed", "elderly_population",
                                      "elderly_signed", "child_population", "child_signed")}
        for code in range(2, 11):
            name = KEY_POPULATIONS[code]
            got[f"{name}_population"] = int(here["population"].get(code, 0))
            got[f"{name}_signed"] = int(here["signed"].get(code, 0))
        for c, v in want.items():
            if got[c] != v:
                return f"{r.group} {c}: hotline {v} pandas {got[c]}"
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--residents", type=int, default=10_000_000)
    ap.add_argument("--seed", type=int, default=20261)
    ap.add_argument("--as-of", default="2026-06-30")
    ap.add_argument("--repeat", type=int, default=5, help="timed runs of each coverage; the best is kept")
    args = ap.parse_args()
    import numpy as np
    import pandas as pd

    import hotline

    as_of = datetime.date.fromisoformat(args.as_of)
    print("command:", " ".join([sys.executable] + sys.argv))
    print(f"machine: nproc={os.cpu_count()}, cpu={cpu_model()}, python {platform.python_version()}, "
          f"numpy {np.__version__}, pandas {pd.__version__}, hotline {hotline.__version__}, "
          f"load average {os.getloadavg()[0]:.2f} (a shared machine: other work slows both peers)")

    t0 = time.perf_counter()
    g = generate(np, args.residents, args.seed, np.datetime64(as_of))
    n, nc = args.residents, len(g["c_res"])
    print(f"generated {n:,} residents, {nc:,} contracts ({len(g['ended']):,} ended early, "
          f"{int(g['death'].sum()):,} by death), {len(g['a_res']):,} attribute spans in "
          f"{time.perf_counter() - t0:.1f} s; peak RSS {peak_rss_gib():.2f} GiB")

    reg, times = load_hotline(hotline, np, g, as_of)
    print(f"hotline load: residents {times['residents']:.2f} s ({n / times['residents']:,.0f} rows/s), "
          f"contracts {times['contracts']:.2f} s ({nc / times['contracts']:,.0f} contracts/s, target >= 100,000), "
          f"attributes {times['attributes']:.2f} s ({len(g['a_res']) / times['attributes']:,.0f}/s, one call each), "
          f"terminations {times['terminations']:.2f} s ({len(g['ended']) / times['terminations']:,.0f}/s, one call "
          f"each); peak RSS {peak_rss_gib():.2f} GiB")

    best = float("inf")
    for _ in range(args.repeat):
        t1 = time.perf_counter()
        cov = hotline.signing_coverage(reg, as_of)
        best = min(best, time.perf_counter() - t1)
    hot = best

    frames = {
        "residents": pd.DataFrame({"district": g["district"], "birth": g["birth"].astype(np.int32),
                                   "died": g["died"].astype(np.int32)}),
        "contracts": pd.DataFrame({"resident": g["c_res"].astype(np.int32),
                                   "start": g["c_start"].astype(np.int32), "until": g["c_until"].astype(np.int32)}),
        "attributes": pd.DataFrame({"resident": g["a_res"].astype(np.int32), "attr": g["a_code"],
                                    "from": g["a_from"].astype(np.int32), "to": g["a_to"].astype(np.int32)}),
    }
    best = float("inf")
    for _ in range(args.repeat):
        t1 = time.perf_counter()
        table, by_attr = pandas_coverage(np, pd, frames, as_of)
        best = min(best, time.perf_counter() - t1)
    pan = best
    print(f"peak RSS {peak_rss_gib():.2f} GiB")

    diff = compare(np, cov, table, by_attr)
    if diff:
        print("MISMATCH", diff)
        return 1
    total = cov.total
    print(f"same figures in every district: population {total.all.population:,}, signed {total.all.signed:,} "
          f"({total.all.rate:.1%}), key populations {total.key.population:,}, key signed {total.key.signed:,}, "
          f"and each of the 11 key populations")
    print(f"coverage as of {as_of} by district, best of {args.repeat}: hotline {hot:.3f} s "
          f"({n / hot:,.0f} residents/s), pandas {pan:.3f} s ({n / pan:,.0f} residents/s)")
    print(f"RESULT hotline/pandas {pan / hot:.1f}x (target >= 10x), hotline {hot:.3f} s at {n:,} residents "
          f"(target < 1 s), ingest {nc / times['contracts']:,.0f} contracts/s (target >= 100,000)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
