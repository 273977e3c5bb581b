"""Writes for assessment years."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jixiao.audit.services import audit_record
from jixiao.organisation.models import Unit
from jixiao.schemes.models import SchemeVersion
from jixiao.years.models import (
    AssessmentYear,
    CalendarException,
    DayKind,
    Period,
    SubjectKind,
    YearScheme,
)
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


# --- working calendar (放假 / 调休上班) ----------------------------------------------

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


def _day_record(exception: CalendarException) -> dict[str, str]:
    return {"date": exception.date.isoformat(), "kind": exception.kind, "name": exception.name}


def calendar_day_put(
    *, org: Unit, day: date, kind: str, name: str
) -> tuple[CalendarException, str]:
    """Create or change one day, unaudited (callers audit once); returns its outcome.

    Outcome is ``CREATED``, ``UPDATED`` or ``UNCHANGED``: putting the same day twice
    writes nothing the second time.
    """
    name = name.strip()
    if kind not in DayKind.values:
        raise ValidationError({"kind": _("类型应为“放假”或“调休上班”")})
    if not name:
        raise ValidationError({"name": _("请填写名称，如“国庆节”")})
    if len(name) > 40:
        raise ValidationError({"name": _("名称不能超过 40 个字")})
    if not 2000 <= day.year <= 2100:
        raise ValidationError({"date": _("日期应在 2000 年到 2100 年之间")})
    existing = CalendarException.objects.filter(org=org, date=day).first()
    if existing is None:
        return CalendarException.objects.create(org=org, date=day, kind=kind, name=name), CREATED
    if (existing.kind, existing.name) == (kind, name):
        return existing, UNCHANGED
    existing.kind, existing.name = kind, name
    existing.save(update_fields=["kind", "name"])
    return existing, UPDATED


@transaction.atomic
def calendar_day_set(
    *, actor, org: Unit, day: date, kind: str, name: str
) -> tuple[CalendarException, str]:
    """The office marks one day as a holiday or a make-up working day."""
    before = CalendarException.objects.filter(org=org, date=day).first()
    before_record = _day_record(before) if before else None
    exception, outcome = calendar_day_put(org=org, day=day, kind=kind, name=name)
    if outcome != UNCHANGED:
        audit_record(
            actor=actor,
            action="calendar.day_set",
            obj=exception,
            org=org,
            summary=f"工作日历：{exception}",
            before=before_record,
            after=_day_record(exception),
        )
    return exception, outcome


@transaction.atomic
def calendar_day_delete(*, actor, org: Unit, day: date) -> None:
    """Back to the weekday rule for ``day``; a day with no exception is refused."""
    exception = CalendarException.objects.filter(org=org, date=day).first()
    if exception is None:
        raise ValidationError({"date": _("%(date)s 没有日历调整") % {"date": day.isoformat()}})
    audit_record(
        actor=actor,
        action="calendar.day_delete",
        obj=exception,
        org=org,
        summary=f"工作日历：删除 {exception}",
        before=_day_record(exception),
    )
    exception.delete()


@transaction.atomic
def calendar_preset_load(*, actor, org: Unit, year: int) -> dict[str, int]:
    """Load the State Council's arrangement for ``year``; returns counts by outcome.

    A preset day overrides the office's entry for the same date (the national
    arrangement wins); other days are left alone. Loading twice changes nothing.
    """
    from jixiao.years.holidays import preset_for

    preset = preset_for(year)
    if preset is None:
        raise ValidationError(
            {"year": _("没有 %(year)s 年的国务院节假日安排，请手工录入或导入") % {"year": year}}
        )
    counts = {CREATED: 0, UPDATED: 0, UNCHANGED: 0}
    for day in preset.days:
        __, outcome = calendar_day_put(org=org, day=day.date, kind=day.kind, name=day.name)
        counts[outcome] += 1
    if counts[CREATED] or counts[UPDATED]:
        audit_record(
            actor=actor,
            action="calendar.preset_load",
            object_type="years.calendarexception",
            org=org,
            summary=f"工作日历：载入《{preset.title}》，新增 {counts[CREATED]}，"
            f"更新 {counts[UPDATED]}",
            after=counts,
        )
    return counts
