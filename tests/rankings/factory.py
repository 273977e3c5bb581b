"""Hand-made assessments with totals, built without the assessments services.

The results step reads Subject rows only, so tests create them directly with
the totals they need.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from jixiao.assessments.models import Assessment, Status, Subject
from jixiao.organisation.models import Person, TaskForce
from jixiao.organisation.services import person_create, task_force_create
from jixiao.years.models import AssessmentYear, Period, SubjectKind
from jixiao.years.services import year_setup
from tests.cast import Cast


@dataclass
class Haiyong:
    """白莲镇 run as 海永乡: four task forces with two members each."""

    year: AssessmentYear
    groups: list[TaskForce]  # 第一…第四指挥组
    members: list[Person]  # m1…m8, two per group (m1, m2 in group 1 …)
    outside: Person  # assessed but in no task force


def make_year(cast: Cast, year: int = 2025) -> AssessmentYear:
    return year_setup(
        actor=cast.office,
        org=cast.org,
        year=year,
        choices={
            SubjectKind.TASK_FORCE: "haiyong-taskforce",
            SubjectKind.PERSON: "town-cadre",
            SubjectKind.UNIT: "bailian-town",
        },
    )


def period(year: AssessmentYear, kind: str, number: int) -> Period:
    return year.periods.get(kind=kind, number=number)


def make_assessment(
    year: AssessmentYear, period_: Period, kind: str, status: str = Status.NOTICE
) -> Assessment:
    pin = year.schemes.get(subject_kind=kind)
    return Assessment.objects.create(
        year=year,
        period=period_,
        subject_kind=kind,
        scheme_version=pin.scheme_version,
        name=f"{period_.name}{kind}考核",
        status=status,
    )


def add_subject(assessment: Assessment, thing, total: str | None, **extra) -> Subject:
    field = {"unit": "unit", "person": "person", "taskforce": "task_force"}[thing._meta.model_name]
    return Subject.objects.create(
        assessment=assessment,
        total=None if total is None else Decimal(total),
        **{field: thing},
        **extra,
    )


def make_haiyong(cast: Cast) -> Haiyong:
    year = make_year(cast)
    members = [
        person_create(unit=cast.section, name=f"成员{i}", code=f"m{i:02d}") for i in range(1, 9)
    ]
    names = ["第一指挥组", "第二指挥组", "第三指挥组", "第四指挥组"]
    groups = [
        task_force_create(
            org=cast.org, name=name, leader=members[2 * i], members=[members[2 * i + 1]]
        )
        for i, name in enumerate(names)
    ]
    return Haiyong(year=year, groups=groups, members=members, outside=cast.other_person)


def month_with(
    world: Haiyong,
    month: int,
    group_totals: list[str | None],
    member_totals: list[str | None] | None,
    *,
    outside_total: str = "10",
    status: str = Status.NOTICE,
    person_status: str | None = None,
) -> Period:
    """A month whose task-force and person assessments carry the given totals."""
    month_period = period(world.year, "month", month)
    groups = make_assessment(world.year, month_period, SubjectKind.TASK_FORCE, status)
    for group, total in zip(world.groups, group_totals, strict=True):
        add_subject(groups, group, total)
    if member_totals is not None:
        people = make_assessment(
            world.year, month_period, SubjectKind.PERSON, person_status or status
        )
        for person, total in zip(world.members, member_totals, strict=True):
            add_subject(people, person, total)
        add_subject(people, world.outside, outside_total)
    return month_period
