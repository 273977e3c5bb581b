"""过程: the to-do page, monthly plans, progress reports and their review."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jixiao.organisation.access import Access, require_access
from jixiao.progress import selectors as sel
from jixiao.progress.models import MonthlyPlan, PlanStatus, ProgressReport, ReportStatus
from jixiao.progress.services import (
    plan_close,
    plan_create,
    plan_item_add,
    plan_item_remove,
    plan_submit,
    report_review,
    report_submit,
)
from jixiao.targets.selectors import target_detail, targets_visible_to
from jixiao.web.errors import error_lines
from jixiao.web.params import decimal_text, int_param
from jixiao.years.models import Period, PeriodKind
from jixiao.years.selectors import current_year, period_label

LABELS = {
    "file": gettext_lazy("佐证材料"),
    "value": gettext_lazy("完成值"),
    "narrative": gettext_lazy("进展情况"),
    "period": gettext_lazy("月份/旬"),
    "reporter": gettext_lazy("承办人"),
    "review_note": gettext_lazy("审核意见"),
    "status": gettext_lazy("状态"),
    "description": gettext_lazy("计划事项"),
    "target": gettext_lazy("关联目标"),
    "unit": gettext_lazy("单位/指挥组"),
    "items": gettext_lazy("计划事项"),
    "completion": gettext_lazy("完成度"),
    "note": gettext_lazy("完成情况说明"),
}


def today() -> date:
    """The local date (a function, so tests can move the clock)."""
    return timezone.localdate()


def plan_label(plan: MonthlyPlan) -> str:
    """The plan's title (经济发展办 3月计划) in the user's language; __str__ is Chinese."""
    owner = plan.unit or plan.task_force
    return _("%(owner)s %(period)s计划") % {"owner": owner, "period": period_label(plan.period)}


# --- the to-do page ---------------------------------------------------------------------


def _optional_hooks(request: HttpRequest, access: Access) -> tuple[list, list]:
    """Ballots to cast and assessment tasks, from areas that may not be installed yet.

    Guarded imports: the ballots and assessments engineers provide these functions;
    until they land (or if one is removed) the to-do page still works without them.
    """
    ballots: list = []
    assessment_tasks: list = []
    try:
        from jixiao.ballots.selectors import open_ballots_for

        ballots = list(open_ballots_for(request.user))
    except (ImportError, AttributeError):
        pass
    try:
        from jixiao.assessments.selectors import todo_for

        assessment_tasks = list(todo_for(access))
    except (ImportError, AttributeError):
        pass
    return ballots, assessment_tasks


@login_required
def index_view(request: HttpRequest) -> HttpResponse:
    access = require_access(request)
    year = current_year(access)
    now = today()
    todo = sel.todo_for_person(access, year, now)
    ballots, assessment_tasks = _optional_hooks(request, access)
    own = list(sel.handler_targets(access, year).order_by("code")) if year else []
    worst = sel.worst_light_by_target(sel.milestone_lights(own, now)) if own else {}
    context = {
        "year": year,
        "today": now,
        "todo": todo,
        "own_targets": [(t, worst.get(t.pk, sel.GREEN)) for t in own],
        "ballots": ballots,
        "assessment_tasks": assessment_tasks,
        "can_review": access.is_office or bool(access.headed_unit_ids),
        "nothing": not (
            todo.lights
            or todo.returned
            or todo.reviews
            or todo.plans
            or ballots
            or assessment_tasks
        ),
    }
    return render(request, "process/index.html", context)


# --- traffic lights for all visible targets ---------------------------------------------


@login_required
def lights_view(request: HttpRequest) -> HttpResponse:
    access = require_access(request)
    year = current_year(access)
    now = today()
    rows = []
    if year is not None:
        targets = list(targets_visible_to(access, year).select_related("unit").order_by("code"))
        lights = sel.milestone_lights(targets, now)
        by_target: dict[int, list] = {}
        for light in lights:
            by_target.setdefault(light.target.pk, []).append(light)
        rows = [(t, by_target.get(t.pk, [])) for t in targets]
    return render(request, "process/lights.html", {"year": year, "rows": rows, "today": now})


# --- progress reports -------------------------------------------------------------------


def _visible_target(access: Access, target_id: int):
    target = target_detail(access, target_id)
    if target is None:
        raise Http404(_("没有这个目标"))
    return target


@login_required
def target_progress_view(request: HttpRequest, target_id: int) -> HttpResponse:
    """A target's reports and its roll-up: typed values and the sums derived from them."""
    access = require_access(request)
    target = _visible_target(access, target_id)
    rows = [
        row
        for row in sel.rollup(target)
        if row.value is not None or row.period.kind != PeriodKind.DEKAD
    ]
    for row in rows:
        row.text = decimal_text(row.value)
    context = {
        "target": target,
        "rows": rows,
        "reports": sel.reports_for_target(target),
        "can_report": sel.reportable_target(access, target.pk) is not None,
        "can_review": access.can_edit_unit_items(target.unit_id),
    }
    return render(request, "process/target.html", context)


def _report_period(target, periods: list[Period], requested: int | None) -> Period | None:
    if requested:
        return next((p for p in periods if p.pk == requested), None)
    # Default: the first milestone period of the report kind not yet accepted, else today's.
    kind = sel.report_kind(target)
    done = set(
        ProgressReport.objects.filter(target=target)
        .exclude(status=ReportStatus.RETURNED)
        .values_list("period_id", flat=True)
    )
    for milestone in target.milestones.all():
        if milestone.period.kind == kind and milestone.period_id not in done:
            return milestone.period
    now = today()
    return next((p for p in periods if p.kind == kind and p.start <= now <= p.end), None)


@login_required
def report_view(request: HttpRequest, target_id: int) -> HttpResponse:
    """The handler's mobile-first report form (GET) and its submission (POST)."""
    access = require_access(request)
    if sel.reportable_target(access, target_id) is None:
        # Another person's target, another organisation's, or none: the same 404.
        raise Http404(_("没有这个目标，或您不是它的承办人"))
    target = _visible_target(access, target_id)
    periods = list(sel.report_periods(target))
    source = request.POST if request.method == "POST" else request.GET
    period = _report_period(target, periods, int_param(source.get("period")))
    errors: list[str] = []
    value_raw = request.POST.get("value", "").strip()
    if request.method == "POST":
        value = None
        if value_raw:
            try:
                value = Decimal(value_raw)
            except InvalidOperation:
                errors.append(_("完成值：“%(value)s”不是数字") % {"value": value_raw})
        if period is None:
            errors.append(_("月份/旬：请选择本年度的一旬或一个月"))
        if not errors:
            try:
                report_submit(
                    actor=request.user,
                    target=target,
                    period=period,
                    reporter=access.person,
                    value=value,
                    narrative=request.POST.get("narrative", ""),
                    uploads=request.FILES.getlist("files"),
                )
            except ValidationError as exc:
                errors += error_lines(exc, LABELS)
            else:
                messages.success(
                    request,
                    _("已报送 %(code)s %(period)s的进度")
                    % {"code": target.code, "period": period_label(period)},
                )
                return redirect("process:target", target_id=target.pk)
    existing = (
        ProgressReport.objects.filter(target=target, period=period)
        .prefetch_related("evidence")
        .first()
        if period
        else None
    )
    prefill = sel.prefill_value(target, period) if period else None
    context = {
        "target": target,
        "periods": periods,
        "period": period,
        "kind": sel.report_kind(target),
        "existing": existing,
        "value": value_raw if request.method == "POST" else decimal_text(prefill),
        "prefilled_from_finer": existing is None and prefill is not None,
        "narrative": request.POST.get("narrative", existing.narrative if existing else ""),
        "errors": errors,
        "locked": existing is not None and existing.status == ReportStatus.ACCEPTED,
    }
    return render(request, "process/report.html", context, status=400 if errors else 200)


@login_required
def reviews_view(request: HttpRequest) -> HttpResponse:
    access = require_access(request)
    if not (access.is_office or access.headed_unit_ids):
        raise PermissionDenied(_("只有绩效办或科室负责人可以审核进度报告"))
    reports = list(
        sel.reviewable_reports(access).filter(status=ReportStatus.SUBMITTED).order_by("created_at")
    )
    for report in reports:
        report.text = decimal_text(report.value)
    return render(request, "process/reviews.html", {"reports": reports})


@login_required
@require_POST
def review_view(request: HttpRequest, report_id: int) -> HttpResponse:
    access = require_access(request)
    report = sel.reviewable_reports(access).filter(pk=report_id).first()
    if report is None:
        raise Http404(_("没有这份报告，或不属于您负责的科室"))
    accept = request.POST.get("decision") == "accept"
    try:
        report_review(
            actor=request.user, report=report, accept=accept, note=request.POST.get("note", "")
        )
    except ValidationError as exc:
        for error in error_lines(exc, LABELS):
            messages.error(request, error)
    else:
        verdict = _("审核通过") if accept else _("退回修改")
        messages.success(
            request,
            _("%(code)s %(period)s：%(verdict)s")
            % {
                "code": report.target.code,
                "period": period_label(report.period),
                "verdict": verdict,
            },
        )
    if request.POST.get("next") == "target":
        return redirect("process:target", target_id=report.target_id)
    return redirect("process:reviews")


# --- monthly plans ----------------------------------------------------------------------


@login_required
def plan_list_view(request: HttpRequest) -> HttpResponse:
    access = require_access(request)
    year = current_year(access)
    context: dict = {"year": year}
    if year is not None:
        month_list = list(sel.months(year))
        chosen = int_param(request.GET.get("month"))
        month = next((m for m in month_list if m.pk == chosen), None) or sel.month_of(year, today())
        month = month or (month_list[0] if month_list else None)
        plans = sel.plan_list(access, month) if month else []
        for plan in plans:
            done = [i.completion for i in plan.items.all() if i.completion is not None]
            plan.average = round(sum(done) / len(done)) if done else 0
        filed_units = {p.unit_id for p in plans}
        filed_forces = {p.task_force_id for p in plans}
        context.update(
            months=month_list,
            month=month,
            plans=plans,
            new_units=[u for u in sel.plan_units(access) if u.pk not in filed_units],
            new_forces=[f for f in sel.plan_task_forces(access) if f.pk not in filed_forces],
        )
    return render(request, "process/plans.html", context)


@login_required
@require_POST
def plan_create_view(request: HttpRequest) -> HttpResponse:
    access = require_access(request)
    year = current_year(access)
    if year is None:
        raise Http404(_("尚未创建考核年度"))
    month = sel.months(year).filter(pk=int_param(request.POST.get("month")) or 0).first()
    owner = request.POST.get("owner", "")
    kind, _sep, raw_id = owner.partition(":")
    unit = task_force = None
    if kind == "unit":
        unit = sel.plan_units(access).filter(pk=int_param(raw_id) or 0).first()
    elif kind == "tf":
        task_force = sel.plan_task_forces(access).filter(pk=int_param(raw_id) or 0).first()
    if unit is None and task_force is None:
        raise PermissionDenied(_("只能为本人负责的科室或指挥组报送计划"))
    if month is None:
        messages.error(request, _("月份：请选择本年度的一个月份"))
        return redirect("process:plans")
    try:
        plan = plan_create(
            actor=request.user, year=year, period=month, unit=unit, task_force=task_force
        )
    except ValidationError as exc:
        for error in error_lines(exc, LABELS):
            messages.error(request, error)
        return redirect(f"{reverse('process:plans')}?month={month.pk}")
    return redirect("process:plan", plan_id=plan.pk)


def _plan(access: Access, plan_id: int, *, manage: bool = False) -> MonthlyPlan:
    plan = sel.plan_get(access, plan_id)
    if plan is None:
        raise Http404(_("没有这份计划"))
    if manage and not sel.can_manage_plan(access, plan):
        raise PermissionDenied(_("只能修改本人负责的科室或指挥组的计划"))
    return plan


@login_required
def plan_view(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The plan; its manager adds items while it is a draft (POST adds one item)."""
    access = require_access(request)
    plan = _plan(access, plan_id, manage=request.method == "POST")
    errors: list[str] = []
    if request.method == "POST":
        target = None
        target_id = int_param(request.POST.get("target"))
        if target_id:
            target = targets_visible_to(access, plan.year).filter(pk=target_id).first()
            if target is None:
                errors.append(_("关联目标：请选择本年度的一个目标"))
        if not errors:
            try:
                plan_item_add(
                    actor=request.user,
                    plan=plan,
                    description=request.POST.get("description", ""),
                    target=target,
                )
            except ValidationError as exc:
                errors += error_lines(exc, LABELS)
            else:
                return redirect("process:plan", plan_id=plan.pk)
        plan = _plan(access, plan_id)
    can_manage = sel.can_manage_plan(access, plan)
    context = {
        "plan": plan,
        "items": list(plan.items.all()),
        "can_manage": can_manage,
        "is_draft": plan.status == PlanStatus.DRAFT,
        "targets": (
            targets_visible_to(access, plan.year).order_by("code")
            if can_manage and plan.status == PlanStatus.DRAFT
            else []
        ),
        "errors": errors,
        "description": request.POST.get("description", ""),
    }
    return render(request, "process/plan.html", context, status=400 if errors else 200)


@login_required
@require_POST
def plan_item_remove_view(request: HttpRequest, plan_id: int, item_id: int) -> HttpResponse:
    access = require_access(request)
    plan = _plan(access, plan_id, manage=True)
    item = next((i for i in plan.items.all() if i.pk == item_id), None)
    if item is None:
        raise Http404(_("没有这个计划事项"))
    try:
        plan_item_remove(actor=request.user, item=item)
    except ValidationError as exc:
        for error in error_lines(exc, LABELS):
            messages.error(request, error)
    return redirect("process:plan", plan_id=plan.pk)


@login_required
@require_POST
def plan_submit_view(request: HttpRequest, plan_id: int) -> HttpResponse:
    access = require_access(request)
    plan = _plan(access, plan_id, manage=True)
    try:
        plan_submit(actor=request.user, plan=plan)
    except ValidationError as exc:
        for error in error_lines(exc, LABELS):
            messages.error(request, error)
    else:
        messages.success(request, _("已报送%(plan)s") % {"plan": plan_label(plan)})
    return redirect("process:plan", plan_id=plan.pk)


@login_required
def plan_close_view(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Month end: completion (%) and a note per item, then the plan is closed."""
    access = require_access(request)
    plan = _plan(access, plan_id, manage=True)
    if plan.status != PlanStatus.SUBMITTED:
        messages.error(request, _("只有已报送的计划可以月底结账"))
        return redirect("process:plan", plan_id=plan.pk)
    items = list(plan.items.all())
    errors: list[str] = []
    if request.method == "POST":
        completions: dict[int, tuple[int | None, str]] = {}
        for number, item in enumerate(items, start=1):
            raw = request.POST.get(f"completion-{item.pk}", "").strip()
            completion = int(raw) if raw.isdigit() else None
            if raw and completion is None:
                errors.append(
                    _("完成度：第 %(number)s 项“%(value)s”不是 0–100 的整数")
                    % {"number": number, "value": raw}
                )
            completions[item.pk] = (completion, request.POST.get(f"note-{item.pk}", ""))
            item.completion_raw = raw
            item.note_raw = request.POST.get(f"note-{item.pk}", "")
        if not errors:
            try:
                plan_close(actor=request.user, plan=plan, completions=completions)
            except ValidationError as exc:
                errors += error_lines(exc, LABELS)
            else:
                messages.success(request, _("%(plan)s已结账") % {"plan": plan_label(plan)})
                return redirect("process:plan", plan_id=plan.pk)
    context = {"plan": plan, "items": items, "errors": errors}
    return render(request, "process/plan_close.html", context, status=400 if errors else 200)
