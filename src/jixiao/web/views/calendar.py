"""工作日历: the organisation's public holidays and make-up working days, per year.

Office only: the calendar decides when a public notice (公示) ends. Days are
entered one by one, imported from .xlsx/.csv, or loaded from the State
Council's published arrangement for the year when Jixiao ships it.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jixiao.organisation.access import Access, require_access
from jixiao.spreadsheets import ImportReport, SheetFileError, Status
from jixiao.years.holidays import preset_for
from jixiao.years.models import AssessmentYear, DayKind
from jixiao.years.selectors import calendar_days, year_get
from jixiao.years.services import (
    CREATED,
    UPDATED,
    calendar_day_delete,
    calendar_day_set,
    calendar_preset_load,
)
from jixiao.years.sheets import CALENDAR_SHEET, import_calendar

MAX_UPLOAD = 1024 * 1024  # a year's calendar is a few dozen rows


def _office_year(request: HttpRequest, year_id: int) -> tuple[Access, AssessmentYear]:
    access = require_access(request)
    year = year_get(access, year_id)  # another organisation's year: 404
    access.require_office()
    return access, year


def _page(
    request: HttpRequest,
    access: Access,
    year: AssessmentYear,
    *,
    form: dict | None = None,
    errors: dict | None = None,
    report: ImportReport | None = None,
    file_error: str = "",
    status: int = 200,
) -> HttpResponse:
    preset = preset_for(year.year)
    context = {
        "year": year,
        "days": calendar_days(access, year),
        "kinds": DayKind.choices,
        "preset": preset,
        "columns": CALENDAR_SHEET.columns,
        "form": form or {"kind": DayKind.HOLIDAY},
        "errors": errors or {},
        "report": report,
        "file_error": file_error,
        "tab": "years",
    }
    return render(request, "calendar/year.html", context, status=status)


@login_required
def calendar_view(request: HttpRequest, year_id: int) -> HttpResponse:
    access, year = _office_year(request, year_id)
    return _page(request, access, year)


def _parse_day(text: str, year: AssessmentYear) -> tuple[date | None, str]:
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        return None, _("日期：请写成 %(example)s") % {"example": f"{year.year}-10-01"}
    if day.year != year.year:
        return None, _("日期：应在 %(year)s 年内") % {"year": year.year}
    return day, ""


@login_required
@require_POST
def day_set_view(request: HttpRequest, year_id: int) -> HttpResponse:
    access, year = _office_year(request, year_id)
    form = {key: request.POST.get(key, "").strip() for key in ("date", "kind", "name")}
    day, error = _parse_day(form["date"], year)
    errors = {"date": error} if error else {}
    if day is not None:
        try:
            exception, outcome = calendar_day_set(
                actor=request.user, org=access.org, day=day, kind=form["kind"], name=form["name"]
            )
        except ValidationError as exc:
            errors = {key: _("；").join(value) for key, value in exc.message_dict.items()}
        else:
            if outcome in (CREATED, UPDATED):
                messages.success(request, _("已保存：%(day)s") % {"day": str(exception)})
            else:
                messages.info(request, _("没有变化：%(day)s") % {"day": str(exception)})
            return redirect("calendar:year", year_id=year.pk)
    return _page(request, access, year, form=form, errors=errors, status=400)


@login_required
@require_POST
def day_delete_view(request: HttpRequest, year_id: int) -> HttpResponse:
    access, year = _office_year(request, year_id)
    day, error = _parse_day(request.POST.get("date", ""), year)
    if day is not None:
        try:
            calendar_day_delete(actor=request.user, org=access.org, day=day)
        except ValidationError as exc:
            error = _("；").join(exc.messages)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("已删除 %(date)s 的调整") % {"date": day.isoformat()})
    return redirect("calendar:year", year_id=year.pk)


@login_required
@require_POST
def preset_view(request: HttpRequest, year_id: int) -> HttpResponse:
    access, year = _office_year(request, year_id)
    try:
        counts = calendar_preset_load(actor=request.user, org=access.org, year=year.year)
    except ValidationError as exc:
        messages.error(request, _("；").join(exc.messages))
    else:
        messages.success(
            request,
            _("已载入国务院 %(year)s 年节假日安排：新增 %(created)s 天，更新 %(updated)s 天")
            % {"year": year.year, "created": counts[CREATED], "updated": counts[UPDATED]},
        )
    return redirect("calendar:year", year_id=year.pk)


@login_required
@require_POST
def import_view(request: HttpRequest, year_id: int) -> HttpResponse:
    """All or nothing: a file with any bad row is reported row by row and saves nothing."""
    access, year = _office_year(request, year_id)
    upload = request.FILES.get("file")
    if upload is None:
        return _page(request, access, year, file_error=_("请选择文件"), status=400)
    if upload.size > MAX_UPLOAD:
        return _page(request, access, year, file_error=_("文件超过 1 MB"), status=400)
    try:
        report = import_calendar(
            actor=request.user,
            org=access.org,
            data=upload.read(),
            filename=upload.name or "",
            year=year.year,
        )
    except SheetFileError as exc:
        return _page(request, access, year, file_error=str(exc), status=400)
    if report.has_errors:
        return _page(request, access, year, report=report, status=400)
    messages.success(
        request,
        _("已导入：新增 %(created)s 天，更新 %(updated)s 天，不变 %(unchanged)s 天")
        % {
            "created": report.counts[Status.CREATED],
            "updated": report.counts[Status.UPDATED],
            "unchanged": report.counts[Status.UNCHANGED],
        },
    )
    return redirect("calendar:year", year_id=year.pk)
