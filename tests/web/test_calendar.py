"""工作日历 page: the office edits its calendar; nobody else may, another township gets 404."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from jixiao.years.holidays import preset_for
from jixiao.years.models import AssessmentYear, CalendarException, DayKind
from jixiao.years.services import calendar_day_set, calendar_preset_load, year_setup
from tests.spreadsheets.workbooks import make_xlsx

pytestmark = pytest.mark.django_db

NOT_OFFICE = ["leader", "head", "handler", "cadre", "nobody"]


@pytest.fixture
def year(cast) -> AssessmentYear:
    return year_setup(
        actor=cast.office, org=cast.org, year=2026, choices={"organisation": "bailian-town"}
    )


def as_user(client: Client, user) -> Client:
    client.force_login(user)
    return client


def rows(org) -> list[tuple]:
    return list(CalendarException.objects.filter(org=org).values_list("date", "kind", "name"))


def test_office_sees_the_calendar_and_the_preset_button(client: Client, cast, year) -> None:
    calendar_day_set(
        actor=cast.office, org=cast.org, day=date(2026, 10, 10), kind=DayKind.WORKDAY, name="国庆节"
    )
    response = as_user(client, cast.office).get(reverse("calendar:year", args=[year.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "2026-10-10" in html and "调休上班" in html and "国庆节" in html
    assert "载入国务院 2026 年节假日安排" in html
    assert "国务院办公厅关于2026年部分节假日安排的通知" in html
    detail = client.get(reverse("years:detail", args=[year.pk])).content.decode()
    assert reverse("calendar:year", args=[year.pk]) in detail


def test_the_page_query_count_does_not_grow_with_days(
    client: Client, cast, year, django_assert_max_num_queries
) -> None:
    calendar_preset_load(actor=cast.office, org=cast.org, year=2026)
    as_user(client, cast.office)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("calendar:year", args=[year.pk]))
    assert response.content.decode().count(f"calendar/{year.pk}/day/delete/") == len(
        preset_for(2026).days
    )


@pytest.mark.parametrize("role", NOT_OFFICE)
def test_others_in_the_organisation_may_not(client: Client, cast, year, role) -> None:
    as_user(client, getattr(cast, role))
    assert client.get(reverse("calendar:year", args=[year.pk])).status_code == 403
    posts = [
        ("calendar:day_set", {"date": "2026-10-01", "kind": "holiday", "name": "国庆节"}),
        ("calendar:preset", {}),
        ("calendar:day_delete", {"date": "2026-10-01"}),
    ]
    for name, data in posts:
        assert client.post(reverse(name, args=[year.pk]), data).status_code == 403
    assert rows(cast.org) == []


def test_another_township_gets_404(client: Client, cast, year) -> None:
    as_user(client, cast.outsider)
    assert client.get(reverse("calendar:year", args=[year.pk])).status_code == 404
    response = client.post(reverse("calendar:preset", args=[year.pk]))
    assert response.status_code == 404
    assert rows(cast.org) == [] and rows(cast.other_org) == []


def test_anonymous_is_sent_to_login(client: Client, year) -> None:
    response = client.get(reverse("calendar:year", args=[year.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_office_sets_and_deletes_a_day(client: Client, cast, year) -> None:
    as_user(client, cast.office)
    url = reverse("calendar:day_set", args=[year.pk])
    response = client.post(url, {"date": "2026-11-20", "kind": "holiday", "name": "县庆"})
    assert response.status_code == 302
    assert rows(cast.org) == [(date(2026, 11, 20), "holiday", "县庆")]
    bad = client.post(url, {"date": "2027-01-01", "kind": "holiday", "name": "元旦"})
    assert bad.status_code == 400 and "应在 2026 年内" in bad.content.decode()
    bad = client.post(url, {"date": "2026-11-21", "kind": "holiday", "name": ""})
    assert bad.status_code == 400 and "请填写名称" in bad.content.decode()
    response = client.post(reverse("calendar:day_delete", args=[year.pk]), {"date": "2026-11-20"})
    assert response.status_code == 302 and rows(cast.org) == []


def test_office_loads_the_preset(client: Client, cast, year) -> None:
    as_user(client, cast.office)
    response = client.post(reverse("calendar:preset", args=[year.pk]), follow=True)
    assert response.status_code == 200
    assert len(rows(cast.org)) == len(preset_for(2026).days)
    assert f"新增 {len(preset_for(2026).days)} 天" in response.content.decode()


def test_no_preset_button_for_a_year_without_one(client: Client, cast) -> None:
    year = year_setup(
        actor=cast.office, org=cast.org, year=2031, choices={"organisation": "bailian-town"}
    )
    html = as_user(client, cast.office).get(reverse("calendar:year", args=[year.pk])).content
    assert "未收录 2031 年" in html.decode()
    response = client.post(reverse("calendar:preset", args=[year.pk]), follow=True)
    assert "没有 2031 年" in response.content.decode() and rows(cast.org) == []


def _upload(data: bytes, name: str = "日历.xlsx") -> dict:
    return {"file": SimpleUploadedFile(name, data)}


def test_import_all_or_nothing_and_twice_the_same(client: Client, cast, year) -> None:
    as_user(client, cast.office)
    url = reverse("calendar:import", args=[year.pk])
    good = make_xlsx(["日期", "类型", "名称"], [["2026-10-01", "放假", "国庆节"]])
    bad = make_xlsx(
        ["日期", "类型", "名称"], [["2026-10-02", "放假", "国庆节"], ["2026-10-03", "周末", "x"]]
    )
    response = client.post(url, _upload(bad))
    assert response.status_code == 400
    html = response.content.decode()
    assert "import-error" in html and "周末" in html and rows(cast.org) == []
    assert client.post(url, _upload(good)).status_code == 302
    saved = rows(cast.org)
    response = client.post(url, _upload(good), follow=True)
    assert "不变 1 天" in response.content.decode() and rows(cast.org) == saved
    csv = "日期,类型,名称\n2026-10-10,上班,国庆节\n".encode("gb18030")
    assert client.post(url, _upload(csv, "日历.csv")).status_code == 302
    assert len(rows(cast.org)) == 2
    response = client.post(url, _upload(b"not a workbook"))
    assert response.status_code == 400 and "不是 Excel" in response.content.decode()


def test_import_refused_to_others(client: Client, cast, year) -> None:
    data = make_xlsx(["日期", "类型", "名称"], [["2026-10-01", "放假", "国庆节"]])
    as_user(client, cast.leader)
    url = reverse("calendar:import", args=[year.pk])
    assert client.post(url, _upload(data)).status_code == 403
    as_user(client, cast.outsider)
    assert client.post(url, _upload(data)).status_code == 404
    assert rows(cast.org) == []


def test_steps_bar_marks_the_schemes_step(client: Client, cast, year) -> None:
    html = as_user(client, cast.office).get(reverse("calendar:year", args=[year.pk])).content
    assert f'<a href="{reverse("schemes:list")}" class="current">' in html.decode()


def test_the_assessment_page_says_how_the_notice_was_counted(client: Client, cast, year) -> None:
    from tests.assessments.test_services import _published

    calendar_preset_load(actor=cast.office, org=cast.org, year=2026)
    q3 = year.periods.get(kind="quarter", number=3)
    assessment, __ = _published(cast, year, q3, today=date(2026, 9, 30))
    for user in (cast.office, cast.leader):
        html = as_user(client, user).get(reverse("assessment:detail", args=[assessment.pk]))
        text = " ".join(html.content.decode().split())
        assert "公示期 2026-09-30 至 2026-10-13" in text
        assert "（5 个工作日，已跳过国庆节假日，含调休上班日 10月10日）" in text
