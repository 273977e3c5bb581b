"""Template context: the user's organisation, roles and the year's steps in order."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import pgettext_lazy

from jixiao.organisation.access import request_access
from jixiao.organisation.models import Role

# The year's steps, in the order a performance office works through them. A step
# without a URL is delivered by a later release and shown greyed out.
STEPS = (
    ("org", pgettext_lazy("year step", "组织"), "org:units"),
    ("schemes", pgettext_lazy("year step", "方案"), "schemes:list"),
    ("targets", pgettext_lazy("year step", "目标分解"), "targets:list"),
    ("process", pgettext_lazy("year step", "过程"), "process:index"),
    ("assessment", pgettext_lazy("year step", "考核"), "assessment:list"),
    ("results", pgettext_lazy("year step", "结果"), "results:index"),
)


def nav(request: HttpRequest) -> dict:
    if not request.user.is_authenticated:
        return {}
    access = request_access(request)
    match = getattr(request, "resolver_match", None)
    current = match.namespace if match else ""
    steps = [
        {"key": key, "label": label, "url": _url(name) if access else None}
        for key, label, name in STEPS
    ]
    roles = [Role(role).label for role in sorted(access.roles)] if access else []
    return {
        "nav": {
            "org": access.org if access else None,
            "roles": roles,
            "steps": steps,
            # Years belong to the 方案 step (a year pins the schemes it assesses with);
            # inspections to the 过程 step.
            "current": {
                "years": "schemes",
                "calendar": "schemes",
                "inspections": "process",
                "evidence": "process",
                "ballots": "assessment",
                "appraisal": "assessment",
                "appraisal_results": "assessment",
                "reports": "results",
                "rectification": "results",
                "dashboards": "results",
                "rewards": "results",
                "audit": "org",
            }.get(current, current),
            "access": access,
        }
    }


def _url(name: str | None) -> str | None:
    if name is None:
        return None
    try:
        return reverse(name)
    except NoReverseMatch:  # an area not installed in this build
        return None
