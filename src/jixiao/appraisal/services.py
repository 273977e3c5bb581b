"""Writes for the office side of public appraisal (公众评议).

Respondent frames are imported all-or-nothing with a per-row report (the dry run
runs the same code and is rolled back); a respondent is matched by the keyed hash
of their phone number, so importing the same file twice changes nothing.
Questionnaires are built from question specs, or from the standard items of
002 篇一. A round records its seed before anything is drawn, so the sample can
be drawn again by anyone with the frame (``jixiao sample``) and compared.

Every state change is audited. The audit log holds who did what to which round,
member or respondent — never a phone number and never an answer.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jixiao.appraisal import sampling
from jixiao.appraisal.crypto import (
    PhoneError,
    phone_decrypt,
    phone_digest,
    phone_encrypt,
    phone_last4,
    phone_mask,
    phone_normalise,
)
from jixiao.appraisal.frames import FrameError, read_frame_numbered
from jixiao.appraisal.models import (
    Allocation,
    AppraisalRound,
    CallAttempt,
    Disposition,
    Question,
    QuestionKind,
    Questionnaire,
    Respondent,
    RespondentFrame,
    RoundStatus,
    SampleMember,
)
from jixiao.appraisal.responses import responses_reshuffle
from jixiao.audit.services import audit_record
from jixiao.organisation.models import Unit
from jixiao.organisation.selectors import user_name
from jixiao.spreadsheets import Column, ImportReport, RowResult, Sheet, Status, export_workbook
from jixiao.years.models import AssessmentYear, Period

# --- respondent frames ----------------------------------------------------------------

STRATUM_HEADER = "类别"
PHONE_HEADER = "电话"
NAME_HEADER = "姓名"
# 002 says 村（社区）; people also type 村, or the parentheses half-width.
VILLAGE_HEADERS = ("村（社区）", "村(社区)", "村")
REQUIRED_HEADERS = (STRATUM_HEADER, PHONE_HEADER)
PHONE_WORDS = ("电话", "手机", "号码")
MAX_TEXT = 50


@dataclass
class FrameImport:
    """The outcome of an import: the per-row report and, once applied, the frame."""

    report: ImportReport
    frame: RespondentFrame | None = None
    headers: list[str] = field(default_factory=list)


def _frame_headers(headers: Sequence[str]) -> str | None:
    """The village column's header, after checking the required columns are there."""
    missing = [h for h in REQUIRED_HEADERS if h not in headers]
    if missing:
        raise FrameError(
            _("缺少必填列：%(columns)s（第 1 行应为列名）") % {"columns": "、".join(missing)}
        )
    return next((h for h in VILLAGE_HEADERS if h in headers), None)


def _is_phone_column(header: str) -> bool:
    """A second number column (备用电话, 手机…) would sit in ``extra`` in clear: dropped."""
    return header != PHONE_HEADER and any(word in header for word in PHONE_WORDS)


@dataclass(frozen=True)
class _Row:
    stratum: str
    village: str
    name: str
    digest: str
    last4: str
    phone: str
    extra: dict


def _parse_row(values: Mapping[str, str], village_header: str | None) -> tuple[_Row | None, list]:
    errors: list[str] = []
    stratum = (values.get(STRATUM_HEADER) or "").strip()
    if not stratum:
        errors.append(_("类别：必填"))
    elif len(stratum) > MAX_TEXT:
        errors.append(_("类别：不能超过 %(n)d 个字") % {"n": MAX_TEXT})
    raw_phone = (values.get(PHONE_HEADER) or "").strip()
    phone = ""
    if not raw_phone:
        errors.append(_("电话：必填"))
    else:
        try:
            phone = phone_normalise(raw_phone)
        except PhoneError as exc:
            errors.append(_("电话：%(message)s") % {"message": exc})
    village = (values.get(village_header) or "").strip() if village_header else ""
    name = (values.get(NAME_HEADER) or "").strip()
    for label, value in ((_("村（社区）"), village), (_("姓名"), name)):
        if len(value) > MAX_TEXT:
            errors.append(_("%(label)s：不能超过 %(n)d 个字") % {"label": label, "n": MAX_TEXT})
    if errors:
        return None, errors
    known = {STRATUM_HEADER, PHONE_HEADER, NAME_HEADER, village_header}
    extra = {
        k: v
        for k, v in values.items()
        if k not in known and not _is_phone_column(k) and v not in ("", None)
    }
    row = _Row(
        stratum=stratum,
        village=village,
        name=name,
        digest=phone_digest(phone),
        last4=phone_last4(phone),
        phone=phone,
        extra=extra,
    )
    return row, []


def frame_import(
    *,
    actor,
    org: Unit,
    name: str,
    data: bytes,
    filename: str,
    dry_run: bool = True,
) -> FrameImport:
    """Import a respondent list into the organisation's frame called ``name``.

    Creates the frame if needed. A row whose phone number is already in the frame
    updates that respondent (or leaves it unchanged); respondents absent from the
    file stay as they are. Any row in error: nothing is saved. Raises ``FrameError``
    for a file that cannot be read at all.
    """
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写抽样框名称")})
    if len(name) > 100:
        raise ValidationError({"name": _("抽样框名称不能超过 100 个字")})
    headers, rows = read_frame_numbered(data, filename)
    village_header = _frame_headers(headers)
    report = ImportReport(dry_run=dry_run)
    outcome = FrameImport(report=report, headers=list(headers))
    with transaction.atomic():
        frame, created = RespondentFrame.objects.select_for_update().get_or_create(
            org=org, name=name, defaults={"columns": list(headers)}
        )
        existing = {r.phone_digest: r for r in Respondent.objects.filter(frame=frame)}
        seen: dict[str, int] = {}
        results: list[RowResult] = []
        to_create: list[Respondent] = []
        to_update: list[Respondent] = []
        for frame_row in rows:
            number = frame_row.number
            row, errors = _parse_row(frame_row.values, village_header)
            key = phone_mask(row.last4) if row else ""
            if row and row.digest in seen:
                errors = [_("电话：与第 %(row)d 行重复") % {"row": seen[row.digest]}]
            if errors:
                results.append(RowResult(number, key, Status.ERROR, errors))
                continue
            seen[row.digest] = number
            current = existing.get(row.digest)
            if current is None:
                to_create.append(
                    Respondent(
                        frame=frame,
                        stratum=row.stratum,
                        village=row.village,
                        name=row.name,
                        phone_encrypted=phone_encrypt(row.phone),
                        phone_digest=row.digest,
                        phone_last4=row.last4,
                        extra=row.extra,
                    )
                )
                results.append(RowResult(number, key, Status.CREATED))
                continue
            new = {"stratum": row.stratum, "village": row.village, "name": row.name}
            new["extra"] = row.extra
            changed = [f for f, v in new.items() if getattr(current, f) != v]
            if not changed and current.active:
                results.append(RowResult(number, key, Status.UNCHANGED))
                continue
            for field_name, value in new.items():
                setattr(current, field_name, value)
            current.active = True
            to_update.append(current)
            results.append(RowResult(number, key, Status.UPDATED))
        report.rows = results
        if not rows:
            report.warnings.append(_("文件中没有数据行"))
        dropped = [h for h in headers if _is_phone_column(h)]
        if dropped:
            report.warnings.append(
                _("“%(columns)s”列不保存：电话号码只保存“电话”一列（加密）")
                % {"columns": "、".join(dropped)}
            )
        if dry_run or report.has_errors:
            transaction.set_rollback(True)
            return outcome
        Respondent.objects.bulk_create(to_create, batch_size=500)
        Respondent.objects.bulk_update(
            to_update, ["stratum", "village", "name", "extra", "active"], batch_size=500
        )
        if frame.columns != list(headers):
            frame.columns = list(headers)
            frame.save(update_fields=["columns"])
        report.applied = True
        outcome.frame = frame
        if report.changed or created:
            counts = report.counts
            audit_record(
                actor=actor,
                action="appraisal.frame_import",
                obj=frame,
                org=org,
                summary=_("导入抽样框“%(name)s”：新增 %(created)d 人，更新 %(updated)d 人")
                % {
                    "name": name,
                    "created": counts[Status.CREATED.value],
                    "updated": counts[Status.UPDATED.value],
                },
                after={"file": filename, **counts},
            )
    return outcome


# --- questionnaires -------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionSpec:
    kind: str
    text: str
    options: Sequence[str] = ()
    required: bool = True
    unit: Unit | None = None


# The three items 002 篇一 names for 公众评议: "贯彻落实县委、县政府重大决策部署情况，
# 维护群众利益、依法稳妥处理侵害群众利益问题情况，自身建设情况". Stored as data (the
# respondents read Chinese), so not translated.
STANDARD_ITEMS = (
    "您对%(unit)s贯彻落实县委、县政府重大决策部署的情况是否满意？",
    "您对%(unit)s维护群众利益、依法稳妥处理侵害群众利益问题的情况是否满意？",
    "您对%(unit)s自身建设（工作作风、办事效率、服务态度）的情况是否满意？",
)
MAX_QUESTIONS = 200
MAX_OPTIONS = 20


def _clean_questions(org: Unit, questions: Sequence[QuestionSpec]) -> list[QuestionSpec]:
    if not questions:
        raise ValidationError({"questions": _("问卷至少需要一道题")})
    if len(questions) > MAX_QUESTIONS:
        raise ValidationError({"questions": _("问卷最多 %(n)d 道题") % {"n": MAX_QUESTIONS}})
    clean = []
    for number, spec in enumerate(questions, start=1):

        def fail(message: str, number: int = number) -> ValidationError:
            return ValidationError(
                {"questions": _("第 %(n)d 题：%(message)s") % {"n": number, "message": message}}
            )

        if spec.kind not in QuestionKind.values:
            raise fail(_("未知的题型“%(kind)s”") % {"kind": spec.kind})
        text = (spec.text or "").strip()
        if not text:
            raise fail(_("请填写题目"))
        if len(text) > 300:
            raise fail(_("题目不能超过 300 个字"))
        options = [str(o).strip() for o in spec.options if str(o).strip()]
        if spec.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            if len(options) < 2:
                raise fail(_("选择题至少需要两个选项"))
            if len(options) > MAX_OPTIONS:
                raise fail(_("选项不能超过 %(n)d 个") % {"n": MAX_OPTIONS})
            if len(set(options)) != len(options):
                raise fail(_("选项不能重复"))
            if any(len(o) > 100 for o in options):
                raise fail(_("每个选项不能超过 100 个字"))
        else:
            options = []  # a scale has its five fixed levels; text has none
        unit = spec.unit
        if unit is not None and unit.org_id != org.pk:
            raise fail(_("评议单位“%(unit)s”不属于本单位") % {"unit": unit.name})
        if unit is not None and spec.kind != QuestionKind.SCALE:
            unit = None  # only satisfaction items count towards a unit's index
        clean.append(
            QuestionSpec(
                kind=spec.kind, text=text, options=options, required=spec.required, unit=unit
            )
        )
    return clean


def _write_questions(questionnaire: Questionnaire, specs: Sequence[QuestionSpec]) -> None:
    Question.objects.bulk_create(
        Question(
            questionnaire=questionnaire,
            order=order,
            kind=spec.kind,
            text=spec.text,
            options=list(spec.options),
            required=spec.required,
            unit=spec.unit,
        )
        for order, spec in enumerate(specs, start=1)
    )


def _clean_name(name: str, label: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写%(label)s") % {"label": label}})
    if len(name) > 100:
        raise ValidationError({"name": _("%(label)s不能超过 100 个字") % {"label": label}})
    return name


@transaction.atomic
def questionnaire_create(
    *, actor, org: Unit, name: str, intro: str = "", questions: Sequence[QuestionSpec]
) -> Questionnaire:
    name = _clean_name(name, _("问卷名称"))
    specs = _clean_questions(org, questions)
    questionnaire = Questionnaire.objects.create(org=org, name=name, intro=(intro or "").strip())
    _write_questions(questionnaire, specs)
    audit_record(
        actor=actor,
        action="appraisal.questionnaire_create",
        obj=questionnaire,
        org=org,
        summary=_("新建问卷“%(name)s”（%(n)d 道题）") % {"name": name, "n": len(specs)},
        after={"questions": len(specs)},
    )
    return questionnaire


def questionnaire_locked(questionnaire: Questionnaire) -> bool:
    """Answers refer to question ids: once a round collects, the questions are fixed."""
    return questionnaire.rounds.exclude(status=RoundStatus.DRAFT).exists()


@transaction.atomic
def questionnaire_update(
    *,
    actor,
    questionnaire: Questionnaire,
    name: str,
    intro: str = "",
    questions: Sequence[QuestionSpec],
) -> Questionnaire:
    """Rename and replace the questions; refused once a round using it has opened."""
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if questionnaire_locked(questionnaire):
        raise ValidationError({"questions": _("已有评议轮次开始调查，问卷不能再修改")})
    name = _clean_name(name, _("问卷名称"))
    specs = _clean_questions(questionnaire.org, questions)
    before = {"name": questionnaire.name, "questions": questionnaire.questions.count()}
    questionnaire.name = name
    questionnaire.intro = (intro or "").strip()
    questionnaire.save(update_fields=["name", "intro"])
    questionnaire.questions.all().delete()
    _write_questions(questionnaire, specs)
    audit_record(
        actor=actor,
        action="appraisal.questionnaire_update",
        obj=questionnaire,
        org=questionnaire.org,
        summary=_("修改问卷“%(name)s”（%(n)d 道题）") % {"name": name, "n": len(specs)},
        before=before,
        after={"name": name, "questions": len(specs)},
    )
    return questionnaire


def standard_questions(units: Sequence[Unit]) -> list[QuestionSpec]:
    """The three satisfaction items of 002 篇一 for each unit, in the units' order."""
    return [
        QuestionSpec(kind=QuestionKind.SCALE, text=item % {"unit": unit.name}, unit=unit)
        for unit in units
        for item in STANDARD_ITEMS
    ]


def questionnaire_from_template(
    *, actor, org: Unit, name: str, units: Sequence[Unit]
) -> Questionnaire:
    if not units:
        raise ValidationError({"units": _("请至少选择一个评议单位")})
    return questionnaire_create(
        actor=actor,
        org=org,
        name=name,
        intro=_(
            "您好！我们正在开展公众评议，想了解您对以下单位工作的评价。"
            "调查不记名，您的回答只用于统计。"
        ),
        questions=standard_questions(units),
    )


# --- rounds ---------------------------------------------------------------------------


def _frame_strata(frame: RespondentFrame) -> dict[str, list[int]]:
    strata: dict[str, list[int]] = {}
    for pk, stratum in (
        Respondent.objects.filter(frame=frame, active=True)
        .order_by("pk")
        .values_list("pk", "stratum")
    ):
        strata.setdefault(stratum, []).append(pk)
    return strata


def _allocate(
    method: str, sizes: Mapping[str, int], n: int, quotas: Mapping[str, int]
) -> dict[str, int]:
    try:
        if method == Allocation.QUOTA:
            return sampling.allocate_quotas(sizes, quotas)
        return sampling.allocate_proportional(sizes, n)
    except sampling.SamplingError as exc:
        raise ValidationError({"allocation": str(exc)}) from None


def _clean_quotas(quotas: Mapping[str, object] | None) -> dict[str, int]:
    clean: dict[str, int] = {}
    for stratum, value in (quotas or {}).items():
        try:
            count = int(str(value).strip())
        except ValueError:
            count = -1
        if count < 0:
            raise ValidationError(
                {"quotas": _("“%(stratum)s”的配额应为非负整数") % {"stratum": stratum}}
            )
        clean[str(stratum).strip()] = count
    return clean


@transaction.atomic
def round_create(
    *,
    actor,
    org: Unit,
    year: AssessmentYear,
    period: Period,
    name: str,
    frame: RespondentFrame,
    questionnaire: Questionnaire,
    sample_size: int = 600,
    allocation_method: str = Allocation.PROPORTIONAL,
    quotas: Mapping[str, object] | None = None,
    seed: str = "",
    node: str = "public",
    min_group: int = 5,
) -> AppraisalRound:
    """A draft round. The seed is fixed now (a random one when left blank)."""
    name = _clean_name(name, _("轮次名称"))
    if year.org_id != org.pk:
        raise ValidationError({"year": _("考核年度不属于本单位")})
    if period.year_id != year.pk:
        raise ValidationError({"period": _("考核周期不属于所选年度")})
    if frame.org_id != org.pk:
        raise ValidationError({"frame": _("抽样框不属于本单位")})
    if questionnaire.org_id != org.pk:
        raise ValidationError({"questionnaire": _("问卷不属于本单位")})
    if not questionnaire.questions.exists():
        raise ValidationError({"questionnaire": _("问卷还没有题目")})
    if allocation_method not in Allocation.values:
        raise ValidationError({"allocation": _("未知的分配方式")})
    clean_quotas = _clean_quotas(quotas) if allocation_method == Allocation.QUOTA else {}
    if allocation_method == Allocation.QUOTA:
        if not clean_quotas or not any(clean_quotas.values()):
            raise ValidationError({"quotas": _("固定配额方式请至少为一个类别填写配额")})
        sample_size = sum(clean_quotas.values())
    if not isinstance(sample_size, int) or sample_size < 1:
        raise ValidationError({"sample_size": _("样本量应为正整数")})
    if not isinstance(min_group, int) or min_group < 1:
        raise ValidationError({"min_group": _("最少公布样本应为正整数")})
    node = (node or "").strip() or "public"
    seed = (seed or "").strip() or secrets.token_hex(8)
    if len(seed) > 64:
        raise ValidationError({"seed": _("随机种子不能超过 64 个字符")})
    # Check now that the frame can give this sample (it is checked again at the draw).
    sizes = {s: len(pks) for s, pks in _frame_strata(frame).items()}
    _allocate(allocation_method, sizes, sample_size, clean_quotas)
    appraisal_round = AppraisalRound.objects.create(
        org=org,
        year=year,
        period=period,
        name=name,
        frame=frame,
        questionnaire=questionnaire,
        node=node,
        sample_size=sample_size,
        allocation_method=allocation_method,
        quotas=clean_quotas,
        seed=seed,
        min_group=min_group,
    )
    audit_record(
        actor=actor,
        action="appraisal.round_create",
        obj=appraisal_round,
        org=org,
        summary=_("新建公众评议轮次“%(name)s”（样本量 %(n)d，种子 %(seed)s）")
        % {"name": name, "n": sample_size, "seed": seed},
        after={
            "frame": frame.pk,
            "questionnaire": questionnaire.pk,
            "sample_size": sample_size,
            "allocation_method": allocation_method,
            "quotas": clean_quotas,
            "seed": seed,
        },
    )
    return appraisal_round


def _lock(appraisal_round: AppraisalRound) -> AppraisalRound:
    return AppraisalRound.objects.select_for_update().get(pk=appraisal_round.pk)


@transaction.atomic
def round_draw(*, actor, appraisal_round: AppraisalRound) -> AppraisalRound:
    """Allocate the sample over the strata and draw it from the active respondents."""
    appraisal_round = _lock(appraisal_round)
    if appraisal_round.drawn_at is not None or appraisal_round.members.exists():
        raise ValidationError({"round": _("本轮已抽样，不能重复抽样")})
    if appraisal_round.status != RoundStatus.DRAFT:
        raise ValidationError({"round": _("只有准备中的轮次可以抽样")})
    strata = _frame_strata(appraisal_round.frame)
    sizes = {s: len(pks) for s, pks in strata.items()}
    allocation = _allocate(
        appraisal_round.allocation_method,
        sizes,
        appraisal_round.sample_size,
        appraisal_round.quotas or {},
    )
    drawn = sampling.draw_sample(strata, allocation, appraisal_round.seed)
    members = []
    for stratum in sorted(drawn):
        for pk in drawn[stratum]:
            members.append(
                SampleMember(
                    round=appraisal_round,
                    respondent_id=pk,
                    stratum=stratum,
                    position=len(members) + 1,
                )
            )
    SampleMember.objects.bulk_create(members, batch_size=500)
    appraisal_round.allocation = {s: int(n) for s, n in sorted(allocation.items())}
    appraisal_round.drawn_at = timezone.now()
    appraisal_round.save(update_fields=["allocation", "drawn_at"])
    audit_record(
        actor=actor,
        action="appraisal.round_draw",
        obj=appraisal_round,
        org=appraisal_round.org,
        summary=_("抽取样本 %(n)d 人（种子 %(seed)s）")
        % {"n": len(members), "seed": appraisal_round.seed},
        after={"allocation": appraisal_round.allocation, "seed": appraisal_round.seed},
    )
    return appraisal_round


@transaction.atomic
def round_open(*, actor, appraisal_round: AppraisalRound) -> AppraisalRound:
    appraisal_round = _lock(appraisal_round)
    if appraisal_round.status != RoundStatus.DRAFT:
        raise ValidationError({"round": _("只有准备中的轮次可以开始调查")})
    if appraisal_round.drawn_at is None:
        raise ValidationError({"round": _("请先抽取样本")})
    appraisal_round.status = RoundStatus.COLLECTING
    appraisal_round.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="appraisal.round_open",
        obj=appraisal_round,
        org=appraisal_round.org,
        summary=_("开始调查：%(name)s") % {"name": appraisal_round.name},
        before={"status": RoundStatus.DRAFT},
        after={"status": RoundStatus.COLLECTING},
    )
    return appraisal_round


@transaction.atomic
def round_close(*, actor, appraisal_round: AppraisalRound) -> AppraisalRound:
    appraisal_round = _lock(appraisal_round)
    if appraisal_round.status != RoundStatus.COLLECTING:
        raise ValidationError({"round": _("只有调查中的轮次可以结束")})
    appraisal_round.status = RoundStatus.CLOSED
    appraisal_round.closed_at = timezone.now()
    appraisal_round.save(update_fields=["status", "closed_at"])
    # As peer ballots do: the stored order of the responses no longer follows the
    # order of the calls (whose times the call log keeps).
    responses = responses_reshuffle(round=appraisal_round)
    audit_record(
        actor=actor,
        action="appraisal.round_close",
        obj=appraisal_round,
        org=appraisal_round.org,
        summary=_("结束调查：%(name)s（%(n)d 份答卷）")
        % {"name": appraisal_round.name, "n": responses},
        before={"status": RoundStatus.COLLECTING},
        after={"status": RoundStatus.CLOSED, "responses": responses},
    )
    return appraisal_round


# --- members: replacements and calls --------------------------------------------------

# A member counts as unreachable after this many unanswered calls (the documents
# are silent; three tries is the usual rule of telephone surveys).
NO_ANSWER_LIMIT = 3
CALL_DISPOSITIONS = (
    Disposition.COMPLETED,
    Disposition.REFUSED,
    Disposition.NO_ANSWER,
    Disposition.WRONG_NUMBER,
    Disposition.CALLBACK,
)
FINISHED = (Disposition.COMPLETED, Disposition.REPLACED)


def replaceable(member: SampleMember, no_answers: int | None = None) -> bool:
    """Wrong number, refusal, or no answer ``NO_ANSWER_LIMIT`` times."""
    if member.status in (Disposition.WRONG_NUMBER, Disposition.REFUSED):
        return True
    if member.status != Disposition.NO_ANSWER:
        return False
    if no_answers is None:
        no_answers = member.attempts.filter(disposition=Disposition.NO_ANSWER).count()
    return no_answers >= NO_ANSWER_LIMIT


@transaction.atomic
def member_replace(*, actor, member: SampleMember) -> SampleMember:
    """Draw a replacement from the same stratum for an unreachable member."""
    appraisal_round = _lock(member.round)
    member = SampleMember.objects.select_for_update().get(pk=member.pk)
    if appraisal_round.status == RoundStatus.CLOSED:
        raise ValidationError({"round": _("本轮调查已结束")})
    if not replaceable(member):
        raise ValidationError(
            {
                "member": _("只有空号错号、拒访或连续 %(n)d 次无人接听的样本可以替换")
                % {"n": NO_ANSWER_LIMIT}
            }
        )
    candidates = list(
        Respondent.objects.filter(
            frame_id=appraisal_round.frame_id, stratum=member.stratum, active=True
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    taken = set(appraisal_round.members.values_list("respondent_id", flat=True))
    attempt = appraisal_round.members.filter(stratum=member.stratum, replaces__isnull=False).count()
    chosen = sampling.draw_replacement(
        candidates, taken, appraisal_round.seed, member.stratum, attempt
    )
    if chosen is None:
        raise ValidationError(
            {"member": _("类别“%(stratum)s”已没有可替换的对象") % {"stratum": member.stratum}}
        )
    position = (appraisal_round.members.aggregate(m=Max("position"))["m"] or 0) + 1
    before = member.status
    member.status = Disposition.REPLACED
    member.callback_at = None
    member.save(update_fields=["status", "callback_at"])
    replacement = SampleMember.objects.create(
        round=appraisal_round,
        respondent_id=chosen,
        stratum=member.stratum,
        position=position,
        replaces=member,
    )
    audit_record(
        actor=actor,
        action="appraisal.member_replace",
        obj=member,
        org=appraisal_round.org,
        summary=_("替换样本 #%(old)d（%(status)s）为 #%(new)d")
        % {
            "old": member.position,
            "status": Disposition(before).label,
            "new": replacement.position,
        },
        before={"status": before},
        after={"status": Disposition.REPLACED, "replacement": replacement.pk},
    )
    return replacement


# How long opening a member's call page keeps other interviewers off them. Long
# enough for an interview (the standard questionnaire takes about ten minutes).
CLAIM_MINUTES = 30


def claim_holder(member: SampleMember, *, actor=None, now: datetime | None = None):
    """The other interviewer whose claim on the member is still running, else None."""
    now = now or timezone.now()
    if member.claimed_by_id is None or member.claimed_until is None:
        return None
    if member.claimed_until < now or (actor is not None and member.claimed_by_id == actor.pk):
        return None
    return member.claimed_by


def member_claim(*, actor, member: SampleMember, now: datetime | None = None) -> bool:
    """Claim the member for ``actor`` for ``CLAIM_MINUTES``; False if someone else has it.

    One conditional UPDATE, so of two interviewers opening the page at once exactly
    one wins, on SQLite and PostgreSQL alike. Re-opening one's own claim extends it.
    Not audited: a claim is a note on the shared list, the call itself is audited.
    """
    now = now or timezone.now()
    claimed = (
        SampleMember.objects.filter(pk=member.pk)
        .exclude(status__in=FINISHED)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now) | Q(claimed_by=actor))
        .update(claimed_by=actor, claimed_until=now + timedelta(minutes=CLAIM_MINUTES))
    )
    member.refresh_from_db(fields=["claimed_by", "claimed_until", "status"])
    return claimed == 1


def member_release(*, actor, member: SampleMember) -> None:
    """Give up one's own claim (another interviewer's claim is left alone)."""
    SampleMember.objects.filter(pk=member.pk, claimed_by=actor).update(
        claimed_by=None, claimed_until=None
    )
    member.refresh_from_db(fields=["claimed_by", "claimed_until"])


@transaction.atomic
def call_record(
    *,
    actor,
    member: SampleMember,
    disposition: str,
    callback_at: datetime | None = None,
    note: str = "",
) -> CallAttempt:
    """One call (or visit) and its outcome; a call-back needs the agreed time.

    Records the disposition only: a completed interview's answers go through
    ``responses.response_submit``, which keeps no link to the member.
    """
    # Fresh from the database: the caller's round or member may be stale.
    appraisal_round = AppraisalRound.objects.get(pk=member.round_id)
    member = SampleMember.objects.select_for_update().get(pk=member.pk)
    if appraisal_round.status != RoundStatus.COLLECTING:
        raise ValidationError({"round": _("本轮不在调查中，不能记录访问")})
    if member.status in FINISHED:
        raise ValidationError(
            {
                "member": _("该样本%(status)s，不能再记录访问")
                % {"status": member.get_status_display()}
            }
        )
    holder = claim_holder(member, actor=actor)
    if holder is not None:
        raise ValidationError(
            {"member": _("%(name)s正在联系该样本，不能重复访问") % {"name": user_name(holder)}}
        )
    if disposition not in CALL_DISPOSITIONS:
        raise ValidationError({"disposition": _("未知的访问结果")})
    if disposition == Disposition.CALLBACK and callback_at is None:
        raise ValidationError({"callback_at": _("约定回访请填写回访时间")})
    if disposition not in (Disposition.CALLBACK, Disposition.NO_ANSWER):
        callback_at = None  # only a call-back or an unanswered call is tried again
    note = (note or "").strip()
    if len(note) > 200:
        raise ValidationError({"note": _("备注不能超过 200 个字")})
    attempt = CallAttempt.objects.create(
        member=member,
        interviewer=actor,
        disposition=disposition,
        callback_at=callback_at,
        note=note,
    )
    before = member.status
    member.status = disposition
    member.callback_at = callback_at
    member.claimed_by, member.claimed_until = None, None  # the call is over: free again
    member.save(update_fields=["status", "callback_at", "claimed_by", "claimed_until"])
    audit_record(
        actor=actor,
        action="appraisal.call",
        obj=member,
        org=appraisal_round.org,
        summary=_("样本 #%(position)d：%(disposition)s")
        % {"position": member.position, "disposition": Disposition(disposition).label},
        before={"status": before},
        after={"status": disposition, "callback_at": callback_at},
    )
    return attempt


# --- phone numbers: reveal and export -------------------------------------------------


@transaction.atomic
def phone_reveal(*, actor, member: SampleMember) -> str:
    """The member's full number, for the call. Audited: who saw whose number, when."""
    appraisal_round = AppraisalRound.objects.get(pk=member.round_id)
    member = SampleMember.objects.select_related("respondent").get(pk=member.pk)
    if appraisal_round.status == RoundStatus.CLOSED:
        raise ValidationError({"round": _("本轮调查已结束，不能再查看电话号码")})
    if member.status in FINISHED:
        raise ValidationError(
            {"member": _("该样本%(status)s，无需再拨打") % {"status": member.get_status_display()}}
        )
    holder = claim_holder(member, actor=actor)
    if holder is not None:
        raise ValidationError(
            {"member": _("%(name)s正在联系该样本，不能重复访问") % {"name": user_name(holder)}}
        )
    phone = phone_decrypt(member.respondent.phone_encrypted)
    audit_record(
        actor=actor,
        action="appraisal.phone_reveal",
        obj=member.respondent,
        org=appraisal_round.org,
        summary=_("查看电话号码：%(round)s 样本 #%(position)d（%(mask)s）")
        % {
            "round": appraisal_round.name,
            "position": member.position,
            "mask": phone_mask(member.respondent.phone_last4),
        },
        after={"round": appraisal_round.pk, "member": member.pk},
    )
    return phone


def _sample_sheet(full_numbers: bool) -> Sheet:
    def phone(member: SampleMember) -> str:
        if full_numbers:
            return phone_decrypt(member.respondent.phone_encrypted)
        return phone_mask(member.respondent.phone_last4)

    def local(value: datetime | None) -> str:
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""

    return Sheet(
        title="公众评议样本",
        columns=(
            Column("序号", "position", get=lambda m: m.position),
            Column("类别", "stratum", get=lambda m: m.stratum),
            Column("村（社区）", "village", get=lambda m: m.respondent.village),
            Column("姓名", "name", get=lambda m: m.respondent.name),
            Column("电话", "phone", get=phone),
            Column("状态", "status", get=lambda m: m.get_status_display()),
            Column("回访时间", "callback_at", get=lambda m: local(m.callback_at)),
            Column(
                "替换序号", "replaces", get=lambda m: m.replaces.position if m.replaces else None
            ),
        ),
    )


@transaction.atomic
def sample_export(*, actor, appraisal_round: AppraisalRound, full_numbers: bool = False) -> bytes:
    """The drawn sample as .xlsx; numbers masked unless ``full_numbers``. Audited."""
    appraisal_round = AppraisalRound.objects.get(pk=appraisal_round.pk)
    if appraisal_round.drawn_at is None:
        raise ValidationError({"round": _("本轮尚未抽样")})
    if full_numbers and appraisal_round.status == RoundStatus.CLOSED:
        raise ValidationError({"round": _("本轮调查已结束，不能再导出完整电话号码")})
    members = list(
        appraisal_round.members.select_related("respondent", "replaces").order_by("position")
    )
    data = export_workbook(_sample_sheet(full_numbers), members)
    audit_record(
        actor=actor,
        action="appraisal.sample_export_full" if full_numbers else "appraisal.sample_export",
        obj=appraisal_round,
        org=appraisal_round.org,
        summary=(
            _("导出样本（含完整电话号码）%(n)d 人") if full_numbers else _("导出样本 %(n)d 人")
        )
        % {"n": len(members)},
        after={"members": len(members), "full_numbers": full_numbers},
    )
    return data
