"""看板: the leader's overview, a unit's and a person's dashboard, and the drill-down
from any published score to its breakdown and evidence ("why 88.1").

Chart data comes from ``jixiao.dashboards.selectors`` and reaches the page through
``json_script``; the charts are drawn by the locally served ECharts, and every
chart has a plain table beside it for readers without JavaScript or a screen.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jixiao.dashboards import selectors as sel
from jixiao.organisation.access import Access, require_access
from jixiao.rectification.selectors import rectification_summary
from jixiao.web.params import year_param
from jixiao.years.models import AssessmentYear
from jixiao.years.selectors import years_for


def _context(access: Access, year: AssessmentYear | None) -> dict:
    return {"year": year, "years": years_for(access).order_by("-year"), "access": access}


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Readers get the overview; others are sent to their own unit's or person's board."""
    access = require_access(request)
    target = sel.my_dashboard(access)
    if target is None:
        raise PermissionDenied(_("没有可查看的绩效看板"))
    kind, pk = target
    if kind != "overview":
        url = reverse("dashboards:unit" if kind == "unit" else "dashboards:person", args=[pk])
        year = request.GET.get("year", "")
        return redirect(f"{url}?year={year}" if year.isdigit() else url)
    year = year_param(access, request)
    context = _context(access, year)
    if year is not None:
        context["boards"] = sel.overview(access, year)
        context["rectification"] = rectification_summary(access, year)
    return render(request, "dashboards/overview.html", context)


@login_required
def unit_view(request: HttpRequest, unit_id: int) -> HttpResponse:
    access = require_access(request)
    unit = sel.unit_get(access, unit_id)
    year = year_param(access, request)
    context = _context(access, year) | {"unit": unit, "owner_label": unit.name}
    if year is not None:
        context["board"] = sel.dashboard(access, year, today=timezone.localdate(), unit=unit)
        context["rectification"] = sel.unit_rectification(rectification_summary(access, year), unit)
    return render(request, "dashboards/board.html", context)


@login_required
def person_view(request: HttpRequest, person_id: int) -> HttpResponse:
    access = require_access(request)
    person = sel.person_get(access, person_id)
    year = year_param(access, request)
    context = _context(access, year) | {"person": person, "owner_label": str(person)}
    if year is not None:
        context["board"] = sel.dashboard(access, year, today=timezone.localdate(), person=person)
    return render(request, "dashboards/board.html", context)


@login_required
def subject_view(request: HttpRequest, subject_id: int) -> HttpResponse:
    """A published score explained: the breakdown tree with evidence and its files."""
    access = require_access(request)
    subject = sel.subject_get(access, subject_id)
    context = {"drill": sel.drilldown(access, subject), "subject": subject, "access": access}
    return render(request, "dashboards/subject.html", context)
