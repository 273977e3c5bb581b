"""Read a respondent frame (抽样框) from an Excel (.xlsx) or CSV file, pure Python.

The first non-empty row holds the column names (类别, 村（社区）, 电话, …); every
later non-empty row is one respondent. Values come back as stripped strings, so
a phone number typed as a number in Excel reads "13800138000", not 1.38e10.
CSV files may be UTF-8 (with or without the BOM Excel writes) or GB18030 (what
Excel on a Chinese Windows writes by default). Errors name the row as the user
sees it in Excel ("第 3 行"). No Django import: ``jixiao sample`` uses it.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

MAX_ROWS = 200_000  # a county's residents fit; a runaway file does not
ZIP_MAGIC = b"PK\x03\x04"
UTF8_BOM = b"\xef\xbb\xbf"


class FrameError(ValueError):
    """The file cannot be read as a frame; the message names the row when there is one."""


@dataclass(frozen=True)
class FrameRow:
    number: int  # the row number in the sheet (1-based, as Excel shows it)
    values: dict[str, str]


def read_frame(data: bytes, filename: str) -> tuple[list[str], list[dict[str, str]]]:
    """(column names, rows) of a frame file; each row maps column name → stripped string."""
    columns, rows = read_frame_numbered(data, filename)
    return columns, [row.values for row in rows]


def read_frame_numbered(data: bytes, filename: str) -> tuple[list[str], list[FrameRow]]:
    """As ``read_frame``, keeping each row's number for per-row messages."""
    suffix = PurePath(filename).suffix.lower()
    if suffix == ".xlsx":
        return _build(_xlsx_rows(data))
    if suffix == ".csv":
        return _build(_csv_rows(data))
    if suffix == ".xls":
        raise FrameError("不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx 或 .csv")
    raise FrameError(f"无法识别文件类型“{suffix or filename}”：请使用 .xlsx 或 .csv 文件")


def _build(raw: Iterable[tuple[int, list[str]]]) -> tuple[list[str], list[FrameRow]]:
    rows_iter = iter(raw)
    header_number, header = _first_nonempty(rows_iter)
    columns = _columns(header_number, header)
    rows: list[FrameRow] = []
    for number, values in rows_iter:
        if not any(values):
            continue
        extra = [v for v in values[len(columns) :] if v]
        if extra:
            raise FrameError(
                f"第 {number} 行有 {len(columns) + len(extra)} 个以上的值，"
                f"但第 {header_number} 行只有 {len(columns)} 个列名"
            )
        if len(rows) >= MAX_ROWS:
            raise FrameError(f"行数超过 {MAX_ROWS} 行，请分批导入")
        padded = values + [""] * (len(columns) - len(values))
        rows.append(FrameRow(number=number, values=dict(zip(columns, padded, strict=False))))
    return columns, rows


def _first_nonempty(rows: Iterator[tuple[int, list[str]]]) -> tuple[int, list[str]]:
    for number, values in rows:
        if any(values):
            return number, values
    raise FrameError("文件是空的：第 1 行应为列名（如 类别、村（社区）、电话）")


def _columns(number: int, header: list[str]) -> list[str]:
    # Excel leaves empty cells after the last column; a gap inside is a mistake.
    while header and not header[-1]:
        header = header[:-1]
    columns: list[str] = []
    for position, name in enumerate(header, start=1):
        if not name:
            raise FrameError(f"第 {number} 行（列名行）第 {position} 列的列名为空")
        if name in columns:
            raise FrameError(f"第 {number} 行（列名行）中列名“{name}”出现了不止一次")
        columns.append(name)
    return columns


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    if not data.startswith(ZIP_MAGIC):
        raise FrameError("文件不是 Excel（.xlsx）格式")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # a damaged or foreign zip: openpyxl raises many kinds
        raise FrameError("无法读取该 Excel 文件，文件可能已损坏") from None
    try:
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_cell(v) for v in values]
    finally:
        workbook.close()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 13800138000.0 → "13800138000"
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def _csv_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    text = _decode(data)
    # strict: an unclosed quote is an error here, not rows silently merged into one.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    number = 0
    try:
        for number, values in enumerate(reader, start=1):
            yield number, [v.strip() for v in values]
    except csv.Error as exc:
        raise FrameError(f"第 {number + 1} 行无法按 CSV 读取：{exc}") from None


def _decode(data: bytes) -> str:
    if data.startswith(UTF8_BOM):
        try:
            return data[len(UTF8_BOM) :].decode("utf-8")
        except UnicodeDecodeError as exc:
            line = _line_of(data, exc.start + len(UTF8_BOM))
            raise FrameError(f"文件以 UTF-8 标记开头，但第 {line} 行不是 UTF-8 文本") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc.start
    # Excel on a Chinese Windows saves CSV in the system code page (GBK ⊂ GB18030).
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        # Whichever reading got further is the file's likely encoding: name that line.
        line = _line_of(data, max(utf8_error, exc.start))
        raise FrameError(
            f"无法识别文件编码（第 {line} 行）：请另存为 UTF-8 或 GB18030 编码的 CSV"
        ) from None


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1
