"""hotline.signing: family-doctor signing for analysts.

The compiled classes and functions of hotline::signing live in hotline._core with a
prefix (SigningRegistry, SigningServiceKind, signing_coverage); this module gives the
same objects under their C++ names (registry -> Registry, service_kind -> ServiceKind,
coverage; signing_channel, signing_store and signing_tables keep theirs), and adds
helpers that load a pandas DataFrame.  A report's result is named after the report (Coverage, Referrals,
ChronicManagement, Workforce, NotServed, HomeVisits, SurveyResults, WorkPoints); each has
.rows, .table() (a ReportTable) and .to_pandas(), as do the settlements' statements.

    import datetime
    from hotline import signing
    reg = signing.Registry(signing.Policy.guangzhou_2017())
    signing.load_residents(reg, df)                  # id, birth, district, subdistrict, community
    reg.sign_many(ids, teams, start, packages=["BASIC"])
    cov = signing.coverage(reg, datetime.date(2026, 6, 30))
    cov.to_pandas()                                  # one row per district
    cov.table().to_pandas()                          # the commission's table, Chinese headers

hotline.signing.Registry is hotline.SigningRegistry, and so on for every name below.
Keyword arguments and properties named from_ stand for C++'s `from` (a Python keyword).
"""
from __future__ import annotations

from typing import Any, Optional

from . import _core

# The vocabulary (vocabulary.hpp).
InstitutionKind = _core.SigningInstitutionKind
TeamRole = _core.SigningTeamRole
KeyPopulation = _core.SigningKeyPopulation
Attribute = _core.SigningAttribute
ElderlyGrade = _core.SigningElderlyGrade
PackageTier = _core.SigningPackageTier
TerminationReason = _core.SigningTerminationReason
SigningChannel = _core.SigningChannel
ServiceKind = _core.SigningServiceKind
ReferralPriority = _core.SigningReferralPriority

# The policy and the records (policy.hpp, registry.hpp, service_record.hpp).
CoverageTarget = _core.SigningCoverageTarget
Policy = _core.SigningPolicy
term_end = _core.signing_term_end
Resident = _core.SigningResident
Institution = _core.SigningInstitution
Team = _core.SigningTeam
StaffMember = _core.SigningStaffMember
Package = _core.SigningPackage
SignRequest = _core.SigningSignRequest
Contract = _core.SigningContract
Application = _core.SigningApplication
SurveyAnswer = _core.SigningSurveyAnswer
SpecialistSlots = _core.SigningSpecialistSlots
ServiceRecord = _core.SigningServiceRecord
ServiceChainReport = _core.SigningServiceChainReport
TeamMember = _core.SigningTeamMember
Registry = _core.SigningRegistry

# The reports (reports.hpp) and work points (work_points.hpp).
Grouping = _core.SigningGrouping
CoverageCell = _core.SigningCoverageCell
CoverageRow = _core.SigningCoverageRow
TargetCheck = _core.SigningTargetCheck
Coverage = _core.SigningCoverage
coverage = _core.signing_coverage
ReferralRow = _core.SigningReferralRow
Referrals = _core.SigningReferrals
referrals = _core.signing_referrals
ManagementRow = _core.SigningManagementRow
ChronicManagement = _core.SigningChronicManagement
chronic_management = _core.signing_chronic_management
Workforce = _core.SigningWorkforce
workforce = _core.signing_workforce
NotServedRow = _core.SigningNotServedRow
NotServed = _core.SigningNotServed
not_served = _core.signing_not_served
VisitDue = _core.SigningVisitDue
HomeVisits = _core.SigningHomeVisits
home_visits_behind = _core.signing_home_visits_behind
verification_sample = _core.signing_verification_sample
SurveyRow = _core.SigningSurveyRow
SurveyResults = _core.SigningSurveyResults
survey_results = _core.signing_survey_results
signing_tables = _core.signing_tables
PointsVersion = _core.SigningPointsVersion
PointsTable = _core.SigningPointsTable
PointsLevel = _core.SigningPointsLevel
PointsRow = _core.SigningPointsRow
PointsTotal = _core.SigningPointsTotal
WorkPoints = _core.SigningWorkPoints
work_points = _core.signing_work_points

# Fees and settlements (fees.hpp, settlement.hpp).
FeeSplit = _core.SigningFeeSplit
rounded_share = _core.signing_rounded_share
split_fee = _core.signing_split_fee
apportion = _core.signing_apportion
yuan = _core.signing_yuan
StatementLevel = _core.SigningStatementLevel
StatementLine = _core.SigningStatementLine
MonthlyRow = _core.SigningMonthlyRow
MonthlyStatement = _core.SigningMonthlyStatement
monthly_insurance_settlement = _core.signing_monthly_insurance_settlement
YearEndRow = _core.SigningYearEndRow
YearEndStatement = _core.SigningYearEndStatement
year_end_settlement = _core.signing_year_end_settlement

# The journal store (store.hpp): C++'s signing_store keeps its word, like signing_channel.
SigningStore = _core.SigningStore
JournalEntry = _core.SigningJournalEntry
JournalReport = _core.SigningJournalReport

# Identity numbers are hotline's, not signing's; here too for convenience.
read_id_number = _core.read_id_number
age_on = _core.age_on

PLACE_COLUMNS = ("district", "subdistrict", "community")


def place_codes(df: Any, columns: tuple[str, str, str] = PLACE_COLUMNS) -> tuple[Any, list[tuple[str, str, str]]]:
    """Codes the (district, sub-district, community) columns of a DataFrame jointly.

    Returns (codes, places): an int64 array with one code per row and the distinct
    places in order of first appearance, as Registry.add_residents takes them.  A
    missing value (None, NaN) is refused: every resident lives somewhere.
    """
    import numpy as np
    import pandas as pd

    keys = df[list(columns)]
    missing = keys.isna().any(axis=1)
    if missing.any():
        row = keys.index[np.flatnonzero(missing.to_numpy())[0]]
        raise _core.InvalidArgumentError(f"place_codes: row {row!r} has no {', '.join(columns)}")
    codes, uniques = pd.MultiIndex.from_frame(keys.astype(str)).factorize()
    return np.asarray(codes, dtype=np.int64), [(str(u[0]), str(u[1]), str(u[2])) for u in uniques]


def load_residents(registry: _core.SigningRegistry | _core.SigningStore, df: Any, *, id: str = "id", birth: str = "birth",
                   places: tuple[str, str, str] = PLACE_COLUMNS, sex: Optional[str] = None,
                   insured: Optional[str] = None, by: Optional[str] = None) -> int:
    """Adds the residents of a DataFrame to `registry`, all or none; returns how many.

    Columns (names changeable by keyword): id (str), birth (datetime64 of any unit that
    is a whole day, e.g. pandas' datetime64[ns] at midnight, or datetime.date objects),
    district, subdistrict, community (factorised together with pandas), and optionally
    sex ("unknown" / "male" / "female" or 0/1/2) and insured (bool).  Names and identity
    numbers are not bulk data: add those residents one by one with Registry.add_resident,
    which checks the number (GB 11643).  Into a SigningStore, `by` names who loaded them
    (one journal transaction).
    """
    import numpy as np

    codes, place_list = place_codes(df, places)
    b = df[birth]
    if np.issubdtype(b.dtype, np.datetime64):
        days = b.to_numpy().astype("datetime64[D]")
        # A moment that is not midnight is not a day: refuse it rather than truncate.
        if (b.isna().to_numpy() | (days.astype(b.dtype) == b.to_numpy())).all():
            birth_col: Any = days
        else:
            raise _core.InvalidArgumentError(f"load_residents: column {birth!r} holds times of day, not days")
    else:
        birth_col = b.to_numpy()
    columns = (df[id].astype(str).to_numpy(), birth_col, codes, place_list,
               None if sex is None else df[sex].to_numpy(),
               None if insured is None else df[insured].to_numpy().astype(bool))
    if isinstance(registry, _core.SigningStore):
        if not by:
            raise _core.InvalidArgumentError("load_residents: a SigningStore needs by= (who loads the residents)")
        return registry.add_residents(*columns, by=by)
    return registry.add_residents(*columns)


def to_frame(rows: Any) -> Any:
    """A DataFrame from a list of report rows (anything with to_dict()), columns in row order."""
    import pandas as pd

    dicts = [r.to_dict() for r in rows]
    return pd.DataFrame.from_records(dicts, columns=list(dicts[0]) if dicts else None)

