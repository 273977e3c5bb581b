"""Reads for the office side of public appraisal: frames, questionnaires, rounds, calls.

Everything is scoped to ``access.org``; an object of another organisation is a 404.
Nothing here decrypts a phone number (``services.phone_reveal`` does, audited).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import BooleanField, Case, Count, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from jixiao.appraisal.models import (
    AppraisalRound,
    Disposition,
    Questionnaire,
    Respondent,
    RespondentFrame,
    SampleMember,
)

# The office pages open rounds like the results pages do (re-exported for the views).
from jixiao.appraisal.selectors import round_get as round_get
from jixiao.organisation.access import Access
from jixiao.organisation.models import Unit
from jixiao.years.models import Period

# --- frames ---------------------------------------------------------------------------


def frame_list(access: Access) -> QuerySet[RespondentFrame]:
    return (
        RespondentFrame.objects.filter(org=access.org)
        .annotate(
            respondent_count=Count("respondents", distinct=True),
            active_count=Count("respondents", filter=Q(respondents__active=True), distinct=True),
        )
        .order_by("-pk")
    )


def frame_get(access: Access, frame_id: int) -> RespondentFrame:
    return get_object_or_404(RespondentFrame, pk=frame_id, org=access.org)


def frame_respondents(frame: RespondentFrame, stratum: str = "") -> QuerySet[Respondent]:
    respondents = Respondent.objects.filter(frame=frame).order_by("pk")
    if stratum:
        respondents = respondents.filter(stratum=stratum)
    # The encrypted number never leaves the database for a list page.
    return respondents.defer("phone_encrypted", "phone_digest")


def frame_strata(frame: RespondentFrame) -> list[tuple[str, int]]:
    """(stratum, active respondents) in name order."""
    rows = (
        Respondent.objects.filter(frame=frame, active=True)
        .values("stratum")
        .annotate(n=Count("pk"))
        .order_by("stratum")
    )
    return [(row["stratum"], row["n"]) for row in rows]


# --- questionnaires -------------------------------------------------------------------


def questionnaire_list(access: Access) -> QuerySet[Questionnaire]:
    return (
        Questionnaire.objects.filter(org=access.org)
        .annotate(
            question_count=Count("questions", distinct=True),
            round_count=Count("rounds", distinct=True),
        )
        .order_by("-pk")
    )


def questionnaire_get(access: Access, questionnaire_id: int) -> Questionnaire:
    return get_object_or_404(Questionnaire, pk=questionnaire_id, org=access.org)


def appraisable_units(access: Access) -> QuerySet[Unit]:
    """Units a satisfaction item may be about: the organisation itself and its units."""
    return Unit.objects.filter(org=access.org).order_by("sort", "pk")


# --- rounds ---------------------------------------------------------------------------


def round_list(access: Access) -> QuerySet[AppraisalRound]:
    return (
        AppraisalRound.objects.filter(org=access.org)
        .select_related("year", "period", "frame", "questionnaire")
        .annotate(
            member_count=Count(
                "members", filter=~Q(members__status=Disposition.REPLACED), distinct=True
            ),
            completed_count=Count(
                "members", filter=Q(members__status=Disposition.COMPLETED), distinct=True
            ),
        )
        .order_by("-pk")
    )


def period_choices(access: Access) -> QuerySet[Period]:
    return (
        Period.objects.filter(year__org=access.org)
        .select_related("year")
        .order_by("-year__year", "start", "-end")
    )


def round_members(appraisal_round: AppraisalRound, status: str = "") -> QuerySet[SampleMember]:
    members = (
        SampleMember.objects.filter(round=appraisal_round)
        .select_related("respondent", "replaces")
        .defer("respondent__phone_encrypted", "respondent__phone_digest")
        .annotate(
            no_answers=Count("attempts", filter=Q(attempts__disposition=Disposition.NO_ANSWER))
        )
        .order_by("position")
    )
    if status:
        members = members.filter(status=status)
    return members


def member_get(access: Access, appraisal_round: AppraisalRound, member_id: int) -> SampleMember:
    return get_object_or_404(
        SampleMember.objects.select_related("respondent", "round"),
        pk=member_id,
        round=appraisal_round,
        round__org=access.org,
    )


@dataclass
class StratumLine:
    stratum: str
    population: int  # active respondents in the frame
    allocated: int | None  # as drawn (None before the draw)
    statuses: Counter = field(default_factory=Counter)

    def count(self, status: str) -> int:
        return self.statuses[status]

    @property
    def drawn(self) -> int:
        """Members in the sample now (replaced ones excluded)."""
        return sum(n for s, n in self.statuses.items() if s != Disposition.REPLACED)


def round_strata(appraisal_round: AppraisalRound) -> list[StratumLine]:
    """Per stratum: frame size, allocation and member statuses (two queries)."""
    lines = {
        stratum: StratumLine(stratum, n, (appraisal_round.allocation or {}).get(stratum))
        for stratum, n in frame_strata(appraisal_round.frame)
    }
    for row in (
        SampleMember.objects.filter(round=appraisal_round)
        .values("stratum", "status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        line = lines.setdefault(
            row["stratum"],
            StratumLine(row["stratum"], 0, (appraisal_round.allocation or {}).get(row["stratum"])),
        )
        line.statuses[row["status"]] += row["n"]
    return [lines[s] for s in sorted(lines)]


# --- interviewer mode -----------------------------------------------------------------


@dataclass
class CallQueue:
    due: list[SampleMember]  # call-backs whose time has come, earliest first
    later: list[SampleMember]  # call-backs agreed for later
    next: list[SampleMember]  # not yet reached: pending first, then unanswered
    # Being called by another interviewer right now (claim not yet expired).
    taken: list[SampleMember] = field(default_factory=list)


def taken_by_others(user, now: datetime) -> Q:
    """Members another interviewer has claimed and whose claim has not expired."""
    return Q(claimed_until__gte=now, claimed_by__isnull=False) & ~Q(claimed_by_id=user.pk)


def call_queue(
    appraisal_round: AppraisalRound, *, user, limit: int = 20, now: datetime | None = None
) -> CallQueue:
    """The shared call list as ``user`` sees it: others' live claims are marked ``taken``.

    "Next to call" leaves them out, so two interviewers do not ring the same person.
    """
    now = now or timezone.now()
    others = taken_by_others(user, now)
    members = round_members(appraisal_round).annotate(
        taken=Case(
            When(others, then=Value(True)), default=Value(False), output_field=BooleanField()
        )
    )
    callbacks = list(
        members.filter(status__in=(Disposition.CALLBACK, Disposition.NO_ANSWER))
        .exclude(callback_at__isnull=True)
        .order_by("callback_at", "position")
    )
    open_now = Q(status=Disposition.PENDING) | Q(
        status=Disposition.NO_ANSWER, callback_at__isnull=True
    )
    waiting = list(
        members.filter(open_now).exclude(others).order_by("no_answers", "position")[:limit]
    )
    taken = list(members.filter(others).filter(open_now).order_by("position")[:limit])
    return CallQueue(
        due=[m for m in callbacks if m.callback_at <= now][:limit],
        later=[m for m in callbacks if m.callback_at > now][:limit],
        next=waiting,
        taken=taken,
    )
