"""Reads of the audit log, scoped to one organisation.

The log page and its export share ``event_list``: the same filters, the same
scope (events recorded with ``org`` = the user's organisation), so the file
never holds more than the page. Events recorded without an organisation (none
at the time of writing) are left out on purpose: nothing ties them to one
township, so no township's office may read them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from jixiao.audit.actions import action_label
from jixiao.audit.models import AuditEvent
from jixiao.organisation.access import Access
from jixiao.organisation.selectors import user_name

PAGE_SIZE = 50


@dataclass(frozen=True)
class AuditFilters:
    action: str = ""
    actor_id: int | None = None
    object_type: str = ""
    date_from: date | None = None
    date_to: date | None = None
    text: str = ""

    def as_query(self) -> dict[str, str]:
        """The filters as GET parameters (empty ones left out), for links and the export."""
        values = {
            "action": self.action,
            "actor": str(self.actor_id or ""),
            "object_type": self.object_type,
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
            "q": self.text,
        }
        return {key: value for key, value in values.items() if value}


def events_for(access: Access) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(org=access.org)


def event_list(access: Access, filters: AuditFilters) -> QuerySet[AuditEvent]:
    """Newest first, the actor joined in (one query per page whatever its size)."""
    events = events_for(access).select_related("actor")
    if filters.action:
        events = events.filter(action=filters.action)
    if filters.actor_id is not None:
        events = events.filter(actor_id=filters.actor_id)
    if filters.object_type:
        events = events.filter(object_type=filters.object_type)
    # ``at__date`` is the date in the project's time zone (Asia/Shanghai), as shown.
    if filters.date_from:
        events = events.filter(at__date__gte=filters.date_from)
    if filters.date_to:
        events = events.filter(at__date__lte=filters.date_to)
    if filters.text:
        events = events.filter(summary__icontains=filters.text)
    return events.order_by("-at", "-id")


def action_choices(access: Access) -> list[tuple[str, str]]:
    """(action code, Chinese name) present in the organisation's log, for the filter's select.

    Sorted by name, like the actors; the code is what the filter sends.
    """
    rows = events_for(access).order_by("action").values_list("action", flat=True).distinct()
    return sorted(((code, action_label(code)) for code in rows), key=lambda row: row[1])


def object_type_choices(access: Access) -> list[tuple[str, str]]:
    """(object type, readable name) present in the organisation's log."""
    rows = events_for(access).order_by("object_type").values_list("object_type", flat=True)
    return [(value, object_label(value)) for value in rows.distinct() if value]


def actor_choices(access: Access) -> list[tuple[int, str]]:
    """(user id, name) of everyone who appears as actor in the organisation's log."""
    users = get_user_model().objects.filter(
        pk__in=events_for(access).exclude(actor=None).values("actor_id")
    )
    return sorted(((user.pk, user_name(user)) for user in users), key=lambda row: row[1])


def object_label(object_type: str) -> str:
    """A model label ("rectification.rectificationitem") as its verbose name; else as is."""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return object_type
    return str(model._meta.verbose_name)


@dataclass(frozen=True)
class Change:
    key: str
    old: str
    new: str


def _shown(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def event_changes(event: AuditEvent) -> list[Change]:
    """Only the keys whose value differs between before and after (old → new).

    A key present on one side only counts as changed (created, or removed).
    """
    before = event.before if isinstance(event.before, dict) else {}
    after = event.after if isinstance(event.after, dict) else {}
    keys = sorted(set(before) | set(after))
    return [
        Change(key, _shown(before.get(key)), _shown(after.get(key)))
        for key in keys
        if key not in before or key not in after or before[key] != after[key]
    ]


def changes_text(changes: list[Change]) -> str:
    return "；".join(f"{c.key}: {c.old} → {c.new}" for c in changes)
