"""An append-only record of who changed what, when, from what to what.

Score changes, publications and permission changes all land here. It never
names a peer-ballot or survey response: those services record only that a
round was opened or closed, never a rater.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("操作人"),
    )
    org = models.ForeignKey(
        "organisation.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("操作"), max_length=60)
    object_type = models.CharField(_("对象类型"), max_length=60)
    object_id = models.CharField(_("对象"), max_length=60, blank=True)
    summary = models.CharField(_("摘要"), max_length=300, blank=True)
    before = models.JSONField(_("修改前"), null=True, blank=True)
    after = models.JSONField(_("修改后"), null=True, blank=True)

    class Meta:
        ordering = ("-at", "-id")
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        # The log page filters by organisation and lists newest first.
        indexes = [models.Index(fields=["org", "-at"], name="audit_org_at_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"
