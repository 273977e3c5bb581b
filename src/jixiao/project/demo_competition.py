"""白莲镇's task forces and their June competition (seed 001's monthly 效能竞赛).

Three command groups (指挥组) cut across the township's units. The year also
assesses task forces and people with the 001 preset; June's two assessments
are scored, published (公示 from 1 July, so the notice is over and they are
final) and the month's competition — 先进指挥组, 末位指挥组, 工作实绩末2位 — is
published, so the results page and the public notice board show it.

Skipped when June's competition is published, so loading twice adds nothing.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model

from jixiao.assessments.models import Assessment
from jixiao.assessments.services import (
    assessment_create,
    assessment_finalise,
    assessment_open_scoring,
    assessment_publish,
    assessment_start_review,
)
from jixiao.organisation.models import Person, TaskForce
from jixiao.organisation.services import task_force_create
from jixiao.results.models import CompetitionPublication
from jixiao.results.services import competition_publish
from jixiao.schemes.services import scheme_create_from_preset
from jixiao.years.models import AssessmentYear, Period, PeriodKind, SubjectKind, YearScheme

PRESET = "haiyong-taskforce"
NODES = ("results", "plan", "timeliness", "ballot", "stability")
JUNE_PUBLISHED = date(2026, 7, 1)
JUNE_FINALISED = date(2026, 7, 9)
# (name, leader, members): the leaders are the deputy mayors, members from several units.
TASK_FORCES = (
    ("产业发展指挥组", "周德明", ("张伟", "刘洋", "钟国平", "韩雪", "邓建华")),
    ("平安建设指挥组", "罗志勇", ("曾强", "彭涛", "罗斌", "许亮", "冯立")),
    ("民生服务指挥组", "李春梅", ("周敏", "郭红", "唐秀英", "孙丽萍", "陈静")),
)


def demo_competition(year: AssessmentYear) -> None:
    """Bring 白莲镇's task forces and June competition to the state above (idempotent)."""
    june = Period.objects.get(year=year, kind=PeriodKind.MONTH, number=6)
    if CompetitionPublication.objects.filter(period=june).exists():
        return
    from jixiao.project.demo_year import _score_all

    office = get_user_model().objects.get(username="office")
    leader = get_user_model().objects.get(username="leader")
    _task_forces(year)
    version = scheme_create_from_preset(actor=office, org=year.org, preset=PRESET).latest
    for kind in (SubjectKind.TASK_FORCE, SubjectKind.PERSON):
        # No service pins a scheme to an existing year: the demo adds the two kinds directly.
        YearScheme.objects.get_or_create(
            year=year, subject_kind=kind, defaults={"scheme_version": version}
        )
    for kind, seed in ((SubjectKind.TASK_FORCE, 4), (SubjectKind.PERSON, 9)):
        assessment = Assessment.objects.filter(period=june, subject_kind=kind).first()
        if assessment is None:
            assessment = assessment_create(actor=office, year=year, period=june, subject_kind=kind)
            assessment_open_scoring(actor=office, assessment=assessment)
            _score_all(assessment, NODES, leader, seed=seed)
            assessment = assessment_start_review(actor=office, assessment=assessment)
            assessment = assessment_publish(
                actor=office, assessment=assessment, today=JUNE_PUBLISHED
            )
            assessment_finalise(actor=office, assessment=assessment, today=JUNE_FINALISED)
    competition_publish(actor=office, period=june)


def _task_forces(year: AssessmentYear) -> None:
    people = {p.name: p for p in Person.objects.filter(org=year.org)}
    existing = set(TaskForce.objects.filter(org=year.org).values_list("name", flat=True))
    for name, leader, members in TASK_FORCES:
        if name not in existing:
            task_force_create(
                org=year.org,
                name=name,
                leader=people[leader],
                members=[people[m] for m in members],
            )
