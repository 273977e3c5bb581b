"""Exports and templates as Excel reads them back."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from openpyxl import load_workbook

from jixiao.spreadsheets import Column, Sheet, export_workbook, template_workbook
from jixiao.spreadsheets.columns import date_cell, decimal, text

SHEET = Sheet(
    title="测试",
    columns=(
        Column("编码", "code", get=lambda o: o.code, parse=text(10), required=True, example="a1"),
        Column("名称", "name", get=lambda o: o.name, parse=text(50), help="单位名称"),
        Column("日期", "day", get=lambda o: o.day, parse=date_cell, example=date(2025, 12, 31)),
        Column("数值", "value", get=lambda o: o.value, parse=decimal(14, 4), example=5),
    ),
)


def _load(data: bytes):
    return load_workbook(io.BytesIO(data))


def test_export_has_bold_frozen_header_and_typed_cells() -> None:
    rows = [
        SimpleNamespace(
            code="a1", name="经济发展办", day=date(2025, 6, 30), value=Decimal("12.5000")
        ),
        SimpleNamespace(code="a2", name="=1+1", day=None, value=Decimal("3.0000")),
        SimpleNamespace(code="-a3", name="@SUM(A1)", day=None, value=None),
    ]
    ws = _load(export_workbook(SHEET, rows))["测试"]
    assert [c.value for c in ws[1]] == ["编码", "名称", "日期", "数值"]
    assert all(c.font.b for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws["C2"].is_date and ws["C2"].value.date() == date(2025, 6, 30)
    assert ws["C2"].number_format == "yyyy-mm-dd"
    assert ws["D2"].value == 12.5 and ws["D2"].data_type == "n"
    assert ws["D3"].value == 3 and isinstance(ws["D3"].value, int)
    # Formula injection: the text is stored as a string with a leading quote.
    assert ws["B3"].value == "'=1+1" and ws["B3"].data_type == "s"
    assert ws["B4"].value == "'@SUM(A1)"
    assert ws["A4"].value == "'-a3"
    # Chinese names make a wider column than the 8-character minimum.
    assert ws.column_dimensions["B"].width >= 12


def test_template_has_headers_example_and_help_sheet() -> None:
    wb = _load(template_workbook(SHEET))
    assert wb.sheetnames == ["测试", "说明"]
    ws = wb["测试"]
    assert [c.value for c in ws[1]] == ["编码", "名称", "日期", "数值"]
    assert ws["A2"].value == "a1"
    assert ws["C2"].value.date() == date(2025, 12, 31)
    assert ws["D2"].value == 5
    assert ws.max_row == 2
    notes = [[c.value for c in row] for row in wb["说明"].iter_rows(max_row=5)]
    assert notes[0] == ["列名", "是否必填", "说明", "示例"]
    assert notes[1][:2] == ["编码", "必填"]
    assert notes[2][:3] == ["名称", "选填", "单位名称"]
