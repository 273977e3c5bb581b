"""Assessment years (考核年度) and their periods, and which scheme each year uses.

A year pins scheme *versions*: editing a scheme later creates a new version and
never changes a past year's results.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodKind(models.TextChoices):
    DEKAD = "dekad", _("旬")
    MONTH = "month", _("月")
    QUARTER = "quarter", _("季度")
    HALF = "half", _("半年")
    YEAR = "year", _("年度")


class SubjectKind(models.TextChoices):
    """What a scheme assesses; a year may use a different scheme for each."""

    ORGANISATION = "organisation", _("乡镇/部门")
    UNIT = "unit", _("科室/站所/村居")
    TASK_FORCE = "task_force", _("指挥组")
    PERSON = "person", _("个人")


class AssessmentYear(models.Model):
    org = models.ForeignKey(
        "organisation.Unit", on_delete=models.PROTECT, related_name="assessment_years"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    name = models.CharField(_("名称"), max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-year",)
        verbose_name = _("考核年度")
        verbose_name_plural = _("考核年度")
        constraints = [
            models.UniqueConstraint(fields=("org", "year"), name="one_assessment_year_per_org"),
        ]

    def __str__(self) -> str:
        return self.name


class Period(models.Model):
    year = models.ForeignKey(AssessmentYear, on_delete=models.CASCADE, related_name="periods")
    kind = models.CharField(_("类型"), max_length=10, choices=PeriodKind.choices)
    number = models.PositiveSmallIntegerField(_("序号"))  # dekad 1–36, month 1–12, quarter 1–4…
    name = models.CharField(_("名称"), max_length=40)
    start = models.DateField(_("开始"))
    end = models.DateField(_("结束"))

    class Meta:
        ordering = ("start", "-end")
        verbose_name = _("考核周期")
        verbose_name_plural = _("考核周期")
        constraints = [
            models.UniqueConstraint(fields=("year", "kind", "number"), name="period_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class YearScheme(models.Model):
    """The scheme version a year applies to one kind of subject."""

    year = models.ForeignKey(AssessmentYear, on_delete=models.CASCADE, related_name="schemes")
    subject_kind = models.CharField(_("考核对象"), max_length=20, choices=SubjectKind.choices)
    scheme_version = models.ForeignKey(
        "schemes.SchemeVersion", on_delete=models.PROTECT, related_name="year_uses"
    )

    class Meta:
        verbose_name = _("年度方案")
        verbose_name_plural = _("年度方案")
        constraints = [
            models.UniqueConstraint(fields=("year", "subject_kind"), name="one_scheme_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.year.name} {self.get_subject_kind_display()}：{self.scheme_version}"


class DayKind(models.TextChoices):
    """A calendar exception: a weekday off, or a weekend worked in exchange (调休)."""

    HOLIDAY = "holiday", _("放假")
    WORKDAY = "workday", _("调休上班")


class CalendarException(models.Model):
    """One day of the organisation's working calendar that differs from Monday–Friday.

    Per organisation rather than per year: a notice published on 30 December ends in
    the next year, and a county may give its townships a local day off.
    """

    org = models.ForeignKey(
        "organisation.Unit", on_delete=models.PROTECT, related_name="calendar_exceptions"
    )
    date = models.DateField(_("日期"))
    kind = models.CharField(_("类型"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("名称"), max_length=40)

    class Meta:
        ordering = ("date",)
        verbose_name = _("工作日历调整")
        verbose_name_plural = _("工作日历调整")
        constraints = [
            models.UniqueConstraint(fields=("org", "date"), name="one_calendar_exception_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}（{self.get_kind_display()}）"
