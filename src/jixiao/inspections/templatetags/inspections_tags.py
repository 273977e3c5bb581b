"""Numbers as people write them: 4.5 not 4.50, 3 not 3.00 (no rounding, unlike floatformat)."""

from __future__ import annotations

from decimal import Decimal

from django import template

from jixiao.engine.numbers import plain as _plain

register = template.Library()


@register.filter
def plain(value: Decimal | int | None) -> str:
    if value is None or value == "":
        return "—"
    return _plain(Decimal(value))
