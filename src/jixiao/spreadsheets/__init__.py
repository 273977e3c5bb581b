"""Excel (.xlsx) round trip shared by every list: templates, exports and imports.

A ``Sheet`` is an ordered list of ``Column``s; ``export`` turns objects into a
workbook, ``imports`` reads one back into per-row results. Knows nothing about
models: the apps define their sheets and what a parsed row means.
"""

from jixiao.spreadsheets.columns import CellError, Column, Sheet, neutralise
from jixiao.spreadsheets.export import HELP_TITLE, export_workbook, template_workbook
from jixiao.spreadsheets.imports import (
    ImportReport,
    ParsedRow,
    RowResult,
    SheetFileError,
    Status,
    labelled,
    read_sheet,
    run_import,
)

__all__ = [
    "HELP_TITLE",
    "CellError",
    "Column",
    "ImportReport",
    "ParsedRow",
    "RowResult",
    "Sheet",
    "SheetFileError",
    "Status",
    "export_workbook",
    "labelled",
    "neutralise",
    "read_sheet",
    "run_import",
    "template_workbook",
]
