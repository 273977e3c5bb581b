"""考核年度 pages: everyone in the organisation reads, only the office creates years."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from jixiao.schemes.models import Scheme
from jixiao.schemes.services import scheme_create_from_preset
from jixiao.years.models import AssessmentYear
from jixiao.years.services import year_setup

READERS = ["office", "leader", "head", "handler", "cadre"]
NOT_OFFICE = ["leader", "head", "handler", "cadre"]


@pytest.fixture
def year(cast) -> AssessmentYear:
    return year_setup(
        actor=cast.office,
        org=cast.org,
        year=2025,
        choices={"organisation": "bailian-town", "person": "town-cadre"},
        name="白莲镇2025年度考核",
    )


def as_user(client: Client, user) -> Client:
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", READERS)
def test_members_read_the_year_list(client: Client, cast, year, role) -> None:
    response = as_user(client, getattr(cast, role)).get(reverse("years:list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "白莲镇2025年度考核" in html
    assert "白莲镇政府绩效管理实施方案 第 1 版" in html
    assert ("新建考核年度" in html) == (role == "office")


def test_outsider_does_not_see_the_orgs_years(client: Client, cast, year) -> None:
    html = as_user(client, cast.outsider).get(reverse("years:list")).content.decode()
    assert "白莲镇2025年度考核" not in html
    assert f"/years/{year.pk}/" not in html


def test_anonymous_cannot_open_a_year(client: Client, year) -> None:
    for url in (reverse("years:detail", args=[year.pk]), reverse("years:create")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_user_without_role_gets_403(client: Client, cast) -> None:
    assert as_user(client, cast.nobody).get(reverse("years:list")).status_code == 403


@pytest.mark.parametrize("role", READERS)
def test_members_read_a_year_with_its_schemes_and_periods(client: Client, cast, year, role) -> None:
    response = as_user(client, getattr(cast, role)).get(reverse("years:detail", args=[year.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    scheme = Scheme.objects.get(org=cast.org, code="bailian-town")
    assert f'href="/schemes/{scheme.pk}/?version=1"' in html
    assert "乡镇/部门" in html and "个人" in html
    for text in ("第一季度", "下半年", "2025年度", "12月", "2月下旬"):
        assert text in html
    assert '<td data-label="2月下旬">21–28日</td>' in html  # 2025 is not a leap year


def test_outsider_gets_404_for_the_year(client: Client, cast, year) -> None:
    response = as_user(client, cast.outsider).get(reverse("years:detail", args=[year.pk]))
    assert response.status_code == 404


def test_office_opens_the_create_form(client: Client, cast) -> None:
    scheme_create_from_preset(actor=cast.office, org=cast.org, preset="hami-transport")
    response = as_user(client, cast.office).get(reverse("years:create"))
    assert response.status_code == 200
    html = response.content.decode()
    for kind in ("organisation", "unit", "task_force", "person"):
        assert f'name="scheme_{kind}"' in html
    assert "哈密地区交通运输局" in html or "hami-transport" in html
    assert 'value="p:bailian-town"' in html


@pytest.mark.parametrize("role", NOT_OFFICE)
def test_others_may_not_create_years(client: Client, cast, role) -> None:
    client.force_login(getattr(cast, role))
    assert client.get(reverse("years:create")).status_code == 403
    response = client.post(
        reverse("years:create"), {"year": "2025", "scheme_organisation": "p:bailian-town"}
    )
    assert response.status_code == 403
    assert not AssessmentYear.objects.exists()
    assert not Scheme.objects.exists()


def test_office_creates_a_year_from_a_version_and_a_preset(client: Client, cast) -> None:
    hami = scheme_create_from_preset(actor=cast.office, org=cast.org, preset="hami-transport")
    version = hami.versions.get()
    response = as_user(client, cast.office).post(
        reverse("years:create"),
        {
            "year": "2026",
            "name": "",
            "scheme_organisation": f"v:{version.pk}",
            "scheme_person": "p:town-cadre",
            "scheme_unit": "",
            "scheme_task_force": "",
        },
    )
    year = AssessmentYear.objects.get(org=cast.org, year=2026)
    assert response.status_code == 302
    assert response["Location"] == reverse("years:detail", args=[year.pk])
    pins = {
        p.subject_kind: (p.scheme_version.scheme.code, p.scheme_version.number)
        for p in year.schemes.all()
    }
    assert pins == {"organisation": ("hami-transport", 1), "person": ("town-cadre", 1)}
    assert year.name == "2026年度绩效考核"


def test_another_orgs_version_is_refused(client: Client, cast) -> None:
    other = scheme_create_from_preset(
        actor=cast.outsider, org=cast.other_org, preset="bailian-town"
    )
    response = as_user(client, cast.office).post(
        reverse("years:create"),
        {"year": "2026", "scheme_organisation": f"v:{other.versions.get().pk}"},
    )
    assert response.status_code == 400
    assert "乡镇/部门：所选方案不存在" in response.content.decode()
    assert not AssessmentYear.objects.exists()


def test_bad_year_and_missing_schemes_are_named(client: Client, cast, year) -> None:
    client.force_login(cast.office)
    response = client.post(reverse("years:create"), {"year": "明年"})
    assert response.status_code == 400
    assert "年度：请填写四位数字年份" in response.content.decode()
    response = client.post(reverse("years:create"), {"year": "2026"})
    assert response.status_code == 400
    assert "至少为一类考核对象指定考核方案" in response.content.decode()
    response = client.post(
        reverse("years:create"), {"year": "2025", "scheme_unit": "p:xiazigai-township"}
    )
    assert response.status_code == 400
    assert "2025 年度已存在" in response.content.decode()
    # Nothing half-saved: the preset chosen for the refused year was not copied.
    assert not Scheme.objects.filter(code="xiazigai-township").exists()
    assert AssessmentYear.objects.count() == 1


def test_year_list_query_count(client: Client, cast, django_assert_max_num_queries) -> None:
    for number in range(2021, 2027):
        year_setup(
            actor=cast.office,
            org=cast.org,
            year=number,
            choices={
                "organisation": "bailian-town",
                "person": "town-cadre",
                "unit": "hami-transport",
            },
        )
    client.force_login(cast.cadre)
    # session + user + access (grants, person) + years + their pins: not one per year.
    with django_assert_max_num_queries(8):
        response = client.get(reverse("years:list"))
    assert response.content.decode().count("town-cadre") == 0  # names, not codes, are shown
    assert response.content.decode().count("第 1 版") == 18
