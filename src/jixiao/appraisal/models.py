"""公众评议 (public appraisal), as 002 篇一 and 篇三 describe it.

A respondent frame (抽样框) lists the people who may be asked: NPC deputies, business
owners, urban and rural residents, each with a stratum (类别) and a phone number.
A round (e.g. the July round) draws a stratified sample from a frame, collects
answers to a questionnaire by phone, face to face, or on a mobile page opened with
a single-use code, and turns them into a satisfaction index per unit that feeds
the scheme's ``public`` node for the round's period.

Anonymity is structural, as for peer ballots: a ``Response`` row holds only the
round, the stratum, the collection mode and the answers, under a random UUID key —
no code, no respondent, no user, no IP, no time. What links a person to the round
(``SampleMember``, ``CallAttempt``, ``InvitationCode``) says whether they answered,
never what they answered.

Phone numbers are personal data: stored encrypted (``phone_encrypted``, see
``appraisal/crypto.py``), matched through a keyed hash (``phone_digest``) so that
importing the same file twice changes nothing, and shown masked; every view or
export of a full number is audited.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RespondentFrame(models.Model):
    org = models.ForeignKey("organisation.Unit", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("名称"), max_length=100)
    # The columns of the imported sheet, in order (the CSV export writes them back).
    columns = models.JSONField(_("列"), default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-pk",)
        verbose_name = _("抽样框")
        verbose_name_plural = _("抽样框")
        constraints = [
            models.UniqueConstraint(fields=("org", "name"), name="one_frame_name_per_org"),
        ]

    def __str__(self) -> str:
        return self.name


class Respondent(models.Model):
    frame = models.ForeignKey(RespondentFrame, on_delete=models.CASCADE, related_name="respondents")
    stratum = models.CharField(_("类别"), max_length=50)  # 人大代表 / 企业主 / 城镇居民 / 农村居民
    village = models.CharField(_("村（社区）"), max_length=50, blank=True)
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone_encrypted = models.TextField(_("电话（加密）"))
    # Keyed hash of the normalised number: finds the same person on a re-import
    # without decrypting every row.
    phone_digest = models.CharField(max_length=64)
    phone_last4 = models.CharField(_("电话后四位"), max_length=4)  # for the masked display
    extra = models.JSONField(_("其他列"), default=dict, blank=True)
    active = models.BooleanField(_("可抽取"), default=True)

    class Meta:
        ordering = ("pk",)
        verbose_name = _("受访对象")
        verbose_name_plural = _("受访对象")
        constraints = [
            models.UniqueConstraint(
                fields=("frame", "phone_digest"), name="one_respondent_per_phone_in_frame"
            ),
        ]
        indexes = [models.Index(fields=("frame", "stratum"))]

    def __str__(self) -> str:
        return f"{self.stratum} ****{self.phone_last4}"


class Questionnaire(models.Model):
    org = models.ForeignKey("organisation.Unit", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("名称"), max_length=100)
    intro = models.TextField(_("开场白"), max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-pk",)
        verbose_name = _("问卷")
        verbose_name_plural = _("问卷")

    def __str__(self) -> str:
        return self.name


class QuestionKind(models.TextChoices):
    SCALE = "scale", _("五级满意度")
    SINGLE = "single", _("单选")
    MULTIPLE = "multiple", _("多选")
    TEXT = "text", _("文字")


class Question(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    order = models.PositiveSmallIntegerField(_("序号"))
    kind = models.CharField(_("题型"), max_length=10, choices=QuestionKind.choices)
    text = models.CharField(_("题目"), max_length=300)
    options = models.JSONField(_("选项"), default=list, blank=True)  # single / multiple
    required = models.BooleanField(_("必答"), default=True)
    # The unit a satisfaction item is about; its scale answers make that unit's index.
    unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("评议单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ("order", "pk")
        verbose_name = _("题目")
        verbose_name_plural = _("题目")
        constraints = [
            models.UniqueConstraint(
                fields=("questionnaire", "order"), name="one_question_per_order"
            ),
        ]

    def __str__(self) -> str:
        return self.text


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("准备中")
    COLLECTING = "collecting", _("调查中")
    CLOSED = "closed", _("已结束")


class Allocation(models.TextChoices):
    PROPORTIONAL = "proportional", _("按比例分配（最大余数法）")
    QUOTA = "quota", _("固定配额")


class AppraisalRound(models.Model):
    org = models.ForeignKey("organisation.Unit", on_delete=models.CASCADE, related_name="+")
    year = models.ForeignKey(
        "years.AssessmentYear", on_delete=models.CASCADE, related_name="appraisal_rounds"
    )
    # The period whose assessments take this round's index (e.g. the half-year for July).
    period = models.ForeignKey("years.Period", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("名称"), max_length=100)
    frame = models.ForeignKey(RespondentFrame, on_delete=models.PROTECT, related_name="rounds")
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="rounds"
    )
    node = models.CharField(_("对应指标"), max_length=200, default="public")
    status = models.CharField(
        _("状态"), max_length=20, choices=RoundStatus.choices, default=RoundStatus.DRAFT
    )
    sample_size = models.PositiveIntegerField(_("样本量"), default=600)
    stratify_by = models.CharField(_("分层依据"), max_length=50, default="stratum")
    allocation_method = models.CharField(
        _("分配方式"), max_length=20, choices=Allocation.choices, default=Allocation.PROPORTIONAL
    )
    quotas = models.JSONField(_("配额"), default=dict, blank=True)  # stratum → count
    allocation = models.JSONField(_("各层样本量"), default=dict, blank=True)  # as drawn
    seed = models.CharField(_("随机种子"), max_length=64, blank=True)
    # Answer level → points on the 0–100 index; default in services.DEFAULT_POINTS.
    points = models.JSONField(_("档次分值"), default=dict, blank=True)
    min_group = models.PositiveSmallIntegerField(_("最少公布样本"), default=5)
    drawn_at = models.DateTimeField(_("抽样时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        ordering = ("-pk",)
        verbose_name = _("评议轮次")
        verbose_name_plural = _("评议轮次")

    def __str__(self) -> str:
        return self.name


class Disposition(models.TextChoices):
    PENDING = "pending", _("待联系")
    COMPLETED = "completed", _("已完成")
    REFUSED = "refused", _("拒访")
    NO_ANSWER = "no_answer", _("无人接听")
    WRONG_NUMBER = "wrong_number", _("空号错号")
    CALLBACK = "callback", _("约定回访")
    REPLACED = "replaced", _("已替换")


class SampleMember(models.Model):
    """One drawn respondent in a round. Unique per round: nobody is drawn twice."""

    round = models.ForeignKey(AppraisalRound, on_delete=models.CASCADE, related_name="members")
    respondent = models.ForeignKey(Respondent, on_delete=models.PROTECT, related_name="+")
    stratum = models.CharField(_("类别"), max_length=50)
    position = models.PositiveIntegerField(_("抽取顺序"))
    replaces = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by"
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=Disposition.choices, default=Disposition.PENDING
    )
    callback_at = models.DateTimeField(_("回访时间"), null=True, blank=True)
    # A short claim while an interviewer calls (the call list is shared): who is
    # calling until when — never what was answered. Free again once expired.
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("联系人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    claimed_until = models.DateTimeField(_("联系截止"), null=True, blank=True)

    class Meta:
        ordering = ("position",)
        verbose_name = _("样本")
        verbose_name_plural = _("样本")
        constraints = [
            models.UniqueConstraint(fields=("round", "respondent"), name="drawn_once_per_round"),
            models.UniqueConstraint(fields=("round", "position"), name="one_member_per_position"),
        ]

    def __str__(self) -> str:
        return f"{self.round} #{self.position}"


class CallAttempt(models.Model):
    """One phone call or visit to a sample member: the disposition, never the answers."""

    member = models.ForeignKey(SampleMember, on_delete=models.CASCADE, related_name="attempts")
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    disposition = models.CharField(_("结果"), max_length=20, choices=Disposition.choices)
    callback_at = models.DateTimeField(_("回访时间"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        ordering = ("at", "pk")
        verbose_name = _("访问记录")
        verbose_name_plural = _("访问记录")

    def __str__(self) -> str:
        return f"{self.member} {self.get_disposition_display()}"


class InvitationCode(models.Model):
    """A single-use code printed on a paper invitation (with its QR code).

    Only a hash of the code is stored: the printed sheet is the one place the code
    exists. ``used`` turns true in the same transaction that stores the response,
    and the response keeps no trace of the code.
    """

    round = models.ForeignKey(AppraisalRound, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64, unique=True)
    stratum = models.CharField(_("类别"), max_length=50)
    member = models.OneToOneField(
        SampleMember, on_delete=models.CASCADE, null=True, blank=True, related_name="code"
    )
    used = models.BooleanField(_("已使用"), default=False)

    class Meta:
        verbose_name = _("邀请码")
        verbose_name_plural = _("邀请码")

    def __str__(self) -> str:
        return f"{self.round} · {self.stratum}"


class Mode(models.TextChoices):
    WEB = "web", _("扫码作答")
    PHONE = "phone", _("电话访问")
    FACE = "face", _("入户面访")


class Response(models.Model):
    """One anonymous questionnaire: question id (str) → answer in ``answers``."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(AppraisalRound, on_delete=models.CASCADE, related_name="responses")
    stratum = models.CharField(_("类别"), max_length=50)
    mode = models.CharField(_("方式"), max_length=10, choices=Mode.choices)
    # scale: 1–5 (5 = 非常满意); single: option index; multiple: [indexes]; text: str.
    answers = models.JSONField(_("答案"), default=dict)

    class Meta:
        verbose_name = _("答卷")
        verbose_name_plural = _("答卷")

    def __str__(self) -> str:
        return f"{self.round} · {self.stratum}"
