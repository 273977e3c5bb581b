"""Reads for rectification, scoped to the user's organisation.

Who sees an item: the office and the read-all roles (leaders, reviewers) see
every item; a section head the items of their sections; everyone else the
items they own. Another organisation's item is a 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from jixiao.assessments.models import Subject
from jixiao.engine.numbers import CENT
from jixiao.organisation.access import Access
from jixiao.rectification.models import ACTIVE, ItemStatus, RectificationItem
from jixiao.years.models import AssessmentYear

# --- permissions --------------------------------------------------------------------


def visible_filter(access: Access) -> Q:
    if access.reads_everything:  # the office included
        return Q()
    mine = Q(owner=access.person) if access.person is not None else Q(pk__in=[])
    return mine | Q(unit_id__in=access.headed_unit_ids)


def items_for(access: Access) -> QuerySet[RectificationItem]:
    return RectificationItem.objects.filter(org=access.org).filter(visible_filter(access))


def item_get(access: Access, item_id: int) -> RectificationItem:
    """The item if the user may see it, else 404 (no hint that it exists)."""
    return get_object_or_404(
        items_for(access).select_related(
            "unit", "owner", "year", "subject__assessment", "inspection", "carried_to"
        ),
        pk=item_id,
    )


def is_owner(access: Access, item: RectificationItem) -> bool:
    return access.person is not None and item.owner_id == access.person.pk


def can_submit(access: Access, item: RectificationItem) -> bool:
    """The owner (or the office on their behalf) reports an active item done."""
    return item.status in ACTIVE and (is_owner(access, item) or access.is_office)


def can_attach(access: Access, item: RectificationItem) -> bool:
    return item.status != ItemStatus.CLOSED and (is_owner(access, item) or access.is_office)


# --- lists --------------------------------------------------------------------------


def item_list(
    access: Access,
    year: AssessmentYear,
    *,
    status: str = "",
    unit_id: int | None = None,
    overdue: bool = False,
) -> QuerySet[RectificationItem]:
    items = items_for(access).filter(year=year).select_related("unit", "owner", "carried_to")
    if status in ItemStatus.values:
        items = items.filter(status=status)
    if unit_id is not None:
        items = items.filter(unit_id=unit_id)
    if overdue:
        items = items.filter(status__in=ACTIVE, deadline__lt=timezone.localdate())
    return items.annotate(evidence_count=Count("evidence", distinct=True))


def rectification_summary(access: Access, year: AssessmentYear) -> dict:
    """Counts for the dashboards and the items behind them (1 query).

    ``open`` counts every item not yet closed (including submitted ones awaiting
    the office); ``overdue`` those past their deadline with the owner still to act.
    """
    today = timezone.localdate()
    items = list(
        items_for(access).filter(year=year).select_related("unit", "owner").order_by("deadline")
    )
    rows = [
        {
            "id": item.pk,
            "unit": item.unit.name,
            "owner": item.owner.name,
            "problem": item.problem,
            "deadline": item.deadline,
            "status": item.status,
            "status_label": str(ItemStatus(item.status).label),
            "overdue": item.is_overdue(today),
        }
        for item in items
    ]
    return {
        "total": len(rows),
        "open": sum(1 for r in rows if r["status"] != ItemStatus.CLOSED),
        "submitted": sum(1 for r in rows if r["status"] == ItemStatus.SUBMITTED),
        "overdue": sum(1 for r in rows if r["overdue"]),
        "closed": sum(1 for r in rows if r["status"] == ItemStatus.CLOSED),
        "items": rows,
    }


# --- weak indicators ----------------------------------------------------------------


@dataclass
class NodeRow:
    node_id: str
    name: str
    depth: int
    score: Decimal | None
    full: str
    average: Decimal | None
    weak: bool


def _number(raw) -> Decimal | None:
    if raw is None or isinstance(raw, list | dict):
        return None
    try:
        return Decimal(str(raw))
    except ArithmeticError:
        return None


def _walk(node: dict, depth: int = 0):
    yield node, depth
    for child in node.get("children") or []:
        yield from _walk(child, depth + 1)


def _scores(breakdown: dict | None) -> dict[str, Decimal]:
    tree = (breakdown or {}).get("tree")
    if not tree:
        return {}
    found = {}
    for node, _depth in _walk(tree):
        score = _number(node.get("score"))
        if node.get("present") is not False and score is not None:
            found[node["id"]] = score
    return found


def indicator_rows(subject: Subject, threshold: Decimal | None = None) -> list[NodeRow]:
    """Every scored node of the subject's breakdown with the assessment's average.

    Weak: below ``threshold`` (when given) or below the average of the subjects
    assessed that have the node. The total itself is not an indicator.
    """
    tree = (subject.breakdown or {}).get("tree")
    if not tree:
        return []
    others = Subject.objects.filter(
        assessment_id=subject.assessment_id, total__isnull=False
    ).values_list("breakdown", flat=True)
    pooled: dict[str, list[Decimal]] = {}
    for breakdown in others:
        for node_id, score in _scores(breakdown).items():
            pooled.setdefault(node_id, []).append(score)
    rows = []
    for node, depth in _walk(tree):
        if depth == 0:
            continue
        score = _number(node.get("score")) if node.get("present") is not False else None
        values = pooled.get(node["id"], [])
        average = (
            (sum(values, Decimal(0)) / len(values)).quantize(CENT, ROUND_HALF_UP)
            if values
            else None
        )
        weak = score is not None and (
            (threshold is not None and score < threshold)
            or (average is not None and score < average)
        )
        rows.append(
            NodeRow(
                node_id=node["id"],
                name=str(node.get("name") or node["id"]),
                depth=depth,
                score=score,
                full=str(node.get("full") or ""),
                average=average,
                weak=weak,
            )
        )
    return rows
