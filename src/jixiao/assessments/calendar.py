"""Working days for the public-notice window (公示期).

Working days are Monday to Friday, except the organisation's calendar
exceptions: public holidays (放假, 春节, 国庆…) are not working days, and
make-up working weekends (调休上班) are. The functions here are pure: the
service passes the organisation's exceptions (``years.selectors.calendar_exceptions``).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

DEFAULT_NOTICE_DAYS = 5

NO_DAYS: frozenset[date] = frozenset()


def is_working_day(
    day: date, *, holidays: Collection[date] = NO_DAYS, workdays: Collection[date] = NO_DAYS
) -> bool:
    """A make-up working day always works; a holiday never does; else Monday–Friday."""
    if day in workdays:
        return True
    if day in holidays:
        return False
    return day.weekday() < 5


def _check(holidays: Collection[date], workdays: Collection[date]) -> None:
    both = set(holidays) & set(workdays)
    if both:
        raise ValueError(f"days both holiday and working day: {sorted(both)}")


def add_working_days(
    start: date,
    days: int,
    *,
    holidays: Collection[date] = NO_DAYS,
    workdays: Collection[date] = NO_DAYS,
) -> date:
    """The ``days``-th working day after ``start`` (``start`` itself is not counted).

    Published on Monday with 5 days, the notice ends the next Monday; published on
    Saturday, it ends the next Friday. ``days == 0`` returns ``start``.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    _check(holidays, workdays)
    day = start
    left = days
    while left:
        day += timedelta(days=1)
        if is_working_day(day, holidays=holidays, workdays=workdays):
            left -= 1
    return day


@dataclass(frozen=True)
class NoticeWindow:
    """How a notice's end date was counted, for the sentence on the assessment page."""

    start: date
    end: date
    days: int
    skipped: tuple[str, ...]  # holidays on weekdays inside the window, by name, in order
    makeup: tuple[date, ...]  # make-up working weekends counted inside the window


def notice_window(
    start: date,
    days: int,
    *,
    holidays: Mapping[date, str] | None = None,
    workdays: Mapping[date, str] | None = None,
) -> NoticeWindow:
    """The end of a ``days``-working-day notice from ``start`` and what changed it.

    ``skipped`` names only holidays that fall on a weekday: a holiday on a weekend
    moved nothing. Names repeat once each, in date order.
    """
    holidays = holidays or {}
    workdays = workdays or {}
    end = add_working_days(start, days, holidays=holidays, workdays=workdays)
    skipped: list[str] = []
    makeup: list[date] = []
    day = start
    while day < end:
        day += timedelta(days=1)
        if day in holidays and day.weekday() < 5 and holidays[day] not in skipped:
            skipped.append(holidays[day])
        if day in workdays and day.weekday() >= 5:
            makeup.append(day)
    return NoticeWindow(start, end, days, tuple(skipped), tuple(makeup))
