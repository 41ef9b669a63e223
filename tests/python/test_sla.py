"""SLA policies from Python: presets by the article, JSON, batch forms, bad input.

Expected dates are counted by hand from the national calendar data
(data/calendar/cn_national_2004_2026.csv); the comments show the count.
"""
import datetime
import json

import numpy as np
import pytest

import hotline

TZ = hotline.SHANGHAI


def bj(y, m, d, hh=0, mm=0, ss=0):
    return datetime.datetime(y, m, d, hh, mm, ss, tzinfo=TZ)


@pytest.fixture(scope="module")
def gz():
    return hotline.SlaPolicy.preset("guangzhou-family-doctor")


@pytest.fixture(scope="module")
def tj():
    return hotline.SlaPolicy.preset("tianjin-12320")


@pytest.mark.parametrize(
    "request_type, received, due",
    [
        # 000 art. 12: eve of National Day; 10-01..08 off; Thu 10-09 (1), Fri 10-10 (2).
        ("consultation", bj(2025, 9, 30, 15), bj(2025, 10, 11)),
        # 000 art. 12: 10-09, 10-10, Sat 10-11 (worked), 10-13..17, 10-20, 10-21.
        ("complaint", bj(2025, 9, 30, 15), bj(2025, 10, 22)),
        ("praise", bj(2025, 9, 30, 15), bj(2025, 10, 22)),
        ("投诉", bj(2025, 9, 30, 15), bj(2025, 10, 22)),
        # 000 art. 12: Friday; Sat off, Sun 01-26 worked (1), Mon 01-27 (2).
        ("consultation", bj(2025, 1, 24, 10), bj(2025, 1, 28)),
        # 000 art. 12: 23:59 Thursday: Fri 01-24 (1), Sun 01-26 (2) ...
        ("consultation", bj(2025, 1, 23, 23, 59), bj(2025, 1, 27)),
        # ... and 00:00 Friday is Friday's receipt.
        ("consultation", bj(2025, 1, 24, 0, 0), bj(2025, 1, 28)),
        # 000 art. 12: on the worked Saturday 2025-02-08: Mon 02-10 (1), Tue 02-11 (2).
        ("consultation", bj(2025, 2, 8, 11), bj(2025, 2, 12)),
        # 000 art. 12: eve of Spring Festival: 01-28..02-04 off; Wed 02-05, Thu 02-06.
        ("consultation", bj(2025, 1, 27, 16), bj(2025, 2, 7)),
        # 000 art. 12: across the year end: 2025-01-01 off; Thu 01-02, Fri 01-03.
        ("consultation", bj(2024, 12, 31, 18), bj(2025, 1, 4)),
    ],
)
def test_guangzhou_preset_by_article(gz, request_type, received, due):
    d = gz.deadline(request_type=request_type, received=received)
    assert d.due == due
    assert d.cite == "000 art. 12"


def test_issue_contract_and_explanation(gz):
    policy = hotline.SlaPolicy.preset("guangzhou-family-doctor")
    # The issue's contract: due() is a tz-aware datetime; deadline() the same with its explanation.
    due = policy.due(request_type="consultation", received=datetime.datetime(2025, 9, 30, 15, 0, tzinfo=TZ))
    assert isinstance(due, datetime.datetime) and due.tzinfo is not None
    assert due == bj(2025, 10, 11)  # end of 10-10, the 2nd working day after 09-30 (10-01..08 off)
    d = policy.deadline(request_type="consultation", received=datetime.datetime(2025, 9, 30, 15, 0, tzinfo=TZ))
    assert d.due == bj(2025, 10, 11)
    assert d.due.tzinfo is not None
    assert d.last_day == datetime.date(2025, 10, 10)
    assert d.rule == "consultation" and d.clock == "reply"
    assert [s[0] for s in d.stepped_over] == [datetime.date(2025, 10, k) for k in range(1, 9)]
    assert "National Day" in d.explain()
    assert hotline.SlaPolicy.presets() == ["guangzhou-family-doctor", "tianjin-12320", "tianjin-12320-annex8"]


def test_tianjin_transfer_and_handling(tj):
    # 001 annex 10 item 3: 8 staffed hours from the next opening: 1.5 h on 09-30, 6.5 h from 08:30 10-09.
    assert tj.deadline(request_type="consultation", received=bj(2025, 9, 30, 15), clock="transfer").due == bj(2025, 10, 9, 15)
    # 001 §3.4: simple 7 working days from the day after the transfer: 10-09 .. 10-16.
    assert tj.deadline(request_type="complaint", start=bj(2025, 9, 30, 15)).due == bj(2025, 10, 17)
    # 001 §3.4: complex 30: 2025-03-04 .. 04-15 (Tomb-sweeping 04-04..06 off).
    assert tj.deadline(request_type="report", start=bj(2025, 3, 3, 10), complexity="complex").due == bj(2025, 4, 16)


def test_reports():
    tj = hotline.SlaPolicy.preset("tianjin-12320")
    # 001 §3.2: the 15th and the last day of each month.
    got = tj.report_due_dates("receipt_statistics", datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))
    assert [r.due for r in got] == [datetime.date(2024, 2, 15), datetime.date(2024, 2, 29)]
    # 001 §3.2: by the 7th of the next month; annex 8's header: by the 5th.
    assert tj.report_for("monthly_statistics", datetime.date(2025, 1, 9)).due == datetime.date(2025, 2, 7)
    a8 = hotline.SlaPolicy.preset("tianjin-12320-annex8")
    assert a8.report_for("monthly_statistics", datetime.date(2025, 1, 9)).due == datetime.date(2025, 2, 5)


def test_clock_pause_extension_reopen(gz):
    # 000 art. 12, complaint received Fri 2025-09-26: due end of 10-16 without pauses; a pause
    # from 12:00 09-30 to 12:00 10-09 takes one working day (the holiday in it costs nothing).
    ev = [("start", bj(2025, 9, 26, 10)), ("pause", bj(2025, 9, 30, 12), "waiting_for_caller"),
          ("resume", bj(2025, 10, 9, 12))]
    s = gz.evaluate(request_type="complaint", events=ev, as_of=bj(2025, 10, 10))
    assert s.state == "running" and s.due == bj(2025, 10, 18) and s.paused == 1.0
    # An extension of 2 working days on a consultation: 10-09, 10-10, 10-11 (Sat, worked), 10-13.
    ev = [("start", bj(2025, 9, 30, 15)), ("extend", bj(2025, 10, 9, 10), 2)]
    assert gz.evaluate(request_type="consultation", events=ev, as_of=bj(2025, 10, 9, 11)).due == bj(2025, 10, 14)
    # Reopen: a new cycle; the first keeps its outcome.
    ev = [("start", bj(2025, 3, 3, 10)), ("stop", bj(2025, 3, 5, 9)), ("reopen", bj(2025, 3, 10, 9))]
    cycles = gz.evaluate_cycles(request_type="consultation", events=ev, as_of=bj(2025, 3, 14, 12))
    assert [c.state for c in cycles] == ["met", "breached"]
    assert cycles[1].due == bj(2025, 3, 13)
    assert cycles[1].late_by_seconds == 36 * 3600


def test_bad_input_is_a_clear_error(gz):
    with pytest.raises(hotline.InvalidArgumentError, match="unknown request_type 'inquiry'"):
        gz.deadline(request_type="inquiry", received=bj(2025, 9, 30, 15))
    with pytest.raises(TypeError, match="naive"):
        gz.deadline(request_type="consultation", received=datetime.datetime(2025, 9, 30, 15))
    with pytest.raises(hotline.NotFoundError, match="no rule"):
        gz.deadline(request_type="suggestion", received=bj(2025, 9, 30, 15))
    t = bj(2025, 3, 3, 10)
    with pytest.raises(hotline.InvalidArgumentError, match="cannot stop before it started"):
        gz.evaluate(request_type="consultation", events=[("start", t), ("stop", t - datetime.timedelta(hours=1))], as_of=t)
    with pytest.raises(hotline.IllegalTransitionError, match="overlapping pauses"):
        gz.evaluate(request_type="consultation", as_of=t,
                    events=[("start", t), ("pause", t, "waiting_for_caller"), ("pause", t, "waiting_for_caller")])
    with pytest.raises(hotline.IllegalTransitionError, match="stopped"):
        gz.evaluate(request_type="consultation", as_of=t,
                    events=[("start", t), ("stop", t), ("extend", t, 1)])
    with pytest.raises(hotline.InvalidArgumentError, match="NaT"):
        gz.due_many("consultation", np.array(["NaT"], dtype="datetime64[s]"))


def test_json_round_trip_and_errors(gz, tmp_path):
    again = hotline.SlaPolicy.from_json(gz.to_json())
    assert again.to_json() == gz.to_json()
    path = tmp_path / "gz.json"
    path.write_text(gz.to_json(), encoding="utf-8")
    assert hotline.SlaPolicy.from_json(path).to_json() == gz.to_json()
    assert hotline.SlaPolicy.from_json(str(path)).name == "guangzhou-family-doctor"
    doc = json.loads(gz.to_json())
    doc["rules"][1]["clocks"][0]["target"] = {"working_days": 0}
    with pytest.raises(hotline.ParseError, match=r"rules\[1\]\.clocks\[0\]\.target\.working_days"):
        hotline.SlaPolicy.from_json(doc)
    doc["rules"][1]["clocks"][0]["target"] = {"working_days": 3}
    assert hotline.SlaPolicy.from_json(doc).deadline(request_type="praise", received=bj(2025, 3, 3, 10)).due == bj(2025, 3, 7)


def test_batch_forms_agree_with_single(gz):
    rng = np.random.default_rng(5)
    lo = np.datetime64("2005-01-01T00:00:00", "s").astype(np.int64)
    hi = np.datetime64("2026-11-30T00:00:00", "s").astype(np.int64)
    received = rng.integers(lo, hi, 2000).astype("datetime64[s]")
    names = np.array(["consultation", "complaint", "report", "help_request", "praise"])
    types = names[rng.integers(0, 5, 2000)]
    due = gz.due_many(types, received)
    codes = np.array([0, 1, 2, 3, 4])[rng.integers(0, 5, 10)]
    assert (gz.due_many(codes, received[:10]) ==
            gz.due_many([str(names[c]) for c in codes], received[:10])).all()
    for i in range(0, 2000, 37):
        r = received[i].astype(datetime.datetime).replace(tzinfo=datetime.timezone.utc)
        one = gz.deadline(request_type=str(types[i]), received=r).due
        assert np.datetime64(one.astimezone(datetime.timezone.utc).replace(tzinfo=None), "s") == due[i]
    # Lists of aware datetimes work too.
    assert gz.due_many("consultation", [bj(2025, 9, 30, 15)])[0] == np.datetime64("2025-10-10T16:00:00")
    cols = gz.evaluate_many(types[:3], received[:3], as_of=bj(2026, 12, 31))
    assert list(cols["state"]) == ["breached"] * 3
    assert (cols["due"] == due[:3]).all()
