"""Load the demo: two organisations, their people, schemes, year, targets and logins.

The data itself lives in ``demo_fixtures``; this module turns it into rows
through the domain services. Every step is get-or-create by code, and services
that refuse duplicates (``unit_create``, ``person_create``, ``year_create``,
``target_create``) are only called for rows that do not exist yet, so loading
twice leaves exactly the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models, transaction

from jixiao.organisation.models import Person, Unit, UnitKind
from jixiao.organisation.services import person_create, role_grant, unit_create
from jixiao.project import demo_fixtures as fx
from jixiao.project.demo_appraisal import demo_appraisal
from jixiao.project.demo_competition import demo_competition
from jixiao.project.demo_results import demo_results
from jixiao.project.demo_year import demo_running_year
from jixiao.schemes.services import scheme_create_from_preset
from jixiao.targets.models import Target
from jixiao.targets.services import milestone_set, target_assign, target_create, target_update
from jixiao.years.models import AssessmentYear, Period, PeriodKind, SubjectKind
from jixiao.years.services import calendar_preset_load, year_create


@dataclass(frozen=True)
class DemoUser:
    username: str
    last_name: str
    first_name: str
    role: str  # shown to the person starting the demo
    is_superuser: bool = False


def _split_name(name: str) -> tuple[str, str]:
    # Han names: one-character surname. Uyghur names ("阿克然木·玉努斯") keep the given name first.
    if "·" in name:
        given, family = name.split("·", 1)
        return family, given
    return name[0], name[1:]


DEMO_USERS: tuple[DemoUser, ...] = tuple(
    DemoUser(login.username, *_split_name(login.person), login.role, login.is_superuser)
    for login in fx.LOGINS
)


@transaction.atomic
def demo_load(*, password: str) -> list[DemoUser]:
    """Create (or bring up to date) the demo organisations and logins.

    Idempotent: running it again changes nothing but what differs (a new
    password, say). Returns the demo users so callers can print them.
    """
    county = _county()
    bailian = _organisation(fx.BAILIAN, county)
    hami = _organisation(fx.HAMI, county)
    # The State Council's 2026 holidays, before any notice is published (公示期 skips them).
    for org in (bailian, hami):
        calendar_preset_load(actor=None, org=org, year=fx.YEAR)
    units = {
        "bailian": _units(bailian, fx.BAILIAN_UNITS),
        "hami-jt": _units(
            hami, tuple(fx.UnitSpec(s.code, s.name, UnitKind.SECTION) for s in fx.HAMI_SECTIONS)
        ),
    }
    people = {
        "bailian": _people(bailian, units["bailian"], fx.BAILIAN_PEOPLE),
        "hami-jt": _people(hami, units["hami-jt"], fx.HAMI_PEOPLE),
    }

    bailian_year = _year(bailian, "bailian-town", (SubjectKind.ORGANISATION, SubjectKind.UNIT))
    for spec in fx.BAILIAN_TARGETS:
        _target(bailian_year, units["bailian"], people["bailian"], spec)

    hami_year = _year(hami, "hami-transport", (SubjectKind.UNIT, SubjectKind.PERSON))
    for spec in _hami_targets():
        _target(hami_year, units["hami-jt"], people["hami-jt"], spec)

    orgs = {"bailian": bailian, "hami-jt": hami}
    for login in fx.LOGINS:
        _login(login, password, orgs[login.org], units[login.org], people[login.org])
    # Issue #4: the year in progress, acted out by the logins created just above.
    demo_running_year(bailian_year)
    # Issue #5: public appraisal — the frame, the July round closed, December collecting.
    demo_appraisal(bailian_year)
    # Seed 001's monthly task-force competition: June's, published.
    demo_competition(bailian_year)
    # Rectification items and a reward pool from the results above.
    demo_results(bailian_year)
    return list(DEMO_USERS)


def _sync(obj: models.Model, **fields: Any) -> None:
    """Save only the fields that differ, so a second load writes nothing."""
    changed = [name for name, value in fields.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, fields[name])
        obj.save(update_fields=changed)


def _county() -> Unit:
    county = Unit.objects.filter(
        kind=UnitKind.COUNTY, code=fx.COUNTY["code"], org__isnull=True
    ).first()
    if county is None:
        return unit_create(name=fx.COUNTY["name"], kind=UnitKind.COUNTY, code=fx.COUNTY["code"])
    _sync(county, name=fx.COUNTY["name"])
    return county


def _organisation(spec: dict[str, str], county: Unit) -> Unit:
    # An organisation is its own org, so its code is unique among organisations.
    org = Unit.objects.filter(code=spec["code"], kind=spec["kind"], org_id=models.F("pk")).first()
    if org is None:
        return unit_create(name=spec["name"], kind=spec["kind"], code=spec["code"], parent=county)
    _sync(org, name=spec["name"], parent_id=county.pk)
    return org


def _units(org: Unit, specs: tuple[fx.UnitSpec, ...]) -> dict[str, Unit]:
    existing = {u.code: u for u in Unit.objects.filter(org=org)}
    for sort, spec in enumerate(specs, start=1):
        unit = existing.get(spec.code)
        if unit is None:
            existing[spec.code] = unit_create(
                name=spec.name, kind=spec.kind, code=spec.code, parent=org, sort=sort
            )
        else:
            _sync(unit, name=spec.name, kind=spec.kind, sort=sort)
    return existing


def _people(
    org: Unit, units: dict[str, Unit], specs: tuple[fx.PersonSpec, ...]
) -> dict[str, Person]:
    """Person rows by name (names are unique within one organisation's fixtures)."""
    names = [s.name for s in specs]
    assert len(names) == len(set(names)), "demo fixture names must be unique per organisation"
    existing = {p.code: p for p in Person.objects.filter(org=org)}
    by_name = {}
    for spec in specs:
        person = existing.get(spec.code)
        if person is None:
            person = person_create(
                unit=units[spec.unit], name=spec.name, code=spec.code, post=spec.post
            )
        else:
            _sync(person, name=spec.name, post=spec.post, unit_id=units[spec.unit].pk)
        by_name[spec.name] = person
    return by_name


def _year(org: Unit, preset: str, subject_kinds: tuple[str, ...]) -> AssessmentYear:
    scheme = scheme_create_from_preset(actor=None, org=org, preset=preset)
    year = AssessmentYear.objects.filter(org=org, year=fx.YEAR).first()
    if year is None:
        version = scheme.latest
        year = year_create(
            actor=None, org=org, year=fx.YEAR, schemes={kind: version for kind in subject_kinds}
        )
    return year


def _hami_targets() -> list[fx.TargetSpec]:
    """One target per numbered task, coded "<section>-NN", with the bracket's people."""
    specs = []
    for section in fx.HAMI_SECTIONS:
        weights = _even_weights(len(section.tasks))
        for number, title in enumerate(section.tasks, start=1):
            roles = section.roles
            for numbers, other in section.other_roles:
                if number in numbers:
                    roles = other
            assignments = (
                *((fx.PRINCIPAL, name) for name in roles.principals),
                *((fx.SUPERVISING, name) for name in roles.supervisors),
                (fx.HEAD, roles.head),
                *((fx.HANDLER, name) for name in roles.handlers),
            )
            specs.append(
                fx.TargetSpec(
                    code=f"{section.name}-{number:02d}",
                    title=title,
                    unit=section.code,
                    indicator="tasks",
                    weight=weights[number - 1],
                    assignments=assignments,
                    milestones=tuple(
                        (month, text, None) for month, text in section.milestones.get(number, ())
                    ),
                )
            )
    return specs


def _even_weights(count: int) -> list[Decimal]:
    """A section's 100 points split evenly over its tasks; the last takes the cents left."""
    share = (Decimal(100) / count).quantize(Decimal("0.01"))
    return [share] * (count - 1) + [Decimal(100) - share * (count - 1)]


def _target(
    year: AssessmentYear, units: dict[str, Unit], people: dict[str, Person], spec: fx.TargetSpec
) -> Target:
    fields: dict[str, Any] = {
        "title": spec.title,
        "unit": units[spec.unit],
        "measures": spec.measures,
        "deadline": spec.deadline,
        "expected_result": spec.expected_result,
        "target_value": spec.target_value,
        "measure_unit": spec.measure_unit,
        "weight": spec.weight,
        "indicator": spec.indicator,
    }
    target = Target.objects.filter(year=year, code=spec.code).select_related("unit").first()
    if target is None:
        target = target_create(actor=None, year=year, code=spec.code, **fields)
    else:
        # Decimals compare by value (12 == 12.0000): only real changes are updated and audited.
        changed = {k: v for k, v in fields.items() if not _same(getattr(target, k), v)}
        if changed:
            target = target_update(actor=None, target=target, **changed)
    for responsibility, name in spec.assignments:
        target_assign(actor=None, target=target, person=people[name], responsibility=responsibility)
    if spec.milestones:
        months = {p.number: p for p in Period.objects.filter(year=year, kind=PeriodKind.MONTH)}
        existing = {(m.period_id, m.description, m.planned_value) for m in target.milestones.all()}
        for month, description, planned in spec.milestones:
            period = months[month]
            if not any(
                pid == period.pk and text == description and _same(value, planned)
                for pid, text, value in existing
            ):
                milestone_set(
                    actor=None,
                    target=target,
                    period=period,
                    description=description,
                    planned_value=planned,
                )
    return target


def _same(old: Any, new: Any) -> bool:
    if old is None or new is None:
        return old is new
    if isinstance(old, Decimal) or isinstance(new, Decimal):
        return Decimal(old) == Decimal(new)
    return old == new  # model instances compare by pk, dates by value


def _login(
    login: fx.LoginSpec,
    password: str,
    org: Unit,
    units: dict[str, Unit],
    people: dict[str, Person],
) -> None:
    last_name, first_name = _split_name(login.person)
    user, _ = get_user_model().objects.get_or_create(username=login.username)
    user.last_name = last_name
    user.first_name = first_name
    user.is_active = True
    # The office login also runs Django's admin (users, raw tables).
    user.is_staff = login.is_superuser
    user.is_superuser = login.is_superuser
    # Re-hashing on every run would rewrite the row for nothing (Argon2 salts).
    if not user.check_password(password):
        user.set_password(password)
    user.save()
    for role, unit_code in login.grants:
        unit = units[unit_code] if unit_code else None
        role_grant(actor=None, user=user, org=org, role=role, unit=unit)
    person = people[login.person]
    if person.user_id != user.pk:
        # A Person holds at most one login: free it from whoever had it before.
        Person.objects.filter(user=user).exclude(pk=person.pk).update(user=None)
        _sync(person, user_id=user.pk)
