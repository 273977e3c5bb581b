"""Reads of the audit log: one organisation's events, the filters, the changed fields."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from jixiao.audit.models import AuditEvent
from jixiao.audit.selectors import (
    AuditFilters,
    action_choices,
    actor_choices,
    event_changes,
    event_list,
    object_label,
    object_type_choices,
)
from jixiao.audit.services import audit_record
from jixiao.organisation.access import access_for
from jixiao.organisation.services import unit_update

pytestmark = pytest.mark.django_db


def at(day: date, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def record(cast, *, org=None, actor=None, when: datetime | None = None, **fields) -> AuditEvent:
    event = audit_record(
        actor=actor or cast.office,
        org=cast.org if org is None else org,
        object_type=fields.pop("object_type", "organisation.unit"),
        **{"action": "unit.update", "summary": "", **fields},
    )
    if when is not None:  # ``at`` is auto_now_add: set it afterwards
        AuditEvent.objects.filter(pk=event.pk).update(at=when)
    return event


@pytest.fixture
def office(cast):
    # The cast's role grants are audited too; start each test from an empty log.
    AuditEvent.objects.all().delete()
    return access_for(cast.office)


def test_only_the_organisations_events(cast, office) -> None:
    mine = record(cast, summary="白莲镇")
    record(cast, org=cast.other_org, actor=cast.outsider, summary="杨河乡")
    AuditEvent.objects.create(action="unit.update", object_type="x", summary="无组织")
    assert [e.pk for e in event_list(office, AuditFilters())] == [mine.pk]
    outsider = access_for(cast.outsider)
    assert [e.summary for e in event_list(outsider, AuditFilters())] == ["杨河乡"]
    # The choices come from the organisation's own events only.
    assert action_choices(office) == [("unit.update", "修改单位")]
    assert actor_choices(office) == [(cast.office.pk, "王芳")]


def test_a_service_change_lands_in_the_log_with_its_org(cast, office) -> None:
    unit_update(actor=cast.office, unit=cast.village, name="白莲社区")
    (event,) = event_list(office, AuditFilters(action="unit.update"))
    assert event.object_id == str(cast.village.pk)
    assert {(c.key, c.old, c.new) for c in event_changes(event)} >= {("name", "白莲村", "白莲社区")}
    assert all(c.old != c.new for c in event_changes(event))


def test_filters(cast, office) -> None:
    today = timezone.localdate()
    a = record(cast, action="target.create", object_type="targets.target", summary="新建目标 A01")
    b = record(cast, actor=cast.leader, summary="修改单位名称", when=at(today - timedelta(days=10)))
    c = record(cast, action="role.grant", summary="授予角色", when=at(today - timedelta(days=3)))

    def pks(**kwargs) -> list[int]:
        return [e.pk for e in event_list(office, AuditFilters(**kwargs))]

    assert pks() == [a.pk, c.pk, b.pk]  # newest first
    assert pks(action="role.grant") == [c.pk]
    assert pks(actor_id=cast.leader.pk) == [b.pk]
    assert pks(object_type="targets.target") == [a.pk]
    assert pks(date_from=today - timedelta(days=5)) == [a.pk, c.pk]
    assert pks(date_to=today - timedelta(days=3)) == [c.pk, b.pk]
    assert pks(date_from=today - timedelta(days=10), date_to=today - timedelta(days=10)) == [b.pk]
    assert pks(text="单位") == [b.pk]
    assert pks(text="目标", action="role.grant") == []
    assert action_choices(office) == [  # by name (code point order), not by code
        ("unit.update", "修改单位"),
        ("role.grant", "授予角色"),
        ("target.create", "新建目标"),
    ]
    assert ("targets.target", object_label("targets.target")) in object_type_choices(office)
    assert dict(actor_choices(office)) == {cast.office.pk: "王芳", cast.leader.pk: "李建国"}


def test_a_day_is_the_local_day(cast, office) -> None:
    """23:30 in Beijing is the previous day in UTC: the filter uses the local date."""
    day = date(2026, 3, 1)
    late = record(cast, when=timezone.make_aware(datetime(2026, 3, 1, 23, 30)))
    assert [e.pk for e in event_list(office, AuditFilters(date_from=day, date_to=day))] == [late.pk]


def test_changes_keep_only_changed_keys(cast) -> None:
    event = record(
        cast,
        before={"name": "甲", "sort": 1, "gone": "x", "same": [1, 2]},
        after={"name": "乙", "sort": 1, "new": True, "same": [1, 2]},
    )
    changes = {c.key: (c.old, c.new) for c in event_changes(event)}
    assert changes == {"name": ("甲", "乙"), "gone": ("x", "—"), "new": ("—", "true")}
    assert event_changes(record(cast)) == []  # neither side recorded


def test_object_label(cast) -> None:
    assert object_label("organisation.unit") == "单位"
    assert object_label("no.such") == "no.such"
    assert object_label("") == ""
