"""整改 (rectification): one item per weak spot, with an owner, a deadline and evidence.

An item comes from a weak indicator (an assessed subject's node scoring below a
threshold or below the average) or from an inspection finding, or is entered by
the office directly. The owner reports it done (submitted); the office closes it
with a note or reopens it. Items still open at the end of the year are carried
into next year's targets (``carried_to``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    INDICATOR = "indicator", _("薄弱指标")
    INSPECTION = "inspection", _("察访核验")
    OTHER = "other", _("其他")


class ItemStatus(models.TextChoices):
    OPEN = "open", _("整改中")
    SUBMITTED = "submitted", _("待验收")
    CLOSED = "closed", _("已销号")
    REOPENED = "reopened", _("退回整改")


# Statuses in which the owner still has to act.
ACTIVE = (ItemStatus.OPEN, ItemStatus.REOPENED)
NOT_CLOSED = (ItemStatus.OPEN, ItemStatus.REOPENED, ItemStatus.SUBMITTED)


class RectificationItem(models.Model):
    org = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+")
    year = models.ForeignKey(
        "years.AssessmentYear", on_delete=models.PROTECT, related_name="rectification_items"
    )
    source = models.CharField(_("来源"), max_length=20, choices=Source.choices)
    subject = models.ForeignKey(
        "assessments.Subject",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rectification_items",
    )
    node = models.CharField(_("指标"), max_length=200, blank=True)
    node_name = models.CharField(_("指标名称"), max_length=200, blank=True)
    # What made the indicator weak, as it was when the item was raised.
    score = models.DecimalField(_("得分"), max_digits=10, decimal_places=4, null=True, blank=True)
    average = models.DecimalField(
        _("平均分"), max_digits=10, decimal_places=4, null=True, blank=True
    )
    inspection = models.ForeignKey(
        "inspections.Inspection",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rectification_items",
    )
    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        related_name="rectification_items",
        verbose_name=_("责任单位"),
    )
    owner = models.ForeignKey(
        "organisation.Person",
        on_delete=models.PROTECT,
        related_name="rectification_items",
        verbose_name=_("责任人"),
    )
    problem = models.TextField(_("存在问题"), max_length=2000)
    measures = models.TextField(_("整改措施"), max_length=4000, blank=True)
    deadline = models.DateField(_("整改时限"))
    status = models.CharField(
        _("状态"), max_length=20, choices=ItemStatus.choices, default=ItemStatus.OPEN
    )
    evidence = models.ManyToManyField("evidence.Evidence", blank=True, related_name="+")
    submission_note = models.TextField(_("整改情况"), max_length=4000, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    review_note = models.TextField(_("验收意见"), max_length=2000, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    carried_to = models.ForeignKey(
        "targets.Target",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("转入目标"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("deadline", "pk")
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改事项")

    def __str__(self) -> str:
        return f"{self.unit} {self.problem[:30]}"

    def is_overdue(self, today=None) -> bool:
        """Past its deadline with the owner still to act (a submitted item waits on the office)."""
        today = today or timezone.localdate()
        return self.status in ACTIVE and self.deadline < today

    @property
    def overdue(self) -> bool:
        return self.is_overdue()
