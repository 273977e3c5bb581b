"""The calendar of an assessment year: 36 dekads, 12 months, 4 quarters, 2 halves, 1 year.

A dekad (旬) is days 1–10, 11–20 and 21 to the month's end (8, 9, 10 or 11 days).
Pure functions: no database, easy to test exhaustively.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

DEKAD_NAMES = ("上旬", "中旬", "下旬")
QUARTER_NAMES = ("第一季度", "第二季度", "第三季度", "第四季度")
HALF_NAMES = ("上半年", "下半年")


@dataclass(frozen=True)
class PeriodSpec:
    kind: str
    number: int
    name: str
    start: date
    end: date


def year_periods(year: int) -> list[PeriodSpec]:
    periods: list[PeriodSpec] = []
    for month in range(1, 13):
        last = calendar.monthrange(year, month)[1]
        for index, (first, final) in enumerate(((1, 10), (11, 20), (21, last))):
            periods.append(
                PeriodSpec(
                    "dekad",
                    (month - 1) * 3 + index + 1,
                    f"{month}月{DEKAD_NAMES[index]}",
                    date(year, month, first),
                    date(year, month, final),
                )
            )
        periods.append(
            PeriodSpec("month", month, f"{month}月", date(year, month, 1), date(year, month, last))
        )
    for quarter in range(4):
        first_month, last_month = quarter * 3 + 1, quarter * 3 + 3
        end = date(year, last_month, calendar.monthrange(year, last_month)[1])
        periods.append(
            PeriodSpec(
                "quarter", quarter + 1, QUARTER_NAMES[quarter], date(year, first_month, 1), end
            )
        )
    periods.append(PeriodSpec("half", 1, HALF_NAMES[0], date(year, 1, 1), date(year, 6, 30)))
    periods.append(PeriodSpec("half", 2, HALF_NAMES[1], date(year, 7, 1), date(year, 12, 31)))
    periods.append(PeriodSpec("year", 1, f"{year}年度", date(year, 1, 1), date(year, 12, 31)))
    return periods
