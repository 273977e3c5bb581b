"""Charts drawn with reportlab.graphics (vector, in the PDF itself; no image files).

Both charts take plain numbers and labels, so they are independent of the models.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from jixiao.targets.letters import register_fonts

UNIT_COLOUR = colors.HexColor("#1f5fa8")
AVERAGE_COLOUR = colors.HexColor("#b0b0b0")
AVERAGE_LINE = colors.HexColor("#d9822b")


def _scale(values: Sequence[float]) -> tuple[float, float, float]:
    """(min, max, step) of a value axis that shows differences between 60 and 100 clearly."""
    if not values:
        return 0, 100, 20
    low, high = min(values), max(values)
    if low >= 0:
        lower = max(0.0, math.floor((low - 5) / 10) * 10)
    else:
        lower = math.floor(low / 10) * 10
        if lower > low:  # low / 10 underflowed to -0.0 (e.g. low = -5e-324)
            lower -= 10
    upper = max(100.0, math.ceil(high / 10) * 10)
    if upper - lower < 20:
        lower = max(0.0, upper - 20)
    step = 10 if upper - lower <= 60 else 20
    # Extend downwards to a whole number of steps so gridlines meet both ends.
    lower = upper - math.ceil((upper - lower) / step) * step
    return lower, upper, step


def _legend(font: str, items: list[tuple[colors.Color, str]], right: float, y: float) -> Legend:
    """A one-row legend whose last entry ends at ``right``."""
    legend = Legend()
    legend.fontName = font
    legend.fontSize = 9
    legend.alignment = "right"  # the text to the right of its swatch
    legend.columnMaximum = 1
    legend.dxTextSpace = 4
    legend.dx = legend.dy = 8
    column = max(stringWidth(label, font, 9) for _c, label in items) + 8 + 4 + 14
    legend.deltax = column
    legend.x = right - column * len(items)
    legend.y = y
    legend.colorNamePairs = items
    return legend


def _short(label: str, size: int = 8) -> str:
    return label if len(label) <= size else label[: size - 1] + "…"


def level_one_bars(
    categories: Sequence[str],
    unit_values: Sequence[Decimal],
    average_values: Sequence[Decimal],
    *,
    unit_label: str,
    average_label: str,
    width: float,
    height: float = 200,
) -> Drawing:
    """Grouped bars: the unit's score rate per level-1 indicator beside the average's."""
    sans, _serif = register_fonts()
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 40, 40
    chart.width, chart.height = width - 60, height - 75
    chart.data = [
        [float(v) for v in unit_values],
        [float(v) for v in average_values],
    ]
    low, high, step = _scale([v for row in chart.data for v in row])
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = low, high, step
    chart.valueAxis.labels.fontName = sans
    chart.valueAxis.labels.fontSize = 8
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#e0e0e0")
    chart.categoryAxis.categoryNames = [_short(c) for c in categories]
    chart.categoryAxis.labels.fontName = sans
    chart.categoryAxis.labels.fontSize = 9
    chart.categoryAxis.labels.dy = -4
    chart.bars[0].fillColor = UNIT_COLOUR
    chart.bars[1].fillColor = AVERAGE_COLOUR
    chart.barSpacing = 2
    chart.groupSpacing = 14
    chart.barLabelFormat = "%.1f"
    chart.barLabels.fontName = sans
    chart.barLabels.fontSize = 7
    chart.barLabels.nudge = 6
    drawing.add(chart)
    drawing.add(
        _legend(
            sans,
            [(UNIT_COLOUR, unit_label), (AVERAGE_COLOUR, average_label)],
            width - 10,
            height - 12,
        )
    )
    drawing.add(String(4, height - 14, "得分率（%）", fontName=sans, fontSize=8))
    return drawing


def period_totals_line(
    labels: Sequence[str],
    totals: Sequence[Decimal | None],
    averages: Sequence[Decimal | None],
    *,
    unit_label: str,
    average_label: str,
    width: float,
    height: float = 190,
) -> Drawing:
    """The unit's total per period as a line, with the average total as a second line."""
    sans, _serif = register_fonts()
    drawing = Drawing(width, height)
    chart = HorizontalLineChart()
    chart.x, chart.y = 40, 35
    chart.width, chart.height = width - 60, height - 70
    # reportlab skips None points, so a period without a total leaves a gap.
    chart.data = [
        [float(v) if v is not None else None for v in totals],
        [float(v) if v is not None else None for v in averages],
    ]
    present = [v for row in chart.data for v in row if v is not None]
    low, high, step = _scale(present)
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = low, high, step
    chart.valueAxis.labels.fontName = sans
    chart.valueAxis.labels.fontSize = 8
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#e0e0e0")
    chart.categoryAxis.categoryNames = [_short(label, 6) for label in labels]
    chart.categoryAxis.labels.fontName = sans
    chart.categoryAxis.labels.fontSize = 9
    chart.categoryAxis.labels.dy = -4
    chart.lines[0].strokeColor = UNIT_COLOUR
    chart.lines[0].strokeWidth = 2
    chart.lines[0].symbol = makeMarker("FilledCircle", size=5, fillColor=UNIT_COLOUR)
    chart.lines[1].strokeColor = AVERAGE_LINE
    chart.lines[1].strokeWidth = 1.2
    chart.lines[1].strokeDashArray = (4, 3)
    chart.lines[1].symbol = makeMarker("FilledSquare", size=4, fillColor=AVERAGE_LINE)
    # Values printed on the unit's line only: two labelled lines would overlap.
    chart.lineLabelFormat = "values"
    chart.lineLabelArray = [
        ["" if v is None else f"{v:.2f}" for v in chart.data[0]],
        ["" for _v in chart.data[1]],
    ]
    chart.lineLabels.fontName = sans
    chart.lineLabels.fontSize = 7
    chart.lineLabels.dy = 6
    for index, (own, average) in enumerate(zip(*chart.data, strict=True)):
        if own is not None and average is not None and own < average:
            chart.lineLabels[(0, index)].dy = -14  # below its point, clear of the average
    drawing.add(chart)
    drawing.add(
        _legend(
            sans,
            [(UNIT_COLOUR, unit_label), (AVERAGE_LINE, average_label)],
            width - 10,
            height - 12,
        )
    )
    drawing.add(String(4, height - 14, "总分", fontName=sans, fontSize=8))
    return drawing
