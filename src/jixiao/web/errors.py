"""A service's ValidationError as the lines a page shows above its form."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def error_lines(exc: ValidationError, labels: Mapping[str, str] | None = None) -> list[str]:
    """Every message of ``exc``; with ``labels``, each prefixed by its field's label
    ("名称：…" / "Name: …") so the user knows which field to fix."""
    if labels is None or not hasattr(exc, "error_dict"):
        return list(exc.messages)
    return [
        _("%(label)s：%(message)s") % {"label": labels.get(name, name), "message": message}
        for name, messages in exc.message_dict.items()
        for message in messages
    ]
