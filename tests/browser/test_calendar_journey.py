"""The office loads the 2026 holidays and imports a local day off in the browser.

Log in as office → the year → 工作日历 → load the State Council's 2026 arrangement →
upload a CSV with a bad row (nothing saved, the row named) → upload it fixed.
"""

import pytest

from jixiao.years.holidays import preset_for
from jixiao.years.models import CalendarException
from jixiao.years.services import year_setup
from tests.browser.conftest import login
from tests.cast import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_office_loads_the_preset_and_imports_a_day(open_page, shot, cast, tmp_path) -> None:
    year = year_setup(
        actor=cast.office, org=cast.org, year=2026, choices={"organisation": "bailian-town"}
    )
    page = open_page()
    login(page, "office", PASSWORD)
    page.goto(f"/years/{year.pk}/")
    page.click("text=工作日历（节假日与调休）")
    page.wait_for_url(f"**/calendar/{year.pk}/")
    page.click("text=载入国务院 2026 年节假日安排")
    page.wait_for_selector("text=已载入国务院 2026 年节假日安排")
    assert CalendarException.objects.filter(org=cast.org).count() == len(preset_for(2026).days)

    bad = tmp_path / "县庆.csv"
    bad.write_text("日期,类型,名称\n2026-11-20,放假,县庆\n2026-11-21,周末,县庆\n", encoding="utf-8")
    page.set_input_files("#cal-file", str(bad))
    page.click("form[action$='/import/'] button[type=submit]")
    page.wait_for_selector("#import-report")
    assert "周末" in page.inner_text("#import-report")
    assert not CalendarException.objects.filter(org=cast.org, name="县庆").exists()
    shot(page, "calendar-import-error")

    good = tmp_path / "县庆-改.csv"
    good.write_text("日期,类型,名称\n2026-11-20,放假,县庆\n", encoding="utf-8")
    page.set_input_files("#cal-file", str(good))
    page.click("form[action$='/import/'] button[type=submit]")
    page.wait_for_selector("text=已导入：新增 1 天")
    assert CalendarException.objects.filter(org=cast.org, name="县庆").count() == 1
    shot(page, "calendar-year")
