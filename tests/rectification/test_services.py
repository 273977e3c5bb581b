"""整改 services: items from inspections and weak indicators, status flow, carry-forward."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jixiao.audit.models import AuditEvent
from jixiao.evidence.models import Evidence
from jixiao.evidence.selectors import can_read_evidence
from jixiao.inspections.services import inspection_record
from jixiao.organisation.access import access_for
from jixiao.project.demo_year import demo_photo
from jixiao.rectification import services
from jixiao.rectification.models import ItemStatus, RectificationItem, Source
from jixiao.rectification.selectors import indicator_rows, rectification_summary
from jixiao.targets.models import Assignment, Target
from jixiao.years.models import SubjectKind
from jixiao.years.services import year_setup
from tests.reports.factory import unit_quarter

FUTURE = date(2099, 6, 30)


@pytest.fixture
def quarter(cast):
    return unit_quarter(cast)


@pytest.fixture
def finding(cast, quarter):
    return inspection_record(
        actor=cast.office,
        year=quarter.year,
        unit=cast.section,
        kind="unannounced",
        date=date(2025, 3, 10),
        finding="工作日午间饮酒",
        node="inspection",
        points="1.5",
    )


def _item(cast, quarter, **extra) -> RectificationItem:
    values = {
        "actor": cast.office,
        "year": quarter.year,
        "unit": cast.section,
        "owner": cast.head_person,
        "problem": "台账不全",
        "deadline": FUTURE,
    } | extra
    return services.rectification_create(**values)


def test_from_inspection_takes_unit_and_finding_and_refuses_a_second(cast, finding) -> None:
    item = services.rectification_from_inspection(
        actor=cast.office, inspection=finding, owner=cast.head_person, deadline=FUTURE
    )
    assert item.source == Source.INSPECTION and item.unit == cast.section
    assert "工作日午间饮酒" in item.problem and item.status == ItemStatus.OPEN
    assert AuditEvent.objects.filter(action="rectification.create", object_id=str(item.pk)).exists()
    with pytest.raises(ValidationError, match="未销号"):
        services.rectification_from_inspection(
            actor=cast.office, inspection=finding, owner=cast.head_person, deadline=FUTURE
        )


def test_voided_inspection_cannot_be_rectified(cast, finding) -> None:
    finding.voided = True
    finding.save()
    with pytest.raises(ValidationError) as exc:
        services.rectification_from_inspection(
            actor=cast.office, inspection=finding, owner=cast.head_person, deadline=FUTURE
        )
    assert "inspection" in exc.value.message_dict


def test_indicator_rows_compare_with_the_average(quarter) -> None:
    rows = {row.node_id: row for row in indicator_rows(quarter.section)}
    # 改善民生: 80, 92, 88 → average 86.67; the section's 80 is weak.
    assert rows["indicators.livelihood"].average == Decimal("86.67")
    assert rows["indicators.livelihood"].weak
    # 公众评议: 95 against (95 + 90 + 88) / 3 = 91 → not weak.
    assert rows["public"].average == Decimal("91.00") and not rows["public"].weak
    assert "total" not in rows


def test_from_indicator_below_average(cast, quarter) -> None:
    item = services.rectification_from_indicator(
        actor=cast.office,
        subject=quarter.section,
        node="indicators.livelihood",
        owner=cast.head_person,
        deadline=FUTURE,
        measures="加快项目进度",
    )
    assert item.source == Source.INDICATOR and item.node_name == "改善民生"
    assert item.score == Decimal("80") and item.average == Decimal("86.67")
    assert "平均分 86.67" in item.problem and item.unit == cast.section
    with pytest.raises(ValidationError, match="未销号"):
        services.rectification_from_indicator(
            actor=cast.office,
            subject=quarter.section,
            node="indicators.livelihood",
            owner=cast.head_person,
            deadline=FUTURE,
        )


def test_from_indicator_refuses_a_node_that_is_not_weak_unless_below_threshold(
    cast, quarter
) -> None:
    with pytest.raises(ValidationError, match="不属于薄弱指标"):
        services.rectification_from_indicator(
            actor=cast.office,
            subject=quarter.section,
            node="public",
            owner=cast.head_person,
            deadline=FUTURE,
        )
    item = services.rectification_from_indicator(
        actor=cast.office,
        subject=quarter.section,
        node="public",
        owner=cast.head_person,
        deadline=FUTURE,
        threshold=Decimal("96"),
    )
    assert "分数线 96" in item.problem


def test_from_indicator_unknown_node_names_the_field(cast, quarter) -> None:
    with pytest.raises(ValidationError) as exc:
        services.rectification_from_indicator(
            actor=cast.office,
            subject=quarter.section,
            node="nope",
            owner=cast.head_person,
            deadline=FUTURE,
        )
    assert "node" in exc.value.message_dict


def test_create_checks_fields_and_organisation(cast, quarter) -> None:
    with pytest.raises(ValidationError) as exc:
        _item(cast, quarter, problem=" ", deadline=None, owner=_outsider_person(cast))
    assert set(exc.value.message_dict) == {"problem", "deadline", "owner"}
    assert not RectificationItem.objects.exists()


def _outsider_person(cast):
    from jixiao.organisation.models import Person

    return Person.objects.get(code="y001")


def test_submit_close_reopen_flow(cast, quarter) -> None:
    item = _item(cast, quarter)
    with pytest.raises(ValidationError, match="待验收"):
        services.rectification_close(actor=cast.office, item=item, note="好")
    with pytest.raises(ValidationError):
        services.rectification_submit(actor=cast.head, item=item, note=" ")
    item = services.rectification_submit(actor=cast.head, item=item, note="已补齐台账")
    assert item.status == ItemStatus.SUBMITTED and item.submitted_at is not None
    with pytest.raises(ValidationError):
        services.rectification_submit(actor=cast.head, item=item, note="再次提交")
    item = services.rectification_reopen(
        actor=cast.office, item=item, note="佐证不足", deadline=FUTURE + timedelta(days=30)
    )
    assert item.status == ItemStatus.REOPENED and item.deadline == FUTURE + timedelta(days=30)
    item = services.rectification_submit(actor=cast.head, item=item, note="补充照片")
    item = services.rectification_close(actor=cast.office, item=item, note="验收合格")
    assert item.status == ItemStatus.CLOSED and item.reviewed_by == cast.office
    assert item.closed_at is not None
    actions = list(
        AuditEvent.objects.filter(object_id=str(item.pk), action__startswith="rectification.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "rectification.create",
        "rectification.submit",
        "rectification.reopen",
        "rectification.submit",
        "rectification.close",
    ]
    closed = AuditEvent.objects.get(action="rectification.close", object_id=str(item.pk))
    assert closed.before["status"] == "submitted" and closed.after["status"] == "closed"
    with pytest.raises(ValidationError):
        services.rectification_attach(
            actor=cast.head, item=item, uploads=[demo_photo("a", (1, 2, 3))]
        )


def test_overdue_is_past_deadline_with_the_owner_to_act(cast, quarter) -> None:
    today = timezone.localdate()
    late = _item(cast, quarter, deadline=today - timedelta(days=1))
    due_today = _item(cast, quarter, deadline=today)
    assert late.overdue and not due_today.overdue
    late = services.rectification_submit(actor=cast.head, item=late, note="已整改")
    assert not late.overdue  # waiting on the office, not the owner
    summary = rectification_summary(access_for(cast.office), quarter.year)
    assert (summary["total"], summary["open"], summary["overdue"], summary["closed"]) == (
        2,
        2,
        0,
        0,
    )
    assert summary["submitted"] == 1
    assert {row["id"] for row in summary["items"]} == {late.pk, due_today.pk}


def test_summary_is_scoped_to_what_the_user_may_see(cast, quarter) -> None:
    _item(cast, quarter)
    _item(cast, quarter, unit=cast.village, owner=cast.cadre_person)
    assert rectification_summary(access_for(cast.leader), quarter.year)["total"] == 2
    assert rectification_summary(access_for(cast.head), quarter.year)["total"] == 1
    assert rectification_summary(access_for(cast.cadre), quarter.year)["total"] == 1
    assert rectification_summary(access_for(cast.handler), quarter.year)["total"] == 0


def test_evidence_is_readable_by_whoever_sees_the_item(cast, quarter) -> None:
    item = _item(cast, quarter, unit=cast.village, owner=cast.cadre_person)
    [stored] = services.rectification_attach(
        actor=cast.office, item=item, uploads=[demo_photo("现场", (10, 120, 40))]
    )
    assert list(item.evidence.all()) == [stored]
    assert can_read_evidence(access_for(cast.cadre), stored)  # the owner
    assert not can_read_evidence(access_for(cast.handler), stored)


def test_carry_forward_makes_targets_once(cast, quarter) -> None:
    open_item = _item(cast, quarter, measures="补齐台账")
    closed = _item(cast, quarter, problem="已解决的问题")
    services.rectification_submit(actor=cast.head, item=closed, note="完成")
    services.rectification_close(actor=cast.office, item=closed, note="合格")
    submitted = _item(cast, quarter, problem="待验收的问题")
    services.rectification_submit(actor=cast.head, item=submitted, note="完成")
    next_year = year_setup(
        actor=cast.office, org=cast.org, year=2026, choices={SubjectKind.UNIT: "bailian-town"}
    )

    created = services.rectification_carry_forward(
        actor=cast.office, from_year=quarter.year, to_year=next_year
    )
    assert len(created) == 2
    target = Target.objects.get(year=next_year, code=f"ZG2025-{open_item.pk:04d}")
    assert target.title == "整改：台账不全" and target.unit == cast.section
    assert target.measures == "补齐台账"
    assert Assignment.objects.filter(target=target, person=cast.head_person).exists()
    open_item.refresh_from_db()
    assert open_item.carried_to == target
    assert not Target.objects.filter(title__contains="已解决的问题").exists()

    again = services.rectification_carry_forward(
        actor=cast.office, from_year=quarter.year, to_year=next_year
    )
    assert again == [] and Target.objects.filter(year=next_year).count() == 2


def test_carry_forward_only_to_a_later_year_of_the_same_org(cast, quarter) -> None:
    with pytest.raises(ValidationError):
        services.rectification_carry_forward(
            actor=cast.office, from_year=quarter.year, to_year=quarter.year
        )
    other = year_setup(
        actor=cast.outsider,
        org=cast.other_org,
        year=2026,
        choices={SubjectKind.UNIT: "bailian-town"},
    )
    with pytest.raises(ValidationError):
        services.rectification_carry_forward(
            actor=cast.office, from_year=quarter.year, to_year=other
        )


def test_a_refused_second_upload_keeps_neither_file(cast, quarter, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    item = _item(cast, quarter)
    bad = SimpleUploadedFile("扫描件.pdf", b"not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as caught:
        services.rectification_attach(
            actor=cast.office, item=item, uploads=[demo_photo("现场", (10, 120, 40)), bad]
        )
    assert "扫描件.pdf" in caught.value.messages[0]
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]  # the first one went too
    assert not item.evidence.exists() and not Evidence.objects.exists()
    [stored] = services.rectification_attach(
        actor=cast.office, item=item, uploads=[demo_photo("现场", (10, 120, 40))]
    )
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == [Path(stored.file.path)]
