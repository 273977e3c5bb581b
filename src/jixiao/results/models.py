"""Published results: the monthly task-force competition as posted (公示上墙)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CompetitionPublication(models.Model):
    """The month's competition as the office published it.

    A snapshot, not a live view: what was posted on the wall stays what it was
    even if a later appeal changes a total; the office republishes to update it
    (audited with before and after).
    """

    org = models.ForeignKey(
        "organisation.Unit", on_delete=models.PROTECT, related_name="competition_publications"
    )
    period = models.OneToOneField(
        "years.Period", on_delete=models.PROTECT, related_name="competition_publication"
    )
    result = models.JSONField(_("评比结果"))  # CompetitionResult.to_json()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("发布时间"))

    class Meta:
        ordering = ("-period__start",)
        verbose_name = _("指挥组月度评比")
        verbose_name_plural = _("指挥组月度评比")

    def __str__(self) -> str:
        return f"{self.period} 指挥组评比"
