"""A service's ValidationError as the lines a page shows above its form."""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
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


def form_error_lines(form: forms.Form) -> list[str]:
    """Every error of a Django form, prefixed with its field's label, for the summary above
    the form (errors not tied to a field come without a label)."""
    lines = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        lines.extend(
            _("%(label)s：%(message)s") % {"label": label, "message": e} if label else e
            for e in errors
        )
    return lines
