"""The browser can log in and see the year's steps; a phone-sized screen works too."""

import pytest

from tests.browser.conftest import login
from tests.cast import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_office_logs_in_and_sees_the_steps_of_the_year(open_page, shot, cast):
    page = open_page()
    page.goto("/accounts/login/")
    shot(page, "00-login")
    login(page, "office", PASSWORD)
    steps = page.locator("nav.steps").inner_text()
    for step in ("组织", "方案", "目标分解", "过程", "考核", "结果"):
        assert step in steps
    page.click("nav.steps >> text=组织")
    page.wait_for_url("**/org/")
    assert page.locator("text=经济发展办").count() == 1
    shot(page, "01-org-units")


def test_handler_on_a_phone_sees_the_people_list_stacked(open_page, shot, cast):
    page = open_page(width=390, height=844)
    login(page, "handler", PASSWORD)
    page.goto("/org/people/")
    assert page.locator("text=刘洋").count() >= 1
    shot(page, "02-phone-people")
