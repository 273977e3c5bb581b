"""Working days for the public-notice window (公示期).

Working days are Monday to Friday. Public holidays (春节, 国庆…) and the
make-up working weekends around them are NOT modelled: an office that publishes
just before a holiday should lengthen ``notice_days`` by hand.
"""

from __future__ import annotations

from datetime import date, timedelta

DEFAULT_NOTICE_DAYS = 5


def is_working_day(day: date) -> bool:
    return day.weekday() < 5


def add_working_days(start: date, days: int) -> date:
    """The ``days``-th working day after ``start`` (``start`` itself is not counted).

    Published on Monday with 5 days, the notice ends the next Monday; published on
    Saturday, it ends the next Friday. ``days == 0`` returns ``start``.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    left = days
    while left:
        day += timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day
