"""Personal data in every output (issue 22 item 4; docs/privacy.md).

The main job (`./run.sh example`: build/examples/hotline_month, then signing_district) is
run into a temporary directory exactly as run.sh runs it, and everything it writes is
searched for a caller's or a resident's number left unmasked: its standard output and
error and every file (XLSX workbooks read as the XML inside them), all but the SQLite
file itself, which is the system of record and holds the numbers in clear by design.
Then every other output path the library has is taken over the job's own store (orders,
events, liaisons, frames, report tables as text, CSV and XLSX) and over a store and a
registry holding identity numbers, addresses and notes, and exceptions are provoked
with personal data in the bad input.

What counts as a leak (digit runs bounded by non-digits; a masked form has '*' in it
and never matches):
  * a mobile number: 1[3-9] and 9 more digits;
  * a landline with its area code: 0, 2 or 3 digits, an optional '-', 7 or 8 digits;
  * an identity number: 17 digits and a digit or X, or 15 digits;
  * and, whatever their shape, the exact numbers the job's store holds (read back
    with reveal=True): local landlines without an area code look like any other
    7-8 digit run, so they are looked for by value.
Numbers inside XLSX are read as numbers: an integer is checked, a fraction (a rate)
cannot hold a phone number and is skipped.  Hex digests (the events' chained hashes)
are not numbers and are left out.  HOTLINE_EXAMPLES_DIR names the example programs'
directory when they are not in <build>/examples beside the imported package.

The positive controls (test_the_search_finds_revealed_numbers and the revealed forms
in the other tests) show the search finds what masking would hide: with masking
broken, the same outputs fail here.
"""
import datetime
import os
import pathlib
import re
import subprocess
import zipfile
from xml.etree import ElementTree

import pytest

import hotline
from hotline import signing

MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
LANDLINE = re.compile(r"(?<![\d-])0\d{2,3}-?\d{7,8}(?!\d)")
ID18 = re.compile(r"(?<![\dXx])\d{17}[\dXx](?![\dXx])")
ID15 = re.compile(r"(?<!\d)\d{15}(?!\d)")
PATTERNS = {"mobile": MOBILE, "landline": LANDLINE, "identity number 18": ID18, "identity number 15": ID15}

SQLITE_MAGIC = b"SQLite format 3\x00"
TZ = hotline.SHANGHAI

# Hex digests (the events' chained hashes): 32 or more hex characters, a letter among them.
HEX_DIGEST = re.compile(r"(?<![0-9A-Za-z])(?=[0-9a-f]*[a-f])[0-9a-f]{32,}(?![0-9A-Za-z])")


def leaks(text, raw=()):
    """(kind, match) for every unmasked number in `text`, and every value of `raw` in it.
    Hashes are not numbers: hex digests are left out before the search."""
    text = HEX_DIGEST.sub("<digest>", text)
    found = [(kind, m.group()) for kind, p in PATTERNS.items() for m in p.finditer(text)]
    found += [("stored value", r) for r in raw if r and r in text]
    return found


def xlsx_texts(path):
    """Every text in the workbook's XML (cells, shared strings, titles, attributes); numbers
    as integers when they are whole, left out when they are fractions."""
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if not name.endswith((".xml", ".rels")):
                continue
            root = ElementTree.fromstring(z.read(name))
            for el in root.iter():
                for t in (el.text, el.tail, *el.attrib.values()):
                    if not t or not t.strip():
                        continue
                    try:
                        v = float(t)
                    except ValueError:
                        yield f"{path.name}:{name}", t
                        continue
                    if v.is_integer() and abs(v) < 1e20:
                        yield f"{path.name}:{name}", str(int(v))


def file_texts(path):
    """(where, text) of an output file; the SQLite store is not an output."""
    head = path.read_bytes()[:16]
    if head == SQLITE_MAGIC or path.name.endswith(("-wal", "-shm", "-journal")):
        return
    if zipfile.is_zipfile(path):
        yield from xlsx_texts(path)
    else:
        yield path.name, path.read_text(encoding="utf-8-sig")


def assert_no_leak(outputs, raw=()):
    """outputs: (where, text) pairs."""
    bad = [(where, kind, value) for where, text in outputs for kind, value in leaks(text, raw)]
    assert bad == [], f"{len(bad)} unmasked numbers, the first: {bad[:10]}"


def directory_texts(d):
    for p in sorted(pathlib.Path(d).iterdir()):
        if p.is_file():
            yield from file_texts(p)


# ---- the main job ------------------------------------------------------------------------

def examples_dir():
    if os.environ.get("HOTLINE_EXAMPLES_DIR"):
        return pathlib.Path(os.environ["HOTLINE_EXAMPLES_DIR"])
    # hotline is imported from <build>/python/hotline: the examples are in <build>/examples.
    return pathlib.Path(hotline.__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="module")
def job(tmp_path_factory):
    """The main job run as run.sh runs it, in a directory of its own."""
    ex = examples_dir()
    month, district = ex / "hotline_month", ex / "signing_district"
    if not (month.is_file() and district.is_file()):
        pytest.skip(f"the example programs are not built in {ex} (HOTLINE_BUILD_EXAMPLES, or HOTLINE_EXAMPLES_DIR)")
    out = tmp_path_factory.mktemp("main-job")
    for name, cmd in (("hotline_month", [str(month)]),
                      ("signing_district", [str(district), "signing-district.xlsx"])):
        run = subprocess.run(cmd, cwd=out, capture_output=True, timeout=600)
        assert run.returncode == 0, run.stderr.decode("utf-8", "replace")
        (out / f"{name}.stdout.txt").write_bytes(run.stdout)
        (out / f"{name}.stderr.txt").write_bytes(run.stderr)
    return out


@pytest.fixture(scope="module")
def job_store(job):
    return hotline.Store(str(job / "hotline-month.db"))


@pytest.fixture(scope="module")
def stored_numbers(job_store):
    """Every personal number the job stored, read back unmasked."""
    raw = set()
    units = [u["code"] for u in job_store.units()]
    for o in job_store.orders(reveal=True):
        d = o.to_dict()
        raw.update(d[k] for k in ("caller_phone", "callback_phone", "caller_id_number") if d[k])
    for u in units:
        for l in job_store.liaison_history(u, reveal=True):
            raw.update(v for v in (l["office_phone"], l["mobile"]) if v)
    assert len(raw) > 100  # the job's traffic has callers with numbers: the search below has something to find
    return sorted(raw)


def test_the_main_job_writes_no_unmasked_number(job, stored_numbers):
    names = sorted(p.name for p in job.iterdir())
    assert {"hotline-month.xlsx", "signing-district.xlsx", "hotline_month.stdout.txt",
            "signing_district.stdout.txt"} <= set(names), names
    outputs = list(directory_texts(job))
    assert len(outputs) > 1000  # the workbooks' cells were read
    assert_no_leak(outputs, stored_numbers)


def test_the_search_finds_revealed_numbers(job_store, stored_numbers):
    # The positive control: the same data revealed is found, by shape and by value.
    frame = job_store.orders_frame(reveal=True).to_csv()
    assert {kind for kind, _ in leaks(frame)} >= {"mobile"}
    assert len({v for _, v in leaks(frame, stored_numbers)}) >= len(stored_numbers) // 2
    liaisons = str([job_store.liaison_history(u["code"], reveal=True) for u in job_store.units()])
    assert any(kind == "landline" for kind, _ in leaks(liaisons))


# ---- every other output path, over the job's store ------------------------------------------

def test_orders_events_and_liaisons_of_the_job_store_are_masked(job_store, stored_numbers):
    orders = job_store.orders()
    outputs = [("orders", "\n".join(repr(o) + str(o.to_dict()) for o in orders)),
               ("orders_frame", job_store.orders_frame().to_csv()),
               ("open orders", str([o.to_dict() for o in job_store.orders(open=True)]))]
    masked = sum(o.caller_phone.count("*") > 0 for o in orders)
    assert masked > 100  # masked numbers are there: the outputs do show callers' numbers, masked
    for o in orders[::10]:
        outputs.append((f"events {o.number}", str([e.to_dict() for e in job_store.events(o.number)])))
        outputs.append((f"events_frame {o.number}", job_store.events_frame(o.number).to_csv()))
        outputs.append((f"get {o.number}", str(job_store.get(o.number).to_dict())))
    for u in job_store.units():
        outputs.append((f"liaisons {u['code']}", str(job_store.liaisons(u["code"]))))
        outputs.append((f"liaison_history {u['code']}", str(job_store.liaison_history(u["code"]))))
    assert_no_leak(outputs, stored_numbers)


def test_report_tables_of_the_job_store_are_masked_in_every_format(job_store, stored_numbers, tmp_path):
    period = hotline.ReportingPeriod.month(2025, 10)
    as_of = datetime.datetime(2025, 11, 1, tzinfo=TZ)
    tables = list(hotline.receipt_statistics(job_store, period))  # annex 7: the orders' content, masked
    tables += hotline.monthly_statistics(job_store, period).tables()
    tables.append(hotline.quarterly_summary_table(job_store, hotline.ReportingPeriod.quarter(2025, 4)))
    tables += hotline.timeliness(job_store, period, as_of).tables()
    assert any("****" in cell for t in tables for row in t.rows for cell in row if isinstance(cell, str))
    outputs = []
    for i, t in enumerate(tables):
        outputs += [(t.title, t.to_text()), (t.title, t.to_csv()), (t.title, str(t)), (t.title, repr(t)),
                    (t.title, t.to_pandas().to_csv())]
        t.write_csv(str(tmp_path / f"table{i}.csv"))
    hotline.write_xlsx(tables, str(tmp_path / "tables.xlsx"))
    outputs += list(directory_texts(tmp_path))
    assert_no_leak(outputs, stored_numbers)


# ---- a store with every kind of personal field --------------------------------------------------

PHONE, OTHER_PHONE, LANDLINE_NO, ID_NO = "13812341234", "15900001111", "020-81234567", "11010519491231002X"


def t(h):
    return datetime.datetime(2025, 1, 24, h, tzinfo=TZ)


def test_every_personal_field_of_an_order_is_masked(tmp_path):
    store = hotline.Store(str(tmp_path / "p.db"))
    store.add_unit("YX-BJJ", "北京街社区卫生服务中心", covers=[("越秀区", "北京街")])
    store.set_liaison("YX-BJJ", "李联络", office_phone=LANDLINE_NO, mobile=OTHER_PHONE, valid_from=t(1))
    raw = [PHONE, OTHER_PHONE, LANDLINE_NO, ID_NO, "张三丰"]
    made = store.create(request_type="complaint", received=t(9), agent="A017", caller_name="张三丰",
                        caller_phone=PHONE, callback_phone=OTHER_PHONE, caller_id_number=ID_NO,
                        district="越秀区", sub_district="北京街", address=f"北京街1号，座机{LANDLINE_NO}",
                        content=f"请回电{PHONE}，身份证{ID_NO}")
    outputs = [("create", str(made.to_dict()))]
    d = store.dispatch(made.number, actor="D02", at=t(10), unit="YX-BJJ", comment=f"已电话{PHONE}联系")
    outputs.append(("dispatch", str(d.to_dict())))
    outputs.append(("amend", str(store.amend(made.number, actor="A017", at=t(11),
                                              fields={"address": f"改为{LANDLINE_NO}"}).to_dict())))
    outputs += [("get", str(store.get(made.number).to_dict())),
                ("orders", str([o.to_dict() for o in store.orders()])),
                ("orders by phone", str([o.to_dict() for o in store.orders(caller_phone=PHONE)])),
                ("orders_frame", store.orders_frame().to_csv()),
                ("events", str([e.to_dict() for e in store.events(made.number)])),
                ("events_frame", store.events_frame(made.number).to_csv()),
                ("liaisons", str(store.liaisons("YX-BJJ"))),
                ("liaison_history", str(store.liaison_history("YX-BJJ")))]
    for tb in hotline.receipt_statistics(store, hotline.ReportingPeriod.half_month(2025, 1, 2)):
        outputs += [("receipt", tb.to_text()), ("receipt csv", tb.to_csv())]
    assert_no_leak(outputs, raw)
    text = "\n".join(o for _, o in outputs)
    for masked in ("138****1234", "159****1111", "110105********002X", "张**", "020-****4567"):
        assert masked in text
    # Revealed on request, and the search sees it (the positive control).
    shown = str(store.get(made.number, reveal=True).to_dict()) + store.orders_frame(reveal=True).to_csv()
    shown += str(store.events(made.number, reveal=True)[0].to_dict()) + str(store.liaisons("YX-BJJ", reveal=True))
    assert {v for _, v in leaks(shown, raw)} >= set(raw)


# ---- signing: residents' names and identity numbers, service notes -----------------------------------

def small_registry():
    reg = signing.Registry(signing.Policy.guangzhou_2017())
    reg.add_institution(signing.Institution(code="YX-01", name="北京街社区卫生服务中心", district="越秀区",
                                            subdistrict="北京街"))
    reg.add_team(signing.Team(code="T01", institution="YX-01", name="王医生团队"))
    reg.add_staff(signing.StaffMember(id="D01", name="王医生", institution="YX-01"))
    reg.join_team("T01", "D01", signing.TeamRole.FAMILY_DOCTOR, datetime.date(2016, 1, 1))
    reg.add_package(signing.Package(code="BASIC", name="基本服务包", tier=signing.PackageTier.BASIC, items=["健康评估"],
                                    fee_fen=12000, insurance_fen=8000, public_health_fen=2000, resident_fen=2000))
    reg.add_resident(signing.Resident(id="R1", name="张三丰", id_number=ID_NO, district="越秀区", subdistrict="北京街",
                                      community="仰忠社区"))
    return reg


def test_signing_outputs_mask_names_identity_numbers_and_notes(tmp_path):
    reg = small_registry()
    c = reg.sign(signing.SignRequest(resident="R1", team="T01", packages=["BASIC"], start=datetime.date(2017, 3, 1)))
    rec = signing.ServiceRecord(contract=c.id, staff="D01", kind=signing.ServiceKind.HOME_VISIT,
                                on=datetime.date(2017, 4, 2), note=f"家属电话{PHONE}")
    done = reg.record_service(rec)
    raw = [PHONE, ID_NO, "张三丰"]
    r1 = reg.find_resident("R1")
    outputs = [("find_resident", f"{r1!r} {r1.name} {r1.id_number}"),
               ("record_service", f"{done!r} {done.note}"),
               ("services", str([(s.note, repr(s)) for s in reg.services()])),
               ("registry", repr(reg))]
    tables = signing.signing_tables(reg, datetime.date(2017, 12, 31))
    outputs += [(tb.title, tb.to_text() + tb.to_csv()) for tb in tables]
    hotline.write_xlsx(tables, str(tmp_path / "signing.xlsx"))
    outputs += list(directory_texts(tmp_path))
    assert_no_leak(outputs, raw)
    assert (r1.name, r1.id_number, done.note) == ("张**", "110105********002X", "家属电话138****1234")
    # Revealed on request.
    assert reg.find_resident("R1", reveal=True).id_number == ID_NO
    assert reg.services(reveal=True)[0].note == f"家属电话{PHONE}"


def test_the_signing_journal_masks_residents(tmp_path):
    db = signing.SigningStore(str(tmp_path / "s.db"))
    db.add_resident(signing.Resident(id="R1", name="张三丰", id_number=ID_NO, district="越秀区", subdistrict="北京街",
                                     community="仰忠社区"), by="clerk")
    journal = str([(e.op, e.payload) for e in db.journal()])
    assert_no_leak([("journal", journal)], [ID_NO, "张三丰"])
    assert ID_NO in str([e.payload for e in db.journal(reveal=True)])


def test_the_signing_journal_masks_service_notes(tmp_path):
    db = signing.SigningStore(str(tmp_path / "s.db"))
    reg = small_registry()
    db.add_institution(signing.Institution(code="YX-01", name="北京街社区卫生服务中心", district="越秀区",
                                           subdistrict="北京街"), by="clerk")
    db.add_team(signing.Team(code="T01", institution="YX-01", name="王医生团队"), by="clerk")
    db.add_staff(signing.StaffMember(id="D01", name="王医生", institution="YX-01"), by="clerk")
    db.join_team("T01", "D01", signing.TeamRole.FAMILY_DOCTOR, datetime.date(2016, 1, 1), by="clerk")
    db.add_package(signing.Package(code="BASIC", name="基本服务包", tier=signing.PackageTier.BASIC, items=["健康评估"],
                                   fee_fen=12000, insurance_fen=8000, public_health_fen=2000, resident_fen=2000),
                   by="clerk")
    db.add_resident(reg.find_resident("R1", reveal=True), by="clerk")
    c = db.sign(signing.SignRequest(resident="R1", team="T01", packages=["BASIC"], start=datetime.date(2017, 3, 1)),
                by="clerk")
    done = db.record_service(signing.ServiceRecord(contract=c.id, staff="D01", kind=signing.ServiceKind.HOME_VISIT,
                                                   on=datetime.date(2017, 4, 2), note=f"家属电话{PHONE}"), by="D01")
    assert_no_leak([("view", str([s.note for s in db.view().services()]))], [PHONE])  # masked already
    assert_no_leak([("journal", str([e.payload for e in db.journal()])), ("record_service", done.note)], [PHONE])


# ---- the command line ------------------------------------------------------------------------

def cli_program():
    """The `hotline` program (src/cli, docs/cli.md): HOTLINE_CLI, else <build>/src/cli/hotline."""
    if os.environ.get("HOTLINE_CLI"):
        return pathlib.Path(os.environ["HOTLINE_CLI"])
    c = pathlib.Path(hotline.__file__).resolve().parents[2] / "src" / "cli" / "hotline"
    return c if c.is_file() and os.access(c, os.X_OK) else None


def test_the_command_line_masks_what_it_prints(job, job_store, stored_numbers):
    cli = cli_program()
    if cli is None:
        pytest.skip("the hotline command line was not built (HOTLINE_BUILD_CLI; or set HOTLINE_CLI)")
    db = str(job / "hotline-month.db")
    with_phone = [o.number for o in job_store.orders(reveal=True) if o.caller_phone][::40]
    runs = [["store", "--db", db, "list"], ["--json", "store", "--db", db, "list"]]
    for n in with_phone:
        runs += [["store", "--db", db, "show", n], ["--json", "store", "--db", db, "show", n],
                 ["store", "--db", db, "events", n], ["--json", "store", "--db", db, "events", n]]
    runs.append(["store", "--db", db, "show", PHONE])  # an error that quotes its input
    outputs = []
    for args in runs:
        r = subprocess.run([str(cli), *args], capture_output=True, timeout=300)
        assert r.returncode in (0, 1), (args, r.stderr[-500:])
        outputs += [(" ".join(args), r.stdout.decode("utf-8")), (" ".join(args) + " (stderr)", r.stderr.decode("utf-8"))]
    assert_no_leak(outputs, stored_numbers + [PHONE])
    assert "138****1234" in outputs[-1][1]
    assert sum("****" in text for _, text in outputs) > len(with_phone)
    # --reveal shows them, and the search sees it.
    r = subprocess.run([str(cli), "store", "--db", db, "show", with_phone[0], "--reveal"], capture_output=True,
                       timeout=300)
    assert r.returncode == 0 and leaks(r.stdout.decode("utf-8"), stored_numbers)


# ---- exceptions' messages ----------------------------------------------------------------------

def raised(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001  (any error: its message is what is checked)
        text = str(e)
        assert e.__context__ is None or PHONE not in str(e.__context__)
        return type(e), text
    raise AssertionError(f"no error was raised by {fn}")


def test_error_messages_mask_what_they_quote(tmp_path):
    store = hotline.Store(str(tmp_path / "e.db"))
    now = t(9)
    calls = tmp_path / "calls.csv"
    calls.write_text("call_id,started_at,answered,wait_seconds,agent,ivr_key,line,unit,work_order\n"
                     f"C-1,2025-01-24T09:00:00+08:00,1,{PHONE},A017,1,12320,,\n", encoding="utf-8")
    bad_start = tmp_path / "calls2.csv"
    bad_start.write_text("call_id,started_at,answered,wait_seconds,agent,ivr_key,line,unit,work_order\n"
                         f"C-1,{ID_NO},1,12,A017,1,12320,,\n", encoding="utf-8")
    wo = store.create(request_type="consultation", received=now, content="问", agent="A017")
    reg = small_registry()
    cases = {
        # pybind11 lists the arguments of a call that does not convert: types only (hotline/_privacy.py)
        "create with a phone as int": lambda: store.create(request_type="complaint", received=now, content="x",
                                                           agent="A1", caller_phone=int(PHONE)),
        "create with a bad instant": lambda: store.create(request_type="complaint", received="2025-01-24",
                                                          content=f"请回电{PHONE}", agent="A1", caller_phone=PHONE),
        "orders by a phone as int": lambda: store.orders(caller_phone=int(PHONE)),
        "a misspelt keyword": lambda: store.create(request_type="complaint", received=now, content="x", agent="A1",
                                                   caller_phon=PHONE),
        "set_liaison with a mobile as int": lambda: store.set_liaison("YX", "李", mobile=int(PHONE)),
        "a resident's number as int": lambda: signing.Resident(id="R2", id_number=int(ID_NO[:-1] + "0")),
        "a resident's number set as int": lambda: setattr(signing.Resident(id="R2"), "id_number", int(PHONE)),
        "a note as int": lambda: signing.ServiceRecord(contract="C1", staff="D01", kind=signing.ServiceKind.HOME_VISIT,
                                                         on=datetime.date(2017, 1, 1), note=int(PHONE)),
        "read_id_number of an int": lambda: hotline.read_id_number(int(PHONE)),
        "triage of an int": lambda: hotline.triage(int(PHONE)),
        # the library's own errors quote input masked
        "a phone as request type": lambda: store.create(request_type=PHONE, received=now, content="x", agent="A1"),
        "a phone as channel": lambda: store.create(request_type="complaint", received=now, content="x", agent="A1",
                                                   channel=PHONE),
        "a phone as an amended field's name": lambda: store.amend(wo.number, actor="A017", at=now,
                                                                  fields={PHONE: "x"}),
        "a phone in a call log's wait_seconds": lambda: store.import_calls(str(calls)),
        "an identity number as a call's start": lambda: store.import_calls(str(bad_start)),
        "a wrong check character": lambda: hotline.read_id_number(ID_NO[:-1] + "1"),
        "a birth date that disagrees": lambda: reg.add_resident(signing.Resident(
            id="R3", id_number=ID_NO, birth=datetime.date(1950, 1, 1), district="越秀区")),
        "a sex that disagrees": lambda: reg.add_resident(signing.Resident(
            id="R3", id_number=ID_NO, sex="male", district="越秀区")),
    }
    messages = {name: raised(fn) for name, fn in cases.items()}
    assert_no_leak([(name, text) for name, (_, text) in messages.items()], [PHONE, ID_NO, str(int(ID_NO[:-1] + "0"))])
    kinds = {name: k for name, (k, _) in messages.items()}
    assert kinds["create with a phone as int"] is TypeError
    assert kinds["a phone as request type"] is hotline.InvalidArgumentError
    assert kinds["a phone in a call log's wait_seconds"] is hotline.ParseError
    # The masked forms are there: the message still says what was wrong.
    assert "caller_phone=int" in messages["create with a phone as int"][1]
    assert "138****1234" in messages["a phone as request type"][1]
    assert "138****1234" in messages["a phone in a call log's wait_seconds"][1]
    assert "110105********002X" in messages["an identity number as a call's start"][1]
    assert "110105********0021" in messages["a wrong check character"][1]
