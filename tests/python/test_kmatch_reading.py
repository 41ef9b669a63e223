"""tools/kmatch_reading.py: the blind reading sheet and the scores against readers' labels,
on a small kmatch-shaped directory written here (the real data stays outside the project)."""
import csv
import importlib.util
import pathlib
import sys

import pytest

import hotline

TOOL = pathlib.Path(__file__).resolve().parents[2] / "tools" / "kmatch_reading.py"

BASE = [
    ("K1", "孩子发烧怎么办", "发烧"),
    ("K2", "孕妇感冒能吃什么药", "感冒"),
    ("K3", "肺炎疫苗多少钱", "肺炎"),
    ("K4", "哮喘能根治吗", "哮喘"),
    ("K5", "孩子发烧能洗澡吗", "发烧"),
]
QUERIES = [
    ("NQ00000", "小孩发烧了怎么办", "K1"),
    ("NQ00001", "孕妇感冒吃什么药好", "K2"),
    ("NQ00002", "哮喘可以根治吗", "K4"),
    ("NQ00003", "肺炎疫苗的价格是多少", "-"),  # answered by K3 although the data says not
    ("NQ00004", "糖尿病饮食要注意什么", "-"),
    ("NQ00005", "孕妇感冒可以打针吗", "-"),
]


@pytest.fixture()
def tool():
    spec = importlib.util.spec_from_file_location("kmatch_reading", TOOL)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture()
def kmatch(tmp_path):
    d = tmp_path / "kmatch"
    d.mkdir()
    with open(d / "ncov_kb.tsv", "w", encoding="utf-8") as f:
        f.write("id\tquestion\tanswer\tcategory\tkind\n")
        for i, q, c in BASE:
            f.write(f"{i}\t{q}\t\t{c}\tstd\n")
    with open(d / "ncov_queries_dev.tsv", "w", encoding="utf-8") as f:
        f.write("qid\tquery\tgold_ids\tcategory\n")
        for qid, q, g in QUERIES:
            f.write(f"{qid}\t{q}\t{g}\tx\n")
    return d


def run(tool, monkeypatch, capsys, *argv):
    monkeypatch.setattr(sys, "argv", ["kmatch_reading.py", *argv])
    tool.main()
    return capsys.readouterr().out


def confidences(kmatch):
    kb = hotline.KnowledgeBase()
    kb.import_file(str(kmatch / "ncov_kb.tsv"))
    kb.calibrate()
    out = {}
    for qid, q, _ in QUERIES:
        hits = kb.match(q, k=10)
        out[qid] = hits[0].confidence if hits else 0.0
    return out


def test_sheet_hides_which_rows_are_controls(tool, kmatch, tmp_path, monkeypatch, capsys):
    sheet = tmp_path / "sheet.tsv"
    out = run(tool, monkeypatch, capsys, "--kmatch", str(kmatch), "sheet", str(sheet), "--controls", "2")
    assert "5 rows (3 out-of-base, 2 controls)" in out
    with open(sheet, encoding="utf-8") as f:
        rows = list(csv.reader(f, delimiter="\t"))
    assert rows[0] == ["qid", "query", "cand1", "cand2", "cand3"]
    assert len(rows) == 6 and all(len(r) == 5 for r in rows)
    by_qid = {r[0]: r for r in rows[1:]}
    assert {"NQ00003", "NQ00004", "NQ00005"} <= set(by_qid)
    questions = {i: q for i, q, _ in BASE}
    gold = {qid: g for qid, _, g in QUERIES}
    controls = [q for q in by_qid if gold[q] != "-"]
    assert len(controls) == 2
    for q in controls:  # the gold question is among the candidates, not marked
        assert questions[gold[q]] in by_qid[q][2:]


def test_score_against_labels(tool, kmatch, tmp_path, monkeypatch, capsys):
    labels = tmp_path / "labels.tsv"
    labels.write_text("qid\tlabel\n"
                      "NQ00000\tsame\nNQ00001\tsame\nNQ00002\tclose\n"
                      "NQ00003\tsame\nNQ00004\tdifferent\nNQ00005\tclose\n", encoding="utf-8")
    out = run(tool, monkeypatch, capsys, "--kmatch", str(kmatch), "score", str(labels))
    assert "controls (in-base, gold among the candidates): 3, read same 2 (67%)" in out
    assert "out-of-base queries read: same 1, close 1, different 1" in out
    conf = confidences(kmatch)
    pos = [conf[q] for q, _, g in QUERIES if g != "-"]

    def expected(neg_ids):
        neg = [conf[q] for q in neg_ids]
        wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
        return wins / (len(pos) * len(neg))

    line = next(l for l in out.splitlines() if l.startswith("all"))
    cells = line.split()[1:]
    assert cells[0:2] == [f"{expected(['NQ00003', 'NQ00004', 'NQ00005']):.3f}", "(3)"]
    assert cells[2:4] == [f"{expected(['NQ00004', 'NQ00005']):.3f}", "(2)"]
    assert cells[4:6] == [f"{expected(['NQ00004']):.3f}", "(1)"]


def test_score_refuses_an_unknown_label(tool, kmatch, tmp_path, monkeypatch, capsys):
    labels = tmp_path / "bad.tsv"
    labels.write_text("qid\tlabel\nNQ00003\tmaybe\n", encoding="utf-8")
    with pytest.raises(SystemExit) as e:
        run(tool, monkeypatch, capsys, "--kmatch", str(kmatch), "score", str(labels))
    assert "bad.tsv" in str(e.value) and "NQ00003" in str(e.value)


def test_auroc_counts_ties_half(tool):
    # pairs (0.5,0.5) tie, (0.5,0.1) win, (0.9,0.5) win, (0.9,0.1) win: 3.5 of 4
    assert tool.auroc([0.5, 0.9], [0.5, 0.1]) == pytest.approx(0.875)
    assert tool.auroc([0.2], [0.2]) == pytest.approx(0.5)
