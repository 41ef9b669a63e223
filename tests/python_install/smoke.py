"""The installed hotline package, used as a user would: run by smoke.sh with a
throwaway venv's python, from a directory outside the source tree.

    <venv>/bin/python smoke.py --source <tree> --venv <venv>

Every expected value is counted by hand from the national calendar (000 art. 12)
or from the one order made here, never read back from the code under test.
"""
import argparse
import datetime as dt
import os
import pathlib
import re
import subprocess
import sys
import tempfile

# pybind11 classes have pybind11's metaclass, and those without a constructor take
# (*args, **kwargs) at run time only to raise: neither can be written in a stub.
# The same filter as tests/python/test_stubs.py.
EXPECTED_STUBTEST = (
    re.compile(r"is inconsistent, metaclass differs"),
    re.compile(r'__init__ is inconsistent, stub does not have \*args argument "args"'),
)


def check(what, got, want):
    if got != want:
        raise AssertionError(f"{what}: got {got!r}, expected {want!r}")
    print(f"ok   {what}: {got!r}")


def inside(path, directory):
    path, directory = pathlib.Path(path).resolve(), pathlib.Path(directory).resolve()
    return path == directory or directory in path.parents


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--source", required=True, help="the source tree (for data/knowledge only)")
    ap.add_argument("--venv", required=True, help="the venv the package is installed into")
    args = ap.parse_args()
    source = pathlib.Path(args.source).resolve()

    if inside(os.getcwd(), source):
        raise AssertionError(f"run from outside the source tree, not {os.getcwd()}")
    import hotline
    import hotline._core

    # The package imported is the installed one: in the venv, not the tree or build/python.
    check("hotline.__file__ inside the venv", inside(hotline.__file__, args.venv), True)
    check("hotline._core.__file__ inside the venv", inside(hotline._core.__file__, args.venv), True)
    check("hotline.__file__ outside the source tree", inside(hotline.__file__, source), False)
    pkg = pathlib.Path(hotline.__file__).parent
    check("py.typed and _core.pyi installed", [(pkg / f).is_file() for f in ("py.typed", "_core.pyi")], [True, True])
    check("hotline.__version__", bool(re.fullmatch(r"\d+\.\d+\.\d+", hotline.__version__)), True)

    # Calendar: the built-in national data, compiled in.  000 art. 12: 10-01..10-08
    # 2025 are off, so one working day after 09-30 is Thursday 10-09; Sunday 01-26
    # 2025 is a worked (调休) day.
    cal = hotline.Calendar.china()
    check("2025-09-30 + 1 working day", cal.add_workdays(dt.date(2025, 9, 30), 1), dt.date(2025, 10, 9))
    check("2025-01-25 + 2 working days", cal.add_workdays(dt.date(2025, 1, 25), 2), dt.date(2025, 1, 27))
    check("2026-02-14 is a working Saturday", cal.is_workday(dt.date(2026, 2, 14)), True)

    # SLA: a consultation on the eve of National Day, Guangzhou preset (000 art. 12):
    # 10-09 (1), 10-10 (2), due at the start of 10-11.
    tz = hotline.SHANGHAI
    gz = hotline.SlaPolicy.preset("guangzhou-family-doctor")
    d = gz.deadline(request_type="consultation", received=dt.datetime(2025, 9, 30, 15, tzinfo=tz))
    check("consultation due (guangzhou)", d.due, dt.datetime(2025, 10, 11, tzinfo=tz))
    check("its article", d.cite, "000 art. 12")

    with tempfile.TemporaryDirectory(prefix="hotline-smoke-") as tmp:
        # The store: one complaint, dispatched, answered, called back and closed.
        store = hotline.Store(os.path.join(tmp, "hotline.db"))
        store.add_unit("GZ-YX", "越秀区卫生健康局", kind="district", covers=[("越秀区", "")])
        received = dt.datetime(2025, 3, 4, 10, tzinfo=tz)
        wo = store.create(request_type="complaint", received=received, content="社区医院排队太久",
                          caller_phone="13812341234", agent="A017", district="越秀区", complaint_subject="医疗服务")
        check("new complaint's state", wo.state, "waiting_for_dispatch")
        check("caller phone masked", wo.caller_phone, "138****1234")
        n = wo.number
        store.dispatch(n, unit="GZ-YX", actor="D02", at=received + dt.timedelta(hours=1))
        store.sign_for(n, actor="L1", actor_unit="GZ-YX", at=received + dt.timedelta(hours=2))
        store.reply(n, actor="L1", actor_unit="GZ-YX", text="已处理", finding="true", resolved=True, means="phone",
                    at=received + dt.timedelta(days=1))
        store.accept_reply(n, actor="R1", at=received + dt.timedelta(days=1, hours=1))
        store.call_back(n, actor="C1", result="satisfied", at=received + dt.timedelta(days=1, hours=2))
        closed = store.close(n, actor="C1", at=received + dt.timedelta(days=1, hours=3))
        check("after close", (closed.state, closed.unit, closed.call_back), ("closed", "GZ-YX", "satisfied"))
        check("open orders", store.count(open=True), 0)
        chain = store.verify()
        check("event chain verified", chain.ok, True)
        # create, dispatch, sign_for, reply, accept_reply, call_back, close
        check("events in the chain", (chain.events_checked, len(store.events(n))), (7, 7))

        # Reports: annex 8 of March 2025 holds that one complaint.
        march = hotline.ReportingPeriod.month(2025, 3)
        m = hotline.monthly_statistics(store, march)
        check("March total, complaints", (m.total, m.complaints), (1, 1))
        tables = m.tables()
        check("annex 8 tables", len(tables), 4)
        first = tables[0].to_pandas()
        check("table 1 columns", list(first.columns), ["举报", "投诉", "咨询", "建议", "其他", "合计"])
        check("table 1 投诉, 合计", (int(first["投诉"].iloc[0]), int(first["合计"].iloc[0])), (1, 1))
        tl = hotline.timeliness(store, march, march.end)
        check("call-backs satisfied", tl.call_backs["satisfied"], 1)
        out = os.path.join(tmp, "2025-03.xlsx")
        hotline.write_xlsx(tables, out)
        check("XLSX written", os.path.getsize(out) > 0, True)
        del store  # closes the file before its directory goes

    # Knowledge matching on the sample base shipped in the tree (a centre loads its own).
    kb = hotline.KnowledgeBase()
    check("entries imported", kb.import_file(str(source / "data" / "knowledge" / "family_doctor_kb.json")), 24)
    kb.calibrate()
    day = dt.date(2025, 6, 1)
    check("best match, traditional script", kb.match("家庭醫生可以網上簽約嗎", on=day)[0].id, "FD-002")
    check("best match", kb.match("狂犬疫苗一共要打几针", on=day)[0].id, "IM-001")
    # Triage (the cues and corpus are compiled in).
    g = kb.classify("我活着没什么意思了，不想活了")
    check("crisis triage", (g.triage.urgent, g.triage.route), (True, "psychological_crisis_line"))

    # The stubs against the installed module (mypy's stubtest), from the venv; its
    # .mypy_cache goes into the working directory, smoke.sh's temporary one.
    run = subprocess.run([sys.executable, "-m", "mypy.stubtest", "hotline._core"], capture_output=True, text=True,
                         timeout=900, cwd=os.getcwd())
    errors = [line for line in run.stdout.splitlines() if line.startswith("error:")]
    unexpected = [e for e in errors if not any(p.search(e) for p in EXPECTED_STUBTEST)]
    if unexpected or not ("Found" in run.stdout or run.returncode == 0):
        print(run.stdout[-4000:], run.stderr[-4000:], sep="\n", file=sys.stderr)
        raise AssertionError(f"stubtest: {len(unexpected)} unexpected findings")
    print(f"ok   stubtest hotline._core: {len(errors)} expected findings only")
    print("installed package: all checks passed")


if __name__ == "__main__":
    main()
