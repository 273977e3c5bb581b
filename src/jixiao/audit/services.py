"""Write audit events. Called inside the transaction of the change it records."""

from __future__ import annotations

from typing import Any

from django.db import models

from jixiao.audit.models import AuditEvent


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    org: Any = None,
    summary: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=object_type,
        object_id=object_id,
        org=org,
        summary=summary[:300],
        before=_jsonable(before),
        after=_jsonable(after),
    )


def _jsonable(data: dict[str, Any] | None) -> dict[str, Any] | None:
    if data is None:
        return None
    return {
        key: value if isinstance(value, str | int | bool | None | list | dict) else str(value)
        for key, value in data.items()
    }
