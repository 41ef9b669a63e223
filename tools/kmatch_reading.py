#!/usr/bin/env python3
"""A blind reading of the kmatch out-of-base queries: are they answered by the base after all?

The out-of-base AUROC of bench_knowledge counts a query as unanswered when the
data says its question is not in the base.  This tool lets people check that
label by reading, without seeing it (docs/knowledge.md, "What the data allows"):

  PYTHONPATH=build/python /usr/bin/python3 tools/kmatch_reading.py sheet reading.tsv
      writes a sheet for readers: every out-of-base dev query with the library's
      top three hits, and --controls in-base queries with their gold entry and two
      other top hits in random order; rows shuffled, nothing says which is which.
      A reader adds a column `label`: same (a candidate asks the same question,
      its answer would do), close (nearly; a detail might change the answer) or
      different.
  PYTHONPATH=build/python /usr/bin/python3 tools/kmatch_reading.py score LABELS.tsv [...]
      LABELS: a header row, then qid<TAB>label (extra columns ignored).  Prints how
      often the readers found the gold entry on the control rows, and the library's
      out-of-base AUROC over all out-of-base queries, over those not read `same`,
      and over those read `different`, for dev-A (even qids), dev-B and all.

The data is read from ../shared/data/kmatch (or --kmatch DIR); nothing of it is
written into the project.
"""
import argparse
import bisect
import csv
import os
import random
import sys

import hotline


def default_kmatch():
    here = os.path.dirname(os.path.abspath(__file__))
    env = os.environ.get("HOTLINE_SHARED_DATA")
    if env:
        return os.path.join(env, "kmatch")
    return os.path.normpath(os.path.join(here, "..", "..", "shared", "data", "kmatch"))


def read_tsv(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f, delimiter="\t"))
    return rows[0], rows[1:]


def ranked(kmatch):
    """(qid, query, gold ids, hits) for every dev query, hits as the library ranks them."""
    kb = hotline.KnowledgeBase()
    kb.import_file(os.path.join(kmatch, "ncov_kb.tsv"))
    kb.calibrate()
    _, queries = read_tsv(os.path.join(kmatch, "ncov_queries_dev.tsv"))
    out = []
    for qid, query, gold, _category in queries:
        golds = [] if gold == "-" else gold.split(",")
        out.append((qid, query, golds, kb.match(query, k=10)))
    return kb, out


def sheet(args):
    kb, rows = ranked(args.kmatch)
    rng = random.Random(args.seed)
    lines = []
    for qid, query, golds, hits in rows:
        if not golds and hits:
            lines.append([qid, query] + [h.matched for h in hits[:3]])
    inbase = [r for r in rows if r[2] and r[3]]
    for qid, query, golds, hits in rng.sample(inbase, min(args.controls, len(inbase))):
        cands = [kb.get(golds[0]).question] + [h.matched for h in hits if h.id not in golds][:2]
        rng.shuffle(cands)
        lines.append([qid, query] + cands)
    rng.shuffle(lines)
    with open(args.out, "w", encoding="utf-8") as f:
        f.write("qid\tquery\tcand1\tcand2\tcand3\n")
        for line in lines:
            f.write("\t".join(line + [""] * (5 - len(line))) + "\n")
    print(f"{args.out}: {len(lines)} rows ({len(lines) - min(args.controls, len(inbase))} out-of-base, "
          f"{min(args.controls, len(inbase))} controls)")


def auroc(pos, neg):
    """P(a random in-base confidence > a random out-of-base one), ties counting half."""
    neg = sorted(neg)
    total = 0.0
    for p in pos:
        lo, hi = bisect.bisect_left(neg, p), bisect.bisect_right(neg, p)
        total += lo + 0.5 * (hi - lo)
    return total / (len(pos) * len(neg)) if pos and neg else float("nan")


def score(args):
    labels = {}
    for path in args.labels:
        header, rows = read_tsv(path)
        col = header.index("label")
        for line, r in enumerate(rows, start=2):
            if len(r) <= col or r[col] not in ("same", "close", "different"):
                sys.exit(f"{path}: line {line} ({r[0] if r else 'empty'}): label must be same, close or different")
            labels[r[0]] = r[col]
    _, rows = ranked(args.kmatch)
    conf = {qid: (hits[0].confidence if hits else 0.0) for qid, _, _, hits in rows}
    gold = {qid: golds for qid, _, golds, _ in rows}
    controls = [q for q in labels if gold.get(q)]
    if controls:
        same = sum(labels[q] == "same" for q in controls)
        print(f"controls (in-base, gold among the candidates): {len(controls)}, read same {same} "
              f"({same / len(controls):.0%})")
    oob = [q for q in gold if not gold[q]]
    unread = [q for q in oob if q not in labels]
    if unread:
        print(f"note: {len(unread)} out-of-base queries have no label and count as `different`")
    counts = {k: sum(labels.get(q, "different") == k for q in oob) for k in ("same", "close", "different")}
    print("out-of-base queries read: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    print(f"{'set':6} {'all out-of-base':>18} {'not read same':>18} {'read different':>18}")
    for name, part in (("dev-A", 0), ("dev-B", 1), ("all", None)):
        keep = lambda q: part is None or int(q[2:]) % 2 == part
        pos = [conf[q] for q in gold if gold[q] and keep(q)]
        cells = []
        for allowed in (("same", "close", "different"), ("close", "different"), ("different",)):
            neg = [conf[q] for q in oob if keep(q) and labels.get(q, "different") in allowed]
            cells.append(f"{auroc(pos, neg):.3f} ({len(neg)})")
        print(f"{name:6} " + " ".join(f"{c:>18}" for c in cells))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--kmatch", default=default_kmatch(), help="the kmatch data directory")
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("sheet", help="write a reading sheet")
    s.add_argument("out")
    s.add_argument("--controls", type=int, default=150, help="in-base control rows (default 150)")
    s.add_argument("--seed", type=int, default=7)
    c = sub.add_parser("score", help="score the library against readers' labels")
    c.add_argument("labels", nargs="+")
    args = ap.parse_args()
    if not os.path.isfile(os.path.join(args.kmatch, "ncov_kb.tsv")):
        sys.exit(f"kmatch data not found at {args.kmatch} (use --kmatch DIR)")
    if args.cmd == "sheet":
        sheet(args)
    else:
        score(args)


if __name__ == "__main__":
    main()
