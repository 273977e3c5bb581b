"""Plans and progress reports: the workflow services, with values worked out by hand."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from jixiao.audit.models import AuditEvent
from jixiao.evidence.models import Evidence
from jixiao.organisation.models import TaskForce
from jixiao.progress.models import MonthlyPlan, PlanStatus, ProgressReport, ReportStatus
from jixiao.progress.services import (
    plan_close,
    plan_create,
    plan_item_add,
    plan_item_remove,
    plan_submit,
    report_review,
    report_submit,
)
from tests.evidence import files
from tests.progress.helpers import dekad, period

pytestmark = pytest.mark.django_db


# --- plans ------------------------------------------------------------------------------


def _plan(cast, world, month: int = 3) -> MonthlyPlan:
    return plan_create(
        actor=cast.head,
        year=world.year,
        period=period(world.year, "month", month),
        unit=cast.section,
    )


def test_plan_lifecycle_draft_submit_close(cast, world):
    plan = _plan(cast, world)
    first = plan_item_add(actor=cast.head, plan=plan, description="完成项目A开工", target=world.a01)
    second = plan_item_add(actor=cast.head, plan=plan, description=" 召开调度会 ")
    assert (first.sort, second.sort) == (1, 2)
    assert second.description == "召开调度会"

    plan_submit(actor=cast.head, plan=plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    assert plan.submitted_by == cast.head and plan.submitted_at is not None

    plan_close(
        actor=cast.head,
        plan=plan,
        completions={first.pk: (80, "主体已开工"), second.pk: (100, "")},
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CLOSED
    assert [(i.completion, i.note) for i in plan.items.all()] == [(80, "主体已开工"), (100, "")]
    actions = list(
        AuditEvent.objects.filter(object_type="progress.monthlyplan")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["plan.create", "plan.submit", "plan.close"]


def test_empty_plan_cannot_be_submitted(cast, world):
    plan = _plan(cast, world)
    with pytest.raises(ValidationError) as caught:
        plan_submit(actor=cast.head, plan=plan)
    assert "items" in caught.value.message_dict
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_submitted_plan_items_are_frozen(cast, world):
    plan = _plan(cast, world)
    item = plan_item_add(actor=cast.head, plan=plan, description="事项")
    plan_submit(actor=cast.head, plan=plan)
    with pytest.raises(ValidationError):
        plan_item_add(actor=cast.head, plan=plan, description="后加的")
    with pytest.raises(ValidationError):
        plan_item_remove(actor=cast.head, item=item)
    with pytest.raises(ValidationError):
        plan_submit(actor=cast.head, plan=plan)


def test_close_needs_every_item_in_range_and_saves_nothing_otherwise(cast, world):
    plan = _plan(cast, world)
    a = plan_item_add(actor=cast.head, plan=plan, description="甲")
    b = plan_item_add(actor=cast.head, plan=plan, description="乙")
    with pytest.raises(ValidationError):
        plan_close(actor=cast.head, plan=plan, completions={a.pk: (50, "")})  # b missing
    plan_submit(actor=cast.head, plan=plan)
    with pytest.raises(ValidationError) as caught:
        plan_close(actor=cast.head, plan=plan, completions={a.pk: (50, "")})
    assert "第 2 项" in caught.value.message_dict["completion"][0]
    with pytest.raises(ValidationError) as caught:
        plan_close(actor=cast.head, plan=plan, completions={a.pk: (50, ""), b.pk: (101, "")})
    assert "0–100" in caught.value.message_dict["completion"][0]
    a.refresh_from_db()
    plan.refresh_from_db()
    assert a.completion is None and plan.status == PlanStatus.SUBMITTED


def test_one_plan_per_owner_and_month_and_exactly_one_owner(cast, world):
    _plan(cast, world)
    with pytest.raises(ValidationError) as caught:
        _plan(cast, world)
    assert "period" in caught.value.message_dict
    month = period(world.year, "month", 3)
    with pytest.raises(ValidationError):
        plan_create(actor=cast.office, year=world.year, period=month)
    with pytest.raises(ValidationError):  # a quarter is not a month
        plan_create(
            actor=cast.office,
            year=world.year,
            period=period(world.year, "quarter", 1),
            unit=cast.section,
        )
    with pytest.raises(ValidationError):  # another township's unit
        plan_create(actor=cast.office, year=world.year, period=month, unit=cast.other_org)


def test_task_force_files_its_own_plan(cast, world):
    force = TaskForce.objects.create(org=cast.org, name="项目建设指挥组", leader=cast.head_person)
    plan = plan_create(
        actor=cast.head, year=world.year, period=period(world.year, "month", 3), task_force=force
    )
    assert plan.task_force == force and plan.unit is None


# --- progress reports -------------------------------------------------------------------


def _report(cast, world, per, value, uploads=(), narrative="按计划推进"):
    return report_submit(
        actor=cast.handler,
        target=world.a01,
        period=per,
        reporter=cast.handler_person,
        value=value,
        narrative=narrative,
        uploads=uploads,
    )


def test_handler_reports_with_photos_and_can_resubmit_until_accepted(cast, world):
    per = dekad(world.year, 3, 1)
    report = _report(
        cast,
        world,
        per,
        Decimal("0.2"),
        uploads=[files.upload("工地.jpg", files.JPEG), files.upload("台账.pdf", files.PDF)],
    )
    assert report.status == ReportStatus.SUBMITTED
    assert sorted(e.content_type for e in report.evidence.all()) == [
        "application/pdf",
        "image/jpeg",
    ]
    again = _report(cast, world, per, Decimal("0.25"), narrative="更正")
    assert again.pk == report.pk
    again.refresh_from_db()
    assert again.value == Decimal("0.25") and again.narrative == "更正"
    assert again.evidence.count() == 2  # earlier files stay

    report_review(actor=cast.head, report=again, accept=True)
    with pytest.raises(ValidationError) as caught:
        _report(cast, world, per, Decimal("9"))
    assert "period" in caught.value.message_dict
    assert AuditEvent.objects.filter(action="progress.accept").count() == 1


def test_one_bad_file_saves_nothing(cast, world):
    with pytest.raises(ValidationError) as caught:
        _report(
            cast,
            world,
            dekad(world.year, 3, 1),
            Decimal("1"),
            uploads=[files.upload("ok.jpg", files.JPEG), files.upload("bad.jpg", b"text")],
        )
    assert "bad.jpg" in caught.value.message_dict["file"][0]
    assert ProgressReport.objects.count() == 0
    assert Evidence.objects.count() == 0


def test_only_the_targets_handler_may_report(cast, world):
    with pytest.raises(ValidationError) as caught:
        report_submit(
            actor=cast.head,
            target=world.a01,
            period=dekad(world.year, 3, 1),
            reporter=cast.head_person,  # section head on A01, not its handler
            value=None,
            narrative="x",
        )
    assert "reporter" in caught.value.message_dict
    with pytest.raises(ValidationError):
        report_submit(
            actor=cast.handler,
            target=world.b01,
            period=dekad(world.year, 3, 1),
            reporter=cast.handler_person,
            value=None,
            narrative="x",
        )


def test_report_needs_a_narrative_and_a_dekad_or_month(cast, world):
    with pytest.raises(ValidationError) as caught:
        _report(cast, world, dekad(world.year, 3, 1), None, narrative="  ")
    assert "narrative" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        _report(cast, world, period(world.year, "quarter", 1), None)
    assert "period" in caught.value.message_dict
    with pytest.raises(ValidationError):
        _report(cast, world, period(world.other_year, "month", 1), None)


def test_return_needs_a_note_and_resubmitting_clears_the_review(cast, world):
    report = _report(cast, world, period(world.year, "month", 3), Decimal("0.5"))
    with pytest.raises(ValidationError) as caught:
        report_review(actor=cast.head, report=report, accept=False, note=" ")
    assert "review_note" in caught.value.message_dict
    report_review(actor=cast.head, report=report, accept=False, note="缺少照片")
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED and report.review_note == "缺少照片"
    assert report.reviewed_by == cast.head
    with pytest.raises(ValidationError):  # already reviewed
        report_review(actor=cast.head, report=report, accept=True)
    again = _report(cast, world, report.period, Decimal("0.6"))
    assert again.status == ReportStatus.SUBMITTED
    assert again.review_note == "" and again.reviewed_by is None


def test_a_report_that_fails_after_storing_its_files_leaves_none_on_disk(
    cast, world, media_root, monkeypatch
):
    def broken_audit(**kwargs):
        raise RuntimeError("audit write failed")  # the last write of the report

    good = [files.upload("工地.jpg", files.JPEG), files.upload("台账.pdf", files.PDF)]
    with monkeypatch.context() as patched:
        patched.setattr("jixiao.progress.services.audit_record", broken_audit)
        with pytest.raises(RuntimeError):
            _report(cast, world, dekad(world.year, 3, 1), Decimal("1"), uploads=good)
    assert not [p for p in media_root.rglob("*") if p.is_file()]
    assert (ProgressReport.objects.count(), Evidence.objects.count()) == (0, 0)
    again = [files.upload("工地.jpg", files.JPEG)]
    report = _report(cast, world, dekad(world.year, 3, 1), Decimal("1"), uploads=again)
    (stored,) = report.evidence.all()
    assert [p for p in media_root.rglob("*") if p.is_file()] == [Path(stored.file.path)]
