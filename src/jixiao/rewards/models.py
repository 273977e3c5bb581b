"""A reward pool per year and who gets how much of it.

The pool's amount comes either from the county (002 篇一: when the county rates
the town 良 or better it pays a reward and the town matches it, the sum shared
"by contribution"; 一般 or 差: no reward) or is entered (003: the year-end
bonus). One rule shares it among the subjects of a final assessment; vetoes and
lost award eligibility give 0 with the reason. ``version`` counts changes so a
stale edit is refused instead of silently overwriting someone else's.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    COUNTY_MATCHED = "county_matched", _("县级奖励及镇配套")
    ENTERED = "entered", _("直接录入")


class RuleKind(models.TextChoices):
    CONTRIBUTION = "contribution", _("按贡献大小")
    GRADE_COEFFICIENT = "grade_coefficient", _("按等次系数")
    MONTHLY_COMPLIANCE = "monthly_compliance", _("与月度机关制度考核挂钩")


class RewardPool(models.Model):
    org = models.ForeignKey(
        "organisation.Unit", on_delete=models.PROTECT, related_name="reward_pools"
    )
    year = models.ForeignKey(
        "years.AssessmentYear", on_delete=models.PROTECT, related_name="reward_pools"
    )
    name = models.CharField(_("名称"), max_length=100)
    # Whose results decide the shares: the year's final assessment of one kind.
    assessment = models.ForeignKey(
        "assessments.Assessment", on_delete=models.PROTECT, related_name="reward_pools"
    )
    source = models.CharField(_("奖金来源"), max_length=20, choices=Source.choices)
    county_reward = models.DecimalField(
        _("县级奖励"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    county_grade = models.CharField(_("县对镇评估等次"), max_length=10, blank=True)
    entered_amount = models.DecimalField(
        _("录入金额"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    amount = models.DecimalField(_("奖金总额"), max_digits=12, decimal_places=2)
    amount_note = models.CharField(_("金额说明"), max_length=200, blank=True)
    rule = models.CharField(_("分配规则"), max_length=30, choices=RuleKind.choices)
    # grade → coefficient, as strings ("1.2"): the grade_coefficient rule.
    coefficients = models.JSONField(_("等次系数"), default=dict, blank=True)
    # 003: the share of the bonus tied to monthly rule compliance (0–1).
    compliance_share = models.DecimalField(
        _("挂钩比例"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-year__year", "pk")
        verbose_name = _("奖励资金")
        verbose_name_plural = _("奖励资金")

    def __str__(self) -> str:
        return self.name


class RewardShare(models.Model):
    """One subject's share: the office's inputs, then the computed weight and amount."""

    pool = models.ForeignKey(RewardPool, on_delete=models.CASCADE, related_name="shares")
    subject = models.ForeignKey(
        "assessments.Subject", on_delete=models.PROTECT, related_name="reward_shares"
    )
    label = models.CharField(_("对象"), max_length=100)
    sort = models.PositiveIntegerField(default=0)
    # Inputs: an entered contribution (else the subject's total), months complied.
    contribution = models.DecimalField(
        _("贡献值"), max_digits=12, decimal_places=4, null=True, blank=True
    )
    months_ok = models.PositiveSmallIntegerField(_("制度考核合格月数"), null=True, blank=True)
    excluded = models.BooleanField(_("不参与分配"), default=False)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    # Computed on every change of the pool.
    weight = models.DecimalField(_("分配权重"), max_digits=20, decimal_places=8, default=0)
    eligible = models.BooleanField(_("有资格"), default=True)
    amount = models.DecimalField(_("金额"), max_digits=12, decimal_places=2, default=0)
    reason = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        ordering = ("sort", "pk")
        verbose_name = _("奖励分配")
        verbose_name_plural = _("奖励分配")
        constraints = [
            models.UniqueConstraint(fields=("pool", "subject"), name="one_share_per_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.amount}"
