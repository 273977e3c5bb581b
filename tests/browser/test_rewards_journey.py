"""The office shares the county's reward: create the pool, adjust a row, download it."""

import io

import pytest
from openpyxl import load_workbook

from tests.browser.conftest import login
from tests.cast import PASSWORD
from tests.rewards.conftest import make_assessment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_office_allocates_the_reward_and_exports_it(open_page, shot, cast):
    from jixiao.years.models import SubjectKind
    from jixiao.years.services import year_setup

    year = year_setup(
        actor=cast.office, org=cast.org, year=2024, choices={SubjectKind.PERSON: "town-cadre"}
    )
    make_assessment(cast, year)
    page = open_page()
    login(page, "office", PASSWORD)
    page.goto("/rewards/")
    page.fill("#f-name", "2024年度绩效奖励")
    page.fill("#f-county-reward", "10000")
    page.click("text=创建并计算")
    page.wait_for_url("**/rewards/*/")
    table = page.locator("#allocation").inner_text()
    assert "5597.58" in table and "一票否决：安全生产" in table and "20000.00" in table
    shot(page, "rewards-01-allocation")
    row = page.locator("#allocation tr", has_text="张伟")
    row.locator("input[name=contribution]").fill("0")
    row.locator("button").click()
    page.wait_for_load_state()
    assert "已保存" in page.locator(".messages").inner_text()
    assert "20000.00" in page.locator("#allocation tfoot").inner_text()
    with page.expect_download() as info:
        page.click("text=导出 Excel（财务）")
    data = info.value.path().read_bytes()
    ws = load_workbook(io.BytesIO(data)).active
    assert ws["I7"].value == 20000 and ws["B7"].value == "合计"
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "rewards-02-phone")
