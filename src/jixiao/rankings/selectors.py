"""Reads for the results page: rankings of published assessments only.

"Published" means under public notice (公示) or final (定案): before that the
totals may still change and are never shown on the results page, to anyone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from jixiao.assessments.models import Assessment, Status, Subject
from jixiao.organisation.access import Access
from jixiao.rankings.ranks import rank, tied_ranks
from jixiao.years.models import AssessmentYear, SubjectKind
from jixiao.years.selectors import period_label

PUBLISHED_STATUSES = (Status.NOTICE, Status.FINAL)


@dataclass
class RankedSubject:
    subject: Subject
    rank: int | None  # None: no total yet (cannot be scored)
    tied: bool = False


@dataclass
class Ranking:
    assessment: Assessment
    period_label: str
    kind_label: str
    rows: list[RankedSubject] = field(default_factory=list)


def published_assessments(access: Access, year: AssessmentYear) -> QuerySet[Assessment]:
    """The year's assessments under notice or final, scoped to the user's organisation."""
    return Assessment.objects.filter(
        year=year, year__org=access.org, status__in=PUBLISHED_STATUSES
    ).select_related("period")


def rank_subjects(subjects: list[Subject]) -> list[RankedSubject]:
    """Subjects ordered by total (competition ranks), unscored ones last."""
    scored = [s for s in subjects if s.total is not None]
    ranks = rank([s.total for s in scored])
    tied = tied_ranks(ranks)
    rows = [RankedSubject(s, r, r in tied) for s, r in zip(scored, ranks, strict=True)]
    rows.sort(key=lambda row: (row.rank, row.subject.label))
    rows += [RankedSubject(s, None) for s in subjects if s.total is None]
    return rows


def rankings(
    access: Access,
    year: AssessmentYear,
    *,
    period_id: int | None = None,
    kind: str | None = None,
) -> list[Ranking]:
    """One ranking per published assessment of the year, latest period first (2 queries)."""
    assessments = published_assessments(access, year)
    if period_id is not None:
        assessments = assessments.filter(period_id=period_id)
    if kind:
        assessments = assessments.filter(subject_kind=kind)
    subjects = Subject.objects.select_related("unit", "person", "task_force")
    assessments = assessments.prefetch_related(Prefetch("subjects", queryset=subjects))
    kind_labels = dict(SubjectKind.choices)
    return [
        Ranking(
            assessment=assessment,
            period_label=period_label(assessment.period),
            kind_label=str(kind_labels.get(assessment.subject_kind, assessment.subject_kind)),
            rows=rank_subjects(list(assessment.subjects.all())),
        )
        for assessment in assessments.order_by("-period__end", "period__start", "subject_kind")
    ]
