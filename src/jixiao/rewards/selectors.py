"""Reads for reward pools, scoped to the user's organisation."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from jixiao.assessments.models import Assessment, Status
from jixiao.organisation.access import Access
from jixiao.rewards.models import RewardPool, RewardShare
from jixiao.years.models import AssessmentYear


def pool_list(access: Access, year: AssessmentYear | None = None) -> QuerySet[RewardPool]:
    pools = RewardPool.objects.filter(org=access.org).select_related("year", "assessment")
    return pools.filter(year=year) if year is not None else pools


def pool_get(access: Access, pool_id: int) -> RewardPool:
    """One of the organisation's pools, else 404 (another organisation's is not found)."""
    return get_object_or_404(
        RewardPool.objects.select_related("year", "assessment__period"),
        pk=pool_id,
        org=access.org,
    )


def share_rows(pool: RewardPool) -> QuerySet[RewardShare]:
    return pool.shares.select_related("subject").order_by("sort", "pk")


def final_assessments(access: Access, year: AssessmentYear) -> QuerySet[Assessment]:
    """The year's final assessments: the only results a reward may be based on."""
    return Assessment.objects.filter(
        year=year, year__org=access.org, status=Status.FINAL
    ).select_related("period")
