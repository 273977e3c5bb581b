"""Annual targets (绩效目标), their decomposition to units and people, and milestones."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Target(models.Model):
    year = models.ForeignKey(
        "years.AssessmentYear", on_delete=models.PROTECT, related_name="targets"
    )
    org = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("编号"), max_length=50)
    title = models.CharField(_("目标内容"), max_length=300)
    measures = models.TextField(_("工作措施"), blank=True)
    deadline = models.DateField(_("完成时限"), null=True, blank=True)
    expected_result = models.TextField(_("预期效果"), blank=True)
    target_value = models.DecimalField(
        _("目标值"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    measure_unit = models.CharField(_("计量单位"), max_length=20, blank=True)
    weight = models.DecimalField(
        _("权重/分值"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    # The scheme node this target feeds, e.g. "indicators.livelihood" or "tasks".
    indicator = models.CharField(_("对应指标"), max_length=200, blank=True)
    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        related_name="targets",
        verbose_name=_("责任单位"),
    )

    class Meta:
        ordering = ("code",)
        verbose_name = _("绩效目标")
        verbose_name_plural = _("绩效目标")
        constraints = [
            models.UniqueConstraint(fields=("year", "code"), name="target_code_unique_in_year"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Responsibility(models.TextChoices):
    PRINCIPAL_LEADER = "principal_leader", _("主管领导")
    SUPERVISING_LEADER = "supervising_leader", _("分管领导")
    SECTION_HEAD = "section_head", _("科室负责人")
    HANDLER = "handler", _("承办人")


class Assignment(models.Model):
    """A person's responsibility for a target (002 篇四: 主管/分管/科室负责人/承办人)."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="assignments")
    person = models.ForeignKey(
        "organisation.Person", on_delete=models.PROTECT, related_name="assignments"
    )
    responsibility = models.CharField(_("责任"), max_length=30, choices=Responsibility.choices)

    class Meta:
        ordering = ("target", "responsibility", "person")
        verbose_name = _("责任分工")
        verbose_name_plural = _("责任分工")
        constraints = [
            models.UniqueConstraint(
                fields=("target", "person", "responsibility"), name="assignment_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target.code} {self.get_responsibility_display()} {self.person.name}"


class Milestone(models.Model):
    """What is due by the end of a month or dekad."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="milestones")
    period = models.ForeignKey("years.Period", on_delete=models.PROTECT, related_name="+")
    description = models.CharField(_("节点要求"), max_length=300)
    planned_value = models.DecimalField(
        _("计划值"), max_digits=14, decimal_places=4, null=True, blank=True
    )

    class Meta:
        ordering = ("period__start",)
        verbose_name = _("进度节点")
        verbose_name_plural = _("进度节点")
        constraints = [
            models.UniqueConstraint(fields=("target", "period"), name="milestone_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.target.code} {self.period.name}：{self.description}"
