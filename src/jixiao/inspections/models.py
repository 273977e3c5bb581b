"""察访核验 / 督查: inspection records forming a deduction ledger per unit, and site photos.

The ledger stores each finding's points as recorded; the scheme's cap (察访核验
扣满3分为止) is applied by the engine when the period is scored, so the ledger
always shows what was found and the breakdown shows what counted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class InspectionKind(models.TextChoices):
    ANNOUNCED = "announced", _("明察")
    UNANNOUNCED = "unannounced", _("暗访")


class Inspection(models.Model):
    year = models.ForeignKey("years.AssessmentYear", on_delete=models.CASCADE, related_name="+")
    org = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.PROTECT, related_name="inspections"
    )
    person = models.ForeignKey(
        "organisation.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    kind = models.CharField(_("方式"), max_length=20, choices=InspectionKind.choices)
    date = models.DateField(_("日期"))
    finding = models.TextField(_("发现问题"), max_length=2000)
    # The scheme node whose ledger this deduction feeds, e.g. "inspection".
    node = models.CharField(_("扣分项"), max_length=200)
    points = models.DecimalField(_("扣分"), max_digits=6, decimal_places=2)
    evidence = models.ManyToManyField("evidence.Evidence", blank=True, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    voided = models.BooleanField(_("已撤销"), default=False)
    void_reason = models.CharField(_("撤销理由"), max_length=300, blank=True)

    class Meta:
        ordering = ("-date", "-pk")
        verbose_name = _("察访核验记录")
        verbose_name_plural = _("察访核验记录")

    def __str__(self) -> str:
        return f"{self.date} {self.unit} −{self.points}"


class ProjectSite(models.Model):
    """A project site inspected repeatedly (001: 项目前后两个月的对比)."""

    org = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("项目名称"), max_length=200)
    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("项目现场")
        verbose_name_plural = _("项目现场")

    def __str__(self) -> str:
        return self.name


class SiteVisit(models.Model):
    site = models.ForeignKey(ProjectSite, on_delete=models.CASCADE, related_name="visits")
    period = models.ForeignKey("years.Period", on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("日期"))
    progress_note = models.TextField(_("进展情况"), max_length=2000)
    figure = models.DecimalField(
        _("形象进度（%）"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    photos = models.ManyToManyField("evidence.Evidence", blank=True, related_name="+")

    class Meta:
        ordering = ("date",)
        verbose_name = _("现场巡查")
        verbose_name_plural = _("现场巡查")

    def __str__(self) -> str:
        return f"{self.site} {self.date}"
