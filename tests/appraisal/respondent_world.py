"""A collecting round for the respondent side: 40 people, 20 drawn, six questions.

Frame (N_h): 人大代表 4, 企业主 6, 城镇居民 12, 农村居民 18. Sample of 20 by
largest remainder: 2, 3, 6, 9. Questions, in order:
1, 2: scale items on the section (经济发展办); 3: an optional scale item on the
village (白莲村); 4: single choice; 5: multiple choice; 6: optional free text.
The year uses the bailian-town scheme for units, so the first half's assessment
can take the index into its ``public`` node.
"""

from __future__ import annotations

from dataclasses import dataclass

from jixiao.appraisal.models import AppraisalRound, Question, QuestionKind
from jixiao.appraisal.services import (
    QuestionSpec,
    frame_import,
    questionnaire_create,
    round_create,
    round_draw,
    round_open,
)
from jixiao.years.models import AssessmentYear, Period, PeriodKind, SubjectKind
from jixiao.years.services import year_setup
from tests.cast import Cast

STRATA = (("人大代表", 4), ("企业主", 6), ("城镇居民", 12), ("农村居民", 18))


def frame_csv() -> bytes:
    lines = ["类别,村（社区）,姓名,电话"]
    index = 0
    for stratum, count in STRATA:
        for _ in range(count):
            index += 1
            lines.append(f"{stratum},白莲村,受访者{index},1380000{index:04d}")
    return ("\n".join(lines) + "\n").encode("utf-8")


@dataclass
class RespondentWorld:
    year: AssessmentYear
    period: Period  # 上半年
    round: AppraisalRound  # collecting
    questions: list[Question]

    def q(self, number: int) -> str:
        """The answer key of question ``number`` (1-based)."""
        return str(self.questions[number - 1].pk)

    def answers(self, s1=4, s2=4, village=None, single=0, multiple=(1,), text="") -> dict:
        given = {self.q(1): s1, self.q(2): s2, self.q(4): single, self.q(5): list(multiple)}
        if village is not None:
            given[self.q(3)] = village
        if text:
            given[self.q(6)] = text
        return given


def build_respondent_world(cast: Cast, *, min_group: int = 5) -> RespondentWorld:
    year = year_setup(
        actor=cast.office, org=cast.org, year=2024, choices={SubjectKind.UNIT: "bailian-town"}
    )
    period = year.periods.get(kind=PeriodKind.HALF, number=1)
    frame = frame_import(
        actor=cast.office,
        org=cast.org,
        name="2024年抽样框",
        data=frame_csv(),
        filename="frame.csv",
        dry_run=False,
    ).frame
    questionnaire = questionnaire_create(
        actor=cast.office,
        org=cast.org,
        name="2024年上半年公众评议问卷",
        intro="您好！调查不记名。",
        questions=[
            QuestionSpec(
                QuestionKind.SCALE, "您对经济发展办落实重大决策部署是否满意？", unit=cast.section
            ),
            QuestionSpec(
                QuestionKind.SCALE, "您对经济发展办的工作作风是否满意？", unit=cast.section
            ),
            QuestionSpec(
                QuestionKind.SCALE, "您对白莲村村委会是否满意？", unit=cast.village, required=False
            ),
            QuestionSpec(
                QuestionKind.SINGLE, "您通过什么方式了解镇里的工作？", options=("电视", "微信")
            ),
            QuestionSpec(
                QuestionKind.MULTIPLE, "您最关心哪些方面？", options=("道路", "教育", "医疗")
            ),
            QuestionSpec(QuestionKind.TEXT, "您还有什么意见和建议？", required=False),
        ],
    )
    appraisal_round = round_create(
        actor=cast.office,
        org=cast.org,
        year=year,
        period=period,
        name="2024年7月公众评议",
        frame=frame,
        questionnaire=questionnaire,
        sample_size=20,
        seed="2024-07",
        min_group=min_group,
    )
    round_draw(actor=cast.office, appraisal_round=appraisal_round)
    appraisal_round = round_open(actor=cast.office, appraisal_round=appraisal_round)
    questions = list(questionnaire.questions.order_by("order"))
    return RespondentWorld(year=year, period=period, round=appraisal_round, questions=questions)
