"""Build and read small .xlsx files in tests."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook, load_workbook


def make_xlsx(headers: list[str], rows: list[list[Any]], *, title: str = "Sheet") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.append(headers)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def read_xlsx(data: bytes, sheet: str | None = None) -> list[list[Any]]:
    """Every row's values (what a user sees in Excel, formulas not evaluated)."""
    wb = load_workbook(io.BytesIO(data))
    ws = wb[sheet] if sheet else wb.worksheets[0]
    return [list(row) for row in ws.iter_rows(values_only=True)]
