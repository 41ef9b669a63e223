#!/usr/bin/python3
"""How often two annotators who never saw the corpus's labels agree with them
(data/triage/agreement.tsv; the study is described in data/triage/README.md,
"Agreement"). Reads the labels from data/triage/corpus.tsv and prints each
annotator's accuracy against them, per set, and the annotators' agreement with
each other: the ceiling a classifier of these labels can be expected to reach.

    /usr/bin/python3 tools/triage_corpus/agreement.py
"""
import os
import sys

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
corpus = {}
with open(os.path.join(root, "data", "triage", "corpus.tsv"), encoding="utf-8") as f:
    next(f)
    for line in f:
        id_, split, text, crisis, service_line, request_type = line.rstrip("\n").split("\t")
        corpus[int(id_)] = (split, service_line, request_type)
rows = []
with open(os.path.join(root, "data", "triage", "agreement.tsv"), encoding="utf-8") as f:
    next(f)
    for n, line in enumerate(f, start=2):
        fields = line.rstrip("\n").split("\t")
        if len(fields) != 5:
            sys.exit(f"agreement.tsv:{n}: expected 5 fields, found {len(fields)}")
        id_ = int(fields[0])
        if id_ not in corpus:
            sys.exit(f"agreement.tsv:{n}: id {id_} is not in corpus.tsv")
        if corpus[id_][0] != "train":
            sys.exit(f"agreement.tsv:{n}: id {id_} is a held-out row; the study reads train rows only")
        rows.append((id_, fields[1:]))


def share(pred):
    hits = [1 if pred(id_, lab) else 0 for id_, lab in rows]
    return sum(hits) / len(hits)


first = lambda id_: id_ // 10 < 1486
print(f"{len(rows)} base utterances of the train rows, labelled blind by two annotators")
for who, i in (("A", 0), ("B", 2)):
    for what, j in (("line", 1), ("request type", 2)):
        everything = share(lambda id_, lab: lab[i + j - 1] == corpus[id_][j])
        sets = [sum(1 for id_, lab in rows if lab[i + j - 1] == corpus[id_][j] and first(id_) == s) /
                max(1, sum(1 for id_, _ in rows if first(id_) == s)) for s in (True, False)]
        print(f"  annotator {who}, {what:12} vs corpus: {everything:.3f}  (first three sets {sets[0]:.3f}, fourth {sets[1]:.3f})")
print(f"  A vs B: line {share(lambda i, l: l[0] == l[2]):.3f}, request type {share(lambda i, l: l[1] == l[3]):.3f}")
