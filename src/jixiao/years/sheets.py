"""Import a list of calendar exceptions (放假 / 调休上班) from .xlsx or .csv.

All or nothing: one row in error and nothing is saved, every row's problem is
reported. Idempotent: a day already as the file says is "unchanged", so importing
the same file twice changes nothing the second time.
"""

from __future__ import annotations

import csv
import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook

from jixiao.organisation.models import Unit
from jixiao.organisation.sheets import audit_import
from jixiao.spreadsheets import (
    Column,
    ImportReport,
    ParsedRow,
    RowResult,
    Sheet,
    SheetFileError,
    Status,
    labelled,
    read_sheet,
    run_import,
)
from jixiao.spreadsheets.columns import choice, date_cell, text
from jixiao.years.models import DayKind
from jixiao.years.services import CREATED, UPDATED, calendar_day_put

# Both the page's words and the notice's: "上班" is what the State Council writes.
KIND_LABELS = {
    "放假": DayKind.HOLIDAY,
    "休息": DayKind.HOLIDAY,
    "调休上班": DayKind.WORKDAY,
    "上班": DayKind.WORKDAY,
}

CALENDAR_SHEET = Sheet(
    title="工作日历",
    columns=(
        Column("日期", "date", parse=date_cell, required=True, example="2026-10-01"),
        Column("类型", "kind", parse=choice(KIND_LABELS), required=True, example="放假"),
        Column("名称", "name", parse=text(40), required=True, example="国庆节"),
    ),
)
HEADERS = {c.key: c.header for c in CALENDAR_SHEET.columns}
OUTCOMES = {CREATED: Status.CREATED, UPDATED: Status.UPDATED}

# Encodings an office's CSV comes in: Excel on Chinese Windows saves GB18030 (GBK).
CSV_ENCODINGS = ("utf-8-sig", "gb18030")


def csv_as_xlsx(data: bytes) -> bytes:
    """A CSV file turned into a one-sheet workbook, so both go through ``read_sheet``."""
    for encoding in CSV_ENCODINGS:
        try:
            content = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        break
    else:
        raise SheetFileError(_("无法识别 CSV 文件的编码，请另存为 UTF-8 或 .xlsx"))
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = CALENDAR_SHEET.title
    for row in csv.reader(io.StringIO(content)):
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def import_calendar(
    *,
    actor,
    org: Unit,
    data: bytes,
    filename: str = "",
    year: int | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Import days into ``org``'s calendar; raises SheetFileError for an unreadable file.

    With ``year``, a date in another year is an error (the page lists one year).
    """
    if filename.lower().endswith(".csv"):
        data = csv_as_xlsx(data)
    rows, warnings = read_sheet(data, CALENDAR_SHEET)
    return run_import(
        rows,
        lambda rows: _process(rows, org=org, year=year),
        dry_run=dry_run,
        warnings=warnings,
        on_applied=audit_import(actor=actor, org=org, what="工作日历", action="import.calendar"),
    )


def _process(rows: list[ParsedRow], *, org: Unit, year: int | None) -> list[RowResult]:
    results: list[RowResult] = []
    seen: dict = {}
    for row in rows:
        key = row.get("date").isoformat() if row.get("date") else ""
        if row.errors:
            results.append(RowResult(row.number, key, Status.ERROR, row.errors))
            continue
        day = row.get("date")
        if year is not None and day.year != year:
            message = _("%(date)s 不在 %(year)s 年内") % {"date": key, "year": year}
            results.append(
                RowResult(row.number, key, Status.ERROR, [labelled(HEADERS["date"], message)])
            )
            continue
        if day in seen:
            message = _("与第 %(row)s 行日期重复") % {"row": seen[day]}
            results.append(
                RowResult(row.number, key, Status.ERROR, [labelled(HEADERS["date"], message)])
            )
            continue
        seen[day] = row.number
        try:
            __, outcome = calendar_day_put(
                org=org, day=day, kind=row.get("kind"), name=row.get("name")
            )
        except ValidationError as exc:
            messages = [
                labelled(HEADERS.get(field, field), message)
                for field, errors in exc.message_dict.items()
                for message in errors
            ]
            results.append(RowResult(row.number, key, Status.ERROR, messages))
            continue
        results.append(RowResult(row.number, key, OUTCOMES.get(outcome, Status.UNCHANGED)))
    return results
