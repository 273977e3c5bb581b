"""The office sets up the year in the browser; the handler then sees only their task.

Log in as office → create a year from a preset → import targets from the Excel
template → decompose one target to a handler → download the handler's
responsibility letter → log in as handler → only that task is listed.
"""

import re

import openpyxl
import pytest
from pypdf import PdfReader

from jixiao.targets.models import Assignment, Target
from jixiao.years.models import AssessmentYear
from tests.browser.conftest import login
from tests.cast import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROWS = [
    # 编号, 目标内容, 完成时限, 目标值, 计量单位, 权重, 对应指标, 责任单位编码
    ("JJ-01", "完成农村公路建设", "2026-11-30", 12, "公里", 40, "indicators.sustainable", "jjfz"),
    ("JJ-02", "新增规模以上企业", "2026-12-31", 3, "家", 30, "indicators.sustainable", "jjfz"),
    ("SW-01", "新农合参合率", "2026-06-30", 99, "%", 30, "indicators.livelihood", "shsw"),
]


def fill_template(template_path, out_path):
    """Fill the downloaded template by header name, replacing its example row."""
    book = openpyxl.load_workbook(template_path)
    sheet = book.worksheets[0]
    headers = {cell.value: cell.column for cell in sheet[1] if cell.value}
    sheet.delete_rows(2, sheet.max_row)
    for row_number, (code, title, deadline, value, measure, weight, indicator, unit) in enumerate(
        ROWS, start=2
    ):
        values = {
            "编号": code,
            "目标内容": title,
            "完成时限": deadline,
            "目标值": value,
            "计量单位": measure,
            "权重": weight,
            "对应指标": indicator,
            "责任单位编码": unit,
        }
        for header, value in values.items():
            sheet.cell(row=row_number, column=headers[header], value=value)
    book.save(out_path)


def test_office_sets_up_the_year_and_the_handler_sees_only_their_task(
    open_page, shot, cast, tmp_path
):
    page = open_page()
    login(page, "office", PASSWORD)

    # 1. A year from a preset: bailian-town assesses the township's units.
    page.goto("/years/create/")
    page.fill("#year", "2026")
    page.select_option("#scheme_unit", "p:bailian-town")
    shot(page, "10-year-create")
    page.click("main button:has-text('创建年度')")
    page.wait_for_url(re.compile(r"/years/\d+/$"))
    assert page.locator("main").inner_text().count("白莲镇政府绩效管理实施方案") >= 1
    shot(page, "11-year-detail")
    year = AssessmentYear.objects.get(org=cast.org, year=2026)
    assert year.periods.count() == 55

    # 2. Targets from the Excel template: preview (dry run) first, then apply.
    page.goto("/imports/targets/")
    with page.expect_download() as download:
        page.click("a:has-text('下载导入模板')")
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)
    filled = tmp_path / "targets.xlsx"
    fill_template(template, filled)
    page.set_input_files("#import-file", str(filled))
    page.click("button:has-text('预览（试运行）')")
    page.wait_for_selector("#import-result h2")
    shot(page, "12-import-preview")
    assert "预览（试运行）" in page.locator("#import-result h2").inner_text()
    assert page.locator("#import-result .badge:has-text('新增 3')").count() == 1
    assert Target.objects.filter(year=year).count() == 0  # a dry run writes nothing
    page.click("button:has-text('确认导入')")
    page.wait_for_function("document.body.innerText.includes('已导入')")
    shot(page, "13-import-applied")
    assert set(Target.objects.filter(year=year).values_list("code", flat=True)) == {
        "JJ-01",
        "JJ-02",
        "SW-01",
    }

    # 3. Decompose JJ-01 to the handler on its detail page (htmx partial update).
    target = Target.objects.get(year=year, code="JJ-01")
    page.goto(f"/targets/{target.pk}/")
    page.select_option("#a-responsibility", "handler")
    page.select_option("#a-person", str(cast.handler_person.pk))
    page.click("#assignments button:has-text('添加')")
    page.wait_for_selector("#assignments .badge:has-text('刘洋')")
    shot(page, "14-target-decomposed")
    assert Assignment.objects.filter(target=target, person=cast.handler_person).exists()

    # 4. The handler's responsibility letter downloads as a real PDF naming the task.
    with page.expect_download() as download:
        page.click("#assignments a:has-text('刘洋（PDF）')")
    letter = tmp_path / "letter.pdf"
    download.value.save_as(letter)
    text = "".join(p.extract_text() for p in PdfReader(letter).pages)
    assert "目标责任书" in text and "完成农村公路建设" in text and "刘洋" in text

    # 5. The handler sees only that task, on a phone.
    handler_page = open_page(width=390, height=844)
    login(handler_page, "handler", PASSWORD)
    handler_page.goto("/targets/")
    listed = handler_page.locator("main").inner_text()
    assert "完成农村公路建设" in listed
    assert "新增规模以上企业" not in listed and "新农合参合率" not in listed
    shot(handler_page, "15-handler-sees-own-task")
