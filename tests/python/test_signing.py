"""Family-doctor signing from Python (register_signing*.cpp, hotline/signing.py).

A small region is built here; every figure a report gives is recounted in the test
from the rows the test added, never from the code under test.  Rules cite their
article (002 = 穗医改办〔2017〕36号, 003 = 广西 2023).
"""
import datetime
import random

import pytest

import hotline
from hotline import signing

D = datetime.date
AS_OF = D(2017, 12, 31)


def error_text(excinfo) -> str:
    return str(excinfo.value)


# ---- the region ------------------------------------------------------------------------

DISTRICTS = {"越秀区": ["北京街", "大东街"], "天河区": ["五山街"]}
INSTITUTIONS = [("YX-01", "越秀区", "北京街"), ("YX-02", "越秀区", "大东街"), ("TH-01", "天河区", "五山街")]
TEAMS = {"T01": "YX-01", "T02": "YX-02", "T03": "TH-01"}


def build_region(policy=None):
    reg = signing.Registry(policy or signing.Policy.guangzhou_2017())
    for code, district, sub in INSTITUTIONS:
        reg.add_institution(signing.Institution(code=code, name=code + " 社区卫生服务中心", district=district,
                                                subdistrict=sub))
    reg.add_institution(signing.Institution(code="H-01", name="市第一人民医院", kind=signing.InstitutionKind.HOSPITAL,
                                            district="越秀区"))
    for t, inst in TEAMS.items():
        reg.add_team(signing.Team(code=t, institution=inst, name=t + " 团队"))
        doctor = "D" + t[1:]
        reg.add_staff(signing.StaffMember(id=doctor, name="医生" + t, institution=inst))
        reg.join_team(t, doctor, signing.TeamRole.FAMILY_DOCTOR, D(2016, 1, 1))
    reg.add_staff(signing.StaffMember(id="N01", institution="YX-01", qualification=signing.TeamRole.COMMUNITY_NURSE))
    reg.join_team("T01", "N01", signing.TeamRole.COMMUNITY_NURSE, D(2016, 1, 1))
    reg.add_package(signing.Package(code="BASIC", name="基本服务包", tier=signing.PackageTier.BASIC, items=["健康评估"],
                                    fee_fen=12000, insurance_fen=8000, public_health_fen=2000, resident_fen=2000))
    return reg


def add(reg, rid, birth, district="越秀区", sub="北京街", community="仰忠社区", **kw):
    reg.add_resident(signing.Resident(id=rid, birth=birth, district=district, subdistrict=sub, community=community,
                                      **kw))


def sign(reg, rid, team, start, years=1):
    return reg.sign(signing.SignRequest(resident=rid, team=team, packages=["BASIC"], start=start, years=years))


@pytest.fixture()
def reg():
    r = build_region()
    add(r, "R1", D(1940, 5, 1))
    add(r, "R2", D(1980, 2, 29))
    r.add_attribute("R2", signing.Attribute.HYPERTENSION, D(2015, 1, 1))
    add(r, "R3", D(1990, 1, 1), "天河区", "五山街", "华工社区")
    return r


# ---- names -------------------------------------------------------------------------------

def test_the_module_gives_the_prefixed_objects_their_cpp_names():
    assert signing.Registry is hotline.SigningRegistry
    assert signing.ServiceKind is hotline._core.SigningServiceKind
    assert signing.coverage is hotline.signing_coverage
    assert signing.signing_tables is hotline.signing_tables


def test_vocabulary_codes_labels_and_parse():
    k = signing.ServiceKind.HOME_VISIT
    assert (k.code, k.label) == ("home_visit", "巡诊")
    assert signing.ServiceKind.parse("巡诊") == k and signing.ServiceKind.parse("home_visit") == k
    assert signing.PackageTier.FREE_PACKAGE.code == "free"
    assert signing.Attribute.HYPERTENSION.population == signing.KeyPopulation.HYPERTENSION
    assert signing.Attribute.DIABETES.is_chronic and not signing.Attribute.DISABLED.is_chronic
    assert len(signing.KeyPopulation.__members__) == 11
    with pytest.raises(hotline.InvalidArgumentError, match=r"unknown service kind 'visit' \(one of: follow_up"):
        signing.ServiceKind.parse("visit")


# ---- identity numbers (GB 11643-1999) -------------------------------------------------------------

def test_read_id_number_reads_and_normalises():
    f = hotline.read_id_number("11010519491231002x")
    assert (f.number, f.region_code, f.birth, f.sex, f.was_15_digit) == (
        "11010519491231002X", "110105", D(1949, 12, 31), "female", False)
    old = hotline.read_id_number("110105491231002")  # the 15-digit first generation: 19YY, no check character
    assert old.number == "11010519491231002X" and old.was_15_digit
    assert hotline.id_check_character("11010519491231002") == "X"
    assert hotline.try_read_id_number("110105194912310021") is None


def test_a_wrong_check_character_is_named_with_the_number_masked():
    with pytest.raises(hotline.InvalidArgumentError) as e:
        hotline.read_id_number("110105194912310021", "resident R17 id_number")
    assert error_text(e) == "resident R17 id_number: wrong check character: got '1', expected 'X' (110105********0021)"


def test_age_on_counts_completed_years_and_the_29_february_rule():
    assert hotline.age_on(D(2000, 2, 29), D(2025, 2, 28)) == 24
    assert hotline.age_on(D(2000, 2, 29), D(2025, 3, 1)) == 25
    with pytest.raises(hotline.InvalidArgumentError, match="after the day asked about"):
        hotline.age_on(D(2000, 1, 2), D(2000, 1, 1))


# ---- the policy -------------------------------------------------------------------------------

def test_presets_and_their_fields_as_properties():
    gz, gx = signing.Policy.guangzhou_2017(), signing.Policy.guangxi_2023()
    assert gz.terms_years == [1] and gx.terms_years == [1, 2, 3]   # 002 §2.2; 003 §2.1.5
    assert gz.overall.at_least == 0.30 and gz.key_populations.at_least == 0.60  # 002 §1.2 目标2
    assert gx.overall.points_over_previous == 0.01 and gx.overall.points_over_previous_max == 0.03  # 003 §1
    assert gx.per_population[signing.KeyPopulation.POVERTY_ALLEVIATED].at_least == 1.0
    gz.team_share_by_district = {"越秀区": 0.75}  # 002 §2.14 各区可适当调整分配比例
    assert gz.team_share_in("越秀区", signing.PackageTier.BASIC) == 0.75
    assert gz.team_share_in("天河区", signing.PackageTier.BASIC) == 0.8
    assert gz.allows_term(1) and not gz.allows_term(2)
    gz.team_share = 1.5
    with pytest.raises(hotline.InvalidArgumentError, match="policy '广州 2017': team_share must be within 0-1"):
        gz.check()
    assert signing.term_end(D(2016, 2, 29), 1) == D(2017, 3, 1)  # the resident never loses a day


def test_the_registry_keeps_its_own_copy_of_the_policy():
    p = signing.Policy.guangzhou_2017()
    r = signing.Registry(p)
    p.terms_years = [1, 2]
    rules = r.rules
    rules.terms_years = [5]
    assert r.rules.terms_years == [1]


# ---- signing rules: errors say what and where, and change nothing -------------------------------------

def test_a_second_contract_at_the_same_time_is_refused(reg):
    c = sign(reg, "R1", "T01", D(2017, 3, 1))
    assert (c.id, c.start, c.end, c.institution) == ("C0000001", D(2017, 3, 1), D(2018, 3, 1), "YX-01")
    with pytest.raises(hotline.InvalidArgumentError) as e:
        sign(reg, "R1", "T02", D(2017, 6, 1))  # 002 §2.2 自愿选择1个家庭医生团队
    assert error_text(e) == ("sign resident 'R1': already holds contract C0000001 valid 2017-03-01 to 2018-02-28; "
                             "one valid contract at a time (002 §2.2)")
    assert reg.contract_count() == 1
    assert sign(reg, "R1", "T02", D(2018, 3, 1)).team == "T02"  # change of team at expiry


def test_a_team_outside_the_residents_district_is_refused(reg):
    with pytest.raises(hotline.InvalidArgumentError) as e:
        sign(reg, "R1", "T03", D(2017, 3, 1))  # 002 §2.2 在本行政区范围内跨区域选择
    assert error_text(e) == ("sign resident 'R1': team 'T03' is in 天河区, outside the resident's district 越秀区 "
                             "(002 §2.2)")
    assert sign(reg, "R1", "T02", D(2017, 3, 1)).team == "T02"  # another sub-district of the district is fine
    assert reg.contract_count() == 1


def test_a_two_year_term_is_refused_in_guangzhou_and_allowed_in_guangxi(reg):
    with pytest.raises(hotline.InvalidArgumentError) as e:
        sign(reg, "R1", "T01", D(2017, 3, 1), years=2)  # 002 §2.2 签约有效期为1年
    assert "sign resident 'R1': a term of 2 years is not allowed by 广州 2017 (allowed: 1;" in error_text(e)
    assert reg.contract_count() == 0
    gx = build_region(signing.Policy.guangxi_2023())
    add(gx, "R1", D(1940, 5, 1))
    assert sign(gx, "R1", "T01", D(2023, 3, 1), years=2).end == D(2025, 3, 1)  # 003 §2.1.5


def test_a_three_month_long_prescription_is_refused(reg):
    c = sign(reg, "R2", "T01", D(2017, 3, 1))
    rx = signing.ServiceRecord(contract=c.id, staff="D01", kind=signing.ServiceKind.LONG_PRESCRIPTION,
                               on=D(2017, 4, 1), months=3, condition=signing.Attribute.HYPERTENSION, stable=True)
    with pytest.raises(hotline.InvalidArgumentError) as e:
        reg.record_service(rx)  # 002 §2.6 1 至 2 个月
    assert error_text(e) == ("service on contract 'C0000001' 2017-04-01: a long prescription of 3 months; "
                             "the rule allows 1 to 2 (002 §2.6)")
    assert reg.services() == []
    rx.months = 2
    done = reg.record_service(rx)
    assert (done.seq, done.resident, done.team, done.institution, len(done.hash)) == (1, "R2", "T01", "YX-01", 32)


def test_a_wrong_check_digit_leaves_the_registry_as_it_was(reg):
    with pytest.raises(hotline.InvalidArgumentError) as e:
        reg.add_resident(signing.Resident(id="R9", id_number="110105194912310021", district="越秀区"))
    assert error_text(e) == ("resident 'R9' id_number: wrong check character: got '1', expected 'X' "
                             "(110105********0021)")
    assert reg.resident_count() == 3
    reg.add_resident(signing.Resident(id="R9", name="张三", id_number="11010519491231002X", district="越秀区"))
    r9 = reg.find_resident("R9")
    assert (r9.birth, r9.sex, r9.id_number) == (D(1949, 12, 31), "female", "110105********002X")  # masked
    assert reg.find_resident("R9", reveal=True).id_number == "11010519491231002X"


def test_a_service_on_an_expired_contract_is_refused(reg):
    c = sign(reg, "R1", "T01", D(2016, 3, 1))
    with pytest.raises(hotline.InvalidArgumentError) as e:
        reg.record_service(signing.ServiceRecord(contract=c.id, staff="D01", kind=signing.ServiceKind.HOME_VISIT,
                                                 on=D(2017, 3, 1)))  # 003 §3.1
    assert error_text(e) == ("service on contract 'C0000001' 2017-03-01: the contract is not valid that day "
                             "(valid 2016-03-01 to 2017-02-28)")
    assert len(reg.services()) == 0


def test_termination_renewal_and_contract_on(reg):
    c = sign(reg, "R1", "T01", D(2017, 3, 1))
    r = reg.renew(c.id, 1)
    assert (r.start, r.renewal_of) == (D(2018, 3, 1), c.id)
    t = reg.terminate(c.id, D(2017, 9, 1), signing.TerminationReason.MOVED_AWAY)
    assert t.terminated_on == D(2017, 9, 1) and t.reason == signing.TerminationReason.MOVED_AWAY
    assert t.valid_until() == D(2017, 9, 1) and not t.valid_on(D(2017, 9, 1))
    assert reg.contract_on("R1", D(2017, 8, 31)).id == c.id
    assert reg.contract_on("R1", D(2018, 6, 1)) is None  # the renewal lapsed with it
    with pytest.raises(hotline.IllegalTransitionError, match="terminate 'C0000001': already terminated on 2017-09-01"):
        reg.terminate(c.id, D(2017, 10, 1), signing.TerminationReason.DEATH)
    with pytest.raises(hotline.NotFoundError, match="find_contract: no contract 'C9'"):
        reg.find_contract("C9")


def test_households_sign_in_one_act(reg):
    add(reg, "R4", D(1985, 1, 1))
    add(reg, "R5", D(2014, 6, 1))
    for m in ("R4", "R5", "R1"):
        reg.join_household("H1", m, D(2016, 1, 1))
    sign(reg, "R1", "T01", D(2017, 1, 1))
    before = reg.contract_count()
    req = signing.SignRequest(resident="", team="T01", packages=["BASIC"], start=D(2017, 6, 1))
    with pytest.raises(hotline.InvalidArgumentError, match="sign_household 'H1' resident 'R1': already holds"):
        reg.sign_household("H1", req)  # 003 §2.2.2: all or none
    assert reg.contract_count() == before
    reg.leave_household("H1", "R1", D(2017, 5, 1))
    got = reg.sign_household("H1", req)
    assert [c.resident for c in got] == ["R4", "R5"]
    assert all(c.channel == signing.SigningChannel.HOUSEHOLD for c in got)


def test_people_teams_and_grades(reg):
    assert reg.key_populations_on("R1", AS_OF) == [signing.KeyPopulation.ELDERLY]
    assert reg.key_populations_on("R2", AS_OF) == [signing.KeyPopulation.HYPERTENSION]
    reg.set_grade("R1", signing.ElderlyGrade.RED, D(2017, 1, 1))
    assert reg.grade_on("R1", AS_OF) == signing.ElderlyGrade.RED
    assert reg.grade_history("R1") == [(D(2017, 1, 1), signing.ElderlyGrade.RED)]
    with pytest.raises(hotline.InvalidArgumentError, match="set_grade 'R2': the grading is for residents 65 and over"):
        reg.set_grade("R2", signing.ElderlyGrade.RED, D(2017, 1, 1))
    members = reg.team_members("T01", AS_OF)
    assert [(m.staff, m.role, m.from_, m.to) for m in members] == [
        ("D01", signing.TeamRole.FAMILY_DOCTOR, D(2016, 1, 1), None),
        ("N01", signing.TeamRole.COMMUNITY_NURSE, D(2016, 1, 1), None)]
    with pytest.raises(hotline.ConflictError, match="team 'T01': already registered"):
        reg.add_team(signing.Team(code="T01", institution="YX-01"))


def test_a_hotline_application_closes_with_its_contract(reg):
    reg.receive_application(signing.Application(order="12320-0001", resident="R1", institution="YX-01",
                                                 received=D(2017, 2, 20)))
    assert [a.order for a in reg.applications(open_only=True)] == ["12320-0001"]
    reg.sign(signing.SignRequest(resident="R1", team="T01", packages=["BASIC"], start=D(2017, 3, 1),
                                 channel=signing.SigningChannel.HOTLINE_APPLICATION, application="12320-0001"))
    assert reg.applications(open_only=True) == []
    assert reg.applications()[0].contract == "C0000001"


# ---- coverage, recounted from the rows the test adds ---------------------------------------------------

def random_region(seed=7, n=300):
    """A region of n residents with contracts; returns the registry and the test's own records."""
    rnd = random.Random(seed)
    reg = build_region()
    people = []  # (id, birth, district, attribute spans [(attr, from, to)], contracts [(start, until)])
    places = [(d, s) for d, subs in DISTRICTS.items() for s in subs]
    teams_of = {"越秀区": ["T01", "T02"], "天河区": ["T03"]}
    for i in range(n):
        rid = f"P{i:04d}"
        birth = D(1925, 1, 1) + datetime.timedelta(days=rnd.randrange(0, 33600))  # to 2016-12
        district, sub = rnd.choice(places)
        add(reg, rid, birth, district, sub, "社区" + str(rnd.randrange(3)))
        spans = []
        if rnd.random() < 0.3:
            a = rnd.choice(list(signing.Attribute.__members__.values()))
            start = max(birth, D(2015, 1, 1)) + datetime.timedelta(days=rnd.randrange(0, 900))
            end = None if rnd.random() < 0.7 else start + datetime.timedelta(days=rnd.randrange(1, 600))
            reg.add_attribute(rid, a, start, end)
            spans.append((a, start, end))
        contracts = []
        if rnd.random() < 0.6:
            start = max(birth, D(2016, 6, 1)) + datetime.timedelta(days=rnd.randrange(0, 600))
            c = sign(reg, rid, rnd.choice(teams_of[district]), start)
            until = c.end
            if rnd.random() < 0.15:
                stop = start + datetime.timedelta(days=rnd.randrange(1, 365))
                reg.terminate(c.id, stop, signing.TerminationReason.RESIDENT_REQUEST)
                until = stop
            contracts.append((start, until))
        people.append((rid, birth, district, spans, contracts))
    return reg, people


def expected_coverage(people, as_of):
    """Population, signed, key and per-population counts per district, from the test's own records."""
    out: dict = {}
    for rid, birth, district, spans, contracts in people:
        if birth > as_of:
            continue
        age = hotline.age_on(birth, as_of)
        pops = set()
        if age >= 65:
            pops.add(signing.KeyPopulation.ELDERLY)
        if age <= 6:
            pops.add(signing.KeyPopulation.CHILD)
        for a, start, end in spans:
            if start <= as_of and (end is None or as_of < end):
                pops.add(a.population)
        s = any(start <= as_of < until for start, until in contracts)
        row = out.setdefault(district, {"population": 0, "signed": 0, "key_population": 0, "key_signed": 0})
        for k in signing.KeyPopulation.__members__.values():
            row.setdefault(k, [0, 0])
        row["population"] += 1
        row["signed"] += s
        if pops:
            row["key_population"] += 1
            row["key_signed"] += s
        for k in pops:
            row[k][0] += 1
            row[k][1] += s
    return out


@pytest.mark.parametrize("as_of", [D(2017, 6, 30), AS_OF])
def test_coverage_by_district_matches_the_recount(as_of):
    reg, people = random_region()
    want = expected_coverage(people, as_of)
    cov = signing.coverage(reg, as_of)
    assert cov.as_of == as_of and cov.by == signing.Grouping.DISTRICT
    assert [r.group for r in cov.rows] == sorted(want)
    for r in cov.rows:
        w = want[r.group]
        assert (r.all.population, r.all.signed, r.key.population, r.key.signed) == (
            w["population"], w["signed"], w["key_population"], w["key_signed"])
        for k, cell in r.by_population.items():
            assert [cell.population, cell.signed] == w[k], (r.group, k)
    total = sum(w["population"] for w in want.values()), sum(w["signed"] for w in want.values())
    assert (cov.total.all.population, cov.total.all.signed) == total
    # 002 §1.2 目标2: 30 % overall, 60 % key populations, 100 % special family-planning families
    assert [t.what for t in cov.targets] == ["全人群", "重点人群", "计划生育特殊家庭"]
    overall = cov.targets[0]
    assert overall.rate == pytest.approx(total[1] / total[0]) and overall.met == (total[1] / total[0] >= 0.30)


def test_coverage_to_pandas_shape_and_values():
    reg, people = random_region()
    want = expected_coverage(people, AS_OF)
    cov = signing.coverage(reg, AS_OF)
    df = cov.to_pandas()
    assert df.shape == (len(want), 8 + 3 * 11)
    assert list(df.columns[:8]) == ["group", "district", "population", "signed", "rate", "key_population",
                                    "key_signed", "key_rate"]
    assert "severe_mental_disorder_signed" in df.columns
    for _, row in df.iterrows():
        w = want[row["group"]]
        assert (row["population"], row["signed"]) == (w["population"], w["signed"])
        assert row["rate"] == pytest.approx(w["signed"] / w["population"])
        assert row["hypertension_population"] == w[signing.KeyPopulation.HYPERTENSION][0]
    assert str(df["population"].dtype) == "int64"
    assert signing.to_frame(cov.rows).equals(df)  # the pure-Python helper, for any list of rows
    table = cov.table()
    assert table.title.startswith("家庭医生签约覆盖率（截至 2017-12-31，按区）")
    assert table.to_pandas().shape[1] == len(table.columns)


def test_coverage_by_team_has_signed_counts_only():
    reg, people = random_region()
    cov = signing.coverage(reg, AS_OF, signing.Grouping.TEAM)
    assert [r.group for r in cov.rows] == ["T01", "T02", "T03"] and cov.targets == []
    assert all(r.all.population == 0 for r in cov.rows)
    signed = sum(any(s <= AS_OF < u for s, u in c) for _, b, _, _, c in people if b <= AS_OF)
    assert sum(r.all.signed for r in cov.rows) == signed
    by_sub = signing.coverage(reg, AS_OF, signing.Grouping.SUBDISTRICT)
    assert {r.group for r in by_sub.rows} == {"越秀区 北京街", "越秀区 大东街", "天河区 五山街"}


# ---- the other reports ---------------------------------------------------------------------------

def test_services_reports_and_their_frames(reg):
    c1 = sign(reg, "R1", "T01", D(2017, 1, 1))
    c2 = sign(reg, "R2", "T01", D(2017, 1, 1))
    sign(reg, "R3", "T03", D(2017, 1, 1))
    reg.set_grade("R1", signing.ElderlyGrade.RED, D(2017, 1, 1))
    S = signing.ServiceKind
    for day in (D(2017, 2, 1), D(2017, 5, 1), D(2017, 8, 1), D(2017, 11, 1)):
        reg.record_service(signing.ServiceRecord(contract=c2.id, staff="N01", kind=S.FOLLOW_UP, on=day))
    reg.record_service(signing.ServiceRecord(contract=c1.id, staff="D01", kind=S.HOME_VISIT, on=D(2017, 12, 1)))
    reg.record_service(signing.ServiceRecord(contract=c1.id, staff="D01", kind=S.REFERRAL_UP, on=D(2017, 6, 1),
                                             counterpart="H-01",
                                             priority=signing.ReferralPriority.SPECIALIST_APPOINTMENT))
    reg.record_service(signing.ServiceRecord(contract=c1.id, staff="D01", kind=S.REFERRAL_DOWN, on=D(2017, 7, 1),
                                             counterpart="H-01"))
    assert reg.verify().ok and reg.verify().services == 7

    ref = signing.referrals(reg, 2017)
    assert len(ref) == 2 and ref.rows[-1].institution == ""  # the total is the last row
    assert (ref.rows[0].institution, ref.rows[0].up, ref.rows[0].down, ref.rows[0].up_change()) == ("YX-01", 1, 1, None)
    assert ref.rows[0].up_by_priority[signing.ReferralPriority.SPECIALIST_APPOINTMENT] == 1
    df = ref.to_pandas()
    assert df.shape == (2, 10) and df["up"].tolist() == [1, 1]
    assert df["up_specialist_appointment"].tolist() == [1, 1]

    mgmt = signing.chronic_management(reg, AS_OF)  # 004 §2.3: 4 follow-ups in the year
    rows = {r.condition: (r.managed, r.standardised) for r in mgmt.rows}
    assert rows[signing.Attribute.HYPERTENSION] == (1, 1) and rows[signing.Attribute.DIABETES] == (0, 0)
    assert mgmt.to_pandas().set_index("condition").loc["hypertension", "rate"] == 1.0

    visits = signing.home_visits_behind(reg, AS_OF)  # red: every 7 days (the preset's placeholder)
    assert [(v.resident, v.last_visit, v.days_since, v.every_days) for v in visits.rows] == [
        ("R1", D(2017, 12, 1), 30, 7)]
    assert visits.to_pandas().loc[0, "grade"] == "red"

    ns = signing.not_served(reg, AS_OF)  # 003 §3.1: no service in the last 180 days
    by_team = {r.team: (r.valid, r.not_served) for r in ns.rows}
    assert by_team == {"T01": (2, 0), "T02": (0, 0), "T03": (1, 1)}
    assert ns.after_days == 180 and ns.to_pandas().shape == (3, 5)

    reg.record_survey(signing.SurveyAnswer(contract=c1.id, on=D(2017, 12, 5), aware=True, satisfied=True,
                                           authentic=True))
    reg.record_survey(signing.SurveyAnswer(contract=c2.id, on=D(2017, 12, 6), reached=False))
    sv = signing.survey_results(reg, D(2017, 1, 1), AS_OF)
    total = sv.rows[-1]
    assert (total.asked, total.reached, total.aware, total.awareness) == (2, 1, 1, 1.0)
    assert sv.from_ == D(2017, 1, 1) and sv.to_pandas().shape[0] == len(sv)

    reg.add_staff(signing.StaffMember(id="V01", institution="YX-01", qualification=signing.TeamRole.VILLAGE_DOCTOR))
    reg.record_slots(signing.SpecialistSlots(hospital="H-01", month="2017-06", total=100, opened_to_teams=25))
    wf = signing.workforce(reg, AS_OF)  # 002 §2.5: at least 20 % of specialist slots
    assert (wf.village_doctors, wf.village_doctors_in_teams, wf.slots_share) == (1, 0, 0.25)
    assert wf.to_pandas().shape == (1, 6)

    tables = signing.signing_tables(reg, AS_OF)
    assert all(isinstance(t, hotline.ReportTable) for t in tables) and len(tables) >= 8


def test_work_points_from_the_registrys_services(reg):
    c = sign(reg, "R2", "T01", D(2017, 1, 1))
    S = signing.ServiceKind
    reg.record_service(signing.ServiceRecord(contract=c.id, staff="D01", kind=S.HOME_VISIT, on=D(2017, 3, 2)))
    reg.record_service(signing.ServiceRecord(contract=c.id, staff="N01", kind=S.FOLLOW_UP, on=D(2017, 3, 20)))
    v1 = signing.PointsVersion(id="v1", from_=D(2017, 1, 1), points={k: 1.0 for k in S.__members__.values()})
    v2 = signing.PointsVersion(id="v2", from_=D(2017, 3, 15), points={**{k: 2.0 for k in S.__members__.values()},
                                                                       S.FOLLOW_UP: 6.0})
    table = signing.PointsTable("test", [v1, v2])
    assert table.points(S.FOLLOW_UP, D(2017, 3, 14)) == 1.0 and table.points(S.FOLLOW_UP, D(2017, 3, 15)) == 6.0
    with pytest.raises(hotline.OutOfRangeError, match="no points table version is in force on 2016-12-31"):
        table.points(S.FOLLOW_UP, D(2016, 12, 31))
    wp = signing.work_points(table, reg, D(2017, 3, 1), D(2017, 3, 31))
    assert [(r.staff, r.points, r.versions) for r in wp.rows] == [("D01", 1.0, ["v1"]), ("N01", 6.0, ["v2"])]
    assert [r.share_of_team for r in wp.rows] == pytest.approx([1 / 7, 6 / 7])
    same = signing.work_points(table, reg.services(), D(2017, 3, 1), D(2017, 3, 31))
    assert [r.to_dict() for r in same.rows] == [r.to_dict() for r in wp.rows]
    df = wp.to_pandas()
    assert df.shape == (2, 4 + 7 + 4) and df["points"].sum() == 7.0 and df["versions"].tolist() == ["v1", "v2"]
    assert [t.points for t in wp.totals(signing.PointsLevel.INSTITUTION)] == [7.0]
    assert wp.table().columns[-3:] == ["工分", "占团队比例", "占机构比例"]
    with pytest.raises(hotline.InvalidArgumentError, match="points table version 'v3': no points for 'health_assessment'"):
        signing.PointsVersion(id="v3", from_=D(2018, 1, 1), points={S.FOLLOW_UP: 1.0})


def test_the_points_table_reads_its_json_file():
    import pathlib

    path = pathlib.Path(__file__).resolve().parents[2] / "data" / "signing" / "work_points.json"
    if not path.exists():
        pytest.skip("data/signing/work_points.json not in this checkout")
    table = signing.PointsTable.from_file(str(path))
    assert table.versions and table == signing.PointsTable.from_json(path.read_text(encoding="utf-8"), str(path))
    with pytest.raises(hotline.ParseError, match="pionts"):
        signing.PointsTable.from_json('{"versions": [{"id": "a", "from": "2017-01-01", "pionts": {}}]}', "x.json")


def test_the_verification_sample_is_reproducible():
    reg, people = random_region()
    valid = {f"C{i + 1:07d}" for i in range(reg.contract_count())
             if reg.find_contract(f"C{i + 1:07d}").valid_on(AS_OF)}
    a = signing.verification_sample(reg, AS_OF, 20, 2017)
    assert a == signing.verification_sample(reg, AS_OF, 20, 2017)  # 004 §1.5: the same sample every time
    assert len(a) == 20 == len(set(a)) and set(a) <= valid
    assert a != signing.verification_sample(reg, AS_OF, 20, 2018)
    assert sorted(signing.verification_sample(reg, AS_OF, 10_000, 1)) == sorted(valid)
    again, _ = random_region()  # a registry built the same way gives the same sample
    assert signing.verification_sample(again, AS_OF, 20, 2017) == a


# ---- bulk loading for analysts ------------------------------------------------------------------------

def bulk_columns(n=10_000, seed=11):
    np = pytest.importorskip("numpy")
    rng = np.random.default_rng(seed)
    ids = np.array([f"B{i:06d}" for i in range(n)])
    birth = (np.datetime64("1920-01-01") + rng.integers(0, 35000, n)).astype("datetime64[D]")
    places = [("越秀区", "北京街", "仰忠社区"), ("越秀区", "大东街", "东湖社区"), ("天河区", "五山街", "华工社区")]
    place = rng.integers(0, len(places), n)
    return np, rng, ids, birth, place, places


def test_bulk_loading_10000_residents_with_numpy():
    np, rng, ids, birth, place, places = bulk_columns()
    reg = build_region()
    sex = rng.integers(0, 3, len(ids)).astype(np.uint8)
    assert reg.add_residents(ids, birth, place, places, sex=sex, insured=rng.random(len(ids)) < 0.9) == 10_000
    assert reg.resident_count() == 10_000
    r = reg.find_resident("B000123")
    assert (r.birth, r.district, r.community) == (birth[123].item(), *places[place[123]][::2])
    assert r.sex == ["unknown", "male", "female"][sex[123]]

    # every other resident signs, with a team of the district (codes into the team list)
    teams = ["T01", "T02", "T03"]
    signs = np.flatnonzero(np.arange(len(ids)) % 2 == 0)
    start = np.maximum(birth[signs], np.datetime64("2017-01-01")).astype("datetime64[D]")
    team_index = np.where(place[signs] == 2, 2, place[signs])
    assert reg.sign_many(ids[signs], teams, start, 1, ["BASIC"], team_index=team_index) == len(signs)
    assert reg.find_contract("C0000002").resident == ids[signs[1]]

    cov = signing.coverage(reg, AS_OF)
    alive = birth <= np.datetime64(AS_OF)
    signed = np.zeros(len(ids), bool)
    signed[signs] = (start <= np.datetime64(AS_OF)) & (np.datetime64(AS_OF) < start + 365)  # 2017 is not leap
    districts = np.array([p[0] for p in places])[place]
    for row in cov.rows:
        here = alive & (districts == row.group)
        assert (row.all.population, row.all.signed) == (int(here.sum()), int((here & signed).sum()))
    df = cov.to_pandas()
    assert df["population"].sum() == int(alive.sum()) and df.shape[0] == 2


def test_bulk_loading_is_all_or_none_and_names_the_row():
    np, rng, ids, birth, place, places = bulk_columns(100)
    reg = build_region()
    bad = ids.copy()
    bad[57] = bad[3]
    with pytest.raises(hotline.InvalidArgumentError, match="add_residents row 57: resident 'B000003' repeats row 3"):
        reg.add_residents(bad, birth, place, places)
    assert reg.resident_count() == 0
    with pytest.raises(hotline.InvalidArgumentError, match="birth element 4 is NaT"):
        b = birth.copy()
        b[4] = np.datetime64("NaT")
        reg.add_residents(ids, b, place, places)
    with pytest.raises(TypeError, match=r"datetime64\[s\] holds moments, not days"):
        reg.add_residents(ids, birth.astype("datetime64[s]"), place, places)
    with pytest.raises(hotline.InvalidArgumentError, match="add_residents row 0: place 9 is not in places"):
        reg.add_residents(ids, birth, np.full(100, 9), places)
    # int day numbers and lists work too
    assert reg.add_residents(list(ids), birth.astype(np.int64), place.astype(np.uint32), places) == 100

    teams = ["T01", "T02", "T03"]
    codes = np.where(place == 2, 2, place)
    codes[40] = 2 if place[40] != 2 else 0  # a team outside the district
    with pytest.raises(hotline.InvalidArgumentError, match="sign_all request 40 resident 'B000040'"):
        reg.sign_many(ids, teams, D(2017, 1, 1), 1, ["BASIC"], team_index=np.array(codes))
    assert reg.contract_count() == 0
    with pytest.raises(ValueError, match="teams: 3 values for 100 residents"):
        reg.sign_many(ids, teams, D(2017, 1, 1), 1, ["BASIC"])


def test_sign_many_with_terms_per_row_in_guangxi():
    np, rng, ids, birth, place, places = bulk_columns(30)
    reg = build_region(signing.Policy.guangxi_2023())
    reg.add_residents(ids, np.full(30, np.datetime64("1960-01-01")), place, places)
    teams = np.array(["T01", "T02", "T03"])[np.where(place == 2, 2, place)]
    years = np.arange(30) % 3 + 1
    assert reg.sign_many(list(ids), list(teams), np.full(30, np.datetime64("2023-03-01")), years, ["BASIC"]) == 30
    assert [reg.find_contract(f"C{i + 1:07d}").end.year for i in range(3)] == [2024, 2025, 2026]  # 003 §2.1.5


def test_load_residents_from_a_dataframe():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({
        "id": ["A1", "A2", "A3", "A4"],
        "birth": pd.to_datetime(["1950-01-02", "2012-07-01", "1988-03-04", "1999-09-09"]),
        "district": ["越秀区", "越秀区", "天河区", "越秀区"],
        "subdistrict": ["北京街", "大东街", "五山街", "北京街"],
        "community": ["仰忠社区", "东湖社区", "华工社区", "仰忠社区"],
        "sex": ["male", "female", "female", "unknown"],
    })
    codes, places = signing.place_codes(df)
    assert codes.tolist() == [0, 1, 2, 0] and places[2] == ("天河区", "五山街", "华工社区")
    reg = build_region()
    assert signing.load_residents(reg, df, sex="sex") == 4
    a1 = reg.find_resident("A1")
    assert (a1.birth, a1.sex, a1.subdistrict) == (D(1950, 1, 2), "male", "北京街")
    cov = signing.coverage(reg, AS_OF).to_pandas().set_index("group")
    assert cov.loc["越秀区", "population"] == 3 and cov.loc["越秀区", "elderly_population"] == 1
    late = df.assign(birth=pd.to_datetime(["1950-01-02 08:00"] * 4), id=["X1", "X2", "X3", "X4"])
    with pytest.raises(hotline.InvalidArgumentError, match="holds times of day"):
        signing.load_residents(reg, late)
    assert reg.resident_count() == 4


# ---- fees and settlements (fees.hpp, settlement.hpp) ---------------------------------------------------

def test_fee_arithmetic_in_fen():
    assert signing.rounded_share(50, 0.29) == 15  # exactly 14.5, half away from zero
    split = signing.split_fee(12001, 0.8)  # 002 §2.14: 80 % to the team
    assert (split.team, split.institution) == (9601, 2400)
    assert signing.apportion(100, [1, 1, 1]) == [34, 33, 33]
    assert signing.yuan(12345) == 123.45
    with pytest.raises(hotline.InvalidArgumentError, match="split_fee: share 1.5"):
        signing.split_fee(100, 1.5)


def test_the_monthly_lump_and_the_year_end_settlement(reg):
    add(reg, "R4", D(1970, 1, 1))
    reg.add_resident(signing.Resident(id="R5", birth=D(1975, 1, 1), district="天河区", subdistrict="五山街",
                                      insured=False))
    sign(reg, "R1", "T01", D(2017, 3, 1))
    sign(reg, "R4", "T01", D(2017, 3, 15))
    sign(reg, "R5", "T03", D(2017, 3, 20))
    march = signing.monthly_insurance_settlement(reg, "2017-03")  # 002 §2.13 二: insured residents' basic share
    assert [(r.who.level.name, r.who.institution, r.who.team, r.signings, r.insurance_fen) for r in march.rows] == [
        ("INSTITUTION", "TH-01", "", 1, 0), ("TEAM", "TH-01", "T03", 1, 0),
        ("INSTITUTION", "YX-01", "", 2, 16000), ("TEAM", "YX-01", "T01", 2, 16000)]
    assert (march.total.signings, march.total.insured, march.total.uninsured, march.total.insurance_fen) == (
        3, 2, 1, 16000)
    df = march.to_pandas()
    assert df.shape == (5, 11) and df["level"].tolist()[-1] == "total" and df["insurance_fen"].iloc[-1] == 16000

    with pytest.raises(hotline.InvalidArgumentError, match="TH-01"):
        signing.year_end_settlement(reg, 2017, {"YX-01": 1.0})  # 002 §2.13: nothing without an assessment
    y = signing.year_end_settlement(reg, 2017, {"YX-01": 1.0, "TH-01": 0.5})
    th = y.rows[0]
    assert (th.who.institution, th.fee_fen, th.uninsured_gap_fen, th.public_health_due_fen, th.balance_fen) == (
        "TH-01", 12000, 8000, 1000, 1000)
    assert (th.distributed_fen, th.team_share_fen, th.institution_share_fen) == (3000, 2400, 600)
    yx = y.rows[2]
    assert (yx.who.institution, yx.insurance_due_fen, yx.paid_monthly_fen, yx.insurance_balance_fen,
            yx.balance_fen, yx.team_share_fen) == ("YX-01", 16000, 16000, 0, 4000, 19200)
    assert y.total.balance_fen == 5000 and y.to_pandas()["balance_fen"].iloc[-1] == 5000
    assert y.table().title and march.table().title


# ---- the journal store (store.hpp) ----------------------------------------------------------------------

def test_the_store_journals_every_write_and_replays_it(tmp_path):
    np = pytest.importorskip("numpy")
    path = tmp_path / "signing.db"
    at = datetime.datetime(2017, 3, 1, 9, 30, tzinfo=hotline.SHANGHAI)
    db = signing.SigningStore(path)
    db.add_institution(signing.Institution(code="YX-01", district="越秀区", subdistrict="北京街"), by="clerk")
    db.add_team(signing.Team(code="T01", institution="YX-01"), by="clerk")
    db.add_staff(signing.StaffMember(id="D01", institution="YX-01"), by="clerk")
    db.join_team("T01", "D01", signing.TeamRole.FAMILY_DOCTOR, D(2016, 1, 1), by="clerk")
    db.add_package(signing.Package(code="BASIC", fee_fen=100, insurance_fen=100), by="clerk")
    ids = np.array(["R1", "R2", "R3"])
    places = [("越秀区", "北京街", "仰忠社区")]
    assert db.add_residents(ids, np.array(["1950-01-01", "1980-01-01", "2015-01-01"], "M8[D]"), np.zeros(3, int),
                            places, by="import") == 3
    assert db.sign_many(ids, ["T01"], D(2017, 3, 1), 1, ["BASIC"], team_index=np.zeros(3, int), by="D01", at=at) == 3
    with pytest.raises(hotline.InvalidArgumentError, match="already holds contract C0000001"):
        db.sign(signing.SignRequest(resident="R1", team="T01", packages=["BASIC"], start=D(2017, 6, 1)), by="D01")
    with pytest.raises(TypeError, match="naive datetime"):
        db.add_team(signing.Team(code="T02", institution="YX-01"), by="clerk", at=datetime.datetime(2017, 1, 1))
    rows = db.journal()
    assert rows[0].op == "policy" and [r.op for r in rows[-3:]] == ["sign_all"] * 3
    assert rows[-1].by == "D01" and rows[-1].at == at and len(rows[-1].hash) == 64
    assert db.verify().ok and db.last_seq() == len(rows)
    del db

    again = signing.SigningStore(path)
    view = again.view()
    assert view.contract_count() == 3 and view.find_contract("C0000003").resident == "R3"
    cov = signing.coverage(view, D(2017, 12, 31))
    assert (cov.total.all.population, cov.total.all.signed) == (3, 3)
    ro = signing.SigningStore(path, read_only=True)
    with pytest.raises(hotline.InvalidArgumentError):
        ro.add_team(signing.Team(code="T09", institution="YX-01"), by="clerk")
    assert signing.SigningStore.schema_version == 2  # 2: signed heads (issue 22)
