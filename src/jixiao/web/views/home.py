"""首页: where each person starts — their organisation, the year, and their own tasks."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jixiao.organisation.access import request_access
from jixiao.targets.selectors import my_targets
from jixiao.years.selectors import current_year


@login_required
def home(request: HttpRequest) -> HttpResponse:
    access = request_access(request)
    context: dict = {"access": access}
    if access is not None:
        year = current_year(access)
        context["year"] = year
        context["my_targets"] = my_targets(access, year) if year else []
    return render(request, "web/home.html", context)
