"""Invariants of SLA clocks, checked by hypothesis (Debian's python3-hypothesis).

* a due instant is never before its start;
* pausing never makes a clock due earlier;
* adding one working day to the target never moves the due instant back.
"""
import datetime
import json

from hypothesis import given, settings, strategies as st

import hotline

TZ = hotline.SHANGHAI
START = datetime.datetime(2005, 1, 1, tzinfo=TZ)
SPAN = (datetime.datetime(2026, 6, 1, tzinfo=TZ) - START).total_seconds()


def policy(amount, unit, count, due):
    return hotline.SlaPolicy.from_json({
        "name": "prop",
        "rules": [{"name": "any", "clocks": [{
            "name": "c", "target": {unit: amount}, "count": count, "due": due,
            "pauses": ["waiting_for_caller"]}]}]})


instants = st.floats(min_value=0, max_value=SPAN).map(lambda s: START + datetime.timedelta(seconds=int(s)))
specs = st.tuples(st.integers(1, 30), st.sampled_from(["working_days", "working_hours", "calendar_days"]),
                  st.sampled_from(["day_after_start", "start_day", "start_instant", "next_opening"]),
                  st.sampled_from(["end_of_day", "close_of_staffed_hours", "exact"]))
types = st.sampled_from(["consultation", "complaint", "report", "help_request", "praise"])


@settings(max_examples=300, deadline=None)
@given(types, instants)
def test_guangzhou_due_is_never_before_receipt(request_type, received):
    gz = hotline.SlaPolicy.preset("guangzhou-family-doctor")  # 000 art. 12
    d = gz.deadline(request_type=request_type, received=received)
    assert d.due > received
    assert d.last_day > received.astimezone(TZ).date()  # counted from the day after receipt


@settings(max_examples=200, deadline=None)
@given(specs, instants, st.integers(0, 20 * 86400), st.integers(0, 10 * 86400))
def test_pausing_never_makes_a_clock_due_earlier(spec, start, pause_after, pause_for):
    p = policy(*spec)
    plain = p.deadline(request_type="other", received=start).due
    assert plain >= start
    pause = start + datetime.timedelta(seconds=pause_after)
    resume = pause + datetime.timedelta(seconds=pause_for)
    ev = [("start", start), ("pause", pause, "waiting_for_caller"), ("resume", resume)]
    assert p.evaluate(request_type="other", events=ev, as_of=resume).due >= plain


@settings(max_examples=200, deadline=None)
@given(specs, instants)
def test_one_more_unit_never_moves_due_back(spec, start):
    amount, unit, count, due = spec
    a = policy(amount, unit, count, due).deadline(request_type="other", received=start).due
    b = policy(amount + 1, unit, count, due).deadline(request_type="other", received=start).due
    assert b >= a
    if unit == "working_days" and due == "end_of_day":
        assert b > a  # one more working day is a later day


@settings(max_examples=100, deadline=None)
@given(specs)
def test_json_round_trip(spec):
    p = policy(*spec)
    assert json.loads(hotline.SlaPolicy.from_json(p.to_json()).to_json()) == json.loads(p.to_json())
