"""Chart axes: every value drawn lies on the axis, whatever the scores."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import example, given
from hypothesis import strategies as st

from jixiao.reports.charts import _scale, level_one_bars, period_totals_line

scores = st.lists(st.floats(min_value=-20, max_value=150, allow_nan=False), min_size=1, max_size=12)


@example([-5e-324])  # low / 10 underflows to -0.0
@given(scores)
def test_axis_holds_every_value_on_whole_steps(values: list[float]) -> None:
    low, high, step = _scale(values)
    assert low <= min(values) and max(values) <= high
    assert high - low >= 20
    assert (high - low) % step == 0  # gridlines land on the ends of the axis
    assert high >= 100  # full marks always fit


def test_scale_zooms_in_on_close_scores() -> None:
    assert _scale([86.5, 93.9]) == (80, 100, 10)
    assert _scale([]) == (0, 100, 20)


def test_charts_draw_with_missing_points(cast) -> None:
    # cast: the fonts are registered through the Django settings.
    bars = level_one_bars(
        ["指标考核", "公众评议"],
        [Decimal("95.3"), Decimal("88")],
        [Decimal("89.1"), Decimal("88.8")],
        unit_label="农业服务中心",
        average_label="全体平均",
        width=480,
    )
    line = period_totals_line(
        ["第一季度", "第二季度", "上半年"],
        [Decimal("86.78"), None, Decimal("93.88")],
        [Decimal("88.55"), Decimal("88.91"), None],
        unit_label="农业服务中心",
        average_label="全体平均",
        width=480,
    )
    for drawing in (bars, line):
        assert drawing.width == 480
        assert drawing.getContents()  # something was laid out
