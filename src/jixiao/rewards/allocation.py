"""Share a reward pool among people by weight, exact to the fen (分).

Pure Python, no Django: the ``jixiao allocate`` command and the rewards app both
use it. Money is Decimal yuan with at most two decimals; the arithmetic is done
in integer fen with exact fractions, so the shares always add up to the pool.

Method (largest remainder, also called Hamilton's method):

1. Each eligible row's exact share is ``pool × weight / total eligible weight``.
2. Every row gets its exact share rounded down to the fen.
3. The fen left over (fewer than the number of eligible rows) go one each to the
   rows with the largest discarded remainder. Ties: the larger weight first,
   then the row given earlier in ``shares`` (input order is the "key order";
   callers that want a different tie order sort their rows first).

Consequences the tests check: the amounts sum to the pool exactly; each amount
is within one fen of its exact share; an ineligible or zero-weight row gets 0;
a larger weight never gets less.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import TypeVar

K = TypeVar("K", bound=Hashable)

FEN = Decimal("0.01")


class AllocationError(ValueError):
    """Input that cannot be allocated; the message names the row (or the pool)."""

    def __init__(self, message: str, key: object = None) -> None:
        super().__init__(message)
        self.key = key


def _as_decimal(value: object, what: str, key: object = None) -> Decimal:
    # bool is an int, but True as a weight is surely a mistake.
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise AllocationError(f"{what} must be a Decimal, got {type(value).__name__}", key)
    number = Decimal(value)
    if not number.is_finite():
        raise AllocationError(f"{what} must be a finite number, got {value}", key)
    return number


def pool_in_fen(pool: object) -> int:
    """The pool as a whole number of fen; reject negatives and fractions of a fen."""
    amount = _as_decimal(pool, "pool")
    if amount < 0:
        raise AllocationError(f"pool must not be negative, got {amount}")
    fen = amount * 100
    if fen != fen.to_integral_value():
        raise AllocationError(f"pool must have at most 2 decimals (whole fen), got {amount}")
    return int(fen)


def allocate(pool: Decimal, shares: Sequence[tuple[K, Decimal, bool]]) -> dict[K, Decimal]:
    """Each key's amount in yuan (two decimals), in the order of ``shares``."""
    total_fen = pool_in_fen(pool)
    weights: dict[K, Fraction] = {}
    eligible: list[K] = []
    for key, weight, is_eligible in shares:
        if key in weights:
            raise AllocationError(f"row {key}: appears twice", key)
        number = _as_decimal(weight, f"row {key}: weight", key)
        if number < 0:
            raise AllocationError(f"row {key}: weight must not be negative, got {number}", key)
        weights[key] = Fraction(number)
        if is_eligible:
            eligible.append(key)
    fen: dict[K, int] = dict.fromkeys(weights, 0)
    total_weight = sum((weights[k] for k in eligible), Fraction(0))
    if total_fen and total_weight == 0:
        if not eligible:
            raise AllocationError(f"pool {pool} but no eligible row to receive it")
        raise AllocationError(
            f"row {eligible[0]}: every eligible row has weight 0, the pool {pool} cannot be shared",
            eligible[0],
        )
    if total_fen:
        remainders: list[tuple[Fraction, Fraction, int, K]] = []
        for position, key in enumerate(eligible):
            exact = total_fen * weights[key] / total_weight
            whole = exact.numerator // exact.denominator
            fen[key] = whole
            remainders.append((exact - whole, weights[key], -position, key))
        left = total_fen - sum(fen.values())
        # Largest remainder first; ties: larger weight, then earlier row.
        remainders.sort(key=lambda r: (r[0], r[1], r[2]), reverse=True)
        for _remainder, _weight, _position, key in remainders[:left]:
            fen[key] += 1
    return {key: (Decimal(cents) / 100).quantize(FEN) for key, cents in fen.items()}
