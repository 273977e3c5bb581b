"""整改: rectification items — list, raise (from an inspection finding or a weak
indicator), detail with evidence, and the owner → office status actions.

Who does what: the office raises, closes, reopens and carries items forward;
the owner uploads evidence and submits; leaders and section heads read.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jixiao.assessments.selectors import assessment_get, subject_get
from jixiao.inspections.models import Inspection
from jixiao.organisation.access import Access, require_access
from jixiao.rectification import selectors as sel
from jixiao.rectification import services
from jixiao.rectification.models import ItemStatus, RectificationItem
from jixiao.web.errors import error_lines
from jixiao.web.params import int_param, year_param
from jixiao.years.selectors import years_for

# --- list ---------------------------------------------------------------------------


@login_required
def item_list_view(request: HttpRequest) -> HttpResponse:
    access = require_access(request)
    year = year_param(access, request)
    status = request.GET.get("status", "")
    status = status if status in ItemStatus.values else ""
    unit_id = int_param(request.GET.get("unit"))
    context: dict = {
        "year": year,
        "status": status,
        "unit_id": unit_id,
        "statuses": ItemStatus.choices,
        "is_office": access.is_office,
    }
    if year is not None:
        items = list(sel.item_list(access, year, status=status, unit_id=unit_id))
        context |= {
            "years": years_for(access).order_by("-year"),
            "units": access.units().order_by("sort", "code"),
            "items": items,
            "summary": sel.rectification_summary(access, year),
            "later_years": years_for(access).filter(year__gt=year.year).order_by("year"),
        }
    template = "rectification/_items.html" if request.htmx else "rectification/list.html"
    return render(request, template, context)


# --- raising items ------------------------------------------------------------------


def _form_values(request: HttpRequest) -> dict:
    return {
        "owner": request.POST.get("owner", ""),
        "deadline": request.POST.get("deadline", ""),
        "measures": request.POST.get("measures", ""),
    }


def _owner_and_deadline(access: Access, values: dict) -> tuple:
    """(owner, deadline) from the form, or ValidationError naming the field."""
    errors = {}
    owner = access.people().filter(pk=int_param(values["owner"])).first()
    if owner is None:
        errors["owner"] = _("请选择本单位的责任人")
    deadline = parse_date(values["deadline"]) if values["deadline"] else None
    if deadline is None:
        errors["deadline"] = _("整改时限须为日期，例如 2026-06-30")
    if errors:
        raise ValidationError(errors)
    return owner, deadline


def _people(access: Access):
    return access.people().select_related("unit").order_by("unit__sort", "code")


@login_required
def from_inspection_view(request: HttpRequest, inspection_id: int) -> HttpResponse:
    access = require_access(request)
    access.require_office()
    inspection = get_object_or_404(
        Inspection.objects.select_related("unit", "person", "year"),
        pk=inspection_id,
        org=access.org,
    )
    values = {"owner": str(inspection.person_id or ""), "deadline": "", "measures": ""}
    errors: list[str] = []
    if request.method == "POST":
        values = _form_values(request)
        try:
            owner, deadline = _owner_and_deadline(access, values)
            item = services.rectification_from_inspection(
                actor=request.user,
                inspection=inspection,
                owner=owner,
                deadline=deadline,
                measures=values["measures"],
            )
        except ValidationError as exc:
            errors = error_lines(exc)
        else:
            messages.success(request, _("已发起整改"))
            return redirect("rectification:detail", item_id=item.pk)
    context = {
        "inspection": inspection,
        "values": values,
        "errors": errors,
        "people": _people(access),
    }
    return render(
        request, "rectification/from_inspection.html", context, status=400 if errors else 200
    )


def _threshold(raw: str) -> Decimal | None:
    try:
        return Decimal(raw) if raw.strip() else None
    except InvalidOperation:
        return None


@login_required
def from_subject_view(request: HttpRequest, assessment_id: int, subject_id: int) -> HttpResponse:
    """The subject's indicators against the average; the office raises items on weak ones."""
    access = require_access(request)
    access.require_office()
    assessment = assessment_get(access, assessment_id)
    subject = subject_get(assessment, subject_id)
    threshold = _threshold(request.GET.get("threshold", "") or request.POST.get("threshold", ""))
    values = {"owner": "", "deadline": "", "measures": "", "node": ""}
    if subject.person_id:
        values["owner"] = str(subject.person_id)
    errors: list[str] = []
    if request.method == "POST":
        values = _form_values(request) | {"node": request.POST.get("node", "")}
        try:
            owner, deadline = _owner_and_deadline(access, values)
            item = services.rectification_from_indicator(
                actor=request.user,
                subject=subject,
                node=values["node"],
                owner=owner,
                deadline=deadline,
                measures=values["measures"],
                threshold=threshold,
            )
        except ValidationError as exc:
            errors = error_lines(exc)
        else:
            messages.success(request, _("已发起整改"))
            return redirect("rectification:detail", item_id=item.pk)
    rows = sel.indicator_rows(subject, threshold)
    context = {
        "assessment": assessment,
        "subject": subject,
        "rows": rows,
        "weak_rows": [row for row in rows if row.weak],
        "threshold": threshold,
        "values": values,
        "errors": errors,
        "people": _people(access),
    }
    return render(
        request, "rectification/from_subject.html", context, status=400 if errors else 200
    )


@login_required
def create_view(request: HttpRequest) -> HttpResponse:
    """An item the office enters directly (source: other)."""
    access = require_access(request)
    access.require_office()
    year = year_param(access, request)
    if year is None:
        raise Http404(_("没有考核年度"))
    values = {"owner": "", "deadline": "", "measures": "", "unit": "", "problem": ""}
    errors: list[str] = []
    if request.method == "POST":
        values = _form_values(request) | {
            "unit": request.POST.get("unit", ""),
            "problem": request.POST.get("problem", ""),
        }
        unit = access.units().filter(pk=int_param(values["unit"])).first()
        try:
            owner, deadline = _owner_and_deadline(access, values)
            if unit is None:
                raise ValidationError({"unit": _("请选择责任单位")})
            item = services.rectification_create(
                actor=request.user,
                year=year,
                unit=unit,
                owner=owner,
                problem=values["problem"],
                deadline=deadline,
                measures=values["measures"],
            )
        except ValidationError as exc:
            errors = error_lines(exc)
        else:
            messages.success(request, _("已发起整改"))
            return redirect("rectification:detail", item_id=item.pk)
    context = {
        "year": year,
        "values": values,
        "errors": errors,
        "people": _people(access),
        "units": access.units().order_by("sort", "code"),
    }
    return render(request, "rectification/create.html", context, status=400 if errors else 200)


# --- one item -----------------------------------------------------------------------


def _detail_context(access: Access, item: RectificationItem) -> dict:
    return {
        "item": item,
        "evidence": list(item.evidence.all()),
        "can_submit": sel.can_submit(access, item),
        "can_attach": sel.can_attach(access, item),
        "can_close": access.is_office and item.status == ItemStatus.SUBMITTED,
        "can_reopen": access.is_office and item.status in (ItemStatus.SUBMITTED, ItemStatus.CLOSED),
        "is_office": access.is_office,
    }


@login_required
def detail_view(request: HttpRequest, item_id: int) -> HttpResponse:
    access = require_access(request)
    item = sel.item_get(access, item_id)
    return render(request, "rectification/detail.html", _detail_context(access, item))


def _act(request: HttpRequest, item_id: int, allowed, action, done: str) -> HttpResponse:
    access = require_access(request)
    item = sel.item_get(access, item_id)  # not visible: 404
    if not allowed(access, item):
        raise PermissionDenied(_("没有对该整改事项执行此操作的权限"))
    try:
        action(item)
    except ValidationError as exc:
        for message in error_lines(exc):
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("rectification:detail", item_id=item.pk)


@login_required
@require_POST
def attach_view(request: HttpRequest, item_id: int) -> HttpResponse:
    uploads = request.FILES.getlist("files")

    def action(item: RectificationItem) -> None:
        if not uploads:
            raise ValidationError({"file": _("请选择要上传的文件")})
        services.rectification_attach(
            actor=request.user, item=item, uploads=uploads, caption=request.POST.get("caption", "")
        )

    return _act(request, item_id, sel.can_attach, action, _("佐证材料已上传"))


@login_required
@require_POST
def submit_view(request: HttpRequest, item_id: int) -> HttpResponse:
    def action(item: RectificationItem) -> None:
        services.rectification_submit(
            actor=request.user, item=item, note=request.POST.get("note", "")
        )

    return _act(
        request,
        item_id,
        lambda access, item: access.is_office or sel.is_owner(access, item),
        action,
        _("已提交验收"),
    )


def _office(access: Access, _item: RectificationItem) -> bool:
    return access.is_office


@login_required
@require_POST
def close_view(request: HttpRequest, item_id: int) -> HttpResponse:
    def action(item: RectificationItem) -> None:
        services.rectification_close(
            actor=request.user, item=item, note=request.POST.get("note", "")
        )

    return _act(request, item_id, _office, action, _("已验收销号"))


@login_required
@require_POST
def reopen_view(request: HttpRequest, item_id: int) -> HttpResponse:
    raw = request.POST.get("deadline", "")
    deadline: date | None = parse_date(raw) if raw else None

    def action(item: RectificationItem) -> None:
        services.rectification_reopen(
            actor=request.user, item=item, note=request.POST.get("note", ""), deadline=deadline
        )

    return _act(request, item_id, _office, action, _("已退回整改"))


@login_required
@require_POST
def carry_forward_view(request: HttpRequest) -> HttpResponse:
    access = require_access(request)
    access.require_office()
    from_year = get_object_or_404(years_for(access), pk=int_param(request.POST.get("from_year")))
    to_year = get_object_or_404(years_for(access), pk=int_param(request.POST.get("to_year")))
    try:
        created = services.rectification_carry_forward(
            actor=request.user, from_year=from_year, to_year=to_year
        )
    except ValidationError as exc:
        for message in error_lines(exc):
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("已将 %(n)s 项未销号整改事项转入 %(year)s 年度目标")
            % {"n": len(created), "year": to_year.year},
        )
    return redirect(f"{_list_url()}?year={from_year.pk}")


def _list_url() -> str:
    return reverse("rectification:list")
