"""考核评估: one assessment per period and kind of subject, and everything scored in it.

The flow (002, 003, 004): self-evaluation → leadership scoring (and peer ballots,
inspection ledgers, public appraisal) → aggregation by the engine → grade and
quotas → review and lock → public notice → appeals → final, after which the
assessment is read-only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    SELF_EVALUATION = "self_evaluation", _("自评")
    SCORING = "scoring", _("评分")
    REVIEW = "review", _("审核")
    NOTICE = "notice", _("公示")
    FINAL = "final", _("定案")


class Assessment(models.Model):
    year = models.ForeignKey(
        "years.AssessmentYear", on_delete=models.PROTECT, related_name="assessments"
    )
    period = models.ForeignKey("years.Period", on_delete=models.PROTECT, related_name="+")
    subject_kind = models.CharField(_("考核对象"), max_length=20)
    # Pinned when the assessment is created: later scheme edits never change it.
    scheme_version = models.ForeignKey(
        "schemes.SchemeVersion", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("名称"), max_length=100)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.SELF_EVALUATION
    )
    # The office may let subjects self-score every leaf (for reference only: the
    # engine reads self-scores only for nodes whose id ends in ".self").
    self_scores_all = models.BooleanField(_("全部指标自评打分"), default=False)
    notice_days = models.PositiveSmallIntegerField(_("公示工作日"), default=5)
    notice_start = models.DateField(_("公示开始"), null=True, blank=True)
    notice_end = models.DateField(_("公示截止"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    locked_at = models.DateTimeField(_("锁定时间"), null=True, blank=True)
    finalised_at = models.DateTimeField(_("定案时间"), null=True, blank=True)

    class Meta:
        ordering = ("-period__end", "subject_kind")
        verbose_name = _("考核")
        verbose_name_plural = _("考核")
        constraints = [
            models.UniqueConstraint(
                fields=("period", "subject_kind"), name="one_assessment_per_period_kind"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_final(self) -> bool:
        return self.status == Status.FINAL


class GradeQuota(models.Model):
    """At most ``max_share`` of those assessed may receive ``grade`` (e.g. 优秀 ≤ 20%)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="quotas")
    grade = models.CharField(_("等次"), max_length=20)
    max_share = models.DecimalField(_("最高比例"), max_digits=5, decimal_places=4)
    # Who takes a grade refused by the quota: the next band down.

    class Meta:
        verbose_name = _("等次比例")
        verbose_name_plural = _("等次比例")
        constraints = [
            models.UniqueConstraint(fields=("assessment", "grade"), name="one_quota_per_grade"),
        ]

    def __str__(self) -> str:
        return f"{self.grade} ≤ {self.max_share:%}"


class Subject(models.Model):
    """One unit, person or task force assessed, with its computed result."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="subjects")
    unit = models.ForeignKey(
        "organisation.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "organisation.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    task_force = models.ForeignKey(
        "organisation.TaskForce",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Result of the last aggregation (None until aggregated).
    total = models.DecimalField(_("总分"), max_digits=8, decimal_places=2, null=True, blank=True)
    exact_total = models.CharField(_("精确总分"), max_length=80, blank=True)
    scheme_grade = models.CharField(_("方案等次"), max_length=20, blank=True)
    grade = models.CharField(_("等次"), max_length=20, blank=True)  # after quotas
    quota_note = models.CharField(_("比例限制说明"), max_length=200, blank=True)
    award_eligible = models.BooleanField(_("评先评优资格"), null=True)
    reasons = models.JSONField(_("原因"), default=list, blank=True)
    breakdown = models.JSONField(_("得分明细"), null=True, blank=True)
    problems = models.JSONField(_("缺项"), default=list, blank=True)  # why it cannot be scored yet
    rank = models.PositiveIntegerField(_("名次"), null=True, blank=True)

    class Meta:
        ordering = ("rank", "pk")
        verbose_name = _("考核对象")
        verbose_name_plural = _("考核对象")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(unit__isnull=False, person__isnull=True, task_force__isnull=True)
                    | models.Q(unit__isnull=True, person__isnull=False, task_force__isnull=True)
                    | models.Q(unit__isnull=True, person__isnull=True, task_force__isnull=False)
                ),
                name="subject_is_one_thing",
            ),
        ]

    def __str__(self) -> str:
        return str(self.unit or self.person or self.task_force)

    @property
    def label(self) -> str:
        return str(self)


class SelfEvaluation(models.Model):
    subject = models.OneToOneField(
        Subject, on_delete=models.CASCADE, related_name="self_evaluation"
    )
    report = models.TextField(_("自评报告"), max_length=20000)
    self_scores = models.JSONField(_("自评分"), default=dict, blank=True)  # node id → "88.5"
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("提交时间"), auto_now=True)

    class Meta:
        verbose_name = _("自评报告")
        verbose_name_plural = _("自评报告")

    def __str__(self) -> str:
        return f"{self.subject} 自评"


class Score(models.Model):
    """The leadership group's value for one node (or fact) of one subject.

    ``version`` guards against lost updates: two reviewers editing the same score
    both send the version they saw, and the second gets a conflict.
    """

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="scores")
    node = models.CharField(_("指标"), max_length=200)
    value = models.DecimalField(_("得分"), max_digits=10, decimal_places=4)
    reason = models.CharField(_("扣分理由"), max_length=500, blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    scored_at = models.DateTimeField(_("评分时间"), auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("评分")
        verbose_name_plural = _("评分")
        constraints = [
            models.UniqueConstraint(fields=("subject", "node"), name="one_score_per_node"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.node} = {self.value}"


class VetoStatus(models.TextChoices):
    PROPOSED = "proposed", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("已驳回")


class Veto(models.Model):
    """一票否决, recorded with evidence and approved before it counts."""

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="vetoes")
    category = models.CharField(_("否决事项"), max_length=50)
    note = models.TextField(_("事实依据"), max_length=2000)
    evidence = models.ManyToManyField("evidence.Evidence", blank=True, related_name="+")
    status = models.CharField(
        _("状态"), max_length=20, choices=VetoStatus.choices, default=VetoStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("一票否决")
        verbose_name_plural = _("一票否决")

    def __str__(self) -> str:
        return f"{self.subject} {self.category}"


class AppealStatus(models.TextChoices):
    PENDING = "pending", _("待处理")
    UPHELD = "upheld", _("申诉成立")
    REJECTED = "rejected", _("维持原结果")


class Appeal(models.Model):
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="appeals")
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    filed_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(_("申诉理由"), max_length=5000)
    status = models.CharField(
        _("状态"), max_length=20, choices=AppealStatus.choices, default=AppealStatus.PENDING
    )
    decision = models.TextField(_("处理意见"), max_length=5000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("filed_at",)
        verbose_name = _("申诉")
        verbose_name_plural = _("申诉")

    def __str__(self) -> str:
        return f"{self.subject} 申诉"
