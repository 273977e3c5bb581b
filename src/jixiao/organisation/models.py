"""Units, people, task forces and who may do what.

The tenancy boundary is the *organisation*: a township (乡/镇) or a county bureau
(局), the level at which a performance office (绩效办) runs the year. Every unit
below it carries a pointer to it (``org``) so every query can be scoped with one
indexed filter, and nobody ever sees another organisation's rows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    COUNTY = "county", _("县")
    TOWNSHIP = "township", _("乡镇")
    BUREAU = "bureau", _("局")
    SECTION = "section", _("科室")
    STATION = "station", _("站所")
    VILLAGE = "village", _("村")
    COMMITTEE = "committee", _("居委会")


ORGANISATION_KINDS = (UnitKind.TOWNSHIP, UnitKind.BUREAU)


class Unit(models.Model):
    """A node of the unit tree: county → township or bureau → section, station, village…"""

    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # The township or bureau this unit belongs to; itself for a township or bureau,
    # empty for the county above them.
    org = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=UnitKind.choices)
    name = models.CharField(_("名称"), max_length=100)
    code = models.CharField(_("编码"), max_length=50)
    sort = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ("sort", "code")
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        constraints = [
            models.UniqueConstraint(fields=("org", "code"), name="unit_code_unique_in_org"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_organisation(self) -> bool:
        return self.kind in ORGANISATION_KINDS


class Person(models.Model):
    """Someone who holds a post: assessed, scoring, or responsible for targets.

    A person need not have a login (many village cadres never will); ``user`` links
    the two when they do.
    """

    org = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="people")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="staff", verbose_name=_("所在单位")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    name = models.CharField(_("姓名"), max_length=50)
    post = models.CharField(_("职务"), max_length=100, blank=True)
    code = models.CharField(_("工号"), max_length=50)
    is_active = models.BooleanField(_("在职"), default=True)

    class Meta:
        ordering = ("unit__sort", "code")
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        constraints = [
            models.UniqueConstraint(fields=("org", "code"), name="person_code_unique_in_org"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.post}）" if self.post else self.name


class TaskForce(models.Model):
    """A command group (指挥组) that cuts across units, with a leader and members."""

    org = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="task_forces")
    name = models.CharField(_("名称"), max_length=100)
    leader = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="led_task_forces", verbose_name=_("组长")
    )
    members = models.ManyToManyField(Person, related_name="task_forces", verbose_name=_("组员"))

    class Meta:
        ordering = ("name",)
        verbose_name = _("指挥组")
        verbose_name_plural = _("指挥组")
        constraints = [
            models.UniqueConstraint(fields=("org", "name"), name="taskforce_name_unique_in_org"),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    OFFICE = "office", _("绩效办管理员")
    REVIEWER = "reviewer", _("领导小组成员")
    PRINCIPAL_LEADER = "principal_leader", _("主管领导")
    SUPERVISING_LEADER = "supervising_leader", _("分管领导")
    SECTION_HEAD = "section_head", _("科室负责人")
    HANDLER = "handler", _("承办人")
    CADRE = "cadre", _("干部")


# Roles that read everything in their organisation.
READ_ALL_ROLES = frozenset({Role.OFFICE, Role.REVIEWER, Role.PRINCIPAL_LEADER})


class RoleGrant(models.Model):
    """A user holds a role in one organisation; a section head also names the section."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_grants"
    )
    org = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("角色"), max_length=30, choices=Role.choices)
    unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="unit_role_grants",
        verbose_name=_("负责单位"),
    )

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        constraints = [
            models.UniqueConstraint(
                fields=("user", "org", "role", "unit"), name="role_grant_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"
