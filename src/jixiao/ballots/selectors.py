"""Reads for peer ballots: rounds, ballot sheets, who may rate whom, and results.

Results (``round_results``): per rater group, the mean of the points of its
valid ballots (不了解 is not a valid ballot); the subject's score is the
weighted mean of the group means, renormalised over the groups that have valid
ballots (a group nobody in which knew the subject does not drag the score to
zero). Below the round's minimum of valid ballots there is no score, only a
reason. Arithmetic is Decimal in the engine's 60-digit context, rounded once,
half-up to 0.01, at the end.
"""

from __future__ import annotations

import decimal
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from jixiao.assessments.models import Assessment, Status, Subject
from jixiao.assessments.nodes import scheme_of
from jixiao.ballots.models import (
    DEFAULT_POINTS,
    Ballot,
    BallotLedger,
    BallotRound,
    Choice,
    RaterGroup,
    RoundStatus,
)
from jixiao.engine.model import Kind, Node
from jixiao.engine.numbers import CONTEXT, round_total
from jixiao.organisation.access import Access, access_for
from jixiao.organisation.models import Person, Role, TaskForce

CHOICES: tuple[str, ...] = tuple(c.value for c in Choice)
VALID: tuple[str, ...] = tuple(c for c in CHOICES if c != Choice.UNKNOWN)
LABELS = dict(Choice.choices)


# --- rounds and groups ----------------------------------------------------------------


def ballot_nodes(assessment: Assessment) -> list[Node]:
    """Score leaves of the assessment's pinned scheme: what a round may feed."""
    return [node for node, _depth in scheme_of(assessment).walk() if node.kind == Kind.SCORE]


def round_points(ballot_round: BallotRound) -> dict[str, Decimal]:
    merged = {**DEFAULT_POINTS, **(ballot_round.points or {})}
    return {choice: Decimal(str(merged[choice])) for choice in VALID}


def round_list(access: Access) -> QuerySet[BallotRound]:
    return (
        BallotRound.objects.filter(assessment__year__org=access.org)
        .select_related("assessment__period")
        .annotate(rater_count=Count("groups__raters", distinct=True))
        .order_by("-pk")
    )


def round_get(access: Access, round_id: int) -> BallotRound:
    """The round if it belongs to the user's organisation, else 404."""
    return get_object_or_404(
        BallotRound.objects.select_related("assessment__year", "assessment__period"),
        pk=round_id,
        assessment__year__org=access.org,
    )


def can_see_results(access: Access) -> bool:
    return access.is_office or access.has(Role.REVIEWER)


def org_users(access: Access) -> QuerySet:
    """Who may be a rater: users holding a role in the organisation (they can log in)."""
    return (
        get_user_model()
        .objects.filter(role_grants__org=access.org)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def rater_group_for(ballot_round: BallotRound, user) -> RaterGroup | None:
    """The rater's group: the first one listed if they are in several (they vote once)."""
    return ballot_round.groups.filter(raters=user).order_by("pk").first()


def round_groups(ballot_round: BallotRound) -> list[RaterGroup]:
    return list(ballot_round.groups.prefetch_related("raters").order_by("pk"))


def round_turnout(ballot_round: BallotRound) -> tuple[int, int]:
    """(raters who have voted, raters in the round): counts only, never names."""
    voted = BallotLedger.objects.filter(round=ballot_round).values("rater_id").distinct().count()
    raters = (
        RaterGroup.raters.through.objects.filter(ratergroup__round=ballot_round)
        .values("user_id")
        .distinct()
        .count()
    )
    return voted, raters


# --- who may rate whom ----------------------------------------------------------------


@dataclass(frozen=True)
class SelfOf:
    """What counts as "oneself" for a rater (no self-rating)."""

    person_id: int | None = None
    unit_ids: frozenset[int] = frozenset()
    task_force_ids: frozenset[int] = frozenset()

    def covers(self, subject: Subject) -> bool:
        return (
            (subject.person_id is not None and subject.person_id == self.person_id)
            or (subject.unit_id is not None and subject.unit_id in self.unit_ids)
            or (subject.task_force_id is not None and subject.task_force_id in self.task_force_ids)
        )


def self_of(user, org) -> SelfOf:
    """The rater's own person, their own unit and the units they head, their task forces."""
    access = access_for(user, org)
    person = access.person if access else Person.objects.filter(user=user, org=org).first()
    unit_ids = set(access.headed_unit_ids) if access else set()
    task_force_ids: set[int] = set()
    if person is not None:
        unit_ids.add(person.unit_id)
        task_force_ids = set(
            TaskForce.objects.filter(Q(leader=person) | Q(members=person), org=org).values_list(
                "pk", flat=True
            )
        )
    return SelfOf(
        person_id=person.pk if person else None,
        unit_ids=frozenset(unit_ids),
        task_force_ids=frozenset(task_force_ids),
    )


def excluded_subject_ids(ballot_round: BallotRound, user) -> set[int]:
    me = self_of(user, ballot_round.assessment.year.org)
    subjects = Subject.objects.filter(assessment_id=ballot_round.assessment_id).only(
        "pk", "unit_id", "person_id", "task_force_id"
    )
    return {s.pk for s in subjects if me.covers(s)}


# --- what a rater sees ----------------------------------------------------------------


@dataclass
class OpenBallot:
    """A round open to a rater. ``pending``: subjects they still have to rate."""

    round: BallotRound
    group: RaterGroup
    subjects: int
    pending: int

    @property
    def voted(self) -> bool:
        return self.pending == 0


def open_ballots_for(user, *, pending_only: bool = False) -> list[OpenBallot]:
    """Open rounds (assessment not final) in which the user is a rater.

    Used by the ballots index and by the to-do page (with ``pending_only=True``
    for "ballots to cast").
    """
    if not getattr(user, "is_authenticated", False):
        return []
    groups = (
        RaterGroup.objects.filter(raters=user, round__status=RoundStatus.OPEN)
        .exclude(round__assessment__status=Status.FINAL)
        .select_related("round__assessment__year", "round__assessment__period")
        .order_by("round_id", "pk")
    )
    first: dict[int, RaterGroup] = {}
    for group in groups:
        first.setdefault(group.round_id, group)
    if not first:
        return []
    rounds = [g.round for g in first.values()]
    subjects: dict[int, list[Subject]] = defaultdict(list)
    for subject in Subject.objects.filter(assessment_id__in={r.assessment_id for r in rounds}).only(
        "pk", "assessment_id", "unit_id", "person_id", "task_force_id"
    ):
        subjects[subject.assessment_id].append(subject)
    voted: dict[int, set[int]] = defaultdict(set)
    for round_id, subject_id in BallotLedger.objects.filter(
        rater=user, round_id__in=first
    ).values_list("round_id", "subject_id"):
        voted[round_id].add(subject_id)
    selves: dict[int, SelfOf] = {}
    result = []
    for ballot_round in rounds:
        org = ballot_round.assessment.year.org
        if org.pk not in selves:
            selves[org.pk] = self_of(user, org)
        mine = [s for s in subjects[ballot_round.assessment_id] if not selves[org.pk].covers(s)]
        pending = [s for s in mine if s.pk not in voted[ballot_round.pk]]
        if pending_only and not pending:
            continue
        result.append(
            OpenBallot(
                round=ballot_round,
                group=first[ballot_round.pk],
                subjects=len(mine),
                pending=len(pending),
            )
        )
    return result


@dataclass
class Sheet:
    """A rater's ballot sheet: the subjects they still have to rate, never past choices."""

    round: BallotRound
    group: RaterGroup
    subjects: list[Subject]  # pending, in assessment order
    voted: int  # how many they have already rated


def ballot_sheet(ballot_round: BallotRound, user) -> Sheet | None:
    """None when the user is not a rater of the round."""
    group = rater_group_for(ballot_round, user)
    if group is None:
        return None
    me = self_of(user, ballot_round.assessment.year.org)
    done = set(
        BallotLedger.objects.filter(round=ballot_round, rater=user).values_list(
            "subject_id", flat=True
        )
    )
    subjects = [
        s
        for s in Subject.objects.filter(assessment_id=ballot_round.assessment_id)
        .select_related("unit", "person__unit", "task_force")
        .order_by("pk")
        if not me.covers(s)
    ]
    pending = [s for s in subjects if s.pk not in done]
    return Sheet(
        round=ballot_round, group=group, subjects=pending, voted=len(subjects) - len(pending)
    )


# --- results --------------------------------------------------------------------------


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), decimal.ROUND_HALF_UP)


@dataclass
class GroupResult:
    group_id: int
    name: str
    weight: Decimal
    counts: dict[str, int]  # every choice, 不了解 included
    ballots: int  # all ballots of the group, 不了解 included
    valid: int
    mean: Decimal | None  # exact mean of the valid ballots' points

    @property
    def distribution(self) -> list[tuple[str, int, Decimal | None]]:
        """(choice label, count, percent of the group's ballots) for every choice."""
        return [
            (LABELS[c], self.counts[c], _percent(self.counts[c], self.ballots)) for c in CHOICES
        ]

    @property
    def mean_display(self) -> Decimal | None:
        return None if self.mean is None else round_total(self.mean)


@dataclass
class RoundResult:
    score: Decimal | None
    valid: int
    counts: dict[str, int]
    per_group: list[GroupResult] = field(default_factory=list)
    ballots: int = 0
    reason: str = ""  # why there is no score

    @property
    def distribution(self) -> list[tuple[str, int, Decimal | None]]:
        return [
            (LABELS[c], self.counts[c], _percent(self.counts[c], self.ballots)) for c in CHOICES
        ]


def tally(
    groups: Sequence[tuple[int, str, Decimal]],
    counts: Mapping[tuple[int, str], int],
    points: Mapping[str, Decimal],
    min_valid: int,
) -> RoundResult:
    """One subject's result from its ballot counts per (group id, choice).

    ``groups`` are (id, name, weight). Pure: no database, so it is property-tested.
    """
    per_group: list[GroupResult] = []
    numerator = denominator = Decimal(0)
    with decimal.localcontext(CONTEXT):
        for group_id, name, weight in groups:
            group_counts = {c: int(counts.get((group_id, c), 0)) for c in CHOICES}
            valid = sum(group_counts[c] for c in VALID)
            mean = None
            if valid:
                mean = sum((points[c] * group_counts[c] for c in VALID), Decimal(0)) / valid
                numerator += mean * Decimal(weight)
                denominator += Decimal(weight)
            per_group.append(
                GroupResult(
                    group_id=group_id,
                    name=name,
                    weight=Decimal(weight),
                    counts=group_counts,
                    ballots=sum(group_counts.values()),
                    valid=valid,
                    mean=mean,
                )
            )
        total_counts = {c: sum(g.counts[c] for g in per_group) for c in CHOICES}
        valid = sum(g.valid for g in per_group)
        score, reason = None, ""
        if valid < min_valid:
            reason = _("有效票 %(valid)d 张，少于最少有效票 %(min)d 张") % {
                "valid": valid,
                "min": min_valid,
            }
        else:
            score = round_total(numerator / denominator)
    return RoundResult(
        score=score,
        valid=valid,
        counts=total_counts,
        per_group=per_group,
        ballots=sum(total_counts.values()),
        reason=reason,
    )


def round_results(ballot_round: BallotRound) -> dict[int, RoundResult]:
    """Every subject of the round's assessment → its result (three queries)."""
    groups = [
        (g.pk, g.name, g.weight)
        for g in RaterGroup.objects.filter(round=ballot_round).order_by("pk")
    ]
    counts: dict[int, dict[tuple[int, str], int]] = defaultdict(dict)
    for row in (
        Ballot.objects.filter(round=ballot_round)
        .values("subject_id", "group_id", "choice")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[row["subject_id"]][(row["group_id"], row["choice"])] = row["n"]
    points = round_points(ballot_round)
    subject_ids: Iterable[int] = Subject.objects.filter(
        assessment_id=ballot_round.assessment_id
    ).values_list("pk", flat=True)
    return {
        subject_id: tally(groups, counts[subject_id], points, ballot_round.min_valid)
        for subject_id in subject_ids
    }
