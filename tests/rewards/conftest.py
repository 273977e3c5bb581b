"""A final year-end assessment of 白莲镇's five cadres with results set by hand.

The rewards app only reads results (total, grade, award eligibility and its
reasons), so the fixture writes them directly instead of scoring a whole year.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.assessments.models import Assessment, Status, Subject
from jixiao.years.models import SubjectKind
from jixiao.years.services import year_setup

# (person attribute on the cast, total, grade, award eligible, reasons)
RESULTS = [
    ("leader_person", "92.50", "优秀", True, []),
    ("head_person", "88.00", "良好", True, []),
    ("handler_person", "80.00", "及格", True, []),
    ("cadre_person", "95.00", "优秀", False, ["一票否决：安全生产"]),
    ("other_person", "70.00", "不及格", True, []),
]


@pytest.fixture
def year(cast):
    return year_setup(
        actor=cast.office,
        org=cast.org,
        year=2024,
        choices={SubjectKind.ORGANISATION: "bailian-town", SubjectKind.PERSON: "town-cadre"},
    )


def make_assessment(cast, year, status=Status.FINAL) -> Assessment:
    period = year.periods.get(kind="year")
    pin = year.schemes.get(subject_kind=SubjectKind.PERSON).scheme_version
    assessment = Assessment.objects.create(
        year=year,
        period=period,
        subject_kind=SubjectKind.PERSON,
        scheme_version=pin,
        name="2024年度干部考核",
        status=status,
    )
    for rank, (attr, total, grade, eligible, reasons) in enumerate(RESULTS, start=1):
        Subject.objects.create(
            assessment=assessment,
            person=getattr(cast, attr),
            total=Decimal(total),
            grade=grade,
            scheme_grade=grade,
            award_eligible=eligible,
            reasons=reasons,
            rank=rank,
        )
    return assessment


@pytest.fixture
def final(cast, year) -> Assessment:
    return make_assessment(cast, year)
