"""hotline.Store on PostgreSQL from Python (issue 21): the same calls, DataFrames and
reports as on SQLite for the same orders, copy_store both ways, and the server's errors.

Runs as ctest's python_tests_on_pg inside a throwaway cluster (tests/pg/throwaway_cluster.sh
sets HOTLINE_PG and the PG* variables createdb reads); skipped in the plain Python run."""
import datetime as dt
import os
import random
import subprocess

import pytest

import hotline

pytestmark = pytest.mark.skipif(not os.environ.get("HOTLINE_PG"),
                                reason="needs a PostgreSQL server: runs as python_tests_on_pg in a throwaway cluster")

SH = hotline.SHANGHAI
TYPES = ["consultation", "complaint", "report", "help_request", "praise", "suggestion"]


def database(name):
    """A fresh database on the throwaway server, as a store location."""
    subprocess.run(["dropdb", "--if-exists", name], check=True, capture_output=True)
    subprocess.run(["createdb", name], check=True)
    head, _, query = os.environ["HOTLINE_PG"].partition("?")  # postgresql:///postgres?host=...
    return head[: head.index(":///") + 4] + name + ("?" + query if query else "")


def t(day, hour, minute=0):
    return dt.datetime(2025, 3, day, hour, minute, tzinfo=SH)


def fill(s):
    """Forty orders of March 2025 moved to seeded stages: the same commands into any store."""
    s.add_unit("GZ-YX", "越秀区卫生健康局", kind="district", covers=[("越秀区", "")])
    s.add_unit("YX-BJJ", "越秀区北京街社区卫生服务中心", parent="GZ-YX", covers=[("越秀区", "北京街")])
    s.set_liaison("YX-BJJ", "李联络", mobile="13900002222", valid_from=t(1, 9), reported_by="YX-BJJ")
    rng = random.Random(21)
    for i in range(40):
        kind = TYPES[i % len(TYPES)]
        received = t(3 + i % 20, 9 + i % 7, i % 50)
        wo = s.create(request_type=kind, received=received, content=f"第{i}号来电", caller_phone="13812341234",
                      agent="A017", district=rng.choice(["越秀区", "海珠区"]),
                      complaint_subject="医疗服务" if kind == "complaint" else "",
                      topic="免疫规划" if kind == "consultation" else "")
        stage = rng.randrange(4)
        if stage >= 1:
            late = dt.timedelta(days=3 if i % 7 == 0 else 0)
            s.dispatch(wo.number, unit="YX-BJJ", actor="D02", at=received + late + dt.timedelta(hours=1))
            s.sign_for(wo.number, actor="L1", actor_unit="YX-BJJ", at=received + late + dt.timedelta(hours=2))
        if stage >= 2:
            s.reply(wo.number, actor="L1", actor_unit="YX-BJJ", text="已处理", finding="true", resolved=True,
                    means="phone", at=received + dt.timedelta(days=4))
        if stage >= 3:
            s.accept_reply(wo.number, actor="R1", at=received + dt.timedelta(days=4, hours=1))
            s.call_back(wo.number, actor="C1", result="satisfied" if i % 3 else "dissatisfied",
                        at=received + dt.timedelta(days=4, hours=2))
            s.close(wo.number, actor="C1", at=received + dt.timedelta(days=4, hours=3))


def tables(s):
    p = hotline.ReportingPeriod.month(2025, 3)
    out = list(hotline.monthly_statistics(s, p).tables())
    out.append(hotline.quarterly_summary_table(s, hotline.ReportingPeriod.quarter(2025, 1)))
    out += hotline.timeliness(s, p, p.end).tables()
    return [(x.title, x.columns, x.rows, x.notes) for x in out]


def test_the_same_orders_give_the_same_frames_and_reports_on_both(tmp_path):
    lite = hotline.Store(str(tmp_path / "h.db"))
    pg = hotline.Store(database("py_same"))
    assert pg.schema_version == lite.schema_version
    fill(lite)
    fill(pg)
    assert pg.verify().ok and pg.count() == lite.count() == 40
    a = lite.orders_frame(reveal=True).sort_values("number").reset_index(drop=True)
    b = pg.orders_frame(reveal=True).sort_values("number").reset_index(drop=True)
    assert a.equals(b)
    assert tables(lite) == tables(pg)
    assert len(tables(pg)) >= 5


def test_copy_store_moves_a_store_up_and_back(tmp_path):
    src = str(tmp_path / "src.db")
    fill(hotline.Store(src))
    target = database("py_moved")
    up = hotline.copy_store(src, target)
    assert (up.orders, up.units, up.liaisons) == (40, 2, 1)
    back = str(tmp_path / "back.db")
    down = hotline.copy_store(target, back)
    assert down.head.head_hash == up.head.head_hash and down.events == up.events
    source, moved, returned = hotline.Store(src), hotline.Store(target), hotline.Store(back)
    assert up.events == source.head().event_count
    assert moved.verify().ok and returned.verify().ok
    for s in (moved, returned):
        for wo in source.orders(limit=0):
            assert [e.hash for e in s.events(wo.number)] == [e.hash for e in source.events(wo.number)]
    assert tables(moved) == tables(source) == tables(returned)
    with pytest.raises(hotline.InvalidArgumentError, match="the target is not empty"):
        hotline.copy_store(src, target)


def test_the_command_line_takes_a_postgresql_location(tmp_path):
    import test_cli  # the CLI finder and runner (skips like test_cli when the CLI was not built)
    if test_cli.CLI is None:
        pytest.skip("the hotline command line was not built")
    src = str(tmp_path / "src.db")
    fill(hotline.Store(src))
    target = database("py_cli")
    r = test_cli.js("store", "--db", src, "copy", "--to", target)
    assert r["orders"] == 40 and r["to"] == target
    assert test_cli.js("store", "--db", target, "verify")["events_checked"] == r["events"]
    assert len(test_cli.js("store", "--db", target, "list", "--limit", "0")["orders"]) == 40
    monthly = test_cli.ok("report", "--db", target, "monthly", "2025-03").out
    assert monthly == test_cli.ok("report", "--db", src, "monthly", "2025-03").out


def test_a_stale_version_is_a_conflict_on_postgresql():
    location = database("py_conflict")
    s = hotline.Store(location)
    fill(s)
    other = hotline.Store(location)  # another host's connection
    wo = s.orders(state="waiting_for_dispatch", limit=1)[0]
    other.dispatch(wo.number, unit="YX-BJJ", actor="D02", at=t(28, 9), expected_version=wo.version)
    # Void is legal in both states: only the version stands in the way.
    with pytest.raises(hotline.ConflictError):
        s.void_order(wo.number, actor="D03", role="dispatcher", at=t(28, 10), expected_version=wo.version)
    assert s.get(wo.number).state == "dispatched"


def test_the_server_unreachable_is_a_storage_error_without_the_password():
    with pytest.raises(hotline.StorageError) as e:
        hotline.Store("postgresql://hotline:s3cret@/hotline?host=/nonexistent-socket-dir")
    assert "s3cret" not in str(e.value) and "***" in str(e.value)


def test_bulk_and_signed_heads_on_postgresql(tmp_path):
    """Store.bulk() and a key file on the server: the same API as on a file."""
    key = str(tmp_path / "head.key")
    public = hotline.generate_key_file(key)
    location = database("py_bulk_signed")
    s = hotline.Store(location, key_file=key)
    s.add_unit("YX-BJJ", "越秀区北京街社区卫生服务中心", covers=[("越秀区", "北京街")])
    with s.bulk(orders_per_transaction=4) as imp:
        numbers = [imp.create(request_type="complaint", received=t(3, 9, i), content=f"第{i}号来电", agent="A017")
                   for i in range(10)]
        assert imp.apply(numbers[0], "dispatch", actor="D02", unit="YX-BJJ", at=t(3, 11)) == 2
    assert imp.committed_orders == 10
    assert s.count() == 10 and s.get(numbers[0]).state == "dispatched"
    report = s.verify(public_key=public)
    assert report.ok and report.events_checked == 11 and report.heads_checked == 3  # 4 + 4 + 2 orders
    head = s.head()
    assert head.is_signed and s.last_signed_head() == head
    other_key = str(tmp_path / "other.key")
    assert not s.verify(public_key=hotline.generate_key_file(other_key)).ok
