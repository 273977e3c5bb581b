"""The pure allocation: exact to the fen, largest remainder, errors naming the row."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao.rewards.allocation import AllocationError, allocate

D = Decimal


# --- hand examples --------------------------------------------------------------


def test_three_equal_weights_share_one_yuan_the_first_gets_the_odd_fen() -> None:
    # 100 fen / 3 = 33⅓ each; one fen left, equal remainders and weights: input order.
    assert allocate(D("1.00"), [("a", D(1), True), ("b", D(1), True), ("c", D(1), True)]) == {
        "a": D("0.34"),
        "b": D("0.33"),
        "c": D("0.33"),
    }


def test_largest_remainder_wins_the_leftover_fen() -> None:
    # 100 yuan by 3:2:1 among eligible (王五 not): 50, 33.333…, 16.666…
    # floors 50.00 + 33.33 + 16.66 = 99.99; the largest remainder (赵六, ⅔ fen) gets it.
    result = allocate(
        D(100),
        [("张三", D(3), True), ("李四", D(2), True), ("王五", D(5), False), ("赵六", D(1), True)],
    )
    assert result == {"张三": D("50.00"), "李四": D("33.33"), "王五": D("0.00"), "赵六": D("16.67")}


def test_equal_remainders_go_to_the_larger_weight_first() -> None:
    # 1 fen by weights 1 and 3: exact ¼ and ¾ fen → the larger remainder wins.
    assert allocate(D("0.01"), [("a", D(1), True), ("b", D(3), True)]) == {
        "a": D("0.00"),
        "b": D("0.01"),
    }
    # 2 fen by 1, 1, 2 (sum 4): ½, ½, 1 → floors 0, 0, 1; one fen left, a and b tie on
    # remainder and weight: the earlier row.
    assert allocate(D("0.02"), [("a", D(1), True), ("b", D(1), True), ("c", D(2), True)]) == {
        "a": D("0.01"),
        "b": D("0.00"),
        "c": D("0.01"),
    }
    # 2 fen by weights 1 and 3: ½ and 1½ → equal remainders ½; the heavier row gets it.
    assert allocate(D("0.02"), [("a", D(1), True), ("b", D(3), True)]) == {
        "a": D("0.00"),
        "b": D("0.02"),
    }


def test_zero_pool_gives_everyone_zero_even_with_zero_weights() -> None:
    assert allocate(D(0), [("a", D(0), True), ("b", D(2), False)]) == {
        "a": D("0.00"),
        "b": D("0.00"),
    }


@pytest.mark.parametrize(
    ("pool", "shares", "message", "key"),
    [
        (D("1.005"), [("a", D(1), True)], "at most 2 decimals", None),
        (D("-1"), [("a", D(1), True)], "must not be negative", None),
        (D(10), [("a", D(1), True), ("b", D(-1), True)], "row b: weight must not be negative", "b"),
        (
            D(10),
            [("a", D(0), True), ("b", D(0), True)],
            "row a: every eligible row has weight 0",
            "a",
        ),
        (D(10), [("a", D(1), False)], "no eligible row", None),
        (D(10), [("a", D(1), True), ("a", D(2), True)], "row a: appears twice", "a"),
        (D(10), [("a", 1.5, True)], "row a: weight must be a Decimal", "a"),
        (D(10), [("a", D("NaN"), True)], "row a: weight must be a finite number", "a"),
        (D("Infinity"), [("a", D(1), True)], "pool must be a finite number", None),
    ],
)
def test_bad_input_names_the_row(pool, shares, message, key) -> None:
    with pytest.raises(AllocationError, match=message) as info:
        allocate(pool, shares)
    assert info.value.key == key


def test_a_pool_with_trailing_zeros_is_whole_fen() -> None:
    assert allocate(D("3.000"), [("a", D(1), True)]) == {"a": D("3.00")}


# --- properties -----------------------------------------------------------------

pools = st.integers(min_value=0, max_value=10**10).map(lambda fen: D(fen) / 100)
weights = st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False)
rows = st.lists(st.tuples(weights, st.booleans()), min_size=1, max_size=30)


def _shares(data):
    return [(i, w, e) for i, (w, e) in enumerate(data)]


def _positive(data) -> bool:
    return any(e and w > 0 for w, e in data)


@given(pools, rows)
def test_sum_exact_each_within_a_fen_ineligible_zero(pool, data) -> None:
    shares = _shares(data)
    if pool > 0 and not _positive(data):
        with pytest.raises(AllocationError):
            allocate(pool, shares)
        return
    result = allocate(pool, shares)
    assert list(result) == [k for k, _, _ in shares]
    assert sum(result.values()) == pool
    total = sum((Fraction(w) for _, w, e in shares if e), Fraction(0))
    for key, weight, eligible in shares:
        amount = result[key]
        assert amount == amount.quantize(D("0.01"))
        if not eligible or pool == 0:
            assert amount == 0
            continue
        exact = Fraction(pool) * Fraction(weight) / total
        assert abs(Fraction(amount) - exact) < Fraction(1, 100)
        assert amount >= 0


@given(pools.filter(lambda p: p > 0), rows.filter(_positive))
def test_monotone_in_weight(pool, data) -> None:
    shares = _shares(data)
    result = allocate(pool, shares)
    eligible = [(w, result[k]) for k, w, e in shares if e]
    for w1, a1 in eligible:
        for w2, a2 in eligible:
            if w1 > w2:
                assert a1 >= a2
            if w1 == w2:
                assert abs(a1 - a2) <= D("0.01")


@given(pools.filter(lambda p: p > 0), rows.filter(_positive), st.integers(0, 29))
def test_raising_one_weight_never_lowers_its_exact_share_floor(pool, data, pick) -> None:
    # Raising a row's weight cannot lower its exact share, so its amount can fall by at
    # most the one rounding fen it may lose.
    index = pick % len(data)
    weight, eligible = data[index]
    if not eligible:
        return
    before = allocate(pool, _shares(data))[index]
    bigger = list(data)
    bigger[index] = (weight + 1, True)
    after = allocate(pool, _shares(bigger))[index]
    assert after >= before - D("0.01")
