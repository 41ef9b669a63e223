"""Reports from Python (issue 6): annex 8 tables, quarterly summary, timeliness,
annex 7 receipts, the call log, the assessment from the store, XLSX, DataFrames
and charts.  Expected figures are counted here from the orders the test makes."""
import datetime as dt
import random

import pytest

import hotline

SH = hotline.SHANGHAI
TYPES = ["consultation", "complaint", "report", "help_request", "praise", "suggestion", "other"]
SUBJECTS = ["医疗服务", "疾病预防", "食品安全执法"]


def t(month, day, hour, minute=0):
    return dt.datetime(2025, month, day, hour, minute, tzinfo=SH)


@pytest.fixture(scope="module")
def month(tmp_path_factory):
    """Sixty orders of March 2025 moved to random stages, and what was done to them."""
    path = tmp_path_factory.mktemp("reports") / "hotline.db"
    s = hotline.Store(str(path))
    s.add_unit("GZ-YX", "越秀区卫生健康局", kind="district", covers=[("越秀区", "")])
    s.add_unit("YX-BJJ", "越秀区北京街社区卫生服务中心", parent="GZ-YX", covers=[("越秀区", "北京街")])
    rng = random.Random(7)
    made = []
    for i in range(60):
        kind = TYPES[i % len(TYPES)]
        received = t(3, 3 + i % 20, 9 + i % 7, i % 50)
        district = rng.choice(["越秀区", "海珠区"])
        wo = s.create(request_type=kind, received=received, content=f"第{i}号来电，电话13812340000",
                      caller_phone="13812341234", agent="A017", district=district,
                      complaint_subject=SUBJECTS[i % 3] if kind == "complaint" else "",
                      topic="免疫规划" if kind == "consultation" else "",
                      sub_topic=("狂犬病" if i % 2 else "乙肝") if kind == "consultation" else "")
        stage = rng.randrange(5)  # 0 open, 1 dispatched, 2 replied, 3 closed (satisfied), 4 closed (dissatisfied)
        rec = {"number": wo.number, "type": kind, "district": district, "subject": SUBJECTS[i % 3],
               "transferred": stage >= 1, "done": stage >= 3, "result": None, "late": False}
        if stage >= 1:
            late = i % 9 == 0  # received on day d, dispatched three days later: past the 1-working-day rule
            rec["late"] = late
            s.dispatch(wo.number, unit="YX-BJJ", actor="D02", at=received + dt.timedelta(days=3 if late else 0, hours=1))
            s.sign_for(wo.number, actor="L1", actor_unit="YX-BJJ", at=received + dt.timedelta(days=3 if late else 0, hours=2))
        if stage >= 2:
            s.reply(wo.number, actor="L1", actor_unit="YX-BJJ", text="已处理", finding="true", resolved=True,
                    means="phone", at=received + dt.timedelta(days=4))
        if stage >= 3:
            s.accept_reply(wo.number, actor="R1", at=received + dt.timedelta(days=4, hours=1))
            rec["result"] = "satisfied" if stage == 3 else "dissatisfied"
            s.call_back(wo.number, actor="C1", result=rec["result"], at=received + dt.timedelta(days=4, hours=2))
            s.close(wo.number, actor="C1", at=received + dt.timedelta(days=4, hours=3))
        made.append(rec)
    return s, made


def test_monthly_tables_match_the_orders(month):
    s, made = month
    p = hotline.ReportingPeriod.month(2025, 3)
    m = hotline.monthly_statistics(s, p)
    assert m.total == len(made)
    assert m.complaints == sum(r["type"] == "complaint" for r in made)
    assert m.other == sum(r["type"] in ("help_request", "praise", "other") for r in made)
    reports = [r for r in made if r["type"] == "report"]
    flow = m.flows["report"]
    assert flow["transferred"] == sum(r["transferred"] for r in reports)
    assert flow["completed"] == sum(r["done"] for r in reports)
    assert flow["completion"]["denominator"] == flow["transferred"]
    med = [r for r in made if r["type"] == "complaint" and r["subject"] == "医疗服务"]
    assert m.complaints_by_subject["medical_service"]["received"] == len(med)
    assert sum(m.consultations_by_topic["免疫规划"].values()) == m.consultations
    # One district only.
    yx = hotline.monthly_statistics(s, p, district="越秀区")
    assert yx.total == sum(r["district"] == "越秀区" for r in made)
    # An empty period: zeros and no rate, never a crash.
    empty = hotline.monthly_statistics(s, hotline.ReportingPeriod.month(2025, 5))
    assert empty.total == 0 and empty.flows["report"]["completion"]["value"] is None
    t1 = m.tables()[0]
    frame = t1.to_pandas()
    assert list(frame.columns) == ["举报", "投诉", "咨询", "建议", "其他", "合计"]
    assert frame["合计"].iloc[0] == m.total


def test_quarterly_and_timeliness(month):
    s, made = month
    q = hotline.quarterly_summary(s, hotline.ReportingPeriod.quarter(2025, 1))
    by = {row["district"]: row for row in q}
    for d in ("越秀区", "海珠区"):
        assert by[d]["complaints"] == sum(r["type"] == "complaint" and r["district"] == d for r in made)
        assert by[d]["praise"] == sum(r["type"] == "praise" and r["district"] == d for r in made)
    p = hotline.ReportingPeriod.month(2025, 3)
    tl = hotline.timeliness(s, p, p.end)
    assert tl.call_backs["satisfied"] == sum(r["result"] == "satisfied" for r in made)
    assert tl.satisfaction["denominator"] == sum(r["result"] is not None for r in made)
    transfer = tl.clocks["transfer"]
    assert transfer["missed"] == sum(r["late"] for r in made)
    # Never dispatched by the end of March: still running, and past its due date.
    assert transfer["overdue"] == sum(not r["transferred"] for r in made)
    assert {o["number"] for o in tl.overdue if o["clock"] == "transfer"} == \
        {r["number"] for r in made if not r["transferred"]}
    names = [tab.title for tab in tl.tables()]
    assert any("时效统计" in n for n in names)


def test_call_log_and_assessment(month, tmp_path):
    s, made = month
    csv = tmp_path / "calls.csv"
    csv.write_text("call_id,started_at,answered,wait_seconds,agent,ivr_key,line,unit,work_order\n"
                   "C1,2025-03-04T10:00:00+08:00,0,120,,1,12320,YX-BJJ,\n"
                   "C2,2025-03-04T20:00:00+08:00,0,300,,1,12320,YX-BJJ,\n"      # after hours: automated voice
                   "C3,2025-03-05T10:00:00+08:00,1,5,A017,2,12320,YX-BJJ,\n"
                   "C1,2025-03-04T10:00:00+08:00,0,120,,1,12320,YX-BJJ,\n",     # a duplicate export row
                   encoding="utf-8")
    r = s.import_calls(str(csv))
    assert r["added"] == 3 and r["already_stored"] == 0
    assert any("duplicate" in w for w in r["warnings"])
    assert s.import_calls(str(csv))["already_stored"] == 3
    p = hotline.ReportingPeriod.month(2025, 3)
    assert [c["call_id"] for c in s.calls(p.start, p.end)] == ["C1", "C2", "C3"]
    scores = hotline.assess_units(hotline.Rubric.preset("tianjin-12320"), s, p,
                                  entered={"YX-BJJ": {"checks": {"has_lead": True}}})
    bjj = next(x for x in scores if x.unit == "YX-BJJ")
    answered = next(i for i in bjj.items if i.item_id == "line.answered")
    assert answered.points == pytest.approx(8 - 0.2)  # C1 only: C2 rang after hours
    sat = next(i for i in bjj.items if i.item_id == "satisfaction.callback")
    n_sat = sum(r["result"] == "satisfied" for r in made)
    n_all = sum(r["result"] is not None for r in made)
    assert sat.points == pytest.approx(round(10 * n_sat / n_all, 2), abs=0.01)
    tables = hotline.assessment_tables(scores, p)
    assert any("criteria sum to 80" in n for n in tables[0].notes)
    out = tmp_path / "month.xlsx"
    hotline.write_xlsx(hotline.monthly_statistics(s, p).tables() + tables, str(out))
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.load_workbook(out)
    assert len(wb.sheetnames) == 6
    receipts = hotline.receipt_statistics(s, hotline.ReportingPeriod.half_month(2025, 3, 1))
    assert all("13812340000" not in str(row) for tab in receipts for row in tab.rows)  # masked


def test_charts_draw_the_numbers(month):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    from hotline import charts
    s, made = month
    p = hotline.ReportingPeriod.month(2025, 3)
    m = hotline.monthly_statistics(s, p)
    ax = charts.volumes_by_type([m])
    heights = [patch.get_height() for patch in ax.patches]
    assert heights == [m.reports, m.complaints, m.consultations, m.suggestions, m.other]
    tl = hotline.timeliness(s, p, p.end)
    ax2 = charts.on_time_by_unit(tl)
    unit = next(u for u in tl.by_unit if u["unit"] == "YX-BJJ")
    assert ax2.patches[0].get_width() == pytest.approx(100 * unit["reply"]["on_time"]["value"])
    with pytest.raises(ValueError):
        charts.on_time_by_unit(tl, clock="transfer")
