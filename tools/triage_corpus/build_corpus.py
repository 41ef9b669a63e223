#!/usr/bin/python3
"""The triage corpus: the hand-written base utterances in this folder (base_*.txt, one
"crisis|line|request type|text" a line) plus deterministic variants (greetings, no
punctuation, dialect and typo swaps, traditional characters through ICU's uconv,
full-width characters, rambling preambles, a second request) -> data/triage/corpus.tsv.
Each group of GROUPS below has its own seed, so a later group only appends rows.

    /usr/bin/python3 tools/triage_corpus/build_corpus.py data/triage/corpus.tsv

(uconv comes with Debian's icu-devtools.)"""
import os
import random, subprocess, sys, collections
LINES = dict(fd="family-doctor", psy="psychological-aid", mat="maternal-care", chi="child-care",
             imm="immunization", hiv="hiv-vct", bite="animal-bite", hk="health-knowledge",
             sup="health-supervision", phe="public-health-emergency", appt="appointment",
             msc="medical-service-complaint", uns="unsure", ss="social-security", cons="consumer",
             pol="police", mi="medical-insurance", me="medical-emergency")
CRISIS = dict(N="none", S="suicide_self_harm", V="violence", M="medical_emergency",
              O="outbreak_mass_poisoning", E="dangerous_exposure")
RT = dict(c="consultation", p="complaint", r="report", h="help_request", pr="praise", s="suggestion")
# Groups of base files, each shuffled and varied with its own random.Random(seed) and
# numbered after the groups before it. A group added later therefore leaves the ids, texts
# and splits of the earlier groups byte for byte as they were (the crisis cues were tuned on
# their train split). Add new bases as a new group at the end; never edit an earlier group.
GROUPS = [
    (["base_s.txt", "base_v.txt", "base_m.txt", "base_oe.txt", "base_hn.txt", "base_r1.txt", "base_r2.txt", "base_r3.txt"], 20),
    (["base_x.txt"], 21),  # 2026-12, second set: praise, suggestions, out-of-scope channels, thin lines
    (["base_y.txt"], 22),  # 2026-12-06, third set: about 24 bases per line (not medical-emergency), all crisis none
    (["base_z1.txt", "base_z2.txt", "base_z3.txt", "base_z4.txt", "base_z5.txt"], 23),  # 2026-12-07, fourth set: 1,760 bases, all crisis none
    (["base_w1.txt", "base_w2.txt", "base_w3.txt", "base_w4.txt", "base_w5.txt"], 24),  # 2026-12-07, fifth set: 1,750 bases, half on a border, all crisis none
    # 2026-12-07, sixth set: training rows only (no base of it is held out), so that the held-out
    # rows of the first five sets stay the same rows and a figure before it compares with one after.
    (["base_t1.txt", "base_t2.txt", "base_t3.txt", "base_t4.txt", "base_t5.txt", "base_t6.txt", "base_t7.txt", "base_t8.txt", "base_t9.txt", "base_t10.txt",
      "base_t11.txt", "base_t12.txt", "base_t13.txt", "base_t14.txt", "base_t15.txt"], 25, "train_only"),
    # 2026-12-07, seventh set: 1,500 bases, training rows only like the sixth.
    (["base_u1.txt", "base_u2.txt", "base_u3.txt", "base_u4.txt", "base_u5.txt"], 26, "train_only"),
    # 2026-12-08, eighth set: 1,500 bases, training rows only like the sixth.
    (["base_q1.txt", "base_q2.txt", "base_q3.txt", "base_q4.txt", "base_q5.txt"], 27, "train_only"),
    # 2026-12-08, ninth set: 2,400 bases, training rows only.
    (["base_p1.txt", "base_p2.txt", "base_p3.txt", "base_p4.txt", "base_p5.txt", "base_p6.txt", "base_p7.txt", "base_p8.txt"], 28, "train_only"),
    # 2026-12-08, tenth set: 2,400 bases, training rows only.
    (["base_k1.txt", "base_k2.txt", "base_k3.txt", "base_k4.txt", "base_k5.txt", "base_k6.txt", "base_k7.txt", "base_k8.txt"], 29, "train_only"),
]

def read_bases(files):
    bases = []
    for f in files:
        for ln in open(os.path.join(os.path.dirname(os.path.abspath(__file__)), f), encoding="utf-8"):
            ln = ln.rstrip("\n")
            if not ln: continue
            c, l, r, t = ln.split("|", 3)
            bases.append((CRISIS[c], LINES[l], RT[r], t))
    return bases

def s2t(texts):
    out = subprocess.run(["uconv", "-x", "Simplified-Traditional"], input="\n".join(texts), capture_output=True, text=True, check=True).stdout
    return out.split("\n")[:len(texts)]

PRE = ["喂，你好，", "您好，", "你好你好，", "那个，", "喂喂，", "麻烦问一下，", "哎，", "同志你好，", "医生，", "喂，是12320吗？", "我跟你讲，", "你好，打扰一下，"]
SUF = ["，谢谢", "，谢谢你们", "，麻烦你们了", "。", "……", "，你们快点", "，能不能帮帮忙", "？"]
DIALECT = [("不知道", "不晓得"), ("什么", "啥子"), ("怎么办", "咋个办"), ("没有", "冇"), ("孩子", "娃儿"),
           ("怎么", "咋个"), ("这么", "咁"), ("不知道", "唔知"), ("没有", "莫得"), ("什么", "乜嘢"), ("是不是", "系咪"), ("他", "佢")]
TYPO = [("的", "得"), ("在", "再"), ("已经", "以经"), ("怎么", "怎莫"), ("孩子", "孩纸"), ("吗", "嘛"), ("现在", "现再"),
        ("医院", "医阮"), ("疫苗", "疫描"), ("知道", "只道"), ("喘", "踹"), ("咬", "要")]
RAMBLE = ["我也不知道该怎么说，最近家里事情特别多，", "是这样的啊，我想了好久要不要打这个电话，", "我先说一下情况，我家在城东那边，",
          "不好意思啊我说话有点乱，", "我一直在外面上班，今天刚回来，"]
EXTRA = ["另外我还想问一下家庭医生怎么签约", "还有就是我家老人的医保卡丢了", "顺便问问狂犬疫苗多少钱", "对了，上次的投诉也没人回"]
FW = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}

def apply(t, kind, rng):
    if kind == "greet":
        return rng.choice(PRE) + t.rstrip("。") + rng.choice(SUF)
    if kind == "asr":
        return "".join(ch for ch in t if ch not in "，。？！、；：“”…,.?! ")
    if kind == "dialect":
        pairs = [p for p in DIALECT if p[0] in t]
        if not pairs: return t
        a, b = rng.choice(pairs)
        return t.replace(a, b, 1)
    if kind == "typo":
        pairs = [p for p in TYPO if p[0] in t]
        if not pairs: return t
        a, b = rng.choice(pairs)
        return t.replace(a, b, 1)
    if kind == "fullwidth":
        t2 = "".join(FW.get(ch, ch) for ch in t)
        return t2 if t2 != t else "".join(FW.get(ch, ch) for ch in ("您好，" + t + "!!"))
    if kind == "ramble":
        return rng.choice(RAMBLE) + t
    if kind == "extra":
        return t.rstrip("。") + "，" + rng.choice(EXTRA)
    return t

def group_rows(bases, first, rng):
    """The rows of one group: its bases numbered from first, each followed by its variants."""
    rows = []
    trad_jobs = []
    for bi, (c, l, r, t) in enumerate(bases, start=first):
        rows.append([bi * 10, c, l, r, t])
        n = 2 if c != "none" and rng.random() < 0.6 else 1
        kinds = ["greet", "asr", "dialect", "typo", "trad", "fullwidth", "ramble"] + (["extra"] if c != "none" else [])
        used = {t}
        v = 1
        tries = 0
        while v <= n and tries < 20:
            tries += 1
            k = rng.choice(kinds)
            if k == "trad":
                trad_jobs.append(len(rows)); rows.append([bi * 10 + v, c, l, r, t]); v += 1; continue
            t2 = apply(t, k, rng)
            if t2 in used: continue
            used.add(t2)
            rows.append([bi * 10 + v, c, l, r, t2]); v += 1
    tt = s2t([rows[i][4] for i in trad_jobs])
    for i, x in zip(trad_jobs, tt): rows[i][4] = x
    return rows

rows = []
first = 1
train_only = []  # base-number ranges [a, b) of the train-only groups
for files, seed, *flags in GROUPS:
    bases = read_bases(files)
    if "train_only" in flags: train_only.append((first, first + len(bases)))
    # interleave sections so each section is spread over the id space evenly
    rng = random.Random(seed)
    order = list(range(len(bases)))
    rng.shuffle(order)
    bases = [bases[i] for i in order]
    rows += group_rows(bases, first, rng)
    first += len(bases)
seen = set(); out = []
for row in rows:
    if row[4] in seen: continue
    seen.add(row[4]); out.append(row)
def split_of(id_):
    base = id_ // 10
    return "held_out" if base % 4 == 0 and not any(a <= base < b for a, b in train_only) else "train"
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write("id\tsplit\ttext\tcrisis\tline\trequest_type\n")
    for id_, c, l, r, t in out:
        assert "\t" not in t and "\n" not in t
        f.write(f"{id_}\t{split_of(id_)}\t{t}\t{c}\t{l}\t{r}\n")
cnt = collections.Counter()
for row in out: cnt[(split_of(row[0]), row[1])] += 1
print(len(out), sorted(cnt.items()))
