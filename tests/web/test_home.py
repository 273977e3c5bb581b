"""首页: each person sees their organisation, the year and their own tasks."""

import pytest

from jixiao.targets.services import target_assign, target_create
from jixiao.years.services import year_setup

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(cast):
    year = year_setup(actor=cast.office, org=cast.org, year=2026, choices={"unit": "bailian-town"})
    mine = target_create(
        actor=cast.office,
        year=year,
        code="T-01",
        title="完成农村公路建设 12 公里",
        unit=cast.section,
    )
    target_create(
        actor=cast.office,
        year=year,
        code="T-02",
        title="新农合参合率达到 99%",
        unit=cast.other_section,
    )
    target_assign(
        actor=cast.office, target=mine, person=cast.handler_person, responsibility="handler"
    )
    return year


def test_handler_sees_only_their_own_task_and_their_letter_link(client, cast, year):
    client.force_login(cast.handler)
    page = client.get("/").content.decode()
    assert "2026年度绩效考核" in page
    assert "完成农村公路建设 12 公里" in page
    assert "新农合参合率" not in page
    assert f"/targets/letters/person/{cast.handler_person.pk}/" in page
    assert "绩效办工作台" not in page


def test_office_sees_the_workbench(client, cast, year):
    client.force_login(cast.office)
    page = client.get("/").content.decode()
    assert "绩效办工作台" in page
    assert "本年度没有分解给您的目标" in page  # the office person holds no targets


def test_user_without_role_is_told_to_ask_the_office(client, cast):
    client.force_login(cast.nobody)
    response = client.get("/")
    assert response.status_code == 200
    assert "尚未在任何乡镇或部门获得角色" in response.content.decode()


def test_outsider_sees_their_own_organisation_without_a_year(client, cast, year):
    client.force_login(cast.outsider)
    page = client.get("/").content.decode()
    assert "杨河乡" in page
    assert "2026年度绩效考核" not in page
    assert "完成农村公路建设" not in page
