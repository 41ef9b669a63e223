"""hotline.KnowledgeBase from Python: the issue's contract, import, errors, threads."""
import datetime
import os
import pathlib
import threading

import pytest

import hotline

ROOT = pathlib.Path(__file__).resolve().parents[2]
KB = ROOT / "data" / "knowledge" / "family_doctor_kb.json"
SYN = ROOT / "data" / "knowledge" / "synonyms.tsv"
DAY = datetime.date(2025, 6, 1)


@pytest.fixture(scope="module")
def fd():
    kb = hotline.KnowledgeBase()
    assert kb.import_file(str(KB)) == 24
    kb.load_synonyms(str(SYN))
    kb.calibrate()
    return kb


def test_contract():
    kb = hotline.KnowledgeBase()
    kb.add("FD-001", "家庭医生怎么签约？", answer="到社区卫生服务中心签约", category="family-doctor",
           similar=["怎么签家庭医生", "签约家庭医生要带什么"])
    kb.add("FD-004", "家庭医生签约的有效期是多久？", category="family-doctor")
    hits = kb.match("请问家庭医生在哪里签", k=5)
    assert [h.id for h in hits][0] == "FD-001"
    assert hits[0].score > 0
    assert 0.0 <= hits[0].confidence <= 1.0
    assert len(kb) == 2


def test_errors_map_to_hotline_error():
    kb = hotline.KnowledgeBase()
    kb.add("A", "问题")
    with pytest.raises(hotline.ConflictError):
        kb.add("A", "又一个")
    with pytest.raises(hotline.NotFoundError):
        kb.retire("B")
    with pytest.raises(hotline.ParseError, match=r"x\.tsv:2: field valid_from"):
        kb.import_text("id\tquestion\tvalid_from\nB\t问\tnot-a-date\n", "tsv", "x.tsv")
    with pytest.raises(hotline.Error):
        kb.answer_threshold = 2.0


def test_family_doctor_base(fd):
    assert fd.match("家庭醫生可以網上簽約嗎", on=DAY)[0].id == "FD-002"
    assert fd.match("狂犬疫苗一共要打几针", on=DAY)[0].id == "IM-001"
    d = fd.answer("家庭医生签约要交钱吗", on=DAY)
    assert d.answer_now and d.hits[0].id == "FD-007"
    assert d.line.line == "family-doctor"
    hit = fd.match("家庭医生签约要交钱吗", k=1, on=DAY, explain=True)[0]
    assert hit.matched == "家庭医生签约要交钱吗？"
    assert any(t.term == "交钱" for t in hit.terms)
    out = fd.classify("医保报销比例是多少")
    assert out.line == "out-of-scope" and "12393" in out.channel


def test_validity_and_versions(fd):
    kb = hotline.KnowledgeBase()
    kb.add("P", "签约覆盖率目标", valid_until=datetime.date(2017, 12, 31))
    assert kb.match("签约覆盖率目标", on=datetime.date(2017, 12, 31))
    assert kb.match("签约覆盖率目标", on=datetime.date(2018, 1, 1)) == []
    e = kb.get("P")
    e.question = "签约覆盖率目标是多少"
    kb.update(e, expected_version=1)
    assert kb.get("P").version == 2


def test_bad_input(fd):
    assert fd.match("", on=DAY) == []
    assert fd.match("😀😷", on=DAY) == []
    assert fd.match("\x00\x01", on=DAY) == []
    assert fd.match("家庭医生怎么签约" * 100000, on=DAY)  # cut to KNOWLEDGE_MAX_QUERY_BYTES


def test_sqlite_roundtrip(tmp_path, fd):
    path = str(tmp_path / "kb.db")
    fd.save(path)
    kb = hotline.KnowledgeBase.open(path)
    assert len(kb) == 24
    kb.retire("FD-001")
    assert len(hotline.KnowledgeBase.open(path)) == 23


def test_threads_release_the_gil(fd):
    errors = []

    def work():
        for _ in range(200):
            if fd.match("家庭医生怎么签约", k=3, on=DAY)[0].id != "FD-001":
                errors.append(1)

    ts = [threading.Thread(target=work) for _ in range(4)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert not errors


def test_confidence_does_not_depend_on_k(fd):
    for q in ["家庭医生怎么签约", "医院停车场怎么收费"]:
        one = fd.match(q, k=1, on=DAY)
        five = fd.match(q, k=5, on=DAY)
        assert len(one) == 1 and five
        assert one[0].id == five[0].id
        assert one[0].confidence == pytest.approx(five[0].confidence)
    assert fd.match("家庭医生怎么签约", k=0, on=DAY) == []
