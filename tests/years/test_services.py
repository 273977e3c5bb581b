"""Year services: a year pins versions, creates its periods, and is all or nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from jixiao.audit.models import AuditEvent
from jixiao.schemes.models import Scheme
from jixiao.schemes.services import scheme_create_from_preset
from jixiao.years.models import AssessmentYear, Period, SubjectKind
from jixiao.years.services import year_create, year_setup


def test_year_setup_from_presets_pins_their_version_one(cast) -> None:
    year = year_setup(
        actor=cast.office,
        org=cast.org,
        year=2025,
        choices={SubjectKind.ORGANISATION: "bailian-town", SubjectKind.PERSON: "town-cadre"},
    )
    pins = {
        p.subject_kind: p.scheme_version
        for p in year.schemes.select_related("scheme_version__scheme")
    }
    assert {k: (v.scheme.code, v.number) for k, v in pins.items()} == {
        "organisation": ("bailian-town", 1),
        "person": ("town-cadre", 1),
    }
    assert year.name == "2025年度绩效考核"
    # 36 dekads + 12 months + 4 quarters + 2 halves + 1 year.
    assert year.periods.count() == 55
    assert AuditEvent.objects.filter(action="year.create", org=cast.org).count() == 1
    assert AuditEvent.objects.filter(action="scheme.create").count() == 2


def test_year_setup_reuses_a_scheme_already_copied(cast) -> None:
    scheme = scheme_create_from_preset(actor=cast.office, org=cast.org, preset="bailian-town")
    year = year_setup(
        actor=cast.office,
        org=cast.org,
        year=2025,
        choices={SubjectKind.ORGANISATION: "bailian-town"},
    )
    assert year.schemes.get().scheme_version == scheme.versions.get(number=1)
    assert Scheme.objects.count() == 1


def test_year_setup_is_all_or_nothing(cast) -> None:
    year_setup(actor=cast.office, org=cast.org, year=2025, choices={"organisation": "bailian-town"})
    with pytest.raises(ValidationError) as info:
        year_setup(actor=cast.office, org=cast.org, year=2025, choices={"person": "town-cadre"})
    assert "year" in info.value.message_dict
    assert not Scheme.objects.filter(code="town-cadre").exists()
    assert AssessmentYear.objects.count() == 1


def test_year_cannot_pin_another_orgs_scheme(cast) -> None:
    other = scheme_create_from_preset(
        actor=cast.outsider, org=cast.other_org, preset="bailian-town"
    )
    with pytest.raises(ValidationError) as info:
        year_create(
            actor=cast.office,
            org=cast.org,
            year=2025,
            schemes={"organisation": other.versions.get()},
        )
    assert "schemes" in info.value.message_dict
    assert not Period.objects.exists()


def test_year_needs_at_least_one_scheme(cast) -> None:
    with pytest.raises(ValidationError) as info:
        year_setup(actor=cast.office, org=cast.org, year=2025, choices={})
    assert "schemes" in info.value.message_dict
