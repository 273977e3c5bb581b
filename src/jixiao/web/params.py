"""Whole numbers from query strings and form fields, read safely.

``str.isdigit()`` is not enough: it accepts "²" and other Unicode digits that
``int()`` refuses, and numbers of any length, which the database cannot bind
(SQLite and PostgreSQL stop at 64 bits). Either turned a hand-edited URL such
as ``?year=²`` into a server error instead of "no such year".
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from jixiao.engine.numbers import plain
from jixiao.years.selectors import current_year, years_for

if TYPE_CHECKING:
    from jixiao.organisation.access import Access
    from jixiao.years.models import AssessmentYear

# 18 digits always fit a signed 64-bit integer (bigint, SQLite INTEGER).
MAX_DIGITS = 18


def int_param(raw: str | None) -> int | None:
    """``raw`` as a non-negative int when it is 1–18 ASCII digits, else None."""
    if raw and len(raw) <= MAX_DIGITS and raw.isascii() and raw.isdigit():
        return int(raw)
    return None


def year_param(access: Access, request: HttpRequest) -> AssessmentYear | None:
    """The year named by ``?year=<id>`` (404 if it is not one the user may see), else the
    organisation's current year (None when it has none yet)."""
    year_id = int_param(request.GET.get("year"))
    if year_id:
        return get_object_or_404(years_for(access), pk=year_id)
    return current_year(access)


def decimal_text(value: Decimal | None) -> str:
    """A stored decimal as a form shows it: 1.5000 → "1.5", 100.0000 → "100", None → ""."""
    return "" if value is None else plain(value)
