"""Reading uploaded workbooks: file checks, header matching and per-row parsing."""

from __future__ import annotations

import io
import zipfile

import pytest

from jixiao.spreadsheets import (
    Column,
    RowResult,
    Sheet,
    SheetFileError,
    Status,
    read_sheet,
    run_import,
)
from jixiao.spreadsheets.columns import integer, text
from tests.spreadsheets.workbooks import make_xlsx

SHEET = Sheet(
    title="测试",
    columns=(
        Column("编码", "code", parse=text(10), required=True),
        Column("名称", "name", parse=text(50), required=True),
        Column("排序", "sort", parse=integer(0)),
    ),
)


def test_rejects_files_that_are_not_xlsx() -> None:
    with pytest.raises(SheetFileError, match="不是 Excel"):
        read_sheet("编码,名称\n1,a\n".encode(), SHEET)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    with pytest.raises(SheetFileError, match="无法读取"):
        read_sheet(buffer.getvalue(), SHEET)


def test_missing_required_columns_are_named() -> None:
    data = make_xlsx(["编码", "排序"], [["a", 1]])
    with pytest.raises(SheetFileError) as excinfo:
        read_sheet(data, SHEET)
    assert excinfo.value.messages == ["缺少必填列：名称（第 1 行应为列名，请使用导入模板）"]


def test_headers_in_any_order_extra_columns_reported_blank_rows_skipped() -> None:
    data = make_xlsx(
        ["名称", "备注", "编码*"],
        [["甲", "x", "a"], [None, None, None], ["乙", "", "b"]],
    )
    rows, warnings = read_sheet(data, SHEET)
    assert warnings == ["以下列无法识别，不会导入：备注"]
    assert [(r.number, r.values) for r in rows] == [
        (2, {"code": "a", "name": "甲"}),
        (4, {"code": "b", "name": "乙"}),
    ]
    assert not rows[0].has("sort")


def test_cell_errors_name_the_column() -> None:
    data = make_xlsx(["编码", "名称", "排序"], [["a", None, "x"]])
    rows, _ = read_sheet(data, SHEET)
    assert rows[0].errors == ["名称：必填", "排序：“x”不是整数"]


def test_too_many_rows() -> None:
    data = make_xlsx(["编码", "名称"], [["a", "b"]] * 3)
    with pytest.raises(SheetFileError, match="行数超过 2 行"):
        read_sheet(data, SHEET, max_rows=2)


@pytest.mark.django_db
def test_run_import_rolls_back_dry_runs_and_errors(django_user_model) -> None:
    def process(status: Status):
        def run(rows):
            django_user_model.objects.create(username=f"u{django_user_model.objects.count()}")
            return [RowResult(2, "a", status)]

        return run

    report = run_import([], process(Status.CREATED), dry_run=True)
    assert not report.applied and django_user_model.objects.count() == 0
    report = run_import([], process(Status.ERROR), dry_run=False)
    assert not report.applied and django_user_model.objects.count() == 0
    applied = []
    report = run_import([], process(Status.CREATED), dry_run=False, on_applied=applied.append)
    assert report.applied and django_user_model.objects.count() == 1
    assert applied == [report]
    assert report.counts == {"新增": 1, "更新": 0, "不变": 0, "错误": 0}
