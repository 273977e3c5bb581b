"""察访核验 pages: every view with a user who may and one who may not."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from jixiao.inspections.models import Inspection, ProjectSite, SiteVisit
from jixiao.inspections.services import site_create, site_visit_record
from tests.inspections.world import InspectionWorld, build_inspection_world, png, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def iworld(cast) -> InspectionWorld:
    return build_inspection_world(cast)


def _get(client, user, url: str, status: int = 200, **kwargs):
    client.force_login(user)
    response = client.get(url, **kwargs)
    assert response.status_code == status
    return response.content.decode()


def _capped_ledger(cast, iworld) -> None:
    for day, points in ((5, "1"), (12, "1.5"), (20, "2")):
        record(cast, iworld, date=date(2024, 3, day), points=points)


# --- index and ledger ---------------------------------------------------------------


def test_index_for_readers_lists_units_they_may_read(client, cast, iworld):
    record(cast, iworld, unit=cast.section, node="misconduct", points="2")
    page = _get(client, cast.office, reverse("inspections:index"))
    assert "白莲镇" in page and "社会事务办" in page and "值班人员脱岗" in page
    assert reverse("inspections:record") in page
    assert 'class="current">过程</a>' in page  # the 过程 step is highlighted
    leader_page = _get(client, cast.leader, reverse("inspections:index"))
    assert reverse("inspections:ledger", args=[cast.other_section.pk]) in leader_page
    head_page = _get(client, cast.head, reverse("inspections:index"))
    assert reverse("inspections:ledger", args=[cast.section.pk]) in head_page
    assert reverse("inspections:ledger", args=[cast.other_section.pk]) not in head_page
    assert reverse("inspections:record") not in head_page


@pytest.mark.parametrize("who", ["handler", "cadre", "nobody"])
def test_index_is_refused_to_others(client, cast, iworld, who):
    _get(client, getattr(cast, who), reverse("inspections:index"), status=403)


def test_ledger_shows_running_sum_and_the_engines_cap(client, cast, iworld):
    _capped_ledger(cast, iworld)
    page = _get(client, cast.office, reverse("inspections:ledger", args=[cast.org.pk]))
    assert "累计扣分 4.5，按方案封顶 3" in page
    assert page.index(">2.5<") < page.index(">4.5<")  # the running sum, in date order
    assert 'data-label="累计"' in page


def test_ledger_period_filter_and_htmx_partial(client, cast, iworld):
    _capped_ledger(cast, iworld)
    record(cast, iworld, date=date(2024, 4, 2), points="0.5", finding="四月的问题")
    april = iworld.year.periods.get(kind="month", number=4)
    url = reverse("inspections:ledger", args=[cast.org.pk]) + f"?period={april.pk}"
    page = _get(client, cast.office, url, headers={"HX-Request": "true"})
    assert 'id="ledger"' in page and "<html" not in page
    assert "四月的问题" in page and "值班人员脱岗" not in page
    assert "累计扣分 0.5，计入 0.5" in page


def test_ledger_readers_and_refusals(client, cast, iworld):
    section = reverse("inspections:ledger", args=[cast.section.pk])
    other = reverse("inspections:ledger", args=[cast.other_section.pk])
    _get(client, cast.leader, other)  # reviewer and principal leader
    _get(client, cast.head, section)  # own section
    _get(client, cast.head, other, status=403)
    _get(client, cast.handler, section, status=403)
    _get(client, cast.cadre, section, status=403)
    _get(client, cast.outsider, section, status=404)


def test_voided_rows_stay_visible_but_stop_counting(client, cast, iworld):
    _capped_ledger(cast, iworld)
    row = Inspection.objects.get(points="2")
    client.force_login(cast.leader)
    response = client.post(reverse("inspections:void", args=[row.pk]), {"reason": "复核不成立"})
    assert response.status_code == 302
    page = _get(client, cast.office, reverse("inspections:ledger", args=[cast.org.pk]))
    assert "已撤销" in page and "复核不成立" in page
    assert "累计扣分 2.5，计入 2.5" in page


def test_void_without_reason_changes_nothing(client, cast, iworld):
    row = record(cast, iworld)
    client.force_login(cast.office)
    client.post(reverse("inspections:void", args=[row.pk]), {"reason": ""})
    row.refresh_from_db()
    assert not row.voided


def test_void_is_refused_to_heads_and_outsiders(client, cast, iworld):
    row = record(cast, iworld, unit=cast.section, node="misconduct")
    url = reverse("inspections:void", args=[row.pk])
    client.force_login(cast.head)
    assert client.post(url, {"reason": "x"}).status_code == 403
    client.force_login(cast.outsider)
    assert client.post(url, {"reason": "x"}).status_code == 404
    row.refresh_from_db()
    assert not row.voided


def test_ledger_has_no_n_plus_one(client, cast, iworld, django_assert_max_num_queries):
    for day in range(1, 29):
        record(cast, iworld, date=date(2024, 2, day), points="0.1", evidence=[png()])
    for day in range(1, 6):
        record(
            cast,
            iworld,
            unit=cast.section,
            person=cast.handler_person,
            node="efficiency",
            points="0.5",
            date=date(2024, 2, day),
        )
    client.force_login(cast.office)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("inspections:ledger", args=[cast.org.pk]))
    assert response.content.decode().count("photo.png") == 28
    with django_assert_max_num_queries(14):
        response = client.get(reverse("inspections:ledger", args=[cast.section.pk]))
    assert "刘洋" in response.content.decode()


def test_index_has_no_n_plus_one(client, cast, iworld, django_assert_max_num_queries):
    from jixiao.organisation.services import unit_create

    for number in range(20):
        unit = unit_create(name=f"村{number}", kind="village", code=f"c{number}", parent=cast.org)
        record(cast, iworld, unit=unit, node="misconduct", points="1")
    client.force_login(cast.office)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("inspections:index"))
    assert "村19" in response.content.decode()


# --- recording ----------------------------------------------------------------------


def _form(cast, **overrides) -> dict:
    data = {
        "unit": cast.org.pk,
        "person": "",
        "kind": "announced",
        "date": "2024-03-05",
        "finding": "未按要求公示",
        "node": "inspection",
        "points": "0.5",
    }
    data.update(overrides)
    return data


def test_record_form_offers_the_pinned_ledger_nodes(client, cast, iworld):
    page = _get(client, cast.office, reverse("inspections:record"))
    assert 'value="inspection"' in page and 'value="misconduct"' in page
    assert 'value="efficiency"' in page and 'value="public"' not in page
    assert 'name="evidence"' in page and "multiple" in page


@pytest.mark.parametrize("who", ["office", "leader"])
def test_office_and_reviewers_record(client, cast, iworld, who):
    client.force_login(getattr(cast, who))
    data = _form(cast) | {"evidence": [png("现场.png")]}
    response = client.post(reverse("inspections:record"), data)
    assert response.status_code == 302
    row = Inspection.objects.get()
    assert response["Location"] == reverse("inspections:ledger", args=[cast.org.pk])
    assert row.kind == "announced" and [e.original_name for e in row.evidence.all()] == ["现场.png"]


def test_record_errors_name_the_field(client, cast, iworld):
    client.force_login(cast.office)
    response = client.post(reverse("inspections:record"), _form(cast, points="-1"))
    page = response.content.decode()
    assert response.status_code == 200 and "扣分：扣分不能为负数" in page
    response = client.post(reverse("inspections:record"), _form(cast, unit=cast.section.pk))
    assert "扣分项：" in response.content.decode()
    assert not Inspection.objects.exists()


@pytest.mark.parametrize("who", ["head", "handler", "cadre", "nobody"])
def test_record_is_refused_to_others(client, cast, iworld, who):
    _get(client, getattr(cast, who), reverse("inspections:record"), status=403)
    client.post(reverse("inspections:record"), _form(cast))
    assert not Inspection.objects.exists()


def test_outsider_cannot_record_against_bailian(client, cast, iworld):
    client.force_login(cast.outsider)
    response = client.post(reverse("inspections:record"), _form(cast))
    assert response.status_code == 200  # the unit is not a choice in 杨河乡's form
    assert not Inspection.objects.exists()


# --- project sites ------------------------------------------------------------------


def _site_with_two_months(cast, iworld) -> ProjectSite:
    site = site_create(actor=cast.office, org=cast.org, name="农贸市场改造", unit=cast.section)
    for number, note, figure in ((3, "完成基础施工", "40"), (4, "主体封顶", "65.5")):
        site_visit_record(
            actor=cast.office,
            site=site,
            period=iworld.year.periods.get(kind="month", number=number),
            date=date(2024, number, 15),
            progress_note=note,
            figure=figure,
            photos=[png(f"{number}月.png")],
        )
    return site


def test_site_crud_by_the_office(client, cast, iworld):
    client.force_login(cast.office)
    response = client.post(
        reverse("inspections:site_create"), {"name": "道路硬化", "unit": cast.village.pk}
    )
    site = ProjectSite.objects.get()
    assert response["Location"] == reverse("inspections:site_detail", args=[site.pk])
    client.post(
        reverse("inspections:site_edit", args=[site.pk]),
        {"name": "道路硬化二期", "unit": cast.village.pk},
    )
    site.refresh_from_db()
    assert site.name == "道路硬化二期"
    page = _get(client, cast.office, reverse("inspections:sites"))
    assert "道路硬化二期" in page
    client.post(reverse("inspections:site_delete", args=[site.pk]))
    assert not ProjectSite.objects.exists()


def test_visit_is_recorded_from_the_site_page(client, cast, iworld):
    site = site_create(actor=cast.office, org=cast.org, name="道路硬化", unit=cast.village)
    march = iworld.year.periods.get(kind="month", number=3)
    client.force_login(cast.leader)
    data = {
        "period": march.pk,
        "date": "2024-03-09",
        "progress_note": "路基完成",
        "figure": "30",
        "photos": [png()],
    }
    response = client.post(reverse("inspections:site_detail", args=[site.pk]), data)
    assert response.status_code == 302
    visit = SiteVisit.objects.get()
    assert visit.photos.count() == 1
    bad = data | {"date": "2024-05-01", "photos": []}
    page = client.post(reverse("inspections:site_detail", args=[site.pk]), bad).content.decode()
    assert "巡查日期：" in page


def test_compare_shows_two_months_side_by_side(client, cast, iworld):
    site = _site_with_two_months(cast, iworld)
    page = _get(client, cast.office, reverse("inspections:site_compare", args=[site.pk]))
    assert "完成基础施工" in page and "主体封顶" in page
    assert "40% → 65.5%（+25.5 个百分点）" in page
    assert "3月.png" in page and "4月.png" in page
    assert "@media print" in page
    march = iworld.year.periods.get(kind="month", number=3)
    april = iworld.year.periods.get(kind="month", number=4)
    url = (
        reverse("inspections:site_compare", args=[site.pk]) + f"?before={april.pk}&after={march.pk}"
    )
    assert "（-25.5 个百分点）" in _get(client, cast.office, url)


def test_sites_readers_and_refusals(client, cast, iworld):
    site = _site_with_two_months(cast, iworld)
    other = site_create(
        actor=cast.office, org=cast.org, name="社区服务中心", unit=cast.other_section
    )
    detail = reverse("inspections:site_detail", args=[site.pk])
    head_list = _get(client, cast.head, reverse("inspections:sites"))
    assert "农贸市场改造" in head_list and "社区服务中心" not in head_list
    head_page = _get(client, cast.head, detail)
    assert "记录本月巡查" not in head_page
    _get(client, cast.head, reverse("inspections:site_compare", args=[site.pk]))
    _get(client, cast.head, reverse("inspections:site_detail", args=[other.pk]), status=403)
    _get(client, cast.head, reverse("inspections:site_create"), status=403)
    _get(client, cast.head, reverse("inspections:site_edit", args=[site.pk]), status=403)
    client.post(detail, {"period": "", "date": "2024-03-01", "progress_note": "x"})
    _get(client, cast.handler, reverse("inspections:sites"), status=403)
    _get(client, cast.handler, detail, status=403)
    _get(client, cast.outsider, detail, status=404)
    _get(client, cast.outsider, reverse("inspections:site_compare", args=[site.pk]), status=404)
    client.force_login(cast.outsider)
    assert client.post(reverse("inspections:site_delete", args=[other.pk])).status_code == 404
    assert ProjectSite.objects.count() == 2


def test_sites_list_has_no_n_plus_one(client, cast, iworld, django_assert_max_num_queries):
    for number in range(25):
        site_create(actor=cast.office, org=cast.org, name=f"项目{number}", unit=cast.section)
    client.force_login(cast.office)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("inspections:sites"))
    assert "项目24" in response.content.decode()
