"""Answer validation, property-tested: every valid sheet is kept as given, nothing else passes."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from jixiao.appraisal.models import Question, QuestionKind
from jixiao.appraisal.responses import TEXT_LIMIT, answers_clean

OPTIONS = ["甲", "乙", "丙", "丁"]
QUESTIONS = [
    Question(pk=11, order=1, kind=QuestionKind.SCALE, text="满意度一"),
    Question(pk=12, order=2, kind=QuestionKind.SCALE, text="满意度二", required=False),
    Question(pk=13, order=3, kind=QuestionKind.SINGLE, text="单选", options=OPTIONS),
    Question(pk=14, order=4, kind=QuestionKind.MULTIPLE, text="多选", options=OPTIONS),
    Question(pk=15, order=5, kind=QuestionKind.TEXT, text="文字", required=False),
]

valid_sheets = st.fixed_dictionaries(
    {
        "11": st.integers(1, 5),
        "13": st.integers(0, 3),
        "14": st.sets(st.integers(0, 3), min_size=1).map(sorted),
    },
    optional={
        "12": st.integers(1, 5),
        "15": st.text(min_size=1, max_size=50).filter(lambda t: t.strip() == t and t),
    },
)


@given(valid_sheets)
def test_a_valid_sheet_is_kept_as_given(sheet):
    clean, errors = answers_clean(QUESTIONS, sheet)
    assert errors == {}
    assert clean == sheet


@given(valid_sheets, st.integers().filter(lambda n: not 1 <= n <= 5))
def test_a_scale_answer_outside_one_to_five_is_refused_by_number(sheet, level):
    _clean, errors = answers_clean(QUESTIONS, {**sheet, "11": level})
    assert list(errors) == ["q11"]
    assert "第 1 题" in errors["q11"][0]


@given(valid_sheets, st.integers().filter(lambda n: not 0 <= n <= 3))
def test_an_option_outside_the_list_is_refused(sheet, option):
    _clean, errors = answers_clean(QUESTIONS, {**sheet, "13": option, "14": [option]})
    assert set(errors) == {"q13", "q14"}


@given(valid_sheets, st.sampled_from(["11", "13", "14"]))
def test_a_required_question_left_blank_is_named(sheet, key):
    blank = {k: v for k, v in sheet.items() if k != key}
    _clean, errors = answers_clean(QUESTIONS, blank)
    assert list(errors) == [f"q{key}"]
    assert "请作答" in errors[f"q{key}"][0]


def test_text_is_trimmed_and_limited():
    sheet = {"11": 5, "13": 0, "14": [1]}
    clean, errors = answers_clean(QUESTIONS, {**sheet, "15": "  建议  "})
    assert clean["15"] == "建议" and not errors
    _clean, errors = answers_clean(QUESTIONS, {**sheet, "15": "字" * (TEXT_LIMIT + 1)})
    assert list(errors) == ["q15"]
