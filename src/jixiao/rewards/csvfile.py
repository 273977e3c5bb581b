"""Read the ``jixiao allocate`` CSV and write its result. Pure Python, no Django.

Input: a header row naming the columns ``name``, ``weight`` and ``eligible`` (in
any order; other columns are ignored, so a finance sheet with a notes column
works), then one row per person. ``eligible`` is ``yes``/``no`` (any case) or
``是``/``否``, because the finance office types Chinese. A UTF-8 byte-order mark
(Excel's "CSV UTF-8") is skipped. Names must be unique and not blank: the output
is keyed by name, so a duplicate would be ambiguous.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from jixiao.rewards.allocation import FEN, AllocationError, allocate

COLUMNS = ("name", "weight", "eligible")
YES = {"yes", "是"}
NO = {"no", "否"}


class CsvInputError(ValueError):
    """One line for the user: where (file:line or column) and what is wrong."""


@dataclass(frozen=True)
class Row:
    line: int
    name: str
    weight: Decimal
    eligible: bool


def parse_pool(text: str) -> Decimal:
    try:
        pool = Decimal(text.strip())
    except InvalidOperation:
        raise CsvInputError(f"--pool: {text!r} is not an amount in yuan") from None
    if not pool.is_finite():
        raise CsvInputError(f"--pool: {text!r} is not an amount in yuan")
    if pool < 0:
        raise CsvInputError(f"--pool: must not be negative, got {text}")
    if pool != pool.quantize(FEN):
        raise CsvInputError(f"--pool: at most 2 decimals (whole fen), got {text}")
    return pool


def parse_rows(text: str, source: str) -> list[Row]:
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise CsvInputError(f"{source}: empty file (expected a header: name,weight,eligible)")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [cell.strip().lower() for cell in next(reader)]
    except csv.Error as exc:
        raise CsvInputError(f"{source}:1: unreadable CSV: {exc}") from None
    for column in COLUMNS:
        if column not in header:
            raise CsvInputError(
                f"{source}:1: missing column {column!r} (the header must name "
                "name, weight and eligible)"
            )
        if header.count(column) > 1:
            raise CsvInputError(f"{source}:1: column {column!r} appears twice")
    index = {column: header.index(column) for column in COLUMNS}
    rows: list[Row] = []
    seen: dict[str, int] = {}
    try:
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue  # blank lines, e.g. a trailing one from a spreadsheet
            rows.append(_row(cells, index, line, source, seen))
    except csv.Error as exc:
        raise CsvInputError(f"{source}:{reader.line_num}: unreadable CSV: {exc}") from None
    if not rows:
        raise CsvInputError(f"{source}: no rows after the header")
    return rows


def _row(
    cells: Sequence[str], index: dict[str, int], line: int, source: str, seen: dict[str, int]
) -> Row:
    where = f"{source}:{line}"
    if len(cells) <= max(index.values()):
        raise CsvInputError(f"{where}: {len(cells)} cells, the header has more columns")
    name = cells[index["name"]].strip()
    if not name:
        raise CsvInputError(f"{where}: column 'name' is empty")
    if name in seen:
        raise CsvInputError(f"{where}: name {name!r} already on line {seen[name]}")
    seen[name] = line
    raw_weight = cells[index["weight"]].strip()
    try:
        weight = Decimal(raw_weight)
    except InvalidOperation:
        weight = None
    if weight is None or not weight.is_finite():
        raise CsvInputError(f"{where}: column 'weight' of {name!r}: {raw_weight!r} is not a number")
    if weight < 0:
        raise CsvInputError(f"{where}: column 'weight' of {name!r}: negative weight {raw_weight}")
    raw_eligible = cells[index["eligible"]].strip()
    if raw_eligible.lower() in YES:
        eligible = True
    elif raw_eligible.lower() in NO:
        eligible = False
    else:
        raise CsvInputError(
            f"{where}: column 'eligible' of {name!r}: {raw_eligible!r} is not yes/no (是/否)"
        )
    return Row(line=line, name=name, weight=weight, eligible=eligible)


def allocate_rows(pool: Decimal, rows: Sequence[Row], source: str) -> list[tuple[str, Decimal]]:
    """(name, amount) in input order."""
    try:
        amounts = allocate(pool, [(row.line, row.weight, row.eligible) for row in rows])
    except AllocationError as exc:
        if exc.key is None:
            raise CsvInputError(f"{source}: {exc}") from None
        row = next(r for r in rows if r.line == exc.key)
        detail = str(exc).removeprefix(f"row {exc.key}: ")
        raise CsvInputError(f"{source}:{row.line}: {row.name!r}: {detail}") from None
    return [(row.name, amounts[row.line]) for row in rows]


def render(result: Sequence[tuple[str, Decimal]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["name", "amount"])
    for name, amount in result:
        writer.writerow([name, f"{amount:.2f}"])
    return out.getvalue()
