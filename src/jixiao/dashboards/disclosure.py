"""Reads for the public disclosure pages (政务公开栏): anonymous, published periods only.

What leaves the platform here is deliberately narrow: for each published
assessment (under public notice or final) the rank, the name, the total and the
grade of units and task forces; people only where the year's scheme says their
results are posted, and then only their name and post. The rows are copied into
plain dataclasses so a template cannot reach any other field of a Person.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.http import Http404

from jixiao.assessments.models import Assessment, Subject
from jixiao.dashboards.selectors import KIND_ORDER
from jixiao.organisation.models import ORGANISATION_KINDS, Unit
from jixiao.rankings.competition import CompetitionResult
from jixiao.rankings.selectors import PUBLISHED_STATUSES, rank_subjects
from jixiao.results.models import CompetitionPublication
from jixiao.years.models import AssessmentYear, Period, SubjectKind, YearScheme
from jixiao.years.selectors import period_label


def public_org(code: str) -> Unit:
    """The township or bureau with this code; 404 when none, or when the code is not unique
    (codes are unique within an organisation, not across the county)."""
    matches = list(Unit.objects.filter(code=code, kind__in=ORGANISATION_KINDS)[:2])
    matches = [unit for unit in matches if unit.org_id == unit.pk]
    if len(matches) != 1:
        raise Http404
    return matches[0]


def discloses_people(year: AssessmentYear) -> bool:
    """Whether one of the year's pinned schemes says people's results are posted publicly
    (``disclose_people = true`` in its [scheme] table, as the 001 preset does: "每月、每季度
    定时在政务公开栏公布干部考核结果"); otherwise people never appear on the public pages."""
    pins = YearScheme.objects.filter(year=year).select_related("scheme_version__scheme")
    return any(pin.scheme_version.parsed().disclose_people for pin in pins)


def _published(org: Unit) -> list[Assessment]:
    rows = Assessment.objects.filter(year__org=org, status__in=PUBLISHED_STATUSES)
    return list(rows.select_related("period", "year"))


@dataclass
class PublicPeriod:
    period: Period
    label: str
    year: AssessmentYear


def published_periods(org: Unit) -> list[PublicPeriod]:
    """Every period of the organisation with a published assessment, latest first."""
    periods: dict[int, PublicPeriod] = {}
    for a in _published(org):
        periods.setdefault(a.period_id, PublicPeriod(a.period, period_label(a.period), a.year))
    return sorted(
        periods.values(), key=lambda p: (p.period.end, -p.period.start.toordinal()), reverse=True
    )


def public_period(org: Unit, period_id: int) -> Period:
    """A period with at least one published assessment, else 404 (unpublished = unknown)."""
    period = (
        Period.objects.filter(
            pk=period_id,
            year__org=org,
            pk__in=Assessment.objects.filter(status__in=PUBLISHED_STATUSES).values("period"),
        )
        .select_related("year")
        .first()
    )
    if period is None:
        raise Http404
    return period


@dataclass(frozen=True)
class PublicRow:
    rank: int | None
    tied: bool
    name: str
    post: str  # people only
    total: Decimal | None
    grade: str


@dataclass
class PublicRanking:
    kind_label: str
    name: str
    status_label: str
    notice_end: date | None
    final: bool
    people: bool  # rows are people: the post is shown beside the name
    rows: list[PublicRow] = field(default_factory=list)


def _row(ranked) -> PublicRow:
    subject: Subject = ranked.subject
    if subject.person_id is not None:
        name, post = subject.person.name, subject.person.post
    else:
        name, post = str(subject.unit or subject.task_force), ""
    return PublicRow(ranked.rank, ranked.tied, name, post, subject.total, subject.grade)


def public_rankings(period: Period, people: bool) -> list[PublicRanking]:
    """The period's published assessments, ranked; people only when ``people`` (2 queries)."""
    assessments = Assessment.objects.filter(period=period, status__in=PUBLISHED_STATUSES)
    if not people:
        assessments = assessments.exclude(subject_kind=SubjectKind.PERSON)
    assessments = list(assessments)
    subjects = Subject.objects.filter(assessment__in=assessments).select_related(
        "unit", "person", "task_force"
    )
    by_assessment: dict[int, list[Subject]] = {a.pk: [] for a in assessments}
    for subject in subjects:
        by_assessment[subject.assessment_id].append(subject)
    kind_labels = dict(SubjectKind.choices)
    order = {kind: index for index, kind in enumerate(KIND_ORDER)}
    assessments.sort(key=lambda a: order.get(a.subject_kind, len(order)))
    return [
        PublicRanking(
            kind_label=str(kind_labels.get(a.subject_kind, a.subject_kind)),
            name=a.name,
            status_label=a.get_status_display(),
            notice_end=a.notice_end,
            final=a.is_final,
            people=a.subject_kind == SubjectKind.PERSON,
            rows=[_row(r) for r in rank_subjects(by_assessment[a.pk])],
        )
        for a in assessments
    ]


@dataclass(frozen=True)
class PublicCompetition:
    """The month's task-force competition as the office published it (001: 公示上墙)."""

    best: list[str]
    last: list[str]
    bottom: list[str] | None  # members' names; None where people are not disclosed
    tie_rule: str


def public_competition(period: Period, people: bool) -> PublicCompetition | None:
    publication = CompetitionPublication.objects.filter(period=period).first()
    if publication is None:
        return None
    result = CompetitionResult.from_json(publication.result)

    def names(entries) -> list[str]:
        return [f"{e.label} {e.total}" for e in entries]

    return PublicCompetition(
        best=names(result.best),
        last=names(result.last),
        bottom=names(result.bottom) if people else None,
        tie_rule=result.tie_rule,
    )
