"""Reads for targets, always scoped by an Access (nobody sees another organisation's rows)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from jixiao.organisation.access import Access
from jixiao.organisation.models import Person, Role, Unit
from jixiao.targets.models import Assignment, Milestone, Responsibility, Target
from jixiao.years.models import AssessmentYear, Period, PeriodKind, SubjectKind
from jixiao.years.selectors import year_pins


def targets_visible_to(access: Access, year: AssessmentYear | None = None) -> QuerySet[Target]:
    """Targets the user may read: all for readers, own section's and own tasks for others.

    ``year=None`` means every year of the organisation (detail pages look up by id).
    """
    targets = Target.objects.filter(org=access.org)
    if year is not None:
        targets = targets.filter(year=year)
    if access.reads_everything:
        return targets
    visible = Q(pk__in=[])
    if Role.SECTION_HEAD in access.roles and access.headed_unit_ids:
        visible |= Q(unit_id__in=access.headed_unit_ids)
    if access.person is not None:
        # A subquery, not a join: a person holding two responsibilities on one
        # target must not make it appear twice.
        own = Assignment.objects.filter(person=access.person).values("target_id")
        visible |= Q(pk__in=own)
    return targets.filter(visible)


def can_edit_target(access: Access, target: Target) -> bool:
    return target.org_id == access.org.pk and access.can_edit_unit_items(target.unit_id)


def editable_units(access: Access) -> QuerySet[Unit]:
    """Units a user may create targets for: all for the office, own sections for a head."""
    units = access.units().order_by("sort", "code")
    if access.is_office:
        return units
    return units.filter(pk__in=access.headed_unit_ids)


def _assignments_prefetch() -> Prefetch:
    return Prefetch(
        "assignments",
        queryset=Assignment.objects.select_related("person").order_by("person__code"),
    )


def target_list(
    access: Access,
    year: AssessmentYear,
    *,
    unit_id: int | None = None,
    person_id: int | None = None,
) -> QuerySet[Target]:
    """The year's visible targets with unit, people and milestone count, in three queries."""
    targets = targets_visible_to(access, year)
    if unit_id:
        targets = targets.filter(unit_id=unit_id)
    if person_id:
        holders = Assignment.objects.filter(person_id=person_id).values("target_id")
        targets = targets.filter(pk__in=holders)
    return (
        targets.select_related("unit")
        .prefetch_related(_assignments_prefetch())
        .annotate(milestone_count=Count("milestones", distinct=True))
        .order_by("code")
    )


def target_detail(access: Access, target_id: int) -> Target | None:
    return (
        targets_visible_to(access)
        .select_related("unit", "year")
        .prefetch_related(
            _assignments_prefetch(),
            # A dekad before the month it ends (both start on the 1st).
            Prefetch(
                "milestones",
                queryset=Milestone.objects.select_related("period").order_by(
                    "period__start", "period__end"
                ),
            ),
        )
        .filter(pk=target_id)
        .first()
    )


@dataclass
class ResponsibilityGroup:
    value: str
    label: str
    assignments: list[Assignment]


def responsibility_groups(target: Target) -> list[ResponsibilityGroup]:
    """The target's people grouped by responsibility, in the order of 002 篇四."""
    assignments = list(target.assignments.all())
    return [
        ResponsibilityGroup(
            value=value,
            label=str(label),
            assignments=[a for a in assignments if a.responsibility == value],
        )
        for value, label in Responsibility.choices
    ]


def people_by_responsibility(target: Target) -> dict[str, list[str]]:
    """Responsibility value → names, for the list page and the letters."""
    names: dict[str, list[str]] = {value: [] for value in Responsibility.values}
    for assignment in target.assignments.all():
        names[assignment.responsibility].append(assignment.person.name)
    return names


def milestone_periods(year: AssessmentYear) -> QuerySet[Period]:
    """Months and dekads of the year, in calendar order (months after their dekads)."""
    return Period.objects.filter(year=year, kind__in=(PeriodKind.MONTH, PeriodKind.DEKAD)).order_by(
        "start", "end"
    )


def holder_choices(access: Access, year: AssessmentYear) -> QuerySet[Person]:
    """People who hold a responsibility on a visible target of the year (list filter)."""
    visible = targets_visible_to(access, year).values("pk")
    return (
        access.people()
        .filter(assignments__target__in=visible)
        .distinct()
        .select_related("unit")
        .order_by("code")
    )


def with_detail(name: str, detail: str) -> str:
    """A name with a detail in brackets: "可持续发展（indicators.sustainable）"."""
    return _("%(name)s（%(detail)s）") % {"name": name, "detail": detail}


@dataclass
class IndicatorGroup:
    label: str
    options: list[tuple[str, str]]  # (node id, indented "name（id）")


def indicator_groups(year: AssessmentYear, unit: Unit | None = None) -> list[IndicatorGroup]:
    """The nodes of the year's pinned schemes, the unit's own subject kind first.

    A target on the organisation itself feeds the township/bureau scheme; one on a
    section, station or village feeds the unit scheme.
    """
    pins = list(year_pins(year).values())
    relevant = (
        SubjectKind.ORGANISATION if unit is None or unit.is_organisation else SubjectKind.UNIT
    )
    pins.sort(key=lambda pin: (pin.subject_kind != relevant, pin.subject_kind))
    groups = []
    for pin in pins:
        scheme = pin.scheme_version.parsed()
        options = [
            (node.id, "　" * depth + with_detail(node.name, node.id))
            for node, depth in scheme.walk()
            if depth > 0
        ]
        label = _("%(kind)s：%(version)s") % {
            "kind": pin.get_subject_kind_display(),
            "version": pin.scheme_version,
        }
        groups.append(IndicatorGroup(label=label, options=options))
    return groups


def indicator_names(year: AssessmentYear) -> dict[str, str]:
    """Node id → name over every pinned scheme of the year (to show beside the id)."""
    names: dict[str, str] = {}
    for pin in year_pins(year).values():
        for node, _depth in pin.scheme_version.parsed().walk():
            names.setdefault(node.id, node.name)
    return names


# --- responsibility letters ---------------------------------------------------------


def can_read_unit_letter(access: Access, unit: Unit) -> bool:
    """Readers print any unit's letter; a section head prints their own section's."""
    if unit.org_id != access.org.pk:
        return False
    return access.reads_everything or unit.pk in access.headed_unit_ids


def can_read_person_letter(access: Access, person: Person) -> bool:
    """Readers print anyone's; a head prints their section's staff; everyone prints their own."""
    if person.org_id != access.org.pk:
        return False
    if access.reads_everything:
        return True
    if access.person is not None and access.person.pk == person.pk:
        return True
    return person.unit_id in access.headed_unit_ids


def letter_targets_for_unit(year: AssessmentYear, unit: Unit) -> QuerySet[Target]:
    return (
        Target.objects.filter(year=year, org_id=year.org_id, unit=unit)
        .select_related("unit")
        .prefetch_related(_assignments_prefetch())
        .order_by("code")
    )


def letter_targets_for_person(year: AssessmentYear, person: Person) -> QuerySet[Target]:
    own = Assignment.objects.filter(person=person).values("target_id")
    return (
        Target.objects.filter(year=year, org_id=year.org_id, pk__in=own)
        .select_related("unit")
        .prefetch_related(_assignments_prefetch())
        .order_by("code")
    )


def my_targets(access: Access, year: AssessmentYear) -> list[Target]:
    """The targets the user's own person answers for this year, soonest deadline first."""
    if access.person is None:
        return []
    return list(
        Target.objects.filter(year=year, assignments__person=access.person)
        .select_related("unit")
        .prefetch_related(_assignments_prefetch())
        .distinct()
        .order_by("deadline", "code")
    )
