"""hotline.StaffedHours from Python: 001 §3.1 staffed hours and business time.

001 §3.1: on working days 08:30-16:30 agents answer (human service); at all
other times, statutory holidays included, the automated voice answers.
staffed_hours.hpp: intervals are half-open, so at 16:30:00 the line is closed.
"""
import datetime

import pytest

import hotline

D = datetime.date
TD = datetime.timedelta
SH = hotline.SHANGHAI


def at(y, m, d, hh, mm=0, ss=0):
    return datetime.datetime(y, m, d, hh, mm, ss, tzinfo=SH)


@pytest.fixture(scope="module")
def hours():
    return hotline.StaffedHours(hotline.Calendar.china())


@pytest.mark.parametrize("t, staffed", [
    (at(2025, 1, 27, 8, 29, 59), False),   # Monday, before opening
    (at(2025, 1, 27, 8, 30), True),        # 001 §3.1: opens 08:30
    (at(2025, 1, 27, 16, 29, 59), True),
    (at(2025, 1, 27, 16, 30), False),      # 001 §3.1 + half-open: 16:30:00 is closed
    (at(2026, 2, 14, 10), True),           # adjusted working Saturday (调休) is staffed
    (at(2025, 1, 29, 10), False),          # Spring Festival: statutory holiday, automated voice
    (at(2025, 3, 1, 10), False),           # an ordinary Saturday
])
def test_staffed_001_3_1(hours, t, staffed):
    assert hours.is_staffed(t) is staffed
    assert hours.mode(t) == (hotline.ServiceMode.HUMAN if staffed else hotline.ServiceMode.AUTOMATED_VOICE)


def test_other_time_zones_are_the_same_instant(hours):
    utc = datetime.timezone.utc
    assert hours.is_staffed(datetime.datetime(2025, 1, 27, 0, 30, tzinfo=utc))        # 08:30 Beijing
    assert not hours.is_staffed(datetime.datetime(2025, 1, 27, 8, 30, tzinfo=utc))    # 16:30 Beijing


def test_naive_datetime_is_refused(hours):
    with pytest.raises(TypeError, match="naive"):
        hours.is_staffed(datetime.datetime(2025, 1, 27, 10))


def test_next_opening_and_closing(hours):
    # Friday 2025-01-24 evening: next opening is the adjusted working Sunday 01-26.
    assert hours.next_opening(at(2025, 1, 24, 17)) == at(2025, 1, 26, 8, 30)
    assert hours.next_opening(at(2025, 1, 27, 9)) == at(2025, 1, 27, 9)            # staffed: t itself
    assert hours.next_opening(at(2025, 1, 27, 16, 30)) == at(2025, 2, 5, 8, 30)     # past the Spring Festival
    assert hours.next_closing(at(2025, 1, 27, 9)) == at(2025, 1, 27, 16, 30)
    assert hours.next_closing(at(2025, 1, 27, 17)) == at(2025, 2, 5, 16, 30)
    r = hours.next_opening(datetime.datetime(2025, 1, 24, 9, tzinfo=datetime.timezone.utc))
    assert r.utcoffset() == TD(hours=8)                                             # results in Beijing time


def test_business_time(hours):
    # Friday 16:00 to Monday 09:00: 30 min + 30 min.
    assert hours.business_time(at(2025, 3, 7, 16), at(2025, 3, 10, 9)) == TD(hours=1)
    assert hours.business_time(at(2025, 3, 10, 9), at(2025, 3, 7, 16)) == -TD(hours=1)
    assert hours.business_time(at(2025, 1, 27, 0), at(2025, 2, 6, 0)) == TD(hours=16)   # 01-27 and 02-05 only


def test_add_business_time(hours):
    assert hours.add_business_time(at(2025, 3, 7, 16), TD(hours=1)) == at(2025, 3, 10, 9)
    # a result at a closing moment is that closing instant, not the next opening
    assert hours.add_business_time(at(2025, 3, 7, 16), TD(minutes=30)) == at(2025, 3, 7, 16, 30)
    assert hours.add_business_time(at(2025, 3, 7, 20), TD(0)) == at(2025, 3, 7, 20)
    with pytest.raises(hotline.InvalidArgumentError):
        hours.add_business_time(at(2025, 3, 7, 16), TD(hours=-1))


def test_intervals_and_closing_of(hours):
    assert hours.intervals(D(2026, 2, 14)) == [(at(2026, 2, 14, 8, 30), at(2026, 2, 14, 16, 30))]
    assert hours.intervals(D(2025, 1, 29)) == []
    assert hours.closing_of(D(2025, 1, 27)) == at(2025, 1, 27, 16, 30)
    assert hours.closing_of(D(2025, 1, 29)) is None
    with pytest.raises(hotline.OutOfRangeError, match="2030"):
        hours.intervals(D(2030, 1, 1))


def test_custom_schedule():
    s = hotline.StaffedSchedule.standard()
    s.set_working_days([(datetime.time(8, 30), datetime.time(12)), (datetime.time(13, 30), datetime.time(17))])
    s.set_working_day(5, [(TD(hours=9), TD(hours=12))])          # Saturday (date.weekday() == 5), when worked
    s.set_days_off([(TD(hours=20), TD(hours=24))])                # an evening shift every day off
    assert s.working_day(0) == [(TD(hours=8, minutes=30), TD(hours=12)), (TD(hours=13, minutes=30), TD(hours=17))]
    assert s.days_off == [(TD(hours=20), TD(hours=24))]
    h = hotline.StaffedHours(hotline.Calendar.china(), s)
    assert not h.is_staffed(at(2025, 1, 27, 12, 30))              # lunch break
    assert h.is_staffed(at(2025, 1, 27, 16, 45))
    assert h.is_staffed(at(2026, 2, 14, 11)) and not h.is_staffed(at(2026, 2, 14, 13))   # worked Saturday
    assert h.is_staffed(at(2025, 1, 29, 23, 59, 59))              # holiday evening shift
    assert h.business_time(at(2025, 1, 27, 0), at(2025, 1, 28, 0)) == TD(hours=7)


@pytest.mark.parametrize("make", [
    lambda s: s.set_working_days([(datetime.time(9), datetime.time(8))]),                      # close before open
    lambda s: s.set_working_days([(TD(hours=8), TD(hours=12)), (TD(hours=11), TD(hours=13))]),  # overlap
    lambda s: s.set_working_days([(TD(hours=20), TD(hours=25))]),                              # past 24:00
    lambda s: s.set_working_day(7, [(TD(hours=8), TD(hours=9))]),                              # isoweekday 7
])
def test_invalid_schedules(make):
    with pytest.raises(hotline.InvalidArgumentError):
        make(hotline.StaffedSchedule())


def test_bad_interval_types():
    with pytest.raises(TypeError):
        hotline.StaffedSchedule().set_working_days([("08:30", "16:30")])
