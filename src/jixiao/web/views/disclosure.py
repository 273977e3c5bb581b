"""政务公开栏: the public, read-only rankings and grades of published periods.

No login and no organisation data beyond what a notice board shows: see
``jixiao.dashboards.disclosure`` for what is published and what never is. A
period with nothing published is a 404, the same as one that does not exist.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control

from jixiao.dashboards import disclosure as pub


def _context(org, periods: list[pub.PublicPeriod], current: pub.PublicPeriod | None) -> dict:
    context: dict = {"org": org, "periods": periods, "current": current}
    if current is not None:
        people = pub.discloses_people(current.year)
        context["rankings"] = pub.public_rankings(current.period, people)
        context["competition"] = pub.public_competition(current.period, people)
    return context


@cache_control(public=True, max_age=300)
def index(request: HttpRequest, org_code: str) -> HttpResponse:
    """The organisation's published periods; the latest one's rankings shown in full."""
    org = pub.public_org(org_code)
    periods = pub.published_periods(org)
    latest = periods[0] if periods else None
    return render(request, "disclosure/index.html", _context(org, periods, latest))


@cache_control(public=True, max_age=300)
def period_view(request: HttpRequest, org_code: str, period_id: int) -> HttpResponse:
    org = pub.public_org(org_code)
    period = pub.public_period(org, period_id)
    periods = pub.published_periods(org)
    current = next(p for p in periods if p.period.pk == period.pk)
    return render(request, "disclosure/index.html", _context(org, periods, current))
