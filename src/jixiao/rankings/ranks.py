"""Competition ranking ("1224"): pure Python, no Django."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from decimal import Decimal


def rank(totals: Sequence[Decimal]) -> list[int]:
    """Each total's rank in the given order: 1 + the number of totals strictly greater.

    Equal totals share a rank and the next rank skips (100, 90, 90, 80 → 1, 2, 2, 4),
    the usual reading of 并列 in a published ranking.
    """
    ascending = sorted(totals)
    count = len(ascending)
    # Totals strictly greater than t = count − (number of totals ≤ t).
    return [1 + count - bisect_right(ascending, total) for total in totals]


def tied_ranks(ranks: Sequence[int]) -> set[int]:
    """Ranks held by more than one subject (shown as 并列)."""
    seen: set[int] = set()
    tied: set[int] = set()
    for value in ranks:
        (tied if value in seen else seen).add(value)
    return tied
