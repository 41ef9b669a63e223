"""hotline.Calendar from Python: the issue-2 contract, arrays, overlays, errors.

Rules cited: calendar.hpp's spelled-out rules; 000 art. 12 ("N working days from
the day after receipt"); the national data in cn_national_2004_2026.csv.
"""
import datetime

import numpy as np
import pytest

import hotline

D = datetime.date


# ---- the contract (issue 2, "Python contract") ----------------------------------

def test_contract_scalars(cal):
    assert cal.is_workday(D(2026, 2, 14)) is True          # adjusted working Saturday (2026 notice)
    assert cal.add_workdays(D(2025, 1, 25), 2) == D(2025, 1, 27)
    n = cal.workdays_between(D(2025, 1, 24), D(2025, 2, 5))
    assert type(n) is int and n == 3                          # 01-26, 01-27, 02-05


def test_contract_arrays(cal):
    days = np.array(["2025-01-24", "2025-01-25", "2026-02-14"], dtype="datetime64[D]")
    counts = np.array([3, 2, 1])
    out = cal.add_workdays(days, counts)
    assert out.dtype == np.dtype("datetime64[D]")
    assert out.tolist() == [D(2025, 2, 5), D(2025, 1, 27), D(2026, 2, 24)]
    w = cal.is_workday(days)
    assert w.dtype == np.bool_ and w.tolist() == [True, False, True]


def test_calendar_china_options():
    assert hotline.Calendar.china().weekends_beyond_data is False
    beyond = hotline.Calendar.china(weekends_beyond_data=True)
    assert beyond.weekends_beyond_data is True
    assert beyond.is_workday(D(2030, 1, 1)) is True          # a Tuesday, by the Monday-Friday rule
    assert beyond.is_workday(D(2030, 1, 5)) is False         # a Saturday
    assert (beyond.first_covered_year, beyond.last_covered_year) == (2004, 2026)


# ---- 000 art. 12 and calendar.hpp's rules --------------------------------------

@pytest.mark.parametrize("receipt, n, due", [
    (D(2025, 1, 24), 1, D(2025, 1, 26)),   # Friday; Sunday 01-26 is worked (调休)
    (D(2025, 1, 24), 2, D(2025, 1, 27)),   # 000 art. 12: 2 working days from the day after receipt
    (D(2025, 1, 24), 3, D(2025, 2, 5)),    # steps over the Spring Festival 01-28..02-04
    (D(2025, 1, 29), 1, D(2025, 2, 5)),    # received on a holiday: day 1 is the first working day after
    (D(2025, 9, 30), 10, D(2025, 10, 21)), # complaint, 10 working days (000 art. 12): 10-09, 10-10, Sat 10-11 worked, 10-13..17, 10-20, 10-21
    (D(2025, 1, 27), 0, D(2025, 1, 27)),   # n = 0 gives d
    (D(2025, 2, 5), -1, D(2025, 1, 27)),   # n = -1: the last working day strictly before
    (D(2025, 2, 1), -2, D(2025, 1, 26)),
])
def test_add_workdays_rules(cal, receipt, n, due):
    assert cal.add_workdays(receipt, n) == due
    if n > 0:
        assert cal.workdays_between(receipt, due) == n


def test_workdays_between_interval_convention(cal):
    # (a, b]: strictly after a, up to and including b; negative when b < a.
    a, b = D(2025, 1, 24), D(2025, 1, 27)
    assert cal.workdays_between(a, a) == 0
    assert cal.workdays_between(a, b) == 2           # 01-26 (adjusted Sunday) and 01-27
    assert cal.workdays_between(b, a) == -2
    assert cal.workdays_between(D(2025, 1, 27), D(2025, 2, 4)) == 0   # the holiday span


def test_next_prev_this_or_next(cal):
    assert cal.next_workday(D(2025, 1, 27)) == D(2025, 2, 5)
    assert cal.prev_workday(D(2025, 2, 5)) == D(2025, 1, 27)
    assert cal.this_or_next_workday(D(2025, 1, 27)) == D(2025, 1, 27)
    assert cal.this_or_next_workday(D(2025, 1, 28)) == D(2025, 2, 5)
    days = np.array(["2025-01-27", "2025-01-28", "2025-02-08"], dtype="datetime64[D]")
    assert cal.this_or_next_workday(days).tolist() == [D(2025, 1, 27), D(2025, 2, 5), D(2025, 2, 8)]
    assert cal.next_workday(days).tolist() == [D(2025, 2, 5), D(2025, 2, 5), D(2025, 2, 10)]
    assert cal.prev_workday(days).tolist() == [D(2025, 1, 26), D(2025, 1, 27), D(2025, 2, 7)]


def test_kinds_names_layers(cal):
    K = hotline.DayKind
    assert cal.kind(D(2025, 1, 27)) == K.WORKING_DAY
    assert cal.kind(D(2025, 1, 25)) == K.REST_DAY
    assert cal.kind(D(2025, 1, 26)) == K.ADJUSTED_WORKING_DAY
    assert cal.kind(D(2025, 1, 28)) == K.HOLIDAY
    # A weekend day inside a holiday span is a holiday with the holiday's name (calendar.hpp).
    assert cal.kind(D(2025, 2, 1)) == K.HOLIDAY
    assert cal.holiday_name(D(2025, 2, 1)) == "春节"
    assert cal.holiday_name(D(2025, 2, 1), english=True) == "Spring Festival"
    assert cal.holiday_name(D(2025, 1, 27)) is None
    assert cal.layer(D(2025, 1, 28)) == hotline.CalendarLayer.NATIONAL
    assert cal.layer(D(2025, 1, 27)) == hotline.CalendarLayer.WEEKLY
    assert K.ADJUSTED_WORKING_DAY.is_working and not K.HOLIDAY.is_working
    assert cal.kind(np.datetime64("2026-02-14")) == K.ADJUSTED_WORKING_DAY


def test_special_days_and_holidays(cal):
    sp = cal.special_days(D(2025, 1, 1), D(2025, 2, 10))
    assert [s.date for s in sp][:3] == [D(2025, 1, 1), D(2025, 1, 26), D(2025, 1, 28)]
    first = sp[0]
    assert (first.kind, first.name_zh, first.name_en, first.layer) == (
        hotline.DayKind.HOLIDAY, "元旦", "New Year's Day", hotline.CalendarLayer.NATIONAL)
    assert sp[-1].date == D(2025, 2, 8) and sp[-1].kind == hotline.DayKind.ADJUSTED_WORKING_DAY
    hol = cal.holidays(2025)
    assert all(h.kind == hotline.DayKind.HOLIDAY for h in hol)
    assert len(hol) == 28   # 1 + 8 + 3 + 5 + 3 + 8 days off in the 2025 notice
    assert cal.special_days(D(2025, 2, 10), D(2025, 1, 1)) == []


def test_every_day_matches_reference_csv(cal, national_csv):
    # Each day of 2004-2026 against the reference CSV in data/calendar (weekends rest, listed days as listed).
    d = D(2004, 1, 1)
    while d <= D(2026, 12, 31):
        if d in national_csv:
            day_off, name_en = national_csv[d]
            assert cal.is_workday(d) == (not day_off), d
            assert cal.holiday_name(d, english=True) == name_en, d
        else:
            assert cal.is_workday(d) == (d.weekday() < 5), d
        d += datetime.timedelta(days=1)
    listed = cal.special_days(D(2004, 1, 1), D(2026, 12, 31))
    assert len(listed) == len(national_csv)


# ---- arrays ----------------------------------------------------------------

def test_scalar_and_array_forms_agree_on_every_day(cal):
    days = np.arange(np.datetime64("2004-02-01"), np.datetime64("2026-11-01"))
    as_dates = days.tolist()
    w = cal.is_workday(days)
    assert w.tolist() == [cal.is_workday(d) for d in as_dates]
    for n in (-5, -1, 0, 1, 2, 7, 30):
        out = cal.add_workdays(days, n)
        assert out.tolist() == [cal.add_workdays(d, n) for d in as_dates], n
    assert cal.this_or_next_workday(days).tolist() == [cal.this_or_next_workday(d) for d in as_dates]
    b = days + np.timedelta64(17, "D")
    assert cal.workdays_between(days, b).tolist() == [
        cal.workdays_between(x, y) for x, y in zip(as_dates, b.tolist())]


def test_agrees_with_numpy_busday_offset_exact_form(cal):
    # numpy made exact for 调休: every day a business day except the days off (see bench_calendar.py).
    every = np.arange(np.datetime64("2004-01-01"), np.datetime64("2027-01-01"))
    off = every[~cal.is_workday(every)]
    bdc = np.busdaycalendar(weekmask="1111111", holidays=off)
    rng = np.random.default_rng(2)
    starts = np.datetime64("2005-01-01") + rng.integers(0, 7900, 50_000)
    n = rng.integers(1, 31, 50_000)
    expected = np.busday_offset(starts + np.timedelta64(1, "D"), n - 1, roll="forward", busdaycal=bdc)
    np.testing.assert_array_equal(cal.add_workdays(starts, n), expected)


def test_broadcasting_and_shapes(cal):
    days = np.array([["2025-01-24"], ["2025-01-25"]], dtype="datetime64[D]")    # (2, 1)
    out = cal.add_workdays(days, np.array([1, 2, 3]))                           # (3,) -> (2, 3)
    assert out.shape == (2, 3)
    assert out[0].tolist() == [D(2025, 1, 26), D(2025, 1, 27), D(2025, 2, 5)]
    assert out[1].tolist() == [D(2025, 1, 26), D(2025, 1, 27), D(2025, 2, 5)]
    # one date, many counts
    assert cal.add_workdays(D(2025, 1, 24), [1, 2, 3]).tolist() == [D(2025, 1, 26), D(2025, 1, 27), D(2025, 2, 5)]
    with pytest.raises(ValueError):
        cal.add_workdays(np.array(["2025-01-24"] * 2, "M8[D]"), np.array([1, 2, 3]))
    # non-contiguous views and empty arrays
    many = np.arange(np.datetime64("2025-01-20"), np.datetime64("2025-02-10"))
    assert cal.is_workday(many[::3]).tolist() == [cal.is_workday(d) for d in many[::3].tolist()]
    assert cal.add_workdays(np.array([], "M8[D]"), 1).shape == (0,)
    assert cal.is_workday([]).shape == (0,)


def test_input_kinds(cal):
    # numpy scalars give numpy scalars; datetime.date gives datetime.date
    r = cal.add_workdays(np.datetime64("2025-01-24"), 3)
    assert isinstance(r, np.datetime64) and r == np.datetime64("2025-02-05")
    assert cal.add_workdays(D(2025, 1, 24), np.int64(3)) == D(2025, 2, 5)
    assert cal.add_workdays([D(2025, 1, 24), D(2025, 1, 25)], 2).tolist() == [D(2025, 1, 27), D(2025, 1, 27)]
    assert cal.is_workday(np.array([D(2026, 2, 14)], dtype=object)).tolist() == [True]
    # coarser units convert exactly
    assert cal.is_workday(np.array(["2025-02"], dtype="datetime64[M]")).tolist() == [False]   # 02-01, holiday
    assert isinstance(cal.workdays_between(np.datetime64("2025-01-24"), D(2025, 2, 5)), np.integer)


def test_bad_array_inputs(cal):
    with pytest.raises(TypeError, match=r"datetime64\[s\]"):
        cal.is_workday(np.array(["2025-01-24T10:00:00"], dtype="datetime64[s]"))
    with pytest.raises(TypeError, match="element 1"):
        cal.add_workdays([D(2025, 1, 24), None], 1)
    with pytest.raises(TypeError):
        cal.add_workdays(D(2025, 1, 24), 1.5)
    with pytest.raises(TypeError):
        cal.add_workdays(D(2025, 1, 24), True)
    with pytest.raises(TypeError):
        cal.is_workday("2025-01-24")
    with pytest.raises(TypeError):
        cal.is_workday(20250124)


def test_nat_is_refused_with_its_index(cal):
    days = np.array(["2025-01-24", "2025-01-25", "NaT"], dtype="datetime64[D]")
    with pytest.raises(hotline.InvalidArgumentError, match="element 2 is NaT"):
        cal.add_workdays(days, 1)
    with pytest.raises(hotline.InvalidArgumentError, match="element 2 is NaT"):
        cal.is_workday(days)
    with pytest.raises(hotline.InvalidArgumentError, match="NaT"):
        cal.kind(np.datetime64("NaT"))


# ---- errors -------------------------------------------------------------------

def test_uncovered_years_are_errors_naming_the_year(cal):
    with pytest.raises(hotline.OutOfRangeError, match="2030"):
        cal.is_workday(D(2030, 1, 2))
    with pytest.raises(hotline.OutOfRangeError, match="2003"):
        cal.kind(D(2003, 12, 31))
    # a result that would land in an uncovered year is an error too (never a guess)
    with pytest.raises(hotline.OutOfRangeError, match="2027"):
        cal.add_workdays(D(2026, 12, 30), 5)
    with pytest.raises(hotline.OutOfRangeError, match="element 1.*2031"):
        cal.add_workdays(np.array(["2025-01-02", "2031-05-05"], "M8[D]"), 1)
    with pytest.raises(hotline.OutOfRangeError):
        cal.add_workdays(D(2025, 1, 2), 10**12)
    assert issubclass(hotline.OutOfRangeError, hotline.Error)


def test_datetime_is_not_a_day(cal):
    naive = datetime.datetime(2025, 1, 24, 10, 0)
    with pytest.raises(TypeError, match="moment, not a day"):
        cal.is_workday(naive)
    with pytest.raises(TypeError, match="moment, not a day"):
        cal.add_workdays(naive.replace(tzinfo=hotline.SHANGHAI), 1)


# ---- overlays -----------------------------------------------------------------
# Test-made overlays only: no regional dates are shipped that cannot be sourced.

CSV_OVERLAY = """\
date,kind,name,name_en
# a test region's own days
2025-04-01,holiday,测试节,Test Festival
2025-04-02,holiday,测试节,Test Festival
2025-03-29,workday,测试节,Test Festival
"""


def test_csv_overlay_file(cal, tmp_path):
    p = tmp_path / "region.csv"
    p.write_text(CSV_OVERLAY, encoding="utf-8")
    ov = hotline.CalendarOverlay.from_csv(p, hotline.CalendarLayer.REGIONAL)
    assert len(ov) == 3 and ov.layer == hotline.CalendarLayer.REGIONAL and ov.source == str(p)
    rc = cal.with_overlay(ov)
    assert rc.kind(D(2025, 4, 1)) == hotline.DayKind.HOLIDAY
    assert rc.layer(D(2025, 4, 1)) == hotline.CalendarLayer.REGIONAL
    assert rc.holiday_name(D(2025, 4, 2)) == "测试节"
    assert rc.kind(D(2025, 3, 29)) == hotline.DayKind.ADJUSTED_WORKING_DAY
    assert rc.add_workdays(D(2025, 3, 31), 1) == D(2025, 4, 3)
    # the national calendar is unchanged
    assert cal.kind(D(2025, 4, 1)) == hotline.DayKind.WORKING_DAY


def test_ics_overlay_file(cal, tmp_path):
    p = tmp_path / "centre.ics"
    p.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
        "BEGIN:VEVENT\r\nUID:1@test\r\nDTSTART;VALUE=DATE:20250303\r\nDTEND;VALUE=DATE:20250305\r\n"
        "SUMMARY:停诊\r\nCATEGORIES:closure\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:2@test\r\nDTSTART;VALUE=DATE:20250308\r\n"
        "SUMMARY:加班\r\nX-HOTLINE-KIND:workday\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n", encoding="utf-8")
    ov = hotline.CalendarOverlay.from_ics(str(p), hotline.CalendarLayer.ORGANISATION)
    assert [e[0] for e in ov.entries] == [D(2025, 3, 3), D(2025, 3, 4), D(2025, 3, 8)]   # DTEND exclusive
    oc = cal.with_overlay(ov)
    assert not oc.is_workday(D(2025, 3, 3)) and not oc.is_workday(D(2025, 3, 4))
    assert oc.is_workday(D(2025, 3, 5))
    assert oc.kind(D(2025, 3, 8)) == hotline.DayKind.ADJUSTED_WORKING_DAY
    assert oc.layer(D(2025, 3, 3)) == hotline.CalendarLayer.ORGANISATION


def test_overlays_in_code_and_covers(cal):
    ov = hotline.CalendarOverlay("next year", hotline.CalendarLayer.NATIONAL)
    ov.add_day_off(D(2027, 1, 1), "元旦", "New Year's Day").covers(2027, 2027)
    c27 = cal.with_overlay(ov)
    assert c27.last_covered_year == 2027
    assert c27.kind(D(2027, 1, 1)) == hotline.DayKind.HOLIDAY
    assert c27.is_workday(D(2027, 1, 4))
    assert c27.add_workdays(D(2026, 12, 30), 2) == D(2027, 1, 4)    # 12-31, (01-01 off), 01-04
    # an entry in a year nobody covers is refused, naming the year
    stray = hotline.CalendarOverlay("stray", hotline.CalendarLayer.ORGANISATION).add_day_off(D(2028, 1, 3), "x")
    with pytest.raises(hotline.OutOfRangeError, match="2028"):
        cal.with_overlay(stray)


def test_csv_text_covers_declaration(cal):
    ov = hotline.CalendarOverlay.from_csv_text("# covers: 2027\n2027-01-01,holiday,元旦\n", "notice-2027",
                                               hotline.CalendarLayer.NATIONAL)
    assert ov.covered_years == (2027, 2027)
    assert cal.with_overlay(ov).last_covered_year == 2027


@pytest.mark.parametrize("text, line, reason", [
    ("date,kind,name\n2025-04-01,holiday,x\n2025-13-01,holiday,y\n", 3, "not a valid date"),
    ("2025-04-01,vacation,x\n", 1, "unknown kind"),
    ("2025-04-01,holiday\n", 1, "expected 3 or 4 fields"),
    ("# ok\n2025-04-01,holiday,\n", 2, "name"),
])
def test_malformed_csv_names_file_and_line(tmp_path, text, line, reason):
    p = tmp_path / "bad.csv"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(hotline.ParseError, match=reason) as e:
        hotline.CalendarOverlay.from_csv(p, hotline.CalendarLayer.REGIONAL)
    assert f"{p}:{line}:" in str(e.value)


def test_malformed_ics_names_file_and_line(tmp_path):
    p = tmp_path / "bad.ics"
    p.write_text("BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20250301\nSUMMARY:x\n"
                 "RRULE:FREQ=YEARLY\nEND:VEVENT\nEND:VCALENDAR\n", encoding="utf-8")
    with pytest.raises(hotline.ParseError, match="RRULE") as e:
        hotline.CalendarOverlay.from_ics(p, hotline.CalendarLayer.REGIONAL)
    assert f"{p}:5:" in str(e.value)
    with pytest.raises(hotline.ParseError, match="truncated"):
        hotline.CalendarOverlay.from_ics_text("BEGIN:VCALENDAR\nVERSION:2.0\n", "feed", hotline.CalendarLayer.REGIONAL)


def test_conflicting_overlay_names_both_lines(tmp_path):
    p = tmp_path / "clash.csv"
    p.write_text("2025-04-01,holiday,a\n2025-04-02,holiday,b\n2025-04-01,workday,c\n", encoding="utf-8")
    with pytest.raises(hotline.ConflictError, match=r"line 1.*line 3"):
        hotline.CalendarOverlay.from_csv(p, hotline.CalendarLayer.REGIONAL)
    ov = hotline.CalendarOverlay("code", hotline.CalendarLayer.ORGANISATION).add_day_off(D(2025, 4, 1), "a")
    with pytest.raises(hotline.ConflictError):
        ov.add_working_day(D(2025, 4, 1), "b")
    assert len(ov) == 1     # no partial state


def test_missing_overlay_file(tmp_path):
    with pytest.raises(hotline.Error, match="cannot open"):
        hotline.CalendarOverlay.from_csv(tmp_path / "absent.csv", hotline.CalendarLayer.REGIONAL)


def test_version_and_repr(cal):
    assert isinstance(hotline.__version__, str) and hotline.__version__.count(".") == 2
    assert "2004-2026" in repr(cal)
