"""Writes for assessment years."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jixiao.audit.services import audit_record
from jixiao.organisation.models import Unit
from jixiao.schemes.models import SchemeVersion
from jixiao.years.models import AssessmentYear, Period, SubjectKind, YearScheme
from jixiao.years.periods import year_periods


@transaction.atomic
def year_create(
    *, actor, org: Unit, year: int, schemes: dict[str, SchemeVersion], name: str = ""
) -> AssessmentYear:
    """Create a year with its 55 periods, pinning one scheme version per subject kind."""
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("年度应在 2000 到 2100 之间")})
    if AssessmentYear.objects.filter(org=org, year=year).exists():
        raise ValidationError({"year": _("%(year)s 年度已存在") % {"year": year}})
    if not schemes:
        raise ValidationError({"schemes": _("至少为一类考核对象指定考核方案")})
    for kind, version in schemes.items():
        if kind not in SubjectKind.values:
            raise ValidationError({"schemes": _("未知的考核对象：%(kind)s") % {"kind": kind}})
        if version.scheme.org_id != org.pk:
            raise ValidationError({"schemes": _("只能使用本单位的考核方案")})
    assessment_year = AssessmentYear.objects.create(
        org=org, year=year, name=name or f"{year}年度绩效考核"
    )
    Period.objects.bulk_create(
        Period(
            year=assessment_year,
            kind=p.kind,
            number=p.number,
            name=p.name,
            start=p.start,
            end=p.end,
        )
        for p in year_periods(year)
    )
    for kind, version in schemes.items():
        YearScheme.objects.create(year=assessment_year, subject_kind=kind, scheme_version=version)
    audit_record(
        actor=actor,
        action="year.create",
        obj=assessment_year,
        org=org,
        summary=f"创建 {assessment_year.name}",
        after={kind: f"{v.scheme.code} v{v.number}" for kind, v in schemes.items()},
    )
    return assessment_year


@transaction.atomic
def year_setup(
    *,
    actor,
    org: Unit,
    year: int,
    choices: dict[str, SchemeVersion | str],
    name: str = "",
) -> AssessmentYear:
    """Create a year from the office's choice per subject kind: a version, or a preset name.

    A preset is copied into the organisation (or found there, if copied before)
    and its version 1 — the preset's own text — is pinned. All or nothing: a
    year that cannot be created leaves no new scheme behind.
    """
    from jixiao.schemes.services import scheme_create_from_preset

    schemes: dict[str, SchemeVersion] = {}
    for kind, choice in choices.items():
        if isinstance(choice, str):
            scheme = scheme_create_from_preset(actor=actor, org=org, preset=choice)
            choice = scheme.versions.get(number=1)
        schemes[kind] = choice
    return year_create(actor=actor, org=org, year=year, schemes=schemes, name=name)
