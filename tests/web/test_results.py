"""结果 pages: published rankings for the organisation; the office publishes the competition."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from jixiao.assessments.models import Assessment, Status
from jixiao.results.models import CompetitionPublication
from jixiao.results.services import competition_publish
from jixiao.years.models import SubjectKind
from tests.rankings.factory import add_subject, make_assessment, make_haiyong, month_with, period

MEMBERS = ["office", "leader", "head", "handler", "cadre"]
NOT_OFFICE = ["leader", "head", "handler", "cadre"]
INDEX = "/results/"


def as_user(client: Client, user) -> Client:
    client.force_login(user)
    return client


@pytest.fixture
def haiyong(cast):
    return make_haiyong(cast)


@pytest.fixture
def march(haiyong):
    """March: both assessments under notice (published)."""
    return month_with(
        haiyong, 3, ["92", "85", "78.5", "88"], ["90", "72", "85", "66", "95", "80", "70", "99"]
    )


@pytest.fixture
def quarter_in_review(cast, haiyong):
    """Q1 of the units, still under review: nobody sees it on the results page."""
    a = make_assessment(haiyong.year, period(haiyong.year, "quarter", 1), SubjectKind.UNIT)
    a.status = Status.REVIEW
    a.save()
    add_subject(a, cast.village, "77.77")
    return a


def test_results_step_is_in_the_nav(client: Client, cast) -> None:
    assert reverse("results:index") == INDEX
    html = as_user(client, cast.cadre).get(INDEX).content.decode()
    assert f'href="{INDEX}" class="current"' in html


@pytest.mark.parametrize("role", MEMBERS)
def test_members_see_published_rankings_with_ties(client: Client, cast, march, role) -> None:
    html = as_user(client, getattr(cast, role)).get(INDEX).content.decode()
    assert "3月 · 指挥组排名" in html and "3月 · 个人排名" in html
    assert "92.00" in html and "78.50" in html
    assert "公示" in html
    # Published competition list is empty until the office publishes.
    assert "本年度尚未发布指挥组月度评比" in html
    assert ("绩效办可预览并发布" in html) == (role == "office")


def test_tie_is_shown_as_bingli(client: Client, cast, haiyong) -> None:
    month_with(haiyong, 4, ["90", "90", "80", "70"], None)
    html = as_user(client, cast.cadre).get(INDEX).content.decode()
    assert html.count("并列</span>") == 2


@pytest.mark.parametrize("role", MEMBERS)
def test_unpublished_assessments_are_never_shown(
    client: Client, cast, march, quarter_in_review, role
) -> None:
    html = as_user(client, getattr(cast, role)).get(INDEX).content.decode()
    assert "77.77" not in html
    assert "第一季度" not in html


def test_filters_by_period_and_kind(client: Client, cast, haiyong, march) -> None:
    april = month_with(haiyong, 4, ["60", "61", "62", "63"], None)
    client = as_user(client, cast.cadre)
    html = client.get(INDEX, {"period": april.pk}).content.decode()
    assert "4月 · 指挥组排名" in html and "3月 · 指挥组排名" not in html
    html = client.get(INDEX, {"kind": SubjectKind.PERSON}).content.decode()
    assert "3月 · 个人排名" in html and "指挥组排名" not in html


def test_htmx_filter_returns_the_rankings_partial(client: Client, cast, march) -> None:
    response = as_user(client, cast.cadre).get(
        INDEX, {"kind": "task_force"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="rankings"
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="rankings">')
    assert "<html" not in html and "3月 · 指挥组排名" in html


def test_outsider_sees_nothing_of_the_org(client: Client, cast, haiyong, march) -> None:
    client = as_user(client, cast.outsider)
    html = client.get(INDEX).content.decode()
    assert "92.00" not in html and "第一指挥组" not in html
    assert client.get(INDEX, {"year": haiyong.year.pk}).status_code == 404
    competition_publish(actor=cast.office, period=march)
    url = reverse("results:competition", args=[march.pk])
    assert client.get(url).status_code == 404
    publish = reverse("results:competition_publish", args=[march.pk])
    assert client.post(publish).status_code == 404


def test_user_without_role_gets_403(client: Client, cast) -> None:
    assert as_user(client, cast.nobody).get(INDEX).status_code == 403


def test_anonymous_is_sent_to_login(client: Client) -> None:
    response = client.get(INDEX)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_totals_link_to_the_subjects_breakdown(client: Client, cast, march) -> None:
    """Each total links to the assessments area's ``assessment:subject`` page."""
    html = as_user(client, cast.cadre).get(INDEX).content.decode()
    groups = march_assessment(march, SubjectKind.TASK_FORCE)
    best = groups.subjects.get(total="92")
    url = reverse("assessment:subject", args=[groups.pk, best.pk])
    assert f'<a href="{url}">92.00</a>' in html
    competition_publish(actor=cast.office, period=march)
    html = client.get(reverse("results:competition", args=[march.pk])).content.decode()
    assert f'<a href="{url}">92.00分</a>' in html


def march_assessment(month, kind) -> Assessment:
    return Assessment.objects.get(period=month, subject_kind=kind)


# --- the competition --------------------------------------------------------------


def test_office_previews_and_publishes(client: Client, cast, march) -> None:
    client = as_user(client, cast.office)
    url = reverse("results:competition", args=[march.pk])
    html = client.get(url).content.decode()
    assert "预览并发布" in html and "发布评比结果" in html
    assert "第一指挥组" in html and "成员4" in html and "并列处理" in html
    response = client.post(reverse("results:competition_publish", args=[march.pk]))
    assert response.status_code == 302 and response["Location"] == url
    assert CompetitionPublication.objects.filter(period=march).exists()
    html = client.get(url).content.decode()
    assert "已发布3月指挥组月度评比结果" in html and "重新发布" in html


@pytest.mark.parametrize("role", NOT_OFFICE)
def test_only_the_office_publishes(client: Client, cast, march, role) -> None:
    client = as_user(client, getattr(cast, role))
    response = client.post(reverse("results:competition_publish", args=[march.pk]))
    assert response.status_code == 403
    assert not CompetitionPublication.objects.exists()


def test_publish_is_post_only(client: Client, cast, march) -> None:
    url = reverse("results:competition_publish", args=[march.pk])
    assert as_user(client, cast.office).get(url).status_code == 405


def test_publishing_an_incomplete_month_shows_the_reason(client: Client, cast, haiyong) -> None:
    may = month_with(haiyong, 5, ["90", "80", "70", "60"], None)
    client = as_user(client, cast.office)
    response = client.post(reverse("results:competition_publish", args=[may.pk]), follow=True)
    assert "个人考核尚未公示" in response.content.decode()
    assert not CompetitionPublication.objects.exists()


@pytest.mark.parametrize("role", NOT_OFFICE)
def test_members_see_the_published_competition_only(client: Client, cast, march, role) -> None:
    client = as_user(client, getattr(cast, role))
    url = reverse("results:competition", args=[march.pk])
    assert client.get(url).status_code == 404  # not yet published
    competition_publish(actor=cast.office, period=march)
    html = client.get(url).content.decode()
    assert "白莲镇3月指挥组效能竞赛评比结果" in html
    assert "先进指挥组" in html and "第一指挥组" in html
    assert "末位指挥组" in html and "第三指挥组" in html
    assert "成员4" in html and "成员7" in html
    assert "发布评比结果" not in html and "重新发布" not in html
    assert '<style media="print">' in html  # the wall layout
    index = client.get(INDEX).content.decode()
    assert url in index and "先进：第一指挥组" in index


def test_a_quarter_is_not_a_competition_month(client: Client, cast, haiyong) -> None:
    quarter = period(haiyong.year, "quarter", 1)
    url = reverse("results:competition", args=[quarter.pk])
    assert as_user(client, cast.office).get(url).status_code == 404


# --- queries ----------------------------------------------------------------------


def test_results_page_query_count(
    client: Client, cast, haiyong, django_assert_max_num_queries
) -> None:
    months = [
        month_with(haiyong, m, ["90", "80", str(70 + m), "60"], [str(50 + i) for i in range(8)])
        for m in (1, 2, 3, 4)
    ]
    for month in months[:3]:
        competition_publish(actor=cast.office, period=month)
    a = make_assessment(haiyong.year, period(haiyong.year, "quarter", 1), SubjectKind.UNIT)
    for unit in (cast.section, cast.other_section, cast.village):
        add_subject(a, unit, "80")
    client = as_user(client, cast.office)
    with django_assert_max_num_queries(10):
        html = client.get(INDEX).content.decode()
    assert html.count("排名") >= 9
