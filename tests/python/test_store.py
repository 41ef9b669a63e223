"""hotline.Store from Python: create, move, query (lists and DataFrames), masking,
events and the hash chain, conflicts, units and liaisons (issue 4)."""
import datetime as dt
import sqlite3

import pytest

import hotline

SH = hotline.SHANGHAI


def t(day, hour, minute=0):
    return dt.datetime(2025, 3, day, hour, minute, tzinfo=SH)


@pytest.fixture
def store(tmp_path):
    s = hotline.Store(str(tmp_path / "hotline.db"))
    s.add_unit("GZ-YX", "越秀区卫生健康局", kind="district", covers=[("越秀区", "")])
    s.add_unit("YX-BJJ", "越秀区北京街社区卫生服务中心", parent="GZ-YX", covers=[("越秀区", "北京街")])
    s.add_unit("CDC-IMM", "预防接种热线", kind="service_line", topics=["immunization"])
    s.set_liaison("YX-BJJ", "李联络", mobile="13900002222", valid_from=t(1, 9), reported_by="YX-BJJ")
    return s


def new_order(store, **kw):
    args = dict(request_type="complaint", received=t(3, 10), content="家庭医生未按约定上门随访",
                caller_name="王小明", caller_phone="13812341234", agent="A017",
                district="越秀区", sub_district="北京街")
    args.update(kw)
    return store.create(**args)


def test_life_of_an_order(store):
    wo = new_order(store)
    assert wo.state == "waiting_for_dispatch"
    assert wo.caller_phone == "138****1234"  # masked by default
    assert wo.clocks["transfer"]["outcome"] == "running"
    # 001 annex 10 item 3: transfer within 1 working day -> end of Tue 2025-03-04.
    assert wo.clocks["transfer"]["due"] == dt.datetime(2025, 3, 5, tzinfo=SH)
    store.dispatch(wo.number, unit="YX-BJJ", actor="D02", at=t(3, 11))
    store.sign_for(wo.number, actor="L1", actor_unit="YX-BJJ", at=t(3, 12))
    store.reply(wo.number, actor="L1", actor_unit="YX-BJJ", text="已安排上门", finding="true", resolved=True,
                means="phone", at=t(4, 9))
    store.accept_reply(wo.number, actor="R1", at=t(4, 10))
    store.call_back(wo.number, actor="C1", result="satisfied", at=t(5, 10))
    done = store.close(wo.number, actor="C1", at=t(5, 11))
    assert done.state == "closed" and done.version == 7
    evs = store.events(wo.number)
    assert [e.action for e in evs] == ["create", "dispatch", "sign_for", "reply", "accept_reply", "call_back", "close"]
    assert evs[1].state_before == "waiting_for_dispatch" and evs[1].state_after == "dispatched"
    assert len(evs[0].hash) == 64
    assert store.verify().ok
    full = store.get(wo.number, reveal=True)
    assert full.caller_phone == "13812341234"
    assert full.liaison == "李联络"


def test_illegal_transition_and_role(store):
    wo = new_order(store)
    with pytest.raises(hotline.IllegalTransitionError, match="sign_for"):
        store.sign_for(wo.number, actor="L1", actor_unit="YX-BJJ")
    with pytest.raises(hotline.PermissionDeniedError, match="liaison"):
        store.dispatch(wo.number, unit="YX-BJJ", actor="L1", role="liaison", actor_unit="YX-BJJ")
    with pytest.raises(hotline.NotFoundError, match="NOPE"):
        store.dispatch(wo.number, unit="NOPE", actor="D02")
    with pytest.raises(hotline.InvalidArgumentError):
        store.amend(wo.number, actor="A017", fields={"state": "closed"})
    with pytest.raises(TypeError):
        store.dispatch(wo.number, actor="D02", bogus=1)
    assert store.get(wo.number).version == 1


def test_conflict_is_reported(tmp_path, store):
    wo = new_order(store)
    other = hotline.Store(store.path)
    store.amend(wo.number, actor="A017", fields={"content": "第一次修改"}, expected_version=1)
    with pytest.raises(hotline.ConflictError):
        other.amend(wo.number, actor="A018", fields={"content": "第二次修改"}, expected_version=1)
    assert other.get(wo.number).content == "第一次修改"


def test_queries_lists_and_frames(store):
    a = new_order(store)
    b = new_order(store, received=t(3, 11))
    store.dispatch(a.number, actor="D02", at=t(3, 12))  # routed by place
    assert store.get(a.number).unit == "YX-BJJ"
    assert [o.number for o in store.orders(unit="YX-BJJ", open=True)] == [a.number]
    assert store.count(state="waiting_for_dispatch") == 1
    late = store.orders(overdue_as_of=t(6, 0))
    assert {o.number for o in late} == {a.number, b.number}
    assert store.orders(overdue_as_of=t(4, 23))  == []
    mine = store.orders(caller_phone="13812341234")
    assert len(mine) == 2 and all(o.caller_phone == "138****1234" for o in mine)
    pd = pytest.importorskip("pandas")
    df = store.orders_frame(open=True)
    assert isinstance(df, pd.DataFrame)
    assert len(df) == 2
    assert set(df["caller_phone"]) == {"138****1234"}
    assert "transfer_due" in df.columns
    ev = store.events_frame(a.number)
    assert list(ev["action"]) == ["create", "dispatch"]


def test_hostile_text(store):
    evil = "'); DROP TABLE events; --"
    wo = new_order(store, content=evil, address=evil)
    assert store.get(wo.number, reveal=True).content == evil
    with pytest.raises(hotline.InvalidArgumentError, match="caller_name"):
        new_order(store, caller_name="x" * 300)
    # Python str cannot hold broken UTF-8 (surrogates are refused before reaching C++).
    with pytest.raises((UnicodeEncodeError, TypeError, ValueError)):
        new_order(store, content="bad \udcff")
    assert store.count() == 1
    assert store.verify().ok


def test_urgent_callback_and_units(store):
    seen = []
    store.on_urgent(lambda o: seen.append((o.number, o.caller_phone)))
    wo = new_order(store, urgent=True)
    assert seen == [(wo.number, "13812341234")]  # 000 art. 10: the host forwards it at once
    assert store.route("越秀区", "北京街") == ("YX-BJJ", "place")
    assert store.route("越秀区", "北京街", "immunization") == ("CDC-IMM", "topic")
    assert store.route("天河区") is None
    store.set_liaison("YX-BJJ", "张三", mobile="13900003333", valid_from=t(10, 9))
    hist = store.liaison_history("YX-BJJ")
    assert [h["name"] for h in hist] == ["李**", "张*"]
    assert hist[0]["valid_to"] == t(10, 9)
    assert store.liaisons("YX-BJJ", as_of=t(5, 0), reveal=True)[0]["name"] == "李联络"


def test_tamper_is_found(tmp_path, store):
    wo = new_order(store)
    store.dispatch(wo.number, unit="YX-BJJ", actor="D02", at=t(3, 11))
    con = sqlite3.connect(store.path)
    # Schema 4 keeps the events of one write in one block row (docs/store.md).
    with pytest.raises(sqlite3.DatabaseError):
        con.execute("DELETE FROM event_blocks")
    con.execute("DROP TRIGGER event_blocks_no_update")
    changed = con.execute("UPDATE event_blocks SET body = CAST(replace(CAST(body AS TEXT), 'D02', 'X02') AS BLOB) "
                          "WHERE first_id = 2").rowcount
    assert changed == 1
    con.commit()
    con.close()
    r = store.verify()
    assert not r.ok and r.first_broken == 2


def test_sla_preset_behind_the_seam(tmp_path):
    s = hotline.Store(str(tmp_path / "gz.db"), sla_preset="guangzhou-family-doctor")
    wo = s.create(request_type="consultation", line="family_doctor", received=dt.datetime(2025, 9, 30, 15, tzinfo=SH),
                  content="咨询签约流程", agent="A017")
    s.add_unit("U1", "某社区卫生服务中心")
    d = s.dispatch(wo.number, unit="U1", actor="D02", at=dt.datetime(2025, 10, 9, 9, tzinfo=SH))
    # 000 art. 12: 2 working days from the day after receipt, National Day stepped over.
    assert d.clocks["reply"]["due"] == dt.datetime(2025, 10, 11, tzinfo=SH)
    with pytest.raises(hotline.NotFoundError):
        hotline.Store(str(tmp_path / "x.db"), sla_preset="no-such-preset")


def test_bulk_import_writes_what_single_calls_write(tmp_path, store):
    """Store.bulk(): the same lives as single calls, committed by the import's writer thread."""
    other = hotline.Store(str(tmp_path / "single.db"))
    other.add_unit("GZ-YX", "越秀区卫生健康局", kind="district", covers=[("越秀区", "")])
    other.add_unit("YX-BJJ", "越秀区北京街社区卫生服务中心", parent="GZ-YX", covers=[("越秀区", "北京街")])
    other.set_liaison("YX-BJJ", "李联络", mobile="13900002222", valid_from=t(1, 9), reported_by="YX-BJJ")

    def lives(create, apply):
        numbers = []
        for i in range(25):
            no = create(request_type="complaint", received=t(3, 8 + i % 10, i), agent="A017",
                        content=f"第{i}号：家庭医生未按约定上门随访", caller_phone=f"138{12340000 + i}",
                        district="越秀区", sub_district="北京街", urgent=(i == 7))
            numbers.append(no)
        for k, no in enumerate(numbers):  # each order's later steps fall in later transactions
            apply(no, "dispatch", actor="D02", at=t(4, 9), unit="YX-BJJ")
            if k % 3:
                apply(no, "sign_for", actor="L1", actor_unit="YX-BJJ", at=t(4, 10))
            if k % 3 == 2:
                apply(no, "reply", actor="L1", actor_unit="YX-BJJ", at=t(5, 10), text="已处理", resolved=True)
        return numbers

    seen = []
    store.on_urgent(lambda o: seen.append(o.number))
    with store.bulk(orders_per_transaction=4) as imp:
        bulk_numbers = lives(imp.create, lambda no, a, **kw: imp.apply(no, a, **kw))
        with pytest.raises(hotline.InvalidArgumentError):
            store.get(bulk_numbers[0])  # the store takes no other call meanwhile
    assert imp.committed_orders == 25
    waits = imp.waits  # kept once finished: each thread's seconds waiting for the other
    assert set(waits) == {"caller_s", "writer_s"} and all(v >= 0 for v in waits.values())
    assert waits["writer_s"] > 0  # it waited at least for the first transaction
    single_numbers = lives(lambda **kw: other.create(**kw).number, lambda no, a, **kw: other.apply(no, a, **kw))
    assert bulk_numbers == single_numbers
    a = [o.to_dict() for o in store.orders(reveal=True)]
    b = [o.to_dict() for o in other.orders(reveal=True)]
    assert a == b
    assert [o["state"] for o in a].count("replied") == 8
    assert store.verify().ok
    assert len(seen) == 1 and seen[0] == bulk_numbers[7]


def test_bulk_import_errors(store):
    imp = store.bulk()
    no = imp.create(request_type="complaint", received=t(3, 10), content="上门随访", agent="A017",
                    district="越秀区", sub_district="北京街")
    with pytest.raises(hotline.IllegalTransitionError):
        imp.apply(no, "sign_for", actor="L1", actor_unit="YX-BJJ", at=t(3, 11))
    assert imp.apply(no, "dispatch", actor="D02", at=t(3, 11), unit="YX-BJJ") == 2
    imp.finish()
    with pytest.raises(hotline.InvalidArgumentError):
        imp.create(request_type="complaint", received=t(3, 10), content="x", agent="A017")
    assert store.get(no).state == "dispatched"
    # An exception inside the block drops what was not handed over.
    with pytest.raises(RuntimeError):
        with store.bulk(orders_per_transaction=100) as imp2:
            dropped = imp2.create(request_type="complaint", received=t(3, 12), content="丢弃", agent="A017")
            raise RuntimeError("the caller's own failure")
    assert store.get(dropped) is None
    assert store.count() == 1


def test_threads_share_one_store(store):
    """Python threads may share one Store: the bindings release the GIL and the store
    takes one call at a time; the urgent hook (which needs the GIL) runs outside the
    store's lock, so a thread holding the GIL while it waits for the store cannot
    deadlock with it."""
    import threading

    seen = []
    store.on_urgent(lambda o: seen.append(store.get(o.number).number))  # re-enters the store
    numbers, errors = [], []

    def writer(k):
        try:
            for i in range(40):
                wo = new_order(store, received=t(3, 10, i), urgent=(i % 8 == 0), caller_phone=f"1381234{k}{i:03d}")
                store.dispatch(wo.number, unit="YX-BJJ", actor="D02", at=t(3, 12))
                numbers.append(wo.number)
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    def reader():
        try:
            for _ in range(200):
                assert len(store.units()) == 3
                store.route("越秀区", "北京街")
                store.count(unit="YX-BJJ")
        except Exception as e:  # pragma: no cover
            errors.append(e)

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(3)] + [threading.Thread(target=reader)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=60)
    assert not any(th.is_alive() for th in threads), "a thread is stuck: deadlock"
    assert errors == []
    assert len(set(numbers)) == 120
    assert store.count(state="dispatched") == 120
    assert sorted(seen) == sorted(n for n in numbers if store.get(n, reveal=True).urgent)
    assert len(seen) == 15
    assert store.verify().ok
