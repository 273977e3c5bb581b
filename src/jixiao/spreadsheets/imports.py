"""Read an uploaded .xlsx into parsed rows, and run an import all-or-nothing.

An import always runs inside one transaction. A dry run (the default) and an
import with any row in error are rolled back, so the preview exercises exactly
the code that applies the file (as django-import-export does) and a failed
import leaves nothing half-saved.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from openpyxl import load_workbook

from jixiao.spreadsheets.columns import CellError, Sheet

MAX_ROWS = 5000
ZIP_MAGIC = b"PK\x03\x04"


class Status(StrEnum):
    """A row's outcome. The values are data (``counts`` keys, audit records), so they
    stay Chinese in every language; pages show ``label`` and compare members."""

    CREATED = "新增"
    UPDATED = "更新"
    UNCHANGED = "不变"
    ERROR = "错误"

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])

    @property
    def is_error(self) -> bool:
        return self is Status.ERROR

    @property
    def badge(self) -> str:
        """The CSS class of the outcome's badge: red for errors, green for changes."""
        if self is Status.ERROR:
            return "bad"
        return "" if self is Status.UNCHANGED else "ok"


STATUS_LABELS = {
    Status.CREATED: pgettext_lazy("import status", "新增"),
    Status.UPDATED: pgettext_lazy("import status", "更新"),
    Status.UNCHANGED: pgettext_lazy("import status", "不变"),
    Status.ERROR: pgettext_lazy("import status", "错误"),
}


class SheetFileError(Exception):
    """The file as a whole cannot be imported (not .xlsx, required columns missing…)."""

    def __init__(self, *messages: str) -> None:
        super().__init__("；".join(messages))
        self.messages = list(messages)


@dataclass
class ParsedRow:
    number: int  # the row number Excel shows
    values: dict[str, Any]  # by column key; only columns present in the file
    errors: list[str] = field(default_factory=list)

    def has(self, key: str) -> bool:
        return key in self.values

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)


@dataclass
class RowResult:
    row: int
    key: str  # the row's code, as the user typed it
    status: Status
    messages: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    rows: list[RowResult] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = True
    applied: bool = False

    @property
    def has_errors(self) -> bool:
        return any(r.status == Status.ERROR for r in self.rows)

    @property
    def counts(self) -> dict[str, int]:
        counts = {status.value: 0 for status in Status}
        for result in self.rows:
            counts[result.status.value] += 1
        return counts

    @property
    def tallies(self) -> list[tuple[Status, int]]:
        """(status, count) in the order of ``Status``, for display."""
        counts = self.counts
        return [(status, counts[status.value]) for status in Status]

    @property
    def changed(self) -> int:
        return sum(r.status in (Status.CREATED, Status.UPDATED) for r in self.rows)


def labelled(label: str, message: str) -> str:
    """A message prefixed with the column (or field) it is about: "名称：必填"."""
    return _("%(label)s：%(message)s") % {"label": label, "message": message}


def _header(value: Any) -> str:
    # Tolerate a "*" users add to mark required columns, and stray spaces.
    return str(value).strip().rstrip("*＊").strip() if value is not None else ""


def read_sheet(
    data: bytes, sheet: Sheet, *, max_rows: int = MAX_ROWS
) -> tuple[list[ParsedRow], list[str]]:
    """Parse every data row; returns (rows, warnings) or raises SheetFileError."""
    if not data.startswith(ZIP_MAGIC):
        raise SheetFileError(
            _("文件不是 Excel（.xlsx）格式；.xls 或 .csv 文件请先在 Excel 中另存为 .xlsx")
        )
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # a damaged or foreign zip: openpyxl raises many kinds
        raise SheetFileError(
            _("无法读取该 Excel 文件，文件可能已损坏，或不是 .xlsx 格式")
        ) from None
    try:
        ws = workbook[sheet.title] if sheet.title in workbook.sheetnames else workbook.worksheets[0]
        raw_rows = ws.iter_rows(values_only=True)
        header_row = next(raw_rows, None)
        if header_row is None:
            raise SheetFileError(_("工作表是空的：第 1 行应为列名"))
        positions, warnings = _match_headers(header_row, sheet)
        rows = []
        for number, values in enumerate(raw_rows, start=2):
            if all(v is None or str(v).strip() == "" for v in values):
                continue
            if len(rows) >= max_rows:
                raise SheetFileError(
                    _("行数超过 %(max_rows)s 行，请分批导入") % {"max_rows": max_rows}
                )
            rows.append(_parse_row(number, values, positions, sheet))
    finally:
        workbook.close()
    return rows, warnings


def _match_headers(header_row: Iterable[Any], sheet: Sheet) -> tuple[dict[str, int], list[str]]:
    known = {c.header: c for c in sheet.columns}
    positions: dict[str, int] = {}
    extra, problems = [], []
    for index, value in enumerate(header_row):
        header = _header(value)
        if not header:
            continue
        column = known.get(header)
        if column is None:
            extra.append(header)
        elif column.key in positions:
            problems.append(_("列“%(header)s”出现了不止一次") % {"header": header})
        else:
            positions[column.key] = index
    missing = [c.header for c in sheet.columns if c.required and c.key not in positions]
    if missing:
        problems.append(
            _("缺少必填列：%(headers)s（第 1 行应为列名，请使用导入模板）")
            % {"headers": _("、").join(missing)}
        )
    if problems:
        raise SheetFileError(*problems)
    warnings = (
        [_("以下列无法识别，不会导入：%(headers)s") % {"headers": _("、").join(extra)}]
        if extra
        else []
    )
    return positions, warnings


def _parse_row(number: int, values: tuple, positions: dict[str, int], sheet: Sheet) -> ParsedRow:
    row = ParsedRow(number=number, values={})
    for column in sheet.columns:
        if column.key not in positions:
            continue
        index = positions[column.key]
        raw = values[index] if index < len(values) else None
        try:
            value = column.parse(raw) if column.parse else raw
        except CellError as exc:
            row.errors.append(labelled(column.header, str(exc)))
            continue
        if column.required and value in (None, "", []):
            row.errors.append(labelled(column.header, _("必填")))
            continue
        row.values[column.key] = value
    return row


def run_import(
    rows: list[ParsedRow],
    process: Callable[[list[ParsedRow]], list[RowResult]],
    *,
    dry_run: bool = True,
    warnings: list[str] | None = None,
    on_applied: Callable[[ImportReport], None] | None = None,
) -> ImportReport:
    """Run ``process`` (which writes through services) in one transaction.

    Rolled back unless this is not a dry run and every row succeeded;
    ``on_applied`` runs inside the transaction of an applied import that changed
    something (to record one audit event for the import as a whole).
    """
    report = ImportReport(dry_run=dry_run, warnings=list(warnings or []))
    with transaction.atomic():
        report.rows = sorted(process(rows), key=lambda r: r.row)
        if dry_run or report.has_errors:
            transaction.set_rollback(True)
        else:
            report.applied = True
            if on_applied is not None and report.changed:
                on_applied(report)
    return report
