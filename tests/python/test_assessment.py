"""The assessment rubric engine from Python (001 annex 10)."""
import pytest

import hotline


def test_tianjin_preset_reports_its_gaps():
    r = hotline.Rubric.preset("tianjin-12320")
    assert r.criteria_total == 80  # 10 + 20 + 20 + 15 + 15, as written
    messages = {g.where: g.message for g in r.gaps()}
    assert "80 of a declared total of 100" in messages["tianjin-12320"]
    assert "at most 10 of the item's 15" in messages["satisfaction.callback"]


def test_score_explains_every_deduction():
    r = hotline.Rubric.preset("tianjin-12320")
    facts = {
        "checks": {k: True for k in ("has_lead", "has_handling_department", "has_fixed_liaison",
                                      "has_hotline", "has_trained_staff")},
        "scores": {"records_quality": 10, "reports_timely": 10, "attitude": 4, "training": 15},
        "occurrences": {"late_transfers": [("WO-1", "2 working days"), "WO-2"],
                        "long_unanswered_calls": [f"CALL-{i}" for i in range(20)]},
        "observations": {"callback_satisfaction": ["satisfied"] * 3 + ["dissatisfied"]},
    }
    s = hotline.score(r, "某中心", facts)
    items = {i.item_id: i for i in s.items}
    assert items["line.first_question"].points == pytest.approx(4)       # 2 x -2
    assert items["line.first_question"].refs == ["WO-1: 2 working days", "WO-2"]
    assert items["line.answered"].points == pytest.approx(5)             # 20 x -0.2 = -4, capped at -3
    assert items["satisfaction.callback"].points == pytest.approx(7.5)   # mean(10, 10, 10, 0)
    assert s.total == pytest.approx(10 + 20 + 5 + 4 + 4 + 15 + 7.5)
    assert "WO-1: 2 working days" in str(s)


def test_bad_rubric_and_bad_facts_are_errors():
    with pytest.raises(hotline.ParseError, match=r"criteria\[0\]\.items\[0\]\.kind"):
        hotline.Rubric.from_json('{"name": "x", "criteria": [{"id": "c", "max_points": 1, "items": '
                                 '[{"id": "i", "kind": "bonus", "max_points": 1, "fact": "f"}]}]}')
    r = hotline.Rubric.preset("tianjin-12320")
    with pytest.raises(hotline.InvalidArgumentError, match="unknown facts section"):
        hotline.score(r, "u", {"bonus": {}})
    with pytest.raises(hotline.InvalidArgumentError, match="line.attitude"):
        hotline.score(r, "u", {"scores": {"attitude": 9}})
    with pytest.raises(hotline.NotFoundError):
        hotline.Rubric.preset("nowhere")
