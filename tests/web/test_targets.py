"""目标分解 pages: every view with a user who may and one who may not."""

from __future__ import annotations

import io
from urllib.parse import quote

import pytest
from django.urls import reverse
from pypdf import PdfReader

from jixiao.audit.models import AuditEvent
from jixiao.targets.models import Assignment, Milestone, Target
from jixiao.targets.services import target_assign, target_create
from jixiao.years.models import Period
from tests.targets.world import World, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast) -> World:
    return build_world(cast)


def _page(client, user, url: str) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# --- list ---------------------------------------------------------------------------


def test_list_shows_all_targets_to_the_office_with_their_details(client, cast, world):
    page = _page(client, cast.office, reverse("targets:list"))
    for title in ("全年完成固定资产投资1.5亿元", "新增市场主体120户", "农村人居环境整治"):
        assert title in page
    assert "杨河乡的目标" not in page
    assert "1.5 亿元" in page  # value and unit, without the database's trailing zeros
    assert "可持续发展（indicators.sustainable）" in page
    assert "承办人：刘洋" in page
    assert 'data-label="目标值"' in page  # stacks on a phone


def test_handler_sees_only_their_target(client, cast, world):
    page = _page(client, cast.handler, reverse("targets:list"))
    assert "全年完成固定资产投资1.5亿元" in page
    assert "新增市场主体120户" not in page
    assert "城乡居民医保参保率" not in page
    assert reverse("targets:letter_person", args=[cast.handler_person.pk]) in page
    assert reverse("targets:create") not in page


def test_head_sees_own_section_only(client, cast, world):
    page = _page(client, cast.head, reverse("targets:list"))
    assert "新增市场主体120户" in page
    assert "城乡居民医保参保率" not in page
    assert "农村人居环境整治" not in page


def test_outsider_sees_none_of_bailian(client, cast, world):
    page = _page(client, cast.outsider, reverse("targets:list"))
    assert "杨河乡的目标" in page
    assert "固定资产投资" not in page


def test_list_filters_and_htmx_partial(client, cast, world):
    client.force_login(cast.office)
    url = reverse("targets:list") + f"?person={world.supervisor_person.pk}"
    response = client.get(url, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert 'id="target-table"' in page and "<html" not in page
    assert "城乡居民医保参保率" in page and "农村人居环境整治" not in page


def test_nobody_gets_403(client, cast, world):
    client.force_login(cast.nobody)
    assert client.get(reverse("targets:list")).status_code == 403


def test_list_has_no_n_plus_one(client, cast, world, django_assert_max_num_queries):
    for number in range(30):
        target = target_create(
            actor=cast.office,
            year=world.year,
            code=f"Z{number:02d}",
            title=f"目标{number}",
            unit=cast.section,
        )
        target_assign(
            actor=cast.office, target=target, person=cast.handler_person, responsibility="handler"
        )
    client.force_login(cast.office)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("targets:list"))
    assert response.content.decode().count("承办人：刘洋") == 31


# --- create and edit ----------------------------------------------------------------


def _form(**overrides) -> dict:
    data = {
        "code": "A09",
        "title": "招商引资到位资金5000万元",
        "measures": "",
        "deadline": "2024-11-30",
        "expected_result": "",
        "target_value": "5000",
        "measure_unit": "万元",
        "weight": "6",
        "indicator": "indicators.sustainable",
    }
    data.update(overrides)
    return data


def test_office_creates_a_target(client, cast, world):
    client.force_login(cast.office)
    page = client.get(reverse("targets:create")).content.decode()
    assert 'value="indicators.livelihood"' in page and "改善民生" in page
    response = client.post(reverse("targets:create"), _form(unit=cast.village.pk))
    target = Target.objects.get(code="A09")
    assert response.status_code == 302
    assert response["Location"] == reverse("targets:detail", args=[target.pk])
    assert target.unit == cast.village and str(target.weight) == "6.00"
    assert AuditEvent.objects.filter(action="target.create", object_id=str(target.pk)).exists()


def test_create_errors_name_the_field_and_save_nothing(client, cast, world):
    client.force_login(cast.office)
    response = client.post(
        reverse("targets:create"),
        _form(unit=cast.section.pk, title="", weight="很多", indicator="no.such.node"),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "目标内容：" in page and "权重/分值：" in page and "对应指标：" in page
    assert not Target.objects.filter(code="A09").exists()


def test_duplicate_code_error_names_the_code_field(client, cast, world):
    client.force_login(cast.office)
    response = client.post(reverse("targets:create"), _form(code="A01", unit=cast.section.pk))
    assert "编号：编号 A01 已存在" in response.content.decode()


def test_head_creates_for_own_section_but_not_another(client, cast, world):
    client.force_login(cast.head)
    assert client.post(reverse("targets:create"), _form(unit=cast.section.pk)).status_code == 302
    response = client.post(reverse("targets:create"), _form(code="A10", unit=cast.other_section.pk))
    assert "责任单位：" in response.content.decode()
    assert not Target.objects.filter(code="A10").exists()


def test_handler_and_outsider_cannot_create(client, cast, world):
    client.force_login(cast.handler)
    assert client.get(reverse("targets:create")).status_code == 403
    assert client.post(reverse("targets:create"), _form(unit=cast.section.pk)).status_code == 403
    assert not Target.objects.filter(code="A09").exists()


def test_edit_by_head_of_section_and_not_by_others(client, cast, world):
    url = reverse("targets:edit", args=[world.a02.pk])
    client.force_login(cast.head)
    data = _form(unit=cast.section.pk, title="新增市场主体150户")
    del data["code"]
    assert client.post(url, data).status_code == 302
    assert Target.objects.get(pk=world.a02.pk).title == "新增市场主体150户"
    client.force_login(cast.handler)  # cannot even see A02
    assert client.get(url).status_code == 404
    client.force_login(cast.handler)
    assert client.get(reverse("targets:edit", args=[world.a01.pk])).status_code == 403
    client.force_login(cast.head)
    assert client.get(reverse("targets:edit", args=[world.b01.pk])).status_code == 404
    client.force_login(cast.outsider)
    assert client.get(url).status_code == 404


# --- detail: decomposition and milestones ------------------------------------------


def test_detail_per_role(client, cast, world):
    url = reverse("targets:detail", args=[world.a01.pk])
    page = _page(client, cast.handler, url)
    assert "刘洋" in page and "张伟" in page
    assert reverse("targets:assign", args=[world.a01.pk]) not in page  # reads only
    page = _page(client, cast.head, url)
    assert reverse("targets:assign", args=[world.a01.pk]) in page
    client.force_login(cast.handler)
    assert client.get(reverse("targets:detail", args=[world.b01.pk])).status_code == 404
    client.force_login(cast.outsider)
    assert client.get(url).status_code == 404


def test_assign_with_htmx_returns_the_partial(client, cast, world):
    client.force_login(cast.head)
    response = client.post(
        reverse("targets:assign", args=[world.a02.pk]),
        {"person": cast.handler_person.pk, "responsibility": "handler"},
        headers={"HX-Request": "true"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<div class="card" id="assignments">')
    assert "刘洋" in page
    assert Assignment.objects.filter(target=world.a02, person=cast.handler_person).exists()


def test_assign_without_js_redirects_back(client, cast, world):
    client.force_login(cast.office)
    url = reverse("targets:assign", args=[world.a02.pk])
    response = client.post(url, {"person": cast.other_person.pk, "responsibility": "handler"})
    assert response.status_code == 302
    assert response["Location"] == reverse("targets:detail", args=[world.a02.pk])


def test_assign_errors_name_the_field(client, cast, world):
    client.force_login(cast.office)
    url = reverse("targets:assign", args=[world.a02.pk])
    stranger = cast.outsider.person
    response = client.post(
        url, {"person": stranger.pk, "responsibility": "handler"}, headers={"HX-Request": "true"}
    )
    assert "人员：该人员不属于本乡镇或部门" in response.content.decode()
    response = client.post(url, {"person": "", "responsibility": "handler"}, follow=True)
    assert "人员：请选择人员" in response.content.decode()
    assert not Assignment.objects.filter(target=world.a02).exists()


def test_handler_cannot_assign_or_unassign(client, cast, world):
    client.force_login(cast.handler)
    response = client.post(
        reverse("targets:assign", args=[world.a01.pk]),
        {"person": cast.handler_person.pk, "responsibility": "section_head"},
    )
    assert response.status_code == 403
    assignment = world.a01.assignments.get(person=cast.handler_person)
    url = reverse("targets:unassign", args=[world.a01.pk, assignment.pk])
    assert client.post(url).status_code == 403
    assert Assignment.objects.filter(pk=assignment.pk).exists()


def test_unassign_by_head(client, cast, world):
    assignment = world.a01.assignments.get(person=cast.handler_person)
    client.force_login(cast.head)
    url = reverse("targets:unassign", args=[world.a01.pk, assignment.pk])
    response = client.post(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert not Assignment.objects.filter(pk=assignment.pk).exists()
    # An assignment of another target cannot be removed through this one.
    other = world.b01.assignments.first()
    assert (
        client.post(reverse("targets:unassign", args=[world.a01.pk, other.pk])).status_code == 404
    )


def test_milestones_by_month_and_dekad(client, cast, world):
    client.force_login(cast.head)
    url = reverse("targets:milestone_set", args=[world.a01.pk])
    dekad = Period.objects.get(year=world.year, kind="dekad", number=5)  # 2月中旬
    response = client.post(
        url,
        {"period": dekad.pk, "description": "完成项目立项", "planned_value": "0.3"},
        headers={"HX-Request": "true"},
    )
    page = response.content.decode()
    assert 'id="milestones"' in page and "2月中旬" in page and "0.3" in page
    quarter = Period.objects.get(year=world.year, kind="quarter", number=1)
    response = client.post(
        url, {"period": quarter.pk, "description": "x"}, headers={"HX-Request": "true"}
    )
    assert "月份/旬：请选择本年度的一个月或一旬" in response.content.decode()
    response = client.post(
        url,
        {"period": dekad.pk, "description": "x", "planned_value": "三成"},
        headers={"HX-Request": "true"},
    )
    assert "计划值：“三成”不是数字" in response.content.decode()
    milestone = Milestone.objects.get()
    assert milestone.description == "完成项目立项"
    delete = reverse("targets:milestone_delete", args=[world.a01.pk, milestone.pk])
    client.force_login(cast.handler)
    assert client.post(delete).status_code == 403
    client.force_login(cast.head)
    assert client.post(delete).status_code == 302
    assert not Milestone.objects.exists()


# --- letters ------------------------------------------------------------------------


def _pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return "".join("".join(page.extract_text().split()) for page in reader.pages)


def test_handler_downloads_own_letter_not_someone_elses(client, cast, world):
    client.force_login(cast.handler)
    response = client.get(reverse("targets:letter_person", args=[cast.handler_person.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''" + quote("2024年度绩效目标责任书-刘洋.pdf") in disposition
    assert "刘洋" in _pdf_text(response)
    assert (
        client.get(reverse("targets:letter_person", args=[cast.head_person.pk])).status_code == 403
    )
    assert client.get(reverse("targets:letter_unit", args=[cast.section.pk])).status_code == 403


def test_head_downloads_own_sections_letter(client, cast, world):
    client.force_login(cast.head)
    response = client.get(reverse("targets:letter_unit", args=[cast.section.pk]))
    assert response.status_code == 200
    text = _pdf_text(response)
    assert "乙方：经济发展办" in text and "新增市场主体120户" in text
    assert (
        client.get(reverse("targets:letter_unit", args=[cast.other_section.pk])).status_code == 403
    )


def test_outsider_gets_404_for_letters_of_another_township(client, cast, world):
    client.force_login(cast.outsider)
    assert client.get(reverse("targets:letter_unit", args=[cast.section.pk])).status_code == 404
    url = reverse("targets:letter_person", args=[cast.handler_person.pk])
    assert client.get(url).status_code == 404
    # Nor can a year of another township be named.
    client.force_login(cast.office)
    url = reverse("targets:letter_unit", args=[cast.section.pk]) + f"?year={world.other_year.pk}"
    assert client.get(url).status_code == 404
