"""Reads for inspections: ledger rows, the scheme nodes they feed, and the engine's cap.

The ledger keeps every finding as recorded; what counts towards a score is decided
by the engine, never re-implemented here: ``engine_deduction`` runs the one node
through ``jixiao.engine.evaluate``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from jixiao.engine import ROOT_ID, Kind, Node, Scheme, evaluate
from jixiao.engine.numbers import plain
from jixiao.inspections.models import Inspection, ProjectSite, SiteVisit
from jixiao.organisation.access import Access
from jixiao.organisation.models import Person, Role, Unit
from jixiao.years.models import AssessmentYear, Period, PeriodKind, SubjectKind
from jixiao.years.selectors import year_pins

LEDGER_KINDS = (Kind.DEDUCTIONS, Kind.COUNTED)
ZERO = Decimal(0)


# --- who may do what ----------------------------------------------------------------


def can_record(access: Access) -> bool:
    """The office and the 效能督查 group (reviewers) record and void inspections."""
    return access.is_office or access.has(Role.REVIEWER)


def can_read_ledger(access: Access, unit: Unit) -> bool:
    return access.reads_everything or unit.pk in access.headed_unit_ids


def can_read_any_ledger(access: Access) -> bool:
    return access.reads_everything or bool(access.headed_unit_ids)


def readable_units(access: Access) -> QuerySet[Unit]:
    units = access.units()
    if access.reads_everything:
        return units
    return units.filter(pk__in=access.headed_unit_ids)


# --- the scheme side ----------------------------------------------------------------


def ledger_nodes(scheme: Scheme) -> list[Node]:
    """Nodes an inspection may deduct under: deductions and counted leaves, in file order."""
    return [node for node, _depth in scheme.walk() if node.kind in LEDGER_KINDS]


def subject_kind_for(unit: Unit, person: Person | None) -> str:
    """Which pinned scheme a ledger row is scored by: the person's, the org's or a unit's."""
    if person is not None:
        return SubjectKind.PERSON
    if unit.org_id == unit.pk:
        return SubjectKind.ORGANISATION
    return SubjectKind.UNIT


def scheme_for(year: AssessmentYear, subject_kind: str) -> Scheme | None:
    pin = year_pins(year).get(subject_kind)
    return pin.scheme_version.parsed() if pin else None


@dataclass
class NodeOption:
    node_id: str
    label: str


def node_groups(year: AssessmentYear) -> list[tuple[str, list[NodeOption]]]:
    """The ledger nodes of each pinned scheme, grouped by subject kind for a <select>."""
    labels = dict(SubjectKind.choices)
    groups = []
    for kind, pin in sorted(year_pins(year).items()):
        scheme = pin.scheme_version.parsed()
        options = [NodeOption(n.id, f"{n.name}（{n.id}）") for n in ledger_nodes(scheme)]
        if options:
            groups.append((f"{labels.get(kind, kind)} · {scheme.name}", options))
    return groups


# --- the engine's figure ------------------------------------------------------------


@dataclass
class Deduction:
    node: Node
    raw: Decimal  # Σ points (or per × count) as found
    counted: Decimal  # what the engine takes off after the scheme's cap
    capped: bool

    @property
    def raw_text(self) -> str:
        return plain(self.raw)

    @property
    def counted_text(self) -> str:
        return plain(self.counted)


def engine_deduction(scheme: Scheme, node_id: str, points: Iterable[Decimal]) -> Deduction:
    """Run one ledger node through the engine, alone under a summing root.

    The node keeps every key of the scheme (cap, base, per, fact), so the figure is
    exactly the one the engine takes off when the whole scheme is scored.
    """
    node = scheme.nodes[node_id]
    if node.kind not in LEDGER_KINDS:
        raise ValueError(f"{node_id} is not a deductions or counted node")
    items = list(points)
    root = Node(id=ROOT_ID, name=scheme.root.name, kind=Kind.SUM, parent=None, children=(node_id,))
    alone = Scheme(
        id=scheme.id,
        name=scheme.name,
        version=scheme.version,
        nodes={ROOT_ID: root, node_id: replace(node, parent=ROOT_ID)},
        facts={node.fact: scheme.facts[node.fact]} if node.fact else {},
    )
    if node.kind is Kind.COUNTED:
        values: dict[str, object] = {node.fact or node.id: len(items)}
    else:
        values = {node_id: items}
    result = evaluate(alone, values).root.children[0]
    counted = -result.score if node.base is None else node.base - result.score
    raw = node.per * len(items) if node.kind is Kind.COUNTED else sum(items, ZERO)
    capped = any(cap["rule"] in ("cap", "floor") for cap in result.caps)
    return Deduction(node=node, raw=raw, counted=counted, capped=capped)


# --- the ledger ---------------------------------------------------------------------


def inspections_for(access: Access) -> QuerySet[Inspection]:
    return Inspection.objects.filter(org=access.org)


def inspection_get(access: Access, inspection_id: int) -> Inspection:
    return get_object_or_404(
        inspections_for(access).select_related("unit", "person", "year"), pk=inspection_id
    )


def ledger_unit_get(access: Access, unit_id: int) -> Unit:
    """The unit if it is in the user's organisation (else 404) — readability is the view's."""
    return get_object_or_404(access.units(), pk=unit_id)


def filter_periods(year: AssessmentYear) -> list[Period]:
    """Months, quarters and the year, for the ledger's period filter."""
    kinds = (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR)
    order = {kind: index for index, kind in enumerate(kinds)}
    periods = list(year.periods.filter(kind__in=kinds))
    return sorted(periods, key=lambda p: (order[p.kind], p.number))


@dataclass
class LedgerLine:
    inspection: Inspection
    running: Decimal | None  # None for a voided row: it does not count

    @property
    def points_text(self) -> str:
        return plain(self.inspection.points)

    @property
    def running_text(self) -> str:
        return "—" if self.running is None else plain(self.running)


@dataclass
class LedgerGroup:
    person: Person | None
    node_id: str
    node_name: str
    lines: list[LedgerLine] = field(default_factory=list)
    deduction: Deduction | None = None  # None when the node is not in the pinned scheme


def unit_ledger(
    year: AssessmentYear, unit: Unit, start: date | None = None, end: date | None = None
) -> list[LedgerGroup]:
    """The unit's entries (its own and its people's) in date order, one group per node.

    Each group carries a running raw sum and the engine's figure for the pinned scheme.
    """
    rows = (
        Inspection.objects.filter(year=year, unit=unit)
        .select_related("person", "recorded_by")
        .prefetch_related("evidence")
        .order_by("date", "pk")
    )
    if start and end:
        rows = rows.filter(date__range=(start, end))
    pins = year_pins(year)
    groups: dict[tuple[int | None, str], LedgerGroup] = {}
    schemes: dict[tuple[int | None, str], Scheme | None] = {}
    for row in rows:
        key = (row.person_id, row.node)
        group = groups.get(key)
        if group is None:
            pin = pins.get(subject_kind_for(unit, row.person))
            scheme = pin.scheme_version.parsed() if pin else None
            node = scheme.nodes.get(row.node) if scheme else None
            group = LedgerGroup(
                person=row.person, node_id=row.node, node_name=node.name if node else row.node
            )
            groups[key], schemes[key] = group, scheme
        group.lines.append(LedgerLine(inspection=row, running=None))
    for key, group in groups.items():
        total = ZERO
        points = []
        for line in group.lines:
            if not line.inspection.voided:
                total += line.inspection.points
                line.running = total
                points.append(line.inspection.points)
        scheme = schemes[key]
        if scheme is not None and group.node_id in scheme.nodes:
            group.deduction = engine_deduction(scheme, group.node_id, points)
    return sorted(groups.values(), key=lambda g: (g.person is not None, str(g.person), g.node_id))


@dataclass
class UnitSummary:
    unit: Unit
    entries: int
    raw: Decimal


def ledger_summary(access: Access, year: AssessmentYear) -> list[UnitSummary]:
    """Each readable unit with its count and raw sum of live entries this year (one query)."""
    live = Q(inspections__year=year, inspections__voided=False)
    units = readable_units(access).annotate(
        entries=Count("inspections", filter=live),
        raw=Sum("inspections__points", filter=live),
    )
    return [UnitSummary(unit=u, entries=u.entries, raw=u.raw or ZERO) for u in units]


def recent_inspections(access: Access, year: AssessmentYear, limit: int = 20) -> list[Inspection]:
    rows = inspections_for(access).filter(year=year)
    if not access.reads_everything:
        rows = rows.filter(unit_id__in=access.headed_unit_ids)
    return list(rows.select_related("unit", "person").order_by("-date", "-pk")[:limit])


# --- for the assessments engineer ---------------------------------------------------


def ledger_items(subject, assessment) -> dict[str, list[dict]]:
    """The live ledger entries of a subject in the assessment's period, by node.

    A unit subject takes the rows naming no person; a person subject the rows naming
    them. Every ledger node of the pinned scheme is present, [] when it has no rows,
    so the engine is given an empty ledger rather than a missing value.
    """
    scheme = assessment.scheme_version.parsed()
    nodes = [node.id for node in ledger_nodes(scheme)]
    out: dict[str, list[dict]] = {node_id: [] for node_id in nodes}
    rows = Inspection.objects.filter(
        year_id=assessment.year_id,
        voided=False,
        node__in=nodes,
        date__range=(assessment.period.start, assessment.period.end),
    )
    if subject.person_id:
        rows = rows.filter(person_id=subject.person_id)
    elif subject.unit_id:
        rows = rows.filter(unit_id=subject.unit_id, person__isnull=True)
    else:
        return out  # task forces have no inspection ledger
    for row in rows.order_by("date", "pk"):
        out[row.node].append({"points": row.points, "ref": f"察访核验#{row.pk} {row.date}"})
    return out


# --- project sites ------------------------------------------------------------------


def can_manage_sites(access: Access) -> bool:
    return can_record(access)


def sites_for(access: Access) -> QuerySet[ProjectSite]:
    sites = ProjectSite.objects.filter(org=access.org)
    if not access.reads_everything:
        sites = sites.filter(unit_id__in=access.headed_unit_ids)
    return sites


def site_list(access: Access) -> QuerySet[ProjectSite]:
    return (
        sites_for(access)
        .select_related("unit")
        .annotate(visit_count=Count("visits"))
        .order_by("unit__sort", "name")
    )


def site_get(access: Access, site_id: int) -> ProjectSite:
    """A site of the user's organisation they may read; another org's is a 404."""
    site = get_object_or_404(
        ProjectSite.objects.filter(org=access.org).select_related("unit"), pk=site_id
    )
    if not (access.reads_everything or site.unit_id in access.headed_unit_ids):
        raise PermissionDenied(_("没有查看该项目现场的权限"))
    return site


def site_visits(site: ProjectSite) -> list[SiteVisit]:
    return list(site.visits.select_related("period").prefetch_related("photos").order_by("date"))


def month_periods(org: Unit) -> QuerySet[Period]:
    return Period.objects.filter(year__org=org, kind=PeriodKind.MONTH).order_by("start")


def month_period_get(org: Unit, period_id: int | None) -> Period:
    if period_id is None:
        raise Http404(_("没有这个月份"))
    return get_object_or_404(month_periods(org), pk=period_id)


@dataclass
class Comparison:
    before: SiteVisit | None
    after: SiteVisit | None

    @property
    def change(self) -> Decimal | None:
        if self.before is None or self.after is None:
            return None
        if self.before.figure is None or self.after.figure is None:
            return None
        return self.after.figure - self.before.figure


def site_comparison(
    visits: list[SiteVisit], before_id: int | None, after_id: int | None
) -> Comparison:
    """Two months side by side; by default the last two months with a visit."""
    by_period = {visit.period_id: visit for visit in visits}
    if before_id is None and after_id is None and len(visits) >= 2:
        return Comparison(before=visits[-2], after=visits[-1])
    return Comparison(before=by_period.get(before_id), after=by_period.get(after_id))


def evidence_readable(access: Access, evidence) -> bool:
    """A section head reads the evidence of their units' inspections and site visits.

    Registered in ``jixiao.evidence.selectors``; those who read everything are let
    in there already.
    """
    units = access.headed_unit_ids
    if not units:
        return False
    return (
        Inspection.objects.filter(evidence=evidence, unit_id__in=units).exists()
        or SiteVisit.objects.filter(photos=evidence, site__unit_id__in=units).exists()
    )
