"""The `hotline` command line (src/cli, docs/cli.md), run as a program.

The binary is found through HOTLINE_CLI, else next to the Python package it was built
with (<build>/python/hotline -> <build>/src/cli/hotline), else <repo>/build/src/cli/hotline;
the tests are skipped when it was not built (HOTLINE_BUILD_CLI=OFF or no CLI11).

Exit codes checked everywhere: 0 ok, 1 an error in the data, 2 usage; never a signal
(a negative return code) and never an uncaught exception's "terminate called".
"""
import csv
import io
import json
import os
import pathlib
import subprocess
import zipfile

import pytest

import hotline

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]


def _find_cli() -> pathlib.Path | None:
    if os.environ.get("HOTLINE_CLI"):
        return pathlib.Path(os.environ["HOTLINE_CLI"])
    candidates = [pathlib.Path(hotline.__file__).resolve().parents[2] / "src" / "cli" / "hotline"]
    if os.environ.get("HOTLINE_BUILD_DIR"):
        candidates.append(pathlib.Path(os.environ["HOTLINE_BUILD_DIR"]) / "src" / "cli" / "hotline")
    candidates.append(REPO_ROOT / "build" / "src" / "cli" / "hotline")
    for c in candidates:
        if c.is_file() and os.access(c, os.X_OK):
            return c
    return None


CLI = _find_cli()
pytestmark = pytest.mark.skipif(CLI is None, reason="the hotline command line was not built "
                                                    "(cmake --build <build> --target hotline_cli, or set HOTLINE_CLI)")

KB_JSON = REPO_ROOT / "data" / "knowledge" / "family_doctor_kb.json"


def run(*args, cwd=None, stderr=subprocess.PIPE, env=None):
    """Runs the CLI; checks it ended by itself (no signal, no uncaught exception)."""
    p = subprocess.run([str(CLI), *map(str, args)], cwd=cwd, stdout=subprocess.PIPE, stderr=stderr,
                       env=env, timeout=120)
    p.out = p.stdout.decode("utf-8", "replace")
    p.err = (p.stderr or b"").decode("utf-8", "replace")
    assert p.returncode >= 0, f"killed by signal {-p.returncode}: {p.err}"
    assert "terminate called" not in p.err and "Aborted" not in p.err
    return p


def ok(*args, **kw):
    p = run(*args, **kw)
    assert p.returncode == 0, p.err
    return p


def js(*args, **kw):
    return json.loads(ok("--json", *args, **kw).out)


# ---- the small job's files -------------------------------------------------------------

UNITS = """code,name,kind,parent,covers,topics,active
YX-BJJ,越秀区北京街社区卫生服务中心,institution,,越秀区/北京街,,1
"""

ORDERS = """number,received_at,request_type,agent,caller_name,caller_phone,district,sub_district,content,complaint_subject
12320-20251009-000001,2025-10-09T09:15:00+08:00,complaint,A017,张三丰,13812341234,越秀区,北京街,"诊所收费不合理，请回电13812341234",医疗服务
12320-20251009-000002,2025-10-09 10:00,咨询,A017,李四,13900001111,越秀区,北京街,家庭医生怎么签约,
"""

ACTIONS = """number,action,at,by,role,by_unit,unit,finding,resolved,reply_text,call_back
12320-20251009-000001,dispatch,2025-10-09T10:00:00+08:00,D02,dispatcher,,YX-BJJ,,,,
12320-20251009-000001,sign_for,2025-10-09T11:00:00+08:00,L01,liaison,YX-BJJ,,,,,
12320-20251009-000001,reply,2025-10-10T11:00:00+08:00,L01,liaison,YX-BJJ,,true,1,已退费,
12320-20251009-000001,accept_reply,2025-10-10T15:00:00+08:00,R01,reviewer,,,,,,
12320-20251009-000001,call_back,2025-10-11T10:00:00+08:00,C01,call_back_agent,,,,,,satisfied
12320-20251009-000001,close,2025-10-11T10:05:00+08:00,C01,call_back_agent,,,,,,
"""

CALLS = """call_id,started_at,answered,wait_seconds,agent,ivr_key,line,unit,work_order
C-0001,2025-10-09T09:14:04+08:00,1,12,A017,1,12320,,12320-20251009-000001
C-0002,2025-10-09T10:20:00+08:00,0,95,,2,12320,YX-BJJ,
"""

CALLS_JSON = [
    {"call_id": "C-0003", "started_at": "2025-10-10T09:00:00+08:00", "answered": True, "wait_seconds": 5,
     "agent": "A017", "ivr_key": 1, "line": "12320"},
]

# A test text in the published form, not the real 2027 notice (as in test_calendar_beyond.py).
NOTICE_2027 = """国务院办公厅关于2027年部分节假日安排的通知
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
经国务院批准，现将2027年元旦、春节放假调休日期的具体安排通知如下。
一、元旦：1月1日（周五）至3日放假，共3天。
二、春节：2月5日（农历除夕、周五）至13日（农历正月初八、周六）放假调休，共9天。2月14日（周日）上班。
国务院办公厅
2026年11月
"""

NUMBER = "12320-20251009-000001"


@pytest.fixture(scope="module")
def job(tmp_path_factory):
    """A store with a unit, two orders (one through its whole life), two calls."""
    d = tmp_path_factory.mktemp("cli")
    for name, text in [("units.csv", UNITS), ("orders.csv", ORDERS), ("actions.csv", ACTIONS), ("calls.csv", CALLS)]:
        (d / name).write_text(text, encoding="utf-8")
    (d / "calls.json").write_text(json.dumps(CALLS_JSON), encoding="utf-8")
    db = d / "t.db"
    ok("store", "--db", db, "init")
    assert js("store", "--db", db, "import", "units", d / "units.csv")["added"] == 1
    r = js("store", "--db", db, "import", "orders", d / "orders.csv")
    assert r["added"] == 2 and r["numbers"][0] == NUMBER
    assert js("store", "--db", db, "import", "actions", d / "actions.csv")["applied"] == 6
    assert js("store", "--db", db, "import", "calls", d / "calls.csv")["added"] == 2
    assert js("store", "--db", db, "import", "calls", d / "calls.json")["added"] == 1
    return d, db


# ---- --help on every command ---------------------------------------------------------

COMMANDS = [
    [], ["calendar"], ["calendar", "is-workday"], ["calendar", "add"], ["calendar", "between"],
    ["calendar", "holidays"], ["calendar", "notice"], ["sla"], ["sla", "due"], ["sla", "explain"],
    ["sla", "presets"], ["store"], ["store", "init"], ["store", "import"], ["store", "list"], ["store", "show"],
    ["store", "events"], ["store", "verify"], ["store", "rebuild"], ["kb"], ["kb", "import"], ["kb", "match"],
    ["kb", "classify"], ["report"], ["report", "monthly"], ["report", "quarterly"], ["report", "timeliness"],
    ["assess"],
]


@pytest.mark.parametrize("cmd", COMMANDS, ids=lambda c: " ".join(c) or "hotline")
def test_help_on_every_command(cmd):
    p = ok(*cmd, "--help")
    assert "Usage:" in p.out and p.err == ""


def test_version():
    assert ok("--version").out.strip() == hotline.__version__


# ---- calendar and sla ----------------------------------------------------------------

def test_calendar_is_workday_add_between_holidays():
    out = ok("calendar", "is-workday", "2026-02-14", "2026-02-16").out.splitlines()
    assert out[0].startswith("2026-02-14  workday  adjusted_working_day  春节")
    assert out[1].startswith("2026-02-16  day off  holiday")
    days = js("calendar", "is-workday", "2026-02-14", "2025-10-01")
    assert [d["workday"] for d in days] == [True, False] and days[1]["name_en"] == "National Day"
    assert ok("calendar", "add", "2025-01-24", "3").out.strip() == "2025-02-05"   # 000 art. 12, Spring Festival
    assert ok("calendar", "add", "2025-01-27", "-3").out.strip() == "2025-01-23"
    assert js("calendar", "between", "2025-09-30", "2025-10-10")["workdays"] == 2
    h = js("calendar", "holidays", "2026", "--all")
    assert h["basis"] == "data"
    assert any(d["date"] == "2026-02-14" and d["kind"] == "adjusted_working_day" for d in h["days"])
    assert all(d["kind"] == "holiday" for d in js("calendar", "holidays", "2026")["days"])


def test_calendar_notice_and_notices_folder(tmp_path):
    notice = tmp_path / "2027.txt"
    notice.write_text(NOTICE_2027, encoding="utf-8")
    folder = tmp_path / "notices"
    folder.mkdir()
    p = ok("calendar", "notice", notice, "--output", folder / "2027.csv")
    assert "2027-02-14 Sun  workday" in p.out
    # 2027 is beyond the built-in data: an error naming the way forward, then answered with the notice.
    p = run("calendar", "add", "2027-02-04", "1")
    assert p.returncode == 1 and "2027" in p.err and "--notices" in p.err
    assert ok("calendar", "--notices", folder, "add", "2027-02-04", "1").out.strip() == "2027-02-14"


def test_sla_due_and_explain():
    # 000 art. 12: a consultation received on 09-30 is due at the end of 10-10, National Day stepped over.
    assert ok("sla", "due", "--type", "consultation", "--received", "2025-09-30T15:00").out.strip() == \
        "2025-10-11T00:00:00+08:00"
    d = js("sla", "due", "-t", "投诉", "-r", "2025-09-30")
    assert d["due"] == "2025-10-22T00:00:00+08:00" and d["last_day"] == "2025-10-21"
    assert any(s["name_en"] == "National Day" for s in d["stepped_over"])
    assert "国庆节" in ok("sla", "explain", "-t", "complaint", "-r", "2025-09-30").out
    t = js("sla", "--policy", "tianjin-12320", "due", "-t", "complaint", "-r", "2026-03-02T10:00", "--clock", "transfer")
    assert t["clock"] == "transfer" and t["target"] == {"amount": 8, "unit": "working_hours"}
    assert [p["name"] for p in js("sla", "presets")][0] == "guangzhou-family-doctor"


# ---- the store -------------------------------------------------------------------------

def test_store_list_show_events_verify_rebuild(job):
    d, db = job
    listed = ok("store", "--db", db, "list").out
    assert NUMBER in listed and "138****1234" in listed and "13812341234" not in listed
    assert "张**" in listed and "张三丰" not in listed
    shown = ok("store", "--db", db, "show", NUMBER).out
    assert "state: closed" in shown and "138****1234" in shown and "13812341234" not in shown
    o = js("store", "--db", db, "show", NUMBER)
    assert o["state"] == "closed" and o["caller_phone"] == "138****1234"
    assert o["content"] == "诊所收费不合理，请回电138****1234"
    assert o["clocks"]["reply"]["outcome"] == "met"
    events = js("store", "--db", db, "events", NUMBER)["events"]
    assert [e["action"] for e in events] == ["create", "dispatch", "sign_for", "reply", "accept_reply", "call_back",
                                             "close"]
    assert "13812341234" not in json.dumps(events, ensure_ascii=False)
    assert js("store", "--db", db, "verify") == {"ok": True, "events_checked": 8, "heads_checked": 0,
                                                 "signed_through": 0}
    assert js("store", "--db", db, "rebuild")["rebuilt_orders"] == 2
    assert [x["number"] for x in js("store", "--db", db, "list", "--open")["orders"]] == ["12320-20251009-000002"]


def test_store_reveal(job):
    d, db = job
    assert "13812341234" in ok("store", "--db", db, "list", "--reveal").out
    o = js("store", "--db", db, "show", NUMBER, "--reveal")
    assert o["caller_phone"] == "13812341234" and o["caller_name"] == "张三丰"
    assert "13812341234" in json.dumps(js("store", "--db", db, "events", NUMBER, "--reveal"), ensure_ascii=False)


def test_store_copy_into_a_new_store_and_its_refusals(job, tmp_path):
    d, db = job
    target = tmp_path / "copy.db"
    r = js("store", "--db", db, "copy", "--to", target)
    assert (r["orders"], r["events"]) == (2, 8) and " events=8 " in r["head"]
    assert js("store", "--db", target, "verify")["events_checked"] == 8
    assert js("store", "--db", target, "show", NUMBER)["state"] == "closed"
    assert "verified" in ok("store", "--db", db, "copy", "--to", tmp_path / "again.db").out
    # A target that holds anything: an error naming it, exit 1, the target as it was.
    p = run("store", "--db", db, "copy", "--to", target)
    assert p.returncode == 1 and "the target is not empty" in p.err
    assert js("store", "--db", target, "verify")["events_checked"] == 8
    p = run("store", "--db", tmp_path / "none.db", "copy", "--to", tmp_path / "x.db")
    assert p.returncode == 1 and "no such store" in p.err and not (tmp_path / "x.db").exists()
    assert run("store", "--db", db, "copy").returncode == 2  # --to is required


def test_store_db_from_environment(job):
    d, db = job
    env = dict(os.environ, HOTLINE_DB=str(db))
    assert NUMBER in ok("store", "list", env=env).out


# ---- reports and assessment ---------------------------------------------------------------

def test_report_monthly_text_csv_json_xlsx(job, tmp_path):
    d, db = job
    text = ok("report", "--db", db, "monthly", "2025-10").out
    assert "表1" in text and "医疗服务" in text
    m = js("report", "--db", db, "monthly", "2025-10")
    assert m["summary"]["total"] == 2 and m["summary"]["complaints"] == 1
    assert m["period"]["label"] == "2025-10" and len(m["tables"]) == 4
    csv_text = ok("report", "--db", db, "monthly", "2025-10", "--format", "csv").out
    assert "投诉" in csv_text
    ok("report", "--db", db, "monthly", "2025-10", "--format", "csv", "-o", tmp_path / "m.csv")
    files = sorted(p.name for p in tmp_path.glob("m-*.csv"))
    assert files == ["m-1.csv", "m-2.csv", "m-3.csv", "m-4.csv"]
    rows = list(csv.reader(io.StringIO((tmp_path / "m-1.csv").read_text(encoding="utf-8-sig"))))
    assert any("2" in r for r in rows)
    ok("report", "--db", db, "monthly", "2025-10", "--format", "xlsx", "-o", tmp_path / "m.xlsx")
    with zipfile.ZipFile(tmp_path / "m.xlsx") as z:
        assert any(n.startswith("xl/worksheets/sheet") for n in z.namelist())
    # xlsx goes to a file, never to the terminal: a usage error.
    p = run("report", "--db", db, "monthly", "2025-10", "--format", "xlsx")
    assert p.returncode == 2 and "--output" in p.err


def test_report_quarterly_timeliness_assess(job):
    d, db = job
    q = js("report", "--db", db, "quarterly", "2025-Q4")
    assert q["districts"] == [{"district": "越秀区", "complaints": 1, "reports": 0, "praise": 0, "completed": 1}]
    t = js("report", "--db", db, "timeliness", "2025-10", "--as-of", "2025-11-01")
    assert t["orders"] == 2 and t["clocks"]["reply"]["met"] == 1
    assert [o["number"] for o in t["overdue"]] == ["12320-20251009-000002"] * len(t["overdue"]) and t["overdue"]
    entered = d / "entered.json"
    entered.write_text(json.dumps({"YX-BJJ": {"checks": {"has_lead": True}, "scores": {"attitude": 4}}}))
    a = js("assess", "--db", db, "2025-10", "--entered", entered)
    units = {u["unit"]: u for u in a["units"]}
    assert "YX-BJJ" in units and units["YX-BJJ"]["total"] > 0
    assert any(i["item"] == "line.first_question" and i["refs"] for i in units["(12320 centre)"]["items"])


# ---- knowledge ----------------------------------------------------------------------------

def test_kb_match_classify_import(tmp_path):
    m = js("kb", "--kb", KB_JSON, "match", "家庭医生怎么签约", "-k", "3")
    assert m["hits"][0]["id"] == "FD-001" and len(m["hits"]) == 3
    assert 0 <= m["hits"][0]["confidence"] <= 1
    ok("kb", "import", KB_JSON, "--into", tmp_path / "kb.db")
    assert js("kb", "--kb", tmp_path / "kb.db", "match", "家庭医生怎么签约")["hits"][0]["id"] == "FD-001"
    c = js("kb", "classify", "我活着没什么意思了，不想活了")
    assert c["triage"]["urgent"] is True and c["triage"]["route"] == "psychological_crisis_line"
    assert js("kb", "classify", "诊所没有执照，天天给人打吊针")["request_type"] == "report"


# ---- exit codes and bad input --------------------------------------------------------------

@pytest.mark.parametrize("args, needle", [
    (["frob"], "frob"),
    (["calendar", "frob"], "frob"),
    (["calendar"], "a verb is needed"),
    (["calendar", "add", "2025-13-01", "2"], "2025-13-01"),
    (["calendar", "is-workday", "yesterday"], "yesterday"),
    (["sla", "due", "-t", "bogus", "-r", "2025-09-30"], "bogus"),
    (["sla", "due", "-t", "complaint", "-r", "2025-09-31T10:00"], "2025-09-31"),
    (["sla", "--policy", "nonesuch", "due", "-t", "complaint", "-r", "2025-09-30"], "nonesuch"),
    (["store", "list"], "--db"),
    (["report", "--db", "x.db", "monthly", "2025-13"], "2025-13"),
    (["report", "--db", "x.db", "quarterly", "2025-10"], "quarter"),
    (["kb", "match", "x"], "--kb"),
])
def test_usage_errors_exit_2(args, needle, tmp_path):
    p = run(*args, cwd=tmp_path, env={k: v for k, v in os.environ.items() if k != "HOTLINE_DB"})
    assert p.returncode == 2, p.err
    assert p.err.startswith("hotline: ") and needle in p.err and p.out == ""


def test_store_import_unknown_kind_exit_2(job):
    d, db = job
    p = run("store", "--db", db, "import", "frobs", d / "orders.csv")
    assert p.returncode == 2 and "frobs" in p.err


def _orders_in(db):
    return len(js("store", "--db", db, "list", "--limit", "0")["orders"])


@pytest.mark.parametrize("name, content, where", [
    ("utf8.csv", b"number,received_at,request_type,content\nX-1,2025-10-09T09:00:00+08:00,complaint,bad \xff\xfe\n",
     "utf8.csv:2: content: not valid UTF-8"),
    ("syntax.json", b'[{"received_at": "2025-10-09T09:00:00+08:00",\n "request_type": "complaint"\n "content": "x"}]',
     "syntax.json:3: malformed JSON"),
    ("utf8.json", b'[\n{"received_at": "2025-10-09T09:00:00+08:00", "request_type": "complaint", "content": "\xc3("}]',
     "utf8.json:2: malformed JSON"),
    ("date.json", b'[{"received_at": "2025-10-09T09:00:00+08:00", "request_type": "complaint"},\n'
                  b' {"received_at": "2025-10-32", "request_type": "complaint"}]',
     "date.json:2: [1].received_at: '2025-10-32'"),
    ("date.csv", b"number,received_at,request_type\nX-2,2025-10-09,complaint\nX-3,yesterday,complaint\n",
     "date.csv:3: received_at: 'yesterday'"),
    ("type.csv", b"received_at,request_type\n2025-10-09,complaint\n2025-10-09,grumble\n",
     "type.csv:3: request_type: unknown request_type 'grumble'"),
    ("column.csv", b"received_at,request_type,colour\n2025-10-09,complaint,red\n", "column.csv:1: header: colour"),
    ("missing.csv", None, "missing.csv: cannot open"),
    ("quote.csv", b'received_at,request_type,content\n2025-10-09,complaint,"never closed\n', "quote.csv:2:"),
    ("fields.csv", b"received_at,request_type\n2025-10-09,complaint,extra\n", "fields.csv:2: expected 2 fields"),
    ("empty.csv", b"", "empty.csv:1: empty file"),
    ("orders.txt", b"x", "unknown file type"),
    ("object.json", b'{"rows": []}', "object.json:1: expected an array"),
])
def test_bad_order_files_exit_1_and_name_file_line_field(job, name, content, where):
    d, db = job
    f = d / "bad" / name
    f.parent.mkdir(exist_ok=True)
    if content is not None:
        f.write_bytes(content)
    before = _orders_in(db)
    p = run("store", "--db", db, "import", "orders", f)
    assert p.returncode == 1, p.err
    assert where in p.err and p.err.startswith("hotline: ") and p.out == ""
    assert _orders_in(db) == before  # nothing half-imported


def test_store_refusals_leave_the_store_as_it_was(job, tmp_path):
    d, db = job
    before = _orders_in(db)
    # The second row's number exists: the first row is rolled back with it.
    dup = tmp_path / "dup.csv"
    dup.write_text("number,received_at,request_type,content\nNEW-1,2025-10-09,complaint,x\n" + NUMBER +
                   ",2025-10-09,complaint,y\n",
                   encoding="utf-8")
    p = run("store", "--db", db, "import", "orders", dup)
    assert p.returncode == 1 and "dup.csv:3:" in p.err and "already exists" in p.err
    assert _orders_in(db) == before
    # An action the order's state forbids names its line; nothing applied.
    bad = tmp_path / "bad_actions.csv"
    bad.write_text("number,action,at,by,role\n12320-20251009-000002,dispatch,2025-10-09T11:00,D02,dispatcher\n"
                   + NUMBER + ",dispatch,2025-10-12T10:00,D02,dispatcher\n", encoding="utf-8")
    p = run("store", "--db", db, "import", "actions", bad)
    assert p.returncode == 1 and "bad_actions.csv:3: illegal transition" in p.err
    assert js("store", "--db", db, "show", "12320-20251009-000002")["state"] == "waiting_for_dispatch"
    p = run("store", "--db", db, "show", "nope")
    assert p.returncode == 1 and "no order nope" in p.err
    p = run("store", "--db", tmp_path / "absent.db", "list")
    assert p.returncode == 1 and "absent.db: no such store" in p.err
    assert not (tmp_path / "absent.db").exists()


def test_other_bad_input_exit_1(job, tmp_path):
    d, db = job
    bad = tmp_path / "bad.json"
    bad.write_text('{"YX-BJJ": {"checks": {"has_lead": "yes"}}}', encoding="utf-8")
    p = run("assess", "--db", db, "2025-10", "--entered", bad)
    assert p.returncode == 1 and "bad.json: YX-BJJ.checks.has_lead: expected true or false" in p.err
    broken = tmp_path / "broken.json"
    broken.write_text("[\n{", encoding="utf-8")
    for args in (["kb", "--kb", broken, "match", "x"], ["sla", "--policy", broken, "due", "-t", "complaint", "-r",
                                                        "2025-09-30"]):
        p = run(*args)
        assert p.returncode == 1 and "broken.json:2" in p.err, p.err
    p = run("calendar", "notice", tmp_path / "absent.txt")
    assert p.returncode == 1 and "absent.txt" in p.err
    calls = tmp_path / "calls.csv"
    calls.write_bytes(b"call_id,started_at,answered,wait_seconds,agent,ivr_key,line,unit,work_order\n"
                      b"C-9,2025-10-09T09:14:04+08:00,maybe,12,A017,1,12320,,\n")
    p = run("store", "--db", db, "import", "calls", calls)
    assert p.returncode == 1 and "calls.csv:2" in p.err and "answered" in p.err


def test_no_progress_line_when_stderr_is_not_a_terminal(tmp_path):
    rows = "".join(f"P-{i},2025-10-09T09:00:00+08:00,consultation,问题{i}\n" for i in range(1500))
    f = tmp_path / "many.csv"
    f.write_text("number,received_at,request_type,content\n" + rows, encoding="utf-8")
    p = ok("store", "--db", tmp_path / "p.db", "import", "orders", f)
    assert p.err == "" and "imported 1500 orders" in p.out


def test_progress_line_on_a_terminal(tmp_path):
    pty = pytest.importorskip("pty")
    rows = "".join(f"P-{i},2025-10-09T09:00:00+08:00,consultation,问题{i}\n" for i in range(1500))
    f = tmp_path / "many.csv"
    f.write_text("number,received_at,request_type,content\n" + rows, encoding="utf-8")
    master, slave = pty.openpty()
    try:
        p = subprocess.run([str(CLI), "store", "--db", str(tmp_path / "p.db"), "import", "orders", str(f)],
                           stdout=subprocess.PIPE, stderr=slave, timeout=120)
        os.close(slave)
        seen = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(master)
    assert p.returncode == 0
    assert b"importing orders: 1000" in seen


def test_json_arrays_become_the_stores_lists(tmp_path):
    """co_units given as a JSON array is the comma-separated list the store keeps (the
    same rule as the C ABI's JSON, store_json.hpp list_separator); a unit's covers keep ';'."""
    db = tmp_path / "lists.db"
    ok("store", "--db", db, "init")
    units = [{"code": c, "name": n, "kind": "institution", "covers": ["越秀区/北京街", "越秀区/人民街"]}
             for c, n in [("YX-BJJ", "北京街社区卫生服务中心"), ("YX-RMJ", "人民街社区卫生服务中心"),
                          ("YX-DSJ", "大塘街社区卫生服务中心")]]
    (tmp_path / "units.json").write_text(json.dumps(units, ensure_ascii=False), encoding="utf-8")
    assert js("store", "--db", db, "import", "units", tmp_path / "units.json")["added"] == 3
    (tmp_path / "orders.csv").write_text(ORDERS, encoding="utf-8")
    js("store", "--db", db, "import", "orders", tmp_path / "orders.csv")
    actions = [{"number": NUMBER, "action": "dispatch", "at": "2025-10-09T10:00:00+08:00", "by": "D02",
                "role": "dispatcher", "unit": "YX-BJJ", "co_units": ["YX-RMJ", "YX-DSJ"]}]
    (tmp_path / "actions.json").write_text(json.dumps(actions), encoding="utf-8")
    assert js("store", "--db", db, "import", "actions", tmp_path / "actions.json")["applied"] == 1
    order = js("store", "--db", db, "show", NUMBER)
    assert order["unit"] == "YX-BJJ"
    assert order["co_units"] == "YX-RMJ,YX-DSJ"
