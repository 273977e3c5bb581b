"""The State Council's published holiday arrangements, shipped as data files.

One TOML file per year (``holidays-cn-<year>.toml`` next to this module), each
citing its notice. A year without a file has no preset: the office enters its
days by hand or imports them.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import resources

from jixiao.years.models import DayKind


@dataclass(frozen=True)
class PresetDay:
    date: date
    kind: str  # DayKind value
    name: str


@dataclass(frozen=True)
class HolidayPreset:
    year: int
    title: str  # the notice, e.g. 国务院办公厅关于2026年部分节假日安排的通知
    days: tuple[PresetDay, ...]  # in date order


def _file(year: int):
    return resources.files("jixiao.years").joinpath(f"holidays-cn-{year}.toml")


def preset_for(year: int) -> HolidayPreset | None:
    """The published arrangement for ``year``, or None if Jixiao ships none."""
    source = _file(year)
    if not source.is_file():
        return None
    data = tomllib.loads(source.read_text(encoding="utf-8"))
    days: list[PresetDay] = []
    for holiday in data["holiday"]:
        day = holiday["first"]
        while day <= holiday["last"]:
            days.append(PresetDay(day, DayKind.HOLIDAY, holiday["name"]))
            day += timedelta(days=1)
        # A make-up day carries the holiday's name: "国庆节调休上班" on the page.
        days.extend(PresetDay(d, DayKind.WORKDAY, holiday["name"]) for d in holiday["workdays"])
    return HolidayPreset(
        year=data["arrangement"]["year"],
        title=data["arrangement"]["title"],
        days=tuple(sorted(days, key=lambda d: d.date)),
    )
