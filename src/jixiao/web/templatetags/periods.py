"""Period names in the user's language: {{ report.period|period_label }}.

Periods store their Chinese names (years/periods.py); the label gives back exactly
that name in Chinese and the English name in an English session.
"""

from __future__ import annotations

from django import template

from jixiao.years.models import Period
from jixiao.years.selectors import period_label as _period_label

register = template.Library()


@register.filter
def period_label(period: Period | None) -> str:
    if period is None or period == "":
        return ""
    return _period_label(period)
