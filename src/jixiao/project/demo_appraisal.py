"""白莲镇's public appraisal (公众评议) in the demo year (issue #5).

- A respondent frame of 1,000 made-up people in four strata — 人大代表 60,
  企业主 140, 城镇居民 300 (白莲社区) and 农村居民 500 (the 11 villages) — with
  fake phone numbers 1380000xxxx;
- a questionnaire: the three standard items of 002 篇一 for six offices and
  stations, and a free-text question;
- the July round (first half-year): 600 drawn, called, answered and closed. Its
  index feeds the ``public`` node of the first half-year's unit assessment,
  which is scored and aggregated here (the scorers' own ``public`` value stays
  for the units the questionnaire does not rate);
- the December round (second half-year): drawn and collecting, with the paper
  invitations (codes) of its first 40 sample members printed.

The answers are made up by a seeded random generator, so every load gives the
same figures. Rows are written with bulk_create (the demo must load quickly);
rounds are drawn, opened and closed through the services. Skipped when the
frame exists, so loading twice leaves the same rows.
"""

from __future__ import annotations

import random

from django.contrib.auth import get_user_model

from jixiao.appraisal.models import (
    CallAttempt,
    Disposition,
    Mode,
    QuestionKind,
    RespondentFrame,
    Response,
    SampleMember,
)
from jixiao.appraisal.responses import codes_issue
from jixiao.appraisal.services import (
    QuestionSpec,
    frame_import,
    questionnaire_create,
    round_close,
    round_create,
    round_draw,
    round_open,
    standard_questions,
)
from jixiao.assessments.models import Assessment
from jixiao.assessments.services import (
    assessment_aggregate,
    assessment_create,
    assessment_open_scoring,
)
from jixiao.organisation.models import Unit, UnitKind
from jixiao.years.models import AssessmentYear, Period, PeriodKind, SubjectKind

FRAME_NAME = "白莲镇公众评议抽样框（2026）"
STRATA = (("人大代表", 60), ("企业主", 140), ("城镇居民", 300), ("农村居民", 500))
# The units the public rates, and how well they are thought of (mean answer, 1–5).
RATED = (("dzb", 4.1), ("jjfz", 4.3), ("shsw", 4.0), ("zzb", 3.6), ("jsb", 3.9), ("nyfw", 4.2))
# Deputies know the offices best and judge them kindly; business owners are sterner.
STRATUM_SHIFT = {"人大代表": 0.25, "企业主": -0.2, "城镇居民": 0.0, "农村居民": -0.1}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国红梅志斌文辉"
SUGGESTIONS = (
    "希望村里的路灯早点修好。",
    "办事窗口中午也能有人值班就好了。",
    "农业补贴发放再及时一些。",
    "建议多开展法律宣传进村活动。",
    "镇里的服务态度比去年好多了。",
)


def demo_appraisal(year: AssessmentYear) -> None:
    """Bring 白莲镇's public appraisal to the state described above (idempotent)."""
    org = year.org
    if RespondentFrame.objects.filter(org=org, name=FRAME_NAME).exists():
        return
    users = {u.username: u for u in get_user_model().objects.all()}
    office = users["office"]
    units = {u.code: u for u in Unit.objects.filter(org=org)}
    periods = {(p.kind, p.number): p for p in Period.objects.filter(year=year)}

    frame = frame_import(
        actor=office,
        org=org,
        name=FRAME_NAME,
        data=frame_csv(units),
        filename="frame.csv",
        dry_run=False,
    ).frame
    rated = [units[code] for code, _mean in RATED]
    questionnaire = questionnaire_create(
        actor=office,
        org=org,
        name="白莲镇公众评议问卷",
        intro="您好！我们正在开展公众评议，想了解您对以下单位工作的评价。"
        "调查不记名，您的回答只用于统计。",
        questions=[
            *standard_questions(rated),
            QuestionSpec(QuestionKind.TEXT, "您对镇里的工作还有什么意见和建议？", required=False),
        ],
    )
    july = round_create(
        actor=office,
        org=org,
        year=year,
        period=periods[(PeriodKind.HALF, 1)],
        name="2026年7月公众评议",
        frame=frame,
        questionnaire=questionnaire,
        sample_size=600,
        seed="bailian-2026-07",
    )
    round_draw(actor=office, appraisal_round=july)
    july = round_open(actor=office, appraisal_round=july)
    _collect(july, office)
    round_close(actor=office, appraisal_round=july)
    _first_half(year, periods[(PeriodKind.HALF, 1)], users)

    december = round_create(
        actor=office,
        org=org,
        year=year,
        period=periods[(PeriodKind.HALF, 2)],
        name="2026年12月公众评议",
        frame=frame,
        questionnaire=questionnaire,
        sample_size=600,
        seed="bailian-2026-12",
    )
    round_draw(actor=office, appraisal_round=december)
    december = round_open(actor=office, appraisal_round=december)
    first = list(SampleMember.objects.filter(round=december).order_by("position")[:40])
    codes_issue(actor=office, round=december, members=first)  # the printed invitations


def frame_csv(units: dict[str, Unit]) -> bytes:
    """The frame as the office would import it: 类别, 村（社区）, 姓名, 电话."""
    rng = random.Random("bailian-frame")
    villages = sorted(
        (u for u in units.values() if u.kind == UnitKind.VILLAGE), key=lambda u: u.code
    )
    committee = next(u for u in units.values() if u.kind == UnitKind.COMMITTEE)
    lines = ["类别,村（社区）,姓名,电话"]
    number = 0
    for stratum, count in STRATA:
        for _ in range(count):
            number += 1
            if stratum == "农村居民":
                place = villages[number % len(villages)].name
            elif stratum == "城镇居民":
                place = committee.name
            else:
                place = rng.choice([*(v.name for v in villages), committee.name])
            name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2))))
            lines.append(f"{stratum},{place},{name},1380000{number:04d}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _level(rng: random.Random, mean: float) -> int:
    return max(1, min(5, round(rng.gauss(mean, 0.85))))


def _collect(appraisal_round, interviewer) -> None:
    """Call every sample member once: most answer, some refuse or cannot be reached."""
    rng = random.Random("bailian-2026-07-answers")
    questions = list(appraisal_round.questionnaire.questions.select_related("unit"))
    means = {code: mean for code, mean in RATED}
    members = list(SampleMember.objects.filter(round=appraisal_round).order_by("position"))
    responses, attempts = [], []
    for member in members:
        roll = rng.random()
        if roll < 0.82:
            member.status = Disposition.COMPLETED
        elif roll < 0.89:
            member.status = Disposition.REFUSED
        elif roll < 0.96:
            member.status = Disposition.NO_ANSWER
        else:
            member.status = Disposition.WRONG_NUMBER
        attempts.append(
            CallAttempt(member=member, interviewer=interviewer, disposition=member.status)
        )
        if member.status != Disposition.COMPLETED:
            continue
        shift = STRATUM_SHIFT[member.stratum] + rng.gauss(0, 0.3)  # this person's mood
        answers: dict[str, object] = {}
        for question in questions:
            if question.kind == QuestionKind.SCALE:
                answers[str(question.pk)] = _level(rng, means[question.unit.code] + shift)
            elif rng.random() < 0.15:
                answers[str(question.pk)] = rng.choice(SUGGESTIONS)
        mode = Mode.FACE if rng.random() < 0.1 else Mode.PHONE
        responses.append(
            Response(round=appraisal_round, stratum=member.stratum, mode=mode, answers=answers)
        )
    rng.shuffle(responses)  # rows in no order that follows the calls
    SampleMember.objects.bulk_update(members, ["status"], batch_size=500)
    CallAttempt.objects.bulk_create(attempts, batch_size=500)
    Response.objects.bulk_create(responses, batch_size=500)


def _first_half(year: AssessmentYear, half: Period, users) -> None:
    """The first half-year's unit assessment, scored: the July index fills ``public``."""
    from jixiao.project.demo_year import BALLOT_NODE, SCORED_NODES, _score_all

    if Assessment.objects.filter(period=half, subject_kind=SubjectKind.UNIT).exists():
        return
    office = users["office"]
    assessment = assessment_create(
        actor=office, year=year, period=half, subject_kind=SubjectKind.UNIT
    )
    assessment_open_scoring(actor=office, assessment=assessment)
    # The July round scores ``public`` for the units its questionnaire rates.
    fed = {code: {"public"} for code, _mean in RATED}
    _score_all(assessment, (*SCORED_NODES, BALLOT_NODE), users["leader"], seed=5, fed=fed)
    assessment_aggregate(actor=office, assessment=assessment)
