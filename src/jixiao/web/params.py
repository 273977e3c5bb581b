"""Whole numbers from query strings and form fields, read safely.

``str.isdigit()`` is not enough: it accepts "²" and other Unicode digits that
``int()`` refuses, and numbers of any length, which the database cannot bind
(SQLite and PostgreSQL stop at 64 bits). Either turned a hand-edited URL such
as ``?year=²`` into a server error instead of "no such year".
"""

from __future__ import annotations

# 18 digits always fit a signed 64-bit integer (bigint, SQLite INTEGER).
MAX_DIGITS = 18


def int_param(raw: str | None) -> int | None:
    """``raw`` as a non-negative int when it is 1–18 ASCII digits, else None."""
    if raw and len(raw) <= MAX_DIGITS and raw.isascii() and raw.isdigit():
        return int(raw)
    return None
