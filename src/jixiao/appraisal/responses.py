"""Writes for the respondent side of public appraisal: invitation codes and responses.

Invitation codes are 10 characters from an alphabet without look-alikes (no 0/O,
1/I/L): easy to type from paper. Only their SHA-256 is stored; the plain codes
are returned once, for the print sheet, and exist nowhere else.

A response is anonymous by construction (see models.py): the row keeps the round,
the stratum, the mode and the answers. With a code, the code is marked used in
the same transaction, by a conditional UPDATE on a row locked with
select_for_update — on PostgreSQL the lock makes a second request wait and then
see ``used``; on SQLite (IMMEDIATE transactions) writers are serialised anyway,
and the conditional UPDATE's row count is the last word on both. Submitting is
not audited (as for peer ballots): an event per response would put a time beside
each answer. Issuing codes is audited with counts only.
"""

from __future__ import annotations

import hashlib
import random
import secrets
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jixiao.appraisal.models import (
    AppraisalRound,
    Disposition,
    InvitationCode,
    Mode,
    Question,
    QuestionKind,
    Respondent,
    Response,
    RoundStatus,
    SampleMember,
)
from jixiao.audit.services import audit_record

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10
MAX_CODES = 5000  # per call: one print run
TEXT_LIMIT = 2000
SCALE_LEVELS = (5, 4, 3, 2, 1)

_shuffle = random.SystemRandom().shuffle


# --- codes ----------------------------------------------------------------------------


def code_normalise(raw: str) -> str:
    """What a person typed → the canonical code ('' if it cannot be one).

    Spaces and dashes are dropped and letters upper-cased; nothing else is guessed.
    """
    code = "".join(ch for ch in (raw or "").upper() if ch not in " -\u3000\t")
    if len(code) != CODE_LENGTH or any(ch not in ALPHABET for ch in code):
        return ""
    return code


def code_hash(code: str) -> str:
    return hashlib.sha256(code.encode("ascii")).hexdigest()


def code_display(code: str) -> str:
    """ABCDE-FGHJK: two groups of five are easier to copy."""
    half = CODE_LENGTH // 2
    return f"{code[:half]}-{code[half:]}"


def _new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def _unique_codes(count: int) -> list[str]:
    """``count`` fresh codes, none of which is already stored (31^10 ≈ 8·10^14 codes)."""
    codes: set[str] = set()
    while len(codes) < count:
        wanted = count - len(codes)
        batch = {_new_code() for _ in range(wanted)} - codes
        hashes = {code_hash(c): c for c in batch}
        taken = set(
            InvitationCode.objects.filter(code_hash__in=list(hashes)).values_list(
                "code_hash", flat=True
            )
        )
        codes |= {c for h, c in hashes.items() if h not in taken}
    return list(codes)


@transaction.atomic
def codes_issue(
    *,
    actor,
    round: AppraisalRound,
    count_by_stratum: Mapping[str, int] | None = None,
    members: Iterable[SampleMember] | None = None,
) -> list[str]:
    """Issue single-use codes; returns the plain codes (the only time they exist).

    Either ``members`` (one code per sample member of the round that has none yet;
    replaced members are skipped) or ``count_by_stratum`` (open invitations,
    stratum → how many). The order of the returned codes follows the members, or
    the strata as given.
    """
    appraisal_round = AppraisalRound.objects.select_for_update().get(pk=round.pk)
    if appraisal_round.status == RoundStatus.CLOSED:
        raise ValidationError({"round": _("评议已结束，不能再发放邀请码")})
    if (members is None) == (count_by_stratum is None):
        raise ValidationError({"codes": _("请选择按样本发放或按类别数量发放")})

    rows: list[tuple[str, SampleMember | None]] = []
    if members is not None:
        wanted = [m.pk for m in members]
        found = {
            m.pk: m
            for m in SampleMember.objects.filter(round=appraisal_round, pk__in=wanted)
            .exclude(status=Disposition.REPLACED)
            .filter(code__isnull=True)
        }
        rows = [(found[pk].stratum, found[pk]) for pk in wanted if pk in found]
        if not rows:
            raise ValidationError({"members": _("没有需要发放邀请码的样本")})
    else:
        strata = set(
            Respondent.objects.filter(frame_id=appraisal_round.frame_id)
            .values_list("stratum", flat=True)
            .distinct()
        )
        for stratum, count in (count_by_stratum or {}).items():
            if stratum not in strata:
                raise ValidationError(
                    {"stratum": _("抽样框中没有类别“%(stratum)s”") % {"stratum": stratum}}
                )
            if not isinstance(count, int) or isinstance(count, bool) or count < 0:
                raise ValidationError(
                    {"count": _("类别“%(stratum)s”的数量应为非负整数") % {"stratum": stratum}}
                )
            rows.extend((stratum, None) for _ in range(count))
        if not rows:
            raise ValidationError({"count": _("请至少发放一个邀请码")})
    if len(rows) > MAX_CODES:
        raise ValidationError({"count": _("一次最多发放 %(max)d 个邀请码") % {"max": MAX_CODES}})

    codes = _unique_codes(len(rows))
    InvitationCode.objects.bulk_create(
        InvitationCode(round=appraisal_round, code_hash=code_hash(code), stratum=stratum, member=m)
        for code, (stratum, m) in zip(codes, rows, strict=True)
    )
    per_stratum = Counter(stratum for stratum, _m in rows)
    audit_record(
        actor=actor,
        action="appraisal.codes_issue",
        obj=appraisal_round,
        org=appraisal_round.org,
        summary=_("发放公众评议邀请码 %(count)d 个：%(round)s")
        % {"count": len(rows), "round": appraisal_round.name},
        after={
            "codes": len(rows),
            "by_stratum": dict(per_stratum),
            "for_sample": members is not None,
        },
    )
    return codes


# --- answers --------------------------------------------------------------------------


def question_label(question: Question, number: int) -> str:
    return _("第 %(n)d 题“%(text)s”") % {"n": number, "text": question.text}


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def _clean_one(question: Question, raw: Any) -> Any:
    """The stored form of one answer, or ValidationError with a message (no label)."""
    kind = question.kind
    if kind == QuestionKind.SCALE:
        value = _int(raw)
        if value not in SCALE_LEVELS:
            raise ValidationError(_("请选择一个满意程度"))
        return value
    if kind == QuestionKind.SINGLE:
        value = _int(raw)
        if value is None or not 0 <= value < len(question.options):
            raise ValidationError(_("请选择一个选项"))
        return value
    if kind == QuestionKind.MULTIPLE:
        items = raw if isinstance(raw, list | tuple) else [raw]
        values = [_int(v) for v in items]
        if any(v is None or not 0 <= v < len(question.options) for v in values):
            raise ValidationError(_("选项不在本题之中"))
        if len(set(values)) != len(values):
            raise ValidationError(_("同一选项不能重复选择"))
        return sorted(values)
    if not isinstance(raw, str):
        raise ValidationError(_("请填写文字"))
    text = raw.strip()
    if len(text) > TEXT_LIMIT:
        raise ValidationError(_("不能超过 %(max)d 个字") % {"max": TEXT_LIMIT})
    return text


def _is_blank(raw: Any) -> bool:
    return raw is None or raw == "" or (isinstance(raw, list | tuple) and not raw)


def answers_clean(
    questions: Iterable[Question], answers: Mapping[Any, Any]
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """(clean answers keyed by question id as str, errors keyed "q<id>" naming the question)."""
    clean: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    given = {str(k): v for k, v in answers.items()}
    known: set[str] = set()
    for number, question in enumerate(questions, start=1):
        key = str(question.pk)
        known.add(key)
        raw = given.get(key)
        if isinstance(raw, str):
            raw = raw.strip()
        if _is_blank(raw):
            if question.required:
                errors[f"q{key}"] = [_("%(q)s：请作答") % {"q": question_label(question, number)}]
            continue
        try:
            clean[key] = _clean_one(question, raw)
        except ValidationError as exc:
            errors[f"q{key}"] = [
                _("%(q)s：%(m)s") % {"q": question_label(question, number), "m": m}
                for m in exc.messages
            ]
    unknown = sorted(set(given) - known)
    if unknown:
        errors["answers"] = [_("问卷中没有这道题：%(keys)s") % {"keys": "、".join(unknown)}]
    return clean, errors


@transaction.atomic
def response_submit(
    *,
    round: AppraisalRound,
    answers: Mapping[Any, Any],
    mode: str,
    stratum: str | None = None,
    code: str | None = None,
) -> Response:
    """Store one anonymous response; with a code, use the code up in the same transaction.

    ``mode`` "web" needs a code (the stratum comes from it); "phone" and "face"
    (helper pages for interviewers) need the member's stratum. Nothing is saved
    unless everything is valid. The response keeps no code, no person and no time.
    """
    appraisal_round = AppraisalRound.objects.only("pk", "status", "questionnaire_id", "frame_id")
    appraisal_round = appraisal_round.get(pk=round.pk)
    if appraisal_round.status != RoundStatus.COLLECTING:
        raise ValidationError({"round": _("本轮评议未在调查中，不能提交答卷")})
    if mode not in Mode.values:
        raise ValidationError({"mode": _("未知的调查方式：%(mode)s") % {"mode": mode}})

    invitation = None
    if code is not None:
        plain = code_normalise(code)
        invitation = (
            InvitationCode.objects.select_for_update()
            .filter(round=appraisal_round, code_hash=code_hash(plain) if plain else "-")
            .first()
        )
        if invitation is None or invitation.used:
            raise ValidationError({"code": _("邀请码无效或已使用")})
        stratum = invitation.stratum
    elif mode == Mode.WEB:
        raise ValidationError({"code": _("扫码作答需要邀请码")})
    stratum = (stratum or "").strip()
    if not stratum:
        raise ValidationError({"stratum": _("请注明受访者类别")})
    if (
        invitation is None
        and not Respondent.objects.filter(
            frame_id=appraisal_round.frame_id, stratum=stratum
        ).exists()
    ):
        raise ValidationError(
            {"stratum": _("抽样框中没有类别“%(stratum)s”") % {"stratum": stratum}}
        )

    questions = list(
        Question.objects.filter(questionnaire_id=appraisal_round.questionnaire_id).order_by(
            "order", "pk"
        )
    )
    clean, errors = answers_clean(questions, answers)
    if errors:
        raise ValidationError(errors)

    if invitation is not None:
        # The row count of this conditional UPDATE decides a race on both databases.
        if not InvitationCode.objects.filter(pk=invitation.pk, used=False).update(used=True):
            raise ValidationError({"code": _("邀请码无效或已使用")})
        if invitation.member_id is not None:
            SampleMember.objects.filter(pk=invitation.member_id).update(
                status=Disposition.COMPLETED, callback_at=None
            )
    return Response.objects.create(round=appraisal_round, stratum=stratum, mode=mode, answers=clean)


@transaction.atomic
def responses_reshuffle(*, round: AppraisalRound) -> int:
    """Rewrite a round's responses in a fresh random order under fresh keys.

    Meant for closing a round (as peer ballots do): afterwards not even the
    physical order of the rows (SQLite rowid, PostgreSQL heap) follows the order
    of the calls or the code uses. Returns the number of responses.
    """
    rows = list(Response.objects.filter(round=round).values_list("stratum", "mode", "answers"))
    Response.objects.filter(round=round).delete()
    _shuffle(rows)
    Response.objects.bulk_create(
        Response(round=round, stratum=s, mode=m, answers=a) for s, m, a in rows
    )
    return len(rows)
