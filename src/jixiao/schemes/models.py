"""Assessment schemes (考核方案) and their immutable versions.

The TOML text of a version is the source of truth and is never edited in place:
saving changes creates the next version, so a year that pinned an earlier one
keeps scoring exactly as it did.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Scheme(models.Model):
    org = models.ForeignKey(
        "organisation.Unit", on_delete=models.PROTECT, related_name="assessment_schemes"
    )
    code = models.SlugField(_("编码"), max_length=100)
    name = models.CharField(_("名称"), max_length=200)
    preset = models.CharField(_("来源预设"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ("code",)
        verbose_name = _("考核方案")
        verbose_name_plural = _("考核方案")
        constraints = [
            models.UniqueConstraint(fields=("org", "code"), name="scheme_code_unique_in_org"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def latest(self) -> SchemeVersion | None:
        return self.versions.order_by("-number").first()


class SchemeVersion(models.Model):
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    source_text = models.TextField(_("方案内容（TOML）"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("scheme", "-number")
        verbose_name = _("方案版本")
        verbose_name_plural = _("方案版本")
        constraints = [
            models.UniqueConstraint(fields=("scheme", "number"), name="scheme_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.scheme.name} v{self.number}"

    def parsed(self):
        """The engine's Scheme for this version (validated when it was saved), parsed once
        per process: every page and aggregation that walks the tree asks for it."""
        return _parse(self.source_text, f"scheme {self.scheme_id} v{self.number}")


@functools.lru_cache(maxsize=64)
def _parse(source_text: str, source: str):
    # Keyed on the text itself: a version's text never changes, and a cache keyed on the
    # text cannot serve a stale tree. The engine's Scheme is immutable, so it can be shared.
    from jixiao.engine import load_scheme_text

    return load_scheme_text(source_text, source=source)
