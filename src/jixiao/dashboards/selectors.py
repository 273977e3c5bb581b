"""Reads for the dashboards: published results only, scoped to the user's organisation.

Who sees which dashboard:
- the overview of every unit: those who read everything (office, leadership group,
  principal leaders);
- a unit's dashboard: those, and the section head of the unit (or a unit above it);
- a person's dashboard: those, the head of the person's unit, and the person;
- another organisation's unit, person or subject: 404; one of the organisation's
  that the user may not see: 403.

Only assessments under public notice or final count: before that a total may
still move, and a chart must never show a figure the results page does not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from jixiao.assessments.models import Assessment, Subject, Veto, VetoStatus
from jixiao.dashboards import charts
from jixiao.inspections.models import Inspection
from jixiao.organisation.access import Access
from jixiao.organisation.models import Person, Unit
from jixiao.progress.selectors import milestone_lights, worst_light_by_target
from jixiao.rankings.selectors import (
    PUBLISHED_STATUSES,
    RankedSubject,
    published_assessments,
    rank_subjects,
)
from jixiao.targets.models import Assignment, Target
from jixiao.years.models import AssessmentYear, SubjectKind
from jixiao.years.selectors import period_label

# --- permissions ----------------------------------------------------------------------


def can_see_unit(access: Access, unit: Unit) -> bool:
    return access.reads_everything or unit.pk in access.headed_unit_ids


def can_see_person(access: Access, person: Person) -> bool:
    own = access.person is not None and access.person.pk == person.pk
    return own or access.reads_everything or person.unit_id in access.headed_unit_ids


def can_see_subject(access: Access, subject: Subject) -> bool:
    if subject.unit_id is not None:
        return can_see_unit(access, subject.unit)
    if subject.person_id is not None:
        return can_see_person(access, subject.person)
    # A task force: readers, and its leader and members.
    if access.reads_everything:
        return True
    person = access.person
    if person is None:
        return False
    task_force = subject.task_force
    return task_force.leader_id == person.pk or task_force.members.filter(pk=person.pk).exists()


def unit_get(access: Access, unit_id: int) -> Unit:
    unit = get_object_or_404(access.units(), pk=unit_id)
    if not can_see_unit(access, unit):
        raise PermissionDenied(_("没有查看该单位绩效看板的权限"))
    return unit


def person_get(access: Access, person_id: int) -> Person:
    person = get_object_or_404(access.people().select_related("unit"), pk=person_id)
    if not can_see_person(access, person):
        raise PermissionDenied(_("没有查看该人员绩效看板的权限"))
    return person


def published_subjects(access: Access) -> QuerySet[Subject]:
    return Subject.objects.filter(
        assessment__year__org=access.org, assessment__status__in=PUBLISHED_STATUSES
    ).select_related("assessment__period", "assessment__scheme_version", "unit", "person")


def subject_get(access: Access, subject_id: int) -> Subject:
    """A published subject of the organisation the user may see (404 / 403 otherwise)."""
    subject = get_object_or_404(
        published_subjects(access).select_related("task_force", "person__unit"), pk=subject_id
    )
    if not can_see_subject(access, subject):
        raise PermissionDenied(_("没有查看该考核结果的权限"))
    return subject


def my_dashboard(access: Access) -> tuple[str, int] | None:
    """Where the user's "my dashboard" link goes: ("overview" | "unit" | "person", id)."""
    if access.reads_everything:
        return ("overview", 0)
    if access.headed_unit_ids:
        units = access.units().filter(pk__in=access.headed_unit_ids).order_by("sort", "code")
        top = units.values_list("pk", flat=True).first()
        if top is not None:
            return ("unit", top)
    if access.person is not None:
        return ("person", access.person.pk)
    return None


# --- one unit's or person's dashboard -------------------------------------------------


@dataclass
class Dashboard:
    year: AssessmentYear
    subjects: list[Subject]  # published, period order
    trend: list[charts.TrendPoint]
    latest: Subject | None
    radar: list[charts.RadarAxis]
    grades: list[charts.GradeCount]
    progress: charts.ProgressSummary
    deductions: list[charts.MonthDeduction]
    chart_data: dict = field(default_factory=dict)


def _history(access: Access, year: AssessmentYear, **owner) -> list[Subject]:
    subjects = list(published_subjects(access).filter(assessment__year=year, **owner))
    subjects.sort(key=lambda s: (s.assessment.period.end, -s.assessment.period.start.toordinal()))
    return subjects


def _peers(assessment_ids: list[int]) -> dict[int, list[Subject]]:
    """Every scored subject of the given assessments, by assessment (one query)."""
    out: dict[int, list[Subject]] = {pk: [] for pk in assessment_ids}
    rows = Subject.objects.filter(assessment_id__in=assessment_ids, total__isnull=False).only(
        "pk", "assessment_id", "total", "grade", "breakdown"
    )
    for subject in rows:
        out[subject.assessment_id].append(subject)
    return out


def grade_bands(assessment: Assessment) -> list[str]:
    return [band.name for band in assessment.scheme_version.parsed().grades]


def dashboard(
    access: Access,
    year: AssessmentYear,
    *,
    today: date,
    unit: Unit | None = None,
    person: Person | None = None,
) -> Dashboard:
    """Trend, radar against the average, grade distribution, target lights and deductions."""
    owner = {"unit": unit} if unit is not None else {"person": person}
    subjects = _history(access, year, **owner)
    peers = _peers([s.assessment_id for s in subjects])
    trend = [
        charts.TrendPoint(
            label=period_label(s.assessment.period),
            assessment_id=s.assessment_id,
            subject_id=s.pk,
            total=s.total,
            grade=s.grade,
            rank=s.rank,
            average=charts.mean(p.total for p in peers[s.assessment_id]),
        )
        for s in subjects
    ]
    scored = [s for s in subjects if s.total is not None]
    latest = scored[-1] if scored else None
    radar: list[charts.RadarAxis] = []
    grades: list[charts.GradeCount] = []
    if latest is not None:
        peer_rows = peers[latest.assessment_id]
        if latest.breakdown and latest.breakdown.get("tree"):
            radar = charts.radar(
                latest.breakdown["tree"],
                [p.breakdown["tree"] for p in peer_rows if p.breakdown and p.breakdown.get("tree")],
            )
        grades = charts.grade_distribution(
            [p.grade for p in peer_rows], grade_bands(latest.assessment), latest.grade
        )
    board = Dashboard(
        year=year,
        subjects=subjects,
        trend=trend,
        latest=latest,
        radar=radar,
        grades=grades,
        progress=target_progress(year, today=today, **owner),
        deductions=deductions(year, **owner),
    )
    board.chart_data = chart_data(board)
    return board


def chart_data(board: Dashboard) -> dict:
    own, average = _("本单位/本人"), _("全镇平均")
    return {
        "trend": charts.trend_chart(board.trend, _("总分"), average),
        "radar": charts.radar_chart(board.radar, own, average),
        "grades": charts.grade_chart(board.grades, _("人数/单位数")),
        "progress": charts.progress_chart(
            board.progress, {"green": _("正常"), "yellow": _("临近"), "red": _("逾期")}
        ),
        "deductions": charts.deductions_chart(board.deductions, _("扣分"), _("次数")),
    }


def target_progress(
    year: AssessmentYear, *, today: date, unit: Unit | None = None, person: Person | None = None
) -> charts.ProgressSummary:
    """Each target of the unit (or of the person, any responsibility) with its worst light."""
    targets = Target.objects.filter(year=year).order_by("code")
    if unit is not None:
        targets = targets.filter(unit=unit)
    else:
        targets = targets.filter(pk__in=Assignment.objects.filter(person=person).values("target"))
    targets = list(targets)
    lights = milestone_lights(targets, today)
    worst = worst_light_by_target(lights)
    next_due: dict[int, date] = {}
    for light in lights:
        if not light.reported and light.target.pk not in next_due:
            next_due[light.target.pk] = light.due
    return charts.ProgressSummary(
        rows=[charts.TargetLight(t, worst.get(t.pk, ""), next_due.get(t.pk)) for t in targets]
    )


def deductions(
    year: AssessmentYear, *, unit: Unit | None = None, person: Person | None = None
) -> list[charts.MonthDeduction]:
    """The live inspection ledger by month: a unit's own rows, or a person's."""
    rows = Inspection.objects.filter(year=year, voided=False)
    rows = (
        rows.filter(unit=unit, person__isnull=True)
        if unit is not None
        else rows.filter(person=person)
    )
    return charts.deductions_by_month(
        rows.values_list("date", "points"), year.year, lambda m: _("%(month)s月") % {"month": m}
    )


# --- the leader's overview ------------------------------------------------------------

KIND_ORDER = (
    SubjectKind.ORGANISATION,
    SubjectKind.UNIT,
    SubjectKind.TASK_FORCE,
    SubjectKind.PERSON,
)


@dataclass
class Board:
    """The latest published assessment of one kind of subject, ranked."""

    assessment: Assessment
    period_label: str
    kind_label: str
    rows: list[RankedSubject]
    average: Decimal | None
    grades: list[charts.GradeCount]
    chart: dict

    # Element ids of the json_script blocks the page's charts read.
    @property
    def rank_chart_id(self) -> str:
        return f"chart-rank-{self.assessment.subject_kind}"

    @property
    def grades_chart_id(self) -> str:
        return f"chart-grades-{self.assessment.subject_kind}"

    @property
    def grades_chart(self) -> dict:
        return charts.grade_chart(self.grades, _("数量"))


def overview(access: Access, year: AssessmentYear) -> list[Board]:
    """Per kind of subject, its latest published assessment with every subject ranked.

    Latest: the latest end date, then the longest period (a quarter over its last
    month). Two queries, however many units.
    """
    assessments = published_assessments(access, year).select_related("scheme_version__scheme")
    latest: dict[str, Assessment] = {}
    for a in sorted(assessments, key=lambda a: (a.period.end, -a.period.start.toordinal())):
        latest[a.subject_kind] = a
    subjects = Subject.objects.filter(assessment__in=list(latest.values())).select_related(
        "unit", "person", "task_force"
    )
    by_assessment: dict[int, list[Subject]] = {a.pk: [] for a in latest.values()}
    for subject in subjects:
        by_assessment[subject.assessment_id].append(subject)
    kind_labels = dict(SubjectKind.choices)
    boards = []
    for kind in KIND_ORDER:
        assessment = latest.get(kind)
        if assessment is None:
            continue
        rows = rank_subjects(by_assessment[assessment.pk])
        for row in rows:
            row.subject.assessment = assessment
        scored = [r.subject for r in rows if r.subject.total is not None]
        average = charts.mean(s.total for s in scored)
        boards.append(
            Board(
                assessment=assessment,
                period_label=period_label(assessment.period),
                kind_label=str(kind_labels.get(kind, kind)),
                rows=rows,
                average=average,
                grades=charts.grade_distribution(
                    [s.grade for s in scored], grade_bands(assessment)
                ),
                chart=charts.bar_chart(
                    [s.label for s in scored], [s.total for s in scored], _("总分"), average
                )
                # A bar opens the breakdown of its score, like the total in the table.
                | {"links": [reverse("dashboards:subject", args=[s.pk]) for s in scored]},
            )
        )
    return boards


# --- drill-down: why 88.1 -------------------------------------------------------------

# The ledger's reference in a breakdown: "察访核验#12 2026-05-12" (inspections.selectors).
INSPECTION_REF = re.compile(r"察访核验#(\d+)")


@dataclass
class EvidenceRef:
    text: str
    inspection: Inspection | None = None


def _walk(node: dict):
    yield node
    for child in node.get("children", []):
        yield from _walk(child)


def inspection_ids(tree: dict) -> set[int]:
    ids = set()
    for node in _walk(tree):
        for ref in node.get("evidence", []):
            match = INSPECTION_REF.search(str(ref))
            if match:
                ids.add(int(match.group(1)))
    return ids


def annotate_tree(tree: dict, inspections: dict[int, Inspection]) -> dict:
    """A copy of the breakdown tree whose nodes carry ``refs``: each evidence line with
    the ledger row (and so the files) it names, when it names one."""
    node = dict(tree)
    refs = []
    for ref in tree.get("evidence", []):
        match = INSPECTION_REF.search(str(ref))
        found = inspections.get(int(match.group(1))) if match else None
        refs.append(EvidenceRef(str(ref), found))
    node["refs"] = refs
    node["children"] = [annotate_tree(c, inspections) for c in tree.get("children", [])]
    return node


@dataclass
class Drilldown:
    subject: Subject
    period_label: str
    tree: dict | None
    breakdown: dict
    vetoes: list[Veto]


def drilldown(access: Access, subject: Subject) -> Drilldown:
    """The stored breakdown with every evidence reference resolved (three queries)."""
    breakdown = subject.breakdown or {}
    tree = breakdown.get("tree")
    inspections: dict[int, Inspection] = {}
    if tree:
        rows = Inspection.objects.filter(org=access.org, pk__in=inspection_ids(tree))
        inspections = {i.pk: i for i in rows.select_related("unit").prefetch_related("evidence")}
    vetoes = list(
        Veto.objects.filter(subject=subject, status=VetoStatus.APPROVED).prefetch_related(
            "evidence"
        )
    )
    return Drilldown(
        subject=subject,
        period_label=period_label(subject.assessment.period),
        tree=annotate_tree(tree, inspections) if tree else None,
        breakdown=breakdown,
        vetoes=vetoes,
    )


# --- rectification (整改), tracked on the dashboards ----------------------------------


def unit_rectification(summary: dict, unit: Unit) -> dict:
    """``rectification_summary`` narrowed to one unit, counts recomputed from its items.

    The summary names units by name (its rows carry no unit id), so the match is on it.
    """
    items = [item for item in summary["items"] if item["unit"] == unit.name]
    return {
        "total": len(items),
        "open": sum(1 for i in items if i["status"] != "closed"),
        "overdue": sum(1 for i in items if i["overdue"]),
        "closed": sum(1 for i in items if i["status"] == "closed"),
        "items": items,
    }
