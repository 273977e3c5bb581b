"""Inspection services: recording, voiding, validation and audit, with hand-computed sums."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from jixiao.audit.models import AuditEvent
from jixiao.evidence.models import Evidence
from jixiao.inspections.models import Inspection, ProjectSite, SiteVisit
from jixiao.inspections.services import (
    inspection_void,
    site_create,
    site_delete,
    site_update,
    site_visit_record,
)
from jixiao.years.models import Period
from tests.inspections.world import png, record

pytestmark = pytest.mark.django_db


def _fails_on(field: str, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        record(**kwargs)
    assert field in caught.value.message_dict, caught.value.message_dict
    return caught.value


# --- recording ----------------------------------------------------------------------


def test_record_stores_the_row_and_audits_it(cast, iworld):
    row = record(cast, iworld, points="1.5", person=None)
    assert (row.unit, row.org, row.year) == (cast.org, cast.org, iworld.year)
    assert row.points == Decimal("1.50") and row.recorded_by == cast.office
    event = AuditEvent.objects.get(action="inspection.record", object_id=str(row.pk))
    assert event.before is None
    assert event.after["points"] == "1.50" and event.after["node"] == "inspection"
    assert event.after["unit"] == "白莲镇" and event.org == cast.org


@pytest.mark.parametrize("points", ["-0.5", "abc", "1.234", "", "NaN", "Infinity"])
def test_bad_points_name_the_field_and_save_nothing(cast, iworld, points):
    error = _fails_on("points", cast=cast, world=iworld, points=points)
    assert error.message_dict["points"]
    assert not Inspection.objects.exists()


def test_zero_points_are_allowed(cast, iworld):
    assert record(cast, iworld, points=0).points == Decimal("0.00")


def test_node_must_be_a_ledger_node_of_the_scheme_pinned_for_the_subject(cast, iworld):
    # A score node of the right scheme, and the ledger nodes of the other kinds' schemes.
    _fails_on("node", cast=cast, world=iworld, node="public")
    _fails_on("node", cast=cast, world=iworld, node="misconduct")
    _fails_on("node", cast=cast, world=iworld, unit=cast.section, node="inspection")
    _fails_on("node", cast=cast, world=iworld, node="no-such-node")
    # The right pairings are accepted.
    assert record(cast, iworld, unit=cast.section, node="misconduct").node == "misconduct"
    person_row = record(
        cast,
        iworld,
        unit=cast.section,
        person=cast.handler_person,
        node="efficiency",
        points="0.5",
    )
    assert person_row.person == cast.handler_person
    assert Inspection.objects.count() == 2


def test_counted_node_takes_its_per_occurrence_points(cast, iworld):
    error = _fails_on(
        "points",
        cast=cast,
        world=iworld,
        unit=cast.section,
        person=cast.handler_person,
        node="efficiency",
        points="2",
    )
    assert "0.5" in error.message_dict["points"][0]


def test_no_scheme_pinned_for_the_kind(cast, iworld):
    # 杨河乡's year pins only the organisation scheme: a section there has none.
    from jixiao.organisation.services import unit_create

    section = unit_create(name="党政办", kind="section", code="dzb", parent=cast.other_org)
    with pytest.raises(ValidationError) as caught:
        record(
            cast,
            iworld,
            actor=cast.outsider,
            year=iworld.other_year,
            unit=section,
            node="inspection",
        )
    assert "node" in caught.value.message_dict


def test_date_must_be_in_the_year(cast, iworld):
    _fails_on("date", cast=cast, world=iworld, date=date(2023, 12, 31))
    _fails_on("date", cast=cast, world=iworld, date=date(2025, 1, 1))


def test_unit_and_person_must_belong(cast, iworld):
    _fails_on("unit", cast=cast, world=iworld, unit=cast.other_org)
    _fails_on(
        "person",
        cast=cast,
        world=iworld,
        unit=cast.section,
        person=cast.other_person,
        node="efficiency",
        points="0.5",
    )


def test_kind_and_finding_are_required(cast, iworld):
    _fails_on("kind", cast=cast, world=iworld, kind="secret")
    _fails_on("finding", cast=cast, world=iworld, finding="  ")


def test_evidence_is_stored_and_attached(cast, iworld):
    row = record(cast, iworld, evidence=[png("现场.png")])
    files = list(row.evidence.all())
    assert [f.original_name for f in files] == ["现场.png"]
    assert files[0].content_type == "image/png" and files[0].org == cast.org
    event = AuditEvent.objects.get(action="inspection.record")
    assert event.after["evidence"] == ["现场.png"]


def test_bad_evidence_names_the_field_and_saves_no_row(cast, iworld):
    fake = SimpleUploadedFile("photo.jpg", b"not a picture at all", content_type="image/jpeg")
    error = _fails_on("evidence", cast=cast, world=iworld, evidence=[fake])
    assert "photo.jpg" in error.message_dict["evidence"][0]
    assert not Inspection.objects.exists()


# --- voiding ------------------------------------------------------------------------


def test_void_keeps_the_row_and_audits_before_and_after(cast, iworld):
    row = record(cast, iworld, points="2")
    inspection_void(actor=cast.leader, inspection=row, reason="重复登记")
    row.refresh_from_db()
    assert row.voided and row.void_reason == "重复登记"
    assert Inspection.objects.filter(pk=row.pk).exists()
    event = AuditEvent.objects.get(action="inspection.void")
    assert event.before["voided"] is False and event.before["void_reason"] == ""
    assert event.after["voided"] is True and event.after["void_reason"] == "重复登记"
    assert event.actor == cast.leader


def test_void_needs_a_reason_and_happens_once(cast, iworld):
    row = record(cast, iworld)
    with pytest.raises(ValidationError) as caught:
        inspection_void(actor=cast.office, inspection=row, reason=" ")
    assert "reason" in caught.value.message_dict
    row.refresh_from_db()
    assert not row.voided
    inspection_void(actor=cast.office, inspection=row, reason="误记")
    with pytest.raises(ValidationError):
        inspection_void(actor=cast.office, inspection=row, reason="再次")
    assert AuditEvent.objects.filter(action="inspection.void").count() == 1


# --- project sites ------------------------------------------------------------------


def _month(iworld, number: int) -> Period:
    return iworld.year.periods.get(kind="month", number=number)


def test_site_create_update_delete_are_audited(cast, iworld):
    site = site_create(actor=cast.office, org=cast.org, name="农贸市场改造", unit=cast.section)
    site_update(actor=cast.office, site=site, name="农贸市场改造工程", unit=cast.village)
    event = AuditEvent.objects.get(action="site.update")
    assert event.before == {"name": "农贸市场改造", "unit": "经济发展办"}
    assert event.after == {"name": "农贸市场改造工程", "unit": "白莲村"}
    site_delete(actor=cast.office, site=site)
    assert not ProjectSite.objects.exists()
    assert AuditEvent.objects.filter(action="site.delete").count() == 1


def test_site_fields_are_checked(cast, iworld):
    with pytest.raises(ValidationError) as caught:
        site_create(actor=cast.office, org=cast.org, name=" ", unit=cast.section)
    assert "name" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        site_create(actor=cast.office, org=cast.org, name="x", unit=cast.other_org)
    assert "unit" in caught.value.message_dict


def test_one_visit_per_month_updated_in_place_with_photos_added(cast, iworld):
    site = site_create(actor=cast.office, org=cast.org, name="道路硬化", unit=cast.village)
    march = _month(iworld, 3)
    site_visit_record(
        actor=cast.office,
        site=site,
        period=march,
        date=date(2024, 3, 10),
        progress_note="路基完成",
        figure="30",
        photos=[png("a.png")],
    )
    visit = site_visit_record(
        actor=cast.office,
        site=site,
        period=march,
        date=date(2024, 3, 28),
        progress_note="路基完成，开始铺设",
        figure="35.5",
        photos=[png("b.png")],
    )
    assert SiteVisit.objects.count() == 1
    assert visit.figure == Decimal("35.5") and visit.date == date(2024, 3, 28)
    assert sorted(p.original_name for p in visit.photos.all()) == ["a.png", "b.png"]
    second = AuditEvent.objects.filter(action="site.visit").order_by("pk").last()
    assert second.before["figure"] == "30.00" and second.after["figure"] == "35.50"
    with pytest.raises(ValidationError) as caught:
        site_delete(actor=cast.office, site=site)
    assert "site" in caught.value.message_dict


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"date": date(2024, 4, 1)}, "date"),
        ({"figure": "101"}, "figure"),
        ({"figure": "-1"}, "figure"),
        ({"figure": "abc"}, "figure"),
        ({"progress_note": ""}, "progress_note"),
    ],
)
def test_visit_fields_are_checked(cast, iworld, overrides, field):
    site = site_create(actor=cast.office, org=cast.org, name="道路硬化", unit=cast.village)
    data = {
        "actor": cast.office,
        "site": site,
        "period": _month(iworld, 3),
        "date": date(2024, 3, 10),
        "progress_note": "进展",
        "figure": "10",
    }
    data.update(overrides)
    with pytest.raises(ValidationError) as caught:
        site_visit_record(**data)
    assert field in caught.value.message_dict
    assert not SiteVisit.objects.exists()


def test_visit_period_must_be_a_month_of_the_sites_org(cast, iworld):
    site = site_create(actor=cast.office, org=cast.org, name="道路硬化", unit=cast.village)
    quarter = iworld.year.periods.get(kind="quarter", number=1)
    other_march = iworld.other_year.periods.get(kind="month", number=3)
    for period in (quarter, other_march):
        with pytest.raises(ValidationError) as caught:
            site_visit_record(
                actor=cast.office,
                site=site,
                period=period,
                date=date(2024, 3, 10),
                progress_note="x",
            )
        assert "period" in caught.value.message_dict


def test_a_refused_second_file_keeps_neither_file_nor_row(cast, iworld, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    fake = SimpleUploadedFile("photo.jpg", b"not a picture at all", content_type="image/jpeg")
    _fails_on("evidence", cast=cast, world=iworld, evidence=[png("现场.png"), fake])
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]
    assert not Inspection.objects.exists() and not Evidence.objects.exists()
    row = record(cast, iworld, evidence=[png("现场.png")])
    (stored,) = row.evidence.all()
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == [Path(stored.file.path)]
