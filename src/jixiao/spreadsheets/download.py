"""Any list page as an .xlsx download: one Sheet definition plus the rows.

The list view builds its rows with the same selector as the page (so the file
never shows more than the page would) and returns ``xlsx_response(sheet, rows,
filename)``. Cells are written by ``export_workbook``: text that a spreadsheet
would evaluate (= + - @ …) is neutralised.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from jixiao.spreadsheets.columns import Column, Sheet
from jixiao.spreadsheets.export import export_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(sheet: Sheet, rows: Iterable[Any], filename: str) -> HttpResponse:
    """``rows`` are whatever the sheet's column getters read (objects or dicts)."""
    stem = filename.removesuffix(".xlsx").replace("/", "-").replace("\\", "-")
    response = HttpResponse(export_workbook(sheet, rows), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        True, f"{stem}-{date.today():%Y%m%d}.xlsx"
    )
    return response


def list_sheet(title: str, *columns: tuple[str, str]) -> Sheet:
    """A sheet of dict rows: ``(header, key)`` pairs, each cell read as ``row[key]``."""
    return Sheet(
        title=title[:31],  # Excel's limit for a worksheet title
        columns=tuple(
            Column(header=header, key=key, get=lambda row, key=key: row.get(key))
            for header, key in columns
        ),
    )
