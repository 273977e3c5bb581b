"""过程 pages: each view with a user who may and one who may not."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from jixiao.organisation.models import TaskForce
from jixiao.progress.models import MonthlyPlan, PlanStatus, ProgressReport, ReportStatus
from jixiao.progress.services import plan_create, plan_item_add, plan_submit, report_submit
from jixiao.targets.services import milestone_set
from jixiao.web.views import progress as views
from tests.evidence import files
from tests.progress.helpers import dekad, period
from tests.targets.world import World, build_world

pytestmark = pytest.mark.django_db

TODAY = date(2024, 3, 8)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch, settings, tmp_path):
    monkeypatch.setattr(views, "today", lambda: TODAY)
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(cast) -> World:
    world = build_world(cast)
    # A01 reports by dekad: 3月上旬 (due 3/10, yellow on 3/8) and 2月下旬 (overdue, red).
    milestone_set(
        actor=cast.office, target=world.a01, period=dekad(world.year, 3, 1), description="开工"
    )
    milestone_set(
        actor=cast.office, target=world.a01, period=dekad(world.year, 2, 3), description="立项"
    )
    return world


def _get(client, user, url: str, status: int = 200) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == status
    return response.content.decode()


def _submit(cast, world, per, value="1", target=None):
    return report_submit(
        actor=cast.handler,
        target=target or world.a01,
        period=per,
        reporter=cast.handler_person,
        value=Decimal(value),
        narrative="按期推进",
    )


# --- to-do page ------------------------------------------------------------------------


def test_nav_links_the_process_step_to_the_todo_page(client, cast, world):
    page = _get(client, cast.handler, reverse("process:index"))
    assert f'href="{reverse("process:index")}" class="current"' in page


def test_handler_todo_lists_yellow_and_red_reports_due(client, cast, world):
    page = _get(client, cast.handler, reverse("process:index"))
    assert "3月上旬" in page and "黄灯" in page
    assert "2月下旬" in page and "红灯" in page and "逾期 8 天" in page
    assert reverse("process:report", args=[world.a01.pk]) in page
    assert "待审核的进度报告" not in page


def test_head_todo_lists_reviews_and_the_plan_to_file(client, cast, world):
    _submit(cast, world, dekad(world.year, 3, 1))
    page = _get(client, cast.head, reverse("process:index"))
    assert "待审核的进度报告（1）" in page
    assert "经济发展办 · 3月" in page and "尚未报送计划" in page


def test_task_force_leader_is_asked_to_close_last_months_plan(client, cast, world):
    force = TaskForce.objects.create(org=cast.org, name="项目指挥组", leader=cast.handler_person)
    plan = plan_create(
        actor=cast.handler,
        year=world.year,
        period=period(world.year, "month", 2),
        task_force=force,
    )
    plan_item_add(actor=cast.handler, plan=plan, description="项目推进")
    plan_submit(actor=cast.handler, plan=plan)
    page = _get(client, cast.handler, reverse("process:index"))
    assert "项目指挥组 · 2月" in page
    assert reverse("process:plan_close", args=[plan.pk]) in page


def test_todo_page_uses_a_bounded_number_of_queries(
    client, cast, world, django_assert_max_num_queries
):
    for part in (1, 2, 3):
        milestone_set(
            actor=cast.office, target=world.a02, period=dekad(world.year, 3, part), description="d"
        )
    _submit(cast, world, dekad(world.year, 3, 1))
    client.force_login(cast.head)
    client.get(reverse("process:index"))  # warm the session
    with django_assert_max_num_queries(18):
        response = client.get(reverse("process:index"))
    assert response.status_code == 200


def test_nobody_gets_403(client, cast, world):
    _get(client, cast.nobody, reverse("process:index"), status=403)


# --- reporting -------------------------------------------------------------------------


def test_handler_reports_on_own_target_with_photos(client, cast, world):
    client.force_login(cast.handler)
    url = reverse("process:report", args=[world.a01.pk])
    page = client.get(url).content.decode()
    assert 'accept="image/*' in page and "capture" in page and "multiple" in page
    assert "本目标按旬报送" in page
    response = client.post(
        url,
        {
            "period": dekad(world.year, 3, 1).pk,
            "value": "0.3",
            "narrative": "项目A已开工",
            "files": [files.upload("工地1.jpg", files.JPEG), files.upload("工地2.png", files.PNG)],
        },
    )
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert report.value == Decimal("0.3") and report.reporter == cast.handler_person
    assert report.evidence.count() == 2


def test_bad_file_is_named_and_nothing_saved(client, cast, world):
    client.force_login(cast.handler)
    response = client.post(
        reverse("process:report", args=[world.a01.pk]),
        {
            "period": dekad(world.year, 3, 1).pk,
            "value": "1",
            "narrative": "x",
            "files": [files.upload("假照片.jpg", b"%!PS not an image")],
        },
    )
    assert response.status_code == 400
    assert "佐证材料：“假照片.jpg”不是允许的文件类型" in response.content.decode()
    assert ProgressReport.objects.count() == 0


def test_month_form_is_prefilled_from_dekads(client, cast, world):
    _submit(cast, world, dekad(world.year, 3, 1), "1.5")
    _submit(cast, world, dekad(world.year, 3, 2), "2")
    month = period(world.year, "month", 3)
    page = _get(
        client, cast.handler, reverse("process:report", args=[world.a01.pk]) + f"?period={month.pk}"
    )
    assert 'value="3.5"' in page and "已按本月各旬报告之和预填" in page


def test_handler_may_not_report_on_another_target(client, cast, world):
    for target in (world.a02, world.b01, world.y01):
        _get(client, cast.handler, reverse("process:report", args=[target.pk]), status=404)
    _get(client, cast.head, reverse("process:report", args=[world.a01.pk]), status=404)
    _get(client, cast.outsider, reverse("process:report", args=[world.a01.pk]), status=404)


def test_target_progress_shows_derived_values(client, cast, world):
    _submit(cast, world, dekad(world.year, 3, 1), "1.5")
    _submit(cast, world, dekad(world.year, 3, 2), "2")
    page = _get(client, cast.head, reverse("process:target", args=[world.a01.pk]))
    assert "3.5" in page and "汇总" in page
    _get(client, cast.cadre, reverse("process:target", args=[world.a01.pk]), status=404)
    _get(client, cast.outsider, reverse("process:target", args=[world.a01.pk]), status=404)


# --- review ---------------------------------------------------------------------------


def test_head_reviews_own_section(client, cast, world):
    report = _submit(cast, world, dekad(world.year, 3, 1))
    page = _get(client, cast.head, reverse("process:reviews"))
    assert "按期推进" in page
    response = client.post(
        reverse("process:review", args=[report.pk]), {"decision": "return", "note": "请补照片"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED and report.review_note == "请补照片"
    page = _get(client, cast.handler, reverse("process:index"))
    assert "被退回" in page and "请补照片" in page


def test_head_may_not_review_another_section(client, cast, world):
    milestone_set(
        actor=cast.office, target=world.b01, period=dekad(world.year, 3, 1), description="d"
    )
    report = report_submit(
        actor=None,
        target=world.b01,
        period=dekad(world.year, 3, 1),
        reporter=cast.other_person,
        value=None,
        narrative="社会事务办的报告",
    )
    page = _get(client, cast.head, reverse("process:reviews"))
    assert "社会事务办的报告" not in page
    response = client.post(reverse("process:review", args=[report.pk]), {"decision": "accept"})
    assert response.status_code == 404
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    client.force_login(cast.office)
    client.post(reverse("process:review", args=[report.pk]), {"decision": "accept"})
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED


def test_handler_and_outsider_may_not_review(client, cast, world):
    report = _submit(cast, world, dekad(world.year, 3, 1))
    _get(client, cast.handler, reverse("process:reviews"), status=403)
    for user in (cast.handler, cast.outsider):
        client.force_login(user)
        response = client.post(reverse("process:review", args=[report.pk]), {"decision": "accept"})
        assert response.status_code in (403, 404)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_lights_page_shows_visible_targets_only(client, cast, world):
    page = _get(client, cast.handler, reverse("process:lights"))
    assert "A01" in page and "红灯" in page and "B01" not in page
    page = _get(client, cast.outsider, reverse("process:lights"))
    assert "A01" not in page


# --- plans ----------------------------------------------------------------------------


def test_head_files_submits_and_closes_the_sections_plan(client, cast, world):
    client.force_login(cast.head)
    march = period(world.year, "month", 3)
    page = client.get(reverse("process:plans")).content.decode()
    assert f'value="unit:{cast.section.pk}"' in page
    assert f'value="unit:{cast.other_section.pk}"' not in page
    response = client.post(
        reverse("process:plan_create"), {"month": march.pk, "owner": f"unit:{cast.section.pk}"}
    )
    plan = MonthlyPlan.objects.get()
    assert response.url == reverse("process:plan", args=[plan.pk])
    client.post(
        reverse("process:plan", args=[plan.pk]),
        {"description": "完成项目A开工", "target": world.a01.pk},
    )
    client.post(reverse("process:plan", args=[plan.pk]), {"description": "召开调度会"})
    client.post(reverse("process:plan_submit", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    first, second = plan.items.all()
    assert first.target == world.a01
    response = client.post(
        reverse("process:plan_close", args=[plan.pk]),
        {f"completion-{first.pk}": "80", f"completion-{second.pk}": "abc"},
    )
    assert response.status_code == 400
    assert "第 2 项“abc”" in response.content.decode()
    client.post(
        reverse("process:plan_close", args=[plan.pk]),
        {
            f"completion-{first.pk}": "80",
            f"completion-{second.pk}": "100",
            f"note-{first.pk}": "已开工",
        },
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CLOSED
    page = client.get(reverse("process:plans") + f"?month={march.pk}").content.decode()
    assert "已结账" in page and "90%" in page  # (80 + 100) / 2


def test_head_may_not_file_for_another_section_nor_edit_its_plan(client, cast, world):
    march = period(world.year, "month", 3)
    other = plan_create(actor=cast.office, year=world.year, period=march, unit=cast.other_section)
    client.force_login(cast.head)
    response = client.post(
        reverse("process:plan_create"),
        {"month": march.pk, "owner": f"unit:{cast.other_section.pk}"},
    )
    assert response.status_code == 403
    response = client.post(reverse("process:plan", args=[other.pk]), {"description": "x"})
    assert response.status_code == 404  # not even visible to the head
    assert other.items.count() == 0


def test_handler_reads_own_units_plan_but_may_not_edit(client, cast, world):
    plan = plan_create(
        actor=cast.head, year=world.year, period=period(world.year, "month", 3), unit=cast.section
    )
    page = _get(client, cast.handler, reverse("process:plan", args=[plan.pk]))
    assert "增加计划事项" not in page
    response = client.post(reverse("process:plan", args=[plan.pk]), {"description": "x"})
    assert response.status_code == 403
    _get(client, cast.outsider, reverse("process:plan", args=[plan.pk]), status=404)
    _get(client, cast.cadre, reverse("process:plan", args=[plan.pk]), status=404)


def test_plan_list_uses_a_bounded_number_of_queries(
    client, cast, world, django_assert_max_num_queries
):
    march = period(world.year, "month", 3)
    units = [cast.section, cast.other_section, cast.village]
    for unit in units:
        plan = plan_create(actor=cast.office, year=world.year, period=march, unit=unit)
        for n in range(3):
            plan_item_add(actor=cast.office, plan=plan, description=f"事项{n}", target=world.a01)
    client.force_login(cast.office)
    url = reverse("process:plans") + f"?month={march.pk}"
    client.get(url)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.content.decode().count(">3<") >= 3
