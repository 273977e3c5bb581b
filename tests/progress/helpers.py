from __future__ import annotations

from jixiao.years.models import AssessmentYear, Period


def period(year: AssessmentYear, kind: str, number: int) -> Period:
    return Period.objects.get(year=year, kind=kind, number=number)


def dekad(year: AssessmentYear, month: int, part: int) -> Period:
    """The ``part``-th (1–3) dekad of ``month``."""
    return period(year, "dekad", (month - 1) * 3 + part)
