"""政务公开栏: anonymous pages with published rankings only, and no personal data."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from jixiao.assessments.models import Status
from jixiao.organisation.models import Unit, UnitKind
from jixiao.organisation.services import unit_create
from jixiao.results.services import competition_publish
from jixiao.years.models import SubjectKind
from tests.dashboards.world import build_world
from tests.rankings.factory import add_subject, make_assessment, make_haiyong, month_with, period

INDEX = "/public/bailian/"


@pytest.fixture
def world(cast):
    # Contact details that must never reach a public page.
    cast.cadre.email = "chenjing@example.cn"
    cast.cadre.save()
    return build_world(cast)


def period_url(p) -> str:
    return reverse("disclosure:period", args=["bailian", p.pk])


def test_anonymous_sees_the_latest_published_period(client: Client, cast, world) -> None:
    response = client.get(INDEX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "白莲镇绩效考核结果公示" in html and "第二季度" in html
    assert re.search(r"白莲村</td>\s*<td[^>]*>85.00</td>\s*<td[^>]*>优</td>", html)
    assert ">公示</span>" in html  # Q2 is under notice, not final
    # Periods: Q1 (final) and Q2 (notice); Q3 is under review and never listed.
    assert f'href="{period_url(world.q1.period)}"' in html
    assert f'href="{period_url(world.q2.period)}"' in html
    assert "第三季度" not in html and "10.00" not in html
    assert "@media print" in html


def test_a_published_period_page(client: Client, cast, world) -> None:
    html = client.get(period_url(world.q1.period)).content.decode()
    assert "70.50" in html and "一般" in html and "社会事务办" in html


def test_unpublished_or_unknown_periods_are_404(client: Client, cast, world) -> None:
    assert client.get(period_url(world.q3.period)).status_code == 404  # under review
    assert client.get(period_url(period(world.year, "quarter", 4))).status_code == 404  # empty
    assert client.get("/public/nosuchorg/").status_code == 404
    assert client.get("/public/jjfz/").status_code == 404  # a section, not an organisation


def test_another_orgs_period_is_404_under_this_code(client: Client, cast, world) -> None:
    other = make_haiyong_other(cast)
    assert client.get(reverse("disclosure:period", args=["bailian", other.pk])).status_code == 404
    assert client.get(reverse("disclosure:period", args=["yanghe", other.pk])).status_code == 200


def make_haiyong_other(cast):
    from jixiao.years.services import year_setup

    year = year_setup(
        actor=cast.outsider,
        org=cast.other_org,
        year=2025,
        choices={SubjectKind.UNIT: "bailian-town"},
    )
    unit = unit_create(name="杨河村", kind=UnitKind.VILLAGE, code="yh01", parent=cast.other_org)
    a = make_assessment(year, period(year, "quarter", 1), SubjectKind.UNIT, Status.FINAL)
    add_subject(a, unit, "66.00")
    return a.period


def test_people_are_not_shown_unless_the_scheme_posts_them(client: Client, cast, world) -> None:
    html = client.get(period_url(world.people.period)).content.decode()
    assert "白莲村" in html  # Q1 units
    assert "陈静" not in html and "88.10" not in html and "个人" not in html


def test_people_posted_by_001_show_name_and_post_only(client: Client, cast) -> None:
    world = make_haiyong(cast)
    cast.other_person.post = "科员"
    cast.other_person.save()
    march = month_with(
        world, 3, ["92", "85", "78.5", "88"], ["90", "72", "85", "66", "95", "80", "70", "99"]
    )
    html = client.get(reverse("disclosure:period", args=["bailian", march.pk])).content.decode()
    assert "第一指挥组" in html and "92.00" in html
    assert "成员5" in html and "95.00" in html  # people ranked
    assert re.search(r"周敏</td>\s*<td[^>]*>科员</td>", html)
    assert "p005" not in html  # the person's staff code stays inside
    assert "指挥组月度评比" not in html  # not published yet
    competition_publish(actor=cast.office, period=march)
    html = client.get(reverse("disclosure:period", args=["bailian", march.pk])).content.decode()
    assert "先进指挥组：第一指挥组 92.00" in html and "末位指挥组：第三指挥组 78.50" in html
    assert "工作实绩末2位成员：成员4 66.00" in html


def test_no_contact_details_or_private_fields_in_public_html(client: Client, cast, world) -> None:
    for url in (INDEX, period_url(world.q1.period)):
        html = client.get(url).content.decode()
        assert "@example.cn" not in html and "mailto:" not in html
        assert not re.search(r"(?<!\d)1[3-9]\d{9}(?!\d)", html)  # no mobile number
        assert "p004" not in html and "驻村干部" not in html
        assert "csrfmiddlewaretoken" not in html and "退出登录" not in html


def test_query_count_does_not_grow_with_units(
    client: Client, cast, world, django_assert_max_num_queries
) -> None:
    client.get(INDEX)  # warm the scheme parser cache
    with django_assert_max_num_queries(10) as few:
        client.get(INDEX)
    for i in range(8):
        unit = unit_create(name=f"新村{i}", kind=UnitKind.VILLAGE, code=f"n{i}", parent=cast.org)
        add_subject(world.q2, unit, f"6{i}.00")
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(INDEX).content.decode()
    assert "新村7" in html


def test_ambiguous_code_is_404(client: Client, cast, world) -> None:
    twin = Unit.objects.create(
        name="白莲乡", kind=UnitKind.TOWNSHIP, code="bailian", parent=cast.county
    )
    twin.org = twin
    twin.save()
    assert client.get(INDEX).status_code == 404


def test_logged_in_users_see_the_same_page(client: Client, cast, world) -> None:
    client.force_login(cast.office)
    html = client.get(INDEX).content.decode()
    assert "白莲村" in html and "王芳" not in html


def test_without_the_schemes_word_no_person_appears_at_all(
    client: Client, cast, monkeypatch
) -> None:
    # The same 001 scheme with `disclose_people = false` in its [scheme] table.
    import dataclasses

    from jixiao.schemes.models import SchemeVersion

    real = SchemeVersion.parsed
    monkeypatch.setattr(
        SchemeVersion,
        "parsed",
        lambda version: dataclasses.replace(real(version), disclose_people=False),
    )
    world = make_haiyong(cast)
    march = month_with(
        world, 3, ["92", "85", "78.5", "88"], ["90", "72", "85", "66", "95", "80", "70", "99"]
    )
    competition_publish(actor=cast.office, period=march)
    html = client.get(reverse("disclosure:period", args=["bailian", march.pk])).content.decode()
    assert "先进指挥组：第一指挥组 92.00" in html
    assert (
        not re.search(r"成员\d", html) and "工作实绩末2位成员：" not in html and "周敏" not in html
    )
