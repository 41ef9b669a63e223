"""Property tests (hypothesis) of calendar.hpp's arithmetic rules:
add_workdays(d, n) for n >= 1 is a working day strictly after d; it is the n-th,
so workdays_between(d, add_workdays(d, n)) == n; and it is monotone in n."""
import datetime

import numpy as np
from hypothesis import given, settings, strategies as st

import hotline

CAL = hotline.Calendar.china()
# Starts whose 60th working day either way stays inside the covered years 2004-2026.
days = st.dates(min_value=datetime.date(2004, 4, 1), max_value=datetime.date(2026, 9, 30))
counts = st.integers(min_value=1, max_value=60)


@given(days, counts)
def test_result_is_a_working_day_strictly_after(d, n):
    r = CAL.add_workdays(d, n)
    assert r > d and CAL.is_workday(r)
    b = CAL.add_workdays(d, -n)
    assert b < d and CAL.is_workday(b)


@given(days, counts)
def test_between_inverts_add(d, n):
    assert CAL.workdays_between(d, CAL.add_workdays(d, n)) == n
    # backwards: n working days in [b, d), i.e. in (b - 1 day, d - 1 day]
    b, one = CAL.add_workdays(d, -n), datetime.timedelta(days=1)
    assert CAL.workdays_between(b - one, d - one) == n


@given(days, counts)
def test_monotone_and_consecutive_in_n(d, n):
    a, b = CAL.add_workdays(d, n), CAL.add_workdays(d, n + 1)
    assert a < b
    assert CAL.next_workday(a) == b          # nothing working is skipped between them


@given(days, days)
def test_between_is_antisymmetric_and_additive(a, b):
    assert CAL.workdays_between(a, b) == -CAL.workdays_between(b, a)
    m = datetime.date(2015, 6, 15)
    assert CAL.workdays_between(a, b) == CAL.workdays_between(a, m) + CAL.workdays_between(m, b)


@settings(max_examples=50)
@given(st.lists(st.tuples(days, st.integers(-60, 60)), min_size=1, max_size=50))
def test_array_form_equals_scalar_form(pairs):
    ds = np.array([p[0] for p in pairs], dtype="datetime64[D]")
    ns = np.array([p[1] for p in pairs], dtype=np.int64)
    assert CAL.add_workdays(ds, ns).tolist() == [CAL.add_workdays(d, n) for d, n in pairs]
