"""Database models for assessment schemes."""

from django.db import models


class Scheme(models.Model):
    """One assessment scheme; ``source_text`` is the TOML the engine parses.

    The TOML text is the source of truth: name and version are copies kept in
    columns only so lists can show and sort them without parsing every scheme.
    """

    code = models.SlugField("编码", max_length=100, unique=True)
    name = models.CharField("名称", max_length=200)
    version = models.CharField("版本", max_length=50)
    source_text = models.TextField("方案内容（TOML）")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        ordering = ("code",)
        verbose_name = "考核方案"
        verbose_name_plural = "考核方案"

    def __str__(self) -> str:
        return f"{self.name}（{self.code} {self.version}）"
