"""Reads for plans, progress reports, roll-ups and traffic lights.

Roll-up rule ("a fact is typed once"): values are *added up* going coarser — a
month is the SUM of its dekads, a quarter the SUM of its months, a half and the
year the SUM of their quarters. A value typed for a month itself wins over the
sum of its dekads. Returned reports do not count (the section head rejected
them). Targets whose measure is a running level rather than an amount should be
reported per month with the month's own value.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet

from jixiao.organisation.access import Access
from jixiao.organisation.models import TaskForce, Unit, UnitKind
from jixiao.progress.models import MonthlyPlan, PlanStatus, ProgressReport, ReportStatus
from jixiao.targets.models import Assignment, Milestone, Responsibility, Target
from jixiao.years.models import AssessmentYear, Period, PeriodKind

YELLOW_DAYS = 3  # a milestone due within this many days (inclusive) turns yellow

# --- roll-up ---------------------------------------------------------------------------


@dataclass
class PeriodValue:
    period: Period
    value: Decimal | None
    derived: bool  # summed from finer reports, not typed for this period
    report: ProgressReport | None = None


def _sum(values: Iterable[Decimal | None]) -> Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present, Decimal(0)) if present else None


def rollup(target: Target) -> list[PeriodValue]:
    """Every dekad, month, quarter, half and the year of the target's year, with values.

    Two queries. Finer periods come before the coarser period that contains them.
    """
    # By end, then latest start first: 3月上中下旬, 3月, 第一季度 … 12月, 第四季度, 下半年, 年度.
    periods = list(Period.objects.filter(year_id=target.year_id).order_by("end", "-start"))
    reports = {
        r.period_id: r
        for r in ProgressReport.objects.filter(target=target).exclude(status=ReportStatus.RETURNED)
    }
    by_kind: dict[str, list[Period]] = {}
    for period in periods:
        by_kind.setdefault(period.kind, []).append(period)
    values: dict[int, PeriodValue] = {}

    def typed(period: Period) -> PeriodValue:
        report = reports.get(period.pk)
        return PeriodValue(period, report.value if report else None, False, report)

    def derive(period: Period, finer_kind: str) -> PeriodValue:
        parts = [
            values[p.pk]
            for p in by_kind.get(finer_kind, [])
            if period.start <= p.start and p.end <= period.end
        ]
        return PeriodValue(period, _sum(v.value for v in parts), True)

    for dekad in by_kind.get(PeriodKind.DEKAD, []):
        values[dekad.pk] = typed(dekad)
    for month in by_kind.get(PeriodKind.MONTH, []):
        own = typed(month)
        values[month.pk] = own if own.report is not None else derive(month, PeriodKind.DEKAD)
    for kind, finer in (
        (PeriodKind.QUARTER, PeriodKind.MONTH),
        (PeriodKind.HALF, PeriodKind.QUARTER),
        (PeriodKind.YEAR, PeriodKind.QUARTER),
    ):
        for period in by_kind.get(kind, []):
            values[period.pk] = derive(period, finer)
    return [values[p.pk] for p in periods if p.pk in values]


def prefill_value(target: Target, period: Period) -> Decimal | None:
    """The value a report form starts with: the typed one, else the sum of finer reports."""
    for row in rollup(target):
        if row.period.pk == period.pk:
            return row.value
    return None


# --- traffic lights ---------------------------------------------------------------------

GREEN, YELLOW, RED = "green", "yellow", "red"


@dataclass
class Light:
    milestone: Milestone
    target: Target
    colour: str
    reported: bool
    days_left: int  # negative when overdue

    @property
    def due(self) -> date:
        return self.milestone.period.end

    @property
    def overdue_days(self) -> int:
        return max(0, -self.days_left)


def colour_for(*, due: date, today: date, reported: bool) -> str:
    if reported:
        return GREEN
    days = (due - today).days
    if days < 0:
        return RED
    return YELLOW if days <= YELLOW_DAYS else GREEN


def _reported_periods(target_ids: list[int]) -> dict[int, set[int]]:
    """Target id → ids of periods with a live (not returned) report."""
    out: dict[int, set[int]] = {}
    rows = (
        ProgressReport.objects.filter(target_id__in=target_ids)
        .exclude(status=ReportStatus.RETURNED)
        .values_list("target_id", "period_id")
    )
    for target_id, period_id in rows:
        out.setdefault(target_id, set()).add(period_id)
    return out


def milestone_lights(targets: Iterable[Target] | QuerySet[Target], today: date) -> list[Light]:
    """A light per milestone of the targets, by due date (two or three queries).

    A month milestone also counts as reported when all the month's dekads are.
    """
    targets = list(targets)
    by_id = {t.pk: t for t in targets}
    milestones = list(
        Milestone.objects.filter(target_id__in=by_id)
        .select_related("period")
        .order_by("period__end", "target__code")
    )
    reported = _reported_periods(list(by_id))
    dekads_of_month: dict[int, list[int]] = {}
    year_ids = {t.year_id for t in targets}
    if any(m.period.kind == PeriodKind.MONTH for m in milestones):
        dekads = Period.objects.filter(year_id__in=year_ids, kind=PeriodKind.DEKAD)
        months = Period.objects.filter(year_id__in=year_ids, kind=PeriodKind.MONTH)
        month_ids = {(m.year_id, m.number): m.pk for m in months}
        for dekad in dekads:
            month_id = month_ids.get((dekad.year_id, (dekad.number - 1) // 3 + 1))
            dekads_of_month.setdefault(month_id, []).append(dekad.pk)
    lights = []
    for milestone in milestones:
        done = reported.get(milestone.target_id, set())
        is_reported = milestone.period_id in done or (
            milestone.period.kind == PeriodKind.MONTH
            and bool(dekads_of_month.get(milestone.period_id))
            and all(d in done for d in dekads_of_month[milestone.period_id])
        )
        due = milestone.period.end
        lights.append(
            Light(
                milestone=milestone,
                target=by_id[milestone.target_id],
                colour=colour_for(due=due, today=today, reported=is_reported),
                reported=is_reported,
                days_left=(due - today).days,
            )
        )
    return lights


def worst_light_by_target(lights: Iterable[Light]) -> dict[int, str]:
    """Target id → its worst colour (red over yellow over green), for list badges."""
    rank = {GREEN: 0, YELLOW: 1, RED: 2}
    worst: dict[int, str] = {}
    for light in lights:
        current = worst.get(light.target.pk, GREEN)
        worst[light.target.pk] = max(current, light.colour, key=rank.__getitem__)
    return worst


# --- reports ----------------------------------------------------------------------------


def report_kind(target: Target) -> str:
    """Dekad when any of the target's milestones is a dekad, else month."""
    has_dekads = any(m.period.kind == PeriodKind.DEKAD for m in target.milestones.all())
    return PeriodKind.DEKAD if has_dekads else PeriodKind.MONTH


def _handled(access: Access) -> QuerySet[Target]:
    """Targets of the organisation the user's person is 承办人 for (any year)."""
    if access.person is None:
        return Target.objects.none()
    own = Assignment.objects.filter(
        person=access.person, responsibility=Responsibility.HANDLER
    ).values("target_id")
    return Target.objects.filter(org=access.org, pk__in=own)


def handler_targets(access: Access, year: AssessmentYear) -> QuerySet[Target]:
    """Targets the user's person is 承办人 for (the ones they report on)."""
    return _handled(access).filter(year=year)


def reportable_target(access: Access, target_id: int) -> Target | None:
    """The target if the user is its handler (any year of their organisation)."""
    return _handled(access).filter(pk=target_id).select_related("unit", "year").first()


def reviewable_reports(access: Access) -> QuerySet[ProgressReport]:
    """Reports the user may review: the office all, a section head their sections'."""
    reports = ProgressReport.objects.filter(target__org=access.org)
    if not access.is_office:
        reports = reports.filter(target__unit_id__in=access.headed_unit_ids)
    return reports.select_related("target__unit", "period", "reporter").prefetch_related("evidence")


def reports_for_target(target: Target) -> QuerySet[ProgressReport]:
    return (
        ProgressReport.objects.filter(target=target)
        .select_related("period", "reporter")
        .prefetch_related("evidence")
        .order_by("-period__start", "period__end")
    )


def report_periods(target: Target) -> QuerySet[Period]:
    return Period.objects.filter(
        year_id=target.year_id, kind__in=(PeriodKind.DEKAD, PeriodKind.MONTH)
    ).order_by("start", "end")


# --- plans ------------------------------------------------------------------------------

PLAN_UNIT_KINDS = (UnitKind.SECTION, UnitKind.STATION, UnitKind.VILLAGE, UnitKind.COMMITTEE)


def plan_units(access: Access) -> QuerySet[Unit]:
    """Units whose plans the user files: all for the office, own sections for a head."""
    units = access.units().filter(kind__in=PLAN_UNIT_KINDS).order_by("sort", "code")
    return units if access.is_office else units.filter(pk__in=access.headed_unit_ids)


def plan_task_forces(access: Access) -> QuerySet[TaskForce]:
    """Task forces whose plans the user files: all for the office, led ones for a leader."""
    forces = TaskForce.objects.filter(org=access.org).order_by("name")
    if access.is_office:
        return forces
    if access.person is None:
        return forces.none()
    return forces.filter(leader=access.person)


def can_manage_plan(access: Access, plan: MonthlyPlan) -> bool:
    if plan.year.org_id != access.org.pk:
        return False
    if access.is_office:
        return True
    if plan.unit_id is not None:
        return plan.unit_id in access.headed_unit_ids
    return access.person is not None and plan.task_force.leader_id == access.person.pk


def plans_visible_to(access: Access) -> QuerySet[MonthlyPlan]:
    """Readers see all; others their sections', own unit's and own task forces' plans."""
    plans = MonthlyPlan.objects.filter(year__org=access.org)
    if access.reads_everything:
        return plans
    visible = Q(unit_id__in=access.headed_unit_ids)
    if access.person is not None:
        visible |= Q(unit_id=access.person.unit_id)
        visible |= Q(task_force__leader=access.person) | Q(task_force__members=access.person)
    return plans.filter(visible).distinct()


def plan_list(access: Access, month: Period) -> list[MonthlyPlan]:
    """The month's visible plans with owners and items (three queries)."""
    return list(
        plans_visible_to(access)
        .filter(period=month)
        .select_related("unit", "task_force__leader", "period", "year")
        .prefetch_related("items__target")
        .order_by("unit__sort", "unit__code", "task_force__name")
    )


def plan_get(access: Access, plan_id: int) -> MonthlyPlan | None:
    return (
        plans_visible_to(access)
        .select_related("unit", "task_force__leader", "period", "year__org")
        .prefetch_related("items__target")
        .filter(pk=plan_id)
        .first()
    )


def months(year: AssessmentYear) -> QuerySet[Period]:
    return Period.objects.filter(year=year, kind=PeriodKind.MONTH).order_by("number")


def month_of(year: AssessmentYear, day: date) -> Period | None:
    return months(year).filter(start__lte=day, end__gte=day).first()


# --- the to-do page ---------------------------------------------------------------------


@dataclass
class PlanTodo:
    owner: Unit | TaskForce
    month: Period
    plan: MonthlyPlan | None
    action: str  # "file" (create/submit) or "close"


@dataclass
class Todo:
    lights: list[Light] = field(default_factory=list)  # own reports due (yellow/red)
    returned: list[ProgressReport] = field(default_factory=list)  # own reports sent back
    reviews: list[ProgressReport] = field(default_factory=list)
    plans: list[PlanTodo] = field(default_factory=list)


def _plan_todos(access: Access, year: AssessmentYear, today: date) -> list[PlanTodo]:
    """Plans to file this month and last month's plans to close (two or three queries)."""
    owners: list[Unit | TaskForce] = []
    if access.headed_unit_ids or access.person is not None:
        # The office files for everyone but is not nagged about every unit.
        heads = plan_units(access) if not access.is_office else Unit.objects.none()
        owners = [*heads, *plan_task_forces(access).filter(leader=access.person)]
    if not owners:
        return []
    month_list = list(months(year).filter(start__lte=today))
    if not month_list:
        return []
    current = month_list[-1]
    previous = month_list[-2] if len(month_list) > 1 else None
    wanted = [current] + ([previous] if previous else [])
    plans = MonthlyPlan.objects.filter(period__in=wanted).filter(
        Q(unit__in=[o for o in owners if isinstance(o, Unit)])
        | Q(task_force__in=[o for o in owners if isinstance(o, TaskForce)])
    )
    found = {(p.period_id, p.unit_id, p.task_force_id): p for p in plans}
    todos = []
    for owner in owners:

        def key(month: Period, owner=owner) -> tuple:
            if isinstance(owner, Unit):
                return (month.pk, owner.pk, None)
            return (month.pk, None, owner.pk)

        if previous is not None:
            plan = found.get(key(previous))
            if plan is not None and plan.status == PlanStatus.SUBMITTED:
                todos.append(PlanTodo(owner, previous, plan, "close"))
        plan = found.get(key(current))
        if plan is None or plan.status == PlanStatus.DRAFT:
            todos.append(PlanTodo(owner, current, plan, "file"))
        elif plan.status == PlanStatus.SUBMITTED and (current.end - today).days <= YELLOW_DAYS:
            todos.append(PlanTodo(owner, current, plan, "close"))
    return todos


def todo_for_person(access: Access, year: AssessmentYear | None, today: date) -> Todo:
    todo = Todo()
    if year is None:
        return todo
    own = list(handler_targets(access, year).order_by("code"))
    todo.lights = [light for light in milestone_lights(own, today) if light.colour in (YELLOW, RED)]
    todo.returned = list(
        ProgressReport.objects.filter(target__in=own, status=ReportStatus.RETURNED)
        .select_related("target", "period")
        .order_by("period__start")
    )
    if access.is_office or access.headed_unit_ids:
        todo.reviews = list(
            reviewable_reports(access)
            .filter(status=ReportStatus.SUBMITTED, target__year=year)
            .order_by("created_at")
        )
    todo.plans = _plan_todos(access, year, today)
    return todo
