"""民主测评: anonymous peer ballots.

Anonymity is structural. ``Ballot`` rows hold only the round, the subject, the
rater's group and the choice — no user, no IP, no time — and a random UUID key,
so not even insertion order can be read from them. Who has voted is kept in a
separate ``BallotLedger`` (rater and subject, nothing about the choice), which
enforces one ballot per rater per subject. The audit log records rounds opened
and closed, never a ballot.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Choice(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    COMPETENT = "competent", _("称职")
    BASIC = "basic", _("基本称职")
    INCOMPETENT = "incompetent", _("不称职")
    UNKNOWN = "unknown", _("不了解")  # excluded from the count


DEFAULT_POINTS = {"excellent": 95, "competent": 85, "basic": 75, "incompetent": 65}


class RoundStatus(models.TextChoices):
    OPEN = "open", _("投票中")
    CLOSED = "closed", _("已结束")


class BallotRound(models.Model):
    assessment = models.ForeignKey(
        "assessments.Assessment", on_delete=models.CASCADE, related_name="ballot_rounds"
    )
    # The scheme node the round's result feeds (e.g. "ballot", "duty.peer").
    node = models.CharField(_("对应指标"), max_length=200)
    title = models.CharField(_("名称"), max_length=100)
    status = models.CharField(
        _("状态"), max_length=20, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    min_valid = models.PositiveSmallIntegerField(_("最少有效票"), default=3)
    points = models.JSONField(_("档次分值"), default=dict)  # choice → points

    class Meta:
        verbose_name = _("测评轮次")
        verbose_name_plural = _("测评轮次")
        constraints = [
            models.UniqueConstraint(fields=("assessment", "node"), name="one_round_per_node"),
        ]

    def __str__(self) -> str:
        return self.title


class RaterGroup(models.Model):
    round = models.ForeignKey(BallotRound, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("名称"), max_length=50)  # 领导 / 同级 / 群众
    weight = models.DecimalField(_("权重"), max_digits=5, decimal_places=2)
    raters = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)

    class Meta:
        ordering = ("pk",)
        verbose_name = _("测评组")
        verbose_name_plural = _("测评组")

    def __str__(self) -> str:
        return self.name


class BallotLedger(models.Model):
    """Who has voted on whom in a round — never what they chose."""

    round = models.ForeignKey(BallotRound, on_delete=models.CASCADE, related_name="+")
    rater = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    subject = models.ForeignKey("assessments.Subject", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("投票记录")
        verbose_name_plural = _("投票记录")
        constraints = [
            models.UniqueConstraint(
                fields=("round", "rater", "subject"), name="one_ballot_per_rater_subject"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.rater} → {self.subject}"


class Ballot(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(BallotRound, on_delete=models.CASCADE, related_name="ballots")
    subject = models.ForeignKey(
        "assessments.Subject", on_delete=models.CASCADE, related_name="ballots"
    )
    group = models.ForeignKey(RaterGroup, on_delete=models.CASCADE, related_name="ballots")
    choice = models.CharField(_("评价"), max_length=20, choices=Choice.choices)

    class Meta:
        verbose_name = _("选票")
        verbose_name_plural = _("选票")

    def __str__(self) -> str:
        return f"{self.round} · {self.get_choice_display()}"
