"""结果: published rankings of the year and the monthly task-force competition (001).

Only assessments under public notice or final appear here, for everyone in the
organisation; the office publishes the month's competition, which is then shown
on a print-friendly page for posting (公示上墙).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jixiao.organisation.access import require_access
from jixiao.rankings.competition import competition_for
from jixiao.rankings.selectors import published_assessments, rankings
from jixiao.results.selectors import month_get, publication_for, publication_list
from jixiao.results.services import competition_publish
from jixiao.web.params import int_param, year_param
from jixiao.years.models import PeriodKind, SubjectKind
from jixiao.years.selectors import period_label, years_for


@login_required
def index(request: HttpRequest) -> HttpResponse:
    access = require_access(request)
    year = year_param(access, request)
    context: dict = {"year": year, "kinds": SubjectKind.choices}
    if year is None:
        return render(request, "results/index.html", context)
    period_id = int_param(request.GET.get("period"))
    kind = request.GET.get("kind", "")
    kind = kind if kind in SubjectKind.values else ""
    published = published_assessments(access, year)
    periods = {a.period_id: a.period for a in published}
    for period in periods.values():
        period.label = period_label(period)
    publications = publication_list(access, year)
    published_months = {p.publication.period_id for p in publications}
    context |= {
        "years": years_for(access).order_by("-year"),
        "rankings": rankings(access, year, period_id=period_id, kind=kind),
        "periods": sorted(periods.values(), key=lambda p: (p.start, -p.end.toordinal())),
        "period_id": period_id,
        "kind": kind,
        "competitions": publications,
        "is_office": access.is_office,
        # Months whose task-force ranking is published: the office may publish them.
        "competition_months": [
            {"period": periods[a.period_id], "published": a.period_id in published_months}
            for a in published
            if access.is_office
            and a.subject_kind == SubjectKind.TASK_FORCE
            and a.period.kind == PeriodKind.MONTH
        ],
    }
    if request.htmx and request.htmx.target == "rankings":
        return render(request, "results/_rankings.html", context)
    return render(request, "results/index.html", context)


@login_required
def competition(request: HttpRequest, period_id: int) -> HttpResponse:
    """The month's published competition; the office also sees the live preview."""
    access = require_access(request)
    period = month_get(access, period_id)
    published = publication_for(access, period)
    preview = competition_for(period) if access.is_office else None
    if published is None and not access.is_office:
        raise Http404
    context = {
        "period": period,
        "period_label": period_label(period),
        "published": published,
        "preview": preview,
        "is_office": access.is_office,
    }
    return render(request, "results/competition.html", context)


@login_required
@require_POST
def competition_publish_view(request: HttpRequest, period_id: int) -> HttpResponse:
    access = require_access(request)
    access.require_office()
    period = month_get(access, period_id)
    try:
        competition_publish(actor=request.user, period=period)
    except ValidationError as exc:
        for problems in exc.message_dict.values():
            for problem in problems:
                messages.error(request, problem)
    else:
        messages.success(
            request, _("已发布%(month)s指挥组月度评比结果") % {"month": period_label(period)}
        )
    return redirect("results:competition", period_id=period.pk)
