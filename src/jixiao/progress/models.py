"""过程控制: monthly plans, progress reports by dekad or month, and their evidence.

"以日保周、以旬保月、以月保季、以季保年": a fact is typed once, at the finest
period it is reported for; coarser periods are derived from it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已报送")
    CLOSED = "closed", _("已结账")  # month-end completion recorded


class MonthlyPlan(models.Model):
    """A unit's or task force's plan for one month (月初报计划, 月底记完成)."""

    year = models.ForeignKey("years.AssessmentYear", on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey("years.Period", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        "organisation.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    task_force = models.ForeignKey(
        "organisation.TaskForce",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plans",
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("月度计划")
        verbose_name_plural = _("月度计划")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(unit__isnull=False, task_force__isnull=True)
                | models.Q(unit__isnull=True, task_force__isnull=False),
                name="plan_has_one_owner",
            ),
            models.UniqueConstraint(fields=("period", "unit"), name="one_plan_per_unit_month"),
            models.UniqueConstraint(
                fields=("period", "task_force"), name="one_plan_per_task_force_month"
            ),
        ]

    def __str__(self) -> str:
        owner = self.unit or self.task_force
        return f"{owner} {self.period.name}计划"


class PlanItem(models.Model):
    plan = models.ForeignKey(MonthlyPlan, on_delete=models.CASCADE, related_name="items")
    target = models.ForeignKey(
        "targets.Target", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    description = models.CharField(_("计划事项"), max_length=300)
    sort = models.PositiveSmallIntegerField(default=0)
    # Recorded at month end.
    completion = models.PositiveSmallIntegerField(_("完成度（%）"), null=True, blank=True)
    note = models.CharField(_("完成情况说明"), max_length=300, blank=True)

    class Meta:
        ordering = ("sort", "pk")
        verbose_name = _("计划事项")
        verbose_name_plural = _("计划事项")

    def __str__(self) -> str:
        return self.description


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已报送")
    ACCEPTED = "accepted", _("已审核")
    RETURNED = "returned", _("退回修改")


class ProgressReport(models.Model):
    """A handler's report on one target for one dekad or month."""

    target = models.ForeignKey(
        "targets.Target", on_delete=models.CASCADE, related_name="progress_reports"
    )
    period = models.ForeignKey("years.Period", on_delete=models.PROTECT, related_name="+")
    reporter = models.ForeignKey(
        "organisation.Person", on_delete=models.PROTECT, related_name="progress_reports"
    )
    value = models.DecimalField(_("完成值"), max_digits=14, decimal_places=4, null=True, blank=True)
    narrative = models.TextField(_("进展情况"), max_length=2000)
    evidence = models.ManyToManyField("evidence.Evidence", blank=True, related_name="+")
    status = models.CharField(
        _("状态"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.SUBMITTED
    )
    review_note = models.CharField(_("审核意见"), max_length=300, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("period__start",)
        verbose_name = _("进度报告")
        verbose_name_plural = _("进度报告")
        constraints = [
            models.UniqueConstraint(fields=("target", "period"), name="one_report_per_period"),
        ]

    def __str__(self) -> str:
        return f"{self.target.code} {self.period.name}"
