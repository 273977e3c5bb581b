"""Reads for published results, scoped to the user's organisation."""

from __future__ import annotations

from dataclasses import dataclass

from django.shortcuts import get_object_or_404

from jixiao.organisation.access import Access
from jixiao.rankings.competition import CompetitionResult
from jixiao.results.models import CompetitionPublication
from jixiao.years.models import AssessmentYear, Period, PeriodKind


@dataclass
class PublishedCompetition:
    publication: CompetitionPublication
    result: CompetitionResult


def publication_list(access: Access, year: AssessmentYear) -> list[PublishedCompetition]:
    """The year's published competitions, latest month first (1 query)."""
    rows = CompetitionPublication.objects.filter(org=access.org, period__year=year).select_related(
        "period"
    )
    return [PublishedCompetition(p, CompetitionResult.from_json(p.result)) for p in rows]


def publication_for(access: Access, period: Period) -> PublishedCompetition | None:
    publication = CompetitionPublication.objects.filter(org=access.org, period=period).first()
    if publication is None:
        return None
    return PublishedCompetition(publication, CompetitionResult.from_json(publication.result))


def month_get(access: Access, period_id: int) -> Period:
    """A month of one of the organisation's years, else 404."""
    return get_object_or_404(
        Period.objects.select_related("year__org"),
        pk=period_id,
        kind=PeriodKind.MONTH,
        year__org=access.org,
    )
