"""Years beyond the built-in data from Python: notices, statutory years, regions, the
notices folder and the ``python -m hotline.notice`` entry (issue 17).

Rules cited: 全国年节及纪念日放假办法 (国务院令第270/513/644/795号); 000 art. 12 (10 working
days from the day after receipt for a complaint); Guangxi's 壮族三月三 notices 2014-2026.
"""
import datetime
import os
import pathlib
import subprocess
import sys

import pytest

import hotline

D = datetime.date
TZ = hotline.SHANGHAI

# A test text in the published form (page clutter included), not the real 2027 notice.
NOTICE_2027 = """首页 > 政策 > 最新
国务院办公厅关于2027年部分节假日安排的通知
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
经国务院批准，现将2027年元旦、春节放假调休日期的具体安排通知如下。
一、元旦：1月1日（周五）至3日放假，共3天。
二、春节：2月5日（农历除夕、周五）至13日（农历正月初八、周六）放假调休，共9天。2月14日（周日）上班。
节假日期间，各地区、各部门要妥善安排好值班和安全、保卫等工作。
国务院办公厅
2026年11月
【打印本页】【关闭窗口】
"""


def bj(y, m, d, hh=0):
    return datetime.datetime(y, m, d, hh, tzinfo=TZ)


def test_statutory_years_answer_2027_to_2030():
    cal = hotline.Calendar.china(statutory_beyond_data=True)
    assert cal.last_covered_year == 2026 and cal.last_statutory_year >= 2035
    for y in range(2027, 2031):
        assert cal.basis(y) == hotline.YearBasis.STATUTORY
        off = cal.holidays(y)
        assert len(off) == len(hotline.statutory_days(y))
        assert {s.layer for s in off} == {hotline.CalendarLayer.STATUTORY}
    assert [s.date for s in cal.holidays(2027) if s.name_en == "Spring Festival"] == [D(2027, 2, k) for k in range(5, 9)]
    assert cal.is_workday(D(2027, 2, 9)) is True  # no 调休 guessed
    assert cal.is_provisional(D(2027, 3, 1)) and not cal.is_provisional(D(2026, 3, 1))
    assert cal.basis(2026) == hotline.YearBasis.DATA
    assert "statutory to" in repr(cal)


def test_statutory_days_of_every_year_are_off_in_the_data(cal):
    for y in range(2004, 2027):
        for d, zh, en in hotline.statutory_days(y):
            assert cal.kind(d) == hotline.DayKind.HOLIDAY, (y, d, en)


def test_rules_by_year():
    assert hotline.holiday_rules_in_force(2007) == hotline.HolidayRules.RULES_1999
    assert hotline.holiday_rules_in_force(2013) == hotline.HolidayRules.RULES_2008
    assert hotline.holiday_rules_in_force(2014) == hotline.HolidayRules.RULES_2014
    assert hotline.holiday_rules_in_force(2025) == hotline.HolidayRules.RULES_2025
    # The 2014 revision dropped the eve: 2014-01-30 was worked, a statutory day under the 2008 rules.
    assert D(2014, 1, 30) not in [d for d, _, _ in hotline.statutory_days(2014)]
    assert D(2014, 1, 30) in [d for d, _, _ in hotline.statutory_days(2014, hotline.HolidayRules.RULES_2008)]


def test_default_error_names_three_ways_forward(cal):
    with pytest.raises(hotline.OutOfRangeError) as e:
        cal.is_workday(D(2027, 1, 4))
    msg = str(e.value)
    assert "2027" in msg and "from_notice" in msg and "statutory_beyond_data" in msg and "weekends_beyond_data" in msg


def test_complaint_of_2026_12_20_under_three_choices():
    gz = hotline.SlaPolicy.preset("guangzhou-family-doctor")
    received = bj(2026, 12, 20, 10)
    with pytest.raises(hotline.OutOfRangeError):
        gz.deadline(request_type="complaint", received=received)
    notice = hotline.CalendarOverlay.from_notice(NOTICE_2027)
    by_notice = gz.with_calendar(hotline.Calendar.china().with_overlay(notice)).deadline(
        request_type="complaint", received=received)
    by_law = gz.with_calendar(hotline.Calendar.china(statutory_beyond_data=True)).deadline(
        request_type="complaint", received=received)
    by_week = gz.with_calendar(hotline.Calendar.china(weekends_beyond_data=True)).deadline(
        request_type="complaint", received=received)
    assert by_notice.due == bj(2027, 1, 5) and by_notice.calendar_assumptions == ""
    assert by_law.due == bj(2027, 1, 5) and "2027 is provisional" in by_law.calendar_assumptions
    assert by_week.due == bj(2027, 1, 2) and "weekends only" in by_week.explain()
    assert "provisional statutory day" in by_law.explain()
    assert "rests on the State Council's notices" in by_notice.explain()


def test_notice_replaces_statutory_days_and_round_trips_as_csv():
    ov = hotline.CalendarOverlay.from_notice(NOTICE_2027)
    assert ov.covered_years == (2027, 2027) and ov.layer == hotline.CalendarLayer.NATIONAL
    cal = hotline.Calendar.china(statutory_beyond_data=True).with_overlay(ov)
    assert cal.basis(2027) == hotline.YearBasis.DATA and cal.basis(2028) == hotline.YearBasis.STATUTORY
    assert cal.kind(D(2027, 2, 14)) == hotline.DayKind.ADJUSTED_WORKING_DAY
    assert cal.layer(D(2027, 4, 5)) == hotline.CalendarLayer.WEEKLY  # the notice here stops at 春节
    back = hotline.CalendarOverlay.from_csv_text(ov.to_csv(), "back", hotline.CalendarLayer.NATIONAL)
    assert sorted(e[:4] for e in back.entries) == sorted(e[:4] for e in ov.entries)
    assert back.covered_years == (2027, 2027)
    with pytest.raises(hotline.ParseError):
        hotline.CalendarOverlay.from_notice(NOTICE_2027.replace("（周五）至3日", "（周六）至3日"))


def test_notices_folder(tmp_path):
    (tmp_path / "2027.txt").write_text(NOTICE_2027, encoding="utf-8")
    (tmp_path / "readme.md").write_text("not a notice", encoding="utf-8")
    cal = hotline.Calendar.china().with_notices(tmp_path)
    assert cal.last_covered_year == 2027 and cal.kind(D(2027, 1, 2)) == hotline.DayKind.HOLIDAY
    # A second file for the same year is refused, naming both; nothing loaded.
    (tmp_path / "2027-copy.csv").write_text(hotline.CalendarOverlay.from_notice(NOTICE_2027).to_csv(), encoding="utf-8")
    with pytest.raises(hotline.ConflictError, match="2027"):
        hotline.Calendar.china().with_notices(tmp_path)
    with pytest.raises(hotline.NotFoundError):
        hotline.Calendar.china().with_notices(tmp_path / "absent")


def test_notice_entry_point(tmp_path):
    src = tmp_path / "2027.txt"
    src.write_text(NOTICE_2027, encoding="utf-8")
    out = tmp_path / "2027.csv"
    env = dict(os.environ)
    run = subprocess.run([sys.executable, "-m", "hotline.notice", str(src), "-o", str(out)], env=env,
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    assert "2027-02-14 星期日" in run.stdout and "上班" in run.stdout and "covers 2027" in run.stdout
    ov = hotline.CalendarOverlay.from_csv(out, hotline.CalendarLayer.NATIONAL)
    assert ov.covered_years == (2027, 2027) and len(ov) == 13
    bad = tmp_path / "bad.txt"
    bad.write_text(NOTICE_2027.replace("共3天", "共4天"), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "hotline.notice", str(bad), "-o", str(tmp_path / "bad.csv")],
                         env=env, capture_output=True, text=True, check=False)
    assert run.returncode == 1 and "共" in run.stderr
    assert not (tmp_path / "bad.csv").exists()


def test_guangxi_region():
    assert "guangxi" in hotline.Calendar.regions()
    gx = hotline.Calendar.china().with_region("guangxi")
    assert gx.kind(D(2023, 4, 23)) == hotline.DayKind.HOLIDAY      # a national working Sunday, off in Guangxi
    assert gx.kind(D(2017, 4, 8)) == hotline.DayKind.ADJUSTED_WORKING_DAY
    assert gx.layer(D(2024, 4, 11)) == hotline.CalendarLayer.REGIONAL
    assert hotline.Calendar.china().is_workday(D(2024, 4, 11))
    with pytest.raises(hotline.NotFoundError):
        hotline.Calendar.china().with_region("atlantis")
    prov = hotline.Calendar.china(statutory_beyond_data=True).with_region("guangxi")
    day = hotline.lunar_to_gregorian(2027, 3, 3)
    assert prov.kind(day) == hotline.DayKind.HOLIDAY and "暂定" in prov.holiday_name(day)


def test_lunar_functions():
    assert hotline.lunar_new_year(2027) == D(2027, 2, 6)     # ICU 72 says 02-07 (ICU-23274)
    assert hotline.lunar_to_gregorian(2026, 1, 1) == D(2026, 2, 17)
    y, m, leap, d = hotline.gregorian_to_lunar(D(2025, 10, 6))
    assert (y, m, leap, d) == (2025, 8, False, 15)           # 中秋 2025
    assert hotline.solar_term(2026, 15) == D(2026, 4, 5)     # 清明 2026
    with pytest.raises(hotline.InvalidArgumentError):
        hotline.lunar_to_gregorian(2027, 2, 1, leap=True)    # 2027 has no leap 2nd month


def test_lunar_new_moons_against_pyephem():
    """Every month start of 2004-2035 is the Beijing day of a new moon that PyEphem computes."""
    ephem = pytest.importorskip("ephem", reason="python3-ephem (Debian) is the independent astronomy check")
    t = ephem.Date("2004/01/01")
    end = ephem.Date("2036/01/01")
    count = 0
    while True:
        t = ephem.next_new_moon(t)
        if t >= end:
            break
        utc = t.datetime().replace(tzinfo=datetime.timezone.utc)
        beijing = (utc + datetime.timedelta(hours=8)).date()
        seconds_from_midnight = (utc + datetime.timedelta(hours=8) - datetime.datetime.combine(
            beijing, datetime.time(), tzinfo=datetime.timezone.utc)).total_seconds()
        if 120 < seconds_from_midnight < 86400 - 120:  # within 2 minutes of midnight: the tables decide
            assert hotline.gregorian_to_lunar(beijing)[3] == 1, (beijing, utc)
        count += 1
        t = ephem.Date(t + 1)
    assert count > 390
