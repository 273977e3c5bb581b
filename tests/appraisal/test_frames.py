"""Reading respondent frames from .xlsx and .csv (jixiao.appraisal.frames)."""

from __future__ import annotations

import datetime
import io

import pytest
from openpyxl import Workbook

from jixiao.appraisal.frames import FrameError, read_frame, read_frame_numbered

HEADER = ["类别", "村（社区）", "姓名", "电话"]
ROWS = [
    ["人大代表", "白莲村", "张三", "13800138000"],
    ["企业主", "新民社区", "李四", "13900139000"],
]
EXPECTED = [dict(zip(HEADER, row, strict=True)) for row in ROWS]


def xlsx(*rows: list[object]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_text(*rows: list[str]) -> str:
    return "".join(",".join(row) + "\r\n" for row in rows)


# --- Excel --------------------------------------------------------------------


def test_xlsx_values_come_back_as_strings() -> None:
    data = xlsx(
        [*HEADER, None],  # an empty cell after the last column, as Excel leaves them
        ["人大代表", "白莲村", " 张三 ", 13800138000],  # the phone typed as a number
        [None, None, None, None],
        ["企业主", "新民社区", "李四", 13900139000.0],
    )
    columns, rows = read_frame(data, "抽样框.XLSX")
    assert columns == HEADER
    assert rows == EXPECTED


def test_xlsx_dates_and_numbers() -> None:
    data = xlsx(
        ["类别", "登记日期", "年龄", "比例"], ["企业主", datetime.datetime(2026, 7, 1), 45, 0.5]
    )
    _, rows = read_frame(data, "f.xlsx")
    assert rows == [{"类别": "企业主", "登记日期": "2026-07-01", "年龄": "45", "比例": "0.5"}]


def test_xlsx_row_numbers_are_the_sheet_rows() -> None:
    data = xlsx([None], HEADER, ROWS[0], [], ROWS[1])
    columns, rows = read_frame_numbered(data, "f.xlsx")
    assert columns == HEADER
    assert [row.number for row in rows] == [3, 5]


def test_xlsx_that_is_not_excel() -> None:
    with pytest.raises(FrameError, match="不是 Excel"):
        read_frame(csv_text(HEADER).encode(), "f.xlsx")
    with pytest.raises(FrameError, match="损坏"):
        read_frame(b"PK\x03\x04 broken", "f.xlsx")


# --- CSV ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda text: text.encode("utf-8"), id="utf-8"),
        pytest.param(lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"), id="utf-8-bom"),
        pytest.param(lambda text: text.encode("gb18030"), id="gb18030"),
        pytest.param(lambda text: text.encode("gbk"), id="gbk"),
    ],
)
def test_csv_encodings(encode) -> None:
    columns, rows = read_frame(encode(csv_text(HEADER, *ROWS)), "frame.csv")
    assert columns == HEADER  # the BOM does not stick to the first column name
    assert rows == EXPECTED


def test_csv_skips_empty_rows_and_strips_values() -> None:
    text = (
        "\n类别, 村（社区） ,姓名,电话\n\n,,,\n"
        " 人大代表 ,白莲村,张三,13800138000\n企业主,新民社区,李四,13900139000\n\n"
    )
    columns, rows = read_frame_numbered(text.encode(), "f.csv")
    assert columns == HEADER
    assert [row.values for row in rows] == EXPECTED
    assert [row.number for row in rows] == [5, 6]


def test_csv_short_rows_are_padded_and_quoted_commas_kept() -> None:
    text = csv_text(HEADER, ["企业主", '"新民社区,三组"'])
    _, rows = read_frame(text.encode(), "f.csv")
    assert rows == [{"类别": "企业主", "村（社区）": "新民社区,三组", "姓名": "", "电话": ""}]


def test_csv_in_no_known_encoding() -> None:
    data = csv_text(HEADER).encode() + b"\xff\xfe\x80\n"
    with pytest.raises(FrameError, match="第 2 行"):
        read_frame(data, "f.csv")


def test_bom_then_not_utf8_names_the_line() -> None:
    data = b"\xef\xbb\xbf" + csv_text(HEADER, ROWS[0]).encode() + "企业主".encode("gbk")
    with pytest.raises(FrameError, match="第 3 行不是 UTF-8"):
        read_frame(data, "f.csv")


# --- header and row errors ----------------------------------------------------


@pytest.mark.parametrize(
    ("data", "filename"),
    [(b"", "f.csv"), (b"\r\n,,\r\n", "f.csv"), (xlsx(), "f.xlsx"), (xlsx([None, None]), "f.xlsx")],
)
def test_a_file_without_a_header_row(data: bytes, filename: str) -> None:
    with pytest.raises(FrameError, match="文件是空的：第 1 行应为列名"):
        read_frame(data, filename)


def test_a_header_with_a_gap_names_the_row_and_column() -> None:
    with pytest.raises(FrameError, match="第 2 行（列名行）第 2 列的列名为空"):
        read_frame(b"\n\xe7\xb1\xbb\xe5\x88\xab,,\xe7\x94\xb5\xe8\xaf\x9d\n", "f.csv")


def test_a_repeated_column_name() -> None:
    with pytest.raises(FrameError, match="列名“电话”出现了不止一次"):
        read_frame(xlsx(["类别", "电话", "电话"]), "f.xlsx")


def test_a_row_longer_than_the_header_names_the_row() -> None:
    data = xlsx(HEADER, ROWS[0], [*ROWS[1], "多余"])
    with pytest.raises(FrameError, match="第 3 行"):
        read_frame(data, "f.xlsx")
    text = csv_text(HEADER, ROWS[0], ROWS[1], [*ROWS[1], "多余"])
    with pytest.raises(FrameError, match="第 4 行"):
        read_frame(text.encode(), "f.csv")


def test_an_unclosed_quote_names_the_row() -> None:
    # Without strict reading the rest of the file would vanish into one field.
    text = csv_text(HEADER, ROWS[0]) + '企业主,"新民社区,李四,139\r\n' + csv_text(*ROWS)
    with pytest.raises(FrameError, match="第 3 行无法按 CSV 读取"):
        read_frame(text.encode(), "f.csv")


def test_a_gbk_file_with_a_bad_byte_names_its_line() -> None:
    data = csv_text(HEADER, *ROWS).encode("gbk") + "企业主".encode("gbk") + b"\xff\n"
    with pytest.raises(FrameError, match="第 4 行"):
        read_frame(data, "f.csv")


@pytest.mark.parametrize(
    ("filename", "message"), [("f.xls", "另存为"), ("f.txt", ".txt"), ("f", "“f”")]
)
def test_unsupported_file_types(filename: str, message: str) -> None:
    with pytest.raises(FrameError, match=message):
        read_frame(csv_text(HEADER).encode(), filename)


def test_too_many_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("jixiao.appraisal.frames.MAX_ROWS", 2)
    assert len(read_frame(csv_text(HEADER, *ROWS).encode(), "f.csv")[1]) == 2
    with pytest.raises(FrameError, match="行数超过 2 行"):
        read_frame(csv_text(HEADER, *ROWS, ROWS[0]).encode(), "f.csv")
