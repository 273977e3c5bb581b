"""A person assessment (town-cadre, first quarter) with a ballot round for the cast."""

from __future__ import annotations

from dataclasses import dataclass

from jixiao.assessments.models import Assessment, Subject
from jixiao.ballots.models import BallotRound
from jixiao.ballots.services import GroupSpec, ballot_round_create
from jixiao.years.models import AssessmentYear, PeriodKind, SubjectKind, YearScheme
from jixiao.years.services import year_setup
from tests.cast import Cast


@dataclass
class BallotWorld:
    year: AssessmentYear
    assessment: Assessment
    subjects: dict[str, Subject]  # leader, head, handler, cadre, other
    round: BallotRound  # node duty.peer; 领导: leader; 同级: head, handler; 群众: cadre, head


def make_assessment(year: AssessmentYear, kind: str = SubjectKind.PERSON) -> Assessment:
    """Stand-in for assessments.services.assessment_create: the pinned version, no subjects."""
    pin = YearScheme.objects.get(year=year, subject_kind=kind)
    period = year.periods.get(kind=PeriodKind.QUARTER, number=1)
    return Assessment.objects.create(
        year=year,
        period=period,
        subject_kind=kind,
        scheme_version=pin.scheme_version,
        name=f"{period.name}考核",
    )


def build_ballot_world(cast: Cast) -> BallotWorld:
    year = year_setup(
        actor=cast.office,
        org=cast.org,
        year=2024,
        choices={SubjectKind.PERSON: "town-cadre", SubjectKind.TASK_FORCE: "haiyong-taskforce"},
    )
    assessment = make_assessment(year)
    people = {
        "leader": cast.leader_person,
        "head": cast.head_person,
        "handler": cast.handler_person,
        "cadre": cast.cadre_person,
        "other": cast.other_person,
    }
    subjects = {
        key: Subject.objects.create(assessment=assessment, person=person)
        for key, person in people.items()
    }
    ballot_round = ballot_round_create(
        actor=cast.office,
        assessment=assessment,
        node="duty.peer",
        title="第一季度民主测评",
        groups=[
            GroupSpec("领导", 30, [cast.leader]),
            GroupSpec("同级", 30, [cast.head, cast.handler]),
            GroupSpec("群众", 40, [cast.cadre, cast.head]),
        ],
    )
    return BallotWorld(year=year, assessment=assessment, subjects=subjects, round=ballot_round)
