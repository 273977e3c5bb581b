"""整改 pages: the office raises and closes, the owner submits, others read or get 403/404."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from jixiao.inspections.services import inspection_record
from jixiao.project.demo_year import demo_photo
from jixiao.rectification import services
from jixiao.rectification.models import ItemStatus, RectificationItem
from jixiao.years.models import SubjectKind
from jixiao.years.services import year_setup
from tests.reports.factory import unit_quarter

FUTURE = date(2099, 6, 30)
LIST = "/rectification/"


def as_user(client: Client, user) -> Client:
    client.force_login(user)
    return client


@pytest.fixture
def quarter(cast):
    return unit_quarter(cast)


@pytest.fixture
def item(cast, quarter):
    """Owned by the handler, in the head's section."""
    return services.rectification_create(
        actor=cast.office,
        year=quarter.year,
        unit=cast.section,
        owner=cast.handler_person,
        problem="台账不全",
        deadline=FUTURE,
    )


@pytest.fixture
def finding(cast, quarter):
    return inspection_record(
        actor=cast.office,
        year=quarter.year,
        unit=cast.village,
        kind="announced",
        date=date(2025, 3, 10),
        finding="村务公开栏未更新",
        node="inspection",
        points="0.5",
    )


@pytest.mark.parametrize("role", ["office", "leader", "head", "handler"])
def test_list_shows_the_item_to_those_who_may_see_it(client, cast, item, role) -> None:
    html = as_user(client, getattr(cast, role)).get(LIST).content.decode()
    assert "台账不全" in html
    assert ("新建整改事项" in html) == (role == "office")


def test_list_hides_it_from_others(client, cast, item) -> None:
    assert "台账不全" not in as_user(client, cast.cadre).get(LIST).content.decode()
    assert "台账不全" not in as_user(client, cast.outsider).get(LIST).content.decode()
    assert as_user(client, cast.nobody).get(LIST).status_code == 403


def test_list_filters_and_htmx_partial(client, cast, quarter, item) -> None:
    c = as_user(client, cast.office)
    assert "台账不全" not in c.get(f"{LIST}?status=closed").content.decode()
    assert "台账不全" in c.get(f"{LIST}?status=open&unit={cast.section.pk}").content.decode()
    assert "台账不全" not in c.get(f"{LIST}?unit={cast.village.pk}").content.decode()
    partial = c.get(f"{LIST}?status=open", headers={"HX-Request": "true"}).content.decode()
    assert partial.startswith('<div id="items"') and "台账不全" in partial


def test_list_query_count_does_not_grow(
    client, cast, quarter, django_assert_max_num_queries
) -> None:
    for i in range(12):
        services.rectification_create(
            actor=cast.office,
            year=quarter.year,
            unit=cast.village,
            owner=cast.cadre_person,
            problem=f"问题{i}",
            deadline=FUTURE,
        )
    c = as_user(client, cast.office)
    with django_assert_max_num_queries(14):
        response = c.get(LIST)
    assert response.content.decode().count("问题") >= 12


def test_detail_visibility(client, cast, item) -> None:
    url = f"{LIST}{item.pk}/"
    for role in ("office", "leader", "head", "handler"):
        assert as_user(client, getattr(cast, role)).get(url).status_code == 200
    for role in ("cadre", "outsider"):
        assert as_user(client, getattr(cast, role)).get(url).status_code == 404


def test_from_inspection_office_only(client, cast, finding) -> None:
    url = f"{LIST}new/inspection/{finding.pk}/"
    assert as_user(client, cast.head).get(url).status_code == 403
    assert as_user(client, cast.outsider).get(url).status_code == 404  # another org's record
    c = as_user(client, cast.office)
    assert "村务公开栏未更新" in c.get(url).content.decode()
    bad = c.post(url, {"owner": "", "deadline": "明天"})
    assert bad.status_code == 400 and "请选择本单位的责任人" in bad.content.decode()
    assert not RectificationItem.objects.exists()
    response = c.post(url, {"owner": cast.cadre_person.pk, "deadline": "2099-01-31"})
    item = RectificationItem.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{LIST}{item.pk}/"
    assert item.inspection == finding and item.unit == cast.village


def test_ledger_links_to_raise_an_item(client, cast, finding) -> None:
    html = (
        as_user(client, cast.office).get(f"/inspections/units/{cast.village.pk}/").content.decode()
    )
    assert f"{LIST}new/inspection/{finding.pk}/" in html


def test_from_subject_office_raises_on_a_weak_node(client, cast, quarter) -> None:
    url = f"{LIST}new/assessments/{quarter.assessment.pk}/subjects/{quarter.section.pk}/"
    assert as_user(client, cast.leader).get(url).status_code == 403
    c = as_user(client, cast.office)
    html = c.get(url).content.decode()
    assert "改善民生" in html and "薄弱" in html and "86.67" in html
    subject_page = f"/assessments/{quarter.assessment.pk}/subjects/{quarter.section.pk}/"
    assert url in c.get(subject_page).content.decode()
    refused = c.post(
        url, {"node": "public", "owner": cast.head_person.pk, "deadline": "2099-01-31"}
    )
    assert refused.status_code == 400 and "不属于薄弱指标" in refused.content.decode()
    response = c.post(
        url,
        {"node": "indicators.livelihood", "owner": cast.head_person.pk, "deadline": "2099-01-31"},
    )
    assert response.status_code == 302
    assert RectificationItem.objects.get().node == "indicators.livelihood"


def test_owner_uploads_and_submits_office_closes(client, cast, item) -> None:
    url = f"{LIST}{item.pk}/"
    owner = as_user(client, cast.handler)
    photo = demo_photo("整改后", (30, 140, 60))
    assert owner.post(f"{url}evidence/", {"files": photo}).status_code == 302
    evidence = item.evidence.get()
    assert owner.get(f"/evidence/{evidence.pk}/").status_code == 200
    assert owner.post(f"{url}close/", {"note": "自己销号"}).status_code == 403
    assert owner.post(f"{url}submit/", {"note": "已补齐"}).status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.SUBMITTED
    head = as_user(client, cast.head)  # sees it, but neither owns nor closes it
    assert head.post(f"{url}submit/", {"note": "x"}).status_code == 403
    assert head.post(f"{url}close/", {"note": "x"}).status_code == 403
    office = as_user(client, cast.office)
    assert office.post(f"{url}close/", {"note": "验收合格"}).status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.CLOSED and item.review_note == "验收合格"
    assert office.post(f"{url}reopen/", {"note": "复查仍有问题"}).status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.REOPENED


def test_empty_note_is_an_error_message_not_a_change(client, cast, item) -> None:
    c = as_user(client, cast.handler)
    response = c.post(f"{LIST}{item.pk}/submit/", {"note": " "}, follow=True)
    assert "请填写整改完成情况" in response.content.decode()
    item.refresh_from_db()
    assert item.status == ItemStatus.OPEN


def test_actions_on_an_invisible_item_are_404(client, cast, item) -> None:
    for action in ("submit", "close", "reopen", "evidence"):
        url = f"{LIST}{item.pk}/{action}/"
        assert as_user(client, cast.cadre).post(url, {"note": "x"}).status_code == 404
        assert as_user(client, cast.outsider).post(url, {"note": "x"}).status_code == 404


def test_carry_forward_office_only(client, cast, quarter, item) -> None:
    next_year = year_setup(
        actor=cast.office, org=cast.org, year=2026, choices={SubjectKind.UNIT: "bailian-town"}
    )
    data = {"from_year": quarter.year.pk, "to_year": next_year.pk}
    assert as_user(client, cast.leader).post(f"{LIST}carry-forward/", data).status_code == 403
    response = as_user(client, cast.office).post(f"{LIST}carry-forward/", data, follow=True)
    assert "已将 1 项未销号整改事项转入 2026 年度目标" in response.content.decode()
    item.refresh_from_db()
    assert item.carried_to is not None and item.carried_to.year == next_year


def test_rectification_and_reports_belong_to_the_results_step(client, cast, item) -> None:
    html = as_user(client, cast.office).get(LIST).content.decode()
    assert 'href="/results/" class="current"' in html
    assert LIST in as_user(client, cast.cadre).get("/results/").content.decode()
