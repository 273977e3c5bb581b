"""Write sheets to .xlsx: exports of a list, and blank templates with an example row."""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from jixiao.spreadsheets.columns import Sheet, neutralise

HELP_TITLE = "说明"
DATE_FORMAT = "yyyy-mm-dd"
MIN_WIDTH, MAX_WIDTH = 8, 50


def cell_value(value: Any) -> Any:
    """A Python value as a safe cell value: text never evaluates as a formula."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        # Excel stores doubles; an integral value is written without ".0000".
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, int | float | date | datetime):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    return neutralise(text)


def _display_width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, date):
        return 10
    text = str(value)
    # CJK characters take two columns.
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _write_rows(ws: Worksheet, sheet: Sheet, rows: Iterable[list[Any]]) -> None:
    widths = [_display_width(c.header) for c in sheet.columns]
    ws.append([c.header for c in sheet.columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="center")
    for values in rows:
        ws.append([cell_value(v) for v in values])
        for index, value in enumerate(values):
            widths[index] = max(widths[index], _display_width(value))
    for index, column in enumerate(sheet.columns):
        letter = get_column_letter(index + 1)
        width = column.width or min(max(widths[index] + 2, MIN_WIDTH), MAX_WIDTH)
        ws.column_dimensions[letter].width = width
        for cell in ws[letter][1:]:
            if isinstance(cell.value, date | datetime):
                cell.number_format = DATE_FORMAT
    ws.freeze_panes = "A2"


def _to_bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def export_workbook(sheet: Sheet, objects: Iterable[Any]) -> bytes:
    """One worksheet: a bold, frozen header row and one row per object."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet.title
    _write_rows(
        ws, sheet, ([c.get(obj) if c.get else None for c in sheet.columns] for obj in objects)
    )
    return _to_bytes(wb)


def template_workbook(sheet: Sheet) -> bytes:
    """The headers, one example row, and a second sheet explaining each column."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet.title
    _write_rows(ws, sheet, [[c.example for c in sheet.columns]])
    notes = wb.create_sheet(HELP_TITLE)
    notes.append(["列名", "是否必填", "说明", "示例"])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for column in sheet.columns:
        notes.append(
            [
                cell_value(column.header),
                "必填" if column.required else "选填",
                cell_value(column.help),
                cell_value(column.example),
            ]
        )
    notes.append([])
    notes.append(
        ["第一行是列名，请勿修改；示例行可以删除或覆盖。导入时先试运行，确认无误后再导入。"]
    )
    for letter, width in zip("ABCD", (16, 10, 70, 24), strict=True):
        notes.column_dimensions[letter].width = width
    for row in notes.iter_rows(min_row=2, max_col=4):
        row[2].alignment = Alignment(wrap_text=True, vertical="top")
        if isinstance(row[3].value, date):
            row[3].number_format = DATE_FORMAT
    notes.freeze_panes = "A2"
    return _to_bytes(wb)
