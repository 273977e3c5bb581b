"""Writes for peer ballots: set up a round, cast a sheet, close the round.

Anonymity rules kept here (see models.py): a submission writes ledger rows
(who voted on whom) and ballot rows (what was chosen) in one transaction, the
ballots in a shuffled order and with random keys; closing a round rewrites its
ballots once more in a fresh random order, so not even the physical row order
of the table still follows the order in which people voted. The audit log gets
"round opened" and "round closed" with counts only, never a ballot.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import pairwise

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from jixiao.assessments.models import Assessment, Subject
from jixiao.audit.services import audit_record
from jixiao.ballots.models import (
    DEFAULT_POINTS,
    Ballot,
    BallotLedger,
    BallotRound,
    Choice,
    RaterGroup,
    RoundStatus,
)
from jixiao.ballots.selectors import (
    ballot_nodes,
    excluded_subject_ids,
    rater_group_for,
)
from jixiao.engine.numbers import plain
from jixiao.organisation.models import RoleGrant

# Default rater groups (document 003 names the raters, not the weights).
DEFAULT_GROUPS = (("领导", Decimal(30)), ("同级", Decimal(30)), ("群众", Decimal(40)))
VALID_CHOICES = (Choice.EXCELLENT, Choice.COMPETENT, Choice.BASIC, Choice.INCOMPETENT)

_shuffle = random.SystemRandom().shuffle


@dataclass(frozen=True)
class GroupSpec:
    name: str
    weight: Decimal
    raters: Sequence = field(default_factory=tuple)  # users


def default_groups() -> list[GroupSpec]:
    return [GroupSpec(name=name, weight=weight) for name, weight in DEFAULT_GROUPS]


def _require_votable(assessment: Assessment) -> None:
    if assessment.is_final:
        raise ValidationError({"assessment": _("考核已定案，不能再进行民主测评")})


def _clean_points(points: Mapping[str, object] | None, low: Decimal, high: Decimal) -> dict:
    merged = {**DEFAULT_POINTS, **(points or {})}
    if set(merged) != {c.value for c in VALID_CHOICES}:
        raise ValidationError({"points": _("档次分值只能设置优秀、称职、基本称职、不称职四档")})
    clean: dict[str, Decimal] = {}
    for choice in VALID_CHOICES:
        try:
            value = Decimal(str(merged[choice.value]).strip())
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite() or value != value.quantize(Decimal("0.01")):
            raise ValidationError(
                {
                    "points": _("%(choice)s 的分值应为数字（最多两位小数）")
                    % {"choice": choice.label}
                }
            )
        if not low <= value <= high:
            raise ValidationError(
                {
                    "points": _("%(choice)s 的分值应在 %(low)s 到 %(high)s 之间")
                    % {"choice": choice.label, "low": plain(low), "high": plain(high)}
                }
            )
        clean[choice.value] = value
    values = [clean[c.value] for c in VALID_CHOICES]
    # Strictly falling: adding an 优秀 can then never lower a score.
    if any(a <= b for a, b in pairwise(values)):
        raise ValidationError({"points": _("档次分值应从优秀到不称职依次降低")})
    return clean


def _clean_groups(groups: Sequence[GroupSpec], org) -> list[GroupSpec]:
    if not groups:
        raise ValidationError({"groups": _("至少需要一个测评组")})
    names = [g.name.strip() for g in groups]
    if any(not name for name in names):
        raise ValidationError({"groups": _("测评组名称不能为空")})
    if len(set(names)) != len(names):
        raise ValidationError({"groups": _("测评组名称不能重复")})
    for group in groups:
        if group.weight is None or group.weight <= 0:
            raise ValidationError(
                {"weight": _("测评组“%(name)s”的权重应大于 0") % {"name": group.name}}
            )
    total = sum((Decimal(g.weight) for g in groups), Decimal(0))
    if total != 100:
        raise ValidationError(
            {"weight": _("测评组权重之和应为 100，现为 %(total)s") % {"total": plain(total)}}
        )
    in_org = set(RoleGrant.objects.filter(org=org).values_list("user_id", flat=True).distinct())
    for group in groups:
        for user in group.raters:
            if user.pk not in in_org:
                raise ValidationError(
                    {
                        "raters": _("%(user)s 不是本单位的用户，不能作为测评人")
                        % {"user": user.get_username()}
                    }
                )
    return [
        GroupSpec(name=n, weight=Decimal(g.weight), raters=g.raters)
        for n, g in zip(names, groups, strict=True)
    ]


@transaction.atomic
def ballot_round_create(
    *,
    actor,
    assessment: Assessment,
    node: str,
    title: str,
    min_valid: int = 3,
    points: Mapping[str, object] | None = None,
    groups: Sequence[GroupSpec] | None = None,
) -> BallotRound:
    """Open a round feeding one score leaf of the assessment's pinned scheme."""
    _require_votable(assessment)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("请填写测评名称")})
    if len(title) > 100:
        raise ValidationError({"title": _("测评名称不能超过 100 个字")})
    leaves = {leaf.id: leaf for leaf in ballot_nodes(assessment)}
    if node not in leaves:
        raise ValidationError(
            {"node": _("指标“%(node)s”不是本考核方案中的评分项") % {"node": node}}
        )
    if BallotRound.objects.filter(assessment=assessment, node=node).exists():
        raise ValidationError({"node": _("指标“%(node)s”已有测评轮次") % {"node": node}})
    if not isinstance(min_valid, int) or min_valid < 1:
        raise ValidationError({"min_valid": _("最少有效票应为正整数")})
    clean_points = _clean_points(points, leaves[node].min, leaves[node].max)
    org = assessment.year.org
    specs = _clean_groups(list(groups) if groups is not None else default_groups(), org)

    ballot_round = BallotRound.objects.create(
        assessment=assessment,
        node=node,
        title=title,
        min_valid=min_valid,
        points={k: str(v) for k, v in clean_points.items()},
    )
    raters: set[int] = set()
    for spec in specs:
        group = RaterGroup.objects.create(round=ballot_round, name=spec.name, weight=spec.weight)
        group.raters.set(spec.raters)
        raters.update(u.pk for u in spec.raters)
    subjects = Subject.objects.filter(assessment=assessment).count()
    audit_record(
        actor=actor,
        action="ballot_round.open",
        obj=ballot_round,
        org=org,
        summary=_("开启民主测评：%(title)s（%(subjects)d 个对象，%(raters)d 名测评人）")
        % {"title": title, "subjects": subjects, "raters": len(raters)},
        after={"subjects": subjects, "groups": len(specs), "raters": len(raters)},
    )
    return ballot_round


@transaction.atomic
def ballot_round_close(*, actor, ballot_round: BallotRound) -> BallotRound:
    """Close a round; its results become visible and no more votes are taken."""
    ballot_round = BallotRound.objects.select_for_update().get(pk=ballot_round.pk)
    if ballot_round.status != RoundStatus.OPEN:
        raise ValidationError({"status": _("该测评已结束")})
    # Rewrite the ballots in a fresh random order under fresh keys, so the order
    # rows were stored in (rowid, heap position) no longer follows the voters.
    rows = list(
        Ballot.objects.filter(round=ballot_round).values_list("subject_id", "group_id", "choice")
    )
    Ballot.objects.filter(round=ballot_round).delete()
    _shuffle(rows)
    Ballot.objects.bulk_create(
        Ballot(round=ballot_round, subject_id=s, group_id=g, choice=c) for s, g, c in rows
    )
    ballot_round.status = RoundStatus.CLOSED
    ballot_round.save(update_fields=["status"])
    voters = BallotLedger.objects.filter(round=ballot_round).values("rater_id").distinct().count()
    audit_record(
        actor=actor,
        action="ballot_round.close",
        obj=ballot_round,
        org=ballot_round.assessment.year.org,
        summary=_("结束民主测评：%(title)s（%(voters)d 人参加，共 %(count)d 票）")
        % {"title": ballot_round.title, "voters": voters, "count": len(rows)},
        after={"voters": voters, "ballots": len(rows)},
    )
    return ballot_round


@transaction.atomic
def ballot_submit(*, rater, ballot_round: BallotRound, choices: Mapping[int, str]) -> int:
    """Cast one rater's sheet: a choice for every subject they still have to rate.

    All or nothing: a missing or unknown choice, a subject the rater may not
    rate (themselves, or outside the round) or one already voted on refuses the
    whole sheet. Returns the number of ballots cast.
    """
    ballot_round = (
        BallotRound.objects.select_for_update()
        .select_related("assessment__year")
        .get(pk=ballot_round.pk)
    )
    if ballot_round.status != RoundStatus.OPEN:
        raise ValidationError({"round": _("该测评已结束，不能再投票")})
    _require_votable(ballot_round.assessment)
    group = rater_group_for(ballot_round, rater)
    if group is None:
        raise PermissionDenied(_("您不是本次测评的测评人"))

    subject_ids = set(
        Subject.objects.filter(assessment=ballot_round.assessment).values_list("pk", flat=True)
    )
    eligible = subject_ids - excluded_subject_ids(ballot_round, rater)
    voted = set(
        BallotLedger.objects.filter(round=ballot_round, rater=rater).values_list(
            "subject_id", flat=True
        )
    )
    if voted & set(choices):
        raise ValidationError({"round": _("您已对其中的对象投过票，不能重复投票")})
    for subject_id in choices:
        if subject_id not in eligible:
            raise ValidationError(
                {"subject": _("不能对该对象投票（不在本次测评中，或是您本人/本单位）")}
            )
    valid_values = {c.value for c in Choice}
    pending = sorted(eligible - voted)
    if not pending:
        raise ValidationError({"round": _("您已投票，不能重复投票")})
    for subject_id in pending:
        if choices.get(subject_id) not in valid_values:
            raise ValidationError({f"subject_{subject_id}": _("请为每个测评对象选择一项评价")})

    try:
        # The unique ledger is the last word on "one ballot per rater per subject"
        # (two tabs submitting at once): a clash rolls the whole sheet back.
        with transaction.atomic():
            BallotLedger.objects.bulk_create(
                BallotLedger(round=ballot_round, rater=rater, subject_id=s) for s in pending
            )
    except IntegrityError:
        raise ValidationError({"round": _("您已投票，不能重复投票")}) from None
    ballots = [
        Ballot(round=ballot_round, subject_id=s, group=group, choice=choices[s]) for s in pending
    ]
    _shuffle(ballots)
    Ballot.objects.bulk_create(ballots)
    return len(ballots)
