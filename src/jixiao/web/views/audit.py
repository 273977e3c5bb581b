"""审计日志: the organisation's audit log for the performance office.

Until now the log was only in the Django admin. The page lists the events of
the user's organisation, newest first, 50 a page, with filters (action, actor,
object type, dates, text in the summary) and each event's changed fields. The
.xlsx download of the same filtered list is ``exports.audit_export``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from jixiao.audit import selectors as sel
from jixiao.audit.actions import action_label
from jixiao.organisation.access import require_access
from jixiao.organisation.selectors import user_name
from jixiao.web.params import int_param

PARTIAL_TARGET = "events"  # the id of the table the filter form swaps


def _date(raw: str, label: str, errors: list[str]) -> date | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        value = parse_date(raw)
    except ValueError:  # well formed but impossible, e.g. 2026-02-30
        value = None
    if value is None:
        errors.append(_("%(field)s应为日期，例如 2026-01-31") % {"field": label})
    return value


def filters_from(params: Mapping[str, str]) -> tuple[sel.AuditFilters, list[str]]:
    """The filters of a GET query, and an error naming each field that was not understood."""
    errors: list[str] = []
    actor = (params.get("actor") or "").strip()
    filters = sel.AuditFilters(
        action=(params.get("action") or "").strip()[:60],
        actor_id=int_param(actor),
        object_type=(params.get("object_type") or "").strip()[:60],
        date_from=_date(params.get("from") or "", _("开始日期"), errors),
        date_to=_date(params.get("to") or "", _("结束日期"), errors),
        text=(params.get("q") or "").strip()[:100],
    )
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        errors.append(_("开始日期不能晚于结束日期"))
    return filters, errors


@login_required
def event_list_view(request: HttpRequest) -> HttpResponse:
    access = require_access(request)
    access.require_office()
    filters, errors = filters_from(request.GET)
    page = Paginator(sel.event_list(access, filters), sel.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [
        {
            "event": event,
            "actor": user_name(event.actor),
            "action": action_label(event.action),
            "object": sel.object_label(event.object_type),
            "changes": sel.event_changes(event),
        }
        for event in page
    ]
    context = {
        "tab": "audit",
        "filters": filters,
        "errors": errors,
        "page": page,
        "rows": rows,
        "query": urlencode(filters.as_query()),
    }
    # Only the filter form's own requests get the table alone; other htmx links
    # (the org tabs) swap the whole <main> and need the full page.
    if request.htmx and request.htmx.target == PARTIAL_TARGET:
        return render(request, "audit/list.html#events", context)
    context |= {
        "actions": sel.action_choices(access),
        "actors": sel.actor_choices(access),
        "object_types": sel.object_type_choices(access),
    }
    return render(request, "audit/list.html", context)
