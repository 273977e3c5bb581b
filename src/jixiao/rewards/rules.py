"""How a rule turns one subject's results into an allocation weight (pure, no Django).

The defaults below are ours, not the seeds': 002 and 003 say "by contribution"
and "tied to 10–20 % of the year-end bonus" without figures, so the office can
change every one of them on the pool.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from jixiao.engine.numbers import plain

# Ours: 优 1.2 / 良 1.0 / 一般 0.8 / 差 0, and the same steps for the grade names of
# 003 (优秀/良好/及格/不及格) and 004 (优秀/合格/不合格).
DEFAULT_COEFFICIENTS: dict[str, str] = {
    "优": "1.2",
    "优秀": "1.2",
    "良": "1.0",
    "良好": "1.0",
    "合格": "1.0",
    "一般": "0.8",
    "及格": "0.8",
    "差": "0",
    "不及格": "0",
    "不合格": "0",
}
# Ours: 003 ties 10–20 % of the year-end bonus to the monthly checks; we take 20 %.
DEFAULT_COMPLIANCE_SHARE = Decimal("0.20")
MONTHS = 12
# 002 篇一: the county rewards the town only if it rates the town 良 or better.
COUNTY_GRADES = ("优", "良", "一般", "差")
REWARDED_COUNTY_GRADES = ("优", "良")


@dataclass(frozen=True)
class Weight:
    value: Decimal  # what the allocation uses (exact)
    shown: Decimal  # what the table shows (value / scale, for monthly compliance)
    explain: str


def contribution_weight(base: Decimal, source: str) -> Weight:
    return Weight(base, base, f"{source} {plain(base)}")


def grade_weight(grade: str, coefficient: Decimal) -> Weight:
    return Weight(coefficient, coefficient, f"等次 {grade}，系数 {plain(coefficient)}")


def compliance_weight(base: Decimal, source: str, months_ok: int, share: Decimal) -> Weight:
    """base × ((1 − share) + share × months_ok / 12), kept exact by scaling by 12.

    Every row is scaled by the same 12, which does not change anyone's share.
    """
    scaled = base * ((1 - share) * MONTHS + share * months_ok)
    return Weight(
        scaled,
        (scaled / MONTHS).quantize(Decimal("0.00000001")),
        f"{source} {plain(base)} × (1 − {plain(share)} + {plain(share)} × {months_ok}/12)",
    )


def county_pool(county_reward: Decimal, county_grade: str) -> tuple[Decimal, str]:
    """(amount, explanation): the county's reward plus the town's equal matching."""
    if county_grade in REWARDED_COUNTY_GRADES:
        return (
            county_reward * 2,
            f"县级奖励 {county_reward:.2f} 元 + 镇配套 {county_reward:.2f} 元"
            f"（县评估等次 {county_grade}）",
        )
    return Decimal("0.00"), f"县评估等次为{county_grade}，不予奖励"
