"""Decimal helpers: exact parsing and the one rounding the engine does."""

from __future__ import annotations

import decimal
from decimal import ROUND_HALF_UP, Decimal

# Enough digits that no intermediate result of a realistic scheme is rounded;
# only the final total is, and only by ``round_total``.
CONTEXT = decimal.Context(prec=60, rounding=ROUND_HALF_UP, traps=[decimal.InvalidOperation])

CENT = Decimal("0.01")
ZERO = Decimal(0)
HUNDRED = Decimal(100)


def to_decimal(value: object) -> Decimal:
    """Convert a number from TOML, JSON or Python to an exact Decimal.

    Floats go through their shortest repr, so 87.8 becomes Decimal("87.8")
    and not the binary approximation 87.799999999999997...
    Raises TypeError for anything that is not a finite number.
    """
    if isinstance(value, bool):
        raise TypeError("a boolean is not a number")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        result = Decimal(repr(value))
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except decimal.InvalidOperation:
            raise TypeError(f"{value!r} is not a number") from None
    else:
        raise TypeError(f"{type(value).__name__} is not a number")
    if not result.is_finite():
        raise TypeError(f"{value!r} is not a finite number")
    return result


# Division by full marks such as 60 leaves repeating digits cut at 60 places, so an
# exact half cent can arrive as 0.6049999…(60 digits). Settling the value at 40
# places first restores it (the cut error is ~1e-58), then half-up applies.
SETTLE = Decimal("1e-40")


def round_total(value: Decimal) -> Decimal:
    """Round half-up to two decimals: 89.995 -> 90.00, 89.994999 -> 89.99."""
    settled = value.quantize(SETTLE, rounding=ROUND_HALF_UP, context=CONTEXT)
    return settled.quantize(CENT, rounding=ROUND_HALF_UP)


def plain(value: Decimal) -> str:
    """Shortest exact text of a Decimal, without exponent: 70.2400 -> '70.24'."""
    if value == 0:
        return "0"
    text = format(value.normalize(CONTEXT), "f")
    return text
