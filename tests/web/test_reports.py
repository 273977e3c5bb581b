"""PDF downloads: who may print which report, published or as the office's preview."""

from __future__ import annotations

import pytest
from django.test import Client

from jixiao.assessments.models import Status
from jixiao.results.services import competition_publish
from tests.rankings.factory import make_haiyong, month_with
from tests.reports.factory import unit_quarter


def as_user(client: Client, user) -> Client:
    client.force_login(user)
    return client


def _is_pdf(response) -> bool:
    return response.status_code == 200 and response.content.startswith(b"%PDF-")


@pytest.fixture
def quarter(cast):
    return unit_quarter(cast)


@pytest.fixture
def draft(cast):
    return unit_quarter(cast, status=Status.REVIEW)


def _report_url(q) -> str:
    return f"/reports/assessments/{q.assessment.pk}/subjects/{q.section.pk}/report.pdf"


@pytest.mark.parametrize("role", ["office", "leader", "head"])
def test_unit_report_for_reviewers_and_the_responsible(client, cast, quarter, role) -> None:
    response = as_user(client, getattr(cast, role)).get(_report_url(quarter))
    assert _is_pdf(response)
    assert response["Content-Type"] == "application/pdf"
    assert "filename*=UTF-8''2025" in response["Content-Disposition"]


@pytest.mark.parametrize("role", ["handler", "cadre"])
def test_unit_report_not_for_others_in_the_org(client, cast, quarter, role) -> None:
    assert as_user(client, getattr(cast, role)).get(_report_url(quarter)).status_code == 403


def test_unit_report_other_org_and_anonymous(client, cast, quarter) -> None:
    assert client.get(_report_url(quarter)).status_code == 302  # to the login page
    assert as_user(client, cast.outsider).get(_report_url(quarter)).status_code == 404


def test_unpublished_report_only_the_office_previews(client, cast, draft) -> None:
    assert _is_pdf(as_user(client, cast.office).get(_report_url(draft)))
    for role in ("leader", "head"):
        assert as_user(client, getattr(cast, role)).get(_report_url(draft)).status_code == 403


@pytest.mark.parametrize("role", ["office", "leader", "head", "handler", "cadre"])
def test_ranking_notice_for_every_member_once_published(client, cast, quarter, role) -> None:
    c = as_user(client, getattr(cast, role))
    assert _is_pdf(c.get(f"/reports/assessments/{quarter.assessment.pk}/notice.pdf?red=1"))
    page = c.get(f"/reports/assessments/{quarter.assessment.pk}/notice/")
    assert page.status_code == 200 and "红头文件" in page.content.decode()


def test_ranking_notice_draft_and_outsider(client, cast, draft) -> None:
    url = f"/reports/assessments/{draft.assessment.pk}/notice.pdf"
    assert _is_pdf(as_user(client, cast.office).get(url))
    assert as_user(client, cast.cadre).get(url).status_code == 403
    assert (
        as_user(client, cast.cadre)
        .get(f"/reports/assessments/{draft.assessment.pk}/notice/")
        .status_code
        == 403
    )
    assert as_user(client, cast.outsider).get(url).status_code == 404


def test_links_on_results_and_subject_pages(client, cast, quarter) -> None:
    html = as_user(client, cast.cadre).get("/results/").content.decode()
    assert f"/reports/assessments/{quarter.assessment.pk}/notice/" in html
    subject_page = f"/assessments/{quarter.assessment.pk}/subjects/{quarter.section.pk}/"
    assert _report_url(quarter) in as_user(client, cast.head).get(subject_page).content.decode()
    assert (
        _report_url(quarter) not in as_user(client, cast.cadre).get(subject_page).content.decode()
    )


@pytest.fixture
def march(cast):
    world = make_haiyong(cast)
    return month_with(
        world, 3, ["92", "85", "78.5", "88"], ["90", "72", "85", "66", "95", "80", "70", "99"]
    )


def test_competition_notice_preview_is_the_office_s_only(client, cast, march) -> None:
    url = f"/reports/competition/{march.pk}/notice.pdf"
    assert _is_pdf(as_user(client, cast.office).get(url))
    assert as_user(client, cast.cadre).get(url).status_code == 404
    assert (
        as_user(client, cast.cadre).get(f"/reports/competition/{march.pk}/notice/").status_code
        == 404
    )


@pytest.mark.parametrize("role", ["office", "cadre"])
def test_published_competition_notice_for_members(client, cast, march, role) -> None:
    competition_publish(actor=cast.office, period=march)
    c = as_user(client, getattr(cast, role))
    assert _is_pdf(c.get(f"/reports/competition/{march.pk}/notice.pdf"))
    assert c.get(f"/reports/competition/{march.pk}/notice/").status_code == 200
    page = c.get(f"/results/competition/{march.pk}/").content.decode()
    assert f"/reports/competition/{march.pk}/notice/" in page


def test_competition_notice_other_org(client, cast, march) -> None:
    competition_publish(actor=cast.office, period=march)
    url = f"/reports/competition/{march.pk}/notice.pdf"
    assert as_user(client, cast.outsider).get(url).status_code == 404
