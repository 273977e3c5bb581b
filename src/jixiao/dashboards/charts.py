"""Chart arithmetic, pure: no queries, no Django models needed beyond plain values.

Every figure is a Decimal computed exactly and rounded half-up to 0.01 only at the
end; the chart payloads carry them as strings (``"88.10"``), which the page turns
into numbers, so the chart and its fallback table always show the same figure.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
MIN_RADAR_AXES = 3  # a radar of two axes is a line: expand the tree one level instead


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def mean(values: Iterable[Decimal]) -> Decimal | None:
    """The exact mean rounded to 0.01, None for no values."""
    values = list(values)
    if not values:
        return None
    return cents(sum(values, Decimal(0)) / len(values))


def text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


# --- trend ----------------------------------------------------------------------------


@dataclass
class TrendPoint:
    label: str  # the period, e.g. 第一季度
    assessment_id: int
    subject_id: int
    total: Decimal | None
    grade: str
    rank: int | None
    average: Decimal | None  # of every scored subject of the same assessment


def trend_chart(points: Sequence[TrendPoint], own_label: str, average_label: str) -> dict:
    return {
        "labels": [p.label for p in points],
        "series": [
            {"name": own_label, "data": [text(p.total) for p in points]},
            {"name": average_label, "data": [text(p.average) for p in points]},
        ],
    }


# --- radar ----------------------------------------------------------------------------


def _number(raw: Any) -> Decimal | None:
    try:
        return Decimal(str(raw))
    except ArithmeticError:
        return None


def normalised(node: dict) -> Decimal | None:
    """The node's score on a 0–100 scale (score × 100 / full marks); None without full marks."""
    if node.get("present") is False:
        return None
    full, score = _number(node.get("full")), _number(node.get("score"))
    if full is None or score is None or full <= 0:
        return None
    return cents(score * HUNDRED / full)


def radar_axes(tree: dict) -> list[dict]:
    """The nodes a radar shows: the level-1 nodes with full marks.

    Deduction and bonus nodes (no full marks) have no place on a 0–100 radar. When
    fewer than three nodes remain, each node with children is replaced by its own
    children with full marks, so a scheme like "指标考核 80% + 公众评议 20%" shows its
    indicators rather than a two-axis line.
    """
    axes = [child for child in tree.get("children", []) if normalised(child) is not None]
    if len(axes) >= MIN_RADAR_AXES:
        return axes
    expanded: list[dict] = []
    for node in axes:
        children = [c for c in node.get("children", []) if normalised(c) is not None]
        expanded.extend(children or [node])
    return expanded


def _node_scores(tree: dict) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    stack = [tree]
    while stack:
        node = stack.pop()
        value = normalised(node)
        if value is not None:
            out[node["id"]] = value
        stack.extend(node.get("children", []))
    return out


@dataclass
class RadarAxis:
    node_id: str
    name: str
    own: Decimal | None
    average: Decimal | None


def radar(own_tree: dict, peer_trees: Iterable[dict]) -> list[RadarAxis]:
    """One axis per node of ``radar_axes(own_tree)``: own normalised score and the mean
    over ``peer_trees`` (every scored subject of the assessment, the own one included)
    of those that have the node."""
    peers = [_node_scores(tree) for tree in peer_trees]
    own = _node_scores(own_tree)
    return [
        RadarAxis(
            node_id=node["id"],
            name=node.get("name", node["id"]),
            own=own.get(node["id"]),
            average=mean(p[node["id"]] for p in peers if node["id"] in p),
        )
        for node in radar_axes(own_tree)
    ]


def radar_chart(axes: Sequence[RadarAxis], own_label: str, average_label: str) -> dict:
    return {
        "indicators": [{"name": a.name, "max": 100} for a in axes],
        "series": [
            {"name": own_label, "data": [text(a.own) for a in axes]},
            {"name": average_label, "data": [text(a.average) for a in axes]},
        ],
    }


# --- grade distribution ---------------------------------------------------------------


@dataclass
class GradeCount:
    grade: str
    count: int
    own: bool = False  # the dashboard's subject holds this grade


def grade_distribution(
    grades: Iterable[str], bands: Sequence[str], own_grade: str = ""
) -> list[GradeCount]:
    """How many subjects hold each grade: the scheme's bands in order (zeros kept),
    then any other grade seen; subjects without a grade are not counted."""
    counts: dict[str, int] = dict.fromkeys(bands, 0)
    for grade in grades:
        if grade:
            counts[grade] = counts.get(grade, 0) + 1
    return [GradeCount(g, n, bool(own_grade) and g == own_grade) for g, n in counts.items()]


def grade_chart(rows: Sequence[GradeCount], label: str) -> dict:
    return {
        "labels": [r.grade for r in rows],
        "series": [{"name": label, "data": [r.count for r in rows]}],
        "highlight": [i for i, r in enumerate(rows) if r.own],
    }


# --- target progress ------------------------------------------------------------------

COLOURS = ("green", "yellow", "red")


@dataclass
class TargetLight:
    target: Any  # jixiao.targets.models.Target
    colour: str  # green / yellow / red, or "" for a target without milestones
    next_due: date | None = None


@dataclass
class ProgressSummary:
    rows: list[TargetLight] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(COLOURS, 0)
        for row in self.rows:
            if row.colour in out:
                out[row.colour] += 1
        return out

    @property
    def without_milestones(self) -> int:
        return sum(1 for row in self.rows if not row.colour)


def progress_chart(summary: ProgressSummary, labels: dict[str, str]) -> dict:
    counts = summary.counts
    return {
        "items": [{"name": labels[c], "colour": c, "value": counts[c]} for c in COLOURS],
    }


# --- deductions by month --------------------------------------------------------------


@dataclass
class MonthDeduction:
    month: int
    label: str
    count: int
    points: Decimal


def deductions_by_month(
    rows: Iterable[tuple[date, Decimal]], year: int, label_for
) -> list[MonthDeduction]:
    """Twelve months of the year with the number and the sum of ledger points found.

    The raw points as recorded: the scheme's cap applies per assessment period, and
    the drill-down shows what counted.
    """
    months = {m: MonthDeduction(m, label_for(m), 0, Decimal(0)) for m in range(1, 13)}
    for day, points in rows:
        if day.year == year:
            month = months[day.month]
            month.count += 1
            month.points += points
    return list(months.values())


def deductions_chart(rows: Sequence[MonthDeduction], points_label: str, count_label: str):
    return {
        "labels": [r.label for r in rows],
        "series": [
            {"name": points_label, "data": [str(r.points) for r in rows]},
            {"name": count_label, "data": [r.count for r in rows]},
        ],
    }


# --- overview -------------------------------------------------------------------------


def bar_chart(labels: Sequence[str], totals: Sequence[Decimal | None], name: str, average):
    return {
        "labels": list(labels),
        "series": [{"name": name, "data": [text(t) for t in totals]}],
        "average": text(average),
    }
