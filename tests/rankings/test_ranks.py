"""Competition ranking (1224) by hand and by property."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from jixiao.rankings.ranks import rank, tied_ranks


def d(*values: str) -> list[Decimal]:
    return [Decimal(v) for v in values]


def test_ties_share_a_rank_and_the_next_rank_skips() -> None:
    assert rank(d("90", "100", "90", "80")) == [2, 1, 2, 4]


def test_all_equal_are_all_first() -> None:
    assert rank(d("85.5", "85.50", "85.5")) == [1, 1, 1]


def test_empty_and_single() -> None:
    assert rank([]) == []
    assert rank(d("0")) == [1]


def test_tied_ranks_names_shared_ranks_only() -> None:
    assert tied_ranks([2, 1, 2, 4]) == {2}
    assert tied_ranks([1, 2, 3]) == set()


totals = st.lists(
    st.decimals(min_value=0, max_value=120, places=2, allow_nan=False, allow_infinity=False),
    max_size=30,
)


@given(totals)
def test_rank_is_one_plus_the_number_strictly_greater(values: list[Decimal]) -> None:
    assert rank(values) == [1 + sum(other > v for other in values) for v in values]


@given(totals)
def test_equal_totals_equal_rank(values: list[Decimal]) -> None:
    ranks = rank(values)
    for i, a in enumerate(values):
        for j, b in enumerate(values):
            assert (ranks[i] == ranks[j]) == (a == b)


@given(totals)
def test_ranks_do_not_decrease_along_totals_sorted_high_to_low(values: list[Decimal]) -> None:
    ranks = [r for __, r in sorted(zip(values, rank(values), strict=True), key=lambda p: -p[0])]
    assert ranks == sorted(ranks)
    if ranks:
        assert ranks[0] == 1
