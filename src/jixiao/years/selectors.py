"""Reads for assessment years, always scoped to the user's organisation."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jixiao.organisation.access import Access
from jixiao.years.models import (
    AssessmentYear,
    CalendarException,
    DayKind,
    Period,
    PeriodKind,
    YearScheme,
)


def years_for(access: Access) -> QuerySet[AssessmentYear]:
    return AssessmentYear.objects.filter(org=access.org)


def current_year(access: Access) -> AssessmentYear | None:
    """The organisation's latest assessment year (the one its pages default to)."""
    return years_for(access).order_by("-year").first()


def year_pins(year: AssessmentYear) -> dict[str, YearScheme]:
    """Subject kind → the scheme version pinned for it in ``year`` (one query)."""
    pins = YearScheme.objects.filter(year=year).select_related("scheme_version__scheme")
    return {pin.subject_kind: pin for pin in pins}


def _pins() -> Prefetch:
    return Prefetch(
        "schemes",
        queryset=YearScheme.objects.select_related("scheme_version__scheme").order_by(
            "subject_kind"
        ),
    )


def year_list(access: Access) -> QuerySet[AssessmentYear]:
    """Years newest first with their pinned scheme versions (two queries)."""
    return years_for(access).order_by("-year").prefetch_related(_pins())


def year_get(access: Access, year_id: int) -> AssessmentYear:
    """The year if it belongs to the user's organisation, else 404 (no leak)."""
    return get_object_or_404(years_for(access).prefetch_related(_pins()), pk=year_id)


# Period names are stored in Chinese when a year is created (years/periods.py); the
# pages show them in the user's language. The Chinese msgids give back exactly the
# stored names, so the Chinese pages are unchanged.
DEKAD_LABELS = (gettext_lazy("上旬"), gettext_lazy("中旬"), gettext_lazy("下旬"))
QUARTER_LABELS = (
    gettext_lazy("第一季度"),
    gettext_lazy("第二季度"),
    gettext_lazy("第三季度"),
    gettext_lazy("第四季度"),
)
HALF_LABELS = (gettext_lazy("上半年"), gettext_lazy("下半年"))


def period_label(period: Period) -> str:
    """The period's name in the active language ("3月中旬" / "March, 2nd dekad")."""
    if period.kind == PeriodKind.DEKAD:
        month = formats.date_format(period.start, _("n月"))
        part = DEKAD_LABELS[(period.number - 1) % 3]
        return _("%(month)s%(part)s") % {"month": month, "part": part}
    if period.kind == PeriodKind.MONTH:
        return formats.date_format(period.start, _("n月"))
    if period.kind == PeriodKind.QUARTER and 1 <= period.number <= 4:
        return str(QUARTER_LABELS[period.number - 1])
    if period.kind == PeriodKind.HALF and 1 <= period.number <= 2:
        return str(HALF_LABELS[period.number - 1])
    if period.kind == PeriodKind.YEAR:
        return _("%(year)s年度") % {"year": period.start.year}
    return period.name


@dataclass
class MonthRow:
    month: Period
    dekads: list[Period] = field(default_factory=list)


@dataclass
class PeriodGroups:
    year: Period | None
    halves: list[Period]
    quarters: list[Period]
    months: list[MonthRow]


def year_period_groups(year: AssessmentYear) -> PeriodGroups:
    """The year's periods grouped for display: each month with its three dekads."""
    periods = list(year.periods.order_by("kind", "number"))
    for period in periods:
        period.label = period_label(period)
    by_kind: dict[str, list[Period]] = {}
    for period in periods:
        by_kind.setdefault(period.kind, []).append(period)
    months = [MonthRow(month=m) for m in by_kind.get(PeriodKind.MONTH, [])]
    rows = {row.month.number: row for row in months}
    for dekad in by_kind.get(PeriodKind.DEKAD, []):
        row = rows.get((dekad.number - 1) // 3 + 1)
        if row is not None:
            row.dekads.append(dekad)
    whole = by_kind.get(PeriodKind.YEAR, [])
    return PeriodGroups(
        year=whole[0] if whole else None,
        halves=by_kind.get(PeriodKind.HALF, []),
        quarters=by_kind.get(PeriodKind.QUARTER, []),
        months=months,
    )


# --- working calendar -----------------------------------------------------------------


def calendar_exceptions(
    org, *, after: date | None = None
) -> tuple[dict[date, str], dict[date, str]]:
    """The organisation's (holidays, make-up working days), each date → name, in one query.

    ``after`` drops the days a notice starting that day can never reach.
    """
    rows = CalendarException.objects.filter(org=org)
    if after is not None:
        rows = rows.filter(date__gt=after)
    holidays: dict[date, str] = {}
    workdays: dict[date, str] = {}
    for day, kind, name in rows.values_list("date", "kind", "name"):
        (holidays if kind == DayKind.HOLIDAY else workdays)[day] = name
    return holidays, workdays


def calendar_days(access: Access, year: AssessmentYear) -> QuerySet[CalendarException]:
    """The organisation's exceptions in the year's calendar year, by date."""
    return CalendarException.objects.filter(org=access.org, date__year=year.year).order_by("date")
